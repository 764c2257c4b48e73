"""Turn a stream of heading and paragraph events into sections and passages.

Every loader walks its format in document order and calls `heading(level, text)` and
`paragraph(text)` on one `DocumentBuilder`; the builder owns the rules that are the same
for all formats: the title section, heading paths, levels, passage positions, fragments
joining their neighbour, long passages split on sentences and navigation sections skipped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from knowledge.loaders._rules import (
    MAX_PASSAGE_CHARS,
    ends_like_sentence,
    heading_text,
    is_fragment,
    is_lead_in,
    is_navigation_heading,
    is_page_metadata,
    normalise_space,
    split_long,
)
from knowledge.model import Document, ParsedDocument, Passage, Section

__all__ = ["DocumentBuilder", "normalise_space", "same_text"]

# Words alone ("Days 2–5"), without punctuation of their own but dashes, ampersands, slashes.
_TITLE_LIKE = re.compile(r"[^\W\d_][\w'’&/ –-]*\w", re.UNICODE)


def same_text(a: str, b: str) -> bool:
    """Whether two headings read the same, ignoring case and spacing."""
    return normalise_space(a).casefold() == normalise_space(b).casefold()


@dataclass
class _Draft:
    """A passage before the document ends: its pieces, their glue and a lead for each piece."""

    section: Section
    units: list[str]
    glue: list[str]
    lead: str = ""
    item: bool = False  # the last piece is a list item
    parent: bool = False  # a list item whose nested list follows (it labels that list)
    introduces: bool = False  # a title (a summary, a term) that leads the passage after it
    prefix: str = ""  # fragments joined before the first piece
    prefix_glue: str = " "

    def text(self) -> str:
        body = "".join(g + u for g, u in zip(self.glue, self.units, strict=True)).strip()
        return self.prefix_glue.join(t for t in (self.prefix, self.lead + body) if t)

    def pieces(self) -> list[str]:
        """The passage texts: one, or several when longer than MAX_PASSAGE_CHARS."""
        whole = self.text()
        if len(whole) <= MAX_PASSAGE_CHARS:
            return [whole]
        room = MAX_PASSAGE_CHARS - len(self.lead)
        units = [self.prefix, *self.units] if self.prefix else self.units
        glue = ["", self.prefix_glue, *self.glue[1:]] if self.prefix else self.glue
        return [self.lead + piece for piece in split_long(units, glue, room)]


class DocumentBuilder:
    """Collects sections and passages for one document.

    The title section (path `(title,)`, level 1) always exists and receives any text that
    comes before the first heading. When the first heading repeats the title, it *is* the
    title section, and later headings of the same or a higher rank become its children.
    Heading levels passed in are the format's own ranks (h1 = 1, h2 = 2, ...); the section
    level counts nesting below the title instead, so it is always `len(path)`.

    Passages are finished in `build()`: within a section, a fragment (fewer than four
    words) joins the passage after it, or the one before it when it comes last; a passage
    longer than MAX_PASSAGE_CHARS is cut between sentences into pieces that each keep the
    section. Text under a navigation heading ("See also", "Contents") is dropped.
    """

    def __init__(self, document: Document) -> None:
        self._document = document
        self._title_section = Section(
            document=document, heading=document.title, path=(document.title,), level=1
        )
        self._sections: list[Section] = [self._title_section]
        self._drafts: list[_Draft] = []
        self._current = self._title_section
        self._stack: list[tuple[int, str]] = []  # (format rank, heading) below the title
        self._seen_heading = False
        self._navigation = False

    @property
    def document(self) -> Document:
        return self._document

    def heading(self, rank: int, text: str) -> None:
        """Open a section for a heading of the given format rank (1 = most important)."""
        heading = heading_text(text)
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
        self._navigation = is_navigation_heading(heading)
        self._sections.append(self._current)

    def paragraph(
        self,
        text: str | Sequence[str],
        *,
        lead: str = "",
        glue: str = " ",
        item: bool = False,
        parent: bool = False,
        introduces: bool = False,
    ) -> None:
        """Add a passage to the current section; blank text is ignored.

        `text` is one string, or the pieces of one passage (list items of a table cell),
        joined with `glue` (a space after a piece ending in punctuation) and cut between
        pieces first when the passage is too long. `lead` ("Level: 4 · ") starts the passage
        and every piece it is cut into. `item` marks a list item, glued to a neighbouring
        item with "; " when it is a fragment; `parent` one whose nested list follows, which it
        labels like a title ("Prepare: Have your laptop ..."); `introduces` a title that leads
        the passage after it whatever its length (a `<summary>`, a `<dt>`).
        """
        units = [normalise_space(u) for u in ([text] if isinstance(text, str) else text)]
        units = [u for u in units if u and not is_page_metadata(u)]
        if not units or self._navigation:
            return
        glues = [""] + [
            " " if glue == " " or prev[-1:] in ".!?:;,…" else glue for prev in units[:-1]
        ]
        self._drafts.append(
            _Draft(
                self._current,
                units,
                glues,
                lead=normalise_space(lead) + " " if lead else "",
                item=item,
                parent=parent,
                introduces=introduces,
            )
        )

    def build(self) -> ParsedDocument:
        passages: list[Passage] = []
        for draft in _join_fragments(self._drafts):
            for piece in draft.pieces():
                passages.append(
                    Passage(
                        section=draft.section,
                        text=piece,
                        position=len(passages),
                        lead=draft.lead.strip(),
                        item=draft.item or draft.parent,
                    )
                )
        return ParsedDocument(
            document=self._document,
            sections=tuple(self._sections),
            passages=tuple(passages),
        )


def _join_fragments(drafts: list[_Draft]) -> list[_Draft]:
    """A fragment joins a neighbouring passage of its section.

    Fragments that follow a passage ending in ":" (it introduces them: "Levels:" then
    "Junior Engineer", "Engineer") join that passage; otherwise a fragment joins the next
    passage, or the previous one when it comes last. A short lead-in ("The Deputy is
    expected to:") joins the passage after it. Consecutive list items are glued with
    "; " unless the first ends in punctuation. A section whose only text is a fragment
    keeps it: it is all the section says.
    """
    joined: list[_Draft] = []
    carry: _Draft | None = None  # fragments or a lead-in waiting for the next passage
    introduced = False  # the carry starts with a lead-in
    absorbing: _Draft | None = None  # the passage taking a run of short items
    for draft in drafts:
        if carry is not None and carry.section is not draft.section:
            _attach_to_previous(carry, joined)
            carry, introduced = None, False
        if absorbing is not None and absorbing.section is not draft.section:
            absorbing = None
        own_fragment = is_fragment(draft.text())
        if absorbing is not None and own_fragment:
            _append(absorbing, draft)
            continue
        absorbing = None
        if carry is not None:
            draft.prefix, draft.prefix_glue = carry.text(), _title_glue(carry, draft)
            carry = None
        text = draft.text()
        if is_lead_in(text) or (draft.introduces and not draft.prefix):
            carry, introduced = draft, True
        elif is_fragment(text):
            previous = joined[-1] if joined and joined[-1].section is draft.section else None
            if not introduced and previous is not None and previous.text().endswith(":"):
                absorbing = previous
                _append(previous, draft)
            else:
                carry = draft
        else:
            joined.append(draft)
            absorbing = draft if introduced and own_fragment else None
            introduced = False
    if carry is not None:
        _attach_to_previous(carry, joined)
    return joined


def _glue(first: _Draft, then: _Draft) -> str:
    """ "; " between two list items when the first has no end punctuation, else a space."""
    if first.item and then.item and not ends_like_sentence(first.text()):
        return "; "
    return " "


def _title_glue(title: _Draft, then: _Draft) -> str:
    """A short line of words alone before a paragraph titles it ("**Responsibilities**", an
    admonition's title): ": " tells the two apart. List items keep their own glue, and so
    do lines with punctuation of their own ("(pause)", "Bob: Understood")."""
    if not title.item and _TITLE_LIKE.fullmatch(title.text()) and then.text()[:1].isupper():
        return ": "
    return _glue(title, then)


def _append(previous: _Draft, fragment: _Draft) -> None:
    previous.glue.append(_glue(previous, fragment))
    previous.units.append(fragment.text())
    previous.item = fragment.item


def _attach_to_previous(fragment: _Draft, joined: list[_Draft]) -> None:
    """A fragment closing its section joins the passage before it, unless that is a table
    row, whose cells it would run into ("Title: Senior Designer Updated yearly.")."""
    previous = joined[-1] if joined else None
    if previous is None or previous.section is not fragment.section or previous.lead:
        joined.append(fragment)
    else:
        _append(previous, fragment)
