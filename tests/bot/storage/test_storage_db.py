from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import Settings
from bot.storage.db import StorageError, database_url, describe, normalize_url


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@db.example:5432/app", "postgresql+psycopg2://u:p@db.example:5432/app"),
        ("postgresql://u@h/app", "postgresql+psycopg2://u@h/app"),
        ("postgresql+psycopg2://u@h/app", "postgresql+psycopg2://u@h/app"),
        ("postgresql+psycopg://u@h/app", "postgresql+psycopg://u@h/app"),
        ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
        ("  postgres://u@h/app\n", "postgresql+psycopg2://u@h/app"),
    ],
)
def test_normalize_url(given: str, expected: str) -> None:
    assert normalize_url(given) == expected


def test_database_url_from_settings_accepts_postgres_spelling() -> None:
    url = database_url(Settings(database_url="postgres://u:secret@h:5432/app"))
    assert url.drivername == "postgresql+psycopg2"
    assert url.database == "app"
    assert "secret" not in describe(url)


def test_default_is_a_sqlite_file_in_the_data_dir(tmp_path: Path) -> None:
    url = database_url(Settings(data_dir=tmp_path / "data"))
    assert url.get_backend_name() == "sqlite"
    assert url.database == str(tmp_path / "data" / "rolebot.db")


def test_rolebot_db_overrides_the_file(tmp_path: Path) -> None:
    env = {"ROLEBOT_DATA_DIR": str(tmp_path), "ROLEBOT_DB": str(tmp_path / "other.db")}
    assert database_url(Settings.from_env(env)).database == str(tmp_path / "other.db")


def test_database_url_wins_over_rolebot_db(tmp_path: Path) -> None:
    env = {"ROLEBOT_DB": str(tmp_path / "x.db"), "DATABASE_URL": "postgres://u@h/app"}
    assert database_url(Settings.from_env(env)).get_backend_name() == "postgresql"


def test_malformed_database_url_is_a_clear_error() -> None:
    with pytest.raises(StorageError, match="DATABASE_URL"):
        database_url(Settings(database_url="not a url"))


def test_sqlite_parent_directory_is_created(tmp_path: Path) -> None:
    from bot.storage import open_storage

    storage = open_storage(Settings(data_dir=tmp_path / "new" / "dir"), required=True)
    try:
        assert (tmp_path / "new" / "dir" / "rolebot.db").exists()
    finally:
        storage.close()
