"""rolebot benchmarks: `python -m benchmarks [--quick] [--json]` (or `make bench`).

Every figure is measured beside its baseline in the same run on the same machine, so that a
busy or slow machine moves both together; targets are shown as PASS/FAIL columns. Speed
checks live here, never in unit tests.
"""

from __future__ import annotations

import os
from pathlib import Path

# The model ships inside a Python package; never reach for a model hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

REPO_ROOT = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    """The shared folder (seed article, labelled questions): $SHARED or ../shared."""
    configured = os.environ.get("SHARED")
    path = Path(configured) if configured else REPO_ROOT.parent / "shared"
    return path if path.is_absolute() else (REPO_ROOT / path).resolve()
