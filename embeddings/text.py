"""Tokenising, stemming and query expansion shared by lexical scoring and term support."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

import snowballstemmer

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“(])")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")

_STOPWORDS = frozenset(
    """a about above after again against all also am an and any are aren't as at be because been
    before being below between both but by can can't could did didn't do does doesn't doing
    don't down during each even ever every few for from further get gets getting got had has
    have having he her here hers herself him himself his how i i'd i'm if in into is isn't it
    it's its itself just let's like many me might more most much must my myself need needs no
    nor not now of off often on once one only or other ought our ours ourselves out over own
    please same she should so some such than that that's the their theirs them themselves then
    there there's these they they're this those through to too under until up us very via was we
    we're were what what's when where which whether while who who's whom whose why will with
    within without would you your yours yourself yourselves thing things really usually
    typically mostly kind sort lot lots s t vs versus i've you've we've they've i'll you'll
    we'll they'll you'd we'd they'd won't wouldn't shouldn't couldn't wasn't weren't haven't
    hasn't around across along among amongst behind beside besides beyond toward towards upon
    onto per how's when's where's why's
    """.split()
)
# Chat fillers: they set a tone, not a subject ("when is a tpm actually worth having", "pm
# needs biz skills or nah"). "n" is "and" ("pm n tpm").
_FILLERS = frozenset(
    """actually basically ultimately honestly literally quickly briefly quick nah yeah yep yup ok
    okay tbh imo imho btw lol pls plz thx thanks hey hi hello someone somebody anyone anybody n
    """.split()
)
# With the same words as typed in chat: without the apostrophe ("whats", "dont"), or by ear.
STOPWORDS = (
    _STOPWORDS
    | {w.replace("'", "") for w in _STOPWORDS if "'" in w}
    | {"wat", "wot", "u", "ur"}
    | _FILLERS
)

# Endings that make a word's inflected form: "worded" is "word" + "ed", a real word the model's
# vocabulary keeps only in pieces, not a misspelling of "worked".
INFLECTIONS = ("s", "es", "ed", "d", "ing", "er", "ers", "ly")

# General-English abbreviations people type in chat, and a few synonyms. Role acronyms are not
# here: they come from the knowledge itself (see knowledge.roles).
ABBREVIATIONS: Mapping[str, tuple[str, ...]] = {
    "tech": ("technical", "technology"),
    "techie": ("technical",),
    "spec": ("specification",),
    "specs": ("specifications",),
    "reqs": ("requirements",),
    "req": ("requirement",),
    "eng": ("engineering",),
    "engg": ("engineering",),
    "dev": ("development", "developer"),
    "devs": ("developers",),
    "swe": ("software", "engineer"),
    "swes": ("software", "engineers"),
    "sde": ("software", "development", "engineer"),
    "biz": ("business",),
    "mgr": ("manager",),
    "mgrs": ("managers",),
    "mgmt": ("management",),
    "diff": ("difference",),
    "arch": ("architecture",),
    "ux": ("user", "experience"),
    "ui": ("user", "interface"),
    "mktg": ("marketing",),
    "comms": ("communication",),
    "stakeholder": ("stakeholders",),
    "prio": ("prioritization",),
    "roadmaps": ("roadmap",),
    # Words questions use for the kinds of section a role guide has.
    "duties": ("responsibilities",),
    "duty": ("responsibility",),
    "attention": ("focus",),
    "concerned": ("focus",),
    "concerns": ("focus",),
    "accountable": ("responsible",),
    "accountabilities": ("responsibilities",),
    "abilities": ("skills",),
    "qualifications": ("skills",),
    "competencies": ("skills",),
    # Chat idioms: "biz chops", "on the hook for".
    "chops": ("skills",),
    "hook": ("responsible",),
}

# Chat short forms of everyday words, written out in a question before it is read ("ppl" ->
# "people", "3 wks" -> "3 weeks"): the encoder never learnt them. Only forms that stand for
# one word ("hr" is also HR, "prod" product or production). Train+dev top-1:
# sourcegraph-ours 70.0 -> 73.3% ("a pay bump w/o getting promoted"), probe-ladder-onboarding
# 84.8 -> 87.9% ("how many hrs a week"); one guide line more answered, rightly; "abt" for
# "about" cost a guide line and was left out.
CHAT_WORDS: Mapping[str, str] = {
    "ppl": "people",
    "wk": "week",
    "wks": "weeks",
    "hrs": "hours",
    "yr": "year",
    "yrs": "years",
    "mins": "minutes",
    "w/o": "without",
    "convo": "conversation",
    "convos": "conversations",
    "engs": "engineers",
    "thru": "through",
}
_CHAT_WORD = re.compile(
    r"(?<![\w/])("
    + "|".join(re.escape(w) for w in sorted(CHAT_WORDS, key=len, reverse=True))
    + r")(?![\w/])",
    re.IGNORECASE,
)


def spell_out_chat(text: str) -> str:
    """The text with chat short forms of everyday words written out (CHAT_WORDS)."""
    return _CHAT_WORD.sub(lambda m: CHAT_WORDS[m.group(1).casefold()], text)


# British spellings as their American forms, so that a question and a handbook spelling one
# word two ways share its stem ("behavioural" / "Behavioral", "organise" / "organization").
# Both sides are folded alike, so a word the rule catches by accident ("devour") still only
# matches itself. Applied in order, each to the whole word. No train+dev outcome changed: the
# shared folders and probes mix the two spellings only where the labels agree anyway.
SPELLING_FOLDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        # behaviour(al), colour(ed), favour(ite), honour, labour, neighbour, rumour
        (r"^([a-z]{3,})our(s|al|ally|ed|ing|ite|ites|able|ful|er|ers)?$", r"\1or\2"),
        # organise, organisation, prioritised, recognising, specialisms aside
        (r"^([a-z]{4,})is(e|es|ed|ing|ation|ations|er|ers)$", r"\1iz\2"),
        # analyse, paralysed
        (r"^([a-z]{3,})ys(e|es|ed|ing)$", r"\1yz\2"),
        # centre, metres, theatre
        (r"^([a-z]{2,})tre(s|d)?$", r"\1ter\2"),
        # catalogue, dialogues
        (r"^([a-z]{3,})ogue(s)?$", r"\1og\2"),
        # labelled, travelling, modeller (not "spelled", "yelling")
        (r"^([a-z]{3,})ell(ed|ing|er|ers)$", r"\1el\2"),
        # licence, defence, offence
        (r"^(lic|def|off|pret)enc(e|es)$", r"\1ens\2"),
        # judgement, acknowledgement
        (r"^([a-z]+dg)ement(s)?$", r"\1ment\2"),
        # programme(s), not "programmer"
        (r"^programme(s)?$", r"program\1"),
    )
)

# A snowball stemmer keeps the word being stemmed in the instance (its cursor and buffer), so
# one instance shared by the answer threads mixes their words up: each thread gets its own.
_STEMMERS = threading.local()


def _stemmer() -> Any:  # snowballstemmer's EnglishStemmer (the package has no type hints)
    stemmer = getattr(_STEMMERS, "english", None)
    if stemmer is None:
        stemmer = _STEMMERS.english = snowballstemmer.stemmer("english")
    return stemmer


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Porter2 (Snowball) stem of one lower-case word, its British spelling folded first
    (SPELLING_FOLDS); safe to call from any thread."""
    return _stemmer().stemWord(american(word))


