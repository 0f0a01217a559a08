"""A project's own random stream: NumPy's PCG64 kept as two plain integers.

A world of 10,000 firms plans about 3,000 expansions in its first quarter, and each held a
NumPy generator of its own: four objects the garbage collector tracks (Generator, its PCG64, its
SeedSequence, its lock), enough to set off a full collection of the whole world (about 60 ms)
a turn or two later. A stream here is one tracked object and draws the same numbers.
"""

from __future__ import annotations

import numpy as np

#: PCG64's 128-bit multiplier (O'Neill's PCG_DEFAULT_MULTIPLIER_128, as NumPy's pcg64.h has it).
_MULTIPLIER = (2549297995355413924 << 64) + 4865540595714422341
_MASK_128 = (1 << 128) - 1
_MASK_64 = (1 << 64) - 1
#: The 53 bits of a double in [0, 1), as NumPy's next_double takes them from a 64-bit output.
_DOUBLE_UNIT = 1.0 / 9007199254740992.0


class Pcg64Stream:
    """The doubles ``numpy.random.Generator(PCG64(...)).random()`` draws, from the same state.

    PCG64 (XSL-RR 128/64): each draw steps a 128-bit linear congruential state, then folds its
    two halves into 64 bits and rotates them by its top 6 bits. Python's integers do the 128-bit
    arithmetic exactly, so the draws are NumPy's, bit for bit (tests/test_project_streams.py).
    """

    __slots__ = ("state", "increment")

    def __init__(self, state: int, increment: int):
        self.state = state
        self.increment = increment

    @classmethod
    def spawned_from(cls, rng: np.random.Generator) -> Pcg64Stream:
        """The stream ``rng.spawn(1)[0]`` would draw, advancing ``rng``'s spawn count alike."""
        child = rng.bit_generator.spawn(1)[0]  # what Generator.spawn wraps in a Generator
        if not isinstance(child, np.random.PCG64):
            raise ValueError(f"expected a generator on PCG64, got one on {type(child).__name__}")
        state = child.state["state"]
        return cls(state["state"], state["inc"])

    def random(self) -> float:
        """The next double in [0, 1)."""
        state = self.state = (self.state * _MULTIPLIER + self.increment) & _MASK_128
        high, low = state >> 64, state & _MASK_64
        folded, rotation = high ^ low, high >> 58
        output = ((folded >> rotation) | (folded << (64 - rotation))) & _MASK_64
        return (output >> 11) * _DOUBLE_UNIT
