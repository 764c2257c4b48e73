"""Check the Slack settings a transport needs before loading anything slow."""

from __future__ import annotations

from bot.settings import Settings
from bot.storage.oauth import oauth_enabled


def token_problem(settings: Settings, socket: bool) -> str | None:
    """A one-line message naming the variable that is missing or malformed, or None.

    With SLACK_CLIENT_ID and SLACK_CLIENT_SECRET set (multi-workspace install) the bot tokens
    come from the installations in the database, so SLACK_BOT_TOKEN is not needed; the install
    pages are served over HTTP, so Socket Mode is refused."""
    if oauth_enabled(settings):
        if socket:
            return (
                "SLACK_CLIENT_ID/SLACK_CLIENT_SECRET (multi-workspace install) need HTTP mode: "
                "run `rolebot serve --http`"
            )
        if not settings.slack_signing_secret:
            return "SLACK_SIGNING_SECRET is not set (Basic Information › Signing Secret)"
        return None
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


def auth_problem(settings: Settings) -> str | None:
    """Call `auth.test` on SLACK_API_URL: a one-line message if the bot token is rejected or
    the API cannot be reached, else None. Cheap, so it runs before the model loads. Nothing to
    check in multi-workspace mode: each installation's token is checked per request."""
    from slack_sdk import WebClient
    from slack_sdk.errors import SlackApiError

    if oauth_enabled(settings):
        return None
    client = WebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url, timeout=15)
    try:
        client.auth_test()
    except SlackApiError as exc:
        error = exc.response.get("error") if exc.response is not None else None
        return f"SLACK_BOT_TOKEN was rejected by Slack ({error or exc})"
    except OSError as exc:
        return f"cannot reach the Slack API at {settings.slack_api_url} (SLACK_API_URL): {exc}"
    return None
