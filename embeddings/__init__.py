"""Sentence embeddings, the on-disk vector index and retrieval scoring. Never imports Slack."""
