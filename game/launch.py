"""The ``rare-earths`` command's first step: a stop at any moment ends it with one line.

The command's own module (``game.cli``) imports the game's floors, NumPy and Mesa before its
``main`` can catch anything; a Ctrl+C in that second printed a traceback, and a kill or a closed
terminal ended the process without a word. This module imports nothing of the game's but the
signals' handling (standard library only); a Ctrl+C while it and the game package themselves
import is ended in a line by the hook the package's first lines set for this command
(``game.interrupts.end_in_a_line_if_stopped_uncaught``), so the only moment left uncovered is
Python's own start-up (its site module) and the reading of the package's first file. Its handlers stay in place until the command returns: a second stop that comes while
the command winds up after a first (its own handlers put back) is said in a line too, where the
signal's default would have ended the process there without one.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from game.interrupts import CTRL_C_STATUS, how_stopped, stop_signals_raised

#: What a command stopped by Ctrl+C exits with, as game.cli.EXIT_INTERRUPTED (which this module
#: cannot import before its catch is in place; tests/test_cli_inputs.py checks they agree).
EXIT_INTERRUPTED = CTRL_C_STATUS


def main(argv: Sequence[str] | None = None) -> int:
    try:
        with stop_signals_raised():
            from game.cli import main as command

            return command(argv)
    except KeyboardInterrupt as interrupt:  # the command catches its own while it runs
        how, status = how_stopped(interrupt)
        try:
            print(f"rare-earths: stopped ({how})", file=sys.stderr)
        except OSError:  # no terminal left to say it on (a closed one)
            pass
        return status
