"""The Slack app: listeners adapt Slack (HTTP or Socket Mode) to the answer engine."""
