"""HTTP mode: Bolt's Flask adapter under gunicorn, run in-process.

One worker with threads and `preload_app`, so the model and the index load once, in the
process that then forks the worker, before any request is accepted. `POST /slack/events`
takes events, commands and actions; `GET /healthz` answers 200 once the app is loaded.
With the multi-workspace install on, `GET /slack/install` and `GET /slack/oauth_redirect` go
to Bolt's OAuth flow (404 otherwise).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, request
from gunicorn.app.base import BaseApplication
from slack_bolt import App
from slack_bolt.adapter.flask import SlackRequestHandler

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


def create_flask_app(runtime: Runtime) -> Flask:
    flask_app = Flask("rolebot")

    @flask_app.post(EVENTS_PATH)
    def slack_events() -> Any:
        handler = runtime.handler
        if handler is None:
            return Response("loading", status=503, mimetype="text/plain")
        return handler.handle(request)

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


def serve_http(app: App, port: int, post_fork: Callable[[], None] | None = None) -> None:
    """Serve the (already loaded) Bolt app on `port` until stopped."""
    runtime = Runtime()
    flask_app = create_flask_app(runtime)

    def load() -> Flask:
        runtime.set_app(app)
        log.info("rolebot is ready: POST %s, GET %s on port %d", EVENTS_PATH, HEALTH_PATH, port)
        return flask_app

    GunicornServer(load, gunicorn_options(port), post_fork).run()
