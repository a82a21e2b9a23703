"""cspkit.reference."""
