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


def test_title_falls_back_to_file_stem_when_no_heading_tops_the_document(write: Write) -> None:
    content = "Intro text for the crew.\n\n## Purpose\n\nSome text.\n\n## Duties\n\nMore.\n"
    parsed = markdown.parse(write("crew-notes.md", content), content)
    assert parsed.document.title == "crew-notes"
    assert parsed.sections[1].path == ("crew-notes", "Purpose")
    assert parsed.sections[1].level == 2


def test_a_lone_top_heading_of_any_rank_names_the_document(write: Write) -> None:
    content = "## Crew notes\n\nSome text.\n\n### Duties\n\nMore text here.\n"
    parsed = markdown.parse(write("crew-notes.md", content), content)
    assert parsed.document.title == "Crew notes"
    assert [s.path for s in parsed.sections] == [("Crew notes",), ("Crew notes", "Duties")]


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


def _texts(write: Write, content: str, name: str = "ladder.md") -> list[tuple[str, str]]:
    parsed = markdown.parse(write(name, content), content)
    return [(p.section.heading, p.text) for p in parsed.passages]


def test_pipe_table_rows_are_passages_carrying_their_column_headers(write: Write) -> None:
    content = """# Ladder

## Levels

| Level | Title | Scope |
| :---: | --- | --- |
| 4 | Senior Analyst | several teams |
| 5 | Principal Analyst | |
"""
    assert _texts(write, content) == [
        ("Levels", "Level: 4 · Title: Senior Analyst · Scope: several teams"),
        ("Levels", "Level: 5 · Title: Principal Analyst"),
    ]


def test_a_short_line_closing_a_section_after_a_table_is_not_run_into_its_last_row(
    write: Write,
) -> None:
    content = (
        "# Ladder\n\n## Levels\n\n| Level | Title |\n| --- | --- |\n| 4 | Lead |\n\n"
        "Updated every year.\n"
    )
    assert _texts(write, content) == [
        ("Levels", "Level: 4 · Title: Lead"),
        ("Levels", "Updated every year."),
    ]


def test_a_matrix_row_of_prose_cells_is_one_passage_per_cell_led_by_its_labels(
    write: Write,
) -> None:
    cells = [
        "Shares what they learn in team demos.",
        "Pairs with new hires in their first month.",
        "Mentors two engineers with regular sessions.",
    ]
    content = (
        "# Ladder\n\n| Competency | L1 Engineer | L2 Engineer | L3 Senior Engineer |\n"
        "| --- | --- | --- | --- |\n"
        f"| Mentoring | {' | '.join(cells)} |\n"
        "| Scope | Own tasks. | One feature. | The team. |\n"
    )
    lead = "Competency: Mentoring · "
    assert _texts(write, content) == [
        ("Ladder", f"{lead}L1 Engineer: {cells[0]}"),
        ("Ladder", f"{lead}L2 Engineer: {cells[1]}"),
        ("Ladder", f"{lead}L3 Senior Engineer: {cells[2]}"),
        (
            "Ladder",
            "Competency: Scope · L1 Engineer: Own tasks. · L2 Engineer: One feature. · "
            "L3 Senior Engineer: The team.",
        ),
    ]


def test_raci_letters_are_spelled_out_in_a_responsibility_matrix(write: Write) -> None:
    content = """# Who decides

| Activity | PM | EM | TL |
| --- | --- | --- | --- |
| Hiring | C | A | R |
| Roadmap | A/R | I | C |
"""
    assert _texts(write, content) == [
        (
            "Who decides",
            "Activity: Hiring · PM: C (Consulted) · EM: A (Accountable) · TL: R (Responsible)",
        ),
        (
            "Who decides",
            "Activity: Roadmap · PM: A/R (Accountable, Responsible) · EM: I (Informed) · "
            "TL: C (Consulted)",
        ),
    ]


