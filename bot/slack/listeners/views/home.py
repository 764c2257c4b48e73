"""The App Home view: publish it, and show a role summary or the comparison when a button
on it is clicked."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.slack.blocks import Message, comparison_message, notice, summary_message
from bot.slack.onboarding import HOME_COMPARE_ACTION, HOME_ROLE_ACTION, home_view
from bot.slack.services import Services
from bot.summaries import compare_roles, summarize_role

log = logging.getLogger(__name__)


def publish_home(
    services: Services, client: WebClient, user_id: str, selected: Message | None = None
) -> None:
    try:
        client.views_publish(user_id=user_id, view=home_view(services.knowledge, selected))
    except Exception:
        log.exception("views.publish failed user=%s", user_id)


def register(app: App, services: Services) -> None:
    def on_role(ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        summary = summarize_role(services.knowledge, action.get("value", ""))
        selected = summary_message(summary) if summary else notice("That role is not in the guide.")
        publish_home(services, client, body["user"]["id"], selected)

    def on_compare(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        first, _, second = action.get("value", "").partition(" ")
        comparison = compare_roles(services.knowledge, first, second)
        selected = comparison_message(comparison) if comparison else notice("Nothing to compare.")
        publish_home(services, client, body["user"]["id"], selected)

    app.action(re.compile(rf"^{HOME_ROLE_ACTION}_\d+$"))(on_role)
    app.action(HOME_COMPARE_ACTION)(on_compare)
