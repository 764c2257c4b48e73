"""The lean runtime of `rolebot serve --http`: the model session lives in the gunicorn worker
only (onnxruntime is not fork-safe), the server stops cleanly on SIGTERM, and hostile
questions leave the worker's memory bounded. One server of our own, on a fresh data directory
(so the master encodes the index before forking: the case that used to abort at shutdown)."""

from __future__ import annotations

import random
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.serve_process import BotProcess, bot_env, free_port, start_bot, wait_http_ok
from support.slack_api import SlackStandIn, in_channel
from support.slack_events import mention_event, unique
from support.slack_sender import SIGNING_SECRET, SlackSender

pytestmark = pytest.mark.slow

HOSTILE_LIMIT_MB = 64
CRASH_MARKS = ("Aborted", "terminate called", "core dumped", "SIGABRT", "SIGSEGV", "Traceback")


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def status_kib(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key):
            return int(line.split()[1])
    raise KeyError(key)


def nonsense(seed: int, length: int = 2000) -> str:
    rng = random.Random(seed)
    words: list[str] = []
    while sum(len(w) + 1 for w in words) <= length:
        words.append("".join(rng.choice("bcdfghjklmnpqrstvwxz") for _ in range(rng.randint(3, 14))))
    return " ".join(words)[: length - 1] + "q"


@pytest.fixture(scope="module")
def standin() -> Iterator[SlackStandIn]:
    standin = SlackStandIn().start()
    yield standin
    standin.stop()


@pytest.fixture(scope="module")
def served(standin, onnx_encoder, tmp_path_factory) -> Iterator[tuple[SlackSender, BotProcess]]:
    data_dir = tmp_path_factory.mktemp("rolebot-lean")
    port = free_port()
    env = bot_env(standin, data_dir, SLACK_SIGNING_SECRET=SIGNING_SECRET, PORT=str(port))
    bot = start_bot(["--http"], env, data_dir / "serve.log")
    try:
        wait_http_ok(f"http://127.0.0.1:{port}/healthz", bot)
        yield SlackSender(f"http://127.0.0.1:{port}", standin), bot
    finally:
        bot.stop()


def ask(sender: SlackSender, text: str) -> str:
    channel = unique("C")
    status, _ = sender.event(mention_event(channel, text))
    assert status == 200
    return channel


def maps_onnxruntime(pid: int) -> bool:
    return "onnxruntime" in Path(f"/proc/{pid}/maps").read_text()


def test_the_model_runs_in_the_worker_only(served):
    """The master encoded the index (fresh data directory) without importing onnxruntime,
    in a child process; the worker opened the session before it took requests."""
    _, bot = served
    (worker,) = children(bot.process.pid)

    assert not maps_onnxruntime(bot.process.pid)
    assert maps_onnxruntime(worker)
    assert "index: encoded" in bot.log()  # the cold case, the one that forked a session


def test_hostile_questions_raise_the_workers_peak_memory_by_at_most_64_mb(served):
    sender, bot = served
    (worker,) = children(bot.process.pid)
    channel = ask(sender, "Who owns the technical roadmap?")
    sender.standin.wait_for("chat.postMessage", in_channel(channel), timeout=60)
    idle = status_kib(worker, "VmRSS")
    Path(f"/proc/{worker}/clear_refs").write_text("5")  # VmHWM := VmRSS

    channels = [ask(sender, nonsense(seed)) for seed in range(20)]
    for channel in channels:
        sender.standin.wait_for("chat.postMessage", in_channel(channel), timeout=120)

    grew = (status_kib(worker, "VmHWM") - idle) / 1024
    assert grew <= HOSTILE_LIMIT_MB, f"the worker's peak grew {grew:.0f} MB over idle"


def test_sigterm_stops_the_server_cleanly(served):
    sender, bot = served
    channel = ask(sender, "What does a PM focus on?")
    sender.standin.wait_for("chat.postMessage", in_channel(channel), timeout=60)
    (worker,) = children(bot.process.pid)

    bot.process.send_signal(signal.SIGTERM)
    code = bot.process.wait(timeout=30)
    time.sleep(0.2)

    log = bot.log()
    assert code == 0, log[-3000:]
    assert not [mark for mark in CRASH_MARKS if mark in log], log[-3000:]
    assert f"Worker exiting (pid: {worker})" in log
