from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import insert, inspect, select
from sqlalchemy.exc import IntegrityError
from support.stored_questions import record_one

from bot.storage.db import make_engine
from bot.storage.migrations import LATEST, MIGRATIONS, current_version, migrate
from bot.storage.schema import metadata, questions, schema_version, votes


def test_migrates_an_empty_database(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            assert current_version(conn) == 0
        assert migrate(engine) == LATEST == MIGRATIONS[-1].version
        names = set(inspect(engine).get_table_names())
        assert {"schema_version", "questions", "votes", "seen_events"} <= names
        with engine.connect() as conn:
            rows = conn.execute(select(schema_version).order_by(schema_version.c.version)).all()
        assert [r.version for r in rows] == [m.version for m in MIGRATIONS]
        assert all(r.description and r.applied_at.tzinfo is not None for r in rows)
    finally:
        engine.dispose()


def test_rerun_is_a_no_op(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        migrate(engine)
        record_one(engine)
        assert migrate(engine) == LATEST
        with engine.connect() as conn:
            versions = conn.execute(select(schema_version.c.version)).scalars().all()
            assert versions == [m.version for m in MIGRATIONS]
            assert len(conn.execute(select(questions.c.id)).all()) == 1
    finally:
        engine.dispose()


def test_upgrades_v1_to_v2_keeping_data(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        assert migrate(engine, target=1) == 1
        assert not inspect(engine).has_table("seen_events")
        record_one(engine)
        assert migrate(engine, target=2) == 2
        assert inspect(engine).has_table("seen_events")
        with engine.connect() as conn:
            assert current_version(conn) == 2
            assert conn.execute(select(questions.c.id)).scalars().all() == ["q-1"]
    finally:
        engine.dispose()


def test_migrations_build_what_schema_py_describes(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        migrate(engine)
        inspector = inspect(engine)
        for table in metadata.sorted_tables:
            columns = {c["name"] for c in inspector.get_columns(table.name)}
            assert columns == {c.name for c in table.columns}, table.name
            indexes = {i["name"] for i in inspector.get_indexes(table.name)}
            assert indexes == {i.name for i in table.indexes}, table.name
    finally:
        engine.dispose()


def test_replicas_starting_together_migrate_once(db_url: str) -> None:
    engines = [make_engine(db_url) for _ in range(4)]
    barrier = threading.Barrier(len(engines))
    errors: list[BaseException] = []

    def start(engine) -> None:
        barrier.wait()
        try:
            migrate(engine)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(e,)) for e in engines]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert errors == []
        with engines[0].connect() as conn:
            versions = conn.execute(select(schema_version.c.version)).scalars().all()
        assert versions == [m.version for m in MIGRATIONS]
    finally:
        for e in engines:
            e.dispose()


def test_newer_database_is_left_alone(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        migrate(engine)
        assert migrate(engine, migrations=MIGRATIONS[:1]) == LATEST
    finally:
        engine.dispose()


def vote_row(question_id: str, user: str | None, vote: str, minute: int) -> dict[str, object]:
    return {
        "question_id": question_id,
        "user_id": user,
        "vote": vote,
        "at": datetime(2024, 5, 1, 9, minute, tzinfo=UTC),
    }


def test_upgrade_to_v3_keeps_each_users_latest_vote(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        migrate(engine, target=2)
        rows = [
            vote_row("q1", "U1", "down", 0),
            vote_row("q1", "U1", "up", 1),  # two votes by U1 on q1 kept by the old code
            vote_row("q1", "U2", "down", 2),
            vote_row("q2", "U1", "down", 3),
            vote_row("q2", None, "up", 4),
            vote_row("q2", None, "up", 5),
        ]
        with engine.begin() as conn:
            for row in rows:
                conn.execute(insert(votes).values(row))
        assert migrate(engine, target=3) == 3
        with engine.connect() as conn:
            kept = conn.execute(
                select(votes.c.question_id, votes.c.user_id, votes.c.vote).order_by(votes.c.id)
            ).all()
        assert [tuple(r) for r in kept] == [
            ("q1", "U1", "up"),
            ("q1", "U2", "down"),
            ("q2", "U1", "down"),
            ("q2", None, "up"),
            ("q2", None, "up"),
        ]
    finally:
        engine.dispose()


def test_the_database_refuses_a_second_vote_by_the_same_user(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        migrate(engine)
        with engine.begin() as conn:
            conn.execute(insert(votes).values(vote_row("q1", "U1", "down", 0)))
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(insert(votes).values(vote_row("q1", "U1", "up", 1)))
    finally:
        engine.dispose()
