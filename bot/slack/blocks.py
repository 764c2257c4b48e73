"""Block Kit builders: answers, role summaries, comparisons, usage and feedback.

Every text that came from a user or a document goes through `text.escape` (via the helpers in
bot/slack/text.py); every builder respects Block Kit's limits (≤ 50 blocks per message,
section text ≤ 3,000 characters, header ≤ 150, context ≤ 10 elements).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.slack.text import (
    BUTTON_TEXT_LIMIT,
    CONTEXT_TEXT_LIMIT,
    FALLBACK_TEXT_LIMIT,
    FIELD_TEXT_LIMIT,
    HEADER_LIMIT,
    SECTION_TEXT_LIMIT,
    blockquote,
    escape,
    escaped,
    link,
    plain,
    split_text,
)
from bot.summaries import Comparison, RoleSummary, SummaryGroup
from bot.types import Answer, Citation, Match, Outcome

Block = dict[str, Any]
MAX_BLOCKS = 50
MAX_HOME_BLOCKS = 100
QUOTE_CHUNK = 2800  # leaves room for the role label and the quote markers
FEEDBACK_BLOCK_ID = "feedback"
FEEDBACK_ACTIONS = {"up": "👍", "down": "👎"}
SHARE_ACTION = "share_in_channel"


@dataclass(frozen=True)
class Message:
    """What to send: notification text (escaped mrkdwn) and blocks."""

    text: str
    blocks: tuple[Block, ...]

    def payload(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": list(self.blocks)}


# -- primitives -------------------------------------------------------------------------------


def section(mrkdwn: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn[:SECTION_TEXT_LIMIT]}}


def context(*mrkdwn: str) -> Block:
    elements = [{"type": "mrkdwn", "text": t[:CONTEXT_TEXT_LIMIT]} for t in mrkdwn[:10]]
    return {"type": "context", "elements": elements}


def header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": plain(text, HEADER_LIMIT)}}


def button(label: str, action_id: str, value: str, style: str | None = None) -> Block:
    element: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": plain(label, BUTTON_TEXT_LIMIT), "emoji": True},
        "action_id": action_id,
        "value": value[:2000],
    }
    if style:
        element["style"] = style
    return element


def fit(blocks: Sequence[Block], limit: int = MAX_BLOCKS) -> tuple[Block, ...]:
    """Keep at most `limit` blocks; when cutting, keep a trailing actions block and say so."""
    if len(blocks) <= limit:
        return tuple(blocks)
    tail = [blocks[-1]] if blocks[-1].get("type") == "actions" else []
    room = limit - 1 - len(tail)
    return (*blocks[:room], context("_…shortened to fit in one message._"), *tail)


def citation_line(citation: Citation, icon: str = "📖 ") -> str:
    """`📖 <url|Document> › Section › Subsection` with every part escaped."""
    first, *rest = citation.section_path or (citation.document,)
    parts = [link(citation.url, first), *(escape(p) for p in rest)]
    return icon + " › ".join(parts)


def fallback(text: str) -> str:
    return escaped(" ".join(text.split()), FALLBACK_TEXT_LIMIT)


# -- answers ----------------------------------------------------------------------------------


def quote_blocks(match: Match) -> list[Block]:
    """The passage quoted (split over several sections when long), then its citation."""
    label = f"*{escaped(match.role_label, 200)}* — " if match.role_label else ""
    chunks = split_text(match.text, QUOTE_CHUNK) or [""]
    blocks = [
        section(blockquote((label if i == 0 else "") + escape(chunk)))
        for i, chunk in enumerate(chunks)
    ]
    blocks.append(context(citation_line(match.citation)))
    return blocks


def feedback_actions(question_id: str) -> Block:
    elements = [
        button(emoji, f"feedback_{vote}", json.dumps({"q": question_id, "v": vote}))
        for vote, emoji in FEEDBACK_ACTIONS.items()
    ]
    return {"type": "actions", "block_id": FEEDBACK_BLOCK_ID, "elements": elements}


def answer_message(answer: Answer, question_id: str | None, *, feedback: bool = True) -> Message:
    """An engine answer as a message: quotes with citations, or 'not covered' with the
    closest sections, or the engine's message for an invalid question or a greeting."""
    blocks: list[Block] = []
    if answer.outcome is Outcome.ANSWERED and answer.matches:
        if len(answer.matches) > 1:
            blocks.append(section(f"{len(answer.matches)} passages, side by side:"))
        for match in answer.matches:
            blocks.extend(quote_blocks(match))
        first = answer.matches[0]
        text = (f"{first.role_label} — " if first.role_label else "") + first.text
    elif answer.outcome in (Outcome.INVALID, Outcome.COURTESY):
        text = answer.message or "I can't answer that."
        return Message(text=fallback(text), blocks=(section(escaped(text, SECTION_TEXT_LIMIT)),))
    else:
        text = answer.message or "That isn't covered by the guide."
        blocks.append(section(escaped(text, SECTION_TEXT_LIMIT)))
        if answer.alternatives:
            lines = [f"• {citation_line(alt.citation, icon='')}" for alt in answer.alternatives[:3]]
            blocks.append(section("*Closest sections:*\n" + "\n".join(lines)))
    if feedback and question_id:
        blocks.append(feedback_actions(question_id))
    return Message(text=fallback(text), blocks=fit(blocks))


