"""Plain-text loader, including raw dumps of web pages.

Flat text has no markup, so structure is inferred from the shape of each line:

* A *heading* is a short line (at most 12 words and 100 characters) with letters, no
  sentence-ending punctuation and no "Label: a sentence." run-in, standing on its own.
* Everything else is a *passage*: one per paragraph (blank-line separated; wrapped lines
  are joined) and one per bullet item.
* The lines before the first paragraph form the *header*. In a web-page dump it holds page
  chrome around the title: site name, breadcrumbs, category, date and view counts and a
  truncated copy of the title. Lines that look like breadcrumbs, dates or counts are
  dropped; a header line that occurs twice is the title (the page repeats it as its h1) and
  everything before its last copy is dropped; otherwise the first remaining line is the
  title. Header lines after the title are the first headings.

Headings sit at level 2 under the title, flat text saying nothing about nesting, except
numbered ones: "2. TECH LEAD" is a level-2 heading when it stands alone above text of its
own, in capitals or title case (a numbered list item otherwise), and "2.1 Responsibilities"
sits under it. A title in capitals is shown in title case, as every heading in capitals is
(knowledge.loaders._rules.in_title_case).
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from pathlib import Path

from knowledge.loaders._build import DocumentBuilder, normalise_space
from knowledge.loaders._rules import SMALL_WORDS, file_title, in_title_case, is_page_metadata
from knowledge.model import Document, ParsedDocument

log = logging.getLogger(__name__)

MAX_HEADING_WORDS = 12
MAX_HEADING_CHARS = 100
# A heading that shares a paragraph's block is short next to the paragraph's lines.
_LEAD_HEADING_WORDS = 8
_LEAD_HEADING_RATIO = 0.6
# A truncated copy of the title must keep this many words to count as one.
_MIN_ECHO_WORDS = 3
_HEADING_RANK = 2
# "2. Tech Lead", "2.1 Responsibilities": the number's parts give the heading's depth.
_NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s+(\S.*)$")

_SENTENCE_END = re.compile(r"[.!?;,…][\"'”’)\]]*$")
# "Toil - repetitive manual work ...", "Grain: the level of detail ...": a term of up to five
# words, a dash or colon, its definition.
_DEFINITION = re.compile(r"^[^\W\d_][\w'’&/()-]*(?:\s+[\w'’&/()-]+){0,4}\s*(?:\s[-–—]|:)\s+\S")
_SENTENCES = re.compile(r"[.!?][\"'”’)\]]*\s+[\"'“‘(]?[A-Z]")
# A bullet: a mark, a number, or the "o" a word processor exports for a second-level bullet
# ("o<TAB>vital signs").
_BULLET = re.compile(r"^(?:[-*+•·▪◦–]|\d{1,3}[.)]|o(?=\t|\s{2}))\s+")
# A line that leads into the items after it ("Preferred:", "You will need to:").
_LEAD_IN = re.compile(r":\s*$")
_RULE = re.compile(r"^(?:[=\-_*~#]\s*){3,}$")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"  # January, Feb.
_NOISE = (
    re.compile(r"[>»›]"),  # breadcrumbs: Home > Section > Page
    re.compile(rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}(?!\d)", re.IGNORECASE),
    re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\s+\d{{4}}(?!\d)", re.IGNORECASE),
    re.compile(r"\b\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b"),
    re.compile(r"\b\d[\d,.]*\s*(?:views?|reads?|comments?|likes?|shares?)\b", re.IGNORECASE),
    re.compile(r"\b\d+\s*min(?:ute)?s?\s+read\b", re.IGNORECASE),
    re.compile(r"://|^www\.", re.IGNORECASE),
)

# What a line or block is: a heading, a paragraph, or a bullet item.
HEADING, TEXT, ITEM = "heading", "text", "item"
Element = tuple[str, str]  # (kind, text)


def parse(path: Path, content: str) -> ParsedDocument:
    """Parse a plain-text file into its title section, heading sections and passages."""
    blocks = _blocks(content)
    numbered = _numbered_headings(blocks)
    split = _header_length(blocks)
    header = [line for block in blocks[:split] for line in block]
    body = [
        element
        for index, block in enumerate(blocks[split:], start=split)
        for element in ([(HEADING, block[0])] if index in numbered else _block_elements(block))
    ]
    body = _demote_trailing_headings(body)
    if not header and body and body[0][0] == HEADING:
        header = [body.pop(0)[1]]  # the document opens with a heading-and-paragraph block
    title, first_headings = choose_title(header)
    title = in_title_case(title) if title else file_title(path)
    builder = DocumentBuilder(Document(title=title, source=str(path)))
    for line in first_headings:
        if _DEFINITION.match(line):  # "Reports to: Director of Operations" is a fact, no heading
            builder.paragraph(line)
        else:
            builder.heading(heading_rank(line), line)
    for kind, text in body:
        if kind != HEADING:
            builder.paragraph(text, item=kind == ITEM)
        elif not echoes_title(text, title):
            builder.heading(heading_rank(text), text)
    log.debug("text %s: title %r, %d header lines", path, title, len(header))
    return builder.build()


def is_heading_like(line: str) -> bool:
    """Short, has letters, and does not read as a sentence or a 'Label: sentence.' run-in."""
    line = normalise_space(line)
    if not line or len(line) > MAX_HEADING_CHARS or len(line.split()) > MAX_HEADING_WORDS:
        return False
    if not any(char.isalpha() for char in line) or _BULLET.match(line):
        return False
    return not (_SENTENCE_END.search(line) or _SENTENCES.search(line))


def heading_rank(heading: str) -> int:
    """Level 2, or deeper by the parts of its number: "2.1 Responsibilities" is level 3."""
    numbered = _NUMBERED.match(heading)
    return _HEADING_RANK + (numbered[1].count(".") if numbered else 0)


def _numbered_headings(blocks: list[list[str]]) -> set[int]:
    """Blocks that are a numbered heading: one line, a number and a heading in capitals or
    title case, above a block that is not numbered itself (a numbered list otherwise)."""
    found: set[int] = set()
    for index, block in enumerate(blocks[:-1]):
        numbered = _NUMBERED.match(block[0]) if len(block) == 1 else None
        if not numbered or not is_heading_like(numbered[2]):
            continue
        words = [w for w in numbered[2].split() if w.isalpha()]
        titled = numbered[2].isupper() or all(w[0].isupper() or w in SMALL_WORDS for w in words)
        if titled and not _NUMBERED.match(blocks[index + 1][0]):
            found.add(index)
    return found


def is_noise(line: str) -> bool:
    """Page chrome seen around a title: breadcrumbs, dates, view counts, web addresses."""
    return any(pattern.search(line) for pattern in _NOISE)


def echoes_title(line: str, title: str) -> bool:
    """The title again, or a truncated copy of it ("Understanding the Differ")."""
    line_key, title_key = _key(line), _key(title)
    if line_key == title_key:
        return True
    return title_key.startswith(line_key) and len(line_key.split()) >= _MIN_ECHO_WORDS


def choose_title(header: list[str]) -> tuple[str | None, list[str]]:
    """Pick the title from the header lines; return it and the header headings after it."""
    had_noise = any(is_noise(line) for line in header)
    lines = [normalise_space(line) for line in header if not is_noise(line)]
    if not lines:
        return None, []
    counts = Counter(_key(line) for line in lines)
    repeated = [line for line in lines if counts[_key(line)] > 1]
    if repeated:
        title = max(repeated, key=len)
        last = max(i for i, line in enumerate(lines) if _key(line) == _key(title))
        rest = lines[last + 1 :]
    else:
        lines = [line for line in lines if not _is_prefix_of_another(line, lines)]
        if had_noise:  # a web dump: one-word lines above the title are site and category names
            while len(lines) > 1 and len(lines[0].split()) == 1:
                lines = lines[1:]
        title, rest = lines[0], lines[1:]
    return title, [line for line in rest if not echoes_title(line, title)]


def _key(text: str) -> str:
    return normalise_space(text).casefold()


def _is_prefix_of_another(line: str, lines: list[str]) -> bool:
    key = _key(line)
    return any(_key(other) != key and _key(other).startswith(key) for other in lines)


def _blocks(content: str) -> list[list[str]]:
    """Blank-line separated blocks of stripped lines; underlines and rules split or vanish, and
    so do page metadata and a printed page's running header or footer."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for raw in content.splitlines():
        line = raw.strip()
        if line and is_page_metadata(line):
            continue
        if _RULE.match(line):
            # "Heading\n=======" (setext underline): the heading stands alone.
            if current:
                blocks.append(current)
            current = []
        elif line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _header_length(blocks: list[list[str]]) -> int:
    """How many leading blocks hold only heading-like or noise lines."""
    for index, block in enumerate(blocks):
        if not all(is_heading_like(line) or is_noise(line) for line in block):
            return index
    return len(blocks)


