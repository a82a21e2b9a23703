"""cspkit.ingest."""
