""" "Share in channel" on an ephemeral `/role` reply: post the same content for everyone."""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from bot.slack.blocks import SHARE_ACTION, error_message, with_share_note
from bot.slack.listeners.commands.role import command_question, render_role
from bot.slack.services import Services

log = logging.getLogger(__name__)


def share_text(value: str) -> str | None:
    """The `/role` text a share button re-creates, or None for a value that isn't ours."""
    try:
        data = json.loads(value)
    except (TypeError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("a"), str):
        return None
    kind, arg = data.get("k"), data["a"]
    return {"role": arg, "compare": f"compare {arg}", "ask": arg}.get(str(kind))


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
        text = share_text(action.get("value", ""))
        if text is None:
            log.warning("ignoring a share click with value %r", action.get("value"))
            return
        channel = (body.get("channel") or {}).get("id", "")
        try:
            question = command_question({"channel_id": channel, "user_id": user}, context, text)
            message = with_share_note(render_role(services, text, question, share=False), user)
            respond(response_type="in_channel", replace_original=False, **message.payload())
            respond(delete_original=True)
        except Exception:
            log.exception("sharing failed user=%s channel=%s text=%r", user, channel, text[:80])
            respond(response_type="ephemeral", replace_original=False, **error_message().payload())

    app.action(SHARE_ACTION)(on_share)
