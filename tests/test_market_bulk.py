"""Bulk filling in the market clearing (``_Clearing._fill_in_bulk``).

Markets with many demand steps fill runs of them with array arithmetic instead of one
scalar round per step. The shipped levels' markets are too small to use it, so these
tests force it on every market and hold it to the same standard as the scalar rounds:
HiGHS's optimum, feasibility, prices that certify optimality, and the scalar rounds'
own answer on the same market.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_market import (
    INF, assert_feasible, assert_prices_certify_optimality, market, random_market, scale, solve_lp,
    world_market,
)

import game.world.market as market_module
from game.world.market import MarketProblem, clear_market


@contextmanager
def bulk_on_every_market(first_window: int = 256) -> Iterator[None]:
    """Make every clearing fill in bulk, however few its demand steps; a small first
    window makes bulks stop where a node's window ends."""
    saved = market_module._BULK_MIN_STEPS, market_module._BULK_FIRST_WINDOW
    market_module._BULK_MIN_STEPS, market_module._BULK_FIRST_WINDOW = 0, first_window
    try:
        yield
    finally:
        market_module._BULK_MIN_STEPS, market_module._BULK_FIRST_WINDOW = saved


def bulk_calls(problem: MarketProblem) -> list[int]:
    """Clear with bulk on and return how many steps each bulk filled."""
    filled: list[int] = []
    original = market_module._Clearing._fill_in_bulk

    def counted(self, *args):
        result = original(self, *args)
        filled.append(result)
        return result

    market_module._Clearing._fill_in_bulk = counted
    try:
        with bulk_on_every_market():
            clear_market(problem)
    finally:
        market_module._Clearing._fill_in_bulk = original
    return filled


def assert_optimal(problem: MarketProblem, rel: float = 1e-9, first_window: int = 256) -> None:
    with bulk_on_every_market(first_window):
        result = clear_market(problem)
    assert result.welfare == pytest.approx(-solve_lp(problem).fun, rel=rel, abs=1e-6)
    assert_feasible(problem, result)
    assert_prices_certify_optimality(problem, result)


def many_buyers_market(
    rng: np.random.Generator, buyers: int, sellers_per_node: int, quota: float,
) -> MarketProblem:
    """Shaped like a world of thousands of firms: a few supply nodes whose sellers all ask
    the same, many buyers whose values all differ, one capped and one embargoed gate."""
    n = 8
    arcs = [(3 * i, 3 * i + 1, 0.0, INF) for i in range(n)]
    arcs += [(3 * i, 3 * i + 2, 0.0, quota if i == 0 else INF) for i in range(n)]
    arcs += [(3 * i + 2, 3 * j + 1, float(rng.uniform(0.5, 3)), 0.0 if (i, j) == (0, 1) else INF)
             for i in range(n) for j in range(n) if i != j]
    supply = []
    for node, ask, tonnes in ((0, 8.0, 3000.0), (3, 35.0, 600.0), (6, 42.0, 500.0), (9, 60.0, 400.0)):
        supply += [(node, tonnes / sellers_per_node, ask)] * sellers_per_node
    demand = [(3 * int(i) + 1, float(q), float(v)) for i, q, v in zip(
        rng.integers(0, n, buyers), rng.uniform(0.1, 1.5, buyers), rng.uniform(10, 150, buyers))]
    return market(3 * n, supply, demand, arcs)


def test_bulk_runs_and_fills_most_steps_of_a_many_buyer_market():
    problem = many_buyers_market(np.random.default_rng(1), 3000, 200, quota=900.0)
    filled = bulk_calls(problem)
    with bulk_on_every_market():
        served = int((clear_market(problem).served > 0).sum())
    # The test means nothing unless the bulks did the filling.
    assert sum(filled) > 0.9 * served > 1000


@pytest.mark.parametrize("first_window", [1, 8, 256])
@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("quota", [0.0, 300.0, 900.0, INF])
def test_many_buyer_markets_reach_the_linprog_optimum(seed, quota, first_window):
    problem = many_buyers_market(np.random.default_rng(seed), 1500, 50, quota)
    lp = solve_lp(problem)
    with bulk_on_every_market(first_window):
        result = clear_market(problem)
    # Sellers at one node ask the same, so which of them sell is not unique: the prices
    # certify that these quantities are an optimum.
    assert result.welfare == pytest.approx(-lp.fun, rel=1e-9)
    assert_feasible(problem, result)
    assert_prices_certify_optimality(problem, result)


