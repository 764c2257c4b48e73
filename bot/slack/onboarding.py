"""Block Kit builders for onboarding: `/role` usage, welcome messages and the App Home tab.

Everything role-specific comes from the knowledge (role names, document titles, headings).
"""

from __future__ import annotations

from typing import Any

from bot.slack.blocks import (
    MAX_HOME_BLOCKS,
    Block,
    Message,
    button,
    context,
    fit,
    header,
    section,
)
from bot.slack.text import escape
from bot.summaries import default_pair, suggested_questions
from knowledge.model import Knowledge

HOME_ROLE_ACTION = "home_role"
HOME_COMPARE_ACTION = "home_compare"


def _roles_text(knowledge: Knowledge) -> str:
    labels = [f"*{escape(role.label)}*" for role in knowledge.roles]
    if not labels:
        return "the roles in the guide"
    if len(labels) == 1:
        return labels[0]
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def _documents_text(knowledge: Knowledge) -> str:
    return ", ".join(f"_{escape(d.document.title)}_" for d in knowledge.documents)


def about_text(knowledge: Knowledge) -> str:
    return (
        f"I answer questions about {_roles_text(knowledge)} by quoting the passage of "
        f"{_documents_text(knowledge)} that answers them, with the section it comes from. "
        "If the guide doesn't cover something, I say so."
    )


def _example_keys(knowledge: Knowledge) -> list[str]:
    return [role.key.lower() for role in knowledge.roles[:4]]


def usage_lines(knowledge: Knowledge) -> list[str]:
    lines = [
        f"• `/role {key}` — a summary of the {escape(key.upper())} role"
        for key in _example_keys(knowledge)
    ]
    if default_pair(knowledge):
        lines.append("• `/role compare` — the two roles side by side")
    elif len(knowledge.roles) > 2:
        first, second = _example_keys(knowledge)[:2]
        lines.append(f"• `/role compare {first} {second}` — two roles side by side")
    lines.append("• `/role <question>` — ask anything, e.g. `/role who owns the roadmap?`")
    lines.append("• `/role help` — this message")
    return lines


def usage_message(knowledge: Knowledge, note: str | None = None) -> Message:
    blocks: list[Block] = []
    if note:
        blocks.append(section(note))
    blocks.append(section("*How to use `/role`*\n" + "\n".join(usage_lines(knowledge))))
    blocks.append(context(about_text(knowledge)))
    return Message(text="How to use /role", blocks=fit(blocks))


def _suggestions(knowledge: Knowledge) -> str:
    questions = suggested_questions(knowledge)
    return "\n".join(f"• _{escape(q)}_" for q in questions)


def welcome_message(knowledge: Knowledge, bot_user_id: str | None) -> Message:
    mention = f"<@{escape(bot_user_id)}>" if bot_user_id else "me"
    blocks: list[Block] = [
        section(f":wave: *Welcome!* {about_text(knowledge)}"),
        section(
            f"Mention {mention} with a question in any channel I'm in, send me a DM, or use:\n"
            + "\n".join(usage_lines(knowledge))
        ),
    ]
    suggestions = _suggestions(knowledge)
    if suggestions:
        blocks.append(section("*Questions to try:*\n" + suggestions))
    return Message(text="Welcome! I answer questions about product roles.", blocks=fit(blocks))


def role_buttons(knowledge: Knowledge) -> Block | None:
    elements = [
        button(role.label, f"{HOME_ROLE_ACTION}_{index}", role.key)
        for index, role in enumerate(knowledge.roles[:20])
    ]
    if len(knowledge.roles) >= 2:
        first, second = knowledge.roles[0], knowledge.roles[1]
        elements.append(
            button(
                f"Compare {first.key} and {second.key}",
                HOME_COMPARE_ACTION,
                f"{first.key} {second.key}",
                style="primary",
            )
        )
    if not elements:
        return None
    return {"type": "actions", "block_id": "home_roles", "elements": elements[:25]}


def home_view(knowledge: Knowledge, selected: Message | None = None) -> dict[str, Any]:
    """The App Home tab: welcome, what the bot does, role buttons, suggested questions and,
    below them, the summary or comparison the user picked."""
    blocks: list[Block] = [
        header("Welcome to rolebot"),
        section(about_text(knowledge)),
        section(
            "*Ask me* by mentioning me in a channel, in a DM (the Messages tab), "
            "or with `/role`:\n" + "\n".join(usage_lines(knowledge))
        ),
    ]
    buttons = role_buttons(knowledge)
    if buttons:
        blocks.append(section("*Role summaries*"))
        blocks.append(buttons)
    suggestions = _suggestions(knowledge)
    if suggestions:
        blocks.append(section("*Questions to try:*\n" + suggestions))
    if selected is not None:
        blocks.append({"type": "divider"})
        room = MAX_HOME_BLOCKS - len(blocks)
        blocks.extend(fit(selected.blocks, room))
    return {"type": "home", "blocks": list(fit(blocks, MAX_HOME_BLOCKS))}
