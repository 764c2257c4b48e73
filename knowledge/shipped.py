"""The role guide that ships with rolebot."""

from __future__ import annotations

from pathlib import Path

from knowledge.loaders import load_knowledge
from knowledge.model import Knowledge

GUIDES_DIR = Path(__file__).parent / "guides"


def load_shipped_guide() -> Knowledge:
    return load_knowledge([GUIDES_DIR])
