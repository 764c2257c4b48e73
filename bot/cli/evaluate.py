"""`rolebot eval`: score rolebot beside plain baselines on labelled questions."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli.app import KnowledgeOption, app, fail, load_engine, settings

if TYPE_CHECKING:
    from bot.evaluate import LabelledQuestion, Report
    from bot.settings import Settings

# (summary key, column heading); rates over answerable or to-be-declined lines.
COLUMNS = (
    ("top1_section", "top-1"),
    ("top3_section", "top-3"),
    ("answered_rate", "answered"),
    ("off_topic_declined", "off-topic declined"),
    ("not_covered_declined", "not-covered declined"),
    ("role_top1", "role"),
    ("bad_quotes", "unfit quotes"),
)


@app.command("eval")
def evaluate(
    questions: Annotated[
        Path | None,
        typer.Argument(
            help="Labelled questions, one JSON object per line. Without it: every corpus of "
            "the manifest."
        ),
    ] = None,
    knowledge: KnowledgeOption = None,
    manifest: Annotated[
        Path | None, typer.Option(help="The eval manifest (default eval/manifest.json).")
    ] = None,
    shared: Annotated[
        Path | None, typer.Option(help="The shared data folder the manifest refers to.")
    ] = None,
    split: Annotated[
        list[str] | None,
        typer.Option(help="Manifest splits to score (train, dev, test); default all three."),
    ] = None,
    corpus: Annotated[
        list[str] | None, typer.Option(help="Only these corpora of the manifest.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    show_misses: Annotated[
        bool, typer.Option("--misses", help="List the questions rolebot got wrong.")
    ] = False,
    dump: Annotated[
        Path | None,
        typer.Option(help="Write every question's outcome, section and role here (JSON lines)."),
    ] = None,
) -> None:
    """Top-1/top-3 section accuracy, answered and declined rates, for rolebot and for plain
    heading-prefixed cosine and BM25 on the same passages, computed in the same run."""
    from rich.console import Console

    from bot.evaluate import EvalFileError, read_questions

    config = settings()
    if questions is not None:
        try:
            items = read_questions(questions)
        except EvalFileError as exc:
            fail(str(exc))
        runs = [(questions.name, knowledge, items)]
    else:
        runs = list(_manifest_runs(manifest, shared, split or [], corpus or []))
    console = Console(width=140)
    rows = []
    dumped = []
    for name, paths, items in runs:
        reports = _score_all(config, paths, items)
        rows.append((name, reports))
        if show_misses:
            _print_misses(console, name, reports["rolebot"])
        dumped += [_outcome_line(name, o) for o in reports["rolebot"].outcomes]
    if dump is not None:
        dump.write_text("".join(json.dumps(line) + "\n" for line in dumped), encoding="utf-8")
    if as_json:
        for name, reports in rows:
            summary = {k: r.summary() for k, r in reports.items()}
            typer.echo(json.dumps({"corpus": name, **summary["rolebot"], "baselines": summary}))
        return
    console.print(_table(rows, ", ".join(split or ["train", "dev", "test"])))


def _manifest_runs(
    manifest: Path | None, shared: Path | None, splits: list[str], only: list[str]
) -> Iterator[tuple[str, list[Path] | None, list[LabelledQuestion]]]:
    from bot.eval_sets import DEFAULT_MANIFEST, SPLITS, ManifestError, read_manifest
    from bot.evaluate import EvalFileError, read_questions

    try:
        corpora = read_manifest(manifest or DEFAULT_MANIFEST, shared)
    except ManifestError as exc:
        fail(str(exc))
    unknown = set(only) - {c.name for c in corpora}
    if unknown:
        fail(f"no corpus {', '.join(sorted(unknown))} in the manifest")
    for corpus in corpora:
        if only and corpus.name not in only:
            continue
        items = []
        try:
            for name in splits or SPLITS:
                items += read_questions(corpus.split_file(name))
        except (EvalFileError, ManifestError) as exc:
            fail(str(exc))
        yield corpus.name, [corpus.knowledge] if corpus.knowledge else None, items


def _score_all(
    config: Settings, paths: list[Path] | None, items: list[LabelledQuestion]
) -> dict[str, Report]:
    from bot.baselines import BASELINES, Baselines
    from bot.evaluate import score, score_ranking

    engine = load_engine(config, paths)
    baselines = Baselines.of(engine)
    reports = {"rolebot": score(engine, items)}
    for name in BASELINES:
        reports[name] = score_ranking(lambda q, n=name: baselines.ranked(n, q), items)
    return reports


def _table(rows, splits: str):
    from rich.table import Table

    table = Table(title=f"rolebot beside plain baselines ({splits})")
    table.add_column("corpus")
    table.add_column("system")
    table.add_column("answerable / decline", justify="right")
    for _, heading in COLUMNS:
        table.add_column(heading, justify="right")
    for name, reports in rows:
        for system, report in reports.items():
            summary = report.summary()
            cells = [_cell(system, key, summary[key]) for key, _ in COLUMNS]
            counts = f"{summary['answerable']} / {summary['abstain_lines']}"
            table.add_row(name if system == "rolebot" else "", system, counts, *cells)
        table.add_section()
    return table


_RANKING = ("top1_section", "top3_section")


def _cell(system: str, key: str, value) -> str:
    if value is None or (system != "rolebot" and key not in _RANKING):
        return "—"
    return str(value) if isinstance(value, int) else f"{value:.1%}"


def _outcome_line(corpus: str, outcome) -> dict:
    answer = outcome.answer
    best = answer.best or (answer.alternatives[0] if answer.alternatives else None)
    return {
        "corpus": corpus,
        "question": outcome.item.question,
        "outcome": answer.outcome.value,
        "section": list(best.citation.section_path) if best else [],
        "roles": list(best.roles) if best and answer.answered else [],
        "top1": outcome.top1,
        "top3": outcome.top3,
        "confidence": round(answer.confidence, 4),
    }


def _print_misses(console, corpus: str, report: Report) -> None:
    for o in report.outcomes:
        wrong = (o.item.abstain and o.answer.answered) or (
            not o.item.abstain
            and (not o.top1 or not o.answer.answered or (o.item.role and not o.role_ok))
        )
        if wrong:
            cited = o.answer.best or (o.answer.alternatives[0] if o.answer.alternatives else None)
            where = cited.citation.breadcrumb() if cited else "-"
            console.print(
                f"[red]✗[/red] [{corpus}] {o.item.question!r} → {o.answer.outcome.value} {where} "
                f"({o.answer.confidence:.2f}); want {list(o.item.sections) or o.item.kind}",
                markup=True,
                highlight=False,
            )
