"""Retrieval's indexes over a team's own handbook."""

from __future__ import annotations

import numpy as np
from support.fakes import FakeEncoder
from support.knowledge import knowledge_from

from bot.pipeline.retrieve import Retriever, embed_text

HANDBOOK = {
    "roles.md": "# Support roles\n\n## Customer Liaison\nKeeps customers informed during an "
    "outage.\n\n## Scribe\nWrites the timeline of the incident as it happens.\n"
}


def test_one_pass_over_the_passages_gives_the_vectors_and_the_token_vectors(tmp_path):
    handbook = knowledge_from(tmp_path / "docs", HANDBOOK)
    encoder = FakeEncoder(tokens=True)
    retriever = Retriever(handbook, encoder, cache_dir=tmp_path / "cache", adapter=None)
    assert retriever.tokens is not None and len(retriever.tokens) == len(handbook.passages)
    for passage in handbook.passages:  # the token pass gave the sentence vectors too
        assert encoder.encoded.count(embed_text(passage)) == 1
    again = Retriever(handbook, encoder, cache_dir=tmp_path / "cache", adapter=None)
    np.testing.assert_array_equal(again.index.vectors, retriever.index.vectors)
    assert again.index_stats.from_cache


def test_an_encoder_without_token_vectors_ranks_without_late_interaction(tmp_path):
    handbook = knowledge_from(tmp_path / "docs", HANDBOOK)
    retriever = Retriever(handbook, FakeEncoder(), cache_dir=tmp_path / "cache", adapter=None)
    assert retriever.tokens is None
