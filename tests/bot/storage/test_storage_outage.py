"""A database that cannot be reached degrades to answering without recording, logged."""

from __future__ import annotations

import logging
import time

import pytest
from storage_helpers import NOW, PM, question

from bot.recording import LoggingRecorder, MemoryDeduplicator, Vote
from bot.settings import Settings
from bot.storage import StorageError, open_storage
from bot.storage.db import make_engine
from bot.storage.dedup import DbDeduplicator
from bot.storage.recorder import DbRecorder

CLOSED_PORT = "postgres://postgres@127.0.0.1:1/test"


def test_open_storage_degrades_when_the_database_is_down(caplog) -> None:
    caplog.set_level(logging.INFO)
    started = time.monotonic()
    storage = open_storage(Settings(database_url=CLOSED_PORT))
    assert time.monotonic() - started < 5
    try:
        assert not storage.available
        assert isinstance(storage.recorder, LoggingRecorder)
        assert isinstance(storage.dedup, MemoryDeduplicator)
        storage.recorder.record_question(question("q1", NOW, True, PM, 10.0))
        storage.recorder.record_vote(Vote("q1", "up"))
        assert storage.dedup.first_time("Ev1") and not storage.dedup.first_time("Ev1")
    finally:
        storage.close()
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert any("unreachable at startup" in r.getMessage() for r in errors)
    assert "127.0.0.1:1" in caplog.text


def test_open_storage_required_raises_a_clear_error() -> None:
    with pytest.raises(StorageError, match=r"cannot use the database .*127\.0\.0\.1:1"):
        open_storage(Settings(database_url=CLOSED_PORT), required=True)


def test_recorder_during_an_outage_logs_and_returns(caplog) -> None:
    engine = make_engine(CLOSED_PORT)
    recorder = DbRecorder(engine)
    started = time.monotonic()
    recorder.record_question(question("q1", NOW, True, PM, 10.0))
    recorder.record_question(question("q2", NOW, True, PM, 10.0))
    recorder.record_vote(Vote("q1", "down", user="U1"))
    assert time.monotonic() - started < 10
    engine.dispose()
    messages = [(r.levelno, r.getMessage()) for r in caplog.records]
    assert messages[0][0] == logging.ERROR and "question q1" in messages[0][1]
    assert caplog.records[0].exc_info is not None  # the first failure carries the traceback
    assert (
        logging.WARNING,
        "database still unavailable: question q2 (surface=mention) not recorded",
    ) in messages
    assert any("vote on question q1" in m for _, m in messages)


def test_dedup_during_an_outage_falls_back_to_memory(caplog) -> None:
    engine = make_engine(CLOSED_PORT)
    dedup = DbDeduplicator(engine)
    assert dedup.first_time("Ev1") is True
    assert dedup.first_time("Ev1") is False
    assert dedup.first_time("Ev2") is True
    engine.dispose()
    assert "event Ev1 checked in memory only" in caplog.text


def test_recorder_recovers_when_the_database_returns(storage, caplog) -> None:
    """A failure (tables dropped under it) is logged; the next success says so."""
    from bot.storage.schema import questions

    recorder = DbRecorder(storage.engine)
    with storage.engine.begin() as conn:
        questions.drop(conn)
    recorder.record_question(question("q1", NOW, True, PM, 10.0))
    with storage.engine.begin() as conn:
        questions.create(conn)
    recorder.record_question(question("q2", NOW, True, PM, 10.0))
    assert "database unavailable: question q1" in caplog.text
    assert "database available again" in caplog.text


def test_unusable_sqlite_file_degrades(tmp_path, caplog) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    storage = open_storage(Settings(db_path=blocker / "rolebot.db"))
    try:
        assert not storage.available
        storage.recorder.record_question(question("q1", NOW, True, PM, 10.0))
    finally:
        storage.close()
    assert "unreachable at startup" in caplog.text


def test_malformed_database_url_is_a_configuration_error() -> None:
    with pytest.raises(StorageError, match="DATABASE_URL"):
        open_storage(Settings(database_url="::"))
