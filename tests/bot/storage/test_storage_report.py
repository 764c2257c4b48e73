"""The report on conftest.seed's data, worked out by hand.

In the window [NOW-7d, NOW): q1..q10 (q0 is 9 days old, q11 is in the future).
- per day: 05-08 q1 q2 q3 (2 answered), 05-09 q4 q5 q6 q7 (2), 05-10 q8 q9 q10 (3)
- answered 7 of 10
- cited: PM q1 q2 q6 q10 = 4, TPM q4 q8 = 2, Hiring q9 = 1
- votes (q1's down replaced by up; q0 outside; "ghost" has no question):
  PM q1 up, q2 down down, q6 up -> 4 votes, 2 down (0.5)
  TPM q4 down, q8 up down       -> 3 votes, 2 down (0.667)
  Hiring q9 up                  -> 1 vote, 0 down
  plus q3 (declined) down: 9 votes, 5 down in all
- declined: "who signs off budgets?" x2 (q3, q5 after lower/trim), "what is a scrum master?" x1
- latency 100..1000 step 100: p50 = 550, p95 = 900 + 0.55 * 100 = 955
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from support.stored_questions import NOW, seed

from bot.settings import Settings
from bot.storage.report import (
    DayCount,
    DeclinedQuestion,
    SectionCount,
    SinceError,
    build_report,
    is_admin,
    parse_since,
    percentile,
)


def test_report_numbers(storage) -> None:
    seed(storage.recorder)
    summary = build_report(storage.engine, NOW - timedelta(days=7), NOW)
    assert (summary.questions, summary.answered, summary.answered_rate) == (10, 7, 0.7)
    assert summary.per_day == (
        DayCount(date(2024, 5, 8), 3, 2),
        DayCount(date(2024, 5, 9), 4, 2),
        DayCount(date(2024, 5, 10), 3, 3),
    )
    assert summary.top_sections == (
        SectionCount("Guide › Roles › PM", 4),
        SectionCount("Guide › Roles › TPM", 2),
        SectionCount("Guide › Hiring", 1),
    )
    assert [(f.section, f.votes, f.down) for f in summary.feedback] == [
        ("Guide › Roles › TPM", 3, 2),
        ("Guide › Roles › PM", 4, 2),
        ("Guide › Hiring", 1, 0),
    ]
    assert summary.feedback[0].down_rate == pytest.approx(2 / 3)
    assert (summary.votes, summary.down_votes) == (9, 5)
    assert summary.declined == (
        DeclinedQuestion("who signs off budgets?", 2),
        DeclinedQuestion("what is a scrum master?", 1),
    )
    assert summary.latency_p50_ms == pytest.approx(550)
    assert summary.latency_p95_ms == pytest.approx(955)


def test_top_limits_rankings(storage) -> None:
    seed(storage.recorder)
    summary = build_report(storage.engine, NOW - timedelta(days=7), NOW, top=1)
    assert summary.top_sections == (SectionCount("Guide › Roles › PM", 4),)
    assert len(summary.declined) == len(summary.feedback) == 1


def test_empty_window(storage) -> None:
    summary = build_report(storage.engine, NOW - timedelta(days=1), NOW)
    assert (summary.questions, summary.answered_rate, summary.latency_p95_ms) == (0, None, None)
    assert summary.to_dict()["per_day"] == []


def test_to_dict_is_json_ready(storage) -> None:
    import json

    seed(storage.recorder)
    data = build_report(storage.engine, NOW - timedelta(days=7), NOW).to_dict()
    assert json.loads(json.dumps(data))["per_day"][0] == {
        "day": "2024-05-08",
        "questions": 3,
        "answered": 2,
    }
    assert data["answered_rate"] == 0.7
    assert data["feedback"][0]["down_rate"] == pytest.approx(0.6667)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7d", NOW - timedelta(days=7)),
        ("24h", NOW - timedelta(hours=24)),
        ("2w", NOW - timedelta(weeks=2)),
        ("30m", NOW - timedelta(minutes=30)),
        (" 3D ", NOW - timedelta(days=3)),
        ("2024-05-01", datetime(2024, 5, 1, tzinfo=UTC)),
        ("2024-05-01T06:00:00+02:00", datetime(2024, 5, 1, 4, tzinfo=UTC)),
    ],
)
def test_parse_since(text: str, expected: datetime) -> None:
    assert parse_since(text, NOW) == expected


@pytest.mark.parametrize("text", ["", "7", "d7", "7y", "yesterday", "2024-13-01", "-7d"])
def test_parse_since_rejects_with_a_clear_message(text: str) -> None:
    with pytest.raises(SinceError, match="use a span such as 24h, 7d or 2w"):
        parse_since(text, NOW)


def test_percentile() -> None:
    assert percentile([], 50) is None
    assert percentile([42.0], 95) == 42.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5


def test_is_admin() -> None:
    settings = Settings(admins=("U1", "U2"))
    assert is_admin(settings, "U1")
    assert not is_admin(settings, "U3")
    assert not is_admin(settings, None)
    assert not is_admin(Settings(), "U1")


def test_recent_summary_covers_the_last_week(storage) -> None:
    from bot.storage.report import recent_summary

    seed(storage.recorder, now=datetime.now(UTC))
    summary = recent_summary(storage.engine)
    assert (summary.questions, summary.answered) == (10, 7)
    assert len(summary.top_sections) == 3 and len(summary.declined) == 2
