"""BM25 over stemmed terms."""

from __future__ import annotations

import numpy as np

from embeddings.lexical import LexicalIndex
from embeddings.text import terms

DOCS = [
    "A PM talks to customers and sets the product vision.",
    "A TPM owns the technical roadmap and works with engineers.",
    "Both roles care about launches.",
    "",  # a passage with no content words must not break indexing
]


def index() -> LexicalIndex:
    return LexicalIndex([terms(d) for d in DOCS])


def test_document_with_the_query_term_ranks_first():
    scores = index().scores(terms("Who owns the roadmap?"))

    assert scores.shape == (len(DOCS),)
    assert int(np.argmax(scores)) == 1
    assert scores[1] > 0
    assert all(scores[i] == 0 for i in (0, 2, 3))


def test_stemmed_inflections_match():
    scores = index().scores(terms("customer roadmaps"))

    assert scores[0] > 0 and scores[1] > 0
    assert scores[2] == 0


def test_unknown_terms_score_all_zeros():
    scores = index().scores(terms("weather in Paris tomorrow"))

    assert scores.dtype == np.float32
    np.testing.assert_array_equal(scores, np.zeros(len(DOCS), dtype=np.float32))


def test_empty_query_scores_all_zeros():
    np.testing.assert_array_equal(index().scores([]), np.zeros(len(DOCS), dtype=np.float32))


def test_vocabulary_holds_the_indexed_terms():
    assert {"roadmap", "custom", "pm", "tpm"} <= index().vocabulary
