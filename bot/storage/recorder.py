"""The database-backed Recorder: every question and every vote, never at the cost of an answer.

A database error is logged (the first with its traceback, then one line each until the
database answers again) and swallowed: the caller has already answered or is about to.
"""

from __future__ import annotations

import logging
import re
import threading

from sqlalchemy import Engine, Executable, insert
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from bot.recording import SURFACES, QuestionRecord, Vote
from bot.storage.schema import join_path, questions, votes

log = logging.getLogger(__name__)

VOTES = ("up", "down")
# Slack tokens pasted into a question are not kept (bot/user/app/config/refresh tokens).
_TOKEN = re.compile(r"\b(?:xox[abposre]|xapp|xoxe\.xox[bp])-[A-Za-z0-9-]+")
REDACTED = "[token removed]"


def redact(text: str) -> str:
    return _TOKEN.sub(REDACTED, text)


class OutageLog:
    """Logs a database failure once with its traceback, then one line per failure, and
    notes when the database is back."""

    def __init__(self, logger: logging.Logger) -> None:
        self._log = logger
        self._down = False
        self._lock = threading.Lock()

    def failed(self, what: str, *args: object) -> None:
        with self._lock:
            first, self._down = not self._down, True
        if first:
            self._log.exception("database unavailable: " + what, *args)
        else:
            self._log.warning("database still unavailable: " + what, *args)

    def succeeded(self) -> None:
        if self._down:
            with self._lock:
                self._down = False
            self._log.warning("database available again")


def upsert_vote(dialect: str, row: dict[str, object]) -> Executable:
    """INSERT … ON CONFLICT (question_id, user_id) DO UPDATE: the latest vote wins."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    else:
        raise NotImplementedError(f"votes need PostgreSQL or SQLite, not {dialect}")
    statement = dialect_insert(votes).values(row)
    excluded = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=[votes.c.question_id, votes.c.user_id],
        set_={"vote": excluded.vote, "workspace": excluded.workspace, "at": excluded.at},
    )


class DbRecorder:
    """Implements bot.recording.Recorder on a migrated database."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._outage = OutageLog(log)

    def record_question(self, record: QuestionRecord) -> None:
        if record.surface not in SURFACES:
            log.warning("question %s has an unknown surface %r", record.id, record.surface)
        row = {
            "id": record.id,
            "at": record.at,
            "workspace": record.workspace,
            "channel": record.channel,
            "user_id": record.user,
            "surface": record.surface,
            "question": redact(record.question),
            "answered": record.answered,
            "section_path": join_path(record.section_path),
            "score": record.score,
            "latency_ms": record.latency_ms,
        }
        try:
            with self._engine.begin() as conn:
                conn.execute(insert(questions).values(row))
        except IntegrityError:
            log.warning("question %s was already recorded; keeping the first", record.id)
        except SQLAlchemyError:
            self._outage.failed("question %s (surface=%s) not recorded", record.id, record.surface)
        else:
            self._outage.succeeded()

    def record_vote(self, vote: Vote) -> None:
        """One vote per user and question: a changed vote replaces the earlier one. The unique
        index on (question_id, user_id) decides between two clicks racing on two replicas: the
        insert of the later one turns into an update of the row."""
        if vote.vote not in VOTES:
            log.warning("ignoring vote %r on question %s", vote.vote, vote.question_id)
            return
        row = {
            "question_id": vote.question_id,
            "vote": vote.vote,
            "workspace": vote.workspace,
            "user_id": vote.user,
            "at": vote.at,
        }
        try:
            with self._engine.begin() as conn:
                conn.execute(upsert_vote(conn.dialect.name, row))
        except SQLAlchemyError:
            self._outage.failed("vote on question %s not recorded", vote.question_id)
        else:
            self._outage.succeeded()
