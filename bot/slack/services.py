"""What the listeners need, injected once: the engine, the stores and the settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from bot.recording import Deduplicator, Recorder
from bot.settings import Settings
from bot.slack.threads import ConversationStore
from bot.types import Answer
from knowledge.model import Knowledge

if TYPE_CHECKING:
    from bot.storage.report import ReportSummary

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

    @property
    def knowledge(self) -> Knowledge:
        return self.engine.knowledge
