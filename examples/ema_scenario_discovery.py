"""Scenario discovery with PRIM: in which futures does Japan's industrial output fall below a threshold?

Plays a level (``--level``, 2010-trawler by default) over ``--scenarios`` futures sampled from
the connector's default uncertainties (``game.research.ema``: buyers' behaviour, the halt's
length, China's quotas, recycling costs), once per strategy of ``--strategies`` (what Japan
actually did, by default). An experiment is "of interest" when Japan's lowest output index
is below ``--threshold``; PRIM (``ema_workbench.analysis.prim``) then looks for boxes in the
uncertainties (and the strategy, when there are several) where such experiments crowd, and
the script prints each box: its coverage (the share of all cases of interest inside it), its
density (the share of the box's experiments that are of interest) and the dimensions it
restricts. Of each box's peeling trajectory it keeps the widest box at least
``--min-density`` dense.

Seeded throughout: the same arguments print the same boxes. Writes nothing unless ``--out DIR``
is given (then ``experiments.csv`` with the outcomes, and ``prim_tradeoff.png``). Needs the
research extras (``pip install ema_workbench``); draws with matplotlib's Agg backend, so no
display is needed.

Run: ``python examples/ema_scenario_discovery.py [--scenarios 200 | --quick] [--threshold 0.9]
[--strategies history,passive] [--level ID] [--seed 0] [--processes N] [--out DIR]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import inspect
import math
import sys
import time
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

#: The outcome PRIM explains, and the experiments it calls of interest: below the threshold.
OUTCOME = "min_output_index"
QUICK_SCENARIOS = 24


@dataclasses.dataclass(frozen=True)
class Restriction:
    """One dimension a box restricts: a numeric range, or a set of categories (then low and high are None)."""

    name: str
    low: float | None
    high: float | None
    full_low: float | None
    full_high: float | None
    categories: tuple[str, ...] = ()

    def describe(self) -> str:
        if self.categories:
            return f"{self.name} in {{{', '.join(self.categories)}}}"
        return f"{self.name} from {self.low:.4g} to {self.high:.4g} (of {self.full_low:.4g} to {self.full_high:.4g})"


@dataclasses.dataclass(frozen=True)
class FoundBox:
    """A box PRIM found, as chosen on its peeling trajectory."""

    coverage: float
    density: float
    mass: float
    n: int
    restrictions: tuple[Restriction, ...]
    #: The whole peeling trajectory it was chosen on: (coverage, density, restricted dimensions).
    trajectory: tuple[tuple[float, float, int], ...] = ()


@dataclasses.dataclass(frozen=True)
class Discovery:
    level: str
    threshold: float
    experiments: Any  # EMA's experiments DataFrame
    outcomes: dict[str, np.ndarray]
    of_interest: np.ndarray
    boxes: tuple[FoundBox, ...]


def _prim_module():
    import matplotlib

    matplotlib.use("Agg")  # no display: the workbench's analysis draws with pyplot
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=ImportWarning)  # altair, for interactive plots only
        from ema_workbench.analysis import prim
    return prim


def _widest_dense_box(box, min_density: float) -> int | None:
    """The index on the box's trajectory of the widest box at least ``min_density`` dense that
    restricts something; None if there is none."""
    trajectory = box.peeling_trajectory
    dense = trajectory[(trajectory["density"] >= min_density) & (trajectory["res_dim"] > 0)]
    if dense.empty:
        return None
    return int(dense["coverage"].idxmax())


def _restrictions(box, index: int) -> tuple[Restriction, ...]:
    limits, full = box.box_lims[index], box.prim.box_init
    found = []
    restricted = box.p_values if hasattr(box, "p_values") else box.qp  # renamed in EMA Workbench 3.0
    for name in restricted[index]:  # the dimensions this box restricts
        low, high = limits[name].iloc[0], limits[name].iloc[1]
        if isinstance(low, (set, frozenset)):
            found.append(Restriction(name, None, None, None, None, tuple(sorted(map(str, low)))))
        else:
            found.append(Restriction(name, float(low), float(high), float(full[name].iloc[0]),
                                     float(full[name].iloc[1])))
    return tuple(found)


def find_boxes(experiments, of_interest: np.ndarray, dimensions: Sequence[str], min_density: float = 0.8,
               max_boxes: int = 3) -> tuple[FoundBox, ...]:
    """PRIM's boxes over ``dimensions`` of ``experiments`` for the cases ``of_interest``."""
    prim = _prim_module()
    found = []
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=FutureWarning)
        warnings.filterwarnings("ignore", message=".*inplace.*")  # the workbench's own pandas calls
        # EMA Workbench 2.x takes the density a box must reach and hands back a box of everything
        # left when it falls short; 3.0 takes none: its box is checked here instead, alike for both.
        reach = {"threshold": min_density} if "threshold" in inspect.signature(prim.Prim).parameters else {}
        finder = prim.Prim(experiments[list(dimensions)], of_interest, peel_alpha=0.1, **reach)
        for _ in range(max_boxes):
            box = finder.find_box()
            short = box is None or box.mean < min_density
            index = None if short else _widest_dense_box(box, min_density)
            if index is None:
                break
            box.select(index)
            trajectory = box.peeling_trajectory
            found.append(FoundBox(float(box.coverage), float(box.density), float(box.mass),
                                  int(trajectory["n"].iloc[index]), _restrictions(box, index),
                                  tuple(zip(trajectory["coverage"].astype(float), trajectory["density"].astype(float),
                                            trajectory["res_dim"].astype(int)))))
    return tuple(found)


