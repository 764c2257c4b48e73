"""The database-backed Recorder: every question and every vote, never at the cost of an answer.

A database error is logged (the first with its traceback, then one line each until the
database answers again: bot/storage/database.py) and swallowed: the caller has already
answered or is about to.
"""

from __future__ import annotations

import logging
import re

from sqlalchemy import Connection, insert
from sqlalchemy.exc import IntegrityError

from bot.recording import SURFACES, QuestionRecord, Vote
from bot.storage.database import Database
from bot.storage.db import upsert
from bot.storage.schema import join_path, questions, votes

log = logging.getLogger(__name__)

VOTES = ("up", "down")
# Slack tokens pasted into a question are not kept (bot/user/app/config/refresh tokens).
_TOKEN = re.compile(r"\b(?:xox[abposre]|xapp|xoxe\.xox[bp])-[A-Za-z0-9-]+")
REDACTED = "[token removed]"


def redact(text: str) -> str:
    return _TOKEN.sub(REDACTED, text)


class DbRecorder:
    """Implements bot.recording.Recorder on a Database (bot/storage/database.py): each write
    bounded in time, a failure logged there (lost once, back once) and swallowed."""

    def __init__(self, db: Database) -> None:
        self._db = db

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
        what = f"question {record.id} (surface={record.surface}) not recorded"
        try:
            self._db.run(what, lambda conn: conn.execute(insert(questions).values(row)))
        except IntegrityError:
            log.warning("question %s was already recorded; keeping the first", record.id)

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
        keys = [votes.c.question_id, votes.c.user_id]

        def write(conn: Connection) -> None:
            conn.execute(upsert(conn.dialect.name, votes, row, keys, ["vote", "workspace", "at"]))

        self._db.run(f"vote on question {vote.question_id} not recorded", write)
