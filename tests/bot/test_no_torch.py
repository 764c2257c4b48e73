"""`ask`, `chat` and `serve` run on onnxruntime: `python -X importtime` lists every module a
process imports, and neither torch nor transformers nor sentence-transformers may be among
them (importing them costs ~5 s and ~300 MB)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.paths import REPO_ROOT

from bot.settings import Settings

HEAVY = ("torch", "transformers", "sentence_transformers")

SERVE_AND_CHAT = """
import bot.cli.chat, bot.cli.serve, bot.slack.app, bot.slack.server
from bot.cli.app import load_engine
from bot.settings import Settings

engine = load_engine(Settings.from_env(), None, threads=1)
print(engine.answer("Who owns the technical roadmap?").outcome)
"""


def imported(stderr: str) -> set[str]:
    """Top-level package names of the modules in a `-X importtime` report."""
    names = set()
    for line in stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    return names


def run(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ROLEBOT_", "SLACK_"))}
    env.update(ROLEBOT_DATA_DIR=str(tmp_path), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    env["PYTHONPATH"] = str(REPO_ROOT)
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done


@pytest.fixture(autouse=True)
def _graph_made(onnx_encoder) -> None:
    """The ONNX graph exists in the user cache, so no export runs (it would import torch, in
    its own subprocess, which -X importtime doesn't follow anyway)."""
    assert Settings.from_env().user_cache_dir is not None


def test_rolebot_ask_imports_no_torch(tmp_path):
    rolebot = str(Path(sys.executable).with_name("rolebot"))
    done = run([rolebot, "ask", "--json", "Who owns the technical roadmap?"], tmp_path)

    assert '"answered": true' in done.stdout
    modules = imported(done.stderr)
    assert "onnxruntime" in modules and "numpy" in modules  # the report is read right
    assert not modules & set(HEAVY)


def test_serve_and_chat_load_and_answer_without_torch(tmp_path):
    done = run(["-c", SERVE_AND_CHAT], tmp_path)

    assert "answered" in done.stdout
    modules = imported(done.stderr)
    assert {"onnxruntime", "slack_bolt", "gunicorn"} <= modules
    assert not modules & set(HEAVY)
