"""The answer service: one for every surface (Slack mentions, DMs, threads, `/role`, edits, and
the command line). It times the engine's answer, gives it the id votes will point at, decides
whether it belongs in the question log, and records it there once.

    service = AnswerService(engine, recorder)
    answered = service.ask("Who owns the roadmap?", Asker("mention", channel="C1", user="U1"))
    answered.answer, answered.question_id, answered.latency_ms

The command line prints before it records (the database may be slow to open): it calls
`answer()`, prints, then `record()`. Either way the decision and the record are made here.
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass
from typing import Protocol

from bot.recording import Recorder, question_record
from bot.types import Answer, Outcome

log = logging.getLogger(__name__)

# Not questions, so neither in the question log nor in its knowledge gaps: a greeting or a
# thank-you (answered in kind), and an empty, oversized or letterless message.
NOT_RECORDED = frozenset({Outcome.COURTESY, Outcome.INVALID})


class Engine(Protocol):
    def answer(self, question: str) -> Answer: ...


@dataclass(frozen=True)
class Asker:
    """Where a question came from: a surface (bot.recording.SURFACES) and Slack ids."""

    surface: str
    workspace: str | None = None
    channel: str | None = None
    user: str | None = None


@dataclass(frozen=True)
class Answered:
    answer: Answer
    question_id: str  # the question log's id for it; feedback buttons carry it
    latency_ms: float
    asker: Asker

    @property
    def recordable(self) -> bool:
        return self.answer.outcome not in NOT_RECORDED


class AnswerService:
    def __init__(self, engine: Engine, recorder: Recorder) -> None:
        self.engine = engine
        self._recorder = recorder

    def ask(self, question: str, asker: Asker) -> Answered:
        """Answer and record (when it is a question): what Slack does."""
        answered = self.answer(question, asker)
        self.record(answered)
        return answered

    def answer(self, question: str, asker: Asker) -> Answered:
        started = time.perf_counter()
        answer = self.engine.answer(question)
        latency_ms = (time.perf_counter() - started) * 1000
        return Answered(answer, uuid.uuid4().hex, latency_ms, asker)

    def record(self, answered: Answered) -> None:
        """Into the question log, unless it is no question; a failure is logged, never raised
        (the answer matters more than its record)."""
        if not answered.recordable:
            return
        asker = answered.asker
        try:
            self._recorder.record_question(
                question_record(
                    answered.answer,
                    surface=asker.surface,
                    latency_ms=answered.latency_ms,
                    workspace=asker.workspace,
                    channel=asker.channel,
                    user=asker.user,
                    record_id=answered.question_id,
                )
            )
        except Exception:
            log.exception(
                "could not record question %s (surface=%s)", answered.question_id, asker.surface
            )
