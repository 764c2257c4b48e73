"""Fixtures shared by the loader tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from support.paths import SEED_ARTICLE


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write text to a file under tmp_path and return its path."""

    def _write(name: str, content: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        return path

    return _write


@pytest.fixture
def seed_article() -> Path:
    """The raw web-page dump shipped beside the repository in ../shared/seed."""
    assert SEED_ARTICLE.is_file(), f"seed article missing: {SEED_ARTICLE}"
    return SEED_ARTICLE
