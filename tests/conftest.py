"""Session-wide fixtures: the real model loads once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from support.paths import SEED_ARTICLE

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@pytest.fixture(scope="session")
def seed_article() -> Path:
    assert SEED_ARTICLE.exists(), f"the seed article is expected at {SEED_ARTICLE}"
    return SEED_ARTICLE


@pytest.fixture(scope="session")
def encoder():
    """The real bundled all-MiniLM-L6-v2, loaded once."""
    from bot.settings import BUNDLED_MODEL
    from embeddings.encoder import SentenceTransformerEncoder

    return SentenceTransformerEncoder(BUNDLED_MODEL)


@pytest.fixture(scope="session")
def onnx_encoder(tmp_path_factory):
    """The same model through onnxruntime, loaded once; its ONNX graph is exported once per
    user (the settings' user cache) and linked into this session's cache directory."""
    from bot.settings import BUNDLED_MODEL, Settings
    from embeddings.onnx import OnnxEncoder

    user_cache = Settings.from_env().user_cache_dir
    return OnnxEncoder(
        BUNDLED_MODEL,
        tmp_path_factory.mktemp("onnx-cache"),
        shared_dir=user_cache / "onnx" if user_cache else None,
    )


@pytest.fixture(scope="session")
def engine(encoder, tmp_path_factory):
    """An engine on the shipped guide, sharing the session's encoder."""
    from bot.engine import Engine
    from knowledge import load_shipped_guide

    return Engine(load_shipped_guide(), encoder, cache_dir=tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def seed_engine(encoder, tmp_path_factory):
    """An engine on the raw seed article."""
    from bot.engine import Engine
    from knowledge import load_knowledge

    return Engine(
        load_knowledge([SEED_ARTICLE]), encoder, cache_dir=tmp_path_factory.mktemp("seed-cache")
    )