@pytest.mark.parametrize("first_window", [2, 256])
@pytest.mark.parametrize("seed", range(3))
def test_bulk_and_scalar_rounds_agree(seed, first_window):
    problem = many_buyers_market(np.random.default_rng(100 + seed), 1200, 30, quota=500.0)
    scalar = clear_market(problem)
    with bulk_on_every_market(first_window):
        bulk = clear_market(problem)
    assert bulk.welfare == pytest.approx(scalar.welfare, rel=1e-12)
    quantity, _ = scale(problem)
    for ours, theirs in ((bulk.sold, scalar.sold), (bulk.served, scalar.served), (bulk.flow, scalar.flow)):
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-9 * quantity)
    np.testing.assert_allclose(bulk.price, scalar.price, rtol=1e-12)


@pytest.mark.parametrize("steps", [20, 400, 2000])
def test_world_shaped_markets_reach_the_linprog_optimum(steps):
    assert_optimal(world_market(np.random.default_rng(steps), steps, quota=300.0))


def test_random_generic_markets_reach_the_linprog_optimum():
    rng = np.random.default_rng(20100907)
    for index in range(300):
        assert_optimal(random_market(rng, int(rng.integers(2, 9))), first_window=1 + index % 3)


def test_degenerate_integer_markets_reach_the_linprog_optimum():
    # Integer data: equal costs and values, zero costs, parallel routes, runs of equal asks.
    rng = np.random.default_rng(8)
    for index in range(300):
        assert_optimal(random_market(rng, int(rng.integers(1, 7)), integer=True), first_window=1 + index % 3)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    n_nodes=st.integers(1, 6),
    integer=st.booleans(),
    first_window=st.sampled_from([1, 2, 256]),
)
def test_any_random_market_is_optimal_feasible_and_priced_in_bulk(seed, n_nodes, integer, first_window):
    problem = random_market(np.random.default_rng(seed), n_nodes, integer)
    assert_optimal(problem, rel=1e-8, first_window=first_window)


@pytest.mark.parametrize("level", ["sandbox", "2026-deep-sea"])
def test_the_shipped_levels_markets_stay_well_below_the_bulk_threshold(level, monkeypatch):
    # The shipped levels' histories come from the scalar rounds (see the goldens). The
    # sandbox runs the world from 2010 to the 2030s and the last level starts from the
    # most built-up world; neither may come near the size at which markets bulk.
    import game.world.exchange as exchange
    from game.scenario import find_level, load_level
    from game.session import Session

    largest = [0]
    clear = exchange.clear_markets

    def measured(problems):
        largest[0] = max([largest[0]] + [problem.n_demand for problem in problems])
        return clear(problems)

    monkeypatch.setattr(exchange, "clear_markets", measured)
    scenario = load_level(find_level(level))
    session = Session(scenario, seed=0)
    for _ in range(scenario.n_turns):
        session.play_turn()
    assert 0 < largest[0] <= market_module._BULK_MIN_STEPS // 2


@pytest.mark.parametrize("first_window", [1, 2, 3])
def test_a_short_window_does_not_let_lesser_bids_jump_the_queue(first_window):
    # One seller with 10 t and two buyers' nodes next to it. Node 1 bids 100, 99, 98...,
    # node 2 bids 90.5, 90.25, 90...: the 10 t must go to node 1's ten best bids, however
    # little of each node the window shows.
    demand = [(1, 1.0, 100.0 - k) for k in range(20)] + [(2, 1.0, 90.5 - 0.25 * k) for k in range(20)]
    problem = market(3, [(0, 10.0, 1.0)], demand, [(0, 1, 0.1, INF), (0, 2, 0.1, INF)])
    with bulk_on_every_market(first_window):
        served = clear_market(problem).served
    best = np.argsort(-problem.demand_value, kind="stable")[:10]
    np.testing.assert_allclose(served[best], 1.0)
    assert served.sum() == pytest.approx(10.0)
    assert_optimal(problem, first_window=first_window)
