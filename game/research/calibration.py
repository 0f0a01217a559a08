"""Calibration: the model's history beside the reference figures, with their fact ids.

A replay of history (a level played by the ``history`` strategy over several seeds) is read
as each reference figure of the years asked (``calibration_targets`` says what each figure
means in a run's rows), and the two are set side by side: per figure the model's mean, the
seeds' range and the relative error; per reference series and overall the median absolute
error. ``write_chart`` draws the same.
"""

from __future__ import annotations

import dataclasses

import math
import statistics
from collections.abc import Mapping
from typing import Any

from game.research.calibration_chart import write_chart
from game.research.calibration_targets import (
    FIRST_YEAR,
    LAST_YEAR,
    METRICS,
    Comparison,
    Target,
    load_targets,
    model_value,
    series_with_figures,
)
from game.research.runner import RunResult, run
from game.scenario import find_level, load_level
from game.spec import Scenario
from game.vocab.quarters import Quarter

__all__ = ["Comparison", "Target", "calibrate", "compare", "format_comparisons", "load_targets", "replay", "summary",
           "write_chart"]

#: The key of ``summary`` that pools every figure.
OVERALL = "overall"


def replay(level: str | Scenario = "sandbox", strategy: str = "history", seeds: int = 5,
           last_year: int = LAST_YEAR, assumptions: Mapping[str, Any] | None = None) -> list[RunResult]:
    """The level played with seeds 0..seeds-1, each up to the end of ``last_year`` (or the level's),
    with ``assumptions`` overriding the level's (see ``game.research.runner.run``)."""
    if isinstance(seeds, bool) or not hasattr(seeds, "__index__") or seeds.__index__() < 1:
        raise ValueError(f"seeds: expected how many runs, a whole number of at least 1, got {seeds!r}")
    if isinstance(last_year, bool) or not hasattr(last_year, "__index__"):
        raise ValueError(f"last_year: expected a year, got {last_year!r}")
    seeds, last_year = seeds.__index__(), last_year.__index__()  # NumPy's whole numbers too
    scenario = level if isinstance(level, Scenario) else load_level(find_level(level))
    turns = min(scenario.n_turns, Quarter(last_year, 4) - scenario.start + 1)
    if turns < 1:
        raise ValueError(f"last_year: {scenario.id} starts in {scenario.start}, after {last_year}")
    return [run(scenario, strategy, seed, turns=turns, assumptions=assumptions) for seed in range(seeds)]


def replay_quiet(level: str | Scenario = "sandbox", seeds: int = 5, last_year: int = LAST_YEAR,
                 assumptions: Mapping[str, Any] | None = None) -> list[RunResult]:
    """The level's world with no events and Japan doing nothing, seeds 0..seeds-1, up to the
    end of ``last_year``: what the agents do on their own (see ``history_checks.quiet_world_check``)."""
    scenario = level if isinstance(level, Scenario) else load_level(find_level(level))
    quiet = dataclasses.replace(scenario, events=(), history=())
    return replay(quiet, "passive", seeds, last_year, assumptions)


def compare(results: list[RunResult], targets: list[Target]) -> list[Comparison]:
    """Each target beside the model's mean over the runs that cover it, and their range."""
    comparisons = []
    for target in targets:
        values = [v for v in (model_value(result, target) for result in results) if v is not None]
        if values:
            comparisons.append(Comparison(target, statistics.fmean(values), min(values), max(values)))
        else:
            comparisons.append(Comparison(target, None, None, None))
    return comparisons


def calibrate(level: str | Scenario = "sandbox", strategy: str = "history", seeds: int = 5,
              first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR,
              assumptions: Mapping[str, Any] | None = None) -> list[Comparison]:
    """Every reference figure of ``first_year``-``last_year`` beside a replay of history, with
    ``assumptions`` (``{"NAME": value}``) overriding the level's. ValueError if the years are not
    whole numbers in order (an empty comparison would look like a model with nothing to check)."""
    if isinstance(first_year, bool) or not hasattr(first_year, "__index__"):
        raise ValueError(f"first_year: expected a year, got {first_year!r}")
    if not isinstance(last_year, bool) and hasattr(last_year, "__index__") \
            and first_year.__index__() > last_year.__index__():
        raise ValueError(f"first_year {first_year.__index__()} is after last_year {last_year.__index__()}")
    return compare(replay(level, strategy, seeds, last_year, assumptions),
                   load_targets(first_year.__index__(), last_year.__index__()))


