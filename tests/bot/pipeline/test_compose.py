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


def test_a_comparison_quotes_each_roles_own_passage_however_far_behind(tmp_path) -> None:
    text = (
        "# Squad\n\n## Engineering Manager (EM)\nThe EM runs one-to-ones and hiring.\n\n"
        "## Tech Lead (TL)\nThe TL owns architecture and code review.\n"
    )
    knowledge = knowledge_from(tmp_path, {"squad.md": text})
    by_name = {p.section.path[-1]: p for p in knowledge.passages}
    ranked = [
        Scored(by_name["Engineering Manager (EM)"], 0.9, 0.9),
        Scored(by_name["Tech Lead (TL)"], 0.4, 0.4),  # far behind the best
    ]
    parser = Parser(knowledge.roles, NoCorrections())
    composer = Composer(knowledge)
    compared = composer.answered(parser.parse("difference between the EM and the TL"), ranked, 0.9)
    assert [m.citation.section_path[-1] for m in compared.matches] == [
        "Engineering Manager (EM)",
        "Tech Lead (TL)",
    ]
    # naming both without comparing them: the far one is no answer
    named = composer.answered(parser.parse("does the EM talk to the TL daily?"), ranked, 0.9)
    assert [m.citation.section_path[-1] for m in named.matches] == ["Engineering Manager (EM)"]


LIST_PAGE = """# Squad

## Engineering Manager (EM)

### Responsibilities
- Runs weekly one-to-ones with every report.
- Owns the hiring plan and makes the final hiring call.
- Negotiates scope with the product manager.

### Background
Most EMs were engineers first.
"""


def _answer_from(tmp_path, question: str, section: str, item: int = 0):
    knowledge = knowledge_from(tmp_path, {"squad.md": LIST_PAGE})
    passages = [p for p in knowledge.passages if p.section.path[-1] == section]
    ranked = [Scored(passages[item], 0.9, 0.9)] + [
        Scored(p, 0.5, 0.5) for p in knowledge.passages if p is not passages[item]
    ]
    query = Parser(knowledge.roles, NoCorrections()).parse(question)
    return Composer(knowledge).answered(query, ranked, 0.9)


def test_a_question_about_a_whole_list_quotes_every_item_one_a_line(tmp_path) -> None:
    for question in [
        "what does an EM do?",
        "what are the responsibilities of an EM?",
        "what are an EM's responsibilites?",  # spelt alike
    ]:
        (match,) = _answer_from(tmp_path, question, "Responsibilities", item=1).matches
        assert match.text.splitlines() == [
            "• Runs weekly one-to-ones with every report.",
            "• Owns the hiring plan and makes the final hiring call.",
            "• Negotiates scope with the product manager.",
        ]


def test_a_question_about_one_item_quotes_that_item_alone(tmp_path) -> None:
    answer = _answer_from(tmp_path, "who owns the hiring plan?", "Responsibilities", item=1)
    assert answer.matches[0].text == "Owns the hiring plan and makes the final hiring call."


def test_a_paragraph_is_quoted_alone_however_broad_the_question(tmp_path) -> None:
    answer = _answer_from(tmp_path, "what does an EM do?", "Background")
    assert answer.matches[0].text == "Most EMs were engineers first."


def test_a_long_list_is_quoted_up_to_the_limit_and_marked_as_cut(tmp_path) -> None:
    items = "".join(
        f"- Duty number {i} of the scribe, written out in full here.\n" for i in range(40)
    )
    knowledge = knowledge_from(tmp_path, {"scribe.md": f"# Scribe\n\n## Duties\n{items}"})
    passages = list(knowledge.passages)
    query = Parser(knowledge.roles, NoCorrections()).parse("what are the duties?")
    for best, whole in [(passages[0], True), (passages[-1], False)]:
        ranked = [Scored(best, 0.9, 0.9)] + [Scored(p, 0.5, 0.5) for p in passages if p is not best]
        (match,) = Composer(knowledge).answered(query, ranked, 0.9).matches
        if whole:  # from the top of the list, as far as the limit allows
            assert len(match.text) <= MAX_QUOTE_CHARS and match.text.endswith(" …")
            assert match.text.startswith("• Duty number 0 ")
        else:  # the best item lies beyond the limit: it is quoted alone
            assert match.text == best.text


def test_a_lead_in_standing_alone_is_quoted_with_its_list_whatever_was_asked(tmp_path) -> None:
    text = (
        "# Escalation\n\n## When to escalate\n"
        "Escalate a ticket to the escalation engineer when any of these is true:\n\n"
        "- the troubleshooting guide has run out of steps;\n"
        "- the customer reports data loss.\n"
    )
    knowledge = knowledge_from(tmp_path, {"escalation.md": text})
    lead_in = knowledge.passages[0]
    ranked = [Scored(p, 0.9 if p is lead_in else 0.5, 0.5) for p in knowledge.passages]
    query = Parser(knowledge.roles, NoCorrections()).parse("is data loss a reason to escalate?")
    (match,) = Composer(knowledge).answered(query, ranked, 0.9).matches
    assert match.text.splitlines() == [
        "Escalate a ticket to the escalation engineer when any of these is true:",
        "• the troubleshooting guide has run out of steps;",
        "• the customer reports data loss.",
    ]


def test_a_question_about_a_whole_table_quotes_its_rows(tmp_path) -> None:
    text = (
        "# Product Manager\n\n## Levels\n\n| Level | Title |\n| --- | --- |\n"
        "| P1 | Associate Product Manager |\n| P2 | Product Manager |\n"
    )
    knowledge = knowledge_from(tmp_path, {"pm.md": text})
    rows = list(knowledge.passages)
    ranked = [Scored(rows[1], 0.9, 0.9), Scored(rows[0], 0.5, 0.5)]
    query = Parser(knowledge.roles, NoCorrections()).parse("what are the product manager levels?")
    (match,) = Composer(knowledge).answered(query, ranked, 0.9).matches
    assert match.text.splitlines() == [
        "• Level: P1 · Title: Associate Product Manager",
        "• Level: P2 · Title: Product Manager",
    ]


def test_a_decline_names_the_most_described_roles_first(tmp_path) -> None:
    text = (
        "# Team\n\n## Support Lead\n\nRuns the weekend rota for the queue.\n\n"
        "## Designer\n\nDesigners shape features with users.\n\nDesigners run critiques weekly.\n"
    )
    knowledge = knowledge_from(tmp_path, {"team.md": text})
    assert [r.key for r in knowledge.roles] == ["Support Lead", "Designer"]
    parser = Parser(knowledge.roles, NoCorrections())
    query = parser.parse("what does a scrum master do?")
    ranked = [Scored(p, 0.5, 0.5) for p in knowledge.passages]

    answer = Composer(knowledge).declined(query, ranked, 0.1, "Not covered")

    assert "they cover Designer, Support Lead" in answer.message
