"""A negotiation's price ladder and the buyer's price index are worked out in Python floats
(``agents.contract_terms._evenly_spaced``, ``_small_price_index``): the same numbers, to the
last bit, as numpy's ``linspace`` and the index's arrays, on random figures and edge cases; and
terms made of floats and a whole number skip their checks, keeping what the checks would."""

from __future__ import annotations

import numpy as np
import pytest

from agents import contract_terms
from agents.contract_terms import price_index

CASES = 500


def _number(rng: np.random.Generator) -> float:
    return float(rng.choice([0.0, 1.0, 1e-3, 1e3, 1e6])) * float(rng.random()) * float(rng.choice([1.0, 7.0]))


@pytest.mark.parametrize("seed", range(CASES))
def test_a_ladder_has_linspaces_prices(seed):
    rng = np.random.default_rng(seed)
    low = _number(rng)
    high = low + float(rng.choice([5e-324, 1e-300, 1e-12, 1.0, 100.0, 1e5])) * float(rng.random() + 0.01)
    steps = int(rng.choice([2, 3, 7, 20, 50, 200]))
    ladder = contract_terms._evenly_spaced(low, high, steps)
    assert np.array(ladder).tobytes() == np.linspace(low, high, steps).tobytes()
    assert all(type(price) is float for price in ladder)


def _index_in_arrays(prices, quantities, discount, fallback, monkeypatch):
    monkeypatch.setattr(contract_terms, "_INDEX_IN_ARRAYS_FROM_QUARTERS", 0)
    try:
        return price_index(prices, quantities, discount, fallback=fallback)
    finally:
        monkeypatch.undo()


@pytest.mark.parametrize("seed", range(CASES))
def test_a_few_quarters_index_as_the_arrays_do(seed, monkeypatch):
    rng = np.random.default_rng(seed)
    quarters = int(rng.integers(0, contract_terms._INDEX_IN_ARRAYS_FROM_QUARTERS))
    prices = [_number(rng) for _ in range(quarters)]
    quantities = [_number(rng) if rng.random() < 0.7 else 0.0 for _ in range(quarters)]
    if quarters and rng.random() < 0.2:
        prices = [np.float64(p) for p in prices]  # as the world passes them
    discount = float(rng.choice([1.0, 0.5, 0.9, float(rng.random()) + 1e-9]))
    fallback = float(rng.random()) * 50.0
    small = price_index(prices, quantities, discount, fallback=fallback)
    assert type(small) is float
    assert small.hex() == float(_index_in_arrays(prices, quantities, discount, fallback, monkeypatch)).hex()


@pytest.mark.parametrize("prices, quantities, discount, fallback", [
    ([1.0, float("nan")], [1.0, 1.0], 0.9, None),
    ([1.0, -1.0], [1.0, 1.0], 0.9, None),
    ([1.0, 2.0], [1.0, float("inf")], 0.9, None),
    ([1.0, 2.0], [1.0, -0.5], 0.9, None),
    ([1.0, 2.0], [0.0, 0.0], 0.9, None),
    ([1.0, 2.0], [1.0, 1.0], 0.0, None),
    ([1.0, 2.0], [1.0, 1.0], 1.5, None),
    ([1.0, 2.0], [1.0], 0.9, None),
    ([[1.0], [2.0]], [[1.0], [1.0]], 0.9, None),
])
def test_a_few_quarters_refuse_what_the_arrays_refuse(prices, quantities, discount, fallback, monkeypatch):
    with pytest.raises(ValueError) as small:
        price_index(prices, quantities, discount, fallback=fallback)
    with pytest.raises(ValueError) as arrays:
        _index_in_arrays(prices, quantities, discount, fallback, monkeypatch)
    assert str(small.value) == str(arrays.value)


@pytest.mark.parametrize("seed", range(CASES))
def test_terms_already_floats_are_kept_as_the_checks_would_keep_them(seed):
    rng = np.random.default_rng(seed)
    volume = float(rng.choice([5e-324, 1e-9, 1.0, 594.0, 1e12])) * float(rng.random() + 0.5)
    price = float(rng.choice([0.0, -0.0, 1e-9, 145.78876745098268, 1e9])) * float(rng.random() + 0.5)
    years = int(rng.integers(1, 50))
    terms = contract_terms.Terms(volume, years, price)
    checked = (contract_terms._check_finite(volume, "volume", minimum=0.0, strict=True),
               contract_terms._check_years(years, "years"),
               contract_terms._check_finite(price, "price", minimum=0.0, strict=False))
    assert [type(x) for x in (terms.volume_tpy, terms.years, terms.price)] == [float, int, float]
    assert (terms.volume_tpy.hex(), terms.years, terms.price.hex()) == (checked[0].hex(), checked[1], checked[2].hex())
    # What is not already a float or a whole number goes through the checks, as before.
    from_numpy = contract_terms.Terms(np.float64(volume), np.int64(years), np.float64(price))
    assert [type(x) for x in (from_numpy.volume_tpy, from_numpy.years, from_numpy.price)] == [float, int, float]
    assert from_numpy == terms


@pytest.mark.parametrize("volume, years, price", [
    (0.0, 5, 10.0), (-1.0, 5, 10.0), (float("nan"), 5, 10.0), (float("inf"), 5, 10.0),
    (10.0, 0, 10.0), (10.0, True, 10.0), (10.0, 5, -1.0), (10.0, 5, float("nan")), (10.0, 5, float("inf")),
])
def test_terms_out_of_range_are_refused(volume, years, price):
    with pytest.raises(ValueError):
        contract_terms.Terms(volume, years, price)
