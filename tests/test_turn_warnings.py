"""Before a turn ends: the supply panel shows Japan's tonnes, "Stars so far" opens each
objective with where it stands, and End turn warns once a turn (and can be told not to) when
an objective is at risk or political capital would go to waste."""

from __future__ import annotations

import dataclasses
import re

import pygame
import pytest

from game.actions import BuyStockpile
from game.objectives import format_beside
from game.ui.driver import click, on_turn_screen, press, start_level
from game.ui.indicator_bar import INDICATORS, LEVEL_INDICATORS
from game.ui.objective_view import (
    MEASURED,
    SHARE_COLUMNS,
    STATES,
    UNIT_FORMATS,
    at_risk,
    breaks_with,
    objective_standings,
    projected_output,
    tension_at_quarter_end,
)
from game.ui.scenes.objectives import ObjectivesScene
from game.ui.scenes.warning import WarningScene
from game.vocab.materials import Material
from game.vocab.nations import JAPAN


@pytest.fixture
def app(window):
    return window


def _end_turn_past_warnings(app) -> None:
    press(app, pygame.K_RETURN)
    while not on_turn_screen(app):
        if isinstance(app.top, WarningScene):
            click(app, app.tr("End turn anyway"))
        else:
            press(app, pygame.K_RETURN)


def test_end_turn_warns_once_when_political_capital_would_go_to_waste(app):
    start_level(app, "2011-spike", seed=0)
    japan = app.game.world.nation(JAPAN)
    while japan.political_capital + 2 <= 12:  # unspent capital builds up to its most
        _end_turn_past_warnings(app)
    turns = app.game.world.turns_done
    press(app, pygame.K_RETURN)
    assert isinstance(app.top, WarningScene)
    assert any("Political capital" in line for line in app.top.warnings)
    press(app, pygame.K_RETURN)  # Enter on the warning goes back: ending takes a deliberate choice
    assert on_turn_screen(app) and app.game.world.turns_done == turns
    press(app, pygame.K_RETURN)  # once a turn: now the turn ends
    assert app.game.world.turns_done == turns + 1


def test_capital_is_not_said_to_go_to_waste_where_no_lever_could_use_it(app):
    """Where talks are the only lever that costs political capital and tension stands at its
    usual level, talks are refused as easing nothing: End turn does not urge the capital be
    used. Once there is tension to ease, it does."""
    start_level(app, "2023-tech-ban", seed=7)
    game = app.game
    game.session.scenario = dataclasses.replace(game.scenario, unlocked_actions=("buy_stockpile", "hold_talks"))
    game.world.nation(JAPAN).political_capital = 12.0
    assert not any("Political capital" in line for line in app.top.warnings())
    game.world.nation("CHN").tension["JPN"] += 0.3
    assert any("Political capital" in line for line in app.top.warnings())


def test_the_capital_warning_says_all_of_the_gain_where_all_of_it_would_go_to_waste(app):
    """At the cap it read "2 of the 2 it gains next quarter will go to waste"."""
    start_level(app, "2011-spike", seed=0)
    japan = app.game.world.nation(JAPAN)
    most = app.game.world.assumptions.political_capital_max
    japan.political_capital = most
    [line] = [line for line in app.top.warnings() if "Political capital" in line]
    assert "all 2 it gains next quarter" in line, line
    japan.political_capital = most - 1
    [line] = [line for line in app.top.warnings() if "Political capital" in line]
    assert "1 of the 2 it gains next quarter" in line, line


def test_dont_warn_again_ends_the_turn_and_switches_the_warning_off(app):
    start_level(app, "2011-spike", seed=0)
    japan = app.game.world.nation(JAPAN)
    japan.political_capital = 12.0
    turns = app.game.world.turns_done
    press(app, pygame.K_RETURN)
    click(app, "Don't warn again")
    assert app.game.world.turns_done == turns + 1 and not app.settings.warn_before_end
    while not on_turn_screen(app):
        press(app, pygame.K_RETURN)
    app.game.world.nation(JAPAN).political_capital = 12.0
    press(app, pygame.K_RETURN)
    assert not isinstance(app.top, WarningScene) and app.game.world.turns_done == turns + 2


def test_stars_so_far_opens_every_objective_with_its_state(app):
    start_level(app, "2014-urban-mining", seed=0)
    _end_turn_past_warnings(app)
    click(app, next(f.element.text for f in app.top.focusables if f.element.text.startswith("Stars so far")))
    assert isinstance(app.top, ObjectivesScene)
    assert len(app.top.states) == len(app.game.scenario.objectives)
    assert set(app.top.states) <= set(STATES)
    for objective in app.game.scenario.objectives:
        assert objective.text["en"] in app.top.body
    assert "Stars are won in order" in app.top.body  # a third star's tick gives nothing without the second
    press(app, pygame.K_ESCAPE)
    assert on_turn_screen(app)
    press(app, pygame.K_o)
    assert isinstance(app.top, ObjectivesScene)


