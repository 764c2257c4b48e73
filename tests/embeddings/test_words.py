"""The word table behind the stray signal: single words encoded once, read back from disk."""

from __future__ import annotations

import logging

import numpy as np
import pytest
from support.fakes import FakeEncoder, fake_vector

from embeddings.words import WordTable, WordVectors, table_file, vocabulary_words

VOCABULARY = ("[CLS]", "[SEP]", "##ing", "roadmap", "interview", "salary", "q3", "▁hiring", "'s")


def test_the_table_holds_the_whole_words_of_the_vocabulary() -> None:
    encoder = FakeEncoder(vocabulary=VOCABULARY)
    assert vocabulary_words(encoder) == ["hiring", "interview", "roadmap", "salary"]
    assert vocabulary_words(FakeEncoder()) == []


def test_the_table_is_built_once_and_read_back_row_by_row(tmp_path) -> None:
    encoder = FakeEncoder(vocabulary=VOCABULARY)
    built, stats = WordTable.build(encoder, tmp_path)
    assert built is not None and not stats.from_cache and stats.words == 4
    assert stats.cache_file.exists() and stats.bytes == stats.cache_file.stat().st_size
    calls = encoder.calls
    again, stats = WordTable.build(encoder, tmp_path)
    assert again is not None and stats.from_cache and encoder.calls == calls
    row = again.row("salary")
    assert row is not None
    np.testing.assert_array_equal(again.vectors([row])[0], fake_vector("salary"))
    rows = [again.row(w) or 0 for w in ("roadmap", "hiring")]
    np.testing.assert_array_equal(again.vectors(rows), built.vectors(rows))
    assert again.row("kubernetes") is None


def test_another_model_or_vocabulary_gets_another_table(tmp_path) -> None:
    first = FakeEncoder(vocabulary=VOCABULARY)
    words = vocabulary_words(first)
    other_model = FakeEncoder("fake-other", vocabulary=VOCABULARY)
    assert table_file(first, words, tmp_path) != table_file(other_model, words, tmp_path)
    assert table_file(first, words, tmp_path) != table_file(first, words[:-1], tmp_path)
    WordTable.build(first, tmp_path)
    assert WordTable.load(other_model, tmp_path) is None


def test_a_corrupt_table_is_not_read_and_is_rebuilt(tmp_path, caplog) -> None:
    encoder = FakeEncoder(vocabulary=VOCABULARY)
    _, stats = WordTable.build(encoder, tmp_path)
    stats.cache_file.write_bytes(b"not an array")
    with caplog.at_level(logging.WARNING):
        assert WordTable.load(encoder, tmp_path) is None
    assert "unreadable" in caplog.text
    rebuilt, stats = WordTable.build(encoder, tmp_path)
    assert rebuilt is not None and not stats.from_cache


def test_words_in_the_table_are_read_and_others_encoded_once(tmp_path) -> None:
    encoder = FakeEncoder(vocabulary=VOCABULARY)
    table, _ = WordTable.build(encoder, tmp_path)
    words = WordVectors(encoder, table)
    encoder.encoded.clear()
    vectors = words.vectors(["salary", "kubernetes", "roadmap"])
    expected = np.stack([fake_vector(w) for w in ("salary", "kubernetes", "roadmap")])
    np.testing.assert_array_equal(vectors, expected)
    assert encoder.encoded == ["kubernetes"]
    words.vectors(["kubernetes", "interview"])
    assert encoder.encoded == ["kubernetes"]  # remembered; the other from the table
    assert words.vectors([]).shape == (0, encoder.dimension)


def test_a_table_file_gone_under_a_running_engine_is_done_without(tmp_path, caplog) -> None:
    encoder = FakeEncoder(vocabulary=VOCABULARY)
    _, stats = WordTable.build(encoder, tmp_path)
    loaded = WordTable.load(encoder, tmp_path)
    words = WordVectors(encoder, loaded)
    stats.cache_file.write_bytes(stats.cache_file.read_bytes()[:200])  # truncated
    vectors = words.vectors(["salary", "kubernetes"])
    np.testing.assert_array_equal(vectors[0], fake_vector("salary"))  # encoded instead
    assert "cannot read the word table" in caplog.text and words.table is None


def test_words_outside_the_table_are_kept_in_a_bounded_cache() -> None:
    encoder = FakeEncoder()
    words = WordVectors(encoder, None, capacity=2)
    words.vectors(["alpha", "beta"])
    words.vectors(["alpha"])  # alpha now the most recently used
    words.vectors(["gamma"])  # beta goes
    encoder.encoded.clear()
    words.vectors(["alpha", "gamma", "beta"])
    assert encoder.encoded == ["beta"]


def test_forgetting_empties_the_cache_but_keeps_the_table(tmp_path) -> None:
    encoder = FakeEncoder(vocabulary=VOCABULARY)
    table, _ = WordTable.build(encoder, tmp_path)
    words = WordVectors(encoder, table)
    words.vectors(["kubernetes"])
    words.forget()
    encoder.encoded.clear()
    words.vectors(["kubernetes", "salary"])
    assert encoder.encoded == ["kubernetes"]  # encoded again; the table word is still read


@pytest.mark.parametrize("fixture", ["onnx_encoder", "encoder"])
def test_words_encoded_together_are_each_word_encoded_alone(fixture, request) -> None:
    """The table is built in batches; each row must be the vector of the word encoded alone,
    as the engine encoded it per question before (both backends)."""
    real = request.getfixturevalue(fixture)
    every = vocabulary_words(real)
    assert len(every) > 20_000
    sample = [every[i] for i in np.random.default_rng(18).choice(len(every), 150, replace=False)]
    together = real.encode_queries(sample)
    alone = np.stack([real.encode_queries([word])[0] for word in sample])
    assert float((together * alone).sum(axis=1).min()) >= 0.999
