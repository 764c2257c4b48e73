"""A member joins an onboarding channel: an ephemeral welcome only they can see."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.slack.onboarding import welcome_message
from bot.slack.services import Services

log = logging.getLogger(__name__)


def register(app: App, services: Services) -> None:
    def on_member_joined(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        channel, user = event.get("channel"), event.get("user")
        if not channel or not user or channel not in services.settings.onboarding_channels:
            return
        if user == context.bot_user_id:
            return
        message = welcome_message(services.knowledge, context.bot_user_id)
        try:
            client.chat_postEphemeral(channel=channel, user=user, **message.payload())
        except Exception:
            log.exception("onboarding welcome failed channel=%s user=%s", channel, user)

    app.event("member_joined_channel")(on_member_joined)
