"""Event de-duplication shared by every replica: the first insert of an event id wins.

`seen_events.event_id` is the primary key, so of two replicas handed the same retried event
exactly one insert succeeds. Rows older than the expiry window are deleted (the expired row
for this id in the same transaction, all expired rows now and then), after which the id is
accepted again. When the database cannot be reached or is slow, an in-process
MemoryDeduplicator takes over (logged): duplicates across replicas become possible, but answers
keep flowing and every event is acked in time.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, delete, insert
from sqlalchemy.exc import IntegrityError

from bot.recording import MemoryDeduplicator
from bot.storage.database import UNAVAILABLE, Database
from bot.storage.schema import seen_events

log = logging.getLogger(__name__)

DEFAULT_TTL_SECONDS = 3600.0  # Slack retries within minutes; an hour is ample
PURGE_EVERY_SECONDS = 60.0


class DbDeduplicator:
    """Implements bot.recording.Deduplicator on a Database. Runs before every event's ack, so
    the database gets at most Database.budget seconds (bot/storage/database.py says why the
    check stays before the ack); beyond that, or while the database is down or not ready, the
    in-process MemoryDeduplicator decides alone; it is told every id this process saw, so that
    it knows the events of before an outage."""

    def __init__(
        self,
        db: Database,
        ttl_seconds: float = DEFAULT_TTL_SECONDS,
        memory: MemoryDeduplicator | None = None,
    ) -> None:
        self._db = db
        self._ttl = timedelta(seconds=ttl_seconds)
        self._memory = memory or MemoryDeduplicator(ttl_seconds)
        self._next_purge = 0.0
        self._purge_lock = threading.Lock()

    def first_time(self, event_id: str, now: datetime | None = None) -> bool:
        now = now or datetime.now(UTC)
        cutoff = now - self._ttl

        def insert_once(conn: Connection) -> None:
            self._purge(conn, cutoff)
            conn.execute(
                delete(seen_events).where(
                    seen_events.c.event_id == event_id, seen_events.c.seen_at < cutoff
                )
            )
            conn.execute(insert(seen_events).values(event_id=event_id, seen_at=now))

        try:
            inserted = self._db.run(f"event {event_id} checked in this process only", insert_once)
        except IntegrityError:
            self._memory.first_time(event_id)  # remembered here too, for an outage to come
            return False  # another replica (or an earlier life of this one) has it
        seen_here_first = self._memory.first_time(event_id)
        return seen_here_first if inserted is UNAVAILABLE else True

    def purge(self, now: datetime | None = None) -> int:
        """Delete the expired rows now; return how many went."""
        cutoff = (now or datetime.now(UTC)) - self._ttl
        with self._db.engine.begin() as conn:
            result = conn.execute(delete(seen_events).where(seen_events.c.seen_at < cutoff))
        return result.rowcount or 0

    def _purge(self, conn: Connection, cutoff: datetime) -> None:
        """At most once a minute per process, so the table stays small without a cron job."""
        with self._purge_lock:
            if time.monotonic() < self._next_purge:
                return
            self._next_purge = time.monotonic() + PURGE_EVERY_SECONDS
        conn.execute(delete(seen_events).where(seen_events.c.seen_at < cutoff))
