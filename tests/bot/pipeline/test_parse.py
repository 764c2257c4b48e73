"""Parsing a question once: what it asks, how, and whether it is a question at all."""

from __future__ import annotations

import pytest
from support.fakes import NoCorrections
from support.knowledge import knowledge_from

from bot.pipeline import language
from bot.pipeline.parse import Parser, asks_for_figure


@pytest.mark.parametrize(
    "question",
    [
        "How much does a TPM earn?",
        "how many engineers does one TPM support",
        "How long does it take to become a PM?",
        "What is the usual ratio of TPMs to engineers?",
        "what's the average salary of a PM",
        "how much does a TPM get paid, and do they need to code?",
        "how much more would a senior analyst make than an analyst?",
        "how much extra is the on-call pay?",
        "how much equity does an L4 get?",
        "whats the salary band for an e3",
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
        "how much are juniors expected to work on their own?",
        "how much am I supposed to lean on my lead?",
        "How do PMs and TPMs differ?",
        "Who owns the roadmap?",
    ],
)
def test_questions_prose_can_answer_are_not_figure_questions(question: str) -> None:
    assert not asks_for_figure(question)


def test_figures_are_digits_amounts_number_words_and_counts_but_not_the_two_roles() -> None:
    assert language.FIGURE.search("Most teams have 1 TPM per 8 engineers.")
    assert language.FIGURE.search("Pay ranges around $150k.")
    assert language.FIGURE.search("It takes three to five years.")
    assert not language.FIGURE.search("The two roles overlap, and no one owns everything.")
    assert language.FIGURE.search("Alerts are closed within two business days.")
    assert language.FIGURE.search("A rule goes live after a two-week shadow run.")
    assert not language.FIGURE.search("The S2 engineer leads; IC4 is the level above.")
    assert language.FIGURE.search("You own and drive a few major initiatives.")
    assert language.FIGURE.search("Give a talk at least once a quarter.")
    assert not language.FIGURE.search("You drive the major initiatives of your team.")


@pytest.mark.parametrize(
    ("text", "figure"),
    [
        ("The Senior 2 engineer leads, like an Engineer 3 or anyone at level 4.", False),
        ("Years of experience: Typically 2+", True),
        ("A Senior 2 usually has 5 years of experience.", True),
        ("Senior 1 engineers spend about 20% of their time mentoring.", True),
    ],
)
def test_level_numbers_are_no_figures(text: str, figure: bool) -> None:
    assert bool(language.FIGURE.search(language.LEVEL_NUMBER.sub(" ", text))) is figure


@pytest.mark.parametrize(
    "question",
    ["what's 17 times 23?", "12*7", "what is 2 + 2", "square root of 81 please", "9 x 9"],
)
def test_sums_are_recognised_as_arithmetic(question: str) -> None:
    assert language.ARITHMETIC.search(question)


@pytest.mark.parametrize(
    "question",
    [
        "what does an L5 engineer do?",
        "how do I get from IC3 to IC4?",
        "is 2-3 years at senior normal?",
        "what changes at level 4",
        "what's a 360 review",
    ],
)
def test_level_codes_and_numbers_in_role_questions_are_no_arithmetic(question: str) -> None:
    assert not language.ARITHMETIC.search(question)


@pytest.mark.parametrize(
    "question",
    [
        "tell me a joke",
        "what's your favourite colour?",
        "are you human",
        "write me a poem",
        # greetings and weekend chat to the channel
        "Happy Monday team! big weekend plans?",
        "good morning all",
        "how were the holidays?",
        # the weather
        "whats the weather in berlin tomorrow",
        "is it going to rain today?",
        "what time does the sun set in columbus today",
    ],
)
def test_small_talk_to_the_bot_or_the_channel_is_recognised(question: str) -> None:
    assert language.SMALL_TALK.search(question)


@pytest.mark.parametrize(
    "question",
    [
        "what does your team's PM do?",
        "do you need a PM to ship?",
        "is the TPM role real work?",
        "does the on-call engineer work on weekends?",
        "who plans the holiday cover rota?",
        "what does a good day look like for an IC?",
        "who owns the weather feed ingestion?",
    ],
)
def test_role_questions_that_address_you_are_no_small_talk(question: str) -> None:
    assert not language.SMALL_TALK.search(question)


LEVELS = """# Backend Engineer

## Senior Backend Engineer
Senior backend engineers lead projects across a team.
"""


def test_a_title_of_role_words_naming_no_role_is_still_a_subject(tmp_path) -> None:
    knowledge = knowledge_from(tmp_path, {"backend.md": LEVELS})
    parser = Parser(knowledge.roles, NoCorrections())
    unnamed = parser.parse("what does a senior engineer do?")
    assert not unnamed.named and unnamed.subject == ("senior", "engineer")
    assert unnamed.has_subject
    named = parser.parse("what does a senior backend engineer do?")
    assert named.named == ("Senior Backend Engineer",) and named.subject == ()


@pytest.mark.parametrize(
    ("question", "money"),
    [
        ("what's the salary range for a senior developer", True),
        ("how much extra do I get paid for an on-call week?", True),
        ("how many vacation days do we get?", False),
        ("how many days of paid vacation do i get per year", False),
        ("how long is the sabbatical?", False),
    ],
)
def test_a_figure_question_about_money_is_told_apart(question: str, money: bool) -> None:
    assert asks_for_figure(question)
    assert bool(language.MONEY_ASK.search(question)) is money


@pytest.mark.parametrize(
    "question",
    ["what separates a senior dev from a staff dev", "unlike a PM, does a TPM write code?"],
)
def test_separating_two_roles_is_a_comparison(question: str) -> None:
    assert language.COMPARE.search(question)


@pytest.mark.parametrize(
    ("question", "sum_"),
    [
        ("if a clinic has 212 slots and 38 are empty what percent is that", True),
        ("we have 4 engineers and 2 PMs, how many is that in total?", True),
        ("what percent of my time is management at L3?", False),
        ("how many are L4 and L5 engineers expected to mentor", False),
    ],
)
def test_a_sum_told_in_words_is_arithmetic(question: str, sum_: bool) -> None:
    from bot.pipeline.parse import is_sum

    assert is_sum(question) is sum_


INCIDENT_ROLES = """# Incident roles

## Subject Matter Expert (SME)
A Subject Matter Expert (SME) is a domain expert for one service.

## Scribe
The Scribe is expected to keep the timeline.
"""


@pytest.mark.parametrize(
    ("question", "defines"),
    [
        ("what's an SME in incident response", "SME"),
        ("what is a subject matter expert?", "SME"),
        ("define SME", "SME"),
        ("what does SME stand for", "SME"),
        ("whats the scribe here", "Scribe"),
        ("what's the SME's first step on a call?", None),  # asks more of the role
        ("what is the difference between the SME and the scribe", None),  # two roles
        ("what's an incident?", None),  # no role
    ],
)
def test_a_question_asking_what_a_role_is_names_the_role_it_defines(
    tmp_path, question: str, defines: str | None
) -> None:
    knowledge = knowledge_from(tmp_path, {"roles.md": INCIDENT_ROLES})
    assert Parser(knowledge.roles, NoCorrections()).parse(question).defines == defines


def test_an_emoji_ends_a_clause() -> None:
    from bot.pipeline.parse import asking_clause

    question = "Just got promoted 🎉 do I still need to log evidence for the old level?"
    assert asking_clause(question) == "do I still need to log evidence for the old level?"
