"""mrkdwn helpers: escaping, links, quoting and splitting text to fit Block Kit limits."""

from __future__ import annotations

import re

SECTION_TEXT_LIMIT = 3000
FIELD_TEXT_LIMIT = 2000
HEADER_LIMIT = 150
BUTTON_TEXT_LIMIT = 75
CONTEXT_TEXT_LIMIT = 2000
FALLBACK_TEXT_LIMIT = 3000

_SAFE_URL = re.compile(r"^https?://[^\s<>|]+$")


def escape(text: str) -> str:
    """Escape &, < and > (in that order) so `<!channel>` and friends can never ping anyone."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def truncate(text: str, limit: int) -> str:
    """Shorten plain text to `limit` characters, ending with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 0)]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"


def escaped(text: str, limit: int) -> str:
    """Escape text and keep the result within `limit` characters (never cutting an entity)."""
    out = escape(text)
    if len(out) <= limit:
        return out
    budget = limit
    while budget > 0:
        out = escape(truncate(text, budget))
        if len(out) <= limit:
            return out
        budget -= max(len(out) - limit, 1)
    return ""


def plain(text: str, limit: int) -> str:
    """Text for plain_text objects (headers, buttons): escaped, within `limit`."""
    return escaped(" ".join(text.split()), limit)


def link(url: str | None, label: str) -> str:
    """`<url|label>` for http(s) URLs, else just the escaped label."""
    text = escape(label).replace("|", "¦")
    if url and _SAFE_URL.match(url):
        return f"<{url.replace('&', '&amp;')}|{text}>"
    return escape(label)


def split_text(text: str, limit: int) -> list[str]:
    """Split raw text into chunks whose *escaped* form fits `limit`, at whitespace if possible."""
    chunks: list[str] = []
    rest = text.strip()
    while rest:
        if len(escape(rest)) <= limit:
            chunks.append(rest)
            break
        end = _fit(rest, limit)
        cut = rest.rfind(" ", 0, end + 1)
        if cut <= end // 2:
            cut = end
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return chunks


def _fit(text: str, limit: int) -> int:
    """The longest prefix length of `text` whose escaped form fits `limit`."""
    size = 0
    for index, char in enumerate(text):
        size += len(escape(char))
        if size > limit:
            return max(index, 1)
    return len(text)


def blockquote(escaped_text: str) -> str:
    """Prefix every line of already-escaped mrkdwn with `>`."""
    return "\n".join(f">{line}" if line else ">" for line in escaped_text.split("\n"))
