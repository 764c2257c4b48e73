"""Role documents -> sections (heading paths) -> passages. Never imports Slack."""

from __future__ import annotations

from knowledge.loaders import KnowledgeError, load_knowledge, load_path
from knowledge.model import Document, Knowledge, ParsedDocument, Passage, Section
from knowledge.shipped import GUIDES_DIR, load_shipped_guide

__all__ = [
    "GUIDES_DIR",
    "Document",
    "Knowledge",
    "KnowledgeError",
    "ParsedDocument",
    "Passage",
    "Section",
    "load_knowledge",
    "load_path",
    "load_shipped_guide",
]
