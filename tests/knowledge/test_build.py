"""DocumentBuilder rules shared by every format: fragments, long passages, navigation."""

from __future__ import annotations

import pytest

from knowledge.loaders._build import DocumentBuilder
from knowledge.loaders._rules import (
    MAX_PASSAGE_CHARS,
    heading_text,
    is_navigation,
    is_navigation_heading,
    is_page_metadata,
    sentences,
)
from knowledge.model import Document

LONG_SENTENCE = "The harbour master keeps a written record of every boat that enters the port."


def _builder() -> DocumentBuilder:
    return DocumentBuilder(Document(title="Harbour", source="harbour.md"))


def _texts(builder: DocumentBuilder) -> list[tuple[str, str]]:
    return [(p.section.heading, p.text) for p in builder.build().passages]


def test_fragment_joins_the_following_passage_of_its_section() -> None:
    builder = _builder()
    builder.heading(2, "Duties")
    builder.paragraph("every morning,")
    builder.paragraph("Have your charts and radio with you.")
    assert _texts(builder) == [("Duties", "every morning, Have your charts and radio with you.")]


@pytest.mark.parametrize(
    ("title", "joined"),
    [
        ("Prepare", "Prepare: Have your charts and radio with you."),
        ("Night watch & radio", "Night watch & radio: Have your charts and radio with you."),
        ("Days 2–5", "Days 2–5: Have your charts and radio with you."),
        ("(pause)", "(pause) Have your charts and radio with you."),
        ("Bob: Understood", "Bob: Understood Have your charts and radio with you."),
        ("Ready now.", "Ready now. Have your charts and radio with you."),
    ],
)
def test_a_line_of_words_alone_titles_the_passage_after_it(title: str, joined: str) -> None:
    builder = _builder()
    builder.heading(2, "Duties")
    builder.paragraph(title)
    builder.paragraph("Have your charts and radio with you.")
    assert _texts(builder) == [("Duties", joined)]


def test_fragment_last_in_its_section_joins_the_previous_passage() -> None:
    builder = _builder()
    builder.heading(2, "Duties")
    builder.paragraph("Checks the moorings every morning.")
    builder.paragraph("Ships regularly.")
    builder.heading(2, "Tools")
    builder.paragraph("Ropes, fenders and a good radio.")
    assert _texts(builder) == [
        ("Duties", "Checks the moorings every morning. Ships regularly."),
        ("Tools", "Ropes, fenders and a good radio."),
    ]


def test_fragments_never_cross_a_section_boundary() -> None:
    builder = _builder()
    builder.heading(2, "Duties")
    builder.paragraph("Checks the moorings every morning.")
    builder.heading(2, "Tenure")
    builder.paragraph("~2 years")
    assert _texts(builder) == [
        ("Duties", "Checks the moorings every morning."),
        ("Tenure", "~2 years"),
    ]


def test_consecutive_fragments_gather_until_a_passage() -> None:
    builder = _builder()
    builder.paragraph("Scope")
    builder.paragraph("Ships often.")
    builder.paragraph("Writes clear logs for the next crew.")
    assert _texts(builder) == [
        ("Harbour", "Scope: Ships often. Writes clear logs for the next crew.")
    ]


def test_long_passage_is_split_on_sentences_keeping_its_section() -> None:
    builder = _builder()
    builder.heading(2, "Records")
    text = " ".join([LONG_SENTENCE] * 12)
    builder.paragraph(text)
    passages = builder.build().passages
    assert len(passages) > 1
    assert all(len(p.text) <= MAX_PASSAGE_CHARS for p in passages)
    assert all(p.section.heading == "Records" for p in passages)
    assert all(p.text.endswith("port.") for p in passages)
    assert " ".join(p.text for p in passages) == text
    assert [p.position for p in passages] == list(range(len(passages)))


def test_long_passage_pieces_are_of_similar_size() -> None:
    builder = _builder()
    builder.paragraph(" ".join([LONG_SENTENCE] * 9))  # about 700 characters
    lengths = [len(p.text) for p in builder.build().passages]
    assert len(lengths) == 2
    assert max(lengths) - min(lengths) < 2 * len(LONG_SENTENCE)


def test_sentence_without_full_stops_is_cut_between_words() -> None:
    builder = _builder()
    builder.paragraph(" ".join(["word"] * 400))
    passages = builder.build().passages
    assert all(len(p.text) <= MAX_PASSAGE_CHARS for p in passages)
    assert sum(len(p.text.split()) for p in passages) == 400


def test_lead_starts_every_piece_of_a_split_passage() -> None:
    builder = _builder()
    items = [f"Item {n} is logged in the harbour book by the clerk" for n in range(40)]
    builder.paragraph(items, lead="Level: 3 · Duties:", glue="; ")
    passages = builder.build().passages
    assert len(passages) > 1
    assert all(p.text.startswith("Level: 3 · Duties: Item") for p in passages)
    assert all(len(p.text) <= MAX_PASSAGE_CHARS for p in passages)
    assert "clerk; Item 1 " in passages[0].text


