"""The lean runtime, both encoders side by side in one run (ROLEBOT_ENCODER=onnx, the default,
and =torch): per-question p50 beside a bare onnxruntime encode (the floor), `rolebot ask` cold
start, `rolebot serve --http` ready time and the process tree's PSS after loading and after the
500-request load test; parity of the two backends on every labelled question of the guide and
the seed article; int8 (dynamic, per channel) as an experiment; the compressed size of the
installed environment against a 500 MB slug limit. Only 127.0.0.1 is contacted."""

from __future__ import annotations

import gzip
import subprocess
import tarfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from benchmarks import REPO_ROOT
from benchmarks.cold_start import first_output_seconds
from benchmarks.common import (
    PYTHON,
    ROLEBOT,
    Session,
    children,
    mb,
    median,
    percentile,
    pss_kb,
    repo_cwd,
    subprocess_env,
)
from benchmarks.report import Row, unavailable

NAME = "runtime"
BACKENDS = ("onnx", "torch")
PSS_TARGET_MB = 256.0
READY_TARGET_S = 2.0
COLD_TARGET_S = 2.0
P50_TARGET_RATIO = 1.3
PARITY_COSINE = 0.999
SLUG_LIMIT_MB = 500.0
QUESTION = "Who owns the technical roadmap?"
WARMUP = 10
ROUNDS = 3  # each question timed once per round; its median is its figure


def run(session: Session) -> list[Row]:
    rows: list[Row] = []
    for part in (latency_rows, cold_start_rows, serve_rows, parity_rows, slug_rows):
        try:
            rows += part(session)
        except Exception as exc:  # one broken part must not hide the others
            session.log(f"runtime: {part.__name__} failed: {exc!r}")
            rows.append(unavailable(NAME, part.__name__, "", f"{exc!r}"[:200]))
    return rows


# -- encoders and engines, built once -----------------------------------------------------------


def onnx_encoder(session: Session, threads: int | None = 1):
    from bot.settings import BUNDLED_MODEL, Settings
    from embeddings.onnx import OnnxEncoder

    user_cache = Settings.from_env().user_cache_dir
    return OnnxEncoder(
        BUNDLED_MODEL,
        session.scratch("runtime-cache"),
        shared_dir=user_cache / "onnx" if user_cache else None,
        threads=threads,
    )


def torch_encoder(threads: int = 1):
    from bot.settings import BUNDLED_MODEL
    from embeddings.encoder import SentenceTransformerEncoder

    return SentenceTransformerEncoder(BUNDLED_MODEL, threads=threads)


def bare_onnx(encoder) -> Callable[[str], np.ndarray]:
    """The floor: tokenize one question, one onnxruntime run, mean pooling, normalise; no
    engine (its own session, one thread)."""
    from embeddings.onnx import _open_session

    session = _open_session(encoder.path, 1)

    def encode(question: str) -> np.ndarray:
        ids = np.array([encoder.tokens([question])[0]], dtype=np.int64)
        mask = np.ones_like(ids)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = session.run(["last_hidden_state"], feeds)[0]
        vector = hidden.mean(axis=1)[0]
        return vector / np.linalg.norm(vector)

    return encode


# -- per-question latency -------------------------------------------------------------------


