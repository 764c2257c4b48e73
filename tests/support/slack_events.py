"""Slack events the conversation tests send, and a clock for acks."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from slack_standin import BOT_USER_ID

ACK_LIMIT_SECONDS = 3.0  # Slack retries a request not acknowledged within 3 seconds


def now_ts() -> str:
    return f"{time.time():.6f}"


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


def timed(send: Callable[[], tuple[Any, ...]]) -> tuple[float, tuple[Any, ...]]:
    """(seconds until the bot answered the request, what the sender returned)."""
    started = time.monotonic()
    result = send()
    return time.monotonic() - started, result
