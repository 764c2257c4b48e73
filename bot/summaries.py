"""Role summaries and comparisons built from the knowledge: platform-neutral, no Slack.

A role's summary is the sections that are about that role alone (``section.roles == (key,)``)
in document order, each section's passages as bullets, every bullet with its citation.
Nothing here knows which roles exist: they come from ``Knowledge.roles``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.types import Citation
from knowledge.model import Knowledge, Role, Section

MAX_ITEMS_PER_GROUP = 4
MAX_GROUPS = 8


@dataclass(frozen=True)
class SummaryItem:
    text: str  # a verbatim passage
    citation: Citation


@dataclass(frozen=True)
class SummaryGroup:
    """One section of the guide: its heading and its passages as bullets."""

    heading: str
    citation: Citation
    items: tuple[SummaryItem, ...]
    truncated: bool = False  # the section holds more passages than `items`


@dataclass(frozen=True)
class RoleSummary:
    role: Role
    groups: tuple[SummaryGroup, ...]


@dataclass(frozen=True)
class ComparisonRow:
    """Groups with the same heading side by side ("Skills" for each role); None when missing."""

    heading: str
    left: SummaryGroup | None
    right: SummaryGroup | None


@dataclass(frozen=True)
class Comparison:
    left: RoleSummary
    right: RoleSummary
    rows: tuple[ComparisonRow, ...]
    shared: tuple[SummaryGroup, ...]  # sections about both roles, e.g. "How the roles differ"


def find_role(knowledge: Knowledge, word: str) -> Role | None:
    """The role a word names (key or alias, any case), or None."""
    word = word.strip()
    return knowledge.role(word) if word else None


def _groups(
    knowledge: Knowledge,
    wanted: tuple[str, ...],
    max_items: int,
    max_groups: int,
    min_level: int = 1,
) -> tuple[SummaryGroup, ...]:
    """Groups for sections whose roles are exactly `wanted` (as a set), in document order."""
    by_section: dict[Section, list[str]] = {}
    for passage in knowledge.passages:
        section = passage.section
        if section.level < min_level:
            continue
        if set(section.roles) == set(wanted) and len(section.roles) == len(wanted):
            by_section.setdefault(passage.section, []).append(passage.text)
    groups: list[SummaryGroup] = []
    for section in knowledge.sections:  # document order
        texts = by_section.get(section)
        if not texts:
            continue
        citation = Citation.of(section)
        items = tuple(SummaryItem(text=t, citation=citation) for t in texts[:max_items])
        groups.append(
            SummaryGroup(
                heading=section.heading,
                citation=citation,
                items=items,
                truncated=len(texts) > max_items,
            )
        )
        if len(groups) == max_groups:
            break
    return tuple(groups)


def summarize_role(
    knowledge: Knowledge,
    key: str,
    *,
    max_items: int = MAX_ITEMS_PER_GROUP,
    max_groups: int = MAX_GROUPS,
) -> RoleSummary | None:
    """The summary of the role named by `key` (key or alias), or None if there is no such role."""
    role = find_role(knowledge, key)
    if role is None:
        return None
    return RoleSummary(role=role, groups=_groups(knowledge, (role.key,), max_items, max_groups))


def compare_roles(
    knowledge: Knowledge,
    first: str,
    second: str,
    *,
    max_items: int = MAX_ITEMS_PER_GROUP,
    max_groups: int = MAX_GROUPS,
) -> Comparison | None:
    """Two roles side by side, rows aligned by heading; None if either role is unknown or
    both words name the same role."""
    left = summarize_role(knowledge, first, max_items=max_items, max_groups=max_groups)
    right = summarize_role(knowledge, second, max_items=max_items, max_groups=max_groups)
    if left is None or right is None or left.role.key == right.role.key:
        return None
    roles = knowledge.roles
    rights = {topic(g.heading, roles).casefold(): g for g in right.groups}
    rows: list[ComparisonRow] = []
    used: set[str] = set()
    for group in left.groups:
        key = topic(group.heading, roles).casefold()
        match = rights.get(key) if key not in used else None
        heading = group.heading
        if match is not None and match.heading != group.heading:
            heading = topic(group.heading, roles) or group.heading
        rows.append(ComparisonRow(heading=heading, left=group, right=match))
        used.add(key)
    for group in right.groups:
        if topic(group.heading, roles).casefold() not in used:
            rows.append(ComparisonRow(heading=group.heading, left=None, right=group))
    # Level 1 is a document's title section: an introduction, not a comparison.
    shared = _groups(knowledge, (left.role.key, right.role.key), max_items, max_groups, 2)
    return Comparison(left=left, right=right, rows=tuple(rows), shared=shared)


_FILLER = {"the", "a", "an", "of", "for", "to", "as", "in", "on", "and", "is", "by", "at"}
_ABBREVIATION = re.compile(r"\(\s*[A-Z][A-Za-z]{1,7}s?\s*\)")


def topic(heading: str, roles: tuple[Role, ...]) -> str:
    """A heading without role names and filler words: "Skills Required for a Product
    Manager (PM)" -> "Skills Required", so the same topic lines up across roles."""
    text = _ABBREVIATION.sub(" ", heading)
    aliases = sorted((a for role in roles for a in role.aliases), key=len, reverse=True)
    for alias in aliases:
        text = re.sub(rf"(?<![\w-]){re.escape(alias)}(?![\w-])", " ", text, flags=re.IGNORECASE)
    words = [w for w in re.findall(r"[\w'-]+", text) if w.casefold() not in _FILLER]
    if not words:
        return ""
    joined = " ".join(words)
    return joined[0].upper() + joined[1:]


def default_pair(knowledge: Knowledge) -> tuple[Role, Role] | None:
    """The two roles to compare when none are named: only when the knowledge has exactly two."""
    if len(knowledge.roles) != 2:
        return None
    return knowledge.roles[0], knowledge.roles[1]


def suggested_questions(knowledge: Knowledge, limit: int = 6) -> tuple[str, ...]:
    """Questions drawn from the headings of role sections, alternating between roles."""
    per_role: dict[str, list[str]] = {role.key: [] for role in knowledge.roles}
    has_text = {p.section for p in knowledge.passages}
    for section in knowledge.sections:
        if section not in has_text or len(section.roles) != 1 or section.level < 2:
            continue
        key = section.roles[0]
        if key not in per_role or section.heading.casefold() == key.casefold():
            continue
        if not _names_a_role(knowledge, section.heading):
            per_role[key].append(f"{section.heading} of a {key}?")
        elif topic(section.heading, knowledge.roles):  # not just the role's own heading
            per_role[key].append(" ".join(_ABBREVIATION.sub(" ", section.heading).split()) + "?")
    out: list[str] = []
    lists = [q for q in per_role.values() if q]
    index = 0
    while lists and len(out) < limit:
        for questions in lists:
            if index < len(questions) and len(out) < limit:
                out.append(questions[index])
        index += 1
        if all(index >= len(q) for q in lists):
            break
    return tuple(out)


def _names_a_role(knowledge: Knowledge, heading: str) -> bool:
    words = heading.casefold()
    return any(alias.casefold() in words for role in knowledge.roles for alias in role.aliases)
