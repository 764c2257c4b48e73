"""Odd input is read, never crashed on: Slack markup in a question reads as its visible text on
every surface, and a request Slack would never send gets a 4xx JSON answer, not a 500 page."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from support.fake_engine import FakeEngine
from support.slack_api import BOT_USER_ID
from support.slack_events import channel_message, mention_event, unique
from support.slack_harness import Harness, harness, signed_headers

from bot.slack.markup import visible_text
from bot.slack.server import Runtime, create_flask_app


@pytest.mark.parametrize(
    ("typed", "visible"),
    [
        ("<@U123> <!subteam^S123> <!channel> what does a TPM do?", "what does a TPM do?"),
        ("<@U123|ann> <!subteam^S1|@leads> <!here> <!everyone> hi", "hi"),
        (
            "<https://example.com/x?a=1&amp;b=2|click here> who owns the roadmap?",
            "click here who owns the roadmap?",
        ),
        ("see <https://example.com/guide> first", "see https://example.com/guide first"),
        ("in <#C123|general>: <!date^1392734382^{date}|Feb 18> ok", "in : Feb 18 ok"),
        (
            "*who* _owns_ ~the~ `roadmap`? :thinking_face: :+1::skin-tone-2:",
            "who owns the roadmap?",
        ),
        ("```who owns\nthe roadmap```", "who owns\nthe roadmap"),
        ("&gt; what is R&amp;D &lt;for a PM&gt;?", "what is R&D <for a PM>?"),
        (
            "at 10:30:00, snake_case_name and 2 * 3 * 4",
            "at 10:30:00, snake_case_name and 2 * 3 * 4",
        ),
        ("", ""),
    ],
)
def test_slack_markup_reads_as_its_visible_text(typed: str, visible: str) -> None:
    assert visible_text(typed) == visible


@pytest.fixture
def bot(shipped_knowledge) -> Iterator[Harness]:
    with harness(FakeEngine(shipped_knowledge)) as running:
        yield running


def wait_for_questions(bot: Harness, count: int) -> list[str]:
    deadline = time.monotonic() + 5
    while len(bot.engine.questions) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    return bot.engine.questions


MARKED_UP = "<@U123> <!subteam^S123> <!channel> *what* does a TPM do? :eyes:"
PLAIN = "what does a TPM do?"


def test_every_surface_asks_the_engine_the_visible_text(bot: Harness) -> None:
    channel = unique("C")
    mention = mention_event(channel, MARKED_UP, "1700000100.000100")
    assert bot.event(mention, unique("Ev")) == 200
    bot.standin.wait_for("chat.postMessage", lambda c: c.body.get("channel") == channel)
    dm = channel_message(unique("D"), MARKED_UP, "1700000100.000200", channel_type="im")
    assert bot.event(dm, unique("Ev")) == 200
    follow_up = channel_message(
        channel, MARKED_UP, "1700000100.000300", thread_ts="1700000100.000100"
    )
    assert bot.event(follow_up, unique("Ev")) == 200
    assert bot.command(MARKED_UP, unique("cmd")) == 200
    assert wait_for_questions(bot, 4) == [PLAIN] * 4


def test_role_compare_naming_no_role_says_which_roles_it_can_compare(bot: Harness) -> None:
    name = unique("cmd")
    assert bot.command("compare <@U123> <!channel>", name) == 200
    (reply,) = bot.standin.wait_for("response", lambda c: c.path.endswith(name))
    assert "I can compare these roles" in reply.body["text"]
    assert "*PM*" in reply.body["text"] and "*TPM*" in reply.body["text"]
    assert bot.engine.questions == []


# -- the HTTP endpoint -------------------------------------------------------------------


@pytest.fixture
def http(bot: Harness):
    runtime = Runtime()
    runtime.set_app(bot.app)
    from support.slack_harness import SECRET

    return create_flask_app(runtime, SECRET).test_client()


JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
MALFORMED = [
    ("not json at all", JSON),
    ("{not json", JSON),
    ("[1, 2]", JSON),
    ("null", JSON),
    ('"a string"', JSON),
    ('{"type": "event_callback", "event": "not an object", "event_id": "Ev1"}', JSON),
    ('{"type": "block_actions", "actions": "x"}', JSON),
    ('{"type": "block_actions", "actions": [1, 2]}', JSON),
    ('{"type": "block_actions", "actions": [{}]}', JSON),
    ('{"type": "view_submission", "view": "x"}', JSON),
    ('{"type": "message_action", "message": 5}', JSON),
    ('{"type": "event_callback", "authorizations": "x", "event": {"type": "app_mention"}}', JSON),
    (
        urlencode({"payload": json.dumps({"type": "block_actions", "user": "x", "actions": []})}),
        FORM,
    ),
    (urlencode({"payload": "not json"}), FORM),
    (urlencode({"payload": "[1]"}), FORM),
    (urlencode({"payload": "null"}), FORM),
]


@pytest.mark.parametrize(("body", "content_type"), MALFORMED)
def test_a_signed_malformed_body_gets_a_4xx_json_error_and_one_log_line(
    http, body: str, content_type: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        response = http.post(
            "/slack/events", data=body, content_type=content_type, headers=signed_headers(body)
        )
    assert 400 <= response.status_code < 500
    assert response.is_json and response.get_json()["ok"] is False
    logged = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(logged) == 1, [r.getMessage() for r in logged]


@pytest.mark.parametrize(("body", "content_type"), [*MALFORMED, ('{"type": "x"}', JSON)])
def test_an_unsigned_request_gets_401_before_its_body_is_parsed(
    http, body: str, content_type: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.slack import server

    def must_not_parse(*_args: object) -> None:
        raise AssertionError("the body of an unsigned request was parsed")

    monkeypatch.setattr(server, "body_problem", must_not_parse)
    headers = signed_headers(body)
    headers["X-Slack-Signature"] = "v0=" + "0" * 64
    response = http.post("/slack/events", data=body, content_type=content_type, headers=headers)
    assert response.status_code == 401 and response.is_json
    stale = signed_headers(body)
    stale["X-Slack-Request-Timestamp"] = str(int(time.time()) - 600)
    response = http.post("/slack/events", data=body, content_type=content_type, headers=stale)
    assert response.status_code == 401


def test_unknown_paths_and_methods_answer_json(http) -> None:
    for response in (http.get("/nowhere"), http.get("/slack/events"), http.put("/healthz")):
        assert 400 <= response.status_code < 500 and response.is_json


def test_a_well_formed_signed_event_still_reaches_the_bot(bot: Harness, http) -> None:
    channel = unique("C")
    envelope = {
        "type": "event_callback",
        "team_id": "T0000001",
        "event_id": unique("Ev"),
        "event": mention_event(channel, "what does a TPM do?"),
        "authorizations": [{"team_id": "T0000001", "user_id": BOT_USER_ID, "is_bot": True}],
    }
    body = json.dumps(envelope)
    response = http.post(
        "/slack/events", data=body, content_type=JSON, headers=signed_headers(body)
    )
    assert response.status_code == 200
    bot.standin.wait_for("chat.postMessage", lambda c: c.body.get("channel") == channel)


@pytest.mark.slow
def test_rolebot_serve_refuses_malformed_requests_with_json_never_a_5xx(http_bot) -> None:
    for body, content_type in MALFORMED:
        status, text = http_bot.post(body, content_type)
        assert 400 <= status < 500 and json.loads(text)["ok"] is False, (body, status)
        status, text = http_bot.post(body, content_type, signature="v0=" + "0" * 64)
        assert status == 401 and json.loads(text)["ok"] is False, (body, status)
    assert "Traceback" not in http_bot.bot.log()
