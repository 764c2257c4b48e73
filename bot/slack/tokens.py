"""Check the Slack settings a transport needs before loading anything slow."""

from __future__ import annotations

from bot.settings import Settings


def token_problem(settings: Settings, socket: bool) -> str | None:
    """A one-line message naming the variable that is missing or malformed, or None."""
    bot = settings.slack_bot_token
    if not bot:
        return "SLACK_BOT_TOKEN is not set (the bot token, xoxb-…, from OAuth & Permissions)"
    if not bot.startswith("xoxb-"):
        return "SLACK_BOT_TOKEN must be a bot token starting with xoxb-"
    if socket:
        app_token = settings.slack_app_token
        if not app_token:
            return "SLACK_APP_TOKEN is not set (an app-level token, xapp-…, for Socket Mode)"
        if not app_token.startswith("xapp-"):
            return "SLACK_APP_TOKEN must be an app-level token starting with xapp-"
    elif not settings.slack_signing_secret:
        return "SLACK_SIGNING_SECRET is not set (Basic Information › Signing Secret; HTTP mode)"
    return None
