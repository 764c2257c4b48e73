"""What people asked, what the bot answered, what they thought of it: the report behind
`rolebot report` and `/role admin stats`. Counting is done in SQL; per-day buckets and
latency percentiles in Python over the window's rows."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, case, func, select

from bot.settings import Settings
from bot.storage.schema import questions, votes

_SPAN = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$", re.IGNORECASE)
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
DEFAULT_SINCE = "7d"


class SinceError(ValueError):
    """A --since value that is neither a span (30m, 24h, 7d, 2w) nor an ISO date."""


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """`7d`, `24h`, `2w`, `30m` before now, or an ISO date / date-time (UTC unless it says)."""
    now = now or datetime.now(UTC)
    match = _SPAN.match(text)
    if match:
        return now - timedelta(**{_UNITS[match.group(2).lower()]: int(match.group(1))})
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise SinceError(
            f"--since {text!r}: use a span such as 24h, 7d or 2w, or a date such as 2024-05-01"
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def is_admin(settings: Settings, user_id: str | None) -> bool:
    """Whether a Slack user id is listed in ROLEBOT_ADMINS."""
    return bool(user_id) and user_id in settings.admins


@dataclass(frozen=True)
class DayCount:
    day: date  # UTC
    questions: int
    answered: int


@dataclass(frozen=True)
class SectionCount:
    section: str  # the cited path, document title first, joined with " › "
    count: int


@dataclass(frozen=True)
class SectionFeedback:
    section: str
    votes: int
    down: int

    @property
    def down_rate(self) -> float:
        return self.down / self.votes if self.votes else 0.0


@dataclass(frozen=True)
class DeclinedQuestion:
    question: str  # lower-cased, trimmed
    count: int


@dataclass(frozen=True)
class ReportSummary:
    since: datetime
    until: datetime
    questions: int
    answered: int
    per_day: tuple[DayCount, ...]
    top_sections: tuple[SectionCount, ...]
    feedback: tuple[SectionFeedback, ...]  # 👎 rate by section, worst first
    declined: tuple[DeclinedQuestion, ...]  # knowledge gaps, most frequent first
    latency_p50_ms: float | None
    latency_p95_ms: float | None
    votes: int
    down_votes: int

    @property
    def answered_rate(self) -> float | None:
        return self.answered / self.questions if self.questions else None

    @property
    def down_rate(self) -> float | None:
        return self.down_votes / self.votes if self.votes else None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["since"] = self.since.isoformat()
        data["until"] = self.until.isoformat()
        data["per_day"] = [{**d, "day": d["day"].isoformat()} for d in data["per_day"]]
        data["feedback"] = [
            {**asdict(f), "down_rate": round(f.down_rate, 4)} for f in self.feedback
        ]
        data["answered_rate"] = self.answered_rate
        data["down_rate"] = self.down_rate
        return data


def percentile(values: list[float], p: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def build_report(
    engine: Engine, since: datetime, until: datetime | None = None, top: int = 10
) -> ReportSummary:
    until = until or datetime.now(UTC)
    window = (questions.c.at >= since, questions.c.at < until)
    with engine.connect() as conn:
        rows = conn.execute(
            select(questions.c.at, questions.c.answered, questions.c.latency_ms).where(*window)
        ).all()
        cited = conn.execute(
            select(questions.c.section_path, func.count().label("n"))
            .where(*window, questions.c.answered.is_(True), questions.c.section_path != "")
            .group_by(questions.c.section_path)
            .order_by(func.count().desc(), questions.c.section_path)
            .limit(top)
        ).all()
        down = func.sum(case((votes.c.vote == "down", 1), else_=0))
        voted = conn.execute(
            select(questions.c.section_path, func.count().label("n"), down.label("down"))
            .select_from(votes.join(questions, votes.c.question_id == questions.c.id))
            .where(*window, questions.c.section_path != "")
            .group_by(questions.c.section_path)
        ).all()
        vote_totals = conn.execute(
            select(func.count(), down)
            .select_from(votes.join(questions, votes.c.question_id == questions.c.id))
            .where(*window)
        ).one()
        key = func.lower(func.trim(questions.c.question))
        declined = conn.execute(
            select(key.label("q"), func.count().label("n"))
            .where(*window, questions.c.answered.is_(False))
            .group_by(key)
            .order_by(func.count().desc(), key)
            .limit(top)
        ).all()
    days: dict[date, list[int]] = {}
    for at, answered, _ in rows:
        counts = days.setdefault(at.astimezone(UTC).date(), [0, 0])
        counts[0] += 1
        counts[1] += int(bool(answered))
    latencies = [float(latency) for _, _, latency in rows]
    feedback = sorted(
        (SectionFeedback(path, int(n), int(d or 0)) for path, n, d in voted),
        key=lambda f: (-f.down_rate, -f.votes, f.section),
    )
    return ReportSummary(
        since=since,
        until=until,
        questions=len(rows),
        answered=sum(int(bool(a)) for _, a, _ in rows),
        per_day=tuple(DayCount(d, q, a) for d, (q, a) in sorted(days.items())),
        top_sections=tuple(SectionCount(path, int(n)) for path, n in cited),
        feedback=tuple(feedback[:top]),
        declined=tuple(DeclinedQuestion(q, int(n)) for q, n in declined),
        latency_p50_ms=percentile(latencies, 50),
        latency_p95_ms=percentile(latencies, 95),
        votes=int(vote_totals[0] or 0),
        down_votes=int(vote_totals[1] or 0),
    )


def recent_summary(engine: Engine, since: str = DEFAULT_SINCE, top: int = 5) -> ReportSummary:
    """The summary behind `/role admin stats`: the last `since` (a --since value), top 5s."""
    return build_report(engine, parse_since(since), top=top)
