"""`rolebot serve`: placeholder until the Slack app lands."""

from __future__ import annotations
