"""`rolebot report`: placeholder until storage lands."""

from __future__ import annotations
