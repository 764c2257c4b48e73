"""What the answer engine returns: typed, frozen, platform-neutral."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from knowledge.model import Section


class Outcome(StrEnum):
    ANSWERED = "answered"
    NOT_COVERED = "not_covered"  # the guide has nothing close enough: closest sections offered
    INVALID = "invalid"  # empty or oversized question: `message` says why
    COURTESY = "courtesy"  # only a greeting or thanks: `message` replies in kind


@dataclass(frozen=True)
class Citation:
    document: str  # document title
    url: str | None
    section: str  # the section's own heading
    section_path: tuple[str, ...]  # document title first
    roles: tuple[str, ...]  # role keys the section is about
    source: str = ""  # the file the document was read from

    @classmethod
    def of(cls, section: Section) -> Citation:
        return cls(
            document=section.document.title,
            url=section.document.url,
            section=section.heading,
            section_path=section.path,
            roles=section.roles,
            source=section.document.source,
        )

    def breadcrumb(self, separator: str = " › ") -> str:
        return separator.join(self.section_path)


@dataclass(frozen=True)
class Match:
    """A quoted passage (verbatim), where it came from and how well it matched."""

    text: str
    citation: Citation
    score: float
    roles: tuple[str, ...] = ()  # the roles the passage is about
    role_label: str | None = None  # e.g. "Technical Product Manager (TPM)" for who-questions


@dataclass(frozen=True)
class Answer:
    question: str
    outcome: Outcome
    matches: tuple[Match, ...] = ()  # what to quote: one, or one per role when ambiguous
    alternatives: tuple[Match, ...] = ()  # up to 3 closest other sections
    confidence: float = 0.0  # 0..1, the engine's belief that `matches` answer the question
    message: str | None = None  # user-facing explanation for INVALID / NOT_COVERED

    @property
    def answered(self) -> bool:
        return self.outcome is Outcome.ANSWERED

    @property
    def best(self) -> Match | None:
        return self.matches[0] if self.matches else None
