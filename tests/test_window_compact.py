"""A large UI scale in a small window: every screen laid out again in its compact form (the
turn screen's panes take turns), never a scaled surface, and level 1 played through it with the
keyboard alone in Japanese and with the mouse alone in English. Driven with posted input on the
dummy video driver (set in conftest)."""

from __future__ import annotations

import pygame
import pytest

from game.ui.app import TIP_REACH, open_app
from game.ui.notice_place import stands_beside
from game.ui.driver import (
    badly_broken_lines,
    click,
    click_at,
    find_button,
    focus_and_press,
    key,
    on_turn_screen,
    overflowing,
    press,
    start_level,
)
from game.ui.scenes.debrief import DebriefScene
from game.ui.supply_panel import heading_height
from game.ui.storage import Settings


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path / "data"))
    return tmp_path / "data"


def compact_window(language: str, size=(1280, 720), scale: float = 2.0):
    window = open_app(size, settings=Settings(language=language, scale=scale, sound=False, warn_before_end=False))
    window.frame([])
    return window


@pytest.mark.parametrize("size,scale,shown,compact", [((1280, 720), 2.0, 2.0, True), ((1024, 576), 2.0, 1.6, True),
                                                      ((1280, 720), 1.25, 1.25, False), ((2560, 1440), 2.0, 2.0, False),
                                                      ((1280, 720), 1.5, 1.5, True)])
def test_the_ui_scale_is_used_in_every_window_and_small_ones_go_compact(data_dir, size, scale, shown, compact):
    window = compact_window("en", size, scale)
    assert window.s == pytest.approx(shown)
    assert window.compact is compact
    assert window.screen.get_size() == size  # drawn at the window's size, never a scaled surface
    title = find_button(window, "Campaign")
    assert title.rect.h >= window.font("text").get_linesize()


@pytest.mark.parametrize("language,scale", [("en", 1.0), ("en", 2.0), ("ja", 1.0), ("ja", 2.0)])
@pytest.mark.parametrize("view", ["asia", "world"])
def test_no_nation_name_on_the_map_runs_under_its_buttons_or_legend(data_dir, language, scale, view):
    """Australia's name ran under the material buttons at 200% in Japanese, and then its
    marker, half under "All"."""
    app = compact_window(language, scale=scale)
    start_level(app)
    turn = app.top
    if turn.map_area != view:
        turn.show_area(view)
        app.frame([])
    if app.compact:
        turn.show_pane("map")
        app.frame([])
    view_of_map = turn.map_view
    assert view_of_map is not None and view_of_map.view == view and turn.map_controls
    covering = [*turn.map_controls, turn._legend_box()]
    whole_map = view_of_map.rect
    for code, box in view_of_map.label_boxes.items():
        on_window = box.move(whole_map.topleft)
        assert whole_map.contains(on_window), (code, on_window, whole_map)
        assert on_window.collidelist(covering) < 0, (code, on_window, covering)
        x, y, _ = view_of_map.position(code)
        dot = max(4, view_of_map.s * 6)
        marker = pygame.Rect(0, 0, 2 * dot, 2 * dot)
        marker.center = (round(whole_map.x + x), round(whole_map.y + y))
        assert marker.collidelist(covering) < 0, (code, marker, covering)
        assert view_of_map.nation_at(marker.center) == code  # a click on the marker finds it where it is drawn
    assert set(view_of_map.label_boxes) == set(view_of_map.nations)


def test_the_lead_time_of_a_stockpile_bid_runs_onto_a_second_line_in_a_small_window(data_dir):
    """At 1024x576 the form read "Takes: this quarter, if sellers meet t…": its limit had taken
    the form's last spare line, though the limit also shows in its value's dialog."""
    app = compact_window("en", (1024, 576), 1.0)
    start_level(app, "2026-deep-sea")
    click(app, "Buy stock")
    texts = [box.text for box in app.top.texts]
    first = next(i for i, text in enumerate(texts) if text.startswith("Takes: "))
    assert f"{texts[first]} {texts[first + 1]}" == "Takes: this quarter, if sellers meet the cap"
    assert not list(overflowing(app.top))


@pytest.mark.parametrize("language", ["en", "ja"])
def test_every_text_a_lever_form_cuts_short_has_its_whole_in_a_tip(data_dir, language):
    """A choice's name cut to "プロジ…" at 1024x576 had no tip to read it whole."""
    from game.ui.levers import LEVERS

    app = compact_window(language, (1024, 576), 1.0)
    start_level(app, "2026-deep-sea")
    panel = app.top.levers
    cut = []
    for lever in LEVERS:
        panel.tab = lever.tab
        panel.choose_lever(lever.kind)
        app.frame([])
        tipped = {id(element) for element, _ in app.top.tips}
        cut += [(lever.kind, box.text) for box in app.top.texts
                if box.text.endswith("…") and box.element.alive() and id(box.element) not in tipped]
    assert not cut


