"""The world's balance of the magnet oxides, year by year, over a set of runs: what its industry
uses at full output, what its plants and recyclers made, and what its sellers held at the end of
the year. Calibration prints it under the firms' fates, because a price that stays high for years
is the market telling what this table shows: the world made less than it used once stocks ran out
(or the other way)."""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from game.research.runner import RunResult

#: Each oxide the table covers: (label, column prefix, its price inside China).
OXIDES = (("NdPr", "world_ndpr", "price_ndpr_china"), ("Dy/Tb", "world_dytb", "price_dytb_china"))


def yearly_balance(result: RunResult, prefix: str, price_column: str) -> dict[int, tuple[float, float, float, float]]:
    """Per year of one run: (need t, made t, sellers' stock t at the year's last quarter, mean price)."""
    years: dict[int, list[dict]] = {}
    for row in result.rows:
        years.setdefault(int(str(row["quarter"])[:4]), []).append(row)
    return {year: (sum(r[f"{prefix}_need_t"] for r in rows), sum(r[f"{prefix}_made_t"] for r in rows),
                   rows[-1][f"{prefix}_stock_t"], statistics.fmean(r[price_column] for r in rows))
            for year, rows in years.items()}


def format_world_balance(results: Sequence[RunResult], first_year: int | None = None,
                         last_year: int | None = None) -> str:
    """One table per oxide: each year's use at full output, what was made, their ratio, the
    sellers' stock at the year's end and the price inside China, as means over the runs."""
    lines = [f"The world's balance of magnet oxides (mean of {len(results)} runs; t a year, stock at year-end)"]
    quarters_of: list[dict[int, set[str]]] = []
    for result in results:
        played: dict[int, set[str]] = {}
        for row in result.rows:
            played.setdefault(int(str(row["quarter"])[:4]), set()).add(str(row["quarter"]))
        quarters_of.append(played)
    for label, prefix, price_column in OXIDES:
        per_run = [yearly_balance(result, prefix, price_column) for result in results]
        years = sorted(set.intersection(*(set(b) for b in per_run))) if per_run else []
        years = [y for y in years if (first_year is None or y >= first_year) and (last_year is None or y <= last_year)]
        lines.append(f"  {label:<6}  industry's use   made   made/use   sellers' stock   price in China (US$/kg)")
        for year in years:
            need, made, stock, price = (statistics.fmean(b[year][i] for b in per_run) for i in range(4))
            ratio = f"{made / need:8.2f}" if need > 0 else "     n/a"
            # A year the runs play only part of (a level starting or ending within it) sums those
            # quarters: 2012 of a level ending in 2012Q2 read as half 2011's, headed "t a year".
            played = min(len(result_quarters[year]) for result_quarters in quarters_of)
            part = f"   ({played} quarter{'s' if played > 1 else ''} only)" if played < 4 else ""
            lines.append(f"    {year}  {need:14,.0f} {made:7,.0f}   {ratio} {stock:16,.0f} {price:12,.1f}{part}")
    return "\n".join(lines)
