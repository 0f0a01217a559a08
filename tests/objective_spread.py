"""How each level's objectives come out over many seeds, to set their thresholds from.

For every shipped level (or the ones named), plays passive, history and the bot over seeds
0-19 and prints, per objective, the deciding value each strategy reached (lowest, tenth
percentile, median, ninetieth percentile, highest over the seeds), how many seeds met today's
threshold and where the threshold sits among the values; then the stars each strategy earned,
and a line for each of the rules below the level breaks:

    python tests/objective_spread.py                            # all levels, seeds 0-19
    python tests/objective_spread.py 2011-spike --seeds 40 --workers 2
    python tests/objective_spread.py --values                   # also every seed's value

The rules, from the levels' own words ("Targets, not history: set so that doing nothing
earns none and what Japan actually did earns one"):

- doing nothing (passive) earns no star on at least ``SHARE_OF_SEEDS`` of the seeds;
- what Japan did (history) earns at least one on at least that share;
- the bot earns at least one on at least that share;
- three stars are not free: history earns them on at most ``1 - SHARE_OF_SEEDS`` of them.

A threshold is set from the spread: between passive's and history's values for the first star
(with room on both sides), above history's for the third. ``tests/test_level_challenge.py``
checks the same rules on the golden runs' seeds, so a world change that makes a level free
again fails there; this script says by how much, and where to move the threshold.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

if __name__ == "__main__":  # run as a script: find the project's packages
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game.objectives import judge, score  # noqa: E402
from game.players import controller_for  # noqa: E402
from game.scenario import find_level, load_level, shipped_level_paths  # noqa: E402
from game.session import Session  # noqa: E402

STRATEGIES = ("passive", "history", "bot")
#: Share of seeds on which each rule must hold ("nearly every seed": one in twenty may miss).
SHARE_OF_SEEDS = 0.95


def play(level_id: str, strategy: str, seed: int) -> tuple[list[float | None], list[bool], int]:
    """One run: each objective's deciding value and verdict, and the stars."""
    scenario = load_level(find_level(level_id))
    session = Session(scenario, controller_for(strategy, scenario), seed=seed)
    try:
        session.run()
        rows = session.rows()
    finally:
        session.close()
    verdicts = [judge(objective, rows, ended=True) for objective in scenario.objectives]
    return [v.value for v in verdicts], [v.met for v in verdicts], score(scenario.objectives, rows, ended=True).stars


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of the sorted values lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def broken_rules(stars: dict[str, list[int]]) -> list[str]:
    """The rules (see the module's docstring) the stars break, each said in a line."""
    broken = []
    seeds = len(stars["passive"])
    allowed = seeds - int(SHARE_OF_SEEDS * seeds + 1e-9)  # seeds a rule may miss on

    def count(strategy: str, test) -> int:
        return sum(1 for s in stars[strategy] if test(s))

    if count("passive", lambda s: s > 0) > allowed:
        broken.append(f"passive earns a star on {count('passive', lambda s: s > 0)} of {seeds} seeds")
    if count("history", lambda s: s == 0) > allowed:
        broken.append(f"history earns no star on {count('history', lambda s: s == 0)} of {seeds} seeds")
    if count("bot", lambda s: s == 0) > allowed:
        broken.append(f"the bot earns no star on {count('bot', lambda s: s == 0)} of {seeds} seeds")
    if count("history", lambda s: s == 3) > allowed:
        broken.append(f"history earns three stars on {count('history', lambda s: s == 3)} of {seeds} seeds")
    return broken


def spread(level_id: str, results: dict[tuple[str, int], tuple], seeds: list[int], with_values: bool) -> str:
    scenario = load_level(find_level(level_id))
    lines = [f"== {level_id} (seeds {seeds[0]}-{seeds[-1]})"]
    for i, objective in enumerate(scenario.objectives):
        span = f" by {objective.by}" if objective.by else (
            f" {objective.start}-{objective.end}" if objective.start or objective.end else "")
        lines.append(f"  [{objective.star}] {objective.id}: {objective.indicator} {objective.rule} "
                     f"{objective.threshold:g}{span}")
        for strategy in STRATEGIES:
            got = [results[(strategy, seed)][0][i] for seed in seeds]
            got = [v for v in got if v is not None]
            met = sum(results[(strategy, seed)][1][i] for seed in seeds)
            if not got:
                continue
            below = sum(1 for v in got if v < objective.threshold)
            lines.append(f"      {strategy:<8} min {min(got):10.3f}  p10 {percentile(got, 0.1):10.3f}  "
                         f"median {statistics.median(got):10.3f}  p90 {percentile(got, 0.9):10.3f}  "
                         f"max {max(got):10.3f}  met {met}/{len(seeds)}  below threshold {below}/{len(got)}")
    stars = {s: [results[(s, seed)][2] for seed in seeds] for s in STRATEGIES}
    for strategy in STRATEGIES:
        lines.append(f"  stars {strategy:<8} " + " ".join(f"{n}:{stars[strategy].count(n):>2}" for n in range(4)))
    broken = broken_rules(stars)
    lines += [f"  BROKEN: {rule}" for rule in broken] or ["  rules hold"]
    if with_values:
        for i, objective in enumerate(scenario.objectives):  # every seed's value, to choose a threshold from
            for strategy in STRATEGIES:
                shown = ", ".join("-" if v is None else f"{v:.3f}"
                                  for v in (results[(strategy, seed)][0][i] for seed in seeds))
                lines.append(f"    {objective.id} {strategy}: {shown}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("levels", nargs="*", help="level ids (default: every shipped level but the sandbox)")
    parser.add_argument("--seeds", type=int, default=20, help="seeds 0..N-1 (default 20)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--values", action="store_true", help="also print every seed's value")
    args = parser.parse_args()
    if args.seeds < 1 or args.workers < 1:
        parser.error("--seeds and --workers must be at least 1")
    known = [p.stem for p in shipped_level_paths() if p.stem != "sandbox"]
    unknown = [level for level in args.levels if level not in known]
    if unknown:
        parser.error(f"no shipped level {unknown[0]!r} (known: {', '.join(known)})")
    seeds = list(range(args.seeds))
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        for level_id in args.levels or known:
            jobs = {(strategy, seed): pool.submit(play, level_id, strategy, seed)
                    for strategy in STRATEGIES for seed in seeds}
            results = {key: job.result() for key, job in jobs.items()}
            print(spread(level_id, results, seeds, args.values), flush=True)


if __name__ == "__main__":
    main()
