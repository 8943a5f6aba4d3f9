"""`python -m qa ...` is the `qa` command."""
import sys

from .cli import main

if __name__ == "__main__":   # guarded: pytest --doctest-modules imports this file
    sys.exit(main())