def latency_rows(session: Session) -> list[Row]:
    from benchmarks.questions import build_questions
    from bot.engine import Engine
    from embeddings.words import WordTable
    from knowledge import load_shipped_guide

    knowledge = load_shipped_guide()
    cache = session.scratch("runtime-cache")
    lean = onnx_encoder(session)
    _, table = WordTable.build(lean, cache)  # as `rolebot index` does; torch encodes words
    engines = {
        "onnx": Engine(knowledge, lean, cache_dir=cache),
        "torch": Engine(knowledge, torch_encoder(), cache_dir=cache),
    }
    minimum = 60 if session.quick else 200
    questions = build_questions(
        sorted({s.heading for s in knowledge.sections}),
        [a for r in knowledge.roles for a in r.aliases],
        minimum=minimum,
        limit=minimum + 20,
    )
    vectors = engines["onnx"].index.vectors
    floor = bare_onnx(lean)
    inside: list[float] = []  # time the onnx engine spends in its encoder, per question
    encode_queries = lean.encode_queries

    def timed_encode(texts: Sequence[str]) -> np.ndarray:
        start = time.perf_counter()
        try:
            return encode_queries(texts)
        finally:
            inside.append((time.perf_counter() - start) * 1000)

    lean.encode_queries = timed_encode  # type: ignore[method-assign]
    runners: list[tuple[str, Callable[[str], object]]] = [
        ("onnx", engines["onnx"].answer),
        ("torch", engines["torch"].answer),
        ("bare", lambda q: int(np.argmax(vectors @ floor(q)))),
    ]
    for question in questions[:WARMUP]:
        for _, fn in runners:
            fn(question)
    rounds = 1 if session.quick else ROUNDS
    times: dict[str, list[list[float]]] = {name: [[] for _ in questions] for name, _ in runners}
    encoding: list[list[float]] = [[] for _ in questions]
    for round_number in range(rounds):
        for engine in engines.values():  # every round starts with no word encoded yet
            engine.retriever.words.forget()
        for number, question in enumerate(questions):
            shift = (number + round_number) % len(runners)
            for name, fn in runners[shift:] + runners[:shift]:
                inside.clear()
                start = time.perf_counter()
                fn(question)
                times[name][number].append((time.perf_counter() - start) * 1000)
                if name == "onnx":
                    encoding[number].append(sum(inside))
    session.log(
        f"runtime latency: {len(questions)} questions × {len(runners)} paths × {rounds} rounds, "
        "1 thread; each question's median over the rounds"
    )
    per_question = {name: [median(t) for t in runs] for name, runs in times.items()}
    bare50 = percentile(per_question["bare"], 50)
    floor_name = "bare onnxruntime encode+dot p50"
    onnx50 = percentile(per_question["onnx"], 50)
    within = onnx50 <= P50_TARGET_RATIO * bare50
    how = "read from cache" if table.from_cache else "built"
    return [
        Row(NAME, f"engine p50, onnx ({len(questions)} questions, 1 thread)", onnx50, "ms",
            floor_name, bare50, f"≤ {P50_TARGET_RATIO}× floor", within),
        Row(NAME, "engine p50, torch (1 thread)", percentile(per_question["torch"], 50), "ms",
            floor_name, bare50),
        Row(NAME, "of which in the encoder, onnx engine p50",
            percentile([median(e) for e in encoding], 50), "ms",
            floor_name, bare50, note="the engine encodes the question and its role-masked "
            "form; unknown words are read from the word table"),
        Row(NAME, "engine p99, onnx / torch", percentile(per_question["onnx"], 99), "ms",
            "engine p99, torch", percentile(per_question["torch"], 99)),
        Row(NAME, f"word table, onnx: {table.words} words, {how} (1 thread)", table.seconds, "s",
            note=f"{table.bytes / 1e6:.1f} MB on disk"),
    ]  # fmt: skip


# -- cold start -----------------------------------------------------------------------------


