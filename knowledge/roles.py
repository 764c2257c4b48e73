"""Find the roles a knowledge base talks about and tag each section with the roles it covers.

Roles are discovered from what the documents say, never listed in code:
- a role spelled out with its abbreviation, in a heading or anywhere in the text
  ("Technical Product Manager (TPM)", "Subject Matter Expert (SME)"; in body text, or in
  sentence case ("Product managers (PMs)"), only when the name ends in a job-title noun, so
  "Service Level Agreement (SLA)" is no role);
- a job title in a heading or a document title: capitalised words ending in a job-title noun
  ("Senior Data Scientist", "Working With The Engineering Manager" -> Engineering Manager),
  a head and its field ("Head of Data", "VP of Engineering"), or a heading that opens with a
  job-title noun ("Engineer", "Analyst career path" -> Analyst);
- a job title used at least twice in the text, as in a table row ("Title: Senior Analyst");
- a level code heading ("L5", "IC6") or one given with a title ("Principal Analyst (IC6)",
  "A3 - Analyst 3", "L3 Senior Engineer"): the code names that title.
A section is about the roles its own heading names; a heading that names none inherits the
roles of the heading above.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

from knowledge.model import ParsedDocument, Role, Section

# "Technical Product Manager (TPM)": up to six words, then an acronym in brackets. A plural
# abbreviation ("Engineering Managers (EMs)") declares the singular. Words in lower case
# ("Product managers (PMs)", "our engineering managers (EMs)") declare only a job title.
_DECLARATION = re.compile(
    r"\b((?:[A-Za-z][\w'-]*\s+){0,5}[A-Za-z][\w'-]*)\s*\(\s*([A-Z][A-Za-z]{1,7}?)(s?)\s*\)"
)
_LEADING_NOISE = re.compile(r"^(?:(?:The|A|An|Of|For|Role|Focus|Skills|Responsibilities)\s+)+")

# Head nouns of job titles in general English.
TITLE_HEADS = (
    "manager", "designer", "researcher", "scientist", "engineer", "developer", "owner",
    "master", "analyst", "architect", "director", "officer", "marketer", "writer", "recruiter",
    "consultant", "coordinator", "specialist", "administrator", "tester", "strategist", "coach",
    "lead", "commander", "liaison", "scribe", "deputy", "expert", "intern", "editor",
    "advocate", "representative", "programmer", "accountant", "auditor", "counsel", "steward",
    "technician", "librarian", "evangelist", "executive", "assistant", "supervisor", "operator",
    "planner", "producer", "agent", "trainer", "facilitator", "controller", "clerk",
    "copywriter", "illustrator", "partner",
)  # fmt: skip
# Titles that name their field after "of": "Head of Data", "Director of Clinical Operations".
OF_TITLE_HEADS = ("head", "director", "vp", "vice president")
# Heads that are also common verbs or words ("Lead by example", "Master the basics"): a
# heading opening with one is no title.
_VERB_HEADS = frozenset({"lead", "master", "coach", "owner"})
# Heads that also qualify a noun after them ("Provide Executive Status Updates", "Partner
# Program"): a title only where no capitalised word follows.
_MODIFIER_HEADS = frozenset({"executive", "partner", "agent", "assistant", "operator"})
_CAPITAL_NEXT = re.compile(r"s?\s+[A-Z]")
# Level codes: "L5", "IC6", "E4", "M2", "S1".
_LEVEL_CODE = r"[A-Z]{1,3}\d{1,2}"
_LEVEL_HEADING = re.compile(rf"^\s*({_LEVEL_CODE})\s*$")
# "Principal Analyst (IC6)" / "A3 - Analyst 3" / "L5: Senior Engineer" / "E1 · Engineer I"
# ("Director of Engineering (M3)", "M3 — Director of Engineering": "of" may join the words)
_CODED_TITLE = re.compile(
    rf"((?:[A-Z][\w'-]*\s+(?:of\s+)?){{0,4}}[A-Z][\w'-]*)\s*\(\s*({_LEVEL_CODE})\s*\)"
    rf"|^\s*({_LEVEL_CODE})\s*[-–—:·|]\s*((?:[A-Z][\w'-]*\s*(?:of\s+)?){{1,5}}?)(?:\s+\d+)?\s*$"
)
# Words a title never holds: what comes before them in a heading is not part of it ("Do QA
# Engineers write tests?" -> QA Engineer).
_GLUE = frozenset(
    "a an the of for with between and or to in on at by from as vs versus about like our your "
    "their every each any this that these those its his her my when if while once all some no "
    "is are be new do does did can could should would will must may might how what who whom "
    "whose why where which".split()
)
_HEADS = "|".join(head.capitalize() for head in TITLE_HEADS)
# "Data Scientist", "Site Reliability Engineer": one to three capitalised words, then the head.
_TITLE_HEADING = re.compile(r"\b((?:[A-Z][\w'-]*\s+){1,3}(?:" + _HEADS + r"))s?\b")
# A level in Roman numerals after a title ("Support Specialist II"), not the pronoun ("As an
# Engineer I built ...").
_NUMERAL_LEVEL = re.compile(r"\s+(I{1,3}|IV|V|VI{1,3})(?![\w'])(?!\s+[a-z])")
_ROMAN = {"I": "1", "II": "2", "III": "3", "IV": "4", "V": "5", "VI": "6", "VII": "7", "VIII": "8"}
# "Head of Data", "VP of Engineering", "Director of Clinical Operations": up to three
# capitalised words after "of".
_OF_TITLE = re.compile(
    r"\b((?:"
    + "|".join(h.title() if h != "vp" else "VP" for h in OF_TITLE_HEADS)
    + r")\s+of\s+[A-Z][\w'&-]*(?:\s+[A-Z][\w'&-]*){0,2})"
)
# A heading that opens with the head noun: "Engineer", "Scribe", "Analyst career path".
_OPENING_HEAD = re.compile(r"^\s*(?:The\s+)?(" + _HEADS + r")s?\b(?!\s+[A-Z])")
# A head noun and its level in Roman numerals: "Developer II" of "Developer II (L2)".
_HEAD_AND_NUMERAL = re.compile(r"(?:" + _HEADS + r")\s+(?:I{1,3}|IV|V|VI{1,3})")
# Words that go on after a job title opening a heading about the job ("Analyst career path",
# "Developer track", "Managers at Acme", "Engineer: levels"); after any other word the head
# noun names a thing ("Editor setup").
ROLE_PAGE_WORDS = frozenset(
    "track tracks ladder ladders career careers path paths level levels leveling levelling "
    "role roles responsibilities duties expectations guide handbook overview framework "
    "competencies competency profile profiles job jobs description descriptions family "
    "families progression growth at of and vs versus rotation".split()
)
# In body text, a title counts from this many uses (a table column of titles, say).
MIN_TEXT_USES = 2


def discover_roles(headings: Iterable[str], *, titles_only: bool = False) -> tuple[Role, ...]:
    """Roles declared as 'Name (ABBR)', ordered by first appearance; with `titles_only` (for
    body text), only names ending in a job-title noun."""
    found: dict[str, Role] = {}
    for heading in headings:
        for match in _DECLARATION.finditer(heading):
            name = _LEADING_NOISE.sub("", match.group(1)).strip()
            key = match.group(2)
            if match.group(3) and name.endswith("s"):
                name = name[:-1]  # "Engineering Managers (EMs)" declares an Engineering Manager
            initials = "".join(word[0] for word in name.split()).upper()
            # Keep only names whose words spell the abbreviation: guards against "Summary (2024)".
            if not initials.endswith(key.upper()) or key in found:
                continue
            name_words = name.split()[-len(key) :] if len(name.split()) > len(key) else name.split()
            capitalised = all(word[0].isupper() for word in name_words)
            is_title = name_words[-1].casefold().rstrip("s") in TITLE_HEADS
            if (titles_only or not capitalised) and not is_title:
                continue
            name_words = [word[0].upper() + word[1:] for word in name_words]
            found[key] = Role(key=key, name=" ".join(name_words), aliases=_aliases(key, name_words))
    return tuple(found.values())


def discover_titles(
    headings: Iterable[str], declared: tuple[Role, ...], *, min_uses: int = 1
) -> tuple[Role, ...]:
    """Job titles named without an abbreviation (in headings, or `min_uses` times in text);
    the title is its own key."""
    known = {a.casefold() for role in declared for a in role.aliases}
    counts: dict[str, int] = {}
    names: dict[str, str] = {}
    for heading in headings:
        for match in _OF_TITLE.finditer(heading):
            name = " ".join(match.group(1).split())
            if name.casefold() not in known:
                counts[name.casefold()] = counts.get(name.casefold(), 0) + 1
                names.setdefault(name.casefold(), name)
        for match in _TITLE_HEADING.finditer(heading):
            words = match.group(1).split()
            if words[-1].casefold() in _MODIFIER_HEADS and _CAPITAL_NEXT.match(
                heading, match.end(1)
            ):
                continue
            # Title-case headings: "Working With The Engineering Manager" -> "Engineering Manager"
            cut = max((i + 1 for i, w in enumerate(words) if w.casefold() in _GLUE), default=0)
            name = _LEADING_NOISE.sub("", " ".join(words[cut:])).strip()
            numeral = _NUMERAL_LEVEL.match(heading, match.end())
            if numeral and len(name.split()) >= 2:
                name += " " + numeral.group(1)
            folded = name.casefold()
            if len(name.split()) < 2 or folded in known:
                continue
            counts[folded] = counts.get(folded, 0) + 1
            names.setdefault(folded, name)
    return tuple(_title(names[f]) for f in names if counts[f] >= min_uses)


def discover_heading_heads(headings: Iterable[str], known: tuple[Role, ...]) -> tuple[Role, ...]:
    """One-word titles a heading opens with ("Engineer", "Scribe", "Analyst career path"), alone
    or followed by a word of a page about the job (ROLE_PAGE_WORDS): "Editor setup" is none."""
    taken = {a.casefold() for role in known for a in role.aliases}
    found: dict[str, Role] = {}
    for heading in headings:
        match = _OPENING_HEAD.match(heading)
        if match and match.group(1).casefold() not in taken | _VERB_HEADS:
            after = heading[match.end() :].split()
            if after and after[0].casefold().strip(":,.-–—") not in ROLE_PAGE_WORDS:
                continue  # "Editor setup", "Controller settings": a thing, not a job
            found.setdefault(match.group(1).casefold(), _title(match.group(1)))
    return tuple(found.values())


def with_level_codes(headings: Iterable[str], roles: tuple[Role, ...]) -> tuple[Role, ...]:
    """Level codes: one given with a title ("Principal Analyst (IC6)", "A3 - Analyst 3")
    becomes an alias of that title's role (a new role when the title is new); a heading that
    is only a code ("L5") is a role of its own. A code given with two titles (tracks that
    share their numbering: "Staff Developer (L4)", "Engineering Manager (L4)") names
    neither."""
    coded = [(heading, list(_titled_codes(heading))) for heading in headings]
    titled: dict[str, set[str]] = {}
    for _, pairs in coded:
        for title, code in pairs:
            titled.setdefault(code, set()).add(title.casefold())
    shared = {code for code, titles in titled.items() if len(titles) > 1}
    aliases: dict[str, list[str]] = {role.key: [] for role in roles}
    extra: dict[str, Role] = {}
    for heading, pairs in coded:
        bare = _LEVEL_HEADING.match(heading)
        if bare:
            extra.setdefault(bare.group(1), Role(bare.group(1), bare.group(1), (bare.group(1),)))
            continue
        for title, code in pairs:
            if code in shared:
                continue
            key = next(
                (r.key for r in roles if title.casefold() in (a.casefold() for a in r.aliases)),
                None,
            )
            if key is not None:
                aliases[key].append(code)
            elif (
                _TITLE_HEADING.search(title)
                or _OPENING_HEAD.match(title)
                or _HEAD_AND_NUMERAL.fullmatch(title)
            ):
                extra.setdefault(title.casefold(), _title(title, (code,)))
    updated = tuple(
        replace(r, aliases=tuple(dict.fromkeys((*r.aliases, *aliases[r.key])))) for r in roles
    )
    known = {a.casefold() for r in updated for a in r.aliases}
    return updated + tuple(r for r in extra.values() if r.key.casefold() not in known)


def _titled_codes(heading: str) -> Iterator[tuple[str, str]]:
    """Each (title, code) a heading gives ("Principal Analyst (IC6)", "E1 · Engineer I"), the
    title without leading noise words and not itself in capitals."""
    for match in _CODED_TITLE.finditer(heading):
        title = _LEADING_NOISE.sub("", (match.group(1) or match.group(4) or "").strip()).strip()
        if title and title.upper() != title:
            yield title, match.group(2) or match.group(3)


def discover(headings: list[str], texts: list[str]) -> tuple[Role, ...]:
    """Every role the documents name (see the module docstring), in order of discovery."""
    roles = discover_roles(headings)
    roles += tuple(
        r for r in discover_roles(texts, titles_only=True) if r.key not in {k.key for k in roles}
    )
    roles += discover_titles(headings, roles)
    roles += discover_titles(texts, roles, min_uses=MIN_TEXT_USES)
    roles += discover_heading_heads(headings, roles)
    return with_coded_names(with_level_codes(headings, roles))


def with_coded_names(roles: tuple[Role, ...]) -> tuple[Role, ...]:
    """A title that opens with a level code ("L3 Senior Engineer", a column of a level matrix)
    is named by the code too ("L3"), and by the title without it ("Senior Engineer") unless
    another coded title or another role has that name ("L1 Engineer", "L2 Engineer")."""
    coded = {}
    for role in roles:
        code, _, rest = role.name.partition(" ")
        if rest and re.fullmatch(_LEVEL_CODE, code):
            coded[role.key] = (code, rest)
    if not coded:
        return roles
    taken = {a.casefold() for r in roles for a in r.aliases}
    bare = [rest.casefold() for _, rest in coded.values()]
    updated = []
    for role in roles:
        if role.key not in coded:
            updated.append(role)
            continue
        code, rest = coded[role.key]
        extra = [code] if code.casefold() not in taken else []
        if bare.count(rest.casefold()) == 1 and rest.casefold() not in taken:
            extra += [rest, rest + "s"]
        updated.append(replace(role, aliases=(*role.aliases, *extra)))
    return tuple(updated)


def _title(name: str, extra: tuple[str, ...] = ()) -> Role:
    """A title's role; a level in Roman numerals is named in digits too ("Support Specialist
    2")."""
    rest, _, last = name.rpartition(" ")
    digits = (f"{rest} {_ROMAN[last]}",) if rest and last in _ROMAN else ()
    return Role(key=name, name=name, aliases=(name, _plural(name), *digits, *extra))


