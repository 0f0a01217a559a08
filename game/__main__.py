"""``python -m game``: the ``rare-earths`` command; with no arguments, it opens the game window."""

import sys

from game.launch import main

sys.exit(main(sys.argv[1:] or ["play"]))
