"""The labelled sets in eval/: every corpus of the manifest has its splits, and no question
reported on (test) was fitted on (train)."""

from __future__ import annotations

import json

import pytest

from bot.eval_sets import SPLITS, ManifestError, normalised_question, questions_in, read_manifest
from bot.evaluate import read_questions


def test_every_corpus_of_the_manifest_has_readable_splits_and_its_knowledge() -> None:
    corpora = read_manifest()
    assert {"guide", "article"} <= {c.name for c in corpora}
    for corpus in corpora:
        assert corpus.knowledge is None or corpus.knowledge.exists(), corpus
        for split in SPLITS:
            assert read_questions(corpus.split_file(split)), (corpus.name, split)


def test_the_adapter_is_fitted_for_the_shipped_guide_and_the_seed_article_only() -> None:
    assert {c.name for c in read_manifest() if c.adapter} == {"guide", "article"}


def test_our_own_sets_are_measured_and_never_fitted() -> None:
    corpora = read_manifest()
    ours = {c.name for c in corpora if c.name.endswith("-ours") or c.name.startswith("probe-")}
    assert ours and ours == {c.name for c in corpora if not c.fit}


def test_tune_fits_on_the_train_splits_of_fitted_corpora_only() -> None:
    from bot.cli.tune import _manifest_sets

    adapter_sets, other_sets = _manifest_sets(None, None)
    fitted = " ".join(adapter_sets + other_sets)
    assert "/ft/train.jsonl" in fitted and "-ours/" not in fitted
    assert all(s.endswith("train.jsonl") for s in adapter_sets + other_sets)


def test_no_test_question_is_also_a_train_question_in_any_corpus() -> None:
    corpora = read_manifest()
    leaked = questions_in(corpora, "test") & questions_in(corpora, "train")
    assert not leaked, sorted(leaked)[:10]


def test_no_question_appears_twice_within_a_corpus() -> None:
    for corpus in read_manifest():
        seen: list[str] = []
        for split in SPLITS:
            lines = corpus.split_file(split).read_text(encoding="utf-8").splitlines()
            seen += [normalised_question(json.loads(line)["question"]) for line in lines if line]
        assert len(seen) == len(set(seen)), corpus.name


def test_questions_are_judged_the_same_whatever_their_case_spacing_and_end_marks() -> None:
    same = normalised_question("what does a pm do")
    assert normalised_question("  What does a PM  do?? ") == same


def test_an_unreadable_manifest_is_named(tmp_path) -> None:
    bad = tmp_path / "manifest.json"
    bad.write_text("[]")
    with pytest.raises(ManifestError, match=r"manifest\.json"):
        read_manifest(bad)
