"""HTML loader: h1-h6 give the structure, p and li the passages; page chrome is dropped."""

from __future__ import annotations

import logging
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, PageElement, Tag
from bs4.element import PreformattedString

from knowledge.loaders._build import DocumentBuilder, normalise_space
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
# <header> is a site header unless it sits inside the article itself.
_CONTENT_ROOTS = ("article", "main")
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
# Loose text directly inside a container (no <p>) counts only when it is this long.
_MIN_LOOSE_WORDS = 6


def parse(path: Path, content: str) -> ParsedDocument:
    """Parse an HTML page into its title section, heading sections and passages."""
    soup = BeautifulSoup(content, "html.parser")
    url = canonical_url(soup)
    page_title = normalise_space(soup.title.get_text()) if soup.title else ""
    _drop_chrome(soup)
    root: Tag = soup.body or soup
    first_h1 = root.find("h1")
    h1 = normalise_space(text_of(first_h1)) if isinstance(first_h1, Tag) else ""
    title = choose_title(page_title, h1) or path.stem
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


def _drop_chrome(soup: BeautifulSoup) -> None:
    for tag in soup.find_all(_DROPPED):
        if not tag.decomposed:
            tag.decompose()
    for tag in soup.find_all("header"):
        if not tag.decomposed and tag.find_parent(_CONTENT_ROOTS) is None:
            tag.decompose()


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
        elif child.name == "p":
            builder.paragraph(text_of(child))
        elif child.name == "li":
            _list_item(child, builder)
        elif child.name != "br":
            _walk(child, builder)
    _flush_loose(loose, builder)


def _list_item(item: Tag, builder: DocumentBuilder) -> None:
    """One passage for the item's own text, then one for each item of a nested list."""
    nested = [c for c in item.children if isinstance(c, Tag) and c.name in _LISTS]
    own = (c for c in item.children if all(c is not n for n in nested))
    builder.paragraph("".join(text_of(c) for c in own))
    for child in nested:
        _walk(child, builder)


def _flush_loose(parts: list[str], builder: DocumentBuilder) -> None:
    text = normalise_space("".join(parts))
    parts.clear()
    if len(text.split()) >= _MIN_LOOSE_WORDS:
        builder.paragraph(text)