def test_an_objective_on_a_share_gives_its_figures_in_percent_as_its_text_does(app):
    # 2026-deep-sea's second star: China's share of Japan's supply at most 60% on average in 2028.
    start_level(app, "2026-deep-sea", seed=0)
    press(app, pygame.K_o)
    assert isinstance(app.top, ObjectivesScene)
    assert "needs on average at most 60%, 2028Q1 to 2028Q4" in app.top.body
    assert "at most 0.6" not in app.top.body


def test_an_output_objective_is_at_risk_only_if_this_quarters_supply_would_break_it(app):
    # 2011-spike's third star, output never below 0.97: at an index of 1.00 (which cannot go
    # higher) it was "at risk" every quarter, and End turn warned that output "could fall to
    # about 1.00".
    start_level(app, "2011-spike", seed=0)
    _end_turn_past_warnings(app)
    third = next(s for s in objective_standings(app.game) if s.objective.threshold == 0.97)
    assert projected_output(app.game) >= 0.97 and third.verdict.value >= 0.97
    assert third.state == "on_track"
    assert not at_risk(app.game, projected_output(app.game))
    assert breaks_with(app.game, third, 0.9)  # were supply to allow 0.90, it would be at risk
    assert [s.objective.id for s in at_risk(app.game, 0.9)] == [third.objective.id]


@pytest.mark.parametrize("language", ["en", "ja"])
def test_a_never_below_objective_says_its_value_is_the_lowest_so_far_not_the_value_now(window, language):
    """2010-trawler, seed 1, after 2011Q1: the panel read "現在 0.62 (2010Q4)" ("now") beside a bar
    at 1.00; 0.62 is the lowest of the quarters played, which decides the objective."""
    from game.objectives import format_beside

    window.settings.language = language
    window.rebuild()
    start_level(window, "2010-trawler", seed=1)
    while window.game.world.turns_done < 3:
        _end_turn_past_warnings(window)
    rows = window.game.rows()
    outputs = [row["japan_output_index"] for row in rows]
    assert min(outputs) < outputs[-1]
    press(window, pygame.K_o)
    assert isinstance(window.top, ObjectivesScene)
    tr = window.tr
    factories = next(o for o in window.game.scenario.objectives if o.rule == "never_below")
    lowest = tr("lowest {value}", value=format_beside(min(outputs), factories.threshold))
    assert lowest in window.top.body
    assert tr("now {value}", value=format_beside(min(outputs), factories.threshold)) not in window.top.body
    assert "現在" not in window.top.body


def test_an_averages_quarters_so_far_are_written_as_its_span_is(window):
    """An average's quarters so far read "2010Q3-2010Q4" beside its span's "2010Q3〜2011Q2"."""
    window.settings.language = "ja"
    window.rebuild()
    start_level(window, "2010-trawler", seed=1)
    while window.game.world.turns_done < 2:
        _end_turn_past_warnings(window)
    press(window, pygame.K_o)
    assert isinstance(window.top, ObjectivesScene)
    assert "（2010Q3〜2010Q4）" in window.top.body and "2010Q3-2010Q4" not in window.top.body, window.top.body

def test_the_objectives_japanese_texts_write_quarters_as_the_dialog_does():
    """2010-trawler's second star read "2010年第3四半期から2011年第2四半期まで" beside the
    "（2010Q3〜2011Q2）" the dialog adds, as every screen writes a quarter: one way in one dialog."""
    from game.scenario import load_level
    from game.scenario.catalogue import shipped_level_paths

    written_out = re.compile(r"\d{4}年第[1-4]四半期")
    texts = {(path.stem, objective.id): (objective.text or {}).get("ja", "")
             for path in shipped_level_paths()
             for objective in load_level(path).objectives}
    assert len(texts) > 20
    assert not {key: text for key, text in texts.items() if written_out.search(text)}


@pytest.mark.parametrize("language", ["en", "ja"])
def test_an_objectives_threshold_has_its_indicators_unit(window, language):
    """2010-trawler's third star read "目標：75以上（平均）" and "needs on average at least 75": 75 what?
    The bar says "Stockpile: 40 days"; the objective's threshold says days too."""
    window.settings.language = language
    window.rebuild()
    start_level(window, "2010-trawler", seed=0)
    press(window, pygame.K_o)
    assert isinstance(window.top, ObjectivesScene)
    stockpile = next(o for o in window.game.scenario.objectives if o.indicator == "japan_stockpile_days")
    tr = window.tr
    needs = tr("needs {rule} {threshold}", rule=tr("on average at least"),
               threshold=tr("{v:.0f} days", v=stockpile.threshold))
    assert needs in window.top.body, window.top.body


