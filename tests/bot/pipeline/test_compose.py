"""Composing the answer: what is quoted."""

from __future__ import annotations

from support.fakes import NoCorrections
from support.knowledge import knowledge_from

from bot.pipeline.compose import MAX_QUOTE_CHARS, Composer, quote
from bot.pipeline.parse import Parser
from bot.pipeline.rank import Scored


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


def test_other_sections_come_in_turn_from_the_ranking_and_the_fused_order(tmp_path) -> None:
    sections = ["Levels", "Pay", "Promotions", "Leave", "Hiring"]
    knowledge = knowledge_from(
        tmp_path,
        {"guide.md": "".join(f"## {name}\nAbout {name.lower()} at work.\n\n" for name in sections)},
    )
    by_name = {p.section.path[-1]: p for p in knowledge.passages}
    # The ranking (late interaction's order) and the fused scores disagree.
    ranked = [
        Scored(by_name[name], score, fused)
        for name, score, fused in [
            ("Levels", 0.9, 0.5),
            ("Pay", 0.8, 0.1),
            ("Promotions", 0.7, 0.2),
            ("Leave", 0.6, 0.9),
            ("Hiring", 0.5, 0.3),
        ]
    ]
    parser = Parser(knowledge.roles, NoCorrections())
    answer = Composer(knowledge).answered(parser.parse("what about levels?"), ranked, 0.9)
    assert answer.matches[0].citation.section_path[-1] == "Levels"
    offered = [m.citation.section_path[-1] for m in answer.alternatives]
    # in turns, the ranking first: Pay (its next after the answer), Leave (fused's best),
    # Promotions (the ranking's next)
    assert offered == ["Pay", "Leave", "Promotions"]


def test_a_best_passage_comparing_the_named_roles_is_quoted_alone(tmp_path) -> None:
    text = (
        "# Squad\n\n## Engineering Manager (EM)\nThe EM runs one-to-ones and hiring.\n\n"
        "## Tech Lead (TL)\nThe TL owns architecture and code review.\n\n"
        "## EM vs TL\nThe EM looks after people, the TL after the technology.\n"
    )
    knowledge = knowledge_from(tmp_path, {"squad.md": text})
    by_name = {p.section.path[-1]: p for p in knowledge.passages}
    ranked = [
        Scored(by_name[name], score, score)
        for name, score in [
            ("EM vs TL", 0.72),
            ("Engineering Manager (EM)", 0.716),
            ("Tech Lead (TL)", 0.7),
        ]
    ]
    parser = Parser(knowledge.roles, NoCorrections())
    query = parser.parse("what's the difference between the engineering manager and the tech lead")
    answer = Composer(knowledge).answered(query, ranked, 0.9)
    assert [m.citation.section_path[-1] for m in answer.matches] == ["EM vs TL"]
    # the best passage about one of them: each role's own passage, side by side
    answer = Composer(knowledge).answered(query, ranked[1:], 0.9)
    assert [m.citation.section_path[-1] for m in answer.matches] == [
        "Engineering Manager (EM)",
        "Tech Lead (TL)",
    ]
