"""HTML loader: h1-h6 give the structure, p and li the passages; page chrome is dropped."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, PageElement, Tag
from bs4.element import PreformattedString

from knowledge.loaders._build import DocumentBuilder, normalise_space
from knowledge.loaders._rules import file_title, heading_text, is_contents, is_navigation
from knowledge.loaders._tables import Cell, add_table
from knowledge.model import Document, ParsedDocument

log = logging.getLogger(__name__)

# Never content: code, styling, navigation, page furniture, and everything in <head>.
_DROPPED = (
    "script",
    "style",
    "nav",
    "footer",
    "aside",
    "form",
    "noscript",
    "template",
    "svg",
    "iframe",
    "button",
    "select",
    "head",
)
# Landmark roles of page chrome (ARIA), for sites that mark it with a role, not a tag.
_CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo", "search", "complementary"})
# ids and classes that name page chrome by convention, matched as whole words.
_CHROME_NAMES = frozenset({"breadcrumb", "breadcrumbs", "footer", "sidebar", "page-metadata"})
# <header> is a site header unless it sits inside the article itself.
_CONTENT_ROOTS = ("article", "main")
# A stylesheet class set in bold: ".c7{font-weight:700}" (Google Docs' export).
_BOLD_CLASS = re.compile(r"\.([A-Za-z_][\w-]*)\s*\{[^}]*font-weight\s*:\s*(?:bold|[6-9]00)")
# A paragraph styled as the document's title by the office tool that exported it (Google Docs'
# "title", Word's "MsoTitle"): the page's h1.
_TITLE_CLASSES = frozenset({"title", "msotitle"})
# Confluence's page title, "<space> : <page>": the page's own name follows the space's.
_CONFLUENCE_TITLE = re.compile(r"^[^:]{1,80}\s:\s(?=\S)")
_HEADINGS = {f"h{rank}": rank for rank in range(1, 7)}
_LISTS = ("ul", "ol")
_INLINE = frozenset(
    {
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "cite",
        "code",
        "data",
        "del",
        "dfn",
        "em",
        "i",
        "img",
        "ins",
        "kbd",
        "label",
        "mark",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "time",
        "u",
        "var",
        "wbr",
    }
)
# Blocks whose text is one passage, like a paragraph.
_PARAGRAPHS = ("p", "summary", "dt", "dd", "caption", "figcaption")
# A <details> summary or a <dl> term titles the text after it, however long.
_TITLES = ("summary", "dt")
_MAX_SPAN = 1000
# Loose text directly inside a container (no <p>) counts only when it is this long.
_MIN_LOOSE_WORDS = 6


def parse(path: Path, content: str) -> ParsedDocument:
    """Parse an HTML page into its title section, heading sections and passages."""
    soup = BeautifulSoup(content, "html.parser")
    url = canonical_url(soup)
    page_title = normalise_space(soup.title.get_text()) if soup.title else ""
    _bold_rows_as_headers(soup)
    _drop_chrome(soup)
    _export_titles(soup)
    root: Tag = soup.body or soup
    first_h1 = root.find("h1")
    h1 = heading_text(text_of(first_h1)) if isinstance(first_h1, Tag) else ""
    title = choose_title(page_title, h1) or file_title(path)
    builder = DocumentBuilder(Document(title=title, source=str(path), url=url))
    _walk(root, builder)
    log.debug("html %s: title %r, url %r", path, title, url)
    return builder.build()


def canonical_url(soup: BeautifulSoup) -> str | None:
    """`<link rel="canonical">`, else `<meta property="og:url">`."""
    for link in soup.find_all("link", href=True):
        rels = link.get("rel") or []
        if isinstance(rels, str):
            rels = rels.split()
        if any(rel.lower() == "canonical" for rel in rels):
            return str(link["href"]).strip() or None
    meta = soup.find("meta", attrs={"property": "og:url"})
    if isinstance(meta, Tag) and meta.get("content"):
        return str(meta["content"]).strip() or None
    return None


def choose_title(page_title: str, h1: str) -> str:
    """The page's first h1 (the article's own title); the <title> when there is no h1, since
    a <title> usually wraps the article title in a site name ("Article | Site")."""
    return h1 or page_title


def _bold_rows_as_headers(soup: BeautifulSoup) -> None:
    """A table without header cells whose first row is all bold, the rows below not (Google
    Docs and Word export header rows so): that row's cells become header cells. Bold is <b>,
    <strong>, or a class the page's stylesheet sets in bold."""
    css = " ".join(style.get_text() for style in soup.find_all("style"))
    bold = frozenset(_BOLD_CLASS.findall(css))
    for table in soup.find_all("table"):
        rows = [r for r in table.find_all("tr") if r.find_parent("table") is table]
        if len(rows) < 2 or table.find("th"):
            continue
        first = rows[0].find_all("td", recursive=False)
        if first and all(_bold(cell, bold) for cell in first if text_of(cell).strip()):
            later = [c for r in rows[1:] for c in r.find_all("td", recursive=False)]
            if any(text_of(c).strip() and not _bold(c, bold) for c in later):
                for cell in first:
                    cell.name = "th"


