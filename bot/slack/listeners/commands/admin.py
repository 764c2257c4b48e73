"""`/role admin …`: for the users listed in ROLEBOT_ADMINS; everyone else is refused."""

from __future__ import annotations

import logging

from bot.slack.blocks import Message
from bot.slack.services import Services
from bot.slack.stats import (
    admin_usage_message,
    refusal_message,
    stats_message,
    unavailable_message,
)
from bot.storage.report import is_admin

log = logging.getLogger(__name__)

ADMIN_WORD = "admin"


def admin_arguments(text: str) -> str | None:
    """What follows the word "admin" in `/role admin …`, or None for any other `/role`."""
    first, _, rest = " ".join(text.split()).partition(" ")
    return rest if first.lower() == ADMIN_WORD else None


def admin_reply(services: Services, user_id: str | None, text: str) -> Message:
    """The reply to `/role admin <text>` (text after the word "admin")."""
    if not is_admin(services.settings, user_id):
        log.info("refused /role admin %r for user=%s (not in ROLEBOT_ADMINS)", text[:40], user_id)
        return refusal_message()
    if text.strip().lower() != "stats":
        return admin_usage_message()
    if services.stats is None:
        return unavailable_message()
    try:
        summary = services.stats()
    except Exception:
        log.exception("/role admin stats: the report could not be read (user=%s)", user_id)
        return unavailable_message()
    return stats_message(summary)
