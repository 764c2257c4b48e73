"""export-feedback on conftest.seed's data.

Answered questions with votes, oldest first: q0 Hiring 1 down, q1 PM up (changed from down),
q2 PM 2 down, q4 TPM down, q6 PM up (same text as q1: duplicate line dropped), q8 TPM tie
(left out), q9 Hiring up. q3 was declined (no section to judge); "ghost" has no question.
"""

from __future__ import annotations

import json
from datetime import timedelta

from support.stored_questions import NOW, seed

from bot.storage.export import export_lines, section_label


def _neg(question: str, section: str, down: int) -> dict:
    return {
        "question": question,
        "not_sections": [section],
        "expect": "different_section",
        "votes": {"up": 0, "down": down},
    }


def _pos(question: str, section: str) -> dict:
    return {"question": question, "sections": [section], "votes": {"up": 1, "down": 0}}


def test_export_all(storage) -> None:
    seed(storage.recorder)
    lines = [json.loads(line) for line in export_lines(storage.engine)]
    assert lines == [
        _neg("How do we hire?", "Hiring", 1),
        _pos("Who owns the roadmap?", "Roles › PM"),
        _neg("Who writes specs?", "Roles › PM", 2),
        _neg("Who runs the release train?", "Roles › TPM", 1),
        _pos("Who interviews PMs?", "Hiring"),
    ]


def test_export_since_counts_only_recent_votes(storage) -> None:
    seed(storage.recorder)
    since = NOW - timedelta(hours=30)  # votes on q4 and later
    lines = [json.loads(line) for line in export_lines(storage.engine, since)]
    assert lines == [
        _neg("Who runs the release train?", "Roles › TPM", 1),
        _pos("Who owns the roadmap?", "Roles › PM"),
        _pos("Who interviews PMs?", "Hiring"),
    ]


def test_positive_lines_read_as_eval_questions(storage, tmp_path) -> None:
    from bot.evaluate import read_questions

    seed(storage.recorder)
    out = tmp_path / "feedback.jsonl"
    out.write_text("\n".join(export_lines(storage.engine)) + "\n", encoding="utf-8")
    items = read_questions(out)
    assert [i.sections for i in items if i.sections] == [("Roles › PM",), ("Hiring",)]


def test_section_label_drops_the_document_title() -> None:
    assert section_label("Guide › Roles › PM") == "Roles › PM"
    assert section_label("Guide") == "Guide"
