"""A learned query adapter: a small low-rank correction to question embeddings.

The bundled model was trained on general sentence pairs, so it places "What is a TPM on the
hook for?" nearer a passage that shares its words than the Responsibilities passage it asks
about. The adapter moves a question's vector by a rank-r map, q' = normalise(q + U·(Wᵀ·q)),
fitted on labelled questions so that the passages of the right sections score highest.
Passage vectors are left as they are, so the on-disk index cache stays valid; the adapter
belongs to the model it was fitted with and is not applied to any other. It also names the
knowledge bases it was fitted for (`knowledge`, keys of their heading structure) and serves
only those: fitted on PM/TPM questions, it cost other organisations' handbooks up to 20 points
of top-1 (a career ladder: 67.5% without it, 47.5% with it).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from embeddings.encoder import normalise

log = logging.getLogger(__name__)

SHIPPED_FILE = Path(__file__).with_name("query_adapter.npz")


class AdapterError(Exception):
    """An adapter file that can't be read or doesn't fit the configured model."""


@dataclass(frozen=True, eq=False)
class QueryAdapter:
    model: str  # the encoder setting it was fitted for
    down: np.ndarray = field(repr=False)  # dimension x rank (W)
    up: np.ndarray = field(repr=False)  # dimension x rank (U)
    fitted_on: str = ""
    knowledge: tuple[str, ...] = ()  # keys of the knowledge it serves; empty: any

    def serves(self, knowledge_key: str) -> bool:
        """Whether to apply it to the knowledge with this key."""
        return not self.knowledge or knowledge_key in self.knowledge

    @property
    def dimension(self) -> int:
        return int(self.down.shape[0])

    @property
    def rank(self) -> int:
        return int(self.down.shape[1])

    def apply(self, vectors: np.ndarray) -> np.ndarray:
        """Adapted unit vectors for a batch (or a single vector) of question embeddings."""
        q = np.asarray(vectors, dtype=np.float32)
        single = q.ndim == 1
        q = q.reshape(1, -1) if single else q
        adapted = normalise(q + (q @ self.down) @ self.up.T)
        return adapted[0] if single else adapted

    def save(self, path: Path) -> None:
        with path.open("wb") as handle:
            np.savez(
                handle,
                model=np.array(self.model),
                down=self.down.astype(np.float32),
                up=self.up.astype(np.float32),
                fitted_on=np.array(self.fitted_on),
                knowledge=np.array(list(self.knowledge), dtype=str),
            )

    @classmethod
    def load(cls, path: Path) -> QueryAdapter:
        try:
            with np.load(path, allow_pickle=False) as data:
                adapter = cls(
                    model=str(data["model"]),
                    down=np.asarray(data["down"], dtype=np.float32),
                    up=np.asarray(data["up"], dtype=np.float32),
                    fitted_on=str(data["fitted_on"]) if "fitted_on" in data else "",
                    knowledge=tuple(str(k) for k in data["knowledge"])
                    if "knowledge" in data
                    else (),
                )
        except (OSError, ValueError, KeyError) as exc:
            raise AdapterError(f"{path}: not a query adapter ({exc})") from exc
        if adapter.down.ndim != 2 or adapter.down.shape != adapter.up.shape:
            raise AdapterError(
                f"{path}: malformed query adapter (shapes {adapter.down.shape}, {adapter.up.shape})"
            )
        return adapter

    def check(self, model: str, dimension: int) -> None:
        """Raise AdapterError unless this adapter was fitted for `model` at `dimension`."""
        if self.model != model or self.dimension != dimension:
            raise AdapterError(
                f"the query adapter was fitted for {self.model!r} ({self.dimension} dimensions), "
                f"not {model!r} ({dimension}); refit it with `rolebot tune` or set "
                "ROLEBOT_QUERY_ADAPTER=none"
            )


def shipped_adapter(model: str, dimension: int) -> QueryAdapter | None:
    """The shipped adapter when it was fitted for this model; None for any other model."""
    if not SHIPPED_FILE.exists():
        return None
    adapter = QueryAdapter.load(SHIPPED_FILE)
    try:
        adapter.check(model, dimension)
    except AdapterError:
        log.info("shipped query adapter is for %s; using %s unadapted", adapter.model, model)
        return None
    return adapter


@dataclass(frozen=True)
class TrainingGroup:
    """Labelled questions against one knowledge base: question vectors (n x d), passage
    vectors (m x d) and which passages answer which question (n x m booleans)."""

    questions: np.ndarray
    passages: np.ndarray
    answers: np.ndarray

    def rows(self, keep: np.ndarray) -> TrainingGroup:
        """The questions where `keep` (booleans, one per question) is true."""
        return TrainingGroup(self.questions[keep], self.passages, self.answers[keep])

    def labelled(self) -> TrainingGroup:
        """The questions with at least one right passage; the others carry no signal (their
        sections aren't in the knowledge)."""
        return self.rows(self.answers.any(axis=1))


def fit_adapter(
    groups: list[TrainingGroup],
    *,
    model: str,
    rank: int = 16,
    epochs: int = 300,
    learning_rate: float = 1e-2,
    weight_decay: float = 1e-2,
    temperature: float = 0.05,
    seed: int = 0,
    fitted_on: str = "",
    knowledge: tuple[str, ...] = (),
) -> QueryAdapter:
    """Fit U and W by full-batch Adam on a softmax over each group's passages, the loss being
    minus the log of the probability mass on the passages that answer the question. U starts
    at zero (the adapter starts as the identity); weight decay keeps the correction small."""
    import torch

    usable = [g for g in (group.labelled() for group in groups) if len(g.questions)]
    if not usable:
        raise ValueError("tuning needs labelled questions whose sections are in the knowledge")
    dimension = usable[0].questions.shape[1]
    generator = torch.Generator().manual_seed(seed)
    up = torch.zeros(dimension, rank, requires_grad=True)
    down = (torch.randn(dimension, rank, generator=generator) * 0.01).requires_grad_(True)
    tensors = [
        (
            torch.from_numpy(np.asarray(g.questions, dtype=np.float32)),
            torch.from_numpy(np.asarray(g.passages, dtype=np.float32)),
            torch.from_numpy(np.asarray(g.answers, dtype=bool)),
        )
        for g in usable
    ]
    optimiser = torch.optim.Adam([up, down], lr=learning_rate, weight_decay=weight_decay)
    for _ in range(epochs):
        loss = torch.zeros(())
        for questions, passages, answers in tensors:
            adapted = questions + (questions @ down) @ up.T
            adapted = adapted / adapted.norm(dim=1, keepdim=True)
            logits = adapted @ passages.T / temperature
            right = torch.logsumexp(logits.masked_fill(~answers, float("-inf")), dim=1)
            loss = loss + (torch.logsumexp(logits, dim=1) - right).mean()
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    return QueryAdapter(
        model=model,
        down=down.detach().numpy().copy(),
        up=up.detach().numpy().copy(),
        fitted_on=fitted_on,
        knowledge=knowledge,
    )
