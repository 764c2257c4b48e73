"""Plain-text loader: headings inferred from line shape, web-page chrome dropped."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from knowledge.loaders import load_knowledge, load_path, text

Write = Callable[[str, str], Path]

SEED_TITLE = (
    "Understanding the Differences Between Product Manager and Technical Product Manager Roles"
)
SEED_HEADINGS = [
    SEED_TITLE,
    "The Role of a Product Manager (PM)",
    "Focus of a Product Manager (PM)",
    "Responsibilities of a Product Manager (PM)",
    "Skills Required for a Product Manager (PM)",
    "The Role of a Technical Product Manager (TPM)",
    "Focus of a Technical Product Manager (TPM)",
    "Responsibilities of a Technical Product Manager (TPM)",
    "Skills Required for a Technical Product Manager (TPM)",
    "Summary: Differences Between PM and TPM Roles",
]


@pytest.fixture
def seed(seed_article: Path):
    return text.parse(seed_article, seed_article.read_text(encoding="utf-8"))


def test_seed_sections_are_exactly_the_article_headings(seed) -> None:
    assert seed.document.title == SEED_TITLE
    assert [s.heading for s in seed.sections] == SEED_HEADINGS
    assert seed.sections[0].path == (SEED_TITLE,)
    assert seed.sections[0].level == 1
    for section in seed.sections[1:]:
        assert section.path == (SEED_TITLE, section.heading)
        assert section.level == 2


def test_seed_noise_never_becomes_text(seed, seed_article: Path) -> None:
    lines = [line.strip() for line in seed_article.read_text(encoding="utf-8").splitlines()]
    truncated = [
        line for line in lines if line and line != SEED_TITLE and SEED_TITLE.startswith(line)
    ]
    assert truncated, "the seed is expected to hold a truncated copy of its title"
    everything = [p.text for p in seed.passages] + [h for s in seed.sections for h in s.path]
    for text_ in everything:
        assert "Location:" not in text_
        assert "1431" not in text_
        assert not any(text_.startswith(t) and text_ != SEED_TITLE for t in truncated)
    assert lines[0] not in everything  # the site name above the title


def test_seed_passages_are_verbatim_lines_in_order(seed, seed_article: Path) -> None:
    lines = {" ".join(line.split()) for line in seed_article.read_text("utf-8").splitlines()}
    assert len(seed.passages) == 23
    assert [p.position for p in seed.passages] == list(range(23))
    for passage in seed.passages:
        assert passage.text in lines
        assert len(passage.text.split()) > 12


def test_seed_intro_belongs_to_title_and_run_in_labels_stay_paragraphs(seed) -> None:
    assert seed.passages[0].section.path == (SEED_TITLE,)
    assert seed.passages[0].text.startswith("In the dynamic world")
    focus = [p for p in seed.passages if p.section.heading == "Focus of a Product Manager (PM)"]
    assert [p.text.split(":")[0] for p in focus] == [
        "Market and Customer Focus",
        "External Stakeholder Engagement",
    ]


def test_seed_roles_are_tagged(seed_article: Path) -> None:
    knowledge = load_knowledge([seed_article])
    roles = {s.heading: s.roles for s in knowledge.sections}
    assert roles["Focus of a Technical Product Manager (TPM)"] == ("TPM",)
    assert roles["Summary: Differences Between PM and TPM Roles"] == ("PM", "TPM")
    assert roles["Focus of a Product Manager (PM)"] == ("PM",)


def test_seed_loads_through_load_path(seed_article: Path) -> None:
    (parsed,) = load_path(seed_article)
    assert parsed.document.source == str(seed_article)
    assert parsed.document.url is None
    assert len(parsed.sections) == len(SEED_HEADINGS)


NOTES = """Crew notes

Overview
This file keeps what the crew agreed on during the spring planning week.

Open questions

- Who repairs the nets?
- When do we sail
  for the northern grounds?

