"""Event listeners: mentions, messages (DMs, thread follow-ups, edits) and onboarding."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.listeners.events import (
    app_home_opened,
    app_mention,
    member_joined_channel,
    message,
    team_join,
)
from bot.slack.services import Services


def register(app: App, services: Services) -> None:
    for module in (app_mention, message, app_home_opened, member_joined_channel, team_join):
        module.register(app, services)
