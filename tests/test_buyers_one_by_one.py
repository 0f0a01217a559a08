"""Buyers walked one by one in Python floats do what their arrays do, to the last bit.

Below ``agents.buyers.BUYERS_AS_ARRAYS_FROM`` firms, buyers adapt to prices (thrift, moving
production into China) firm by firm in floats; from it, as arrays. The test gives both ways the
same random firms (zeros of both signs, ties, one firm, none) and ratios (at the thresholds,
about them, far beyond), and compares what they return and leave on the firms, byte for byte.
"""

from __future__ import annotations

import copy
from types import SimpleNamespace

import numpy as np
import pytest

from agents import buyers

ROUNDS = 200


def _assumptions(generator):
    return SimpleNamespace(thrift_above_price_ratio=float(generator.choice([0.5, 1.5, 2.0])),
                           demand_returns_below_price_ratio=float(generator.choice([0.8, 1.2, 1.5])),
                           max_thrift_per_quarter=float(generator.choice([0.0, 0.02, 0.05, 0.3])),
                           min_use_intensity=float(generator.choice([0.0, -0.0, 0.5, 0.7])),
                           relocate_above_price_ratio=float(generator.choice([0.5, 1.3, 2.0])),
                           max_relocated_share=float(generator.choice([0.0, 0.3, 0.5, 1.0])),
                           max_relocation_per_quarter=float(generator.choice([0.0, 0.02, 0.1])))


def _firms(generator, count):
    """Makers and manufacturers with shares at and about their floors and ceilings."""
    model = SimpleNamespace(assumptions=_assumptions(generator))
    makers, users = [], []
    for _ in range(count):
        dy_share = float(generator.choice([0.0, -0.0, 0.05, 0.1, 0.3, 1.0]))
        makers.append(SimpleNamespace(
            model=model, dy_share=dy_share, min_dy_share=float(generator.choice([0.0, -0.0, 0.4 * dy_share, dy_share])),
            full_dy_share=float(generator.choice([dy_share, 1.2 * dy_share, 0.1, 0.0, -0.0]))))
        users.append(SimpleNamespace(
            model=model, demand_factor=float(generator.choice([0.0, -0.0, 0.5, 0.7, 0.99, 1.0, generator.random()])),
            moved_share=float(generator.choice([0.0, -0.0, 0.1, 0.29, 0.3, 0.5, 1.0, generator.random()]))))
    return makers, users


def _ratios(generator, count):
    ratios = generator.choice([0.0, 0.5, 0.8, 1.0, 1.2, 1.3, 1.5, 2.0, 6.0, 100.0], count)
    return np.where(generator.random(count) < 0.5, ratios, generator.uniform(0.0, 8.0, count))


def _state(firms):
    return [{name: np.asarray(value, dtype=float).tobytes() for name, value in vars(firm).items() if name != "model"}
            for firm in firms]


def _both_ways(monkeypatch, firms, work):
    """``work`` on copies of ``firms`` as arrays and one by one: the same returns and firms."""
    outcomes = []
    for arrays_from in (0, 10**9):
        monkeypatch.setattr(buyers, "BUYERS_AS_ARRAYS_FROM", arrays_from)
        own = copy.deepcopy(firms)
        got = work(own)
        outcomes.append((None if got is None else (got.shape, got.dtype, got.tobytes()), _state(own)))
    assert outcomes[0] == outcomes[1]


COUNTS = [0, 1, 2, 3, 9, 31, 40]


@pytest.mark.parametrize("count", COUNTS)
def test_buyers_adapt_alike_either_way(monkeypatch, count):
    generator = np.random.default_rng(100 + count)
    for _ in range(ROUNDS):
        makers, users = _firms(generator, count)
        ratios = _ratios(generator, count)
        _both_ways(monkeypatch, makers, lambda own: buyers.adapt_recipes_of(own, ratios))
        _both_ways(monkeypatch, users, lambda own: buyers.adapt_demand_of(own, ratios))
        _both_ways(monkeypatch, users, lambda own: buyers.relocation_shares_of(own, ratios))
