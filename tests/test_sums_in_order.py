"""Row sums added left to right (agents.firm.sums_in_order): small arrays are added a row at a
time in one NumPy reduction, large ones a column at a time; both must give the same bits."""

from __future__ import annotations

import numpy as np

from agents import firm as firm_module
from agents.firm import sums_in_order

SPECIAL = np.array([0.0, -0.0, 1.0, -1.0, 1e308, -1e308, 5e-324, -5e-324, np.inf, -np.inf, np.nan])


def _arrays(count: int, seed: int = 0):
    """Random 2-D arrays of every small shape the row path takes and some it does not: wide
    ranges of magnitude and sign, special values, ties, columns and strided views."""
    generator = np.random.default_rng(seed)
    for k in range(count):
        rows, columns = int(generator.integers(0, 80)), int(generator.integers(0, 10))
        terms = generator.normal(size=(rows, columns)) * 10.0 ** generator.integers(-30, 30, size=(rows, columns))
        if k % 4 == 1:
            terms = generator.choice(SPECIAL, size=(rows, columns))
        elif k % 4 == 2:  # ties: the same few numbers, either sign
            terms = generator.choice([0.1, -0.1, 0.3, 1e16, -1e16, 0.0], size=(rows, columns))
        if k % 5 == 3:
            terms = np.asfortranarray(terms)
        if k % 7 == 4:
            terms = terms[::2, ::-1]
        yield terms


def _both_ways(terms: np.ndarray, monkeypatch) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(all="ignore"):  # the special values overflow and make NaNs, as they should
        monkeypatch.setattr(firm_module, "SUMMED_BY_ROW_BELOW", 10**9)  # as many rows as any array has
        by_row = sums_in_order(terms)
        monkeypatch.setattr(firm_module, "SUMMED_BY_ROW_BELOW", 0)
        by_column = sums_in_order(terms)
    monkeypatch.undo()
    return by_row, by_column


def test_rows_and_columns_give_the_same_bits(monkeypatch):
    shapes = set()
    for terms in _arrays(3000):
        shapes.add((0 < terms.shape[0] < firm_module.SUMMED_BY_ROW_BELOW, terms.shape[1]))
        by_row, by_column = _both_ways(terms, monkeypatch)
        assert by_row.dtype == by_column.dtype == np.float64 and by_row.shape == by_column.shape == terms.shape[:1]
        assert by_row.tobytes() == by_column.tobytes(), terms
    assert all((True, columns) in shapes for columns in range(firm_module.SUMMED_BY_ROW_COLUMNS_BELOW))


def test_the_sums_are_a_loops_left_to_right_from_zero(monkeypatch):
    for terms in _arrays(300, seed=1):
        expected = []
        for row in terms.tolist():
            total = 0.0
            for value in row:
                total += value
            expected.append(total)
        for way in _both_ways(terms, monkeypatch):
            assert way.tobytes() == np.array(expected, dtype=float).tobytes()


def test_whole_numbers_are_summed_as_floats(monkeypatch):
    terms = np.arange(12, dtype=np.int64).reshape(4, 3)
    for way in _both_ways(terms, monkeypatch):
        assert way.dtype == np.float64 and way.tolist() == [3.0, 12.0, 21.0, 30.0]
    single = np.arange(12, dtype=np.float32).reshape(4, 3) / 7
    by_row, by_column = _both_ways(single, monkeypatch)
    assert by_row.dtype == by_column.dtype == np.float64 and by_row.tobytes() == by_column.tobytes()


def test_no_more_columns_than_numpy_adds_in_order_are_added_by_row():
    """From 8 numbers NumPy adds pairwise: a row that long would not be added left to right."""
    assert firm_module.SUMMED_BY_ROW_COLUMNS_BELOW <= 8
    terms = np.array([[1e16, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, -1e16]])
    assert sums_in_order(terms).tolist() == [0.0]  # each 1.0 lost against 1e16 in turn


def test_the_sums_may_be_written():
    total = sums_in_order(np.ones((3, 3)))
    total[0] = 7.0
    assert total.tolist() == [7.0, 3.0, 3.0]
