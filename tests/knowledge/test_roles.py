"""Roles are discovered from 'Name (ABBR)' headings; nothing here is specific to PM or TPM."""

from __future__ import annotations

import pytest

from knowledge.model import Document, ParsedDocument, Passage, Section
from knowledge.roles import (
    ask_which_role,
    discover_roles,
    roles_named,
    section_roles,
    spell_out_titles,
    tag_roles,
)

HEADINGS = [
    "Engineering Roles Guide",
    "Product Manager (PM)",
    "Focus",
    "Responsibilities of a Technical Product Manager (TPM)",
    "Skills",
    "Site Reliability Engineer (SRE)",
    "PM vs TPM",
]


@pytest.fixture(scope="module")
def roles():
    return discover_roles(HEADINGS)


def test_roles_declared_as_name_and_abbreviation_are_discovered_in_order(roles):
    assert [(r.key, r.name) for r in roles] == [
        ("PM", "Product Manager"),
        ("TPM", "Technical Product Manager"),
        ("SRE", "Site Reliability Engineer"),
    ]


def test_discovered_role_aliases_cover_abbreviation_name_and_plurals(roles):
    sre = roles[2]

    assert set(sre.aliases) >= {
        "SRE",
        "SREs",
        "Site Reliability Engineer",
        "Site Reliability Engineers",
    }
    assert sre.label == "Site Reliability Engineer (SRE)"


def test_leading_words_before_the_role_name_are_not_part_of_it():
    (role,) = discover_roles(["The Role of a Data Scientist (DS)"])

    assert (role.key, role.name) == ("DS", "Data Scientist")


@pytest.mark.parametrize(
    "heading",
    ["Summary (2024)", "Next Steps (TBD)", "Overview", "Product Manager", "pm (PM)"],
)
def test_headings_that_do_not_spell_out_an_abbreviation_declare_no_role(heading):
    assert discover_roles([heading]) == ()


def test_a_role_declared_twice_is_discovered_once():
    roles = discover_roles(["Product Manager (PM)", "Skills of a Product Manager (PM)"])

    assert [r.key for r in roles] == ["PM"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("What does a Technical Product Manager do?", ("TPM",)),
        ("what does a technical product manager do?", ("TPM",)),
        ("What does a Product Manager do?", ("PM",)),
        ("tpm vs pm", ("TPM", "PM")),
        ("PMs and TPMs", ("PM", "TPM")),
        ("How do SREs and product managers work together?", ("SRE", "PM")),
        ("Ask a site reliability engineer", ("SRE",)),
        ("How do I npm install the bot?", ()),
        ("Who owns the roadmap?", ()),
    ],
)
def test_roles_named_prefers_the_longest_name_and_keeps_text_order(roles, text, expected):
    assert roles_named(text, roles) == expected


def _document(paths: list[tuple[str, ...]]) -> ParsedDocument:
    document = Document(title=paths[0][0], source="guide.md")
    sections = tuple(
        Section(document=document, heading=path[-1], path=path, level=len(path)) for path in paths
    )
    passages = tuple(
        Passage(section=s, text=f"Text under {s.heading}.", position=i)
        for i, s in enumerate(sections)
    )
    return ParsedDocument(document=document, sections=sections, passages=passages)


def test_tag_roles_inherits_the_role_of_the_nearest_heading_that_names_one():
    title = "Engineering Roles Guide"
    sre = "Site Reliability Engineer (SRE)"
    paths = [
        (title,),
        (title, sre),
        (title, sre, "Skills"),
        (title, "Product Manager (PM)"),
        (title, "Technical Product Manager (TPM)", "Skills"),
        (title, "PM vs TPM"),
        (title, "PM vs TPM", "Working together"),
    ]
    roles = discover_roles(h for path in paths for h in path)

    (tagged,) = tag_roles((_document(paths),), roles)

    assert [s.roles for s in tagged.sections] == [
        (),
        ("SRE",),
        ("SRE",),
        ("PM",),
        ("TPM",),
        ("PM", "TPM"),
        ("PM", "TPM"),
    ]
    assert [p.section.roles for p in tagged.passages] == [s.roles for s in tagged.sections]
    assert tagged.sections[5].is_comparison