def cold_start_rows(session: Session) -> list[Row]:
    data_dir = session.scratch("runtime-cold")
    rounds = 2 if session.quick else 3
    floor_argv = [PYTHON, "-c", "import numpy, onnxruntime, tokenizers"]
    firsts: dict[str, list[float]] = {b: [] for b in BACKENDS}
    exits: dict[str, list[float]] = {b: [] for b in BACKENDS}
    floors: list[float] = []
    envs = {
        b: subprocess_env(ROLEBOT_DATA_DIR=str(data_dir), ROLEBOT_ENCODER=b, COLUMNS="100")
        for b in BACKENDS
    }
    for backend in BACKENDS:  # the index caches, word table and ONNX graph, as `make install`
        subprocess.run([ROLEBOT, "index"], env=envs[backend], cwd=repo_cwd(), capture_output=True)
        first_output_seconds([ROLEBOT, "ask", QUESTION], envs[backend])
    for _ in range(rounds):
        floors.append(first_output_seconds(floor_argv, envs["onnx"])[1])
        for backend in BACKENDS:
            first, total, _ = first_output_seconds([ROLEBOT, "ask", QUESTION], envs[backend])
            firsts[backend].append(first)
            exits[backend].append(total)
    session.log(f"runtime cold start: {rounds} alternating rounds")
    floor_name = "python -c 'import numpy, onnxruntime, tokenizers'"
    onnx_first = median(firsts["onnx"])
    return [
        Row(NAME, f"rolebot ask → first line, onnx (median of {rounds})", onnx_first, "s",
            floor_name, median(floors), f"≤ {COLD_TARGET_S:.0f} s", onnx_first <= COLD_TARGET_S),
        Row(NAME, "rolebot ask → exit, onnx", median(exits["onnx"]), "s", floor_name,
            median(floors)),
        Row(NAME, "rolebot ask → first line, torch", median(firsts["torch"]), "s",
            "onnx", onnx_first),
        Row(NAME, "rolebot ask → exit, torch", median(exits["torch"]), "s", "onnx",
            median(exits["onnx"])),
    ]  # fmt: skip


# -- rolebot serve ------------------------------------------------------------------------------


def tree_pss_kb(pid: int) -> int | None:
    values = [pss_kb(p) for p in [pid, *children(pid)]]
    return None if any(v is None for v in values) else sum(v for v in values if v is not None)


def serve_rows(session: Session) -> list[Row]:
    from benchmarks.serve_load import (
        build_requests,
        send_all,
        serve_env,
        start_serve,
        stop,
        timed_request,
        wait_deliveries,
    )
    from benchmarks.slack_requests import app_mention, mention_thread
    from knowledge import load_shipped_guide
    from tests.support.slack_api import SlackStandIn

    knowledge = load_shipped_guide()
    from benchmarks.questions import build_questions

    questions = build_questions(
        sorted({s.heading for s in knowledge.sections}),
        [a for r in knowledge.roles for a in r.aliases],
    )
    total = 100 if session.quick else 500
    found: dict[str, dict[str, float | None]] = {}
    for backend in BACKENDS:
        standin = SlackStandIn().start()
        data_dir = session.scratch(f"runtime-serve-{backend}")
        env = serve_env(standin, data_dir, ROLEBOT_ENCODER=backend)
        subprocess.run([ROLEBOT, "index"], env=env, cwd=repo_cwd(), capture_output=True)
        began = time.perf_counter()
        proc, port, _ = start_serve(session, env, f"serve-{backend}.log")
        try:
            ready = None
            while time.perf_counter() - began < 240 and proc.poll() is None:
                if timed_request(port, "GET", "/healthz")[0] == 200:
                    ready = time.perf_counter() - began
                    break
                time.sleep(0.05)
            if ready is None:
                found[backend] = {}
                continue
            warm = [app_mention(20_000 + i, q) for i, q in enumerate(questions[:10])]
            send_all(port, warm, 2)
            wait_deliveries(standin, {r.key: mention_thread(r) for r in warm}, {}, 60)
            loaded = tree_pss_kb(proc.pid)
            requests, threads, channels = build_requests(questions, total, standin)
            send_all(port, requests, 20)
            deliveries, _ = wait_deliveries(standin, threads, channels, 240)
            after = tree_pss_kb(proc.pid)
            stop(proc)
            found[backend] = {
                "ready": ready,
                "loaded": mb(loaded),
                "after": mb(after),
                "mentions": float(sum(1 for r in requests if r.kind == "mention")),
                "once": float(deliveries.exactly_once),
                "expected": float(deliveries.expected),
                "exit": float(proc.returncode if proc.returncode is not None else -1),
            }
            session.log(f"runtime serve {backend}: {found[backend]}")
        finally:
            stop(proc)
            standin.stop()
    onnx, torch = found.get("onnx", {}), found.get("torch", {})
    rows = []
    if onnx.get("ready") is None:
        return [unavailable(NAME, "serve, onnx", "", "not ready within 240 s")]
    after = onnx["after"]
    rows += [
        Row(NAME, "serve ready (start → /healthz 200), onnx", onnx["ready"], "s",
            "torch", torch.get("ready"), f"≤ {READY_TARGET_S:.0f} s",
            onnx["ready"] is not None and onnx["ready"] <= READY_TARGET_S),
        Row(NAME, "serve PSS, master+worker, after load, onnx", onnx["loaded"], "MB",
            "torch", torch.get("loaded")),
        Row(NAME, f"serve PSS after {total} requests ({onnx['mentions']:.0f} mentions), onnx",
            after, "MB", "torch", torch.get("after"), f"≤ {PSS_TARGET_MB:.0f} MB",
            after is not None and after <= PSS_TARGET_MB),
        Row(NAME, "answers delivered exactly once, onnx", onnx["once"], "count",
            "requests needing one answer", onnx["expected"], "all",
            onnx["once"] == onnx["expected"]),
        Row(NAME, "serve exit code on SIGTERM, onnx / torch", onnx["exit"], "",
            "torch", torch.get("exit"), "0", onnx["exit"] == 0),
    ]  # fmt: skip
    return rows


