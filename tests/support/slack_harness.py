"""A real Bolt app (bot.slack.app.create_app) in this process, on a given engine, its Web API
calls going to a Slack stand-in and its requests dispatched directly, signed."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode

from slack_bolt import App
from slack_bolt.request import BoltRequest
from slack_sdk.signature import SignatureVerifier

from bot.recording import MemoryDeduplicator, QuestionRecord, Vote
from bot.settings import Settings
from support.slack_api import SlackStandIn
from support.slack_events import command_form, event_envelope, unique

SECRET = "harness-signing-secret"


class ListRecorder:
    """Keeps what it is given, in memory; `broken` makes recording a question fail, as with
    the database down."""

    def __init__(self) -> None:
        self.questions: list[QuestionRecord] = []
        self.votes: list[Vote] = []
        self.broken = False

    def record_question(self, record: QuestionRecord) -> None:
        if self.broken:
            raise RuntimeError("database down")
        self.questions.append(record)

    def record_vote(self, vote: Vote) -> None:
        self.votes.append(vote)


def signed_headers(body: str, secret: str = SECRET) -> dict[str, str]:
    ts = str(int(time.time()))
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature}


class Harness:
    def __init__(self, app: App, standin: SlackStandIn, engine: Any, recorder: Any):
        self.app, self.standin, self.engine, self.recorder = app, standin, engine, recorder

    def dispatch(self, body: str, content_type: str) -> int:
        headers = {k.lower(): [v] for k, v in signed_headers(body).items()}
        headers["content-type"] = [content_type]
        return self.app.dispatch(BoltRequest(body=body, headers=headers)).status

    def event(self, event: dict[str, Any], event_id: str | None = None) -> int:
        envelope = event_envelope(event, event_id or unique("Ev"))
        return self.dispatch(json.dumps(envelope), "application/json")

    def action(self, payload: dict[str, Any]) -> int:
        body = urlencode({"payload": json.dumps(payload)})
        return self.dispatch(body, "application/x-www-form-urlencoded")

    def command(
        self, text: str, response_name: str, channel: str = "C1", *, user: str = "U1"
    ) -> int:
        """`/role <text>` typed by `user`; the reply goes to the response_url `response_name`."""
        form = command_form(text, user, self.standin.response_url(response_name), channel=channel)
        return self.dispatch(form, "application/x-www-form-urlencoded")


@contextmanager
def harness(
    engine: Any, *, settings: dict[str, Any] | None = None, **create_app_kwargs: Any
) -> Iterator[Harness]:
    """`settings`: more Settings fields (e.g. admins); `create_app_kwargs`: recorder,
    deduplicator (in memory by default), and the rest of create_app's keyword arguments."""
    from bot.slack.app import create_app

    standin = SlackStandIn().start()
    app_settings = Settings(
        slack_bot_token="xoxb-unit",
        slack_signing_secret=SECRET,
        slack_api_url=standin.api_url,
        **(settings or {}),
    )
    recorder = create_app_kwargs.pop("recorder", None) or ListRecorder()
    dedup = create_app_kwargs.pop("deduplicator", None) or MemoryDeduplicator()
    try:
        app = create_app(app_settings, engine, recorder, dedup, **create_app_kwargs)
        yield Harness(app, standin, engine, recorder)
    finally:
        standin.stop()
