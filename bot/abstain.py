"""The answer-or-decline model: is the best passage an answer, or don't the documents cover it?

A logistic model over three measured signals, fitted on labelled answerable and unanswerable
questions of every corpus's train split by `rolebot tune` (the fitted weights ship in
bot/abstention.json); the signals are those of the model as it is, never of a query adapter,
so one fit serves every knowledge base:

- `dense`: cosine of the question and the closest passage (off-topic questions score low);
- `topic`: the cosine of the question and the closest single sentence, with role names
  masked out of both, so "How much does a TPM earn?" is judged on "earn", not on "TPM";
- `stray`: how much the question is about a word the knowledge never uses: the highest
  cosine of such a word and the whole question (0 when the knowledge uses them all). "What
  does the interview loop for a TPM look like?" is about the interview; "Where do TPMs
  usually come from?" is not about coming.

Rules that decline before the model is consulted live in bot.pipeline.decide.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

DEFAULT_FILE = Path(__file__).with_name("abstention.json")
FEATURES = ("dense", "topic", "stray")


@dataclass(frozen=True)
class Signals:
    dense: float
    topic: float
    stray: float

    def vector(self) -> list[float]:
        return [getattr(self, name) for name in FEATURES]


@dataclass(frozen=True)
class AbstentionModel:
    weights: tuple[float, ...]
    bias: float
    threshold: float
    fitted_on: str = ""

    def probability(self, signals: Signals) -> float:
        z = self.bias + sum(w * x for w, x in zip(self.weights, signals.vector(), strict=True))
        return 1.0 / (1.0 + math.exp(-z))

    def save(self, path: Path) -> None:
        path.write_text(json.dumps({"features": FEATURES, **asdict(self)}, indent=2) + "\n")

    @classmethod
    def load(cls, path: Path = DEFAULT_FILE) -> AbstentionModel:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if tuple(raw.get("features", ())) != FEATURES:
            raise ValueError(f"{path}: fitted on features {raw.get('features')}, need {FEATURES}")
        return cls(
            weights=tuple(float(w) for w in raw["weights"]),
            bias=float(raw["bias"]),
            threshold=float(raw["threshold"]),
            fitted_on=str(raw.get("fitted_on", "")),
        )


def fit(
    signals: list[Signals],
    answerable: list[bool],
    *,
    target_recall: float = 0.98,
    groups: list[int] | None = None,
    l2: float = 1e-3,
    steps: int = 20000,
    fitted_on: str = "",
) -> AbstentionModel:
    """Logistic regression where every group (a labelled set: one knowledge base) weighs the
    same and, within it, answerable and declinable questions weigh the same, so a guide with
    a thousand labelled questions doesn't drown a handbook with forty; the threshold keeps
    `target_recall` of the answerable questions answered, on the same weights, halfway between
    two questions' probabilities."""
    raw = np.array([s.vector() for s in signals], dtype=np.float64)
    y = np.array(answerable, dtype=np.float64)
    if len(y) == 0 or y.min() == y.max():
        raise ValueError("calibration needs both answerable and unanswerable questions")
    group = np.zeros(len(y), dtype=int) if groups is None else np.asarray(groups)
    weight = np.zeros(len(y))
    names = np.unique(group)
    for g in names:
        for label in (0.0, 1.0):
            rows = (group == g) & (y == label)
            if rows.any():
                weight[rows] = 1.0 / rows.sum() / len(names)
    weight *= len(y) / weight.sum()
    # Fitted on standardised signals (each on its own scale), returned on the raw ones.
    mean, scale = raw.mean(axis=0), np.maximum(raw.std(axis=0), 1e-9)
    x = (raw - mean) / scale
    xb = np.c_[x, np.ones(len(x))]
    w = np.zeros(xb.shape[1])
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(xb @ w)))
        grad = xb.T @ ((p - y) * weight) / len(y) + l2 * np.r_[w[:-1], 0.0]
        w -= 0.5 * grad
    p = 1.0 / (1.0 + np.exp(-(xb @ w)))
    order = np.argsort(p[y == 1])
    answerable_p, answerable_w = p[y == 1][order], weight[y == 1][order]
    below = np.cumsum(answerable_w) / answerable_w.sum()  # share answered below each cut
    cut = min(int(np.searchsorted(below, 1 - target_recall, side="right")), len(below) - 1)
    # Halfway between the last answerable question declined and the first answered: a cut
    # placed on a question's own probability flips with the last digits of the encoder (the
    # onnxruntime and torch backends differ by ~1e-7 there).
    lower = float(answerable_p[cut - 1]) if cut > 0 else float(answerable_p[cut]) - 2e-3
    threshold = (lower + float(answerable_p[cut])) / 2
    weights = w[:-1] / scale
    bias = float(w[-1] - (weights * mean).sum())
    return AbstentionModel(tuple(float(v) for v in weights), bias, threshold, fitted_on)
