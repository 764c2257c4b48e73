"""Turn a stream of heading and paragraph events into sections and passages.

Every loader walks its format in document order and calls `heading(level, text)` and
`paragraph(text)` on one `DocumentBuilder`; the builder owns the rules that are the same
for all formats: the title section, heading paths, levels and passage positions.
"""

from __future__ import annotations

from knowledge.model import Document, ParsedDocument, Passage, Section


def normalise_space(text: str) -> str:
    """Collapse runs of whitespace (including non-breaking spaces) to single spaces."""
    return " ".join(text.split())


def same_text(a: str, b: str) -> bool:
    """Whether two headings read the same, ignoring case and spacing."""
    return normalise_space(a).casefold() == normalise_space(b).casefold()


class DocumentBuilder:
    """Collects sections and passages for one document.

    The title section (path `(title,)`, level 1) always exists and receives any text that
    comes before the first heading. When the first heading repeats the title, it *is* the
    title section, and later headings of the same or a higher rank become its children.
    Heading levels passed in are the format's own ranks (h1 = 1, h2 = 2, ...); the section
    level counts nesting below the title instead, so it is always `len(path)`.
    """

    def __init__(self, document: Document) -> None:
        self._document = document
        self._title_section = Section(
            document=document, heading=document.title, path=(document.title,), level=1
        )
        self._sections: list[Section] = [self._title_section]
        self._passages: list[Passage] = []
        self._current = self._title_section
        self._stack: list[tuple[int, str]] = []  # (format rank, heading) below the title
        self._seen_heading = False

    @property
    def document(self) -> Document:
        return self._document

    def heading(self, rank: int, text: str) -> None:
        """Open a section for a heading of the given format rank (1 = most important)."""
        heading = normalise_space(text)
        if not heading:
            return
        first, self._seen_heading = not self._seen_heading, True
        if first and same_text(heading, self._document.title):
            return
        while self._stack and self._stack[-1][0] >= rank:
            self._stack.pop()
        self._stack.append((rank, heading))
        path = (self._document.title, *(h for _, h in self._stack))
        self._current = Section(
            document=self._document, heading=heading, path=path, level=len(path)
        )
        self._sections.append(self._current)

    def paragraph(self, text: str) -> None:
        """Add a passage to the current section; blank text is ignored."""
        passage = normalise_space(text)
        if passage:
            self._passages.append(
                Passage(section=self._current, text=passage, position=len(self._passages))
            )

    def build(self) -> ParsedDocument:
        return ParsedDocument(
            document=self._document,
            sections=tuple(self._sections),
            passages=tuple(self._passages),
        )
