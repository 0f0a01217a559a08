"""The calibration as a PNG: one small panel per metric, the reference figures over the model.

Each panel shows the model's quarters (mean over seeds, and the seeds' range as a band) in
the reference's units, the reference figures (with their low-high range where the reference
gives one) and the model's figure for each (its mean and seeds' range). Prices are on a log
scale. matplotlib is an optional extra, imported only when a chart is drawn.
"""

from __future__ import annotations

import math
from pathlib import Path

from game.research.calibration_targets import METRICS, PRICE, TO_REFERENCE_UNITS, Comparison, Metric
from game.research.runner import RunResult
from game.whole_files import write_whole_with
from game.vocab.quarters import Quarter

#: Okabe-Ito colours (safe for colour-blind readers); markers tell the series apart too.
MODEL_COLOUR = "#D55E00"
REFERENCE_STYLES = (("#0072B2", "o"), ("#009E73", "^"))
COLUMNS_OF_PANELS = 4
#: The formats a chart is written in, by what its name ends in (game.cli checks the same).
CHART_SUFFIXES = (".png", ".svg", ".pdf")


def write_chart(comparisons: list[Comparison], path: Path, results: list[RunResult] | tuple = (),
                first_year: int | None = None, last_year: int | None = None, settings: str = "") -> None:
    """Draw every metric in a grid; ``results`` (the runs compared) add the model's quarters;
    ``settings`` (", assumptions.NAME=VALUE...") goes into the title. The years shown are those
    asked, else those of the figures compared. The chart goes to
    ``path`` as named, in the format its name ends in (``CHART_SUFFIXES``), in a folder that
    exists: nothing is added to the name and no folder is made.

    Raises:
        ValueError: the name does not end in a chart format.
        OSError: the file cannot be written (a missing folder among them).
    """
    fmt = path.suffix.lower()
    if fmt not in CHART_SUFFIXES:
        raise ValueError(f"a chart's name ends in {', '.join(CHART_SUFFIXES)}, not {path.name!r}")
    import matplotlib

    matplotlib.use("Agg")  # files only, no window
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, MaxNLocator, NullFormatter

    years = [c.target.year for c in comparisons]
    first = first_year if first_year is not None else min(years, default=2010)
    last = last_year if last_year is not None else max(years, default=first)
    rows_of_panels = -(-len(METRICS) // COLUMNS_OF_PANELS)
    fig, axes = plt.subplots(rows_of_panels, COLUMNS_OF_PANELS, figsize=(4.2 * COLUMNS_OF_PANELS, 3.0 * rows_of_panels),
                             squeeze=False)
    for ax, metric in zip(axes.flat, METRICS):
        _draw_band(ax, metric, results, first, last)
        _draw_figures(ax, metric, [c for c in comparisons if c.target.metric == metric])
        ax.set_title(f"{metric.title} ({metric.unit})", fontsize=9)
        ax.set_xlim(first, last + 1)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
        if metric.measure == PRICE and ax.has_data():
            ax.set_yscale("log")
            ax.yaxis.set_major_formatter(FuncFormatter(_plain))
            low, high = ax.get_ylim()
            # Label 2 and 5 between the powers of ten only where few powers show.
            few_decades = low > 0 and math.log10(high / low) < 2.5
            ax.yaxis.set_minor_formatter(FuncFormatter(_two_and_five) if few_decades else NullFormatter())
        else:
            ax.yaxis.set_major_formatter(FuncFormatter(_plain))
        if not any(c.target.metric == metric for c in comparisons):
            ax.text(0.5, 0.9, "no reference series", transform=ax.transAxes, ha="center", fontsize=8, color="0.3")
        elif len(metric.references) > 1:
            ax.legend(fontsize=6, loc="best")
    for ax in list(axes.flat)[len(METRICS):]:
        ax.axis("off")
    legend_ax = list(axes.flat)[-1] if len(METRICS) < axes.size else axes.flat[0]
    legend_ax.legend(handles=_legend_handles(), fontsize=8, loc="center")
    fig.suptitle(f"Rare Earths: the model against the reference, {first}-{last}{settings} (fact ids in the "
                 "table; tonnes a year, the model's quarters as annual rates)", fontsize=11)
    fig.tight_layout()
    try:
        # Whole or not at all, and a missing folder is an OSError, not a folder made.
        write_whole_with(Path(path), lambda out: fig.savefig(out, dpi=100, format=fmt[1:]))
    finally:
        plt.close(fig)


def _draw_band(ax, metric: Metric, results, first: int, last: int) -> None:
    """The model's quarters: mean over seeds, and the seeds' range."""
    by_quarter: dict[str, list[float]] = {}
    for result in results:
        for row in result.rows:
            if first <= int(row["quarter"][:4]) <= last:
                by_quarter.setdefault(row["quarter"], []).append(float(row[metric.column]))
    if not by_quarter:
        return
    quarters = sorted(by_quarter, key=Quarter.parse)
    x = [Quarter.parse(q).year + (Quarter.parse(q).q - 0.5) / 4 for q in quarters]
    factor = TO_REFERENCE_UNITS[metric.measure]
    values = [[v * factor for v in by_quarter[q]] for q in quarters]
    if metric.measure == PRICE:  # a log scale cannot show zero
        values = [[max(v, 1e-3) for v in vs] for vs in values]
    ax.fill_between(x, [min(vs) for vs in values], [max(vs) for vs in values], color=MODEL_COLOUR, alpha=0.18,
                    linewidth=0)
    ax.plot(x, [sum(vs) / len(vs) for vs in values], color=MODEL_COLOUR, linewidth=1.2)


def _draw_figures(ax, metric: Metric, comparisons: list[Comparison]) -> None:
    """Reference figures (with their range) and the model's figure for each."""
    for (colour, marker), series in zip(REFERENCE_STYLES, metric.references):
        points = [c for c in comparisons if c.target.series == series]
        if not points:
            continue
        x = [c.target.position for c in points]
        y = [c.target.value for c in points]
        below = [c.target.value - c.target.low if c.target.low is not None else 0.0 for c in points]
        above = [c.target.high - c.target.value if c.target.high is not None else 0.0 for c in points]
        ax.errorbar(x, y, yerr=[[max(0.0, b) for b in below], [max(0.0, a) for a in above]], fmt=marker,
                    color=colour, markersize=4, elinewidth=0.8, label=series, zorder=3)
        model = [c for c in points if c.model is not None]
        ax.errorbar([c.target.position for c in model], [c.model for c in model],
                    yerr=[[max(0.0, c.model - c.low) for c in model], [max(0.0, c.high - c.model) for c in model]],
                    fmt="s", mfc="none", color=MODEL_COLOUR, markersize=4, elinewidth=0.8, zorder=4)


def _plain(value: float, _position=None) -> str:
    """A tick label without powers of ten: 0.01, 300, 250k."""
    if abs(value) >= 10_000:
        return f"{value / 1000:g}k"
    return f"{value:g}"


def _two_and_five(value: float, _position=None) -> str:
    mantissa = round(value / 10 ** math.floor(math.log10(value))) if value > 0 else 0
    return _plain(value) if mantissa in (2, 5) else ""


def _legend_handles():
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    return [
        Line2D([], [], color=REFERENCE_STYLES[0][0], marker="o", linestyle="", label="reference (low-high)"),
        Line2D([], [], color=REFERENCE_STYLES[1][0], marker="^", linestyle="", label="second reference series"),
        Line2D([], [], color=MODEL_COLOUR, marker="s", mfc="none", linestyle="",
               label="model's figure (mean, seeds' range)"),
        Line2D([], [], color=MODEL_COLOUR, label="model by quarter (mean over seeds)"),
        Patch(color=MODEL_COLOUR, alpha=0.18, label="seeds' range"),
    ]
