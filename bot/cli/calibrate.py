"""`rolebot calibrate`: fit the answer-or-decline model on labelled questions."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from bot.cli.app import LabelledSets, app, fail, labelled_sets, set_name, settings
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.abstain import AbstentionModel, Signals
    from embeddings.adapter import QueryAdapter

RecallOption = Annotated[
    float, typer.Option(help="Share of answerable questions to keep answering.")
]


@app.command()
def calibrate(
    sets: LabelledSets,
    out: Annotated[Path | None, typer.Option(help="Where to write the fitted model.")] = None,
    recall: RecallOption = 0.98,
) -> None:
    """Fit the abstention model (bot/abstention.json) on answerable and declinable questions,
    scored with the configured query adapter: use sets it was not fitted on (`rolebot tune`
    calibrates its own sets by cross-fitting)."""
    signals, answerable, groups = measure(settings(), sets)
    save_model(fit_model(signals, answerable, sets, recall, groups=groups), len(signals), out)


def measure(
    config: Settings,
    sets: list[str],
    *,
    adapter: QueryAdapter | Literal["configured"] = "configured",
) -> tuple[list[Signals], list[bool], list[int]]:
    """The signals of the labelled questions, whether each is answerable and the index of its
    set; what a rule declines never reaches the model, so it is left out."""
    signals: list[Signals] = []
    answerable: list[bool] = []
    group_of: list[int] = []
    for group, (engine, items, _) in enumerate(labelled_sets(config, sets, adapter=adapter)):
        for item in items:
            measured = engine.signals(item.question)
            if measured is not None:
                signals.append(measured)
                answerable.append(item.kind == "answerable")
                group_of.append(group)
    return signals, answerable, group_of


def fit_model(
    signals: list[Signals],
    answerable: list[bool],
    sets: list[str],
    recall: float,
    *,
    groups: list[int] | None = None,
) -> AbstentionModel:
    from bot.abstain import fit

    try:
        return fit(
            signals,
            answerable,
            target_recall=recall,
            groups=groups,
            fitted_on=", ".join(map(set_name, sets)),
        )
    except ValueError as exc:
        fail(str(exc))


def save_model(model: AbstentionModel, questions: int, out: Path | None) -> None:
    from bot.abstain import DEFAULT_FILE

    target = out or DEFAULT_FILE
    model.save(target)
    weights = ", ".join(f"{w:.2f}" for w in model.weights)
    typer.echo(
        f"wrote {target}: weights [{weights}], bias {model.bias:.2f}, "
        f"threshold {model.threshold:.3f} ({questions} questions)"
    )
