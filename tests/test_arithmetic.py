"""The simulation adds up as Python 3.11's sum() did, on every Python (game.vocab.arithmetic)."""

from __future__ import annotations

import numpy as np

from game.vocab.arithmetic import added_up


def test_numbers_are_added_left_to_right_each_addition_rounded():
    # A compensated sum (Python 3.12's sum, math.fsum) gives 1.0 here; the histories were made by
    # plain addition, which loses the 1.0 in the first step.
    assert added_up([1e16, 1.0, -1e16]) == 0.0
    assert added_up([0.1] * 10) == 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1
    assert added_up(x for x in (0.5, 0.25)) == 0.75


def test_it_takes_what_sum_takes():
    assert added_up([]) == 0 and added_up([], 2.5) == 2.5
    assert added_up([1, 2, 3]) == 6 and isinstance(added_up([1, 2, 3]), int)
    assert added_up(iter([np.float64(0.5), 1])) == 1.5
    total = added_up((np.array([1.0, 2.0]), np.array([0.5, 0.5])), np.zeros(2))
    assert total.tolist() == [1.5, 2.5]
