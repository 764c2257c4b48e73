"""`rolebot index`: build or refresh the vector cache."""

from __future__ import annotations

from bot.cli.app import KnowledgeOption, app, load_engine, settings


@app.command()
def index(knowledge: KnowledgeOption = None) -> None:
    """Build or refresh the embedding cache for the knowledge; prints passages and time."""
    import typer

    engine = load_engine(settings(), knowledge, progress=True)
    stats = engine.index_stats
    how = "loaded from cache" if stats.from_cache else "encoded"
    typer.echo(f"{stats.rows} passages {how} in {stats.seconds:.2f}s ({stats.cache_file})")
