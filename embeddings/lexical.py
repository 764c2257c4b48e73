"""BM25 over stemmed terms (bm25s), the lexical half of hybrid retrieval."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np

from embeddings.text import StemFamilies


class LexicalIndex:
    def __init__(self, documents: Sequence[Sequence[str]]) -> None:
        import bm25s

        # bm25s sets its own logger to DEBUG on import; keep its chatter out of our logs.
        logging.getLogger("bm25s").setLevel(logging.WARNING)
        self._size = len(documents)
        self.vocabulary = frozenset(t for doc in documents for t in doc)
        self._families = StemFamilies(self.vocabulary)
        self._bm25 = bm25s.BM25()
        # bm25s needs at least one token per document.
        self._bm25.index([list(doc) or ["\x00"] for doc in documents], show_progress=False)

    def scores(self, query_terms: Sequence[str]) -> np.ndarray:
        """BM25 of each document; a term the corpus lacks counts as its word family's."""
        known: list[str] = []
        for term in query_terms:
            known.extend([term] if term in self.vocabulary else self._families.related(term))
        if not known:
            return np.zeros(self._size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)
