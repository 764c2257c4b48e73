"""The database dies while the bot runs: answers keep flowing, the failure is logged, and
recording resumes once the database is back. Replica `b` of pg_replicas reaches PostgreSQL
through a TCP proxy in this process, so "killing" the database is closing the proxy and
every connection through it (replica `a` keeps its direct connection)."""

from __future__ import annotations

import time

import pytest
from support.database import db_rows
from support.serve_process import ADMIN_USER, Replicas
from support.slack_api import in_channel
from support.slack_events import mention_event, unique

pytestmark = pytest.mark.slow


def ask(replicas: Replicas, question: str) -> str:
    channel = unique("C")
    status, _ = replicas.b.event(mention_event(channel, question))
    assert status == 200
    (answer,) = replicas.standin.wait_for("chat.postMessage", in_channel(channel), timeout=20)
    assert "went wrong" not in answer.blocks_text()
    return channel


def recorded(replicas: Replicas, channel: str) -> list[tuple]:
    return db_rows(replicas.db_url, "SELECT surface FROM questions WHERE channel = :c", c=channel)


def log_of(replicas: Replicas) -> str:
    return replicas.b.bot.log()


def test_answers_keep_flowing_when_the_database_dies(pg_replicas: Replicas) -> None:
    back_before = log_of(pg_replicas).count("database available again")
    before = ask(pg_replicas, "Who owns the technical roadmap?")
    assert recorded(pg_replicas, before) == [("mention",)]

    pg_replicas.proxy.stop()  # the database goes away, live connections included
    try:
        during = ask(pg_replicas, "What does a PM do?")
        log = log_of(pg_replicas)
        assert "database unavailable" in log  # logged, with the traceback the first time
        assert "not recorded" in log and "OperationalError" in log

        status, _, name = pg_replicas.b.command("admin stats", user=ADMIN_USER)
        assert status == 200
        (reply,) = pg_replicas.standin.wait_for("response", lambda c: c.path.endswith(name))
        assert "Stats unavailable" in reply.body["text"]
        assert reply.body["response_type"] == "ephemeral"
    finally:
        pg_replicas.proxy.start()  # back, on the same port

    # a background probe finds it back within about a second, and says so once
    deadline = time.monotonic() + 10
    while (
        log_of(pg_replicas).count("database available again") == back_before
        and time.monotonic() < deadline
    ):
        time.sleep(0.1)
    after = ask(pg_replicas, "Who owns the technical roadmap?")
    assert recorded(pg_replicas, after) == [("mention",)]
    assert recorded(pg_replicas, during) == []  # lost from the log, not from Slack
    assert log_of(pg_replicas).count("database available again") == back_before + 1
