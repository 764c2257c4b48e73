"""Retrieval's indexes over a team's own handbook."""

from __future__ import annotations

import logging

import numpy as np
import pytest
from support.fakes import FakeEncoder
from support.knowledge import knowledge_from

from bot.pipeline.parse import Parser
from bot.pipeline.retrieve import Retriever, embed_text
from embeddings.words import WordTable

HANDBOOK = {
    "roles.md": "# Support roles\n\n## Customer Liaison\nKeeps customers informed during an "
    "outage.\n\n## Scribe\nWrites the timeline of the incident as it happens.\n"
}


def test_one_pass_over_the_passages_gives_the_vectors_and_the_token_vectors(tmp_path):
    handbook = knowledge_from(tmp_path / "docs", HANDBOOK)
    encoder = FakeEncoder(tokens=True)
    retriever = Retriever(handbook, encoder, cache_dir=tmp_path / "cache", adapter=None)
    assert retriever.tokens is not None and len(retriever.tokens) == len(handbook.passages)
    for passage in handbook.passages:  # the token pass gave the sentence vectors too
        assert encoder.encoded.count(embed_text(passage)) == 1
    again = Retriever(handbook, encoder, cache_dir=tmp_path / "cache", adapter=None)
    np.testing.assert_array_equal(again.index.vectors, retriever.index.vectors)
    assert again.index_stats.from_cache


def test_an_encoder_without_token_vectors_ranks_without_late_interaction(tmp_path):
    handbook = knowledge_from(tmp_path / "docs", HANDBOOK)
    retriever = Retriever(handbook, FakeEncoder(), cache_dir=tmp_path / "cache", adapter=None)
    assert retriever.tokens is None


def test_unknown_words_are_read_from_the_word_table_not_encoded(tmp_path, caplog):
    handbook = knowledge_from(tmp_path / "docs", HANDBOOK)
    encoder = FakeEncoder(vocabulary=("salary", "outage"))
    cache = tmp_path / "cache"
    with caplog.at_level(logging.WARNING):
        without = Retriever(handbook, encoder, cache_dir=cache, adapter=None)
    assert "rolebot index" in caplog.text  # the engine still works, encoding words
    WordTable.build(encoder, cache)
    with_table = Retriever(handbook, encoder, cache_dir=cache, adapter=None)
    parser = Parser(handbook.roles, with_table.vocabulary)
    query = parser.parse("What salary does the scribe get?")
    assert with_table.vocabulary.unknown(query.subject) == ["salary"]
    encoder.encoded.clear()
    stray = with_table.retrieve(query).stray
    assert "salary" not in encoder.encoded
    assert stray > 0 and stray == pytest.approx(without.retrieve(query).stray, abs=1e-6)


def test_words_outside_the_table_are_left_unread_until_the_stray_signal_is_measured(tmp_path):
    handbook = knowledge_from(tmp_path / "docs", HANDBOOK)
    encoder = FakeEncoder(vocabulary=("salary", "outage"))
    WordTable.build(encoder, tmp_path / "cache")
    retriever = Retriever(handbook, encoder, cache_dir=tmp_path / "cache", adapter=None)
    query = Parser(handbook.roles, retriever.vocabulary).parse(
        "What salary and pension does the scribe get?"
    )
    assert sorted(retriever.vocabulary.unknown(query.subject)) == ["pension", "salary"]
    encoder.encoded.clear()
    partial = retriever.retrieve(query, all_words=False)
    assert partial.unread == ("pension",) and "pension" not in encoder.encoded
    full = retriever.retrieve(query)
    assert full.unread == () and partial.stray <= full.stray
    assert retriever.stray(partial) == pytest.approx(full.stray, abs=1e-6)
    nothing_read = retriever.retrieve(
        Parser(handbook.roles, retriever.vocabulary).parse("what bonus does the scribe get?"),
        all_words=False,
    )
    assert nothing_read.stray == -1.0  # the least a cosine can be ("pension" is cached now)