def test_a_table_with_a_few_single_letters_is_no_responsibility_matrix(write: Write) -> None:
    content = """# Grades

| Level | Grade | Band |
| --- | --- | --- |
| Junior | A | C |
| Senior | B | C |
"""
    assert _texts(write, content)[0] == ("Grades", "Level: Junior · Grade: A · Band: C")


def test_html_table_inside_markdown_is_read_even_across_blank_lines(write: Write) -> None:
    content = """# Ladder

## Levels

<table class="levels">

  <thead>
    <tr><th>Level</th><th>Execution</th></tr>
  </thead>

    <tbody>
    <tr><td>IC1</td><td>Delivers assigned work<br>with guidance</td></tr>
    </tbody>
</table>

Text after the table is a passage again.
"""
    assert _texts(write, content) == [
        ("Levels", "Level: IC1 · Execution: Delivers assigned work with guidance"),
        ("Levels", "Text after the table is a passage again."),
    ]


def test_html_details_and_lists_in_markdown_are_parsed(write: Write) -> None:
    content = """# Ladder

<details>
<summary>Who approves leave?</summary>

The line manager approves leave requests within a week.

</details>

<ul>
  <li>Strategy work for the whole group</li>
</ul>
"""
    assert _texts(write, content) == [
        ("Ladder", "Who approves leave? The line manager approves leave requests within a week."),
        ("Ladder", "Strategy work for the whole group"),
    ]


def test_br_in_a_paragraph_is_a_space(write: Write) -> None:
    content = "# Ladder\n\nFirst line of the paragraph<br>second line of it.\n"
    assert _texts(write, content) == [("Ladder", "First line of the paragraph second line of it.")]


def test_an_html_list_written_inside_a_table_cell_keeps_its_items_apart(write: Write) -> None:
    content = (
        "# Ladder\n\n| Area | D1 |\n| --- | --- |\n"
        "| Mentoring | <ul><li>Keeps docs current</li><li>Runs walkthroughs</li></ul> |\n"
    )
    assert _texts(write, content) == [
        ("Ladder", "Area: Mentoring · D1: Keeps docs current; Runs walkthroughs")
    ]


def test_a_definition_lists_term_leads_its_meaning(write: Write) -> None:
    content = (
        "# Glossary\n\nBuoy\n: Our design system.\n\n"
        "Calibration\n\n:   The meeting where levels are agreed.\n"
    )
    assert [text for _, text in _texts(write, content)] == [
        "Buoy: Our design system.",
        "Calibration: The meeting where levels are agreed.",
    ]


def test_task_list_items_keep_their_text_without_the_checkbox(write: Write) -> None:
    content = """# Onboarding

- [ ] Set first-week schedule with the manager
- [x] Order a laptop before day one
- [X] Meet the whole team in the first week
"""
    assert [t for _, t in _texts(write, content)] == [
        "Set first-week schedule with the manager",
        "Order a laptop before day one",
        "Meet the whole team in the first week",
    ]


def test_link_lists_badges_and_images_are_not_passages(write: Write) -> None:
    content = """# Roles

[![build](https://img.example/badge.svg)](https://ci.example)

![Org chart](org.png)

- [Engineering Manager](em.md): owns hiring and delivery
- [Product Manager](pm.md)
- See [the tide tables](t.md) and [the mooring guide](m.md)

[Read more](more.md)

<a href="team.md">Team page</a> and <a href="org.md">org chart</a>

## See also

- [Role guide](guide.md), the main one for all of the roles
"""
    assert _texts(write, content) == [("Roles", "Engineering Manager: owns hiring and delivery")]


def test_a_list_whose_every_item_is_a_link_with_a_few_words_is_a_table_of_contents(
    write: Write,
) -> None:
    content = """# Handbook

- [Managers](managers.md): what our managers do, and what they don't
- [Your first week](week.md) - what happens each day
  - [Day one](week.md#one): laptops and accounts

## Before going on call

- [Roles](roles.md) - you act as the resolver, so read what the commander and the deputy will
  expect of you before your first shift starts
- [Etiquette](etiquette.md) - how to behave on a call
"""
    assert [text for _, text in _texts(write, content)] == [
        "Roles - you act as the resolver, so read what the commander and the deputy will expect"
        " of you before your first shift starts",
        "Etiquette - how to behave on a call",
    ]


