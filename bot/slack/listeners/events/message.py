"""`message` events: DMs, follow-ups in threads the bot answered, and edited questions."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.slack.answering import (
    Question,
    answer_in_slack,
    mentions,
    question_text,
    update_answer,
)
from bot.slack.services import Services

log = logging.getLogger(__name__)

NEW_MESSAGE_SUBTYPES = {None, "file_share", "thread_broadcast"}


def is_from_bot(message: dict[str, Any], bot_user_id: str | None) -> bool:
    return bool(
        message.get("bot_id")
        or message.get("subtype") == "bot_message"
        or (bot_user_id and message.get("user") == bot_user_id)
    )


def follow_up_thread(
    event: dict[str, Any], services: Services, bot_user_id: str | None
) -> str | None:
    """The thread ts when `event` is a reply in a thread the bot has answered, else None."""
    thread_ts = event.get("thread_ts")
    if not thread_ts or thread_ts == event.get("ts"):
        return None
    if mentions(event.get("text", ""), bot_user_id):
        return None  # the app_mention listener answers it
    answered = services.conversations.is_answered_thread(event["channel"], thread_ts)
    started_by_bot = bool(bot_user_id) and event.get("parent_user_id") == bot_user_id
    return thread_ts if answered or started_by_bot else None


def to_question(
    event: dict[str, Any], context: BoltContext, surface: str, thread_ts: str | None
) -> Question:
    return Question(
        text=question_text(event.get("text", ""), context.bot_user_id),
        surface=surface,
        channel=event["channel"],
        ts=event["ts"],
        thread_ts=thread_ts,
        user=event.get("user"),
        team=context.team_id,
    )


def register(app: App, services: Services) -> None:
    def on_message(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        bot_user_id = context.bot_user_id
        subtype = event.get("subtype")
        if subtype == "message_changed":
            on_edit(event, context, client)
            return
        if subtype not in NEW_MESSAGE_SUBTYPES or is_from_bot(event, bot_user_id):
            return
        if event.get("channel_type") == "im":
            question = to_question(event, context, "dm", event.get("thread_ts"))
            services.later(answer_in_slack, services, client, question)
            return
        thread_ts = follow_up_thread(event, services, bot_user_id)
        if thread_ts:
            question = to_question(event, context, "thread", thread_ts)
            services.later(answer_in_slack, services, client, question)

    def on_edit(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        message = dict(event.get("message") or {})
        if not message.get("ts") or is_from_bot(message, context.bot_user_id):
            return
        previous = event.get("previous_message") or {}
        if message.get("text") == previous.get("text"):
            return  # an unfurl or attachment change, not a new question
        channel = event["channel"]
        posted = services.conversations.answer_for(channel, message["ts"])
        if posted is None:
            return  # not a question the bot answered
        message["channel"] = channel
        question = to_question(message, context, posted.surface, message.get("thread_ts"))
        log.info("question edited channel=%s ts=%s: updating %s", channel, message["ts"], posted.ts)
        services.later(update_answer, services, client, question, posted)

    app.event("message")(on_message)
