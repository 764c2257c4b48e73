"""Markdown loader: front matter and headings give the structure; paragraphs, list items,
table rows and embedded HTML give the passages."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from knowledge.loaders import html
from knowledge.loaders._build import DocumentBuilder
from knowledge.loaders._markdown_text import (
    InlineText,
    clean_source,
    inline_text,
    strip_checkbox,
)
from knowledge.loaders._rules import (
    file_title,
    heading_text,
    is_contents,
    is_navigation,
    property_lines,
)
from knowledge.loaders._tables import Cell, add_table
from knowledge.model import Document, ParsedDocument

log = logging.getLogger(__name__)

_FENCE = "---"
_FRONT_MATTER_ENDS = ("---", "...")
_URL_KEYS = ("source", "url")
_LISTS = ("bullet_list_open", "ordered_list_open")
_TABLE_OPEN = re.compile(r"<table\b", re.IGNORECASE)
_TABLE_CLOSE = re.compile(r"</table\s*>", re.IGNORECASE)


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def parse(path: Path, content: str) -> ParsedDocument:
    """Parse a Markdown file into its title section, heading sections and passages.

    The document's title is its front matter title, else its top heading, else its file
    name (without extension).
    """
    meta, body = split_front_matter(content)
    body = clean_source(body)
    tokens = _parser().parse(body)
    title = meta.get("title") or top_heading(tokens) or file_title(path)
    url = next((meta[key] for key in _URL_KEYS if meta.get(key)), None)
    builder = DocumentBuilder(Document(title=title, source=str(path), url=url))
    _Walker(builder, body.split("\n")).feed(tokens)
    log.debug("markdown %s: title %r, url %r", path, title, url)
    return builder.build()


def split_front_matter(content: str) -> tuple[dict[str, str], str]:
    """Split a leading `---` block of `key: value` lines from the body.

    Only flat scalar keys are read (keys lower-cased, surrounding quotes removed); lists
    and nested values are ignored. Without a closing fence the text is all body.
    """
    lines = content.splitlines(keepends=True)
    if not lines or lines[0].strip() != _FENCE:
        return {}, content
    for end, line in enumerate(lines[1:], start=1):
        if line.strip() in _FRONT_MATTER_ENDS:
            meta = _parse_meta(lines[1:end])
            return meta, "".join(lines[end + 1 :])
    return {}, content


def _parse_meta(lines: list[str]) -> dict[str, str]:
    meta: dict[str, str] = {}
    for line in lines:
        if not line.strip() or line[0].isspace() or line.lstrip().startswith(("#", "-")):
            continue
        key, sep, value = line.partition(":")
        if sep:
            meta[key.strip().lower()] = _unquote(value.strip())
    return meta


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1].strip()
    return value


def top_heading(tokens: list[Token]) -> str | None:
    """The first heading when it tops the document: an h1, or a heading no other outranks
    or equals. A file that opens with one of several "## Purpose" headings has none."""
    headings = [
        (int(token.tag[1:]), tokens[index + 1])
        for index, token in enumerate(tokens[:-1])
        if token.type == "heading_open"
    ]
    if not headings:
        return None
    rank, inline = headings[0]
    if rank == 1 or all(other > rank for other, _ in headings[1:]):
        return heading_text(inline_text(inline).text) or None
    return None


class _Walker:
    """Feeds Markdown block tokens to a DocumentBuilder in document order.

    One passage per paragraph outside lists and per list item (its own text only, a task
    box removed); lines that are all link text are navigation and skipped, and so are lists
    whose every item is a link with a few words of its own (a table of contents); each table
    row is a passage (see _tables); HTML blocks are read by the HTML loader's walker, a
    table spread over several blocks as a whole.
    """

    def __init__(self, builder: DocumentBuilder, lines: list[str]) -> None:
        self._builder = builder
        self._lines = lines
        self._items: list[list[InlineText]] = []  # text of the open list items, innermost last
        self._heading: int | None = None
        self._skip_to = 0  # source line before which tokens were read as HTML already

    def feed(self, tokens: list[Token]) -> None:
        index = 0
        while index < len(tokens):
            token = tokens[index]
            if token.map and token.map[0] < self._skip_to:
                index += 1
                continue
            if token.type == "table_open":
                index = self._table(tokens, index)
                continue
            if token.type in _LISTS and not self._items:
                end = _list_end(tokens, index)
                if _is_contents(tokens[index:end]):
                    index = end  # a table of contents: navigation
                    continue
            self._token(token)
            index += 1

    def _token(self, token: Token) -> None:
        if token.type == "heading_open":
            self._heading = int(token.tag[1:])
        elif token.type == "inline" and self._heading is not None:
            self._builder.heading(self._heading, inline_text(token).text)
            self._heading = None
        elif token.type == "inline" and self._items:
            self._items[-1].append(inline_text(token))
        elif token.type == "inline":
            properties = property_lines(token.content)
            if properties is None:
                self._paragraph([inline_text(token)])
            for line in properties or ():
                self._builder.paragraph(line)
        elif token.type == "list_item_open":
            self._items.append([])
        elif token.type == "list_item_close":
            self._flush(self._items.pop(), item=True)
        elif token.type in _LISTS and self._items:
            # A nested list: the parent item's text comes first, and labels what follows.
            self._flush(self._items[-1], parent=True)
        elif token.type == "html_block":
            self._html(token)

    def _paragraph(self, parts: list[InlineText], item: bool = False, parent: bool = False) -> None:
        text = " ".join(p.text for p in parts if p.text)
        if not is_navigation(text, " ".join(p.link_text for p in parts)):
            self._builder.paragraph(text, item=item, parent=parent)

    def _flush(self, parts: list[InlineText], item: bool = False, parent: bool = False) -> None:
        """A list item's text, without its task box ("[ ]", "[x]")."""
        if parts:
            first = parts[0]
            parts[0] = InlineText(strip_checkbox(first.text), first.link_text, first.lines)
        self._paragraph(parts, item=item, parent=parent)
        parts.clear()

    def _html(self, token: Token) -> None:
        """An HTML block; a <table> left open is read up to its closing tag, if it has one."""
        fragment = token.content
        opened = len(_TABLE_OPEN.findall(fragment)) - len(_TABLE_CLOSE.findall(fragment))
        if opened > 0 and token.map:
            end = token.map[1]
            while opened > 0 and end < len(self._lines):
                line = self._lines[end]
                opened += len(_TABLE_OPEN.findall(line)) - len(_TABLE_CLOSE.findall(line))
                end += 1
            if opened <= 0:  # never closed: the rest of the file stays Markdown
                fragment = "\n".join(self._lines[token.map[0] : end])
                self._skip_to = end
        html.parse_fragment(fragment, self._builder)

    def _table(self, tokens: list[Token], index: int) -> int:
        """A pipe table: header cells label each body row's cells. Returns the next index."""
        header: list[list[Cell]] = []
        body: list[list[Cell]] = []
        in_head = False
        while tokens[index].type != "table_close":
            token = tokens[index]
            if token.type in ("thead_open", "thead_close"):
                in_head = token.type == "thead_open"
            elif token.type == "tr_open":
                (header if in_head else body).append([])
            elif token.type == "inline":
                rows = header if in_head else body
                inline = inline_text(token)
                link = bool(inline.text.strip()) and is_navigation(inline.text, inline.link_text)
                rows[-1].append(Cell(list(inline.lines), header=in_head, link=link))
            index += 1
        add_table(header, body, self._builder)
        return index + 1


def _list_end(tokens: list[Token], index: int) -> int:
    """The index after the list that opens at `index` closes."""
    level = tokens[index].level
    end = index + 1
    while end < len(tokens) and not (
        tokens[end].type.endswith("_list_close") and tokens[end].level == level
    ):
        end += 1
    return end + 1


def _is_contents(tokens: list[Token]) -> bool:
    """The list of these tokens is a table of contents (see is_contents)."""
    entries = [inline_text(t) for t in tokens if t.type == "inline"]
    return is_contents([(entry.text, entry.link_text) for entry in entries])
