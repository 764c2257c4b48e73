"""The rules that decline whatever the scores."""

from __future__ import annotations

import pytest
from support.knowledge import knowledge_from

from bot.pipeline.decide import UnknownRole

GUIDE = """# Roles

## Product Manager (PM)
A PM owns the product vision and works with engineers.

## Technical Product Manager (TPM)
A TPM owns the technical roadmap. Several teams ask the Staff Designer for reviews.
"""


@pytest.fixture(scope="module")
def rule(tmp_path_factory) -> UnknownRole:
    return UnknownRole(knowledge_from(tmp_path_factory.mktemp("k"), {"guide.md": GUIDE}))


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("What does a scrum master do?", "scrum master"),
        ("Is an engineering manager the same thing?", "engineering manager"),
        ("what does a product marketing manager do", "product marketing manager"),
        ("how is a technical program manager different?", "technical program manager"),
        ("What does a UX Researcher do?", "UX Researcher"),  # named as the asker wrote it
        ("what does a really great scrum master do?", "scrum master"),
    ],
)
def test_titles_the_documents_never_use_are_unknown(rule, question: str, title: str) -> None:
    assert rule.unknown_title(question) == title


@pytest.mark.parametrize(
    "question",
    [
        "What does a product manager do?",
        "what is a prodct manager responsible for",  # a typo of a known role
        "Who works with the engineers?",  # a group, not a role asked about
        "Does a senior product manager code?",  # a known role with a seniority word
        "I'm a data engineer - which role would use my background?",  # the asker's own job
        "i was an architect before; is that useful for a TPM?",
        "what does the staff designer review?",  # no heading, but the text uses the title
        "what makes a good manager?",  # no particular role
        "what does a really strong engineer look like here?",
        "who's the go-between for the engineers and everyone else?",
        "before escalating a blocker to the architect, what should I try?",
    ],
)
def test_known_roles_titles_in_the_text_and_groups_are_not_unknown(rule, question: str) -> None:
    assert rule.unknown_title(question) is None
