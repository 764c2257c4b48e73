"""A Recorder for the command line: the database is opened on the first record, after the
first answer is printed, and a database that cannot be used is one logged line, not an error
(`rolebot ask` still prints its answer and exits 0)."""

from __future__ import annotations

import logging

from bot.recording import QuestionRecord, Recorder, Vote
from bot.settings import Settings

log = logging.getLogger(__name__)


class LazyRecorder:
    """Implements bot.recording.Recorder; opens the configured storage on first use."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._recorder: Recorder | None = None
        self._disabled = False

    def _opened(self) -> Recorder | None:
        if self._recorder is None and not self._disabled:
            from bot.storage import StorageError, open_storage

            try:
                self._recorder = open_storage(self._settings).recorder
            except StorageError as exc:  # a DATABASE_URL that is no URL at all
                log.error("not recording questions: %s", exc)
                self._disabled = True
        return self._recorder

    def record_question(self, record: QuestionRecord) -> None:
        recorder = self._opened()
        if recorder is not None:
            recorder.record_question(record)

    def record_vote(self, vote: Vote) -> None:
        recorder = self._opened()
        if recorder is not None:
            recorder.record_vote(vote)
