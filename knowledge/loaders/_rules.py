"""Rules shared by every loader: what a passage is, how long it may be, what is navigation.

Language data (word lists) lives here, in one place, as module-level constants. Every rule
is a small function whose docstring says what it does.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

# A passage with fewer words than this is a fragment: it joins its neighbour.
MIN_PASSAGE_WORDS = 4
# A short line ending in ":" ("The Deputy is expected to:") only introduces what follows.
MAX_LEAD_IN_WORDS = 8
# A passage longer than this is split on sentence boundaries.
MAX_PASSAGE_CHARS = 600

# Headings of sections that only point elsewhere: their text is never a passage.
NAVIGATION_HEADINGS = frozenset(
    {
        "contents",
        "further reading",
        "in this section",
        "links",
        "on this page",
        "read more",
        "related",
        "related articles",
        "related docs",
        "related documents",
        "related links",
        "related pages",
        "related reading",
        "see also",
        "table of contents",
        "toc",
        "useful links",
        "attachments",
    }
)
# A line of page metadata, written by the tool that exported the page, not by its author:
# Notion's "Created by: … Last edited: …", Confluence's "Created by …, last modified by … on
# …", a web page's "Last updated: …". Only short lines opening like that.
PAGE_METADATA = re.compile(
    r"^(?:created\s*(?::|\s(?:by|on|at)\b)|last\s+(?:edited|modified|updated|reviewed)\b"
    r"|(?:updated|published)\s+on\b)",
    re.IGNORECASE,
)
MAX_METADATA_CHARS = 200
# A block of "Key: value" lines atop a page exported from a wiki database (Notion): each line
# reads alone, and these keys describe the page, not the subject ("Owner: Priya Shah",
# "Tags: Engineering", "Status: Approved"); "Team: Embedded" stays.
PROPERTY_LINE = re.compile(r"^[A-Z][\w /&-]{0,30}:\s+\S")
PAGE_PROPERTIES = frozenset(
    {"owner", "owners", "tags", "status", "verification", "created by", "last edited by"}
)
# A running header or footer a printed page repeats: "Lumen Health Confidential  Page 1 of 2".
PAGE_FURNITURE = re.compile(r"\bpage\s+\d+\s*(?:of|/)\s*\d+$", re.IGNORECASE)
# The letters of a responsibility-assignment (RACI, RASCI) matrix: a cell holding only these
# says what the column's role does for the row's activity.
RACI_LETTERS = {
    "R": "Responsible",
    "A": "Accountable",
    "S": "Supports",
    "C": "Consulted",
    "I": "Informed",
}
# Function words lowered when a heading in capitals is put in title case.
SMALL_WORDS = frozenset("a an and as at by for in of on or the to vs via with".split())
# A permalink mark before or after a heading's text: #, ¶, §, 🔗, ⚓.
_PERMALINK = re.compile(r"^(?:#\s+|[¶§🔗⚓]\s*)+|(?:\s+#|\s*[¶§🔗⚓])+$")  # "C#" keeps its "#"
# The 32-hex-digit page id Notion's export appends to every file name.
_EXPORT_ID = re.compile(r"\s+[0-9a-f]{32}$")
# Abbreviations whose full stop does not end a sentence.
NON_FINAL_ABBREVIATIONS = frozenset(
    {"e.g.", "i.e.", "eg.", "ie.", "vs.", "cf.", "mr.", "ms.", "dr."}
)
# Words that only glue links together in a navigation line ("See also: [A](a) and [B](b)").
LINK_GLUE_WORDS = frozenset(
    {
        "a",
        "also",
        "and",
        "details",
        "for",
        "here",
        "info",
        "information",
        "link",
        "links",
        "more",
        "or",
        "page",
        "pages",
        "read",
        "see",
        "the",
        "to",
    }
)
_WORD = re.compile(r"\w", re.UNICODE)
# A sentence ends at . ! ? or … (closing quotes/brackets included), before a space and a
# capital, digit, quote or opening bracket.
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_CLAUSE_END = re.compile(r"[;,:]\s+")
_ENDS_LIKE_SENTENCE = re.compile(r"[.!?…:;,][\"'”’)\]]*$")


def normalise_space(text: str) -> str:
    """Collapse runs of whitespace (including non-breaking spaces) to single spaces."""
    return " ".join(text.split())


def word_count(text: str) -> int:
    """Words in the text: whitespace-separated tokens holding a letter or digit."""
    return sum(1 for token in text.split() if _WORD.search(token))


def is_fragment(text: str) -> bool:
    """Too short to be a passage on its own (fewer than MIN_PASSAGE_WORDS words)."""
    return word_count(text) < MIN_PASSAGE_WORDS


def is_lead_in(text: str) -> bool:
    """A short line ending in ":" that only introduces what follows ("Levels:")."""
    return text.rstrip().endswith(":") and word_count(text) < MAX_LEAD_IN_WORDS


def ends_like_sentence(text: str) -> bool:
    """Whether the text ends with sentence or clause punctuation."""
    return bool(_ENDS_LIKE_SENTENCE.search(text.rstrip()))


def heading_text(text: str) -> str:
    """A heading without the permalink mark a site generator adds beside it ("Tech Lead ¶",
    "Engineering Manager #", "🔗 Levels"), in title case if it is in capitals."""
    return in_title_case(_PERMALINK.sub("", normalise_space(text)).strip())


def in_title_case(heading: str) -> str:
    """A heading of several words in capitals in title case ("TECH LEAD" -> "Tech Lead"),
    words of three letters or fewer kept as they are ("PM", "QA") unless function words; any
    other heading as it is ("FAQ", "Tech Lead")."""
    words = heading.split()
    if not heading.isupper() or len(words) < 2:
        return heading
    return " ".join(
        w.lower() if i and w.lower() in SMALL_WORDS else w if len(w) <= 3 else w.capitalize()
        for i, w in enumerate(words)
    )


def file_title(path: Path) -> str:
    """A document's name from its file: the file name without its extension, and without the
    page id Notion's export appends ("Engineering Ladder 3f2a…9c.md" -> "Engineering Ladder")."""
    return _EXPORT_ID.sub("", path.stem) or path.stem


