"""A deterministic fake encoder, so index tests run in milliseconds and scores are exact."""

from __future__ import annotations

import pytest
from support.fakes import FakeEncoder


@pytest.fixture
def fake_encoder() -> FakeEncoder:
    return FakeEncoder()


@pytest.fixture
def make_encoder() -> type[FakeEncoder]:
    """The FakeEncoder class, for tests that need several encoders (or other model names)."""
    return FakeEncoder
