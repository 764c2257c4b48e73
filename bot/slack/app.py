"""The Bolt app: settings -> WebClient -> App -> listeners.

Single workspace: the WebClient carries SLACK_BOT_TOKEN and the App checks it with `auth.test`.
Multi-workspace (OAuthSettings given): the WebClient has no token; Bolt looks up the
installation of the team each request comes from and puts its bot token on the per-request
client, which keeps the WebClient's base_url (SLACK_API_URL). `oauth.v2.access` during an
install goes through the same client, hence to SLACK_API_URL as well.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.recording import Deduplicator, Recorder
from bot.settings import Settings
from bot.slack.listeners import deduplicate, register_listeners
from bot.slack.services import AnswerEngine, Services, StatsSource
from bot.slack.threads import ConversationStore, MemoryConversationStore

if TYPE_CHECKING:
    from slack_bolt.oauth.oauth_settings import OAuthSettings

log = logging.getLogger(__name__)


def web_client(settings: Settings, *, with_token: bool = True) -> WebClient:
    token = settings.slack_bot_token if with_token else None
    client = WebClient(token=token, base_url=settings.slack_api_url)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=2))
    return client


def create_app(
    settings: Settings,
    engine: AnswerEngine,
    recorder: Recorder,
    deduplicator: Deduplicator,
    conversations: ConversationStore | None = None,
    *,
    stats: StatsSource | None = None,
    oauth_settings: OAuthSettings | None = None,
) -> App:
    """The Bolt app. Single workspace: its constructor calls `auth.test` on SLACK_API_URL to
    check the token. With `oauth_settings`: per-workspace tokens from the installation store,
    install pages at /slack/install and /slack/oauth_redirect."""
    services = Services(
        engine=engine,
        recorder=recorder,
        deduplicator=deduplicator,
        conversations=conversations or MemoryConversationStore(),
        settings=settings,
        stats=stats,
    )
    if oauth_settings is not None and settings.slack_bot_token:
        log.warning("SLACK_BOT_TOKEN is ignored: tokens come from each workspace's installation")
    app = App(
        client=web_client(settings, with_token=oauth_settings is None),
        signing_secret=settings.slack_signing_secret or "",
        oauth_settings=oauth_settings,
        # retried events are dropped on arrival, before the installation lookup or any work
        before_authorize=deduplicate(services),
        logger=logging.getLogger("bot.slack.bolt"),
    )
    register_listeners(app, services)
    return app
