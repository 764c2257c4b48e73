"""Moved to tests/support/slack_api.py. This alias stays for benchmarks/ (serve_load.py,
slack_requests.py, runtime.py), which import `tests.bot.slack.slack_standin`; tests import
`support.slack_api`."""

from tests.support.slack_api import BOT_ID, BOT_USER_ID, TEAM_ID, Call, SlackStandIn

__all__ = ["BOT_ID", "BOT_USER_ID", "TEAM_ID", "Call", "SlackStandIn"]
