"""End to end over HTTP: the real `rolebot serve` (gunicorn, real model) in a subprocess,
signed requests in, Web API calls recorded by the stand-in."""

from __future__ import annotations

import json
import sqlite3
import time
import urllib.request

import pytest
from support.serve_process import ONBOARDING_CHANNEL
from support.slack_api import BOT_USER_ID, Call, in_channel
from support.slack_events import block_action, channel_message, mention_event, unique
from support.slack_sender import SlackSender

pytestmark = pytest.mark.slow


def ask_by_mention(bot: SlackSender, text: str) -> tuple[str, str, Call]:
    channel, ts = unique("C"), f"{time.time():.6f}"
    status, _ = bot.event(mention_event(channel, text, ts))
    assert status == 200
    (answer,) = bot.standin.wait_for("chat.postMessage", in_channel(channel))
    return channel, ts, answer


def test_healthz_and_url_verification(http_bot: SlackSender) -> None:
    with urllib.request.urlopen(f"{http_bot.base_url}/healthz") as response:
        assert response.status == 200
    body = json.dumps({"type": "url_verification", "challenge": "abc123", "token": "x"})
    status, text = http_bot.post(body, "application/json")
    assert status == 200 and "abc123" in text


def test_mention_answers_in_thread_with_citation_reaction_and_buttons(
    http_bot: SlackSender,
) -> None:
    channel, ts, answer = ask_by_mention(http_bot, "Who owns the technical roadmap?")
    assert answer.body["thread_ts"] == ts
    text = answer.blocks_text()
    assert "technical roadmap" in text
    assert "Technical Product Manager (TPM)" in text and "📖" in text
    assert "feedback_up" in text and "feedback_down" in text
    assert answer.headers["authorization"] == "Bearer xoxb-test-token"
    assert "link_names" not in answer.body
    http_bot.standin.wait_for("reactions.add", lambda c: c.body.get("timestamp") == ts)
    http_bot.standin.wait_for("reactions.remove", lambda c: c.body.get("timestamp") == ts)
    assert len(http_bot.standin.find("chat.postMessage", in_channel(channel))) == 1


def test_not_covered_lists_closest_sections(http_bot: SlackSender) -> None:
    _, _, answer = ask_by_mention(http_bot, "What is the best recipe for sourdough bread?")
    text = answer.blocks_text()
    assert "isn't covered" in text or "not covered" in text
    assert "Closest sections" in text


def test_question_with_channel_ping_is_escaped(http_bot: SlackSender) -> None:
    _, _, answer = ask_by_mention(http_bot, "<!channel> what does a TPM do? <script>")
    raw = json.dumps(answer.body)
    assert "<!channel>" not in raw and "<script>" not in raw


def test_dm_is_answered_in_the_dm(http_bot: SlackSender) -> None:
    channel, ts = unique("D"), f"{time.time():.6f}"
    event = {**channel_message(channel, "What skills does a PM need?", ts), "channel_type": "im"}
    assert http_bot.event(event)[0] == 200
    (answer,) = http_bot.standin.wait_for("chat.postMessage", in_channel(channel))
    assert "Skills" in answer.blocks_text()
    assert answer.body.get("thread_ts") in (None, "")


def test_thread_follow_up_without_mention(http_bot: SlackSender) -> None:
    channel, ts, _ = ask_by_mention(http_bot, "What does a TPM focus on?")
    follow_up = channel_message(
        channel, "And what skills do they need?", f"{time.time():.6f}", thread_ts=ts
    )
    assert http_bot.event(follow_up)[0] == 200
    calls = http_bot.standin.wait_for("chat.postMessage", in_channel(channel), count=2)
    assert calls[1].body["thread_ts"] == ts
    # a message in a thread the bot never answered is left alone
    other = channel_message(
        channel, "unrelated chatter", f"{time.time():.6f}", thread_ts="1.000001"
    )
    assert http_bot.event(other)[0] == 200
    time.sleep(1.0)
    assert len(http_bot.standin.find("chat.postMessage", in_channel(channel))) == 2


