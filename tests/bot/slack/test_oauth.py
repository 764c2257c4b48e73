"""Multi-workspace install: with SLACK_CLIENT_ID/SECRET (and no SLACK_BOT_TOKEN) `rolebot
serve` offers /slack/install, completes the OAuth redirect against the Web API stand-in, keeps
the installation in the database and answers that workspace with its own bot token."""

from __future__ import annotations

import contextlib
import html
import json
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from support.database import db_rows
from support.paths import REPO_ROOT
from support.postgres import POSTGRES_ENV, postgres_schema
from support.serve_process import start_http_bots, stop_bots
from support.slack_api import OAuthStandIn, Workspace, in_channel
from support.slack_events import mention_event, team_envelope, unique
from support.slack_sender import SlackSender, http_get

from bot.storage.oauth import SCOPES

CLIENT_ID = "1111.2222"
ACME = Workspace(
    team_id="T0ACME001",
    team_name="Acme",
    bot_token="xoxb-acme-installed-token",
    bot_user_id="UACMEBOT1",
    bot_id="BACMEBOT1",
)


@dataclass
class OAuthBot:
    sender: SlackSender
    standin: OAuthStandIn
    db_url: str

    @property
    def base_url(self) -> str:
        return self.sender.base_url


@contextlib.contextmanager
def database(data_dir: Path) -> Iterator[str]:
    """PostgreSQL (a fresh schema) when configured, else a SQLite file: OAuth works on both."""
    if os.environ.get(POSTGRES_ENV):
        with postgres_schema() as url:
            yield url
    else:
        yield f"sqlite:///{data_dir / 'rolebot.db'}"


@pytest.fixture(scope="module")
def oauth_bot(
    tmp_path_factory: pytest.TempPathFactory, shared_data_dir: Path
) -> Iterator[OAuthBot]:
    standin = OAuthStandIn().start()
    try:
        with database(tmp_path_factory.mktemp("rolebot-oauth")) as url:
            env = {
                "SLACK_BOT_TOKEN": "",
                "SLACK_CLIENT_ID": CLIENT_ID,
                "SLACK_CLIENT_SECRET": "oauth-client-secret",
                "DATABASE_URL": url,
            }
            (sender,) = start_http_bots(standin, shared_data_dir, ["oauth"], [env])
            try:
                yield OAuthBot(sender, standin, url)
            finally:
                stop_bots([sender])
    finally:
        standin.stop()


@pytest.mark.slow
def test_install_redirect_store_and_answer_with_the_installed_token(oauth_bot: OAuthBot) -> None:
    # 1. the install page: "Add to Slack" to slack.com with our client id, scopes and a state
    status, page, headers = http_get(f"{oauth_bot.base_url}/slack/install")
    assert status == 200 and "Add to Slack" in page
    href = html.unescape(
        re.search(r'href="(https://slack\.com/oauth/v2/authorize\?[^"]+)"', page)[1]
    )
    query = parse_qs(urlparse(href).query)
    assert query["client_id"] == [CLIENT_ID]
    assert query["scope"][0].split(",") == list(SCOPES)
    state = query["state"][0]
    cookie = headers.get("Set-Cookie", "")
    assert f"slack-app-oauth-state={state}" in cookie
    states = db_rows(oauth_bot.db_url, "SELECT count(*) FROM slack_oauth_states")
    assert states[0][0] >= 1

    # 2. Slack sends the installer back with a code; the bot exchanges it at SLACK_API_URL
    oauth_bot.standin.grant("code-acme", ACME)
    callback = urlencode({"code": "code-acme", "state": state})
    status, done, _ = http_get(
        f"{oauth_bot.base_url}/slack/oauth_redirect?{callback}",
        {"Cookie": f"slack-app-oauth-state={state}"},
    )
    assert status == 200, done
    (exchange,) = oauth_bot.standin.find("oauth.v2.access")
    assert exchange.body["code"] == "code-acme"
    rows = db_rows(
        oauth_bot.db_url,
        "SELECT team_id, bot_token, bot_user_id, bot_id FROM slack_installations "
        "WHERE team_id = :t",
        t=ACME.team_id,
    )
    assert rows == [(ACME.team_id, ACME.bot_token, ACME.bot_user_id, ACME.bot_id)]

    # 3. a mention in that workspace is answered with that workspace's token
    channel, event_id = unique("C"), unique("EvAcme")
    event = mention_event(channel, "Who owns the technical roadmap?", bot_user_id=ACME.bot_user_id)
    body = json.dumps(team_envelope(event, event_id, ACME.team_id, ACME.bot_user_id))
    assert oauth_bot.sender.post(body, "application/json")[0] == 200
    (answer,) = oauth_bot.standin.wait_for("chat.postMessage", in_channel(channel))
    assert answer.headers["authorization"] == f"Bearer {ACME.bot_token}"
    assert "technical roadmap" in answer.blocks_text()

    # 4. its retry is dropped before authorization: no second answer, not even an auth.test
    def acme_auth_tests() -> int:
        bearer = f"Bearer {ACME.bot_token}"
        return len(
            oauth_bot.standin.find("auth.test", lambda c: c.headers.get("authorization") == bearer)
        )

    checks = acme_auth_tests()
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "timeout"}
    assert oauth_bot.sender.post(body, "application/json", headers=retry)[0] == 200
    time.sleep(1.0)
    assert len(oauth_bot.standin.find("chat.postMessage", in_channel(channel))) == 1
    assert acme_auth_tests() == checks


@pytest.mark.slow
def test_a_bad_state_or_an_unknown_workspace_gets_nothing(oauth_bot: OAuthBot) -> None:
    status, _, _ = http_get(f"{oauth_bot.base_url}/slack/oauth_redirect?code=x&state=forged")
    assert status in (400, 401)
    assert not oauth_bot.standin.find("oauth.v2.access", lambda c: c.body.get("code") == "x")

    channel = unique("C")
    event = mention_event(channel, "Who owns the technical roadmap?")
    body = json.dumps(team_envelope(event, unique("Ev"), "T0NOTINST", "UBOT0001"))
    oauth_bot.sender.post(body, "application/json")
    time.sleep(1.0)
    assert not oauth_bot.standin.find("chat.postMessage", in_channel(channel))


def test_manifest_scopes_are_the_scopes_the_install_requests() -> None:
    yaml = pytest.importorskip("yaml")
    manifest = yaml.safe_load((REPO_ROOT / "manifest.yml").read_text())
    assert sorted(manifest["oauth_config"]["scopes"]["bot"]) == sorted(SCOPES)


def test_oauth_needs_no_bot_token_but_http_and_a_signing_secret() -> None:
    from bot.settings import Settings
    from bot.slack.tokens import auth_problem, token_problem

    oauth = Settings(slack_client_id=CLIENT_ID, slack_client_secret="s", slack_signing_secret="x")
    assert token_problem(oauth, socket=False) is None
    assert auth_problem(oauth) is None  # nothing to check before an install
    assert "HTTP mode" in (token_problem(oauth, socket=True) or "")
    no_secret = Settings(slack_client_id=CLIENT_ID, slack_client_secret="s")
    assert "SLACK_SIGNING_SECRET" in (token_problem(no_secret, socket=False) or "")
    half = Settings(slack_client_id=CLIENT_ID, slack_signing_secret="x")  # stays single-workspace
    assert "SLACK_BOT_TOKEN is not set" in (token_problem(half, socket=False) or "")
