"""`rolebot serve` in HTTP mode against a local Web API stand-in: peak memory (VmHWM) after
warm-up and after load, beside a bare model process; then signed slash commands and
app_mention events (with some Slack retries) at concurrency 20: ack latency beside
`GET /healthz` on the same server at the same concurrency, answers per second beside the
engine in-process, and every answer delivered exactly once. Only 127.0.0.1 is contacted."""

from __future__ import annotations

import http.client
import json
import random
import signal
import socket
import subprocess
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import (
    PYTHON,
    ROLEBOT,
    Session,
    children,
    mb,
    percentile,
    proc_status,
    pss_kb,
    repo_cwd,
    subprocess_env,
)
from benchmarks.questions import build_questions
from benchmarks.report import Row, unavailable
from benchmarks.slack_requests import (
    Deliveries,
    SlackRequest,
    app_mention,
    as_retry,
    count_deliveries,
    mention_thread,
    signed_headers,
    slash_command,
)
from tests.support.slack_api import SlackStandIn

MEMORY = "memory"
LOAD = "http load"
SECRET = "bench-signing-secret"
CONCURRENCY = 20
STARTUP_TIMEOUT = 240.0
P99_TARGET_MS = 1000.0
MAX_TARGET_MS = 3000.0

BARE_MODEL_SCRIPT = """
import os, sys
from sentence_transformers import SentenceTransformer
from embeddings.encoder import resolve_model
from bot.settings import BUNDLED_MODEL
model = SentenceTransformer(resolve_model(BUNDLED_MODEL), device="cpu")
model.encode(["who owns the roadmap?"] * 8, normalize_embeddings=True)
for line in open("/proc/self/status"):
    if line.startswith("VmHWM:"):
        print(line.split()[1])
"""


@dataclass(frozen=True)
class Sent:
    kind: str
    status: int
    ms: float


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def timed_request(
    port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None
) -> tuple[int, float]:
    """HTTP status (0 when the connection failed) and milliseconds for one request."""
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        response.read()
        status = response.status
    except OSError:
        status = 0
    finally:
        conn.close()
    return status, (time.perf_counter() - start) * 1000


def send_all(port: int, requests: Sequence[SlackRequest], concurrency: int) -> list[Sent]:
    def one(request: SlackRequest) -> Sent:
        status, ms = timed_request(
            port, "POST", "/slack/events", request.body, signed_headers(SECRET, request)
        )
        return Sent(request.kind, status, ms)

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        return list(pool.map(one, requests))


