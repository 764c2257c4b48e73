""" "Share in channel" on an ephemeral `/role` reply: post the same content for everyone.

An answer is posted as it was shown (kept by the ConversationStore, in the database when there
is one, so any replica can share it): never computed, nor recorded, a second time."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from bot.slack.answering import Question
from bot.slack.blocks import SHARE_ACTION, Message, error_message, notice, with_share_note
from bot.slack.listeners.commands.role import KEPT, command_question, render_role
from bot.slack.services import Services

log = logging.getLogger(__name__)


def share_text(value: str) -> str | None:
    """The `/role` text a summary or comparison share button re-creates (both are read from
    the knowledge, nothing is asked or recorded), or None for any other value."""
    parsed = share_value(value)
    if parsed is None:
        return None
    kind, arg = parsed
    return {"role": arg, "compare": f"compare {arg}"}.get(kind)


def share_value(value: str) -> tuple[str, str] | None:
    """(kind, argument) of one of our share buttons, or None."""
    try:
        data = json.loads(value)
    except (TypeError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("a"), str):
        return None
    return str(data.get("k")), data["a"]


def shared_message(services: Services, value: str, question: Question) -> Message | None:
    """What a share button posts: a kept answer as it was shown (never asked again, never
    recorded again), or a summary or comparison rebuilt from the knowledge; None when there is
    nothing to share any more (a kept answer that expired)."""
    parsed = share_value(value)
    if parsed is not None and parsed[0] == KEPT:
        kept = services.conversations.kept_reply(parsed[1])
        return Message(text=kept.text, blocks=kept.blocks) if kept is not None else None
    text = share_text(value)
    return render_role(services, text, question, share=False) if text is not None else None


def share(services: Services, respond: Respond, value: str, question: Question) -> None:
    user, channel = question.user or "", question.channel
    try:
        message = shared_message(services, value, question)
        if message is None:
            respond(response_type="ephemeral", replace_original=False, **GONE.payload())
            return
        message = with_share_note(message, user)
        respond(response_type="in_channel", replace_original=False, **message.payload())
        respond(delete_original=True)
    except Exception:
        log.exception("sharing failed user=%s channel=%s value=%r", user, channel, value[:80])
        respond(response_type="ephemeral", replace_original=False, **error_message().payload())


GONE = notice("That answer can't be shared any more: ask again with `/role`.")


def register(app: App, services: Services) -> None:
    def on_share(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        context: BoltContext,
        respond: Respond,
    ) -> None:
        ack()
        user = (body.get("user") or {}).get("id", "")
        value = action.get("value", "")
        if share_value(value) is None:
            log.warning("ignoring a share click with value %r", value)
            return
        channel = (body.get("channel") or {}).get("id", "")
        question = command_question({"channel_id": channel, "user_id": user}, context, "")
        services.later(share, services, respond, value, question)

    app.action(SHARE_ACTION)(on_share)