def test_tag_roles_keeps_sections_that_share_a_heading_path():
    title = "Guide"
    paths = [
        (title,),
        (title, "Site Reliability Engineer (SRE)"),
        (title, "Site Reliability Engineer (SRE)"),
    ]
    roles = discover_roles(h for path in paths for h in path)

    (tagged,) = tag_roles((_document(paths),), roles)

    assert len(tagged.sections) == 3
    assert len({id(p.section) for p in tagged.passages}) == 3
    assert [p.text for p in tagged.passages] == [
        "Text under Guide.",
        "Text under Site Reliability Engineer (SRE).",
        "Text under Site Reliability Engineer (SRE).",
    ]


def test_a_heading_setting_its_role_against_another_is_about_both(roles):
    path = ("Roles", "Technical Product Manager (TPM)", "What changes from a PM")

    assert section_roles(path, roles) == ("TPM", "PM")
    assert section_roles(
        ("Roles", "Technical Product Manager (TPM)", "Working with a PM"), roles
    ) == ("PM",)


def test_title_naming_roles_is_the_last_resort(roles):
    path = ("PM and TPM handbook", "Introduction")

    assert section_roles(path, roles) == ("PM", "TPM")
    assert section_roles(("Handbook", "Introduction"), roles) == ()


@pytest.mark.parametrize(
    "title", ["site_reliability_engineer", "site-reliability-engineer", "product_manager"]
)
def test_a_file_name_title_names_the_role_its_words_spell(roles, title):
    expected = ("SRE",) if "reliability" in title else ("PM",)

    assert section_roles((title, "Before going on-call"), roles) == expected


def test_words_joined_by_hyphens_inside_a_sentence_heading_stay_joined(roles):
    assert section_roles(("Working with site-reliability-engineer tooling",), roles) == ()


def test_job_titles_without_an_abbreviation_are_roles_too() -> None:
    from knowledge.roles import discover_roles, discover_titles

    headings = [
        "Careers in Data",
        "The Data Scientist",
        "Working With The Engineering Manager",
        "Differences Between Product Manager and Technical Product Manager Roles",
        "Technical Product Manager (TPM)",
        "Product Manager (PM)",
    ]
    declared = discover_roles(headings)
    titles = discover_titles(headings, declared)
    assert [r.key for r in declared] == ["TPM", "PM"]
    # Title-case glue words are cut off, and known roles are not declared twice.
    assert [r.name for r in titles] == ["Data Scientist", "Engineering Manager"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("which PM type works with engineers?", "which role works with engineers?"),
        ("What kind of product manager writes specs", "which role writes specs"),
        ("which sort of a PM is best at pricing", "which role is best at pricing"),
    ],
)
def test_asking_for_a_kind_of_a_role_family_asks_which_role(roles, text, expected):
    rewritten = ask_which_role(text, roles)
    assert rewritten == expected
    assert roles_named(rewritten, roles) == ()


@pytest.mark.parametrize(
    "text",
    [
        "which kind of TPM writes code",  # no other role's name extends TPM's
        "which PM owns pricing",  # one PM asked about, not a kind of PM
        "what type of products does a PM build",
    ],
)
def test_other_questions_keep_their_role_names(roles, text):
    assert ask_which_role(text, roles) == text


# -- roles from any handbook ---------------------------------------------------------------


def _keys(headings: list[str], texts: list[str] = ()) -> list[str]:
    from knowledge.roles import discover

    return [role.key for role in discover(headings, list(texts))]


def test_a_head_that_qualifies_the_next_word_names_no_title() -> None:
    from knowledge.roles import discover_titles

    headings = ["Provide Executive Status Updates", "Account Executives", "Sales Partner Program"]
    assert [r.name for r in discover_titles(headings, ())] == ["Account Executive"]


def test_a_title_a_heading_opens_with_is_a_role_but_a_verb_is_not() -> None:
    keys = _keys(["Analyst career path", "Engineer", "Scribe", "Lead by example"])
    assert keys == ["Analyst", "Engineer", "Scribe"]


