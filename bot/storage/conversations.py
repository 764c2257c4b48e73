"""bot.slack.threads.ConversationStore in the database, shared by every replica and kept across
restarts: the threads the bot answered in, which message answers which question, and private
`/role` replies kept for their "Share in channel" button.

Every write also goes to an in-process MemoryConversationStore, and every read asks it first:
this process finds what it did itself without a round trip, and while the database is down
(logged by bot.storage.database.Database) conversations live in memory only; what was
remembered then is written to the database when it is back (up to PENDING_LIMIT writes), so
the other replicas learn it too. Rows expire after
`ttl` (30 days by default: follow-ups and edits come within days); expired rows are ignored at
once and deleted now and then by whichever replica writes, so no cron job is needed.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Table, delete, select

from bot.slack.threads import KeptReply, MemoryConversationStore, PostedAnswer
from bot.storage.database import UNAVAILABLE, Database
from bot.storage.db import upsert
from bot.storage.schema import conversation_answers, conversation_threads, kept_replies

log = logging.getLogger(__name__)

DEFAULT_TTL = timedelta(days=30)
PURGE_EVERY_SECONDS = 3600.0
PENDING_LIMIT = 10_000  # writes kept for the database's return; the oldest go first
THREAD_KEYS = ("channel", "thread_ts")
ANSWER_KEYS = ("channel", "question_ts")


@dataclass(frozen=True)
class Upsert:
    """One row to insert or, when its key exists, update."""

    table: Table
    row: dict[str, Any]
    keys: tuple[str, ...]
    update: tuple[str, ...]

    def execute(self, conn: Connection) -> None:
        keys = [self.table.c[name] for name in self.keys]
        conn.execute(upsert(conn.dialect.name, self.table, self.row, keys, list(self.update)))


class DbConversationStore:
    """Implements bot.slack.threads.ConversationStore on a Database."""

    def __init__(
        self,
        db: Database,
        ttl: timedelta = DEFAULT_TTL,
        memory: MemoryConversationStore | None = None,
    ) -> None:
        self._db = db
        self._ttl = ttl
        self._memory = memory or MemoryConversationStore()
        self._next_purge = 0.0
        self._purge_lock = threading.Lock()
        self._pending: deque[Upsert] = deque(maxlen=PENDING_LIMIT)
        self._catch_up_lock = threading.Lock()
        db.when_back(self._catch_up)

    def mark_thread(self, channel: str, thread_ts: str) -> None:
        self._memory.mark_thread(channel, thread_ts)
        row = {"channel": channel, "thread_ts": thread_ts, "at": datetime.now(UTC)}
        what = f"thread {channel}/{thread_ts} remembered in this process only"
        self._write(what, Upsert(conversation_threads, row, THREAD_KEYS, ("at",)))

    def is_answered_thread(self, channel: str, thread_ts: str) -> bool:
        if self._memory.is_answered_thread(channel, thread_ts):
            return True

        def read(conn: Connection) -> bool:
            found = conn.execute(
                select(conversation_threads.c.at).where(
                    conversation_threads.c.channel == channel,
                    conversation_threads.c.thread_ts == thread_ts,
                    conversation_threads.c.at >= self._cutoff(),
                )
            ).first()
            return found is not None

        found = self._db.run(f"thread {channel}/{thread_ts} looked up in this process only", read)
        return found is True

    def remember_answer(self, channel: str, question_ts: str, answer: PostedAnswer) -> None:
        self._memory.remember_answer(channel, question_ts, answer)
        row = {
            "channel": channel,
            "question_ts": question_ts,
            "answer_channel": answer.channel,
            "answer_ts": answer.ts,
            "surface": answer.surface,
            "at": datetime.now(UTC),
        }
        update = ("answer_channel", "answer_ts", "surface", "at")
        what = f"answer to {channel}/{question_ts} remembered in this process only"
        self._write(what, Upsert(conversation_answers, row, ANSWER_KEYS, update))

    def answer_for(self, channel: str, question_ts: str) -> PostedAnswer | None:
        posted = self._memory.answer_for(channel, question_ts)
        if posted is not None:
            return posted

        def read(conn: Connection) -> PostedAnswer | None:
            row = conn.execute(
                select(
                    conversation_answers.c.answer_channel,
                    conversation_answers.c.answer_ts,
                    conversation_answers.c.surface,
                ).where(
                    conversation_answers.c.channel == channel,
                    conversation_answers.c.question_ts == question_ts,
                    conversation_answers.c.at >= self._cutoff(),
                )
            ).first()
            return PostedAnswer(row[0], row[1], row[2]) if row is not None else None

        what = f"answer to {channel}/{question_ts} looked up in this process only"
        found = self._db.run(what, read)
        return None if found is UNAVAILABLE else found  # type: ignore[return-value]

    def keep_reply(self, key: str, reply: KeptReply) -> None:
        self._memory.keep_reply(key, reply)
        row = {
            "key": key,
            "text": reply.text,
            "blocks": json.dumps(list(reply.blocks), ensure_ascii=False),
            "at": datetime.now(UTC),
        }
        what = f"reply {key} kept in this process only"
        self._write(what, Upsert(kept_replies, row, ("key",), ("text", "blocks")))

    def kept_reply(self, key: str) -> KeptReply | None:
        kept = self._memory.kept_reply(key)
        if kept is not None:
            return kept

        def read(conn: Connection) -> KeptReply | None:
            row = conn.execute(
                select(kept_replies.c.text, kept_replies.c.blocks).where(
                    kept_replies.c.key == key, kept_replies.c.at >= self._cutoff()
                )
            ).first()
            return KeptReply(row[0], tuple(json.loads(row[1]))) if row is not None else None

        found = self._db.run(f"reply {key} looked up in this process only", read)
        return None if found is UNAVAILABLE else found  # type: ignore[return-value]

    def _write(self, what: str, change: Upsert) -> None:
        def write(conn: Connection) -> None:
            change.execute(conn)
            self._purge(conn)

        if self._db.run(what, write) is UNAVAILABLE:
            self._pending.append(change)  # written once the database is back

    def _catch_up(self) -> None:
        """What this process remembered while the database was down goes to the database, so
        that other replicas (and this one after a restart) know it too."""
        with self._catch_up_lock:
            changes = list(self._pending)
            if not changes:
                return

            def write_all(conn: Connection) -> None:
                for change in changes:
                    change.execute(conn)

            what = f"{len(changes)} conversation(s) from the outage still in this process only"
            if self._db.run(what, write_all) is not UNAVAILABLE:
                for _ in changes:
                    self._pending.popleft()
                log.info("%d conversation(s) remembered during the outage written", len(changes))

    def purge(self, now: datetime | None = None) -> int:
        """Delete the expired rows now; return how many went."""
        with self._db.engine.begin() as conn:
            return self._delete_expired(conn, now)

    def _cutoff(self, now: datetime | None = None) -> datetime:
        return (now or datetime.now(UTC)) - self._ttl

    def _purge(self, conn: Connection) -> None:
        with self._purge_lock:
            if time.monotonic() < self._next_purge:
                return
            self._next_purge = time.monotonic() + PURGE_EVERY_SECONDS
        self._delete_expired(conn)

    def _delete_expired(self, conn: Connection, now: datetime | None = None) -> int:
        cutoff = self._cutoff(now)
        gone = 0
        for table in (conversation_threads, conversation_answers, kept_replies):
            gone += conn.execute(delete(table).where(table.c.at < cutoff)).rowcount or 0
        return gone
