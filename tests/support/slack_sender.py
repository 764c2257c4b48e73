"""HTTP requests to a running bot: signed ones to /slack/events, as Slack sends them, and plain
GETs that do not follow redirects."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from support.slack_api import SlackStandIn
from support.slack_events import command_form, event_envelope, unique

if TYPE_CHECKING:
    from support.serve_process import BotProcess

SIGNING_SECRET = "test-signing-secret"


@dataclass
class SlackSender:
    """Sends signed requests to the bot's HTTP endpoint, as Slack does. `bot` is the process
    behind `base_url` and `data_dir` its ROLEBOT_DATA_DIR, where the starter knows them."""

    base_url: str
    standin: SlackStandIn
    secret: str = SIGNING_SECRET
    bot: BotProcess | None = None
    data_dir: Path | None = None

    def post(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, str]:
        from slack_sdk.signature import SignatureVerifier

        ts = str(timestamp if timestamp is not None else int(time.time()))
        sig = signature or SignatureVerifier(self.secret).generate_signature(
            timestamp=ts, body=body
        )
        request = urllib.request.Request(
            f"{self.base_url}/slack/events",
            data=body.encode(),
            method="POST",
            headers={
                "Content-Type": content_type,
                "X-Slack-Request-Timestamp": ts,
                "X-Slack-Signature": sig,
                **(headers or {}),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def event(
        self, event: dict[str, Any], *, event_id: str | None = None, retry: int | None = None
    ) -> tuple[int, str]:
        envelope = event_envelope(event, event_id or unique("Ev"))
        headers = (
            {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "timeout"} if retry else {}
        )
        return self.post(json.dumps(envelope), "application/json", headers=headers)

    def command(
        self, text: str, *, channel: str | None = None, user: str = "UASKER1"
    ) -> tuple[int, str, str]:
        """Returns (status, body, response name): the response_url ends with that name."""
        name = unique("cmd")
        form = command_form(text, user, self.standin.response_url(name), channel=channel)
        status, body = self.post(form, "application/x-www-form-urlencoded")
        return status, body, name

    def action(self, payload: dict[str, Any]) -> tuple[int, str]:
        body = urlencode({"payload": json.dumps(payload)})
        return self.post(body, "application/x-www-form-urlencoded")


def http_get(url: str, headers: dict[str, str] | None = None) -> tuple[int, str, Any]:
    """(status, body, headers) of a GET that does not follow redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.read().decode(), response.headers
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(), exc.headers
