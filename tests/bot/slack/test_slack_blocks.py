"""Block builders: escaping, Block Kit limits, splitting long passages."""

from __future__ import annotations

import json

from support.fake_engine import answered, citation

from bot.slack.blocks import (
    MAX_BLOCKS,
    answer_message,
    comparison_message,
    fit,
    section,
    summary_message,
    with_share_note,
    with_vote,
)
from bot.slack.onboarding import home_view, usage_message, welcome_message
from bot.slack.text import escape, escaped, link, split_text
from bot.summaries import compare_roles, summarize_role
from bot.types import Answer, Match, Outcome


def all_text(blocks) -> str:
    return json.dumps(list(blocks), ensure_ascii=False)


def check_limits(blocks, max_blocks: int = MAX_BLOCKS) -> None:
    assert len(blocks) <= max_blocks
    for block in blocks:
        if block["type"] == "section":
            if "text" in block:
                assert len(block["text"]["text"]) <= 3000
            for field in block.get("fields", []):
                assert len(field["text"]) <= 2000
            assert len(block.get("fields", [])) <= 10
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= 150
        if block["type"] == "context":
            assert 1 <= len(block["elements"]) <= 10
        if block["type"] == "actions":
            for element in block["elements"]:
                assert len(element["text"]["text"]) <= 75
                assert len(element["value"]) <= 2000


def test_escape_order() -> None:
    assert escape("<!channel> & <@U1>") == "&lt;!channel&gt; &amp; &lt;@U1&gt;"
    assert escape("&lt;") == "&amp;lt;"


def test_escaped_never_cuts_an_entity() -> None:
    text = "a" * 10 + "&" * 20
    out = escaped(text, 25)
    assert len(out) <= 25 and not out.rstrip("…").endswith("&am")


def test_link_only_for_http_urls() -> None:
    assert link("https://example.com/a?b=1&c=2", "Guide <x>") == (
        "<https://example.com/a?b=1&amp;c=2|Guide &lt;x&gt;>"
    )
    assert link("javascript:alert(1)", "Guide") == "Guide"
    assert link(None, "<!here>") == "&lt;!here&gt;"


def test_split_text_fits_and_loses_nothing() -> None:
    text = " ".join(f"word{i} & <b>" for i in range(2000))
    chunks = split_text(text, 2800)
    assert len(chunks) > 1
    assert all(len(escape(c)) <= 2800 for c in chunks)
    assert " ".join(chunks).split() == text.split()


def test_answer_quotes_passage_with_citation_and_feedback() -> None:
    message = answer_message(answered(), "q123")
    blocks = message.blocks
    assert blocks[0]["text"]["text"].startswith(">")
    assert "📖 Role guide › Technical Product Manager (TPM) › Focus" in all_text(blocks)
    actions = blocks[-1]
    assert actions["type"] == "actions"
    values = [json.loads(e["value"]) for e in actions["elements"]]
    assert values == [{"q": "q123", "v": "up"}, {"q": "q123", "v": "down"}]
    check_limits(blocks)


def test_answer_escapes_document_and_links_source() -> None:
    match = Match(
        text="Ping <!channel> & <@U123>",
        citation=citation("Doc <!here>", "Sec & co", url="https://example.com/guide"),
        score=0.9,
        role_label="<!everyone> Role",
    )
    answer = Answer(question="q", outcome=Outcome.ANSWERED, matches=(match,))
    message = answer_message(answer, "q1")
    raw = all_text(message.blocks) + message.text
    assert "<!channel>" not in raw and "<!here>" not in raw and "<!everyone>" not in raw
    assert "&lt;!channel&gt; &amp; &lt;@U123&gt;" in raw
    assert "*&lt;!everyone&gt; Role* — " in raw
    assert "<https://example.com/guide|Doc &lt;!here&gt;>" in raw


