"""Find the roles a knowledge base talks about and tag each section with the roles it covers.

Roles are discovered, never listed in code: a heading that spells a role out with its
abbreviation ("Technical Product Manager (TPM)") declares it, and so does a heading naming a
job title ("The Data Scientist": capitalised words ending in a job-title noun such as
manager, engineer or designer). A section is about the roles its own heading names; a heading
that names none inherits the roles of the heading above.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from knowledge.model import ParsedDocument, Role, Section

# "Technical Product Manager (TPM)": two to six capitalised words, then an acronym in brackets.
_DECLARATION = re.compile(
    r"\b((?:[A-Z][\w'-]*\s+){0,5}[A-Z][\w'-]*)\s*\(\s*([A-Z][A-Za-z]{1,7})s?\s*\)"
)
_LEADING_NOISE = re.compile(r"^(?:(?:The|A|An|Of|For|Role|Focus|Skills|Responsibilities)\s+)+")

# Head nouns of job titles in general English.
TITLE_HEADS = (
    "manager", "designer", "researcher", "scientist", "engineer", "developer", "owner",
    "master", "analyst", "architect", "director", "officer", "marketer", "writer", "recruiter",
    "consultant", "coordinator", "specialist", "administrator", "tester", "strategist", "coach",
    "lead",
)  # fmt: skip
_GLUE = frozenset(
    "a an the of for with between and or to in on at by from as vs versus about like".split()
)
_HEADS = "|".join(head.capitalize() for head in TITLE_HEADS)
# "Data Scientist", "Site Reliability Engineer": one to three capitalised words, then the head.
_TITLE_HEADING = re.compile(r"\b((?:[A-Z][\w'-]*\s+){1,3}(?:" + _HEADS + r"))s?\b")


def discover_roles(headings: Iterable[str]) -> tuple[Role, ...]:
    """Roles declared as 'Name (ABBR)' in any heading, ordered by first appearance."""
    found: dict[str, Role] = {}
    for heading in headings:
        for match in _DECLARATION.finditer(heading):
            name = _LEADING_NOISE.sub("", match.group(1)).strip()
            key = match.group(2)
            initials = "".join(word[0] for word in name.split()).upper()
            # Keep only names whose words spell the abbreviation: guards against "Summary (2024)".
            if not initials.endswith(key.upper()) or key in found:
                continue
            name_words = name.split()[-len(key) :] if len(name.split()) > len(key) else name.split()
            found[key] = Role(key=key, name=" ".join(name_words), aliases=_aliases(key, name_words))
    return tuple(found.values())


def discover_titles(headings: Iterable[str], declared: tuple[Role, ...]) -> tuple[Role, ...]:
    """Job titles named in headings without an abbreviation; the title is its own key."""
    known = {a.casefold() for role in declared for a in role.aliases}
    found: dict[str, Role] = {}
    for heading in headings:
        for match in _TITLE_HEADING.finditer(heading):
            words = match.group(1).split()
            # Title-case headings: "Working With The Engineering Manager" -> "Engineering Manager"
            cut = max((i + 1 for i, w in enumerate(words) if w.casefold() in _GLUE), default=0)
            name = _LEADING_NOISE.sub("", " ".join(words[cut:])).strip()
            folded = name.casefold()
            if len(name.split()) < 2 or folded in found or any(folded.endswith(k) for k in known):
                continue
            found[name.casefold()] = Role(key=name, name=name, aliases=(name, name + "s"))
    return tuple(found.values())


def _aliases(key: str, name_words: list[str]) -> tuple[str, ...]:
    name = " ".join(name_words)
    return (key, key + "s", name, name + "s")


@dataclass(frozen=True)
class _RoleMatcher:
    pattern: re.Pattern[str]
    keys: dict[str, str]  # lower-cased alias -> role key


@lru_cache(maxsize=64)
def _matcher(roles: tuple[Role, ...]) -> _RoleMatcher:
    """One pattern for all roles, longest alias first, so at any position the longest name
    wins ("Technical Product Manager" is a TPM, not a PM). Whole words only: "PM" matches
    "pm" and "PMs", never the "pm" inside "npm"."""
    keys: dict[str, str] = {}
    for role in sorted(roles, key=lambda r: len(r.name), reverse=True):
        for alias in role.aliases:
            keys.setdefault(alias.lower(), role.key)
    if not keys:
        return _RoleMatcher(re.compile(r"(?!x)x"), keys)
    alternatives = sorted((re.escape(a) for a in keys), key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])", re.I)
    return _RoleMatcher(pattern, keys)


def roles_named(text: str, roles: tuple[Role, ...]) -> tuple[str, ...]:
    """Role keys mentioned in text, in order of first mention; longer names win."""
    matcher = _matcher(roles)
    found = (matcher.keys[m.group(0).lower()] for m in matcher.pattern.finditer(text))
    return tuple(dict.fromkeys(found))


_KIND = r"(?:kind|type|sort|flavou?r|variety)s?"


@lru_cache(maxsize=64)
def _kind_of_family(roles: tuple[Role, ...]) -> re.Pattern[str] | None:
    """'which kind of PM', 'what PM type': a kind of a role whose name other roles' names
    extend (a Technical Product Manager is a kind of Product Manager)."""
    families = [
        alias
        for role in roles
        if any(o.name.lower().endswith(" " + role.name.lower()) for o in roles if o != role)
        for alias in role.aliases
    ]
    if not families:
        return None
    names = "|".join(sorted((re.escape(a) for a in families), key=len, reverse=True))
    return re.compile(
        rf"\b(?:which|what)\s+(?:{_KIND}\s+of\s+(?:an?\s+)?(?:{names})|(?:{names})\s+{_KIND})"
        r"(?![\w-])",
        re.IGNORECASE,
    )


def ask_which_role(text: str, roles: tuple[Role, ...]) -> str:
    """Asking for a kind of a role family ("which PM type works with engineers?") asks which
    of the roles does it: the phrase becomes "which role", which names none."""
    pattern = _kind_of_family(roles)
    return pattern.sub("which role", text) if pattern else text


def mask_roles(text: str, roles: tuple[Role, ...], replacement: str = "someone") -> str:
    """The text with every role name replaced, to judge what it asks beyond the role."""
    return _matcher(roles).pattern.sub(replacement, text)


def tag_roles(
    documents: tuple[ParsedDocument, ...], roles: tuple[Role, ...]
) -> tuple[ParsedDocument, ...]:
    """Return the documents with every section's `roles` filled in."""
    return tuple(_tag_document(doc, roles) for doc in documents)


def section_roles(path: tuple[str, ...], roles: tuple[Role, ...]) -> tuple[str, ...]:
    """The most specific heading that names a role decides; the title is the last resort."""
    for heading in reversed(path):
        found = roles_named(heading, roles)
        if found:
            return found
    return ()


def passage_roles(text: str, section: Section, roles: tuple[Role, ...]) -> tuple[str, ...]:
    """A comparison section's passage that names only some of its roles is about those."""
    if len(section.roles) <= 1:
        return section.roles
    named = tuple(r for r in roles_named(text, roles) if r in section.roles)
    return named or section.roles


def _tag_document(doc: ParsedDocument, roles: tuple[Role, ...]) -> ParsedDocument:
    # Keyed by identity: two sections may share a heading path and must both survive.
    tagged = {id(s): replace(s, roles=section_roles(s.path, roles)) for s in doc.sections}
    passages = tuple(
        replace(
            p,
            section=tagged[id(p.section)],
            roles=passage_roles(p.text, tagged[id(p.section)], roles),
        )
        for p in doc.passages
    )
    return ParsedDocument(document=doc.document, sections=tuple(tagged.values()), passages=passages)
