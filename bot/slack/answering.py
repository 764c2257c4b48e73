"""Answer a question in Slack: react 👀, ask the answer service (bot/answers.py: it times and
records), post (or update) the answer in the thread, remember the thread; on failure post a
short visible error."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace

from slack_sdk import WebClient

from bot.answers import Answered, Asker
from bot.slack.blocks import Message, answer_message, error_message
from bot.slack.markup import visible_text
from bot.slack.services import Services
from bot.slack.threads import PostedAnswer

log = logging.getLogger(__name__)

WORKING_REACTION = "eyes"


@dataclass(frozen=True)
class Question:
    """A question as it arrived from Slack."""

    text: str
    surface: str  # mention, dm, thread, command
    channel: str
    ts: str  # the question message's ts
    thread_ts: str | None  # where to reply; None: top level (DMs)
    user: str | None = None
    team: str | None = None


def strip_mention(text: str, bot_user_id: str | None) -> str:
    """Remove the leading `<@BOTID>` (or `<@BOTID|name>`) and surrounding spaces."""
    if not bot_user_id:
        return text.strip()
    pattern = rf"^\s*<@{re.escape(bot_user_id)}(?:\|[^>]*)?>[\s:,]*"
    return re.sub(pattern, "", text or "").strip()


def question_text(text: str, bot_user_id: str | None) -> str:
    """The question in a message: without the leading bot mention, Slack markup read as what a
    person sees (bot.slack.markup.visible_text, the same for every surface)."""
    return visible_text(strip_mention(text, bot_user_id))


def mentions(text: str, bot_user_id: str | None) -> bool:
    return bool(bot_user_id) and f"<@{bot_user_id}" in (text or "")


def asker(question: Question) -> Asker:
    return Asker(
        surface=question.surface,
        workspace=question.team,
        channel=question.channel,
        user=question.user,
    )


def answer_with_record(services: Services, question: Question) -> tuple[Answered, Message]:
    """Ask the answer service (which times and records it, once), render the message."""
    answered = services.answers.ask(question.text, asker(question))
    return answered, answer_message(answered.answer, answered.question_id)


def _react(client: WebClient, method: str, question: Question) -> None:
    try:
        call = client.reactions_add if method == "add" else client.reactions_remove
        call(channel=question.channel, timestamp=question.ts, name=WORKING_REACTION)
    except Exception:
        log.warning(
            "reactions.%s failed channel=%s ts=%s",
            method,
            question.channel,
            question.ts,
            exc_info=True,
        )


def answer_in_slack(services: Services, client: WebClient, question: Question) -> None:
    """Post the answer to `question` (in its thread), never failing silently."""
    _react(client, "add", question)
    if question.thread_ts:  # the bot posts in this thread (answer or error): follow-ups count
        services.conversations.mark_thread(question.channel, question.thread_ts)
    try:
        _, message = answer_with_record(services, question)
        response = client.chat_postMessage(
            channel=question.channel,
            thread_ts=question.thread_ts,
            unfurl_links=False,
            unfurl_media=False,
            **message.payload(),
        )
        posted = PostedAnswer(
            channel=str(response.get("channel") or question.channel),
            ts=str(response["ts"]),
            surface=question.surface,
        )
        services.conversations.remember_answer(question.channel, question.ts, posted)
    except Exception:
        log.exception(
            "answering failed surface=%s channel=%s ts=%s user=%s",
            question.surface,
            question.channel,
            question.ts,
            question.user,
        )
        post_error(client, question.channel, question.thread_ts)
    finally:
        _react(client, "remove", question)


# The three below look conversations up (bot.slack.threads.ConversationStore, in the database
# when there is one), so listeners hand them to the answer pool: Bolt's listener threads, which
# also ack every event, never wait on the database.


def answer_follow_up(
    services: Services, client: WebClient, question: Question, started_by_bot: bool
) -> None:
    """A reply in a thread: answered when the bot started that thread or answered in it
    (on any replica, before or after a restart)."""
    thread_ts = question.thread_ts or question.ts
    if started_by_bot or services.conversations.is_answered_thread(question.channel, thread_ts):
        answer_in_slack(services, client, question)


def answer_unless_answered(services: Services, client: WebClient, question: Question) -> None:
    """An edited mention: the edit of a question already answered is the message_changed
    listener's (it updates the answer); one never answered gets its first answer."""
    if services.conversations.answer_for(question.channel, question.ts) is None:
        answer_in_slack(services, client, question)


def update_if_answered(services: Services, client: WebClient, question: Question) -> None:
    """An edited message: when it is a question the bot answered, its answer is updated."""
    posted = services.conversations.answer_for(question.channel, question.ts)
    if posted is None:
        return  # not a question the bot answered
    log.info(
        "question edited channel=%s ts=%s: updating %s", question.channel, question.ts, posted.ts
    )
    update_answer(services, client, replace(question, surface=posted.surface), posted)


def update_answer(
    services: Services, client: WebClient, question: Question, posted: PostedAnswer
) -> None:
    """Re-answer an edited question and replace the earlier answer in place."""
    try:
        _, message = answer_with_record(services, question)
        client.chat_update(channel=posted.channel, ts=posted.ts, **message.payload())
    except Exception:
        log.exception(
            "updating the answer failed channel=%s question_ts=%s answer_ts=%s",
            question.channel,
            question.ts,
            posted.ts,
        )
        post_error(client, question.channel, question.thread_ts)


def post_error(client: WebClient, channel: str, thread_ts: str | None) -> None:
    try:
        client.chat_postMessage(channel=channel, thread_ts=thread_ts, **error_message().payload())
    except Exception:
        log.exception(
            "could not post the error message channel=%s thread_ts=%s", channel, thread_ts
        )
