from __future__ import annotations

import json

import pytest

from bot.evaluate import EvalFileError, read_questions, role_matches, score, section_matches
from bot.types import Answer, Citation, Match, Outcome

PATH = ("Guide", "Technical Product Manager (TPM)", "Skills")


def cite(path=PATH, roles=("TPM",)) -> Citation:
    return Citation(document=path[0], url=None, section=path[-1], section_path=path, roles=roles)


def test_a_label_names_a_section_by_heading_or_by_a_tail_of_its_path() -> None:
    citation = cite()
    assert section_matches("Skills", citation)
    assert section_matches("Technical Product Manager (TPM) › Skills", citation)
    assert section_matches("Guide › Technical Product Manager (TPM) › Skills", citation)
    assert not section_matches("Product Manager (PM) › Skills", citation)
    assert not section_matches("Technical Product Manager (TPM)", citation)


def test_role_is_judged_on_the_first_quoted_passage_and_both_on_several_roles() -> None:
    tpm = Match("t", cite(), 0.9, roles=("TPM",))
    pm = Match("p", cite(("Guide", "Product Manager (PM)", "Skills"), ("PM",)), 0.8, roles=("PM",))
    one = Answer("q", Outcome.ANSWERED, matches=(tpm,))
    two = Answer("q", Outcome.ANSWERED, matches=(tpm, pm))
    assert role_matches("TPM", one) and not role_matches("PM", one)
    assert role_matches("TPM", two) and role_matches("BOTH", two) and not role_matches("BOTH", one)
    assert not role_matches("TPM", Answer("q", Outcome.NOT_COVERED))


def test_read_questions_reads_kinds_and_names_the_bad_line(tmp_path) -> None:
    path = tmp_path / "q.jsonl"
    lines = [
        {"question": "a?", "sections": ["Skills"], "role": "TPM"},
        {"question": "b?", "expect": "abstain"},
        {"question": "c?", "expect": "abstain", "kind": "not_covered"},
        {"question": "d?", "not_sections": ["Skills"], "expect": "different_section"},
    ]
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n\n")
    items = read_questions(path)
    kinds = [i.kind for i in items]
    assert kinds == ["answerable", "off_topic", "not_covered", "different_section"]
    path.write_text(json.dumps(lines[0]) + "\n{not json\n")
    with pytest.raises(EvalFileError, match=r"q\.jsonl:2"):
        read_questions(path)


class CannedEngine:
    def __init__(self, answers: dict[str, Answer]) -> None:
        self.answers = answers

    def answer(self, question: str) -> Answer:
        return self.answers[question]


def test_score_counts_top1_top3_and_declines() -> None:
    right = Match("t", cite(), 0.9, roles=("TPM",))
    wrong = Match("w", cite(("Guide", "Product Manager (PM)", "Role"), ("PM",)), 0.5, roles=("PM",))
    engine = CannedEngine(
        {
            "hit": Answer("hit", Outcome.ANSWERED, matches=(right,), alternatives=(wrong,)),
            "near": Answer("near", Outcome.ANSWERED, matches=(wrong,), alternatives=(right,)),
            "off": Answer("off", Outcome.NOT_COVERED, alternatives=(wrong,)),
        }
    )
    from bot.evaluate import LabelledQuestion

    items = [
        LabelledQuestion("hit", ("Skills",), "TPM"),
        LabelledQuestion("near", ("Skills",), "TPM"),
        LabelledQuestion("off", abstain=True, kind="off_topic"),
    ]
    summary = score(engine, items).summary()  # type: ignore[arg-type]
    assert summary["top1_section"] == 0.5
    assert summary["top3_section"] == 1.0
    assert summary["role_top1"] == 0.5
    assert summary["off_topic_declined"] == 1.0


def test_a_label_matches_whole_headings_case_and_spacing_aside_in_one_of_its_files() -> None:
    path = ("Career ladder", "Senior  Engineer", "Scope")
    citation = Citation("Career ladder", None, "Scope", path, (), source="/k/docs/eng/senior.md")
    assert section_matches("senior engineer › SCOPE", citation)
    assert not section_matches("Engineer › Scope", citation)  # "Engineer" is no "Senior Engineer"
    assert section_matches("Scope", citation, files=("eng/senior.md",))
    assert not section_matches("Scope", citation, files=("senior.md/x.md", "eng/junior.md"))


def test_near_miss_lines_are_read_as_not_covered(tmp_path) -> None:
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps({"question": "leave?", "expect": "abstain", "kind": "near_miss"}))
    assert read_questions(path)[0].kind == "not_covered"


def test_a_baseline_ranking_is_scored_on_its_first_and_first_three_sections() -> None:
    from bot.evaluate import LabelledQuestion, score_ranking

    right, wrong = cite(), cite(("Guide", "Product Manager (PM)", "Role"), ("PM",))
    items = [LabelledQuestion("a", ("Skills",)), LabelledQuestion("b", ("Skills",))]
    report = score_ranking(lambda q: [right] if q == "a" else [wrong, wrong, right], items)
    assert report.summary()["top1_section"] == 0.5
    assert report.summary()["top3_section"] == 1.0


def test_quotes_with_raw_table_syntax_a_task_box_or_over_1000_characters_are_unfit() -> None:
    from bot.evaluate import quote_problem

    assert quote_problem("| Level | Title |") is not None
    assert quote_problem("Level | Title | :---: | --- |") is not None
    assert quote_problem("[ ] Set first-week schedule") is not None
    assert quote_problem("x" * 1001) is not None
    assert quote_problem("Level: 4 · Title: Senior Analyst · Scope: several teams") is None
    assert quote_problem("Owns the roadmap (see [the plan](x)) and a | b choices.") is None
    assert quote_problem("Do we have a representative from [X] on the call?") is None
