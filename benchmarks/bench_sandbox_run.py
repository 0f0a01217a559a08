"""Time a whole sandbox run (2010Q3-2035Q4, 102 quarters) with Japan played by history.

Each seed is timed once in this process after a warm-up run (imports and first-call costs
not counted); the median over seeds is the figure the README quotes, with the slowest.
Run: ``python benchmarks/bench_sandbox_run.py [--seeds N] [--strategy NAME]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game.players import controller_for  # noqa: E402
from game.scenario import find_level, load_level  # noqa: E402
from game.session import Session  # noqa: E402


def run_seconds(strategy: str, seed: int) -> tuple[float, int]:
    scenario = load_level(find_level("sandbox"))
    began = time.perf_counter()
    session = Session(scenario, controller_for(strategy, scenario), seed=seed)
    session.run()
    took = time.perf_counter() - began
    quarters = len(session.rows())
    session.close()
    return took, quarters


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--strategy", default="history")
    args = parser.parse_args()
    run_seconds(args.strategy, 0)  # warm-up
    times = []
    for seed in range(args.seeds):
        took, quarters = run_seconds(args.strategy, seed)
        times.append(took)
        print(f"seed {seed}: {took:.3f} s for {quarters} quarters ({1000 * took / quarters:.1f} ms a quarter)")
    print(f"median {statistics.median(times):.3f} s, slowest {max(times):.3f} s over {args.seeds} seeds")


if __name__ == "__main__":
    main()