def build_requests(
    questions: Sequence[str], total: int, standin: SlackStandIn, *, seed: int = 5
) -> tuple[list[SlackRequest], dict[str, str], dict[str, str]]:
    """Half slash commands, the rest app_mentions, one in ten mentions re-sent as a retry
    later in the stream. Returns (requests, event_id → thread ts, command name → channel)."""
    rng = random.Random(seed)
    retries = max(1, total // 20)
    commands_n = total // 2
    mentions_n = total - commands_n - retries
    now = time.time()
    commands = [
        slash_command(i, rng.choice(questions), standin.response_url(f"cmd{i}"))
        for i in range(commands_n)
    ]
    mentions = [app_mention(i, rng.choice(questions), now) for i in range(mentions_n)]
    stream: list[SlackRequest] = [*commands, *mentions]
    rng.shuffle(stream)
    for original in rng.sample(mentions, retries):  # a retry always follows its original
        position = stream.index(original)
        stream.insert(rng.randint(position + 1, len(stream)), as_retry(original))
    threads = {m.key: mention_thread(m) for m in mentions}
    channels = {c.key: f"CCMD{c.key[3:]}" for c in commands}
    return stream, threads, channels


def wait_deliveries(
    standin: SlackStandIn, threads: dict[str, str], channels: dict[str, str], timeout: float
) -> tuple[Deliveries, float]:
    """Poll until every request has an answer (or the timeout); then a short grace period so
    late duplicates are counted too. Returns the counts and the time of the last delivery."""
    deadline = time.monotonic() + timeout
    while True:
        result = count_deliveries(standin.snapshot(), threads, channels)
        if result.missing == 0 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    time.sleep(2.0)
    calls = standin.snapshot()
    answers = [c.at for c in calls if c.method in ("chat.postMessage", "response")]
    return count_deliveries(calls, threads, channels), max(answers, default=time.monotonic())


def bare_model_hwm_kb() -> int | None:
    proc = subprocess.run(
        [PYTHON, "-c", BARE_MODEL_SCRIPT],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        cwd=repo_cwd(),
        timeout=180,
    )
    lines = proc.stdout.split()
    return int(lines[-1]) if proc.returncode == 0 and lines else None


def serve_env(standin: SlackStandIn, data_dir: Path, **settings: str) -> dict[str, str]:
    """The environment of a benchmarked `rolebot serve`: HTTP mode against the stand-in, no
    database, its own data folder, and `settings` on top."""
    env = subprocess_env(
        SLACK_BOT_TOKEN="xoxb-bench",
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=standin.api_url,
        ROLEBOT_DATA_DIR=str(data_dir),
        ROLEBOT_LOG_LEVEL="WARNING",
        **settings,
    )
    env.pop("SLACK_APP_TOKEN", None)
    env.pop("DATABASE_URL", None)
    return env


def start_serve(
    session: Session, env: dict[str, str], log_name: str = "serve.log"
) -> tuple[subprocess.Popen, int, Path]:
    """`rolebot serve --http` on a free port, its output in the session's `log_name`."""
    port = free_port()
    log_path = session.workdir / log_name
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [ROLEBOT, "serve", "--http", "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=repo_cwd(),
        )
    return proc, port, log_path


def wait_ready(proc: subprocess.Popen, port: int, timeout: float) -> str | None:
    """None once GET /healthz answers 200, else why not."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return f"`rolebot serve` exited with code {proc.returncode}"
        status, _ = timed_request(port, "GET", "/healthz")
        if status == 200:
            return None
        time.sleep(0.5)
    return f"`rolebot serve` not ready within {timeout:.0f}s"


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def memory_rows(label: str, master: int, workers: list[int], baseline: int | None) -> list[Row]:
    rows = []
    worker = workers[0] if workers else None
    hwm_worker = proc_status(worker).get("VmHWM") if worker else None
    hwm_master = proc_status(master).get("VmHWM")
    pss = [pss_kb(p) for p in [master, *workers]]
    base = mb(baseline)
    name = "bare model process VmHWM"
    rows.append(Row(MEMORY, f"worker VmHWM {label}", mb(hwm_worker), "MB", name, base))
    rows.append(Row(MEMORY, f"master VmHWM {label}", mb(hwm_master), "MB", name, base))
    if all(p is not None for p in pss):
        total = sum(p for p in pss if p is not None)
        rows.append(
            Row(
                MEMORY,
                f"PSS master+worker {label}",
                mb(total),
                "MB",
                name,
                base,
                note="shared pages split between the forked processes",
            )
        )
    return rows


def run(session: Session) -> list[Row]:
    total = 100 if session.quick else 500
    standin = SlackStandIn().start()
    proc: subprocess.Popen | None = None
    try:
        baseline_kb = bare_model_hwm_kb()
        env = serve_env(standin, session.scratch("serve-data"))
        proc, port, log_path = start_serve(session, env)
        problem = wait_ready(proc, port, STARTUP_TIMEOUT)
        if problem:
            tail = log_path.read_text(errors="replace").strip().splitlines()[-3:]
            reason = f"{problem}: {' | '.join(tail)[:300]}"
            return [
                unavailable(MEMORY, "serve VmHWM", "MB", reason),
                unavailable(LOAD, "ack latency", "ms", reason),
            ]
        workers = children(proc.pid)
        session.log(f"serve: master {proc.pid}, workers {workers}, port {port}")

        from knowledge import load_shipped_guide

        knowledge = load_shipped_guide()
        questions = build_questions(
            sorted({s.heading for s in knowledge.sections}),
            [a for r in knowledge.roles for a in r.aliases],
        )
        warm = [
            slash_command(10_000 + i, q, standin.response_url(f"cmd{10_000 + i}"))
            for i, q in enumerate(questions[:5])
        ] + [app_mention(10_000 + i, q) for i, q in enumerate(questions[5:10])]
        warm_threads = {r.key: mention_thread(r) for r in warm if r.kind == "mention"}
        warm_channels = {r.key: f"CCMD{r.key[3:]}" for r in warm if r.kind == "command"}
        send_all(port, warm, 2)
        wait_deliveries(standin, warm_threads, warm_channels, 60)
        rows = memory_rows("after warm-up", proc.pid, workers, baseline_kb)

        with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
            floor = list(
                pool.map(lambda _: timed_request(port, "GET", "/healthz")[1], range(total))
            )

        requests, threads, channels = build_requests(questions, total, standin)
        start = time.monotonic()
        sent = send_all(port, requests, CONCURRENCY)
        sent_seconds = time.monotonic() - start
        deliveries, last = wait_deliveries(standin, threads, channels, 60 if session.quick else 240)
        elapsed = max(last - start, 1e-9)
        session.log(f"http load: {len(requests)} requests sent in {sent_seconds:.1f}s")
        rows += memory_rows("after load", proc.pid, children(proc.pid) or workers, baseline_kb)
        stop(proc)  # the in-process baseline below gets the machine to itself
        engine_rate = in_process_rate(session, questions[:40])
        rows += load_rows(sent, floor, deliveries, elapsed, engine_rate)
        return rows
    finally:
        if proc is not None:
            stop(proc)
        standin.stop()


def in_process_rate(session: Session, questions: Sequence[str]) -> float:
    """Answers per second of the engine in this process, one question after another."""
    from bot.engine import Engine
    from knowledge import load_shipped_guide

    engine = Engine(load_shipped_guide(), session.encoder, cache_dir=session.scratch("rate"))
    engine.answer(questions[0])
    start = time.perf_counter()
    for question in questions:
        engine.answer(question)
    return len(questions) / (time.perf_counter() - start)


def load_rows(
    sent: list[Sent],
    floor: list[float],
    deliveries: Deliveries,
    elapsed: float,
    engine_rate: float,
) -> list[Row]:
    acks = [s.ms for s in sent]
    ok = sum(1 for s in sent if 200 <= s.status < 300)
    over = sum(1 for ms in acks if ms > MAX_TARGET_MS)
    p50, p99, worst = percentile(acks, 50), percentile(acks, 99), max(acks)
    floor_name = "GET /healthz, same server"
    answered = deliveries.exactly_once + deliveries.duplicated
    by_kind = {
        kind: [s.ms for s in sent if s.kind in kinds_of]
        for kind, kinds_of in (("slash commands", ("command",)), ("events", ("mention", "retry")))
    }
    kinds = json.dumps(dict(sorted(Counter(s.kind for s in sent).items())))
    return [
        Row(LOAD, f"ack p50 ({len(sent)} signed requests, c={CONCURRENCY})", p50, "ms",
            f"{floor_name} p50", percentile(floor, 50), note=kinds),
        Row(LOAD, "ack p99", p99, "ms", f"{floor_name} p99", percentile(floor, 99),
            f"< {P99_TARGET_MS:.0f} ms", p99 < P99_TARGET_MS),
        Row(LOAD, "ack max", worst, "ms", f"{floor_name} max", max(floor),
            f"≤ {MAX_TARGET_MS:.0f} ms", worst <= MAX_TARGET_MS),
        *(
            Row(LOAD, f"ack p99, {kind}", percentile(acks_of, 99), "ms", f"{floor_name} p99",
                percentile(floor, 99), note=f"max {max(acks_of):,.0f} ms")
            for kind, acks_of in by_kind.items() if acks_of
        ),
        Row(LOAD, "acks over 3 s", over, "count", target="0", passed=over == 0),
        Row(LOAD, "non-2xx acks", len(sent) - ok, "count", target="0", passed=ok == len(sent)),
        Row(LOAD, "answers/s (first send → last answer)", answered / elapsed, "/s",
            "engine in-process, sequential", engine_rate,
            note="in-process rate measured right after the load test"),
        Row(LOAD, "answers delivered exactly once", deliveries.exactly_once, "count",
            "requests needing one answer", deliveries.expected,
            "all", deliveries.exactly_once == deliveries.expected,
            note=f"missing {deliveries.missing}, duplicated {deliveries.duplicated}, "
            f"error replies {deliveries.errors}"),
    ]  # fmt: skip
