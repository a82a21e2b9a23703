"""cspkit.report."""
