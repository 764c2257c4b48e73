"""Hostile input has bounded memory: 20 questions of 2,000 characters of nonsense (every word
unknown, so every word is encoded beside the question), answered 8 at a time as the server's
threads do, raise a fresh process's peak memory by at most 64 MB over its idle figure. The
process runs the serving encoder (onnxruntime, one thread per question) on the shipped guide;
its peak is read from /proc (VmHWM, reset once idle). With torch and every word padded to the
longest, three such questions took a worker to 1.6 GB."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.paths import REPO_ROOT

from bot.settings import Settings

LIMIT_MB = 64

SCRIPT = r"""
import json, random, sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bot.engine import MAX_QUESTION_CHARS, build_engine
from knowledge import load_shipped_guide


def kib(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1])


def nonsense(seed):
    rng = random.Random(seed)
    words = []
    while sum(len(w) + 1 for w in words) <= MAX_QUESTION_CHARS:
        words.append("".join(rng.choice("bcdfghjklmnpqrstvwxz") for _ in range(rng.randint(3, 14))))
    return " ".join(words)[: MAX_QUESTION_CHARS - 1] + "q"


cache, shared = Path(sys.argv[1]), Path(sys.argv[2])
engine, _ = build_engine(
    load_shipped_guide(), "bundled:all-MiniLM-L6-v2", cache, shared_cache_dir=shared, threads=1
)
for question in ("Who owns the technical roadmap?", "what does a pm do", nonsense(-1)[:300]):
    engine.answer(question)  # warm: the session, its first shapes, the answer path
questions = [nonsense(seed) for seed in range(20)]
idle = kib("VmRSS")
with open("/proc/self/clear_refs", "w") as handle:
    handle.write("5")  # VmHWM := VmRSS
with ThreadPoolExecutor(8) as pool:
    answers = list(pool.map(engine.answer, questions))
print(json.dumps({
    "idle_kib": idle,
    "peak_kib": kib("VmHWM"),
    "lengths": sorted({len(q) for q in questions}),
    "outcomes": sorted({a.outcome.value for a in answers}),
}))
"""


@pytest.mark.skipif(not Path("/proc/self/clear_refs").exists(), reason="needs Linux /proc")
def test_twenty_hostile_questions_at_once_raise_peak_memory_by_at_most_64_mb(
    onnx_encoder, tmp_path
):
    import json

    user_cache = Settings.from_env().user_cache_dir
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path), str(user_cache / "onnx")],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])

    assert result["lengths"] == [2000]
    assert result["outcomes"] == ["not_covered"]
    grew = (result["peak_kib"] - result["idle_kib"]) / 1024
    assert grew <= LIMIT_MB, f"peak memory grew {grew:.0f} MB over idle ({result})"
