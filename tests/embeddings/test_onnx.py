"""The onnxruntime encoder against its reference, sentence-transformers on torch (the
session's `encoder`), and how its ONNX graph is made, kept and rebuilt."""

from __future__ import annotations

import logging
import shutil
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from support.labelled import questions

from bot.engine import embed_text
from embeddings import onnx
from embeddings.encoder import EncoderError
from embeddings.index import VectorIndex
from embeddings.onnx import OnnxEncoder, ensure_onnx, token_batches
from knowledge import load_knowledge, load_shipped_guide

PARITY = 0.999  # cosine between the two backends' vectors, every text


def passage_texts(knowledge) -> list[str]:
    """Every passage as the index embeds it (heading path + text) and as quoted."""
    return [t for p in knowledge.passages for t in (embed_text(p), p.text)]


def assert_same_vectors(encoder, onnx_encoder, texts: list[str]) -> None:
    reference = encoder.encode_queries(texts)
    vectors = onnx_encoder.encode_queries(texts)
    cosines = (reference * vectors).sum(axis=1)
    worst = int(np.argmin(cosines))
    assert cosines.min() >= PARITY, f"cosine {cosines.min():.5f} on {texts[worst]!r}"


@pytest.mark.parametrize("corpus", ["guide", "article"])
def test_every_labelled_question_gets_the_reference_vector(encoder, onnx_encoder, corpus):
    texts = questions(corpus)
    assert len(texts) > 25

    assert_same_vectors(encoder, onnx_encoder, texts)


def test_every_passage_of_the_guide_and_the_seed_article_gets_the_reference_vector(
    encoder, onnx_encoder, seed_article
):
    texts = passage_texts(load_shipped_guide()) + passage_texts(load_knowledge([seed_article]))

    assert_same_vectors(encoder, onnx_encoder, texts)
    reference = encoder.encode_passages(texts[:50])
    np.testing.assert_allclose(onnx_encoder.encode_passages(texts[:50]), reference, atol=2e-3)


def test_a_question_past_128_tokens_is_read_to_256_tokens_as_sentence_transformers_does(
    encoder, onnx_encoder
):
    """tokenizer.json truncates at 128; the model's max_seq_length is 256."""
    long = "Who owns the roadmap when " + "the product and the platform teams disagree, " * 40
    tokens = onnx_encoder.tokens([long])[0]
    reference_tokens = encoder._model.preprocess([long])["input_ids"][0].tolist()

    assert onnx_encoder.max_seq_length == 256
    assert len(tokens) == 256 and tokens == reference_tokens
    assert_same_vectors(encoder, onnx_encoder, [long])
    cut_at_128 = onnx_encoder._tokenizer.decode(tokens[1:127])
    at_128 = onnx_encoder.encode_queries([cut_at_128])[0]
    assert float(at_128 @ onnx_encoder.encode_queries([long])[0]) < 0.999


def test_texts_are_batched_by_length_within_a_token_budget():
    lengths = [256, 3, 5, 4, 3, 200, 6] + [4] * 100

    batches = token_batches(lengths, budget=400, most=64)

    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    for batch in batches:
        assert len(batch) <= 64
        assert len(batch) * max(lengths[i] for i in batch) <= 400
    assert [0] in batches  # the long one pads nothing else
    for batch in batches:  # nor does any text pad one less than half its length
        assert max(lengths[i] for i in batch) <= 2 * min(lengths[i] for i in batch)
    assert token_batches([18, 16, 3, 3, 3], budget=2048, most=64) == [[2, 3, 4], [1, 0]]
    assert token_batches([], budget=512, most=64) == []
    assert token_batches([900], budget=512, most=64) == [[0]]  # alone, even over budget


def test_a_long_text_among_short_ones_encodes_as_it_does_alone(onnx_encoder):
    long = "why " * 300
    words = ["roadmap", "zxqv", "stakeholders", "wibble"]

    together = onnx_encoder.encode_queries([long, *words])
    apart = np.vstack([onnx_encoder.encode_queries([t]) for t in [long, *words]])

    np.testing.assert_allclose(together, apart, atol=1e-5)


def test_empty_input_encodes_to_an_empty_matrix(onnx_encoder):
    assert onnx_encoder.encode_queries([]).shape == (0, 384)
    assert onnx_encoder.dimension == 384


