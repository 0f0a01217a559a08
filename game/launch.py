"""The ``rare-earths`` command's first step: a Ctrl+C at any moment stops it with one line.

The command's own module (``game.cli``) imports the game's floors, NumPy and Mesa before its
``main`` can catch anything; a Ctrl+C in that second printed a traceback. This module imports
nothing of the game's, so the only moment left uncovered is Python's own start-up.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

#: What a command stopped by Ctrl+C exits with: game.cli.EXIT_INTERRUPTED, which this module
#: cannot import before its catch is in place (tests/test_cli_inputs.py checks they agree).
EXIT_INTERRUPTED = 130


def main(argv: Sequence[str] | None = None) -> int:
    try:
        from game.cli import main as command

        return command(argv)
    except KeyboardInterrupt:  # only while the command's modules load: the command catches its own
        print("rare-earths: stopped (Ctrl+C)", file=sys.stderr)
        return EXIT_INTERRUPTED
