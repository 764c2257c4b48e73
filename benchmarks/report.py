"""One row per figure, printed beside its baseline, as a rich table or JSON."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from rich.console import Console
from rich.table import Table


@dataclass(frozen=True)
class Row:
    """A measured figure and the baseline it is judged against, from the same run.

    `target` describes the bar ("≤ 1.5× baseline", "≤ 100 ms"); `passed` is None when the
    figure has no target. `value` None means the figure could not be measured: `note` says why.
    """

    benchmark: str
    metric: str
    value: float | None
    unit: str
    baseline_name: str = ""
    baseline: float | None = None
    target: str = ""
    passed: bool | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.baseline:
            return None
        return self.value / self.baseline

    @property
    def status(self) -> str:
        if self.value is None:
            return "unavailable"
        if self.passed is None:
            return "—"
        return "PASS" if self.passed else "FAIL"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["ratio"] = self.ratio
        data["status"] = self.status
        return data


def unavailable(benchmark: str, metric: str, unit: str, reason: str) -> Row:
    return Row(benchmark, metric, None, unit, note=f"unavailable: {reason}")


def fmt(value: float | None, unit: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if unit in {"count", "req"}:
        return f"{value:,.0f}"
    magnitude = abs(value)
    digits = 0 if magnitude >= 1000 else 1 if magnitude >= 100 else 2 if magnitude >= 1 else 3
    return f"{value:,.{digits}f} {unit}".rstrip()


def render(rows: Sequence[Row], console: Console, title: str) -> None:
    table = Table(title=title, show_lines=False, expand=False)
    table.add_column("benchmark", style="bold")
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_column("baseline (same run)")
    table.add_column("baseline", justify="right")
    table.add_column("ratio", justify="right")
    table.add_column("target")
    table.add_column("status")
    table.add_column("note", overflow="fold", max_width=48)
    previous = None
    for row in rows:
        if previous is not None and row.benchmark != previous:
            table.add_section()
        previous = row.benchmark
        ratio = row.ratio
        style = {"PASS": "green", "FAIL": "bold red", "unavailable": "yellow"}.get(row.status, "")
        table.add_row(
            row.benchmark,
            row.metric,
            fmt(row.value, row.unit),
            row.baseline_name,
            fmt(row.baseline, row.unit) if row.baseline_name else "",
            f"{ratio:.2f}×" if ratio is not None else "",
            row.target,
            f"[{style}]{row.status}[/]" if style else row.status,
            row.note,
        )
    console.print(table)


def to_json(rows: Sequence[Row], meta: dict[str, Any]) -> str:
    return json.dumps({"machine": meta, "rows": [r.to_dict() for r in rows]}, indent=2)
