"""Engine creation: which database, how to reach it, and how long to wait for it.

A SQLite file under the data directory by default (`<data_dir>/rolebot.db`, or `ROLEBOT_DB`),
any SQLAlchemy URL when `DATABASE_URL` is set (platforms hand out `postgres://…`, which
SQLAlchemy 2 no longer accepts: it is rewritten to `postgresql+psycopg2://…`).
"""

from __future__ import annotations

import logging
import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Column, Engine, Executable, Table, create_engine, event, make_url

from bot.settings import Settings

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_SECONDS = 2  # libpq's minimum; an outage must never hold an answer for long
POOL_TIMEOUT_SECONDS = 2
SQLITE_BUSY_TIMEOUT_SECONDS = 15
# PostgreSQL sessions of `rolebot serve` (make_engine(bounded=True)): no statement runs longer,
# and no lock is waited for longer, than this, both under Slack's 3 s ack budget. The request
# path gives up sooner still (a 1 s deadline, see bot/storage/database.py); these make an
# abandoned call end and free its connection. Schema migrations lift them for their own
# transaction (bot/storage/migrations.schema_lock).
STATEMENT_TIMEOUT_MS = 2000
LOCK_TIMEOUT_MS = 1000
IDLE_IN_TRANSACTION_TIMEOUT_MS = 10000
# A peer that vanished without a FIN/RST: TCP keepalive probes find it within ~10 s idle, and
# unacknowledged writes are abandoned after TCP_USER_TIMEOUT_MS.
KEEPALIVE = {"keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 2, "keepalives_count": 2}
TCP_USER_TIMEOUT_MS = 5000


class StorageError(Exception):
    """The database is unreachable or unusable; the message says which and why."""


def normalize_url(url: str) -> str:
    """`postgres://` and bare `postgresql://` → `postgresql+psycopg2://`; anything else as is."""
    url = url.strip()
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg2://" + url[len(prefix) :]
    return url


def database_url(settings: Settings) -> URL:
    """The URL this deployment stores into: DATABASE_URL if set, else the SQLite file."""
    if settings.database_url:
        try:
            return make_url(normalize_url(settings.database_url))
        except Exception as exc:  # sqlalchemy raises ArgumentError / ValueError
            raise StorageError(f"DATABASE_URL is not a database URL ({exc})") from exc
    path = settings.db_path or settings.data_dir / "rolebot.db"
    return URL.create("sqlite+pysqlite", database=str(path))


def describe(url: URL | str) -> str:
    """The URL without its password, for logs and error messages."""
    return make_url(url).render_as_string(hide_password=True)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(url: URL | str, *, bounded: bool = False) -> Engine:
    """An engine that checks connections before use and gives up quickly when the server is
    down. SQLite gets real transactions (BEGIN IMMEDIATE: one writer at a time, waiting up to
    the busy timeout) and WAL so that readers do not block the bot. `bounded` (the bot, not the
    command line's reports): PostgreSQL statement, lock and idle-transaction timeouts."""
    url = make_url(normalize_url(url) if isinstance(url, str) else url)
    kwargs: dict[str, Any] = {"pool_pre_ping": True}
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            try:
                Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:  # the connect that follows fails and says where
                log.warning("cannot create the folder for %s: %s", url.database, exc)
        kwargs["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_SECONDS}
        engine = create_engine(url, **kwargs)
        _sqlite_transactions(engine)
        return engine
    kwargs["pool_timeout"] = POOL_TIMEOUT_SECONDS
    if url.get_driver_name() == "psycopg2":
        connect_args: dict[str, Any] = {
            "connect_timeout": CONNECT_TIMEOUT_SECONDS,
            "application_name": "rolebot",
            **KEEPALIVE,
            "tcp_user_timeout": TCP_USER_TIMEOUT_MS,
        }
        if bounded:
            limits = (
                f"-c statement_timeout={STATEMENT_TIMEOUT_MS} -c lock_timeout={LOCK_TIMEOUT_MS} "
                f"-c idle_in_transaction_session_timeout={IDLE_IN_TRANSACTION_TIMEOUT_MS}"
            )
            # options given in the URL (tests set search_path there) are kept, ours appended
            given = url.query.get("options")
            given = given if isinstance(given, str) else " ".join(given or ())
            connect_args["options"] = f"{given} {limits}".strip()
            url = url.difference_update_query(["options"])
        kwargs["connect_args"] = connect_args
    return create_engine(url, **kwargs)


def _sqlite_transactions(engine: Engine) -> None:
    """The SQLAlchemy-documented recipe: sqlite3 stops emitting BEGIN itself (it skips it before
    DDL, which would make migrations non-atomic) and we emit BEGIN IMMEDIATE."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys=ON")
            _use_wal(cursor)
            # In WAL mode NORMAL never corrupts the file; it only skips the fsync per commit
            # (a power cut may lose the last writes), which otherwise holds the write lock
            # long enough to delay the de-duplication insert in front of every event's ack.
            cursor.execute("PRAGMA synchronous=NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _use_wal(cursor: Any, attempts: int = 20) -> None:
    """Switch the file to write-ahead logging (persistent, so usually already done). The switch
    needs an exclusive lock and ignores the busy timeout, so connections opening together
    retry; if it never succeeds the default journal is fine, only slower under load."""
    for attempt in range(attempts):
        try:
            mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
            if str(mode).lower() in {"wal", "memory"}:
                return
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            time.sleep(0.05 * (attempt + 1))
    log.warning("SQLite stays in its default journal mode: the file was busy")


def upsert(
    dialect: str, table: Table, row: dict[str, Any], keys: list[Column], update: list[str]
) -> Executable:
    """INSERT … ON CONFLICT (keys) DO UPDATE SET update-columns (PostgreSQL and SQLite): of
    two replicas writing the same key at once, neither fails and the later write wins."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    else:
        raise NotImplementedError(f"rolebot stores into PostgreSQL or SQLite, not {dialect}")
    statement = dialect_insert(table).values(row)
    return statement.on_conflict_do_update(
        index_elements=keys, set_={name: statement.excluded[name] for name in update}
    )
