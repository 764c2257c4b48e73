"""Event de-duplication shared by every replica: the first insert of an event id wins.

`seen_events.event_id` is the primary key, so of two replicas handed the same retried event
exactly one insert succeeds. Rows older than the expiry window are deleted (the expired row
for this id in the same transaction, all expired rows now and then), after which the id is
accepted again. When the database cannot be reached, an in-process MemoryDeduplicator takes
over (logged): duplicates across replicas become possible, but answers keep flowing.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, insert
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from bot.recording import MemoryDeduplicator
from bot.storage.recorder import OutageLog
from bot.storage.schema import seen_events

log = logging.getLogger(__name__)

DEFAULT_TTL_SECONDS = 3600.0  # Slack retries within minutes; an hour is ample
PURGE_EVERY_SECONDS = 60.0


class DbDeduplicator:
    """Implements bot.recording.Deduplicator on a migrated database."""

    def __init__(
        self,
        engine: Engine,
        ttl_seconds: float = DEFAULT_TTL_SECONDS,
        fallback: MemoryDeduplicator | None = None,
    ) -> None:
        self._engine = engine
        self._ttl = timedelta(seconds=ttl_seconds)
        self._fallback = fallback or MemoryDeduplicator(ttl_seconds)
        self._outage = OutageLog(log)
        self._next_purge = 0.0
        self._purge_lock = threading.Lock()

    def first_time(self, event_id: str, now: datetime | None = None) -> bool:
        now = now or datetime.now(UTC)
        cutoff = now - self._ttl
        try:
            self._purge(cutoff)
            with self._engine.begin() as conn:
                conn.execute(
                    delete(seen_events).where(
                        seen_events.c.event_id == event_id, seen_events.c.seen_at < cutoff
                    )
                )
                conn.execute(insert(seen_events).values(event_id=event_id, seen_at=now))
        except IntegrityError:
            self._outage.succeeded()
            return False
        except SQLAlchemyError:
            self._outage.failed("event %s checked in memory only", event_id)
            return self._fallback.first_time(event_id)
        self._outage.succeeded()
        return True

    def purge(self, now: datetime | None = None) -> int:
        """Delete the expired rows now; return how many went."""
        cutoff = (now or datetime.now(UTC)) - self._ttl
        with self._engine.begin() as conn:
            result = conn.execute(delete(seen_events).where(seen_events.c.seen_at < cutoff))
        return result.rowcount or 0

    def _purge(self, cutoff: datetime) -> None:
        """At most once a minute per process, so the table stays small without a cron job."""
        with self._purge_lock:
            if time.monotonic() < self._next_purge:
                return
            self._next_purge = time.monotonic() + PURGE_EVERY_SECONDS
        with self._engine.begin() as conn:
            conn.execute(delete(seen_events).where(seen_events.c.seen_at < cutoff))
