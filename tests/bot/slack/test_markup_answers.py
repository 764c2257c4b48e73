"""A question typed with Slack markup gets the answer its plain text gets, from the real
engine on the shipped guide."""

from __future__ import annotations

import pytest

from bot.slack.markup import visible_text

PLAIN = "what does a TPM do?"


@pytest.mark.parametrize(
    ("typed", "plain"),
    [
        ("<@U123> <!subteam^S123> <!channel> what does a TPM do?", PLAIN),
        ("<@U123|rolebot> what does a *TPM* do? :thinking_face:", PLAIN),
        (
            "<https://example.com/roadmap|click here> who owns the roadmap?",
            "click here who owns the roadmap?",
        ),
        ("&gt; who owns the technical roadmap?", "who owns the technical roadmap?"),
        ("who owns the `technical roadmap` <#C123|general>?", "who owns the technical roadmap ?"),
    ],
)
def test_a_question_with_markup_gets_the_answer_of_its_plain_text(engine, typed, plain) -> None:
    read, expected = engine.answer(visible_text(typed)), engine.answer(plain)

    assert read.outcome == expected.outcome
    assert read.best is not None and expected.best is not None
    assert read.best.citation == expected.best.citation
    assert "<!" not in read.question and "<@" not in read.question
