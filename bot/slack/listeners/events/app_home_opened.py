"""The App Home tab: published each time a user opens it."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.slack.listeners.views.home import publish_home
from bot.slack.services import Services


def register(app: App, services: Services) -> None:
    def on_home_opened(event: dict[str, Any], client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        publish_home(services, client, event["user"])

    app.event("app_home_opened")(on_home_opened)
