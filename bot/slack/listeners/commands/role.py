"""`/role`: role summaries, comparisons, usage, or any other text answered as a question.

Replies are ephemeral with a "Share in channel" button; `ack()` comes first, the work after.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from bot.slack.answering import Question, answer_with_record
from bot.slack.blocks import (
    Message,
    comparison_message,
    error_message,
    fit,
    notice,
    share_actions,
    summary_message,
)
from bot.slack.listeners.commands.admin import admin_arguments, admin_reply
from bot.slack.markup import visible_text
from bot.slack.onboarding import usage_message
from bot.slack.services import Services
from bot.slack.text import escape
from bot.slack.threads import KeptReply
from bot.summaries import compare_roles, default_pair, find_role, summarize_role
from knowledge.model import Knowledge

log = logging.getLogger(__name__)

KEPT = "kept"  # a share button's kind for a reply kept in the ConversationStore
_SEPARATORS = re.compile(r"\s*(?:,|\bvs\.?\b|\bversus\b|\band\b|\s)\s*", re.IGNORECASE)


def _compare(services: Services, rest: str, share: bool, *, named: bool = False) -> Message:
    """`named`: the user typed something after "compare" (even if it was only markup)."""
    knowledge = services.knowledge
    if rest:
        words = [w for w in _SEPARATORS.split(rest) if w]
        pair = _two_roles(services, rest, words)
    elif named:
        pair = None  # "/role compare <@U123> <!channel>": names no role
    else:
        roles = default_pair(knowledge)
        pair = (roles[0].key, roles[1].key) if roles else None
    if pair is None:
        return comparable_roles_message(knowledge)
    comparison = compare_roles(knowledge, *pair)
    if comparison is None:
        return comparable_roles_message(knowledge, "Name two *different* roles to compare.")
    value = {"k": "compare", "a": f"{pair[0]} {pair[1]}"}
    return comparison_message(comparison, value if share else None)


def comparable_roles_message(knowledge: Knowledge, lead: str | None = None) -> Message:
    """Which roles `/role compare` knows, with an example."""
    roles = knowledge.roles
    if len(roles) < 2:
        return notice("The guide doesn't describe two roles to compare.")
    names = ", ".join(f"*{escape(r.key)}* ({escape(r.name)})" for r in roles)
    example = " ".join(escape(r.key.lower()) for r in roles[:2])
    text = f"I can compare these roles: {names}. Name two, e.g. `/role compare {example}`."
    return notice(f"{lead} {text}" if lead else text)


def _two_roles(services: Services, rest: str, words: list[str]) -> tuple[str, str] | None:
    knowledge = services.knowledge
    if len(words) == 2 and all(find_role(knowledge, w) for w in words):
        return words[0], words[1]
    # multi-word names: "product manager vs technical product manager"
    parts = [
        p for p in re.split(r"\s*(?:,|\bvs\.?\b|\bversus\b|\band\b)\s*", rest, flags=re.I) if p
    ]
    if len(parts) == 2 and all(find_role(knowledge, p) for p in parts):
        return parts[0], parts[1]
    return None


def render_role(
    services: Services, typed: str, question: Question, *, share: bool = True
) -> Message:
    """What `/role <typed>` shows (also used to re-create it when shared). `typed` is the text
    as Slack sent it: its markup is read as visible text here, as on every surface."""
    text = visible_text(typed).replace("\n", " ")
    first, _, rest = text.partition(" ")
    knowledge = services.knowledge
    if not text or first.lower() == "help":
        return usage_message(knowledge)
    if first.lower() == "compare":
        typed_rest = " ".join(typed.split()).partition(" ")[2]
        return _compare(services, rest, share, named=bool(typed_rest))
    role = find_role(knowledge, text)
    if role is not None:
        summary = summarize_role(knowledge, role.key)
        if summary is not None:
            return summary_message(summary, {"k": "role", "a": role.key} if share else None)
    answered, message = answer_with_record(services, replace(question, text=text))
    if share:  # kept as shown, so that sharing posts this very answer (its votes included)
        key = answered.question_id
        services.conversations.keep_reply(key, KeptReply(message.text, message.blocks))
        blocks = fit((*message.blocks, share_actions({"k": KEPT, "a": key})))
        message = Message(text=message.text, blocks=blocks)
    return message


def command_question(body: dict[str, Any], context: BoltContext, text: str) -> Question:
    return Question(
        text=text,
        surface="command",
        channel=body.get("channel_id", ""),
        ts="",
        thread_ts=None,
        user=body.get("user_id"),
        team=context.team_id,
    )


def safely(respond: Respond, build: Callable[[], Message], what: str) -> None:
    """Respond with what `build` makes; on failure log with context and say so visibly."""
    try:
        message = build()
    except Exception:
        log.exception("%s failed", what)
        message = error_message()
    try:
        respond(response_type="ephemeral", replace_original=False, **message.payload())
    except Exception:
        log.exception("responding to %s failed", what)


def register(app: App, services: Services) -> None:
    def on_role(ack: Ack, body: dict[str, Any], context: BoltContext, respond: Respond) -> None:
        ack()
        text = body.get("text") or ""
        question = command_question(body, context, text)
        what = f"/role {text[:80]!r} user={body.get('user_id')} channel={body.get('channel_id')}"
        admin = admin_arguments(text)
        if admin is not None:  # not a question: never recorded, never shareable
            user = body.get("user_id")
            services.later(safely, respond, lambda: admin_reply(services, user, admin), what)
            return
        services.later(safely, respond, lambda: render_role(services, text, question), what)

    app.command("/role")(on_role)
