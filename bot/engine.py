"""The platform-neutral answer engine: question -> Answer with a cited, verbatim passage."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.types import Answer, Citation, Match, Outcome
from embeddings.encoder import Encoder
from embeddings.index import IndexStats, VectorIndex
from embeddings.lexical import LexicalIndex
from embeddings.text import terms
from knowledge.model import Knowledge, Passage, Section
from knowledge.roles import roles_named

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 2000
MAX_ALTERNATIVES = 3


@dataclass(frozen=True)
class Scored:
    passage: Passage
    score: float


class Engine:
    def __init__(
        self,
        knowledge: Knowledge,
        encoder: Encoder,
        *,
        cache_dir: Path | None = None,
        progress: bool = False,
    ) -> None:
        self.knowledge = knowledge
        self.encoder = encoder
        self.passages = knowledge.passages
        if not self.passages:
            raise ValueError("the knowledge holds no passages")
        self._role_terms = {
            alias.lower(): (role.name,) for role in knowledge.roles for alias in role.aliases
        }
        items = [(p.section.path, p.text) for p in self.passages]
        embed_texts = [self._embed_text(p) for p in self.passages]
        self.index, self.index_stats = VectorIndex.build(
            encoder, items, embed_texts, cache_dir, progress=progress
        )
        self.lexical = LexicalIndex([self._terms(self._embed_text(p)) for p in self.passages])

    @staticmethod
    def _embed_text(passage: Passage) -> str:
        headings = " › ".join(passage.section.path[1:]) or passage.section.path[0]
        return f"{headings}: {passage.text}"

    def _terms(self, text: str) -> list[str]:
        return terms(text, self._role_terms)

    # -- answering ---------------------------------------------------------------------------

    def answer(self, question: str) -> Answer:
        text = (question or "").strip()
        if not text:
            return Answer(question="", outcome=Outcome.INVALID, message="Ask me a question about a role, e.g. “What does a PM focus on?”")
        if len(text) > MAX_QUESTION_CHARS:
            return Answer(
                question=text[:200],
                outcome=Outcome.INVALID,
                message=f"That question is {len(text):,} characters long; please keep it under {MAX_QUESTION_CHARS:,}.",
            )
        start = time.perf_counter()
        ranked = self.rank(text)
        answer = self._decide(text, ranked)
        log.debug("answered %r in %.1f ms", text[:80], (time.perf_counter() - start) * 1000)
        return answer

    def rank(self, question: str) -> list[Scored]:
        qvec = self.encoder.encode_queries([question])[0]
        dense = self.index.scores(qvec)
        lexical = self.lexical.scores(self._terms(question))
        if lexical.max() > 0:
            lexical = lexical / lexical.max()
        fused = dense + 0.3 * lexical
        order = np.argsort(-fused, kind="stable")
        return [Scored(self.passages[i], float(fused[i])) for i in order]

    def _decide(self, question: str, ranked: list[Scored]) -> Answer:
        best = ranked[0]
        alternatives = self._other_sections(ranked, exclude={best.passage.section})
        confidence = float(best.score)
        if best.score < 0.35:
            return Answer(
                question=question,
                outcome=Outcome.NOT_COVERED,
                alternatives=alternatives,
                confidence=confidence,
                message="That isn't covered by the guide.",
            )
        return Answer(
            question=question,
            outcome=Outcome.ANSWERED,
            matches=(self._match(best),),
            alternatives=alternatives,
            confidence=confidence,
        )

    def _other_sections(self, ranked: list[Scored], exclude: set[Section]) -> tuple[Match, ...]:
        seen = set(exclude)
        out: list[Match] = []
        for item in ranked:
            if item.passage.section in seen:
                continue
            seen.add(item.passage.section)
            out.append(self._match(item))
            if len(out) == MAX_ALTERNATIVES:
                break
        return tuple(out)

    def _match(self, item: Scored, role_label: str | None = None) -> Match:
        return Match(text=item.passage.text, citation=citation(item.passage.section), score=item.score, role_label=role_label)

    def roles_in(self, text: str) -> tuple[str, ...]:
        return roles_named(text, self.knowledge.roles)


def citation(section: Section) -> Citation:
    return Citation(
        document=section.document.title,
        url=section.document.url,
        section=section.heading,
        section_path=section.path,
        roles=section.roles,
    )


def build_engine(
    knowledge: Knowledge, model: str, cache_dir: Path | None, *, progress: bool = False
) -> tuple[Engine, IndexStats]:
    from embeddings.encoder import SentenceTransformerEncoder

    engine = Engine(knowledge, SentenceTransformerEncoder(model), cache_dir=cache_dir, progress=progress)
    return engine, engine.index_stats
