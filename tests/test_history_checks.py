"""The yes-or-no checks a replay of 2010-2025 must pass, on hand-made runs."""

from game.research.history_checks import (
    QUIET_COLUMNS,
    format_checks,
    history_checks,
    largest_move,
    quiet_world_check,
)
from game.research.runner import RunResult

REFERENCE = (55.81, 281.54, 23.05)


def _quarters(first: int = 2010, last: int = 2025) -> list[str]:
    return [f"{year}Q{q}" for year in range(first, last + 1) for q in (1, 2, 3, 4) if f"{year}Q{q}" >= "2010Q3"]


def _history(**changes) -> RunResult:
    """A run that passes every check, with ``changes`` {quarter or year: {column: value}}."""
    rows = []
    for quarter in _quarters():
        year = int(quarter[:4])
        row = {"quarter": quarter, "price_ndpr_japan": 56.0, "price_dytb_japan": 282.0, "japan_china_share": 0.6,
               "japan_imports_t": 5000.0, "lynas_ndpr_t": 1500.0, "usa_mined_t": 10000.0,
               "world_mined_t": {2015: 129000, 2020: 250000, 2024: 380000}.get(year, 150000) / 4.0}
        if quarter == "2011Q3":
            row.update(price_ndpr_japan=300.0, price_dytb_japan=2000.0)
        if year == 2020:
            row["price_ndpr_japan"] = 50.0
        if year in (2021, 2022):
            row["price_ndpr_japan"] = 100.0
        row.update(changes.get(quarter, {}))
        row.update(changes.get(str(year), {}))
        rows.append(row)
    return RunResult("sandbox", "history", 0, tuple(rows))


def _verdicts(result: RunResult) -> dict[str, bool]:
    return {c.name: c.all_passed for c in history_checks([result], REFERENCE)}


def test_a_run_like_the_record_passes_every_check():
    assert all(_verdicts(_history()).values())


def test_each_check_fails_when_its_part_of_history_goes_wrong():
    cases = {
        "NdPr in Japan peaks in 2011Q2-Q4 at 4-8x mid-2010": {"2011Q3": {"price_ndpr_japan": 150.0}},
        "Dy/Tb in Japan peaks in 2011 at 5x mid-2010 or more": {"2013Q2": {"price_dytb_japan": 3000.0}},
        "NdPr at the end of 2015 at most 0.4x its peak": {"2015Q4": {"price_ndpr_japan": 200.0}},
        "China's share of Japan's supply 0.50-0.75 every year 2013-2024": {"2019": {"japan_china_share": 0.95}},
        "Lynas and Mountain Pass still producing in 2025": {"2025": {"lynas_ndpr_t": 0.0}},
        "World mine output within 25% of the record in 2015, 2020, 2024": {"2024": {"world_mined_t": 60000.0}},
        "NdPr in 2021-22 at least 1.8x its 2020 level": {"2021": {"price_ndpr_japan": 60.0},
                                                         "2022": {"price_ndpr_japan": 60.0}},
    }
    for name, changes in cases.items():
        verdicts = _verdicts(_history(**changes))
        assert not verdicts[name], name
        assert sum(not ok for ok in verdicts.values()) == 1, (name, verdicts)  # only that one


def test_the_report_names_the_failing_seed_and_its_figure():
    text = format_checks(history_checks([_history(), _history(**{"2015Q4": {"price_ndpr_japan": 200.0}})], REFERENCE))
    assert "FAIL NdPr at the end of 2015" in text and "1/2 seeds" in text and "seed 1: 0.67 of the peak" in text


def _quiet(prices_by_quarter: list[float]) -> RunResult:
    """A quiet-world run where every price follows ``prices_by_quarter``."""
    rows = [{"quarter": q, **{c: p for c in QUIET_COLUMNS}}
            for q, p in zip(_quarters(), prices_by_quarter)]
    return RunResult("sandbox", "passive", 0, tuple(rows))


def test_a_quiet_world_passes_when_no_price_moves_more_than_thirty_percent_a_quarter():
    steady = [100.0 * 1.29 ** (i % 2) for i in range(40)]  # up 29%, down again, every quarter
    assert quiet_world_check([_quiet(steady)]).all_passed
    jump = [100.0] * 20 + [140.0] + [140.0] * 19
    check = quiet_world_check([_quiet(steady), _quiet(jump)])
    assert check.passed == (True, False)
    assert check.shown[1].endswith("moved 40% in 2015Q3")
    fall = [100.0] * 20 + [50.0] * 20  # halving is a 100% move, as doubling is
    assert largest_move(_quiet(fall).rows)[0] == 1.0


def test_the_first_year_of_a_quiet_world_may_settle():
    settling = [300.0, 100.0, 50.0, 80.0] + [80.0] * 36
    assert quiet_world_check([_quiet(settling)]).all_passed
