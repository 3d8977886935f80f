"""``python -m autograd draw "(x + y) * z" x=-2 y=5 z=-4 -o f.svg`` (see :mod:`autograd.cli`)."""
import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
