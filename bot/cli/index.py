"""`rolebot index`: build or refresh the vector cache and the model's word table."""

from __future__ import annotations

from bot.cli.app import KnowledgeOption, app, load_engine, settings


@app.command()
def index(knowledge: KnowledgeOption = None) -> None:
    """Build or refresh the embedding cache for the knowledge and the model's word table (the
    vectors of single words, read for every question); prints passages, words and time."""
    import typer

    engine = load_engine(settings(), knowledge, progress=True, build_words=True)
    stats = engine.index_stats
    how = "loaded from cache" if stats.from_cache else "encoded"
    typer.echo(f"{stats.rows} passages {how} in {stats.seconds:.2f}s ({stats.cache_file})")
    table = engine.retriever.words.table
    if table is not None:
        typer.echo(f"{len(table)} words in the word table ({table.path})")
