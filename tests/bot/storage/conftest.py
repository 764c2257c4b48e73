"""Storage tests run on SQLite (a tmp file) and on PostgreSQL (a fresh schema per test).

PostgreSQL comes from ROLEBOT_TEST_POSTGRES_URL, e.g.
postgresql+psycopg2://postgres@127.0.0.1:5432/test. Unset: the PostgreSQL cases are skipped.
Set but unreachable: they fail, so CI cannot go green without having tested it.
"""

# ruff: noqa: E402  (the sys.path fix below must run before the project imports)
from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

# With tests/ on sys.path (pytest's default "prepend" import mode, no __init__.py files), the
# folder tests/bot/ would be imported as a namespace package shadowing the real `bot`. Putting
# the repository first makes `bot` the project again. (Better: pythonpath = ["."] in pytest's
# ini options.)
_REPO_ROOT = str(Path(__file__).resolve().parents[3])
if _REPO_ROOT not in sys.path:
    sys.path.insert(0, _REPO_ROOT)
if getattr(sys.modules.get("bot"), "__file__", None) is None:
    for _name in [m for m in sys.modules if m == "bot" or m.startswith("bot.")]:
        del sys.modules[_name]

import pytest
from sqlalchemy import Engine, create_engine, make_url
from sqlalchemy.schema import CreateSchema, DropSchema

from bot.settings import Settings

POSTGRES_ENV = "ROLEBOT_TEST_POSTGRES_URL"


def _postgres_url() -> Iterator[str]:
    raw = os.environ.get(POSTGRES_ENV)
    if not raw:
        pytest.skip(f"{POSTGRES_ENV} is not set: PostgreSQL cases skipped")
    from bot.storage.db import normalize_url

    admin = create_engine(normalize_url(raw), connect_args={"connect_timeout": 3})
    schema = f"rolebot_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.begin() as conn:
            conn.execute(CreateSchema(schema))
    except Exception as exc:
        admin.dispose()
        pytest.fail(f"{POSTGRES_ENV} is set but PostgreSQL is unusable: {exc}", pytrace=False)
    url = make_url(normalize_url(raw)).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(DropSchema(schema, cascade=True))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to an empty database on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'rolebot.db'}"
    else:
        yield from _postgres_url()


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings(database_url=db_url)


@pytest.fixture
def storage(settings: Settings):
    from bot.storage import open_storage

    opened = open_storage(settings, required=True)
    yield opened
    opened.close()


@pytest.fixture
def db_engine(storage) -> Engine:
    return storage.engine
