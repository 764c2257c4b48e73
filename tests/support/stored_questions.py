"""Questions and votes for the storage tests: one record written straight into the table, a
record builder, and the hand-worked data set of the report and export tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, insert

from bot.recording import QuestionRecord, Recorder, Vote
from bot.storage.schema import questions

NOW = datetime(2024, 5, 10, 12, 0, tzinfo=UTC)


def record_one(engine: Engine, qid: str = "q-1") -> None:
    with engine.begin() as conn:
        conn.execute(
            insert(questions).values(
                id=qid,
                at=datetime(2024, 5, 1, tzinfo=UTC),
                surface="cli",
                question="Who owns the roadmap?",
                answered=True,
                section_path="Guide › Roles",
                score=0.5,
                latency_ms=12.0,
            )
        )


def question(
    qid: str,
    at: datetime,
    answered: bool,
    path: tuple[str, ...],
    latency: float,
    text_: str = "Who owns the roadmap?",
    **extra: object,
) -> QuestionRecord:
    return QuestionRecord(
        id=qid,
        surface="mention",
        question=text_,
        answered=answered,
        section_path=path,
        score=0.8 if answered else 0.2,
        latency_ms=latency,
        at=at,
        **extra,  # type: ignore[arg-type]
    )


PM = ("Guide", "Roles", "PM")
TPM = ("Guide", "Roles", "TPM")
HIRING = ("Guide", "Hiring")


def seed(recorder: Recorder, now: datetime = NOW) -> None:
    """The data set whose report and export are worked out by hand in test_storage_report
    and test_storage_export."""
    h = timedelta(hours=1)
    # id, asked at, answered, cited section, latency ms, question
    rows = [
        ("q0", now - timedelta(days=9), True, HIRING, 5000, "How do we hire?"),
        ("q1", now - 51 * h, True, PM, 100, "Who owns the roadmap?"),
        ("q2", now - 50 * h, True, PM, 200, "Who writes specs?"),
        ("q3", now - 49 * h, False, (), 300, "Who signs off budgets?"),
        ("q4", now - 27 * h, True, TPM, 400, "Who runs the release train?"),
        ("q5", now - 26 * h, False, (), 500, "  who signs off budgets? "),
        ("q6", now - 25 * h, True, PM, 600, "Who owns the roadmap?"),
        ("q7", now - 24 * h, False, (), 700, "What is a scrum master?"),
        ("q8", now - 4 * h, True, TPM, 800, "Who tracks dependencies?"),
        ("q9", now - 3 * h, True, HIRING, 900, "Who interviews PMs?"),
        ("q10", now - 2 * h, True, PM, 1000, "Who talks to customers?"),
        ("q11", now + h, True, PM, 9000, "From the future"),
    ]
    for qid, at, answered, path, latency, text_ in rows:
        record = question(qid, at, answered, path, latency, text_, workspace="T1", user="U1")
        recorder.record_question(record)
    minute = timedelta(minutes=1)
    at = {qid: when for qid, when, *_ in rows}
    votes = [
        ("q0", "down", "U1", 0),
        ("q1", "down", "U1", 0),
        ("q1", "up", "U1", 1),  # changed mind: replaces the down vote
        ("q2", "down", "U1", 0),
        ("q2", "down", "U2", 0),
        ("q3", "down", "U1", 0),
        ("q4", "down", "U1", 0),
        ("q6", "up", "U2", 0),
        ("q8", "up", "U1", 0),
        ("q8", "down", "U2", 0),
        ("q9", "up", "U1", 0),
        ("ghost", "down", "U1", 0),
    ]
    for qid, vote, user, extra in votes:
        when = at.get(qid, now - h) + (1 + extra) * minute
        recorder.record_vote(Vote(qid, vote, workspace="T1", user=user, at=when))
