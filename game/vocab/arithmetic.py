"""Adding numbers up the same way on every Python the game supports.

A world's history is defined by plain left-to-right addition, each step rounded, which is what
``sum()`` did up to Python 3.11. From 3.12 ``sum()`` of floats is compensated (closer to the
exact total, different in the last bits), and those bits grow into another history over a run.
The simulation adds with ``added_up`` so a level, seed and actions give the same history on
3.11, 3.12 and later alike. (``game.vocab.portable_math`` does the same for the processor.)
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from functools import reduce
from operator import add

__all__ = ["added_up"]


def _added_up(values: Iterable, start=0):
    """``sum(values, start)`` as Python 3.11 adds: left to right, each addition rounded."""
    return reduce(add, values, start)


if sys.version_info < (3, 12):
    added_up = sum  # the same arithmetic, in C
else:
    added_up = _added_up