# -- parity and int8 --------------------------------------------------------------------------


def labelled(corpus: str) -> list[str]:
    import json

    from benchmarks import shared_dir

    files = sorted((REPO_ROOT / "eval").glob(f"{corpus}/*.jsonl"))
    files += sorted((REPO_ROOT / "eval").glob(f"{corpus}-*.jsonl"))
    if corpus == "article":
        files.append(shared_dir() / "eval" / "dev-questions.jsonl")
    seen: dict[str, None] = {}
    for path in files:
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    seen.setdefault(json.loads(line)["question"], None)
    return list(seen)


def int8_encoder(session: Session, encoder):
    """The same encoder on a dynamically quantized graph (int8 weights, per channel)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    path = session.scratch("runtime-int8") / "model-int8.onnx"
    if not path.exists():
        quantize_dynamic(
            str(encoder.path), str(path), per_channel=True, weight_type=QuantType.QInt8
        )
    quantized = onnx_encoder(session)
    quantized.release()
    quantized.path = path
    quantized.name = quantized.name.replace("(onnx)", "(onnx int8)")
    quantized.load()
    return quantized


def parity_rows(session: Session) -> list[Row]:
    from bot.engine import Engine, embed_text
    from knowledge import load_knowledge, load_shipped_guide

    seed = session_seed()
    knowledge = {"guide": load_shipped_guide(), "article": load_knowledge([seed])}
    cache = session.scratch("runtime-parity")
    reference, lean = torch_encoder(), onnx_encoder(session)
    quantized = int8_encoder(session, lean)
    step = 10 if session.quick else 1
    rows: list[Row] = []
    agree = {"onnx": 0, "int8": 0}
    asked = 0
    cosines: dict[str, list[float]] = {"onnx": [], "int8": []}
    for corpus, kb in knowledge.items():
        questions = labelled(corpus)[::step]
        texts = questions + [t for p in kb.passages for t in (embed_text(p), p.text)]
        want = reference.encode_queries(texts)
        engines = {
            "torch": Engine(kb, reference, cache_dir=cache),
            "onnx": Engine(kb, lean, cache_dir=cache),
            "int8": Engine(kb, quantized, cache_dir=cache),
        }
        for name, encoder in (("onnx", lean), ("int8", quantized)):
            cosines[name].append(float((want * encoder.encode_queries(texts)).sum(axis=1).min()))
        for question in questions:
            answers = {name: engine.answer(question) for name, engine in engines.items()}
            key = {name: outcome_and_top(a) for name, a in answers.items()}
            asked += 1
            for name in ("onnx", "int8"):
                agree[name] += key[name] == key["torch"]
    session.log(f"runtime parity: {asked} labelled questions, agreement {agree}")
    size = {n: p.stat().st_size / 1e6 for n, p in (("onnx", lean.path), ("int8", quantized.path))}
    hwm = {
        name: bare_session_hwm_mb(path)
        for name, path in (("onnx", lean.path), ("int8", quantized.path))
    }
    for name in ("onnx", "int8"):
        label = "onnx" if name == "onnx" else "int8 (experiment, not shipped)"
        rows += [
            Row(NAME, f"parity {label}: min cosine to torch (questions + passages)",
                min(cosines[name]), "", target=f"≥ {PARITY_COSINE}",
                passed=min(cosines[name]) >= PARITY_COSINE, note=f"{min(cosines[name]):.6f}"),
            Row(NAME, f"parity {label}: same outcome and top-1 section", agree[name], "count",
                "labelled questions", asked, "all", agree[name] == asked),
            Row(NAME, f"{label}: graph size / bare session VmHWM", size[name], "MB",
                "bare session VmHWM, MB", hwm[name]),
        ]  # fmt: skip
    return rows


def outcome_and_top(answer) -> tuple[str, tuple[str, ...] | None]:
    top = answer.best or (answer.alternatives[0] if answer.alternatives else None)
    return answer.outcome.value, (top.citation.section_path if top else None)


def session_seed() -> Path:
    from benchmarks import shared_dir

    return shared_dir() / "seed" / "pm-vs-tpm-article.txt"


BARE_SESSION_SCRIPT = """
import sys, numpy as np, onnxruntime as ort
options = ort.SessionOptions(); options.intra_op_num_threads = 1
options.enable_cpu_mem_arena = False
session = ort.InferenceSession(sys.argv[1], options, providers=["CPUExecutionProvider"])
ids = np.ones((1, 12), dtype=np.int64)
session.run(None, {"input_ids": ids, "attention_mask": ids, "token_type_ids": 0 * ids})
for line in open("/proc/self/status"):
    if line.startswith("VmHWM:"):
        print(int(line.split()[1]) / 1024)
