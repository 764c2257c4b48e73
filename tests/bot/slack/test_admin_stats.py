"""`/role admin stats`: the report summary for ROLEBOT_ADMINS, a polite refusal for everyone
else, and a clear "unavailable" when the database can't be read."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import OperationalError
from support.fake_engine import FakeEngine
from support.serve_process import ADMIN_USER, Replicas
from support.slack_api import in_channel
from support.slack_events import mention_event, unique
from support.slack_harness import Harness, harness

from bot.slack.listeners.commands.admin import admin_arguments
from bot.slack.stats import stats_message
from bot.storage.report import DeclinedQuestion, ReportSummary, SectionCount, SectionFeedback

NOW = datetime(2024, 5, 10, tzinfo=UTC)


def summary(**changes: object) -> ReportSummary:
    values: dict[str, object] = {
        "since": NOW - timedelta(days=7),
        "until": NOW,
        "questions": 12,
        "answered": 9,
        "per_day": (),
        "top_sections": (SectionCount("Role guide › TPM <Focus>", 5),),
        "feedback": (SectionFeedback("Role guide › PM", 4, 3),),
        "declined": (DeclinedQuestion("how do i bake bread?", 2),),
        "latency_p50_ms": 41.6,
        "latency_p95_ms": 230.2,
        "votes": 6,
        "down_votes": 3,
    }
    values.update(changes)
    return ReportSummary(**values)  # type: ignore[arg-type]


def test_admin_arguments() -> None:
    assert admin_arguments("admin stats") == "stats"
    assert admin_arguments("  ADMIN   stats ") == "stats"
    assert admin_arguments("admin") == ""
    assert admin_arguments("administrator duties of a PM") is None
    assert admin_arguments("who is the admin?") is None


def test_stats_message_shows_the_summary_escaped() -> None:
    message = stats_message(summary())
    text = str(message.blocks)
    for expected in ("*Questions*\\n12", "9 (75%)", "42 ms / 230 ms", "6 (3 👎, 50%)"):
        assert expected in text
    assert "Role guide › TPM &lt;Focus&gt; — 5" in text
    assert "_how do i bake bread?_ — 2" in text and "Knowledge gaps" in text
    assert "Role guide › PM — 3/4 👎" in text
    empty = str(
        stats_message(
            summary(
                questions=0,
                answered=0,
                top_sections=(),
                declined=(),
                feedback=(),
                latency_p50_ms=None,
                latency_p95_ms=None,
                votes=0,
                down_votes=0,
            )
        ).blocks
    )
    assert "— / —" in empty and "no answers yet" in empty


# -- in process: the real Bolt app, a fake engine, a stats source we control -----------------


class Stats:
    def __init__(self) -> None:
        self.fail = False
        self.calls = 0

    def __call__(self) -> ReportSummary:
        self.calls += 1
        if self.fail:
            raise OperationalError("SELECT …", {}, Exception("connection refused"))
        return summary()


@pytest.fixture
def admin_app(shipped_knowledge) -> Iterator[tuple[Harness, Stats]]:
    stats = Stats()
    with harness(
        FakeEngine(shipped_knowledge),
        settings={"admins": (ADMIN_USER,)},
        recorder=_NoRecorder(),
        stats=stats,
    ) as bot:
        yield bot, stats


class _NoRecorder:
    def record_question(self, record: object) -> None:
        raise AssertionError("admin commands are not questions")

    def record_vote(self, vote: object) -> None:
        raise AssertionError("no votes here")


def run_command(bot: Harness, text: str, user: str) -> dict:
    name = unique("adm")
    assert bot.command(text, name, channel=unique("C"), user=user) == 200
    (reply,) = bot.standin.wait_for("response", lambda c: c.path.endswith(name))
    assert reply.body["response_type"] == "ephemeral"
    return reply.body


def test_admin_gets_the_stats_in_process(admin_app) -> None:
    bot, stats = admin_app
    body = run_command(bot, "admin stats", ADMIN_USER)
    assert "rolebot stats" in body["text"] and "*Questions*" in str(body["blocks"])
    assert stats.calls == 1


def test_non_admin_is_refused_politely_without_reading_the_database(admin_app) -> None:
    bot, stats = admin_app
    body = run_command(bot, "admin stats", "UNOTADMIN")
    assert "only for rolebot admins" in body["text"] and "Sorry" in body["text"]
    assert stats.calls == 0


def test_database_down_means_stats_unavailable(admin_app, caplog) -> None:
    bot, stats = admin_app
    stats.fail = True
    body = run_command(bot, "admin stats", ADMIN_USER)
    assert "Stats unavailable" in body["text"]
    assert any("report could not be read" in r.getMessage() for r in caplog.records)


def test_unknown_admin_subcommand_shows_usage(admin_app) -> None:
    bot, _ = admin_app
    assert "/role admin stats" in run_command(bot, "admin", ADMIN_USER)["text"]


# -- end to end: `rolebot serve` on PostgreSQL ------------------------------------------------


@pytest.mark.slow
def test_admin_stats_end_to_end(pg_replicas: Replicas) -> None:
    bot, standin = pg_replicas.a, pg_replicas.standin
    answered_in, declined_in = unique("C"), unique("C")
    bot.event(mention_event(answered_in, "Who owns the technical roadmap?"))
    bot.event(mention_event(declined_in, "What is the best recipe for sourdough bread?"))
    standin.wait_for("chat.postMessage", in_channel(answered_in))
    standin.wait_for("chat.postMessage", in_channel(declined_in))

    status, _, name = bot.command("admin stats", user=ADMIN_USER)
    assert status == 200
    (reply,) = standin.wait_for("response", lambda c: c.path.endswith(name))
    assert reply.body["response_type"] == "ephemeral"
    text = reply.blocks_text()
    for expected in ("Questions", "Answered", "Latency p50 / p95", "Top sections"):
        assert expected in text
    assert "Knowledge gaps" in text and "sourdough bread" in text
    assert "Technical Product Manager (TPM)" in text  # a cited section

    status, _, name = bot.command("admin stats", user="UASKER1")
    (refusal,) = standin.wait_for("response", lambda c: c.path.endswith(name))
    assert "only for rolebot admins" in refusal.body["text"]
    assert refusal.body["response_type"] == "ephemeral"
