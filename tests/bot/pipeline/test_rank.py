"""Ranking: late interaction re-orders the best fused passages, and only where it measured."""

from __future__ import annotations

import numpy as np
from support.knowledge import knowledge_from
from support.queries import query_of

from bot.engine import Engine
from bot.pipeline.rank import LateInteraction
from embeddings.late import TokenIndex


def one_token_each(*rows: list[float]) -> TokenIndex:
    tokens = np.array(rows, dtype=np.float32)
    tokens /= np.linalg.norm(tokens, axis=1, keepdims=True)
    return TokenIndex(tokens, np.arange(len(rows) + 1))


def test_the_top_fused_passages_take_their_maxsim_order_and_the_rest_follow_in_fused_order():
    # passages 0-3 point ever further from the question's one token; 4 matches it exactly
    tokens = one_token_each([1, 0.2], [1, 0.5], [1, 1], [0.2, 1], [1, 0])
    late = LateInteraction(tokens, depth=3)
    fused = np.array([0.9, 0.8, 0.7, 0.6, 0.1], dtype=np.float32)
    scores = late.reorder(fused, np.array([[1.0, 0.0]], dtype=np.float32))
    assert np.argsort(-scores).tolist() == [0, 1, 2, 3, 4]  # 4 is past the depth: not lifted
    fused = np.array([0.1, 0.8, 0.7, 0.6, 0.9], dtype=np.float32)
    scores = late.reorder(fused, np.array([[1.0, 0.0]], dtype=np.float32))
    assert np.argsort(-scores).tolist() == [4, 1, 2, 3, 0]
    assert scores[3] < scores[2] and scores[0] < scores[3]  # below the top ones, fused order


def test_a_fused_passage_far_ahead_of_the_next_stays_first_and_the_rest_take_maxsim_order():
    tokens = one_token_each([1, 0.2], [1, 0.5], [1, 1], [0.2, 1], [1, 0])
    late = LateInteraction(tokens, depth=3, sure_lead=0.2)
    question = np.array([[1.0, 0.0]], dtype=np.float32)
    close = np.array([0.7, 0.6, 0.65, 0.1, 0.75], dtype=np.float32)  # 4 leads by 0.05
    assert np.argsort(-late.reorder(close, question)).tolist()[:3] == [4, 0, 2]
    clear = np.array([0.4, 0.6, 0.7, 0.1, 0.1], dtype=np.float32)  # 2 leads by 0.1 < 0.2
    assert np.argsort(-late.reorder(clear, question)).tolist()[:3] == [0, 1, 2]
    sure = np.array([0.4, 0.3, 0.9, 0.1, 0.1], dtype=np.float32)  # 2 leads by 0.5
    assert np.argsort(-late.reorder(sure, question)).tolist()[:3] == [2, 0, 1]


def test_late_interaction_serves_only_knowledge_no_query_adapter_serves(engine, seed_engine):
    """The guide and the seed article keep the adapter's ranking (late interaction cost them
    14-16 points of top-1); any other handbook gets it."""
    assert engine.adapter is not None and engine.ranker.late is None
    assert seed_engine.adapter is not None and seed_engine.ranker.late is None


def test_a_handbook_of_its_own_is_reranked_by_its_token_vectors(encoder, tmp_path):
    handbook = knowledge_from(
        tmp_path / "docs",
        {
            "roles.md": "# Support roles\n\n## Customer Liaison\nKeeps customers informed "
            "during an outage and posts status updates.\n\n## Scribe\nWrites the timeline "
            "of the incident as it happens.\n",
        },
    )
    engine = Engine(handbook, encoder, cache_dir=tmp_path / "cache")
    assert engine.ranker.late is not None
    assert len(engine.ranker.late.tokens) == len(handbook.passages)
    answer = engine.answer("who keeps customers up to date during an outage?")
    assert answer.matches[0].citation.section_path[-1] == "Customer Liaison"


def _scored(knowledge, texts: list[str]) -> list:
    from bot.pipeline.rank import Scored

    by_text = {p.text: p for p in knowledge.passages}
    return [Scored(by_text[t], 1.0 - i / 10, 1.0 - i / 10) for i, t in enumerate(texts)]


