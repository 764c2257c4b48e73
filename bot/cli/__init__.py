"""The `rolebot` command line. Each command lives in its own module and imports heavy
libraries (torch, Slack, SQLAlchemy) only when it runs."""

from __future__ import annotations

from bot.cli import (  # noqa: F401  (register commands)
    ask,
    calibrate,
    chat,
    evaluate,
    index,
    report,
    serve,
    tune,
)
from bot.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    app()
