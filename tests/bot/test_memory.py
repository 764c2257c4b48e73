"""The server's allocator setting."""

from __future__ import annotations

import platform

import pytest

from bot.memory import cap_malloc_arenas


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_the_arena_cap_is_taken_by_glibc() -> None:
    assert cap_malloc_arenas(2) is True


def test_a_library_without_mallopt_is_left_alone(monkeypatch) -> None:
    monkeypatch.setattr("ctypes.util.find_library", lambda _name: None)
    assert cap_malloc_arenas(2) is False
