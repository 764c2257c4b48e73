"""Markdown loader: front matter and headings give the structure, paragraphs the passages."""

from __future__ import annotations

import logging
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from knowledge.loaders._build import DocumentBuilder, normalise_space
from knowledge.model import Document, ParsedDocument

log = logging.getLogger(__name__)

_FENCE = "---"
_FRONT_MATTER_ENDS = ("---", "...")
_URL_KEYS = ("source", "url")
_LISTS = ("bullet_list_open", "ordered_list_open")


def parse(path: Path, content: str) -> ParsedDocument:
    """Parse a Markdown file into its title section, heading sections and passages."""
    meta, body = split_front_matter(content)
    tokens = MarkdownIt("commonmark").parse(body)
    title = meta.get("title") or _first_h1(tokens) or path.stem
    url = next((meta[key] for key in _URL_KEYS if meta.get(key)), None)
    builder = DocumentBuilder(Document(title=title, source=str(path), url=url))
    _feed(tokens, builder)
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


def _first_h1(tokens: list[Token]) -> str | None:
    for index, token in enumerate(tokens[:-1]):
        if token.type == "heading_open" and token.tag == "h1":
            return normalise_space(inline_text(tokens[index + 1])) or None
    return None


def inline_text(token: Token) -> str:
    """The plain text of an inline token: emphasis markers, links and HTML tags removed."""
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


def _feed(tokens: list[Token], builder: DocumentBuilder) -> None:
    """One passage per paragraph outside lists, one per list item (its own text only)."""
    items: list[list[str]] = []  # text of the list items currently open, innermost last
    heading_rank: int | None = None
    for token in tokens:
        if token.type == "heading_open":
            heading_rank = int(token.tag[1:])
        elif token.type == "inline" and heading_rank is not None:
            builder.heading(heading_rank, inline_text(token))
            heading_rank = None
        elif token.type == "inline" and items:
            items[-1].append(inline_text(token))
        elif token.type == "inline":
            builder.paragraph(inline_text(token))
        elif token.type == "list_item_open":
            items.append([])
        elif token.type == "list_item_close":
            _flush(items.pop(), builder)
        elif token.type in _LISTS and items:
            _flush(items[-1], builder)  # a nested list: the parent item's text comes first


def _flush(parts: list[str], builder: DocumentBuilder) -> None:
    builder.paragraph(" ".join(parts))
    parts.clear()
