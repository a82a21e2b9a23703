"""cspkit.stats."""
