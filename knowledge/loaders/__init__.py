"""Load role documents from files or folders into the document model."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path

from knowledge.model import Knowledge, ParsedDocument
from knowledge.roles import discover, tag_roles

log = logging.getLogger(__name__)


class KnowledgeError(Exception):
    """A knowledge path that cannot be used; the message names the path and the reason."""


def _loaders() -> dict[str, Callable[[Path, str], ParsedDocument]]:
    from knowledge.loaders import html, markdown, text

    return {
        ".md": markdown.parse,
        ".markdown": markdown.parse,
        ".mdx": markdown.parse,  # Markdown with JSX components (Docusaurus, Gatsby, Next.js)
        ".txt": text.parse,
        ".html": html.parse,
        ".htm": html.parse,
    }


SUPPORTED_SUFFIXES = (".md", ".markdown", ".mdx", ".txt", ".html", ".htm")


def load_path(path: str | Path) -> list[ParsedDocument]:
    """Parse one file, or every supported file in a folder (sorted by name)."""
    path = Path(path)
    if not path.exists():
        raise KnowledgeError(f"{path}: no such file or folder")
    if path.is_dir():
        files = sorted(
            p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
        )
        if not files:
            raise KnowledgeError(f"{path}: folder holds no {', '.join(SUPPORTED_SUFFIXES)} files")
        return [_load_file(f) for f in files]
    return [_load_file(path)]


def _load_file(path: Path) -> ParsedDocument:
    parse = _loaders().get(path.suffix.lower())
    if parse is None:
        raise KnowledgeError(
            f"{path}: unsupported file type {path.suffix or '(none)'}; "
            f"use {', '.join(SUPPORTED_SUFFIXES)}"
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise KnowledgeError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise KnowledgeError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    if not content.strip():
        raise KnowledgeError(f"{path}: file is empty")
    parsed = parse(path, content)
    if not parsed.passages:
        raise KnowledgeError(f"{path}: no text passages found")
    log.debug(
        "loaded %s: %d sections, %d passages", path, len(parsed.sections), len(parsed.passages)
    )
    return parsed


def load_knowledge(paths: Iterable[str | Path]) -> Knowledge:
    """Load every path, discover the roles the headings declare and tag sections with them."""
    documents: list[ParsedDocument] = []
    for path in paths:
        documents.extend(load_path(path))
    if not documents:
        raise KnowledgeError("no knowledge paths given")
    headings = list(dict.fromkeys(h for d in documents for s in d.sections for h in s.path))
    roles = discover(headings, [p.text for d in documents for p in d.passages])
    return Knowledge(documents=tag_roles(tuple(documents), roles), roles=roles)
