"""Load role documents from files or folders into the document model."""

from __future__ import annotations

import codecs
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


# Folders a handbook checkout holds that are no part of the handbook: version control, editor
# and build state (any folder whose name starts with a dot), installed packages.
SKIPPED_FOLDERS = ("node_modules",)


def load_path(path: str | Path) -> list[ParsedDocument]:
    """Parse one file, or every supported file in a folder (sorted by name). A file named on
    its own must load; in a folder, a file that holds nothing to quote (an empty page, a
    section index that is front matter alone, a binary file) is skipped with a warning that
    names it and why, so one stray page never stops a handbook from loading."""
    path = Path(path)
    if not path.exists():
        raise KnowledgeError(f"{path}: no such file or folder")
    if not path.is_dir():
        return [_load_file(path)]
    files = sorted(p for p in path.rglob("*") if _handbook_file(p, path))
    if not files:
        raise KnowledgeError(f"{path}: folder holds no {', '.join(SUPPORTED_SUFFIXES)} files")
    parsed = []
    for file in files:
        try:
            parsed.append(_load_file(file))
        except KnowledgeError as exc:
            log.warning("skipped %s", exc)
    if not parsed:
        raise KnowledgeError(f"{path}: none of its {len(files)} files holds text to answer from")
    return parsed


def _handbook_file(path: Path, root: Path) -> bool:
    folders = path.relative_to(root).parts[:-1]
    return (
        path.is_file()
        and path.suffix.lower() in SUPPORTED_SUFFIXES
        and not any(f.startswith(".") or f in SKIPPED_FOLDERS for f in folders)
    )


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
    content = _decoded(path, raw)
    if not content.strip():
        raise KnowledgeError(f"{path}: file is empty")
    parsed = parse(path, content)
    if not parsed.passages:
        raise KnowledgeError(f"{path}: no text passages found")
    log.debug(
        "loaded %s: %d sections, %d passages", path, len(parsed.sections), len(parsed.passages)
    )
    return parsed


def _decoded(path: Path, raw: bytes) -> str:
    """The file's text: UTF-8 (with or without a byte-order mark), UTF-16 where a byte-order
    mark says so, else Windows-1252, the encoding older Windows tools save text in."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise KnowledgeError(f"{path}: not UTF-16 text (byte {exc.start})") from exc
    if b"\x00" in raw:
        raise KnowledgeError(f"{path}: a binary file, not text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        log.warning("%s: not UTF-8 (byte %d); read as Windows-1252", path, exc.start)
        return raw.decode("cp1252", errors="replace")


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
