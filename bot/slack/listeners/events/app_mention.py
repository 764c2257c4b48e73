"""@rolebot in a channel: the answer in the question's thread."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.slack.answering import (
    Question,
    answer_in_slack,
    answer_unless_answered,
    question_text,
)
from bot.slack.services import Services

log = logging.getLogger(__name__)


def register(app: App, services: Services) -> None:
    def on_mention(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        if event.get("bot_id") or event.get("subtype") == "bot_message":
            return  # another bot (or this one) mentioning us: never answer bots
        channel, ts = event["channel"], event["ts"]
        question = Question(
            text=question_text(event.get("text", ""), context.bot_user_id),
            surface="mention",
            channel=channel,
            ts=ts,
            thread_ts=event.get("thread_ts") or ts,
            user=event.get("user"),
            team=context.team_id,
        )
        if event.get("edited"):  # answered already? then message_changed updates it
            services.later(answer_unless_answered, services, client, question)
            return
        services.later(answer_in_slack, services, client, question)

    app.event("app_mention")(on_mention)
