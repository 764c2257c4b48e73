"""Questions for the latency and load benchmarks: the project's labelled eval files first,
then template variants over the knowledge's headings and roles, plus off-topic questions."""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Sequence
from pathlib import Path

from benchmarks import REPO_ROOT, shared_dir

EVAL_FILES = (REPO_ROOT / "eval" / "guide" / "dev.jsonl",)
SHARED_EVAL = ("eval/dev-questions.jsonl",)

_HEADING_TEMPLATES = (
    "What does the guide say about {heading}?",
    "tell me about {heading}",
    "{heading}?",
    "Can you explain the {heading} part for the {role}?",
    "What is expected of a {role} when it comes to {heading}?",
)
_ROLE_TEMPLATES = (
    "What does a {role} do all day?",
    "who is the {role} accountable to",
    "How is a {role} different from the others?",
    "What skills does a {role} need?",
    "is a {role} technical?",
    "which role owns the roadmap, the {role}?",
)
OFF_TOPIC = (
    "What's the weather in Lisbon tomorrow?",
    "How do I reset my VPN password?",
    "best sourdough starter ratio",
    "When is the next company holiday?",
    "Can you book a meeting room for 3pm?",
    "What is the capital of Australia?",
    "how many vacation days do I have left",
    "Recommend a good sci-fi novel",
    "What's our stock price today?",
    "Translate 'good morning' into Japanese",
    "How do I expense a taxi ride?",
    "Who won the football match last night?",
)


def read_jsonl_questions(paths: Iterable[Path]) -> list[str]:
    """The `question` field of every line of the existing files (missing files are skipped)."""
    out: list[str] = []
    for path in paths:
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if not line:
                continue
            question = json.loads(line).get("question")
            if isinstance(question, str) and question.strip():
                out.append(question)
    return out


def eval_files() -> list[Path]:
    return [*EVAL_FILES, *(shared_dir() / name for name in SHARED_EVAL)]


def template_questions(
    headings: Sequence[str], roles: Sequence[str], *, seed: int = 11
) -> list[str]:
    """Variants over the knowledge's own headings and role names."""
    rng = random.Random(seed)
    out: list[str] = []
    role_names = list(roles) or ["product manager"]
    for heading in headings:
        template = rng.choice(_HEADING_TEMPLATES)
        out.append(template.format(heading=heading.lower(), role=rng.choice(role_names)))
    for role in role_names:
        out.extend(template.format(role=role) for template in _ROLE_TEMPLATES)
    return out


def build_questions(
    headings: Sequence[str],
    roles: Sequence[str],
    *,
    minimum: int = 200,
    limit: int | None = None,
    seed: int = 11,
) -> list[str]:
    """≥ `minimum` (≤ `limit`) distinct questions, in a fixed shuffled order: every off-topic
    one, then a sample of the eval files' questions and the template variants."""
    seen: dict[str, None] = {}
    for question in [
        *OFF_TOPIC,
        *read_jsonl_questions(eval_files()),
        *template_questions(headings, roles, seed=seed),
    ]:
        seen.setdefault(question, None)
    rest = [q for q in seen if q not in OFF_TOPIC]
    random.Random(seed).shuffle(rest)
    questions = [*OFF_TOPIC, *rest]
    if limit:
        questions = questions[: max(limit, minimum)]
    rng = random.Random(seed)
    fillers = ("please", "quick question:", "hey,", "sorry if obvious:", "for onboarding:")
    while len(questions) < minimum:  # small knowledge and no eval files: vary the phrasing
        variant = f"{rng.choice(fillers)} {rng.choice(questions)}"
        if variant not in seen:
            seen[variant] = None
            questions.append(variant)
    random.Random(seed).shuffle(questions)
    return questions