def with_vote(blocks: Sequence[Block], note: str) -> list[Block]:
    """The same blocks with the feedback buttons replaced by a note showing the vote."""
    out = [b for b in blocks if b.get("block_id") != FEEDBACK_BLOCK_ID]
    out.append(context(note))
    return out


def error_message() -> Message:
    text = "Sorry — something went wrong while answering. The error has been logged."
    return Message(text=text, blocks=(section(f":warning: {text}"),))


# -- role summaries and comparisons ----------------------------------------------------------


_LEAD_IN = re.compile(r"^([^:\n]{2,60}):\s+(?=\S)")


def _bullet(text: str, limit: int | None = None) -> str:
    """`• *Lead-in:* rest` when the passage opens with a short label, else `• text`."""
    body = escape(text) if limit is None else escaped(text, limit)
    return "• " + _LEAD_IN.sub(lambda m: f"*{m.group(1)}:* ", body, count=1)


def _bullets(group: SummaryGroup, limit: int) -> str:
    lines = [_bullet(item.text) for item in group.items]
    if group.truncated:
        lines.append("• …")
    text = "\n".join(lines)
    if len(text) <= limit:
        return text
    per_item = max(limit // max(len(group.items), 1) - 4, 40)
    lines = [_bullet(item.text, per_item) for item in group.items]
    return "\n".join(lines)[:limit]


def share_actions(value: dict[str, str]) -> Block:
    encoded = json.dumps(value)
    elements = [button("Share in channel", SHARE_ACTION, encoded, style="primary")]
    return {"type": "actions", "block_id": "share", "elements": elements}


def summary_message(summary: RoleSummary, share: dict[str, str] | None = None) -> Message:
    blocks: list[Block] = [header(summary.role.label)]
    if not summary.groups:
        blocks.append(section("The guide has no sections about this role alone."))
    for group in summary.groups:
        body = f"*{escaped(group.heading, 200)}*\n{_bullets(group, SECTION_TEXT_LIMIT - 220)}"
        blocks.append(section(body))
        blocks.append(context(citation_line(group.citation)))
    if share:
        blocks.append(share_actions(share))
    return Message(text=fallback(f"{summary.role.label}: role summary"), blocks=fit(blocks))


def comparison_message(comparison: Comparison, share: dict[str, str] | None = None) -> Message:
    left, right = comparison.left.role, comparison.right.role
    blocks: list[Block] = [header(f"{left.key} vs {right.key}")]
    blocks.append(
        {
            "type": "section",
            "fields": [
                {"type": "mrkdwn", "text": f"*{escaped(left.label, 300)}*"},
                {"type": "mrkdwn", "text": f"*{escaped(right.label, 300)}*"},
            ],
        }
    )
    for row in comparison.rows:
        fields = [
            {
                "type": "mrkdwn",
                "text": _bullets(group, FIELD_TEXT_LIMIT - 10) if group else "_not covered_",
            }
            for group in (row.left, row.right)
        ]
        blocks.append({"type": "divider"})
        blocks.append(
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": f"*{escaped(row.heading, 200)}*"},
                "fields": fields,
            }
        )
        cites = [
            f"{escape(role.key)}: {citation_line(group.citation)}"
            for role, group in ((left, row.left), (right, row.right))
            if group
        ]
        blocks.append(context(*cites))
    for group in comparison.shared:
        blocks.append({"type": "divider"})
        body = f"*{escaped(group.heading, 200)}*\n{_bullets(group, SECTION_TEXT_LIMIT - 220)}"
        blocks.append(section(body))
        blocks.append(context(citation_line(group.citation)))
    if share:
        blocks.append(share_actions(share))
    text = fallback(f"{left.label} vs {right.label}")
    return Message(text=text, blocks=fit(blocks))


def with_share_note(message: Message, user_id: str) -> Message:
    """The message as shared for everyone: no share button, a note on who shared it."""
    blocks = [b for b in message.blocks if b.get("block_id") != "share"]
    blocks.append(context(f"Shared by <@{escape(user_id)}> via `/role`"))
    return Message(text=message.text, blocks=fit(blocks))


def notice(text: str) -> Message:
    """A short message we wrote ourselves (already valid mrkdwn)."""
    return Message(text=text, blocks=(section(text),))
