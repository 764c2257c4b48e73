"""Settings read from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import BUNDLED_MODEL, Settings, SettingsError


def test_an_empty_environment_gives_the_bundled_model_and_the_shipped_adapter() -> None:
    config = Settings.from_env({})

    assert (config.model, config.query_adapter, config.port) == (BUNDLED_MODEL, "shipped", 3000)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", "shipped"),
        ("Shipped", "shipped"),
        ("none", "none"),
        ("OFF", "none"),
        ("false", "none"),
        (" /srv/rolebot/adapter.npz ", "/srv/rolebot/adapter.npz"),
    ],
)
def test_the_query_adapter_setting_is_shipped_none_or_a_path(value: str, expected: str) -> None:
    assert Settings.from_env({"ROLEBOT_QUERY_ADAPTER": value}).query_adapter == expected


def test_a_port_that_is_not_a_number_is_refused_naming_the_variable() -> None:
    with pytest.raises(SettingsError, match="PORT"):
        Settings.from_env({"PORT": "eighty"})


@pytest.mark.parametrize(
    ("value", "expected"), [("", "onnx"), ("onnx", "onnx"), (" Torch ", "torch")]
)
def test_the_encoder_is_onnxruntime_unless_torch_is_asked_for(value: str, expected: str) -> None:
    assert Settings.from_env({"ROLEBOT_ENCODER": value}).encoder == expected


def test_an_unknown_encoder_is_refused_naming_the_variable_and_the_choices() -> None:
    with pytest.raises(SettingsError, match="ROLEBOT_ENCODER must be one of onnx, torch"):
        Settings.from_env({"ROLEBOT_ENCODER": "tensorflow"})


def test_the_onnx_graph_is_shared_through_the_user_cache() -> None:
    assert Settings.from_env({"HOME": "/home/a"}).user_cache_dir == Path("/home/a/.cache/rolebot")
    assert Settings.from_env({"XDG_CACHE_HOME": "/c", "HOME": "/h"}).user_cache_dir == Path(
        "/c/rolebot"
    )
    assert Settings.from_env({}).user_cache_dir is None
