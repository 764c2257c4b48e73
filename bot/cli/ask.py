"""`rolebot ask`: one question, or a JSON-lines batch from stdin."""

from __future__ import annotations

import json
import logging
import sys
import time
from typing import Annotated

import typer

from bot.cli.app import CliRecorder, KnowledgeOption, app, load_engine, settings
from bot.types import Outcome

log = logging.getLogger(__name__)


@app.command()
def ask(
    question: Annotated[
        str | None,
        typer.Argument(help="The question. Omit with --json to read one per line from stdin."),
    ] = None,
    knowledge: KnowledgeOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON (one object per line in batch mode).")
    ] = False,
) -> None:
    """Answer a question with the passage that answers it and its section."""
    from rich.console import Console

    from bot.serialize import answer_to_dict, error_dict
    from bot.terminal import render

    if question is None and not as_json:
        raise typer.BadParameter("give a QUESTION, or use --json to read questions from stdin")
    config = settings()
    engine = load_engine(config, knowledge)
    recorder = CliRecorder(config)
    if question is not None:
        start = time.perf_counter()
        answer = engine.answer(question)
        latency_ms = (time.perf_counter() - start) * 1000
        if as_json:
            typer.echo(json.dumps(answer_to_dict(answer), ensure_ascii=False))
        else:
            render(answer, Console())
        recorder.record(answer, latency_ms)
        return
    for number, line in enumerate(sys.stdin, 1):
        text = line.rstrip("\n")
        if not text.strip():
            typer.echo(json.dumps(error_dict(text, f"line {number}: empty question")))
            continue
        try:
            start = time.perf_counter()
            answer = engine.answer(text)
        except Exception as exc:  # one bad line must not end the batch
            log.exception("batch line %d failed", number)
            typer.echo(json.dumps(error_dict(text, f"line {number}: {exc}"), ensure_ascii=False))
            continue
        record = answer_to_dict(answer)
        if answer.outcome is Outcome.INVALID:
            record["error"] = answer.message
        typer.echo(json.dumps(record, ensure_ascii=False))
        sys.stdout.flush()
        recorder.record(answer, (time.perf_counter() - start) * 1000)
