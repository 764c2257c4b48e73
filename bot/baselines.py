"""Plain retrieval baselines, scored beside rolebot on the same passages in the same run.

- `cosine`: the bundled model's cosine of the question and each passage embedded with its
  heading path (the engine's own passage vectors, no query adapter, no rules);
- `bm25`: BM25 over the stemmed content words of the same heading-prefixed passages.

Each ranks sections by their best passage; a baseline never declines.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bot.engine import Engine, embed_text
from bot.types import Citation
from embeddings.lexical import LexicalIndex
from embeddings.text import terms

BASELINES = ("cosine", "bm25")
TOP_SECTIONS = 3


@dataclass(frozen=True)
class Baselines:
    """The baselines over one engine's passages."""

    engine: Engine
    lexical: LexicalIndex

    @classmethod
    def of(cls, engine: Engine) -> Baselines:
        return cls(engine, LexicalIndex([terms(embed_text(p)) for p in engine.passages]))

    def ranked(self, name: str, question: str) -> list[Citation]:
        """The top sections for the question by baseline `name`, best first."""
        if name == "cosine":
            vector = self.engine.encoder.encode_queries([question])[0]
            scores = self.engine.index.scores(vector)
        elif name == "bm25":
            scores = self.lexical.scores(terms(question))
        else:
            raise ValueError(f"unknown baseline {name!r}; use one of {BASELINES}")
        return top_sections(self.engine, scores)


def top_sections(engine: Engine, scores: np.ndarray, k: int = TOP_SECTIONS) -> list[Citation]:
    out: list[Citation] = []
    seen = set()
    for index in np.argsort(-scores, kind="stable"):
        section = engine.passages[int(index)].section
        if section in seen:
            continue
        seen.add(section)
        out.append(Citation.of(section))
        if len(out) == k:
            break
    return out
