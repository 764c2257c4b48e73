"""Markdown source clean-up and inline text, kept apart from the block walker in markdown.py.

Site generators add syntax of their own to Markdown; none of it is text a reader sees:
Hugo shortcodes (`{{< card ... >}}`), Jekyll's Liquid tags (`{% include toc.html %}`,
`{{ page.title }}`), kramdown attribute lists (`{:target="_blank"}`), MDX's module lines
(`import Tabs from '@theme/Tabs'`, `export const meta = {...}`) and comments (`{/* ... */}`),
and the markers of admonitions: MkDocs' (`!!! tip "Title"` above an indented body) and
Docusaurus' or Pandoc's fenced ones (`:::tip[Title]` ... `:::`). Heading ids (`{#id}`),
table-of-contents markers (`[TOC]`, `[[_TOC_]]`), footnote markers (`[^1]`), GitHub alert
markers (`[!NOTE]`) and emoji shortcodes (`:rocket:`) go too; a footnote's text stays. The
components of MDX (`<Callout>`, `<Tabs>`) are read as the HTML they look like: their text
stays.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it.token import Token

# {{< shortcode ... >}} and {{% shortcode ... %}} (Hugo); the text between a pair stays.
_SHORTCODE = re.compile(r"\{\{[<%].*?[%>]\}\}", re.DOTALL)
# {% tag %} and {{ variable }} (Liquid, Jekyll's templates): a value we cannot render.
_LIQUID = re.compile(r"\{%.*?%\}|\{\{(?![<%]).*?\}\}", re.DOTALL)
# {/* comment */} (MDX).
_MDX_COMMENT = re.compile(r"\{/\*.*?\*/\}", re.DOTALL)
# import ... from '...' / import '...' / export const|default|function ... (MDX module lines).
_MODULE_LINE = re.compile(
    r"^(?:import\s+(?:[\w*{}\s,]+?\s+from\s+)?['\"][^'\"]+['\"];?"
    r"|export\s+(?:const|let|var|default|function|async|class)\b.*)\s*$"
)
# :::tip / :::note[Title] / ::: warning Title / ::: {.note} / ::: (fenced admonitions, divs).
_FENCED_DIV = re.compile(
    r"^\s*:{3,}\s*(?:\{[^}]*\}|[\w-]+)?(?:\[(?P<bracket>[^\]]*)\]|\s+(?P<title>.+?))?\s*$"
)
# {: .class #id key="value"} (kramdown inline attribute list).
_ATTRIBUTE_LIST = re.compile(r"\{:[^}\n]*\}")
# ": meaning" under a term (definition lists of Pandoc, PHP Markdown Extra and MkDocs).
_DEFINITION = re.compile(r"^:[ \t]+(?P<text>\S.*)$")
# !!! type "Title" / ??? type "Title" (MkDocs admonitions, collapsible ones too).
_ADMONITION = re.compile(
    r'^(?P<indent>[ \t]*)(?:!!!|\?\?\?\+?)\s*[\w-]+(?:\s+"(?P<title>[^"]*)")?\s*$'
)
_ADMONITION_INDENT = 4
# "## Title {#custom-id}" / "{#id .class}" (kramdown, Pandoc, Hugo heading ids).
_HEADING_ID = re.compile(r"[ \t]*\{#[\w:.-]+(?:[ \t]+[.#]?[\w:.=\"'-]+)*\}[ \t]*$", re.MULTILINE)
# A table-of-contents marker on a line of its own: "[TOC]", "[[_TOC_]]" (GitLab), "[[toc]]",
# and kramdown's "* TOC" (above a "{:toc}" attribute list).
_TOC_MARKER = re.compile(
    r"^[ \t]*(?:\[\[?_?toc_?\]\]?|[*-][ \t]+toc)[ \t]*$", re.IGNORECASE | re.MULTILINE
)
# "[^1]: text" opening a footnote's definition: the marker goes, the text stays.
_FOOTNOTE_DEFINITION = re.compile(r"^\[\^[^\]\s]+\]:[ \t]*", re.MULTILINE)
# In text: footnote references ("[^1]"), GitHub alert markers ("> [!NOTE]") and emoji
# shortcodes (":rocket:", ":white_check_mark:").
_INLINE_MARKUP = re.compile(
    r"\[\^[^\]\s]+\]|\[!(?:NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]|(?<![\w:]):[a-z0-9_+-]+:(?![\w:])"
)
# "[ ] task" / "[x] done" at the start of a list item (GitHub task lists).
_CHECKBOX = re.compile(r"^\[[ xX]\]\s+")
# Inline HTML that ends a line of a table cell: <br>, and the tags of blocks written inside
# one ("<ul><li>Pairs regularly</li><li>Rotates work</li></ul>").
_BREAK_TAG = re.compile(
    r"^</?(?:br|li|ul|ol|p|div|dl|dt|dd|tr|hr|h[1-6]|blockquote)\b[^>]*>$", re.IGNORECASE
)
_LINK_OPEN_TAG = re.compile(r"^<a\b", re.IGNORECASE)
_LINK_CLOSE_TAG = re.compile(r"^</a\s*>$", re.IGNORECASE)


def clean_source(body: str) -> str:
    """Remove shortcodes, templates, module lines, comments and attribute lists; turn
    admonitions into plain paragraphs, and a definition list's term and meaning into one line
    ("Buoy: our design system").

    An admonition's title becomes a line of its own before its body, which is dedented so
    that it is read as ordinary Markdown (left indented after a blank line it would be a code
    block); the title then leads the body's first paragraph ("Design reviews: Every …").
    """
    body = _SHORTCODE.sub("", _ATTRIBUTE_LIST.sub("", _HEADING_ID.sub("", body)))
    body = _LIQUID.sub("", _MDX_COMMENT.sub("", body))
    body = _FOOTNOTE_DEFINITION.sub("", _TOC_MARKER.sub("", body))
    lines = body.split("\n")
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if _MODULE_LINE.match(line):
            depth = line.count("{") - line.count("}")
            while depth > 0 and index < len(lines):  # export const meta = { ... } over lines
                depth += lines[index].count("{") - lines[index].count("}")
                index += 1
            continue
        fenced = _FENCED_DIV.match(line)
        if fenced:
            title = fenced["bracket"] or fenced["title"]
            if title:
                out.extend([title, ""])
            continue
        definition = _DEFINITION.match(line)
        if definition and any(o.strip() for o in out[-2:]):
            while not out[-1].strip():  # "Term", a blank line, ": meaning"
                out.pop()
            out[-1] = f"{out[-1].rstrip()}: {definition['text']}"
            continue
        match = _ADMONITION.match(line)
        if not match:
            out.append(line)
            continue
        indent = len(match["indent"].expandtabs())
        out.extend([match["indent"] + (match["title"] or ""), ""])  # the title, a line alone
        while index < len(lines):
            line = lines[index]
            width = len(line) - len(line.lstrip())
            if line.strip() and width < indent + _ADMONITION_INDENT:
                break
            out.append(line[:indent] + line[indent + _ADMONITION_INDENT :] if line.strip() else "")
            index += 1
    return "\n".join(out)


@dataclass(frozen=True)
class InlineText:
    """The visible text of an inline token, the part of it inside links, and its lines."""

    text: str
    link_text: str
    lines: tuple[str, ...]  # text cut at <br>, for table cells


def inline_text(token: Token) -> InlineText:
    """Plain text of an inline token: emphasis markers, images and HTML tags removed.

    Link text stays (as plain text) and is also collected apart, so that link-only lines
    can be recognised (Markdown links and inline `<a>` tags); line breaks, `<br>` and the
    tags of inline-written blocks (`<li>`, `<p>`) read as spaces, the HTML ones also cutting
    `lines`.
    """
    lines: list[list[str]] = [[]]
    links: list[str] = []
    depth = 0
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            content = child.content
            lines[-1].append(_INLINE_MARKUP.sub("", content) if child.type == "text" else content)
            if depth:
                links.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            lines[-1].append(" ")
        elif child.type == "html_inline" and _BREAK_TAG.match(child.content.strip()):
            lines[-1].append(" ")
            lines.append([])
        elif child.type == "link_open" or (
            child.type == "html_inline" and _LINK_OPEN_TAG.match(child.content)
        ):
            depth += 1
        elif child.type == "link_close" or (
            child.type == "html_inline" and _LINK_CLOSE_TAG.match(child.content.strip())
        ):
            depth = max(0, depth - 1)
    texts = tuple(" ".join("".join(line).split()) for line in lines)
    return InlineText(
        text=" ".join(t for t in texts if t),
        link_text=" ".join(" ".join(links).split()),
        lines=tuple(t for t in texts if t),
    )


def strip_checkbox(text: str) -> str:
    """A task-list item's text without its "[ ]" or "[x]" box."""
    return _CHECKBOX.sub("", text, count=1)