def test_the_objectives_know_every_share_the_bar_gives_in_percent():
    shares = {column for column, _, fmt, _ in INDICATORS + LEVEL_INDICATORS if "%}" in fmt}
    assert shares == set(SHARE_COLUMNS)


def test_the_objectives_give_every_unit_the_bar_gives():
    plain = ("{v:.0f}", "{v:.2f}")  # a bare number: the output index, tension, political capital
    units = {column: fmt for column, _, fmt, _ in INDICATORS + LEVEL_INDICATORS if fmt not in plain and "%}" not in fmt}
    assert units == UNIT_FORMATS


def test_the_supply_panel_shows_japans_tonnes_and_comes_back_to_the_map(app):
    start_level(app, "2011-spike", seed=0)
    _end_turn_past_warnings(app)
    click(app, "Supply")
    turn = app.top
    assert turn.view == "supply" and turn.supply_surface is not None and turn.map_view is None
    press(app, pygame.K_s)
    assert turn.view == "map" and turn.map_view is not None
    press(app, pygame.K_s)
    assert turn.view == "supply"
    click(app, "Map")
    assert turn.view == "map"


def test_a_chart_asked_for_from_the_supply_panel_shows_with_the_map_not_over_the_panel(app):
    # The bar's Output index, pressed with the supply panel open, drew both charts over its rows.
    start_level(app, "2011-spike", seed=0)
    _end_turn_past_warnings(app)
    press(app, pygame.K_s)
    turn = app.top
    assert turn.view == "supply"
    turn.chart("japan_output_index")
    app.frame([])
    assert turn.view == "map" and turn.supply_surface is None and turn.charts
    assert turn.chart_column == "japan_output_index"


def test_the_supply_panel_says_recycled_oxide_is_in_the_market_rows(app):
    """A player added "Made by recycling Japan's scrap" to what arrived, and found industry's
    stocks short by exactly as much: the recyclers sell on the market, so it is counted there."""
    from game.ui.supply_panel import risks
    from game.world.supply_report import supply_report

    start_level(app, "2010-trawler", seed=0)
    for _ in range(2):
        _end_turn_past_warnings(app)
    report = supply_report(app.game.world, JAPAN)
    ndpr = report.materials[0]
    assert ndpr.recycled_t >= 0.5
    lines = risks(app, report)
    assert lines[0].startswith("* Sold on the market")


def test_the_supply_panel_says_none_arrives_rather_than_about_none_and_a_contract_can_bring_0_t(app):
    """"India embargoes NdPr, Dy/Tb, Ce/La: about 0% still arrives" and "67 t of which - t can
    arrive" (in Japanese, with English commas)."""
    import dataclasses

    from game.ui.supply_panel import risks
    from game.vocab.materials import Material
    from game.world.supply_report import supply_report

    start_level(app, "2010-trawler", seed=0)
    report = supply_report(app.game.world, JAPAN)
    shut = dataclasses.replace(report, embargoes=[("CHN", (Material.NDPR, Material.DYTB), 0.0)])
    assert "China embargoes NdPr, Dy/Tb: none arrives" in risks(app, shut)  # (after the table's footnotes)
    app.settings.language = "ja"
    assert any("NdPr、Dy/Tb" in line for line in risks(app, shut))
    app.settings.language = "en"
    _end_turn_past_warnings(app)  # 2010Q4: the halt, with contracts from China due
    lines = risks(app, supply_report(app.game.world, JAPAN))
    assert not any(" - of " in line or "- t can" in line for line in lines), lines


def test_end_turn_warns_when_this_quarters_supply_would_break_an_output_objective(app):
    start_level(app, "2010-trawler", seed=0)
    _end_turn_past_warnings(app)  # 2010Q3: the halt begins; 2010Q4 opens with half of China's tonnes arriving
    assert str(app.game.world.quarter) == "2010Q4"
    press(app, pygame.K_RETURN)
    assert isinstance(app.top, WarningScene)
    assert any("output could fall to about" in line for line in app.top.warnings), app.top.warnings
    # The projection is a sentence of its own after what the objective needs.
    assert all(". If the market" in line for line in app.top.warnings if "If the market" in line), app.top.warnings
    # What the objective stands at begins a sentence ("at risk this quarter. lowest 0.98 ..." did not).
    assert all(not re.search(r"this quarter\. [a-z]", line) for line in app.top.warnings), app.top.warnings


