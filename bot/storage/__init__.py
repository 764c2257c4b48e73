"""Where rolebot keeps questions, votes, seen events, conversations and Slack installations.

    storage = open_storage(settings)       # connects, migrates; never raises unless required
    storage.recorder.record_question(...)  # bot.recording.Recorder
    storage.dedup.first_time(event_id)     # bot.recording.Deduplicator
    storage.conversations                  # bot.slack.threads.ConversationStore
    storage.oauth_settings()               # Bolt OAuthSettings, or None for a single workspace
    storage.close()

When the database cannot be reached at startup the Storage is degraded, not absent: nothing is
recorded, de-duplication and conversations are per process, the bot keeps answering, and the
database is retried in the background (`storage.database.start_reconnecting()`, which `rolebot
serve` calls in the process that serves). Once it answers, it is migrated and used.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.recording import Deduplicator, Recorder
from bot.settings import Settings
from bot.storage.database import Database
from bot.storage.db import StorageError, database_url, describe, make_engine

if TYPE_CHECKING:
    from slack_bolt.oauth.oauth_settings import OAuthSettings

    from bot.slack.threads import ConversationStore

__all__ = ["Storage", "StorageError", "open_storage"]

log = logging.getLogger(__name__)

_UNSET = object()


@dataclass
class Storage:
    settings: Settings = field(repr=False)  # holds secrets
    database: Database
    recorder: Recorder
    dedup: Deduplicator
    conversations: ConversationStore
    _oauth: object = field(default=_UNSET, repr=False)

    @property
    def engine(self) -> Engine:
        return self.database.engine

    @property
    def available(self) -> bool:
        """The database was reached and its schema is up to date (now, not only at startup)."""
        return self.database.ready

    @property
    def schema_version(self) -> int | None:
        return self.database.schema_version

    def oauth_settings(self) -> OAuthSettings | None:
        """Bolt OAuthSettings on this database when SLACK_CLIENT_ID/SECRET are set, else None.
        Built once."""
        if self._oauth is _UNSET:
            from bot.storage.oauth import oauth_settings

            self._oauth = oauth_settings(self.settings, self.database)
        return self._oauth  # type: ignore[return-value]

    def close(self) -> None:
        self.database.close()


def open_storage(settings: Settings, *, required: bool = False, serving: bool = False) -> Storage:
    """Connect to the configured database and bring its schema up to date.

    If that fails: raise StorageError when `required` (the CLI reports), else log the error and
    return a degraded Storage that retries in the background once started. `serving` (`rolebot
    serve`): PostgreSQL sessions get statement and lock timeouts (bot/storage/db.py)."""
    from bot.storage.conversations import DbConversationStore
    from bot.storage.dedup import DbDeduplicator
    from bot.storage.migrations import migrate
    from bot.storage.recorder import DbRecorder

    url = database_url(settings)  # a malformed DATABASE_URL raises: that is a config error
    engine = make_engine(url, bounded=serving)
    version: int | None
    try:
        version = migrate(engine)
    except (SQLAlchemyError, OSError) as exc:  # unreachable server, unwritable SQLite file
        if required:
            engine.dispose()
            raise StorageError(f"cannot use the database {describe(url)}: {exc}") from exc
        log.error(
            "database %s unreachable at startup (%s): answering without recording, "
            "de-duplicating and remembering conversations in this process; retrying in the "
            "background",
            describe(url),
            exc,
        )
        version = None
    else:
        log.info("storage: %s (schema v%d)", describe(url), version)
    database = Database(engine, version, migrate=migrate)
    return Storage(
        settings,
        database,
        DbRecorder(database),
        DbDeduplicator(database),
        DbConversationStore(database),
    )
