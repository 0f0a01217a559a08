"""The indicator bar reads this quarter's label beside last quarter's results: a player saw
"Turn 2 of 12: 2026Q2 ... Output index 0.59" while the debrief gave 0.59 to 2026Q1, and could not
tell which quarter the figure was. The figures measured over a quarter say which one."""

from __future__ import annotations

import pytest

from game.ui.driver import open_at_level


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    return tmp_path


def _bar(app) -> list[tuple[str, str]]:
    return [(element.text, tip) for element, tip in app.top.tips if "#indicator" in element.object_ids]


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_figures_of_last_quarter_name_it_and_those_of_now_do_not(data_dir, language):
    app = open_at_level("2026-deep-sea", size=(1920, 1080), language=language)
    app.game.end_turn()
    app.rebuild()
    app.frame([])
    played = str(app.game.world.quarter - 1)
    bar = _bar(app)
    output = next((text, tip) for text, tip in bar if text.endswith(f"{app.game.rows()[-1]['japan_output_index']:.2f}"))
    assert played in output[0] and played in output[1], output
    budget = bar[1]  # money stands as it is now: no quarter before it
    assert played not in budget[0] and played not in budget[1], budget
    assert played in bar[0][1]  # the turn's tip says which figures are whose
    app.game.close()


def test_where_the_quarter_does_not_fit_the_tip_still_names_it(data_dir):
    app = open_at_level("2026-deep-sea", size=(1280, 720))
    app.game.end_turn()
    app.rebuild()
    app.frame([])
    played = str(app.game.world.quarter - 1)
    figures = [(text, tip) for text, tip in _bar(app)[3:6]]  # output, China share, stockpile
    assert all(played in tip for _, tip in figures), figures
    app.game.close()


def test_a_first_turn_without_history_names_no_quarter(data_dir):
    app = open_at_level("2010-trawler")
    assert not app.game.world.quarters_simulated
    assert not any(str(app.game.world.quarter - 1) in tip for _, tip in _bar(app))
    app.game.close()
