"""Stage 3, rank: the retrieval scores fused into one, passages ordered best first; on
knowledge no query adapter serves, the best LATE_DEPTH of them re-ordered by late interaction.

score = dense + lexical weight · BM25 / best BM25 + role weight · role fit
        + SHAPE_WEIGHT · shape fit

The lexical and role weights are LEXICAL_WEIGHT and ROLE_WEIGHT, or their ADAPTED_ forms where
a query adapter fitted on this knowledge's own questions moved the question: those were chosen
with the adapter, on that knowledge's dev questions. Every other knowledge base (a team's own
handbook) gets the one setting chosen on the train and dev splits of the four other
organisations' handbooks of eval/manifest.json.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from bot.pipeline import language
from bot.pipeline.parse import Query
from bot.pipeline.retrieve import Evidence
from embeddings.late import TokenIndex
from knowledge.model import Passage, Role

MAX_ALTERNATIVES = 3
TOP_PASSAGES = 64  # ranked in full per question; the rest only if these span too few sections
# BM25 scaled to [0, 1] by the best hit, added to the cosine. A softmax fit of the fusion
# weights on the four shared corpora's train questions gave 0.77 (role 0.08, shape 0.005, a
# heading-path cosine 0.08); rounded to 0.6, 0.1, 0.1 and no heading term it measured top-1
# train/dev averages 74.6%/75.0% against 73.3%/65.0% at 0.3 (one dev question is 10 points).
LEXICAL_WEIGHT = 0.6
# With an adapter fitted for this knowledge, BM25 adds little: guide dev top-1 94.8% with
# none, 95.2% at 0.15, 94.3% at 0.2, 91.4% at 0.3; seed article dev 92.5%, 93.8%, 94.2%, 92.9%.
ADAPTED_LEXICAL_WEIGHT = 0.15
# Added for passages about the named roles, taken from passages about other roles. On the
# four shared corpora (5-12 roles each, several inferred from titles) 0.2 cost train/dev top-1
# 2.5 points on average; with the adapter, 0.2 raised guide dev role accuracy 95.7% -> 98.1%
# and the seed article's 91.6% -> 92.5% (its top-1 94.7% -> 93.8%).
ROLE_WEIGHT = 0.1
ADAPTED_ROLE_WEIGHT = 0.2
# Question shape: "who…" wants one role, "…vs…" wants a comparison.
SHAPE_WEIGHT = 0.1
# Fused passages re-ordered by late interaction (see LateInteraction); measured 15 and 20 alike.
LATE_DEPTH = 20
# A fused best passage this far ahead of the second stays first: late interaction re-orders
# close calls. Train+dev top-1, questions right of 118 on the four shared folders and of 120 on
# their -ours sets: 96 / 88 re-ordering always; 96 / 92 at 0.2; 95 / 93 at 0.15; 94 / 92 at 0.1.
SURE_LEAD = 0.2
# MaxSim given up by a passage of a section with subsections (LateInteraction.reorder).
OVERVIEW_DISCOUNT = 0.01
# A figure question's best section may hold its figure this far down the ranking (FigureFirst).
FIGURE_DEPTH = 8
# A definition question's defining passage may rank this far down (DefinitionFirst).
DEFINITION_DEPTH = LATE_DEPTH


@dataclass(frozen=True)
class Scored:
    passage: Passage
    score: float
    fused: float  # the fused score, before late interaction re-ordered (= score where none did)


@dataclass(frozen=True)
class LateInteraction:
    """Re-orders the best LATE_DEPTH fused passages by MaxSim: each of the question's token
    vectors finds its closest token in the passage (heading path included), and the mean of
    those cosines decides. One sentence vector per passage blurs which words matched; the
    fused score then leans on BM25, which matches words out of context ("talks" in a game's
    name for "who talks to customers").

    Measured top-1 on the train+dev questions of the four shared corpora (ft, infracloud,
    pagerduty, sourcegraph): 73.3 / 76.7 / 70.0 / 75.0% fused, 83.3 / 76.7 / 80.0 / 85.7%
    re-ordered (average 73.8 -> 81.4). Blending MaxSim into the fused score did less (78.9%
    at weight 5, 75.5% at 0.6). On the guide and the seed article, where the query adapter
    was fitted, it cost 14-16 points (95.7 -> 79.4%, 96.7 -> 86.9%): it runs only where no
    adapter serves the knowledge. A fused best passage SURE_LEAD ahead of the second (mostly a
    decisive BM25 hit) stays first: MaxSim had moved some right answers down from there."""

    tokens: TokenIndex
    depth: int = LATE_DEPTH
    sure_lead: float = SURE_LEAD

    def reorder(
        self, fused: np.ndarray, question: np.ndarray, discount: np.ndarray | None = None
    ) -> np.ndarray:
        """Scores whose order is the MaxSim order for the top `depth` fused passages, and the
        fused order below them: the top ones score their MaxSim (less their `discount`), the
        rest fall below the lowest of those by their fused distance from the last of the top
        ones."""
        depth = min(self.depth, len(fused))
        top = np.argpartition(-fused, depth - 1)[:depth]
        late = self.tokens.maxsim(question, top.tolist())
        if discount is not None:
            late = late - discount[top]
        floor = float(fused[top].min())
        out = late.min() - (floor - fused) - 1e-6
        out[top] = late
        if depth > 1:
            first, second = top[np.argsort(-fused[top])[:2]]
            if fused[first] - fused[second] > self.sure_lead:
                out[first] = late.max() + 1e-3  # a clear fused winner stays first
        return out.astype(np.float32)


@dataclass(frozen=True)
class FigureFirst:
    """A question asking for a figure ("how much is the learning budget?") is answered by the
    best passage that gives one (an amount of money where it asks about money) among the
    passages of the best passage's section ranked in the first FIGURE_DEPTH, when the best
    passage gives none: the section is right, its figure is a paragraph further down.
    Train+dev: answered ft 93.3 -> 96.7%, probe-squad-onboarding 88.9 -> 92.6% (right sections
    the figure rule had declined); pagerduty-ours not-covered 77.8 -> 66.7% (a span-of-control
    near-miss now quotes "get back to me in 20 minutes": figures carry no units)."""

    depth: int = FIGURE_DEPTH

    def reorder(self, query: Query, ranked: list[Scored]) -> list[Scored]:
        if not query.asks_figure or not ranked:
            return ranked
        best = ranked[0]
        if gives_figure(query, best.passage):
            return ranked
        for i, item in enumerate(ranked[1 : self.depth], start=1):
            if item.passage.section is best.passage.section and gives_figure(query, item.passage):
                return _first(ranked, i)
        return ranked


@dataclass(frozen=True)
class DefinitionFirst:
    """A question asking what a role is ("what's an SME in incident response?", Query.defines)
    is answered by the passage that says what it is ("A Subject Matter Expert (SME), sometimes
    called a "Resolver", is a domain expert…", language.defining) where one ranks in the first
    DEFINITION_DEPTH: MaxSim had put a call script that repeats the abbreviation first.
    Train+dev: pagerduty top-1 80.0 -> 83.3%; no other outcome of the 24 corpora changed (the
    guide's and the seed article's definition questions already quoted the defining passage).
    `defined`: the role keys each defining passage (by id) says what they are."""

    defined: Mapping[int, frozenset[str]]
    depth: int = DEFINITION_DEPTH

    def reorder(self, query: Query, ranked: list[Scored]) -> list[Scored]:
        if query.defines is None:
            return ranked
        for i, item in enumerate(ranked[: self.depth]):
            if query.defines in self.defined.get(id(item.passage), ()):
                return _first(ranked, i)
        return ranked


def _first(ranked: list[Scored], i: int) -> list[Scored]:
    """The ranking with its `i`-th passage moved to the front, the others in order."""
    return ranked if i == 0 else [ranked[i], *ranked[:i], *ranked[i + 1 :]]


def definitions(passages: Iterable[Passage], roles: tuple[Role, ...]) -> dict[int, frozenset[str]]:
    """The passages that say what a role they are about is (language.defining), by id, with
    the keys of those roles."""
    patterns = {role.key: [language.defining(a) for a in role.aliases] for role in roles}
    out = {}
    for p in passages:
        keys = frozenset(k for k in p.roles if any(x.search(p.text) for x in patterns.get(k, ())))
        if keys:
            out[id(p)] = keys
    return out


def overviews(passages: tuple[Passage, ...]) -> np.ndarray:
    """1 for each passage of a section that has subsections, else 0. Late interaction gives
    such an overview OVERVIEW_DISCOUNT less: MaxSim favours a page's opening paragraph, which
    touches every subject its subsections treat, over the subsection that answers. Train+dev
    top-1: ft 86.7 -> 90.0%, probe-ladder-onboarding 81.8 -> 84.8%; no other figure moved.
    Taken from every passage's score after re-ordering (not only the MaxSim of the top ones)
    it also lost a probe-support-site line; at 0.025 an infracloud line; applied to
    comparisons, which each role's overview answers, a probe-framework-page line."""
    parents = {p.section.path[:k] for p in passages for k in range(1, len(p.section.path))}
    return np.array([p.section.path in parents for p in passages], dtype=np.float32)


def gives_figure(query: Query, passage: Passage) -> bool:
    """The passage holds the kind of figure the question asks for: an amount of money where
    it asks about money, a number that is no span of time where it counts something else
    ("how many people…" is not answered by "20 minutes"), else any number (level names such
    as "Senior 2" are none). Spans of time left out of counts: train+dev, one more near-miss
    declined (pagerduty-ours, "max how many people report to the IC") and one answerable
    line that had been answered from a wrong section (probe-confluence-space); no right
    answer lost."""
    text = language.LEVEL_NUMBER.sub(" ", passage.text)
    if query.asks_money:
        return bool(language.MONEY_FIGURE.search(text))
    counted = language.COUNTED.search(query.original)
    if counted and not language.TIME_WORDS.match(counted.group(1)):
        text = language.TIME_SPAN.sub(" ", text)
    return bool(language.FIGURE.search(text))


class Ranker:
    """Fuses the evidence for one knowledge base's passages."""

    def __init__(
        self,
        passages: tuple[Passage, ...],
        roles: tuple[Role, ...],
        late: LateInteraction | None = None,
    ) -> None:
        self.passages = passages
        self.late = late
        self._role_keys = [role.key for role in roles]
        # passages x roles: which roles each passage is about (role fit, question shape).
        self._about = np.array(
            [[key in p.roles for key in self._role_keys] for p in passages], dtype=bool
        ).reshape(len(passages), len(self._role_keys))
        self._several = (self._about.sum(axis=1) > 1).astype(np.float32)
        self._overview_discount = OVERVIEW_DISCOUNT * overviews(passages)
        self._definitions = DefinitionFirst(definitions(passages, roles))

    def rank(self, query: Query, evidence: Evidence) -> list[Scored]:
        lexical = evidence.lexical / max(float(evidence.lexical.max()), 1e-9)
        adapted = evidence.adapted
        fused = (
            evidence.dense
            + (ADAPTED_LEXICAL_WEIGHT if adapted else LEXICAL_WEIGHT) * lexical
            + (ADAPTED_ROLE_WEIGHT if adapted else ROLE_WEIGHT) * self.role_fit(query.named)
            + SHAPE_WEIGHT * self.shape_fit(query)
        )
        scores = fused
        if self.late is not None and evidence.tokens is not None:
            # a comparison is often answered by each role's overview
            discount = None if query.compares else self._overview_discount
            scores = self.late.reorder(fused, evidence.tokens, discount)
        ranked = FigureFirst().reorder(query, self._ordered(scores, fused))
        return self._definitions.reorder(query, ranked)

    def _ordered(self, scores: np.ndarray, fused: np.ndarray) -> list[Scored]:
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
        return [Scored(self.passages[i], float(scores[i]), float(fused[i])) for i in top]

    def role_fit(self, named: tuple[str, ...]) -> np.ndarray:
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

    def shape_fit(self, query: Query) -> np.ndarray:
        """Comparison wording favours passages about several roles; a who-question naming no
        role favours passages about a single one."""
        fit = np.zeros(len(self.passages), dtype=np.float32)
        if query.compares:
            fit += self._several
        if not query.named and query.asks_who:
            fit -= self._several
        return fit
