"""`rolebot calibrate`: fit the answer-or-decline model on labelled questions."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.cli.app import LabelledSets, app, fail, labelled_sets, settings


@app.command()
def calibrate(
    sets: LabelledSets,
    out: Annotated[Path | None, typer.Option(help="Where to write the fitted model.")] = None,
    recall: Annotated[
        float, typer.Option(help="Share of answerable questions to keep answering.")
    ] = 0.97,
) -> None:
    """Fit the abstention model (bot/abstention.json) on answerable and declinable questions."""
    from bot.abstain import DEFAULT_FILE, fit

    signals, answerable, names = [], [], []
    for engine, items, questions in labelled_sets(settings(), sets):
        for item in items:  # what a rule declines never reaches the model
            measured = engine.signals(item.question)
            if measured is not None:
                signals.append(measured)
                answerable.append(item.kind == "answerable")
        names.append(questions.name)
    try:
        model = fit(signals, answerable, target_recall=recall, fitted_on=", ".join(names))
    except ValueError as exc:
        fail(str(exc))
    target = out or DEFAULT_FILE
    model.save(target)
    weights = ", ".join(f"{w:.2f}" for w in model.weights)
    typer.echo(
        f"wrote {target}: weights [{weights}], bias {model.bias:.2f}, "
        f"threshold {model.threshold:.3f} ({len(signals)} questions)"
    )