@pytest.mark.parametrize("language,size,scale", [("en", (1280, 720), 1.0), ("ja", (1280, 720), 1.0),
                                                 ("en", (1280, 720), 2.0), ("ja", (1280, 720), 2.0)])
def test_the_debrief_opens_on_next_level_in_every_language_and_size(data_dir, language, size, scale):
    """The Japanese debrief at 200% opened with the focus on "グラフ" (Charts), a pane button of
    the compact debrief, where the English one at 100% opened on Next level."""
    app = compact_window(language, size, scale)
    app.progress.record("2010-trawler", 2)
    start_level(app)
    while app.game.world.turns_done < app.game.scenario.n_turns - 1:
        app.game.end_turn()
    press(app, pygame.K_RETURN)  # the last End turn, through the window
    debrief = app.top
    assert isinstance(debrief, DebriefScene)
    assert app.compact is (scale == 2.0)
    assert debrief.focused().element.text == app.tr("Next level")


def _pane_buttons(app) -> dict[str, pygame.Rect]:
    return {name: find_button(app, text).get_abs_rect() for name, (text, _) in app.top.pane_buttons().items()}


def test_level_one_in_japanese_at_200_percent_in_a_small_window_with_the_keyboard_alone(data_dir):
    app = compact_window("ja")
    tr = app.tr
    bad: list[str] = []
    press(app, pygame.K_RETURN)  # the campaign
    press(app, pygame.K_SPACE)  # the first level's briefing
    bad += badly_broken_lines(app)
    press(app, pygame.K_RETURN)  # Start
    steps = 0
    shown_panes = set()
    while not on_turn_screen(app):  # the events page, then the tutorial, which shows each pane it speaks of
        top = app.top
        if top.name == "turn" and top.tutorial.active:
            shown_panes.add(top.pane)
            bad += badly_broken_lines(app)
        press(app, pygame.K_RETURN)
        steps += 1
        assert steps < 40
    assert {"map", "charts", "levers", "news"} <= shown_panes
    turn = app.top
    assert turn.pane == "map" or turn.pane in shown_panes
    press(app, pygame.K_5)  # the Industry tab: the levers pane, with budget and capital over it
    assert turn.pane == "levers" and turn.levers.tab == "Industry"
    assert any(f.element.text.startswith(tr("Budget")) or "US$" in f.element.text for f in turn.focusables)
    budget = app.game.world.nation("JPN").budget_musd
    focus_and_press(app, tr("Magnet R&D"))
    focus_and_press(app, tr("Take action"))
    assert app.game.world.nation("JPN").budget_musd < budget
    press(app, pygame.K_s)  # the supply pane, scrolled with Page Down
    assert turn.pane == "supply" and turn.supply_surface is not None
    area, panel = turn.supply_surface
    assert panel.get_height() > area.h  # the whole table and its notes, more than the pane holds
    heading = pygame.Rect(area.x, area.y, area.w - app.u(12), heading_height(app))  # (not the scroll bar)
    before = pygame.image.tobytes(app.screen.subsurface(heading), "RGB")
    press(app, pygame.K_PAGEDOWN)
    assert turn.supply_scroll > 0
    # The heading and the materials' names stay where the Map button stands; the rows scrolled
    # under the button, which hid the Ce/La figures.
    assert pygame.image.tobytes(app.screen.subsurface(heading), "RGB") == before
    press(app, pygame.K_PAGEDOWN)
    press(app, pygame.K_PAGEDOWN)
    assert turn.supply_scroll == panel.get_height() - area.h
    bad += badly_broken_lines(app)
    focus_and_press(app, tr("News"))
    assert turn.pane == "news"
    bad += badly_broken_lines(app)
    presses = 0
    while not isinstance(app.top, DebriefScene):
        bad += badly_broken_lines(app)
        press(app, pygame.K_RETURN)
        presses += 1
        assert presses < 200
    bad += badly_broken_lines(app)
    assert app.game.session.is_over
    assert [r.action.kind for r in app.game.session.actions if r.accepted] == ["fund_magnet_research"]
    assert not bad, "\n".join(bad)
    app.game.close()


