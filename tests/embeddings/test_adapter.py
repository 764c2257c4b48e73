"""The learned query adapter: applying, saving, checking and fitting it (synthetic vectors)."""

from __future__ import annotations

import numpy as np
import pytest

from bot.settings import BUNDLED_MODEL
from embeddings.adapter import (
    AdapterError,
    QueryAdapter,
    TrainingGroup,
    fit_adapter,
    shipped_adapter,
)
from embeddings.encoder import normalise


def _adapter(dimension: int = 8, rank: int = 2, seed: int = 0, model: str = "m") -> QueryAdapter:
    rng = np.random.default_rng(seed)
    return QueryAdapter(
        model=model,
        down=rng.normal(size=(dimension, rank)).astype(np.float32),
        up=rng.normal(size=(dimension, rank)).astype(np.float32),
        fitted_on="a.jsonl",
    )


def test_an_adapter_whose_up_map_is_zero_only_normalises() -> None:
    adapter = QueryAdapter("m", np.ones((4, 2), np.float32), np.zeros((4, 2), np.float32))
    vectors = np.array([[3.0, 0.0, 4.0, 0.0], [0.0, 1.0, 0.0, 0.0]], dtype=np.float32)

    assert np.allclose(adapter.apply(vectors), normalise(vectors))


def test_apply_returns_unit_vectors_and_treats_one_vector_like_a_batch_of_one() -> None:
    adapter = _adapter()
    vectors = normalise(np.random.default_rng(1).normal(size=(5, 8)))

    adapted = adapter.apply(vectors)

    assert adapted.shape == (5, 8)
    assert np.allclose(np.linalg.norm(adapted, axis=1), 1.0, atol=1e-5)
    assert np.allclose(adapter.apply(vectors[2]), adapted[2], atol=1e-6)
    assert not np.allclose(adapted, vectors)


def test_save_and_load_keep_the_maps_the_model_and_the_training_sets(tmp_path) -> None:
    adapter = _adapter()
    path = tmp_path / "adapter.npz"

    adapter.save(path)
    loaded = QueryAdapter.load(path)

    assert (loaded.model, loaded.fitted_on, loaded.rank, loaded.dimension) == ("m", "a.jsonl", 2, 8)
    assert np.array_equal(loaded.down, adapter.down)
    assert np.array_equal(loaded.up, adapter.up)


def test_a_file_that_is_no_adapter_is_refused_with_its_path(tmp_path) -> None:
    junk = tmp_path / "junk.npz"
    junk.write_text("not numpy", encoding="utf-8")

    with pytest.raises(AdapterError, match=r"junk\.npz"):
        QueryAdapter.load(junk)
    with pytest.raises(AdapterError, match=r"missing\.npz"):
        QueryAdapter.load(tmp_path / "missing.npz")


def test_maps_of_different_shapes_are_refused(tmp_path) -> None:
    path = tmp_path / "bad.npz"
    np.savez(path, model=np.array("m"), down=np.zeros((8, 2)), up=np.zeros((8, 3)))

    with pytest.raises(AdapterError, match="malformed"):
        QueryAdapter.load(path)


def test_an_adapter_is_checked_against_the_model_and_dimension_it_was_fitted_for() -> None:
    adapter = _adapter(model="bundled:x")

    adapter.check("bundled:x", 8)
    with pytest.raises(AdapterError, match="rolebot tune"):
        adapter.check("other-model", 8)
    with pytest.raises(AdapterError, match="16"):
        adapter.check("bundled:x", 16)


def test_the_shipped_adapter_is_for_the_bundled_model_and_no_other() -> None:
    shipped = shipped_adapter(BUNDLED_MODEL, 384)

    assert shipped is not None and shipped.model == BUNDLED_MODEL
    assert "guide/train.jsonl" in shipped.fitted_on
    assert shipped_adapter("fake-bow-64", 64) is None


def test_the_shipped_adapter_serves_the_guide_and_the_seed_article_and_nothing_else(
    seed_article, tmp_path
) -> None:
    from bot.pipeline.retrieve import knowledge_key
    from knowledge import load_knowledge, load_shipped_guide

    shipped = shipped_adapter(BUNDLED_MODEL, 384)
    assert shipped is not None
    assert shipped.serves(knowledge_key(load_shipped_guide()))
    assert shipped.serves(knowledge_key(load_knowledge([seed_article])))
    other = tmp_path / "ladder.md"
    other.write_text("# Analyst career path\n\n## Senior Analyst\nLeads analyses.\n")
    assert not shipped.serves(knowledge_key(load_knowledge([other])))


def test_an_adapter_without_knowledge_keys_serves_any_knowledge() -> None:
    adapter = QueryAdapter("m", np.zeros((4, 1), np.float32), np.zeros((4, 1), np.float32))
    assert adapter.serves("anything")


def _swapped_questions(passages: np.ndarray, order: np.ndarray, noise: float, seed: int):
    """Questions about passage i that look more like passage order[i]: the raw cosine is
    misled, as the bundled model is by shared words."""
    rng = np.random.default_rng(seed)
    looks_like = 0.4 * passages + 0.6 * passages[order] + noise * rng.normal(size=passages.shape)
    return normalise(looks_like.astype(np.float32))


def test_fitting_learns_a_mapping_that_carries_over_to_new_questions() -> None:
    rng = np.random.default_rng(0)
    passages = normalise(rng.normal(size=(6, 32)).astype(np.float32))
    order = np.array([1, 2, 3, 4, 5, 0])  # each question resembles the next passage
    answers = np.eye(6, dtype=bool)
    train = np.concatenate([_swapped_questions(passages, order, 0.1, s) for s in range(10)])
    new = _swapped_questions(passages, order, 0.1, 99)

    adapter = fit_adapter(
        [TrainingGroup(train, passages, np.tile(answers, (10, 1)))], model="m", rank=8
    )

    def top1(questions: np.ndarray) -> float:
        return float(((questions @ passages.T).argmax(axis=1) == np.arange(6)).mean())

    assert top1(new) <= 1 / 6
    assert top1(adapter.apply(new)) >= 5 / 6
    assert adapter.model == "m" and adapter.rank == 8


def test_fitting_is_deterministic_and_skips_questions_with_no_right_passage() -> None:
    rng = np.random.default_rng(3)
    passages = normalise(rng.normal(size=(4, 16)).astype(np.float32))
    questions = normalise(rng.normal(size=(3, 16)).astype(np.float32))
    answers = np.array([[1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 1, 0]], dtype=bool)
    group = TrainingGroup(questions, passages, answers)

    first = fit_adapter([group], model="m", rank=4, epochs=20)
    second = fit_adapter([group], model="m", rank=4, epochs=20)

    assert np.array_equal(first.up, second.up) and np.array_equal(first.down, second.down)
    assert np.isfinite(first.up).all()
    with pytest.raises(ValueError, match="labelled questions"):
        fit_adapter([TrainingGroup(questions, passages, np.zeros_like(answers))], model="m")
