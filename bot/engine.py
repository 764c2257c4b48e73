"""The platform-neutral answer engine: question -> Answer with a cited, verbatim passage.

It runs the stages of bot.pipeline top to bottom: parse the question once into a Query,
retrieve (dense and lexical scores per passage), rank (one fused score), decide (rules, then
the answer-or-decline model) and compose the Answer. `signals` runs the very same stages up
to the decision, for fitting the decline model (`rolebot tune`, `rolebot calibrate`).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import Literal

from bot.abstain import AbstentionModel, Signals
from bot.pipeline.compose import Composer
from bot.pipeline.decide import (
    Arithmetic,
    CodeBeyondSeries,
    Decider,
    ElsewhereTopic,
    FigureWithoutNumbers,
    HiringIntoRole,
    SmallTalk,
    TitleElsewhere,
    UnknownRole,
)
from bot.pipeline.parse import MAX_QUESTION_CHARS, Parser, Query, invalid, screen
from bot.pipeline.rank import MAX_ALTERNATIVES, LateInteraction, Ranker, Scored
from bot.pipeline.retrieve import Evidence, Retriever, embed_text
from bot.types import Answer
from embeddings.adapter import QueryAdapter, shipped_adapter
from embeddings.encoder import Encoder
from embeddings.index import IndexStats, VectorIndex
from embeddings.words import WordTable
from knowledge.model import Knowledge

log = logging.getLogger(__name__)

__all__ = [
    "MAX_ALTERNATIVES",
    "MAX_QUESTION_CHARS",
    "Engine",
    "Query",
    "Scored",
    "build_engine",
    "embed_text",
]


class Engine:
    def __init__(
        self,
        knowledge: Knowledge,
        encoder: Encoder,
        *,
        cache_dir: Path | None = None,
        abstention: AbstentionModel | None = None,
        adapter: QueryAdapter | Literal["shipped"] | None = "shipped",
        progress: bool = False,
    ) -> None:
        """`adapter`: the query adapter for the dense score; "shipped" takes the one shipped
        for this encoder's model (none for other models), None uses the model as it is. An
        adapter serves only the knowledge it was fitted for (see embeddings.adapter)."""
        if not knowledge.passages:
            raise ValueError("the knowledge holds no passages")
        model = encoder.model
        if adapter == "shipped":
            adapter = shipped_adapter(model, encoder.dimension)
        elif adapter is not None:
            adapter.check(model, encoder.dimension)
        self.knowledge = knowledge
        self.encoder = encoder
        self.passages = knowledge.passages
        self.retriever = Retriever(
            knowledge, encoder, cache_dir=cache_dir, adapter=adapter, progress=progress
        )
        self.parser = Parser(knowledge.roles, self.retriever.vocabulary)
        tokens = self.retriever.tokens
        late = LateInteraction(tokens) if tokens is not None else None
        self.ranker = Ranker(self.passages, knowledge.roles, late)
        self.decider = Decider(
            (
                Arithmetic(),
                SmallTalk(),
                ElsewhereTopic(knowledge),
                HiringIntoRole(),
                UnknownRole(knowledge),
                TitleElsewhere(knowledge),
                CodeBeyondSeries(knowledge),
                FigureWithoutNumbers(),
            ),
            abstention or AbstentionModel.load(),
        )
        self.composer = Composer(knowledge)

    # What other layers read of the indexes (baselines, benchmarks, tuning).
    @property
    def index(self) -> VectorIndex:
        return self.retriever.index

    @property
    def index_stats(self) -> IndexStats:
        return self.retriever.index_stats

    @property
    def adapter(self) -> QueryAdapter | None:
        return self.retriever.adapter

    @property
    def abstention(self) -> AbstentionModel:
        return self.decider.model

    def answer(self, question: str) -> Answer:
        early = screen(question, self._usage_hint())
        if early is not None:
            return early
        query = self.parser.parse(question)
        if not query.has_subject and not query.arithmetic:  # "lol", "what is this?"
            return invalid(
                query.original,
                f"I couldn't find a question about a role in that. {self._usage_hint()}",
            )
        evidence = self.retriever.retrieve(query, masked_topic=False, all_words=False)
        ranked = self.ranker.rank(query, evidence)
        signals = signals_of(evidence)

        def measured() -> Signals:
            topic = signals.topic if evidence.topic_measured else self.retriever.masked_topic(query)
            return replace(signals, topic=topic, stray=self.retriever.stray(evidence))

        estimated = evidence.estimated
        decision = self.decider.decide(
            query, ranked[0], signals, self._clause, measured if estimated else None, estimated
        )
        if not decision.answer:
            return self.composer.declined(query, ranked, decision.confidence, decision.reason or "")
        return self.composer.answered(query, ranked, decision.confidence)

    def signals(self, question: str) -> Signals | None:
        """The measured signals the answer-or-decline model judges (for fitting it); None when
        the question has no subject or a rule declines it before the model is consulted."""
        query = self.parser.parse(question)
        if not query.has_subject:
            return None
        evidence = self.retriever.retrieve(query)
        ranked = self.ranker.rank(query, evidence)
        if self.decider.ruled_out(query, ranked[0]):
            return None
        return signals_of(evidence)

    def query_text(self, question: str) -> str:
        """What the engine embeds for a question (see Parser.corrected)."""
        return self.parser.corrected(question)

    def _clause(self, clause: str) -> Signals:
        return signals_of(self.retriever.retrieve(self.parser.parse(clause)))

    def _usage_hint(self) -> str:
        roles = self.knowledge.roles
        example = f"“What does a {roles[0].key} focus on?”" if roles else "“Who owns the roadmap?”"
        return f"Ask me a question about a role, e.g. {example}"


def signals_of(evidence: Evidence) -> Signals:
    return Signals(dense=evidence.closeness, topic=evidence.topic, stray=evidence.stray)


def build_engine(
    knowledge: Knowledge,
    model: str,
    cache_dir: Path | None,
    *,
    backend: Literal["onnx", "torch"] = "onnx",
    shared_cache_dir: Path | None = None,
    forks: bool = False,
    progress: bool = False,
    threads: int | None = None,
    abstention: AbstentionModel | None = None,
    adapter: QueryAdapter | Literal["shipped"] | None = "shipped",
    build_words: bool = False,
) -> tuple[Engine, IndexStats]:
    """The engine with the `backend` encoder: onnxruntime (serving; its ONNX graph is kept in
    `cache_dir`, made once per user in `shared_cache_dir`) or sentence-transformers on torch
    (the reference, and `tune`). `forks`: this process will fork a server worker, so it must not
    run onnxruntime itself (see OnnxEncoder.release). `build_words`: encode the model's word
    table into `cache_dir` first where it is missing (`rolebot index`; embeddings.words)."""
    encoder: Encoder
    if backend == "torch":
        from embeddings.encoder import SentenceTransformerEncoder

        encoder = SentenceTransformerEncoder(model, threads=threads)
    else:
        from embeddings.onnx import OnnxEncoder, scratch_cache_dir

        encoder = OnnxEncoder(
            model,
            cache_dir or scratch_cache_dir(),
            shared_dir=shared_cache_dir,
            threads=threads,
            forks=forks,
        )
    if build_words and cache_dir is not None:
        WordTable.build(encoder, cache_dir)
    engine = Engine(
        knowledge,
        encoder,
        cache_dir=cache_dir,
        abstention=abstention,
        adapter=adapter,
        progress=progress,
    )
    return engine, engine.index_stats
