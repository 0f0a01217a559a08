"""What the calibration compares: each column a run records beside the reference series it
answers, and how a reference figure's period and kind read from the run's quarterly rows.

A figure covers some quarters: a year's four (a fiscal year's, for Lynas), one quarter (a
quarter's average, a year-end, a dated point), and the model's figure is read from those:
a peak is their highest, anything else their mean (weighted by tonnes for a share). Tonnes
are recorded per quarter and reported per year, so a flow is the quarters' mean times four:
a year's sum when it covers a year, the annual rate when it covers one quarter. A flow needs
every quarter it covers; a price or share takes the quarters the run has (a run that opens
in 2010Q3 gives 2010's average price from its two quarters).
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from game.research.runner import RunResult
from game.scenario.reference import SeriesFigure, domestic_china_price_figures, series_figures
from game.vocab.quarters import Quarter

#: How a column's quarterly values make a reference figure (see the module's docstring).
PRICE, FLOW, SHARE = "price", "flow", "share"
#: From a quarter's value to the reference's units: tonnes a quarter -> a year, a share -> %.
TO_REFERENCE_UNITS = {PRICE: 1.0, FLOW: 4.0, SHARE: 100.0}
#: The years compared unless asked otherwise: the record the levels are built on.
FIRST_YEAR, LAST_YEAR = 2010, 2025


@dataclass(frozen=True)
class Metric:
    """A column of the model beside the reference series that measure the same thing."""

    title: str
    unit: str  # the reference's, which the model's figures are turned into
    column: str
    references: tuple[str, ...]  # reference series, in the order shown; () when there are none
    measure: str  # PRICE, FLOW or SHARE
    year_ends_with_quarter: int = 4  # a reporting year's last quarter: 2 for years to June
    weight_column: str = ""  # tonnes that weight a share's quarters into a year
    note: str = ""

    def reporting_year(self, year: int) -> tuple[Quarter, ...]:
        """The quarters of the reporting year that ends in ``year``: FY2019 to June is
        2018Q3-2019Q2."""
        end = Quarter(year, self.year_ends_with_quarter)
        return tuple(end - back for back in (3, 2, 1, 0))


_FISCAL_TO_JUNE = "fiscal years to June: FY2019 = 2018Q3-2019Q2"
METRICS = (
    # Nd oxide until 2020, then the NdPr oxide that USGS reports from 2021 (both FOB China).
    Metric("NdPr price in Japan", "US$/kg", "price_ndpr_japan", ("nd_oxide_price_usd_kg", "ndpr_oxide_price_usd_kg"),
           PRICE),
    # Not tb_oxide_price_usd_kg: the world prices its Dy/Tb group as dysprosium (most of the
    # group's tonnage, world-2010.toml), and terbium costs two to three times as much a kg, so
    # its figures would read as a model error that is only a difference of element.
    Metric("Dy/Tb price in Japan", "US$/kg", "price_dytb_japan", ("dy_oxide_price_usd_kg",), PRICE,
           note="Tb figures left out: the group is priced as Dy"),
    Metric("Ce/La price in Japan", "US$/kg", "price_cela_japan", ("ce_oxide_price_usd_kg", "la_oxide_price_usd_kg"),
           PRICE),
    # Inside China: the reference's few China domestic prices (reference.DOMESTIC_CHINA_PRICE_FACTS).
    Metric("NdPr price inside China", "US$/kg", "price_ndpr_china",
           ("nd_oxide_china_price_usd_kg", "ndpr_oxide_china_price_usd_kg"), PRICE),
    Metric("Dy/Tb price inside China", "US$/kg", "price_dytb_china", ("dy_oxide_china_price_usd_kg",), PRICE),
    Metric("Ce/La price inside China", "US$/kg", "price_cela_china",
           ("ce_oxide_china_price_usd_kg", "la_oxide_china_price_usd_kg"), PRICE),
    Metric("China's share of Japan's supply", "%", "japan_china_share", ("japan_china_share_pct",), SHARE,
           weight_column="japan_imports_t"),
    Metric("Japan's demand", "t/yr", "japan_demand_t", ("japan_demand_t",), FLOW),
    Metric("World mine output", "t REO/yr", "world_mined_t", ("world_mine_production_t",), FLOW),
    Metric("China's mine output", "t REO/yr", "china_mined_t", ("china_mine_production_t",), FLOW),
    Metric("US mine output", "t REO/yr", "usa_mined_t", ("us_mine_production_t",), FLOW),
    Metric("Australia's mine output", "t REO/yr", "australia_mined_t", ("australia_mine_production_t",), FLOW),
    Metric("Myanmar's mine output", "t REO/yr", "myanmar_mined_t", ("myanmar_mine_production_t",), FLOW),
    Metric("Lynas's NdPr output", "t/yr", "lynas_ndpr_t", ("lynas_ndpr_t_fiscal_year",), FLOW,
           year_ends_with_quarter=2, note=_FISCAL_TO_JUNE),
)


@dataclass(frozen=True)
class Target:
    """A reference figure and the metric it is compared with."""

    metric: Metric
    series: str
    period: str  # as the reference states it: 2011, 2011Q2, 2011-10 or 2011-03-14
    kind: str  # annual, quarter, peak, year-end or point
    value: float
    low: float | None
    high: float | None
    fact_id: str
    confidence: str

    @property
    def year(self) -> int:
        return int(self.period[:4])

    def quarters(self) -> tuple[Quarter, ...]:
        """The quarters whose model figures make this one; () if the reference does not say
        which quarter a quarter's average or a point belongs to."""
        if "Q" in self.period:
            return (Quarter.parse(self.period),)
        if len(self.period) > 4:  # a dated point: 2011-10 or 2011-03-14
            return (Quarter(self.year, (int(self.period[5:7]) - 1) // 3 + 1),)
        if self.kind == "annual":
            return self.metric.reporting_year(self.year)
        if self.kind == "peak":
            return tuple(Quarter(self.year, q) for q in (1, 2, 3, 4))
        if self.kind == "year-end":
            return (Quarter(self.year, 4),)
        return ()

    @property
    def shown_period(self) -> str:
        if self.metric.year_ends_with_quarter != 4 and self.kind == "annual" and len(self.period) == 4:
            return f"FY{self.period}"
        return self.period

    @property
    def position(self) -> float:
        """Where the figure sits in time, in decimal years (for charts and ordering)."""
        if len(self.period) > 4 and "Q" not in self.period:
            month = int(self.period[5:7])
            day = int(self.period[8:10]) if len(self.period) >= 10 else 15
            return self.year + (dt.date(self.year, month, day) - dt.date(self.year, 1, 1)).days / 365.25
        if self.kind == "year-end":
            return self.year + 0.96
        quarters = self.quarters()
        if not quarters:
            return self.year + 0.5
        return statistics.fmean(q.year + (q.q - 0.5) / 4 for q in quarters)


@dataclass(frozen=True)
class Comparison:
    target: Target
    model: float | None  # mean over seeds; None when the run does not cover the figure
    low: float | None  # the seeds' lowest and highest
    high: float | None

    @property
    def error(self) -> float | None:
        """Relative error of the model against the reference (0.1 = 10% too high); None when
        there is no model figure, or the reference is zero (as US mining in 2016)."""
        if self.model is None or self.target.value == 0:
            return None
        return self.model / self.target.value - 1.0


def reference_figures() -> tuple[SeriesFigure, ...]:
    """Every figure a metric could be compared with: ``series.csv`` and China's domestic prices."""
    return series_figures() + domestic_china_price_figures()


def load_targets(first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR,
                 figures: tuple[SeriesFigure, ...] | None = None) -> list[Target]:
    """The reference figures of the years asked, in metric, series and time order."""
    metric_of = {series: metric for metric in METRICS for series in metric.references}
    targets = []
    for figure in reference_figures() if figures is None else figures:
        metric = metric_of.get(figure.series)
        if metric is None or not first_year <= int(figure.period[:4]) <= last_year:
            continue
        if metric.measure == SHARE and figure.unit != "%":
            continue  # a share given in tonnes is not the percentage the model records
        targets.append(Target(metric, figure.series, figure.period, figure.kind, figure.value, figure.low,
                              figure.high, figure.fact_id, figure.confidence))
    order = {series: i for i, series in enumerate(metric_of)}
    return sorted(targets, key=lambda t: (order[t.series], t.position, t.kind))


def series_with_figures() -> set[str]:
    """The reference series that hold at least one figure, in any year."""
    return {figure.series for figure in reference_figures()}


def model_value(result: RunResult, target: Target) -> float | None:
    """The model's figure for one target in one run, or None when the run does not cover it."""
    metric = target.metric
    quarters = target.quarters()
    by_quarter = {row["quarter"]: row for row in result.rows}
    rows = [by_quarter[str(q)] for q in quarters if str(q) in by_quarter]
    if not rows or (metric.measure == FLOW and len(rows) < len(quarters)):
        return None  # a part year is not a year's tonnes
    values = [float(row[metric.column]) for row in rows]
    if target.kind == "peak":
        figure = max(values)
    elif metric.weight_column:
        weights = [float(row[metric.weight_column]) + 1e-9 for row in rows]
        figure = sum(v * w for v, w in zip(values, weights)) / sum(weights)
    else:
        figure = statistics.fmean(values)
    return figure * TO_REFERENCE_UNITS[metric.measure]