def test_a_head_noun_opening_a_heading_about_a_thing_is_no_role() -> None:
    assert _keys(["Editor setup", "Developer track", "Controller settings"]) == ["Developer"]
    assert _keys(["Specialists on the same ladder"]) == []


@pytest.mark.parametrize("titles_only", [False, True])
def test_a_title_in_sentence_case_declares_its_abbreviation(titles_only) -> None:
    lines = ["Product managers (PMs) are accountable for:", "Ask our tech lead (TL) first."]

    roles = discover_roles(lines, titles_only=titles_only)

    assert [(r.key, r.name) for r in roles] == [("PM", "Product Manager"), ("TL", "Tech Lead")]
    assert "Product Managers" in roles[0].aliases


def test_words_in_lower_case_declare_no_role_unless_they_end_in_a_job_title() -> None:
    headings = ["Objectives and key results (OKRs)", "Service level objectives (SLOs)"]

    assert discover_roles(headings) == ()
    assert [r.key for r in discover_roles(["Service Level Objective (SLO)"])] == ["SLO"]


def test_an_abbreviation_defined_in_the_text_declares_a_role_only_for_a_job_title() -> None:
    texts = [
        "Page a Subject Matter Expert (SME) when the service is down.",
        "Our Service Level Agreement (SLA) says four hours.",
    ]
    assert _keys(["On call"], texts) == ["SME"]


def test_a_title_used_twice_in_the_text_is_a_role_once_is_not() -> None:
    texts = [
        "Title: Senior Analyst · Scope: one team",
        "A Senior Analyst mentors others. The Staff Writer reviews.",
    ]
    assert _keys(["Levels"], texts) == ["Senior Analyst"]


def test_a_senior_title_in_the_text_is_a_role_beside_the_title_a_heading_names() -> None:
    texts = ["Level: D2 · Title: Senior Product Designer", "A Senior Product Designer leads."]

    assert _keys(["Product Designer"], texts) == ["Product Designer", "Senior Product Designer"]


def test_level_codes_name_their_titles_or_stand_as_roles_of_their_own() -> None:
    from knowledge.roles import discover

    roles = discover(["Ladder", "Principal Analyst (IC6)", "A3 - Analyst 3", "L5"], [])
    by_key = {role.key: role for role in roles}
    assert "IC6" in by_key["Principal Analyst"].aliases
    assert "A3" in by_key["Analyst"].aliases
    assert "L5" in by_key


def test_a_head_and_its_field_is_a_title() -> None:
    from knowledge.roles import discover

    roles = {r.key: r for r in discover(["Team", "Head of Data", "Reports to the VP of Sales"], [])}
    assert set(roles) == {"Head of Data", "VP of Sales"}
    assert "Heads of Data" in roles["Head of Data"].aliases


def test_a_level_in_roman_numerals_is_part_of_the_title_and_named_in_digits_too() -> None:
    from knowledge.roles import discover

    headings = [
        "Ladder",
        "Support Specialist I",
        "Support Specialist II",
        "When Senior Engineer I was hired",
    ]
    roles = {r.key: r for r in discover(headings, [])}
    assert {"Support Specialist I", "Support Specialist II"} <= set(roles)
    assert "Support Specialist 2" in roles["Support Specialist II"].aliases
    assert "Support Specialists II" in roles["Support Specialist II"].aliases
    assert not any(key.endswith("Engineer I") for key in roles)  # the pronoun, not a level


def test_a_level_code_names_a_head_and_its_field() -> None:
    from knowledge.roles import discover

    roles = {r.key: r for r in discover(["Ladder", "M3 — Director of Engineering"], [])}
    assert "M3" in roles["Director of Engineering"].aliases


def test_a_plural_abbreviation_declares_the_singular_role() -> None:
    (role,) = discover_roles(["Engineering Managers (EMs) run the team."])
    assert (role.key, role.name) == ("EM", "Engineering Manager")
    assert {"EM", "EMs", "Engineering Manager", "Engineering Managers"} == set(role.aliases)


