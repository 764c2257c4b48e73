"""The platform-neutral answer engine: question -> Answer with a cited, verbatim passage.

Retrieval is hybrid: the cosine of the question (moved by the learned query adapter, see
embeddings.adapter) and each passage embedded with its heading path, plus BM25 over stemmed
terms (scaled to the best lexical hit), plus a role adjustment when the question names roles.
Passages are ranked, the best passage of each section represents it, and a calibrated model
(bot.abstain) decides whether to answer or decline.
"""

from __future__ import annotations

import difflib
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from bot.abstain import (
    AbstentionModel,
    Signals,
    asks_for_figure,
    has_figure,
    unknown_role_title,
)
from bot.courtesy import courtesy_kind, courtesy_reply
from bot.types import Answer, Citation, Match, Outcome
from embeddings.adapter import QueryAdapter, shipped_adapter
from embeddings.encoder import Encoder
from embeddings.index import IndexStats, VectorIndex
from embeddings.lexical import LexicalIndex
from embeddings.text import content_words, sentences, terms, words
from embeddings.vocabulary import Vocabulary
from knowledge.model import Knowledge, Passage, Role, Section
from knowledge.roles import ask_which_role, mask_roles, roles_named

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 2000
MAX_ALTERNATIVES = 3
TOP_PASSAGES = 64  # ranked in full per question; the rest only if these span too few sections
LEXICAL_WEIGHT = 0.4  # BM25 scaled to [0, 1] by the best hit, added to the cosine
ROLE_WEIGHT = 0.2  # added for passages about the named roles, taken from other roles'
SHAPE_WEIGHT = 0.2  # question shape: "who…" wants one role, "…vs…" wants a comparison
AMBIGUITY_MARGIN = 0.05  # two roles' best passages this close, no role named: quote both
SIDE_BY_SIDE_MARGIN = 0.15  # question names several roles: their own passages this close
# "who…", "which role…", "which of the two roles…", "what position…": the answer is a role.
_WHO = re.compile(
    r"^\s*(?:who|whose|whom|(?:which|what)\s+(?:of\s+(?:the|these|those)\s+(?:two\s+)?)?"
    r"(?:role|person|people|one|job|title|position)s?)\b",
    re.IGNORECASE,
)
# "define…", "explain…", "tell me about…": how the question asks, not what it asks about.
_REQUEST = re.compile(
    r"^\s*(?:please\s+)?(?:define|explain|describe|summari[sz]e|tell\s+me(?:\s+about)?|"
    r"give\s+me\s+(?:an?\s+)?(?:overview|summary)(?:\s+of)?)\b",
    re.IGNORECASE,
)
# "tl;dr", "in one sentence", "in a nutshell", "one-liner": how short the answer should be.
_FORMAT = re.compile(
    r"\b(?:tl;?dr|eli5|in\s+(?:one|a|1|a\s+single)\s+(?:sentence|line|word|nutshell)|"
    r"one[\s-]?liner|in\s+short|(?:the\s+)?short\s+version)\b",
    re.IGNORECASE,
)
# Where a question told in several clauses breaks: a dash, the end of a sentence, or a comma
# before a question word ("…around here, who handles…").
_CLAUSE_BREAK = re.compile(
    r"\s+[-–—]+\s+|(?<=[.;:!?])\s+|,\s+(?=(?:who|whose|which|what|how|is|are|does|do|should|can|"
    r"would|where|why|when)\b)",
    re.IGNORECASE,
)
# A clause that asks opens, after "so", "but"…, with a question word or an auxiliary verb.
_LEAD_INS = frozenset("so but and then ok okay well also anyway".split())
_QUESTION_OPENERS = tuple(
    "who whom whose which what what's whats how why when where is are was were am do does did "
    "should shall can could would will may might must has have".split()
)
_COMPARE = re.compile(
    r"\b(?:vs\.?|versus|differ\w*|compar\w*|distinguish\w*|both|same|between)\b", re.IGNORECASE
)


@dataclass(frozen=True)
class Scored:
    passage: Passage
    score: float


