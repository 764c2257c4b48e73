"""HTTP mode: Bolt's Flask adapter under gunicorn, run in-process.

One worker with threads and `preload_app`, so the model and the index load once, in the
process that then forks the worker, before any request is accepted. `POST /slack/events`
takes events, commands and actions; `GET /healthz` answers 200 once the app is loaded.
With the multi-workspace install on, `GET /slack/install` and `GET /slack/oauth_redirect` go
to Bolt's OAuth flow (404 otherwise).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from flask import Flask, Request, Response, request
from gunicorn.app.base import BaseApplication
from slack_bolt import App
from slack_bolt.adapter.flask import SlackRequestHandler
from slack_sdk.signature import SignatureVerifier
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
INSTALL_PATH = "/slack/install"  # Bolt's OAuthSettings defaults, asserted in the tests
REDIRECT_PATH = "/slack/oauth_redirect"


class Runtime:
    """The Bolt app once it is loaded; until then the server answers 503."""

    def __init__(self) -> None:
        self._handler: SlackRequestHandler | None = None
        self._lock = threading.Lock()

    def set_app(self, app: App) -> None:
        with self._lock:
            self._handler = SlackRequestHandler(app)

    @property
    def handler(self) -> SlackRequestHandler | None:
        return self._handler

    @property
    def ready(self) -> bool:
        return self._handler is not None


def json_error(status: int, message: str) -> Response:
    return Response(
        json.dumps({"ok": False, "error": message}), status, mimetype="application/json"
    )


# Fields of Slack's envelopes and payloads that Bolt reads as objects (or lists of them): any
# other shape makes it fail, which Slack would never send.
OBJECT_FIELDS = ("event", "view", "message", "container", "team", "user", "channel", "enterprise")
OBJECT_LIST_FIELDS = ("actions", "authorizations")


def body_problem(body: str, content_type: str | None) -> str | None:
    """Why Bolt could not read this body, or None. Mirrors how Bolt parses it
    (slack_bolt.request.internals.parse_body), which raises on anything but a JSON object."""
    content_type = (content_type or "").split(";")[0].strip().lower()
    if not body:
        return None
    try:
        if content_type == "application/json" or body.startswith("{"):
            parsed: object = json.loads(body)
        elif "payload" in body:
            payload = dict(parse_qsl(body, keep_blank_values=True)).get("payload")
            if payload is None:
                return None
            parsed = json.loads(payload)
        else:
            return None  # a form (slash command): every value is a string
    except ValueError:
        return "the body is not valid JSON"
    if not isinstance(parsed, dict):
        return f"the body is JSON {type(parsed).__name__}, not an object"
    for name in OBJECT_FIELDS:
        if parsed.get(name) is not None and not isinstance(parsed[name], dict):
            return f"`{name}` is not an object"
    actions = parsed.get("actions")
    if isinstance(actions, list) and not all(
        isinstance(a, dict) and isinstance(a.get("action_id"), str) for a in actions
    ):
        return "an action has no `action_id`"
    for name in OBJECT_LIST_FIELDS:
        value = parsed.get(name)
        if value is not None and not (
            isinstance(value, list) and all(isinstance(item, dict) for item in value)
        ):
            return f"`{name}` is not a list of objects"
    return None


def checked(req: Request, verifier: SignatureVerifier | None) -> Response | None:
    """The response for a request that must not reach Bolt, or None to hand it over.

    The signature is checked first, on the raw bytes, so nothing an anonymous sender wrote is
    parsed; then the body must be something Bolt can read: a JSON object (events), a form
    whose `payload` is a JSON object (actions) or a plain form (commands)."""
    body = req.get_data(as_text=True)
    if verifier is not None and not verifier.is_valid(
        body=body,
        timestamp=req.headers.get("X-Slack-Request-Timestamp", ""),
        signature=req.headers.get("X-Slack-Signature", ""),
    ):
        log.warning("refused a request without a valid signature (%d bytes)", len(body))
        return json_error(401, "invalid signature")
    problem = body_problem(body, req.content_type)
    if problem is not None:
        log.warning("refused a signed request that Slack would not send: %s", problem)
        return json_error(400, problem)
    return None


def create_flask_app(runtime: Runtime, signing_secret: str | None = None) -> Flask:
    """`signing_secret`: checked before the body is read (Bolt checks it again, after parsing
    the body, which is too late for a malformed one)."""
    flask_app = Flask("rolebot")
    verifier = SignatureVerifier(signing_secret) if signing_secret else None

    @flask_app.post(EVENTS_PATH)
    def slack_events() -> Any:
        handler = runtime.handler
        if handler is None:
            return Response("loading", status=503, mimetype="text/plain")
        refused = checked(request, verifier)
        if refused is not None:
            return refused
        try:
            response = handler.handle(request)
        except Exception:  # a body shape Bolt chokes on: the client's fault, never a 500 page
            log.exception("a signed request could not be read")
            return json_error(400, "the request could not be read")
        if response.status_code >= 500:
            # Bolt answers 500 when matching the request to a listener raised, i.e. on a
            # payload shape Slack never sends; its error handler has logged it already
            return json_error(400, "the request could not be read")
        return response

    @flask_app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        return json_error(error.code or 500, error.name.lower())

    @flask_app.get(INSTALL_PATH)
    @flask_app.get(REDIRECT_PATH)
    def slack_oauth() -> Any:
        handler = runtime.handler
        if handler is None:
            return Response("loading", status=503, mimetype="text/plain")
        return handler.handle(request)  # 404 unless SLACK_CLIENT_ID/SECRET are set

    @flask_app.get(HEALTH_PATH)
    def healthz() -> Any:
        if runtime.ready:
            return {"status": "ok"}, 200
        return {"status": "loading"}, 503

    return flask_app


def gunicorn_options(port: int, threads: int = 8) -> dict[str, Any]:
    return {
        "bind": f"0.0.0.0:{port}",
        "workers": 1,
        "worker_class": "gthread",
        "threads": threads,
        "preload_app": True,
        "timeout": 60,
        "graceful_timeout": 10,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "rolebot",
        "control_socket_disable": True,  # gunicorn ≥ 24: no control socket in $HOME
    }


class GunicornServer(BaseApplication):
    """gunicorn in-process: `load` builds the WSGI app (once, before forking: preload)."""

    def __init__(
        self,
        load: Callable[[], Flask],
        options: dict[str, Any],
        post_fork: Callable[[], None] | None = None,
    ) -> None:
        self._load = load
        self._options = options
        self._post_fork = post_fork
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            if key in self.cfg.settings and value is not None:
                self.cfg.set(key.lower(), value)
        if self._post_fork is not None:
            hook = self._post_fork
            self.cfg.set("post_fork", lambda _server, _worker: hook())

    def load(self) -> Flask:
        return self._load()


def serve_http(
    app: App,
    port: int,
    post_fork: Callable[[], None] | None = None,
    *,
    signing_secret: str | None = None,
) -> None:
    """Serve the (already loaded) Bolt app on `port` until stopped."""
    runtime = Runtime()
    flask_app = create_flask_app(runtime, signing_secret)

    def load() -> Flask:
        runtime.set_app(app)
        log.info("rolebot is ready: POST %s, GET %s on port %d", EVENTS_PATH, HEALTH_PATH, port)
        return flask_app

    GunicornServer(load, gunicorn_options(port), post_fork).run()
