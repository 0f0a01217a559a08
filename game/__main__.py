"""``python -m game``: the same as the ``rare-earths`` command."""

import sys

from game.cli import main

sys.exit(main())
