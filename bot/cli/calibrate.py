"""`rolebot calibrate`: fit the answer-or-decline model on labelled questions."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.cli.app import app, fail, load_engine, settings, split_set


@app.command()
def calibrate(
    sets: Annotated[
        list[str],
        typer.Argument(
            help="Labelled question files with abstain lines, each QUESTIONS (asked of the "
            "shipped guide) or KNOWLEDGE=QUESTIONS.",
            metavar="[KNOWLEDGE=]QUESTIONS...",
        ),
    ],
    out: Annotated[Path | None, typer.Option(help="Where to write the fitted model.")] = None,
    recall: Annotated[
        float, typer.Option(help="Share of answerable questions to keep answering.")
    ] = 0.97,
) -> None:
    """Fit the abstention model (bot/abstention.json) on answerable and declinable questions."""
    from bot.abstain import DEFAULT_FILE, FEATURES, AbstentionModel, fit
    from bot.evaluate import EvalFileError, read_questions

    config = settings()
    signals, answerable, names = [], [], []
    for spec in sets:
        knowledge, questions = split_set(spec)
        try:
            items = read_questions(questions)
        except EvalFileError as exc:
            fail(str(exc))
        # The shipped model may be stale or missing: that is what calibration replaces.
        placeholder = AbstentionModel((0.0,) * len(FEATURES), 0.0, 0.5)
        engine = load_engine(config, [knowledge] if knowledge else None, abstention=placeholder)
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
