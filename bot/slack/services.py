"""What the listeners need, injected once: the engine, the stores and the settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.recording import Deduplicator, Recorder
from bot.settings import Settings
from bot.slack.threads import ConversationStore
from bot.types import Answer
from knowledge.model import Knowledge


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

    @property
    def knowledge(self) -> Knowledge:
        return self.engine.knowledge
