"""Small knowledge bases written in a test, loaded through the real loaders."""

from __future__ import annotations

from pathlib import Path

from knowledge import Knowledge, load_knowledge


def knowledge_from(folder: Path, files: dict[str, str]) -> Knowledge:
    """Write each `name: text` into `folder` and load the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return load_knowledge([folder])
