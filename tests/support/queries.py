"""Queries built by hand, as the parser would read a plain question, for stage tests."""

from __future__ import annotations

from bot.pipeline.parse import Query


def query_of(question: str, named: tuple[str, ...] = ()) -> Query:
    return Query(
        original=question,
        text=question,
        named=named,
        asked=question,
        subject=tuple(question.split()),
        masked=question,
        asked_beyond_roles=question,
        clause=None,
        compares=False,
        asks_who=False,
        asks_figure=False,
        asks_money=False,
        defines=None,
        arithmetic=False,
        small_talk=False,
    )
