"""A generated knowledge folder: many role documents, each with headings and paragraphs of
varied synthetic text, deterministic for a seed. Pure Python (no model)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

_QUALIFIERS = (
    "Growth", "Platform", "Data", "Security", "Mobile", "Payments", "Search", "Cloud",
    "Developer", "Customer", "Revenue", "Identity", "Billing", "Content", "Partner", "Quality",
    "Release", "Network", "Privacy", "Design", "Research", "Analytics", "Support", "Field",
)  # fmt: skip
_DOMAINS = (
    "Operations", "Systems", "Insights", "Experience", "Infrastructure", "Reliability",
    "Marketing", "Success", "Strategy", "Program", "Solutions", "Enablement",
)  # fmt: skip
_HEADS = (
    "Manager", "Engineer", "Designer", "Analyst", "Architect", "Scientist", "Director",
    "Specialist", "Coordinator", "Strategist", "Researcher", "Consultant",
)  # fmt: skip
_SECTIONS = (
    "Role", "Focus", "Responsibilities", "Skills", "Working with others", "Career path",
    "Day to day", "Measuring success", "Common pitfalls", "Tools",
)  # fmt: skip
_VERBS = (
    "owns", "shapes", "reviews", "prioritises", "negotiates", "documents", "measures",
    "coordinates", "unblocks", "plans", "designs", "audits", "forecasts", "explains", "tracks",
    "champions", "simplifies", "validates", "schedules", "escalates",
)  # fmt: skip
_OBJECTS = (
    "the roadmap", "release plans", "service levels", "the backlog", "customer interviews",
    "pricing experiments", "incident reviews", "architecture decisions", "quarterly goals",
    "onboarding material", "data contracts", "launch checklists", "support escalations",
    "vendor contracts", "usability studies", "capacity plans", "security reviews",
    "dependency maps", "budget requests", "hiring loops", "migration plans", "API changes",
)  # fmt: skip
_PARTNERS = (
    "engineering", "sales", "finance", "legal", "support", "marketing", "leadership",
    "design", "operations", "partners", "customers", "recruiting", "analysts", "executives",
)  # fmt: skip
_GOALS = (
    "keep delivery predictable", "reduce churn", "raise adoption", "cut operating cost",
    "protect user trust", "ship on schedule", "grow revenue", "lower latency",
    "improve retention", "stay compliant", "scale the team", "clarify ownership",
    "avoid rework", "surface risks early", "keep quality high", "make trade-offs visible",
)  # fmt: skip
_ADVERBS = (
    "carefully", "weekly", "early", "openly", "quietly", "rigorously", "pragmatically",
    "continuously", "deliberately", "transparently",
)  # fmt: skip
_SYLLABLES = ("ka", "lo", "mer", "tin", "vas", "ro", "quel", "dan", "fi", "zor", "pel", "mu")


@dataclass(frozen=True)
class CorpusStats:
    documents: int
    passages: int
    bytes: int


def _role_names(count: int, rng: random.Random) -> list[tuple[str, str]]:
    """`count` distinct (name, abbreviation) pairs such as ("Growth Systems Analyst", "GSA")."""
    names: dict[str, str] = {}
    combos = [(q, d, h) for q in _QUALIFIERS for d in _DOMAINS for h in _HEADS]
    rng.shuffle(combos)
    for qualifier, domain, head in combos:
        abbreviation = qualifier[0] + domain[0] + head[0]
        if abbreviation in names.values():
            continue
        names[f"{qualifier} {domain} {head}"] = abbreviation
        if len(names) == count:
            break
    return list(names.items())


def _jargon(rng: random.Random, count: int) -> list[str]:
    """Made-up product words ("kalomer", "vasro") so the vocabulary is not tiny."""
    words: set[str] = set()
    while len(words) < count:
        words.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))))
    return sorted(words)


def _sentence(rng: random.Random, role: str, jargon: list[str]) -> str:
    subject = rng.choice((f"The {role}", f"A {role}", "This role", "They"))
    verb = rng.choice(_VERBS)
    obj = rng.choice(_OBJECTS)
    partner = rng.choice(_PARTNERS)
    goal = rng.choice(_GOALS)
    term = rng.choice(jargon)
    shape = rng.randrange(4)
    if shape == 0:
        return f"{subject} {verb} {obj} with {partner} to {goal}."
    if shape == 1:
        return f"{subject} {rng.choice(_ADVERBS)} {verb} {obj}, using the {term} process."
    if shape == 2:
        return f"When {partner} ask about {obj}, {subject.lower()} {verb} the {term} review."
    return f"Success here means {partner} can {goal} because {subject.lower()} {verb} {obj}."


def paragraph(rng: random.Random, role: str, jargon: list[str]) -> str:
    return " ".join(_sentence(rng, role, jargon) for _ in range(rng.randint(1, 3)))


def write_corpus(
    folder: Path,
    passages: int,
    *,
    seed: int = 7,
    sections_per_document: int = 6,
    paragraphs_per_section: int = 7,
) -> CorpusStats:
    """Write Markdown role documents into `folder` until they hold ≥ `passages` paragraphs."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    per_document = sections_per_document * paragraphs_per_section
    documents = max(1, -(-passages // per_document))
    jargon = _jargon(rng, 400)
    written = 0
    size = 0
    for number, (name, abbreviation) in enumerate(_role_names(documents, rng), start=1):
        lines = [f"# {name} ({abbreviation})", ""]
        lines += [paragraph(rng, abbreviation, jargon), ""]
        written += 1
        for heading in rng.sample(_SECTIONS, k=min(sections_per_document, len(_SECTIONS))):
            lines += [f"## {heading}", ""]
            for _ in range(paragraphs_per_section):
                lines += [paragraph(rng, rng.choice((abbreviation, name)), jargon), ""]
                written += 1
        text = "\n".join(lines)
        size += len(text.encode())
        (folder / f"role-{number:04d}.md").write_text(text, encoding="utf-8")
        if written >= passages:
            documents = number
            break
    return CorpusStats(documents=documents, passages=written, bytes=size)
