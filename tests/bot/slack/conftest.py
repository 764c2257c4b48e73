"""Fixtures for the Slack app: the Web API stand-in, the real `rolebot serve` (HTTP) started
once per session, signed requests to it, and a fake engine for fast unit tests."""

from __future__ import annotations

import itertools
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from postgres import POSTGRES_ENV, postgres_env_url, postgres_schema
from slack_standin import BOT_USER_ID, TEAM_ID, SlackStandIn
from support.tcp_proxy import TcpProxy, via_proxy

from bot.types import Answer, Citation, Match, Outcome

REPO_ROOT = Path(__file__).resolve().parents[3]
__all__ = [
    "POSTGRES_ENV",
    "TcpProxy",
    "postgres_env_url",
    "postgres_schema",
    "via_proxy",
]  # for `from conftest import`

ROLEBOT = REPO_ROOT / ".venv" / "bin" / "rolebot"
SIGNING_SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-token"
APP_TOKEN = "xapp-test-token"
ONBOARDING_CHANNEL = "CONBOARD1"
_ids = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix}{os.getpid()}{next(_ids):05d}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bot_env(standin: SlackStandIn, data_dir: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "ROLEBOT_")) and k not in ("DATABASE_URL", "PORT")
    }
    env.update(
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        TOKENIZERS_PARALLELISM="false",
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_API_URL=standin.api_url,
        ROLEBOT_DATA_DIR=str(data_dir),
        ROLEBOT_LOG_LEVEL="INFO",
        ROLEBOT_ONBOARDING_CHANNELS=ONBOARDING_CHANNEL,
        ROLEBOT_WELCOME_DM="1",
    )
    env.update(extra)
    return env


@dataclass
class BotProcess:
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_bot(args: list[str], env: dict[str, str], log_path: Path) -> BotProcess:
    log_file = log_path.open("wb")
    process = subprocess.Popen(
        [str(ROLEBOT), "serve", *args], env=env, stdout=log_file, stderr=subprocess.STDOUT
    )
    return BotProcess(process, log_path)


