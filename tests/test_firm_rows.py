"""Firms' figures gathered as the rows of one array (agents.firm.rows_of): the same values,
whichever way they are joined."""

from __future__ import annotations

import numpy as np
import pytest

from agents.firm import rows_of
from game.vocab.materials import N_MATERIALS


def _rows(count: int, seed: int = 0) -> list[np.ndarray]:
    generator = np.random.default_rng(seed)
    return [generator.normal(size=N_MATERIALS) * 10.0 ** generator.integers(-300, 300) for _ in range(count)]


@pytest.mark.parametrize("count", [1, 5, 31, 32, 33, 1000])
def test_rows_are_the_firms_figures_bit_for_bit(count):
    rows = _rows(count)
    joined = rows_of(rows)
    assert joined.shape == (count, N_MATERIALS) and joined.dtype == np.float64
    assert joined.tobytes() == np.stack(rows).tobytes()


def test_the_rows_are_a_copy_that_may_be_written():
    rows = _rows(100)
    joined = rows_of(rows)
    joined[0, 0] = 7.0
    assert rows[0][0] != 7.0 and joined[0, 0] == 7.0


def test_rows_of_other_kinds_are_converted_not_reinterpreted():
    # Whole numbers in int64 have float64's size: their bytes joined as floats would be nonsense.
    rows = [np.arange(N_MATERIALS) + k for k in range(100)]
    assert rows_of(rows).tolist() == [[float(v) for v in row] for row in rows]
    mixed = _rows(99) + [np.array([1, 2, 3][:N_MATERIALS])]
    assert rows_of(mixed).tolist() == np.stack(mixed).astype(float).tolist()
    # A row that is a column of another array is not in one block of memory.
    table = np.arange(N_MATERIALS * 100, dtype=float).reshape(N_MATERIALS, 100)
    columns = [table[:, k] for k in range(100)]
    assert rows_of(columns).tolist() == table.T.tolist()
    assert rows_of([]).shape == (0, N_MATERIALS)
