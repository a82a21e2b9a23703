"""``python -m cspkit`` runs the command line."""

from cspkit.cli import main

main()
