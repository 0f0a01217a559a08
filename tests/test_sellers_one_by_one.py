"""Plants planned one by one in Python floats do what their arrays do, to the last bit.

Below ``agents.producers.SELLERS_AS_ARRAYS_FROM`` plants, plans (``planned_throughputs_of``) are
worked out from the running values plant by plant in floats; from it, as arrays. The test takes
the sellers of a real world a few quarters in, gives them random figures (stock at, between and
beyond its targets, zeros of both signs, no expected prices, closed plants, no cash, no
capacity, contracts owed) and random subsets of them (none, one, all), and compares what both
ways return and leave on the sellers, byte for byte.
"""

from __future__ import annotations

import numpy as np
import pytest

from agents import producers
from agents.producers import SellerReadings, operating_margins_of, planned_throughputs_of
from game.scenario import find_level, load_level
from game.vocab.materials import N_MATERIALS
from game.world.model import RareEarthWorld

ROUNDS = 150


@pytest.fixture(scope="module")
def world():
    world = RareEarthWorld(load_level(find_level("2010-trawler")), rng=5)
    for _ in range(3):
        world.step()
    return world


def _scramble(seller, generator):
    """Random figures for a seller, many at the edges of its arithmetic."""
    a = seller.model.assumptions
    seller.alive = bool(generator.random() < 0.9)
    seller.mothballed = bool(generator.random() < 0.15)
    seller.runs_to_plan = bool(generator.random() < 0.3)
    seller.capacity_tpy = float(generator.choice([0.0, 1000.0, 5000.0, generator.uniform(0.0, 40000.0)]))
    seller.unit_cost = float(generator.choice([0.0, -0.0, 2.0, generator.uniform(0.0, 30.0)]))
    seller.cash_musd = float(generator.choice([0.0, -0.0, -1e6, 5.0, generator.uniform(-50.0, 500.0)]))
    target = a.plant_stock_target_quarters * seller.capacity_tpy / 4.0 * seller.output_mix()
    cover = generator.choice([0.0, -0.0, 1.0, 2.0, 3.0, 0.5], N_MATERIALS)
    seller.inventory = np.where(generator.random(N_MATERIALS) < 0.7, cover * target,
                                generator.uniform(0.0, 3.0, N_MATERIALS) * target)
    if generator.random() < 0.2:
        seller.expected_netback = None
    else:
        prices = generator.choice([0.0, 1.0, 5.0, 60.0, 400.0], N_MATERIALS)
        seller.expected_netback = np.where(generator.random(N_MATERIALS) < 0.5, prices,
                                           generator.uniform(0.0, 500.0, N_MATERIALS))


def _owed(generator, count):
    return [None if generator.random() < 0.5 else generator.choice([0.0, 10.0, 500.0, 1e5], N_MATERIALS)
            for _ in range(count)]


def _both_ways(monkeypatch, sellers, owed):
    """Plans as arrays and one by one, from the same figures: the same bits (the plans and the
    run rates left on the sellers), and the margins read after them the same."""
    outcomes = []
    for arrays_from in (0, 10**9):
        monkeypatch.setattr(producers, "SELLERS_AS_ARRAYS_FROM", arrays_from)
        for seller in sellers:
            seller.planned_run_rate = -1.0
        planned = planned_throughputs_of(sellers, owed, SellerReadings(sellers))
        rates = [seller.planned_run_rate for seller in sellers]
        margins = operating_margins_of(sellers, SellerReadings(sellers))
        outcomes.append((np.array(planned, dtype=float).tobytes(), [type(p) for p in planned],
                         np.array(rates, dtype=float).tobytes(), [type(r) for r in rates],
                         margins.shape, margins.dtype, margins.tobytes()))
    assert outcomes[0] == outcomes[1]


def test_sellers_plan_alike_either_way(world, monkeypatch):
    generator = np.random.default_rng(7)
    sellers = list(world.sellers)
    for _ in range(ROUNDS):
        for seller in sellers:
            _scramble(seller, generator)
        count = int(generator.integers(0, len(sellers) + 1))
        some = [sellers[k] for k in generator.permutation(len(sellers))[:count].tolist()]
        _both_ways(monkeypatch, some, _owed(generator, count))
        _both_ways(monkeypatch, sellers, _owed(generator, len(sellers)))
