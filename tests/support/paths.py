"""Where things are: this checkout, and the seed article and dev questions shipped beside it
in ../shared."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED = REPO_ROOT.parent / "shared"
SEED_ARTICLE = SHARED / "seed" / "pm-vs-tpm-article.txt"
DEV_QUESTIONS = SHARED / "eval" / "dev-questions.jsonl"
