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
_MASK_32 = (1 << 32) - 1
#: ``SeedSequence.generate_state``'s hash: its first constant and multiplier (O'Neill's seed_seq_fe).
_GENERATE_INIT, _GENERATE_MULTIPLIER = 0x8B51F9DD, 0x58F38DED


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
        """The stream ``rng.spawn(1)[0]`` would draw, advancing ``rng``'s spawn count alike.

        A world of 10,000 firms spawns about 3,000 streams in its first quarter. NumPy's own
        path (a child SeedSequence, a PCG64 seeded from it, its state read back as a dict) cost
        about 30 us a stream; the child SeedSequence alone is needed, for the parent's spawn
        count and the child's entropy pool, and the rest is a few integer operations here."""
        bit_generator = rng.bit_generator
        seed_sequence = getattr(bit_generator, "seed_seq", None)
        if not isinstance(bit_generator, np.random.PCG64) or not isinstance(seed_sequence, np.random.SeedSequence):
            return cls._spawned_by_numpy(rng)
        pool = seed_sequence.spawn(1)[0].pool.tolist()
        # generate_state(4, np.uint64): eight 32-bit words hashed from the pool, read as four
        # little-endian 64-bit words.
        words, hash_constant, size = [], _GENERATE_INIT, len(pool)
        for k in range(8):
            word = pool[k % size] ^ hash_constant
            hash_constant = (hash_constant * _GENERATE_MULTIPLIER) & _MASK_32
            word = (word * hash_constant) & _MASK_32
            words.append(word ^ (word >> 16))
        seed = (words[1] << 96) | (words[0] << 64) | (words[3] << 32) | words[2]
        sequence = (words[5] << 96) | (words[4] << 64) | (words[7] << 32) | words[6]
        # pcg64_set_seed: the increment is the sequence made odd; the state steps from zero,
        # takes the seed and steps again.
        increment = ((sequence << 1) | 1) & _MASK_128
        return cls(((increment + seed) * _MULTIPLIER + increment) & _MASK_128, increment)

    @classmethod
    def _spawned_by_numpy(cls, rng: np.random.Generator) -> Pcg64Stream:
        """``spawned_from`` through NumPy's own spawning, for a generator seeded otherwise than
        from a SeedSequence (which then refuses as NumPy does)."""
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
