"""A test's own look at a bot's database."""

from __future__ import annotations

from typing import Any


def db_rows(url: str, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    """Rows of a query on the bot's database (a short-lived engine of our own)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql), params)]
    finally:
        engine.dispose()
