"""Render answers for the terminal with rich."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.text import Text

from bot.types import Answer, Match


def _quote(match: Match) -> Group:
    body = Text()
    if match.role_label:
        body.append(f"{match.role_label} — ", style="bold")
    body.append(match.text)
    source = Text(f"— {match.citation.breadcrumb()}", style="dim italic")
    if match.citation.url:
        source.append(f"  {match.citation.url}", style="dim underline")
    return Group(body, source)


def render(answer: Answer, console: Console) -> None:
    if not answer.answered and not answer.alternatives:
        console.print(Text(answer.message or "I can't answer that.", style="yellow"))
        return
    if answer.answered:
        parts = [_quote(m) for m in answer.matches]
        title = "Answer" if len(parts) == 1 else f"{len(parts)} passages, side by side"
        console.print(Panel(Group(*parts), title=title, title_align="left", border_style="green"))
        if answer.alternatives:
            console.print(Text("See also:", style="dim"))
    else:
        console.print(Text(answer.message or "Not covered by the guide.", style="yellow"))
        console.print(Text("Closest sections:", style="dim"))
    for alt in answer.alternatives:
        console.print(Text(f"  • {alt.citation.breadcrumb()}  ({alt.score:.2f})", style="dim"))
