"""What the listeners need, injected once: the engine, the stores and the settings."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Protocol

from bot.answers import AnswerService
from bot.recording import Deduplicator, Recorder
from bot.settings import Settings
from bot.slack.threads import ConversationStore
from bot.types import Answer
from knowledge.model import Knowledge

if TYPE_CHECKING:
    from bot.storage.report import ReportSummary

log = logging.getLogger(__name__)
ANSWER_WORKERS = 4

# The `/role admin stats` summary (bot.storage.report.recent_summary on the database);
# raises when the database cannot be read.
StatsSource = Callable[[], "ReportSummary"]


class AnswerEngine(Protocol):
    """What the Slack layer uses of bot.engine.Engine (a fake in unit tests)."""

    knowledge: Knowledge

    def answer(self, question: str) -> Answer: ...


@dataclass(frozen=True)
class Services:
    engine: AnswerEngine
    recorder: Recorder
    deduplicator: Deduplicator
    conversations: ConversationStore
    settings: Settings
    stats: StatsSource | None = None  # None: no database behind this app
    # Slow work (the engine, Web API calls) runs here, not on Bolt's listener threads: those
    # also run every command's ack(), which must never queue behind answers being computed.
    work: Executor = field(
        default_factory=lambda: ThreadPoolExecutor(ANSWER_WORKERS, "rolebot-answer")
    )

    @property
    def knowledge(self) -> Knowledge:
        return self.engine.knowledge

    @cached_property
    def answers(self) -> AnswerService:
        """Every surface answers through this: timed, recorded once (bot/answers.py)."""
        return AnswerService(self.engine, self.recorder)

    def later(self, job: Callable[..., object], *args: object) -> None:
        """Run `job(*args)` on the answer pool; an exception it lets through is logged."""
        self.work.submit(job, *args).add_done_callback(_log_failure)


def _log_failure(future: Future[object]) -> None:
    error = future.exception()
    if error is not None:
        log.error("background answer failed", exc_info=error)
