"""The engine's rules, on a small made-up guide and a deterministic encoder (fast, exact)."""

from __future__ import annotations

import numpy as np
import pytest
from support.fakes import FAKE_DIMENSION, FakeEncoder, fake_vector

from bot.abstain import AbstentionModel
from bot.engine import Engine
from bot.pipeline.parse import asking_clause, what_is_asked
from bot.types import Outcome
from embeddings.adapter import AdapterError, QueryAdapter
from knowledge import load_knowledge

GUIDE = """---
title: Shipping guide
---
# Shipping guide

## Delivery Lead (DL)

### Duties

- The DL writes release notes and schedules the release train.
- The DL chairs the go or no-go meeting before shipping.
- The DL holds three release reviews every month.

## Quality Engineer (QE)

### Duties

- The QE writes release notes and schedules the release train.
- The QE designs regression test plans for every release.

## DL vs QE

### Differences

- The DL and the QE differ in ownership: one decides when to ship, one verifies the build.
"""

ALWAYS_ANSWER = AbstentionModel(weights=(0.0, 0.0, 0.0), bias=10.0, threshold=0.5)


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Engine:
    folder = tmp_path_factory.mktemp("guide")
    (folder / "release.md").write_text(GUIDE, encoding="utf-8")
    return Engine(load_knowledge([folder]), FakeEncoder(), abstention=ALWAYS_ANSWER)


def test_roles_are_discovered_from_the_guide_headings(engine: Engine) -> None:
    assert [r.key for r in engine.knowledge.roles] == ["DL", "QE"]


def test_a_scenario_ending_in_a_who_question_names_the_role_first(engine: Engine) -> None:
    answer = engine.answer("the last release had no test plan - who designs regression test plans?")
    assert answer.answered
    assert answer.best.role_label == "Quality Engineer (QE)"


def test_who_question_names_the_role_first(engine: Engine) -> None:
    answer = engine.answer("who designs regression test plans?")
    assert answer.answered
    assert answer.best.role_label == "Quality Engineer (QE)"
    assert "regression test plans" in answer.best.text


@pytest.mark.parametrize(
    "question",
    [
        "which of the two roles designs regression test plans?",
        "what role designs regression test plans?",
        "whose job is designing regression test plans?",
    ],
)
def test_other_ways_of_asking_who_name_the_role_first_too(engine: Engine, question: str) -> None:
    assert engine.answer(question).best.role_label == "Quality Engineer (QE)"


def test_a_who_question_about_the_role_it_names_gets_no_role_label(engine: Engine) -> None:
    answer = engine.answer("who does the QE design regression test plans for?")
    assert answer.answered and answer.best.roles == ("QE",)
    assert answer.best.role_label is None


def test_a_question_that_is_not_a_who_question_gets_no_role_label(engine: Engine) -> None:
    assert engine.answer("regression test plans").best.role_label is None


def test_two_roles_scoring_alike_with_no_role_named_are_both_quoted(engine: Engine) -> None:
    answer = engine.answer("who writes release notes and schedules the release train?")
    assert {m.roles for m in answer.matches} == {("DL",), ("QE",)}
    assert {m.role_label for m in answer.matches} == {
        "Delivery Lead (DL)",
        "Quality Engineer (QE)",
    }


def test_naming_a_role_picks_that_roles_passage(engine: Engine) -> None:
    for key in ("DL", "QE"):
        answer = engine.answer(f"does the {key} write release notes?")
        assert len(answer.matches) == 1
        assert answer.best.roles == (key,)


def test_comparison_wording_prefers_the_comparison_section(engine: Engine) -> None:
    answer = engine.answer("how do the DL and QE differ?")
    assert answer.best.citation.section_path[-2:] == ("DL vs QE", "Differences")


def test_a_role_the_guide_does_not_describe_is_declined_by_name(engine: Engine) -> None:
    answer = engine.answer("What does a scrum master do?")
    assert answer.outcome is Outcome.NOT_COVERED
    assert "scrum master" in answer.message
    assert "Delivery Lead (DL)" in answer.message  # says what it does cover
    assert answer.alternatives, "the closest sections are still offered"


