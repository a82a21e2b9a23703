"""``python -m cspkit`` runs the command line."""

from cspkit.cli import main

# Guarded so that worker processes, which import this module under another name, do not run
# the command line again.
if __name__ == "__main__":
    main()
