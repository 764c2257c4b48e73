"""The loaders on real published role documentation (../shared/corpora, read in place)."""

from __future__ import annotations

import re

import pytest
from support.paths import SHARED

from knowledge import Knowledge, load_knowledge

CORPORA = SHARED / "corpora"
NAMES = ("ft", "infracloud", "pagerduty", "sourcegraph")
# Markup that must never reach a quoted passage.
RAW_MARKUP = {
    "table rule": re.compile(r"\|\s*:?-{3,}|:-{3,}:?"),
    "table pipes": re.compile(r"^\s*\||\|\s*\|"),
    "task box": re.compile(r"^\[[ xX]\]\s"),
    "shortcode": re.compile(r"\{\{[<%]|\{:"),
    "admonition": re.compile(r"^[!?]{3}"),
    "html tag": re.compile(r"</?(?:table|tr|td|th|ul|li|p|br|details|summary|span|div)\b[^>]*>"),
}
MAX_CHARS = 650

pytestmark = pytest.mark.skipif(not CORPORA.is_dir(), reason=f"no corpora at {CORPORA}")


@pytest.fixture(scope="module")
def corpora() -> dict[str, Knowledge]:
    return {name: load_knowledge([CORPORA / name / "docs"]) for name in NAMES}


@pytest.mark.parametrize("name", NAMES)
def test_no_passage_quotes_raw_markup(corpora: dict[str, Knowledge], name: str) -> None:
    for passage in corpora[name].passages:
        for what, pattern in RAW_MARKUP.items():
            assert not pattern.search(passage.text), f"{what} in {passage.text[:80]!r}"


@pytest.mark.parametrize("name", NAMES)
def test_passages_are_neither_fragments_nor_too_long(
    corpora: dict[str, Knowledge], name: str
) -> None:
    passages = corpora[name].passages
    assert all(len(p.text) <= MAX_CHARS for p in passages)
    lone = [p for p in passages if len(p.text.split()) < 4]
    for passage in lone:  # a fragment stays only when it is all its section says
        assert [p for p in passages if p.section is passage.section] == [passage]


@pytest.mark.parametrize("name", NAMES)
def test_every_document_is_named(corpora: dict[str, Knowledge], name: str) -> None:
    for document in corpora[name].documents:
        assert document.document.title.strip()
        assert all(s.path[0] == document.document.title for s in document.sections)


def _section_texts(knowledge: Knowledge, path: str) -> list[str]:
    return [p.text for p in knowledge.passages if p.section.breadcrumb() == path]


def test_html_competency_table_rows_keep_their_area(corpora: dict[str, Knowledge]) -> None:
    texts = _section_texts(corpora["ft"], "Senior Engineer 1")
    assert any(t.startswith("Technical: Builds products ensuring") for t in texts)
    assert not any("print" in t and "Engineering Progression website" in t for t in texts)


def test_html_table_inside_hugo_markdown_is_read(corpora: dict[str, Knowledge]) -> None:
    texts = _section_texts(corpora["infracloud"], "Engineer › Broad Indicators")
    split = [t for t in texts if t.startswith("Split of responsibilities in the role · ")]
    assert len(split) == 1
    assert "Core: ~70%; Management: " in split[0]


def test_level_table_rows_carry_level_and_column(corpora: dict[str, Knowledge]) -> None:
    knowledge = corpora["sourcegraph"]
    levels = _section_texts(knowledge, "Sourcegraph design career development framework › Levels")
    assert any(t.startswith("Level: IC3 · Strategy: ") for t in levels)
    hiring = [
        p.text
        for p in knowledge.passages
        if p.section.heading == "Hiring" and p.section.path[0].startswith("Product manager")
    ]
    assert hiring and all("EM expectations:" in t or "PM expectations:" in t for t in hiring)


def test_files_without_top_heading_are_named_by_file(corpora: dict[str, Knowledge]) -> None:
    paths = {s.breadcrumb() for s in corpora["pagerduty"].sections}
    assert {"incident_commander › Purpose", "customer_liaison › Customer Liaison"} <= paths
