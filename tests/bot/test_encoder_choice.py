"""ROLEBOT_ENCODER picks the backend of every command but `tune`, which fits on torch."""

from __future__ import annotations

from dataclasses import replace

import pytest
from support.fakes import FakeEncoder

import embeddings.encoder
import embeddings.onnx
from bot.cli.app import load_engine
from bot.settings import BUNDLED_MODEL, Settings


@pytest.fixture
def made(monkeypatch) -> list[str]:
    """Both encoders replaced by fakes that record which backend was built."""
    built: list[str] = []

    def fake(backend: str):
        def make(model: str, *args, **kwargs) -> FakeEncoder:
            built.append(backend)
            return FakeEncoder(name=f"{model} ({backend})")

        return make

    monkeypatch.setattr(embeddings.encoder, "SentenceTransformerEncoder", fake("torch"))
    monkeypatch.setattr(embeddings.onnx, "OnnxEncoder", fake("onnx"))
    return built


@pytest.mark.parametrize(("setting", "backend"), [("onnx", "onnx"), ("torch", "torch")])
def test_the_setting_picks_the_backend(made, tmp_path, setting, backend):
    config = replace(Settings.from_env({}), encoder=setting, data_dir=tmp_path)

    engine = load_engine(config, None)

    assert made == [backend]
    assert engine.encoder.name == f"{BUNDLED_MODEL} ({backend})"


def test_tune_fits_on_torch_whatever_the_setting(made, tmp_path, monkeypatch):
    from bot.cli import tune

    seen: list[str] = []

    def stop(config, *args):
        seen.append(config.encoder)
        raise SystemExit(0)

    monkeypatch.setattr(tune, "_training_groups", stop)
    monkeypatch.setenv("ROLEBOT_ENCODER", "onnx")
    with pytest.raises(SystemExit):
        tune.tune(sets=["x.jsonl"])

    assert seen == ["torch"]
