"""Benchmark spot-market clearing on synthetic 12-country worlds.

Run as ``python benchmarks/bench_market.py``. Each world has, per material, a supply
node S_i, a demand node D_i and an export gate G_i for each of 12 countries; arcs
S_i->D_i, S_i->G_i and G_i->D_j (j != i). Country 0 ("China") has most of the cheap
supply and a capped export gate; one route (China -> country 1, "Japan") is embargoed.
The script times ``clear_markets`` on three materials at once and prints the median.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from game.world.market import MarketProblem, clear_markets  # noqa: E402

N_COUNTRIES = 12
N_MATERIALS = 3
CHINA, JAPAN = 0, 1


def supply_node(country: int) -> int:
    return country


def demand_node(country: int) -> int:
    return N_COUNTRIES + country


def gate_node(country: int) -> int:
    return 2 * N_COUNTRIES + country


def build_world(steps_per_side: int, seed: int) -> MarketProblem:
    """One material's market with ``steps_per_side`` supply and demand steps.

    Args:
        steps_per_side: Number of supply steps, and of demand steps.
        seed: Seed of the generator that draws costs, values and sizes.

    Returns:
        The market problem.
    """
    rng = np.random.default_rng(seed)
    # China holds ~60% of the supply steps and they are cheaper.
    supply_share = np.full(N_COUNTRIES, 0.4 / (N_COUNTRIES - 1))
    supply_share[CHINA] = 0.6
    supply_country = rng.choice(N_COUNTRIES, size=steps_per_side, p=supply_share)
    supply_cost = rng.uniform(8.0, 60.0, steps_per_side)
    supply_cost[supply_country == CHINA] *= 0.4
    supply_qty = rng.uniform(50.0, 400.0, steps_per_side) * 40.0 / steps_per_side * 10.0
    demand_country = rng.integers(0, N_COUNTRIES, steps_per_side)
    demand_value = rng.uniform(5.0, 120.0, steps_per_side)
    demand_qty = rng.uniform(50.0, 400.0, steps_per_side) * 40.0 / steps_per_side * 10.0

    arc_from, arc_to, arc_cost, arc_cap = [], [], [], []
    china_supply = float(supply_qty[supply_country == CHINA].sum())
    for exporter in range(N_COUNTRIES):
        arc_from.append(supply_node(exporter))
        arc_to.append(demand_node(exporter))
        arc_cost.append(0.0)
        arc_cap.append(np.inf)
        arc_from.append(supply_node(exporter))
        arc_to.append(gate_node(exporter))
        arc_cost.append(0.0)
        # Export quota on China's gate: a fifth of its capacity.
        arc_cap.append(0.2 * china_supply if exporter == CHINA else np.inf)
        for importer in range(N_COUNTRIES):
            if importer == exporter:
                continue
            arc_from.append(gate_node(exporter))
            arc_to.append(demand_node(importer))
            arc_cost.append(float(rng.uniform(0.5, 6.0)))  # freight + tariff + friction
            arc_cap.append(0.0 if (exporter, importer) == (CHINA, JAPAN) else np.inf)

    return MarketProblem(
        n_nodes=3 * N_COUNTRIES,
        supply_node=np.array([supply_node(c) for c in supply_country]),
        supply_qty=supply_qty,
        supply_cost=supply_cost,
        demand_node=np.array([demand_node(c) for c in demand_country]),
        demand_qty=demand_qty,
        demand_value=demand_value,
        arc_from=np.array(arc_from),
        arc_to=np.array(arc_to),
        arc_cost=np.array(arc_cost),
        arc_cap=np.array(arc_cap),
    )


def median_seconds(function, repeats: int) -> float:
    """Median wall time of ``function()`` over ``repeats`` calls, after one warm-up."""
    function()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def linprog_seconds(problems: list[MarketProblem], repeats: int) -> float | None:
    """Median time for scipy's HiGHS to solve the same LPs, or None without scipy."""
    try:
        from scipy.optimize import linprog
    except ImportError:
        return None

    def as_lp(problem: MarketProblem) -> dict:
        n_s, n_d, n_a = problem.n_supply, problem.n_demand, problem.n_arcs
        a_eq = np.zeros((problem.n_nodes, n_s + n_d + n_a))
        a_eq[problem.supply_node, np.arange(n_s)] += 1.0
        a_eq[problem.demand_node, n_s + np.arange(n_d)] -= 1.0
        np.add.at(a_eq, (problem.arc_to, n_s + n_d + np.arange(n_a)), 1.0)
        np.add.at(a_eq, (problem.arc_from, n_s + n_d + np.arange(n_a)), -1.0)
        upper = np.concatenate((problem.supply_qty, problem.demand_qty, problem.arc_cap))
        return {
            "c": np.concatenate((problem.supply_cost, -problem.demand_value, problem.arc_cost)),
            "A_eq": a_eq,
            "b_eq": np.zeros(problem.n_nodes),
            "bounds": np.column_stack((np.zeros_like(upper), upper)),
            "method": "highs",
        }

    lps = [as_lp(problem) for problem in problems]
    return median_seconds(lambda: [linprog(**lp) for lp in lps], repeats)


def main() -> None:
    rows = []
    for steps, repeats in ((40, 500), (400, 100), (4000, 10)):
        problems = [build_world(steps, seed=1000 * steps + m) for m in range(N_MATERIALS)]
        ours = median_seconds(lambda: clear_markets(problems), repeats)
        scipy_time = linprog_seconds(problems, 50) if steps == 40 else None
        rows.append((steps, ours, scipy_time))

    print(f"clear_markets on {N_MATERIALS} materials, {N_COUNTRIES} countries "
          f"({3 * N_COUNTRIES} nodes, {N_COUNTRIES * (N_COUNTRIES + 1)} arcs), median wall time")
    print(f"{'steps/side':>10} | {'clear_markets':>14} | {'linprog (HiGHS)':>16}")
    print(f"{'-' * 10}-+-{'-' * 14}-+-{'-' * 16}")
    for steps, ours, scipy_time in rows:
        scipy_text = f"{scipy_time * 1e3:13.3f} ms" if scipy_time is not None else f"{'-':>16}"
        print(f"{steps:>10} | {ours * 1e3:11.3f} ms | {scipy_text}")


if __name__ == "__main__":
    main()
