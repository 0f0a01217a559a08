"""rare-earths calibrate: the model's history beside the reference figures, with fact ids."""

from __future__ import annotations

import pytest

from game.cli import main
from game.research.calibration import calibrate, format_comparisons, load_targets, model_value
from game.research.runner import RunResult, run


def test_targets_are_the_reference_series_with_their_fact_ids():
    targets = load_targets()
    by_series = {t.series for t in targets}
    assert by_series == {"nd_oxide_price_usd_kg", "dy_oxide_price_usd_kg", "japan_china_share_pct", "japan_demand_t"}
    assert all(t.fact_id and t.value > 0 for t in targets)
    assert any(t.fact_id == "price_nd_2011_peak" and t.kind == "peak" for t in targets)
    assert all(2009 <= int(t.period[:4]) <= 2016 for t in targets)


def test_each_kind_of_figure_is_compared_with_the_matching_model_figure():
    rows = tuple({"quarter": f"2011Q{q}", "price_ndpr_japan": float(10 * q), "japan_demand_t": 100.0,
                  "japan_china_share": 0.5, "japan_imports_t": 1.0} for q in (1, 2, 3, 4))
    result = RunResult("x", "passive", 0, rows)
    by_kind = {t.kind: t for t in load_targets() if t.series == "nd_oxide_price_usd_kg" and t.period.startswith("2011")}
    assert model_value(result, "price_ndpr_japan", by_kind["peak"], 1.0) == 40.0
    assert model_value(result, "price_ndpr_japan", by_kind["year-end"], 1.0) == 40.0
    demand = next(t for t in load_targets() if t.series == "japan_demand_t" and t.period == "2011")
    assert model_value(result, "japan_demand_t", demand, 1.0) == 400.0  # a year is the sum of its quarters


def test_calibrating_the_first_level_covers_2010_to_2012_only():
    comparisons = calibrate("2010-trawler", "history", seeds=1)
    covered = {c.target.period[:4] for c in comparisons if c.model is not None}
    assert covered <= {"2010", "2011", "2012"} and "2011" in covered
    assert all(c.error is None or abs(c.error) < 100 for c in comparisons)
    text = format_comparisons(comparisons)
    assert "price_nd_2011_peak" in text and "median absolute error" in text


def test_calibrate_command_prints_the_table_and_writes_a_png(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    chart = tmp_path / "out" / "calibration.png"
    assert main(["calibrate", "--level", "2010-trawler", "--seeds", "2", "--chart", str(chart)]) == 0
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    out = capsys.readouterr().out
    assert "jp_china_share_2011" in out and "chart written to" in out


def test_run_returns_rows_and_news():
    result = run("2010-trawler", "history", seed=1, turns=2)
    assert [r["quarter"] for r in result.rows] == ["2010Q3", "2010Q4"]
    assert any(kind == "embargo" for _, kind, _ in result.news)
