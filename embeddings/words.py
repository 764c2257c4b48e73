"""Single words as the encoder reads them alone, for the stray signal (bot.pipeline.retrieve):
each whole word of the model's own vocabulary encoded once, by `rolebot index`, and kept on
disk under a key naming the model, its backend and the words; words outside it are encoded on
first use and remembered in a small bounded cache.

A question naming a word the knowledge never uses paid a second forward pass for that word's
vector (142 of the 220 benchmark questions on the guide). A word's vector depends on nothing but
the word, so it is looked up instead: the same vector (cosine 1 - 1e-7, batches of like length
are not padded), no forward pass. The table holds ~21,000 words of the bundled model (float32,
33 MB). A question's rows are read from the file (one pread each, microseconds), never mapped:
memory-mapped, each row touched mapped the 64 KiB around it, and a server's PSS after the
500-request benchmark grew by 30 MB (247 -> 277 MB, over the 256 MB bar).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from embeddings.encoder import Encoder
from embeddings.index import save_atomically

log = logging.getLogger(__name__)

WORDS_FORMAT = "v1"
# Words outside the table, remembered once encoded: 2,048 x 384 float32 is 3 MB at most, and
# a flood of nonsense words (each question of 2,000 characters holds ~200) can't grow it.
WORD_CACHE_SIZE = 2048
# A vocabulary entry the table holds: what embeddings.text.words finds as one word, letters
# only (numbers, "q3" and the like are rare enough to be encoded on first use).
_WHOLE_WORD = re.compile(r"[a-z]+")
# How a tokenizer marks a word-initial entry: WordPiece leaves it bare ("##" marks the rest),
# SentencePiece and byte-level BPE put a mark before it.
_WORD_MARKS = ("▁", "Ġ")


def vocabulary_words(encoder: Encoder) -> list[str]:
    """The whole words of the encoder's own vocabulary, sorted (none for encoders without a
    vocabulary): the words a question's unknown words mostly are."""
    found = set()
    for entry in encoder.vocabulary:
        for mark in _WORD_MARKS:
            entry = entry.removeprefix(mark)
        if _WHOLE_WORD.fullmatch(entry):
            found.add(entry)
    return sorted(found)


def table_file(encoder: Encoder, words: Sequence[str], cache_dir: Path) -> Path:
    """Where the table for these words lives: named after the encoder (model and backend) and
    a hash of its name and of the words, so another model or tokenizer gets another table."""
    digest = hashlib.sha256(WORDS_FORMAT.encode() + b"\x00" + encoder.name.encode() + b"\x00")
    digest.update("\n".join(words).encode())
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", encoder.name).strip("_")[-60:] or "model"
    return Path(cache_dir) / f"{slug}-words-{digest.hexdigest()[:32]}.npy"


@dataclass(frozen=True)
class TableStats:
    """What building (or reading) the table took: `rolebot index` and the benchmark print it."""

    words: int
    from_cache: bool
    seconds: float
    cache_file: Path
    bytes: int


@dataclass(frozen=True)
class _Rows:
    """Where a table's float32 rows start in its .npy file, and how long each is."""

    path: Path
    offset: int
    dimension: int

    def read(self, rows: Sequence[int]) -> np.ndarray:
        size = self.dimension * 4
        out = np.empty((len(rows), self.dimension), dtype=np.float32)
        with self.path.open("rb") as handle:
            for i, row in enumerate(rows):
                data = os.pread(handle.fileno(), size, self.offset + row * size)
                if len(data) != size:
                    raise OSError(f"word table {self.path} is shorter than its header says")
                out[i] = np.frombuffer(data, dtype=np.float32)
        return out


