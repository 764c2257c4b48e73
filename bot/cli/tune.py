"""`rolebot tune`: fit the query adapter (embeddings/query_adapter.npz) on labelled questions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli.app import LabelledSets, app, fail, labelled_sets, settings

if TYPE_CHECKING:
    import numpy as np

    from embeddings.adapter import TrainingGroup


@app.command()
def tune(
    sets: LabelledSets,
    out: Annotated[Path | None, typer.Option(help="Where to write the adapter.")] = None,
    rank: Annotated[int, typer.Option(min=1, max=256, help="Rank of the correction.")] = 16,
    epochs: Annotated[int, typer.Option(min=1, max=100_000, help="Training steps.")] = 300,
) -> None:
    """Fit the query adapter so that the answerable questions find their sections' passages;
    run `rolebot calibrate` afterwards, since the scores it judges move."""
    import numpy as np

    from bot.evaluate import section_matches
    from bot.types import Citation
    from embeddings.adapter import SHIPPED_FILE, TrainingGroup, fit_adapter

    config = settings()
    groups: list[TrainingGroup] = []
    names: list[str] = []
    unmatched = 0
    # The adapter is fitted on the model as it is, not on top of the configured adapter.
    for engine, labelled, path in labelled_sets(config, sets, adapter=None):
        items = [i for i in labelled if i.kind == "answerable" and i.sections]
        if not items:
            fail(f"{path}: no answerable questions with sections to tune on")
        citations = [Citation.of(p.section) for p in engine.passages]
        answers = np.array(
            [[any(section_matches(s, c) for s in i.sections) for c in citations] for i in items]
        )
        texts = [engine.query_text(item.question) for item in items]
        group = TrainingGroup(engine.encoder.encode_queries(texts), engine.index.vectors, answers)
        groups.append(group.labelled())
        unmatched += len(items) - len(groups[-1].questions)
        names.append(path.name)
    try:
        adapter = fit_adapter(
            groups, model=config.model, rank=rank, epochs=epochs, fitted_on=", ".join(names)
        )
    except ValueError as exc:
        fail(str(exc))
    target = out or SHIPPED_FILE
    adapter.save(target)
    before = _dense_top1(groups, lambda q: q)
    after = _dense_top1(groups, adapter.apply)
    questions = sum(len(g.questions) for g in groups)
    typer.echo(
        f"wrote {target}: rank {adapter.rank}, {questions} questions; their best passage by "
        f"cosine is in a right section {before:.1%} before, {after:.1%} after"
    )
    if unmatched:
        typer.echo(f"skipped {unmatched} questions whose sections the knowledge doesn't have")
    typer.echo("the answer-or-decline model judges these scores: run `rolebot calibrate` next")


def _dense_top1(groups: list[TrainingGroup], adapt: Callable[[np.ndarray], np.ndarray]) -> float:
    """Share of the (labelled) questions whose closest passage by cosine alone is a right
    one."""
    hits = total = 0
    for group in groups:
        best = (adapt(group.questions) @ group.passages.T).argmax(axis=1)
        hits += int(group.answers[range(len(best)), best].sum())
        total += len(best)
    return hits / max(total, 1)
