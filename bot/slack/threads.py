"""What the bot remembers about its conversations: threads it answered in, and which answer
belongs to which question (to update it when the question is edited).

In memory for now (bounded, one process); the interface is small so it can move to the DB.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class PostedAnswer:
    channel: str
    ts: str
    surface: str


class ConversationStore(Protocol):
    def mark_thread(self, channel: str, thread_ts: str) -> None: ...

    def is_answered_thread(self, channel: str, thread_ts: str) -> bool: ...

    def remember_answer(self, channel: str, question_ts: str, answer: PostedAnswer) -> None: ...

    def answer_for(self, channel: str, question_ts: str) -> PostedAnswer | None: ...


class MemoryConversationStore:
    """Keeps the most recent `capacity` threads and answers of this process."""

    def __init__(self, capacity: int = 50_000) -> None:
        self._capacity = capacity
        self._threads: OrderedDict[tuple[str, str], None] = OrderedDict()
        self._answers: OrderedDict[tuple[str, str], PostedAnswer] = OrderedDict()
        self._lock = threading.Lock()

    def _trim(self, store: OrderedDict) -> None:
        while len(store) > self._capacity:
            store.popitem(last=False)

    def mark_thread(self, channel: str, thread_ts: str) -> None:
        with self._lock:
            self._threads[(channel, thread_ts)] = None
            self._threads.move_to_end((channel, thread_ts))
            self._trim(self._threads)

    def is_answered_thread(self, channel: str, thread_ts: str) -> bool:
        with self._lock:
            return (channel, thread_ts) in self._threads

    def remember_answer(self, channel: str, question_ts: str, answer: PostedAnswer) -> None:
        with self._lock:
            self._answers[(channel, question_ts)] = answer
            self._trim(self._answers)

    def answer_for(self, channel: str, question_ts: str) -> PostedAnswer | None:
        with self._lock:
            return self._answers.get((channel, question_ts))
