"""Votes as regression cases in the eval format (bot/evaluate.py reads the same lines).

One line per voted, answered question, labelled by the majority of its votes (ties are left
out, as are votes on declined answers, which have no section to judge):

    👍  {"question": …, "sections": ["Heading › Sub-heading"], "votes": {"up": 2, "down": 0}}
    👎  {"question": …, "not_sections": ["Heading › Sub-heading"], "expect": "different_section",
         "votes": {"up": 0, "down": 1}}

A section is named by its heading path after the document title, joined with " › " (a tail
that bot.evaluate.section_matches accepts); a document without headings is named by its
title. `votes` is informational. Identical lines (same question, label and section) are
written once.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, case, func, select

from bot.storage.schema import SEPARATOR, questions, split_path, votes

EXPECT_DIFFERENT = "different_section"


@dataclass(frozen=True)
class FeedbackCase:
    question: str
    section: str  # heading path after the document title
    up: int
    down: int

    @property
    def positive(self) -> bool:
        return self.up > self.down

    def to_dict(self) -> dict[str, Any]:
        tally = {"up": self.up, "down": self.down}
        if self.positive:
            return {"question": self.question, "sections": [self.section], "votes": tally}
        return {
            "question": self.question,
            "not_sections": [self.section],
            "expect": EXPECT_DIFFERENT,
            "votes": tally,
        }


def section_label(joined_path: str) -> str:
    path = split_path(joined_path)
    return SEPARATOR.join(path[1:] if len(path) > 1 else path)


def feedback_cases(engine: Engine, since: datetime | None = None) -> Iterator[FeedbackCase]:
    """Voted answered questions (votes cast since `since`) with a clear majority, oldest first."""
    up = func.sum(case((votes.c.vote == "up", 1), else_=0))
    down = func.sum(case((votes.c.vote == "down", 1), else_=0))
    query = (
        select(questions.c.question, questions.c.section_path, up.label("up"), down.label("dn"))
        .select_from(votes.join(questions, votes.c.question_id == questions.c.id))
        .where(questions.c.answered.is_(True), questions.c.section_path != "")
        .group_by(questions.c.id, questions.c.question, questions.c.section_path)
        .order_by(func.min(questions.c.at), questions.c.id)
    )
    if since is not None:
        query = query.where(votes.c.at >= since)
    seen: set[tuple[str, bool, str]] = set()
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    for question, path, n_up, n_down in rows:
        case_ = FeedbackCase(question.strip(), section_label(path), int(n_up), int(n_down))
        key = (case_.question, case_.positive, case_.section)
        if case_.up == case_.down or key in seen:
            continue
        seen.add(key)
        yield case_


def export_lines(engine: Engine, since: datetime | None = None) -> Iterator[str]:
    for item in feedback_cases(engine, since):
        yield json.dumps(item.to_dict(), ensure_ascii=False)
