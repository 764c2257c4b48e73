"""Fixtures for the Slack app: the Web API stand-in, the real `rolebot serve` (HTTP) started
once per session, the PostgreSQL replica pair, and the shipped guide for fake engines.

The helpers behind them live in tests/support/: slack_api (the stand-in), slack_events (what
Slack sends), slack_sender (signed requests to a served bot), serve_process (starting and
stopping `rolebot serve`), slack_harness (a Bolt app in process), fake_engine, database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support.postgres import postgres_env_url, postgres_schema
from support.serve_process import (
    ADMIN_USER,
    Replicas,
    bot_env,
    free_port,
    start_bot,
    start_http_bots,
    stop_bots,
    wait_http_ok,
)
from support.slack_api import SlackStandIn
from support.slack_sender import SIGNING_SECRET, SlackSender
from support.tcp_proxy import TcpProxy, via_proxy

# -- session fixtures: one real server (real model) for all end-to-end tests ----------------


@pytest.fixture(scope="session")
def http_standin() -> Iterator[SlackStandIn]:
    standin = SlackStandIn().start()
    yield standin
    standin.stop()


@pytest.fixture(scope="session")
def http_bot(
    http_standin: SlackStandIn, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SlackSender]:
    data_dir = tmp_path_factory.mktemp("rolebot-http")
    port = free_port()
    env = bot_env(http_standin, data_dir, SLACK_SIGNING_SECRET=SIGNING_SECRET, PORT=str(port))
    bot = start_bot([], env, data_dir / "serve.log")
    try:
        wait_http_ok(f"http://127.0.0.1:{port}/healthz", bot)
        yield SlackSender(f"http://127.0.0.1:{port}", http_standin, bot=bot, data_dir=data_dir)
    finally:
        bot.stop()


@pytest.fixture(scope="session")
def shipped_knowledge() -> Any:
    from knowledge import load_shipped_guide

    return load_shipped_guide()


# -- PostgreSQL: replicas sharing one schema --------------------------------------------------


@pytest.fixture(scope="session")
def shared_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """ROLEBOT_DATA_DIR of the PostgreSQL-backed bots: one index cache, built once."""
    return tmp_path_factory.mktemp("rolebot-shared")


@pytest.fixture(scope="session")
def pg_replicas(http_standin: SlackStandIn, shared_data_dir: Path) -> Iterator[Replicas]:
    """Shared by test_replicas.py, test_admin_stats.py and test_db_outage.py, so that they
    cost two model loads in all."""
    from sqlalchemy import make_url

    target = make_url(postgres_env_url())
    with postgres_schema() as url:
        proxy = TcpProxy(target.host or "127.0.0.1", target.port or 5432).start()
        common = {"ROLEBOT_ADMINS": ADMIN_USER}
        envs = [{"DATABASE_URL": url, **common}, {"DATABASE_URL": via_proxy(url, proxy), **common}]
        try:
            senders = start_http_bots(
                http_standin, shared_data_dir, ["replica-a", "replica-b"], envs
            )
            try:
                yield Replicas(senders[0], senders[1], url, http_standin, proxy)
            finally:
                stop_bots(senders)
        finally:
            proxy.stop()
