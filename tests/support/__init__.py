"""Helpers shared by test modules (importable as `support.…`: tests/ is on sys.path)."""