def test_a_question_heading_names_the_title_without_its_question_words() -> None:
    assert _keys(["FAQ", "Do QA Engineers write automated tests?"]) == ["QA Engineer"]


def test_a_title_led_by_a_level_code_is_named_by_the_code_and_by_the_title_alone() -> None:
    from knowledge.roles import discover

    columns = "L1 Engineer: a · L2 Engineer: b · L3 Senior Engineer: c"
    roles = {r.key: r for r in discover(["Matrix"], [columns, columns])}
    assert {"L3", "Senior Engineer"} <= set(roles["L3 Senior Engineer"].aliases)
    # Two codes share the title "Engineer": it names neither.
    assert "L1" in roles["L1 Engineer"].aliases
    assert "Engineer" not in roles["L1 Engineer"].aliases + roles["L2 Engineer"].aliases


def test_a_table_cell_is_about_the_one_role_its_lead_names() -> None:
    from knowledge.roles import discover

    doc = Document(title="Matrix", source="m.md")
    section = Section(document=doc, heading="Matrix", path=("Matrix",), level=1)
    texts = [
        "Competency: Mentoring · L3 Senior Engineer: Mentors an L2 Engineer.",
        "Competency: Mentoring · L2 Engineer: Pairs with new hires.",
        "The L2 Engineer and the L3 Senior Engineer share a rota.",
    ]
    leads = [
        "Competency: Mentoring · L3 Senior Engineer:",
        "Competency: Mentoring · L2 Engineer:",
        "",
    ]
    passages = tuple(
        Passage(section=section, text=t, position=i, lead=lead)
        for i, (t, lead) in enumerate(zip(texts, leads, strict=True))
    )
    roles = discover(["Matrix"], texts)
    (tagged,) = tag_roles((ParsedDocument(doc, (section,), passages),), roles)
    assert [p.roles for p in tagged.passages] == [("L3 Senior Engineer",), ("L2 Engineer",), ()]


def test_roles_are_found_in_every_shared_corpus() -> None:
    from support.paths import SHARED

    from knowledge import load_knowledge

    expected = {
        "infracloud": {"Associate Engineer", "Senior Engineer", "Staff Engineer", "Engineer"},
        "pagerduty": {"IC", "SME", "Customer Liaison", "Deputy", "Scribe"},
        "sourcegraph": {"EM", "PM", "TL", "Product Designer"},
    }
    for corpus, keys in expected.items():
        found = {r.key for r in load_knowledge([SHARED / "corpora" / corpus / "docs"]).roles}
        assert keys <= found, (corpus, found)


def test_a_table_row_is_about_the_role_its_label_is_not_one_its_label_mentions(tmp_path) -> None:
    from knowledge import load_knowledge

    (tmp_path / "levels.md").write_text(
        "# Levels\n\n## E2 — Software Engineer I\nOwns tasks.\n\n## Glance\n\n"
        "| Level | Title | Scope |\n| --- | --- | --- |\n"
        "| E2 | Software Engineer I | Features |\n"
        "| Hiring new Software Engineers I | Yes | All |\n",
        encoding="utf-8",
    )
    knowledge = load_knowledge([tmp_path])
    rows = [p for p in knowledge.passages if p.section.heading == "Glance"]
    assert [(p.text, p.roles) for p in rows] == [
        ("Level: E2 · Title: Software Engineer I · Scope: Features", ("Software Engineer I",)),
        ("Level: Hiring new Software Engineers I · Title: Yes · Scope: All", ()),
    ]


def test_a_table_row_labelled_by_a_code_alone_is_about_the_title_a_cell_holds(tmp_path) -> None:
    from knowledge import load_knowledge

    (tmp_path / "design.md").write_text(
        "# Product Designer\n\nDesigners shape features.\n\n## Levels\n\n"
        "| Level | Title |\n| --- | --- |\n| D2 | Senior Product Designer |\n"
        "| D3 | Staff Product Designer |\n\nSenior Product Designers lead critiques.\n",
        encoding="utf-8",
    )
    knowledge = load_knowledge([tmp_path])
    rows = [p for p in knowledge.passages if p.text.startswith("Level:")]
    assert [p.roles for p in rows] == [("Senior Product Designer",), ("Product Designer",)]