def _block_elements(block: list[str]) -> list[Element]:
    """Headings and passages in one body block: lead text, then one passage per bullet."""
    first_bullet = next((i for i, line in enumerate(block) if _BULLET.match(line)), len(block))
    lead, bullets = block[:first_bullet], block[first_bullet:]
    elements: list[Element] = []
    if len(lead) == 1 and is_heading_like(lead[0]):
        elements.append((HEADING, lead[0]))
    elif lead and _leads_with_heading(lead):
        elements += [(HEADING, lead[0]), (TEXT, " ".join(lead[1:]))]
    elif len(lead) > 1 and all(_DEFINITION.match(line) for line in lead):
        elements += [(TEXT, line) for line in lead]  # a glossary: one term a passage
    elif lead:
        elements.append((TEXT, " ".join(lead)))
    elements += _bullet_items(bullets)
    return elements


def _leads_with_heading(lines: list[str]) -> bool:
    """'Heading' directly above its paragraph, with no blank line between them."""
    if len(lines) < 2 or not is_heading_like(lines[0]):
        return False
    first, following = lines[0], lines[1:]
    if len(first.split()) > _LEAD_HEADING_WORDS or not following[0][:1].isupper():
        return False
    # above its paragraph, or above the lead-in of a list ("Qualifications" / "Required:")
    return len(first) < _LEAD_HEADING_RATIO * max(len(line) for line in following) or all(
        _LEAD_IN.search(line) for line in following
    )


def _bullet_items(lines: list[str]) -> list[Element]:
    """One item per bullet line; unbulleted lines continue the item above, except a lead-in
    ("Preferred:"), which is a passage of its own introducing the items after it. With the
    "o" bullets of word-processor exports, a heading above a lead-in ("Qualifications" /
    "Required:") and a header's "Label: value" facts: train+dev probe-office-exports top-1
    83.3 -> 87.5% (the qualifications had been read as duties); no other corpus's passages
    changed."""
    elements: list[Element] = []
    for line in lines:
        if _BULLET.match(line):
            elements.append((ITEM, _BULLET.sub("", line, count=1)))
        elif _LEAD_IN.search(line) or not elements or elements[-1][0] != ITEM:
            elements.append((TEXT, line))
        else:
            elements[-1] = (ITEM, elements[-1][1] + " " + line)
    return elements


def _demote_trailing_headings(elements: list[Element]) -> list[Element]:
    """Short lines after the last paragraph head nothing: keep them as text."""
    last_text = max((i for i, (kind, _) in enumerate(elements) if kind != HEADING), default=-1)
    if last_text < 0:
        return elements
    return elements[: last_text + 1] + [(TEXT, text) for _, text in elements[last_text + 1 :]]
