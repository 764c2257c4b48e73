"""HTML loader: page chrome dropped, headings nested, canonical address kept."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from knowledge.loaders import html

Write = Callable[[str, str], Path]

PAGE = """<!doctype html>
<html><head>
<title>Orchard guide | Example Site</title>
<link rel="canonical" href="https://example.org/orchard">
<meta property="og:url" content="https://example.org/other">
<style>p { color: red }</style>
</head>
<body>
<header><p>Example Site, a site about many things</p>
<nav><ul><li>Home</li><li>About us</li></ul></nav></header>
<main><article>
<header><h1>Orchard guide</h1></header>
<p>Opening <em>para</em>graph,<br>on two lines.</p>
<h2>Picker (PKR)</h2>
<p><strong>Ladder work:</strong> climbs carefully. Then picks the fruit.</p>
<div>Loose text straight inside a div is kept when it is long.</div>
<div>Too short</div>
<ul><li><p>Item one is about ladders</p></li>
<li>Item two is about baskets<ul><li>Nested item about gloves</li></ul></li></ul>
<h3>Tools</h3>
<p>Baskets and gloves.</p>
<script>var secret = "script text";</script>
<!-- a comment -->
<h2>Pruner (PRN)</h2>
<p>Cuts branches in winter.</p>
</article></main>
<aside><p>Related reading in the sidebar</p></aside>
<form><p>Subscribe to the newsletter</p></form>
<footer><ul><li>Copyright notice</li></ul></footer>
</body></html>
"""


@pytest.fixture
def parsed(write: Write):
    return html.parse(write("orchard.html", PAGE), PAGE)


def test_title_drops_site_name_and_h1_is_the_title_section(parsed) -> None:
    assert parsed.document.title == "Orchard guide"
    assert [(s.path, s.level) for s in parsed.sections] == [
        (("Orchard guide",), 1),
        (("Orchard guide", "Picker (PKR)"), 2),
        (("Orchard guide", "Picker (PKR)", "Tools"), 3),
        (("Orchard guide", "Pruner (PRN)"), 2),
    ]


def test_canonical_link_wins_over_og_url(parsed) -> None:
    assert parsed.document.url == "https://example.org/orchard"


def test_og_url_is_used_without_canonical(write: Write) -> None:
    page = '<html><head><meta property="og:url" content="https://example.org/x"></head>'
    page += "<body><p>Body text.</p></body></html>"
    assert html.parse(write("x.html", page), page).document.url == "https://example.org/x"


def test_passages_in_order_with_chrome_dropped(parsed) -> None:
    assert [(p.position, p.section.heading, p.text) for p in parsed.passages] == [
        (0, "Orchard guide", "Opening paragraph, on two lines."),
        (1, "Picker (PKR)", "Ladder work: climbs carefully. Then picks the fruit."),
        (2, "Picker (PKR)", "Loose text straight inside a div is kept when it is long."),
        (3, "Picker (PKR)", "Item one is about ladders"),
        (4, "Picker (PKR)", "Item two is about baskets"),
        (5, "Picker (PKR)", "Nested item about gloves"),
        (6, "Tools", "Baskets and gloves."),
        (7, "Pruner (PRN)", "Cuts branches in winter."),
    ]


def test_script_nav_footer_aside_form_never_appear(parsed) -> None:
    texts = " ".join(p.text for p in parsed.passages)
    for dropped in ("script text", "Home", "About us", "Copyright", "sidebar", "Subscribe"):
        assert dropped not in texts
    assert "Example Site" not in texts
    assert "comment" not in texts


def test_title_tag_used_when_no_h1(write: Write) -> None:
    page = "<html><head><title>Plain page</title></head><body><h2>Part</h2><p>Text.</p>"
    parsed = html.parse(write("plain.html", page), page)
    assert parsed.document.title == "Plain page"
    assert [s.path for s in parsed.sections] == [("Plain page",), ("Plain page", "Part")]


def test_fragment_without_title_uses_h1_then_stem(write: Write) -> None:
    with_h1 = "<h1>Fragment</h1><p>Text.</p>"
    assert html.parse(write("f.html", with_h1), with_h1).document.title == "Fragment"
    bare = "<p>Just text.</p>"
    assert html.parse(write("bare-page.htm", bare), bare).document.title == "bare-page"


def test_choose_title_prefers_the_articles_h1() -> None:
    assert html.choose_title("Handbook", "Welcome") == "Welcome"
    assert html.choose_title("Example Site - Handbook", "Handbook") == "Handbook"
    assert html.choose_title("", "Handbook") == "Handbook"


def _texts(write: Write, body: str) -> list[str]:
    page = f"<html><body><h1>Ladder</h1>{body}</body></html>"
    return [p.text for p in html.parse(write("ladder.html", page), page).passages]


def test_table_rows_are_passages_carrying_their_column_headers(write: Write) -> None:
    table = """<table><thead><tr><th>Level</th><th>Title</th><th>Scope</th></tr></thead>
    <tbody><tr><td>4</td><td>Senior Analyst</td><td>several teams</td></tr>
    <tr><td>5</td><td>Principal Analyst</td><td></td></tr></tbody></table>"""
    assert _texts(write, table) == [
        "Level: 4 · Title: Senior Analyst · Scope: several teams",
        "Level: 5 · Title: Principal Analyst",
    ]


def test_table_header_row_of_th_without_thead_and_cell_repeating_its_header(write: Write) -> None:
    table = """<table><tr><th>Role</th><th>On call</th></tr>
    <tr><td>Deputy commander</td><td>On call</td></tr></table>"""
    assert _texts(write, table) == ["Role: Deputy commander · On call"]


def test_two_column_table_of_prose_reads_like_a_definition_list(write: Write) -> None:
    table = """<table><tr><th>Competency</th><th>Description</th></tr>
    <tr><td>Ownership</td><td>Takes ownership of the work from start to finish.</td></tr>
    <tr><td>Craft</td><td>Writes code that the next engineer can read and change.</td></tr>
    </table>"""
    assert _texts(write, table) == [
        "Ownership: Takes ownership of the work from start to finish.",
        "Craft: Writes code that the next engineer can read and change.",
    ]


def test_one_row_two_column_table_keeps_its_headers(write: Write) -> None:
    table = """<table><tr><th>PM expectations</th><th>EM expectations</th></tr>
    <tr><td>Speak to customers</td><td><ul><li>Encourage engineers to demo new features</li>
    <li>Look out for gaps in product trust</li></ul></td></tr></table>"""
    assert _texts(write, table) == [
        "PM expectations: Speak to customers · EM expectations: Encourage engineers to demo "
        "new features; Look out for gaps in product trust"
    ]


def test_rowspan_label_leads_the_short_rows_it_spans_as_one_passage(write: Write) -> None:
    table = """<table><thead><tr><th>Level</th><th>Strategy</th><th>Teamwork</th></tr></thead>
    <tbody><tr><th rowspan="3">IC1</th></tr>
    <tr><td colspan="2"><p>Entry level, needs guidance in most areas.</p></td></tr>
    <tr><td>Learning what strategy is</td><td>Learning how to be on a team</td></tr>
    </tbody></table>"""
    assert _texts(write, table) == [
        "Level: IC1 · Entry level, needs guidance in most areas. Strategy: Learning what "
        "strategy is · Teamwork: Learning how to be on a team",
    ]


def test_rowspan_label_is_kept_on_every_row_too_long_to_share_a_passage(write: Write) -> None:
    long = "Sets the direction of several teams and explains it to everyone concerned. " * 4
    table = f"""<table><tbody><tr><th rowspan="2">M5</th><td>{long}</td><td>A team</td></tr>
    <tr><td>{long}</td><td>Several teams</td></tr></tbody></table>"""
    texts = _texts(write, table)
    assert len(texts) == 2
    assert all(t.startswith("M5 · Sets the direction") for t in texts)
    assert texts[1].endswith(" · Several teams")


def test_headerless_table_joins_its_cells(write: Write) -> None:
    table = """<table><tr><td rowspan="2">Split of the role</td><td><b>Core</b>: ~70%</td></tr>
    <tr><td><b>Management</b>: ~10%</td></tr>
    <tr><td>Approximate tenure in the role</td><td>~1 year</td></tr></table>"""
    assert _texts(write, table) == [
        "Split of the role · Core: ~70%; Management: ~10%",
        "Approximate tenure in the role · ~1 year",
    ]


def test_long_row_becomes_one_passage_per_cell_led_by_its_label(write: Write) -> None:
    items = "".join(
        f"<li>Example number {n} of what a senior engineer does</li>" for n in range(30)
    )
    table = f"""<table><thead><tr><th>Area</th><th>Competency</th><th>Examples</th></tr></thead>
    <tbody><tr><td>Technical</td><td>Builds products that protect data, e.g.</td>
    <td><ul>{items}</ul></td></tr></tbody></table>"""
    texts = _texts(write, table)
    assert texts[0] == "Area: Technical · Competency: Builds products that protect data, e.g."
    assert len(texts) > 2
    assert all(t.startswith("Area: Technical · Examples: Example number") for t in texts[1:])
    assert all(len(t) <= 600 for t in texts)
    assert "does; Example number 1 of" in texts[1]


def test_hidden_and_aria_hidden_elements_are_dropped(write: Write) -> None:
    body = """<p>The competencies for this level are outlined below in the table.</p>
    <p aria-hidden="true" class="print-only">The competencies for this level, printed copy.</p>
    <p hidden>Nothing hidden ever reaches a passage here.</p>"""
    assert _texts(write, body) == [
        "The competencies for this level are outlined below in the table."
    ]


def test_chrome_marked_by_role_id_or_class_and_page_metadata_are_dropped(write: Write) -> None:
    body = """<div id="breadcrumb-section"><ol class="breadcrumbs"><li>Handbook</li></ol></div>
    <div class="page-metadata">Created by Sam Lee, last modified by Ana Ruiz on Jan 12</div>
    <p>Last updated: 3 March 2025</p>
    <p>Engineering managers hire, grow and support the engineers on their team.</p>
    <h2>Attachments:</h2><div class="greybox"><a href="org.png">org.png</a> (image/png)</div>
    <div id="footer" role="contentinfo"><p>Document generated by the wiki on Feb 01</p></div>
    <div role="navigation"><p>Previous page and next page of the handbook go here.</p></div>"""
    assert _texts(write, body) == [
        "Engineering managers hire, grow and support the engineers on their team."
    ]


def test_link_only_items_and_paragraphs_are_navigation(write: Write) -> None:
    body = """<ul><li><a href="a">Read the contributing guide</a></li>
    <li><a href="em.html">Engineering Manager</a>: owns hiring and delivery</li>
    <li>Every page here is reviewed each quarter by its owner.</li></ul>
    <p>See <a href="x">the tide tables</a> and <a href="y">the mooring guide</a>.</p>
    <p>Take a look at our <a href="t">Incident Commander training guide</a>.</p>"""
    assert _texts(write, body) == [
        "Engineering Manager: owns hiring and delivery",
        "Every page here is reviewed each quarter by its owner.",
        "Take a look at our Incident Commander training guide.",
    ]


def test_a_list_whose_every_item_is_a_link_with_a_few_words_is_a_table_of_contents(
    write: Write,
) -> None:
    body = """<p>What the handbook holds, page by page, for anyone new here.</p>
    <ul><li><a href="m.html">Managers</a>: what our managers do, and what they don't</li>
    <li><a href="w.html">Your first week</a> - what happens each day
    <ul><li><a href="d.html">Day one</a>: laptops and accounts</li></ul></li></ul>"""
    assert _texts(write, body) == ["What the handbook holds, page by page, for anyone new here."]


def test_details_summary_and_definition_lists_are_read(write: Write) -> None:
    body = """<details><summary>Who approves leave?</summary>
    <p>The line manager approves leave requests within a week.</p></details>
    <dl><dt>On-call</dt><dd>Being reachable at any time to fix issues in your service.</dd></dl>"""
    assert _texts(write, body) == [
        "Who approves leave? The line manager approves leave requests within a week.",
        "On-call: Being reachable at any time to fix issues in your service.",
    ]


def test_huge_or_broken_spans_are_clamped(write: Write) -> None:
    table = """<table><thead><tr><th colspan="999999999">Role</th></tr></thead>
    <tr><td rowspan="x">Deputy commander on call</td></tr></table>"""
    assert _texts(write, table) == ["Role: Deputy commander on call"]


@pytest.mark.parametrize(
    "mark", ['<a class="headerlink" href="#levels">¶</a>', '<a href="#l">#</a>']
)
def test_the_title_from_an_h1_loses_its_permalink_mark(write, mark: str) -> None:
    content = f"<html><body><h1>Support levels {mark}</h1><p>Levels run from I to IV.</p>"
    parsed = html.parse(write("levels.html", content), content)
    assert parsed.document.title == "Support levels"
    assert [p.section.path for p in parsed.passages] == [("Support levels",)]


@pytest.mark.parametrize(
    "title",
    [
        '<p class="c3 title" id="h.t9x0"><span class="c1">Data Team Roles</span></p>',
        "<p class=MsoTitle>Data Team Roles<o:p></o:p></p>",
    ],
)
def test_an_exported_title_paragraph_names_the_document(write, title: str) -> None:
    content = (
        f"<html><head><title>Microsoft Word - roles_v4.docx</title></head><body>{title}"
        "<h1>Purpose</h1><p>The data team answers questions with numbers.</p>"
    )
    parsed = html.parse(write("roles.html", content), content)
    assert parsed.document.title == "Data Team Roles"
    assert [p.section.path for p in parsed.passages] == [("Data Team Roles", "Purpose")]


def test_a_confluence_page_title_loses_its_space_name(write) -> None:
    content = (
        '<html><body><div id="main-header"><h1 id="title-heading" class="pagetitle">'
        '<span id="title-text"> Clinical Operations : Roles and Responsibilities </span></h1>'
        '</div><div id="main-content"><h1>Purpose</h1><p>We run the clinical studies.</p>'
    )
    parsed = html.parse(write("page.html", content), content)
    assert parsed.document.title == "Roles and Responsibilities"


def test_an_html_table_of_links_to_pages_is_navigation(write) -> None:
    content = (
        "<h1>Handbook</h1><p>Welcome to the harbour office handbook.</p><table>"
        "<tr><th>Page</th><th>About</th></tr>"
        '<tr><td><a href="a.html">Values</a></td><td>What we care about</td></tr>'
        '<tr><td><a href="b.html">Leave</a></td><td>Time off and holidays</td></tr></table>'
    )
    parsed = html.parse(write("index.html", content), content)
    assert [p.text for p in parsed.passages] == ["Welcome to the harbour office handbook."]


def test_a_summary_or_a_term_leads_the_text_after_it_however_long(write) -> None:
    content = (
        "<h1>Backend engineer</h1><details><summary>What we do not require</summary>"
        "<p>A computer science degree or any certification.</p></details>"
        "<dl><dt>Owns the service</dt><dd>Keeps the API up and fast.</dd>"
        "<dt>Can I work from home?</dt><dd>Yes, on any day you like.</dd></dl>"
    )
    parsed = html.parse(write("backend.html", content), content)
    assert [p.text for p in parsed.passages] == [
        "What we do not require: A computer science degree or any certification.",
        "Owns the service: Keeps the API up and fast.",
        "Can I work from home? Yes, on any day you like.",
    ]


@pytest.mark.parametrize(
    ("style", "first_row"),
    [
        ("", "<td><p><b>Level</b></p></td><td><p><b>Title</b></p></td>"),
        (
            "<style>.c7{color:#000;font-weight:700}</style>",
            '<td><p><span class="c7">Level</span></p></td>'
            '<td><p><span class="c7">Title</span></p></td>',
        ),
    ],
)
def test_an_exported_tables_bold_first_row_is_its_header(write, style: str, first_row: str) -> None:
    content = (
        f"<html><head>{style}</head><body><h1>Levels</h1><table><tr>{first_row}</tr>"
        "<tr><td>D1</td><td>Data Analyst I</td></tr><tr><td>D2</td><td>Data Analyst II</td></tr>"
        "</table>"
    )
    parsed = html.parse(write("levels.html", content), content)
    assert [p.text for p in parsed.passages] == [
        "Level: D1 · Title: Data Analyst I",
        "Level: D2 · Title: Data Analyst II",
    ]


def test_a_table_bold_throughout_has_no_header_row(write) -> None:
    content = (
        "<h1>Levels</h1><table><tr><td><b>D1</b></td><td><b>Learns the warehouse</b></td></tr>"
        "<tr><td><b>D2</b></td><td><b>Owns the weekly reports</b></td></tr></table>"
    )
    parsed = html.parse(write("levels.html", content), content)
    assert [p.text for p in parsed.passages] == [
        "D1 · Learns the warehouse",
        "D2 · Owns the weekly reports",
    ]


def test_a_title_paragraph_below_a_heading_leads_its_panel_and_an_expand_title_its_text(
    write,
) -> None:
    content = (
        '<html><body><h1 id="title-heading"><span id="title-text">Kiln : Risk Analyst</span>'
        '</h1><div id="main-content"><h2>On-call</h2><div class="confluence-information-macro">'
        '<p class="title conf-macro-render">Response times</p><div><p>Acknowledge an alert '
        'within fifteen minutes.</p></div></div><div class="expand-container"><div '
        'class="expand-control"><span class="expand-control-text">Tools you will use</span>'
        '</div><div class="expand-content expand-hidden"><ul><li>Sentinel, the rules engine '
        "for fraud rules</li></ul></div></div></div></body></html>"
    )
    parsed = html.parse(write("risk.html", content), content)
    assert parsed.document.title == "Risk Analyst"
    assert [(p.section.path, p.text) for p in parsed.passages] == [
        (
            ("Risk Analyst", "On-call"),
            "Response times: Acknowledge an alert within fifteen minutes.",
        ),
        (
            ("Risk Analyst", "On-call"),
            "Tools you will use: Sentinel, the rules engine for fraud rules",
        ),
    ]
