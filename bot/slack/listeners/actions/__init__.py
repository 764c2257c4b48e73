"""Button clicks on messages: feedback and sharing."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.listeners.actions import feedback, share
from bot.slack.services import Services


def register(app: App, services: Services) -> None:
    feedback.register(app, services)
    share.register(app, services)
