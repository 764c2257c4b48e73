"""`rolebot tune`: fit the query adapter (embeddings/query_adapter.npz) on labelled questions
of the knowledge it is for, then the answer-or-decline model (bot/abstention.json) on labelled
questions of every knowledge base."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli.app import LabelledSets, app, fail, labelled_sets, set_name, settings
from bot.cli.calibrate import RecallOption, fit_model, measure, save_model
from bot.settings import Settings

if TYPE_CHECKING:
    from embeddings.adapter import QueryAdapter, TrainingGroup


@app.command()
def tune(
    sets: LabelledSets = None,  # type: ignore[assignment]
    also: Annotated[
        list[str] | None,
        typer.Option(
            help="More labelled sets ([KNOWLEDGE=]QUESTIONS) for the answer-or-decline model "
            "only: knowledge the adapter is not for. Repeatable."
        ),
    ] = None,
    manifest: Annotated[
        Path | None,
        typer.Option(help="Without SETS: the train splits of this manifest (eval/manifest.json)."),
    ] = None,
    shared: Annotated[
        Path | None, typer.Option(help="The shared data folder the manifest refers to.")
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Where to write the adapter.")] = None,
    model_out: Annotated[
        Path | None, typer.Option(help="Where to write the answer-or-decline model.")
    ] = None,
    rank: Annotated[int, typer.Option(min=1, max=256, help="Rank of the correction.")] = 16,
    epochs: Annotated[int, typer.Option(min=1, max=100_000, help="Training steps.")] = 300,
    recall: RecallOption = 0.98,
) -> None:
    """Fit the query adapter so that the answerable questions of SETS find their sections'
    passages (it then serves only those sets' knowledge), then the answer-or-decline model on
    the questions of SETS and --also, each knowledge base weighing the same. The model's
    signals are the encoder's own, never the adapter's, so no question is judged on scores
    fitted to it. Without SETS: the manifest's train splits, the adapter on the corpora it
    marks "adapter"."""
    # Fitted on the reference encoder (sentence-transformers); onnxruntime matches it.
    config = replace(settings(), encoder="torch")
    adapter_sets, other_sets = (sets, also or []) if sets else _manifest_sets(manifest, shared)
    groups, keys = _training_groups(config, adapter_sets)
    adapter = _fit(config, groups, keys, rank, epochs, adapter_sets)
    all_sets = adapter_sets + other_sets
    signals, answerable, group_of = measure(config, all_sets, adapter=adapter)
    model = fit_model(signals, answerable, all_sets, recall, groups=group_of)
    target = out or _shipped_file()
    adapter.save(target)
    questions = sum(len(g.questions) for g in groups)
    typer.echo(
        f"wrote {target}: rank {adapter.rank}, {questions} questions, serving "
        f"{len(adapter.knowledge)} knowledge base(s); their best passage by cosine is in a "
        f"right section {_share(groups, lambda q: q):.1%} before, "
        f"{_share(groups, adapter.apply):.1%} after"
    )
    save_model(model, len(signals), model_out)


def _manifest_sets(manifest: Path | None, shared: Path | None) -> tuple[list[str], list[str]]:
    from bot.eval_sets import DEFAULT_MANIFEST, ManifestError, read_manifest

    path = manifest or DEFAULT_MANIFEST
    try:
        corpora = read_manifest(path, shared)
    except ManifestError as exc:
        fail(str(exc))
    adapter_sets, other_sets = [], []
    for corpus in (c for c in corpora if c.fit):
        questions = corpus.split_file("train")
        spec = f"{corpus.knowledge}={questions}" if corpus.knowledge else str(questions)
        (adapter_sets if corpus.adapter else other_sets).append(spec)
    if not adapter_sets:
        fail(f'{path}: no corpus is marked "adapter": true')
    return adapter_sets, other_sets


def _training_groups(config: Settings, sets: list[str]) -> tuple[list[TrainingGroup], list[str]]:
    """Per set, its answerable questions whose sections the knowledge has, against its
    passages; and the key of each set's knowledge."""
    import numpy as np

    from bot.evaluate import labelled
    from bot.pipeline.retrieve import knowledge_key
    from bot.types import Citation
    from embeddings.adapter import TrainingGroup

    groups: list[TrainingGroup] = []
    keys: list[str] = []
    skipped = 0
    # The adapter is fitted on the model as it is, not on top of the configured adapter.
    for engine, items, _ in labelled_sets(config, sets, adapter=None):
        items = [q for q in items if q.kind == "answerable" and q.sections]
        keys.append(knowledge_key(engine.knowledge))
        if not items:  # a set of declinable questions only calibrates
            continue
        citations = [Citation.of(p.section) for p in engine.passages]
        answers = np.array([[labelled(q, c) for c in citations] for q in items])
        vectors = engine.encoder.encode_queries([engine.query_text(q.question) for q in items])
        found = answers.any(axis=1)
        groups.append(TrainingGroup(vectors, engine.index.vectors, answers).rows(found))
        skipped += int((~found).sum())
    if skipped:
        typer.echo(f"skipped {skipped} questions whose sections the knowledge doesn't have")
    return groups, list(dict.fromkeys(keys))


def _fit(
    config: Settings,
    groups: list[TrainingGroup],
    keys: list[str],
    rank: int,
    epochs: int,
    sets: list[str],
) -> QueryAdapter:
    from embeddings.adapter import fit_adapter

    try:
        return fit_adapter(
            groups,
            model=config.model,
            rank=rank,
            epochs=epochs,
            fitted_on=", ".join(map(set_name, sets)),
            knowledge=tuple(keys),
        )
    except ValueError as exc:
        fail(str(exc))


def _shipped_file() -> Path:
    from embeddings.adapter import SHIPPED_FILE

    return SHIPPED_FILE


def _share(groups: list[TrainingGroup], adapt) -> float:
    """How many of the questions have their closest passage by cosine alone in a right
    section."""
    hits = total = 0
    for group in groups:
        if not len(group.questions):
            continue
        best = (adapt(group.questions) @ group.passages.T).argmax(axis=1)
        hits += int(group.answers[range(len(best)), best].sum())
        total += len(best)
    return hits / max(total, 1)
