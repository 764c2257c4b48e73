"""The HTTP server pieces, token checks and the deployment files."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.paths import REPO_ROOT

from bot.settings import Settings
from bot.slack.server import GunicornServer, Runtime, create_flask_app, gunicorn_options
from bot.slack.tokens import token_problem


def test_healthz_is_503_until_loaded_and_events_wait_too() -> None:
    runtime = Runtime()
    client = create_flask_app(runtime).test_client()
    assert client.get("/healthz").status_code == 503
    assert client.post("/slack/events", data="{}").status_code == 503


def test_gunicorn_preloads_one_threaded_worker() -> None:
    options = gunicorn_options(4321)
    assert options["bind"] == "0.0.0.0:4321"
    assert (options["workers"], options["worker_class"], options["preload_app"]) == (
        1,
        "gthread",
        True,
    )
    server = GunicornServer(lambda: None, options)  # type: ignore[arg-type, return-value]
    assert server.cfg.preload_app and server.cfg.workers == 1 and server.cfg.threads == 8
    assert server.cfg.worker_class_str == "gthread"


@pytest.mark.parametrize(
    ("env", "socket", "problem"),
    [
        ({}, False, "SLACK_BOT_TOKEN is not set"),
        ({"slack_bot_token": "xoxp-user"}, False, "SLACK_BOT_TOKEN must be a bot token"),
        ({"slack_bot_token": "xoxb-1"}, False, "SLACK_SIGNING_SECRET is not set"),
        ({"slack_bot_token": "xoxb-1"}, True, "SLACK_APP_TOKEN is not set"),
        ({"slack_bot_token": "xoxb-1", "slack_app_token": "xoxb-2"}, True, "SLACK_APP_TOKEN must"),
        ({"slack_bot_token": "xoxb-1", "slack_app_token": "xapp-2"}, True, None),
        ({"slack_bot_token": "xoxb-1", "slack_signing_secret": "s"}, False, None),
    ],
)
def test_token_problems_name_the_variable(env: dict, socket: bool, problem: str | None) -> None:
    found = token_problem(Settings(**env), socket)
    assert (found is None) if problem is None else (found or "").startswith(problem)


def test_procfile_runs_http_and_socket_mode() -> None:
    lines = (REPO_ROOT / "Procfile").read_text().splitlines()
    assert any(line.startswith("web: rolebot serve") and "--socket" not in line for line in lines)
    assert "worker: rolebot serve --socket" in lines


def test_manifest_declares_what_the_listeners_need() -> None:
    yaml = pytest.importorskip("yaml")
    manifest = yaml.safe_load(Path(REPO_ROOT / "manifest.yml").read_text())
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert {
        "app_mention",
        "message.im",
        "message.channels",
        "app_home_opened",
        "member_joined_channel",
        "team_join",
    } <= events
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {
        "app_mentions:read",
        "chat:write",
        "commands",
        "im:history",
        "im:write",
        "channels:history",
        "reactions:write",
        "users:read",
    } <= scopes
    assert manifest["features"]["slash_commands"][0]["command"] == "/role"
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["settings"]["socket_mode_enabled"] is True
