"""The compact turn screen's Levers pane keeps what a lever is chosen by on the indicator bar: at
200% it kept only the turn, budget, political capital and stars, so the stockpile, output and
China share were out of sight exactly while the player chose to release or buy stock. It keeps
the quarter too (a first mend gave the turn's place to them, and no pane in view said which
quarter the levers were for)."""

from __future__ import annotations

import pytest

from game.ui.driver import open_at_level, overflowing
from game.ui.indicator_bar import INDICATORS
from game.ui.levers import LEVERS


@pytest.mark.parametrize("language, size", [("en", (1280, 720)), ("ja", (1280, 720)), ("ja", (1920, 1080))])
def test_the_levers_pane_shows_the_stockpile_output_and_china_share(tmp_path, monkeypatch, language, size):
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    app = open_at_level("2010-trawler", seed=0, size=size, language=language, scale=2.0)
    assert app.compact
    app.top.show_pane("levers")
    app.frame([])
    shown = [element for element, _ in app.top.tips if element.object_ids[-1] == "#indicator" and element.visible]
    columns = {"japan_stockpile_days", "japan_output_index", "japan_china_share", "japan_budget_musd"}
    # Found by their tips: the texts are short forms here.
    tips = [tip for element, tip in app.top.tips if element in shown]
    for column in columns:
        tip = next(t for c, _, _, t in INDICATORS if c == column)
        assert any(app.tr(tip) in shown_tip for shown_tip in tips), column
    assert any(str(app.game.world.quarter) in element.text for element in shown)  # the quarter decided
    assert len({element.get_abs_rect().top for element in shown}) == 1  # one row: the form keeps its room
    for lever in LEVERS:  # and every lever's form still fits under it, its Submit in sight
        app.top.levers.choose_tab(lever.tab)
        app.top.levers.choose_lever(lever.kind)
        app.frame([])
        assert not list(overflowing(app.top)), lever.kind
        footer = app.top.regions["footer"]
        shown = [f.element.get_abs_rect() for f in app.top.focusables if f.element.visible]
        assert all(rect.bottom <= footer.top or rect.top >= footer.top for rect in shown), lever.kind
    app.game.close()


@pytest.mark.parametrize(("size", "scale"), [((1366, 768), 1.5), ((1920, 1080), 2.0), ((1024, 576), 1.5)])
def test_the_levers_pane_bar_shows_what_the_chosen_tab_acts_on(tmp_path, monkeypatch, size, scale):
    """Over the talks' "easing tension by about 0.14" the one-row bar had no Tension (2019-trade-war
    at 1366x768 and 150%, 1920x1080 and 200%, 1024x576 and 150%), nor Secured over an investment; and in
    2025-licensing, whose three-star objective judges tension, none of the tabs showed it."""
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    for level, tab, column in (("2019-trade-war", "Diplomacy", "china_tension_japan"),
                               ("2019-trade-war", "Invest", "japan_secured_share"),
                               ("2025-licensing", "Stockpile", "china_tension_japan")):
        app = open_at_level(level, seed=0, size=size, scale=scale)
        assert app.compact
        app.top.show_pane("levers")
        app.frame([])
        app.top.levers.choose_tab(tab)
        app.frame([])
        tip = app.tr(next(t for c, _, _, t in INDICATORS if c == column))
        shown = [t for element, t in app.top.tips if element.object_ids[-1] == "#indicator" and element.visible]
        assert any(tip in shown_tip for shown_tip in shown), (level, tab, column)
        assert app.top.levers.tab == tab
        assert len({f.element.get_abs_rect().top for f in app.top.focusables
                    if f.element.object_ids[-1] == "#indicator" and f.element.visible}) == 1
        assert not list(overflowing(app.top)), (level, tab)
        app.game.close()
