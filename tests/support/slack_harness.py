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
from slack_standin import TEAM_ID, SlackStandIn

from bot.recording import MemoryDeduplicator, QuestionRecord, Vote
from bot.settings import Settings

SECRET = "harness-signing-secret"


class ListRecorder:
    """Keeps what it is given, in memory."""

    def __init__(self) -> None:
        self.questions: list[QuestionRecord] = []
        self.votes: list[Vote] = []

    def record_question(self, record: QuestionRecord) -> None:
        self.questions.append(record)

    def record_vote(self, vote: Vote) -> None:
        self.votes.append(vote)


def signed_headers(body: str, secret: str = SECRET) -> dict[str, str]:
    ts = str(int(time.time()))
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature}


class Harness:
    def __init__(self, app: App, standin: SlackStandIn, engine: Any, recorder: ListRecorder):
        self.app, self.standin, self.engine, self.recorder = app, standin, engine, recorder

    def dispatch(self, body: str, content_type: str) -> int:
        headers = {k.lower(): [v] for k, v in signed_headers(body).items()}
        headers["content-type"] = [content_type]
        return self.app.dispatch(BoltRequest(body=body, headers=headers)).status

    def event(self, event: dict[str, Any], event_id: str) -> int:
        envelope = {
            "token": "legacy",
            "team_id": TEAM_ID,
            "api_app_id": "A0000001",
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
        }
        return self.dispatch(json.dumps(envelope), "application/json")

    def action(self, payload: dict[str, Any]) -> int:
        body = urlencode({"payload": json.dumps(payload)})
        return self.dispatch(body, "application/x-www-form-urlencoded")

    def command(self, text: str, response_name: str, channel: str = "C1") -> int:
        form = {
            "command": "/role",
            "text": text,
            "user_id": "U1",
            "channel_id": channel,
            "team_id": TEAM_ID,
            "response_url": self.standin.response_url(response_name),
            "trigger_id": "t",
        }
        return self.dispatch(urlencode(form), "application/x-www-form-urlencoded")


@contextmanager
def harness(engine: Any, **create_app_kwargs: Any) -> Iterator[Harness]:
    from bot.slack.app import create_app

    standin = SlackStandIn().start()
    settings = Settings(
        slack_bot_token="xoxb-unit", slack_signing_secret=SECRET, slack_api_url=standin.api_url
    )
    recorder = create_app_kwargs.pop("recorder", None) or ListRecorder()
    dedup = create_app_kwargs.pop("deduplicator", None) or MemoryDeduplicator()
    try:
        app = create_app(settings, engine, recorder, dedup, **create_app_kwargs)
        yield Harness(app, standin, engine, recorder)
    finally:
        standin.stop()
