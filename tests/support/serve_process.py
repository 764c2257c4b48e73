"""`rolebot serve` as a real process: its environment (talking to a Slack stand-in), starting
it, waiting until it is healthy, stopping it; several at once; the PostgreSQL replica pair."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from support.paths import REPO_ROOT
from support.slack_api import SlackStandIn
from support.slack_sender import SIGNING_SECRET, SlackSender
from support.tcp_proxy import TcpProxy

ROLEBOT = REPO_ROOT / ".venv" / "bin" / "rolebot"
BOT_TOKEN = "xoxb-test-token"
APP_TOKEN = "xapp-test-token"
ONBOARDING_CHANNEL = "CONBOARD1"
ADMIN_USER = "U_ADMIN"  # ROLEBOT_ADMINS of the replicas


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bot_env(standin: SlackStandIn, data_dir: Path, **extra: str) -> dict[str, str]:
    """This environment without SLACK_*, ROLEBOT_*, DATABASE_URL and PORT, offline, pointed
    at `standin`, keeping its data in `data_dir`; `extra` added last."""
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
    """`rolebot serve <args>`, its output (stdout and stderr) going to `log_path`."""
    log_file = log_path.open("wb")
    process = subprocess.Popen(
        [str(ROLEBOT), "serve", *args], env=env, stdout=log_file, stderr=subprocess.STDOUT
    )
    return BotProcess(process, log_path)


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
            senders.append(SlackSender(f"http://127.0.0.1:{port}", standin, bot=bot))
        for sender in senders:
            wait_http_ok(f"{sender.base_url}/healthz", _process(sender))
    except BaseException:
        stop_bots(senders)
        raise
    return senders


def stop_bots(senders: list[SlackSender]) -> None:
    """Terminate all first, then wait: their graceful shutdowns overlap."""
    bots = [_process(sender) for sender in senders]
    for bot in bots:
        if bot.process.poll() is None:
            bot.process.terminate()
    for bot in bots:
        bot.stop()


def _process(sender: SlackSender) -> BotProcess:
    assert sender.bot is not None, f"no process known behind {sender.base_url}"
    return sender.bot


@dataclass
class Replicas:
    """Two `rolebot serve` processes sharing one PostgreSQL schema. `b` reaches it through
    `proxy`, which test_db_outage.py stops to kill the database under it."""

    a: SlackSender
    b: SlackSender
    db_url: str  # direct, for the tests' own queries
    standin: SlackStandIn
    proxy: TcpProxy