def test_level_one_at_200_percent_in_a_small_window_with_the_mouse_alone(data_dir):
    app = compact_window("en")
    click(app, "Campaign")
    click_at(app, app.top.focusables[0].element.get_abs_rect().center)  # the first level
    click(app, "Start")
    while not on_turn_screen(app):
        top = app.top
        click(app, "Skip tutorial" if top.name == "turn" else "Continue")
    turn = app.top
    click(app, "Levers")
    assert turn.pane == "levers"
    click(app, "Stockpile")
    click(app, "Release stock")
    click(app, next(f.element.text for f in turn.focusables if f.element.text.endswith(" t")))
    click(app, "All of it")
    click(app, "Take action")
    assert app.game.session.this_turns_actions()[-1].accepted
    for name, rect in _pane_buttons(app).items():  # every pane, one after another
        click_at(app, rect.center)
        assert turn.pane == name
    click(app, "Map")
    click(app, next(f.element.text for f in turn.focusables if f.element.text.startswith("Output")))
    assert turn.pane == "charts" and turn.chart_column == "japan_output_index"
    while not isinstance(app.top, DebriefScene):
        click(app, "End turn" if app.top.name == "turn" else "Continue")  # a quarter's events come as one page
    assert app.game.session.is_over
    app.game.close()



@pytest.mark.parametrize("language", ["en", "ja"])
def test_a_compact_form_names_the_limits_of_its_amounts(data_dir, language):
    """At 200% in a 1280x720 window the investment form (six choices) dropped its "Money: up to
    US$60M (the budget left this quarter)" line, though the form had room for it below its button."""
    from game.ui.lever_panel import LEVER_BY_KIND
    from game.ui.levers import limit_line

    app = compact_window(language)
    start_level(app, "2010-trawler", seed=1)
    press(app, pygame.K_2)  # Invest
    turn = app.top
    assert turn.pane == "levers" and turn.levers.lever_kind == "invest_in_project"
    lever = LEVER_BY_KIND["invest_in_project"]
    values = turn.levers._values(lever)
    wanted = [text for choice in lever.choices if (text := limit_line(app.tr, choice, app.game.world, values))]
    shown = [box.text for box in turn.texts]
    assert wanted and all(any(text == line or (line.endswith("…") and text.startswith(line[:-1])) for line in shown)
                          for text in wanted[:1]), (wanted, shown)
    app.game.close()


def test_a_narrow_lever_panel_keeps_its_tabs_whole_and_whatever_it_cuts_in_a_tip(data_dir):
    """At 1024x600 the tabs read "Stockp…" and "Diplo…", and the deep-sea programme's lead time
    "Takes: survey: 2 quarters, 95% chan…", so its odds could not be read anywhere."""
    app = compact_window("en", size=(1024, 600), scale=1.0)
    start_level(app, "sandbox", seed=1)
    press(app, pygame.K_5)  # Industry
    turn = app.top
    texts = [f.element.text for f in turn.focusables]
    assert {"Stockpile", "Invest", "Trade", "Diplomacy", "Industry"} <= set(texts)
    click(app, next(text for text in texts if text.startswith("Deep-sea")))
    cut = [box for box in turn.texts if box.text.endswith("…")]
    tips = {element: tip for element, tip in turn.tips}
    assert all(box.element in tips and tips[box.element].startswith(box.text[:-1]) or box.text[:-1] in tips[box.element]
               for box in cut), [(box.text, tips.get(box.element)) for box in cut]
    lead = next(box for box in turn.texts if box.text.startswith("Takes:"))
    assert not lead.text.endswith("…") or "%" in tips[lead.element]
    app.game.close()


@pytest.mark.parametrize("size,scale", [((1280, 720), 2.0), ((1280, 720), 1.5), ((1024, 600), 2.0)])
def test_the_tutorial_s_first_step_leaves_japan_in_sight_on_a_compact_screen(data_dir, size, scale):
    """On a compact screen no place along the bar kept the first step's callout off Japan."""
    from game.ui.play import Game

    app = compact_window("ja", size, scale)
    app.start_game(Game("2010-trawler", seed=1), "turn")
    app.frame([])
    while not (app.top.name == "turn" and app.top.tutorial.active):
        press(app, pygame.K_RETURN)
    turn = app.top
    assert turn.tutorial.step == 0 and app.compact
    callout = next(f.element for f in turn.focusables if f.element.text == app.tr("Next")).ui_container.get_abs_rect()
    japan = turn._japan_on_map()
    assert len(japan) == 2 and callout.collidelist(list(japan)) < 0, (callout, japan)
    assert callout.top > turn.regions["bar"].bottom and app.screen.get_rect().contains(callout)


