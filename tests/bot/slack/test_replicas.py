"""Two `rolebot serve` replicas behind a (pretend) load balancer, sharing one PostgreSQL
database: a retried event handed to the other replica is never answered twice."""

from __future__ import annotations

import json
import threading
import time

import pytest
from support.database import db_rows
from support.serve_process import Replicas
from support.slack_api import in_channel
from support.slack_events import block_action, event_envelope, mention_event, unique

pytestmark = pytest.mark.slow


def posts(replicas: Replicas, channel: str) -> list:
    return replicas.standin.find("chat.postMessage", in_channel(channel))


def test_a_retry_sent_to_the_other_replica_is_not_answered_again(pg_replicas: Replicas) -> None:
    channel, event_id = unique("C"), unique("EvRetry")
    event = mention_event(channel, "Who owns the technical roadmap?")
    status, _ = pg_replicas.a.event(event, event_id=event_id)
    assert status == 200
    status, _ = pg_replicas.b.event(event, event_id=event_id, retry=1)
    assert status == 200  # acked: Slack must stop retrying
    (answer,) = pg_replicas.standin.wait_for("chat.postMessage", in_channel(channel))
    assert "technical roadmap" in answer.blocks_text()
    time.sleep(1.5)  # give a (wrong) second answer time to arrive
    assert len(posts(pg_replicas, channel)) == 1
    assert f"dropping a repeated event {event_id}" in pg_replicas.b.bot.log()
    seen = db_rows(
        pg_replicas.db_url, "SELECT count(*) FROM seen_events WHERE event_id = :e", e=event_id
    )
    assert seen == [(1,)]
    recorded = db_rows(
        pg_replicas.db_url,
        "SELECT surface, answered FROM questions WHERE channel = :c",
        c=channel,
    )
    assert recorded == [("mention", True)]


def test_the_same_event_at_both_replicas_at_once_is_answered_once(
    pg_replicas: Replicas,
) -> None:
    """No ordering at all: each event goes to both replicas in parallel."""
    channels = [unique("C") for _ in range(3)]
    threads: list[threading.Thread] = []
    for channel in channels:
        body = json.dumps(
            event_envelope(mention_event(channel, "What does a PM do?"), unique("EvRace"))
        )
        for sender in (pg_replicas.a, pg_replicas.b):
            threads.append(threading.Thread(target=sender.post, args=(body, "application/json")))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=15)
    for channel in channels:
        pg_replicas.standin.wait_for("chat.postMessage", in_channel(channel))
    time.sleep(1.5)
    assert [len(posts(pg_replicas, c)) for c in channels] == [1, 1, 1]


def test_a_vote_at_one_replica_lands_on_the_question_answered_by_the_other(
    pg_replicas: Replicas,
) -> None:
    channel = unique("C")
    pg_replicas.a.event(mention_event(channel, "Who owns the technical roadmap?"))
    (answer,) = pg_replicas.standin.wait_for("chat.postMessage", in_channel(channel))
    blocks = answer.body["blocks"]
    (buttons,) = [b for b in blocks if b.get("block_id") == "feedback"]
    down = next(e for e in buttons["elements"] if e["action_id"] == "feedback_down")
    message = {"ts": answer.result["ts"], "text": answer.body["text"], "blocks": blocks}
    click = block_action(
        "feedback_down",
        down["value"],
        response_name=unique("r"),
        standin=pg_replicas.standin,
        message=message,
        channel=channel,
    )
    assert pg_replicas.b.action(click)[0] == 200
    pg_replicas.standin.wait_for("chat.update", in_channel(channel))
    question_id = json.loads(down["value"])["q"]
    votes = db_rows(
        pg_replicas.db_url,
        "SELECT v.vote, q.channel FROM votes v JOIN questions q ON q.id = v.question_id "
        "WHERE v.question_id = :q",
        q=question_id,
    )
    assert votes == [("down", channel)]