Plan: three weeks at sea, then a week in port.

Decisions

Leave on Monday. Return before the storms.
"""


def test_clean_notes_first_line_is_title(write: Write) -> None:
    parsed = text.parse(write("notes.txt", NOTES), NOTES)
    assert parsed.document.title == "Crew notes"
    assert [s.path for s in parsed.sections] == [
        ("Crew notes",),
        ("Crew notes", "Overview"),
        ("Crew notes", "Open questions"),
        ("Crew notes", "Decisions"),
    ]
    assert [(p.section.heading, p.text) for p in parsed.passages] == [
        ("Overview", "This file keeps what the crew agreed on during the spring planning week."),
        ("Open questions", "Who repairs the nets?"),
        ("Open questions", "When do we sail for the northern grounds?"),
        ("Open questions", "Plan: three weeks at sea, then a week in port."),
        ("Decisions", "Leave on Monday. Return before the storms."),
    ]


def test_underlined_headings_and_wrapped_paragraphs(write: Write) -> None:
    content = (
        "Harbour guide\n=============\n\n"
        "A paragraph that is wrapped at a fixed width so that it runs\n"
        "over two lines of the file.\n\n"
        "Moorings\n--------\nBoats tie up at the east wall.\n"
    )
    parsed = text.parse(write("harbour.txt", content), content)
    assert parsed.document.title == "Harbour guide"
    assert [s.heading for s in parsed.sections] == ["Harbour guide", "Moorings"]
    assert parsed.passages[0].text == (
        "A paragraph that is wrapped at a fixed width so that it runs over two lines of the file."
    )
    assert parsed.passages[1].section.heading == "Moorings"


def test_no_heading_uses_file_stem(write: Write) -> None:
    content = "Only prose here. Nothing else.\n\nA second paragraph, also prose."
    parsed = text.parse(write("loose-prose.txt", content), content)
    assert parsed.document.title == "loose-prose"
    assert [s.path for s in parsed.sections] == [("loose-prose",)]
    assert len(parsed.passages) == 2


def test_generic_web_dump_without_repeated_title(write: Write) -> None:
    content = (
        "Brandname\n\nHome > Guides > Boats\n\nGuides\n\n"
        "How to Choose a Rowing Boat\n\nMarch 3, 2024 Guides 210 views\n\n"
        "Picking a boat starts with where you will row and how often you go out.\n\n"
        "Hull Shape\n\nNarrow hulls are fast, while wide hulls are steady in waves.\n"
    )
    parsed = text.parse(write("dump.txt", content), content)
    assert parsed.document.title == "How to Choose a Rowing Boat"
    assert [s.heading for s in parsed.sections] == ["How to Choose a Rowing Boat", "Hull Shape"]
    assert parsed.passages[0].section.heading == "How to Choose a Rowing Boat"
    assert len(parsed.passages) == 2


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("Summary: Differences Between Two Roles", True),
        ("Skills Required for a Navigator (NAV)", True),
        ("Label: this reads as a sentence. It has two.", False),
        ("A complete sentence that ends with a full stop.", False),
        ("- a bullet item", False),
        ("1234", False),
        ("one two three four five six seven eight nine ten eleven twelve thirteen", False),
    ],
)
def test_is_heading_like(line: str, heading: bool) -> None:
    assert text.is_heading_like(line) is heading


NUMBERED = """HARBOUR ROLES AT PORT ELLEN

1. HARBOUR MASTER

The harbour master keeps a record of every boat that enters the port.

1.1 Duties

- Assigning berths to visiting boats.
- Checking the tide tables every morning.

2. PILOT AND QA LEAD

The pilot guides large ships through the channel.

Before sailing, the pilot checks two things.

1. Check the weather

2. Load the nets

