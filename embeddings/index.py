"""A numpy vector index over passages, cached on disk under a key of model + content."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np

from embeddings.encoder import Encoder

log = logging.getLogger(__name__)

CACHE_FORMAT = "v1"


def cache_key(
    model: str, items: Sequence[tuple[Sequence[str], str]], embed_texts: Sequence[str]
) -> str:
    """Names the model and hashes every passage's heading path, text and encoder input."""
    digest = hashlib.sha256(CACHE_FORMAT.encode())
    digest.update(model.encode())
    for (path, text), embedded in zip(items, embed_texts, strict=True):
        for part in ("\x1f".join(path), text, embedded):
            digest.update(part.encode() + b"\x00")
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", model).strip("_")[-60:] or "model"
    return f"{slug}-{digest.hexdigest()[:32]}"


@dataclass(frozen=True)
class IndexStats:
    rows: int
    from_cache: bool
    seconds: float
    cache_file: Path | None


class VectorIndex:
    """Normalised float32 vectors searched by dot product."""

    def __init__(self, vectors: np.ndarray) -> None:
        if vectors.ndim != 2:
            raise ValueError(f"index vectors must be 2-d, got shape {vectors.shape}")
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)

    def __len__(self) -> int:
        return int(self.vectors.shape[0])

    def scores(self, query: np.ndarray) -> np.ndarray:
        """Cosine similarity of one unit query vector against every row."""
        return self.vectors @ np.asarray(query, dtype=np.float32).reshape(-1)

    def top_k(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        scores = self.scores(query)
        k = min(k, len(scores))
        if k <= 0:
            return []
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(i), float(scores[i])) for i in top]

    @classmethod
    def build(
        cls,
        encoder: Encoder,
        items: Sequence[tuple[Sequence[str], str]],
        embed_texts: Sequence[str],
        cache_dir: Path | None,
        *,
        progress: bool = False,
        encoded: np.ndarray | None = None,
    ) -> tuple[VectorIndex, IndexStats]:
        """Load vectors for `embed_texts` from the cache, or encode and cache them.

        `items` (heading path, passage text) name the content for the cache key;
        `embed_texts` are what the encoder sees, one per item. `encoded`: their vectors, made
        by this encoder already (with their token vectors, embeddings.late), taken instead of
        encoding them again when the cache misses.
        """
        if len(items) != len(embed_texts):
            raise ValueError("items and embed_texts must line up")
        start = time.perf_counter()
        cache_file = None
        if cache_dir is not None:
            key = cache_key(encoder.name, items, embed_texts)
            cache_file = Path(cache_dir) / f"{key}.npy"
            cached = _load(cache_file, rows=len(items), dimension=encoder.dimension)
            if cached is not None:
                stats = IndexStats(len(items), True, time.perf_counter() - start, cache_file)
                log.info("index: %d vectors from cache %s", len(items), cache_file.name)
                return cls(cached), stats
        if encoded is not None and encoded.shape == (len(items), encoder.dimension):
            vectors = encoded
        else:
            vectors = encoder.encode_passages(list(embed_texts), progress=progress)
        if cache_file is not None:
            _save(cache_file, vectors)
        stats = IndexStats(len(items), False, time.perf_counter() - start, cache_file)
        log.info("index: encoded %d passages in %.2fs", len(items), stats.seconds)
        return cls(vectors), stats


def _load(path: Path, *, rows: int, dimension: int) -> np.ndarray | None:
    if not path.exists():
        return None
    try:
        vectors = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError) as exc:
        log.warning("index cache %s is unreadable (%s); rebuilding it", path, exc)
        return None
    if not isinstance(vectors, np.ndarray):  # e.g. an .npz archive under our name
        log.warning("index cache %s is not a single array; rebuilding it", path)
        return None
    if vectors.dtype != np.float32 or vectors.shape != (rows, dimension):
        log.warning(
            "index cache %s has shape %s %s, expected (%d, %d) float32; rebuilding it",
            path,
            vectors.shape,
            vectors.dtype,
            rows,
            dimension,
        )
        return None
    if not np.isfinite(vectors).all():
        log.warning("index cache %s holds non-finite values; rebuilding it", path)
        return None
    return vectors


def _save(path: Path, vectors: np.ndarray) -> None:
    save_atomically(
        path, lambda handle: np.save(handle, vectors.astype(np.float32), allow_pickle=False)
    )


def save_atomically(path: Path, write: Callable[[BinaryIO], None]) -> None:
    """Write a cache file atomically, so a crash mid-write never leaves a truncated cache
    behind; a cache that can't be written is logged and done without."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.stem, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        os.replace(tmp, path)
    except OSError:
        log.exception("could not write cache %s; continuing without it", path)