def test_encoding_on_many_threads_gives_the_sequential_vectors(onnx_encoder):
    texts = [f"what does a role number {i} own in {'detail ' * (i % 7)}?" for i in range(40)]
    expected = onnx_encoder.encode_queries(texts)
    results: dict[int, np.ndarray] = {}

    def work(k: int) -> None:
        for i in range(k, len(texts), 8):
            results[i] = onnx_encoder.encode_queries([texts[i]])[0]

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    np.testing.assert_allclose(
        np.vstack([results[i] for i in range(len(texts))]), expected, atol=1e-5
    )


def test_word_lookups_agree_with_the_reference_vocabulary(encoder, onnx_encoder):
    words = ["deals", "Hours", "reserach", "manger", "roadmap", "TPM", "stakeholders", "zxqv"]
    words += sorted({w for p in load_shipped_guide().passages for w in p.text.split()})[:300]

    assert [onnx_encoder.is_word(w) for w in words] == [encoder.is_word(w) for w in words]
    assert onnx_encoder.is_word("deals") and not onnx_encoder.is_word("reserach")


def test_the_vector_cache_key_names_the_backend(encoder, onnx_encoder, tmp_path):
    items = [(("Guide", "Focus"), "A TPM owns the technical roadmap.")]
    texts = ["Focus: A TPM owns the technical roadmap."]

    assert encoder.model == onnx_encoder.model  # the same model: one query adapter fits both
    assert encoder.name != onnx_encoder.name
    _, torch_stats = VectorIndex.build(encoder, items, texts, tmp_path)
    _, onnx_stats = VectorIndex.build(onnx_encoder, items, texts, tmp_path)
    assert torch_stats.cache_file != onnx_stats.cache_file
    assert not onnx_stats.from_cache


# -- the ONNX graph: made once, kept, rebuilt when missing or corrupt ---------------------------


@pytest.fixture
def model_dir(onnx_encoder) -> Path:
    from embeddings.encoder import resolve_model

    return Path(resolve_model(onnx_encoder.model))


@pytest.fixture
def fake_export(onnx_encoder, monkeypatch):
    """Stands in for the torch export (tested once, by the session's encoder): copies the graph
    already made, and counts the calls."""
    calls: list[Path] = []

    def export(model_dir: Path, graph: Path) -> None:
        calls.append(graph)
        graph.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(onnx_encoder.path, graph)

    monkeypatch.setattr(onnx, "export", export)
    return calls


def test_the_graph_is_kept_under_the_model_name_and_a_hash_of_its_files(
    onnx_encoder, model_dir, tmp_path
):
    assert onnx_encoder.path.parent.name == "onnx"
    assert onnx_encoder.path.name.startswith("all-MiniLM-L6-v2-")
    elsewhere = onnx.onnx_file(model_dir, tmp_path, onnx_encoder.model)
    assert onnx_encoder.path.name == elsewhere.name


def test_a_missing_graph_is_exported_with_a_warning(model_dir, fake_export, tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="embeddings.onnx"):
        graph = ensure_onnx(model_dir, tmp_path, "bundled:all-MiniLM-L6-v2")

    assert fake_export == [graph] and graph.exists()
    assert "exporting" in caplog.text
    assert ensure_onnx(model_dir, tmp_path, "bundled:all-MiniLM-L6-v2") == graph
    assert len(fake_export) == 1  # kept: not exported again


