"""Morris screening of the assumptions: which behavioural constants move a level's outcome?

The elementary-effects method (SALib's ``sample.morris`` and ``analyze.morris``): ``--trajectories``
paths through the assumptions' ranges, each changing one assumption at a time, so that k
assumptions cost trajectories x (k + 1) runs. Each run plays the level through
``game.research.runner.run`` (by way of ``game.research.ema.LevelExperiment``), over the same
ranges the EMA connector samples (the level's value plus or minus half of it, clipped to the
field's bounds). Prints per assumption mu* (the mean absolute effect of moving it: how much it
matters), its confidence half-width, and sigma (how much that effect varies with the others:
interactions or non-linearity), sorted by mu*.

Screens ``game.research.ema.DEFAULT_ASSUMPTIONS`` unless ``--names`` or ``--all`` (every
single-number assumption) says otherwise; ``--with-level`` adds the level's own uncertainties
(halt length, quotas...). Seeded: the same arguments print the same table. Writes nothing.
Needs SALib (``pip install SALib ema_workbench``).

Run: ``python examples/morris_screening.py [--level 2010-trawler] [--trajectories 10]
[--outcome min_output_index] [--strategy history] [--names a,b | --all] [--with-level] [--seed 0]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


@dataclasses.dataclass(frozen=True)
class Effect:
    """One input's elementary effects on the outcome."""

    name: str
    mu_star: float
    mu_star_conf: float
    mu: float
    sigma: float


def problem_for(scenario, names: Sequence[str]) -> dict:
    """SALib's problem: each name with the range the EMA connector samples it over.

    Raises:
        AssumptionError: an unknown name (naming ``assumptions.NAME``), before anything runs.
    """
    from game.research import ema

    bounds = []
    for name in names:
        if name in ema.LEVEL_UNCERTAINTIES:
            level = ema.LEVEL_UNCERTAINTIES[name]
            bounds.append([float(level.low), float(level.high)])
        else:
            bounds.append([float(end) for end in ema.assumption_range(scenario, name)])
    return {"num_vars": len(names), "names": list(names), "bounds": bounds}


def screen(level: str = "2010-trawler", names: Sequence[str] | None = None, trajectories: int = 10,
           num_levels: int = 4, strategy: str = "history", outcome: str = "min_output_index",
           seed: int = 0) -> list[Effect]:
    """Morris's mu*, its confidence and sigma for each of ``names`` (default: the connector's
    default assumptions), largest mu* first. Whole-number assumptions are rounded to whole numbers."""
    from SALib.analyze import morris as morris_analysis
    from SALib.sample import morris as morris_sampling

    from game.research import ema
    from game.scenario import find_level, load_level

    if outcome not in ema.OUTCOMES or outcome in ema.SERIES_OUTCOMES:
        raise ValueError(f"outcome: expected one of {', '.join(n for n in ema.OUTCOMES if n not in ema.SERIES_OUTCOMES)}"
                         f", got {outcome!r}")
    scenario = load_level(find_level(level))
    names = list(ema.DEFAULT_ASSUMPTIONS if names is None else names)
    problem = problem_for(scenario, names)
    experiment = ema.LevelExperiment(scenario, (outcome,), default_strategy=strategy)
    experiment.setup(**{name: bound[0] for name, bound in zip(names, problem["bounds"])})  # refuse bad input now
    inputs = morris_sampling.sample(problem, trajectories, num_levels=num_levels, seed=seed)
    results = np.array([experiment(**dict(zip(names, row)))[outcome] for row in inputs], dtype=float)
    analysis = morris_analysis.analyze(problem, inputs, results, num_levels=num_levels, seed=seed)
    effects = [Effect(name, float(analysis["mu_star"][i]), float(analysis["mu_star_conf"][i]),
                      float(analysis["mu"][i]), float(analysis["sigma"][i])) for i, name in enumerate(names)]
    return sorted(effects, key=lambda e: (-e.mu_star, e.name))


def format_effects(effects: Sequence[Effect], outcome: str) -> str:
    width = max(len(e.name) for e in effects)
    lines = [f"{'assumption':<{width}}  {'mu*':>9}  {'+/-':>9}  {'mu':>9}  {'sigma':>9}    (on {outcome})"]
    lines += [f"{e.name:<{width}}  {e.mu_star:9.4f}  {e.mu_star_conf:9.4f}  {e.mu:9.4f}  {e.sigma:9.4f}" for e in effects]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--level", default="2010-trawler")
    parser.add_argument("--trajectories", type=int, default=10)
    parser.add_argument("--levels", type=int, default=4, help="grid levels of each range (Morris's p)")
    parser.add_argument("--outcome", default="min_output_index")
    parser.add_argument("--strategy", default="history")
    parser.add_argument("--names", help="comma-separated assumptions (and level uncertainties) to screen")
    parser.add_argument("--all", action="store_true", help="every single-number assumption")
    parser.add_argument("--with-level", action="store_true", help="add the level's own uncertainties")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    from game.research import ema
    from game.scenario import find_level, load_level
    from game.scenario.assumptions import FIELD_TYPES

    if args.trajectories < 1:  # (0 ended in a ZeroDivisionError)
        parser.error(f"--trajectories: expected at least 1, got {args.trajectories}")
    if args.levels < 2:  # Morris's grid needs two levels at least (1 divided by zero)
        parser.error(f"--levels: expected at least 2, got {args.levels}")
    if args.all:
        names = [name for name, kind in FIELD_TYPES.items() if kind in (int, float)]
    elif args.names:
        names = [name.strip() for name in args.names.split(",") if name.strip()]
    else:
        names = list(ema.DEFAULT_ASSUMPTIONS)
    if args.with_level:
        names += [n for n in ema.level_uncertainties_for(load_level(find_level(args.level))) if n not in names]
    began = time.perf_counter()
    try:
        effects = screen(args.level, names, args.trajectories, args.levels, args.strategy, args.outcome, args.seed)
    except ValueError as error:  # an unknown level, strategy or assumption, named in the message
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"{args.level}, {args.strategy}: Morris screening, {args.trajectories} trajectories x "
          f"{len(names) + 1} runs")
    print(format_effects(effects, args.outcome))
    print(f"({time.perf_counter() - began:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