def test_edited_question_updates_the_answer_in_place(http_bot: SlackSender) -> None:
    channel, ts, answer = ask_by_mention(http_bot, "What does a PM do?")
    answer_ts = answer.result["ts"]
    posted = http_bot.standin.find("chat.postMessage", in_channel(channel))
    assert len(posted) == 1
    edit = {
        "type": "message",
        "subtype": "message_changed",
        "hidden": True,
        "channel": channel,
        "channel_type": "channel",
        "ts": f"{time.time():.6f}",
        "message": {
            "type": "message",
            "user": "UASKER1",
            "text": f"<@{BOT_USER_ID}> What skills does a TPM need?",
            "ts": ts,
        },
        "previous_message": {
            "type": "message",
            "user": "UASKER1",
            "text": f"<@{BOT_USER_ID}> What does a PM do?",
            "ts": ts,
        },
    }
    assert http_bot.event(edit)[0] == 200
    (update,) = http_bot.standin.wait_for("chat.update", in_channel(channel))
    assert update.body["ts"] == answer_ts != ts
    assert "Technical Product Manager (TPM)" in update.blocks_text()
    time.sleep(0.5)
    assert len(http_bot.standin.find("chat.postMessage", in_channel(channel))) == 1


def test_retried_event_is_answered_once(http_bot: SlackSender) -> None:
    channel, ts = unique("C"), f"{time.time():.6f}"
    event, event_id = mention_event(channel, "What does a TPM do?", ts), unique("EvRetry")
    assert http_bot.event(event, event_id=event_id)[0] == 200
    assert http_bot.event(event, event_id=event_id, retry=1)[0] == 200
    assert http_bot.event(event, event_id=event_id, retry=2)[0] == 200
    http_bot.standin.wait_for("chat.postMessage", in_channel(channel))
    time.sleep(1.0)
    assert len(http_bot.standin.find("chat.postMessage", in_channel(channel))) == 1


def test_own_and_other_bot_messages_are_ignored(http_bot: SlackSender) -> None:
    channel = unique("D")
    own = {
        **channel_message(channel, "hi", f"{time.time():.6f}", user=BOT_USER_ID),
        "channel_type": "im",
    }
    other = {
        **channel_message(
            channel, "hello", f"{time.time():.6f}", bot_id="BOTHER1", subtype="bot_message"
        ),
        "channel_type": "im",
    }
    assert http_bot.event(own)[0] == 200 and http_bot.event(other)[0] == 200
    time.sleep(1.0)
    assert http_bot.standin.find("chat.postMessage", in_channel(channel)) == []


def test_rate_limited_post_is_retried(http_bot: SlackSender) -> None:
    http_bot.standin.rate_limit_once("chat.postMessage")
    channel = unique("C")
    assert http_bot.event(mention_event(channel, "What does a PM focus on?"))[0] == 200
    http_bot.standin.wait_for(
        "chat.postMessage", lambda c: c.body.get("channel") == channel and c.status == 200
    )
    calls = http_bot.standin.find("chat.postMessage", in_channel(channel))
    assert [c.status for c in calls] == [429, 200]  # retried after Retry-After, once
    assert calls[0].body == calls[1].body


def test_bad_signature_and_stale_timestamp_are_rejected(http_bot: SlackSender) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "zzz"})
    assert http_bot.post(body, "application/json", signature="v0=deadbeef")[0] == 401
    stale = int(time.time()) - 6 * 60
    assert http_bot.post(body, "application/json", timestamp=stale)[0] == 401


def test_home_tab_is_published(http_bot: SlackSender) -> None:
    user = unique("U")
    event = {"type": "app_home_opened", "user": user, "channel": unique("D"), "tab": "home"}
    assert http_bot.event(event)[0] == 200
    (call,) = http_bot.standin.wait_for("views.publish", lambda c: c.body.get("user_id") == user)
    view = call.body["view"]
    assert view["type"] == "home" and len(view["blocks"]) <= 100
    text = json.dumps(view)
    assert "Technical Product Manager (TPM)" in text and "home_compare" in text
    click = block_action(
        "home_compare", "PM TPM", response_name=unique("r"), standin=http_bot.standin, user=user
    )
    click["container"] = {"type": "view", "view_id": "V1"}
    assert http_bot.action(click)[0] == 200
    calls = http_bot.standin.wait_for(
        "views.publish", lambda c: c.body.get("user_id") == user, count=2
    )
    assert "PM vs TPM" in json.dumps(calls[1].body["view"])