def test_misspelt_role_names_still_name_the_role(engine: Engine) -> None:
    answer = engine.answer("what does the delivry lead do before shipping?")
    assert answer.best.roles == ("DL",)
    assert "go or no-go" in answer.best.text


def test_a_question_naming_two_roles_quotes_each_roles_own_passage(engine: Engine) -> None:
    answer = engine.answer("does the DL or the QE schedule the release train?")
    assert [m.roles for m in answer.matches] == [("DL",), ("QE",)]
    assert all("release train" in m.text for m in answer.matches)


RELEASE_GUIDE = """# Release guide

## Delivery Lead (DL)

### Duties

- The DL chairs the go or no-go meeting before every release.

## Quality Engineer (QE)

### Duties

- The QE designs regression test plans for every release.

## DL vs QE

### Differences

- The DL and the QE differ: the DL chairs the meeting, the QE tests the build.
"""


@pytest.fixture(scope="module")
def release_engine(tmp_path_factory) -> Engine:
    folder = tmp_path_factory.mktemp("release")
    (folder / "release.md").write_text(RELEASE_GUIDE, encoding="utf-8")
    return Engine(load_knowledge([folder]), FakeEncoder(), abstention=ALWAYS_ANSWER)


@pytest.mark.parametrize(
    "question",
    [
        "does the DL or the QE chair the go or no-go meeting, the one before shipping?",
        "DL or QE: who chairs the go or no-go meeting?",
    ],
)
def test_two_roles_named_and_one_leading_add_the_passage_about_both(
    release_engine: Engine, question: str
) -> None:
    """The QE's own passage is far behind, so the comparison is quoted beside the DL's,
    however far behind it is too: it is about the two roles the question names."""
    answer = release_engine.answer(question)

    assert [m.roles for m in answer.matches] == [("DL",), ("DL", "QE")]


def test_an_unknown_role_compared_with_a_known_one_is_declined_by_name(engine: Engine) -> None:
    answer = engine.answer("how is a release manager different from a delivery lead?")
    assert answer.outcome is Outcome.NOT_COVERED
    assert "release manager" in answer.message


def test_another_title_beside_a_known_role_without_comparing_them_is_answered(
    engine: Engine,
) -> None:
    answer = engine.answer("does the QE need to be a software engineer to design test plans?")
    assert answer.answered
    assert answer.best.roles == ("QE",)


def test_a_figure_the_best_passage_does_not_hold_is_declined(engine: Engine) -> None:
    answer = engine.answer("how many regression test plans does the QE design?")
    assert answer.outcome is Outcome.NOT_COVERED
    assert "no figures" in answer.message
    assert any("regression test plans" in m.text for m in answer.alternatives)


def test_a_figure_question_is_answered_when_the_passage_holds_one(engine: Engine) -> None:
    answer = engine.answer("how many release reviews does the DL hold?")
    assert answer.answered
    assert "three release reviews" in answer.best.text


@pytest.mark.parametrize(
    "message", ["lol", "what is this?", "ok so whats up with that", "???? why"]
)
def test_a_message_with_no_subject_and_no_role_gets_the_usage_hint_whatever_the_scores(
    engine: Engine, message: str
) -> None:
    answer = engine.answer(message)

    assert answer.outcome is Outcome.INVALID
    assert "couldn't find a question about a role" in answer.message
    assert "Ask me a question about a role" in answer.message
    assert engine.signals(message) is None


def test_a_role_alone_is_subject_enough(engine: Engine) -> None:
    assert engine.answer("what does the DL do?").answered


