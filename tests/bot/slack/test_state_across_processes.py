"""Real `rolebot serve` processes on one PostgreSQL: what one process answered, a restarted one
and another replica know (follow-ups, edits); a database down at startup is used once it is
back; and whatever the database does, every request is acked within 3 s and every event gets
exactly one answer (or update)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from support.database import db_rows
from support.postgres import postgres_env_url, postgres_schema
from support.serve_process import Replicas, start_http_bots, stop_bots
from support.slack_api import SlackStandIn, in_channel
from support.slack_events import (
    ACK_LIMIT_SECONDS,
    block_action,
    channel_message,
    edited_mention,
    mention_event,
    now_ts,
    timed,
    unique,
)
from support.slack_sender import SlackSender
from support.tcp_proxy import TcpProxy, via_proxy

pytestmark = pytest.mark.slow

ROADMAP = "Who owns the technical roadmap?"
SKILLS = "What skills does a TPM need?"
QUIET = 1.5  # how long to wait for a (wrong) second answer


def log_of(sender: SlackSender) -> str:
    return sender.bot.log()


def acked_event(sender: SlackSender, event: dict, event_id: str | None = None) -> float:
    seconds, (status, _) = timed(lambda: sender.event(event, event_id=event_id))
    assert status == 200
    assert seconds < ACK_LIMIT_SECONDS, f"ack after {seconds:.2f} s"
    return seconds


def ask(sender: SlackSender, standin: SlackStandIn, question: str) -> tuple[str, str, str]:
    """(channel, question ts, answer ts) of a mention answered once."""
    channel, ts = unique("C"), now_ts()
    acked_event(sender, mention_event(channel, question, ts))
    (answer,) = standin.wait_for("chat.postMessage", in_channel(channel), timeout=20)
    return channel, ts, str(answer.result["ts"])


def follow_up_and_edit(sender: SlackSender, standin: SlackStandIn, asked: tuple) -> None:
    """A follow-up in the thread of `asked` and an edit of its question, both sent to
    `sender`: one new answer in the thread, one update of the first answer, nothing else."""
    channel, ts, answer_ts = asked
    acked_event(
        sender, channel_message(channel, "And what skills do they need?", now_ts(), thread_ts=ts)
    )
    posts = standin.wait_for("chat.postMessage", in_channel(channel), count=2, timeout=20)
    assert posts[1].body["thread_ts"] == ts
    acked_event(sender, edited_mention(channel, ts, ROADMAP, SKILLS))
    (update,) = standin.wait_for("chat.update", in_channel(channel), timeout=20)
    assert update.body["ts"] == answer_ts
    assert "Skills" in update.blocks_text()
    time.sleep(QUIET)
    assert len(standin.find("chat.postMessage", in_channel(channel))) == 2
    assert len(standin.find("chat.update", in_channel(channel))) == 1


def wait_for_log(sender: SlackSender, needle: str, count: int = 1, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while log_of(sender).count(needle) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    assert log_of(sender).count(needle) == count, log_of(sender)[-3000:]


@pytest.fixture
def schema_url() -> Iterator[str]:
    with postgres_schema() as url:
        yield url


def test_after_a_restart_follow_ups_and_edits_of_earlier_answers_are_handled(
    http_standin: SlackStandIn, shared_data_dir: Path, schema_url: str
) -> None:
    env = {"DATABASE_URL": schema_url}
    (first,) = start_http_bots(http_standin, shared_data_dir, ["before-restart"], [env])
    try:
        asked = ask(first, http_standin, ROADMAP)
    finally:
        stop_bots([first])
    (second,) = start_http_bots(http_standin, shared_data_dir, ["after-restart"], [env])
    try:
        follow_up_and_edit(second, http_standin, asked)
    finally:
        stop_bots([second])


def test_a_follow_up_and_an_edit_sent_to_the_other_replica_are_handled(
    pg_replicas: Replicas,
) -> None:
    asked = ask(pg_replicas.a, pg_replicas.standin, ROADMAP)
    follow_up_and_edit(pg_replicas.b, pg_replicas.standin, asked)


def test_a_database_down_at_startup_is_used_once_it_is_back(
    http_standin: SlackStandIn, shared_data_dir: Path, schema_url: str
) -> None:
    target = make_url(postgres_env_url())
    proxy = TcpProxy(target.host or "127.0.0.1", target.port or 5432).start()
    proxy.stop()  # refuses connections: the database is down
    env = {"DATABASE_URL": via_proxy(schema_url, proxy)}
    (bot,) = start_http_bots(http_standin, shared_data_dir, ["down-at-startup"], [env])
    try:
        assert "unreachable at startup" in log_of(bot)
        during = ask(bot, http_standin, ROADMAP)  # answered, not recorded
        proxy.start()
        wait_for_log(bot, "database available again")
        after = ask(bot, http_standin, ROADMAP)
        follow_up_and_edit(bot, http_standin, after)
        rows = db_rows(schema_url, "SELECT channel, surface FROM questions ORDER BY at")
        assert rows[0] == (after[0], "mention") and during[0] not in [r[0] for r in rows]
        seen = db_rows(schema_url, "SELECT count(*) FROM seen_events")
        assert seen[0][0] >= 3  # the question, the follow-up and the edit after the return
        threads = db_rows(schema_url, "SELECT channel FROM conversation_threads")
        assert (after[0],) in threads
        log = log_of(bot)
        assert log.count("unreachable at startup") == 1
        assert log.count("database available again") == 1
    finally:
        stop_bots([bot])
        proxy.stop()


@pytest.mark.parametrize("misbehave", ["blackhole", "stall"])
def test_a_database_that_never_answers_never_delays_an_ack(
    pg_replicas: Replicas, misbehave: str
) -> None:
    """`blackhole`: connections accepted and never answered; `stall`: established ones stop
    forwarding without closing. Events, a command and a button click are all acked in time,
    and each event is answered once."""
    bot, standin = pg_replicas.b, pg_replicas.standin
    back_before = log_of(bot).count("database available again")
    getattr(pg_replicas.proxy, misbehave)()
    try:
        acks = []
        channels = [unique("C") for _ in range(3)]
        for channel in channels:
            acks.append(acked_event(bot, mention_event(channel, ROADMAP)))
        seconds, (status, _, name) = timed(lambda: bot.command("what does a PM do?"))
        assert status == 200 and seconds < ACK_LIMIT_SECONDS
        acks.append(seconds)
        standin.wait_for("response", lambda c: c.path.endswith(name), timeout=20)
        for channel in channels:
            standin.wait_for("chat.postMessage", in_channel(channel), timeout=20)
        click = block_action(
            "feedback_up",
            '{"q": "q-unknown", "v": "up"}',
            response_name=unique("r"),
            standin=standin,
            channel=channels[0],
        )
        seconds, (status, _) = timed(lambda: bot.action(click))
        assert status == 200 and seconds < ACK_LIMIT_SECONDS
        acks.append(seconds)
        time.sleep(QUIET)
        assert [len(standin.find("chat.postMessage", in_channel(c))) for c in channels] == [1, 1, 1]
        print(f"\n{misbehave}: acks {', '.join(f'{a:.3f}' for a in acks)} s")
    finally:
        pg_replicas.proxy.forward()
    wait_for_log(bot, "database available again", back_before + 1, timeout=30)


def test_a_seen_events_row_locked_by_another_session_never_delays_an_ack(
    pg_replicas: Replicas,
) -> None:
    bot, standin = pg_replicas.a, pg_replicas.standin
    event_id, channel = unique("EvLocked"), unique("C")
    holder = create_engine(pg_replicas.db_url)
    locked, release = threading.Event(), threading.Event()

    def hold_the_row() -> None:  # another session mid-insert of the same event id, for 8 s
        with holder.begin() as conn:
            conn.execute(text("INSERT INTO seen_events VALUES (:e, now())"), {"e": event_id})
            locked.set()
            release.wait(8)
            conn.rollback()

    thread = threading.Thread(target=hold_the_row)
    thread.start()
    try:
        assert locked.wait(5)
        seconds = acked_event(bot, mention_event(channel, ROADMAP), event_id=event_id)
        standin.wait_for("chat.postMessage", in_channel(channel), timeout=20)
        time.sleep(QUIET)
        assert len(standin.find("chat.postMessage", in_channel(channel))) == 1
        print(f"\nrow lock: ack {seconds:.3f} s")
    finally:
        release.set()
        thread.join()
        holder.dispose()
