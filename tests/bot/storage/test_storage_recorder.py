from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import inspect, select
from support.stored_questions import PM, question

from bot.recording import Vote, question_record
from bot.storage.recorder import REDACTED
from bot.storage.schema import metadata, questions, votes
from bot.types import Answer, Citation, Match, Outcome

AT = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)


def test_question_is_recorded_with_every_field(storage) -> None:
    record = question(
        "abc", AT, True, PM, 123.5, "Who owns the roadmap?", workspace="T1", channel="C9", user="U7"
    )
    storage.recorder.record_question(record)
    with storage.engine.connect() as conn:
        row = conn.execute(select(questions)).one()._mapping
    assert dict(row) == {
        "id": "abc",
        "at": AT,
        "workspace": "T1",
        "channel": "C9",
        "user_id": "U7",
        "surface": "mention",
        "question": "Who owns the roadmap?",
        "answered": True,
        "section_path": "Guide › Roles › PM",
        "score": 0.8,
        "latency_ms": 123.5,
    }


def test_declined_question_has_no_section(storage) -> None:
    storage.recorder.record_question(question("d1", AT, False, (), 50.0, "Who bakes cakes?"))
    with storage.engine.connect() as conn:
        row = conn.execute(select(questions.c.answered, questions.c.section_path)).one()
    assert tuple(row) == (False, "")


def test_vote_is_linked_to_its_question(storage) -> None:
    storage.recorder.record_question(question("q1", AT, True, PM, 10.0))
    storage.recorder.record_vote(Vote("q1", "down", workspace="T1", user="U1", at=AT))
    with storage.engine.connect() as conn:
        rows = conn.execute(
            select(questions.c.question, votes.c.vote, votes.c.user_id).select_from(
                votes.join(questions, votes.c.question_id == questions.c.id)
            )
        ).all()
    assert [tuple(r) for r in rows] == [("Who owns the roadmap?", "down", "U1")]


def test_changed_vote_replaces_the_first_and_users_count_separately(storage) -> None:
    storage.recorder.record_question(question("q1", AT, True, PM, 10.0))
    for vote, user in [("down", "U1"), ("up", "U1"), ("down", "U2")]:
        storage.recorder.record_vote(Vote("q1", vote, user=user, at=AT))
    with storage.engine.connect() as conn:
        rows = conn.execute(select(votes.c.user_id, votes.c.vote).order_by(votes.c.user_id)).all()
    assert [tuple(r) for r in rows] == [("U1", "up"), ("U2", "down")]


def test_vote_without_a_recorded_question_is_kept(storage) -> None:
    storage.recorder.record_vote(Vote("lost", "up", user="U1", at=AT))
    with storage.engine.connect() as conn:
        assert conn.execute(select(votes.c.question_id)).scalars().all() == ["lost"]


def test_unknown_vote_value_is_ignored(storage, caplog) -> None:
    storage.recorder.record_vote(Vote("q1", "sideways", user="U1", at=AT))
    with storage.engine.connect() as conn:
        assert conn.execute(select(votes.c.id)).all() == []
    assert "sideways" in caplog.text


def test_duplicate_question_id_keeps_the_first(storage, caplog) -> None:
    storage.recorder.record_question(question("q1", AT, True, PM, 10.0, "first"))
    storage.recorder.record_question(question("q1", AT, True, PM, 10.0, "second"))
    with storage.engine.connect() as conn:
        assert conn.execute(select(questions.c.question)).scalars().all() == ["first"]
    assert "already recorded" in caplog.text


def test_no_tokens_and_no_names_are_stored(storage) -> None:
    for table in metadata.sorted_tables:
        for column in inspect(storage.engine).get_columns(table.name):
            assert not any(word in column["name"] for word in ("token", "name", "secret"))
    pasted = "why does xoxb-1234-5678-abcDEF fail, and xapp-1-A0-123-abc?"
    storage.recorder.record_question(question("q1", AT, True, PM, 10.0, pasted, user="U1"))
    with storage.engine.connect() as conn:
        stored = conn.execute(select(questions.c.question)).scalar_one()
    assert stored == f"why does {REDACTED} fail, and {REDACTED}?"


def test_question_record_from_an_answer() -> None:
    citation = Citation("Guide", None, "PM", PM, ("pm",))
    answered = Answer("Who?", Outcome.ANSWERED, (Match("text", citation, 0.7),), confidence=0.9)
    record = question_record(answered, surface="cli", latency_ms=12.0, user="U1")
    assert (record.answered, record.section_path, record.score) == (True, PM, 0.9)
    assert (record.surface, record.user, len(record.id)) == ("cli", "U1", 32)
    declined = Answer("Cake?", Outcome.NOT_COVERED, alternatives=(Match("t", citation, 0.2),))
    record = question_record(declined, surface="dm", latency_ms=5.0, record_id="x")
    assert (record.id, record.answered, record.section_path) == ("x", False, ())


def test_votes_racing_from_two_replicas_leave_one_row_per_user(settings) -> None:
    import threading

    from bot.storage import open_storage

    replicas = [open_storage(settings, required=True) for _ in range(2)]
    barrier = threading.Barrier(8)

    def click(index: int) -> None:
        barrier.wait()
        vote = "up" if index % 2 else "down"
        replicas[index % 2].recorder.record_vote(Vote("q1", vote, user="U1", at=AT))

    threads = [threading.Thread(target=click, args=(i,)) for i in range(8)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        with replicas[0].engine.connect() as conn:
            rows = conn.execute(select(votes.c.user_id)).scalars().all()
        assert rows == ["U1"]
    finally:
        for replica in replicas:
            replica.close()
