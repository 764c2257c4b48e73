"""Where questions, votes and seen events go. The Slack app and the CLI depend only on these
interfaces; the database-backed versions live in bot/storage/, the defaults below keep
everything in the process (a single instance, nothing kept across restarts)."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from bot.types import Answer

log = logging.getLogger(__name__)

SURFACES = ("mention", "dm", "thread", "command", "cli")


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class QuestionRecord:
    id: str  # chosen by the caller (uuid4 hex) so votes can point at it even if storage failed
    surface: str  # one of SURFACES
    question: str
    answered: bool
    section_path: tuple[str, ...]
    score: float | None
    latency_ms: float
    workspace: str | None = None
    channel: str | None = None
    user: str | None = None  # Slack user id only; never a name or a token
    at: datetime = field(default_factory=_now)


@dataclass(frozen=True)
class Vote:
    question_id: str
    vote: str  # "up" or "down"
    workspace: str | None = None
    user: str | None = None
    at: datetime = field(default_factory=_now)


class Recorder(Protocol):
    def record_question(self, record: QuestionRecord) -> None: ...

    def record_vote(self, vote: Vote) -> None: ...


class Deduplicator(Protocol):
    def first_time(self, event_id: str) -> bool:
        """True the first time an event id is seen (within the expiry window), else False."""
        ...


class MemoryDeduplicator:
    """Event ids seen by this process in the last `ttl_seconds`."""

    def __init__(self, ttl_seconds: float = 3600.0) -> None:
        self._ttl = ttl_seconds
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()

    def first_time(self, event_id: str) -> bool:
        now = time.monotonic()
        with self._lock:
            if len(self._seen) > 10_000:
                self._seen = {k: t for k, t in self._seen.items() if now - t < self._ttl}
            seen_at = self._seen.get(event_id)
            if seen_at is not None and now - seen_at < self._ttl:
                return False
            self._seen[event_id] = now
            return True


def question_record(
    answer: Answer,
    *,
    surface: str,
    latency_ms: float,
    workspace: str | None = None,
    channel: str | None = None,
    user: str | None = None,
    record_id: str | None = None,
) -> QuestionRecord:
    """A QuestionRecord for an engine Answer: the cited section of the best match (empty when
    declined) and the engine's confidence as the score. Used by the CLI and the Slack app."""
    best = answer.best
    return QuestionRecord(
        id=record_id or uuid.uuid4().hex,
        surface=surface,
        question=answer.question,
        answered=answer.answered,
        section_path=tuple(best.citation.section_path) if best and answer.answered else (),
        score=answer.confidence,
        latency_ms=latency_ms,
        workspace=workspace,
        channel=channel,
        user=user,
    )
