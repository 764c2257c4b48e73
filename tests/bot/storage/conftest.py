"""Storage tests run on SQLite (a tmp file) and on PostgreSQL (a fresh schema per test).

PostgreSQL comes from ROLEBOT_TEST_POSTGRES_URL, e.g.
postgresql+psycopg2://postgres@127.0.0.1:5432/test. Unset: the PostgreSQL cases are skipped.
Set but unreachable: they fail, so CI cannot go green without having tested it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from support.postgres import postgres_schema

from bot.settings import Settings


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL to an empty database on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'rolebot.db'}"
    else:
        with postgres_schema() as url:
            yield url


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