def test_text_under_a_navigation_heading_is_dropped_but_the_section_kept() -> None:
    builder = _builder()
    builder.heading(2, "See also")
    builder.paragraph("The tide tables and the mooring guide are worth reading.")
    builder.heading(2, "Tides")
    builder.paragraph("Tides turn twice a day in the harbour.")
    parsed = builder.build()
    assert [s.heading for s in parsed.sections] == ["Harbour", "See also", "Tides"]
    assert [p.text for p in parsed.passages] == ["Tides turn twice a day in the harbour."]


def test_navigation_headings() -> None:
    for heading in ("See also", "Related pages", "Table of contents", "Contents", "See Also:"):
        assert is_navigation_heading(heading)
    assert not is_navigation_heading("Responsibilities")


def test_navigation_text_is_link_text_with_only_glue_words_around_it() -> None:
    assert is_navigation("Tide tables", "Tide tables")
    assert is_navigation("See the tide tables and mooring guide", "tide tables mooring guide")
    assert is_navigation("Read more: Tide tables", "Tide tables")
    assert not is_navigation("Engineering Manager: owns hiring and delivery", "Engineering Manager")
    assert not is_navigation("Take a look at our training guide.", "training guide")
    assert not is_navigation("Follow our Internal Liaison training.", "Internal Liaison training")
    assert not is_navigation("No links here at all.", "")


def test_sentences_do_not_end_after_eg() -> None:
    assert sentences("Uses tools, e.g. Git and Make. Then ships. Done!") == [
        "Uses tools, e.g. Git and Make.",
        "Then ships.",
        "Done!",
    ]


def test_a_short_lead_in_joins_the_passage_it_introduces() -> None:
    builder = _builder()
    builder.heading(2, "Duties")
    builder.paragraph("The deputy is expected to:")
    builder.paragraph("Bring up issues the commander may miss.", item=True)
    builder.paragraph("Keep an eye on the timers that were started.", item=True)
    assert _texts(builder) == [
        ("Duties", "The deputy is expected to: Bring up issues the commander may miss."),
        ("Duties", "Keep an eye on the timers that were started."),
    ]


def test_short_items_after_an_introduction_stay_together() -> None:
    for intro in ("Levels:", "Each level is one stage of a career:"):
        builder = _builder()
        builder.paragraph(intro)
        for level in ("Junior Engineer", "Engineer", "Senior Engineer 1"):
            builder.paragraph(level, item=True)
        builder.paragraph("Competencies are not defined for juniors yet.")
        assert [t for _, t in _texts(builder)] == [
            f"{intro} Junior Engineer; Engineer; Senior Engineer 1",
            "Competencies are not defined for juniors yet.",
        ]


def test_page_metadata_lines_are_no_passage_but_sentences_opening_alike_are() -> None:
    for line in (
        "Created by: Dana Ops Last edited: March 3, 2025 4:12 PM Tags: handbook",
        "Created by Sam Lee, last modified by Ana Ruiz on Jan 12, 2025",
        "Last updated: 3 March 2025",
        "Published on 2 May 2024",
    ):
        assert is_page_metadata(line), line
    for line in (
        "Created in 2019, the harbour office keeps a record of every boat in the port.",
        "Lasting changes to the harbour rules need the harbour master's sign-off.",
    ):
        assert not is_page_metadata(line), line
    builder = _builder()
    builder.heading(2, "Duties")
    builder.paragraph("Last updated: 3 March 2025")
    builder.paragraph(LONG_SENTENCE)
    assert _texts(builder) == [("Duties", LONG_SENTENCE)]


@pytest.mark.parametrize(
    ("heading", "read"),
    [
        ("Tech Lead ¶", "Tech Lead"),
        ("Tech Lead¶", "Tech Lead"),
        ("Engineering Manager #", "Engineering Manager"),
        ("🔗 Levels", "Levels"),
        ("Learning C#", "Learning C#"),
        ("ENGINEERING MANAGER", "Engineering Manager"),
        ("PM AND QA RESPONSIBILITIES", "PM and QA Responsibilities"),
        ("FAQ", "FAQ"),
        ("Tech Lead", "Tech Lead"),
        ("ROLES OF THE TEAM ¶", "Roles of the Team"),
    ],
)
def test_headings_lose_permalink_marks_and_capitals_read_in_title_case(
    heading: str, read: str
) -> None:
    assert heading_text(heading) == read


def test_a_heading_is_cited_without_its_permalink_mark() -> None:
    builder = _builder()
    builder.heading(2, "Duties ¶")
    builder.paragraph(LONG_SENTENCE)
    assert _texts(builder) == [("Duties", LONG_SENTENCE)]
