"""What Slack sends the bot: event envelopes, events, interaction payloads and slash-command
forms, with unique ids; and a clock for acks."""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from support.slack_api import BOT_USER_ID, TEAM_ID, SlackStandIn

ACK_LIMIT_SECONDS = 3.0  # Slack retries a request not acknowledged within 3 seconds

_ids = itertools.count(1)


def unique(prefix: str) -> str:
    """An id unique in this test session (and across its processes): `prefix` + pid + count."""
    return f"{prefix}{os.getpid()}{next(_ids):05d}"


def now_ts() -> str:
    return f"{time.time():.6f}"


# -- the Events API ----------------------------------------------------------------------------


def event_envelope(event: dict[str, Any], event_id: str) -> dict[str, Any]:
    return {
        "token": "legacy",
        "team_id": TEAM_ID,
        "api_app_id": "A0000001",
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "authorizations": [
            {"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True, "enterprise_id": None}
        ],
    }


def team_envelope(
    event: dict[str, Any], event_id: str, team_id: str, bot_user_id: str
) -> dict[str, Any]:
    """`event_envelope` for another workspace (an OAuth install)."""
    envelope = event_envelope(event, event_id)
    envelope["team_id"] = team_id
    envelope["authorizations"] = [
        {"team_id": team_id, "user_id": bot_user_id, "is_bot": True, "enterprise_id": None}
    ]
    return envelope


def mention_event(
    channel: str,
    text: str,
    ts: str | None = None,
    *,
    user: str = "UASKER1",
    bot_user_id: str = BOT_USER_ID,
) -> dict[str, Any]:
    """An app_mention event; `ts` (the question's, and its thread's) defaults to now."""
    ts = ts or f"{time.time():.6f}"
    return {
        "type": "app_mention",
        "user": user,
        "text": f"<@{bot_user_id}> {text}",
        "ts": ts,
        "channel": channel,
        "event_ts": ts,
    }


def channel_message(channel: str, text: str, ts: str, **extra: object) -> dict[str, Any]:
    """A `message` event in a channel; `extra` overrides any field (channel_type="im": a DM)."""
    return {
        "type": "message",
        "channel": channel,
        "user": "UASKER1",
        "text": text,
        "ts": ts,
        "channel_type": "channel",
        **extra,
    }


def edited_mention(channel: str, ts: str, old: str, new: str) -> dict[str, Any]:
    """The `message_changed` event Slack sends when the mention at `ts` is edited."""
    return {
        "type": "message",
        "subtype": "message_changed",
        "hidden": True,
        "channel": channel,
        "channel_type": "channel",
        "ts": now_ts(),
        "message": {
            "type": "message",
            "user": "UASKER1",
            "text": f"<@{BOT_USER_ID}> {new}",
            "ts": ts,
            "edited": {"user": "UASKER1", "ts": now_ts()},
        },
        "previous_message": {
            "type": "message",
            "user": "UASKER1",
            "text": f"<@{BOT_USER_ID}> {old}",
            "ts": ts,
        },
    }


# -- interactivity and slash commands ----------------------------------------------------------


def block_action(
    action_id: str,
    value: str,
    *,
    response_name: str,
    standin: SlackStandIn,
    message: dict[str, Any] | None = None,
    channel: str = "C0SHARED1",
    ephemeral: bool = False,
    user: str = "UVOTER01",
) -> dict[str, Any]:
    """A `block_actions` payload: `user` clicked button `action_id` (with `value`); its
    response_url ends with `response_name`."""
    container: dict[str, Any] = {
        "type": "message",
        "channel_id": channel,
        "is_ephemeral": ephemeral,
    }
    payload: dict[str, Any] = {
        "type": "block_actions",
        "team": {"id": TEAM_ID, "domain": "example"},
        "user": {"id": user, "team_id": TEAM_ID},
        "api_app_id": "A0000001",
        "token": "legacy",
        "container": container,
        "trigger_id": unique("trig"),
        "channel": {"id": channel, "name": "general"},
        "response_url": standin.response_url(response_name),
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": "feedback",
                "value": value,
                "action_ts": str(time.time()),
            }
        ],
    }
    if message is not None:
        container["message_ts"] = message["ts"]
        payload["message"] = message
    return payload


def command_form(
    text: str, user: str, response_url: str, *, channel: str | None = None, team_id: str = TEAM_ID
) -> str:
    """The urlencoded form of `/role <text>` typed by `user` (in a new channel by default)."""
    return urlencode(
        {
            "token": "legacy",
            "team_id": team_id,
            "channel_id": channel or unique("C"),
            "user_id": user,
            "command": "/role",
            "text": text,
            "response_url": response_url,
            "trigger_id": unique("trig"),
        }
    )


# -- timing ------------------------------------------------------------------------------------


def timed(send: Callable[[], tuple[Any, ...]]) -> tuple[float, tuple[Any, ...]]:
    """(seconds until the bot answered the request, what the sender returned)."""
    started = time.monotonic()
    result = send()
    return time.monotonic() - started, result
