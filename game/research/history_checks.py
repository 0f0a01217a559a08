"""What a replay of 2010-2025 must show, checked seed by seed.

The calibration (``calibration.py``) measures how far each figure is from the record; these
checks are the shape of the story the game teaches, each a yes or no per seed: the 2011
spike and when it peaked, the fall after it, China's share of Japan's supply, the firms
outside China still producing, world mine output, and the 2021-22 upswing; and, beyond the
record, that a world without events stays quiet (``quiet_world_check``). Thresholds are
those of the issue that asked for them; the reference figures come from the calibration
targets (``levels/reference/series.csv``), each with its fact id.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from game.research.calibration_targets import load_targets
from game.research.runner import RunResult


@dataclass(frozen=True)
class CheckResult:
    name: str
    passed: tuple[bool, ...]  # one per run (seed)
    shown: tuple[str, ...]  # the deciding figure of each run, as text

    @property
    def all_passed(self) -> bool:
        return all(self.passed)


def _quarters(result: RunResult) -> dict[str, dict]:
    return {row["quarter"]: row for row in result.rows}


def _year(rows: dict[str, dict], year: int, column: str, how: Callable = statistics.fmean) -> float | None:
    values = [row[column] for quarter, row in rows.items() if quarter.startswith(str(year))]
    return how(values) if values else None


def _share(rows: dict[str, dict], year: int) -> float | None:
    """China's share of Japan's supply over a year, weighted by what arrived."""
    year_rows = [row for quarter, row in rows.items() if quarter.startswith(str(year))]
    tonnes = sum(row["japan_imports_t"] for row in year_rows)
    if not year_rows or tonnes <= 0:
        return None
    return sum(row["japan_china_share"] * row["japan_imports_t"] for row in year_rows) / tonnes


def spike(column: str, mid_2010: float, low: float, high: float, first: str, last: str):
    """The 2010-2013 peak of ``column`` falls in ``first``-``last`` at ``low``-``high`` times mid-2010."""
    def check(rows: dict[str, dict]) -> tuple[bool, str]:
        quarter, value = max(((q, r[column]) for q, r in rows.items() if q <= "2013Q4"), key=lambda item: item[1])
        ratio = value / mid_2010
        return first <= quarter <= last and low <= ratio <= high, f"{ratio:.1f}x in {quarter}"
    return check


def fall_after_peak(rows: dict[str, dict]) -> tuple[bool, str]:
    peak = max(row["price_ndpr_japan"] for quarter, row in rows.items() if quarter <= "2013Q4")
    end = rows.get("2015Q4")
    if end is None:
        return False, "no 2015Q4"
    ratio = end["price_ndpr_japan"] / peak
    return ratio <= 0.4, f"{ratio:.2f} of the peak"


def china_share_range(rows: dict[str, dict]) -> tuple[bool, str]:
    shares = {year: _share(rows, year) for year in range(2013, 2025)}
    outside = {y: s for y, s in shares.items() if s is None or not 0.50 <= s <= 0.75}
    if not outside:
        return True, f"{min(shares.values()):.2f}-{max(shares.values()):.2f}"
    return False, ", ".join(f"{y}: {'n/a' if s is None else f'{s:.2f}'}" for y, s in outside.items())


def producing_in_2025(rows: dict[str, dict]) -> tuple[bool, str]:
    lynas = _year(rows, 2025, "lynas_ndpr_t", sum)
    mountain_pass = _year(rows, 2025, "usa_mined_t", sum)
    if lynas is None or mountain_pass is None:
        return False, "no 2025"
    return lynas > 0 and mountain_pass > 0, f"Lynas {lynas:,.0f} t NdPr, Mountain Pass {mountain_pass:,.0f} t"


def mine_output(years: Sequence[int]):
    record = {t.year: t.value for t in load_targets(min(years), max(years))
              if t.series == "world_mine_production_t" and t.year in years}

    def check(rows: dict[str, dict]) -> tuple[bool, str]:
        shown, ok = [], True
        for year in years:
            mined = _year(rows, year, "world_mined_t", sum)
            ratio = mined / record[year] if mined is not None and record.get(year) else None
            ok = ok and ratio is not None and 0.75 <= ratio <= 1.25
            shown.append(f"{year}: {'n/a' if ratio is None else f'{ratio:.2f}'}")
        return ok, ", ".join(shown)
    return check


def upswing_2021(rows: dict[str, dict]) -> tuple[bool, str]:
    before = _year(rows, 2020, "price_ndpr_japan")
    during = [_year(rows, year, "price_ndpr_japan") for year in (2021, 2022)]
    if before is None or None in during:
        return False, "no 2020-2022"
    ratio = statistics.fmean(during) / before
    return ratio >= 1.8, f"{ratio:.2f}x 2020"


def history_checks(results: Sequence[RunResult], reference_price: Sequence[float]) -> list[CheckResult]:
    """Each check over each run; ``reference_price`` is the world's mid-2010 price per oxide."""
    ndpr, dytb = reference_price[0], reference_price[1]
    checks = (
        ("NdPr in Japan peaks in 2011Q2-Q4 at 4-8x mid-2010",
         spike("price_ndpr_japan", ndpr, 4.0, 8.0, "2011Q2", "2011Q4")),
        ("Dy/Tb in Japan peaks in 2011 at 5x mid-2010 or more",
         spike("price_dytb_japan", dytb, 5.0, float("inf"), "2011Q1", "2011Q4")),
        ("NdPr at the end of 2015 at most 0.4x its peak", fall_after_peak),
        ("China's share of Japan's supply 0.50-0.75 every year 2013-2024", china_share_range),
        ("Lynas and Mountain Pass still producing in 2025", producing_in_2025),
        ("World mine output within 25% of the record in 2015, 2020, 2024", mine_output((2015, 2020, 2024))),
        ("NdPr in 2021-22 at least 1.8x its 2020 level", upswing_2021),
    )
    out = []
    for name, check in checks:
        verdicts = [check(_quarters(result)) for result in results]
        out.append(CheckResult(name, tuple(v[0] for v in verdicts), tuple(v[1] for v in verdicts)))
    return out


