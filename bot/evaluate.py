"""Score the engine on labelled questions, beside plain retrieval baselines on the same passages.

The label format is the one of ../shared/corpora/README.md: `sections` are heading paths or
their last headings, matched whole heading by whole heading, case-insensitively with spacing
collapsed; `files` (when given) the files, relative to the knowledge folder, that may hold them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bot.engine import Engine
from bot.pipeline.compose import MAX_QUOTE_CHARS
from bot.types import Answer, Citation, Match
from bot.types import Outcome as AnswerOutcome

SEPARATOR = " › "
# The shared corpora call a plausible work question the documents don't answer "near_miss".
_ABSTAIN_KINDS = {
    "off_topic": "off_topic",
    "not_covered": "not_covered",
    "near_miss": "not_covered",
}


class EvalFileError(Exception):
    pass


@dataclass(frozen=True)
class LabelledQuestion:
    question: str
    sections: tuple[str, ...] = ()
    role: str | None = None
    abstain: bool = False
    kind: str = "answerable"  # answerable, off_topic, not_covered, different_section
    not_sections: tuple[str, ...] = ()  # a 👎 from feedback: citing any of these is wrong
    files: tuple[str, ...] = ()  # files (relative to the knowledge folder) that may answer it


@dataclass(frozen=True)
class Outcome:
    item: LabelledQuestion
    answer: Answer
    top1: bool
    top3: bool
    role_ok: bool


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    def _rate(self, flags: Iterable[bool]) -> float | None:
        values = list(flags)
        return sum(values) / len(values) if values else None

    @property
    def answerable(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.item.kind == "answerable"]

    @property
    def corrections(self) -> list[Outcome]:
        """👎 lines from export-feedback: right when the bot now answers from another section."""
        return [o for o in self.outcomes if o.item.kind == "different_section"]

    def abstaining(self, kind: str | None = None) -> list[Outcome]:
        return [
            o for o in self.outcomes if o.item.abstain and (kind is None or o.item.kind == kind)
        ]

    def summary(self) -> dict[str, float | int | None]:
        answerable = self.answerable
        with_role = [o for o in answerable if o.item.role]
        return {
            "questions": len(self.outcomes),
            "answerable": len(answerable),
            "top1_section": self._rate(o.top1 for o in answerable),
            "top3_section": self._rate(o.top3 for o in answerable),
            "role_top1": self._rate(o.role_ok for o in with_role),
            "answered_rate": self._rate(o.answer.answered for o in answerable),
            "abstain_lines": len(self.abstaining()),
            "declined_rate": self._rate(not o.answer.answered for o in self.abstaining()),
            "off_topic_declined": self._rate(
                not o.answer.answered for o in self.abstaining("off_topic")
            ),
            "not_covered_declined": self._rate(
                not o.answer.answered for o in self.abstaining("not_covered")
            ),
            "feedback_corrections": len(self.corrections),
            "feedback_corrected": self._rate(o.top1 for o in self.corrections),
            "bad_quotes": sum(
                1 for o in self.outcomes for m in o.answer.matches if quote_problem(m.text)
            ),
        }


# What must never be quoted: raw Markdown table syntax, task-list boxes, or more than the
# composer's cap (bot.pipeline.compose.MAX_QUOTE_CHARS).
_RAW_MARKUP = re.compile(r"\|\s*:?-{3,}:?\s*\||^\s*\|.*\|\s*$|(?:^|[;:]\s)\s*\[[ xX]\]\s")


def quote_problem(text: str) -> str | None:
    """Why a quoted passage is unfit to quote, or None."""
    if len(text) > MAX_QUOTE_CHARS:
        return f"{len(text):,} characters"
    if _RAW_MARKUP.search(text):
        return "raw table syntax or a task-list box"
    return None


def read_questions(path: Path) -> list[LabelledQuestion]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise EvalFileError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    items: list[LabelledQuestion] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            question = str(raw["question"])
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise EvalFileError(f"{path}:{number}: not a labelled question ({exc})") from exc
        expect = raw.get("expect")
        abstain = expect == "abstain"
        if abstain:
            kind = _ABSTAIN_KINDS.get(raw.get("kind", "off_topic"), "off_topic")
        elif expect == "different_section":
            kind = "different_section"
        else:
            kind = "answerable"
        items.append(
            LabelledQuestion(
                question=question,
                sections=tuple(raw.get("sections", ())),
                role=raw.get("role"),
                abstain=abstain,
                kind=kind,
                not_sections=tuple(raw.get("not_sections", ())),
                files=tuple(raw.get("files", ())),
            )
        )
    if not items:
        raise EvalFileError(f"{path}: no questions")
    return items


def _heading_key(heading: str) -> str:
    return " ".join(heading.split()).casefold()


def section_matches(label: str, citation: Citation, files: tuple[str, ...] = ()) -> bool:
    """A label names a section by its heading or by a tail of its heading path, whole headings
    compared ("Engineer" is not "Junior Engineer"); with `files`, only in one of those files."""
    if files and not any(_in_file(citation.source, f) for f in files):
        return False
    wanted = [_heading_key(h) for h in label.split(SEPARATOR.strip())]
    path = [_heading_key(h) for h in citation.section_path]
    return len(wanted) <= len(path) and path[len(path) - len(wanted) :] == wanted


def _in_file(source: str, file: str) -> bool:
    source, file = source.replace("\\", "/"), file.replace("\\", "/").lstrip("/")
    return source == file or source.endswith("/" + file)


def labelled(item: LabelledQuestion, citation: Citation) -> bool:
    """The citation is one of the item's right sections."""
    return any(section_matches(s, citation, item.files) for s in item.sections)


def role_matches(role: str, answer: Answer) -> bool:
    if not answer.matches:
        return False
    if role.upper() == "BOTH":  # a comparison passage, or both roles quoted side by side
        return len({r for m in answer.matches for r in m.roles}) > 1
    return set(answer.matches[0].roles) == {role}


def score(engine: Engine, items: list[LabelledQuestion]) -> Report:
    report = Report()
    for item in items:
        answer = engine.answer(item.question)
        ranked = [*answer.matches, *answer.alternatives]
        cited = [m.citation for m in ranked]
        top1 = bool(cited) and labelled(item, cited[0])
        if answer.matches and len(answer.matches) > 1:  # both roles quoted: either may be right
            top1 = any(labelled(item, m.citation) for m in answer.matches)
        top3 = any(labelled(item, c) for c in cited[:3])
        if item.kind == "different_section":  # answered, and from none of the 👎 sections
            top1 = top3 = answer.answered and not any(
                section_matches(s, m.citation) for m in answer.matches for s in item.not_sections
            )
        role_ok = bool(item.role) and role_matches(item.role, answer)
        report.outcomes.append(Outcome(item, answer, top1, top3, role_ok))
    return report


def score_ranking(rank: Callable[[str], list[Citation]], items: list[LabelledQuestion]) -> Report:
    """Score a ranking that never declines (a baseline): its first section is its answer."""
    report = Report()
    for item in items:
        cited = rank(item.question)
        matches = tuple(Match(text="", citation=c, score=0.0) for c in cited)
        answer = Answer(
            item.question, AnswerOutcome.ANSWERED, matches=matches[:1], alternatives=matches[1:]
        )
        top1 = bool(cited) and labelled(item, cited[0])
        top3 = any(labelled(item, c) for c in cited[:3])
        report.outcomes.append(Outcome(item, answer, top1, top3, False))
    return report
