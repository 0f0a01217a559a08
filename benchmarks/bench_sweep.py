"""Sweep speed: runs per second of 2010-trawler with one worker (this process), two worker
processes and a local Dask cluster of two, against ``game.research.run`` called in a loop.

The sweep is 2 strategies (history, bot) x 200 seeds by default; every executor must write
the same file, byte for byte (checked here). Reported: runs per second of each (median over
``--repeats``), the ratio of two workers to one, and the per-run cost of the one-worker sweep
against the loop (what a sweep adds to a run: writing, batching, the summary).
Run: ``python benchmarks/bench_sweep.py [--seeds N] [--repeats R] [--no-dask]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game.research import run
from game.research.sweep import check_output, execute, parse_seeds, plan_sweep

LEVEL = "2010-trawler"
STRATEGIES = ("history", "bot")


def loop_seconds(seeds: tuple[int, ...]) -> float:
    began = time.perf_counter()
    for strategy in STRATEGIES:
        for seed in seeds:
            run(LEVEL, strategy, seed, agents=False)  # what a sweep keeps: the indicators
    return time.perf_counter() - began


def sweep_seconds(plan, folder: Path, name: str, workers: int, scheduler: str | None) -> tuple[float, bytes]:
    out = check_output(folder / name, False)
    began = time.perf_counter()
    execute(plan, out, workers=workers, scheduler=scheduler, progress=False)
    took = time.perf_counter() - began
    data = out.read_bytes()
    out.unlink()
    return took, data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-dask", action="store_true", help="leave out the local Dask cluster")
    args = parser.parse_args()
    seeds = parse_seeds(f"0-{args.seeds - 1}")
    plan = plan_sweep(LEVEL, list(STRATEGIES), seeds)
    runs = plan.size
    run(LEVEL, "history", 0)  # warm-up: imports, the level read once
    timings: dict[str, list[float]] = {"loop of run()": [], "sweep, 1 worker": [], "sweep, 2 processes": []}
    if not args.no_dask:
        timings["sweep, local-dask x2"] = []
    files: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(args.repeats):
            timings["loop of run()"].append(loop_seconds(seeds))
            for label, workers, scheduler in (("sweep, 1 worker", 1, None), ("sweep, 2 processes", 2, None),
                                              ("sweep, local-dask x2", 2, "local-dask")):
                if label not in timings:
                    continue
                took, data = sweep_seconds(plan, Path(folder), "results.parquet", workers, scheduler)
                timings[label].append(took)
                files.setdefault(label, data)
                if files[label] != data:
                    sys.exit(f"{label}: two runs of the same sweep wrote different files")
    if len(set(files.values())) != 1:
        sys.exit("the executors wrote different files: " + ", ".join(files))
    print(f"{LEVEL}, {len(STRATEGIES)} strategies x {len(seeds)} seeds = {runs} runs, median of {args.repeats}; "
          "every executor wrote the same file")
    rates = {}
    for label, values in timings.items():
        seconds = statistics.median(values)
        rates[label] = runs / seconds
        print(f"  {label:<22} {runs / seconds:6.1f} runs/s   ({seconds * 1000 / runs:5.1f} ms a run, "
              f"{min(values):.1f}-{max(values):.1f} s a sweep)")
    print(f"  two processes / one worker: {rates['sweep, 2 processes'] / rates['sweep, 1 worker']:.2f}x (aim >= 1.8)")
    cost = rates["loop of run()"] / rates["sweep, 1 worker"] - 1
    print(f"  one-worker sweep against the loop: {cost:+.1%} a run (aim within 10%)")


if __name__ == "__main__":
    main()
