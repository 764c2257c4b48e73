"""The test PostgreSQL (ROLEBOT_TEST_POSTGRES_URL): unset skips, set but unusable fails, so CI
cannot go green without having tested it. Each user gets a fresh schema, dropped afterwards."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator

import pytest

POSTGRES_ENV = "ROLEBOT_TEST_POSTGRES_URL"


def postgres_env_url() -> str:
    """ROLEBOT_TEST_POSTGRES_URL (normalised); skips the test when it is not set."""
    raw = os.environ.get(POSTGRES_ENV)
    if not raw:
        pytest.skip(f"{POSTGRES_ENV} is not set: PostgreSQL cases skipped")
    from bot.storage.db import normalize_url

    return normalize_url(raw)


@contextlib.contextmanager
def postgres_schema(raw_url: str | None = None, prefix: str = "rolebot_test") -> Iterator[str]:
    """A fresh schema on the test PostgreSQL; yields a URL whose search_path is that schema."""
    from sqlalchemy import create_engine, make_url
    from sqlalchemy.schema import CreateSchema, DropSchema

    url = raw_url or postgres_env_url()
    admin = create_engine(url, connect_args={"connect_timeout": 3})
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    try:
        with admin.begin() as conn:
            conn.execute(CreateSchema(schema))
    except Exception as exc:
        admin.dispose()
        pytest.fail(f"{POSTGRES_ENV} is set but PostgreSQL is unusable: {exc}", pytrace=False)
    scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield scoped.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(DropSchema(schema, cascade=True))
        admin.dispose()
