"""cspkit.warehouse."""
