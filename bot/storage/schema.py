"""The current shape of rolebot's tables (SQLAlchemy Core). Queries use these; migrations.py
builds each version's tables from its own frozen definitions, and a test checks the two agree.

Nothing here holds a token or a person's name: Slack ids only (workspace, channel, user).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Dialect,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.types import TypeDecorator

SEPARATOR = " › "  # how a section path is stored: document title first, as bot.evaluate joins it

metadata = MetaData()


class UtcDateTime(TypeDecorator[datetime]):
    """Stored as naive UTC (SQLite has no time zones; PostgreSQL `timestamp` would otherwise
    depend on the session's zone), always handed back aware in UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("description", String(200), nullable=False),
    Column("applied_at", UtcDateTime, nullable=False),
)

questions = Table(
    "questions",
    metadata,
    Column("id", String(64), primary_key=True),  # chosen by the caller (uuid4 hex)
    Column("at", UtcDateTime, nullable=False, index=True),
    Column("workspace", String(64)),
    Column("channel", String(64)),
    Column("user_id", String(64)),
    Column("surface", String(16), nullable=False),
    Column("question", Text, nullable=False),
    Column("answered", Boolean, nullable=False),
    Column("section_path", Text, nullable=False),  # joined with SEPARATOR; "" when declined
    Column("score", Float),
    Column("latency_ms", Float, nullable=False),
)

# No foreign key to questions: a vote is kept even when its question could not be recorded
# (the id is chosen before storage is tried). Reports join on question_id. One vote per user
# and question: a changed vote overwrites the row (uq_votes_question_user, migration 3).
votes = Table(
    "votes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("question_id", String(64), nullable=False, index=True),
    Column("vote", String(8), nullable=False),  # "up" or "down"
    Column("workspace", String(64)),
    Column("user_id", String(64)),
    Column("at", UtcDateTime, nullable=False),
    Index("uq_votes_question_user", "question_id", "user_id", unique=True),
)

seen_events = Table(
    "seen_events",
    metadata,
    Column("event_id", String(255), primary_key=True),
    Column("seen_at", UtcDateTime, nullable=False),
    Index("ix_seen_events_seen_at", "seen_at"),
)

# Conversations (bot.slack.threads.ConversationStore): the threads the bot has posted in, so a
# follow-up there is answered without a mention, and which message answers which question, so
# an edited question updates its answer; on any replica, across restarts. Rows expire
# (bot/storage/conversations.py).
conversation_threads = Table(
    "conversation_threads",
    metadata,
    Column("channel", String(64), primary_key=True),
    Column("thread_ts", String(32), primary_key=True),
    Column("at", UtcDateTime, nullable=False),
    Index("ix_conversation_threads_at", "at"),
)

conversation_answers = Table(
    "conversation_answers",
    metadata,
    Column("channel", String(64), primary_key=True),  # the question's channel and ts
    Column("question_ts", String(32), primary_key=True),
    Column("answer_channel", String(64), nullable=False),
    Column("answer_ts", String(32), nullable=False),
    Column("surface", String(16), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Index("ix_conversation_answers_at", "at"),
)

# Private `/role` replies waiting for "Share in channel": shared as they were shown.
kept_replies = Table(
    "kept_replies",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("text", Text, nullable=False),
    Column("blocks", Text, nullable=False),  # JSON
    Column("at", UtcDateTime, nullable=False),
    Index("ix_kept_replies_at", "at"),
)


def join_path(path: tuple[str, ...] | list[str]) -> str:
    return SEPARATOR.join(path)


def split_path(joined: str) -> tuple[str, ...]:
    return tuple(joined.split(SEPARATOR)) if joined else ()
