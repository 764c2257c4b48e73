"""The token index behind late interaction: MaxSim scores and its cache."""

from __future__ import annotations

import numpy as np
import pytest

from embeddings import late
from embeddings.late import TokenIndex


def unit(*rows: list[float]) -> np.ndarray:
    matrix = np.array(rows, dtype=np.float32)
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def test_maxsim_averages_each_question_tokens_best_match_in_the_passage() -> None:
    first = unit([1, 0, 0], [0, 1, 0])
    second = unit([0, 0, 1])
    index = TokenIndex(np.concatenate([first, second]), np.array([0, 2, 3]))
    question = unit([1, 0, 0], [0, 0, 1])
    # first: best matches 1.0 and 0.0; second: 0.0 and 1.0; the question itself: 0.5 each
    np.testing.assert_allclose(index.maxsim(question, [0, 1]), [0.5, 0.5], atol=1e-3)
    np.testing.assert_allclose(index.maxsim(unit([1, 1, 0]), [1, 0]), [0.0, 0.7071], atol=1e-3)


def test_a_question_without_tokens_scores_zero() -> None:
    index = TokenIndex(unit([1, 0]), np.array([0, 1]))
    assert index.maxsim(np.zeros((0, 2), dtype=np.float32), [0]).tolist() == [0.0]


def test_offsets_that_do_not_cover_the_tokens_are_refused() -> None:
    with pytest.raises(ValueError):
        TokenIndex(unit([1, 0], [0, 1]), np.array([0, 1]))


def test_the_token_index_is_cached_and_a_corrupt_cache_rebuilt(make_encoder, tmp_path, caplog):
    fake_encoder = make_encoder(tokens=True)
    items = [(("Roles", "PM"), "owns the roadmap"), (("Roles", "TPM"), "owns the platform")]
    texts = [f"{' '.join(path)}: {text}" for path, text in items]
    built, vectors = TokenIndex.build(fake_encoder, items, texts, tmp_path)
    assert vectors is not None and vectors.shape == (2, fake_encoder.dimension)
    expected = np.array(built.tokens)  # built maps the cache file the test corrupts below
    calls = fake_encoder.calls
    cached, vectors = TokenIndex.build(fake_encoder, items, texts, tmp_path)
    assert fake_encoder.calls == calls and vectors is None  # read back, not encoded again
    np.testing.assert_array_equal(cached.tokens, expected)
    np.testing.assert_array_equal(cached.offsets, built.offsets)
    assert isinstance(cached.tokens, np.memmap)  # read on demand, not copied to the heap
    (cache_file,) = (f for f in tmp_path.glob("*tokens*.npy") if ".offsets" not in f.name)
    cache_file.write_bytes(b"not an archive")
    rebuilt, _ = TokenIndex.build(fake_encoder, items, texts, tmp_path)
    assert fake_encoder.calls > calls
    assert "unreadable" in caplog.text
    np.testing.assert_array_equal(rebuilt.tokens, expected)


@pytest.mark.parametrize("cached", [True, False])
def test_building_in_chunks_gives_the_one_pass_index_and_vectors(make_encoder, tmp_path, cached):
    fake_encoder = make_encoder(tokens=True)
    items = [(("Roles", f"Role {n}"), f"owns part {n} of the work, and more") for n in range(7)]
    texts = [f"{' '.join(path)}: {text}" for path, text in items]
    folder = tmp_path if cached else None
    whole, whole_vectors = TokenIndex.build(fake_encoder, items, texts, None, chunk=len(texts))
    calls = fake_encoder.calls
    chunked, vectors = TokenIndex.build(fake_encoder, items, texts, folder, chunk=3)
    assert fake_encoder.calls == calls + 3  # 3 + 3 + 1 passages
    np.testing.assert_array_equal(chunked.tokens, whole.tokens)
    np.testing.assert_array_equal(chunked.offsets, whole.offsets)
    np.testing.assert_array_equal(vectors, whole_vectors)
    assert isinstance(chunked.tokens, np.memmap) == cached
    assert not [f for f in tmp_path.iterdir() if not f.name.endswith(".npy")]  # no spool left


def test_a_passage_without_tokens_scores_zero_beside_others() -> None:
    index = TokenIndex(unit([1, 0], [0, 1]), np.array([0, 1, 1, 2]))
    np.testing.assert_allclose(index.maxsim(unit([0, 1]), [0, 1, 2]), [0.0, 0.0, 1.0], atol=1e-3)


def test_the_spool_goes_beside_the_cache_only_where_that_folder_is_writable(
    make_encoder, tmp_path, monkeypatch
) -> None:
    cache = tmp_path / "cache" / "tokens.npy"
    assert late._spool_dir(cache) == cache.parent
    assert late._spool_dir(None) is None
    monkeypatch.setattr(late.os, "access", lambda _path, _mode: False)
    assert late._spool_dir(cache) is None  # the system's temporary folder then
    fake_encoder = make_encoder(tokens=True)
    items = [(("Roles", "PM"), "owns the roadmap"), (("Roles", "TPM"), "owns the platform")]
    texts = [f"{' '.join(path)}: {text}" for path, text in items]
    index, vectors = TokenIndex.build(fake_encoder, items, texts, cache.parent)
    assert len(index) == 2 and vectors.shape == (2, fake_encoder.dimension)
