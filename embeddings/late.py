"""Late interaction: every passage kept as its contextual token vectors, so that a question's
tokens can each find their best match in a passage (MaxSim, as ColBERT scores), cached on
disk beside the sentence vectors.

One vector per passage averages away which words matched; MaxSim keeps them. The token
vectors come from the same forward pass that gives the sentence vector (Encoder.encode_tokens),
so a question costs no extra encoding. They are stored as float16: 2 bytes x 384 per token,
about 15 MB for a handbook of 480 passages (20,000 tokens), and read back as a memory map.
They are built BUILD_CHUNK passages at a time and spooled to disk as they come, so building
needs the memory of one chunk whatever the size of the handbook.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

import numpy as np

from embeddings.encoder import Encoder
from embeddings.index import cache_key, save_atomically

log = logging.getLogger(__name__)

TOKENS_SUFFIX = " tokens"  # names the token cache apart from the sentence vectors
# Passages per forward call when building. One call for all of them held every token vector
# as float32 several times over: `rolebot index` on a handbook of 2,592 passages (~130,000
# tokens) peaked at 701 MB, over the 512 MB of the platforms the Procfile targets.
BUILD_CHUNK = 256


class TokenIndex:
    """Each passage's unit token vectors, concatenated (float16), with where each one starts."""

    def __init__(self, tokens: np.ndarray, offsets: np.ndarray) -> None:
        if tokens.ndim != 2 or offsets.ndim != 1 or len(offsets) < 1:
            raise ValueError(f"token index of shape {tokens.shape} / {offsets.shape}")
        if offsets[0] != 0 or offsets[-1] != len(tokens) or np.any(np.diff(offsets) < 0):
            raise ValueError("token offsets must run from 0 to the number of tokens")
        if tokens.dtype != np.float16 or not tokens.flags.c_contiguous:
            tokens = np.ascontiguousarray(tokens, dtype=np.float16)
        self.tokens = tokens  # a memory map when read from the cache
        self.offsets = np.asarray(offsets, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def maxsim(self, query: np.ndarray, rows: Sequence[int]) -> np.ndarray:
        """For each of `rows`: the mean, over the question's token vectors, of each one's best
        cosine with a token of that passage (0 for a passage without tokens). One product for
        all the rows."""
        query = np.asarray(query, dtype=np.float32)
        out = np.zeros(len(rows), dtype=np.float32)
        starts, ends = self.offsets[list(rows)], self.offsets[[r + 1 for r in rows]]
        filled = np.flatnonzero(ends > starts)
        if not len(query) or not len(filled):
            return out
        picked = np.concatenate([np.arange(starts[i], ends[i]) for i in filled])
        cosines = query @ self.tokens[picked].astype(np.float32).T
        bounds = np.concatenate([[0], np.cumsum(ends[filled] - starts[filled])[:-1]])
        out[filled] = np.maximum.reduceat(cosines, bounds, axis=1).mean(axis=0)
        return out

    @classmethod
    def build(
        cls,
        encoder: Encoder,
        items: Sequence[tuple[Sequence[str], str]],
        embed_texts: Sequence[str],
        cache_dir: Path | None,
        *,
        chunk: int = BUILD_CHUNK,
    ) -> tuple[TokenIndex, np.ndarray | None]:
        """Load the token vectors of `embed_texts` from the cache, or encode and cache them
        (`items` name the content for the cache key, as for embeddings.index.VectorIndex).
        Encoding gives the sentence vectors too, returned for the vector index (one pass over
        the passages instead of two: 6.2 s for 432 passages); None when read from the cache.
        Encoded `chunk` passages at a time, their token vectors spooled to a file as float16."""
        start = time.perf_counter()
        cache_file = None
        if cache_dir is not None:
            key = cache_key(encoder.name + TOKENS_SUFFIX, items, embed_texts)
            cache_file = Path(cache_dir) / f"{key}.npy"
            cached = _load(cache_file, rows=len(items), dimension=encoder.dimension)
            if cached is not None:
                return cached, None
        texts = list(embed_texts)
        vectors: list[np.ndarray] = [np.zeros((0, encoder.dimension), dtype=np.float32)]
        counts: list[int] = []
        with tempfile.TemporaryFile(dir=_spool_dir(cache_file)) as spool:
            for first in range(0, len(texts), max(1, chunk)):
                encoded = encoder.encode_tokens(texts[first : first + chunk])
                vectors.append(encoded.vectors)
                for rows in encoded.tokens:
                    counts.append(len(rows))
                    spool.write(np.ascontiguousarray(rows, dtype=np.float16).tobytes())
            index = _spooled(spool, counts, encoder.dimension, cache_file)
        log.info(
            "token index: %d passages, %d tokens in %.2fs",
            len(index),
            len(index.tokens),
            time.perf_counter() - start,
        )
        return index, np.concatenate(vectors)


def _offsets_file(path: Path) -> Path:
    return path.with_name(path.stem + ".offsets.npy")


def _load(path: Path, *, rows: int, dimension: int) -> TokenIndex | None:
    """The cached index, its token vectors memory-mapped: the pages a question reads are
    loaded on demand, shared by every process that maps the file and given back to the
    system under pressure, so a large handbook's tokens cost no heap."""
    offsets_file = _offsets_file(path)
    if not path.exists() or not offsets_file.exists():
        return None
    try:
        tokens = np.load(path, mmap_mode="r", allow_pickle=False)
        index = TokenIndex(tokens, np.load(offsets_file, allow_pickle=False))
    except (OSError, ValueError, EOFError) as exc:
        log.warning("token cache %s is unreadable (%s); rebuilding it", path, exc)
        return None
    if len(index) != rows or index.tokens.shape[1] != dimension:
        log.warning("token cache %s does not fit this knowledge; rebuilding it", path)
        return None
    return index


def _spool_dir(cache: Path | None) -> Path | None:
    """Spool beside the cache (a disk, where the system's temporary folder may be memory)."""
    if cache is None:
        return None
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return cache.parent if os.access(cache.parent, os.W_OK) else None


def _spooled(spool: BinaryIO, counts: list[int], dimension: int, cache: Path | None) -> TokenIndex:
    """The index of the float16 rows spooled in order: cached and memory-mapped from the cache
    file, or read into memory where there is no cache (or it can't be written)."""
    offsets = np.concatenate([[0], np.cumsum(counts, dtype=np.int64)]).astype(np.int64)
    shape = (int(offsets[-1]), dimension)
    if cache is not None:
        _save(cache, spool, shape, offsets)
        index = _load(cache, rows=len(counts), dimension=dimension)
        if index is not None:
            return index
    spool.seek(0)
    return TokenIndex(np.frombuffer(spool.read(), dtype=np.float16).reshape(shape), offsets)


def _save(path: Path, spool: BinaryIO, shape: tuple[int, int], offsets: np.ndarray) -> None:
    """The token vectors first (an .npy header, then the spooled rows copied block by block),
    then their offsets: a cache without offsets is no cache."""

    def write(handle: BinaryIO) -> None:
        header = {"descr": np.lib.format.dtype_to_descr(np.dtype(np.float16))}
        np.lib.format.write_array_header_1_0(
            handle, {**header, "fortran_order": False, "shape": shape}
        )
        spool.seek(0)
        shutil.copyfileobj(spool, handle)

    save_atomically(path, write)
    save_atomically(
        _offsets_file(path), lambda handle: np.save(handle, offsets, allow_pickle=False)
    )
