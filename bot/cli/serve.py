"""`rolebot serve`: the Slack app, over HTTP (gunicorn) or Socket Mode."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli.app import KnowledgeOption, app, fail, load_engine, settings

if TYPE_CHECKING:
    from bot.settings import Settings
    from bot.slack.services import StatsSource
    from bot.storage import Storage
    from bot.storage.report import ReportSummary

log = logging.getLogger(__name__)


def _stats_source(storage: Storage) -> StatsSource:
    """`/role admin stats` reads the report from the same database the bot records into."""
    from bot.storage.report import recent_summary

    def stats() -> ReportSummary:
        return recent_summary(storage.engine)

    return stats


def _use_socket(config: Settings, socket: bool | None) -> bool:
    """The flag if given; else Socket Mode when SLACK_APP_TOKEN is set, except with the
    multi-workspace install, whose pages need HTTP."""
    from bot.storage.oauth import oauth_enabled

    if socket is not None:
        return socket
    return bool(config.slack_app_token) and not oauth_enabled(config)


@app.command()
def serve(
    knowledge: KnowledgeOption = None,
    socket: Annotated[
        bool | None,
        typer.Option(
            "--socket/--http",
            help="Socket Mode (needs SLACK_APP_TOKEN) or HTTP on $PORT. "
            "Default: Socket Mode when SLACK_APP_TOKEN is set (HTTP with SLACK_CLIENT_ID).",
            show_default=False,
        ),
    ] = None,
    port: Annotated[
        int | None, typer.Option(help="HTTP port (default: $PORT, else 3000).", show_default=False)
    ] = None,
) -> None:
    """Run the Slack bot. HTTP: POST /slack/events, GET /healthz; with SLACK_CLIENT_ID and
    SLACK_CLIENT_SECRET also GET /slack/install and /slack/oauth_redirect."""
    from slack_bolt.error import BoltError

    from bot.memory import cap_malloc_arenas

    cap_malloc_arenas()  # before any thread starts; the gunicorn worker inherits it

    from bot.slack.app import create_app
    from bot.slack.tokens import auth_problem, token_problem
    from bot.storage import StorageError, open_storage

    config = settings(default_log_level="INFO")
    use_socket = _use_socket(config, socket)
    problem = token_problem(config, use_socket) or auth_problem(config)
    if problem:
        fail(problem)
    if bool(config.slack_client_id) != bool(config.slack_client_secret):
        log.warning(
            "only one of SLACK_CLIENT_ID / SLACK_CLIENT_SECRET is set: "
            "multi-workspace install stays off, using SLACK_BOT_TOKEN"
        )
    # Several questions are answered at once: one encoder thread each beats two fighting over
    # two cores (docs/performance.md).
    # HTTP mode forks a gunicorn worker: the model runs there only (see serve_http below).
    engine = load_engine(config, knowledge, threads=1, forks=not use_socket)
    try:
        storage = open_storage(config, serving=True)
    except StorageError as exc:
        fail(str(exc))
    oauth = storage.oauth_settings()
    if oauth is not None:
        log.info("multi-workspace install on: GET %s", oauth.install_path)
    try:
        bolt_app = create_app(
            config,
            engine,
            storage.recorder,
            storage.dedup,
            storage.conversations,
            stats=_stats_source(storage),
            oauth_settings=oauth,
        )
    except BoltError as exc:
        if oauth is not None:
            fail(f"the multi-workspace (OAuth) setup was refused by Bolt ({exc})")
        fail(f"SLACK_BOT_TOKEN was rejected by Slack ({exc})")
    except OSError as exc:
        fail(f"cannot reach the Slack API at {config.slack_api_url} (SLACK_API_URL): {exc}")
    if use_socket:
        from bot.slack.socket import serve_socket

        storage.database.start_reconnecting()  # if it was down at startup
        engine.encoder.load()  # the model ready before the first question, not on it
        serve_socket(bolt_app, config.slack_app_token or "")
        return
    from bot.slack.server import serve_http

    # onnxruntime is not fork-safe (a worker forked from a process that imported it aborts at
    # exit): the master never runs it (a cold index cache is encoded in a child process), and
    # the worker opens its own session before it takes requests. The model's weights then live
    # in the worker only, not in both.
    engine.encoder.release()

    def in_the_worker() -> None:
        # The database pool was opened before the worker forks: the worker opens its own, and
        # retries a database that was down at startup from there (threads do not survive fork).
        storage.engine.dispose(close=False)
        storage.database.start_reconnecting()
        engine.encoder.load()

    serve_http(
        bolt_app,
        port or config.port,
        post_fork=in_the_worker,
        signing_secret=config.slack_signing_secret,
    )
