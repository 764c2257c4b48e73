"""`rolebot serve`: the Slack app, over HTTP (gunicorn) or Socket Mode."""

from __future__ import annotations

import logging
from typing import Annotated

import typer

from bot.cli.app import KnowledgeOption, app, fail, load_engine, settings

log = logging.getLogger(__name__)


@app.command()
def serve(
    knowledge: KnowledgeOption = None,
    socket: Annotated[
        bool | None,
        typer.Option(
            "--socket/--http",
            help="Socket Mode (needs SLACK_APP_TOKEN) or HTTP on $PORT. "
            "Default: Socket Mode when SLACK_APP_TOKEN is set.",
            show_default=False,
        ),
    ] = None,
    port: Annotated[
        int | None, typer.Option(help="HTTP port (default: $PORT, else 3000).", show_default=False)
    ] = None,
) -> None:
    """Run the Slack bot. HTTP: POST /slack/events, GET /healthz."""
    from slack_bolt.error import BoltError

    from bot.slack.app import create_app
    from bot.slack.tokens import auth_problem, token_problem
    from bot.storage import StorageError, open_storage

    config = settings(default_log_level="INFO")
    use_socket = bool(config.slack_app_token) if socket is None else socket
    problem = token_problem(config, use_socket) or auth_problem(config)
    if problem:
        fail(problem)
    engine = load_engine(config, knowledge)
    try:
        storage = open_storage(config)
    except StorageError as exc:
        fail(str(exc))
    try:
        bolt_app = create_app(config, engine, storage.recorder, storage.dedup)
    except BoltError as exc:
        fail(f"SLACK_BOT_TOKEN was rejected by Slack ({exc})")
    except OSError as exc:
        fail(f"cannot reach the Slack API at {config.slack_api_url} (SLACK_API_URL): {exc}")
    if use_socket:
        from bot.slack.socket import serve_socket

        serve_socket(bolt_app, config.slack_app_token or "")
        return
    from bot.slack.server import serve_http

    # The database pool was opened before the worker forks: the worker opens its own.
    serve_http(bolt_app, port or config.port, post_fork=lambda: storage.engine.dispose(close=False))