def property_lines(text: str) -> list[str] | None:
    """The lines of a block of two or more "Key: value" lines, those that describe the page
    left out (PAGE_PROPERTIES, page metadata); None for any other text."""
    lines = [normalise_space(line) for line in text.splitlines() if line.strip()]
    if len(lines) < 2 or not all(PROPERTY_LINE.match(line) for line in lines):
        return None
    return [
        line
        for line in lines
        if line.split(":", 1)[0].strip().casefold() not in PAGE_PROPERTIES
        and not is_page_metadata(line)
    ]


def is_page_metadata(text: str) -> bool:
    """A short line of page metadata ("Last updated: 3 March 2025") or of a printed page's
    running header or footer ("Confidential  Page 1 of 2"): never a passage or heading."""
    text = text.strip()
    return len(text) <= MAX_METADATA_CHARS and bool(
        PAGE_METADATA.match(text) or PAGE_FURNITURE.search(text)
    )


def is_navigation_heading(heading: str) -> bool:
    """A heading such as "See also" or "Table of contents": its section only points elsewhere."""
    key = normalise_space(heading).casefold().rstrip(":").strip()
    return key in NAVIGATION_HEADINGS


def is_navigation(text: str, link_text: str) -> bool:
    """Text that is all link text, apart from words that glue links together.

    "[Tide tables](t)", "See [A](a) and [B](b)", "Read more: [A](a)" are navigation;
    "[Engineering Manager](em.md): owns hiring and delivery" and "Follow our [training](t)."
    say something of their own and are content.
    """
    if not word_count(link_text):
        return False
    own = _remove_once(text, link_text)
    own_words = [w.strip(".,:;!?()[]\"'").casefold() for w in own.split() if _WORD.search(w)]
    return all(word in LINK_GLUE_WORDS for word in own_words)


# A list of links each followed by at most this many words of its own ("[Managers](m.md): what
# our managers do, and what they don't") is a table of contents.
MAX_CONTENTS_WORDS = 12


def is_contents_entry(text: str, link_text: str) -> bool:
    """A list item that opens with a link and says little of its own: one entry of a table
    of contents ("[Your first week](w.md): what happens each day"). A whole list of them is
    navigation; one among other items is content (measured: probe-titles-handbook train+dev top-1
    87.1 -> 90.3%, its README index had answered "what are managers not supposed to do";
    no other corpus changed)."""
    if not word_count(link_text) or not text.startswith(link_text.split()[0]):
        return False
    return word_count(text) - word_count(link_text) <= MAX_CONTENTS_WORDS


def is_contents(entries: list[tuple[str, str]]) -> bool:
    """A list's items, each as (text, link text), make a table of contents: two items or
    more, every one a contents entry (is_contents_entry), nested items included."""
    return len(entries) >= 2 and all(is_contents_entry(text, links) for text, links in entries)


def _remove_once(text: str, link_text: str) -> str:
    remaining = text
    for word in link_text.split():
        remaining = remaining.replace(word, " ", 1)
    return remaining


def sentences(text: str) -> list[str]:
    """Split text into sentences after . ! ? or …, never after "e.g." and similar."""
    pieces: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        words = text[start : match.start() + 1].split()
        if words and words[-1].casefold() in NON_FINAL_ABBREVIATIONS:
            continue
        pieces.append(text[start : match.end()].strip())
        start = match.end()
    pieces.append(text[start:].strip())
    return [piece for piece in pieces if piece]


def _hard_pieces(text: str, limit: int) -> list[str]:
    """A sentence longer than the limit: cut after ; , or : first, between words last."""
    if len(text) <= limit:
        return [text]
    cuts = [m.end() for m in _CLAUSE_END.finditer(text)] or []
    best = max((c for c in cuts if c <= limit), default=0)
    if best == 0:
        best = text.rfind(" ", 0, limit) + 1 or limit
    return [text[:best].strip(), *_hard_pieces(text[best:].strip(), limit)]


def split_long(units: Sequence[str], glue: Sequence[str], limit: int) -> list[str]:
    """Pack units (paragraph pieces, list items) into texts of at most `limit` characters.

    Units are joined with their glue; a text that would grow past the limit is cut between
    units first, then between sentences, then between clauses. Pieces come out of similar
    size, and a final fragment joins the piece before it.
    """
    atoms: list[tuple[str, str]] = []  # (glue before, text)
    for unit, unit_glue in zip(units, glue, strict=True):
        for index, sentence in enumerate(sentences(unit)):
            for jndex, piece in enumerate(_hard_pieces(sentence, limit)):
                atoms.append((unit_glue if index == jndex == 0 else " ", piece))
    total = sum(len(g) + len(t) for g, t in atoms)
    count = max(1, -(-total // limit))
    target = total / count
    pieces: list[str] = []
    current = ""
    for atom_glue, atom in atoms:
        joined = f"{current}{atom_glue}{atom}" if current else atom
        if current and (len(joined) > limit or len(current) >= target):
            pieces.append(current)
            joined = atom
        current = joined
    if current:
        if pieces and is_fragment(current):
            pieces[-1] = f"{pieces[-1]} {current}"
        else:
            pieces.append(current)
    return pieces
