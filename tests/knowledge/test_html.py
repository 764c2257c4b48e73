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
