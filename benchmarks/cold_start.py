"""Cold start: process start to the first printed answer of `rolebot ask "..."` with a warm
index cache, beside `python -c "import sentence_transformers"` in the same venv.

Runs alternate (baseline, rolebot, baseline, ...) and the medians are compared, so load from
other processes hits both sides."""

from __future__ import annotations

import subprocess
import time

from benchmarks.common import PYTHON, ROLEBOT, Session, median, repo_cwd, subprocess_env
from benchmarks.report import Row

NAME = "cold start"
TARGET_RATIO = 1.3
QUESTION = "Who owns the product roadmap?"
TIMEOUT = 120


def first_output_seconds(argv: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """(seconds to the first stdout line, seconds to exit, exit code)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd=repo_cwd()
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    first_at = time.perf_counter() - start
    proc.stdout.read()
    code = proc.wait(timeout=TIMEOUT)
    total = time.perf_counter() - start
    return (first_at if first else total), total, code


def run(session: Session) -> list[Row]:
    data_dir = session.scratch("cold-start")
    env = subprocess_env(ROLEBOT_DATA_DIR=str(data_dir), COLUMNS="100")
    ask = [ROLEBOT, "ask", QUESTION]
    baseline = [PYTHON, "-c", "import sentence_transformers"]
    _, _, code = first_output_seconds(ask, env)  # warms the index cache
    if code != 0:
        return [Row(NAME, "rolebot ask", None, "s", note=f"unavailable: exit code {code}")]
    rounds = 2 if session.quick else 3
    ask_first: list[float] = []
    ask_total: list[float] = []
    imports: list[float] = []
    helps: list[float] = []
    bare_python: list[float] = []
    for _ in range(rounds):
        imports.append(first_output_seconds(baseline, env)[1])
        first, total, _ = first_output_seconds(ask, env)
        ask_first.append(first)
        ask_total.append(total)
        helps.append(first_output_seconds([ROLEBOT, "--help"], env)[1])
        bare_python.append(first_output_seconds([PYTHON, "-c", "pass"], env)[1])
    session.log(f"cold start: {rounds} alternating rounds")
    ratio = median(ask_first) / median(imports)
    import_name = "python -c 'import sentence_transformers'"
    return [
        Row(
            NAME,
            f"rolebot ask → first answer line (median of {rounds})",
            median(ask_first),
            "s",
            import_name,
            median(imports),
            f"≤ {TARGET_RATIO}× baseline",
            ratio <= TARGET_RATIO,
        ),
        Row(NAME, "rolebot ask → exit", median(ask_total), "s", import_name, median(imports)),
        Row(
            NAME,
            "rolebot --help (no model)",
            median(helps),
            "s",
            "python -c pass",
            median(bare_python),
            note="the CLI imports torch only for commands that need it",
        ),
    ]
