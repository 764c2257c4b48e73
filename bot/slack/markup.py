"""Slack markup in a question, read as the text a person sees.

Slack sends message text with its markup: `<@U123>` and `<@U123|name>` for people,
`<!subteam^S123>` for groups, `<!channel>` / `<!here>` / `<!everyone>`, `<#C123|general>` for
channels, `<https://…|label>` for links, `<!date^…|fallback>`, `:emoji:` codes, `*bold*`,
`_italic_`, `~strike~`, `` `code` ``, `>` quotes, and `&amp;` `&lt;` `&gt;` for the three
characters it escapes. `visible_text` is the one reading of that markup used by every surface
(mentions, DMs, thread follow-ups, edits, `/role`), so a question asks the same whatever way
it was typed.

Mentions of people, groups and channels, and broadcasts, are dropped: they address the
message, they do not ask anything, and dropping them means a question can never carry a live
ping back into an answer. A link reads as its label, or as its address when it has none; a
date as its fallback text. Emoji codes are dropped.
"""

from __future__ import annotations

import re

# <…> entities; the label (after "|") is optional
_ENTITY = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")
_EMOJI = re.compile(r"(?<![\w:]):[a-z0-9_+'-]+:(?::skin-tone-\d:)?(?![\w:])", re.IGNORECASE)
_CODE_BLOCK = re.compile(r"```(.*?)```", re.DOTALL)
_FORMATTING = re.compile(r"(?<![\w*_~`])([*_~`])(?=\S)(.+?)(?<=\S)\1(?![\w*_~`])", re.DOTALL)
_QUOTE = re.compile(r"^\s*(?:&gt;|>)+ ?", re.MULTILINE)
_SPACES = re.compile(r"[ \t\u00a0]+")


def _entity(match: re.Match[str]) -> str:
    target, label = match.group(1), match.group(2)
    if target.startswith(("@", "#")):  # a person or a channel
        return " "
    if target.startswith("!"):  # broadcasts, groups; a date shows its fallback text
        return f" {label} " if target.startswith("!date^") and label else " "
    return f" {label or target} "  # a link: its label, else its address


def visible_text(text: str | None) -> str:
    """`text` as Slack shows it, minus mentions and emoji, whitespace collapsed per line."""
    if not text:
        return ""
    out = _QUOTE.sub("", text)
    out = _ENTITY.sub(_entity, out)
    out = _EMOJI.sub(" ", out)
    out = _CODE_BLOCK.sub(r"\1", out)
    previous = None
    while previous != out:  # nested: *_bold italic_*
        previous, out = out, _FORMATTING.sub(r"\2", out)
    out = out.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    lines = (_SPACES.sub(" ", line).strip() for line in out.splitlines())
    return "\n".join(line for line in lines if line)
