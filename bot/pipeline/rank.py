"""Stage 3, rank: the retrieval scores fused into one, passages ordered best first.

score = dense + lexical weight · BM25 / best BM25 + role weight · role fit
        + SHAPE_WEIGHT · shape fit

The lexical and role weights are LEXICAL_WEIGHT and ROLE_WEIGHT, or their ADAPTED_ forms where
a query adapter fitted on this knowledge's own questions moved the question: those were chosen
with the adapter, on that knowledge's dev questions. Every other knowledge base (a team's own
handbook) gets the one setting chosen on the train and dev splits of the four other
organisations' handbooks of eval/manifest.json.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bot.pipeline.parse import Query
from bot.pipeline.retrieve import Evidence
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


@dataclass(frozen=True)
class Scored:
    passage: Passage
    score: float


class Ranker:
    """Fuses the evidence for one knowledge base's passages."""

    def __init__(self, passages: tuple[Passage, ...], roles: tuple[Role, ...]) -> None:
        self.passages = passages
        self._role_keys = [role.key for role in roles]
        # passages x roles: which roles each passage is about (role fit, question shape).
        self._about = np.array(
            [[key in p.roles for key in self._role_keys] for p in passages], dtype=bool
        ).reshape(len(passages), len(self._role_keys))
        self._several = (self._about.sum(axis=1) > 1).astype(np.float32)

    def rank(self, query: Query, evidence: Evidence) -> list[Scored]:
        lexical = evidence.lexical / max(float(evidence.lexical.max()), 1e-9)
        adapted = evidence.adapted
        fused = (
            evidence.dense
            + (ADAPTED_LEXICAL_WEIGHT if adapted else LEXICAL_WEIGHT) * lexical
            + (ADAPTED_ROLE_WEIGHT if adapted else ROLE_WEIGHT) * self.role_fit(query.named)
            + SHAPE_WEIGHT * self.shape_fit(query)
        )
        return self._ordered(fused)

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
