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

REPO_ROOT = Path(__file__).resolve().parents[3]
# tests/ is on sys.path (rootdir conftest) and tests/bot, tests/knowledge have no __init__.py:
# put the project first so `bot` and `knowledge` are the real packages, not namespace ones.
# (pyproject's `pythonpath = ["."]` would do this for every test; see the PR notes.)
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(Path(__file__).parent))

from slack_standin import BOT_USER_ID, TEAM_ID, SlackStandIn  # noqa: E402

from bot.types import Answer, Citation, Match, Outcome  # noqa: E402

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
