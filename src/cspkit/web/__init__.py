"""cspkit.web."""
