"""👍/👎 on an answer: recorded against the question, and the message shows the vote."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.recording import Vote
from bot.slack.blocks import FEEDBACK_ACTIONS, notice, with_vote
from bot.slack.services import Services

log = logging.getLogger(__name__)


def parse_vote(value: str) -> tuple[str, str] | None:
    """(question id, "up"|"down") from a button value, or None if it is not one of ours."""
    try:
        data = json.loads(value)
    except (TypeError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    question_id, vote = data.get("q"), data.get("v")
    if not isinstance(question_id, str) or vote not in FEEDBACK_ACTIONS:
        return None
    return question_id, vote


def register(app: App, services: Services) -> None:
    def on_feedback(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        context: BoltContext,
        client: WebClient,
        respond: Respond,
    ) -> None:
        ack()
        parsed = parse_vote(action.get("value", ""))
        user = (body.get("user") or {}).get("id")
        if parsed is None:
            log.warning("ignoring a feedback click with value %r", action.get("value"))
            return
        question_id, vote = parsed
        try:
            services.recorder.record_vote(
                Vote(question_id=question_id, vote=vote, workspace=context.team_id, user=user)
            )
        except Exception:
            log.exception("could not record vote question=%s vote=%s", question_id, vote)
        show_vote(body, client, respond, user, FEEDBACK_ACTIONS[vote])

    app.action(re.compile(r"^feedback_(up|down)$"))(on_feedback)


def show_vote(
    body: dict[str, Any], client: WebClient, respond: Respond, user: str | None, emoji: str
) -> None:
    container = body.get("container") or {}
    message = body.get("message")
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
    private = container.get("is_ephemeral") or str(channel or "").startswith("D")
    note = (
        f"Thanks — you voted {emoji}"
        if private or not user
        else f"Thanks — <@{user}> voted {emoji}"
    )
    try:
        if message and channel and not container.get("is_ephemeral"):
            blocks = with_vote(message.get("blocks") or [], note)
            client.chat_update(
                channel=channel, ts=message["ts"], text=message.get("text", ""), blocks=blocks
            )
        elif message:
            respond(
                replace_original=True,
                text=message.get("text", ""),
                blocks=with_vote(message.get("blocks") or [], note),
            )
        else:  # an ephemeral message comes without its blocks: confirm in a new one
            respond(response_type="ephemeral", replace_original=False, **notice(note).payload())
    except Exception:
        log.exception("could not show the vote channel=%s user=%s", channel, user)
