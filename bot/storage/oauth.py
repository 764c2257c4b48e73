"""Multi-workspace install: Bolt OAuth with slack_sdk's SQLAlchemy stores on rolebot's database.

Used when SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are both set; otherwise None and the app
keeps using the single-workspace SLACK_BOT_TOKEN. Installations (bot tokens) live in the
database, never in files, so any replica can serve any workspace.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.settings import Settings
from bot.storage.migrations import schema_lock

if TYPE_CHECKING:
    from slack_bolt.oauth.oauth_settings import OAuthSettings

log = logging.getLogger(__name__)

# Must match the bot scopes in manifest.yml (tests/bot/slack/test_oauth.py checks it).
SCOPES: tuple[str, ...] = (
    "app_mentions:read",
    "channels:history",
    "channels:read",
    "chat:write",
    "commands",
    "groups:history",
    "groups:read",
    "im:history",
    "im:write",
    "reactions:write",
    "users:read",
)
STATE_EXPIRATION_SECONDS = 600


def oauth_enabled(settings: Settings) -> bool:
    return bool(settings.slack_client_id and settings.slack_client_secret)


def oauth_settings(settings: Settings, engine: Engine) -> OAuthSettings | None:
    """OAuthSettings (install at /slack/install, redirect to /slack/oauth_redirect) whose
    installation and state stores use `engine`, their tables created if missing; None when
    OAuth is not configured."""
    if not oauth_enabled(settings):
        return None
    from slack_bolt.oauth.oauth_settings import OAuthSettings
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
    from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

    assert settings.slack_client_id and settings.slack_client_secret  # oauth_enabled
    installations = SQLAlchemyInstallationStore(
        client_id=settings.slack_client_id,
        engine=engine,
        logger=logging.getLogger("bot.storage.oauth.installations"),
    )
    states = SQLAlchemyOAuthStateStore(
        expiration_seconds=STATE_EXPIRATION_SECONDS,
        engine=engine,
        logger=logging.getLogger("bot.storage.oauth.states"),
    )
    try:
        with schema_lock(engine) as conn:  # replicas starting together create them once
            installations.metadata.create_all(conn)
            states.metadata.create_all(conn)
    except SQLAlchemyError:
        log.exception("could not create the Slack installation tables; installs will fail")
    return OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        scopes=list(SCOPES),
        installation_store=installations,
        state_store=states,
        state_expiration_seconds=STATE_EXPIRATION_SECONDS,
    )
