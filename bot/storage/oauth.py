"""Multi-workspace install: Bolt OAuth with slack_sdk's SQLAlchemy stores on rolebot's database.

Used when SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are both set; otherwise None and the app
keeps using the single-workspace SLACK_BOT_TOKEN. Installations (bot tokens) live in the
database, never in files, so any replica can serve any workspace.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from slack_sdk.oauth.installation_store import Bot, Installation, InstallationStore
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.settings import Settings
from bot.storage.database import UNAVAILABLE, Database
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


def oauth_settings(settings: Settings, db: Database) -> OAuthSettings | None:
    """OAuthSettings (install at /slack/install, redirect to /slack/oauth_redirect) whose
    installation and state stores use `db`, their tables created if missing (now, or when a
    database down at startup comes back); None when OAuth is not configured."""
    if not oauth_enabled(settings):
        return None
    from slack_bolt.oauth.oauth_settings import OAuthSettings
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
    from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

    assert settings.slack_client_id and settings.slack_client_secret  # oauth_enabled
    installations = SQLAlchemyInstallationStore(
        client_id=settings.slack_client_id,
        engine=db.engine,
        logger=logging.getLogger("bot.storage.oauth.installations"),
    )
    states = SQLAlchemyOAuthStateStore(
        expiration_seconds=STATE_EXPIRATION_SECONDS,
        engine=db.engine,
        logger=logging.getLogger("bot.storage.oauth.states"),
    )

    def create_tables(engine: Engine) -> None:
        with schema_lock(engine) as conn:  # replicas starting together create them once
            installations.metadata.create_all(conn)
            states.metadata.create_all(conn)

    try:
        db.when_ready(create_tables)
    except SQLAlchemyError:
        log.exception("could not create the Slack installation tables; installs will fail")
    return OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        scopes=list(SCOPES),
        installation_store=BoundedInstallationStore(installations, db),
        state_store=states,
        state_expiration_seconds=STATE_EXPIRATION_SECONDS,
    )


class BoundedInstallationStore(InstallationStore):
    """Bolt looks the workspace's installation up before every ack: here that lookup gets the
    Database's budget like any request-path call (bot/storage/database.py). What it found is
    remembered, so a workspace this process has served keeps being answered while the
    database is down; with the database up, the database's answer always wins."""

    def __init__(self, store: InstallationStore, db: Database) -> None:
        self._store = store
        self._db = db
        self._found: dict[tuple[object, ...], Any] = {}
        self._lock = threading.Lock()

    @property
    def logger(self) -> logging.Logger:
        return self._store.logger

    def save(self, installation: Installation) -> None:
        self._store.save(installation)  # the install flow, not an ack

    def save_bot(self, bot: Bot) -> None:
        self._store.save_bot(bot)

    def find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        return self._bounded(
            ("bot", enterprise_id, team_id, is_enterprise_install),
            lambda: self._store.find_bot(
                enterprise_id=enterprise_id,
                team_id=team_id,
                is_enterprise_install=is_enterprise_install,
            ),
        )

    def find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        return self._bounded(
            ("installation", enterprise_id, team_id, user_id, is_enterprise_install),
            lambda: self._store.find_installation(
                enterprise_id=enterprise_id,
                team_id=team_id,
                user_id=user_id,
                is_enterprise_install=is_enterprise_install,
            ),
        )

    def delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        self._forget()
        self._store.delete_bot(enterprise_id=enterprise_id, team_id=team_id)

    def delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        self._forget()
        self._store.delete_installation(
            enterprise_id=enterprise_id, team_id=team_id, user_id=user_id
        )

    def delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        self._forget()
        self._store.delete_all(enterprise_id=enterprise_id, team_id=team_id)

    def _bounded(self, key: tuple[object, ...], find: Callable[[], Any]) -> Any:
        found = self._db.call(f"installation of team {key[2]} from this process's memory", find)
        with self._lock:
            if found is UNAVAILABLE:
                return self._found.get(key)
            if found is None:
                self._found.pop(key, None)
            else:
                self._found[key] = found
        return found

    def _forget(self) -> None:
        with self._lock:
            self._found.clear()
