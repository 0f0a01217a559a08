"""Median cost of one turn (one quarter) of the 2010 world, and of synthetic worlds with
1,000 and 10,000 firms.

A synthetic world splits every firm of the 2010 world into k identical smaller firms
(``game.research.scaling.split_firms``: capacity, stock and needs divided by k; each copy of a
plant fed by the same copy of its mines), so the world's totals and its behaviour stay those of 2010 while the number of
agents and market steps grows. Run: ``python benchmarks/bench_turn.py [--repeats N]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game.research.scaling import split_firms  # noqa: E402
from game.scenario import find_level, load_level  # noqa: E402
from game.spec import Scenario  # noqa: E402
from game.session import Session  # noqa: E402


def turn_costs(scenario: Scenario, turns: int, seed: int = 0, agent_data: bool = True) -> list[float]:
    """Seconds per turn, for ``turns`` turns of one session (strategy: passive)."""
    return [wall for wall, _ in turn_wall_and_cpu_costs(scenario, turns, seed, agent_data)]


def turn_wall_and_cpu_costs(scenario: Scenario, turns: int, seed: int = 0,
                            agent_data: bool = True) -> list[tuple[float, float]]:
    """(wall seconds, CPU seconds) per turn, for ``turns`` turns of one session (strategy:
    passive), both clocks read around the same turn. The process's CPU time leaves out the
    time other programs held the processor, which the wall clock counts on a busy machine."""
    session = Session(scenario, seed=seed, agent_data=agent_data)
    costs = []
    for _ in range(min(turns, scenario.n_turns)):
        wall, cpu = time.perf_counter(), time.process_time()
        session.play_turn()
        costs.append((time.perf_counter() - wall, time.process_time() - cpu))
    session.close()
    return costs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="runs of each world (default 5)")
    parser.add_argument("--no-agent-data", dest="agent_data", action="store_false",
                        help="without the agent reporters' rows (as a sweep runs)")
    args = parser.parse_args()
    base = load_level(find_level("2010-trawler"))
    n_firms = len(base.world.firms)
    worlds = [("2010 world", 1, 10), ("~1,000 firms", round(1000 / n_firms), 10),
              ("~10,000 firms", round(10000 / n_firms), 3)]
    print(f"{'world':<15}{'firms':>8}{'median ms/turn':>16}{'p95 ms/turn':>13}{'us/firm':>10}")
    for name, copies, turns in worlds:
        scenario = split_firms(base, copies)
        costs = []
        for repeat in range(args.repeats if copies < 100 else max(1, args.repeats // 3)):
            costs.extend(turn_costs(scenario, turns, seed=repeat, agent_data=args.agent_data))
        median = statistics.median(costs)
        p95 = sorted(costs)[int(0.95 * (len(costs) - 1))]
        firms = len(scenario.world.firms)
        print(f"{name:<15}{firms:>8}{median * 1e3:>16.2f}{p95 * 1e3:>13.2f}{median * 1e6 / firms:>10.1f}")


if __name__ == "__main__":
    main()
