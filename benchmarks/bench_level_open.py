"""Time to open each shipped level: read its file and build its world at its first turn.

A level that continues the sandbox's history (``starts_from``) first plays the sandbox with
Japan's history strategy up to its start; the process keeps that world (``HISTORY_STARTS``)
and hands out copies. "cold" clears that cache before each open (what the first open of a
level in a new process costs, imports aside); "warm" opens it again with the cache full.
Medians over ``--repeats`` opens. Run: ``python benchmarks/bench_level_open.py [--repeats N]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game.scenario import load_level, shipped_level_paths  # noqa: E402
from game.session import HISTORY_STARTS, Session  # noqa: E402


def open_seconds(path: Path, seed: int) -> float:
    began = time.perf_counter()
    session = Session(load_level(path), seed=seed)
    took = time.perf_counter() - began
    session.close()
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    open_seconds(shipped_level_paths()[0], args.seed)  # imports and first-call costs, not counted
    print(f"{'level':<20} {'start':<7} {'cold ms':>8} {'warm ms':>8}")
    for path in shipped_level_paths():
        cold, warm = [], []
        for _ in range(args.repeats):
            HISTORY_STARTS.clear()
            cold.append(open_seconds(path, args.seed))
            warm.append(open_seconds(path, args.seed))
        start = load_level(path).start
        print(f"{path.stem:<20} {str(start):<7} {1000 * statistics.median(cold):8.1f} "
              f"{1000 * statistics.median(warm):8.1f}")


if __name__ == "__main__":
    main()