def _plural(name: str) -> str:
    """ "Data Scientists"; "Heads of Data", where the head comes before its field; "Support
    Specialists II", before its level."""
    head, of, field = name.partition(" of ")
    if of:
        return f"{head}s{of}{field}"
    rest, _, last = name.rpartition(" ")
    return f"{rest}s {last}" if rest and last in _ROMAN else name + "s"


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


# How alike a word must be to a word of a role's name to be read as it, misspelt as another
# real word ("fronted" for "frontend", "principle" for "principal"): "program" is not
# "product" (0.71), "junior" not "senior" (0.67).
NAME_ALIKE = 0.75
_WORD_SPAN = re.compile(r"[A-Za-z][\w'-]*")


@lru_cache(maxsize=64)
def _names_by_last_word(roles: tuple[Role, ...]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Every role name of two words or more, by its last word (casefolded)."""
    names: dict[str, list[tuple[str, ...]]] = {}
    for role in roles:
        for alias in role.aliases:
            words = tuple(alias.casefold().split())
            if len(words) > 1 and not alias.isupper():
                names.setdefault(words[-1], []).append(words)
    return {last: tuple(found) for last, found in names.items()}


def spell_role_names(text: str, roles: tuple[Role, ...]) -> str:
    """The text with a role's name misspelt as other real words written rightly ("a fronted
    engineer" -> "a frontend engineer"): the same last word, each word before it alike
    (NAME_ALIKE) and starting with the same letter. Words a spelling check leaves alone,
    since each is a word of its own."""
    by_last = _names_by_last_word(roles)
    spans = list(_WORD_SPAN.finditer(text))
    out, end = [], 0
    for i, span in enumerate(spans):
        for name in by_last.get(span.group(0).casefold(), ()):
            start = i - len(name) + 1
            if start < 0 or spans[start].start() < end:
                continue
            asked = [m.group(0).casefold() for m in spans[start : i + 1]]
            if asked != list(name) and all(
                a == b
                or (a[0] == b[0] and difflib.SequenceMatcher(None, a, b).ratio() >= NAME_ALIKE)
                for a, b in zip(asked, name, strict=True)
            ):
                out.append(text[end : spans[start].start()] + " ".join(name))
                end = span.end()
                break
    return "".join(out) + text[end:]


# Words of job titles and the short forms people type in chat ("sr dev", "ops eng", "jr mgr").
TITLE_SHORT_FORMS: dict[str, tuple[str, ...]] = {
    "senior": ("sr", "snr"),
    "junior": ("jr", "jnr"),
    "manager": ("mgr", "mngr"),
    "management": ("mgmt",),
    "engineer": ("eng", "engr"),
    "engineering": ("eng", "engg"),
    "developer": ("dev",),
    "development": ("dev",),
    "software": ("sw",),
    "operations": ("ops",),
    "associate": ("assoc",),
    "principal": ("princ",),
    "director": ("dir",),
    "technical": ("tech",),
    "technology": ("tech",),
    "product": ("prod",),
    "administrator": ("admin",),
    "assistant": ("asst",),
    "representative": ("rep",),
    "executive": ("exec",),
}


def _long_forms() -> dict[str, tuple[str, ...]]:
    """Each short form with the words it stands for, plurals too ("sr devs", "eng mgrs")."""
    forms: dict[str, tuple[str, ...]] = {}
    for long, shorts in TITLE_SHORT_FORMS.items():
        for short in shorts:
            forms[short] = (*forms.get(short, ()), long)
            if not short.endswith("s"):
                forms[short + "s"] = (*forms.get(short + "s", ()), long + "s")
    return forms


_LONG_FORMS = _long_forms()
MAX_TITLE_WORDS = 4  # the longest run of typed words read as one title


def spell_out_titles(text: str, roles: tuple[Role, ...]) -> str:
    """The text with a title of two words or more typed in short forms written out as the
    role's name: chat short forms of title words ("sr dev" -> "Senior Developer", "ops eng"
    -> "Operations Engineer", TITLE_SHORT_FORMS) and a role's abbreviation inside a longer
    title ("senior em" -> "Senior Engineering Manager"). Only where the spelt-out words are
    a role's name: "dev environment" stays as it is. Train+dev top-1: guide 95.9 -> 96.1%,
    seed article 96.9 -> 97.0%, probe-ladder-onboarding 78.8 -> 81.8%; infracloud-ours 76.7 ->
    73.3% (two lines at a hair's breadth, now read as about the role they name)."""
    names, abbreviations = _spelt_names(roles)
    if not names:
        return text
    spans = list(_WORD_SPAN.finditer(text))
    typed = [m.group(0).casefold() for m in spans]
    if not any(w in _LONG_FORMS or w in abbreviations for w in typed):
        return text  # no short form to spell out: every run of words stays as typed
    out, end, i = [], 0, 0
    while i < len(spans):
        for size in range(min(MAX_TITLE_WORDS, len(spans) - i), 1, -1):
            name = _spelt_out(typed[i : i + size], names, abbreviations)
            if name is not None:
                out.append(text[end : spans[i].start()] + name)
                end = spans[i + size - 1].end()
                i += size
                break
        else:
            i += 1
    return "".join(out) + text[end:]


@lru_cache(maxsize=64)
def _spelt_names(
    roles: tuple[Role, ...],
) -> tuple[dict[tuple[str, ...], str], dict[str, tuple[str, ...]]]:
    """Role names of two words or more by their lower-case words, and the abbreviations of
    such names ("em" -> engineering manager)."""
    names = {
        tuple(alias.casefold().split()): alias
        for role in roles
        for alias in role.aliases
        if len(alias.split()) > 1
    }
    abbreviations = {
        role.key.casefold(): tuple(role.name.casefold().split())
        for role in roles
        if role.key.isupper() and len(role.name.split()) > 1
    }
    return names, abbreviations


def _spelt_out(
    typed: list[str],
    names: dict[tuple[str, ...], str],
    abbreviations: dict[str, tuple[str, ...]],
) -> str | None:
    """The role name the typed words spell out, when at least one of them is a short form."""
    if tuple(typed) in names:
        return None  # written out already
    options = [
        [
            (word,),
            *((long,) for long in _LONG_FORMS.get(word, ())),
            *((abbreviations[word],) if word in abbreviations else ()),
        ]
        for word in typed
    ]
    for choice in itertools.product(*options):
        spelt = tuple(w for part in choice for w in part)
        if spelt in names:
            return names[spelt]
    return None


# Level words that stand for a title when used as a noun ("do associates give talks?",
# "principal vs staff"): the role named by the word and one head noun.
LEVEL_NOUNS = frozenset("associate junior senior staff principal distinguished".split())
# A level word in the singular names a role after an article, "to" or "vs" and before the
# end of a clause ("promoted to principal?", "staff vs principal"), or before "vs" ("principal
# vs staff"); not after "my" ("ask my staff?").
_LEVEL_BEFORE = re.compile(r"\b(?:a|an|the|to|vs\.?|versus)\s+$", re.IGNORECASE)
_LEVEL_AFTER = re.compile(r"\s*[,:;?!]|\s*$", re.IGNORECASE)
_LEVEL_COMPARED = re.compile(r"\s*(?:vs\.?|versus)\s+", re.IGNORECASE)


def spell_out_levels(text: str, roles: tuple[Role, ...]) -> str:
    """The text with a level word used as a noun written out as the one role it names: in
    the plural ("do associates give talks?" -> "do Associate Engineers give talks?") or set
    against another ("principal vs staff"), where that is the knowledge's one role name
    opening with the level word, and it has one more word ("Senior Engineer"). A level word
    before another word ("a senior designer") is left as it is. Train+dev: infracloud top-1
    76.7 -> 80.0% (the associates' question now sets both levels side by side), ft-ours one
    more right answer given; no other outcome changed. Read in coordinations too ("a staff or
    principal engineer") it split a shared title (infracloud-ours 73.3 -> 70.0%); taking the
    shortest of several names opening with the word read "above principal?" as one track's
    (probe-framework-page 88.2 -> 85.3%)."""
    levels = _level_names(roles)
    if not levels:
        return text
    out, end = [], 0
    for match in _WORD_SPAN.finditer(text):
        word = match.group(0).casefold()
        plural = word.endswith("s") and word[:-1] in levels
        name = levels.get(word[:-1] if plural else word)
        if name is None:
            continue
        if not plural and not _singular_level(text, match):
            continue
        out.append(text[end : match.start()] + (name + "s" if plural else name))
        end = match.end()
    return "".join(out) + text[end:]


def _singular_level(text: str, match: re.Match[str]) -> bool:
    """The level word of `match` stands alone as a noun (see _LEVEL_BEFORE)."""
    if _LEVEL_COMPARED.match(text, match.end()):
        return True
    before = _LEVEL_BEFORE.search(text, 0, match.start())
    return before is not None and _LEVEL_AFTER.match(text, match.end()) is not None


@lru_cache(maxsize=64)
def _level_names(roles: tuple[Role, ...]) -> dict[str, str]:
    """Each level word (LEVEL_NOUNS) with the role name it stands for: the one name made of
    it and one more word, where no other role's name opens with it ("Senior Engineer", not
    beside "Senior Designer" or "Senior Software Engineer")."""
    found: dict[str, list[str]] = {}
    for role in roles:
        words = role.name.split()
        if len(words) >= 2 and words[0].casefold() in LEVEL_NOUNS:
            found.setdefault(words[0].casefold(), []).append(role.name)
    return {
        level: names[0]
        for level, names in found.items()
        if len(names) == 1 and len(names[0].split()) == 2
    }


def ask_which_role(text: str, roles: tuple[Role, ...]) -> str:
    """Asking for a kind of a role family ("which PM type works with engineers?") asks which
    of the roles does it: the phrase becomes "which role", which names none."""
    pattern = _kind_of_family(roles)
    return pattern.sub("which role", text) if pattern else text


def mask_roles(text: str, roles: tuple[Role, ...], replacement: str = "someone") -> str:
    """The text with every role name replaced, to judge what it asks beyond the role."""
    return _matcher(roles).pattern.sub(replacement, text)


# A heading that sets a role against another ("What changes from Designer", "Compared to a
# Programmer"): its section is about the role of the heading above as well (no train+dev
# outcome changed; a probe's comparison section had been tagged with the contrasted role).
_CONTRAST = re.compile(
    r"\b(?:from|than|vs\.?|versus|compared|unlike|differ\w*|beyond)\b", re.IGNORECASE
)


def slug_words(heading: str) -> str:
    """A heading of one token joined by "_" or "-" (a file name standing for a title) as the
    words it joins; any other heading as it is."""
    if " " in heading or not _SLUG_JOINS.search(heading):
        return heading
    return " ".join(_SLUG_JOINS.split(heading)).strip()


_SLUG_JOINS = re.compile(r"[_-]+")


def tag_roles(
    documents: tuple[ParsedDocument, ...], roles: tuple[Role, ...]
) -> tuple[ParsedDocument, ...]:
    """Return the documents with every section's `roles` filled in."""
    return tuple(_tag_document(doc, roles) for doc in documents)


def section_roles(path: tuple[str, ...], roles: tuple[Role, ...]) -> tuple[str, ...]:
    """The most specific heading that names a role decides, with the roles above it where it
    sets its role against theirs ("Senior Designer › What changes from Designer"); the title is
    the last resort, read as words where it is a file name ("subject_matter_expert",
    "incident-commander")."""
    for depth in range(len(path) - 1, -1, -1):
        found = roles_named(slug_words(path[depth]), roles)
        if found and _CONTRAST.search(path[depth]):
            # "Senior Designer › What changes from Designer": about the one above too
            above = section_roles(path[:depth], roles)
            return tuple(dict.fromkeys((*above, *found)))
        if found:
            return found
    return ()


def passage_roles(
    text: str, section: Section, roles: tuple[Role, ...], lead: str = ""
) -> tuple[str, ...]:
    """A table passage one of whose labels is a role's name is about that role ("Competency:
    Mentoring · L3 Senior Engineer: ...", "Level: E2 · Title: ..."); a comparison section's
    passage that names only some of its roles is about those."""
    led = _labelled_roles(lead, roles) or (_labelled_roles(text, roles) if lead else ())
    if len(led) == 1:
        return led
    if len(section.roles) <= 1:
        return section.roles
    named = tuple(r for r in roles_named(text, roles) if r in section.roles)
    return named or section.roles


def _labelled_roles(lead: str, roles: tuple[Role, ...]) -> tuple[str, ...]:
    """The roles a table passage's labels are ("Level: E2 ·", "Mentoring · L3 Senior
    Engineer:"), each label a role's whole name: "Leads hiring for new Engineers" is none."""
    keys = _matcher(roles).keys
    labels = (part.strip().casefold() for part in re.split(r"[·:]", lead))
    return tuple(dict.fromkeys(keys[label] for label in labels if label in keys))


def _tag_document(doc: ParsedDocument, roles: tuple[Role, ...]) -> ParsedDocument:
    # Keyed by identity: two sections may share a heading path and must both survive.
    tagged = {id(s): replace(s, roles=section_roles(s.path, roles)) for s in doc.sections}
    passages = tuple(
        replace(
            p,
            section=tagged[id(p.section)],
            roles=passage_roles(p.text, tagged[id(p.section)], roles, p.lead),
        )
        for p in doc.passages
    )
    return ParsedDocument(document=doc.document, sections=tuple(tagged.values()), passages=passages)
