"""Brute-force search at scale: `VectorIndex.top_k` over 10k, 100k and 1M synthetic 384-d
float32 unit vectors, beside the bare matrix-vector product (the memory-bandwidth floor);
memory as the array's nbytes beside the growth of this process's RSS."""

from __future__ import annotations

import gc
import time

import numpy as np

from benchmarks.common import Session, median, proc_status
from benchmarks.report import Row

NAME = "search scale"
DIMENSION = 384
K = 5
# Interactive budget for the vector search alone, so a Slack answer stays well under a second.
BUDGET_MS = 50.0


def unit_vectors(rows: int, dimension: int = DIMENSION, *, seed: int = 3) -> np.ndarray:
    """Random float32 unit vectors, generated in chunks so the peak stays near nbytes."""
    rng = np.random.default_rng(seed)
    out = np.empty((rows, dimension), dtype=np.float32)
    chunk = 65536
    for start in range(0, rows, chunk):
        block = rng.standard_normal((min(chunk, rows - start), dimension), dtype=np.float32)
        block /= np.linalg.norm(block, axis=1, keepdims=True)
        out[start : start + len(block)] = block
    return out


def sizes(quick: bool) -> list[tuple[int, int]]:
    """(rows, queries) per size: a few queries suffice at 1M."""
    if quick:
        return [(10_000, 50), (100_000, 10)]
    return [(10_000, 200), (100_000, 40), (1_000_000, 6)]


def run(session: Session) -> list[Row]:
    from embeddings.index import VectorIndex

    rows_out: list[Row] = []
    VectorIndex(unit_vectors(1000)).top_k(unit_vectors(1)[0], K)  # first-use buffers, not growth
    for rows, queries in sizes(session.quick):
        gc.collect()
        rss_before = proc_status().get("VmRSS", 0)
        vectors = unit_vectors(rows)
        rss_after = proc_status().get("VmRSS", 0)
        index = VectorIndex(vectors)
        probes = unit_vectors(queries, seed=rows)
        index.top_k(probes[0], K)  # warm-up
        top_k_ms: list[float] = []
        matvec_ms: list[float] = []
        for probe in probes:
            start = time.perf_counter()
            index.top_k(probe, K)
            top_k_ms.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            _ = vectors @ probe
            matvec_ms.append((time.perf_counter() - start) * 1000)
        label = f"{rows:,} vectors"
        top = median(top_k_ms)
        rows_out.append(
            Row(
                NAME,
                f"top-{K} over {label} ({queries} queries)",
                top,
                "ms",
                "bare vectors @ q",
                median(matvec_ms),
                f"budget {BUDGET_MS:.0f} ms (info)",
                None,
                note="within budget"
                if top <= BUDGET_MS
                else "over budget: beyond this size use an ANN index (HNSW, IVF-PQ)",
            )
        )
        rows_out.append(
            Row(
                NAME,
                f"RSS growth, {label}",
                (rss_after - rss_before) / 1024,
                "MB",
                "array nbytes",
                vectors.nbytes / 1024 / 1024,
            )
        )
        session.results[f"search_{rows}_ms"] = top
        del index, vectors, probes
        gc.collect()
    session.log("search scale: done")
    return rows_out
