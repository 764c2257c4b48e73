"""The Bolt app: settings -> WebClient -> App -> listeners."""

from __future__ import annotations

import logging

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.recording import Deduplicator, Recorder
from bot.settings import Settings
from bot.slack.listeners import register_listeners
from bot.slack.services import AnswerEngine, Services
from bot.slack.threads import ConversationStore, MemoryConversationStore


def web_client(settings: Settings) -> WebClient:
    client = WebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=2))
    return client


def create_app(
    settings: Settings,
    engine: AnswerEngine,
    recorder: Recorder,
    deduplicator: Deduplicator,
    conversations: ConversationStore | None = None,
) -> App:
    """The Bolt app; its constructor calls `auth.test` on SLACK_API_URL to check the token."""
    app = App(
        client=web_client(settings),
        signing_secret=settings.slack_signing_secret or "",
        logger=logging.getLogger("bot.slack.bolt"),
    )
    services = Services(
        engine=engine,
        recorder=recorder,
        deduplicator=deduplicator,
        conversations=conversations or MemoryConversationStore(),
        settings=settings,
    )
    register_listeners(app, services)
    return app