class WordTable:
    """Unit vectors of words, each encoded alone, one row per word: held in memory (just
    built) or read from the cache file row by row."""

    def __init__(
        self, words: Sequence[str], vectors: np.ndarray | _Rows, path: Path | None = None
    ) -> None:
        if isinstance(vectors, np.ndarray) and (vectors.ndim != 2 or len(vectors) != len(words)):
            raise ValueError(f"{len(words)} words with vectors of shape {vectors.shape}")
        self._vectors = vectors
        self.path = path  # the cache file it was read from
        self._rows = {word: row for row, word in enumerate(words)}

    def __len__(self) -> int:
        return len(self._rows)

    def row(self, word: str) -> int | None:
        return self._rows.get(word)

    def vectors(self, rows: Sequence[int]) -> np.ndarray:
        """The unit vectors of these rows, (len(rows), dimension)."""
        if isinstance(self._vectors, np.ndarray):
            return np.asarray(self._vectors[list(rows)], dtype=np.float32)
        return self._vectors.read(rows)

    @classmethod
    def load(cls, encoder: Encoder, cache_dir: Path) -> WordTable | None:
        """The table of this encoder's vocabulary from the cache (its header checked, its rows
        read when asked for); None when it is missing or unreadable (logged)."""
        words = vocabulary_words(encoder)
        return cls._read(table_file(encoder, words, cache_dir), words, encoder.dimension)

    @classmethod
    def _read(cls, path: Path, words: Sequence[str], dimension: int) -> WordTable | None:
        """The table of `words` in `path`, its header checked; None when missing or unfit."""
        if not words or not path.exists():
            return None
        try:
            header = np.load(path, mmap_mode="r", allow_pickle=False)
            shape, dtype, offset = header.shape, header.dtype, header.offset
            fortran = header.flags.f_contiguous and not header.flags.c_contiguous
            del header  # unmapped: rows are read, not mapped (see the module's docstring)
        except (OSError, ValueError, EOFError, AttributeError) as exc:
            log.warning("word table %s is unreadable (%s)", path, exc)
            return None
        if dtype != np.float32 or shape != (len(words), dimension) or fortran:
            log.warning("word table %s has shape %s %s", path, shape, dtype)
            return None
        return cls(words, _Rows(path, int(offset), dimension), path)

    @classmethod
    def build(cls, encoder: Encoder, cache_dir: Path) -> tuple[WordTable | None, TableStats]:
        """The table from the cache, or every vocabulary word encoded and the table saved
        (atomically). None for an encoder without a vocabulary."""
        start = time.perf_counter()
        words = vocabulary_words(encoder)
        path = table_file(encoder, words, cache_dir)
        table = cls._read(path, words, encoder.dimension)
        from_cache = table is not None
        if table is None and words:
            vectors = encoder.encode_queries(words)
            save_atomically(path, lambda handle: np.save(handle, vectors, allow_pickle=False))
            table = cls._read(path, words, encoder.dimension) or cls(words, vectors)
        seconds = time.perf_counter() - start
        size = path.stat().st_size if path.exists() else 0
        if not from_cache and table is not None:
            log.info("word table: %d words encoded in %.1fs (%s)", len(words), seconds, path.name)
        return table, TableStats(len(words), from_cache, seconds, path, size)


class WordVectors:
    """The vector of each word encoded alone: from the table, else from the words already
    encoded here (a bounded cache, least recently used first out), else encoded now."""

    def __init__(
        self, encoder: Encoder, table: WordTable | None, *, capacity: int = WORD_CACHE_SIZE
    ) -> None:
        self.encoder = encoder
        self.table = table
        self.capacity = capacity
        self._recent: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def available(self, words: Sequence[str]) -> tuple[np.ndarray, tuple[str, ...]]:
        """The rows of the words readable without a forward pass (from the table or the words
        already encoded here), and the words that would need one."""
        out, missing = self._read(words)
        readable = [i for i in range(len(words)) if i not in set(missing)]
        return out[readable], tuple(words[i] for i in missing)

    def vectors(self, words: Sequence[str]) -> np.ndarray:
        """(len(words), dimension) unit rows, in the order of `words`."""
        out, missing = self._read(words)
        if missing:
            encoded = self.encoder.encode_queries([words[i] for i in missing])
            out[missing] = encoded
            with self._lock:
                for i, vector in zip(missing, encoded, strict=True):
                    self._recent[words[i]] = vector
                    self._recent.move_to_end(words[i])
                while len(self._recent) > self.capacity:
                    self._recent.popitem(last=False)
        return out

    def _read(self, words: Sequence[str]) -> tuple[np.ndarray, list[int]]:
        """Rows for `words` from the table and the cache, and the positions of the words
        neither holds (their rows left zero)."""
        out = np.zeros((len(words), self.encoder.dimension), dtype=np.float32)
        missing: list[int] = []
        found: list[tuple[int, int]] = []  # (position, table row)
        table = self.table
        with self._lock:
            for i, word in enumerate(words):
                row = table.row(word) if table is not None else None
                if row is not None:
                    found.append((i, row))
                elif word in self._recent:
                    self._recent.move_to_end(word)
                    out[i] = self._recent[word]
                else:
                    missing.append(i)
        if found and table is not None:
            try:
                out[[i for i, _ in found]] = table.vectors([row for _, row in found])
            except OSError:  # removed or truncated under a running server: encode instead
                log.exception("cannot read the word table %s; encoding words instead", table.path)
                self.table = None
                missing = sorted(missing + [i for i, _ in found])
        return out, missing

    def forget(self) -> None:
        """Empty the cache of encoded words (the table stays), as in a server just started."""
        with self._lock:
            self._recent.clear()
