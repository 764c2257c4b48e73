""" "Share in channel" posts the answer the user was shown, from any replica: it is neither
computed nor recorded a second time."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import text
from support.fake_engine import FakeEngine
from support.slack_events import block_action, unique
from support.slack_harness import Harness, harness

from bot.settings import Settings
from bot.storage import open_storage


def share_button(reply) -> dict:
    return next(
        e
        for b in reply.body["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "share_in_channel"
    )


def click_share(bot: Harness, value: str, responses: int = 2) -> list:
    name = unique("share")
    payload = block_action(
        "share_in_channel", value, response_name=name, standin=bot.standin, ephemeral=True
    )
    assert bot.action(payload) == 200
    return bot.standin.wait_for("response", lambda c: c.path.endswith(name), count=responses)


def test_share_at_another_replica_posts_the_kept_answer_without_asking_again(
    shipped_knowledge, tmp_path: Path
) -> None:
    database = Settings(db_path=tmp_path / "shared.db")
    storage = open_storage(database, required=True)
    other_storage = open_storage(database, required=True)  # another replica's
    engine, other = FakeEngine(shipped_knowledge), FakeEngine(shipped_knowledge)
    try:
        with harness(
            engine, conversations=storage.conversations, recorder=storage.recorder
        ) as first:
            name = unique("cmd")
            assert first.command("who owns the roadmap?", name) == 200
            (reply,) = first.standin.wait_for("response", lambda c: c.path.endswith(name))
        value = share_button(reply)["value"]
        assert json.loads(value)["k"] == "kept" and "roadmap" not in value
        with harness(
            other, conversations=other_storage.conversations, recorder=other_storage.recorder
        ) as second:
            calls = click_share(second, value)
        public = next(c for c in calls if c.body.get("response_type") == "in_channel")
        shown = [b for b in reply.body["blocks"] if b.get("block_id") != "share"]
        assert public.body["blocks"][: len(shown)] == shown  # the very answer, votes included
        assert "Shared by" in public.blocks_text()
        assert any(c.body.get("delete_original") for c in calls)
        assert engine.questions == ["who owns the roadmap?"] and other.questions == []
        with storage.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM questions")).scalar() == 1
    finally:
        storage.close()
        other_storage.close()


def test_a_kept_answer_that_is_gone_says_so(shipped_knowledge) -> None:
    with harness(FakeEngine(shipped_knowledge)) as bot:
        calls = click_share(bot, json.dumps({"k": "kept", "a": "0" * 32}), responses=1)
        assert "can't be shared any more" in calls[0].body["text"]
        assert calls[0].body["response_type"] == "ephemeral"
        assert bot.engine.questions == []
