"""Socket Mode: Slack pushes events over a websocket (slack_sdk's built-in client), so the
bot needs no public URL. `apps.connections.open` goes to SLACK_API_URL like every call."""

from __future__ import annotations

import logging

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler

log = logging.getLogger(__name__)


def socket_handler(app: App, app_token: str) -> SocketModeHandler:
    return SocketModeHandler(app, app_token)


def serve_socket(app: App, app_token: str) -> None:
    """Connect and handle events until stopped."""
    handler = socket_handler(app, app_token)
    log.info("rolebot is ready: Socket Mode")
    handler.start()
