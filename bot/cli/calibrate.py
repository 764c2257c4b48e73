"""`rolebot calibrate`: fit the answer-or-decline model on labelled questions."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.cli.app import KnowledgeOption, app, fail, load_engine, settings


@app.command()
def calibrate(
    questions: Annotated[Path, typer.Argument(help="Labelled questions with abstain lines.")],
    knowledge: KnowledgeOption = None,
    out: Annotated[Path | None, typer.Option(help="Where to write the fitted model.")] = None,
    recall: Annotated[
        float, typer.Option(help="Share of answerable questions to keep answering.")
    ] = 0.97,
) -> None:
    """Fit the abstention model (bot/abstention.json) on answerable and declinable questions."""
    from bot.abstain import DEFAULT_FILE, fit
    from bot.evaluate import EvalFileError, read_questions

    try:
        items = read_questions(questions)
    except EvalFileError as exc:
        fail(str(exc))
    engine = load_engine(settings(), knowledge)
    signals = [engine.signals(item.question) for item in items]
    try:
        model = fit(
            signals,
            [not item.abstain for item in items],
            target_recall=recall,
            fitted_on=questions.name,
        )
    except ValueError as exc:
        fail(str(exc))
    target = out or DEFAULT_FILE
    model.save(target)
    weights = ", ".join(f"{w:.2f}" for w in model.weights)
    typer.echo(
        f"wrote {target}: weights [{weights}], bias {model.bias:.2f}, "
        f"threshold {model.threshold:.3f}"
    )
