"""Per-question latency in-process: the engine beside a bare `SentenceTransformer.encode` +
numpy dot product (the floor for this model) and BM25 alone, over the same questions.

The three are timed question by question in rotating order, so a busy machine slows all of
them alike."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from benchmarks.common import Session, percentile
from benchmarks.questions import build_questions
from benchmarks.report import Row

NAME = "latency"
TARGET_RATIO = 1.5
WARMUP = 10


def run(session: Session) -> list[Row]:
    from sentence_transformers import SentenceTransformer

    from bot.engine import Engine, embed_text
    from embeddings.encoder import resolve_model
    from embeddings.lexical import LexicalIndex
    from embeddings.text import terms
    from embeddings.words import WordTable
    from knowledge import load_shipped_guide

    knowledge = load_shipped_guide()
    cache = session.scratch("latency-cache")
    WordTable.build(session.encoder, cache)  # as `rolebot index` does before a server runs
    engine = Engine(knowledge, session.encoder, cache_dir=cache)
    headings = sorted({s.heading for s in knowledge.sections})
    roles = [alias for role in knowledge.roles for alias in role.aliases]
    minimum = 60 if session.quick else 200
    questions = build_questions(headings, roles, minimum=minimum, limit=minimum + 20)
    if not session.quick:
        assert len(questions) >= 200, len(questions)

    bare_model = SentenceTransformer(resolve_model(session.encoder.name), device="cpu")
    vectors = engine.index.vectors
    bm25 = LexicalIndex([terms(embed_text(p)) for p in engine.passages])

    def bare(question: str) -> int:
        query = bare_model.encode([question], convert_to_numpy=True, normalize_embeddings=True)
        return int(np.argmax(vectors @ query[0]))

    def lexical(question: str) -> int:
        return int(np.argmax(bm25.scores(terms(question))))

    def full(question: str) -> object:
        return engine.answer(question)

    runners: list[tuple[str, Callable[[str], object]]] = [
        ("engine", full),
        ("bare", bare),
        ("bm25", lexical),
    ]
    for question in questions[:WARMUP]:
        for _, fn in runners:
            fn(question)
    times: dict[str, list[float]] = {name: [] for name, _ in runners}
    for number, question in enumerate(questions):
        shift = number % len(runners)
        for name, fn in runners[shift:] + runners[:shift]:
            start = time.perf_counter()
            fn(question)
            times[name].append((time.perf_counter() - start) * 1000)
    session.log(f"latency: {len(questions)} questions × {len(runners)} paths")
    one_thread = _one_thread_times(questions[: len(questions) // 2], full, bare)

    def p(name: str, q: float) -> float:
        return percentile(times[name], q)

    ratio = p("engine", 50) / p("bare", 50)
    session.results["engine_p50_ms"] = p("engine", 50)
    session.results["bare_p50_ms"] = p("bare", 50)
    session.results["engine_answers_per_s"] = 1000 * len(questions) / sum(times["engine"])
    bare_name = "bare encode+dot"
    rows = [
        Row(
            NAME,
            f"engine p50 ({len(questions)} questions)",
            p("engine", 50),
            "ms",
            f"{bare_name} p50",
            p("bare", 50),
            f"≤ {TARGET_RATIO}× baseline",
            ratio <= TARGET_RATIO,
        ),
        Row(NAME, "engine p95", p("engine", 95), "ms", f"{bare_name} p95", p("bare", 95)),
        Row(NAME, "engine p99", p("engine", 99), "ms", f"{bare_name} p99", p("bare", 99)),
        Row(NAME, "BM25 alone p50", p("bm25", 50), "ms", f"{bare_name} p50", p("bare", 50)),
        Row(NAME, "BM25 alone p99", p("bm25", 99), "ms", f"{bare_name} p99", p("bare", 99)),
        Row(
            NAME,
            "engine answers/s (sequential)",
            session.results["engine_answers_per_s"],
            "/s",
            "bare encode+dot /s",
            1000 * len(questions) / sum(times["bare"]),
        ),
        Row(
            NAME,
            "engine p50, torch 1 thread (experiment)",
            percentile(one_thread["engine"], 50),
            "ms",
            f"engine p50, torch {one_thread['default_threads'][0]:.0f} threads",
            p("engine", 50),
            note="suggested setting: torch.set_num_threads(1) for query encoding",
        ),
        Row(
            NAME,
            "engine p99, torch 1 thread (experiment)",
            percentile(one_thread["engine"], 99),
            "ms",
            f"engine p99, torch {one_thread['default_threads'][0]:.0f} threads",
            p("engine", 99),
        ),
        Row(
            NAME,
            "bare encode+dot p50, torch 1 thread",
            percentile(one_thread["bare"], 50),
            "ms",
            f"{bare_name} p50, default threads",
            p("bare", 50),
        ),
    ]
    return rows


def _one_thread_times(
    questions: list[str], full: Callable[[str], object], bare: Callable[[str], object]
) -> dict[str, list[float]]:
    """The same paths with torch limited to one intra-op thread (restored afterwards)."""
    import torch

    default = torch.get_num_threads()
    times: dict[str, list[float]] = {"engine": [], "bare": [], "default_threads": [default]}
    torch.set_num_threads(1)
    try:
        for number, question in enumerate(questions):
            pair = [("engine", full), ("bare", bare)]
            for name, fn in pair if number % 2 else pair[::-1]:
                start = time.perf_counter()
                fn(question)
                times[name].append((time.perf_counter() - start) * 1000)
    finally:
        torch.set_num_threads(default)
    return times
