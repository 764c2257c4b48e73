"""Answers as plain JSON-ready dicts (the `rolebot ask --json` contract)."""

from __future__ import annotations

from typing import Any

from bot.types import Answer, Match


def match_to_dict(match: Match) -> dict[str, Any]:
    return {
        "text": match.text,
        "section": match.citation.section,
        "section_path": list(match.citation.section_path),
        "source": match.citation.document,
        "url": match.citation.url,
        "roles": list(match.citation.roles),
        "role_label": match.role_label,
        "score": round(match.score, 4),
    }


def answer_to_dict(answer: Answer) -> dict[str, Any]:
    best = answer.best
    return {
        "question": answer.question,
        "answered": answer.answered,
        "outcome": answer.outcome.value,
        "answer": best.text if best else None,
        "section": best.citation.section if best else None,
        "section_path": list(best.citation.section_path) if best else [],
        "source": best.citation.document if best else None,
        "url": best.citation.url if best else None,
        "role": best.role_label if best else None,
        "score": round(best.score, 4) if best else None,
        "confidence": round(answer.confidence, 4),
        "matches": [match_to_dict(m) for m in answer.matches],
        "alternatives": [match_to_dict(m) for m in answer.alternatives],
        "message": answer.message,
    }


def error_dict(question: str, error: str) -> dict[str, Any]:
    return {"question": question, "answered": False, "error": error}
