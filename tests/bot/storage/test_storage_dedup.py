from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.storage.database import Database
from bot.storage.db import make_engine
from bot.storage.dedup import DbDeduplicator
from bot.storage.migrations import LATEST
from bot.storage.schema import seen_events

T0 = datetime(2024, 5, 10, 12, 0, tzinfo=UTC)


def test_same_id_twice(storage) -> None:
    assert storage.dedup.first_time("Ev1") is True
    assert storage.dedup.first_time("Ev1") is False
    assert storage.dedup.first_time("Ev2") is True


def test_two_replicas_share_what_they_have_seen(storage) -> None:
    other = DbDeduplicator(storage.database)
    assert storage.dedup.first_time("Ev1") is True
    assert other.first_time("Ev1") is False


def test_eight_concurrent_replicas_answer_once(db_url: str, storage) -> None:
    engines = [make_engine(db_url) for _ in range(8)]
    replicas = [DbDeduplicator(Database(e, LATEST)) for e in engines]
    barrier = threading.Barrier(len(replicas))
    results: list[bool] = []
    lock = threading.Lock()

    def arrive(replica: DbDeduplicator) -> None:
        barrier.wait()
        outcome = replica.first_time("EvRetried")
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=arrive, args=(r,)) for r in replicas]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for e in engines:
        e.dispose()
    assert sorted(results) == [False] * 7 + [True]


def test_expired_id_is_accepted_again(storage) -> None:
    dedup = DbDeduplicator(storage.database, ttl_seconds=3600)
    assert dedup.first_time("Ev1", now=T0) is True
    assert dedup.first_time("Ev1", now=T0 + timedelta(minutes=59)) is False
    assert dedup.first_time("Ev1", now=T0 + timedelta(minutes=61)) is True
    assert dedup.first_time("Ev1", now=T0 + timedelta(minutes=62)) is False


def test_expired_rows_are_purged(storage) -> None:
    dedup = DbDeduplicator(storage.database, ttl_seconds=3600)
    for n in range(3):
        dedup.first_time(f"old{n}", now=T0)
    dedup.first_time("recent", now=T0 + timedelta(minutes=50))
    assert dedup.purge(now=T0 + timedelta(minutes=90)) == 3
    with storage.engine.connect() as conn:
        assert conn.execute(select(seen_events.c.event_id)).scalars().all() == ["recent"]


def test_first_call_purges_opportunistically(storage) -> None:
    with storage.engine.begin() as conn:
        conn.execute(seen_events.insert().values(event_id="stale", seen_at=T0))
    DbDeduplicator(storage.database).first_time("fresh")
    with storage.engine.connect() as conn:
        assert conn.execute(select(seen_events.c.event_id)).scalars().all() == ["fresh"]
