"""Tables (Markdown pipe tables and HTML <table>) as passages: one per body row.

A row reads as its cells, each labelled with its column header and joined with " · ":
"Level: 4 · Title: Senior Analyst · Scope: several teams". Rules:

* Empty cells are skipped; a label is left out when the header is empty, when the cell
  spans columns with different headers, or when the cell repeats its header.
* A cell spanning rows (rowspan) labels every row it spans. Rows that short read as one
  passage led by it ("Split of time · Core: ~80%; Management: ~5%"): alone, "Core: ~80%"
  answers nothing and, one row per category name, matched every question naming one. Rows
  too long to share a passage each keep the label ("Level: M3 · ..."); a row holding nothing
  of its own but such cells is skipped.
* A two-column table of several rows whose second column is prose reads like a
  definition list:
  "Ownership: Takes ownership of the work." (its headers add nothing to each row).
* A row's first cell, when it is a short label, leads its passage: a row labelled with a role
  ("Level: E2 · Title: Software Engineer I · ...") is about that role.
* A row longer than MAX_PASSAGE_CHARS, or one of a matrix (MIN_MATRIX_CELLS cells of prose
  beside its label, as where levels are columns and competencies rows), becomes one passage
  per cell, each led by the row's first cell when that is a short label ("Competency:
  Mentoring · L3 Senior Engineer: ..."); the builder cuts a long cell between its list items
  and sentences, repeating that lead. A question about one level's mentoring then finds
  that cell, not a row holding every level.
* Pieces of one cell (paragraphs, list items, lines) are joined with "; " unless the piece
  before ends in punctuation.
* A table of two columns whose every row is labelled by a link (a README's table of folders)
  is a table of contents: navigation, not knowledge.
* In a responsibility matrix (MIN_RACI_CELLS cells of RACI letters, in two columns or more)
  each letter is spelled out: "EM: A (Accountable)", so "who is accountable for hiring?"
  finds the row, not the page's legend.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from knowledge.loaders._build import DocumentBuilder
from knowledge.loaders._rules import (
    MAX_PASSAGE_CHARS,
    RACI_LETTERS,
    normalise_space,
    word_count,
)

CELL_SEPARATOR = " · "
PIECE_GLUE = "; "
# A first cell this short labels its row ("Technical", "IC1", "Level 4").
MAX_LABEL_WORDS = 8
# A second column averaging this many words is prose: the table is a definition list
# (when it has rows enough to tell; a one-row table's headers are its only labels).
MIN_PROSE_WORDS = 6
MIN_DEFINITION_ROWS = 2
# A row with this many prose cells (MIN_PROSE_WORDS words or more) beside its first is a
# matrix row: each cell says something of its own about one level or role.
MIN_MATRIX_CELLS = 3
# A table with this many cells of RACI letters ("A", "R/A") is a responsibility matrix.
MIN_RACI_CELLS = 4
_RACI_CELL = re.compile(rf"[{''.join(RACI_LETTERS)}](?:\s*[/,&+]\s*[{''.join(RACI_LETTERS)}])*")


@dataclass
class Cell:
    """One table cell as parsed: its text pieces, spans and whether it is a <th>."""

    pieces: list[str]
    header: bool = False
    colspan: int = 1
    rowspan: int = 1
    link: bool = False  # the cell's text is all link text
    text: str = field(init=False)

    def __post_init__(self) -> None:
        pieces = [normalise_space(p) for p in self.pieces]
        self.pieces = [p for p in pieces if p]
        parts: list[str] = []
        for piece in self.pieces:
            if parts:
                parts.append(" " if parts[-1][-1:] in ".!?:;,…" else PIECE_GLUE)
            parts.append(piece)
        self.text = "".join(parts)


@dataclass(frozen=True)
class _Slot:
    cell: Cell
    column: int  # first column the cell covers
    width: int
    own: bool  # the cell starts in this row (not carried down by a rowspan)


def add_table(
    header_rows: Sequence[Sequence[Cell]],
    body_rows: Sequence[Sequence[Cell]],
    builder: DocumentBuilder,
) -> None:
    """Add one passage per body row of the table (see the module docstring)."""
    headers = _column_headers(_grid(header_rows))
    rows = _grid(body_rows)
    if _is_navigation(rows):
        return
    _spell_out_raci(rows)
    if _is_definition_list(headers, rows):
        for label, text in rows:
            if not any(s.own and s.cell.text for s in (label, text)):
                continue
            if label.cell.text and text.cell.text:
                builder.paragraph(text.cell.pieces, lead=f"{label.cell.text}:", glue=PIECE_GLUE)
            else:
                builder.paragraph(label.cell.text or text.cell.text)
        return
    for group in _spanned_groups(rows):
        if len(group) == 1 or not _add_group(group, headers, builder):
            for row in group:
                _add_row(row, headers, builder)


def _is_navigation(rows: list[list[_Slot]]) -> bool:
    """A table of contents: every row labelled by a link to the page it describes, with at
    most a description beside it (a README's table of folders, an index page's table of
    pages). A table with more columns holds data of its own (Notion exports a database so:
    each row's page linked, its level, team and manager beside it)."""
    labels = [row[0].cell for row in rows if row and row[0].own]
    return (
        len(labels) >= MIN_DEFINITION_ROWS
        and all(c.link and c.text for c in labels)
        and all(sum(s.width for s in row) <= 2 for row in rows)
    )


def _spell_out_raci(rows: list[list[_Slot]]) -> None:
    """Cells of RACI letters read "A (Accountable)", in a table holding enough of them."""
    cells = [s for row in rows for s in row if s.own and _RACI_CELL.fullmatch(s.cell.text)]
    if len(cells) < MIN_RACI_CELLS or len({s.column for s in cells}) < 2:
        return
    for slot in cells:
        meaning = ", ".join(RACI_LETTERS[c] for c in slot.cell.text if c in RACI_LETTERS)
        slot.cell.text = f"{slot.cell.text} ({meaning})"
        slot.cell.pieces = [slot.cell.text]


def _spanned_groups(rows: list[list[_Slot]]) -> list[list[list[_Slot]]]:
    """Consecutive rows that share their first cell (a label spanning rows), each row alone
    otherwise."""
    groups: list[list[list[_Slot]]] = []
    for row in rows:
        first = row[0].cell if row else None
        if groups and first is not None and not row[0].own and groups[-1][0][0].cell is first:
            groups[-1].append(row)
        else:
            groups.append([row])
    return groups


def _add_group(group: list[list[_Slot]], headers: list[str], builder: DocumentBuilder) -> bool:
    """Rows under one row-spanning label become one passage led by it ("Split of time · Core:
    ~80%; Management: ~5%") when they fit in one; False when they don't."""
    rows = []
    for row in group:
        rest = [s for s in row[1:] if s.cell.text]
        if rest:
            rows.append(CELL_SEPARATOR.join(_cell(s, headers) for s in rest))
    lead = _cell(group[0][0], headers) + CELL_SEPARATOR.rstrip()
    if not rows or len(lead) + sum(len(r) + len(PIECE_GLUE) for r in rows) > MAX_PASSAGE_CHARS:
        return False
    builder.paragraph(rows, lead=lead, glue=PIECE_GLUE)
    return True


def _add_row(row: list[_Slot], headers: list[str], builder: DocumentBuilder) -> None:
    slots = [s for s in row if s.cell.text]
    if not any(s.own and s.cell.rowspan == 1 for s in slots):
        return  # nothing of its own: a row-spanning label is read with the rows below
    labelled = [(s, _label(s, headers)) for s in slots]
    whole = CELL_SEPARATOR.join(_cell(s, headers) for s in slots)
    prose = sum(word_count(s.cell.text) >= MIN_PROSE_WORDS for s in slots[1:])
    first, first_label = labelled[0]
    lead = ""
    if len(slots) > 1 and word_count(first.cell.text) <= MAX_LABEL_WORDS:
        lead = _labelled(first.cell.text, first_label) + CELL_SEPARATOR.rstrip()
        labelled = labelled[1:]
    if len(whole) <= MAX_PASSAGE_CHARS and prose < MIN_MATRIX_CELLS:
        # one passage, led by its label: the row is about the role its label names
        if lead:
            rest = CELL_SEPARATOR.join(_labelled(s.cell.text, label) for s, label in labelled)
            builder.paragraph(rest, lead=lead)
        else:
            builder.paragraph(whole)
        return
    for slot, label in labelled:
        cell_lead = " ".join(t for t in (lead, f"{label}:" if label else "") if t)
        builder.paragraph(slot.cell.pieces, lead=cell_lead, glue=PIECE_GLUE)


def _cell(slot: _Slot, headers: list[str]) -> str:
    """The cell's text led by its column header, where it has one of its own."""
    return _labelled(slot.cell.text, _label(slot, headers))


def _labelled(text: str, label: str) -> str:
    return f"{label}: {text}" if label else text


def _label(slot: _Slot, headers: list[str]) -> str:
    names = {headers[c] for c in range(slot.column, slot.column + slot.width) if c < len(headers)}
    if len(names) != 1:
        return ""
    (name,) = names
    return "" if name.casefold() == slot.cell.text.casefold() else name


def _grid(rows: Sequence[Sequence[Cell]]) -> list[list[_Slot]]:
    """Lay cells out on a grid, carrying a rowspan cell down into the rows it spans."""
    grid: list[list[_Slot]] = []
    carried: dict[int, tuple[_Slot, int]] = {}  # column -> (slot, rows left)
    for cells in rows:
        row: list[_Slot] = []
        column = 0
        pending = list(cells)
        while pending or any(c >= column for c in carried):
            if column in carried:
                slot, left = carried.pop(column)
                row.append(_Slot(slot.cell, column, slot.width, own=False))
                if left > 1:
                    carried[column] = (slot, left - 1)
                column += slot.width
                continue
            if not pending:
                column = min(c for c in carried if c >= column)
                continue
            cell = pending.pop(0)
            slot = _Slot(cell, column, max(1, cell.colspan), own=True)
            row.append(slot)
            if cell.rowspan > 1:
                carried[column] = (slot, cell.rowspan - 1)
            column += slot.width
        grid.append(row)
    return grid


def _column_headers(rows: list[list[_Slot]]) -> list[str]:
    """Each column's header text; header rows stacked above it are joined."""
    columns: dict[int, list[str]] = {}
    for row in rows:
        for slot in row:
            for column in range(slot.column, slot.column + slot.width):
                names = columns.setdefault(column, [])
                if slot.cell.text and slot.cell.text not in names:
                    names.append(slot.cell.text)
    width = max(columns, default=-1) + 1
    return [" ".join(columns.get(c, [])) for c in range(width)]


def _is_definition_list(headers: list[str], rows: list[list[_Slot]]) -> bool:
    if len(rows) < MIN_DEFINITION_ROWS or len(headers) > 2:
        return False
    if any(len(row) != 2 or row[0].width != 1 for row in rows):
        return False
    firsts = [word_count(row[0].cell.text) for row in rows]
    seconds = [word_count(row[1].cell.text) for row in rows]
    return (
        sum(seconds) / len(seconds) >= MIN_PROSE_WORDS
        and max(firsts) <= MAX_LABEL_WORDS
        and sum(firsts) < sum(seconds)
    )
