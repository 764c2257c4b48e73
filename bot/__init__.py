"""rolebot: the answer engine, its terminal CLI and its Slack app."""
