"""App Home: the view and the buttons on it."""

from __future__ import annotations

from slack_bolt import App

from bot.slack.listeners.views import home
from bot.slack.services import Services


def register(app: App, services: Services) -> None:
    home.register(app, services)
