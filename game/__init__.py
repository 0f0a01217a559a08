"""Rare Earths: the game and its simulation."""

import os

# pygame greets on import; in a terminal that started the game (or a headless run) it is noise.
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

from game import deferred_imports  # noqa: E402  (before anything imports Mesa)

deferred_imports.install()