def discover(level: str = "2010-trawler", scenarios: int = 200, threshold: float = 0.9,
             strategies: Sequence[str] = ("history",), seed: int = 0, n_processes: int = 1,
             min_density: float = 0.8, max_boxes: int = 3) -> Discovery:
    """Run the experiments and look for the boxes (see the module's docstring)."""
    from game.research import ema

    if len(strategies) > 1:
        model = ema.build_model(level, levers={"strategy": list(strategies)})
    else:  # one strategy is no lever: every experiment plays it
        model = ema.build_model(level, levers=(), default_strategy=strategies[0])
    experiments, outcomes = ema.run_experiments(model, scenarios, policies=list(strategies) if len(strategies) > 1
                                                else None, seed=seed, n_processes=n_processes)
    of_interest = outcomes[OUTCOME] < threshold
    dimensions = [u.name for u in model.uncertainties] + (["strategy"] if len(strategies) > 1 else [])
    # PRIM looks for where the cases of interest gather: with none, or with every case one (a few
    # futures, all below the threshold: PRIM stopped on an assertion), there is nothing to find.
    boxes = find_boxes(experiments, of_interest, dimensions, min_density, max_boxes) \
        if of_interest.any() and not of_interest.all() else ()
    return Discovery(level, threshold, experiments, outcomes, of_interest, boxes)


def format_discovery(discovery: Discovery) -> str:
    n, k = len(discovery.of_interest), int(discovery.of_interest.sum())
    lows = discovery.outcomes[OUTCOME]
    lines = [(f"{discovery.level}: {n} experiments, {k} with {OUTCOME} below {discovery.threshold:g} "
              f"(lowest {lows.min():.3f}, median {np.median(lows):.3f}, highest {lows.max():.3f})")]
    if k == n:
        lines.append("Every experiment is of interest: no box can tell them from the others (sample more "
                     "futures, or lower --threshold).")
    elif not discovery.boxes:
        lines.append("PRIM found no box dense enough in cases of interest.")
    for i, box in enumerate(discovery.boxes, 1):
        lines.append(f"box {i}: coverage {box.coverage:.2f}, density {box.density:.2f}, "
                     f"{box.n} experiments ({box.mass:.0%}), {len(box.restrictions)} restricted:")
        lines += [f"    {r.describe()}" for r in box.restrictions]
    return "\n".join(lines)


def write_outputs(discovery: Discovery, folder: Path) -> list[Path]:
    """experiments.csv (the inputs and the single-number outcomes of each experiment) and, when
    PRIM found a box, prim_tradeoff.png (its peeling trajectory, coverage against density)."""
    import matplotlib

    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    table = discovery.experiments.copy()
    for name, values in discovery.outcomes.items():
        if values.ndim == 1:
            table[name] = values
    table[f"{OUTCOME}_below_{discovery.threshold:g}"] = discovery.of_interest
    written = [folder / "experiments.csv"]
    table.to_csv(written[0], index=False)
    if discovery.boxes:
        coverage, density, restricted = zip(*discovery.boxes[0].trajectory)
        figure, axes = plt.subplots(figsize=(6, 4))
        points = axes.scatter(coverage, density, c=restricted, cmap="viridis")
        figure.colorbar(points, label="restricted dimensions")
        axes.set(xlabel="coverage", ylabel="density",
                 title=f"PRIM, first box: {OUTCOME} < {discovery.threshold:g}")
        written.append(folder / "prim_tradeoff.png")
        figure.savefig(written[-1], dpi=120, bbox_inches="tight")
        plt.close(figure)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--level", default="2010-trawler")
    parser.add_argument("--scenarios", type=int, default=200, help="futures sampled (default 200)")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_SCENARIOS} futures, for a look")
    parser.add_argument("--threshold", type=float, default=0.9, help=f"{OUTCOME} below this is of interest")
    parser.add_argument("--strategies", default="history", help="comma-separated, e.g. history,passive,bot")
    parser.add_argument("--min-density", type=float, default=0.8)
    parser.add_argument("--boxes", type=int, default=3, help="at most this many boxes")
    parser.add_argument("--seed", type=int, default=0, help="seeds the sampling (the world plays seed 0)")
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--out", type=Path, help="write experiments.csv and prim_tradeoff.png here")
    args = parser.parse_args(argv)
    for option, value, least in (("--scenarios", args.scenarios, 1), ("--boxes", args.boxes, 1),
                                 ("--processes", args.processes, 1)):
        if value < least:  # (0 futures ended in the Workbench's traceback)
            parser.error(f"{option}: expected at least {least}, got {value}")
    if not math.isfinite(args.threshold):
        parser.error(f"--threshold: expected a number, got {args.threshold}")
    if not 0.0 < args.min_density <= 1.0:
        parser.error(f"--min-density: expected a share above 0 and at most 1, got {args.min_density}")
    began = time.perf_counter()
    try:
        discovery = discover(args.level, QUICK_SCENARIOS if args.quick else args.scenarios, args.threshold,
                             tuple(s.strip() for s in args.strategies.split(",") if s.strip()), args.seed,
                             args.processes, args.min_density, args.boxes)
    except ValueError as error:  # an unknown level, strategy or assumption, named in the message
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(format_discovery(discovery))
    if args.out:
        for path in write_outputs(discovery, args.out):
            print(f"wrote {path}")
    print(f"({time.perf_counter() - began:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