def test_hugo_shortcodes_attribute_lists_and_admonitions_are_not_text(write: Write) -> None:
    content = """---
title: Incident roles
---
{{< cards >}}
{{< card link="engineer" title="2. Engineer" >}}
{{< /cards >}}

{{< callout type="info" >}}
  Other career ladders will be added later this year.
{{< /callout >}}

- Join [Failure Friday](https://example.org){:target="_blank"} as a scribe.

!!! tip "Flexible Structure"
    Not every role needs a different person in every incident.

!!! note

    An admonition body after a blank line is still text.
"""
    assert [t for _, t in _texts(write, content)] == [
        "Other career ladders will be added later this year.",
        "Join Failure Friday as a scribe.",
        "Flexible Structure: Not every role needs a different person in every incident.",
        "An admonition body after a blank line is still text.",
    ]


def test_mdx_modules_comments_liquid_and_fenced_admonitions_are_not_text(write: Write) -> None:
    content = """---
title: Engineering Manager
---
import Tabs from '@theme/Tabs';
import { Callout } from "../components/Callout"
export const meta = {
  owner: "people-team",
}

{% include toc.html %} {{ page.last_modified }}

## Responsibilities

<Callout type="info">
Engineering managers hire, grow and support the engineers on their team.
</Callout>

{/* reviewers: keep this short */}

<Tabs>
  <TabItem value="ic" label="IC">
  Individual contributors own the delivery of their projects.
  </TabItem>
</Tabs>

:::tip[Growth plans]
Ask your manager for a growth plan in your first month.
:::

Importing data from the old tracker is the manager's first task.
"""
    assert _texts(write, content, "manager.mdx") == [
        (
            "Responsibilities",
            "Engineering managers hire, grow and support the engineers on their team.",
        ),
        ("Responsibilities", "Individual contributors own the delivery of their projects."),
        (
            "Responsibilities",
            "Growth plans: Ask your manager for a growth plan in your first month.",
        ),
        ("Responsibilities", "Importing data from the old tracker is the manager's first task."),
    ]


def test_heading_ids_toc_markers_footnotes_alerts_and_emoji_codes_are_not_text(
    write: Write,
) -> None:
    content = """# Roles

[TOC]

[[_TOC_]]

* TOC
{:toc}

## Staff Engineer {#staff-engineer}

A staff engineer sets direction across teams.[^1] :rocket:

> [!NOTE]
> Staff engineers pair with managers on hiring plans.

[^1]: Direction means architecture and standards.

## Principal Engineer {#principal .unnumbered}

Principal engineers meet at 10:30:00 every Monday, as agreed: see notes.
"""
    assert _texts(write, content) == [
        ("Staff Engineer", "A staff engineer sets direction across teams."),
        ("Staff Engineer", "Staff engineers pair with managers on hiring plans."),
        ("Staff Engineer", "Direction means architecture and standards."),
        (
            "Principal Engineer",
            "Principal engineers meet at 10:30:00 every Monday, as agreed: see notes.",
        ),
    ]


def test_notion_callouts_are_text_and_its_page_properties_are_not(write: Write) -> None:
    content = """# Engineering Ladder

Created by: Dana Ops
Last edited: March 3, 2025 4:12 PM
Tags: handbook, engineering

<aside>
💡 This page describes what we expect at each engineering level.

</aside>

## Senior Engineer

Senior engineers lead projects of several weeks and unblock others.
"""
    assert _texts(write, content) == [
        ("Engineering Ladder", "💡 This page describes what we expect at each engineering level."),
        ("Senior Engineer", "Senior engineers lead projects of several weeks and unblock others."),
    ]


def test_a_notion_page_id_is_not_part_of_the_name_from_its_file(write: Write) -> None:
    content = "## Senior Engineer\n\nSenior engineers lead projects of several weeks.\n\n## Staff\n"
    path = write("Engineering Ladder 3f2a1b9c8d7e4f6a3f2a1b9c8d7e4f6a.md", content)
    assert markdown.parse(path, content).document.title == "Engineering Ladder"