def _bold(cell: Tag, classes: frozenset[str]) -> bool:
    """Every piece of the cell's text is set in bold."""
    pieces = [t for t in cell.find_all(string=True) if _is_text(t) and t.strip()]
    return bool(pieces) and all(_in_bold(piece, cell, classes) for piece in pieces)


def _in_bold(piece: PageElement, cell: Tag, classes: frozenset[str]) -> bool:
    for parent in piece.parents:
        if parent is cell.parent:
            return False
        style = str(parent.get("style", "")).replace(" ", "").lower()
        if (
            parent.name in ("b", "strong")
            or any(n in classes for n in _classes(parent))
            or "font-weight:bold" in style
            or "font-weight:700" in style
        ):
            return True
    return False


def _export_titles(soup: BeautifulSoup) -> None:
    """An exported document's title paragraph, before any heading, becomes its h1; a title
    paragraph further down (a Confluence panel's) and an expand macro's title lead the text
    after them, as a <summary> does; Confluence's page title ("Clinical Operations : Roles and
    Responsibilities") loses its space's name."""
    promoted = False
    for tag in soup.find_all(["p", "span"]):
        names = {n.lower() for n in _classes(tag)}
        if tag.name == "p" and names & _TITLE_CLASSES:
            first = not promoted and tag.find_previous(list(_HEADINGS)) is None
            tag.name = "h1" if first else "summary"
            promoted = promoted or first
        elif "expand-control-text" in names:
            tag.name = "summary"
    heading = soup.find(id="title-text")
    if isinstance(heading, Tag):
        text = normalise_space(heading.get_text())
        heading.string = _CONFLUENCE_TITLE.sub("", text, count=1)


def _drop_chrome(soup: BeautifulSoup, kept: tuple[str, ...] = ()) -> None:
    """Remove page furniture (but the `kept` tags), and elements hidden from readers
    (aria-hidden, hidden)."""
    for tag in soup.find_all([name for name in _DROPPED if name not in kept]):
        if not tag.decomposed:
            tag.decompose()
    for tag in soup.find_all(_is_chrome):
        if not tag.decomposed:
            tag.decompose()
    for tag in soup.find_all(_is_hidden):
        if not tag.decomposed:
            tag.decompose()
    for tag in soup.find_all("header"):
        if not tag.decomposed and tag.find_parent(_CONTENT_ROOTS) is None:
            tag.decompose()


def _is_chrome(tag: Tag) -> bool:
    """Navigation, banners and footers marked by an ARIA role, or by an id or class such as
    "breadcrumbs" or "footer"."""
    if str(tag.get("role", "")).lower() in _CHROME_ROLES:
        return True
    names = [str(tag.get("id", "")), *_classes(tag)]
    return any(name.lower() in _CHROME_NAMES for name in names)


def _classes(tag: Tag) -> list[str]:
    """The tag's class names (the parser gives a list, or a string where it was built by hand)."""
    classes = tag.get("class") or []
    return classes.split() if isinstance(classes, str) else list(classes)


def _is_hidden(tag: Tag) -> bool:
    return tag.has_attr("hidden") or str(tag.get("aria-hidden", "")).lower() == "true"


def parse_fragment(fragment: str, builder: DocumentBuilder) -> None:
    """Add the headings and passages of an HTML fragment (e.g. inside Markdown) to builder.
    An <aside> there is a callout the author wrote (Notion exports them so), not a sidebar."""
    soup = BeautifulSoup(fragment, "html.parser")
    _drop_chrome(soup, kept=("aside",))
    _walk(soup, builder)


def _is_text(node: PageElement) -> bool:
    # Comments, doctypes and CDATA are PreformattedString subclasses: never content.
    return isinstance(node, NavigableString) and not isinstance(node, PreformattedString)


def text_of(node: PageElement) -> str:
    """A node's text, with a space around every block-level element and <br>."""
    if _is_text(node):
        return str(node)
    if not isinstance(node, Tag):
        return ""
    if node.name == "br":
        return " "
    inner = "".join(text_of(child) for child in node.children)
    return inner if node.name in _INLINE else f" {inner} "


