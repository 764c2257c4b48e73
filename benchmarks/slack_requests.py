"""The signed requests the load test sends to `rolebot serve`, and how many answers each got
at the Web API stand-in (the tests' own, tests/support/slack_api.py). Pure Python."""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode

from tests.support.slack_api import BOT_USER_ID, TEAM_ID, Call

APP_ID = "ABENCH"


# -- the requests the load test sends ------------------------------------------------------------


@dataclass(frozen=True)
class SlackRequest:
    kind: str  # "command", "mention" or "retry" (a re-sent mention)
    key: str  # event_id for mentions, the response_url name for commands
    body: bytes
    content_type: str
    retry: int = 0


def slash_command(number: int, text: str, response_url: str) -> SlackRequest:
    key = f"cmd{number}"
    form = {
        "token": "legacy",
        "team_id": TEAM_ID,
        "team_domain": "bench",
        "channel_id": f"CCMD{number}",
        "channel_name": "bench",
        "user_id": f"U{number % 50}",
        "user_name": "bench",
        "command": "/role",
        "text": text,
        "api_app_id": APP_ID,
        "response_url": response_url,
        "trigger_id": f"{number}.1.bench",
    }
    body = urlencode(form).encode()
    return SlackRequest("command", key, body, "application/x-www-form-urlencoded")


def app_mention(number: int, text: str, now: float | None = None) -> SlackRequest:
    """An app_mention in channel CBENCH with a unique ts (its thread) and event_id."""
    now = time.time() if now is None else now
    event_id = f"Ev{number:08d}"
    ts = f"{int(now)}.{number:06d}"
    payload = {
        "token": "legacy",
        "team_id": TEAM_ID,
        "api_app_id": APP_ID,
        "event": {
            "type": "app_mention",
            "user": f"U{number % 50}",
            "text": f"<@{BOT_USER_ID}> {text}",
            "ts": ts,
            "channel": "CBENCH",
            "event_ts": ts,
        },
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(now),
        "authorizations": [
            {"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True, "enterprise_id": None}
        ],
    }
    return SlackRequest("mention", event_id, json.dumps(payload).encode(), "application/json")


def as_retry(request: SlackRequest, attempt: int = 1) -> SlackRequest:
    return SlackRequest("retry", request.key, request.body, request.content_type, attempt)


def mention_thread(request: SlackRequest) -> str:
    return str(json.loads(request.body)["event"]["ts"])


def signed_headers(secret: str, request: SlackRequest, timestamp: int | None = None) -> dict:
    from slack_sdk.signature import SignatureVerifier

    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=request.body)
    headers = {
        "Content-Type": request.content_type,
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature,
    }
    if request.retry:
        headers["X-Slack-Retry-Num"] = str(request.retry)
        headers["X-Slack-Retry-Reason"] = "http_timeout"
    return headers


@dataclass(frozen=True)
class Deliveries:
    """How many answers each request got at the stand-in."""

    expected: int
    exactly_once: int
    missing: int
    duplicated: int
    errors: int  # deliveries that are the bot's visible error message


def count_deliveries(
    calls: list[Call], mentions: dict[str, str], commands: dict[str, str]
) -> Deliveries:
    """`mentions`: event_id → thread ts (one chat.postMessage in that thread each);
    `commands`: response name → channel (one response_url post or ephemeral post each)."""
    in_thread: Counter[str] = Counter()
    responses: Counter[str] = Counter()
    errors = 0
    thread_of = {ts: event_id for event_id, ts in mentions.items()}
    command_of_channel = {channel: name for name, channel in commands.items()}
    for call in calls:
        if call.method == "chat.postMessage":
            thread = str(call.body.get("thread_ts") or "")
            if thread in thread_of:
                in_thread[thread_of[thread]] += 1
                errors += _is_error(call)
        elif call.method == "response":
            name = call.path.rsplit("/", 1)[-1]
            if name in commands:
                responses[name] += 1
                errors += _is_error(call)
        elif call.method == "chat.postEphemeral":
            name = command_of_channel.get(str(call.body.get("channel") or ""))
            if name:
                responses[name] += 1
                errors += _is_error(call)
    counts = [in_thread[e] for e in mentions] + [responses[n] for n in commands]
    return Deliveries(
        expected=len(counts),
        exactly_once=sum(1 for c in counts if c == 1),
        missing=sum(1 for c in counts if c == 0),
        duplicated=sum(1 for c in counts if c > 1),
        errors=errors,
    )


def _is_error(call: Call) -> bool:
    text = str(call.body.get("text") or "").lower()
    return "went wrong" in text or "something broke" in text
