"""Benchmark spot-market clearing on synthetic 12-country worlds.

Run as ``python benchmarks/bench_market.py``. Each world is built like the game's trade
network: per country a supply node S, a demand node D and an export gate G; arcs S->D,
S->G and G->D' for every other country. Country 0 ("China") has most of the cheap supply
and an export quota on its gate; its exports to country 1 ("Japan") are embargoed.

Two layouts are timed, each with 40, 400 and 4000 supply and demand steps per material:

* ``all trade``: every country both produces and consumes (the dense worst case);
* ``split``: five producing and eight consuming countries, like the shipped level.

For each, ``clear_markets`` clears three materials at once; the table shows the median
over many repeats, and scipy's HiGHS on the same LPs for comparison where it is quick.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from game.world.market import MarketProblem, clear_markets  # noqa: E402

N_COUNTRIES = 12
N_MATERIALS = 3
CHINA, JAPAN = 0, 1
PRODUCERS = (CHINA, 2, 3, 4, 5)  # the "split" layout
CONSUMERS = (CHINA, JAPAN, 2, 6, 7, 8, 9, 10)


def supply_node(country: int) -> int:
    return 3 * country


def demand_node(country: int) -> int:
    return 3 * country + 1


def gate_node(country: int) -> int:
    return 3 * country + 2


def build_world(steps_per_side: int, seed: int, layout: str = "all trade") -> MarketProblem:
    """One material's market with ``steps_per_side`` supply and demand steps.

    Args:
        steps_per_side: Number of supply steps, and of demand steps.
        seed: Seed for the costs, values and sizes.
        layout: ``"all trade"`` or ``"split"`` (see the module docstring).

    Returns:
        The market problem. Total volumes do not depend on the number of steps.
    """
    rng = np.random.default_rng(seed)
    if layout == "all trade":
        producers, consumers = np.arange(N_COUNTRIES), np.arange(N_COUNTRIES)
    else:
        producers, consumers = np.array(PRODUCERS), np.array(CONSUMERS)
    share = np.full(producers.size, 0.4 / (producers.size - 1))
    share[producers == CHINA] = 0.6
    supply_country = rng.choice(producers, size=steps_per_side, p=share)
    supply_cost = rng.uniform(8.0, 60.0, steps_per_side)
    supply_cost[supply_country == CHINA] *= 0.4
    supply_qty = rng.uniform(50.0, 400.0, steps_per_side) * 400.0 / steps_per_side
    demand_country = rng.choice(consumers, size=steps_per_side)
    demand_value = rng.uniform(5.0, 120.0, steps_per_side)
    demand_qty = rng.uniform(50.0, 400.0, steps_per_side) * 400.0 / steps_per_side

    china_supply = float(supply_qty[supply_country == CHINA].sum())
    arcs = []  # (from, to, cost, cap)
    for exporter in range(N_COUNTRIES):
        arcs.append((supply_node(exporter), demand_node(exporter), 0.0, np.inf))
        quota = 0.2 * china_supply if exporter == CHINA else np.inf
        arcs.append((supply_node(exporter), gate_node(exporter), 0.0, quota))
        for importer in range(N_COUNTRIES):
            if importer != exporter:
                freight_and_duties = float(rng.uniform(0.5, 6.0))
                cap = 0.0 if (exporter, importer) == (CHINA, JAPAN) else np.inf
                arcs.append((gate_node(exporter), demand_node(importer), freight_and_duties, cap))
    arc_from, arc_to, arc_cost, arc_cap = (np.array(column) for column in zip(*arcs))
    return MarketProblem(
        n_nodes=3 * N_COUNTRIES,
        supply_node=supply_node(supply_country), supply_qty=supply_qty, supply_cost=supply_cost,
        demand_node=demand_node(demand_country), demand_qty=demand_qty, demand_value=demand_value,
        arc_from=arc_from.astype(np.int64), arc_to=arc_to.astype(np.int64),
        arc_cost=arc_cost, arc_cap=arc_cap,
    )


def median_seconds(function: Callable[[], object], repeats: int) -> float:
    """Median wall time of ``function()`` over ``repeats`` calls, after a warm-up call."""
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
    for layout in ("all trade", "split"):
        for steps, repeats in ((40, 400), (400, 60), (4000, 10)):
            problems = [build_world(steps, seed=1000 * steps + m, layout=layout)
                        for m in range(N_MATERIALS)]
            ours = median_seconds(lambda: clear_markets(problems), repeats)
            reference = linprog_seconds(problems, 40) if steps == 40 else None
            rows.append((layout, steps, ours, reference))

    print(f"clear_markets, {N_MATERIALS} materials, {N_COUNTRIES} countries "
          f"({3 * N_COUNTRIES} nodes, {N_COUNTRIES * (N_COUNTRIES + 1)} arcs); median wall time")
    print(f"{'layout':<10} | {'steps/side':>10} | {'clear_markets':>13} | {'linprog (HiGHS)':>15}")
    print(f"{'-' * 10}-+-{'-' * 10}-+-{'-' * 13}-+-{'-' * 15}")
    for layout, steps, ours, reference in rows:
        reference_text = f"{reference * 1e3:12.2f} ms" if reference is not None else f"{'-':>15}"
        print(f"{layout:<10} | {steps:>10} | {ours * 1e3:10.2f} ms | {reference_text}")


if __name__ == "__main__":
    main()