"""


def bare_session_hwm_mb(path: Path) -> float | None:
    done = subprocess.run(
        [PYTHON, "-c", BARE_SESSION_SCRIPT, str(path)],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        timeout=120,
    )
    return float(done.stdout.split()[-1]) if done.returncode == 0 and done.stdout else None


# -- slug size ----------------------------------------------------------------------------------


class _Counter:
    def __init__(self) -> None:
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        pass


def compressed_mb(root: Path, skip: Sequence[str] = ()) -> float:
    """gzip (level 6) tar of `root`, as a platform builds a slug; `skip`: top-level package
    folders of site-packages left out."""
    counter = _Counter()

    def keep(info: tarfile.TarInfo) -> tarfile.TarInfo | None:
        parts = Path(info.name).parts
        if "__pycache__" in parts:
            return None
        if "site-packages" in parts:
            rest = parts[parts.index("site-packages") + 1 :]
            if rest and any(rest[0] == s or rest[0].startswith(f"{s}-") for s in skip):
                return None
        return info

    with (
        gzip.GzipFile(fileobj=counter, mode="wb", compresslevel=6, mtime=0) as zipped,  # type: ignore[arg-type]
        tarfile.open(fileobj=zipped, mode="w|") as tar,
    ):
        tar.add(str(root), arcname=".", filter=keep)
    return counter.size / 1e6


def slug_rows(session: Session) -> list[Row]:
    if session.quick:
        return [unavailable(NAME, "slug size", "MB", "skipped in --quick")]
    venv = Path(PYTHON).parent.parent
    whole = compressed_mb(venv)
    serving = compressed_mb(
        venv, ("torch", "transformers", "sentence_transformers", "sympy", "nvidia", "triton")
    )
    return [
        Row(NAME, "installed environment, tar.gz (everything: tune + tests need torch)", whole,
            "MB", "slug limit", SLUG_LIMIT_MB, f"≤ {SLUG_LIMIT_MB:.0f} MB",
            whole <= SLUG_LIMIT_MB),
        Row(NAME, "installed environment without torch/transformers (serving only)", serving,
            "MB", "slug limit", SLUG_LIMIT_MB, note="what a serving-only install would ship"),
    ]  # fmt: skip
