"""A local stand-in for the Slack Web API on 127.0.0.1 that records every call, and the
signed requests the load test sends to `rolebot serve`. Pure Python (no model)."""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode

BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
TEAM_ID = "T1"
APP_ID = "ABENCH"


@dataclass(frozen=True)
class Call:
    method: str  # "chat.postMessage", ..., or "response" for response_url posts
    path: str
    body: dict[str, Any]
    at: float


class SlackStandIn:
    """`POST /api/<method>` answers like Slack; `POST /response/<id>` takes response_url posts;
    `POST /noop` answers at once (the HTTP floor for the load test's baseline)."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._lock = threading.Lock()
        self._ts = itertools.count(1)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self.server.daemon_threads = True
        self.server.request_queue_size = 128
        self.port = int(self.server.server_address[1])
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    def response_url(self, name: str) -> str:
        return f"{self.url}/response/{name}"

    def start(self) -> SlackStandIn:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def snapshot(self) -> list[Call]:
        with self._lock:
            return list(self.calls)

    def count(self, method: str) -> int:
        with self._lock:
            return sum(1 for c in self.calls if c.method == method)

    def answer(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://bench.example/",
                "team": "Bench",
                "user": "rolebot",
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "bot_id": BOT_ID,
            }
        if method in ("chat.postMessage", "chat.update"):
            with self._lock:
                ts = body.get("ts") or f"1800000000.{next(self._ts):06d}"
            return {"ok": True, "channel": body.get("channel"), "ts": ts}
        if method == "chat.postEphemeral":
            with self._lock:
                return {"ok": True, "message_ts": f"1800000000.{next(self._ts):06d}"}
        if method == "views.publish":
            return {"ok": True, "view": {"id": "V1"}}
        return {"ok": True}

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8")
                if self.path == "/noop":
                    self._send({"ok": True})
                    return
                if self.path.startswith("/api/"):
                    method = self.path[len("/api/") :].split("?")[0]
                elif self.path.startswith("/response/"):
                    method = "response"
                else:
                    self.send_error(404)
                    return
                body = parse_body(raw, self.headers.get("Content-Type", ""))
                result = {"ok": True} if method == "response" else standin.answer(method, body)
                with standin._lock:
                    standin.calls.append(Call(method, self.path, body, time.monotonic()))
                self._send(result)

            def _send(self, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler


def parse_body(raw: str, content_type: str) -> dict[str, Any]:
    if not raw:
        return {}
    if "json" in content_type:
        parsed = json.loads(raw)
        return parsed if isinstance(parsed, dict) else {"_": parsed}
    return dict(parse_qsl(raw, keep_blank_values=True))


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
