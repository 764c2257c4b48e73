"""`rolebot tune`: fit the query adapter (embeddings/query_adapter.npz) on labelled questions,
then the answer-or-decline model on scores the adapter was not fitted on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli.app import LabelledSets, app, fail, labelled_sets, set_name, settings
from bot.cli.calibrate import RecallOption, fit_model, measure, save_model
from bot.settings import Settings

if TYPE_CHECKING:
    import numpy as np

    from embeddings.adapter import QueryAdapter, TrainingGroup


@app.command()
def tune(
    sets: LabelledSets,
    out: Annotated[Path | None, typer.Option(help="Where to write the adapter.")] = None,
    model_out: Annotated[
        Path | None, typer.Option(help="Where to write the answer-or-decline model.")
    ] = None,
    rank: Annotated[int, typer.Option(min=1, max=256, help="Rank of the correction.")] = 16,
    epochs: Annotated[int, typer.Option(min=1, max=100_000, help="Training steps.")] = 300,
    folds: Annotated[int, typer.Option(min=2, max=20, help="Cross-fitting folds.")] = 3,
    recall: RecallOption = 0.98,
) -> None:
    """Fit the query adapter so that the answerable questions find their sections' passages,
    then the answer-or-decline model on every set's questions, each scored by an adapter
    fitted without it: the questions are split into folds, and each fold is scored by an
    adapter fitted on the others (cross-fitting), as new questions would be."""
    # Fitted on the reference encoder (sentence-transformers); onnxruntime matches it.
    config = replace(settings(), encoder="torch")
    groups, fold_of = _training_groups(config, sets, folds)
    adapter = _fit(config, groups, rank, epochs, sets)
    signals, answerable = [], []
    right_before = right_after = total = 0  # the fold adapters, on the questions they never saw
    for fold in range(folds):
        fitted = _fit(
            config, [g.rows(f != fold) for g, f in zip(groups, fold_of, strict=True)], rank, epochs
        )
        unseen = [g.rows(f == fold) for g, f in zip(groups, fold_of, strict=True)]
        right_before += _counts(unseen, lambda q: q)[0]
        hits, questions_in_fold = _counts(unseen, fitted.apply)
        right_after += hits
        total += questions_in_fold
        fold_signals, fold_answerable = measure(
            config, sets, adapter=fitted, pick=lambda index, k=fold: index % folds == k
        )
        signals += fold_signals
        answerable += fold_answerable
    typer.echo(
        f"cross-fitted over {folds} folds: on the questions each fold adapter was not fitted "
        f"on, {right_before / max(total, 1):.1%} before, {right_after / max(total, 1):.1%} after"
    )
    model = fit_model(signals, answerable, sets, recall)  # fails before anything is written
    target = out or _shipped_file()
    adapter.save(target)
    questions = sum(len(g.questions) for g in groups)
    typer.echo(
        f"wrote {target}: rank {adapter.rank}, {questions} questions; their best passage by "
        f"cosine is in a right section {_share(groups, lambda q: q):.1%} before, "
        f"{_share(groups, adapter.apply):.1%} after"
    )
    save_model(model, len(signals), model_out)


def _training_groups(
    config: Settings, sets: list[str], folds: int
) -> tuple[list[TrainingGroup], list[np.ndarray]]:
    """Per set, its answerable questions whose sections the knowledge has, against its
    passages, and the fold of each (its line's index in the set, modulo `folds`)."""
    import numpy as np

    from bot.evaluate import section_matches
    from bot.types import Citation
    from embeddings.adapter import TrainingGroup

    groups: list[TrainingGroup] = []
    fold_of: list[np.ndarray] = []
    skipped = 0
    # The adapter is fitted on the model as it is, not on top of the configured adapter.
    for engine, labelled, _ in labelled_sets(config, sets, adapter=None):
        items = [(i, q) for i, q in enumerate(labelled) if q.kind == "answerable" and q.sections]
        if not items:  # a set of declinable questions only calibrates
            continue
        citations = [Citation.of(p.section) for p in engine.passages]
        answers = np.array(
            [[any(section_matches(s, c) for s in q.sections) for c in citations] for _, q in items]
        )
        vectors = engine.encoder.encode_queries([engine.query_text(q.question) for _, q in items])
        found = answers.any(axis=1)
        groups.append(TrainingGroup(vectors, engine.index.vectors, answers).rows(found))
        fold_of.append(np.array([i % folds for i, _ in items])[found])
        skipped += int((~found).sum())
    if skipped:
        typer.echo(f"skipped {skipped} questions whose sections the knowledge doesn't have")
    return groups, fold_of


def _fit(
    config: Settings,
    groups: list[TrainingGroup],
    rank: int,
    epochs: int,
    sets: list[str] | None = None,
) -> QueryAdapter:
    from embeddings.adapter import fit_adapter

    try:
        return fit_adapter(
            groups,
            model=config.model,
            rank=rank,
            epochs=epochs,
            fitted_on=", ".join(map(set_name, sets or [])),
        )
    except ValueError as exc:
        fail(str(exc))


def _shipped_file() -> Path:
    from embeddings.adapter import SHIPPED_FILE

    return SHIPPED_FILE


def _counts(
    groups: list[TrainingGroup], adapt: Callable[[np.ndarray], np.ndarray]
) -> tuple[int, int]:
    """How many of the questions have their closest passage by cosine alone in a right
    section, and how many there are."""
    hits = total = 0
    for group in groups:
        if not len(group.questions):
            continue
        best = (adapt(group.questions) @ group.passages.T).argmax(axis=1)
        hits += int(group.answers[range(len(best)), best].sum())
        total += len(best)
    return hits, total


def _share(groups: list[TrainingGroup], adapt: Callable[[np.ndarray], np.ndarray]) -> float:
    hits, total = _counts(groups, adapt)
    return hits / max(total, 1)
