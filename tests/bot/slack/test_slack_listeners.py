"""Listeners in process: a real Bolt app on a fake engine, requests dispatched directly,
Web API calls going to the stand-in."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator

import pytest
from support.fake_engine import FakeEngine
from support.slack_api import BOT_USER_ID
from support.slack_events import block_action, channel_message, mention_event, unique
from support.slack_harness import Harness, ListRecorder
from support.slack_harness import harness as in_process

from bot.recording import MemoryDeduplicator
from bot.settings import Settings
from bot.slack.answering import mentions, strip_mention
from bot.slack.listeners.actions.feedback import parse_vote
from bot.slack.listeners.actions.share import share_text
from bot.slack.listeners.events.message import is_from_bot
from bot.types import Answer, Outcome


@pytest.fixture
def harness(shipped_knowledge) -> Iterator[Harness]:
    with in_process(FakeEngine(shipped_knowledge)) as running:
        yield running


def test_strip_mention() -> None:
    assert strip_mention("<@UBOT> what is a PM?", "UBOT") == "what is a PM?"
    assert strip_mention("  <@UBOT|rolebot>: hi", "UBOT") == "hi"
    assert strip_mention("ask <@UBOT> later", "UBOT") == "ask <@UBOT> later"
    assert strip_mention("<@UOTHER> hi", "UBOT") == "<@UOTHER> hi"
    assert mentions("hey <@UBOT>", "UBOT") and not mentions("hey", "UBOT")


def test_is_from_bot() -> None:
    assert is_from_bot({"bot_id": "B1", "text": "x"}, "UBOT")
    assert is_from_bot({"subtype": "bot_message"}, "UBOT")
    assert is_from_bot({"user": "UBOT"}, "UBOT")
    assert not is_from_bot({"user": "UHUMAN"}, "UBOT")


def test_button_values() -> None:
    assert parse_vote('{"q": "abc", "v": "up"}') == ("abc", "up")
    assert parse_vote('{"q": "abc", "v": "sideways"}') is None
    assert parse_vote("not json") is None
    assert share_text('{"k": "compare", "a": "PM TPM"}') == "compare PM TPM"
    assert share_text('{"k": "other", "a": "x"}') is None


def test_mention_is_answered_recorded_and_linked_to_votes(harness: Harness) -> None:
    channel, ts = unique("C"), "1700000001.000100"
    event = mention_event(channel, "roadmap?", ts, user="UASK")
    assert harness.event(event) == 200
    (post,) = harness.standin.wait_for(
        "chat.postMessage", lambda c: c.body.get("channel") == channel
    )
    assert harness.engine.questions == ["roadmap?"]
    deadline = time.monotonic() + 5
    while not harness.recorder.questions and time.monotonic() < deadline:
        time.sleep(0.02)
    (record,) = harness.recorder.questions
    assert (record.surface, record.channel, record.user, record.answered) == (
        "mention",
        channel,
        "UASK",
        True,
    )
    assert record.section_path[-1] == "Focus" and record.workspace
    up = next(e for b in post.body["blocks"] if b["type"] == "actions" for e in b["elements"])
    assert json.loads(up["value"]) == {"q": record.id, "v": "up"}
    message = {"ts": "1700000001.000200", "text": "x", "blocks": post.body["blocks"]}
    click = block_action(
        "feedback_up",
        up["value"],
        response_name="r1",
        standin=harness.standin,
        message=message,
        channel=channel,
    )
    assert harness.action(click) == 200
    harness.standin.wait_for("chat.update", lambda c: c.body.get("channel") == channel)
    assert [(v.question_id, v.vote, v.user) for v in harness.recorder.votes] == [
        (record.id, "up", "UVOTER01")
    ]


def test_recorder_failure_never_blocks_the_answer(harness: Harness, caplog) -> None:
    harness.recorder.broken = True
    channel = unique("D")
    event = channel_message(channel, "hi?", "1.1", user="UASK", channel_type="im")
    with caplog.at_level(logging.ERROR):
        assert harness.event(event) == 200
        harness.standin.wait_for("chat.postMessage", lambda c: c.body.get("channel") == channel)
    assert any("could not record question" in r.getMessage() for r in caplog.records)


def test_a_thank_you_gets_a_reply_without_buttons_and_is_not_recorded(harness: Harness) -> None:
    harness.engine.next_answer = Answer(
        question="thanks!", outcome=Outcome.COURTESY, message="You're welcome! Ask me more."
    )
    channel = unique("D")
    event = channel_message(channel, "thanks!", "1.2", user="UASK", channel_type="im")
    assert harness.event(event) == 200
    (post,) = harness.standin.wait_for(
        "chat.postMessage", lambda c: c.body.get("channel") == channel
    )
    assert "You're welcome!" in post.body["text"]
    assert not [b for b in post.body["blocks"] if b["type"] == "actions"]
    assert harness.recorder.questions == []  # recording comes before the post


def test_engine_failure_posts_a_visible_error_and_logs(harness: Harness, caplog) -> None:
    harness.engine.fail = True
    channel, ts = unique("C"), "1700000002.000100"
    event = mention_event(channel, "boom", ts, user="UASK")
    with caplog.at_level(logging.ERROR):
        assert harness.event(event) == 200
        (post,) = harness.standin.wait_for(
            "chat.postMessage", lambda c: c.body.get("channel") == channel
        )
        harness.standin.wait_for("reactions.remove", lambda c: c.body.get("timestamp") == ts)
    assert post.body["thread_ts"] == ts and "went wrong" in post.body["text"]
    failures = [r for r in caplog.records if "answering failed" in r.getMessage()]
    assert failures and failures[0].exc_info and channel in failures[0].getMessage()


def test_command_failure_is_visible(harness: Harness) -> None:
    harness.engine.fail = True
    assert harness.command("why?", "cmdfail") == 200
    (reply,) = harness.standin.wait_for("response", lambda c: c.path.endswith("cmdfail"))
    assert "went wrong" in reply.body["text"] and reply.body["response_type"] == "ephemeral"


def test_thread_started_by_the_bot_counts_as_answered(harness: Harness) -> None:
    channel = unique("C")
    event = {
        "type": "message",
        "channel_type": "channel",
        "user": "UASK",
        "text": "more?",
        "ts": "5.2",
        "thread_ts": "5.1",
        "parent_user_id": BOT_USER_ID,
        "channel": channel,
    }
    assert harness.event(event) == 200
    (post,) = harness.standin.wait_for(
        "chat.postMessage", lambda c: c.body.get("channel") == channel
    )
    assert post.body["thread_ts"] == "5.1"


def test_mention_in_a_thread_reply_is_left_to_app_mention(harness: Harness) -> None:
    channel = unique("C")
    harness.event(mention_event(channel, "a?", "7.1", user="U"))
    harness.standin.wait_for("chat.postMessage", lambda c: c.body.get("channel") == channel)
    reply = {
        "type": "message",
        "channel_type": "channel",
        "user": "U",
        "text": f"<@{BOT_USER_ID}> b?",
        "ts": "7.2",
        "thread_ts": "7.1",
        "channel": channel,
    }
    assert harness.event(reply) == 200
    time.sleep(0.5)
    assert (
        len(harness.standin.find("chat.postMessage", lambda c: c.body.get("channel") == channel))
        == 1
    )


def test_vote_on_an_ephemeral_reply_confirms_in_a_new_message(harness: Harness) -> None:
    click = block_action(
        "feedback_down",
        '{"q": "qe", "v": "down"}',
        response_name="eph",
        standin=harness.standin,
        ephemeral=True,
    )
    assert harness.action(click) == 200
    (reply,) = harness.standin.wait_for("response", lambda c: c.path.endswith("eph"))
    assert "you voted 👎" in reply.body["text"] and reply.body["replace_original"] is False
    assert harness.recorder.votes[0].vote == "down"


def test_team_join_is_ignored_without_welcome_dm(harness: Harness) -> None:
    user = unique("U")
    assert harness.event({"type": "team_join", "user": {"id": user}}) == 200
    time.sleep(0.3)
    assert harness.standin.find("chat.postMessage", lambda c: c.body.get("channel") == user) == []


def test_role_command_uses_the_roles_of_any_guide(tmp_path) -> None:
    from bot.slack.listeners.commands.role import command_question, render_role
    from bot.slack.services import Services
    from bot.slack.threads import MemoryConversationStore
    from knowledge import load_knowledge

    path = tmp_path / "design.md"
    path.write_text(
        "# Design roles\n\n## Product Designer (PD)\n\n### Focus\n\nA PD shapes flows.\n\n"
        "## Design Researcher (DR)\n\n### Focus\n\nA DR runs studies.\n"
    )
    engine = FakeEngine(load_knowledge([path]))
    services = Services(
        engine, ListRecorder(), MemoryDeduplicator(), MemoryConversationStore(), Settings()
    )
    question = command_question(
        {"channel_id": "C1", "user_id": "U1"}, type("C", (), {"team_id": "T"})(), ""
    )
    summary = json.dumps(list(render_role(services, "pd", question).blocks))
    assert "Product Designer (PD)" in summary and "A PD shapes flows." in summary
    compare = json.dumps(list(render_role(services, "compare", question).blocks))
    assert "PD vs DR" in compare
    usage = json.dumps(list(render_role(services, "help", question).blocks))
    assert "/role pd" in usage and "/role pm" not in usage
    render_role(services, "what is a pm?", question)
    assert engine.questions == ["what is a pm?"]