def test_end_turn_warns_that_stockpile_bids_at_the_price_compete_with_industry(app):
    # A 1,500 t NdPr bid at US$400/kg bought the tonnes industry needed: output fell to 0.89 and a
    # star was lost, with no warning (the forecast was of the market alone).
    start_level(app, "2010-trawler", seed=0)
    _end_turn_past_warnings(app)
    assert app.game.session.submit(BuyStockpile(Material.NDPR, 1500.0, 400.0)).accepted
    assert app.game.session.submit(BuyStockpile(Material.CELA, 100.0, 0.5)).accepted  # below the price: no contest
    lines = [line for line in app.top.warnings() if "stockpile bids" in line]
    assert lines == ["The stockpile bids for 1,500 t of NdPr oxide, up to US$400.00/kg, compete with Japan's own "
                     "industry for this quarter's tonnes: its output could fall."]


def test_a_tension_objective_broken_now_is_at_risk_in_the_panel_and_the_warning(app):
    """An event took China's tension with Japan from 0.30 to 0.60, above 2025-licensing's 0.55:
    the bar showed 0.60, the objectives said "on track" (judged on the last quarter played) and
    End turn warned of nothing; the quarter then lost the star."""
    start_level(app, "2025-licensing", seed=0)
    _end_turn_past_warnings(app)
    app.game.world.nation("CHN").tension[JAPAN] = 0.60
    press(app, pygame.K_o)
    assert isinstance(app.top, ObjectivesScene)
    ordered = sorted(app.game.scenario.objectives, key=lambda o: o.star)
    storm = next(i for i, o in enumerate(ordered) if o.indicator == "china_tension_japan")
    assert app.top.states[storm] == "at_risk", app.top.states
    # judged as the quarter will record it, once eased (tension_at_quarter_end)
    eased = format_beside(tension_at_quarter_end(app.game.world), 0.55)
    assert f"{app.tr(MEASURED['quarter_end'], value=eased)} ({app.game.world.quarter})" in app.top.body
    press(app, pygame.K_ESCAPE)
    press(app, pygame.K_RETURN)
    assert isinstance(app.top, WarningScene)
    assert any("0.55" in line for line in app.top.warnings), app.top.warnings


def test_the_objectives_and_the_warning_judge_tension_as_the_quarter_will_record_it(app):
    """The objectives judged tension on the bar's figure now (0.60), while the objective is judged
    on the quarter's recorded figure, after tension eases (0.56): a figure of 0.555 now, above
    2025-licensing's 0.55, was "at risk" and End turn warned of it, though the quarter records
    about 0.52."""
    start_level(app, "2025-licensing", seed=0)
    _end_turn_past_warnings(app)
    game, world = app.game, app.game.world

    def storm():
        [standing] = [s for s in objective_standings(game) if s.objective.indicator == "china_tension_japan"]
        return standing, standing.objective in [s.objective for s in at_risk(game, projected_output(game))]

    world.nation("CHN").tension[JAPAN] = 0.555
    assert tension_at_quarter_end(world) < 0.55 - 0.02
    standing, warned = storm()
    assert standing.state == "on_track" and not warned
    world.nation("CHN").tension[JAPAN] = 0.60
    expected = tension_at_quarter_end(world)
    standing, warned = storm()
    assert standing.state == "at_risk" and warned
    assert standing.verdict.value == pytest.approx(expected) and standing.verdict.measure == "quarter_end"
    game.end_turn()
    assert game.rows()[-1]["china_tension_japan"] == pytest.approx(expected)


@pytest.mark.parametrize("language, scale", [("en", 1.0), ("ja", 1.0), ("en", 2.0), ("ja", 2.0)])
def test_a_focused_buttons_tooltip_hides_none_of_the_dialogs_other_buttons(app, language, scale):
    """The warning's three buttons stand in a row: a keyboard player's tooltip beside the
    first covered the second, the one it was about to choose between."""
    app.settings.language, app.settings.scale = language, scale
    app.apply_settings()
    start_level(app)
    press(app, pygame.K_RETURN)
    while not isinstance(app.top, WarningScene):
        press(app, pygame.K_RETURN if on_turn_screen(app) else pygame.K_ESCAPE)
    buttons = [f for f in app.top.focusables if f.tooltip]
    assert len(buttons) == 3
    for focused in buttons:
        rect = focused.element.get_abs_rect().inflate(app.u(6), app.u(6))
        box = app._draw_tip(focused.tooltip, rect)
        assert app.screen.get_rect().contains(box)
        for other in buttons:
            if other is not focused:
                assert not box.colliderect(other.element.get_abs_rect()), (focused.tooltip, other.tooltip)
