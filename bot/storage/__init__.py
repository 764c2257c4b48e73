"""Where rolebot keeps questions, votes, seen events and Slack installations.

    storage = open_storage(settings)       # connects, migrates; never raises unless required
    storage.recorder.record_question(...)  # bot.recording.Recorder
    storage.dedup.first_time(event_id)     # bot.recording.Deduplicator
    storage.oauth_settings()               # Bolt OAuthSettings, or None for a single workspace
    storage.close()

When the database cannot be reached at startup the Storage is degraded, not absent: the
recorder only logs, de-duplication is per process, and the bot keeps answering.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.recording import Deduplicator, LoggingRecorder, MemoryDeduplicator, Recorder
from bot.settings import Settings
from bot.storage.db import StorageError, database_url, describe, make_engine

if TYPE_CHECKING:
    from slack_bolt.oauth.oauth_settings import OAuthSettings

__all__ = ["Storage", "StorageError", "open_storage"]

log = logging.getLogger(__name__)

_UNSET = object()


@dataclass
class Storage:
    settings: Settings = field(repr=False)  # holds secrets
    engine: Engine
    recorder: Recorder
    dedup: Deduplicator
    schema_version: int | None  # None: the database was unreachable at startup
    _oauth: object = field(default=_UNSET, repr=False)

    @property
    def available(self) -> bool:
        return self.schema_version is not None

    def oauth_settings(self) -> OAuthSettings | None:
        """Bolt OAuthSettings on this database when SLACK_CLIENT_ID/SECRET are set, else None.
        Built once."""
        if self._oauth is _UNSET:
            from bot.storage.oauth import oauth_settings

            self._oauth = oauth_settings(self.settings, self.engine)
        return self._oauth  # type: ignore[return-value]

    def close(self) -> None:
        self.engine.dispose()


def open_storage(settings: Settings, *, required: bool = False) -> Storage:
    """Connect to the configured database and bring its schema up to date.

    If that fails: raise StorageError when `required` (the CLI reports), else log the error and
    return a degraded Storage (logging recorder, in-process de-duplication)."""
    from bot.storage.dedup import DbDeduplicator
    from bot.storage.migrations import migrate
    from bot.storage.recorder import DbRecorder

    url = database_url(settings)  # a malformed DATABASE_URL raises: that is a config error
    engine = make_engine(url)
    try:
        version = migrate(engine)
    except (SQLAlchemyError, OSError) as exc:  # unreachable server, unwritable SQLite file
        if required:
            engine.dispose()
            raise StorageError(f"cannot use the database {describe(url)}: {exc}") from exc
        log.error(
            "database %s unreachable at startup (%s): answering without recording, "
            "de-duplicating in this process only; restart once it is back",
            describe(url),
            exc,
        )
        return Storage(settings, engine, LoggingRecorder(), MemoryDeduplicator(), None)
    log.info("storage: %s (schema v%d)", describe(url), version)
    return Storage(settings, engine, DbRecorder(engine), DbDeduplicator(engine), version)