def test_a_figure_question_takes_the_passage_of_the_best_section_that_gives_one(tmp_path):
    from dataclasses import replace

    from bot.pipeline.rank import FigureFirst

    text = (
        "# Benefits\n\n## Learning budget\nYou don't need approval to spend it on books.\n\n"
        "Everyone gets a learning budget of $2,000 a year.\n\n"
        "## Sabbatical\nAfter five years you get six weeks.\n"
    )
    knowledge = knowledge_from(tmp_path, {"benefits.md": text})
    ranked = _scored(
        knowledge,
        [
            "You don't need approval to spend it on books.",
            "After five years you get six weeks.",
            "Everyone gets a learning budget of $2,000 a year.",
        ],
    )
    money = replace(query_of("how much is the learning budget?"), asks_figure=True, asks_money=True)
    prose = query_of("what can I spend the learning budget on?")

    assert FigureFirst().reorder(money, ranked)[0].passage.text.endswith("$2,000 a year.")
    assert FigureFirst().reorder(prose, ranked) == ranked


def test_a_definition_question_takes_the_passage_saying_what_the_role_is(tmp_path):
    from dataclasses import replace

    from bot.pipeline.rank import DefinitionFirst, definitions

    text = (
        "# Incident roles\n\n## Subject Matter Expert (SME)\n"
        "Check that an SME is present: ask whether the SME for the service has joined.\n\n"
        'A Subject Matter Expert (SME), sometimes called a "Resolver", is a domain expert '
        "for one service.\n\n## Scribe\nThe Scribe is expected to keep the timeline.\n"
    )
    knowledge = knowledge_from(tmp_path, {"roles.md": text})
    passages = knowledge.passages
    defined = definitions(passages, knowledge.roles)
    # "is expected to" says what the scribe does, not what the scribe is
    assert defined == {id(passages[1]): frozenset({"SME"})}
    first = DefinitionFirst(defined)
    ranked = _scored(knowledge, [p.text for p in passages])
    asked = replace(query_of("what's an SME?", ("SME",)), defines="SME")
    assert first.reorder(asked, ranked)[0].passage is passages[1]
    other = query_of("when does the SME join?", ("SME",))
    assert first.reorder(other, ranked) == ranked
    assert DefinitionFirst(defined, depth=1).reorder(asked, ranked) == ranked


def test_a_section_with_subsections_gives_its_passages_a_small_discount_in_maxsim(tmp_path):
    from bot.pipeline.rank import OVERVIEW_DISCOUNT, overviews

    text = (
        "# Backend Engineer\nBackend engineers build services, review code and go on call.\n\n"
        "## Stack\nServices are written in Go on Postgres.\n"
    )
    knowledge = knowledge_from(tmp_path, {"backend.md": text})
    assert overviews(knowledge.passages).tolist() == [1.0, 0.0]
    # the overview's MaxSim is a hair above the subsection's: the discount turns it round
    tokens = one_token_each([1, 0.02], [1, 0.04])
    late = LateInteraction(tokens, depth=2)
    fused = np.array([0.5, 0.5], dtype=np.float32)
    question = np.array([[1.0, 0.0]], dtype=np.float32)
    assert np.argsort(-late.reorder(fused, question)).tolist() == [0, 1]
    discount = OVERVIEW_DISCOUNT * overviews(knowledge.passages)
    assert np.argsort(-late.reorder(fused, question, discount)).tolist() == [1, 0]


def test_a_count_of_anything_but_time_is_not_given_by_a_span_of_time(tmp_path):
    from dataclasses import replace

    from bot.pipeline.rank import gives_figure

    text = (
        "# Calls\n\n## Sub-teams\nAsk the sub-team to get back to you in 20 minutes.\n\n"
        "## Size\nA call with more than 10 people on it needs a second commander.\n"
    )
    knowledge = knowledge_from(tmp_path, {"calls.md": text})
    timed, sized = knowledge.passages
    people = replace(query_of("how many people can report to the commander?"), asks_figure=True)
    minutes = replace(query_of("how many minutes until the sub-team reports?"), asks_figure=True)
    assert not gives_figure(people, timed) and gives_figure(people, sized)
    assert gives_figure(minutes, timed)
