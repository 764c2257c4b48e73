"""Schema creation and upgrades, recorded in a `schema_version` table.

Why not Alembic: rolebot owns a few small tables and upgrades them in the process at startup,
on SQLite or PostgreSQL. Alembic would add a dependency, an `alembic.ini`, a versions folder
and a second way to run the app for what is here an ordered list of functions. The mechanism:

- `MIGRATIONS` is an ordered tuple of (version, description, function). Each function builds
  the tables *as they were at that version* from its own definitions (never from schema.py,
  which only describes the newest shape), so replaying old migrations stays correct.
- Each pending migration runs in its own transaction together with the insert of its
  `schema_version` row: it applies completely or not at all (PostgreSQL and, with the
  BEGIN IMMEDIATE set up in db.py, SQLite both have transactional DDL).
- Replicas starting together serialise on a transaction-scoped advisory lock (PostgreSQL) or
  the write lock (SQLite) and re-read the version under it, so each migration runs once.
- A database newer than this code (a rolling deploy) is logged and left alone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    DateTime,
    Engine,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    delete,
    func,
    insert,
    inspect,
    select,
    text,
)

from bot.storage.schema import schema_version

log = logging.getLogger(__name__)

ADVISORY_LOCK_KEY = 0x726F6C65  # "role": one key for all of rolebot's schema changes


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[Connection], None]


def _v1_questions_and_votes(conn: Connection) -> None:
    meta = MetaData()
    Table(
        "questions",
        meta,
        Column("id", String(64), primary_key=True),
        Column("at", DateTime, nullable=False, index=True),
        Column("workspace", String(64)),
        Column("channel", String(64)),
        Column("user_id", String(64)),
        Column("surface", String(16), nullable=False),
        Column("question", Text, nullable=False),
        Column("answered", Boolean, nullable=False),
        Column("section_path", Text, nullable=False),
        Column("score", Float),
        Column("latency_ms", Float, nullable=False),
    )
    Table(
        "votes",
        meta,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("question_id", String(64), nullable=False, index=True),
        Column("vote", String(8), nullable=False),
        Column("workspace", String(64)),
        Column("user_id", String(64)),
        Column("at", DateTime, nullable=False),
    )
    meta.create_all(conn, checkfirst=False)


def _v2_seen_events(conn: Connection) -> None:
    meta = MetaData()
    Table(
        "seen_events",
        meta,
        Column("event_id", String(255), primary_key=True),
        Column("seen_at", DateTime, nullable=False),
        Index("ix_seen_events_seen_at", "seen_at"),
    )
    meta.create_all(conn, checkfirst=False)


def _v3_one_vote_per_user(conn: Connection) -> None:
    """Keep each user's latest vote on a question (the highest id: inserted last), then make a
    second one impossible. A unique index rather than a table constraint: SQLite cannot add a
    constraint to an existing table, and to both databases the index is the constraint. Votes
    without a user id (none are cast that way) stay apart: NULLs are never equal."""
    meta = MetaData()
    votes = Table(
        "votes",
        meta,
        Column("id", Integer, primary_key=True),
        Column("question_id", String(64)),
        Column("user_id", String(64)),
    )
    latest = (
        select(func.max(votes.c.id))
        .where(votes.c.user_id.is_not(None))
        .group_by(votes.c.question_id, votes.c.user_id)
    )
    conn.execute(delete(votes).where(votes.c.user_id.is_not(None), votes.c.id.not_in(latest)))
    Index("uq_votes_question_user", votes.c.question_id, votes.c.user_id, unique=True).create(conn)


def _v4_conversations(conn: Connection) -> None:
    meta = MetaData()
    Table(
        "conversation_threads",
        meta,
        Column("channel", String(64), primary_key=True),
        Column("thread_ts", String(32), primary_key=True),
        Column("at", DateTime, nullable=False),
        Index("ix_conversation_threads_at", "at"),
    )
    Table(
        "conversation_answers",
        meta,
        Column("channel", String(64), primary_key=True),
        Column("question_ts", String(32), primary_key=True),
        Column("answer_channel", String(64), nullable=False),
        Column("answer_ts", String(32), nullable=False),
        Column("surface", String(16), nullable=False),
        Column("at", DateTime, nullable=False),
        Index("ix_conversation_answers_at", "at"),
    )
    meta.create_all(conn, checkfirst=False)


def _v5_kept_replies(conn: Connection) -> None:
    meta = MetaData()
    Table(
        "kept_replies",
        meta,
        Column("key", String(64), primary_key=True),
        Column("text", Text, nullable=False),
        Column("blocks", Text, nullable=False),
        Column("at", DateTime, nullable=False),
        Index("ix_kept_replies_at", "at"),
    )
    meta.create_all(conn, checkfirst=False)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "question log and feedback votes", _v1_questions_and_votes),
    Migration(2, "seen_events for de-duplication across replicas", _v2_seen_events),
    Migration(3, "one vote per user and question (the latest)", _v3_one_vote_per_user),
    Migration(4, "threads answered and answers posted, for every replica", _v4_conversations),
    Migration(5, "private /role replies kept for Share in channel", _v5_kept_replies),
)
LATEST = MIGRATIONS[-1].version


@contextmanager
def schema_lock(engine: Engine) -> Iterator[Connection]:
    """A transaction that holds rolebot's schema lock until it ends."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # the bot's sessions bound statements and lock waits (bot/storage/db.py); waiting
            # for another replica's upgrade, or upgrading a big table, may take longer
            conn.execute(text("SET LOCAL statement_timeout = 0"))
            conn.execute(text("SET LOCAL lock_timeout = 0"))
            conn.execute(select(func.pg_advisory_xact_lock(ADVISORY_LOCK_KEY)))
        yield conn


def current_version(conn: Connection) -> int:
    """0 for an empty database."""
    if not inspect(conn).has_table(schema_version.name):
        return 0
    return conn.execute(select(func.max(schema_version.c.version))).scalar() or 0


def migrate(
    engine: Engine,
    migrations: tuple[Migration, ...] = MIGRATIONS,
    target: int | None = None,
) -> int:
    """Apply the pending migrations up to `target` (default: all); return the version reached."""
    with engine.connect() as conn:
        version = current_version(conn)
    known = migrations[-1].version if migrations else 0
    if version > known:
        log.warning("database schema v%d is newer than this rolebot (v%d)", version, known)
        return version
    for migration in sorted(migrations, key=lambda m: m.version):
        if target is not None and migration.version > target:
            break
        if migration.version <= version:
            continue
        with schema_lock(engine) as conn:
            schema_version.create(conn, checkfirst=True)
            version = current_version(conn)  # another replica may have got here first
            if migration.version <= version:
                continue
            migration.apply(conn)
            conn.execute(
                insert(schema_version).values(
                    version=migration.version,
                    description=migration.description,
                    applied_at=datetime.now(UTC),
                )
            )
            version = migration.version
            log.info("database schema upgraded to v%d: %s", version, migration.description)
    return version
