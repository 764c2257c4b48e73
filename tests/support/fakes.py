"""Test doubles shared across the suite: a deterministic bag-of-words encoder."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np

from embeddings.encoder import Encoder, TokenEncoding

FAKE_DIMENSION = 64
_WORD = re.compile(r"[a-z0-9]+")


def _bucket(word: str) -> int:
    """A stable hash (Python's own hash() is salted per process)."""
    return int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "big")


def fake_vector(text: str, dimension: int = FAKE_DIMENSION) -> np.ndarray:
    """Bag of words hashed into `dimension` buckets, normalised (all zeros for no words)."""
    vector = np.zeros(dimension, dtype=np.float32)
    for word in _WORD.findall(text.lower()):
        vector[_bucket(word) % dimension] += 1.0
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


class FakeEncoder(Encoder):
    """Hashes words into buckets; counts how often and on what it was called."""

    def __init__(
        self,
        name: str = "fake-bow-64",
        dimension: int = FAKE_DIMENSION,
        *,
        tokens: bool = False,
        vocabulary: Sequence[str] = (),
    ) -> None:
        """`tokens`: give each word's vector as a token vector (late interaction); off, the
        engine ranks by its fused scores alone. `vocabulary`: the tokenizer's entries, as a
        WordPiece vocabulary spells them (none by default: no word table)."""
        self.name = name
        self.has_tokens = tokens
        self._vocabulary = frozenset(vocabulary)
        self._dimension = dimension
        self.passage_calls = 0
        self.query_calls = 0
        self.encoded: list[str] = []

    @property
    def dimension(self) -> int:
        return self._dimension

    @property
    def calls(self) -> int:
        return self.passage_calls + self.query_calls

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        self.encoded.extend(texts)
        if not texts:
            return np.zeros((0, self._dimension), dtype=np.float32)
        return np.stack([fake_vector(t, self._dimension) for t in texts])

    def encode_passages(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        self.passage_calls += 1
        return self._encode(texts)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        self.query_calls += 1
        return self._encode(texts)

    def encode_tokens(self, texts: Sequence[str]) -> TokenEncoding:
        if not self.has_tokens:
            return super().encode_tokens(texts)
        self.query_calls += 1
        words = [_WORD.findall(text.lower()) or [text] for text in texts]
        return TokenEncoding(self._encode(texts), tuple(self._encode(w) for w in words))


class NoCorrections:
    """A vocabulary for bot.pipeline.parse.Parser that corrects no spelling."""

    def correct(self, text: str) -> str:
        return text
