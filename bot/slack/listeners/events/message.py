"""`message` events: DMs, follow-ups in threads the bot answered, and edited questions."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.slack.answering import (
    Question,
    answer_follow_up,
    answer_in_slack,
    mentions,
    question_text,
    update_if_answered,
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


def follow_up(event: dict[str, Any], bot_user_id: str | None) -> tuple[str, bool] | None:
    """(thread ts, whether the bot started the thread) when `event` is a reply in a thread that
    does not mention the bot, else None. Whether the bot answered in that thread is looked up
    later, off the listener thread (bot.slack.answering.answer_follow_up)."""
    thread_ts = event.get("thread_ts")
    if not thread_ts or thread_ts == event.get("ts"):
        return None
    if mentions(event.get("text", ""), bot_user_id):
        return None  # the app_mention listener answers it
    started_by_bot = bool(bot_user_id) and event.get("parent_user_id") == bot_user_id
    return thread_ts, started_by_bot


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
        reply = follow_up(event, bot_user_id)
        if reply is not None:
            thread_ts, started_by_bot = reply
            question = to_question(event, context, "thread", thread_ts)
            services.later(answer_follow_up, services, client, question, started_by_bot)

    def on_edit(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        message = dict(event.get("message") or {})
        if not message.get("ts") or is_from_bot(message, context.bot_user_id):
            return
        previous = event.get("previous_message") or {}
        if message.get("text") == previous.get("text"):
            return  # an unfurl or attachment change, not a new question
        message["channel"] = event["channel"]
        # the surface is the answered question's own, set once it is found
        question = to_question(message, context, "thread", message.get("thread_ts"))
        services.later(update_if_answered, services, client, question)

    app.event("message")(on_message)
