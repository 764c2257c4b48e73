"""All listeners, grouped by surface, plus the middleware every event goes through."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltResponse

from bot.slack.listeners import actions, commands, events, views
from bot.slack.services import Services

log = logging.getLogger(__name__)


def deduplicate(services: Services) -> Callable[..., BoltResponse | None]:
    """Middleware (installed before authorization, see bot/slack/app.py): an event whose
    `event_id` was already seen (a Slack retry, possibly handed to another replica) is acked
    and dropped on arrival, so a retry never produces a second answer."""

    def middleware(body: dict[str, Any], next_: Callable[[], None]) -> BoltResponse | None:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not services.deduplicator.first_time(str(event_id)):
            log.info("dropping a repeated event %s (Slack retry)", event_id)
            return BoltResponse(status=200, body="")
        next_()
        return None

    return middleware


def register_listeners(app: App, services: Services) -> None:
    events.register(app, services)
    commands.register(app, services)
    actions.register(app, services)
    views.register(app, services)

    @app.error
    def on_error(error: Exception, body: dict[str, Any]) -> None:
        log.error(
            "unhandled error in a listener (type=%s): %s",
            body.get("type") if isinstance(body, dict) else None,
            error,
            exc_info=error,
        )
