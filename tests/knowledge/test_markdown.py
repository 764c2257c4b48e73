"""Markdown loader: front matter, heading paths, passages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from knowledge.loaders import markdown

Write = Callable[[str, str], Path]

HANDBOOK = """---
title: "Field guide"
source: https://example.org/field-guide
tags:
  - roles
---

Words before any heading.

# Field guide

## Gardener (GDN)

**Soil care:** tests the ground every spring. Then *adds* compost.

Second paragraph about *watering*.

- first item of the list
- second item of the list
  - nested item of the list
- third item
  continued on a new line

# Appendix

### Glossary

1. loam means good soil
"""


def test_front_matter_gives_title_and_url(write: Write) -> None:
    path = write("guide.md", HANDBOOK)
    parsed = markdown.parse(path, HANDBOOK)
    assert parsed.document.title == "Field guide"
    assert parsed.document.url == "https://example.org/field-guide"
    assert parsed.document.source == str(path)


def test_front_matter_never_becomes_a_passage(write: Write) -> None:
    parsed = markdown.parse(write("guide.md", HANDBOOK), HANDBOOK)
    texts = " ".join(p.text for p in parsed.passages)
    assert "title:" not in texts
    assert "example.org" not in texts
    assert "roles" not in texts


def test_url_key_is_accepted_too(write: Write) -> None:
    content = "---\ntitle: Notes\nurl: 'https://example.org/n'\n---\nSome text here.\n"
    parsed = markdown.parse(write("n.md", content), content)
    assert parsed.document.url == "https://example.org/n"


def test_h1_matching_title_is_the_title_section(write: Write) -> None:
    parsed = markdown.parse(write("guide.md", HANDBOOK), HANDBOOK)
    assert [(s.path, s.level) for s in parsed.sections] == [
        (("Field guide",), 1),
        (("Field guide", "Gardener (GDN)"), 2),
        (("Field guide", "Appendix"), 2),
        (("Field guide", "Appendix", "Glossary"), 3),
    ]


def test_passages_are_paragraphs_and_list_items_in_order(write: Write) -> None:
    parsed = markdown.parse(write("guide.md", HANDBOOK), HANDBOOK)
    assert [(p.position, p.section.heading, p.text) for p in parsed.passages] == [
        (0, "Field guide", "Words before any heading."),
        (1, "Gardener (GDN)", "Soil care: tests the ground every spring. Then adds compost."),
        (2, "Gardener (GDN)", "Second paragraph about watering."),
        (3, "Gardener (GDN)", "first item of the list"),
        (4, "Gardener (GDN)", "second item of the list"),
        (5, "Gardener (GDN)", "nested item of the list"),
        (6, "Gardener (GDN)", "third item continued on a new line"),
        (7, "Glossary", "loam means good soil"),
    ]


def test_first_h1_is_the_title_without_front_matter(write: Write) -> None:
    content = "# Kitchen roles\n\nIntro text.\n\n## Chef\n\nCooks.\n\n# Extras\n\nMore.\n"
    parsed = markdown.parse(write("k.md", content), content)
    assert parsed.document.title == "Kitchen roles"
    assert parsed.document.url is None
    assert [s.path for s in parsed.sections] == [
        ("Kitchen roles",),
        ("Kitchen roles", "Chef"),
        ("Kitchen roles", "Extras"),
    ]
    assert parsed.passages[0].section.path == ("Kitchen roles",)


def test_title_falls_back_to_file_stem(write: Write) -> None:
    content = "## Only a second-level heading\n\nSome text.\n"
    parsed = markdown.parse(write("crew-notes.md", content), content)
    assert parsed.document.title == "crew-notes"
    assert parsed.sections[1].path == ("crew-notes", "Only a second-level heading")
    assert parsed.sections[1].level == 2


def test_front_matter_title_differing_from_h1_nests_the_h1(write: Write) -> None:
    content = "---\ntitle: Library\n---\n# Shelf one\n\nBooks.\n\n## Top row\n\nAtlases.\n"
    parsed = markdown.parse(write("lib.md", content), content)
    assert [(s.path, s.level) for s in parsed.sections] == [
        (("Library",), 1),
        (("Library", "Shelf one"), 2),
        (("Library", "Shelf one", "Top row"), 3),
    ]


def test_empty_sections_are_kept(write: Write) -> None:
    content = "# Doc\n\n## Empty\n\n## Full\n\nText.\n"
    parsed = markdown.parse(write("d.md", content), content)
    assert [s.heading for s in parsed.sections] == ["Doc", "Empty", "Full"]
    assert [p.section.heading for p in parsed.passages] == ["Full"]


def test_unclosed_front_matter_is_body(write: Write) -> None:
    content = "---\ntitle: never closed\n\nA paragraph of the body.\n"
    parsed = markdown.parse(write("open.md", content), content)
    assert parsed.document.title == "open"
    assert any(p.text.endswith("A paragraph of the body.") for p in parsed.passages)
