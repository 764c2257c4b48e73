"""Conversations in the database: what one replica (or an earlier life of it) answered, every
replica knows; rows expire."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot.slack.threads import PostedAnswer
from bot.storage.conversations import DbConversationStore
from bot.storage.schema import conversation_answers, conversation_threads

POSTED = PostedAnswer(channel="C1", ts="1700000000.000200", surface="mention")


def test_a_thread_and_an_answer_remembered_by_one_replica_are_known_to_another(storage) -> None:
    other = DbConversationStore(storage.database)  # another process: its memory is empty
    assert not other.is_answered_thread("C1", "1700000000.000100")
    assert other.answer_for("C1", "1700000000.000100") is None
    storage.conversations.mark_thread("C1", "1700000000.000100")
    storage.conversations.remember_answer("C1", "1700000000.000100", POSTED)
    assert other.is_answered_thread("C1", "1700000000.000100")
    assert other.answer_for("C1", "1700000000.000100") == POSTED
    assert not other.is_answered_thread("C2", "1700000000.000100")


def test_remembering_twice_keeps_one_row_with_the_latest_answer(storage) -> None:
    store = storage.conversations
    for _ in range(2):
        store.mark_thread("C1", "1.0")
    store.remember_answer("C1", "1.0", POSTED)
    store.remember_answer("C1", "1.0", PostedAnswer("C1", "1.5", "thread"))
    with storage.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(conversation_threads)).scalar() == 1
        rows = conn.execute(select(conversation_answers.c.answer_ts)).scalars().all()
    assert rows == ["1.5"]
    assert DbConversationStore(storage.database).answer_for("C1", "1.0") == PostedAnswer(
        "C1", "1.5", "thread"
    )


def test_expired_conversations_are_ignored_and_purged(storage) -> None:
    store = DbConversationStore(storage.database, ttl=timedelta(days=30))
    store.mark_thread("C1", "1.0")
    store.remember_answer("C1", "1.0", POSTED)
    later = DbConversationStore(storage.database, ttl=timedelta(seconds=0))
    assert not later.is_answered_thread("C1", "1.0")
    assert later.answer_for("C1", "1.0") is None
    assert store.purge(now=datetime.now(UTC) + timedelta(days=31)) == 2
    assert not DbConversationStore(storage.database).is_answered_thread("C1", "1.0")