def test_two_matches_each_with_its_citation_and_role_label() -> None:
    tpm = answered(role_label="Technical Product Manager (TPM)").matches[0]
    pm = Match(
        text="A PM sets the roadmap.",
        citation=citation("Role guide", "Product Manager (PM)", "Role", roles=("PM",)),
        score=0.7,
        role_label="Product Manager (PM)",
    )
    answer = Answer(question="q", outcome=Outcome.ANSWERED, matches=(pm, tpm))
    blocks = answer_message(answer, "q").blocks
    text = all_text(blocks)
    assert "*Product Manager (PM)* — A PM sets the roadmap." in text
    assert "*Technical Product Manager (TPM)* — A TPM" in text
    assert "2 passages, side by side:" in text
    assert sum(1 for b in blocks if b["type"] == "context") == 2


def test_long_passage_is_split_and_message_stays_within_limits() -> None:
    long_text = ("A sentence about the role & its <duties>. " * 400).strip()
    blocks = answer_message(answered(long_text), "q").blocks
    quotes = [b for b in blocks if b["type"] == "section"]
    assert len(quotes) >= 5
    check_limits(blocks)
    huge = answer_message(answered("word " * 100_000), "q").blocks
    assert len(huge) == MAX_BLOCKS and huge[-1]["type"] == "actions"
    check_limits(huge)


def test_not_covered_lists_up_to_three_sections() -> None:
    alts = tuple(
        Match(text="t", citation=citation("Guide", f"Section {i}"), score=0.1) for i in range(5)
    )
    answer = Answer(
        question="q", outcome=Outcome.NOT_COVERED, alternatives=alts, message="Not covered."
    )
    text = all_text(answer_message(answer, "q").blocks)
    assert "Not covered." in text and "Section 2" in text and "Section 3" not in text


def test_invalid_shows_the_message_without_feedback() -> None:
    answer = Answer(question="", outcome=Outcome.INVALID, message="Ask <me> something")
    blocks = answer_message(answer, "q").blocks
    assert len(blocks) == 1 and "Ask &lt;me&gt; something" in blocks[0]["text"]["text"]


def test_vote_replaces_buttons() -> None:
    blocks = answer_message(answered(), "q").blocks
    voted = with_vote(blocks, "Thanks — you voted 👍")
    assert all(b.get("block_id") != "feedback" for b in voted)
    assert voted[-1]["elements"][0]["text"] == "Thanks — you voted 👍"


def test_fit_keeps_trailing_actions() -> None:
    blocks = [section(str(i)) for i in range(80)] + [{"type": "actions", "elements": []}]
    out = fit(blocks)
    assert len(out) == 50 and out[-1]["type"] == "actions" and out[-2]["type"] == "context"


def test_summary_and_comparison_from_the_shipped_guide(shipped_knowledge) -> None:
    summary = summarize_role(shipped_knowledge, "tpm")
    message = summary_message(summary, {"k": "role", "a": "TPM"})
    text = all_text(message.blocks)
    assert message.blocks[0]["type"] == "header"
    assert "Technical Product Manager (TPM)" in message.blocks[0]["text"]["text"]
    for heading in ("*Focus*", "*Responsibilities*", "*Skills*"):
        assert heading in text
    assert "share_in_channel" in text
    check_limits(message.blocks)
    shared = with_share_note(message, "U42")
    assert "share_in_channel" not in all_text(shared.blocks) and "<@U42>" in all_text(shared.blocks)
    comparison = compare_roles(shipped_knowledge, "pm", "tpm")
    blocks = comparison_message(comparison).blocks
    check_limits(blocks)
    rows = [b for b in blocks if b["type"] == "section" and "fields" in b]
    assert any(len(b["fields"]) == 2 for b in rows)
    assert "How the roles differ" in all_text(blocks)


def test_onboarding_is_built_from_the_knowledge(shipped_knowledge) -> None:
    view = home_view(shipped_knowledge)
    assert view["type"] == "home" and len(view["blocks"]) <= 100
    text = all_text(view["blocks"])
    assert "Product Manager (PM)" in text and "Technical Product Manager (TPM)" in text
    assert "Skills of a TPM?" in text or "Focus of a TPM?" in text
    assert "home_compare" in text
    assert "/role pm" in all_text(usage_message(shipped_knowledge).blocks)
    welcome = welcome_message(shipped_knowledge, "UBOT")
    assert "<@UBOT>" in all_text(welcome.blocks)
    selected = summary_message(summarize_role(shipped_knowledge, "pm"))
    check_limits(home_view(shipped_knowledge, selected)["blocks"], 100)