Boats leave at dawn and return before dark every day.
"""


def test_numbered_headings_nest_by_their_number_and_capitals_read_in_title_case(
    write: Write,
) -> None:
    parsed = text.parse(write("harbour.txt", NUMBERED), NUMBERED)
    assert parsed.document.title == "Harbour Roles at Port Ellen"
    assert [s.path[1:] for s in parsed.sections[1:]] == [
        ("1. Harbour Master",),
        ("1. Harbour Master", "1.1 Duties"),
        ("2. Pilot and QA Lead",),
    ]
    items = [p.text for p in parsed.passages if p.section.heading == "2. Pilot and QA Lead"]
    assert "Check the weather" in " ".join(items)  # a numbered list stays text


def test_a_printed_pages_running_header_is_neither_title_nor_text(write: Write) -> None:
    content = (
        "Lumen Health Confidential  Page 1 of 2\n\nNurse Coordinator\n\n"
        "Position Summary\n\nThe nurse coordinator plans patient visits with the care team.\n\n"
        "Lumen Health Confidential  Page 2 of 2\n\n"
        "Qualifications\n\nA registered nurse licence and two years on a ward.\n"
    )
    parsed = text.parse(write("job.txt", content), content)
    assert parsed.document.title == "Nurse Coordinator"
    assert [(p.section.heading, p.text) for p in parsed.passages] == [
        ("Position Summary", "The nurse coordinator plans patient visits with the care team."),
        ("Qualifications", "A registered nurse licence and two years on a ward."),
    ]


def test_a_block_of_term_and_definition_lines_is_one_passage_a_term(write: Write) -> None:
    content = (
        "Data glossary\n\n"
        "Backfill - Rerunning a pipeline for past dates so history is corrected.\n"
        "Shadow on-call - Joining the rota beside an experienced engineer.\n"
        "Grain: the level of detail of a table, what one row stands for.\n"
    )
    parsed = text.parse(write("glossary.txt", content), content)
    assert [p.text.split()[0] for p in parsed.passages] == ["Backfill", "Shadow", "Grain:"]


def test_bullet_lines_are_list_items_and_paragraphs_are_not(write: Write) -> None:
    content = (
        "Nurse Coordinator\n\nKey Responsibilities\n\n"
        "The coordinator keeps the study visits running on time.\n\n"
        "• Plans each participant's visits with the study team.\n"
        "• Takes over scheduling when a coordinator is on leave.\n"
    )
    parsed = text.parse(write("job.txt", content), content)
    assert [p.item for p in parsed.passages] == [False, True, True]


def test_a_word_processor_export_keeps_its_facts_lead_ins_and_second_level_bullets(
    write: Write,
) -> None:
    content = (
        "Nurse Coordinator – Job Description\n\n"
        "Department:\tClinical Operations\nReports to: Director of Clinical Operations\n\n"
        "Position Summary\nThe nurse coordinator plans patient visits with the care team.\n\n"
        "Qualifications\nRequired:\n"
        "•\tAn active Registered Nurse licence in the state where you work\n"
        "•\tAt least two years of hospital or clinic nursing experience\n"
        "Preferred:\n"
        "•\tPhlebotomy experience from a hospital ward or a clinic\n"
        "o\tPediatric phlebotomy is a plus for our asthma studies\n"
    )
    parsed = text.parse(write("job.txt", content), content)
    by_heading = [(p.section.heading, p.text, p.item) for p in parsed.passages]
    # the header's "Label: value" lines are facts of the title section, not headings
    assert by_heading[0][0] == "Nurse Coordinator – Job Description"
    assert "Reports to: Director of Clinical Operations" in by_heading[0][1]
    qualifications = [(t, item) for h, t, item in by_heading if h == "Qualifications"]
    assert ("At least two years of hospital or clinic nursing experience", True) in qualifications
    # the lead-in is not glued to the item above it, and "o" is a bullet of its own
    assert not any(t.endswith("Preferred:") for t, _ in qualifications)
    assert ("Pediatric phlebotomy is a plus for our asthma studies", True) in qualifications
