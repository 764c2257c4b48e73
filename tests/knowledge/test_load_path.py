"""load_path over folders and the errors it reports, each naming the file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from knowledge.loaders import KnowledgeError, load_path

Write = Callable[[str, str], Path]


def test_folder_loads_every_supported_file_sorted(tmp_path: Path, write: Write) -> None:
    write("b-guide.md", "# Bee guide\n\nBees make honey.\n")
    write("a-page.html", "<html><head><title>Ant page</title></head><body><p>Ants dig.</p>")
    write("nested/c-notes.txt", "Cat notes\n\nCats sleep most of the day.\n")
    write("d-old.htm", "<h1>Dog page</h1><p>Dogs bark.</p>")
    write("e-extra.markdown", "# Eel notes\n\nEels swim.\n")
    write("f-docs.mdx", "import X from './x'\n\n# Fox notes\n\n<X>Foxes hunt at night.</X>\n")
    write("ignored.csv", "not,a,document\n")
    parsed = load_path(tmp_path)
    assert [Path(p.document.source).name for p in parsed] == [
        "a-page.html",
        "b-guide.md",
        "d-old.htm",
        "e-extra.markdown",
        "f-docs.mdx",
        "c-notes.txt",
    ]
    assert [p.document.title for p in parsed] == [
        "Ant page",
        "Bee guide",
        "Dog page",
        "Eel notes",
        "Fox notes",
        "Cat notes",
    ]
    assert all(p.passages for p in parsed)


def test_single_file_path(write: Write) -> None:
    path = write("one.md", "# One\n\nText.\n")
    (parsed,) = load_path(str(path))
    assert parsed.document.source == str(path)


def _error(path: Path) -> str:
    with pytest.raises(KnowledgeError) as caught:
        load_path(path)
    message = str(caught.value)
    assert str(path) in message
    return message


def test_missing_path(tmp_path: Path) -> None:
    assert "no such file" in _error(tmp_path / "absent.md")


def test_empty_file(write: Write) -> None:
    assert "empty" in _error(write("blank.md", "  \n\n"))


def test_unsupported_extension(write: Write) -> None:
    assert "unsupported" in _error(write("data.csv", "a,b\n"))


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00\x01")
    assert "binary" in _error(path)


def test_windows_1252_text_is_read_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(
        "Caf\u00e9 notes\n\nThe lead\u2019s r\u00f4le is to unblock.\n".encode("cp1252")
    )
    (parsed,) = load_path(path)
    assert parsed.passages[0].text == "The lead\u2019s r\u00f4le is to unblock."
    assert "Windows-1252" in caplog.text


def test_utf16_text_with_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Notes\n\nThe lead unblocks the team.\n", encoding="utf-16")
    (parsed,) = load_path(path)
    assert parsed.passages[0].text == "The lead unblocks the team."


def test_folder_skips_files_with_nothing_to_quote_and_says_which(
    tmp_path: Path, write: Write, caplog: pytest.LogCaptureFixture
) -> None:
    write("_index.md", '---\ntitle: "Engineering"\nweight: 1\n---\n')
    write("blank.md", "\n")
    write("nav/index.md", "- [Tech lead](../lead.md)\n- [Manager](../manager.md)\n")
    write("lead.md", "# Tech Lead\n\nThe tech lead owns the technical roadmap.\n")
    (parsed,) = load_path(tmp_path)
    assert parsed.document.title == "Tech Lead"
    for name, reason in [
        ("_index.md", "no text passages"),
        ("blank.md", "empty"),
        ("index.md", "no text passages"),
    ]:
        assert any(name in r.getMessage() and reason in r.getMessage() for r in caplog.records)


def test_folder_leaves_out_hidden_and_package_folders(tmp_path: Path, write: Write) -> None:
    write(".github/ISSUE_TEMPLATE/bug.md", "# Bug report\n\nDescribe the bug.\n")
    write("node_modules/pkg/README.md", "# Package\n\nInstall it with npm.\n")
    write("roles/lead.md", "# Tech Lead\n\nThe tech lead owns the technical roadmap.\n")
    assert [p.document.title for p in load_path(tmp_path)] == ["Tech Lead"]


def test_folder_where_no_file_has_text(tmp_path: Path, write: Write) -> None:
    write("_index.md", "---\ntitle: Engineering\n---\n")
    write("blank.md", "\n")
    assert "none of its 2 files" in _error(tmp_path)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("headings.md", "# Title\n\n## First\n\n## Second\n"),
        ("headings.html", "<h1>Title</h1><h2>First</h2>"),
        ("headings.txt", "Title\n\nFirst Part\n\nSecond Part\n"),
    ],
)
def test_headings_without_text(write: Write, name: str, content: str) -> None:
    assert "no text passages" in _error(write(name, content))


def test_folder_without_supported_files(tmp_path: Path, write: Write) -> None:
    write("notes.csv", "a,b\n")
    assert "no" in _error(tmp_path)
