"""Stage 1, parse: a question is read once into a `Query` that every later stage uses.

Messages that are no question at all (empty, only a greeting, too long) are answered here,
before any retrieval (`screen`).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from bot.courtesy import courtesy_kind, courtesy_reply
from bot.pipeline import language
from bot.types import Answer, Outcome
from embeddings.text import content_words, spell_out_chat, words
from embeddings.vocabulary import Vocabulary
from knowledge.model import Role
from knowledge.roles import (
    ask_which_role,
    mask_roles,
    roles_named,
    spell_out_levels,
    spell_out_titles,
    spell_role_names,
)

MAX_QUESTION_CHARS = 2000


@dataclass(frozen=True)
class Query:
    """A question as the engine reads it, worked out once.

    `text` is what is embedded (misspellings fixed, "what kind of PM…" read as "which role…");
    `named` the role keys it names; `asked` what it asks without request verbs and format
    wishes ("Define TPM in one line" -> "TPM"); `subject` the words of that beyond role names
    (none in "lol"); `masked` the text with role names masked, to judge what it asks beyond
    the role; `clause` the last clause that asks, when it is told in several."""

    original: str
    text: str
    named: tuple[str, ...]
    asked: str
    subject: tuple[str, ...]
    masked: str
    # `asked` for word matching: without the role names when it names several, which the
    # role fit weighs (see bot.pipeline.retrieve)
    asked_beyond_roles: str
    clause: str | None
    compares: bool  # "…vs…", "difference between…"
    asks_who: bool  # the answer is a role
    asks_figure: bool  # "how many…", "what's the salary…"
    asks_money: bool  # a figure that is an amount of money: "what's the salary range…"
    defines: str | None  # the role key it asks to define: "what's an SME?"
    arithmetic: bool  # "what's 17 times 23?"
    small_talk: bool  # "tell me a joke", "are you human?"

    @property
    def has_subject(self) -> bool:
        """It names a role or asks about something beyond stopwords and chat fillers."""
        return bool(self.named or self.subject)


@dataclass(frozen=True)
class Parser:
    """Reads questions against one knowledge base: its roles and its vocabulary."""

    roles: tuple[Role, ...]
    vocabulary: Vocabulary

    def corrected(self, question: str) -> str:
        """What the engine embeds for a question: misspellings fixed (role names misspelt as
        other words too: "a fronted engineer"), titles typed in short forms spelt out ("sr
        dev"), and "what kind of product manager…" read as asking which role."""
        corrected = spell_out_levels(
            spell_out_titles(self.vocabulary.correct(spell_out_chat(clean(question))), self.roles),
            self.roles,
        )
        text = spell_role_names(corrected, self.roles)
        return ask_which_role(text, self.roles)

    def parse(self, question: str) -> Query:
        original = clean(question)
        text = self.corrected(original)
        asked = what_is_asked(text)
        named = roles_named(text, self.roles)
        beyond = mask_roles(asked, self.roles, " ") if named else asked  # what the roles aren't
        clause = asking_clause(original)
        figure = asks_for_figure(original)
        return Query(
            original=original,
            text=text,
            named=named,
            asked=asked,
            subject=tuple(content_words(beyond)),
            masked=mask_roles(text, self.roles) if named else text,
            asked_beyond_roles=beyond if len(named) > 1 else asked,
            clause=clause,
            compares=bool(language.COMPARE.search(text)),
            asks_who=asks_who(original, clause),
            asks_figure=figure,
            asks_money=figure and bool(language.MONEY_ASK.search(original)),
            defines=asks_definition(asked, named, self.roles),
            arithmetic=is_sum(original),
            small_talk=bool(language.SMALL_TALK.search(original)),
        )


def screen(question: str | None, hint: str) -> Answer | None:
    """The answer to a message that is no question to look up, else None: empty or only
    punctuation, a greeting or thanks (replied in kind), or too long."""
    text = clean(question)
    if not any(ch.isalnum() for ch in text):  # empty, or only punctuation ("?", "🤔")
        return invalid(text, hint)
    kind = courtesy_kind(text)
    if kind:
        return Answer(question=text, outcome=Outcome.COURTESY, message=courtesy_reply(kind, hint))
    if len(text) > MAX_QUESTION_CHARS:
        return invalid(
            text[:200] + "…",
            f"That question is {len(text):,} characters long; "
            f"please keep it under {MAX_QUESTION_CHARS:,}.",
        )
    return None


def clean(question: str | None) -> str:
    """Collapse whitespace; replace what can't be UTF-8 (lone surrogates) so the tokenizer can't
    choke on it."""
    text = (question or "").encode("utf-8", "replace").decode("utf-8")
    return " ".join(text.split())


def invalid(question: str, message: str) -> Answer:
    return Answer(question=question, outcome=Outcome.INVALID, message=message)


def asking_clause(question: str) -> str | None:
    """The last clause that asks, of a question told in several ("we keep hitting performance
    walls - which role should have been watching scalability?" -> "which role should…"): at
    least three words, opening with a question word or an auxiliary verb, so that a trailing
    fragment ("…after senior TPM - head of product?") is not read as the question. None for a
    question of one clause."""
    parts = [p.strip() for p in language.CLAUSE_BREAK.split(question.strip()) if p.strip()]
    if len(parts) < 2:
        return None
    return next((p for p in reversed(parts) if len(p.split()) >= 3 and _asks(p)), None)


def _asks(clause: str) -> bool:
    """The clause opens like a question, its first word spelled right or nearly ("Shoud…")."""
    opening = [w for w in words(clause) if w not in language.LEAD_INS][:1]
    if not opening:
        return False
    word = opening[0]
    openers = language.QUESTION_OPENERS
    return word in openers or (
        len(word) >= 4 and bool(difflib.get_close_matches(word, openers, 1, 0.8))
    )


def asks_who(question: str, clause: str | None) -> bool:
    """The answer is a role: the question, or its asking clause, opens with "who…", "which
    role…" ("we're hiring for the ML platform - which role fits it better?")."""
    return bool(language.WHO.search(question) or (clause and language.WHO.search(clause)))


def is_sum(question: str) -> bool:
    """A sum, written with operators ("17 times 23", "12*7") or told in words with two
    numbers or more ("212 slips and 38 are empty, what percent is that?")."""
    return bool(language.ARITHMETIC.search(question)) or (
        bool(language.WORD_SUM.search(question)) and len(language.NUMBER.findall(question)) >= 2
    )


def asks_for_figure(question: str) -> bool:
    return bool(language.FIGURE_QUESTION.search(question)) and not (
        language.DEGREE_QUESTION.search(question)
    )


def asks_definition(asked: str, named: tuple[str, ...], roles: tuple[Role, ...]) -> str | None:
    """The role the question asks to define ("what's an SME in incident response?", "define
    TPM"), when it names one role and asks nothing else of it (language.DEFINITION_ASK)."""
    if len(named) != 1:
        return None
    slotted = mask_roles(asked, roles, language.ROLE_SLOT)
    return named[0] if language.DEFINITION_ASK.search(slotted) else None


def what_is_asked(question: str) -> str:
    """The question without a leading request verb ("Define TPM" -> "TPM") or a wish for a
    short answer ("tpm in one sentence?"), so that these words don't match passages that use
    them ("Defining technical requirements…") nor count as a subject the guide lacks."""
    asked = language.FORMAT.sub(" ", language.REQUEST.sub("", question))
    return " ".join(asked.split()) or question
