"""Process-wide memory settings for the long-running server."""

from __future__ import annotations

import ctypes
import ctypes.util
import logging

log = logging.getLogger(__name__)

# glibc gives each thread that contends for the allocator an arena of its own (up to eight
# per core) and keeps what each arena once held. `rolebot serve` answers on several threads:
# measured on the shipped guide, PSS of master + worker after 100 answered mentions 256.3 /
# 254.6 MB with glibc's default against 252.7 / 252.0 MB with two arenas (249.8 with one).
MALLOC_ARENAS = 2
_M_ARENA_MAX = -8  # mallopt's parameter number for the arena cap (malloc.h)


def cap_malloc_arenas(arenas: int = MALLOC_ARENAS) -> bool:
    """Cap glibc's malloc arenas for this process and the processes it forks; False (and
    nothing changed) where the C library is not glibc."""
    name = ctypes.util.find_library("c")
    try:
        mallopt = ctypes.CDLL(name).mallopt if name else None
    except (OSError, AttributeError):
        mallopt = None
    if mallopt is None:
        log.debug("no glibc mallopt here: the allocator's arenas stay as they are")
        return False
    return bool(mallopt(_M_ARENA_MAX, arenas))
