"""Tests for spot-market clearing (game/world/market.py).

The reference is scipy's HiGHS on the same LP. Node balance rows are written as
``sold + inflow - outflow - served = 0``; one more free tonne at a node is ``b = -1`` in
that row, so the welfare gain per tonne is ``d(-welfare)/db``, which is exactly what
``res.eqlin.marginals`` reports for the minimised objective ``-welfare``
(see test_linprog_marginals_are_prices_in_our_sign_convention).
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from game.world.market import MarketProblem, MarketResult, clear_flows, clear_market, clear_markets

INF = np.inf


# --------------------------------------------------------------------------- helpers


def market(
    n_nodes: int,
    supply: list[tuple[int, float, float]] = (),
    demand: list[tuple[int, float, float]] = (),
    arcs: list[tuple[int, int, float, float]] = (),
) -> MarketProblem:
    """A problem from (node, qty, cost), (node, qty, value), (from, to, cost, cap) tuples."""
    supply_array = np.array(supply, dtype=float).reshape(-1, 3)
    demand_array = np.array(demand, dtype=float).reshape(-1, 3)
    arc_array = np.array(arcs, dtype=float).reshape(-1, 4)
    return MarketProblem(
        n_nodes=n_nodes,
        supply_node=supply_array[:, 0].astype(np.int64),
        supply_qty=supply_array[:, 1],
        supply_cost=supply_array[:, 2],
        demand_node=demand_array[:, 0].astype(np.int64),
        demand_qty=demand_array[:, 1],
        demand_value=demand_array[:, 2],
        arc_from=arc_array[:, 0].astype(np.int64),
        arc_to=arc_array[:, 1].astype(np.int64),
        arc_cost=arc_array[:, 2],
        arc_cap=arc_array[:, 3],
    )


def random_market(rng: np.random.Generator, n_nodes: int, integer: bool = False) -> MarketProblem:
    """Random steps and arcs; continuous data (a non-degenerate LP) unless ``integer``.

    About a third of the arcs are capped, a tenth closed (cap 0), the rest uncapped;
    there can be parallel and antiparallel arcs and self-loops.
    """
    n_supply = int(rng.integers(0, 3 * n_nodes + 1))
    n_demand = int(rng.integers(0, 3 * n_nodes + 1))
    n_arcs = int(rng.integers(0, n_nodes * n_nodes + 1))

    def draw(high: float, size: int) -> np.ndarray:
        if integer:
            return rng.integers(0, int(high) + 1, size).astype(float)
        return rng.uniform(0, high, size)

    cap = draw(30.0, n_arcs)
    kind = rng.random(n_arcs)
    cap[kind < 0.55] = INF
    cap[(kind >= 0.55) & (kind < 0.65)] = 0.0
    return MarketProblem(
        n_nodes=n_nodes,
        supply_node=rng.integers(0, n_nodes, n_supply),
        supply_qty=draw(20.0, n_supply),
        supply_cost=draw(100.0, n_supply),
        demand_node=rng.integers(0, n_nodes, n_demand),
        demand_qty=draw(20.0, n_demand),
        demand_value=draw(100.0, n_demand),
        arc_from=rng.integers(0, n_nodes, n_arcs),
        arc_to=rng.integers(0, n_nodes, n_arcs),
        arc_cost=draw(20.0, n_arcs),
        arc_cap=cap,
    )


def incidence(problem: MarketProblem) -> np.ndarray:
    """Balance rows: +sold, -served, +inflow, -outflow."""
    n_s, n_d, n_a = problem.n_supply, problem.n_demand, problem.n_arcs
    rows = np.zeros((problem.n_nodes, n_s + n_d + n_a))
    rows[problem.supply_node, np.arange(n_s)] += 1.0
    rows[problem.demand_node, n_s + np.arange(n_d)] -= 1.0
    np.add.at(rows, (problem.arc_to, n_s + n_d + np.arange(n_a)), 1.0)
    np.add.at(rows, (problem.arc_from, n_s + n_d + np.arange(n_a)), -1.0)
    return rows


def upper_bounds(problem: MarketProblem) -> np.ndarray:
    return np.concatenate((problem.supply_qty, problem.demand_qty, problem.arc_cap))


def solve_lp(problem: MarketProblem):
    """HiGHS on the same LP, minimising -welfare."""
    upper = upper_bounds(problem)
    if upper.size == 0:  # nothing to decide; linprog rejects an empty problem
        no_prices = SimpleNamespace(marginals=np.zeros(problem.n_nodes))
        return SimpleNamespace(fun=0.0, x=upper, eqlin=no_prices)
    res = linprog(
        np.concatenate((problem.supply_cost, -problem.demand_value, problem.arc_cost)),
        A_eq=incidence(problem),
        b_eq=np.zeros(problem.n_nodes),
        bounds=[(0.0, None if np.isinf(u) else u) for u in upper],
        method="highs",
    )
    assert res.status == 0, res.message
    return res


def dual_is_unique(problem: MarketProblem, x: np.ndarray) -> bool:
    """True if the variables strictly inside their bounds pin down every node price."""
    upper = upper_bounds(problem)
    inside = (x > 1e-7) & (x < upper - 1e-7)
    if not inside.any():
        return problem.n_nodes == 0
    return np.linalg.matrix_rank(incidence(problem)[:, inside]) == problem.n_nodes


def scale(problem: MarketProblem) -> tuple[float, float]:
    quantity = max(1.0, problem.supply_qty.sum(), problem.demand_qty.sum())
    cost = max(1.0, problem.supply_cost.max(initial=0), problem.demand_value.max(initial=0),
               problem.arc_cost.max(initial=0))
    return quantity, cost


def assert_feasible(problem: MarketProblem, result: MarketResult) -> None:
    """Bounds, and mass balance at every node to 1e-9 t (per 1000 t of market volume)."""
    quantity, _ = scale(problem)
    tol = 1e-9 * max(1.0, quantity / 1000.0)
    assert (result.sold >= 0).all() and (result.served >= 0).all() and (result.flow >= 0).all()
    assert (result.sold <= problem.supply_qty + tol).all()
    assert (result.served <= problem.demand_qty + tol).all()
    assert (result.flow <= problem.arc_cap + tol).all()
    x = np.concatenate((result.sold, result.served, result.flow))
    np.testing.assert_allclose(incidence(problem) @ x, 0.0, atol=tol)


def assert_prices_certify_optimality(problem: MarketProblem, result: MarketResult) -> None:
    """Complementary slackness: the prices are LP duals for the flows, so both are optimal.

    Also strong duality: the dual objective at these prices equals the welfare.
    """
    quantity, cost = scale(problem)
    q_tol, p_tol = 1e-9 * quantity, 1e-7 * cost
    p = result.price
    assert (p >= 0).all()
    at_supply = p[problem.supply_node]
    at_demand = p[problem.demand_node]
    # A supply step below its bound would sell more if the price beat its cost, etc.
    can_sell_more = result.sold < problem.supply_qty - q_tol
    sells = result.sold > q_tol
    can_serve_more = result.served < problem.demand_qty - q_tol
    serves = result.served > q_tol
    assert (at_supply[can_sell_more] <= problem.supply_cost[can_sell_more] + p_tol).all()
    assert (at_supply[sells] >= problem.supply_cost[sells] - p_tol).all()
    assert (at_demand[can_serve_more] >= problem.demand_value[can_serve_more] - p_tol).all()
    assert (at_demand[serves] <= problem.demand_value[serves] + p_tol).all()
    gain = p[problem.arc_to] - p[problem.arc_from] - problem.arc_cost
    room = result.flow < problem.arc_cap - q_tol
    assert (gain[room & (problem.arc_from != problem.arc_to)] <= p_tol).all()
    assert (gain[result.flow > q_tol] >= -p_tol).all()
    capped = np.isfinite(problem.arc_cap)
    dual = (
        problem.supply_qty @ np.maximum(at_supply - problem.supply_cost, 0.0)
        + problem.demand_qty @ np.maximum(problem.demand_value - at_demand, 0.0)
        + problem.arc_cap[capped] @ np.maximum(gain[capped], 0.0)
    )
    assert dual == pytest.approx(result.welfare, rel=1e-9, abs=1e-7 * quantity * cost)


# --------------------------------------------------------------------------- against HiGHS


RANDOM_CASES = 500


@pytest.fixture(scope="module")
def generic_cases() -> list[tuple[MarketProblem, MarketResult, object]]:
    """Random generic markets of 2-8 nodes, cleared by us and by HiGHS."""
    rng = np.random.default_rng(20100907)
    cases = []
    for _ in range(RANDOM_CASES):
        problem = random_market(rng, int(rng.integers(2, 9)))
        cases.append((problem, clear_market(problem), solve_lp(problem)))
    return cases


def test_welfare_matches_linprog_on_random_generic_markets(generic_cases):
    for problem, result, lp in generic_cases:
        assert result.welfare == pytest.approx(-lp.fun, rel=1e-6, abs=1e-6)


def test_quantities_match_linprog_on_random_generic_markets(generic_cases):
    # Continuous random data make the optimum unique, so the quantities must agree.
    for problem, result, lp in generic_cases:
        quantity, _ = scale(problem)
        ours = np.concatenate((result.sold, result.served, result.flow))
        np.testing.assert_allclose(ours, lp.x, rtol=0, atol=1e-6 * quantity)


def test_prices_match_linprog_duals_wherever_the_duals_are_unique(generic_cases):
    checked = 0
    for problem, result, lp in generic_cases:
        if dual_is_unique(problem, lp.x):
            _, cost = scale(problem)
            np.testing.assert_allclose(result.price, lp.eqlin.marginals, rtol=0, atol=1e-6 * cost)
            checked += 1
    assert checked >= RANDOM_CASES // 5  # the comparison must not be vacuous


def test_random_generic_markets_are_feasible_and_certified_by_their_prices(generic_cases):
    for problem, result, _ in generic_cases:
        assert_feasible(problem, result)
        assert_prices_certify_optimality(problem, result)


def test_degenerate_integer_markets_reach_the_linprog_optimum():
    # Integer data: ties everywhere (equal costs and values, zero costs, parallel routes).
    rng = np.random.default_rng(7)
    for _ in range(400):
        problem = random_market(rng, int(rng.integers(1, 7)), integer=True)
        result = clear_market(problem)
        assert result.welfare == pytest.approx(-solve_lp(problem).fun, rel=1e-9, abs=1e-6)
        assert_feasible(problem, result)
        assert_prices_certify_optimality(problem, result)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    n_nodes=st.integers(1, 6),
    integer=st.booleans(),
)
def test_any_random_market_is_optimal_feasible_and_priced(seed, n_nodes, integer):
    problem = random_market(np.random.default_rng(seed), n_nodes, integer)
    result = clear_market(problem)
    assert result.welfare == pytest.approx(-solve_lp(problem).fun, rel=1e-8, abs=1e-6)
    assert_feasible(problem, result)
    assert_prices_certify_optimality(problem, result)


def test_prices_are_the_welfare_gain_of_one_more_free_tonne():
    """Right derivative: add a tiny free supply step at a node and watch welfare."""
    rng = np.random.default_rng(11)
    for _ in range(40):
        problem = random_market(rng, int(rng.integers(2, 6)))
        base = clear_market(problem)
        epsilon = 1e-5
        for node in range(problem.n_nodes):
            bumped = MarketProblem(
                n_nodes=problem.n_nodes,
                supply_node=np.append(problem.supply_node, node),
                supply_qty=np.append(problem.supply_qty, epsilon),
                supply_cost=np.append(problem.supply_cost, 0.0),
                demand_node=problem.demand_node, demand_qty=problem.demand_qty,
                demand_value=problem.demand_value, arc_from=problem.arc_from,
                arc_to=problem.arc_to, arc_cost=problem.arc_cost, arc_cap=problem.arc_cap,
            )
            gain = (clear_market(bumped).welfare - base.welfare) / epsilon
            assert gain == pytest.approx(base.price[node], rel=1e-5, abs=1e-4)


def test_a_larger_market_matches_linprog():
    rng = np.random.default_rng(3)
    problem = random_market(rng, 10)
    big = MarketProblem(
        n_nodes=10,
        supply_node=rng.integers(0, 10, 2000), supply_qty=rng.uniform(0, 5, 2000),
        supply_cost=rng.uniform(0, 100, 2000),
        demand_node=rng.integers(0, 10, 2000), demand_qty=rng.uniform(0, 5, 2000),
        demand_value=rng.uniform(0, 100, 2000),
        arc_from=problem.arc_from, arc_to=problem.arc_to, arc_cost=problem.arc_cost,
        arc_cap=problem.arc_cap,
    )
    result = clear_market(big)
    lp = solve_lp(big)
    assert result.welfare == pytest.approx(-lp.fun, rel=1e-8)
    np.testing.assert_allclose(
        np.concatenate((result.sold, result.served, result.flow)), lp.x, atol=1e-6 * 1e4
    )
    assert_feasible(big, result)
    assert_prices_certify_optimality(big, result)


def test_linprog_marginals_are_prices_in_our_sign_convention():
    # One node: supply 10 t at 5 $/kg, demand 4 t at 9 $/kg. The supply step is marginal.
    problem = market(1, supply=[(0, 10, 5.0)], demand=[(0, 4, 9.0)])
    assert solve_lp(problem).eqlin.marginals[0] == pytest.approx(5.0)
    assert clear_market(problem).price[0] == pytest.approx(5.0)


# --------------------------------------------------------------------------- hand-made cases


def test_single_node_price_is_the_marginal_supply_step():
    problem = market(
        1,
        supply=[(0, 10, 20.0), (0, 10, 30.0), (0, 10, 40.0)],
        demand=[(0, 15, 100.0), (0, 10, 50.0)],
    )
    result = clear_market(problem)
    # 25 t are wanted at 50 $/kg or more; the 40 $/kg step is the last one needed and
    # only half used, so it sets the price.
    np.testing.assert_allclose(result.sold, [10, 10, 5])
    np.testing.assert_allclose(result.served, [15, 10])
    assert result.price[0] == pytest.approx(40.0)
    assert result.welfare == pytest.approx(15 * 100 + 10 * 50 - 10 * 20 - 10 * 30 - 5 * 40)


def test_single_node_price_is_the_marginal_demand_step():
    problem = market(1, supply=[(0, 10, 20.0)], demand=[(0, 4, 90.0), (0, 20, 50.0)])
    result = clear_market(problem)
    np.testing.assert_allclose(result.served, [4, 6])
    assert result.price[0] == pytest.approx(50.0)


def test_two_nodes_trading_differ_in_price_by_the_arc_cost():
    problem = market(
        2,
        supply=[(0, 100, 10.0)],
        demand=[(1, 30, 80.0), (1, 200, 25.0)],
        arcs=[(0, 1, 4.0, INF)],
    )
    result = clear_market(problem)
    np.testing.assert_allclose(result.flow, [100])
    np.testing.assert_allclose(result.served, [30, 70])
    assert result.price[1] == pytest.approx(25.0)
    assert result.price[1] - result.price[0] == pytest.approx(4.0)


def test_capped_export_gate_gives_two_tier_prices():
    # The 2010 case: cheap supply in "China" (supply S0, demand D1, gate G2), dear demand
    # in "Japan" (D3). China's gate is capped at 20 t; freight China->Japan is 3 $/kg.
    china_supply, china_demand, china_gate, japan_demand = 0, 1, 2, 3
    problem = market(
        4,
        supply=[(china_supply, 100, 10.0), (china_supply, 100, 11.0)],
        demand=[(china_demand, 60, 40.0), (china_demand, 200, 12.0),
                (japan_demand, 50, 120.0), (japan_demand, 50, 70.0)],
        arcs=[(china_supply, china_demand, 0.0, INF),
              (china_supply, china_gate, 0.0, 20.0),
              (china_gate, japan_demand, 3.0, INF)],
    )
    result = clear_market(problem)
    assert result.flow[1] == pytest.approx(20.0)  # the quota binds
    np.testing.assert_allclose(result.sold, [100, 100])
    np.testing.assert_allclose(result.served, [60, 120, 20, 0])
    assert result.price[china_demand] == pytest.approx(12.0)
    assert result.price[japan_demand] == pytest.approx(120.0)
    assert result.price[japan_demand] - result.price[china_demand] > 3.0
    assert_prices_certify_optimality(problem, result)


def test_embargo_arc_makes_importer_price_its_highest_unserved_bid():
    exporter, importer = 0, 1
    problem = market(
        2,
        supply=[(exporter, 100, 10.0)],
        demand=[(exporter, 10, 30.0), (importer, 5, 200.0), (importer, 50, 90.0)],
        arcs=[(exporter, importer, 2.0, 0.0)],  # embargo: capacity 0
    )
    result = clear_market(problem)
    np.testing.assert_allclose(result.flow, [0])
    np.testing.assert_allclose(result.served, [10, 0, 0])
    assert result.price[importer] == pytest.approx(200.0)
    assert result.price[exporter] == pytest.approx(10.0)


def test_unreachable_supply_has_price_zero_and_does_not_sell():
    problem = market(2, supply=[(0, 10, 5.0)], demand=[(1, 10, 50.0)], arcs=[(1, 0, 1.0, INF)])
    result = clear_market(problem)
    np.testing.assert_allclose(result.sold, [0])
    assert result.price[0] == pytest.approx(0.0)
    assert result.price[1] == pytest.approx(50.0)


def test_a_tonne_that_can_only_displace_dearer_supply_is_worth_its_cost_less_freight():
    # Node 0 has no steps; shipping to node 1 (2 $/kg) would displace the 30 $/kg step.
    problem = market(2, supply=[(1, 10, 30.0)], demand=[(1, 5, 60.0)], arcs=[(0, 1, 2.0, INF)])
    result = clear_market(problem)
    assert result.price[1] == pytest.approx(30.0)
    assert result.price[0] == pytest.approx(28.0)


def test_pass_through_gates_carry_and_price_what_goes_through_them():
    # Supply 0 -> gate 1 (uncapped, folded away inside) -> demand 2 and 3, and back to 0;
    # a second pass-through node 4 hangs off the gate (a chain, kept as it is).
    problem = market(
        5,
        supply=[(0, 30, 10.0)],
        demand=[(2, 10, 50.0), (3, 40, 30.0)],
        arcs=[(0, 1, 1.0, INF), (1, 2, 2.0, INF), (1, 3, 3.0, 12.0), (1, 0, 0.5, INF),
              (1, 4, 1.0, INF), (4, 3, 1.0, INF)],
    )
    result = clear_market(problem)
    lp = solve_lp(problem)
    assert result.welfare == pytest.approx(-lp.fun)
    np.testing.assert_allclose(result.flow, lp.x[3:], atol=1e-9)
    assert result.flow[0] == pytest.approx(30.0)
    assert result.flow[1] + result.flow[2] + result.flow[3] + result.flow[4] == pytest.approx(30.0)
    assert result.price[1] == pytest.approx(result.price[3] - 2.0)  # via node 4, 1 + 1
    assert_feasible(problem, result)
    assert_prices_certify_optimality(problem, result)


def test_zero_cost_cycles_do_not_trap_the_solver():
    problem = market(
        3,
        supply=[(0, 10, 1.0), (1, 5, 2.0)],
        demand=[(2, 12, 9.0), (0, 2, 9.0)],
        arcs=[(0, 1, 0.0, INF), (1, 0, 0.0, INF), (1, 2, 0.0, INF), (2, 1, 0.0, 3.0)],
    )
    result = clear_market(problem)
    assert result.welfare == pytest.approx(14 * 9.0 - 10 * 1.0 - 4 * 2.0)
    assert_feasible(problem, result)
    assert_prices_certify_optimality(problem, result)


def test_quantities_balance_at_every_node_and_are_never_negative():
    problem = world_market(np.random.default_rng(77), 400, quota=200.0)
    result = clear_market(problem)
    assert_feasible(problem, result)  # bounds, and mass balance to 1e-9 t per 1000 t


def test_parallel_and_antiparallel_arcs_use_the_cheaper_route():
    problem = market(
        2,
        supply=[(0, 10, 1.0)],
        demand=[(1, 10, 50.0)],
        arcs=[(0, 1, 5.0, INF), (0, 1, 2.0, 4.0), (1, 0, 1.0, INF)],
    )
    result = clear_market(problem)
    np.testing.assert_allclose(result.flow, [6, 4, 0])
    assert result.price[1] - result.price[0] == pytest.approx(5.0)


@pytest.mark.parametrize(
    "problem",
    [
        market(0),
        market(3),
        market(2, supply=[(0, 10, 1.0)]),
        market(2, demand=[(1, 10, 10.0)]),
        market(2, arcs=[(0, 1, 1.0, INF)]),
        market(2, supply=[(0, 10, 1.0)], demand=[(1, 10, 10.0)]),
        market(1, supply=[(0, 0, 1.0)], demand=[(0, 0, 10.0)]),
    ],
    ids=["no nodes", "nodes only", "supply only", "demand only", "arcs only",
         "no arcs", "zero quantities"],
)
def test_empty_and_trivial_problems_clear_to_nothing(problem):
    result = clear_market(problem)
    assert result.sold.shape == (problem.n_supply,)
    assert result.served.shape == (problem.n_demand,)
    assert result.flow.shape == (problem.n_arcs,)
    assert result.price.shape == (problem.n_nodes,)
    assert not result.sold.any() and not result.served.any() and not result.flow.any()
    assert result.welfare == 0.0
    assert (result.price >= 0).all()


def test_demand_only_node_is_priced_at_its_top_bid():
    assert clear_market(market(2, demand=[(1, 10, 10.0), (1, 5, 20.0)])).price[1] == 20.0


def test_clearing_is_deterministic_and_results_are_read_only():
    problem = random_market(np.random.default_rng(5), 6, integer=True)
    first, second = clear_market(problem), clear_market(problem)
    for name in ("sold", "served", "flow", "price"):
        assert np.array_equal(getattr(first, name), getattr(second, name))
        assert not getattr(first, name).flags.writeable
    assert first.welfare == second.welfare


def test_clear_markets_clears_each_problem_in_order():
    rng = np.random.default_rng(9)
    problems = [random_market(rng, 4) for _ in range(3)]
    for problem, result in zip(problems, clear_markets(problems)):
        assert result.welfare == pytest.approx(clear_market(problem).welfare)
    assert clear_markets([]) == []


@pytest.mark.parametrize("seed", range(200))
def test_the_flows_alone_are_clear_markets_flows_to_the_bit(seed):
    rng = np.random.default_rng(seed)
    problems = [random_market(rng, int(rng.integers(1, 7)), integer=bool(seed % 2))]
    problems.append(world_market(rng, int(rng.integers(4, 60)), quota=float(rng.uniform(0.0, 900.0))))
    for problem in problems:
        flow = clear_flows(problem)
        assert flow.tobytes() == clear_market(problem).flow.tobytes()
        assert not flow.flags.writeable


def world_market(rng: np.random.Generator, steps: int, quota: float) -> MarketProblem:
    """Twelve nations with S, D and G nodes as in the game; China (0) has most of the
    cheap supply and a capped gate, and its exports to Japan (1) are embargoed."""
    n = 12
    arcs = [(3 * i, 3 * i + 1, 0.0, INF) for i in range(n)]
    arcs += [(3 * i, 3 * i + 2, 0.0, quota if i == 0 else INF) for i in range(n)]
    arcs += [(3 * i + 2, 3 * j + 1, float(rng.uniform(1, 5)), 0.0 if (i, j) == (0, 1) else INF)
             for i in range(n) for j in range(n) if i != j]
    supply = [(0, 2000.0 / steps, float(c)) for c in rng.uniform(5, 15, steps // 2)]
    supply += [(3 * int(i), 400.0 / steps, float(c))
               for i, c in zip(rng.integers(1, n, steps // 2), rng.uniform(40, 80, steps // 2))]
    demand = [(3 * int(i) + 1, 2400.0 / steps, float(v))
              for i, v in zip(rng.integers(0, n, steps), rng.uniform(20, 150, steps))]
    return market(3 * n, supply, demand, arcs)


@pytest.mark.parametrize("steps", [20, 400])
def test_world_shaped_market_matches_linprog(steps):
    problem = world_market(np.random.default_rng(steps), steps, quota=300.0)
    result = clear_market(problem)
    lp = solve_lp(problem)
    assert result.welfare == pytest.approx(-lp.fun, rel=1e-9)
    np.testing.assert_allclose(
        np.concatenate((result.sold, result.served, result.flow)), lp.x, atol=1e-6 * 2400
    )
    assert_feasible(problem, result)
    assert_prices_certify_optimality(problem, result)


def test_world_shaped_network_prices_china_low_and_importers_high():
    rng = np.random.default_rng(2010)
    n = 12
    problem = world_market(rng, 60, quota=50.0)
    result = clear_market(problem)
    lp = solve_lp(problem)
    assert result.welfare == pytest.approx(-lp.fun, rel=1e-9)
    assert_feasible(problem, result)
    assert_prices_certify_optimality(problem, result)
    china = result.price[1]
    abroad = result.price[[3 * i + 1 for i in range(1, n)]]
    assert result.flow[n] == pytest.approx(50.0)  # China's quota binds
    assert (abroad > china + 5.0).all()  # two tiers, far more than freight apart


# --------------------------------------------------------------------------- validation


def valid_fields() -> dict:
    return dict(
        n_nodes=2,
        supply_node=np.array([0]), supply_qty=np.array([1.0]), supply_cost=np.array([1.0]),
        demand_node=np.array([1]), demand_qty=np.array([1.0]), demand_value=np.array([5.0]),
        arc_from=np.array([0]), arc_to=np.array([1]), arc_cost=np.array([1.0]),
        arc_cap=np.array([INF]),
    )


@pytest.mark.parametrize(
    "field", ["supply_qty", "supply_cost", "demand_qty", "demand_value", "arc_cost", "arc_cap"]
)
def test_nan_is_rejected_naming_the_field(field):
    fields = valid_fields()
    fields[field] = np.array([np.nan])
    with pytest.raises(ValueError, match=field):
        MarketProblem(**fields)


@pytest.mark.parametrize(
    "field", ["supply_qty", "supply_cost", "demand_qty", "demand_value", "arc_cost", "arc_cap"]
)
def test_negative_values_are_rejected_naming_the_field(field):
    fields = valid_fields()
    fields[field] = np.array([-1.0])
    with pytest.raises(ValueError, match=field):
        MarketProblem(**fields)


@pytest.mark.parametrize(
    "field", ["supply_qty", "supply_cost", "demand_qty", "demand_value", "arc_cost"]
)
def test_infinity_is_rejected_except_for_arc_capacity(field):
    fields = valid_fields()
    fields[field] = np.array([INF])
    with pytest.raises(ValueError, match=field):
        MarketProblem(**fields)


@pytest.mark.parametrize(
    "field, value",
    [
        ("supply_qty", np.array([1.0, 2.0])),
        ("demand_value", np.array([[5.0]])),
        ("arc_to", np.array([1, 0])),
        ("arc_cap", np.array([])),
        ("supply_node", np.array([[0]])),
    ],
)
def test_mismatched_shapes_are_rejected_naming_the_field(field, value):
    fields = valid_fields()
    fields[field] = value
    with pytest.raises(ValueError, match=field):
        MarketProblem(**fields)


@pytest.mark.parametrize(
    "field, value",
    [
        ("supply_node", np.array([2])),
        ("arc_from", np.array([-1])),
        ("demand_node", np.array([0.5])),
    ],
)
def test_bad_node_indices_are_rejected_naming_the_field(field, value):
    fields = valid_fields()
    fields[field] = value
    with pytest.raises(ValueError, match=field):
        MarketProblem(**fields)


@pytest.mark.parametrize("n_nodes", [-1, 1.5, True, "3"])
def test_bad_node_count_is_rejected(n_nodes):
    fields = valid_fields()
    fields["n_nodes"] = n_nodes
    with pytest.raises(ValueError, match="n_nodes"):
        MarketProblem(**fields)


def test_problem_arrays_are_copied_and_read_only():
    fields = valid_fields()
    problem = MarketProblem(**fields)
    fields["supply_qty"][0] = 99.0
    assert problem.supply_qty[0] == 1.0
    assert not problem.supply_qty.flags.writeable
    assert problem.supply_node.dtype == np.int64 and problem.arc_cap.dtype == np.float64


def test_floyd_warshall_through_the_arcs_known_nodes_equals_reading_them_off_the_weights():
    # The solve's first distances pass through the nodes its arcs say have a way in and out;
    # later ones read them off the weights. Both must give the same bits.
    from game.world.market import _shortest_distances, _SolveArcs

    rng = np.random.default_rng(7)
    for n in (1, 2, 5, 12, 36):
        for _ in range(20):
            size = int(rng.integers(0, n * n + 1))
            tails, heads = rng.integers(0, n, size), rng.integers(0, n, size)
            arcs = _SolveArcs(n, tails, heads)  # parallel arcs and self-loops too
            weight, _ = arcs.cheapest_edges(rng.uniform(0.0, 20.0, size) + 1e-9)
            known = _shortest_distances(weight, arcs.through_nodes)
            read = _shortest_distances(weight)
            assert known.tobytes() == read.tobytes()


def test_holds_true_says_what_any_says():
    from game.world.market import _any, _holds_true

    rng = np.random.default_rng(3)
    for size in (0, 1, 7, 36, 1000):
        for share in (0.0, 0.01, 0.5, 1.0):
            mask = rng.random(size) < share
            assert _holds_true(mask) == bool(_any(mask))
            assert _holds_true(mask[::2]) == bool(_any(mask[::2]))


@pytest.mark.parametrize("dearest_first", [False, True])
def test_steps_by_node_and_price_come_in_the_order_lexsort_gives(dearest_first):
    # The clearing orders its steps with two integer sorts of the prices' bits; a float
    # lexsort is the specification, ties (zeros of either sign among them) in input order.
    from game.world.market import _order_by_node

    rng = np.random.default_rng(11)
    for size in (0, 1, 2, 9, 54, 1000, 12000):
        for draw in range(6):
            node = rng.integers(0, 1 + draw * 7, size)
            if draw % 3 == 0:
                price = rng.uniform(0.0, 600.0, size)  # all different
            elif draw % 3 == 1:
                price = rng.integers(0, 5, size).astype(float)  # many equal
            else:
                price = rng.choice([0.0, -0.0, 5e-324, 1.0, 1e300, np.finfo(float).max], size)
            expected = np.lexsort((-price if dearest_first else price, node))
            np.testing.assert_array_equal(_order_by_node(node, price, dearest_first), expected)


def test_clearing_world_markets_leaves_numpy_masked_arrays_unloaded():
    """NumPy's ``unique`` (and ``intersect1d``, which calls it) imports ``numpy.ma`` on its first
    call, tens of milliseconds of a headless run spent in its first clearing: the market asks
    whether its arcs are distinct, and which nodes pass flow on, without them."""
    import subprocess
    import sys

    probe = ("import sys; from game.research import run; run('2010-trawler', 'passive', 0, agents=False, turns=2); "
             "print('numpy.ma' in sys.modules)")
    loaded = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True).stdout
    assert loaded.strip() == "False"


@given(st.lists(st.integers(0, 40), max_size=30), st.lists(st.integers(0, 40), max_size=30))
def test_the_arcs_own_figures_are_those_numpy_unique_gives(tails, heads):
    from game.world.market import _all_distinct, _SolveArcs

    tails, heads = np.array(tails, dtype=np.int64), np.array(heads, dtype=np.int64)
    assert _all_distinct(tails) == (np.unique(tails).size == tails.size)
    size = min(tails.size, heads.size)
    arcs = _SolveArcs(41, tails[:size], heads[:size])
    assert arcs.distinct == (np.unique(tails[:size] * 41 + heads[:size]).size == size)
    assert arcs.through_nodes == np.intersect1d(tails[:size], heads[:size]).tolist()


def test_price_passes_over_the_open_edges_alone_give_the_dense_passes_bits(monkeypatch):
    # Node prices pass over each tail's open residual edges where the network has no two
    # edges at one place and no use is worth zero; the dense n*n passes are the
    # specification, and every price must come out with the same bits.
    import game.world.market as market_module
    from game.world.market import _node_prices, _residual_places, _trade

    by_tail = market_module._node_prices_by_tail
    sparse_calls = []
    monkeypatch.setattr(market_module, "_node_prices_by_tail",
                        lambda *args: sparse_calls.append(1) or by_tail(*args))
    rng = np.random.default_rng(23)
    compared = 0
    for seed in range(400):
        problems = [random_market(rng, int(rng.integers(1, 9)), integer=bool(seed % 2)),
                    world_market(rng, int(rng.integers(4, 80)), quota=float(rng.uniform(0.0, 900.0)))]
        for problem in problems:
            sold, served, flow, usable, qty_tol = _trade(problem)
            forward, backward, distinct = _residual_places(
                problem.n_nodes, problem.arc_from.tobytes(), problem.arc_to.tobytes())
            if not distinct:
                continue
            sparse = _node_prices(problem, sold, served, flow, usable, qty_tol, (forward, backward, True))
            dense = _node_prices(problem, sold, served, flow, usable, qty_tol, (forward, backward, False))
            assert sparse.tobytes() == dense.tobytes()
            compared += 1
    assert compared >= 400 and len(sparse_calls) >= 300
