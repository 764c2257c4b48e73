"""A database that cannot be reached, or is slow, degrades to answering without recording,
logged once when lost and once when back; one that comes back is used."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import make_url, select, text
from support.postgres import postgres_env_url, postgres_schema
from support.stored_questions import NOW, PM, question
from support.tcp_proxy import TcpProxy, via_proxy

from bot.recording import Vote
from bot.settings import Settings
from bot.slack.threads import PostedAnswer
from bot.storage import StorageError, database, open_storage
from bot.storage.database import UNAVAILABLE, Database
from bot.storage.db import make_engine
from bot.storage.dedup import DbDeduplicator
from bot.storage.migrations import LATEST
from bot.storage.recorder import DbRecorder

CLOSED_PORT = "postgres://postgres@127.0.0.1:1/test"


def test_open_storage_degrades_when_the_database_is_down(caplog) -> None:
    caplog.set_level(logging.INFO)
    started = time.monotonic()
    storage = open_storage(Settings(database_url=CLOSED_PORT))
    assert time.monotonic() - started < 5
    try:
        assert not storage.available
        storage.recorder.record_question(question("q1", NOW, True, PM, 10.0))
        storage.recorder.record_vote(Vote("q1", "up"))
        assert storage.dedup.first_time("Ev1") and not storage.dedup.first_time("Ev1")
        storage.conversations.mark_thread("C1", "1.0")
        storage.conversations.remember_answer("C1", "1.0", PostedAnswer("C1", "1.1", "mention"))
        assert storage.conversations.is_answered_thread("C1", "1.0")
        assert storage.conversations.answer_for("C1", "1.0") == PostedAnswer("C1", "1.1", "mention")
        assert time.monotonic() - started < 5  # nothing waited on the database
    finally:
        storage.close()
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert [r.getMessage()[:40] for r in errors] == ["database postgresql+psycopg2://postgres@"]
    assert "unreachable at startup" in errors[0].getMessage()


def test_open_storage_required_raises_a_clear_error() -> None:
    with pytest.raises(StorageError, match=r"cannot use the database .*127\.0\.0\.1:1"):
        open_storage(Settings(database_url=CLOSED_PORT), required=True)


def test_recorder_during_an_outage_logs_once_with_a_traceback_then_a_line_each(caplog) -> None:
    db = Database(make_engine(CLOSED_PORT), LATEST)  # reached at startup, gone since
    recorder = DbRecorder(db)
    started = time.monotonic()
    recorder.record_question(question("q1", NOW, True, PM, 10.0))
    recorder.record_question(question("q2", NOW, True, PM, 10.0))
    recorder.record_vote(Vote("q1", "down", user="U1"))
    assert time.monotonic() - started < 3
    db.close()
    messages = [(r.levelno, r.getMessage()) for r in caplog.records]
    assert messages[0][0] == logging.ERROR and "question q1" in messages[0][1]
    assert caplog.records[0].exc_info is not None  # the first failure carries the traceback
    assert (
        logging.WARNING,
        "database still unavailable: question q2 (surface=mention) not recorded",
    ) in messages
    assert any("vote on question q1" in m for _, m in messages)
    assert len([m for level, m in messages if level == logging.ERROR]) == 1


def test_dedup_during_an_outage_falls_back_to_memory(caplog) -> None:
    db = Database(make_engine(CLOSED_PORT), LATEST)
    dedup = DbDeduplicator(db)
    assert dedup.first_time("Ev1") is True
    assert dedup.first_time("Ev1") is False
    assert dedup.first_time("Ev2") is True
    db.close()
    assert "event Ev1 checked in this process only" in caplog.text


def test_recorder_recovers_when_the_database_returns(storage, caplog) -> None:
    """A failure (tables dropped under it) is logged; the database is then left alone until a
    background probe finds it answering, which is logged once, and recording resumes."""
    from bot.storage.schema import questions

    db = Database(storage.engine, LATEST)
    recorder = DbRecorder(db)
    with storage.engine.begin() as conn:
        questions.drop(conn)
    recorder.record_question(question("q1", NOW, True, PM, 10.0))
    assert "database unavailable (ProgrammingError" in caplog.text or (
        "database unavailable (OperationalError" in caplog.text  # SQLite: no such table
    )
    with storage.engine.begin() as conn:
        questions.create(conn)
    assert db.wait_healthy(5)
    recorder.record_question(question("q2", NOW, True, PM, 10.0))
    with storage.engine.connect() as conn:
        assert conn.execute(select(questions.c.id)).scalars().all() == ["q2"]
    assert caplog.text.count("database available again") == 1


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


# -- PostgreSQL behind a proxy that misbehaves ---------------------------------------------


@pytest.fixture
def proxied() -> Iterator[tuple[str, str, TcpProxy]]:
    """(direct url, url through the proxy, proxy) on a fresh schema."""
    target = make_url(postgres_env_url())
    with postgres_schema() as url:
        proxy = TcpProxy(target.host or "127.0.0.1", target.port or 5432).start()
        try:
            yield url, via_proxy(url, proxy), proxy
        finally:
            proxy.forward()
            proxy.stop()


def test_a_database_down_at_startup_is_used_once_it_answers(
    proxied, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    direct, through, proxy = proxied
    monkeypatch.setattr(database, "PROBE_EVERY_SECONDS", 0.2)
    caplog.set_level(logging.INFO)
    proxy.stop()  # refuses
    storage = open_storage(Settings(database_url=through), serving=True)
    try:
        assert not storage.available
        assert storage.dedup.first_time("EvDuringOutage")
        storage.database.start_reconnecting()
        time.sleep(0.6)
        assert not storage.available  # still refused: still retrying
        proxy.start()  # the database is back, on the same port
        assert storage.database.wait_ready(10)
        assert storage.schema_version == LATEST
        assert storage.dedup.first_time("EvAfter") and not storage.dedup.first_time("EvAfter")
        storage.recorder.record_question(question("q1", NOW, True, PM, 10.0))
        storage.conversations.mark_thread("C1", "9.0")
    finally:
        storage.close()
    checked = open_storage(Settings(database_url=direct), required=True)
    try:
        with checked.engine.connect() as conn:
            assert conn.execute(text("SELECT id FROM questions")).scalars().all() == ["q1"]
            seen = conn.execute(text("SELECT event_id FROM seen_events")).scalars().all()
            assert seen == ["EvAfter"]
        assert checked.conversations.is_answered_thread("C1", "9.0")
    finally:
        checked.close()
    assert caplog.text.count("unreachable at startup") == 1
    assert caplog.text.count("database available again") == 1


@pytest.mark.parametrize("misbehave", ["blackhole", "stall"])
def test_a_database_that_never_answers_costs_at_most_the_budget(proxied, misbehave) -> None:
    _, through, proxy = proxied
    storage = open_storage(Settings(database_url=through), serving=True)
    try:
        assert storage.dedup.first_time("EvWarm")  # a pooled connection exists
        getattr(proxy, misbehave)()
        waits = []
        for n in range(4):
            started = time.monotonic()
            assert storage.dedup.first_time(f"Ev{n}") is True  # decided in memory
            waits.append(time.monotonic() - started)
        assert waits[0] < database.BUDGET_SECONDS + 0.3, waits
        assert max(waits[1:]) < 0.1, waits  # then the database is left alone a while
    finally:
        proxy.forward()
        storage.close()


def test_a_row_locked_by_another_session_costs_at_most_the_budget(proxied) -> None:
    direct, through, _ = proxied
    storage = open_storage(Settings(database_url=through), serving=True)
    holder = make_engine(direct)
    locked, release = threading.Event(), threading.Event()

    def hold_the_row() -> None:
        with holder.begin() as conn:  # another replica mid-insert of the same event id
            conn.execute(text("INSERT INTO seen_events VALUES ('EvLocked', now())"))
            locked.set()
            release.wait(10)
            conn.rollback()

    thread = threading.Thread(target=hold_the_row)
    thread.start()
    try:
        assert locked.wait(5)
        started = time.monotonic()
        assert storage.dedup.first_time("EvLocked") is True  # decided in memory
        assert time.monotonic() - started < database.BUDGET_SECONDS + 0.3
    finally:
        release.set()
        thread.join()
        holder.dispose()
        storage.close()


def test_run_answers_unavailable_when_not_ready() -> None:
    db = Database(make_engine(CLOSED_PORT), None)
    assert db.run("nothing", lambda conn: 1) is UNAVAILABLE
    db.close()


def test_conversations_remembered_during_an_outage_reach_the_database_when_it_is_back(
    proxied, monkeypatch: pytest.MonkeyPatch
) -> None:
    direct, through, proxy = proxied
    monkeypatch.setattr(database, "PROBE_EVERY_SECONDS", 0.2)
    storage = open_storage(Settings(database_url=through), serving=True)
    other = open_storage(Settings(database_url=direct), required=True)  # another replica
    try:
        proxy.stop()  # down: this replica answers and remembers in memory
        storage.conversations.mark_thread("C1", "7.0")
        storage.conversations.remember_answer("C1", "7.0", PostedAnswer("C1", "7.1", "mention"))
        assert storage.conversations.is_answered_thread("C1", "7.0")
        assert not other.conversations.is_answered_thread("C1", "7.0")
        proxy.start()
        deadline = time.monotonic() + 10
        while (
            not other.conversations.is_answered_thread("C1", "7.0") and time.monotonic() < deadline
        ):
            time.sleep(0.1)
        assert other.conversations.is_answered_thread("C1", "7.0")
        assert other.conversations.answer_for("C1", "7.0") == PostedAnswer("C1", "7.1", "mention")
    finally:
        storage.close()
        other.close()
