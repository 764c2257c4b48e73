from __future__ import annotations

from dataclasses import replace

from sqlalchemy import inspect

from bot.settings import Settings
from bot.storage.oauth import SCOPES, oauth_settings

OAUTH = {"slack_client_id": "111.222", "slack_client_secret": "shh"}


def test_no_client_credentials_means_single_workspace(storage) -> None:
    assert storage.oauth_settings() is None
    assert oauth_settings(Settings(slack_client_id="111.222"), storage.database) is None


def test_oauth_settings_use_the_same_database(storage) -> None:
    from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

    from bot.storage.oauth import BoundedInstallationStore

    storage.settings = replace(storage.settings, **OAUTH)
    settings = storage.oauth_settings()
    assert settings is not None and storage.oauth_settings() is settings
    assert (settings.client_id, settings.client_secret) == ("111.222", "shh")
    assert settings.scopes == list(SCOPES)
    assert (settings.install_path, settings.redirect_uri_path) == (
        "/slack/install",
        "/slack/oauth_redirect",
    )
    assert isinstance(settings.installation_store, BoundedInstallationStore)
    assert isinstance(settings.state_store, SQLAlchemyOAuthStateStore)
    assert settings.state_store.engine is storage.engine
    tables = set(inspect(storage.engine).get_table_names())
    assert {"slack_installations", "slack_bots", "slack_oauth_states"} <= tables


def test_installation_and_state_round_trip(storage) -> None:
    from slack_sdk.oauth.installation_store import Installation

    settings = oauth_settings(replace(storage.settings, **OAUTH), storage.database)
    assert settings is not None
    oauth_settings(replace(storage.settings, **OAUTH), storage.database)  # tables exist: fine
    settings.installation_store.save(
        Installation(
            app_id="A1",
            enterprise_id=None,
            team_id="T1",
            user_id="U1",
            bot_token="xoxb-test-token",
            bot_id="B1",
            bot_user_id="UB1",
            bot_scopes=list(SCOPES),
        )
    )
    bot = settings.installation_store.find_bot(enterprise_id=None, team_id="T1")
    assert bot is not None and bot.bot_token == "xoxb-test-token"
    assert settings.installation_store.find_bot(enterprise_id=None, team_id="T2") is None
    state = settings.state_store.issue()
    assert settings.state_store.consume(state) is True
    assert settings.state_store.consume(state) is False


def test_a_workspace_already_served_is_found_while_the_database_is_down(storage) -> None:
    """Bolt looks the installation up before every ack: with the database gone, the lookup
    answers at once from what this process found before (and None for a workspace it never
    served), instead of waiting on the database."""
    import time

    from slack_sdk.oauth.installation_store import Installation
    from sqlalchemy.exc import OperationalError

    settings = oauth_settings(replace(storage.settings, **OAUTH), storage.database)
    assert settings is not None
    store = settings.installation_store
    store.save(
        Installation(
            app_id="A1",
            enterprise_id=None,
            team_id="T1",
            user_id="U1",
            bot_token="xoxb-test-token",
            bot_id="B1",
            bot_user_id="UB1",
        )
    )
    assert store.find_bot(enterprise_id=None, team_id="T1") is not None

    def gone(*_args: object, **_kwargs: object) -> None:
        raise OperationalError("SELECT", {}, Exception("server closed the connection"))

    store._store.find_bot = gone  # the database stops answering
    started = time.monotonic()
    bot = store.find_bot(enterprise_id=None, team_id="T1")
    assert bot is not None and bot.bot_token == "xoxb-test-token"
    assert store.find_bot(enterprise_id=None, team_id="T2") is None
    assert time.monotonic() - started < 1.5
