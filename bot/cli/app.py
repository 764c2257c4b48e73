"""The typer application and what every command shares: settings, knowledge, engine."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal, NoReturn

import typer

from bot.settings import Settings, SettingsError

if TYPE_CHECKING:
    from bot.abstain import AbstentionModel
    from bot.engine import Engine
    from bot.evaluate import LabelledQuestion
    from embeddings.adapter import QueryAdapter
    from knowledge.model import Knowledge

app = typer.Typer(
    name="rolebot",
    help="Answers questions about product roles, quoting the guide with its section.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

KnowledgeOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--knowledge",
        "-k",
        help="A role document or folder (.md, .mdx, .txt, .html) to answer from instead of the "
        "shipped guide. Repeatable.",
        show_default=False,
    ),
]


def fail(message: str, code: int = 2) -> NoReturn:
    """One line on stderr, no traceback."""
    typer.echo(f"rolebot: {message}", err=True)
    raise typer.Exit(code)


def settings(default_log_level: str = "WARNING") -> Settings:
    """Read the settings once and configure logging (ROLEBOT_LOG_LEVEL overrides the default)."""
    try:
        loaded = Settings.from_env()
    except SettingsError as exc:
        fail(str(exc))
    level = loaded.log_level or default_log_level
    logging.basicConfig(
        level=getattr(logging, level, logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    return loaded


LabelledSets = Annotated[
    list[str],
    typer.Argument(
        help="Labelled question files (the `rolebot eval` format), each QUESTIONS (asked of "
        "the shipped guide) or KNOWLEDGE=QUESTIONS.",
        metavar="[KNOWLEDGE=]QUESTIONS...",
    ),
]


def split_set(spec: str) -> tuple[Path | None, Path]:
    """A labelled set on the command line: 'QUESTIONS' (asked of the shipped guide) or
    'KNOWLEDGE=QUESTIONS'."""
    knowledge, _, questions = spec.rpartition("=")
    return (Path(knowledge) if knowledge else None), Path(questions)


def set_name(spec: str) -> str:
    """How a labelled set is named in a fitted file: the question file with its folder, after
    its knowledge's file name when it has one ("pm-vs-tpm-article.txt=article/train.jsonl")."""
    knowledge, questions = split_set(spec)
    name = f"{questions.parent.name}/{questions.name}" if questions.parent.name else questions.name
    return f"{knowledge.name}={name}" if knowledge else name


def labelled_sets(
    config: Settings,
    specs: list[str],
    *,
    adapter: QueryAdapter | Literal["configured"] | None = "configured",
) -> Iterator[tuple[Engine, list[LabelledQuestion], Path]]:
    """Each labelled set with an engine on its knowledge, for fitting (calibrate, tune): the
    engine's answer-or-decline model is a placeholder that never declines, since the shipped
    one may be stale or missing; that is what calibration replaces."""
    from bot.abstain import FEATURES, AbstentionModel
    from bot.evaluate import EvalFileError, read_questions

    placeholder = AbstentionModel((0.0,) * len(FEATURES), 0.0, 0.5)
    for spec in specs:
        knowledge, questions = split_set(spec)
        try:
            items = read_questions(questions)
        except EvalFileError as exc:
            fail(str(exc))
        engine = load_engine(
            config, [knowledge] if knowledge else None, abstention=placeholder, adapter=adapter
        )
        yield engine, items, questions


def load_knowledge(config: Settings, paths: list[Path] | None) -> Knowledge:
    from knowledge import KnowledgeError, load_shipped_guide
    from knowledge import load_knowledge as load

    chosen = list(paths or config.knowledge_paths)
    try:
        return load(chosen) if chosen else load_shipped_guide()
    except KnowledgeError as exc:
        fail(str(exc))


def load_engine(
    config: Settings,
    paths: list[Path] | None,
    *,
    progress: bool = False,
    threads: int | None = None,
    abstention: AbstentionModel | None = None,
    adapter: QueryAdapter | Literal["shipped", "configured"] | None = "configured",
    forks: bool = False,
    build_words: bool = False,
) -> Engine:
    """The engine on the configured (or given) knowledge; `abstention` replaces the shipped
    answer-or-decline model (calibration needs none), `adapter` the configured query adapter
    (tuning fits a new one on the model as it is); `forks`: this process forks a server worker
    (see build_engine); `build_words`: encode the model's word table first where it's missing."""
    from bot.abstain import AbstentionModel
    from bot.engine import build_engine
    from embeddings.adapter import AdapterError
    from embeddings.encoder import EncoderError

    knowledge = load_knowledge(config, paths)
    try:
        model = abstention or AbstentionModel.load()
    except (OSError, ValueError, KeyError) as exc:
        fail(f"cannot load the answer-or-decline model: {exc} (run `make calibrate`)")
    try:
        engine, _ = build_engine(
            knowledge,
            config.model,
            config.cache_dir,
            backend="torch" if config.encoder == "torch" else "onnx",
            shared_cache_dir=config.user_cache_dir and config.user_cache_dir / "onnx",
            forks=forks,
            progress=progress,
            threads=threads,
            abstention=model,
            adapter=query_adapter(config) if adapter == "configured" else adapter,
            build_words=build_words,
        )
    except (EncoderError, AdapterError) as exc:
        fail(str(exc))
    return engine


def query_adapter(config: Settings) -> QueryAdapter | Literal["shipped"] | None:
    """ROLEBOT_QUERY_ADAPTER: the shipped adapter, none, or a file written by `rolebot tune`."""
    from embeddings.adapter import AdapterError, QueryAdapter

    if config.query_adapter in ("shipped", "none"):
        return None if config.query_adapter == "none" else "shipped"
    try:
        return QueryAdapter.load(Path(config.query_adapter))
    except AdapterError as exc:
        fail(f"ROLEBOT_QUERY_ADAPTER: {exc}")
