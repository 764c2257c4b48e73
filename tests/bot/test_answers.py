"""The answer service every surface uses: timed, recorded once, and only questions recorded."""

from __future__ import annotations

import logging

import pytest

from bot.answers import AnswerService, Asker
from bot.recording import QuestionRecord, Vote
from bot.types import Answer, Citation, Match, Outcome

CITATION = Citation(
    document="Guide", url=None, section="Focus", section_path=("Guide", "TPM", "Focus"), roles=()
)


def answer_of(outcome: Outcome) -> Answer:
    matches = (Match(text="A TPM owns it.", citation=CITATION, score=0.9),)
    return Answer(
        question="q",
        outcome=outcome,
        matches=matches if outcome is Outcome.ANSWERED else (),
        confidence=0.9 if outcome is Outcome.ANSWERED else 0.1,
        message=None if outcome is Outcome.ANSWERED else "why",
    )


class Canned:
    def __init__(self, outcome: Outcome) -> None:
        self.outcome = outcome
        self.asked: list[str] = []

    def answer(self, question: str) -> Answer:
        self.asked.append(question)
        return answer_of(self.outcome)


class Kept:
    def __init__(self, broken: bool = False) -> None:
        self.questions: list[QuestionRecord] = []
        self.broken = broken

    def record_question(self, record: QuestionRecord) -> None:
        if self.broken:
            raise RuntimeError("database down")
        self.questions.append(record)

    def record_vote(self, vote: Vote) -> None:
        raise AssertionError("not a vote")


ASKER = Asker("mention", workspace="T1", channel="C1", user="U1")


@pytest.mark.parametrize(
    ("outcome", "recorded"),
    [
        (Outcome.ANSWERED, True),
        (Outcome.NOT_COVERED, True),  # a knowledge gap: the report lists these
        (Outcome.COURTESY, False),  # "thanks!": no question
        (Outcome.INVALID, False),  # empty, oversized or letterless: no question
    ],
)
def test_questions_are_recorded_once_and_only_questions(outcome: Outcome, recorded: bool) -> None:
    engine, recorder = Canned(outcome), Kept()
    answered = AnswerService(engine, recorder).ask("Who owns it?", ASKER)
    assert engine.asked == ["Who owns it?"]
    assert answered.answer.outcome is outcome and answered.latency_ms >= 0
    if not recorded:
        assert recorder.questions == []
        return
    (record,) = recorder.questions
    assert record.id == answered.question_id
    assert (record.surface, record.workspace, record.channel, record.user) == (
        "mention",
        "T1",
        "C1",
        "U1",
    )
    assert record.latency_ms == answered.latency_ms


def test_the_command_line_answers_first_and_records_after_through_the_same_decision() -> None:
    engine, recorder = Canned(Outcome.INVALID), Kept()
    service = AnswerService(engine, recorder)
    answered = service.answer("", Asker("cli"))
    assert recorder.questions == []
    service.record(answered)
    assert recorder.questions == []  # the same rule as Slack's: not a question
    engine.outcome = Outcome.ANSWERED
    answered = service.answer("Who owns it?", Asker("cli"))
    service.record(answered)
    assert [r.surface for r in recorder.questions] == ["cli"]


def test_a_recorder_failure_is_logged_and_the_answer_returned(caplog) -> None:
    with caplog.at_level(logging.ERROR):
        answered = AnswerService(Canned(Outcome.ANSWERED), Kept(broken=True)).ask("q?", ASKER)
    assert answered.answer.answered
    (failure,) = [r for r in caplog.records if "could not record question" in r.getMessage()]
    assert failure.exc_info is not None and answered.question_id in failure.getMessage()