def test_a_corrupt_graph_is_rebuilt_with_a_warning(model_dir, fake_export, tmp_path, caplog):
    graph = ensure_onnx(model_dir, tmp_path, "bundled:all-MiniLM-L6-v2")
    time.sleep(0.05)  # later than the checksum (file times tick every few ms)
    with graph.open("r+b") as handle:  # one flipped byte deep inside the weights
        handle.seek(graph.stat().st_size // 2)
        byte = handle.read(1)
        handle.seek(-1, 1)
        handle.write(bytes([byte[0] ^ 0xFF]))

    with caplog.at_level(logging.WARNING, logger="embeddings.onnx"):
        assert ensure_onnx(model_dir, tmp_path, "bundled:all-MiniLM-L6-v2") == graph

    assert "corrupt" in caplog.text
    assert len(fake_export) == 2
    assert onnx._intact(graph)


def test_an_unchanged_graph_and_model_are_not_hashed_again(
    model_dir, fake_export, tmp_path, monkeypatch
):
    graph = ensure_onnx(model_dir, tmp_path, "bundled:all-MiniLM-L6-v2")

    def refuse(*args, **kwargs):
        raise AssertionError("hashed again")

    monkeypatch.setattr(onnx.hashlib, "file_digest", refuse)
    assert ensure_onnx(model_dir, tmp_path, "bundled:all-MiniLM-L6-v2") == graph
    assert len(fake_export) == 1


def test_a_graph_in_the_user_cache_is_linked_in_without_exporting(model_dir, fake_export, tmp_path):
    shared = tmp_path / "user"
    first = ensure_onnx(model_dir, tmp_path / "data-1", "bundled:all-MiniLM-L6-v2", shared)
    second = ensure_onnx(model_dir, tmp_path / "data-2", "bundled:all-MiniLM-L6-v2", shared)

    assert len(fake_export) == 1 and fake_export[0].parent == shared
    assert first.read_bytes() == second.read_bytes() == (shared / first.name).read_bytes()
    assert first.parent == tmp_path / "data-1" / "onnx"


def test_a_failed_export_says_what_to_do(model_dir, tmp_path, monkeypatch):
    def fail(*args, **kwargs):
        raise onnx.subprocess.TimeoutExpired("export", 1)

    monkeypatch.setattr(onnx.subprocess, "run", fail)

    with pytest.raises(EncoderError, match="cannot export"):
        ensure_onnx(model_dir, tmp_path, "bundled:all-MiniLM-L6-v2")


def test_the_export_writes_a_graph_that_gives_the_session_graphs_vectors(
    onnx_encoder, model_dir, tmp_path
):
    """The real export (torch, in a subprocess), as a fresh machine runs it once."""
    graph = tmp_path / "onnx" / "fresh.onnx"

    onnx.export(model_dir, graph)

    fresh = onnx._open_session(graph, 1)
    session = onnx_encoder._current_session()
    ids = np.array([onnx_encoder.tokens(["who owns the technical roadmap?"])[0]], dtype=np.int64)
    feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": 0 * ids}
    np.testing.assert_allclose(fresh.run(None, feeds)[0], session.run(None, feeds)[0], atol=1e-4)
    assert not list(graph.parent.glob("*.tmp"))


def test_a_model_without_a_fast_tokenizer_is_refused_with_the_way_out(tmp_path):
    with pytest.raises(EncoderError, match="ROLEBOT_ENCODER=torch"):
        OnnxEncoder(str(tmp_path), tmp_path / "cache")


TOKEN_TEXTS = [
    "who owns the roadmap?",
    "a longer question about what a product manager does for the engineers of a team",
]


def test_token_vectors_come_with_the_reference_sentence_vectors(encoder, onnx_encoder):
    """One pass gives both (late interaction): the mean of the token outputs is the sentence
    vector, and the two backends give the same token vectors, [CLS] and [SEP] left out."""
    for backend in (encoder, onnx_encoder):
        encoded = backend.encode_tokens(TOKEN_TEXTS)
        expected = encoder.encode_queries(TOKEN_TEXTS)
        assert np.einsum("ij,ij->i", encoded.vectors, expected).min() > 0.99999
    reference, lean = encoder.encode_tokens(TOKEN_TEXTS), onnx_encoder.encode_tokens(TOKEN_TEXTS)
    for text, ours, theirs in zip(TOKEN_TEXTS, lean.tokens, reference.tokens, strict=True):
        assert ours.shape == theirs.shape == (len(onnx_encoder.tokens([text])[0]) - 2, 384)
        np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
        assert np.einsum("ij,ij->i", ours, theirs).min() > 0.999


def test_a_released_encoder_gives_token_vectors_from_a_child_process(onnx_encoder):
    before = onnx_encoder.encode_tokens(TOKEN_TEXTS)
    onnx_encoder.release()
    try:
        after = onnx_encoder.encode_tokens(TOKEN_TEXTS)
        assert onnx_encoder._session is None  # encoded elsewhere
    finally:
        onnx_encoder.load()
    np.testing.assert_allclose(after.vectors, before.vectors, atol=1e-6)
    for ours, theirs in zip(after.tokens, before.tokens, strict=True):
        np.testing.assert_allclose(ours, theirs, atol=1e-5)


def test_a_released_encoder_encodes_in_a_child_process_until_loaded(onnx_encoder):
    """What a server's master does before it forks (onnxruntime is not fork-safe)."""
    texts = ["who owns the roadmap?", "a longer question about what a product manager does"]
    before = onnx_encoder.encode_queries(texts)
    onnx_encoder.release()
    try:
        assert onnx_encoder._session is None
        np.testing.assert_allclose(onnx_encoder.encode_queries(texts), before, atol=1e-6)
        assert onnx_encoder._session is None  # encoded elsewhere
    finally:
        onnx_encoder.load()
    assert onnx_encoder._session is not None
    np.testing.assert_allclose(onnx_encoder.encode_queries(texts), before)
