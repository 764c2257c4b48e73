"""What every benchmark shares: percentiles, /proc readings, subprocess environment, the
session (quick mode, a scratch folder, the model loaded once, results other benchmarks reuse).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console

from benchmarks import REPO_ROOT

if TYPE_CHECKING:
    from embeddings.encoder import SentenceTransformerEncoder

PYTHON = sys.executable
ROLEBOT = str(Path(sys.executable).with_name("rolebot"))


def percentile(values: Sequence[float], p: float) -> float:
    """Linear-interpolated percentile (numpy's default method), p in [0, 100]."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(values: Sequence[float]) -> float:
    return percentile(values, 50)


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """(seconds, result) of one call."""
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def proc_status(pid: int | str = "self") -> dict[str, int]:
    """The kB fields of /proc/<pid>/status (VmRSS, VmHWM, ...), in kB; {} if gone."""
    out: dict[str, int] = {}
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return out
    for line in text.splitlines():
        key, _, rest = line.partition(":")
        parts = rest.split()
        if len(parts) == 2 and parts[1] == "kB":
            out[key] = int(parts[0])
    return out


def pss_kb(pid: int | str = "self") -> int | None:
    """Proportional set size (shared pages split between their users), in kB."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return None


def children(pid: int) -> list[int]:
    """Direct child processes of `pid`."""
    found: list[int] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # the command name may hold spaces and brackets: fields follow the last ')'
        fields = stat.rsplit(")", 1)[-1].split()
        if len(fields) > 1 and int(fields[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def mb(kb: float | None) -> float | None:
    return None if kb is None else kb / 1024


def subprocess_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        TOKENIZERS_PARALLELISM="false",
        PYTHONUNBUFFERED="1",
        NO_PROXY="127.0.0.1,localhost",
        no_proxy="127.0.0.1,localhost",
    )
    env.update(extra)
    return env


def machine() -> dict[str, Any]:
    import platform

    info: dict[str, Any] = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        total = proc_status_meminfo().get("MemTotal")
        if total:
            info["memory_gib"] = round(total / 1024 / 1024, 1)
    except OSError:
        pass
    if os.environ.get("OPENBLAS_CORETYPE"):
        info["OPENBLAS_CORETYPE"] = os.environ["OPENBLAS_CORETYPE"]
    return info


def proc_status_meminfo() -> dict[str, int]:
    out: dict[str, int] = {}
    for line in Path("/proc/meminfo").read_text().splitlines():
        key, _, rest = line.partition(":")
        parts = rest.split()
        if parts:
            out[key] = int(parts[0])
    return out


@dataclass
class Session:
    """Shared by the benchmarks of one run."""

    quick: bool
    workdir: Path
    console: Console
    results: dict[str, float] = field(default_factory=dict)
    _encoder: SentenceTransformerEncoder | None = None

    def log(self, message: str) -> None:
        self.console.log(message)

    @property
    def encoder(self) -> SentenceTransformerEncoder:
        """The bundled model, loaded once for every in-process benchmark."""
        if self._encoder is None:
            from bot.settings import BUNDLED_MODEL
            from embeddings.encoder import SentenceTransformerEncoder

            self._encoder = SentenceTransformerEncoder(BUNDLED_MODEL)
        return self._encoder

    def scratch(self, name: str) -> Path:
        path = self.workdir / name
        path.mkdir(parents=True, exist_ok=True)
        return path


def repo_cwd() -> str:
    return str(REPO_ROOT)