#: The largest move of any price in a quarter that a world without events may show.
QUIET_MOVE = 0.30
QUIET_COLUMNS = ("price_ndpr_japan", "price_dytb_japan", "price_cela_japan",
                 "price_ndpr_china", "price_dytb_china", "price_cela_china")


def largest_move(rows: Sequence[dict], settle_quarters: int = 4) -> tuple[float, str, str]:
    """The largest quarter-to-quarter change of any price after the first ``settle_quarters``
    (a share: 0.3 is up 30% or down to 1/1.3), and the column and quarter where it happened."""
    largest, where, when = 0.0, "", ""
    for column in QUIET_COLUMNS:
        for before, after in zip(rows[settle_quarters:], rows[settle_quarters + 1:]):
            a, b = before[column], after[column]
            if a > 0 and b > 0:
                move = max(a, b) / min(a, b) - 1.0
                if move > largest:
                    largest, where, when = move, column, str(after["quarter"])
    return largest, where, when


def quiet_world_check(results: Sequence[RunResult]) -> CheckResult:
    """Runs of a world without events (``quiet_world``): no price moves more than
    ``QUIET_MOVE`` in a quarter once the first year has settled."""
    verdicts = []
    for result in results:
        move, column, quarter = largest_move(result.rows)
        verdicts.append((move <= QUIET_MOVE, f"{column} moved {move:.0%} in {quarter}"))
    return CheckResult(f"A world without events moves no price more than {QUIET_MOVE:.0%} a quarter",
                       tuple(v[0] for v in verdicts), tuple(v[1] for v in verdicts))


def format_checks(checks: Sequence[CheckResult]) -> str:
    lines = ["What the replay must show (per seed)"]
    for check in checks:
        passed = sum(check.passed)
        lines.append(f"  {'ok  ' if check.all_passed else 'FAIL'} {check.name}: {passed}/{len(check.passed)} seeds")
        for seed, (ok, shown) in enumerate(zip(check.passed, check.shown)):
            if not ok:
                lines.append(f"         seed {seed}: {shown}")
    return "\n".join(lines)
