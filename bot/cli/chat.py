"""`rolebot chat`: an interactive terminal loop over the answer engine."""

from __future__ import annotations

from bot.answers import AnswerService, Asker
from bot.cli.app import KnowledgeOption, app, load_engine, settings
from bot.storage.lazy import LazyRecorder

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
    service, asker = AnswerService(engine, LazyRecorder(config)), Asker("cli")
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
        answered = service.answer(question, asker)
        render(answered.answer, console)
        service.record(answered)  # after printing: opening the database may take a moment
