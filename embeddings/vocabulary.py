"""The words a knowledge base uses, and how well it supports the words of a question.

A question word is supported when the knowledge uses it (same stem, or the spelled-out form
of an abbreviation), when it is a near-miss spelling of a known word ("waht", "prodct"), or
else to the degree its embedding is close to some word the knowledge uses.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from embeddings.encoder import Encoder
from embeddings.index import VectorIndex
from embeddings.text import (
    STOPWORDS,
    content_words,
    expand,
    related_stems,
    stem,
    transpositions,
)

TYPO_CUTOFF = 0.8
MIN_TYPO_LENGTH = 5


class Vocabulary:
    def __init__(
        self,
        encoder: Encoder,
        texts: Iterable[str],
        *,
        ignore: Iterable[str] = (),
        cache_dir: Path | None = None,
    ) -> None:
        ignored = set(ignore)
        self.words = sorted({w for t in texts for w in content_words(t)} - ignored)
        self._stems = {stem(w) for w in self.words}
        self._spelling_set = set(self.words) | STOPWORDS | ignored
        self.index, _ = VectorIndex.build(
            encoder, [(("vocabulary",), w) for w in self.words], self.words, cache_dir
        )

    def knows_exactly(self, word: str) -> bool:
        """The word itself (or a stopword) is used, no spelling slack."""
        return word in self._spelling_set

    def knows(self, word: str) -> bool:
        """Used by the knowledge, directly, by stem, spelled out, or misspelled."""
        forms = [stem(w) for w in expand([word]) if w not in STOPWORDS]
        if any(f in self._stems or related_stems(f, self._stems) for f in forms):
            return True
        if transpositions(word) & self._spelling_set:  # "waht", "teh"
            return True
        # Other near-misses only for longer words, and only of the knowledge's own words:
        # short ones are too easily one letter away from something ("hours" ~ "ours").
        return len(word) >= MIN_TYPO_LENGTH and bool(
            difflib.get_close_matches(word, self.words, n=1, cutoff=TYPO_CUTOFF)
        )

    def unknown(self, words: Sequence[str]) -> list[str]:
        return [w for w in dict.fromkeys(words) if not self.knows(w)]

    def closeness(self, vectors: np.ndarray) -> np.ndarray:
        """For each word vector, the cosine of the nearest vocabulary word."""
        if len(vectors) == 0 or len(self.index) == 0:
            return np.zeros(len(vectors), dtype=np.float32)
        return (vectors @ self.index.vectors.T).max(axis=1)
