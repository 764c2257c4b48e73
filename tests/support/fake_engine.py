"""A fake engine for fast Slack tests: canned answers, and the questions it was asked."""

from __future__ import annotations

from typing import Any

from bot.types import Answer, Citation, Match, Outcome


def citation(*path: str, url: str | None = None, roles: tuple[str, ...] = ("TPM",)) -> Citation:
    return Citation(document=path[0], url=url, section=path[-1], section_path=path, roles=roles)


def answered(text: str = "A TPM contributes to the technical roadmap.", **kw: Any) -> Answer:
    match = Match(
        text=text,
        citation=citation("Role guide", "Technical Product Manager (TPM)", "Focus"),
        score=0.8,
        role_label=kw.pop("role_label", None),
    )
    return Answer(
        question=kw.pop("question", "q"), outcome=Outcome.ANSWERED, matches=(match,), confidence=0.8
    )


class FakeEngine:
    """Returns canned answers; records the questions it was asked."""

    def __init__(self, knowledge: Any, answer: Answer | None = None) -> None:
        self.knowledge = knowledge
        self.questions: list[str] = []
        self.next_answer = answer or answered()
        self.fail = False

    def answer(self, question: str) -> Answer:
        self.questions.append(question)
        if self.fail:
            raise RuntimeError("engine exploded")
        return self.next_answer