def test_the_model_never_sees_questions_a_rule_declines(engine: Engine) -> None:
    assert engine.signals("What does a scrum master do?") is None
    assert engine.signals("how many regression test plans does the QE design?") is None
    assert engine.signals("who designs regression test plans?") is not None


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("Define technical product manager", "technical product manager"),
        ("please explain the QE role", "the QE role"),
        ("tell me about TPMs", "TPMs"),
        ("give me an overview of the DL", "the DL"),
        ("who defines technical requirements?", "who defines technical requirements?"),
        ("describe", "describe"),  # nothing else asked: the word stays
        ("tpm in one sentence pls", "tpm pls"),
        ("tl;dr what's a QE", "what's a QE"),
        ("the DL in a nutshell?", "the DL ?"),
        ("QE one-liner", "QE"),
    ],
)
def test_a_request_verb_or_a_wish_for_brevity_is_how_the_question_asks_not_what(
    question, asked
) -> None:
    assert what_is_asked(question) == asked


def test_a_thank_you_is_answered_in_kind_without_quotes(engine: Engine) -> None:
    answer = engine.answer("thanks!")
    assert answer.outcome is Outcome.COURTESY and not answer.answered
    assert answer.message.startswith("You're welcome!")
    assert "DL" in answer.message  # says what can be asked
    assert not answer.matches and not answer.alternatives


def test_a_query_adapter_moves_the_question_before_the_dense_score(tmp_path) -> None:
    """An adapter that turns every question towards the go/no-go passage makes it the answer
    to a question about something else; without one, the question finds its own passage."""
    (tmp_path / "release.md").write_text(GUIDE, encoding="utf-8")
    knowledge = load_knowledge([tmp_path])
    target = fake_vector("The DL chairs the go or no-go meeting before shipping.")
    towards_meeting = QueryAdapter(
        model="fake-bow-64",
        down=np.ones((FAKE_DIMENSION, 1), dtype=np.float32),  # every bag of words has weight
        up=100 * target.reshape(-1, 1),
    )
    question = "who designs regression test plans?"

    plain = Engine(knowledge, FakeEncoder(), abstention=ALWAYS_ANSWER, adapter=None)
    adapted = Engine(knowledge, FakeEncoder(), abstention=ALWAYS_ANSWER, adapter=towards_meeting)

    assert "regression test plans" in plain.answer(question).best.text
    assert "go or no-go" in adapted.answer(question).best.text


def test_an_adapter_fitted_for_another_model_is_refused(tmp_path) -> None:
    (tmp_path / "release.md").write_text(GUIDE, encoding="utf-8")
    other = QueryAdapter("bundled:all-MiniLM-L6-v2", np.zeros((384, 2)), np.zeros((384, 2)))

    with pytest.raises(AdapterError, match="fake-bow-64"):
        Engine(load_knowledge([tmp_path]), FakeEncoder(), adapter=other)


def test_the_shipped_adapter_is_left_out_for_a_model_it_was_not_fitted_for(engine) -> None:
    assert engine.adapter is None  # FakeEncoder: the shipped adapter is for the bundled model


@pytest.mark.parametrize(
    ("question", "clause"),
    [
        (
            "the release slipped again - who chairs the go or no-go meeting?",
            "who chairs the go or no-go meeting?",
        ),
        (
            "Three releases failed. Which role plans the regression tests?",
            "Which role plans the regression tests?",
        ),
        ("the build is red again, who decides whether we ship?", "who decides whether we ship?"),
        ("who writes release notes? thanks!", "who writes release notes?"),
        ("who writes the release notes?", None),
        ("release notes, train schedules and reviews", None),
        # a trailing fragment asks nothing: the clause that asks is the one before it
        (
            "what comes after staff engineer - head of platform?",
            "what comes after staff engineer",
        ),
        # a misspelt opener still asks
        (
            "the demo is on friday. Shoud the TPM review the slides?",
            "Shoud the TPM review the slides?",
        ),
        ("so many meetings - so how do I keep up with them?", "so how do I keep up with them?"),
    ],
)
def test_the_asking_clause_is_the_last_asking_clause_of_three_words_or_more(
    question: str, clause: str | None
) -> None:
    assert asking_clause(question) == clause


@pytest.mark.parametrize("question", ["whats 12*14", "what's 17 times 23?"])
def test_a_sum_without_other_words_is_told_it_is_a_sum(engine: Engine, question: str) -> None:
    answer = engine.answer(question)
    assert answer.outcome is Outcome.NOT_COVERED
    assert "not sums" in answer.message