def american(word: str) -> str:
    """One lower-case word with a British spelling as its American form ("behavioural" ->
    "behavioral"); any other word as it is."""
    for pattern, replacement in SPELLING_FOLDS:
        word = pattern.sub(replacement, word)
    return word


def sentences(text: str) -> list[str]:
    """Split a passage after ., ! or ? followed by a capitalised word."""
    return [s for s in _SENTENCE_END.split(text.strip()) if s]


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


def content_words(text: str) -> list[str]:
    """The words of a text that say what it is about, possessives as their noun ("PM's" ->
    "pm")."""
    out = []
    for word in words(text):
        noun = word.removesuffix("'s")
        if word not in STOPWORDS and noun not in STOPWORDS and not noun.isdigit():
            out.append(noun)
    return out


def expand(tokens: Iterable[str], extra: Mapping[str, tuple[str, ...]] | None = None) -> list[str]:
    """Add the spelled-out forms of abbreviations (general ones and the knowledge's own)."""
    out: list[str] = []
    for token in tokens:
        out.append(token)
        for table in (ABBREVIATIONS, extra or {}):
            for long_form in table.get(token, ()):
                out.extend(words(long_form))
    return out


def terms(text: str, extra: Mapping[str, tuple[str, ...]] | None = None) -> list[str]:
    """Stemmed content terms of a text, abbreviations expanded."""
    return [stem(w) for w in expand(content_words(text), extra) if w not in STOPWORDS]


FAMILY_PREFIX = 4  # related stems share at least their first four characters


def related_stems(term: str, stems: Iterable[str]) -> list[str]:
    """Stems of the same word family: 'scale' ~ 'scalabl', 'feasibl' ~ 'feasibility'.

    Two stems are related when one is a prefix of the other or they share all but the last
    character of the shorter one (and at least four characters).
    """
    out = []
    for other in stems:
        if other == term:
            continue
        shorter = min(len(term), len(other))
        if shorter < FAMILY_PREFIX:
            continue
        common = len(_common_prefix(term, other))
        if common >= max(FAMILY_PREFIX, shorter - 1):
            out.append(other)
    return out


class StemFamilies:
    """related_stems over a fixed set of stems, each looked up among the stems that share its
    first four characters only (any related stem does) instead of all of them: the same stems,
    in the same order. Scanning every stem of the guide cost ~0.5 ms a question word not
    found as it is (the unknown-word check and BM25 both ask), ~1 ms of a question's 1.5 ms
    outside the encoder."""

    def __init__(self, stems: Iterable[str]) -> None:
        self._by_prefix: dict[str, list[str]] = {}
        for other in stems:
            if len(other) >= FAMILY_PREFIX:
                self._by_prefix.setdefault(other[:FAMILY_PREFIX], []).append(other)

    def related(self, term: str) -> list[str]:
        if len(term) < FAMILY_PREFIX:
            return []
        return related_stems(term, self._by_prefix.get(term[:FAMILY_PREFIX], ()))


def _common_prefix(a: str, b: str) -> str:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return a[:n]


def transpositions(word: str) -> set[str]:
    """Every spelling with two neighbouring letters swapped ('waht' -> 'what', ...)."""
    return {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
