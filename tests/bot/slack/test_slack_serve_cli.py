"""`rolebot serve` refuses to start with a one-line message naming the variable, before
loading the model."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import pytest
from support.serve_process import ROLEBOT, bot_env
from support.slack_api import SlackStandIn

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def standin() -> Iterator[SlackStandIn]:
    server = SlackStandIn().start()
    yield server
    server.stop()


def run_serve(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ROLEBOT), "serve", *args], env=env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    ("changes", "args", "variable"),
    [
        ({"SLACK_BOT_TOKEN": ""}, [], "SLACK_BOT_TOKEN is not set"),
        ({"SLACK_BOT_TOKEN": "xoxp-user"}, [], "SLACK_BOT_TOKEN must"),
        ({}, ["--http"], "SLACK_SIGNING_SECRET is not set"),
        ({}, ["--socket"], "SLACK_APP_TOKEN is not set"),
        ({"SLACK_APP_TOKEN": "xoxb-wrong"}, [], "SLACK_APP_TOKEN must"),
        (
            {"SLACK_BOT_TOKEN": "xoxb-revoked", "SLACK_SIGNING_SECRET": "s"},
            [],
            "SLACK_BOT_TOKEN was rejected",
        ),
    ],
)
def test_bad_settings_fail_fast_naming_the_variable(
    standin: SlackStandIn, tmp_path, changes: dict[str, str], args: list[str], variable: str
) -> None:
    env = bot_env(standin, tmp_path, **changes)
    result = run_serve(env, *args)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and variable in lines[0], result.stderr
    assert "Traceback" not in result.stderr
