"""Stage 2, retrieve: every passage scored against the question, by meaning and by words.

- dense: the cosine of the question and each passage embedded after its full heading path
  (document title first), the question moved by the query adapter where the adapter was fitted
  for this knowledge (see embeddings.adapter);
- lexical: BM25 over the stemmed terms of the same heading path and passage, role names
  expanded to their aliases; a question naming several roles is matched on what it asks
  beyond them (the role fit of bot.pipeline.rank weighs them: counted twice, they made a
  passage naming both outscore each role's own passage). Masking one named role too cost
  3 train+dev questions on two handbooks;
- topic: the closest single sentence with role names masked out of both sides;
- stray: how much the question is about a word the knowledge never uses, each such word's
  vector read from the model's word table (embeddings.words), not encoded per question.

Embedding the document title with each passage measured, on the train and dev questions of
the four shared corpora, top-1 +16.6 points on a career ladder whose level pages share their
section names (36.7% -> 53.3%), and +5 on average, for -6 on the guide before refitting the
adapter.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.pipeline.parse import Query
from embeddings.adapter import QueryAdapter
from embeddings.encoder import Encoder
from embeddings.index import VectorIndex
from embeddings.late import TokenIndex
from embeddings.lexical import LexicalIndex
from embeddings.text import sentences, terms, words
from embeddings.vocabulary import Vocabulary
from embeddings.words import WordTable, WordVectors
from knowledge.model import Knowledge, Passage
from knowledge.roles import mask_roles

log = logging.getLogger(__name__)


def embed_text(passage: Passage) -> str:
    """What the encoder and BM25 see: the full heading path, then the passage."""
    return f"{' › '.join(passage.section.path)}: {passage.text}"


def knowledge_key(knowledge: Knowledge) -> str:
    """Names a knowledge base by its documents' titles and heading paths, so a query adapter
    fitted on it can tell it from any other (and keeps serving it when passages are split
    differently)."""
    digest = hashlib.sha256()
    for section in knowledge.sections:
        digest.update("\x1f".join(section.path).encode() + b"\x00")
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class Evidence:
    """What retrieval measured for one question: per-passage scores and the signals the
    answer-or-decline model judges."""

    dense: np.ndarray  # cosine per passage (adapted where the adapter serves this knowledge)
    adapted: bool  # a query adapter fitted for this knowledge moved the question
    lexical: np.ndarray  # BM25 per passage, 0 where no term matches
    closeness: float  # the best unadapted cosine: how near any passage the question is
    topic: float  # the best cosine of the masked question and a masked sentence
    stray: float  # the best cosine of a word the knowledge never uses and the question
    tokens: np.ndarray | None  # the question's token vectors, where ranking reads them
    # False: `topic` is the unmasked question's, an estimate (Retriever.masked_topic measures it)
    topic_measured: bool = True
    # Unknown words whose vectors were not read: `stray` is then the least it can be
    # (Retriever.stray measures it), and `vector` the question's, to measure it with.
    unread: tuple[str, ...] = ()
    vector: np.ndarray | None = None

    @property
    def estimated(self) -> frozenset[str]:
        """The signals held as estimates ("topic", "stray"), each a forward pass away."""
        return frozenset(
            name
            for name, known in (("topic", self.topic_measured), ("stray", not self.unread))
            if not known
        )


class Retriever:
    """The indexes over one knowledge base, built once (vectors cached on disk)."""

    def __init__(
        self,
        knowledge: Knowledge,
        encoder: Encoder,
        *,
        cache_dir: Path | None,
        adapter: QueryAdapter | None,
        progress: bool = False,
    ) -> None:
        self.knowledge = knowledge
        self.encoder = encoder
        self.passages = knowledge.passages
        key = knowledge_key(knowledge)
        self.adapter = adapter if adapter is not None and adapter.serves(key) else None
        if adapter is not None and self.adapter is None:
            log.info("query adapter (fitted on %s) left out for this knowledge", adapter.fitted_on)
        self.role_terms = {
            alias.lower(): (role.name,) for role in knowledge.roles for alias in role.aliases
        }
        self.role_words = frozenset(w for alias in self.role_terms for w in words(alias))
        items = [(p.section.path, p.text) for p in self.passages]
        texts = [embed_text(p) for p in self.passages]
        # Late interaction re-ranks knowledge the adapter doesn't serve (bot.pipeline.rank);
        # the pass that encodes the token vectors gives the sentence vectors too.
        self.tokens: TokenIndex | None = None
        encoded = None
        if encoder.has_tokens and self.adapter is None:
            self.tokens, encoded = TokenIndex.build(encoder, items, texts, cache_dir)
        self.index, self.index_stats = VectorIndex.build(
            encoder, items, texts, cache_dir, progress=progress, encoded=encoded
        )
        self.lexical = LexicalIndex([self.terms(t) for t in texts])
        # Every sentence with its role names masked: what a question asks beyond the role.
        topics = [
            mask_roles(sentence, knowledge.roles, "they")
            for p in self.passages
            for sentence in sentences(p.text)
        ]
        self.topics, _ = VectorIndex.build(
            encoder, [(("topic",), t) for t in topics], topics, cache_dir, progress=progress
        )
        self.vocabulary = Vocabulary(encoder, texts, ignore=self.role_words)
        self.words = WordVectors(encoder, _word_table(encoder, cache_dir))

    def terms(self, text: str) -> list[str]:
        return terms(text, self.role_terms)

    def retrieve(
        self, query: Query, *, masked_topic: bool = True, all_words: bool = True
    ) -> Evidence:
        """Score every passage. Without `masked_topic`, a question naming a role gets the topic
        of its unmasked form, an estimate, and is encoded once; without `all_words`, the stray
        signal reads only the unknown words whose vectors need no forward pass (see
        decide.SignalBounds)."""
        unknown = self.vocabulary.unknown(query.subject)
        masked = masked_topic and query.masked != query.text
        batch = [query.text] + ([query.masked] if masked else [])
        tokens = None
        if self.tokens is None:
            vectors = self.encoder.encode_queries(batch)
        else:
            encoded = self.encoder.encode_tokens(batch)
            vectors, tokens = encoded.vectors, encoded.tokens[0]
        raw = self.index.scores(vectors[0])
        dense = self.index.scores(self.adapter.apply(vectors[0])) if self.adapter else raw
        topic = self.topics.scores(vectors[1] if masked else vectors[0])
        read, unread = (
            (self.words.vectors(unknown), ()) if all_words else self.words.available(unknown)
        )
        return Evidence(
            dense=dense,
            adapted=self.adapter is not None,
            lexical=self.lexical.scores(self.terms(query.asked_beyond_roles)),
            closeness=float(raw.max()),
            topic=float(topic.max()),
            # with words unread and none read, all that is known is that a cosine is at least -1
            stray=float((read @ vectors[0]).max()) if len(read) else -1.0 if unread else 0.0,
            tokens=tokens,
            topic_measured=masked or query.masked == query.text,
            unread=unread,
            vector=vectors[0],
        )

    def stray(self, evidence: Evidence) -> float:
        """The stray signal with the unread words encoded too (a forward pass of their own)."""
        if not evidence.unread or evidence.vector is None:
            return evidence.stray
        return max(
            evidence.stray, float((self.words.vectors(evidence.unread) @ evidence.vector).max())
        )

    def masked_topic(self, query: Query) -> float:
        """The topic signal of the question's role-masked form (a forward pass of its own)."""
        return float(self.topics.scores(self.encoder.encode_queries([query.masked])[0]).max())


def _word_table(encoder: Encoder, cache_dir: Path | None) -> WordTable | None:
    """The encoder's word table from the cache, built by `rolebot index`. Without it the engine
    works the same, encoding each unknown word on first use (a second forward pass for most
    questions naming one): logged, since a server should have run `rolebot index`."""
    if cache_dir is None or not encoder.vocabulary:
        return None
    table = WordTable.load(encoder, cache_dir)
    if table is None:
        missing = (encoder.name, str(cache_dir))
        log.log(
            logging.DEBUG if missing in _TABLES_MISSING else logging.WARNING,
            "no word table for %s in %s: unknown words are encoded per question (slower); "
            "run `rolebot index` to build it",
            *missing,
        )
        _TABLES_MISSING.add(missing)
    return table


_TABLES_MISSING: set[tuple[str, str]] = set()  # warned about once per process (eval, tune)
