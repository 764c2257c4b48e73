"""Deciding whether the best passage answers the question, or the guide doesn't cover it.

The decision is a logistic model over three measured signals, fitted on labelled answerable
and unanswerable questions by `rolebot calibrate` (the fitted weights ship in
bot/abstention.json):

- `dense`: cosine of the question and the closest passage (off-topic questions score low);
- `topic`: the cosine of the question and the closest single sentence, with role names
  masked out of both, so "How much does a TPM earn?" is judged on "earn", not on "TPM";
- `stray`: how much the question is about a word the knowledge never uses: the highest
  cosine of such a word and the whole question (0 when the knowledge uses them all). "What
  does the interview loop for a TPM look like?" is about the interview; "Where do TPMs
  usually come from?" is not about coming.

Two kinds of question are declined before the model is consulted: one about a role the
knowledge never describes ("What does a scrum master do?", see `unknown_role_title`), and one
asking for a figure ("How much does a TPM earn?", "How many engineers per TPM?") when the
passage that would answer it holds no figure at all (see `asks_for_figure`).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from knowledge.roles import TITLE_HEADS

DEFAULT_FILE = Path(__file__).with_name("abstention.json")
FEATURES = ("dense", "topic", "stray")

# A question asking about "a/an <...> <job-title noun>" that is not one of the knowledge's
# roles is asking about a role the guide doesn't cover.
_TITLE = re.compile(
    r"\b(?:a|an)\s+((?:[a-z][a-z/&-]*\s+){0,3}(?:" + "|".join(TITLE_HEADS) + r"))\b",
    re.IGNORECASE,
)

# "I'm", "I am", "I was", "I've been" right before the title: the asker describes themselves.
_SELF = re.compile(r"\bi(?:'m|’m|m|\s+am|\s+was|'ve\s+been|\s+have\s+been)\s+$", re.IGNORECASE)

# "how many…", "how much does…", "how long…", "what is the ratio…": the answer is a figure.
# ("How much coding…" asks for a degree, which prose can answer, so "much" needs a verb next.)
_FIGURE_QUESTION = re.compile(
    r"\bhow\s+(?:many|long|big|large|old|much\s+(?:do|does|did|is|are|was|were|will|would|"
    r"should|can|could|money))\b"
    r"|\b(?:what|which)(?:'s|\s+is|\s+are)?\s+(?:the\s+|a\s+)?(?:\w+\s+)?"
    r"(?:percentage|ratio|proportion|salary|salaries|number\s+of)\b",
    re.IGNORECASE,
)
# "how much does a PM need to know…", "how much do I need to understand…": a degree again,
# when the verb follows the subject (an auxiliary and up to three words).
_DEGREE_QUESTION = re.compile(
    r"\bhow\s+much\s+(?:[\w']+\s+){1,4}?(?:needs?\s+to|know|understand|care|matters?)\b",
    re.IGNORECASE,
)
_NUMBER_WORDS = (
    # not "two": "the two roles" is no figure
    "three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty "
    "fifty hundred hundreds thousand thousands million millions dozen dozens half percent"
).split()
_FIGURE = re.compile(r"\d|[$€£%]|\b(?:" + "|".join(_NUMBER_WORDS) + r")\b", re.IGNORECASE)


def asks_for_figure(question: str) -> bool:
    return bool(_FIGURE_QUESTION.search(question)) and not _DEGREE_QUESTION.search(question)


def has_figure(text: str) -> bool:
    return bool(_FIGURE.search(text))


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
    l2: float = 1e-3,
    steps: int = 20000,
    fitted_on: str = "",
) -> AbstentionModel:
    """Class-balanced logistic regression; the threshold keeps `target_recall` of the
    answerable questions answered."""
    raw = np.array([s.vector() for s in signals], dtype=np.float64)
    y = np.array(answerable, dtype=np.float64)
    if y.min() == y.max():
        raise ValueError("calibration needs both answerable and unanswerable questions")
    # Fitted on standardised signals (each on its own scale), returned on the raw ones.
    mean, scale = raw.mean(axis=0), np.maximum(raw.std(axis=0), 1e-9)
    x = (raw - mean) / scale
    xb = np.c_[x, np.ones(len(x))]
    weight = np.where(y == 1, 0.5 / y.mean(), 0.5 / (1 - y.mean()))
    w = np.zeros(xb.shape[1])
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(xb @ w)))
        grad = xb.T @ ((p - y) * weight) / len(y) + l2 * np.r_[w[:-1], 0.0]
        w -= 0.5 * grad
    p = 1.0 / (1.0 + np.exp(-(xb @ w)))
    answerable_p = np.sort(p[y == 1])
    cut = math.floor((1 - target_recall) * len(answerable_p))
    threshold = float(answerable_p[cut]) - 1e-9
    weights = w[:-1] / scale
    bias = float(w[-1] - (weights * mean).sum())
    return AbstentionModel(tuple(float(v) for v in weights), bias, threshold, fitted_on)


def unknown_role_title(question: str, known_names: list[str]) -> str | None:
    """'a scrum master', 'an engineering manager': a role title that is none of the known ones,
    and not the asker's own ("I'm a backend engineer - which role would use my background?")."""
    known = [n.casefold().split() for n in known_names]
    for match in _TITLE.finditer(question):
        if _SELF.search(question, 0, match.start()):
            continue
        title = match.group(1).casefold().split()
        if any(_same_title(title, k) for k in known):
            continue
        return " ".join(match.group(1).split())
    return None


def _same_title(title: list[str], known: list[str]) -> bool:
    """The title ends in the known name, word for word, each word spelled alike: "a senior
    product manager" and "a prodct manager" are product managers; "a technical program
    manager" is not a technical product manager."""
    if len(title) < len(known):
        return False
    tail = title[len(title) - len(known) :]
    return all(a == b or _spelled_alike(a, b) for a, b in zip(tail, known, strict=True))


def _spelled_alike(a: str, b: str) -> bool:
    import difflib

    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.8
