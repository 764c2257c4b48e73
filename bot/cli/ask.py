"""`rolebot ask`: one question, or a JSON-lines batch from stdin."""

from __future__ import annotations

import json
import logging
import sys
from typing import Annotated

import typer

from bot.answers import AnswerService, Asker
from bot.cli.app import KnowledgeOption, app, load_engine, settings
from bot.storage.lazy import LazyRecorder
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
    service = AnswerService(load_engine(config, knowledge), LazyRecorder(config))
    asker = Asker("cli")
    if question is not None:
        answered = service.answer(question, asker)
        if as_json:
            typer.echo(json.dumps(answer_to_dict(answered.answer), ensure_ascii=False))
        else:
            render(answered.answer, Console())
        service.record(answered)  # after printing: opening the database may take a moment
        return
    for number, line in enumerate(sys.stdin, 1):
        text = line.rstrip("\n")
        if not text.strip():
            typer.echo(json.dumps(error_dict(text, f"line {number}: empty question")))
            continue
        try:
            answered = service.answer(text, asker)
        except Exception as exc:  # one bad line must not end the batch
            log.exception("batch line %d failed", number)
            typer.echo(json.dumps(error_dict(text, f"line {number}: {exc}"), ensure_ascii=False))
            continue
        record = answer_to_dict(answered.answer)
        if answered.answer.outcome is Outcome.INVALID:
            record["error"] = answered.answer.message
        typer.echo(json.dumps(record, ensure_ascii=False))
        sys.stdout.flush()
        service.record(answered)