@pytest.mark.parametrize(
    ("question", "read"),
    [
        ("wat does a fronted engineer do", "wat does a frontend engineer do"),
        ("expectations for a principle engineer?", "expectations for a principal engineer?"),
        (
            "is a junior engineer like a senior engineer?",
            "is a junior engineer like a senior engineer?",
        ),
        ("what does a technical program manager do", "what does a technical program manager do"),
        ("what does a frontend engineer do", "what does a frontend engineer do"),
    ],
)
def test_a_role_name_misspelt_as_other_real_words_is_read_as_the_name(question, read) -> None:
    from knowledge.roles import discover, spell_role_names

    headings = ["Ladder", "Frontend Engineer", "Principal Engineer", "Senior Engineer"]
    headings += ["Technical Product Manager"]
    assert spell_role_names(question, discover(headings, [])) == read


@pytest.mark.parametrize(
    ("question", "read"),
    [
        ("what does a sr dev do", "what does a Senior Developer do"),
        ("are sr devs on call", "are Senior Developers on call"),
        ("what level is a senior em", "what level is a Senior Engineering Manager"),
        ("ops eng duties?", "Operations Engineer duties?"),
        ("dev II vs Senior Developer", "Developer II vs Senior Developer"),
        ("my dev environment is broken", "my dev environment is broken"),
        ("staff eng scope", "staff eng scope"),
    ],
)
def test_a_title_typed_in_short_forms_is_spelt_out_as_the_roles_name(question, read) -> None:
    from knowledge.roles import _title

    roles = (
        discover_roles(["Engineering Manager (EM)"])
        + tuple(
            _title(name)
            for name in ("Senior Developer", "Developer II", "Senior Engineering Manager")
        )
        + (_title("Operations Engineer"),)
    )

    assert spell_out_titles(question, roles) == read


@pytest.mark.parametrize(
    ("question", "read"),
    [
        ("do associates give talks?", "do Associate Engineers give talks?"),
        (
            "principal vs staff: who codes more?",
            "Principal Engineer vs Staff Engineer: who codes more?",
        ),
        ("can I skip straight to principal?", "can I skip straight to Principal Engineer?"),
        ("what does a principal designer do", "what does a principal designer do"),  # a title
        ("what do seniors do", "what do seniors do"),  # two senior titles: neither
        ("a staff or principal engineer", "a staff or principal engineer"),  # one title, shared
        ("should I tell my staff?", "should I tell my staff?"),  # staff: the people
    ],
)
def test_a_level_word_used_as_a_noun_is_read_as_the_one_role_it_names(question, read) -> None:
    from knowledge.roles import _title, spell_out_levels

    roles = tuple(
        _title(name)
        for name in (
            "Associate Engineer",
            "Staff Engineer",
            "Principal Engineer",
            "Senior Engineer",
            "Senior Designer",
        )
    )

    assert spell_out_levels(question, roles) == read


def test_a_level_code_two_tracks_share_names_neither_title() -> None:
    from knowledge.roles import discover

    headings = ["Developer track", "Staff Developer (L4)", "Managers", "Engineering Manager (L4)"]
    roles = {r.key: r.aliases for r in discover(headings, [])}

    assert "L4" not in roles["Staff Developer"] and "L4" not in roles["Engineering Manager"]
    assert roles_named("the L4 scope", tuple(discover(headings, []))) == ()


def test_a_head_with_a_roman_level_and_a_code_is_a_role() -> None:
    from knowledge.roles import discover

    roles = {r.key: r.aliases for r in discover(["Ladder", "Developer II (L2)"], [])}

    assert {"Developer II", "Developer 2", "L2"} <= set(roles["Developer II"])


def test_a_code_and_a_title_joined_by_a_middle_dot_name_each_other() -> None:
    from knowledge.roles import discover

    roles = {
        r.key: r.aliases
        for r in discover(["Ladder", "E1 · Engineer I", "E3 · Senior Engineer"], [])
    }

    assert "E1" in roles["Engineer I"] and "E3" in roles["Senior Engineer"]
