"""cspkit.assessment."""