@dataclass(frozen=True)
class Query:
    """A question as the engine reads it, worked out once: the text it embeds (see
    `Engine.query_text`), the roles it names, what it asks (see `what_is_asked`) and the words
    of that beyond role names, its subject (none in "lol" or "what is this?")."""

    text: str
    named: tuple[str, ...]
    asked: str
    subject: tuple[str, ...]

    @property
    def has_subject(self) -> bool:
        """It names a role or asks about something beyond stopwords and chat fillers."""
        return bool(self.named or self.subject)


class Engine:
    def __init__(
        self,
        knowledge: Knowledge,
        encoder: Encoder,
        *,
        cache_dir: Path | None = None,
        abstention: AbstentionModel | None = None,
        adapter: QueryAdapter | Literal["shipped"] | None = "shipped",
        progress: bool = False,
    ) -> None:
        """`adapter`: the query adapter for the dense score; "shipped" takes the one shipped
        for this encoder's model (none for other models), None uses the model as it is."""
        self.knowledge = knowledge
        self.encoder = encoder
        if adapter == "shipped":
            adapter = shipped_adapter(encoder.model, encoder.dimension)
        elif adapter is not None:
            adapter.check(encoder.model, encoder.dimension)
        self.adapter: QueryAdapter | None = adapter
        self.passages = knowledge.passages
        if not self.passages:
            raise ValueError("the knowledge holds no passages")
        self.abstention = abstention or AbstentionModel.load()
        self._roles = {role.key: role for role in knowledge.roles}
        self._role_terms = {
            alias.lower(): (role.name,) for role in knowledge.roles for alias in role.aliases
        }
        role_words = {w for alias in self._role_terms for w in words(alias)}
        items = [(p.section.path, p.text) for p in self.passages]
        embed_texts = [embed_text(p) for p in self.passages]
        self.index, self.index_stats = VectorIndex.build(
            encoder, items, embed_texts, cache_dir, progress=progress
        )
        self.lexical = LexicalIndex([self._terms(t) for t in embed_texts])
        # Every sentence with its role names masked: what a question asks beyond the role.
        topics = [
            mask_roles(sentence, knowledge.roles, "they")
            for p in self.passages
            for sentence in sentences(p.text)
        ]
        self.topics, _ = VectorIndex.build(
            encoder, [(("topic",), t) for t in topics], topics, cache_dir, progress=progress
        )
        self.vocabulary = Vocabulary(encoder, embed_texts, ignore=role_words)
        self._role_words = role_words
        # passages x roles: which roles each passage is about (role fit, question shape).
        self._role_keys = [role.key for role in knowledge.roles]
        self._about = np.array(
            [[key in p.roles for key in self._role_keys] for p in self.passages], dtype=bool
        ).reshape(len(self.passages), len(self._role_keys))
        self._several = (self._about.sum(axis=1) > 1).astype(np.float32)

    def _terms(self, text: str) -> list[str]:
        return terms(text, self._role_terms)

    # -- answering ---------------------------------------------------------------------------

    def answer(self, question: str) -> Answer:
        text = clean(question)
        if not any(ch.isalnum() for ch in text):  # empty, or only punctuation ("?", "🤔")
            return invalid(text, self._usage_hint())
        kind = courtesy_kind(text)
        if kind:
            return Answer(
                question=text,
                outcome=Outcome.COURTESY,
                message=courtesy_reply(kind, self._usage_hint()),
            )
        if len(text) > MAX_QUESTION_CHARS:
            return invalid(
                text[:200] + "…",
                f"That question is {len(text):,} characters long; "
                f"please keep it under {MAX_QUESTION_CHARS:,}.",
            )
        query = self._read(text)
        if not query.has_subject:  # "lol", "what is this?"
            return invalid(
                text, f"I couldn't find a question about a role in that. {self._usage_hint()}"
            )
        ranked, signals = self._rank(query)
        return self._decide(text, query.named, ranked, signals)

    def _usage_hint(self) -> str:
        roles = self.knowledge.roles
        example = f"“What does a {roles[0].key} focus on?”" if roles else "“Who owns the roadmap?”"
        return f"Ask me a question about a role, e.g. {example}"

    def signals(self, question: str) -> Signals | None:
        """The measured signals the abstention model judges (for calibration); None when the
        question has no subject or a rule declines it before the model is consulted."""
        text = clean(question)
        query = self._read(text)
        if not query.has_subject:
            return None
        ranked, signals = self._rank(query)
        return None if self._ruled_out(text, query.named, ranked[0]) else signals

    def _read(self, question: str) -> Query:
        text = self.query_text(question)
        asked = what_is_asked(text)
        subject = tuple(w for w in content_words(asked) if w not in self._role_words)
        return Query(text, roles_named(text, self.knowledge.roles), asked, subject)

    def _rank(self, query: Query) -> tuple[list[Scored], Signals]:
        """Rank the passages for the question (see `_ordered`); also return the signals for
        the decline decision."""
        question, named = query.text, query.named
        masked = mask_roles(question, self.knowledge.roles) if named else question
        unknown = self.vocabulary.unknown(query.subject)
        batch = [question] + ([masked] if masked != question else []) + unknown
        vectors = self.encoder.encode_queries(batch)
        dense = self.index.scores(self.adapter.apply(vectors[0]) if self.adapter else vectors[0])
        topic = self.topics.scores(vectors[1] if masked != question else vectors[0])
        unknown_vectors = vectors[len(batch) - len(unknown) :]
        signals = Signals(
            dense=float(dense.max()),
            topic=float(topic.max()),
            stray=float((unknown_vectors @ vectors[0]).max()) if len(unknown) else 0.0,
        )
        lexical = self.lexical.scores(self._terms(query.asked))
        fused = dense + LEXICAL_WEIGHT * lexical / max(float(lexical.max()), 1e-9)
        fused = (
            fused
            + ROLE_WEIGHT * self._role_fit(named)
            + SHAPE_WEIGHT * self._shape_fit(question, named)
        )
        return self._ordered(fused), signals

    def query_text(self, question: str) -> str:
        """What the engine embeds for a question: misspellings fixed, and "what kind of product
        manager…" read as asking which role."""
        return ask_which_role(self.vocabulary.correct(clean(question)), self.knowledge.roles)

    def _ordered(self, scores: np.ndarray) -> list[Scored]:
        """The best passages, best first: the top TOP_PASSAGES, or all of them when those span
        too few sections to offer the alternatives (and on small guides)."""
        top = None
        if len(scores) > TOP_PASSAGES:
            top = np.argpartition(-scores, TOP_PASSAGES - 1)[:TOP_PASSAGES]
            top = top[np.argsort(-scores[top], kind="stable")]
            if len({self.passages[i].section for i in top}) <= MAX_ALTERNATIVES:
                top = None
        if top is None:
            top = np.argsort(-scores, kind="stable")
        return [Scored(self.passages[i], float(scores[i])) for i in top]

    def _role_fit(self, named: tuple[str, ...]) -> np.ndarray:
        """+1 for passages about the named roles only, -1 for passages about none of them
        when the question names one role."""
        fit = np.zeros(len(self.passages), dtype=np.float32)
        if not named:
            return fit
        wanted = np.array([key in named for key in self._role_keys], dtype=bool)
        has_roles = self._about.any(axis=1)
        fit[has_roles & ~self._about[:, ~wanted].any(axis=1)] = 1.0
        if len(named) == 1:
            fit[has_roles & ~self._about[:, wanted].any(axis=1)] = -1.0
        return fit

    def _shape_fit(self, question: str, named: tuple[str, ...]) -> np.ndarray:
        """Comparison wording favours passages about several roles; a who-question naming no
        role favours passages about a single one."""
        fit = np.zeros(len(self.passages), dtype=np.float32)
        if _COMPARE.search(question):
            fit += self._several
        if not named and asks_who(question):
            fit -= self._several
        return fit

    def _decide(
        self, question: str, named: tuple[str, ...], ranked: list[Scored], signals: Signals
    ) -> Answer:
        best = ranked[0]
        confidence = self._confidence(question, signals)
        reason = self._not_covered(question, named, best, confidence)
        if reason:
            covered = ", ".join(r.label for r in self.knowledge.roles)
            if covered:
                reason += f" (it covers {covered})"
            return Answer(
                question=question,
                outcome=Outcome.NOT_COVERED,
                alternatives=self._other_sections(ranked, exclude=set()),
                confidence=confidence,
                message=reason + ".",
            )
        matches = self._side_by_side(ranked, named) if len(named) > 1 else []
        if not matches:
            matches = [best]
            rival = None if named or _COMPARE.search(question) else self._rival(ranked, best)
            if rival is not None:
                matches.append(rival)
        label_roles = asks_who(question)
        quoted = tuple(self._match(m, label_roles) for m in matches)
        used = {m.passage.section for m in matches}
        return Answer(
            question=question,
            outcome=Outcome.ANSWERED,
            matches=quoted,
            alternatives=self._other_sections(ranked, exclude=used),
            confidence=confidence,
        )

    def _confidence(self, question: str, signals: Signals) -> float:
        """The abstention model's probability that the guide answers the question: of the
        whole question, or of its asking clause when that is judged more answerable. A
        scenario ("our CFO glazes over whenever engineering explains the migration - whose
        job is it to translate that?") scores low on every signal for its setting alone."""
        confidence = self.abstention.probability(signals)
        clause = asking_clause(question)
        if clause and confidence < self.abstention.threshold:
            _, clause_signals = self._rank(self._read(clause))
            confidence = max(confidence, self.abstention.probability(clause_signals))
        return confidence

    def _not_covered(
        self, question: str, named: tuple[str, ...], best: Scored, confidence: float
    ) -> str | None:
        """Why the guide can't answer, or None when it can."""
        reason = self._ruled_out(question, named, best)
        if reason is None and confidence < self.abstention.threshold:
            reason = "That isn't covered by the guide"
        return reason

    def _ruled_out(self, question: str, named: tuple[str, ...], best: Scored) -> str | None:
        """Declined whatever the scores: another role is asked about (with a known role only
        when the two are compared), or a figure the best passage doesn't hold."""
        if not named or _COMPARE.search(question):
            title = unknown_role_title(question, self._role_names())
            if title:
                return f"The guide doesn't describe the {title} role"
        if asks_for_figure(question) and not has_figure(best.passage.text):
            return "The guide gives no figures for that"
        return None

    def _side_by_side(self, ranked: list[Scored], named: tuple[str, ...]) -> list[Scored]:
        """For a question naming several roles: each role's own best passage, side by side,
        when all score about as well as the best passage overall; failing that, the best
        passage and the best one about all the named roles, however far behind ("which one
        is more technical, PM or TPM?" -> a passage on the TPM and the passage comparing the
        two)."""
        best = ranked[0].score
        own: dict[str, Scored] = {}
        for item in ranked:
            if best - item.score > SIDE_BY_SIDE_MARGIN:
                break
            roles = item.passage.roles
            if len(roles) == 1 and roles[0] in named:
                own.setdefault(roles[0], item)
        if len(own) == len(named):
            return [own[key] for key in named]
        covering = next((i for i in ranked if set(named) <= set(i.passage.roles)), None)
        if covering is not None and covering is not ranked[0]:
            return [ranked[0], covering]
        return []

    def _rival(self, ranked: list[Scored], best: Scored) -> Scored | None:
        """The best passage about another single role, when it scores about as well."""
        if len(best.passage.roles) != 1:
            return None
        for item in ranked[1:]:
            if best.score - item.score > AMBIGUITY_MARGIN:
                return None
            roles = item.passage.roles
            if len(roles) == 1 and roles != best.passage.roles:
                return item
        return None

    def _role_names(self) -> list[str]:
        return [alias for role in self.knowledge.roles for alias in role.aliases]

    def _other_sections(self, ranked: list[Scored], exclude: set[Section]) -> tuple[Match, ...]:
        seen = set(exclude)
        out: list[Match] = []
        for item in ranked:
            if item.passage.section in seen:
                continue
            seen.add(item.passage.section)
            out.append(self._match(item, False))
            if len(out) == MAX_ALTERNATIVES:
                break
        return tuple(out)

    def _match(self, item: Scored, label_role: bool) -> Match:
        roles = item.passage.roles
        role: Role | None = self._roles.get(roles[0]) if len(roles) == 1 else None
        return Match(
            text=item.passage.text,
            citation=Citation.of(item.passage.section),
            score=item.score,
            roles=roles,
            role_label=role.label if role and label_role else None,
        )