@dataclass
class SlackSender:
    """Sends signed requests to the bot's HTTP endpoint, as Slack does."""

    base_url: str
    standin: SlackStandIn
    secret: str = SIGNING_SECRET

    def post(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, str]:
        from slack_sdk.signature import SignatureVerifier

        ts = str(timestamp if timestamp is not None else int(time.time()))
        sig = signature or SignatureVerifier(self.secret).generate_signature(
            timestamp=ts, body=body
        )
        request = urllib.request.Request(
            f"{self.base_url}/slack/events",
            data=body.encode(),
            method="POST",
            headers={
                "Content-Type": content_type,
                "X-Slack-Request-Timestamp": ts,
                "X-Slack-Signature": sig,
                **(headers or {}),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def event(
        self, event: dict[str, Any], *, event_id: str | None = None, retry: int | None = None
    ) -> tuple[int, str]:
        envelope = event_envelope(event, event_id or unique("Ev"))
        headers = (
            {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "timeout"} if retry else {}
        )
        return self.post(json.dumps(envelope), "application/json", headers=headers)

    def command(
        self, text: str, *, channel: str | None = None, user: str = "UASKER1"
    ) -> tuple[int, str, str]:
        """Returns (status, body, response name): the response_url ends with that name."""
        name = unique("cmd")
        form = {
            "token": "legacy",
            "team_id": TEAM_ID,
            "channel_id": channel or unique("C"),
            "user_id": user,
            "command": "/role",
            "text": text,
            "response_url": self.standin.response_url(name),
            "trigger_id": unique("trig"),
        }
        status, body = self.post(urlencode(form), "application/x-www-form-urlencoded")
        return status, body, name

    def action(self, payload: dict[str, Any]) -> tuple[int, str]:
        body = urlencode({"payload": json.dumps(payload)})
        return self.post(body, "application/x-www-form-urlencoded")


def event_envelope(event: dict[str, Any], event_id: str) -> dict[str, Any]:
    return {
        "token": "legacy",
        "team_id": TEAM_ID,
        "api_app_id": "A0000001",
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "authorizations": [
            {"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True, "enterprise_id": None}
        ],
    }


def block_action(
    action_id: str,
    value: str,
    *,
    response_name: str,
    standin: SlackStandIn,
    message: dict[str, Any] | None = None,
    channel: str = "C0SHARED1",
    ephemeral: bool = False,
    user: str = "UVOTER01",
) -> dict[str, Any]:
    container: dict[str, Any] = {
        "type": "message",
        "channel_id": channel,
        "is_ephemeral": ephemeral,
    }
    payload: dict[str, Any] = {
        "type": "block_actions",
        "team": {"id": TEAM_ID, "domain": "example"},
        "user": {"id": user, "team_id": TEAM_ID},
        "api_app_id": "A0000001",
        "token": "legacy",
        "container": container,
        "trigger_id": unique("trig"),
        "channel": {"id": channel, "name": "general"},
        "response_url": standin.response_url(response_name),
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": "feedback",
                "value": value,
                "action_ts": str(time.time()),
            }
        ],
    }
    if message is not None:
        container["message_ts"] = message["ts"]
        payload["message"] = message
    return payload


def wait_http_ok(url: str, bot: BotProcess, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if bot.process.poll() is not None:
            raise RuntimeError(f"rolebot serve exited ({bot.process.returncode}):\n{bot.log()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    raise RuntimeError(f"rolebot serve not healthy within {timeout}s:\n{bot.log()}")


# -- session fixtures: one real server (real model) for all end-to-end tests ----------------


@pytest.fixture(scope="session")
def http_standin() -> Iterator[SlackStandIn]:
    standin = SlackStandIn().start()
    yield standin
    standin.stop()


@pytest.fixture(scope="session")
def http_bot(
    http_standin: SlackStandIn, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SlackSender]:
    data_dir = tmp_path_factory.mktemp("rolebot-http")
    port = free_port()
    env = bot_env(http_standin, data_dir, SLACK_SIGNING_SECRET=SIGNING_SECRET, PORT=str(port))
    bot = start_bot([], env, data_dir / "serve.log")
    try:
        wait_http_ok(f"http://127.0.0.1:{port}/healthz", bot)
        sender = SlackSender(f"http://127.0.0.1:{port}", http_standin)
        sender.data_dir = data_dir  # type: ignore[attr-defined]
        sender.bot = bot  # type: ignore[attr-defined]
        yield sender
    finally:
        bot.stop()


# -- a fake engine for fast unit tests -------------------------------------------------------


def citation(*path: str, url: str | None = None, roles: tuple[str, ...] = ("TPM",)) -> Citation:
    return Citation(document=path[0], url=url, section=path[-1], section_path=path, roles=roles)


def answered(text: str = "A TPM contributes to the technical roadmap.", **kw: Any) -> Answer:
    match = Match(
        text=text,
        citation=citation("Role guide", "Technical Product Manager (TPM)", "Focus"),
        score=0.8,
        role_label=kw.pop("role_label", None),
    )
    return Answer(
        question=kw.pop("question", "q"), outcome=Outcome.ANSWERED, matches=(match,), confidence=0.8
    )


class FakeEngine:
    """Returns canned answers; records the questions it was asked."""

    def __init__(self, knowledge: Any, answer: Answer | None = None) -> None:
        self.knowledge = knowledge
        self.questions: list[str] = []
        self.next_answer = answer or answered()
        self.fail = False

    def answer(self, question: str) -> Answer:
        self.questions.append(question)
        if self.fail:
            raise RuntimeError("engine exploded")
        return self.next_answer


@pytest.fixture(scope="session")
def shipped_knowledge() -> Any:
    from knowledge import load_shipped_guide

    return load_shipped_guide()


# -- appended: PostgreSQL, replicas, a killable database, OAuth, in-process dispatch ---------

# `from conftest import …` in this folder must get *this* module. When several test folders are
# given on the command line (`pytest tests/bot/slack tests/bot/storage`), pytest imports their
# conftest.py files up front, each as the module "conftest", and the last one wins in
# sys.modules. Re-point the name at this file before each module of this folder is imported.
_THIS_CONFTEST = sys.modules[__name__]


def pytest_collectstart(collector: pytest.Collector) -> None:
    if isinstance(collector, pytest.Module):
        sys.modules["conftest"] = _THIS_CONFTEST


ADMIN_USER = "U_ADMIN"


def db_rows(url: str, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    """Rows of a query on the bot's database (a short-lived engine of our own)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql), params)]
    finally:
        engine.dispose()


def start_http_bots(
    standin: SlackStandIn, data_dir: Path, names: list[str], envs: list[dict[str, str]]
) -> list[SlackSender]:
    """Start several `rolebot serve --http` processes at once (their model loads overlap) and
    wait until all are healthy. They share `data_dir`, hence the index cache (written
    atomically), so give them a DATABASE_URL; each logs to `<data_dir>/<name>.log`. Each sender
    gets `.bot`; stop them with `stop_bots`."""
    senders: list[SlackSender] = []
    try:
        for name, extra in zip(names, envs, strict=True):
            port = free_port()
            env = bot_env(
                standin,
                data_dir,
                SLACK_SIGNING_SECRET=SIGNING_SECRET,
                PORT=str(port),
                **extra,
            )
            bot = start_bot(["--http"], env, data_dir / f"{name}.log")
            sender = SlackSender(f"http://127.0.0.1:{port}", standin)
            sender.bot = bot  # type: ignore[attr-defined]
            senders.append(sender)
        for sender in senders:
            wait_http_ok(f"{sender.base_url}/healthz", sender.bot)  # type: ignore[attr-defined]
    except BaseException:
        stop_bots(senders)
        raise
    return senders


def stop_bots(senders: list[SlackSender]) -> None:
    """Terminate all first, then wait: their graceful shutdowns overlap."""
    bots: list[BotProcess] = [sender.bot for sender in senders]  # type: ignore[attr-defined]
    for bot in bots:
        if bot.process.poll() is None:
            bot.process.terminate()
    for bot in bots:
        bot.stop()


@pytest.fixture(scope="session")
def shared_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """ROLEBOT_DATA_DIR of the PostgreSQL-backed bots: one index cache, built once."""
    return tmp_path_factory.mktemp("rolebot-shared")


@dataclass
class Replicas:
    """Two `rolebot serve` processes sharing one PostgreSQL schema. `b` reaches it through
    `proxy`, which test_db_outage.py stops to kill the database under it."""

    a: SlackSender
    b: SlackSender
    db_url: str  # direct, for the tests' own queries
    standin: SlackStandIn
    proxy: TcpProxy


@pytest.fixture(scope="session")
def pg_replicas(http_standin: SlackStandIn, shared_data_dir: Path) -> Iterator[Replicas]:
    """Shared by test_replicas.py, test_admin_stats.py and test_db_outage.py, so that they
    cost two model loads in all."""
    from sqlalchemy import make_url

    target = make_url(postgres_env_url())
    with postgres_schema() as url:
        proxy = TcpProxy(target.host or "127.0.0.1", target.port or 5432).start()
        common = {"ROLEBOT_ADMINS": ADMIN_USER}
        envs = [{"DATABASE_URL": url, **common}, {"DATABASE_URL": via_proxy(url, proxy), **common}]
        try:
            senders = start_http_bots(
                http_standin, shared_data_dir, ["replica-a", "replica-b"], envs
            )
            try:
                yield Replicas(senders[0], senders[1], url, http_standin, proxy)
            finally:
                stop_bots(senders)
        finally:
            proxy.stop()


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


def team_envelope(
    event: dict[str, Any], event_id: str, team_id: str, bot_user_id: str
) -> dict[str, Any]:
    envelope = event_envelope(event, event_id)
    envelope["team_id"] = team_id
    envelope["authorizations"] = [
        {"team_id": team_id, "user_id": bot_user_id, "is_bot": True, "enterprise_id": None}
    ]
    return envelope


def http_get(url: str, headers: dict[str, str] | None = None) -> tuple[int, str, Any]:
    """(status, body, headers) of a GET that does not follow redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.read().decode(), response.headers
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(), exc.headers


def mention_event(
    channel: str,
    text: str,
    ts: str | None = None,
    *,
    user: str = "UASKER1",
    bot_user_id: str = BOT_USER_ID,
) -> dict[str, Any]:
    """An app_mention event; `ts` (the question's, and its thread's) defaults to now."""
    ts = ts or f"{time.time():.6f}"
    return {
        "type": "app_mention",
        "user": user,
        "text": f"<@{bot_user_id}> {text}",
        "ts": ts,
        "channel": channel,
        "event_ts": ts,
    }


def channel_message(channel: str, text: str, ts: str, **extra: object) -> dict[str, Any]:
    """A `message` event in a channel; `extra` overrides any field (channel_type="im": a DM)."""
    return {
        "type": "message",
        "channel": channel,
        "user": "UASKER1",
        "text": text,
        "ts": ts,
        "channel_type": "channel",
        **extra,
    }


def in_channel(channel: str) -> Any:
    return lambda call: call.body.get("channel") == channel


# -- in-process: a real Bolt app, signed requests dispatched directly -------------------------


def dispatch_signed(app: Any, body: str, content_type: str) -> int:
    from slack_bolt.request import BoltRequest
    from slack_sdk.signature import SignatureVerifier

    ts = str(int(time.time()))
    signature = SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=ts, body=body)
    headers = {
        "content-type": [content_type],
        "x-slack-request-timestamp": [ts],
        "x-slack-signature": [signature],
    }
    return app.dispatch(BoltRequest(body=body, headers=headers)).status


def command_form(text: str, user: str, response_url: str) -> str:
    return urlencode(
        {
            "token": "legacy",
            "team_id": TEAM_ID,
            "channel_id": unique("C"),
            "user_id": user,
            "command": "/role",
            "text": text,
            "response_url": response_url,
            "trigger_id": unique("trig"),
        }
    )
