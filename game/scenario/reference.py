"""The reference data the game shows as history: dated facts with their sources, and the
series the charts overlay. Read from ``levels/reference`` (a copy of the project's shared
reference), never computed."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

import tomli

from game.scenario.catalogue import levels_dir

#: Chart column -> (reference series, factor from the series' unit to the column's).
SERIES_FOR_COLUMN = {
    "price_ndpr_japan": ("nd_oxide_price_usd_kg", 1.0),
    "price_dytb_japan": ("dy_oxide_price_usd_kg", 1.0),
    "japan_china_share": ("japan_china_share_pct", 0.01),
    "japan_demand_t": ("japan_demand_t", 0.25),  # a year's tonnes shown per quarter
}


@dataclass(frozen=True)
class Fact:
    id: str
    quantity: str
    value: str
    source: str
    confidence: str
    note: str


@dataclass(frozen=True)
class ReferencePoint:
    year: float  # decimal year of the point's middle: 2011.5 for an annual figure of 2011
    value: float
    fact_id: str
    kind: str


@lru_cache(maxsize=1)
def facts() -> dict[str, Fact]:
    with (levels_dir() / "reference" / "facts.toml").open("rb") as f:
        data = tomli.load(f)
    table = {}
    for item in data.get("fact", []):
        value = item.get("value", "")
        unit = item.get("unit", "")
        shown = f"{value:,}" if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)
        table[item["id"]] = Fact(item["id"], str(item.get("quantity", "")), f"{shown} {unit}".strip(),
                                 str(item.get("source", "")), str(item.get("confidence", "")),
                                 str(item.get("note", "")))
    return table


def facts_named_in(text: str) -> list[Fact]:
    """The facts whose ids appear in ``text`` (an event's source list, a briefing), in order."""
    table = facts()
    found, seen = [], set()
    for word in text.replace(",", " ").replace("(", " ").replace(")", " ").split():
        if word in table and word not in seen:
            seen.add(word)
            found.append(table[word])
    return found


@lru_cache(maxsize=8)
def reference_points(column: str) -> tuple[ReferencePoint, ...]:
    """The reference figures for a chart column, oldest first; () when the reference has none."""
    if column not in SERIES_FOR_COLUMN:
        return ()
    series, factor = SERIES_FOR_COLUMN[column]
    points = []
    with (levels_dir() / "reference" / "series.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["series"] != series or (series == "japan_china_share_pct" and row["unit"] != "%"):
                continue
            try:
                value = float(row["value"]) * factor
            except ValueError:
                continue
            points.append(ReferencePoint(_year_of(row["period"], row["kind"]), value, row["fact_id"], row["kind"]))
    return tuple(sorted(points, key=lambda p: p.year))


def _year_of(period: str, kind: str) -> float:
    year = int(period[:4])
    if len(period) >= 7 and period[4] == "-":
        month = int(period[5:7])
        day = int(period[8:10]) if len(period) >= 10 else 15
        return year + (month - 1) / 12 + day / 365
    if kind in ("year-end",):
        return year + 0.95
    if kind == "quarter":
        return year + 0.875
    return year + 0.5