def embed_text(passage: Passage) -> str:
    """What the encoder sees: the heading path below the title, then the passage."""
    headings = " › ".join(passage.section.path[1:]) or passage.section.path[0]
    return f"{headings}: {passage.text}"


def asking_clause(question: str) -> str | None:
    """The last clause that asks, of a question told in several ("we keep hitting performance
    walls - which role should have been watching scalability?" -> "which role should…"): at
    least three words, opening with a question word or an auxiliary verb, so that a trailing
    fragment ("…after senior TPM - head of product?") is not read as the question. None for a
    question of one clause."""
    parts = [p.strip() for p in _CLAUSE_BREAK.split(question.strip()) if p.strip()]
    if len(parts) < 2:
        return None
    return next((p for p in reversed(parts) if len(p.split()) >= 3 and _asks(p)), None)


def _asks(clause: str) -> bool:
    """The clause opens like a question, its first word spelled right or nearly ("Shoud…")."""
    opening = [w for w in words(clause) if w not in _LEAD_INS][:1]
    if not opening:
        return False
    word = opening[0]
    return word in _QUESTION_OPENERS or (
        len(word) >= 4 and bool(difflib.get_close_matches(word, _QUESTION_OPENERS, 1, 0.8))
    )


def asks_who(question: str) -> bool:
    """The answer is a role: the question, or its asking clause, opens with "who…", "which
    role…" ("we're hiring for the ML platform - which role fits it better?")."""
    clause = asking_clause(question)
    return bool(_WHO.search(question) or (clause and _WHO.search(clause)))


