"""Composing the answer: what is quoted."""

from __future__ import annotations

from bot.pipeline.compose import MAX_QUOTE_CHARS, quote


def test_a_passage_within_the_limit_is_quoted_word_for_word() -> None:
    text = "The analyst owns the weekly report. " * 10
    assert quote(text.strip()) == text.strip()


def test_a_long_passage_is_cut_at_its_last_sentence_within_the_limit_with_an_ellipsis() -> None:
    sentence = "The analyst owns the weekly report and presents it on Mondays. "
    text = (sentence * 40).strip()
    quoted = quote(text)
    assert len(quoted) <= MAX_QUOTE_CHARS
    assert quoted.endswith("Mondays. …")
    assert text.startswith(quoted.removesuffix(" …"))


def test_a_long_passage_without_sentence_ends_is_cut_at_a_space() -> None:
    text = " ".join(["word"] * 400)
    quoted = quote(text)
    assert len(quoted) <= MAX_QUOTE_CHARS and quoted.endswith("word …")
