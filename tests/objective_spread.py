"""How each level's objectives come out over many seeds, to set their thresholds from.

For every shipped level (or the ones named), plays passive, history and the bot over seeds
0-9 and prints, per objective, the deciding value each strategy reached (lowest, median,
highest over the seeds) and how many seeds met today's threshold, then the stars:

    python tests/objective_spread.py                 # all levels, seeds 0-9
    python tests/objective_spread.py 2011-spike --seeds 5

Thresholds are set so that history earns a star on every seed and the bot beats passive;
the spread shows how much room a threshold leaves.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

if __name__ == "__main__":  # run as a script: find the project's packages
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from game.objectives import judge, score  # noqa: E402
from game.players import controller_for  # noqa: E402
from game.scenario import find_level, load_level, shipped_level_paths  # noqa: E402
from game.session import Session  # noqa: E402

STRATEGIES = ("passive", "history", "bot")


def spread(level_id: str, seeds: int) -> str:
    scenario = load_level(find_level(level_id))
    values = {(o.id, s): [] for o in scenario.objectives for s in STRATEGIES}
    met = {(o.id, s): 0 for o in scenario.objectives for s in STRATEGIES}
    stars = {s: [] for s in STRATEGIES}
    for strategy in STRATEGIES:
        for seed in range(seeds):
            session = Session(scenario, controller_for(strategy, scenario), seed=seed)
            try:
                session.run()
                rows = session.rows()
            finally:
                session.close()
            for objective in scenario.objectives:
                verdict = judge(objective, rows)
                values[(objective.id, strategy)].append(verdict.value)
                met[(objective.id, strategy)] += verdict.met
            stars[strategy].append(score(scenario.objectives, rows).stars)
    lines = [f"== {level_id}"]
    for objective in scenario.objectives:
        lines.append(f"  [{objective.star}] {objective.id}: {objective.indicator} {objective.rule} "
                     f"{objective.threshold:g}")
        for strategy in STRATEGIES:
            got = [v for v in values[(objective.id, strategy)] if v is not None]
            if got:
                lines.append(f"      {strategy:<8} min {min(got):10.3f}  median {statistics.median(got):10.3f}  "
                             f"max {max(got):10.3f}  met {met[(objective.id, strategy)]}/{seeds}")
    lines.append("  stars: " + "  ".join(f"{s} {stars[s]}" for s in STRATEGIES))
    for objective in scenario.objectives:  # every seed's value, for a threshold to be chosen from
        for strategy in STRATEGIES:
            shown = ", ".join("-" if v is None else f"{v:.3f}" for v in values[(objective.id, strategy)])
            lines.append(f"    {objective.id} {strategy}: {shown}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("levels", nargs="*", help="level ids (default: every shipped level)")
    parser.add_argument("--seeds", type=int, default=10, help="seeds 0..N-1 (default 10)")
    args = parser.parse_args()
    for level_id in args.levels or [p.stem for p in shipped_level_paths() if p.stem != "sandbox"]:
        print(spread(level_id, args.seeds), flush=True)


if __name__ == "__main__":
    main()