def test_file_without_top_heading_is_named_by_its_file_in_every_path(write: Write) -> None:
    content = """---
description: So you want to be an incident commander?
---
Anyone can become an incident commander with the right training.

## Purpose

Keep the incident moving towards resolution at all times.

## Prerequisites

Has been involved in at least two major incidents.
"""
    parsed = markdown.parse(write("incident_commander.md", content), content)
    assert parsed.document.title == "incident_commander"
    assert [s.breadcrumb() for s in parsed.sections] == [
        "incident_commander",
        "incident_commander › Purpose",
        "incident_commander › Prerequisites",
    ]


def test_html_table_never_closed_leaves_the_rest_of_the_file_markdown(write: Write) -> None:
    content = """# Ladder

<table>
<tr><td>Level one of the ladder</td></tr>

## Later

Later text is still **Markdown** here.
"""
    assert _texts(write, content) == [
        ("Ladder", "Level one of the ladder"),
        ("Later", "Later text is still Markdown here."),
    ]


def test_the_title_from_a_top_heading_loses_its_permalink_mark(write: Write) -> None:
    content = "# Support levels ¶\n\nLevels run from I to IV.\n"
    parsed = markdown.parse(write("levels.md", content), content)
    assert parsed.document.title == "Support levels"


def test_list_items_and_the_items_that_label_nested_lists_are_marked_as_items(
    write: Write,
) -> None:
    content = (
        "# Staff Engineer\n\n## Influence\nThey shape the roadmap.\n\n"
        "- Shapes the engineering roadmap for their domain.\n"
        "  - Co-writes the yearly technical strategy.\n"
        "- Runs the domain's architecture review.\n"
    )
    parsed = markdown.parse(write("staff.md", content), content)
    assert [(p.text, p.item) for p in parsed.passages] == [
        ("They shape the roadmap.", False),
        ("Shapes the engineering roadmap for their domain.", True),
        ("Co-writes the yearly technical strategy.", True),
        ("Runs the domain's architecture review.", True),
    ]


def test_a_table_whose_rows_are_each_labelled_by_a_link_is_navigation(write: Write) -> None:
    content = (
        "# Handbook\n\nWelcome to the handbook of the harbour office.\n\n"
        "| Folder | What you'll find |\n| --- | --- |\n"
        "| [`company/`](company/values.md) | Our values, how we communicate |\n"
        "| [`people/`](people/leave.md) | Onboarding, promotions and leave |\n\n"
        "| Role | Owns |\n| --- | --- |\n"
        "| [Harbour master](hm.md) | Every berth |\n| Pilot | Ships in and out |\n\n"
        "| Name | Level | Reports to |\n| --- | --- | --- |\n"  # a database: data beside links
        "| [Pilot](p.md) | P2 | Harbour master |\n| [Deckhand](d.md) | P1 | Pilot |\n"
    )
    assert [text for _, text in _texts(write, content)] == [
        "Welcome to the handbook of the harbour office.",
        "Role: Harbour master · Owns: Every berth",
        "Role: Pilot · Owns: Ships in and out",
        "Name: Pilot · Level: P2 · Reports to: Harbour master",
        "Name: Deckhand · Level: P1 · Reports to: Pilot",
    ]


def test_a_block_of_page_properties_keeps_only_what_describes_the_subject(write: Write) -> None:
    content = (
        "# Firmware Engineer\n\nOwner: Priya Shah\nLast edited: March 3, 2026 4:12 PM\n"
        "Tags: Engineering, Roles\nStatus: Approved\nTeam: Embedded Systems Group\n\n"
        "Firmware engineers write the code that runs on our boards.\n"
    )
    assert [text for _, text in _texts(write, content)] == [
        "Team: Embedded Systems Group",
        "Firmware engineers write the code that runs on our boards.",
    ]
