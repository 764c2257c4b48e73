"""`rolebot eval`: score retrieval on labelled questions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.app import KnowledgeOption, app, fail, load_engine, settings

ROWS = (
    ("top1_section", "top-1 section accuracy"),
    ("top3_section", "top-3 section accuracy"),
    ("role_top1", "role accuracy (top answer)"),
    ("answered_rate", "answered (answerable lines)"),
    ("declined_rate", "declined (all abstain lines)"),
    ("off_topic_declined", "  declined: off-topic"),
    ("not_covered_declined", "  declined: in-domain, not covered"),
)


@app.command("eval")
def evaluate(
    questions: Annotated[
        Path, typer.Argument(help="Labelled questions, one JSON object per line.")
    ],
    knowledge: KnowledgeOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    show_misses: Annotated[
        bool, typer.Option("--misses", help="List the questions it got wrong.")
    ] = False,
) -> None:
    """Top-1/top-3 section accuracy, role accuracy and abstention on labelled questions."""
    from rich.console import Console
    from rich.table import Table

    from bot.evaluate import EvalFileError, read_questions, score

    try:
        items = read_questions(questions)
    except EvalFileError as exc:
        fail(str(exc))
    engine = load_engine(settings(), knowledge)
    report = score(engine, items)
    summary = report.summary()
    if as_json:
        typer.echo(json.dumps({"questions_file": str(questions), **summary}))
        return
    sources = ", ".join(d.document.title for d in engine.knowledge.documents)
    console = Console()
    console.print(f"[bold]{questions}[/bold] answered from: {sources}")
    table = Table()
    table.add_column("metric")
    table.add_column("value", justify="right")
    table.add_column("n", justify="right")
    counts = {
        "top1_section": summary["answerable"],
        "top3_section": summary["answerable"],
        "role_top1": sum(1 for o in report.answerable if o.item.role),
        "answered_rate": summary["answerable"],
        "declined_rate": summary["abstain_lines"],
        "off_topic_declined": len(report.abstaining("off_topic")),
        "not_covered_declined": len(report.abstaining("not_covered")),
    }
    for key, label in ROWS:
        value = summary[key]
        if value is None:
            continue
        table.add_row(label, f"{value:.1%}", str(counts[key]))
    console.print(table)
    if show_misses:
        for o in report.outcomes:
            wrong = (o.item.abstain and o.answer.answered) or (
                not o.item.abstain
                and (not o.top1 or not o.answer.answered or (o.item.role and not o.role_ok))
            )
            if wrong:
                cited = o.answer.best or (
                    o.answer.alternatives[0] if o.answer.alternatives else None
                )
                where = cited.citation.breadcrumb() if cited else "-"
                console.print(
                    f"[red]✗[/red] {o.item.question!r} → {o.answer.outcome.value} {where} "
                    f"({o.answer.confidence:.2f}); want {list(o.item.sections) or o.item.kind}"
                )
