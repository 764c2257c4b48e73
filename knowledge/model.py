"""The document model shared by every layer: Document -> Section -> Passage."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Document:
    """One source file: its title and where it came from."""

    title: str
    source: str  # file path the document was read from
    url: str | None = None  # canonical web address, when the document declares one


@dataclass(frozen=True)
class Section:
    """A heading and the path of headings above it, document title first."""

    document: Document
    heading: str
    path: tuple[str, ...]  # e.g. ("Role guide", "Technical Product Manager (TPM)", "Skills")
    level: int  # 1 for the document's title section, deeper headings count up
    roles: tuple[str, ...] = ()  # role keys the section is about (two or more: a comparison)

    @property
    def is_comparison(self) -> bool:
        return len(self.roles) > 1

    def breadcrumb(self, separator: str = " › ") -> str:
        return separator.join(self.path)


@dataclass(frozen=True)
class Passage:
    """A verbatim span of a section's text; position counts passages within the document."""

    section: Section
    text: str
    position: int
    # The roles this passage is about: its section's, narrowed to the one role a passage of a
    # comparison section talks about ("TPMs are expected to ..."), or the one its lead names.
    roles: tuple[str, ...] = ()
    # The labels a table cell's passage opens with ("Competency: Mentoring · L3 Senior
    # Engineer:"), part of `text`; empty for other passages.
    lead: str = ""
    item: bool = False  # a list item (or a run of short ones joined)


@dataclass(frozen=True)
class ParsedDocument:
    """What a loader returns: the document, every section (even empty ones) and the passages."""

    document: Document
    sections: tuple[Section, ...]
    passages: tuple[Passage, ...]


@dataclass(frozen=True)
class Role:
    """A role named in the knowledge, e.g. key "TPM", name "Technical Product Manager"."""

    key: str
    name: str
    aliases: tuple[str, ...] = field(default=())

    @property
    def label(self) -> str:
        return f"{self.name} ({self.key})" if self.key != self.name else self.name


@dataclass(frozen=True)
class Knowledge:
    """Everything the engine answers from: one or more parsed documents and their roles."""

    documents: tuple[ParsedDocument, ...]
    roles: tuple[Role, ...] = ()

    @property
    def sections(self) -> tuple[Section, ...]:
        return tuple(s for d in self.documents for s in d.sections)

    @property
    def passages(self) -> tuple[Passage, ...]:
        return tuple(p for d in self.documents for p in d.passages)

    def role(self, key: str) -> Role | None:
        wanted = key.casefold()
        for role in self.roles:
            if wanted == role.key.casefold() or wanted in (a.casefold() for a in role.aliases):
                return role
        return None
