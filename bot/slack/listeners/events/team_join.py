"""A new member joins the workspace: a welcome DM, when ROLEBOT_WELCOME_DM=1."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.slack.onboarding import welcome_message
from bot.slack.services import Services

log = logging.getLogger(__name__)


def register(app: App, services: Services) -> None:
    def on_team_join(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        if not services.settings.welcome_dm:
            return
        user = event.get("user") or {}
        user_id = user.get("id") if isinstance(user, dict) else user
        if not user_id or (isinstance(user, dict) and (user.get("is_bot") or user.get("deleted"))):
            return
        message = welcome_message(services.knowledge, context.bot_user_id)
        try:
            client.chat_postMessage(channel=user_id, **message.payload())
        except Exception:
            log.exception("welcome DM failed user=%s", user_id)

    app.event("team_join")(on_team_join)
