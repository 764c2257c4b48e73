"""`rolebot chat`: an interactive terminal loop over the answer engine."""

from __future__ import annotations

import time

from bot.cli.app import CliRecorder, KnowledgeOption, app, load_engine, settings

EXIT_WORDS = {"quit", "exit", ":q"}


@app.command()
def chat(knowledge: KnowledgeOption = None) -> None:
    """Ask questions in the terminal; `quit` or Ctrl-D leaves."""
    from rich.console import Console

    from bot.terminal import render

    console = Console()
    config = settings()
    with console.status("Loading the model and the guide…"):
        engine = load_engine(config, knowledge)
    recorder = CliRecorder(config)
    documents = ", ".join(d.document.title for d in engine.knowledge.documents)
    console.print(f"[bold]rolebot[/bold] answers from: {documents}")
    console.print(
        "Ask about a role, e.g. [italic]Who owns the technical roadmap?[/italic]"
        "  (quit or Ctrl-D to leave)"
    )
    while True:
        try:
            question = console.input("[bold cyan]you ›[/bold cyan] ")
        except (EOFError, KeyboardInterrupt):
            console.print()
            break
        if question.strip().lower() in EXIT_WORDS:
            break
        if not question.strip():
            continue
        start = time.perf_counter()
        answer = engine.answer(question)
        latency_ms = (time.perf_counter() - start) * 1000
        render(answer, console)
        recorder.record(answer, latency_ms)
