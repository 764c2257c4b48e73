"""Stemming from several answer threads at once gives the stems a single thread gives."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from embeddings.text import stem, words
from knowledge import load_shipped_guide

THREADS = 4
ROUNDS = 20


def guide_words() -> list[str]:
    knowledge = load_shipped_guide()
    text = " ".join(p.text for p in knowledge.passages)
    return sorted(set(words(text)))


def test_stems_from_four_threads_equal_the_single_threaded_stems() -> None:
    vocabulary = guide_words()
    assert len(vocabulary) > 300
    uncached = stem.__wrapped__  # the lru_cache would hide (and keep) a wrong stem
    expected = [uncached(word) for word in vocabulary]
    assert expected[vocabulary.index("technical")] == "technic"

    def stem_all(offset: int) -> list[list[str]]:
        # each thread walks the words from its own offset, so different words interleave
        order = vocabulary[offset:] + vocabulary[:offset]
        rounds = []
        for _ in range(ROUNDS):
            stems = [uncached(word) for word in order]
            rounds.append(stems[len(vocabulary) - offset :] + stems[: len(vocabulary) - offset])
        return rounds

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(stem_all, [i * 37 for i in range(THREADS)]))
    wrong = [
        (vocabulary[i], got[i], expected[i])
        for rounds in results
        for got in rounds
        for i in range(len(vocabulary))
        if got[i] != expected[i]
    ]
    assert wrong == []