def test_member_joined_onboarding_channel_only(http_bot: SlackSender) -> None:
    listed_user, other_user = unique("U"), unique("U")
    joined = {
        "type": "member_joined_channel",
        "user": listed_user,
        "channel": ONBOARDING_CHANNEL,
        "channel_type": "C",
    }
    elsewhere = {
        "type": "member_joined_channel",
        "user": other_user,
        "channel": unique("C"),
        "channel_type": "C",
    }
    assert http_bot.event(joined)[0] == 200 and http_bot.event(elsewhere)[0] == 200
    (welcome,) = http_bot.standin.wait_for(
        "chat.postEphemeral", lambda c: c.body.get("user") == listed_user
    )
    assert welcome.body["channel"] == ONBOARDING_CHANNEL and "Welcome" in welcome.blocks_text()
    time.sleep(0.5)
    assert (
        http_bot.standin.find("chat.postEphemeral", lambda c: c.body.get("user") == other_user)
        == []
    )


def test_team_join_sends_a_welcome_dm(http_bot: SlackSender) -> None:
    user = unique("U")
    assert (
        http_bot.event(
            {"type": "team_join", "user": {"id": user, "name": "newbie", "is_bot": False}}
        )[0]
        == 200
    )
    (welcome,) = http_bot.standin.wait_for("chat.postMessage", in_channel(user))
    assert "Welcome" in welcome.blocks_text() and "/role" in welcome.blocks_text()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pm", "Product Manager (PM)"),
        ("TPM", "Technical Product Manager (TPM)"),
        ("compare", "PM vs TPM"),
        ("help", "How to use"),
        ("", "How to use"),
        ("who owns the technical roadmap?", "technical roadmap"),
        ("astronaut", "Closest sections"),
    ],
)
def test_role_command(http_bot: SlackSender, text: str, expected: str) -> None:
    status, body, name = http_bot.command(text)
    assert status == 200 and body == ""
    (reply,) = http_bot.standin.wait_for("response", lambda c: c.path.endswith(name))
    assert reply.body["response_type"] == "ephemeral"
    assert expected in reply.blocks_text()
    has_share = "share_in_channel" in reply.blocks_text()
    assert has_share == (text.lower() not in ("help", ""))


def test_share_posts_for_everyone(http_bot: SlackSender) -> None:
    _, _, name = http_bot.command("tpm")
    (reply,) = http_bot.standin.wait_for("response", lambda c: c.path.endswith(name))
    share = next(
        e
        for b in reply.body["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "share_in_channel"
    )
    click_name = unique("share")
    payload = block_action(
        "share_in_channel",
        share["value"],
        response_name=click_name,
        standin=http_bot.standin,
        ephemeral=True,
    )
    assert http_bot.action(payload)[0] == 200
    calls = http_bot.standin.wait_for("response", lambda c: c.path.endswith(click_name), count=2)
    public = next(c for c in calls if c.body.get("response_type") == "in_channel")
    assert "Technical Product Manager (TPM)" in public.blocks_text()
    assert "share_in_channel" not in public.blocks_text() and "Shared by" in public.blocks_text()
    assert any(c.body.get("delete_original") for c in calls)


def test_feedback_click_is_recorded_and_shown(http_bot: SlackSender) -> None:
    channel, _, answer = ask_by_mention(http_bot, "What does a PM focus on?")
    up = next(
        e
        for b in answer.body["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "feedback_up"
    )
    question_id = json.loads(up["value"])["q"]
    message = {
        "type": "message",
        "ts": "1700000000.999999",
        "text": answer.body["text"],
        "blocks": answer.body["blocks"],
    }
    payload = block_action(
        "feedback_up",
        up["value"],
        response_name=unique("fb"),
        standin=http_bot.standin,
        message=message,
        channel=channel,
    )
    assert http_bot.action(payload)[0] == 200
    (update,) = http_bot.standin.wait_for("chat.update", in_channel(channel))
    text = update.blocks_text()
    assert "voted 👍" in text and "feedback_up" not in text
    db = http_bot.data_dir / "rolebot.db"
    deadline = time.monotonic() + 5
    rows: list = []
    while time.monotonic() < deadline and not rows:
        with sqlite3.connect(db) as conn:
            rows = conn.execute(
                "select vote from votes where question_id = ?", (question_id,)
            ).fetchall()
        time.sleep(0.1)
    assert rows == [("up",)]
