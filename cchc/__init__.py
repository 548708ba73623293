"""The `cchc` command: the entry point above the rooms (ingest ← index ← assistant ← bots), so
that none of them imports another one above it."""