def _walk(node: Tag, builder: DocumentBuilder) -> None:
    """Emit headings and passages in document order; loose inline text forms a passage."""
    loose: list[str] = []
    for child in node.children:
        if _is_text(child) or (isinstance(child, Tag) and child.name in _INLINE):
            loose.append(text_of(child))
            continue
        if not isinstance(child, Tag):
            continue
        _flush_loose(loose, builder)
        if child.name in _HEADINGS:
            builder.heading(_HEADINGS[child.name], text_of(child))
        elif child.name in _PARAGRAPHS:
            _paragraph([child], builder, title=child.name in _TITLES)
        elif child.name == "li":
            _list_item(child, builder)
        elif child.name in _LISTS and _is_contents(child):
            continue  # a table of contents: navigation
        elif child.name == "table":
            _table(child, builder)
        elif child.name != "br":
            _walk(child, builder)
    _flush_loose(loose, builder)


def _paragraph(
    nodes: list[PageElement],
    builder: DocumentBuilder,
    item: bool = False,
    parent: bool = False,
    title: bool = False,
) -> None:
    """One passage of the nodes' text, unless it is (almost) all link text. A `title` (a
    summary, a term, a question) leads the passage after it ("What we don't require: A
    computer science degree ...", "Can I work from home? Yes, ...")."""
    text, links = _text_and_links(nodes)
    if not is_navigation(text, links):
        builder.paragraph(text, item=item, parent=parent, introduces=title)


def _text_and_links(nodes: list[PageElement]) -> tuple[str, str]:
    """The nodes' text, and the part of it inside links."""
    text = normalise_space("".join(text_of(n) for n in nodes))
    links = " ".join(text_of(a) for n in nodes if isinstance(n, Tag) for a in _links(n))
    return text, links


def _links(node: Tag) -> list[Tag]:
    return [node] if node.name == "a" else node.find_all("a")


def _is_contents(listing: Tag) -> bool:
    """The list is a table of contents (see is_contents), each item read without its nested
    list."""
    return is_contents(
        [
            _text_and_links(
                [c for c in item.children if not (isinstance(c, Tag) and c.name in _LISTS)]
            )
            for item in listing.find_all("li")
        ]
    )


def _list_item(item: Tag, builder: DocumentBuilder) -> None:
    """One passage for the item's own text, then one for each item of a nested list."""
    nested = [c for c in item.children if isinstance(c, Tag) and c.name in _LISTS]
    own = [c for c in item.children if all(c is not n for n in nested)]
    _paragraph(own, builder, item=not nested, parent=bool(nested))  # a parent labels its list
    for child in nested:
        _walk(child, builder)


def _table(table: Tag, builder: DocumentBuilder) -> None:
    """Header rows (in <thead>, or leading rows of <th> only) label each body row's cells."""
    rows = [r for r in table.find_all("tr") if r.find_parent("table") is table]
    header: list[list[Cell]] = []
    body: list[list[Cell]] = []
    for row in rows:
        cells = [_cell(c) for c in row.find_all(("td", "th"), recursive=False)]
        in_head = row.find_parent("thead") is not None
        if in_head or (not body and cells and all(c.header for c in cells) and len(cells) > 1):
            header.append(cells)
        else:
            body.append(cells)
    add_table(header, body, builder)


def _cell(cell: Tag) -> Cell:
    text, links = _text_and_links([cell])
    return Cell(
        block_pieces(cell),
        header=cell.name == "th",
        colspan=_span(cell, "colspan"),
        rowspan=_span(cell, "rowspan"),
        link=bool(text) and is_navigation(text, links),
    )


def _span(cell: Tag, attribute: str) -> int:
    """colspan or rowspan, clamped to 1..1000 (HTML's own limit for colspan)."""
    try:
        return min(_MAX_SPAN, max(1, int(str(cell.get(attribute, "1")).strip() or 1)))
    except ValueError:
        return 1


def block_pieces(node: Tag) -> list[str]:
    """The text of a node cut at its block elements: paragraphs, list items; <br> is a space."""
    pieces: list[str] = [""]
    for child in node.children:
        if _is_text(child) or (isinstance(child, Tag) and child.name in _INLINE):
            pieces[-1] += text_of(child)
        elif isinstance(child, Tag) and child.name == "br":
            pieces[-1] += " "
        elif isinstance(child, Tag):
            pieces.extend([*block_pieces(child), ""])
    return [p for p in (normalise_space(p) for p in pieces) if p]


def _flush_loose(parts: list[str], builder: DocumentBuilder) -> None:
    text = normalise_space("".join(parts))
    parts.clear()
    if len(text.split()) >= _MIN_LOOSE_WORDS:
        builder.paragraph(text)
