"""The debrief's charts of a level that continues the world's history start a year before it,
as the turn screen's do, that year drawn apart from the player's game: the 2019 level's debrief
began at its first quarter, with nothing of what led to it."""

from __future__ import annotations

from game.ui.chart import quarter_year
from game.ui.driver import open_at_level
from game.ui.scenes.debrief import charted_quarters


def test_a_continued_level_s_debrief_charts_the_year_before_it(tmp_path, monkeypatch):
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    app = open_at_level("2019-trade-war")
    game = app.game
    game.end_turn()
    before, rows, (x_low, _) = charted_quarters(game)
    start = quarter_year(str(game.scenario.start))
    assert len(before) == 4 and all(quarter_year(row["quarter"]) < start for row in before)
    assert x_low < start - 0.875 and rows[0]["quarter"] == str(game.scenario.start)
    app.switch("debrief")
    app.frame([])
    assert app.top.name == "debrief" and len(app.top.charts) == 3
    game.close()


def test_a_level_that_starts_the_world_afresh_charts_from_its_first_quarter(tmp_path, monkeypatch):
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    app = open_at_level("2010-trawler")
    before, _, (x_low, _) = charted_quarters(app.game)
    assert before == [] and x_low == quarter_year(str(app.game.scenario.start)) - 0.125
    app.game.close()
