"""A local stand-in for the Slack Web API (and response_url), recording every call; a variant
that also grants OAuth installs.

The tests and the HTTP load benchmark (benchmarks/serve_load.py) both use it."""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

BOT_USER_ID = "UBOT0001"
BOT_ID = "BBOT0001"
TEAM_ID = "T0000001"


@dataclass(frozen=True)
class Call:
    method: str  # "chat.postMessage", or "response" for response_url posts
    path: str
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    status: int = 200
    result: dict[str, Any] = field(default_factory=dict)  # what the stand-in answered
    at: float = field(default_factory=time.monotonic)  # when it arrived

    def blocks_text(self) -> str:
        """All text in the call's payload, for assertions."""
        return json.dumps(self.body, ensure_ascii=False)


class SlackStandIn:
    """ThreadingHTTPServer on a free port: `/api/<method>` and `/response/<id>`."""

    def __init__(self, ws_url: str | None = None) -> None:
        self.calls: list[Call] = []
        self.ws_url = ws_url
        self._lock = threading.Lock()
        self._fail_once: dict[str, int] = {}
        self._ts = itertools.count(1)
        handler = self._handler_class()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.server.request_queue_size = 128  # the load benchmark keeps 20+ requests in flight
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

    def rate_limit_once(self, method: str) -> None:
        """The next call to `method` gets HTTP 429 with Retry-After: 1."""
        with self._lock:
            self._fail_once[method] = 1

    # -- queries -----------------------------------------------------------------------------

    def snapshot(self) -> list[Call]:
        with self._lock:
            return list(self.calls)

    def find(self, method: str, predicate: Callable[[Call], bool] = lambda c: True) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method and predicate(c)]

    def wait_for(
        self,
        method: str,
        predicate: Callable[[Call], bool] = lambda c: True,
        *,
        count: int = 1,
        timeout: float = 15.0,
    ) -> list[Call]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.find(method, predicate)
            if len(found) >= count:
                return found
            time.sleep(0.05)
        seen = [(c.method, c.body) for c in self.calls[-10:]]
        raise AssertionError(f"no {count} x {method} call(s) within {timeout}s; last calls: {seen}")

    # -- the server ---------------------------------------------------------------------------

    def _record(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)

    def _take_failure(self, method: str) -> bool:
        with self._lock:
            if self._fail_once.get(method):
                self._fail_once[method] -= 1
                return True
            return False

    def _answer(self, method: str, body: dict[str, Any], token: str = "") -> dict[str, Any]:
        if method == "auth.test" and token.startswith("xoxb-revoked"):
            return {"ok": False, "error": "invalid_auth"}
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://example.slack.com/",
                "team": "Example",
                "user": "rolebot",
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "bot_id": BOT_ID,
            }
        if method in ("chat.postMessage", "chat.update"):
            ts = body.get("ts") or f"1700000000.{next(self._ts):06d}"
            return {"ok": True, "channel": body.get("channel"), "ts": ts, "message": body}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": f"1700000000.{next(self._ts):06d}"}
        if method == "apps.connections.open":
            return {"ok": True, "url": self.ws_url or "ws://127.0.0.1:9/"}
        if method == "views.publish":
            return {"ok": True, "view": {"id": "V1", **(body.get("view") or {})}}
        return {"ok": True}

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8")
                body = _parse(raw, self.headers.get("Content-Type", ""))
                if self.path.startswith("/api/"):
                    method = self.path[len("/api/") :].split("?")[0]
                elif self.path.startswith("/response/"):
                    method = "response"
                else:
                    self.send_error(404)
                    return
                headers = {k.lower(): v for k, v in self.headers.items()}
                if standin._take_failure(method):
                    standin._record(Call(method, self.path, body, headers, status=429))
                    self._send(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "1"})
                    return
                token = headers.get("authorization", "").removeprefix("Bearer ")
                result = (
                    {"ok": True} if method == "response" else standin._answer(method, body, token)
                )
                standin._record(Call(method, self.path, body, headers, result=result))
                self._send(200, result)

            def _send(
                self, status: int, payload: dict[str, Any], extra: dict | None = None
            ) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for key, value in (extra or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

        return Handler


def in_channel(channel: str) -> Callable[[Call], bool]:
    """A `find`/`wait_for` predicate: calls posting to `channel`."""
    return lambda call: call.body.get("channel") == channel


# -- OAuth: a stand-in that can grant installs ------------------------------------------------


@dataclass(frozen=True)
class Workspace:
    team_id: str
    team_name: str
    bot_token: str
    bot_user_id: str
    bot_id: str
    installer: str = "UINSTALLER1"


class OAuthStandIn(SlackStandIn):
    """The Web API stand-in plus `oauth.v2.access` (for granted codes) and `auth.test`
    answering for each installed workspace's token."""

    def __init__(self) -> None:
        super().__init__()
        self.grants: dict[str, Workspace] = {}

    def grant(self, code: str, workspace: Workspace) -> None:
        self.grants[code] = workspace

    def _workspace_for_token(self, token: str) -> Workspace | None:
        return next((w for w in self.grants.values() if w.bot_token == token), None)

    def _answer(self, method: str, body: dict[str, Any], token: str = "") -> dict[str, Any]:
        if method == "oauth.v2.access":
            workspace = self.grants.get(str(body.get("code")))
            if workspace is None:
                return {"ok": False, "error": "invalid_code"}
            from bot.storage.oauth import SCOPES

            return {
                "ok": True,
                "app_id": "A0000001",
                "authed_user": {"id": workspace.installer},
                "scope": ",".join(SCOPES),
                "token_type": "bot",
                "access_token": workspace.bot_token,
                "bot_user_id": workspace.bot_user_id,
                "team": {"id": workspace.team_id, "name": workspace.team_name},
                "enterprise": None,
                "is_enterprise_install": False,
            }
        workspace = self._workspace_for_token(token)
        if method == "auth.test" and workspace is not None:
            return {
                "ok": True,
                "url": f"https://{workspace.team_name.lower()}.slack.com/",
                "team": workspace.team_name,
                "user": "rolebot",
                "team_id": workspace.team_id,
                "user_id": workspace.bot_user_id,
                "bot_id": workspace.bot_id,
                "is_enterprise_install": False,
            }
        return super()._answer(method, body, token)


def _parse(raw: str, content_type: str) -> dict[str, Any]:
    if not raw:
        return {}
    if "json" in content_type:
        return json.loads(raw)
    body: dict[str, Any] = dict(parse_qsl(raw, keep_blank_values=True))
    for key in ("blocks", "view", "attachments"):
        if isinstance(body.get(key), str):
            with contextlib.suppress(ValueError):
                body[key] = json.loads(body[key])
    return body
