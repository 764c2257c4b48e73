"""Block Kit for `/role admin stats`: the report summary (bot.storage.report) in one message,
plus the refusal and "unavailable" notices."""

from __future__ import annotations

from bot.slack.blocks import Block, Message, context, fit, header, notice, section
from bot.slack.text import SECTION_TEXT_LIMIT, escape, escaped
from bot.storage.report import ReportSummary

REFUSAL = (
    "Sorry — `/role admin` is only for rolebot admins. "
    "Ask one of them to add your member ID to `ROLEBOT_ADMINS` if you need it."
)
UNAVAILABLE = (
    ":warning: Stats unavailable: the database can't be read right now. "
    "Questions are still answered; the error has been logged."
)
ADMIN_USAGE = "*Admin commands*\n• `/role admin stats` — the last 7 days: questions, answers, gaps"


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.0%}"


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f} ms"


def _list(lines: list[str], empty: str) -> str:
    text = "\n".join(lines) if lines else f"_{empty}_"
    return text[: SECTION_TEXT_LIMIT - 100]


def stats_message(summary: ReportSummary, window: str = "7 days") -> Message:
    """Questions, answered rate, p50/p95 latency, votes, top sections, 👎 by section and the
    questions the bot declined most often (knowledge gaps)."""
    answered = f"{summary.answered} ({_percent(summary.answered_rate)})"
    votes = f"{summary.votes} ({summary.down_votes} 👎, {_percent(summary.down_rate)})"
    fields = [
        f"*Questions*\n{summary.questions}",
        f"*Answered*\n{answered}",
        f"*Latency p50 / p95*\n{_ms(summary.latency_p50_ms)} / {_ms(summary.latency_p95_ms)}",
        f"*Votes*\n{votes}",
    ]
    top = [f"• {escaped(s.section, 300)} — {s.count}" for s in summary.top_sections]
    gaps = [f"• _{escaped(d.question, 300)}_ — {d.count}" for d in summary.declined]
    worst = [
        f"• {escaped(f.section, 300)} — {f.down}/{f.votes} 👎" for f in summary.feedback if f.down
    ]
    blocks: list[Block] = [
        header(f"rolebot stats — last {window}"),
        {"type": "section", "fields": [{"type": "mrkdwn", "text": f} for f in fields]},
        section("*Top sections*\n" + _list(top, "no answers yet")),
        section("*Knowledge gaps* (declined most often)\n" + _list(gaps, "none")),
    ]
    if worst:
        blocks.append(section("*Most 👎 by section*\n" + _list(worst, "none")))
    blocks.append(context("Per-day counts and more: `rolebot report --since 7d`"))
    text = (
        f"rolebot stats, last {escape(window)}: {summary.questions} questions, "
        f"{_percent(summary.answered_rate)} answered"
    )
    return Message(text=text, blocks=fit(blocks))


def refusal_message() -> Message:
    return notice(REFUSAL)


def unavailable_message() -> Message:
    return notice(UNAVAILABLE)


def admin_usage_message() -> Message:
    return notice(ADMIN_USAGE)