@pytest.mark.parametrize("scale", [1.0, 2.0])
@pytest.mark.parametrize("language", ["en", "ja"])
@pytest.mark.parametrize("level", ["2013-mud", "2014-urban-mining", "2026-deep-sea"])
def test_a_level_s_own_indicators_read_whole_on_the_bar(data_dir, level, language, scale):
    """2026-deep-sea's bar read "Deep sea 0 of 5 sta…" at 100% in 1280x720, and 2014-urban-mining's
    "Recycling 3,050 …" at 200%: where the full text does not fit, the short label and a short
    form of the value do, never cut."""
    app = compact_window(language, scale=scale)
    start_level(app, level, seed=1)
    cut = [box.text for box in app.top.texts if box.object_id == "#indicator" and box.text.endswith("…")]
    assert not cut, cut
    app.game.close()


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_supply_panel_scrolls_by_whole_rows_clear_of_its_heading(data_dir, language):
    """Scrolled, the supply panel's rows ran up against its materials' names: the top one cut
    in half ("Held now" showing its feet under "NdPr Dy/Tb Ce/La"). Every place the wheel and
    Page Down reach shows whole rows, a clear band under the heading."""
    app = compact_window(language)
    start_level(app, "2019-trade-war", seed=1)
    press(app, pygame.K_s)
    turn = app.top
    area, panel = turn.supply_surface
    assert panel.get_height() > area.h
    band = pygame.Rect(area.x + app.u(4), area.y + heading_height(app), area.w - app.u(20), app.u(3))
    background = app.colours.rgb("panel")
    reached = []
    pointer = (area.centerx, area.centery)
    for scrolling in [[pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=-1, flipped=False, precise_x=0.0,
                                          precise_y=-1.0)]] * 6 + [[key(pygame.K_PAGEDOWN)]] * 4:
        pygame.mouse.set_pos(pointer)
        app.frame(scrolling)
        reached.append(turn.supply_scroll)
        ink = {app.screen.get_at((x, y))[:3] for x in range(band.left, band.right) for y in range(band.top, band.bottom)}
        assert ink == {background}, (turn.supply_scroll, ink - {background})
    assert reached[-1] == panel.get_height() - area.h and len(set(reached)) > 3
    app.game.close()


def _line_drawn(chart: pygame.Surface, colour) -> bool:
    return any(chart.get_at((x, y))[:3] == colour for x in range(0, chart.get_width(), 2)
               for y in range(chart.get_height()))


@pytest.mark.parametrize("level", ["2023-tech-ban", "2025-licensing"])
def test_the_compact_debrief_gives_its_texts_and_charts_room_and_exports_them_all(data_dir, level):
    """At 200% in Japanese in 1280x720 the debrief's texts showed about four lines each under the
    charts, the NdPr price chart was blank (its legend took its plot's room) and the exported
    picture was that cramped screen. Its texts and its charts now take turns, each with the
    whole page, and the picture holds them one under another."""
    app = compact_window("ja")
    start_level(app, level, seed=1)
    while not app.game.session.is_over:
        app.game.end_turn()
    app.switch("debrief")
    app.frame([])
    debrief = app.top
    lines = app.font("text").get_linesize()
    seen_boxes, seen_charts = 0, 0
    for pane in (app.tr("Your game"), app.tr("What really happened"), app.tr("Charts")):
        if pane != app.tr("Your game"):  # the pane it opens on
            click(app, pane)
        boxes = [box for box in debrief.reading if box.alive() and box.visible]
        for box in boxes:
            assert box.rect.h >= 8 * lines, (box.rect, lines)
        seen_boxes += len(boxes)
        if debrief.pane == "charts":
            for rect, chart in debrief.charts:
                assert rect.h >= 8 * lines and _line_drawn(chart, app.colours.rgb("accent")), rect
                seen_charts += 1
    assert seen_boxes == 2 and seen_charts == 3
    assert not list(overflowing(debrief))
    click(app, app.tr("Export"))
    html_path, png_path = debrief.exported
    picture = pygame.image.load(str(png_path))
    assert picture.get_width() == app.w and picture.get_height() > 2 * app.h
    app.game.close()


def test_the_footer_s_tips_keep_off_the_supply_pane_s_rows_and_notes(data_dir):
    """In Japanese at 200% in 1920x1080 the Supply button's tip lay over the supply pane's notes:
    the pane is one picture, whose lines the tips did not know of."""
    app = open_app((1920, 1080), settings=Settings(sound=False, language="ja", scale=2.0, warn_before_end=False))
    app.progress.tutorial_done = True
    app.frame([])
    start_level(app, "2010-trawler", seed=0)
    turn = app.top
    turn.show_pane("supply")
    app.frame([])
    assert turn.drawn_lines()
    footer = [f for f in turn.focusables if f.tooltip and f.element.get_abs_rect().top > turn.regions["bar"].bottom
              and f.element.get_abs_rect().bottom > app.h - app.u(60)]
    assert any(f.element.text == app.tr("Supply") for f in footer)
    for focused in footer:
        rect = focused.element.get_abs_rect().inflate(app.u(6), app.u(6))
        box = app._draw_tip(focused.tooltip, rect, around=app._tip_area(focused.element, rect))
        # Only where no clear place stands beside its button: across the window, it was read as
        # another button's tip.
        beside = stands_beside(box, rect, app._tip_area(focused.element, rect), app.u(TIP_REACH))
        assert box.collidelist(turn.drawn_lines()) < 0 or beside, (focused.element.text, box)
    app.game.close()
