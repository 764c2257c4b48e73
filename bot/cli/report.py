"""`rolebot report` and `rolebot export-feedback`: the question log, read back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli.app import app, fail, settings

if TYPE_CHECKING:
    from datetime import datetime

    from bot.storage import Storage
    from bot.storage.report import ReportSummary

SinceOption = Annotated[
    str,
    typer.Option("--since", help="A span before now (30m, 24h, 7d, 2w) or an ISO date."),
]


def _since(text: str | None) -> datetime | None:
    from bot.storage.report import SinceError, parse_since

    if text is None:
        return None
    try:
        return parse_since(text)
    except SinceError as exc:
        fail(str(exc))


def _storage() -> Storage:
    from bot.storage import StorageError, open_storage

    try:
        return open_storage(settings(), required=True)
    except StorageError as exc:
        fail(str(exc))


@app.command()
def report(
    since: SinceOption = "7d",
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    top: Annotated[int, typer.Option("--top", min=1, help="Rows per ranking.")] = 10,
) -> None:
    """Questions per day, answered rate, top sections, 👎 by section, knowledge gaps, latency."""
    from bot.storage.report import build_report

    start = _since(since)
    assert start is not None
    storage = _storage()
    try:
        summary = build_report(storage.engine, start, top=top)
    finally:
        storage.close()
    if as_json:
        typer.echo(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2))
    else:
        _render(summary)


@app.command("export-feedback")
def export_feedback(
    out: Annotated[Path, typer.Argument(help="The JSON-lines file to write ('-' for stdout).")],
    since: Annotated[
        str | None,
        typer.Option("--since", help="Only votes cast since: 24h, 7d, 2w or an ISO date."),
    ] = None,
) -> None:
    """Voted questions as labelled eval lines (👍: the cited section is right, 👎: it is not)."""
    from bot.storage.export import export_lines

    start = _since(since)
    storage = _storage()
    try:
        lines = list(export_lines(storage.engine, start))
    finally:
        storage.close()
    text = "".join(line + "\n" for line in lines)
    if str(out) == "-":
        typer.echo(text, nl=False)
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"{out}: cannot write ({exc.strerror or exc})")
    typer.echo(f"{len(lines)} labelled question(s) written to {out}", err=True)


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f} ms"


def _render(summary: ReportSummary) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(
        f"[bold]rolebot report[/bold] {summary.since:%Y-%m-%d %H:%M} → "
        f"{summary.until:%Y-%m-%d %H:%M} UTC: {summary.questions} question(s), "
        f"answered {_pct(summary.answered_rate)}, latency p50 {_ms(summary.latency_p50_ms)} "
        f"p95 {_ms(summary.latency_p95_ms)}, {summary.votes} vote(s), "
        f"👎 {_pct(summary.down_rate)}",
        highlight=False,
    )
    days = Table("Day (UTC)", "Questions", "Answered", title="Questions per day")
    for day in summary.per_day:
        days.add_row(day.day.isoformat(), str(day.questions), _pct(day.answered / day.questions))
    sections = Table("Section", "Citations", title="Top cited sections")
    for item in summary.top_sections:
        sections.add_row(item.section, str(item.count))
    feedback = Table("Section", "Votes", "👎", "👎 rate", title="Feedback by section")
    for entry in summary.feedback:
        feedback.add_row(entry.section, str(entry.votes), str(entry.down), _pct(entry.down_rate))
    gaps = Table("Question", "Times", title="Declined questions (knowledge gaps)")
    for gap in summary.declined:
        gaps.add_row(gap.question, str(gap.count))
    for table in (days, sections, feedback, gaps):
        if table.row_count:
            console.print(table)
