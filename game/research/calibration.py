"""Calibration: the model's history beside the reference figures, with their fact ids.

Each reference figure is compared in its own kind: an annual average with the year's
mean of the model's quarters, a year-end with the fourth quarter, a peak with the year's
highest quarter, a quarter's average with that quarter. Demand is the sum of the year's
quarters; the China share is weighted by tonnes received.
"""

from __future__ import annotations

import csv
import statistics
from dataclasses import dataclass
from pathlib import Path

from game.research.runner import RunResult, run
from game.scenario import levels_dir
from game.spec import Scenario

#: (what we compare, reference series, model column, first year, last year, scale to the model)
METRICS = (
    ("NdPr price in Japan (US$/kg)", "nd_oxide_price_usd_kg", "price_ndpr_japan", 2010, 2016, 1.0),
    ("Dy/Tb price in Japan (US$/kg)", "dy_oxide_price_usd_kg", "price_dytb_japan", 2010, 2016, 1.0),
    ("China's share of Japan's supply (%)", "japan_china_share_pct", "japan_china_share", 2009, 2015, 0.01),
    ("Japan's demand (t/yr)", "japan_demand_t", "japan_demand_t", 2010, 2014, 1.0),
)


@dataclass(frozen=True)
class Target:
    metric: str
    series: str
    period: str
    kind: str
    value: float
    fact_id: str
    confidence: str


@dataclass(frozen=True)
class Comparison:
    target: Target
    model: float | None  # mean over seeds; None when the level does not cover the period
    low: float | None
    high: float | None

    @property
    def error(self) -> float | None:
        """Relative error of the model against the reference (0.1 = 10% too high)."""
        if self.model is None or self.target.value == 0:
            return None
        return self.model / self.target.value - 1.0


def reference_series_path() -> Path:
    return levels_dir() / "reference" / "series.csv"


def load_targets(path: Path | None = None) -> list[Target]:
    """The reference figures the calibration compares against, in metric and period order."""
    path = path or reference_series_path()
    wanted = {series: (metric, first, last) for metric, series, _, first, last, _ in METRICS}
    targets = []
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["series"] not in wanted:
                continue
            metric, first, last = wanted[row["series"]]
            year = int(row["period"][:4])
            if row["series"] == "japan_china_share_pct" and row["unit"] != "%":
                continue
            if first <= year <= last:
                targets.append(Target(metric, row["series"], row["period"], row["kind"], float(row["value"]),
                                      row["fact_id"], row["confidence"]))
    order = [m[1] for m in METRICS]
    return sorted(targets, key=lambda t: (order.index(t.series), t.period, t.kind))


def model_value(result: RunResult, column: str, target: Target, scale: float) -> float | None:
    """The model's figure for one target, or None when the run does not cover it."""
    year = int(target.period[:4])
    rows = [r for r in result.rows if r["quarter"].startswith(str(year))]
    if not rows:
        return None
    values = [r[column] for r in rows]
    if column == "japan_demand_t":
        if len(rows) < 4:
            return None  # a part year is not a year's demand
        return sum(values)
    if column == "japan_china_share":
        weights = [r["japan_imports_t"] + 1e-9 for r in rows]
        return sum(v * w for v, w in zip(values, weights)) / sum(weights) / scale
    if target.kind == "peak":
        return max(values)
    if target.kind == "year-end":
        return rows[-1][column] if rows[-1]["quarter"].endswith("Q4") else None
    if target.kind == "quarter":
        return rows[-1][column] if rows[-1]["quarter"].endswith("Q4") else None
    if target.kind == "point" and len(target.period) > 4:
        month = int(target.period[5:7])
        quarter = f"{year}Q{(month - 1) // 3 + 1}"
        return next((r[column] for r in rows if r["quarter"] == quarter), None)
    return statistics.fmean(values)


def calibrate(level: str | Scenario = "sandbox", strategy: str = "history", seeds: int = 5) -> list[Comparison]:
    results = [run(level, strategy, seed) for seed in range(seeds)]
    columns = {series: (column, scale) for _, series, column, _, _, scale in METRICS}
    comparisons = []
    for target in load_targets():
        column, scale = columns[target.series]
        values = [v for v in (model_value(r, column, target, scale) for r in results) if v is not None]
        if values:
            comparisons.append(Comparison(target, statistics.fmean(values), min(values), max(values)))
        else:
            comparisons.append(Comparison(target, None, None, None))
    return comparisons


def format_comparisons(comparisons: list[Comparison]) -> str:
    lines = []
    metric = None
    for c in comparisons:
        if c.target.metric != metric:
            metric = c.target.metric
            lines.append(f"\n{metric}")
            lines.append(f"  {'period':<12}{'kind':<10}{'reference':>10}{'model':>10}{'range':>19}{'error':>8}  fact id")
        t = c.target
        if c.model is None:
            lines.append(f"  {t.period:<12}{t.kind:<10}{t.value:>10,.1f}{'n/a':>10}{'':>19}{'':>8}  {t.fact_id}")
            continue
        rng = f"{c.low:,.1f}-{c.high:,.1f}"
        lines.append(f"  {t.period:<12}{t.kind:<10}{t.value:>10,.1f}{c.model:>10,.1f}{rng:>19}{c.error:>+8.0%}  {t.fact_id}"
                     + ("  (low confidence)" if t.confidence == "low" else ""))
    covered = [abs(c.error) for c in comparisons if c.error is not None]
    if covered:
        lines.append(f"\nmedian absolute error over {len(covered)} figures: {statistics.median(covered):.0%}")
    return "\n".join(lines).lstrip("\n")


def write_chart(comparisons: list[Comparison], path: Path) -> None:
    """A PNG: one panel per metric, the model's figures beside the reference points."""
    import matplotlib

    matplotlib.use("Agg")  # files only, no window
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    metrics = [m[0] for m in METRICS]
    fig, axes = plt.subplots(2, 2, figsize=(11, 7.5))
    for ax, metric in zip(axes.flat, metrics):
        points = [c for c in comparisons if c.target.metric == metric]
        ref_x = [_year_position(c.target) for c in points]
        ax.scatter(ref_x, [c.target.value for c in points], marker="o", color="#0072B2", label="reference", zorder=3)
        model = [c for c in points if c.model is not None]
        ax.errorbar([_year_position(c.target) + 0.08 for c in model], [c.model for c in model],
                    yerr=[[max(0.0, c.model - c.low) for c in model], [max(0.0, c.high - c.model) for c in model]],
                    fmt="s", color="#D55E00", label="model (mean, range over seeds)", zorder=4)
        ax.set_title(metric, fontsize=10)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(alpha=0.3)
        if "price" in metric:
            ax.set_yscale("log")
    axes.flat[0].legend(fontsize=8)
    fig.suptitle("Rare Earths: model against the reference (fact ids in the table)")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _year_position(target: Target) -> float:
    year = int(target.period[:4])
    if len(target.period) > 4:
        return year + (int(target.period[5:7]) - 0.5) / 12
    return year + {"year-end": 0.95, "peak": 0.5, "quarter": 0.875}.get(target.kind, 0.5)
