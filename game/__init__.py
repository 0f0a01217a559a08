"""Rare Earths: the game and its simulation."""

import os
import sys

from game.interrupts import end_in_a_line_if_stopped_uncaught

if os.path.basename(sys.argv[0]) in ("rare-earths", "rare-earths.exe", "rare-earths-script.py") or sys.argv[:1] == ["-m"]:
    # The `rare-earths` command, or `python -m game` (argv[0] is "-m" while Python finds the
    # module): Ctrl+C while its modules import, before game.launch can catch it, printed a
    # traceback. A researcher's own script that imports the game keeps Python's way.
    end_in_a_line_if_stopped_uncaught("rare-earths")

# pygame greets on import; in a terminal that started the game (or a headless run) it is noise.
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

from game import deferred_imports  # noqa: E402  (before anything imports Mesa)

deferred_imports.install()
