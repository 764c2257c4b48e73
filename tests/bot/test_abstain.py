from __future__ import annotations

import json

import pytest

from bot.abstain import AbstentionModel, Signals, fit


def test_fit_separates_answerable_from_unanswerable_and_keeps_the_target_recall() -> None:
    good = [Signals(dense=0.5 + i / 100, topic=0.4 + i / 100, stray=0.0) for i in range(40)]
    bad = [Signals(dense=0.1 + i / 200, topic=0.05, stray=0.6) for i in range(40)]
    model = fit(good + bad, [True] * 40 + [False] * 40, target_recall=0.95)
    assert sum(model.probability(s) >= model.threshold for s in good) >= 38
    assert not any(model.probability(s) >= model.threshold for s in bad)
    dense, topic, stray = model.weights
    assert dense > 0 and topic > 0, "closeness should raise the odds of answering"
    assert stray < 0, "a question about an unknown word should lower them"


def test_fit_refuses_a_set_without_unanswerable_questions() -> None:
    with pytest.raises(ValueError, match="both"):
        fit([Signals(0.5, 0.5, 0.0)] * 3, [True] * 3)


def test_model_round_trips_through_json_and_rejects_other_features(tmp_path) -> None:
    model = AbstentionModel(weights=(1.0, 2.0, 3.0), bias=-2.0, threshold=0.4, fitted_on="x")
    path = tmp_path / "m.json"
    model.save(path)
    assert AbstentionModel.load(path) == model
    raw = json.loads(path.read_text())
    raw["features"] = ["dense"]
    path.write_text(json.dumps(raw))
    with pytest.raises(ValueError, match="features"):
        AbstentionModel.load(path)


def test_shipped_model_prefers_close_questions_about_words_the_guide_uses() -> None:
    model = AbstentionModel.load()
    assert model.probability(Signals(0.8, 0.7, 0.0)) > model.threshold
    # Far from every passage and mostly about a word the guide never uses.
    assert model.probability(Signals(0.1, 0.1, 0.5)) < model.threshold
    assert model.probability(Signals(0.5, 0.4, 0.6)) < model.probability(Signals(0.5, 0.4, 0.0))
    assert model.probability(Signals(0.3, 0.1, 0.3)) < model.probability(Signals(0.3, 0.5, 0.3))
    assert model.probability(Signals(0.1, 0.3, 0.3)) < model.probability(Signals(0.5, 0.3, 0.3))


def test_every_group_weighs_the_same_whatever_its_size() -> None:
    # A big group where answerable questions sit high, a small one where they sit lower:
    # weighted by group, the small group's answerable questions are kept answered too.
    big = [Signals(0.8, 0.8, 0.0)] * 400 + [Signals(0.2, 0.2, 0.0)] * 400
    small = [Signals(0.45, 0.45, 0.0)] * 10 + [Signals(0.1, 0.1, 0.0)] * 10
    labels = [True] * 400 + [False] * 400 + [True] * 10 + [False] * 10
    model = fit(big + small, labels, groups=[0] * 800 + [1] * 20, target_recall=0.98)
    assert model.probability(Signals(0.45, 0.45, 0.0)) >= model.threshold
    assert model.probability(Signals(0.1, 0.1, 0.0)) < model.threshold


def test_the_threshold_falls_halfway_between_two_answerable_questions() -> None:
    good = [Signals(dense=0.5 + i / 100, topic=0.4 + i / 100, stray=0.0) for i in range(40)]
    bad = [Signals(dense=0.1 + i / 200, topic=0.05, stray=0.6) for i in range(40)]
    model = fit(good + bad, [True] * 40 + [False] * 40, target_recall=0.95)
    probabilities = sorted(model.probability(s) for s in good)
    gaps = [abs(model.threshold - p) for p in probabilities]
    assert min(gaps) > 1e-6  # no question sits on the cut
