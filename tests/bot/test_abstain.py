from __future__ import annotations

import json

import pytest

from bot.abstain import (
    AbstentionModel,
    Signals,
    asks_for_figure,
    fit,
    has_figure,
    unknown_role_title,
)

KNOWN = ["PM", "PMs", "Product Manager", "Product Managers", "TPM", "Technical Product Manager"]


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


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("What does a scrum master do?", "scrum master"),
        ("Is an engineering manager the same thing?", "engineering manager"),
        ("what does a product marketing manager do", "product marketing manager"),
        ("how is a technical program manager different?", "technical program manager"),
    ],
)
def test_unknown_role_titles_are_found(question: str, title: str) -> None:
    assert unknown_role_title(question, KNOWN) == title


@pytest.mark.parametrize(
    "question",
    [
        "What does a product manager do?",
        "what is a prodct manager responsible for",  # a typo of a known role
        "Who works with the engineers?",  # a group, not a role asked about
        "Does a senior product manager code?",  # a known role with a seniority word
        "I'm a data engineer - which role would use my background?",  # the asker's own job
        "i was an architect before; is that useful for a TPM?",
    ],
)
def test_known_roles_and_groups_are_not_unknown_titles(question: str) -> None:
    assert unknown_role_title(question, KNOWN) is None


@pytest.mark.parametrize(
    "question",
    [
        "How much does a TPM earn?",
        "how many engineers does one TPM support",
        "How long does it take to become a PM?",
        "What is the usual ratio of TPMs to engineers?",
        "what's the average salary of a PM",
        "how much does a TPM get paid, and do they need to code?",
    ],
)
def test_questions_asking_for_a_figure_are_recognised(question: str) -> None:
    assert asks_for_figure(question)


@pytest.mark.parametrize(
    "question",
    [
        "How much coding does a TPM do?",  # a degree, which prose answers
        "how much does a PM need to know about markets?",
        "new here - how much do I need to understand the tech stack?",
        "how much does communication matter for a PM?",
        "How do PMs and TPMs differ?",
        "Who owns the roadmap?",
    ],
)
def test_questions_prose_can_answer_are_not_figure_questions(question: str) -> None:
    assert not asks_for_figure(question)


def test_figures_are_digits_amounts_and_number_words_but_not_the_two_roles() -> None:
    assert has_figure("Most teams have 1 TPM per 8 engineers.")
    assert has_figure("Pay ranges around $150k.")
    assert has_figure("It takes three to five years.")
    assert not has_figure("The two roles overlap, and no one owns everything.")
