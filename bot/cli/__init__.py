"""The `rolebot` command line. Each command lives in its own module and imports heavy
libraries (torch, Slack, SQLAlchemy) only when it runs."""

from __future__ import annotations

from bot.cli.app import app
from bot.cli import ask, calibrate, chat, evaluate, index  # noqa: F401  (register commands)
from bot.cli import report, serve  # noqa: F401

__all__ = ["app", "main"]


def main() -> None:
    app()
