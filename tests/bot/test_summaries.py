"""Role summaries and comparisons from the knowledge: no Slack, nothing hard-wired."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.summaries import (
    compare_roles,
    default_pair,
    find_role,
    suggested_questions,
    summarize_role,
)
from knowledge import load_knowledge, load_shipped_guide


@pytest.fixture(scope="module")
def guide():
    return load_shipped_guide()


@pytest.fixture(scope="module")
def other_roles(tmp_path_factory):
    path: Path = tmp_path_factory.mktemp("doc") / "design.md"
    path.write_text(
        "# Design roles\n\n"
        "## Product Designer (PD)\n\n### Focus\n\nA PD shapes flows.\n\nA PD tests ideas.\n\n"
        "### Skills\n\nA PD prototypes.\n\n"
        "## Design Researcher (DR)\n\n### Focus\n\nA DR runs studies.\n\n"
        "## Data Scientist (DS)\n\n### Skills\n\nA DS models data.\n"
    )
    return load_knowledge([path])


def test_summary_sections_of_the_role_in_document_order(guide) -> None:
    summary = summarize_role(guide, "TPM")
    assert summary is not None and summary.role.key == "TPM"
    assert [g.heading for g in summary.groups] == ["Role", "Focus", "Responsibilities", "Skills"]
    for group in summary.groups:
        assert group.citation.roles == ("TPM",)
        assert group.items and all(item.citation == group.citation for item in group.items)
    assert any("technical roadmap" in item.text for g in summary.groups for item in g.items)


def test_role_lookup_is_case_insensitive_with_aliases(guide) -> None:
    assert find_role(guide, "pm").key == "PM"
    assert find_role(guide, "technical product manager").key == "TPM"
    assert find_role(guide, "designer") is None
    assert summarize_role(guide, "astronaut") is None


def test_items_per_group_are_capped(guide) -> None:
    summary = summarize_role(guide, "pm", max_items=2)
    focus = next(g for g in summary.groups if g.heading == "Focus")
    assert len(focus.items) == 2 and focus.truncated


def test_comparison_aligns_headings_and_keeps_shared_sections(guide) -> None:
    comparison = compare_roles(guide, "pm", "tpm")
    assert [r.heading for r in comparison.rows] == ["Role", "Focus", "Responsibilities", "Skills"]
    assert all(r.left and r.right for r in comparison.rows)
    assert [g.heading for g in comparison.shared] == [
        "How the roles differ",
        "Day-to-day differences",
        "Working together",
    ]
    assert compare_roles(guide, "pm", "PM") is None


def test_other_roles_come_from_the_knowledge(other_roles) -> None:
    assert [r.key for r in other_roles.roles] == ["PD", "DR", "DS"]
    pd = summarize_role(other_roles, "pd")
    assert [g.heading for g in pd.groups] == ["Focus", "Skills"]
    assert [i.text for i in pd.groups[0].items] == ["A PD shapes flows.", "A PD tests ideas."]
    assert default_pair(other_roles) is None  # three roles: name two
    comparison = compare_roles(other_roles, "pd", "ds")
    assert [(r.heading, bool(r.left), bool(r.right)) for r in comparison.rows] == [
        ("Focus", True, False),
        ("Skills", True, True),
    ]


def test_suggested_questions_from_headings(guide, other_roles) -> None:
    questions = suggested_questions(guide)
    assert questions[:2] == ("Role of a PM?", "Role of a TPM?")
    assert len(questions) == 6
    assert "Focus of a PD?" in suggested_questions(other_roles)


def test_seed_article_headings_line_up_across_roles(seed_article) -> None:
    knowledge = load_knowledge([seed_article])
    comparison = compare_roles(knowledge, "pm", "tpm")
    assert [r.heading for r in comparison.rows] == [
        "Role",
        "Focus",
        "Responsibilities",
        "Skills Required",
    ]
    assert all(r.left and r.right for r in comparison.rows)
    assert "Focus of a Technical Product Manager?" in suggested_questions(knowledge)
