"""Greetings and thanks are told apart from questions."""

from __future__ import annotations

import pytest

from bot.courtesy import courtesy_kind, courtesy_reply


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("hi", "greeting"),
        ("Hello there!", "greeting"),
        ("good morning team", "greeting"),
        ("thanks", "thanks"),
        ("Thank you so much!!", "thanks"),
        (":pray: thx", "thanks"),
        ("ok", "thanks"),
        ("great", "thanks"),
        ("bye!", "goodbye"),
        ("how are you?", "greeting"),
        ("help", "help"),
        ("can you help me?", "help"),
        ("What can you do?", "help"),
        ("hey, how's it going", "greeting"),
        ("Does this even work?", "help"),
        ("is this thing on", "help"),
        ("are you a bot?", "help"),
    ],
)
def test_a_message_that_only_greets_or_thanks_is_told_apart(text: str, kind: str | None) -> None:
    assert courtesy_kind(text) == kind


@pytest.mark.parametrize(
    "text",
    [
        "hi, who owns the roadmap?",
        "thanks, and what does a TPM focus on?",
        "lol",
        "what is a PM",
        "how are TPMs different?",
        "help me understand what a TPM does",
        "does this work for TPMs too?",
        "",
    ],
)
def test_a_greeting_with_a_question_is_a_question(text: str) -> None:
    assert courtesy_kind(text) is None


def test_replies_in_kind_and_says_what_can_be_asked() -> None:
    hint = "Ask me about a role."
    assert courtesy_reply("thanks", hint) == "You're welcome! Ask me about a role."
    assert courtesy_reply("greeting", hint).startswith("Hi! Ask me")
    assert "Bye" in courtesy_reply("goodbye", hint)
