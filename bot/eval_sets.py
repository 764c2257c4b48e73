"""The labelled sets in eval/: one manifest names each corpus, its knowledge and its splits.

`make eval` and `make tune` both read it, so what is fitted (train) and what is reported (dev,
test) can never drift apart.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_MANIFEST = REPO_ROOT / "eval" / "manifest.json"
DEFAULT_SHARED = REPO_ROOT.parent / "shared"
SPLITS = ("train", "dev", "test")


class ManifestError(Exception):
    """The manifest or a set it names can't be used; the message says which and why."""


@dataclass(frozen=True)
class Corpus:
    """A corpus of labelled questions: its knowledge (None: the shipped guide) and its splits."""

    name: str
    knowledge: Path | None
    folder: Path  # eval/<name>/, holding <split>.jsonl
    adapter: bool = False  # its train questions fit the query adapter, which then serves it
    fit: bool = True  # its train questions fit the answer-or-decline model (make tune)

    def split_file(self, split: str) -> Path:
        if split not in SPLITS:
            raise ManifestError(f"unknown split {split!r}; use one of {', '.join(SPLITS)}")
        return self.folder / f"{split}.jsonl"


def read_manifest(path: Path = DEFAULT_MANIFEST, shared: Path | None = None) -> list[Corpus]:
    """The corpora the manifest lists, their knowledge resolved against `shared`."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        entries = raw["corpora"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ManifestError(f"{path}: not a usable manifest ({exc})") from exc
    shared = shared or DEFAULT_SHARED
    corpora = []
    for name, entry in entries.items():
        knowledge = entry.get("knowledge")
        resolved = None
        if knowledge:
            resolved = Path(knowledge.replace("{shared}", str(shared)))
            if not resolved.is_absolute():
                resolved = path.parent.parent / resolved
        corpora.append(
            Corpus(
                name,
                resolved,
                path.parent / name,
                adapter=bool(entry.get("adapter")),
                fit=bool(entry.get("fit", True)),
            )
        )
    return corpora


def normalised_question(question: str) -> str:
    """How two labelled questions are judged the same: case, spacing and end marks ignored."""
    return re.sub(r"[\s?!.]+$", "", " ".join(question.casefold().split()))


def questions_in(corpora: list[Corpus], split: str) -> set[str]:
    """Every question of that split, over all corpora, normalised."""
    out: set[str] = set()
    for corpus in corpora:
        file = corpus.split_file(split)
        for line in file.read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.add(normalised_question(json.loads(line)["question"]))
    return out
