"""VectorIndex: the on-disk cache (hits, misses, keys, corrupt files) and top-k search."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from embeddings.index import VectorIndex, cache_key

ITEMS: list[tuple[tuple[str, ...], str]] = [
    (("Guide", "Product Manager (PM)", "Focus"), "A PM sets the product roadmap and vision."),
    (("Guide", "Technical Product Manager (TPM)", "Focus"), "A TPM owns the technical roadmap."),
    (("Guide", "Technical Product Manager (TPM)", "Skills"), "A TPM needs an engineering mind."),
    (("Guide", "PM vs TPM"), "Both roles work together on the launch plan."),
]


def embed_texts(items: list[tuple[tuple[str, ...], str]]) -> list[str]:
    return [f"{' › '.join(path[1:])}: {text}" for path, text in items]


def build(encoder, cache_dir: Path | None, items=None):
    items = ITEMS if items is None else items
    return VectorIndex.build(encoder, items, embed_texts(items), cache_dir)


def cache_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*") if p.is_file())


# -- cache hits and misses --------------------------------------------------------------------


def test_first_build_encodes_once_and_writes_an_npy_file(fake_encoder, tmp_path):
    index, stats = build(fake_encoder, tmp_path)

    assert fake_encoder.passage_calls == 1
    assert fake_encoder.encoded == embed_texts(ITEMS)
    assert not stats.from_cache
    assert stats.rows == len(ITEMS) == len(index)
    assert stats.cache_file is not None
    assert stats.cache_file.parent == tmp_path
    assert stats.cache_file.suffix == ".npy"
    assert cache_files(tmp_path) == [stats.cache_file]  # no temporary file left behind


def test_cache_file_loads_without_pickle_and_holds_the_float32_vectors(fake_encoder, tmp_path):
    index, stats = build(fake_encoder, tmp_path)

    stored = np.load(stats.cache_file, allow_pickle=False)

    assert stored.dtype == np.float32
    assert stored.shape == (len(ITEMS), fake_encoder.dimension)
    np.testing.assert_array_equal(stored, index.vectors)


def test_second_build_of_same_content_is_a_cache_hit_without_encoding(make_encoder, tmp_path):
    first_encoder, second_encoder = make_encoder(), make_encoder()
    first, first_stats = build(first_encoder, tmp_path)

    second, second_stats = build(second_encoder, tmp_path)

    assert second_stats.from_cache
    assert second_encoder.passage_calls == 0
    assert second_stats.cache_file == first_stats.cache_file
    np.testing.assert_array_equal(second.vectors, first.vectors)
    assert second.vectors.dtype == np.float32


def test_cache_dir_is_created_when_missing(fake_encoder, tmp_path):
    cache_dir = tmp_path / "data" / "cache"

    _, stats = build(fake_encoder, cache_dir)

    assert stats.cache_file is not None and stats.cache_file.is_file()
    assert stats.cache_file.parent == cache_dir


def test_no_cache_dir_encodes_every_time_and_writes_nothing(fake_encoder, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    first, stats = build(fake_encoder, None)
    second, second_stats = build(fake_encoder, None)

    assert stats.cache_file is None and second_stats.cache_file is None
    assert not stats.from_cache and not second_stats.from_cache
    assert fake_encoder.passage_calls == 2
    np.testing.assert_array_equal(first.vectors, second.vectors)
    assert cache_files(tmp_path) == []


def test_unwritable_cache_dir_logs_and_still_returns_the_vectors(fake_encoder, tmp_path, caplog):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache folder should be")

    with caplog.at_level(logging.WARNING, logger="embeddings.index"):
        index, stats = build(fake_encoder, blocker / "cache")

    assert len(index) == len(ITEMS)
    assert not stats.from_cache
    assert any(r.levelno >= logging.ERROR for r in caplog.records)


def test_items_and_embed_texts_must_line_up(fake_encoder, tmp_path):
    with pytest.raises(ValueError, match="line up"):
        VectorIndex.build(fake_encoder, ITEMS, embed_texts(ITEMS)[:-1], tmp_path)


# -- the cache key ------------------------------------------------------------------------------


def _key(model: str = "fake-bow-64", items=None, texts=None) -> str:
    items = ITEMS if items is None else items
    return cache_key(model, items, embed_texts(items) if texts is None else texts)


def _with(index: int, *, path: tuple[str, ...] | None = None, text: str | None = None):
    changed = list(ITEMS)
    old_path, old_text = changed[index]
    changed[index] = (path or old_path, old_text if text is None else text)
    return changed


def test_cache_key_is_stable_and_names_the_model():
    assert _key() == _key()
    assert "all-MiniLM-L6-v2" in _key("sentence-transformers/all-MiniLM-L6-v2")
    # The key is a file name: a model path must not turn it into a path.
    assert "/" not in _key("/models/../../etc/passwd")
    assert "/" not in _key("bundled:all-MiniLM-L6-v2")


@pytest.mark.parametrize(
    "changed",
    [
        pytest.param(lambda: _key(items=_with(1, text=ITEMS[1][1] + "!")), id="passage-text"),
        pytest.param(
            lambda: _key(items=_with(2, path=("Guide", "Product Manager (PM)", "Skills"))),
            id="heading-path",
        ),
        pytest.param(lambda: _key(model="another-model"), id="model-name"),
        pytest.param(
            lambda: _key(texts=[*embed_texts(ITEMS)[:-1], "different encoder input"]),
            id="encoder-input",
        ),
        pytest.param(lambda: _key(items=ITEMS[:-1]), id="one-passage-fewer"),
        pytest.param(lambda: _key(items=[ITEMS[1], ITEMS[0], *ITEMS[2:]]), id="order"),
    ],
)
def test_cache_key_changes_with_the_content_or_the_model(changed: Callable[[], str]):
    assert changed() != _key()


@pytest.mark.parametrize(
    ("items", "model"),
    [
        pytest.param(_with(1, text="A TPM owns the technical roadmap!"), None, id="passage-text"),
        pytest.param(
            _with(2, path=("Guide", "Product Manager (PM)", "Skills")), None, id="heading-path"
        ),
        pytest.param(ITEMS, "another-model", id="model-name"),
    ],
)
def test_changed_content_or_model_is_a_cache_miss(make_encoder, tmp_path, items, model):
    _, first_stats = build(make_encoder(), tmp_path)
    encoder = make_encoder(model) if model else make_encoder()

    _, stats = build(encoder, tmp_path, items)

    assert not stats.from_cache
    assert encoder.passage_calls == 1
    assert stats.cache_file != first_stats.cache_file
    assert len(cache_files(tmp_path)) == 2


# -- corrupt or mismatched cache files ---------------------------------------------------------


def _garbage(path: Path, rows: int, dim: int) -> None:
    path.write_bytes(b"\x00\xffnot an npy file at all\x13\x37" * 20)


def _empty(path: Path, rows: int, dim: int) -> None:
    path.write_bytes(b"")


def _truncated(path: Path, rows: int, dim: int) -> None:
    np.save(path, np.ones((rows, dim), dtype=np.float32))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _header_only(path: Path, rows: int, dim: int) -> None:
    np.save(path, np.ones((rows, dim), dtype=np.float32))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - rows * dim * 4])


def _wrong_rows(path: Path, rows: int, dim: int) -> None:
    np.save(path, np.ones((rows + 1, dim), dtype=np.float32))


def _wrong_dimension(path: Path, rows: int, dim: int) -> None:
    np.save(path, np.ones((rows, dim // 2), dtype=np.float32))


def _one_dimensional(path: Path, rows: int, dim: int) -> None:
    np.save(path, np.ones(rows * dim, dtype=np.float32))


def _wrong_dtype(path: Path, rows: int, dim: int) -> None:
    np.save(path, np.ones((rows, dim), dtype=np.float64))


def _nans(path: Path, rows: int, dim: int) -> None:
    vectors = np.ones((rows, dim), dtype=np.float32)
    vectors[1, 3] = np.nan
    np.save(path, vectors)


def _infinities(path: Path, rows: int, dim: int) -> None:
    vectors = np.ones((rows, dim), dtype=np.float32)
    vectors[0, 0] = np.inf
    np.save(path, vectors)


def _pickled_objects(path: Path, rows: int, dim: int) -> None:
    vectors = np.empty((rows, dim), dtype=object)
    vectors[:] = 1.0
    np.save(path, vectors, allow_pickle=True)


def _zip_archive(path: Path, rows: int, dim: int) -> None:
    # np.load returns an NpzFile (not an array) for anything that starts like a zip archive.
    with path.open("wb") as handle:
        np.savez(handle, vectors=np.ones((rows, dim), dtype=np.float32))


CORRUPTIONS = [
    _garbage,
    _empty,
    _truncated,
    _header_only,
    _wrong_rows,
    _wrong_dimension,
    _one_dimensional,
    _wrong_dtype,
    _nans,
    _infinities,
    _pickled_objects,
    _zip_archive,
]


@pytest.mark.parametrize("corrupt", CORRUPTIONS, ids=lambda f: f.__name__.strip("_"))
def test_corrupt_cache_file_is_rebuilt_with_a_warning_and_overwritten(
    make_encoder, tmp_path, caplog, corrupt
):
    good, stats = build(make_encoder(), tmp_path)
    cache_file = stats.cache_file
    corrupt(cache_file, len(ITEMS), good.vectors.shape[1])
    encoder = make_encoder()

    with caplog.at_level(logging.WARNING, logger="embeddings.index"):
        rebuilt, rebuilt_stats = build(encoder, tmp_path)

    assert not rebuilt_stats.from_cache
    assert encoder.passage_calls == 1
    np.testing.assert_array_equal(rebuilt.vectors, good.vectors)
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings, "a corrupt cache must be reported"
    assert any(cache_file.name in r.getMessage() for r in warnings)
    # The bad file was replaced by a good one, so the next build is a hit again.
    stored = np.load(cache_file, allow_pickle=False)
    assert stored.dtype == np.float32
    np.testing.assert_array_equal(stored, good.vectors)
    third = make_encoder()
    _, third_stats = build(third, tmp_path)
    assert third_stats.from_cache and third.passage_calls == 0


# -- search ------------------------------------------------------------------------------------


def _unit(*values: float) -> np.ndarray:
    vector = np.asarray(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


@pytest.fixture
def small_index() -> VectorIndex:
    return VectorIndex(
        np.stack([_unit(1, 0, 0), _unit(0, 1, 0), _unit(1, 1, 0), _unit(0, 0, 1), _unit(-1, 0, 0)])
    )


def test_top_k_orders_by_descending_cosine_with_exact_scores(small_index):
    query = _unit(1, 0.2, 0)

    top = small_index.top_k(query, 3)

    assert [i for i, _ in top] == [0, 2, 1]
    expected = small_index.vectors @ query
    for i, score in top:
        assert score == pytest.approx(float(expected[i]), abs=1e-6)
    assert [s for _, s in top] == sorted((s for _, s in top), reverse=True)


def test_top_k_scores_lie_in_minus_one_to_one_and_self_match_scores_one(small_index):
    top = small_index.top_k(small_index.vectors[3], len(small_index))

    assert top[0] == (3, pytest.approx(1.0, abs=1e-6))
    assert top[-1][0] in {0, 1, 2, 4}
    assert all(-1.0 - 1e-6 <= s <= 1.0 + 1e-6 for _, s in top)


@pytest.mark.parametrize(("k", "expected"), [(0, 0), (-1, 0), (1, 1), (5, 5), (50, 5)])
def test_top_k_returns_at_most_k_and_at_most_the_index_size(small_index, k, expected):
    assert len(small_index.top_k(_unit(1, 1, 1), k)) == expected


def test_top_k_on_an_empty_index_is_empty():
    assert VectorIndex(np.zeros((0, 3), dtype=np.float32)).top_k(_unit(1, 0, 0), 3) == []


def test_index_rejects_vectors_that_are_not_a_matrix():
    with pytest.raises(ValueError, match="2-d"):
        VectorIndex(np.ones(3, dtype=np.float32))


def test_fake_encoder_index_finds_the_passage_sharing_the_query_words(fake_encoder, tmp_path):
    index, _ = build(fake_encoder, tmp_path)
    query = fake_encoder.encode_queries(["technical product manager tpm focus owns roadmap"])[0]

    (best, score), *_ = index.top_k(query, 2)

    assert best == 1
    assert 0 < score <= 1.0 + 1e-6
    assert fake_encoder.query_calls == 1