def summary(comparisons: list[Comparison]) -> dict[str, float]:
    """Median absolute relative error per reference series, and over every figure pooled
    (``"overall"``, NaN when no figure has an error). Figures without an error (outside the
    run, or a reference of zero) are left out; a series with none has no key."""
    errors: dict[str, list[float]] = {}
    for c in comparisons:
        if c.error is not None:
            errors.setdefault(c.target.series, []).append(abs(c.error))
    medians = {series: statistics.median(values) for series, values in errors.items()}
    pooled = [e for values in errors.values() for e in values]
    medians[OVERALL] = statistics.median(pooled) if pooled else math.nan
    return medians


_HEADINGS = f"  {'period':<11}{'kind':<9}{'reference':>9}{'model':>9}  {'seeds min-max':<17}{'error':>6}  {'conf':<5}fact id"
_CONFIDENCE = {"high": "high", "medium": "med", "low": "low"}


def format_comparisons(comparisons: list[Comparison]) -> str:
    """The figures per metric and reference series, then the medians: fits 100 columns."""
    lines: list[str] = []
    by_series: dict[str, list[Comparison]] = {}
    for c in comparisons:
        by_series.setdefault(c.target.series, []).append(c)
    for metric in METRICS:
        for series in (s for s in metric.references if s in by_series):
            lines.append(f"\n{metric.title} ({metric.unit}): reference {series}, model {metric.column}")
            if metric.note:
                lines.append(f"  ({metric.note})")
            lines.append(_HEADINGS)
            lines.extend(_row(c) for c in by_series[series])
    lines.extend(_summary_lines(comparisons))
    return "\n".join(lines).lstrip("\n")


def _row(c: Comparison) -> str:
    t = c.target
    head = f"  {t.shown_period:<11}{t.kind:<9}{_figure(t.value):>9}"
    tail = f"  {_CONFIDENCE.get(t.confidence, t.confidence):<5}{t.fact_id}"
    if c.model is None:
        return f"{head}{'n/a':>9}  {'':<17}{'':>6}{tail}"
    spread = f"{_figure(c.low)}-{_figure(c.high)}"
    if c.target.value == 0:  # no relative error: the model is right or wrong (US mining in 2016-17)
        error = "miss" if _misses_zero(c) else "hit"
    else:
        error = f"{c.error:+.0%}"
    return f"{head}{_figure(c.model):>9}  {spread:<17}{error:>6}{tail}"


def _summary_lines(comparisons: list[Comparison]) -> list[str]:
    medians = summary(comparisons)
    counts: dict[str, list[int]] = {}
    for c in comparisons:
        seen = counts.setdefault(c.target.series, [0, 0])
        seen[0] += c.error is not None
        seen[1] += 1
    lines = ["", "Median absolute error per series (|model / reference - 1|)",
             f"  {'reference series':<32}{'model column':<22}{'figures':>9}{'median':>9}"]
    with_figures = series_with_figures()
    for metric in METRICS:
        for series in metric.references:
            if series in counts:
                compared, total = counts[series]
                median = f"{medians[series]:.0%}" if series in medians else "n/a"
                lines.append(f"  {series:<32}{metric.column:<22}{f'{compared}/{total}':>9}{median:>9}")
        if not any(s in counts for s in metric.references):
            why = ("no reference figure in these years" if with_figures.intersection(metric.references)
                   else "no reference series")
            lines.append(f"  {metric.title} ({metric.column}): {why}")
    compared = sum(c.error is not None for c in comparisons)
    zeros = [c for c in comparisons if c.model is not None and c.target.value == 0]
    missed = [c for c in zeros if _misses_zero(c)]
    overall = f"{medians[OVERALL]:.0%}" if compared else "n/a"
    lines.append(f"Overall: median absolute error {overall} over {compared} of {len(comparisons)} figures "
                 f"({len(comparisons) - compared - len(zeros)} n/a: outside the run)")
    if zeros:
        lines.append(f"Figures of zero (no relative error): {len(zeros)}, missed by the model: {len(missed)}"
                     + (f" ({', '.join(f'{c.target.series} {c.target.shown_period}' for c in missed)})"
                        if missed else ""))
    return lines


#: How far from zero the model may be on a figure of zero and still match it (a tonne, a dollar,
#: a percentage point: far below any figure the reference gives where it is not zero).
ZERO_MATCH = 1.0


def _misses_zero(c: Comparison) -> bool:
    return c.model is not None and abs(c.model) >= ZERO_MATCH


def _figure(value: float) -> str:
    """A figure in few characters: 390,000 / 288 / 52.6 / 1.03."""
    size = abs(value)
    if size >= 1000:
        return f"{value:,.0f}"
    if size >= 100:
        return f"{value:.0f}"
    if size >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"
