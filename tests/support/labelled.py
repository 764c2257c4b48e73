"""The labelled questions of the shipped guide and of the seed article, read straight from the
eval files (one JSON object per line with a "question"), for tests that compare backends."""

from __future__ import annotations

import json
from pathlib import Path

from support.paths import DEV_QUESTIONS as SHARED_DEV
from support.paths import REPO_ROOT

EVAL = REPO_ROOT / "eval"


def question_files(corpus: str) -> list[Path]:
    """`corpus` "guide" or "article": eval/<corpus>/*.jsonl (and the older flat
    eval/<corpus>-*.jsonl); the article also gets the shared dev questions."""
    files = sorted(EVAL.glob(f"{corpus}/*.jsonl")) + sorted(EVAL.glob(f"{corpus}-*.jsonl"))
    if corpus == "article" and SHARED_DEV.exists():
        files.append(SHARED_DEV)
    return files


def questions(corpus: str) -> list[str]:
    """Every labelled question of the corpus, once each, in file order."""
    seen: dict[str, None] = {}
    for path in question_files(corpus):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                seen.setdefault(json.loads(line)["question"], None)
    return list(seen)
