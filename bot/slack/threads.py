"""What the bot remembers about its conversations: threads it answered in, which answer
belongs to which question (to update it when the question is edited), and private `/role`
replies waiting for their "Share in channel" click (shared as they were, not recomputed).

MemoryConversationStore keeps them in this process (bounded); bot.storage.conversations keeps
them in the database, for every replica and across restarts.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class PostedAnswer:
    channel: str
    ts: str
    surface: str


@dataclass(frozen=True)
class KeptReply:
    """A private reply as it was shown: its notification text and its blocks."""

    text: str
    blocks: tuple[dict[str, Any], ...]


class ConversationStore(Protocol):
    def mark_thread(self, channel: str, thread_ts: str) -> None: ...

    def is_answered_thread(self, channel: str, thread_ts: str) -> bool: ...

    def remember_answer(self, channel: str, question_ts: str, answer: PostedAnswer) -> None: ...

    def answer_for(self, channel: str, question_ts: str) -> PostedAnswer | None: ...

    def keep_reply(self, key: str, reply: KeptReply) -> None: ...

    def kept_reply(self, key: str) -> KeptReply | None: ...


class MemoryConversationStore:
    """Keeps the most recent `capacity` threads and answers of this process."""

    def __init__(self, capacity: int = 50_000) -> None:
        self._capacity = capacity
        self._threads: OrderedDict[tuple[str, str], None] = OrderedDict()
        self._answers: OrderedDict[tuple[str, str], PostedAnswer] = OrderedDict()
        self._replies: OrderedDict[str, KeptReply] = OrderedDict()
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

    def keep_reply(self, key: str, reply: KeptReply) -> None:
        with self._lock:
            self._replies[key] = reply
            self._trim(self._replies)

    def kept_reply(self, key: str) -> KeptReply | None:
        with self._lock:
            return self._replies.get(key)