def what_is_asked(question: str) -> str:
    """The question without a leading request verb ("Define TPM" -> "TPM") or a wish for a
    short answer ("tpm in one sentence?"), so that these words don't match passages that use
    them ("Defining technical requirements…") nor count as a subject the guide lacks."""
    asked = _FORMAT.sub(" ", _REQUEST.sub("", question))
    return " ".join(asked.split()) or question


def clean(question: str | None) -> str:
    """Collapse whitespace; replace what can't be UTF-8 (lone surrogates) so the tokenizer can't
    choke on it."""
    text = (question or "").encode("utf-8", "replace").decode("utf-8")
    return " ".join(text.split())


def invalid(question: str, message: str) -> Answer:
    return Answer(question=question, outcome=Outcome.INVALID, message=message)


def build_engine(
    knowledge: Knowledge,
    model: str,
    cache_dir: Path | None,
    *,
    backend: Literal["onnx", "torch"] = "onnx",
    shared_cache_dir: Path | None = None,
    progress: bool = False,
    threads: int | None = None,
    abstention: AbstentionModel | None = None,
    adapter: QueryAdapter | Literal["shipped"] | None = "shipped",
) -> tuple[Engine, IndexStats]:
    """The engine with the `backend` encoder: onnxruntime (serving; its ONNX graph is kept in
    `cache_dir`, made once per user in `shared_cache_dir`) or sentence-transformers on torch
    (the reference, and `tune`)."""
    encoder: Encoder
    if backend == "torch":
        from embeddings.encoder import SentenceTransformerEncoder

        encoder = SentenceTransformerEncoder(model, threads=threads)
    else:
        from embeddings.onnx import OnnxEncoder, scratch_cache_dir

        encoder = OnnxEncoder(
            model,
            cache_dir or scratch_cache_dir(),
            shared_dir=shared_cache_dir,
            threads=threads,
        )
    engine = Engine(
        knowledge,
        encoder,
        cache_dir=cache_dir,
        abstention=abstention,
        adapter=adapter,
        progress=progress,
    )
    return engine, engine.index_stats
