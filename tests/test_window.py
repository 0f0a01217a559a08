"""The window, driven with posted input on the dummy video driver (set in conftest): every
scene opens, a level is played to its debrief with the keyboard alone and with the mouse
alone, saves round-trip, bad saves are refused on screen, and no text overflows its box."""

from __future__ import annotations

import math
import re
import shutil
import time
import types

import numpy as np
import pygame
import pytest
from pygame_gui.elements import UITextBox

from game.actions import BuyStockpile
from game.savefile import load_text
from game.scenario import load_level, shipped_level_paths
from game.scenario.reference import facts
from game.ui import storage
from game.ui.app import TIP_REACH, _distance, open_app
from game.ui.notice_place import stands_beside
from game.ui.citations import cite
from game.ui.driver import (
    click,
    click_at,
    every_scene,
    find_button,
    focus_and_press,
    on_turn_screen,
    overflowing,
    press,
    start_level,
)
from game.ui.indicator_bar import CHART_TITLES, CHARTABLE
from game.ui.levers import LEVERS
from game.ui.scenes.briefing import BriefingScene
from game.ui.scenes.campaign import CampaignScene
from game.ui.scenes.debrief import DebriefScene
from game.ui.scenes.event import EventScene
from game.ui.scenes.load import LoadScene
from game.ui.scenes.menu import MenuScene
from game.ui.scenes.negotiation import NegotiationScene
from game.ui.scenes.settings import SettingsScene
from game.ui.scenes.title import TitleScene
from game.ui.scenes.turn import TurnScene
from game.ui.scenes.warning import WarningScene
from game.ui.storage import Settings
from game.ui.text import escape
from game.vocab.materials import Material
from game.vocab.nations import JAPAN
from game.world.indicators import days_of_use_held
from game.world.supply_report import supply_report


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    return tmp_path


@pytest.fixture
def app(data_dir):
    window = open_app(settings=Settings(sound=False))
    window.frame([])
    yield window
    if window.game is not None:
        window.game.close()


def test_the_title_screen_opens_with_its_choices(app):
    assert isinstance(app.top, TitleScene)
    texts = [f.element.text for f in app.top.focusables]
    assert texts[:6] == ["Campaign", "Free play", "Workshop", "Load game", "Settings", "Quit"]


def test_every_scene_opens_by_its_name_and_draws(app):
    screens = (("campaign", {}, CampaignScene), ("briefing", {"level_ref": "2010-trawler"}, BriefingScene),
               ("load", {}, LoadScene), ("settings", {}, SettingsScene))
    for name, options, kind in screens:
        scene = app.switch(name, **options)
        app.frame([])
        assert app.top is scene and isinstance(scene, kind) and scene.focusables
    start_level(app)
    events = [n for n in app.game.world.news if n.source][:2]
    dialogs = (("negotiation", {}, NegotiationScene), ("menu", {}, MenuScene), ("event", {"events": events}, EventScene))
    for name, options, kind in dialogs:
        dialog = app.push(name, **options)
        app.frame([])
        assert app.top is dialog and isinstance(dialog, kind) and dialog.focusables
        press(app, pygame.K_ESCAPE)
        assert isinstance(app.top, TurnScene)
    press(app, pygame.K_F1)
    assert app.show_help
    press(app, pygame.K_a)
    assert not app.show_help
    press(app, pygame.K_F1)  # again: F1's key-up, while the help showed, was lost, and this one taken for a repeat
    assert app.show_help
    press(app, pygame.K_a)
    while not app.game.session.is_over:
        app.game.end_turn()
    assert isinstance(app.switch("debrief"), DebriefScene)
    app.frame([])
    assert find_button(app, "Campaign")
    with pytest.raises(LookupError, match="no scene is named 'credits'"):
        app.push("credits")


def test_the_first_level_is_played_to_its_debrief_with_the_keyboard_alone(app, data_dir):
    focus_and_press(app, "Campaign")
    assert isinstance(app.top, CampaignScene)
    press(app, pygame.K_SPACE)  # the first open level has the focus
    assert isinstance(app.top, BriefingScene)
    focus_and_press(app, "Start")
    assert app.game is not None and app.game.level_id == "2010-trawler"
    presses = 0
    while not on_turn_screen(app):
        press(app, pygame.K_RETURN)  # the quarter's events, then the tutorial's steps
        presses += 1
        assert presses < 40
    budget = app.game.world.nation("JPN").budget_musd
    press(app, pygame.K_5)  # the Industry tab
    focus_and_press(app, "Magnet R&D")
    focus_and_press(app, "Take action")
    assert app.game.world.nation("JPN").budget_musd < budget
    press(app, pygame.K_s)  # the supply panel, and back
    assert app.top.view == "supply" and app.top.supply_surface is not None
    press(app, pygame.K_s)
    press(app, pygame.K_1)  # Stockpile: release a typed tonnage
    focus_and_press(app, next(f.element.text for f in app.top.focusables if f.element.text.endswith(" t")))
    for _ in range(8):
        press(app, pygame.K_BACKSPACE)
    for ch in "35":
        app.frame([pygame.event.Event(pygame.TEXTINPUT, text=ch)])
    press(app, pygame.K_RETURN)
    focus_and_press(app, "Take action")
    released = app.game.session.this_turns_actions()[-1]
    assert released.accepted and released.action.tonnes == 35
    turns = 0
    while not isinstance(app.top, DebriefScene):
        press(app, pygame.K_RETURN)
        turns += 1
        assert turns < 200
    assert app.game.session.is_over
    assert storage.Progress.load().stars.get("2010-trawler") == app.game.session.result().stars
    assert (data_dir / "saves" / storage.AUTOSAVE).is_file()
    assert storage.Progress.load().tutorial_done


def _first_level_at_its_tutorial(app) -> TurnScene:
    """The campaign's first level opened by the mouse, its events read: the turn screen, on the
    tutorial's first step."""
    click(app, "Campaign")
    click(app, app.top.focusables[0].element.text)  # the first level
    click(app, "Start")
    while isinstance(app.top, EventScene):
        press(app, pygame.K_RETURN)
    app.frame([])
    turn = app.top
    assert turn.tutorial.active and turn.tutorial.step == 0
    return turn


def test_enter_in_the_tutorial_presses_its_focused_button(app):
    """Tab to Skip tutorial, then Enter: the tutorial went on to its next step."""
    turn = _first_level_at_its_tutorial(app)
    press(app, pygame.K_RETURN)  # Next, focused as the step opens
    assert turn.tutorial.active and turn.tutorial.step == 1
    press(app, pygame.K_TAB, pygame.KMOD_SHIFT)
    assert turn.focused().element.text == "Skip tutorial"
    press(app, pygame.K_RETURN)
    assert not turn.tutorial.active and turn.game.world.turns_done == 0  # skipped, and no turn ended


def test_the_tutorial_s_first_step_leaves_japan_on_the_map_in_sight(app):
    """The first step, about the indicator bar, sat below the bar's middle, over Japan on the map."""
    turn = _first_level_at_its_tutorial(app)
    callout = next(f.element for f in turn.focusables if f.element.text == "Next").ui_container.get_abs_rect()
    japan = turn._japan_on_map()
    assert len(japan) == 2 and callout.collidelist(list(japan)) < 0, (callout, japan)
    assert callout.top > turn.regions["bar"].bottom  # still under the bar it speaks of


def test_each_tutorial_step_sits_beside_its_region_not_over_it(app):
    """At 1280x720 the step about the map sat inside it, over the material buttons, and the one
    about the levers inside them, over the form's cost, lead time and Take action."""
    turn = _first_level_at_its_tutorial(app)
    while turn.tutorial.active:
        region = turn.regions[turn.tutorial.steps[turn.tutorial.step][0]]
        callout = next(f.element for f in turn.focusables if f.element.text in ("Next", "Start playing")
                       ).ui_container.get_abs_rect()
        assert not callout.colliderect(region), (turn.tutorial.step, callout, region)
        assert _distance(callout, region) <= app.u(16)  # beside it
        turn.tutorial.next()
        app.frame([])


def test_the_first_level_is_played_to_its_debrief_with_the_mouse_alone(app):
    click(app, "Campaign")
    click(app, app.top.focusables[0].element.text)  # the first level
    assert isinstance(app.top, BriefingScene)
    click(app, "Start")
    clicks = 0
    while isinstance(app.top, EventScene):
        click(app, app.top.focusables[-1].element.text)  # Next event / Continue
        clicks += 1
        assert clicks < 30
    app.frame([])  # the tutorial opens once the pop-ups are read
    click(app, "Skip tutorial")
    assert not app.top.tutorial.active
    click(app, "Industry")
    click(app, "Magnet R&D")
    budget = app.game.world.nation("JPN").budget_musd
    click(app, "Take action")
    assert app.game.world.nation("JPN").budget_musd < budget
    click(app, "Supply")  # the supply panel, and back
    assert app.top.view == "supply"
    click(app, "Map")
    click(app, "Stockpile")  # release all the Dy/Tb held, by mouse: the amount dialog's "All of it"
    click(app, "▶")
    click(app, next(f.element.text for f in app.top.focusables if f.element.text.endswith(" t")))
    click(app, "All of it")
    click(app, "Take action")
    released = app.game.session.this_turns_actions()[-1]
    assert released.accepted and released.action.material.value == "dytb"
    clicks = 0
    warned = 0
    while not isinstance(app.top, DebriefScene):
        if isinstance(app.top, EventScene):
            click(app, app.top.focusables[-1].element.text)
        elif isinstance(app.top, WarningScene):
            warned += 1
            click(app, "End turn anyway")
        else:
            click(app, "End turn")
        clicks += 1
        assert clicks < 200
    assert app.game.session.is_over


def test_undo_takes_back_the_last_action_of_the_turn(app):
    start_level(app)
    budget = app.game.world.nation("JPN").budget_musd
    press(app, pygame.K_5)
    focus_and_press(app, "Magnet R&D")
    focus_and_press(app, "Take action")
    assert app.game.world.nation("JPN").budget_musd < budget
    press(app, pygame.K_z, pygame.KMOD_CTRL)
    assert app.game.world.nation("JPN").budget_musd == budget
    assert app.game.session.this_turns_actions() == []


def test_a_saved_game_round_trips_through_the_load_screen(app, data_dir):
    start_level(app)
    press(app, pygame.K_1)
    focus_and_press(app, "Take action")  # release stockpile
    press(app, pygame.K_RETURN)  # end the turn
    while not isinstance(app.top, TurnScene):
        press(app, pygame.K_RETURN)
    press(app, pygame.K_s, pygame.KMOD_CTRL)
    saved = [p for p in (data_dir / "saves").glob("*.json") if p.name != storage.AUTOSAVE]
    assert len(saved) == 1
    before = app.game.session.rows()
    quarter = str(app.game.world.quarter)
    app.switch("load")
    app.frame([])
    click(app, next(f.element.text for f in app.top.focusables if f.tooltip == saved[0].name))
    assert isinstance(app.top, TurnScene)
    assert str(app.game.world.quarter) == quarter and app.game.session.rows() == before
    assert [r.action for r in app.game.session.actions if r.accepted] == [
        r.action for r in load_text(saved[0].read_text(encoding="utf-8"))[0].actions]


@pytest.mark.parametrize("damage", ["truncate", "garbage", "tamper"])
def test_a_corrupt_save_is_refused_on_screen_and_the_autosave_is_untouched(app, data_dir, damage):
    start_level(app)
    press(app, pygame.K_RETURN)
    while not isinstance(app.top, TurnScene):
        press(app, pygame.K_RETURN)
    autosave = data_dir / "saves" / storage.AUTOSAVE
    good = autosave.read_bytes()
    text = app.game.save_text()
    bad = {"truncate": text[: len(text) // 2], "garbage": "\x00\x01 not json",
           "tamper": text.replace('"seed": 1', '"seed": 2')}[damage]
    (data_dir / "saves" / "broken.json").write_text(bad, encoding="utf-8")
    app.switch("load")
    app.frame([])
    click(app, next(f.element.text for f in app.top.focusables if f.tooltip.startswith("broken.json")))
    assert isinstance(app.top, LoadScene)
    text, kind, _ = app.notice
    assert kind == "error" and "broken.json was refused" in text and "\n" not in text
    assert autosave.read_bytes() == good


def test_why_a_save_is_refused_is_said_in_japanese_on_the_load_screen_and_by_continue(app, data_dir):
    """A Japanese player read the save's own reasons in English ("not a readable save...")."""
    app.settings.language = "ja"
    app.apply_settings()
    saves = data_dir / "saves"
    saves.mkdir(parents=True, exist_ok=True)
    (saves / "broken.json").write_text('{"format": "rare-earths-save",\n"version": ', encoding="utf-8")
    app.switch("load")
    app.frame([])
    click(app, next(f.element.text for f in app.top.focusables if f.tooltip.startswith("broken.json")))
    text, kind, _ = app.notice
    assert kind == "error" and text == "broken.jsonを開けません：読み込めないセーブです（2行目で壊れているか途切れています）"
    (saves / storage.AUTOSAVE).write_text("[]", encoding="utf-8")
    app.switch("title")
    app.frame([])
    click(app, app.tr("Continue"))
    assert app.notice[0].endswith(f"{storage.AUTOSAVE}を開けません：Rare Earthsのセーブファイルではありません"), app.notice


def test_a_save_deleted_since_the_list_was_made_is_said_to_be_gone_and_leaves_the_list(app, data_dir):
    """Another window deleted a listed save: clicking it said the file "cannot be read as text"."""
    from game.ui.play import Game

    for seed in (1, 2):
        game = Game("2010-trawler", seed=seed)
        game.end_turn()
        game.save()
        game.close()
    saved = sorted(p.name for p in (data_dir / "saves").glob("*.json") if not storage.is_autosave(p))
    app.switch("load")
    app.frame([])
    (data_dir / "saves" / saved[0]).unlink()
    # By its place, not its text: two saves of one level and quarter may read alike, and a click
    # by text took the first such row, which was the other save when it was listed first.
    click_at(app, next(f.element for f in app.top.focusables if f.tooltip == saved[0]).get_abs_rect().center)
    assert isinstance(app.top, LoadScene)
    text, kind, _ = app.notice
    assert kind == "error" and text == f"{saved[0]} is no longer in the saves folder"
    listed = [f.tooltip for f in app.top.focusables]
    assert saved[0] not in listed and saved[1] in listed


def test_saves_of_one_level_and_quarter_made_in_one_minute_do_not_read_alike(app, data_dir):
    """Three saves of one level and quarter in one minute showed three rows alike, told apart
    only by their tips: rows alike now say the second, and where that is alike too, the file."""
    import os

    from game.ui.play import Game

    for seed in (1, 2, 3):
        game = Game("2010-trawler", seed=seed)
        game.end_turn()
        game.save()
        game.close()
    saved = sorted(p for p in (data_dir / "saves").glob("*.json") if not storage.is_autosave(p))
    minute = time.mktime((2030, 1, 1, 12, 0, 0, 0, 0, -1))
    for path, second in zip(saved, (5, 5, 41)):
        os.utime(path, (minute + second, minute + second))
    app.switch("load")
    app.frame([])
    rows = {f.tooltip: f.element.text for f in app.top.focusables if f.tooltip in {p.name for p in saved}}
    assert len(set(rows.values())) == 3, rows
    assert rows[saved[2].name].startswith("2030-01-01 12:00:41   "), rows
    # what tells the two files' names apart (the game's: ...-HHMMSS and ...-HHMMSS-2), not the
    # whole name, which a small window cut where they differ
    tails = ["-".join(p.stem.split("-")[4:]) for p in saved[:2]]  # level-quarter-date-time[-n]
    assert all(rows[p.name].startswith("2030-01-01 12:00:05   ") and rows[p.name].endswith(f" ({tail})")
               for p, tail in zip(saved[:2], tails)), (rows, tails)
    autosave = next(f.element.text for f in app.top.focusables if f.tooltip == "autosave.json")
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d   ", autosave), autosave  # alone: to the minute


def test_a_data_folder_replaced_by_a_file_is_named_not_taken_for_no_saves(app, data_dir, monkeypatch):
    """The data folder became a file mid-game: saving said "Not a directory: DATA/saves", and
    the Load screen "No saved games yet", so the player thought the saves gone."""
    import shutil

    moved = data_dir.parent / "data-moved"
    start_level(app)
    monkeypatch.setenv("RARE_EARTHS_DATA", str(moved))
    moved.write_text("not a folder", encoding="utf-8")
    press(app, pygame.K_s, pygame.KMOD_CTRL)
    text, kind, _ = app.notice
    assert kind == "error" and text == f"Could not save: a file is where a folder should be: {moved}", text
    app.switch("load")
    app.frame([])
    shown = [box.text for box in app.top.texts]
    assert f"The saves folder cannot be read (a file is where a folder should be): {moved}" in shown, shown
    moved.unlink()
    moved.mkdir()
    app.top.rebuild_keeping_focus()
    assert "No saved games yet." in [box.text for box in app.top.texts]
    shutil.rmtree(moved)


def test_a_save_whose_quarters_do_not_fit_its_level_is_listed_as_unreadable(app, data_dir):
    """A trawler save edited to name a shorter level (its checksum redone) was listed as "The
    Price Spike · 2012Q4, finished", and one whose quarter was edited as that quarter; each was
    refused only when clicked."""
    import json

    from game.savefile import sealed
    from game.ui.play import Game

    game = Game("2010-trawler", seed=1)
    while not game.session.is_over:
        game.end_turn()
    saved = data_dir / "saves" / game.save()
    game.close()
    data = json.loads(saved.read_text(encoding="utf-8"))
    (data_dir / "saves" / "other-level.json").write_text(sealed({**data, "level": "2011-spike"}), encoding="utf-8")
    (data_dir / "saves" / "other-quarter.json").write_text(sealed({**data, "quarter": "2011Q1"}), encoding="utf-8")
    app.switch("load")
    app.frame([])
    rows = {f.tooltip: f.element.text.split("   ", 1)[1] for f in app.top.focusables if f.tooltip.endswith(".json")}
    assert rows["other-level.json"] == "other-level.json (unreadable)", rows
    assert rows["other-quarter.json"] == "other-quarter.json (unreadable)", rows
    assert rows[saved.name] == "The Trawler Incident · 2012Q4, finished", rows


def test_a_save_row_s_tip_keeps_off_its_own_delete_button(app, data_dir):
    """A row's tip (its file's name) covered the row's Delete, where every place hid a button."""
    from game.ui.play import Game

    for seed in (1, 2, 3):
        game = Game("2010-trawler", seed=seed)
        game.end_turn()
        game.save()
        game.close()
    app.switch("load")
    app.frame([])
    rows = [f for f in app.top.focusables if f.tooltip.endswith(".json")]
    deletes = [f for f in app.top.focusables if f.element.text == "Delete"]
    row, delete = rows[1].element.get_abs_rect(), deletes[1].element.get_abs_rect()
    font = app.font("small")
    tip = app._tip_place(row, font.size(rows[1].tooltip)[0] + app.u(12), font.get_linesize() + app.u(12))
    assert not tip.colliderect(delete), (tip, delete)


def test_autosaves_of_shipped_levels_and_of_levels_of_your_own_are_listed_alike(app, data_dir, tmp_path):
    """A shipped level's autosave read "The Trawler Incident · 2010Q4 (autosave)", one of the
    player's own "Autosave: my-level · 2010Q4": each now shows its level's title, the quarter and
    which autosave it is; and one whose level no longer reads shows the level's id the same way."""
    from game.scenario import levels_dir
    from game.ui.play import Game

    text = (levels_dir() / "2010-trawler.toml").read_text(encoding="utf-8")
    own = tmp_path / "lev.toml"
    own.write_text(text.replace('id = "2010-trawler"', 'id = "my-level"', 1)
                   .replace('en = "The Trawler Incident"', 'en = "My Own Incident"', 1), encoding="utf-8")
    for level in ("2010-trawler", str(own)):
        game = Game(level, seed=1)
        game.end_turn()
        assert game.try_autosave() is None
        game.close()
    app.switch("load")
    app.frame([])
    shown = sorted(f.element.text.split("   ", 1)[1] for f in app.top.focusables if f.tooltip.startswith("autosave"))
    assert shown == ["My Own Incident · 2010Q4 (autosave 2)", "The Trawler Incident · 2010Q4 (autosave)"]
    for kept in storage.kept_levels_dir().glob("*/lev.toml"):
        kept.write_text("not a level", encoding="utf-8")  # the copy the save plays, broken since
    from game.ui import levels
    levels.scenario.cache_clear()
    app.top.rebuild_keeping_focus()
    shown = sorted(f.element.text.split("   ", 1)[1] for f in app.top.focusables if f.tooltip.startswith("autosave"))
    # (its kept copy changed since the save: marked so, as loading it would refuse it)
    assert shown == ["(level changed) my-level · 2010Q4 (autosave 2)", "The Trawler Incident · 2010Q4 (autosave)"]


def test_settings_lay_the_screen_out_again_at_the_new_scale_and_language(app):
    start_level(app)
    small = find_button(app, "End turn").rect.size
    app.settings.scale, app.settings.language = 2.0, "ja"
    app.apply_settings()
    assert app.s == 2.0 and app.compact  # a 1280x720 window holds 200% in the compact layouts
    assert app.top.pane == "map" and find_button(app, app.tr("Levers"))
    app.screen = pygame.display.set_mode((2560, 1440))
    app.rebuild()
    assert app.s == 2.0 and not app.compact
    end = app.top.end_button
    assert end.text != "End turn" and end.rect.w == 2 * small[0]
    assert app.screen.get_size() == (2560, 1440)  # drawn at native size, never a scaled surface


@pytest.mark.parametrize("language", ["en", "ja"])
@pytest.mark.parametrize("size,scale", [((1280, 720), 1.0), ((1920, 1080), 1.5), ((2560, 1440), 2.0),
                                        ((1024, 576), 1.0), ((1280, 720), 2.0), ((1920, 1080), 2.0),
                                        ((1024, 576), 2.0), ((1280, 720), 1.5)])
def test_no_text_overflows_its_box(data_dir, language, size, scale):
    window = open_app(size, settings=Settings(language=language, scale=scale, sound=False))
    try:
        problems = [problem for scene in every_scene(window) for problem in overflowing(scene)]
    finally:
        if window.game is not None:
            window.game.close()
    assert not problems, "\n".join(problems)


def test_leaving_to_the_campaign_keeps_this_turns_actions_for_continue(app):
    # Leaving by the menu went to the campaign without a save: Continue opened the last turn
    # ended, and the stockpile bid made since was gone with its money back.
    start_level(app)
    press(app, pygame.K_RETURN)
    while not isinstance(app.top, TurnScene):
        press(app, pygame.K_RETURN)
    session = app.game.session
    assert session.submit(BuyStockpile(Material.NDPR, 100.0, 200.0)).accepted
    press(app, pygame.K_ESCAPE)
    assert isinstance(app.top, MenuScene)
    click(app, "Leave to the campaign")
    assert isinstance(app.top, CampaignScene)
    app.switch("title")
    app.frame([])
    click(app, "Continue")
    assert isinstance(app.top, TurnScene)
    assert [r.action for r in app.game.session.this_turns_actions()] == [BuyStockpile(Material.NDPR, 100.0, 200.0)]


def test_continue_s_tip_says_it_opens_the_game_as_the_player_left_it(app):
    # "Carry on from the last turn you ended (the autosave)": leaving mid-turn autosaves the
    # turn's actions too, and Continue opens them (the test above).
    start_level(app)
    assert app.game.session.submit(BuyStockpile(Material.NDPR, 100.0, 200.0)).accepted
    press(app, pygame.K_ESCAPE)
    click(app, "Leave to the campaign")
    app.switch("title")
    app.frame([])
    tip = next(f.tooltip for f in app.top.focusables if f.element.text == "Continue")
    assert "where you left off" in tip and "when you left it" in tip and "last turn you ended" not in tip

def test_leaving_when_the_autosave_fails_stays_and_says_why_in_the_players_language(tmp_path, monkeypatch):
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    window = open_app(settings=Settings(sound=False, language="ja", warn_before_end=False))
    window.frame([])
    try:
        start_level(window)
        press(window, pygame.K_RETURN)
        while not isinstance(window.top, TurnScene):
            press(window, pygame.K_RETURN)
        saves = storage.saves_dir()
        shutil.rmtree(saves)
        saves.write_text("not a folder", encoding="utf-8")  # the autosave cannot be written
        window.top.menu()
        window.frame([])
        window.top.leave_level()
        assert isinstance(window.top, (MenuScene, TurnScene)) and window.game is not None
        notice = window.notice[0]
        assert "自動保存できませんでした" in notice and "a file is where" not in notice, notice
    finally:
        if window.game is not None:
            window.game.close()


def test_continue_on_the_title_screen_resumes_from_the_autosave(app):
    start_level(app)
    press(app, pygame.K_RETURN)
    while not isinstance(app.top, TurnScene):
        press(app, pygame.K_RETURN)
    quarter, rows = str(app.game.world.quarter), app.game.session.rows()
    app.switch("title")
    app.frame([])
    click(app, "Continue")
    assert isinstance(app.top, TurnScene)
    assert str(app.game.world.quarter) == quarter and app.game.session.rows() == rows


def test_continue_past_a_damaged_newest_autosave_opens_the_one_before_and_says_so(app, data_dir):
    """A newest autosave cut short made Continue fail the same way at every press, without
    naming the file, while the good autosave beside it opened from Load game."""
    import os

    from game.ui.play import Game

    for seed in (1, 2):
        game = Game("2010-trawler", seed=seed)
        game.end_turn()
        assert game.try_autosave() is None
        game.close()
    older, newer = storage.autosaves_newest_first()[::-1]
    newer.write_bytes(newer.read_bytes()[:100])
    os.utime(older, (1.6e9, 1.6e9))  # both in the past (a date in the future counts as older)
    os.utime(newer, (1.7e9, 1.7e9))
    app.switch("title")
    app.frame([])
    click(app, "Continue")
    assert isinstance(app.top, TurnScene) and app.game.session.seed == 1
    text, kind, _ = app.notice
    assert kind == "error" and text.startswith(f"{newer.name} was refused: ") and text.endswith(
        f"; Continue opened {older.name}, the autosave before it."), text
    assert newer.stat().st_size == 100  # left as it is, for the player to look at
    # Two refused: both counted, and the one opened is the newest that opens.
    game = Game("2010-trawler", seed=3)
    game.end_turn()
    assert game.try_autosave() is None
    game.close()
    newest = storage.autosaves_newest_first()[0]
    newest.write_bytes(b"{")
    os.utime(older, (1.5e9, 1.5e9))
    app.switch("title")
    app.frame([])
    click(app, "Continue")
    assert isinstance(app.top, TurnScene) and app.game.session.seed == 1
    text = app.notice[0].split("\n")[-1]  # (the first press's notice still shows above it)
    assert text.startswith(f"{newest.name} was refused: ") and text.endswith(
        f", and 1 more autosaves cannot be opened; Continue opened {older.name}, the newest that opens."), text
    # None that opens: the newest is named.
    older.write_bytes(b"{")
    app.switch("title")
    app.frame([])
    click(app, "Continue")
    assert isinstance(app.top, TitleScene)
    app.notice = None
    click(app, "Continue")
    assert isinstance(app.top, TitleScene)
    text, kind, _ = app.notice
    assert kind == "error" and text.startswith(f"{older.name} was refused: ") and text.endswith(
        ", and 2 more autosaves cannot be opened."), text  # (written last, it is the newest now)


def test_a_new_game_keeps_the_last_ones_autosave_and_continue_opens_the_newest(app, data_dir):
    from game.ui.play import Game

    older = Game("2010-trawler", seed=5)  # a game played earlier, autosaved in autosave.json
    older.end_turn()
    older.close()
    start_level(app)  # a new game: its autosave goes beside the older one's
    press(app, pygame.K_RETURN)
    while not isinstance(app.top, TurnScene):
        press(app, pygame.K_RETURN)
    seed, quarter = app.game.session.seed, str(app.game.world.quarter)
    assert sorted(p.name for p in (data_dir / "saves").glob("*.json")) == ["autosave-2.json", storage.AUTOSAVE]
    app.switch("title")
    app.frame([])
    click(app, "Continue")
    assert isinstance(app.top, TurnScene)
    assert app.game.session.seed == seed and str(app.game.world.quarter) == quarter
    app.switch("load")
    app.frame([])
    shown = [f.element.text for f in app.top.focusables]
    assert any("(autosave)" in text for text in shown) and any("(autosave 2)" in text for text in shown)


def test_a_long_title_in_the_load_list_is_shortened_but_its_quarter_and_autosave_number_are_not(app, data_dir):
    from game.ui.play import Game

    for level in ("2010-trawler", "2012-wto", "sandbox"):
        game = Game(level, seed=1)
        game.autosave()
        game.close()
    app.settings.scale, app.settings.language = 2.0, "ja"
    app.apply_settings()  # the sandbox's title does not fit a row at 200% in 1280x720
    app.switch("load")
    app.frame([])
    rows = {f.tooltip: f.element.text for f in app.top.focusables if f.tooltip.startswith("autosave")}
    assert rows["autosave-3.json"].endswith("… · 2010Q3（自動保存 3）"), rows
    assert rows["autosave-2.json"].endswith("WTO提訴 · 2012Q1（自動保存 2）"), rows
    # A row cut short and one whole start alike, at the left (a whole one was centred).
    rows = [f.element for f in app.top.focusables if f.tooltip.endswith(".json")]  # (not the Delete buttons)
    assert len(rows) >= 2 and {row.text_horiz_alignment for row in rows} == {"left"}  # one cut, one whole


def _delete_button_of(app, name):
    return next(f.element for f in app.top.focusables if f.tooltip.startswith(f"Delete {name} "))


def test_a_save_is_deleted_from_the_load_screen_only_once_the_player_confirms(app, data_dir):
    from game.ui.driver import click_at
    from game.ui.play import Game

    for seed in (1, 2):
        game = Game("2010-trawler", seed=seed)
        game.autosave()
        game.close()
    saves = data_dir / "saves"
    app.switch("load")
    app.frame([])
    click_at(app, _delete_button_of(app, "autosave-2.json").get_abs_rect().center)
    assert app.top.name == "confirm" and "autosave-2.json" in app.top.detail
    click(app, "Cancel")  # Enter or Esc here would say no too
    assert app.top.name == "load" and (saves / "autosave-2.json").is_file()
    click_at(app, _delete_button_of(app, "autosave-2.json").get_abs_rect().center)
    click(app, "Delete")
    assert app.top.name == "load"
    assert sorted(p.name for p in saves.iterdir()) == [storage.AUTOSAVE]
    assert app.notice[1] == "ok" and "autosave-2.json" in app.notice[0]
    assert [f.tooltip for f in app.top.focusables if f.tooltip.endswith(".json")] == [storage.AUTOSAVE]


def test_deleting_the_last_save_of_the_last_page_shows_the_page_before(app, data_dir):
    from game.ui.driver import click_at
    from game.ui.play import Game

    for seed in (1, 2, 3, 4):
        game = Game("2010-trawler", seed=seed)
        if seed == 1:  # (three autosaves are kept: one game is saved by hand, so four saves are listed)
            game.save()
        else:
            game.autosave()
        game.close()
    app.settings.scale = 2.0
    app.apply_settings()  # three saves a page in 1280x720 (it held two, above an empty band)
    app.switch("load")
    app.frame([])
    rows = [f.element.get_abs_rect() for f in app.top.focusables if f.tooltip.endswith(".json")]
    caption = min(box.element.get_abs_rect().top for box in app.top.texts
                  if box.element.get_abs_rect().top > rows[-1].bottom)
    assert len(rows) == 3 and caption - rows[-1].bottom < rows[-1].h  # no room left for a row unused
    click(app, "Next")
    oldest = [f.tooltip for f in app.top.focusables if f.tooltip.endswith(".json")]
    assert len(oldest) == 1
    click_at(app, _delete_button_of(app, oldest[0]).get_abs_rect().center)
    click(app, "Delete")
    assert app.top.page == 0 and len([f for f in app.top.focusables if f.tooltip.endswith(".json")]) == 3


def test_a_save_that_cannot_be_deleted_says_why_in_one_line(app, data_dir):
    from game.ui.driver import click_at

    (data_dir / "saves" / "stuck.json").mkdir(parents=True)  # a folder: listed as unreadable, and unlink refuses
    app.switch("load")
    app.frame([])
    click_at(app, _delete_button_of(app, "stuck.json").get_abs_rect().center)
    click(app, "Delete")
    text, kind, _ = app.notice
    assert kind == "error" and "stuck.json could not be deleted" in text and "\n" not in text
    assert (data_dir / "saves" / "stuck.json").is_dir()
    with pytest.raises(ValueError):
        storage.delete_save(data_dir / "elsewhere.json")


def test_a_nation_under_the_pointer_shows_its_prices(app, monkeypatch):
    start_level(app)
    view = app.top.map_view
    x, y = view.project(*view.nations["CHN"].lonlat)
    position = (round(view.rect.x + x), round(view.rect.y + y))
    assert view.nation_at(position) == "CHN"
    app.frame([pygame.event.Event(pygame.MOUSEMOTION, pos=position, rel=(0, 0), buttons=(0, 0, 0))])
    inside_card = (position[0] + app.u(14) + 3, position[1] + app.u(14) + 3)
    app.draw()
    assert tuple(app.screen.get_at(inside_card))[:3] != (11, 15, 20)  # no card while the pointer is elsewhere
    monkeypatch.setattr(pygame.mouse, "get_pos", lambda: position)
    app.draw()
    assert tuple(app.screen.get_at(inside_card))[:3] == (11, 15, 20)  # the card's background


def test_a_star_opens_the_next_level_and_both_input_ways_reach_it(app):
    app.progress.record("2010-trawler", 1)
    app.switch("campaign")
    app.frame([])
    names = [f.element.text for f in app.top.focusables]
    second = next(n for n in names if "2011" in n)
    focus_and_press(app, second)
    assert isinstance(app.top, BriefingScene) and app.top.level_ref == "2011-spike"
    press(app, pygame.K_ESCAPE)
    assert isinstance(app.top, CampaignScene)
    click(app, second)
    assert isinstance(app.top, BriefingScene) and app.top.level_ref == "2011-spike"
    app.switch("campaign")
    app.frame([])
    third = [f.element for f in app.top.focusables if "2012" in f.element.text and f.element.is_enabled]
    assert not third  # the level after that stays locked (Tab skips it)


def test_the_debrief_of_a_won_level_leads_to_the_next_one(app):
    from game.players import controller_for

    start_level(app)
    history = controller_for("history", app.game.scenario)
    while True:
        for action in history.decide(app.game.world, app.game.scenario):
            assert app.game.submit(action).accepted
        if app.game.world.turns_done == app.game.scenario.n_turns - 1:
            break
        app.game.end_turn()
    press(app, pygame.K_RETURN)  # the last End turn, through the window
    assert isinstance(app.top, DebriefScene)
    assert app.game.session.result().stars >= 1
    assert storage.Progress.load().stars["2010-trawler"] >= 1
    focus_and_press(app, "Next level")
    assert isinstance(app.top, BriefingScene) and app.top.level_ref == "2011-spike"


def test_a_weaker_replay_of_a_level_won_before_still_leads_to_the_next_one(app):
    """The debrief offered Next level only for this game's stars: a 0-star replay of a level
    won before showed no way on, though the campaign lists the next level open."""
    app.progress.record("2010-trawler", 2)
    start_level(app)
    while app.game.world.turns_done < app.game.scenario.n_turns - 1:
        app.game.end_turn()
    press(app, pygame.K_RETURN)  # the last End turn, through the window, played passively
    assert isinstance(app.top, DebriefScene) and app.game.session.result().stars == 0
    focus_and_press(app, "Next level")
    assert isinstance(app.top, BriefingScene) and app.top.level_ref == "2011-spike"


def test_broken_settings_and_progress_files_fall_back_to_defaults(data_dir):
    (data_dir / "settings.json").write_text('{"language": "xx", "scale": "huge"', encoding="utf-8")
    (data_dir / "progress.json").write_text("[1, 2, 3]", encoding="utf-8")
    window = open_app()
    window.frame([])
    assert window.settings.language == "en" and window.settings.scale == 1.0
    assert window.progress.stars == {} and isinstance(window.top, TitleScene)


def test_play_without_a_display_says_so_in_one_line(data_dir):
    import os
    import subprocess
    import sys

    from conftest import REPO_ROOT

    env = {**os.environ, "SDL_VIDEODRIVER": "no-such-driver", "PYTHONPATH": str(REPO_ROOT)}
    done = subprocess.run([sys.executable, "-m", "game", "play"], capture_output=True, text=True, env=env, check=False,
                          timeout=60, cwd=REPO_ROOT)
    errors = [line for line in done.stderr.splitlines() if not line.startswith("ALSA")]
    assert done.returncode == 1
    assert errors == ["rare-earths play: cannot open the game window: no-such-driver not available"]


@pytest.mark.parametrize("level,seed,fell", [("2023-tech-ban", 0, False), ("2010-trawler", 1, True)])
def test_the_debriefs_turning_points_name_the_hardest_quarter_only_if_output_fell(app, level, seed, fell):
    """2023-tech-ban's debrief read "Hardest quarter for industry: 2023Q1, output index 1.00": output
    never fell, and the first quarter was named the hardest."""
    from game.ui.scenes.debrief import turning_points

    start_level(app, level, seed=seed)
    while not app.game.session.is_over:
        app.game.end_turn()
    lowest = min(app.game.rows(), key=lambda row: row["japan_output_index"])
    assert (lowest["japan_output_index"] < 0.995) == fell
    points = turning_points(app.game, app.tr)
    hardest = app.tr("Hardest quarter for industry: {quarter}, output index {value:.2f}", quarter=lowest["quarter"],
                     value=lowest["japan_output_index"])
    supplied = app.tr("Industry was fully supplied every quarter: output index 1.00 throughout")
    assert (hardest in points, supplied in points) == (fell, not fell), points


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_debrief_leaves_one_blank_line_before_its_turning_points_at_any_width(app, language):
    """Two blank lines stood before 転機 (Turning points) where the markup has one: pygame_gui
    put a line break on a row of its own when the line before it ended within the break's 4 px
    of the box's edge. Laid out at every width a window gives it, the line is one."""
    app.settings.language = language
    app.apply_settings()
    start_level(app, "2010-trawler", seed=1)
    while not app.game.session.is_over:
        app.game.end_turn()
    app.switch("debrief")
    app.frame([])
    debrief = app.top
    heading = app.tr("Turning points")
    markup = "<br>".join(debrief.objective_lines + ["", f"<b>{escape(heading)}</b>"] + debrief.points)
    doubled = []
    for width in range(300, 720):
        box = debrief.text_box(pygame.Rect(0, 0, width, 700), markup)
        rows = ["".join(getattr(item, "text", "") or "" for item in row.items).strip()
                for row in box.text_box_layout.layout_rows]
        box.kill()
        at = rows.index(heading)
        if rows[at - 1] or not rows[at - 2]:
            doubled.append((width, rows[max(0, at - 3):at]))
    assert not doubled, doubled[:3]


def test_continuing_a_finished_level_opens_its_debrief(app):
    start_level(app)
    while not app.game.session.is_over:
        app.game.end_turn()  # the last one writes the autosave of the finished level
    app.switch("title")
    app.frame([])
    click(app, "Continue")
    assert isinstance(app.top, DebriefScene)


def test_news_reads_in_japanese_events_and_what_the_world_reports(app):
    from game.ui.strings import Language

    start_level(app, "2014-urban-mining")
    for _ in range(3):
        app.game.end_turn()
    tr = Language("ja").tr
    reported = [n for n in app.game.world.news if not n.source]
    scheduled = [n for n in app.game.world.news if n.source]
    assert reported and scheduled
    for item in reported + scheduled:
        shown = app.game.headline(item, "ja", tr)
        assert shown != item.headline and any("\u3040" <= ch <= "\u9fff" for ch in shown), shown
        assert app.game.headline(item, "en", tr) == item.headline


def test_japanese_news_names_a_nation_once_and_reads_when_nothing_was_delivered(app):
    """"アメリカがアメリカの磁石メーカーのプロジェクトを承認" named the nation twice, and a breach
    with nothing delivered read "33tのうち0tのみ納入" ("only 0 t delivered"). The one-player news,
    a workshop team's and the workshop's debrief page word them alike."""
    from game.ui.strings import Language
    from game.ui.workshop_words import WorkshopWords
    from game.workshop.wording import Wording
    from game.world.news import NewsItem

    start_level(app)
    tr = Language("ja").tr
    world = app.game.world
    quarter = world.quarter
    usa, firm = world.nation("USA"), world.firm("us-magnet-makers")
    assert firm.name_ja.startswith(usa.name_ja + "の")
    approved = NewsItem(quarter, "project", template="{host} approves {firm}'s project",
                        fields=(("host", usa.name), ("firm", firm.name), ("firm_id", firm.firm_id)))
    breach = NewsItem(quarter, "breach", template="{seller} delivers {delivered:,.{decimals}f} of the "
                      "{due:,.{decimals}f} t of {material} it owes {buyer}: {reason}",
                      fields=(("seller", firm.name), ("delivered", 0.0), ("due", 33.0), ("decimals", 0),
                              ("material", "NdPr oxide"), ("buyer", "Japan"), ("reason", "not enough stock")))
    as_data = [{"headline": item.headline, "template": item.template, "fields": dict(item.fields)}
               for item in (approved, breach)]
    words, report = WorkshopWords("2010-trawler"), Wording("ja", app.game.scenario, None)
    for shown in (app.game.headline(approved, "ja", tr), words.headline(as_data[0], "ja", tr),
                  report.text(approved.headline)):
        assert shown.count(usa.name_ja) == 1 and firm.name_ja[len(usa.name_ja) + 1:] in shown, shown
    for shown in (app.game.headline(breach, "ja", tr), words.headline(as_data[1], "ja", tr),
                  report.text(breach.headline)):
        assert "33" in shown and "のみ" not in shown, shown
    lends = NewsItem(quarter, "finance", template="{nation} lends {firm} US${musd:,.0f}M",
                     fields=(("nation", "Japan"), ("firm", firm.name), ("musd", 5.0)))
    assert firm.name_ja in app.game.headline(lends, "ja", tr), "another nation's firm keeps its name whole"


def test_resizing_the_window_lays_the_screen_out_again(app):
    start_level(app)
    wide = app.top.regions["map"].w
    app.screen = pygame.display.set_mode((1024, 576), pygame.RESIZABLE)
    app.frame([pygame.event.Event(pygame.VIDEORESIZE, size=(1024, 576), w=1024, h=576)])
    # Laid out again for the smaller window at the same 100% (text stays readable), not shrunk.
    assert (app.w, app.h) == (1024, 576) and app.s == pytest.approx(1.0)
    assert app.top.regions["map"].w < wide
    assert app.top.end_button.rect.right <= 1024 and app.top.end_button.rect.bottom <= 576


def test_f11_switches_between_window_and_full_screen(app):
    press(app, pygame.K_F11)
    assert app.settings.fullscreen and storage.Settings.load().fullscreen
    press(app, pygame.K_F11)
    assert not app.settings.fullscreen and app.screen.get_size() == (1280, 720)


def test_stepping_a_choice_keeps_the_focus_and_the_tab_order(app):
    start_level(app)
    press(app, pygame.K_2)  # Invest: four choices
    order = [f.element.text for f in app.top.focusables]
    arrow = next(i for i, f in enumerate(app.top.focusables) if f.element.text == "▶")
    app.top.focus = arrow
    shown = [t.text for t in app.top.texts]
    press(app, pygame.K_SPACE)
    assert app.top.focus == arrow and app.top.focused().element.text == "▶"
    after = [f.element.text for f in app.top.focusables]
    arrows = [i for i, text in enumerate(order) if text in ("◀", "▶")]
    assert len(after) == len(order) and arrows == [i for i, text in enumerate(after) if text in ("◀", "▶")]  # same order
    assert [t.text for t in app.top.texts] != shown  # the chosen value (and its cost) changed
    assert order.index("End turn") > arrow  # the footer still comes after the levers


def test_the_asia_pacific_map_puts_distant_producers_on_its_edge(app):
    start_level(app)
    view = app.top.map_view
    assert view.view == "asia"
    for code in ("JPN", "CHN", "AUS", "MYS"):
        assert not view.position(code)[2]
    for code, edge in (("USA", "right"), ("EU", "left")):
        x, y, off_map = view.position(code)
        assert off_map and 0 < x < view.rect.w and 0 < y < view.rect.h
        assert (x > view.rect.w * 0.9) if edge == "right" else (x < view.rect.w * 0.1)
    click(app, "World")
    assert app.top.map_view.view == "world" and not app.top.map_view.position("USA")[2]


def test_a_place_on_the_map_is_a_place_and_an_edge_arrow_points_to_its_place(app):
    """Moscow ("Rest of world") lies 0.7 px inside the top of the Asia-Pacific map at 100%; moved
    in by the margin it was taken for a place off the map and drawn as an arrowhead pointing
    north, to Greenland. The USA's arrowhead was the flows' own light blue and ran into them."""
    start_level(app)
    click(app, "End turn")
    while not on_turn_screen(app):
        press(app, pygame.K_RETURN)
    view = app.top.map_view
    whole = pygame.Rect((0, 0), view.rect.size)
    assert whole.collidepoint(view.project(*view.nations["ROW"].lonlat))
    assert not view.position("ROW")[2] and view.pointer("ROW") is None
    flow_colours = {app.colours.rgb(name) for name in ("flow", "flow_licensed", "flow_embargoed")}
    for code in ("USA", "EU"):
        x, y, off_map = view.position(code)
        (tip_x, tip_y), (ux, uy) = view.pointer(code)
        place_x, place_y = view.project(*view.nations[code].lonlat)
        assert off_map and not whole.collidepoint(place_x, place_y)
        bearing = math.atan2(place_y - tip_y, place_x - tip_x)
        assert math.atan2(uy, ux) == pytest.approx(bearing, abs=1e-6)
        # The marker sits behind the arrow, so the flows that start at the marker stay off it.
        assert math.hypot(tip_x - x, tip_y - y) > max(4, view.s * 6) + max(6.0, 8 * view.s) / 2
        inside_arrow = (round(tip_x - ux * 4 * view.s), round(tip_y - uy * 4 * view.s))
        assert view.overlay.get_at(inside_arrow)[:3] not in flow_colours, code


def test_a_flow_passing_japan_on_its_way_keeps_clear_of_japans_marker(app):
    """In 2019 the arrows from China to the USA ran across Japan's dot on the world map, so
    Japan looked as if it sold on rare earths it never exported."""
    start_level(app, "2019-trade-war")
    click(app, "End turn")
    while not on_turn_screen(app):
        press(app, pygame.K_RETURN)
    click(app, "World")
    view = app.top.map_view
    japan = view.position(JAPAN)[:2]
    passing = {ends: route for ends, route in view.routes.items() if JAPAN not in ends}
    assert ("CHN", "USA") in passing
    for ends, (points, width) in passing.items():
        nearest = min(math.hypot(x - japan[0], y - japan[1]) for x, y in _points_along(points))
        assert nearest > max(4, view.s * 6) + width / 2, ends


def _points_along(points, step=1.0):
    """Points a pixel or less apart along a line of straight pieces."""
    for (ax, ay), (bx, by) in zip(points, points[1:]):
        pieces = max(1, math.ceil(math.hypot(bx - ax, by - ay) / step))
        for i in range(pieces + 1):
            yield ax + (bx - ax) * i / pieces, ay + (by - ay) * i / pieces


def test_no_flow_is_drawn_across_a_nation_name(app):
    """After the first quarter thick arrows ran across "EU" and "USA" on the Asia-Pacific map."""
    start_level(app)
    click(app, "End turn")
    while not on_turn_screen(app):
        press(app, pygame.K_RETURN)
    view = app.top.map_view
    flow_colours = {app.colours.rgb(name) for name in ("flow", "flow_licensed", "flow_embargoed")}
    crossed = {}
    for code, box in view.label_boxes.items():
        inside = box.clip(view.overlay.get_rect())
        hits = sum(view.overlay.get_at((x, y))[:3] in flow_colours
                   for x in range(inside.left, inside.right) for y in range(inside.top, inside.bottom))
        if hits:
            crossed[code] = hits
    assert view.label_boxes and not crossed, f"flows drawn over the names of {crossed}"


def test_a_limit_line_too_long_for_the_form_runs_onto_a_second_line(app):
    """At 1280x720, "Tonnes: up to 63,951 t (what the budget left pays at the price cap)" was
    cut off with an ellipsis: the player could read what bounds the amount only by pointing at it."""
    start_level(app, "2025-licensing", seed=3)
    click(app, "Buy stock")
    texts = [box.text for box in app.top.texts]
    first = next(i for i, text in enumerate(texts) if text.startswith("Tonnes: up to"))
    assert not texts[first].endswith("…") and not texts[first + 1].endswith("…")
    assert f"{texts[first]} {texts[first + 1]}".endswith("(what the budget left pays at the price cap)")
    assert texts[first + 2].startswith("Cost: ")


def test_a_limit_line_too_long_even_for_two_lines_keeps_its_whole_text_as_a_tooltip(app):
    start_level(app, "2025-licensing", seed=3)
    click(app, "Buy stock")
    long_line = "Tonnes: up to 1 t (" + "a reason far too long to read on one line or two " * 4 + ")"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("game.ui.lever_panel.limit_line",
                      lambda tr, choice, world, values: long_line if choice.amount is not None else "")
        app.top.levers.refresh()
    cut = [box for box in app.top.texts if box.text.endswith("…")]
    assert cut, "a limit too long for two lines is cut"
    tips = [tip for element, tip in app.top.tips if element is cut[0].element]
    assert tips == [long_line]


def test_the_focused_button_s_tip_shows_once_the_player_moves_the_focus(app, monkeypatch):
    """Enter on the title opened the campaign with the first level focused, and that button's
    tip showed at once over the campaign's line and the level's stars: a screen's first focus is
    its own choice, so its tip waits until the player steers with Tab or the arrows."""
    tips = []
    monkeypatch.setattr(app, "_draw_tip", lambda text, anchor, around=None: tips.append(text) or anchor)
    press(app, pygame.K_RETURN)  # the first choice: the campaign (no game to continue)
    assert isinstance(app.top, CampaignScene) and app.keyboard_mode and app.top.focused() is not None
    app.frame([])
    assert tips == []
    press(app, pygame.K_TAB)
    press(app, pygame.K_TAB, pygame.KMOD_SHIFT)  # back where it opened
    assert tips and tips[-1] == app.top.focused().tooltip


def test_an_indicator_not_yet_measured_says_when_it_will_be(app):
    """On turn 1 the bar has no output index yet: its tip says it is measured over a quarter,
    and when it shows."""
    start_level(app)
    tips = {element.text: tip for element, tip in app.top.tips}
    assert tips["Output index: -"].endswith("it shows once the first turn has been played.")
    assert "once the first turn" not in tips["Budget: US$60M"]


def test_the_bar_s_tension_tip_gives_the_figure_the_quarter_records(app):
    """2025-licensing at 2025Q4: the bar read tension 0.60 (now, after the quarter's event) and
    the tension objective later "highest 0.56 (2025Q4)" (the quarter's figure, recorded at its
    end after tension eased). The bar's tip says what the quarter will record."""
    start_level(app, "2025-licensing", seed=0)
    while str(app.game.world.quarter) != "2025Q4":
        app.game.end_turn()
    app.rebuild()
    app.frame([])
    [(text, tip)] = [(element.text, tip) for element, tip in app.top.tips if element.text.startswith("Tension")]
    app.game.end_turn()
    recorded = app.game.rows()[-1]["china_tension_japan"]
    assert text == "Tension: 0.60" and f"{recorded:.2f}" != "0.60"
    assert f"{recorded:.2f}" in tip


def test_a_lever_the_level_does_not_open_says_so_on_its_button(app):
    """2025-licensing opens no offtake talks: the Trade tab showed a greyed "Negotiate…" and
    nothing said why (its tip does not show on a button the keys cannot reach)."""
    from game.ui.strings import table

    start_level(app, "2025-licensing", seed=0)
    press(app, pygame.K_3)  # the Trade tab
    button = app.top.levers.form[-1]
    assert not button.is_enabled
    assert button.text != app.tr("Negotiate…") and button.text == app.tr("Not open in this level")
    assert button.text in table("ja")
    press(app, pygame.K_1)
    assert app.top.levers.form[-1].is_enabled and app.top.levers.form[-1].text == app.tr("Take action")


@pytest.mark.parametrize("language,scale,level,said", [("en", 2.0, "2010-trawler", "Last 2012Q4"),
                                                        ("ja", 1.0, "2010-trawler", "最終ターン：2012Q4"),
                                                        ("en", 1.0, "2012-wto", "Last 2014Q4")])
def test_the_last_turn_is_called_the_last_turn_and_the_turn_keeps_one_form_all_level(data_dir, language, scale,
                                                                                     level, said):
    # The bar read "Turn 10 of 10: 2012Q4", or "10/10 2012Q4" where the label had no room; and
    # "Turn 7 of 12: 2013Q3" turned into "11/12 2014Q3" in one game at 1280x720.
    app = open_app(settings=Settings(sound=False, language=language, scale=scale, warn_before_end=False))
    app.frame([])
    start_level(app, level)
    forms = set()
    while True:
        end = app.tr("One turn is a quarter. The level ends after {end}.", end=app.game.scenario.end)
        turn = next(element.text for element, tip in app.top.tips if end in tip)
        forms.add(":" in turn or "：" in turn)  # whole ("Turn 7 of 12: 2013Q3") or short ("11/12 2014Q3")
        if app.game.world.turns_done + 1 >= app.game.scenario.n_turns:
            break
        press(app, pygame.K_RETURN)
        while not on_turn_screen(app):
            press(app, pygame.K_RETURN)
    assert said in {element.text for element, _ in app.top.tips}
    assert len(forms) == 1
    app.game.close()

def test_the_stockpile_on_a_levels_first_turn_shows_what_it_holds_as_the_supply_panel_does(app):
    # On turn 1 the bar read "Stockpile: -" while the supply panel gave 790 t (42 days): what the
    # stockpile holds is known before any quarter is played.
    start_level(app)
    world = app.game.world
    report = supply_report(world, JAPAN)
    days = days_of_use_held(np.array([m.stockpile_t for m in report.materials]),
                            np.array([m.need_next_t for m in report.materials]), world.reference_price,
                            world.quarter.days)
    assert 15 < days < 60
    tips = {element.text: tip for element, tip in app.top.tips}
    assert f"Stockpile: {days:.0f} days" in tips
    assert "once the first turn" not in tips[f"Stockpile: {days:.0f} days"]


@pytest.mark.parametrize("size,scale", [((2560, 1440), 2.0), ((1280, 720), 1.25)])
def test_the_japanese_bar_joins_label_and_value_as_the_forms_do(data_dir, size, scale):
    """The bar read "予算: US$60M" (an English colon and space) where the forms write "予算：…";
    its tip "{label}: {value}." too, where the bar cuts a label."""
    app = open_app(size, settings=Settings(language="ja", scale=scale, sound=False))
    app.frame([])
    start_level(app)
    bar = [(element.text, tip) for element, tip in app.top.tips if "#indicator" in element.object_ids]
    assert len(bar) >= 6
    assert not [text for text, tip in bar if ": " in text or ": " in tip], bar
    assert any("：" in text or "：" in tip for text, tip in bar)
    app.game.close()


def test_the_secured_share_on_a_levels_first_turn_shows_the_contracts_known(app):
    # On turn 1 the bar read "Secured: -", as if measured over a quarter: the contracts and
    # projects it counts, and the year of needs it is taken over, are known before any is played.
    from game.world.indicators import secured_share

    start_level(app)
    share = secured_share(app.game.world, JAPAN)
    tips = {element.text: tip for element, tip in app.top.tips}
    assert "Secured: -" not in tips and f"Secured: {share:.0%}" in tips
    assert "once the first turn" not in tips[f"Secured: {share:.0%}"]


#: A half-width space or full stop where Japanese sentences meet: after 。, or ". " beside Japanese.
_ENGLISH_JOIN_IN_JAPANESE = re.compile(r"[。」）] |(?<=[^\x00-\x7f])\. |\. (?=[^\x00-\x7f])")


@pytest.mark.parametrize("size,scale", [((2560, 1440), 2.0), ((1280, 720), 1.25)])
def test_japanese_tooltips_join_their_sentences_as_japanese_does(data_dir, size, scale):
    """The bar's tips added a sentence with " ", and where the bar cuts a label (at 125% in
    1280x720) put it before the tip with ". ": in Japanese "…繰り越されます。 このほか…" and
    "現在の星: ☆☆☆. 今…". The campaign's tips too."""
    app = open_app(size, settings=Settings(language="ja", scale=scale, sound=False))
    app.frame([])
    app.switch("campaign")
    app.frame([])
    tips = [tip for _, tip in app.top.tips]
    start_level(app)
    click(app, app.tr("Buy stock"))
    click(app, app.tr("Take action"))
    tips += [tip for _, tip in app.top.tips]
    assert any(app.tr("Measured over a quarter: it shows once the first turn has been played.") in tip
               for tip in tips)
    assert any("US$" in tip and "備蓄" in tip and "入札" in tip for tip in tips)
    assert not [tip for tip in tips if _ENGLISH_JOIN_IN_JAPANESE.search(tip)]
    app.game.close()


def test_a_notice_hides_no_button_where_the_screen_has_room_for_it(app):
    """The notice of a lever taken sat over the lever tabs and Japan on the map for seconds; on
    the turn screen it now goes in the footer's free stretch. Where the top hides no button (the
    title), it stays at the top."""
    app.notify("Nothing hidden")
    box = app._notice_layout()[2]
    assert box.top < app.h // 4 and box.collidelist(app._button_rects()) < 0
    app.notice = None  # (two notices stacked are too tall for the footer: they keep off the news)
    start_level(app)
    press(app, pygame.K_1)
    click(app, "Take action")
    assert app.notice[1] == "ok"
    box = app._notice_layout()[2]
    assert box.bottom > app.h * 3 // 4 and box.collidelist(app._button_rects()) < 0, box


def _lines_shown(page) -> list[pygame.Rect]:
    """The lines of a text box as it shows them now, in window coordinates."""
    layout = page.text_box_layout
    scrolled = page.scroll_bar.start_percentage * layout.layout_rect.height if page.scroll_bar else 0
    rows = [pygame.Rect(page.text_wrap_rect.x + row.x, page.text_wrap_rect.y + row.y - scrolled, row.w, row.h)
            for row in layout.layout_rows if "".join(getattr(item, "text", "") for item in row.items).strip()]
    return [row.clip(page.get_abs_rect()) for row in rows if row.colliderect(page.get_abs_rect())]


def test_a_notice_keeps_off_the_end_turn_warnings_text_and_buttons(data_dir):
    """At 200% in Japanese the notice of a lever taken lay over the first lines of the warning
    End turn showed next; then in the empty line between its paragraphs, beside the first's
    short last line. The lever's message belongs to the turn screen under the warning: it is
    hidden while the warning lies over it (tests/test_notice_under_dialogs.py)."""
    app = open_app(settings=Settings(sound=False, language="ja", scale=2.0))
    app.frame([])
    start_level(app, "2010-trawler", seed=0)
    press(app, pygame.K_RETURN)
    while not on_turn_screen(app):
        press(app, pygame.K_ESCAPE if app.top.name == "event" else pygame.K_RETURN)
    app.top.show_pane("levers")
    app.frame([])
    click(app, app.tr("Take action"))
    assert app.notice is not None and app.notice[1] == "ok"
    click(app, app.tr("End turn"))
    warning = app.top
    assert isinstance(warning, WarningScene) and app.notice is not None
    assert app._notice_layout() is None  # under the warning's scrim, not over its text or buttons
    press(app, pygame.K_ESCAPE)  # back to the turn: the message shows again
    assert on_turn_screen(app) and app._notice_layout() is not None
    app.game.close()


def test_a_notice_with_no_room_in_its_usual_places_keeps_off_the_levers_tabs_and_form(data_dir, monkeypatch):
    """A refusal long enough to find no room at the top, in the footer or above it lay over the
    compact levers pane's tabs and the lever's first lines; the pane's left has room for it,
    narrower. It is placed once for a layout, not every frame."""
    app = open_app(settings=Settings(sound=False, language="ja", scale=2.0, warn_before_end=False))
    app.frame([])
    start_level(app, "2011-spike", seed=0)
    app.top.show_pane("levers")
    press(app, pygame.K_2)
    app.notify("却下：政治資本が4必要で、残りは1です。この案件はすでにWTOに提訴済みです", "error")
    app.frame([])
    box = app._notice_layout()[2]
    labels = [t.element.get_abs_rect() for t in app.top.texts if t.element.visible]
    assert box.collidelist(labels + app._button_rects()) < 0, box
    looked = []
    kept_clear = app._kept_clear_rects
    monkeypatch.setattr(app, "_kept_clear_rects", lambda: looked.append(1) or kept_clear())
    for _ in range(3):
        app.frame([])
    assert not looked  # the same layout: the notice stays where it was put
    press(app, pygame.K_3)  # another tab: its form is another layout
    assert looked and app._notice_layout()[2].collidelist(app._button_rects()) < 0
    app.game.close()


def test_resting_the_pointer_on_a_button_shows_its_tooltip(app, monkeypatch):
    import game.ui.app as app_module

    start_level(app)
    monkeypatch.setattr(app_module, "TOOLTIP_DELAY", 0.0)
    button = app.top.end_button
    assert any(element is button for element, _ in app.top.tips)
    where = button.get_abs_rect().move(-app.u(200), 0).center  # open space left of End turn
    monkeypatch.setattr(pygame.mouse, "get_pos", lambda: where)
    app.frame([pygame.event.Event(pygame.MOUSEMOTION, pos=where, rel=(0, 0), buttons=(0, 0, 0))])
    assert app._hovered is None
    inside = button.get_abs_rect().center
    monkeypatch.setattr(pygame.mouse, "get_pos", lambda: inside)
    app.frame([pygame.event.Event(pygame.MOUSEMOTION, pos=inside, rel=(0, 0), buttons=(0, 0, 0))])
    app.draw()
    assert app._hovered is not None and app._hovered[0] is button


@pytest.mark.parametrize("language,scale", [("en", 1.0), ("ja", 2.0)])
def test_a_tip_keeps_clear_of_what_it_describes(data_dir, monkeypatch, language, scale):
    # The tip of a lever's amount covered its limit ("Tonnes: up to 790 t"); at 200% the tip of an
    # indicator on the bar's top row covered those of the second.
    import game.ui.app as app_module

    monkeypatch.setattr(app_module, "TOOLTIP_DELAY", 0.0)
    app = open_app(settings=Settings(sound=False, language=language, scale=scale))
    app.frame([])
    start_level(app)

    def tip_over(element) -> pygame.Rect:
        where = element.get_abs_rect().center
        monkeypatch.setattr(pygame.mouse, "get_pos", lambda: where)
        app.frame([pygame.event.Event(pygame.MOUSEMOTION, pos=where, rel=(0, 0), buttons=(0, 0, 0))])
        box = app._draw_hover_tip()
        assert box is not None
        return box

    if app.compact:
        app.top.show_pane("map")  # where the bar shows all its indicators, in two rows at 200%
        app.frame([])
    bar = [element for element, _ in app.top.tips if element.object_ids[-1] == "#indicator"]
    assert len({element.get_abs_rect().top for element in bar}) == (2 if app.compact else 1)
    budget = next(element for element in bar if "US$" in element.text)
    assert tip_over(budget).collidelist([element.get_abs_rect() for element in bar]) < 0
    if not app.compact:  # (a compact screen shows the levers in a pane of their own)
        up_to = app.tr("{what}: up to {most} ({why})", what=app.tr("Tonnes"), most="\0", why="").split("\0")[0]
        limit = next(element for element in app.top.levers.form if getattr(element, "text", "").startswith(up_to))
        amount = next(element for element in app.top.levers.form
                      if getattr(element, "text", "")[:1].isdigit() and element.text.endswith("t"))
        assert not tip_over(amount).colliderect(limit.get_abs_rect())
    app.game.close()

@pytest.mark.parametrize("language, scale", [("en", 1.0), ("ja", 2.0)])
def test_a_keyboard_player_s_tip_keeps_off_the_lines_of_a_page_of_text(data_dir, language, scale):
    """Tips kept clear of the screen's labels but lay over the lines of its pages: at 200% in
    Japanese the briefing's Start tip over the briefing, on the turn screen a material's tip over
    the quarter's page. On every screen of a 1920x1080 window, where there is room, they keep
    clear of those lines too."""
    window = open_app((1920, 1080), settings=Settings(sound=False, language=language, scale=scale))
    window.frame([])
    covered = []
    for scene in every_scene(window):
        labels = [tuple(box.element.get_abs_rect()) for box in scene.texts]
        kept = [tuple(rect) for rect in scene.notice_keeps_off()]
        page_lines = [rect for rect in window._text_line_rects() if tuple(rect) not in labels + kept]
        for focused in scene.focusables:
            if not focused.tooltip or not focused.element.visible:
                continue
            rect = focused.element.get_abs_rect().inflate(window.u(6), window.u(6))
            box = window._draw_tip(focused.tooltip, rect, around=window._tip_area(focused.element, rect))
            # Only where no clear place stands beside its button: a tip clear of every line but
            # across the window was read as another button's.
            beside = stands_beside(box, rect, window._tip_area(focused.element, rect), window.u(TIP_REACH))
            if box.collidelist(page_lines) >= 0 and not beside:
                covered.append((scene.name, focused.tooltip))
    window.game.close()
    assert not covered, covered


def test_a_notice_over_the_quarter_s_page_keeps_off_the_turn_screen_s_tabs_beside_it(app):
    """After End turn a notice placed for the quarter's page alone (then the lever taken's, which
    End turn now takes away; an autosave that failed still tells of it there) rose to the top of
    the window and lay over the turn screen's Stockpile tab beside the page. It keeps clear of the
    turn screen's buttons and text where they show, and of the page's."""
    start_level(app)
    focus_and_press(app, "End turn")
    app.frame([])
    app.notify(app.tr("Autosave failed, the game goes on: {reason}", reason="the disk is full"), "error", 6.0)
    app.frame([])
    assert isinstance(app.top, EventScene) and app.notice is not None
    turn = app.scenes[0]
    page = app.top.box.get_abs_rect()
    behind = [f.element.get_abs_rect() for f in turn.focusables if f.element.visible]
    behind += [text.element.get_abs_rect() for text in turn.texts if text.element.visible]
    shown = [rect for rect in behind if not page.contains(rect)]
    box = app._notice_layout()[2]
    assert box.collidelist(shown) < 0, box
    assert box.collidelist(app._text_line_rects() + app._button_rects()) < 0, box


def test_at_200_percent_the_notice_over_the_quarter_s_page_takes_the_page_s_free_corner(data_dir):
    """At 200% in Japanese the quarter's page fills the window but a rim; the buttons along the
    window's foot, mostly under the page, were taken whole as obstacles and kept the notice out
    of the page's empty corner beside Continue, so it lay over the page's heading. Only the parts
    of what is behind that show count."""
    window = open_app(settings=Settings(sound=False, language="ja", scale=2.0))
    window.frame([])
    try:
        start_level(window)
        focus_and_press(window, window.tr("End turn"))
        window.frame([])
        # A notice that outlives End turn (the lever taken's no longer does): an autosave that failed.
        window.notify(window.tr("Autosave failed, the game goes on: {reason}", reason="ディスクがいっぱいです"),
                      "error", 6.0)
        window.frame([])
        assert isinstance(window.top, EventScene) and window.notice is not None
        box = window._notice_layout()[2]
        heading = [text.element.get_abs_rect() for text in window.top.texts if text.object_id == "#heading"]
        assert heading and box.collidelist(heading) < 0, (box, heading)
        assert box.collidelist(window._text_line_rects() + window._button_rects()) < 0, box
        page = window.top.box.get_abs_rect()
        assert page.contains(box), (box, page)  # beside Continue, not over the window's rim
    finally:
        if window.game is not None:
            window.game.close()


def test_a_button_under_a_notice_still_takes_its_click_and_the_notice_goes(app):
    start_level(app)
    while not isinstance(app.top, TurnScene):
        press(app, pygame.K_RETURN)
    # Long enough to find no place that hides no button: it lies over the map's, NdPr among them.
    app.notify("A notice as long as the one after an action, wide enough to lie over the map's buttons. " * 20)
    box = app._notice_layout()[2]
    ndpr = find_button(app, "NdPr").get_abs_rect()
    assert box.contains(ndpr)
    click_at(app, ndpr.center)
    assert app.notice is None and app.top.material == 0


def test_closing_the_window_mid_turn_autosaves_the_turns_actions(app, data_dir):
    start_level(app)
    press(app, pygame.K_5)
    focus_and_press(app, "Magnet R&D")
    focus_and_press(app, "Take action")
    app.frame([pygame.event.Event(pygame.QUIT)])
    assert not app.running
    saved, _ = load_text((data_dir / "saves" / storage.AUTOSAVE).read_text(encoding="utf-8"))
    assert [r.action.kind for r in saved.actions] == ["fund_magnet_research"]
    saved.close()


def test_citations_become_numbers_in_reading_order_with_their_sources_listed():
    english = cite("A collision (7 Sep, ep2010_collision) and a halt (ep2010_halt_start, ep2010_resume); "
                   "not_a_fact stays.", "#888", "Sources")
    assert "ep2010_collision)" not in english.split("<br>")[0]
    assert english.index("[1]") < english.index("[2,3]")
    assert "not_a_fact stays" in english
    assert "1. AP via Washington Times" in english and "ep2010_halt_start" not in english  # sources, not ids
    japanese = cite("価格は63ドル（price_nd_2014、price_dy_2014）。", "#888", "出典")
    # (both prices are from one USGS summary: one source, one number)
    assert japanese.startswith("価格は63ドル<font color='#888'>[1]。</font>") and "出典" in japanese
    # Punctuation right after a citation stays with it, and so does the space after that, so a
    # line never starts with either.
    assert "[1]). </font>Then" in cite("A collision (7 Sep, ep2010_collision). Then", "#888", "Sources")


def test_no_line_of_a_briefing_starts_with_the_space_after_a_citation(app):
    """Sandbox's briefing showed " its mining caps" indented at a line's start: pygame_gui broke
    the line between the citation's coloured chunk "[2]," and the plain one after it, which began
    with the space. Every shipped briefing, laid out at widths a window gives it."""
    indented = []
    for path in shipped_level_paths():
        markup = cite(load_level(path).briefing.get("en", ""), "#888", "Sources")
        for width in range(300, 720, 6):
            box = app.top.text_box(pygame.Rect(0, 0, width, 400), markup)
            firsts = [getattr(row.items[0], "text", "") or "" for row in box.text_box_layout.layout_rows if row.items]
            box.kill()
            indented += [(path.stem, width, first) for first in firsts if first.startswith(" ")]
    assert not indented, indented[:3]


@pytest.mark.parametrize("language", ["en", "ja"])
def test_no_shipped_briefing_shows_a_fact_id_raw(language):
    # "(price_nd_2010_Q42010)" stood in 2011-spike's briefing as written: its capitals were not
    # taken for part of a fact's id.
    known = facts()
    for path in shipped_level_paths():
        scenario = load_level(path)
        shown = cite(scenario.briefing.get(language, ""), "#888", "Sources").split("<br><br>")[0]
        raw = [fact_id for fact_id in known if fact_id in shown]
        assert not raw, (path.name, raw)


def test_a_text_pygame_gui_cannot_lay_out_still_shows(app, monkeypatch):
    real = UITextBox.parse_html_into_style_data
    calls = []

    def fussy(box):
        calls.append(box.html_text)
        if len(calls) == 1:
            raise RuntimeError("Unable to find valid split point for text layout")
        return real(box)

    monkeypatch.setattr(UITextBox, "parse_html_into_style_data", fussy)
    box = app.top.text_box(pygame.Rect(0, 0, 300, 200), "<b>Bold</b> and a long line of words &amp; more words")
    assert box is not None and len(calls) == 2
    assert "<b>" not in calls[1] and "&amp;" in calls[1] and "Bold" in calls[1]
    assert box.html_text == calls[1]


def test_a_lever_offers_a_sum_the_budget_can_pay_until_the_player_chooses(app):
    start_level(app)  # level 1 opens with US$60M
    press(app, pygame.K_5)
    focus_and_press(app, "Support industry")
    budget = app.game.world.nation("JPN").budget_musd
    assert budget < 100
    shown = f"US${budget:,.0f}M"
    assert any(t.text == shown for t in app.top.texts)  # its default, US$100M, is more than the budget: all of it
    focus_and_press(app, "Take action")
    assert app.game.world.nation("JPN").budget_musd == pytest.approx(0.0)


def test_a_finished_games_save_is_listed_by_its_last_quarter_not_the_one_after(app, data_dir):
    """A game played to its end was listed as "... · 2013Q1" for the Trawler Incident, a quarter
    outside the level (2010Q3-2012Q4): it is now listed at its last quarter, finished."""
    from game.ui.play import Game

    game = Game("2010-trawler", seed=1)
    while not game.session.is_over:
        game.end_turn()
    game.save()
    game.close()
    app.switch("load")
    app.frame([])
    rows = [f.element.text for f in app.top.focusables if f.tooltip and f.tooltip.endswith(".json")]
    assert rows and all("2012Q4, finished" in row and "2013Q1" not in row for row in rows), rows


def test_the_budget_on_the_bar_leaves_out_what_stockpile_bids_hold(app):
    """The bar showed the whole budget after a bid for stock, while the levers' forms counted
    the bid as spent: the player saw two budgets."""
    start_level(app)
    budget = app.game.world.nation("JPN").budget_musd
    click(app, "Buy stock")
    click(app, "Take action")
    bid = sum(tonnes * price / 1000.0 for _, tonnes, price in app.game.world.nation("JPN").purchase_orders)
    assert bid > 1.0
    shown = next(f.element for f in app.top.focusables if f.element.text.startswith("Budget: "))
    assert shown.text == f"Budget: US${budget - bid:,.0f}M"
    tip = next(tip for element, tip in app.top.tips if element is shown)
    assert f"US${bid:,.0f}M more is bid for the stockpile this quarter" in tip


def test_the_campaigns_levels_are_numbered_as_their_marks_on_the_map(app):
    """The map's marks 1 to 9 named no level, and the list beside them had no numbers."""
    app.switch("campaign")
    app.frame([])
    rows = [f.element.text for f in app.top.focusables if f.element.text[:1].isdigit()]
    numbers = [number for *_, number in app.top.places]
    assert numbers == list(range(1, len(numbers) + 1)) and len(rows) >= len(numbers) >= 9
    assert rows[0].startswith("1.  2010   The Trawler Incident") and rows[8].startswith("9.  ")


def test_an_event_page_keeps_the_notes_of_facts_dated_after_its_quarter_to_their_sources(app):
    """2025Q4's page showed, under PM Takaichi's remark of 7 November 2025, a note on what the
    WSJ reported in January 2026 (the fact it cites is dated 2026-01-06): an outcome the player
    has not reached."""
    start_level(app, "2025-licensing", seed=0)
    seen = {}
    turns = 0
    while str(app.game.world.quarter) != "2026Q1":
        press(app, pygame.K_RETURN)
        if isinstance(app.top, EventScene):
            seen[str(app.game.world.quarter)] = (list(app.top.notes), app.top.body)
        turns += 1
        assert turns < 40
    notes, body = seen["2025Q4"]
    assert "Takaichi" in body and "CNA (7 Jan 2026)" in body  # the source is still named
    assert not any("WSJ" in note for note in notes), notes


def test_a_lever_the_level_keeps_locked_looks_locked(app):
    # In 2011-spike six levers looked as live as the rest until picked.
    start_level(app, "2011-spike", seed=0)
    press(app, pygame.K_4)  # Diplomacy: talks and the WTO open, partnerships locked
    style = {f.element.text: f.element.object_ids[-1] for f in app.top.focusables
             if f.element.text in ("Hold talks", "Partnership", "WTO case")}
    assert style == {"Hold talks": "#small_button", "Partnership": "#locked_button", "WTO case": "#small_button"}


def test_a_locked_lever_picked_in_the_list_still_looks_locked(app):
    # Picked, a locked lever took the live levers' selected style (accent fill, dark text) and
    # looked like one to use; it keeps its muted text, a border and a lighter fill saying it is picked.
    start_level(app, "2010-trawler", seed=0)
    app.top.levers.choose_tab("Invest")
    fills = {}
    for kind, text in (("invest_in_project", "Invest in a project"), ("refinance_supplier", "Refinance")):
        app.top.levers.choose_lever(kind)
        app.frame([])  # the widgets take their new state
        app.draw(overlays=False)  # no focus ring over the button
        button = next(f.element for f in app.top.focusables if f.element.text == text)
        inside = button.get_abs_rect().inflate(-8, -8)
        fills[kind] = app.screen.get_at((inside.left, inside.centery))[:3]
    accent = app.colours.rgb("accent")
    assert fills["invest_in_project"] == accent
    assert fills["refinance_supplier"] != accent


def test_every_chart_the_bar_opens_is_titled_in_words_with_its_unit():
    # The charts of a level's own indicators were titled by their column ("japan_recycling_tpy").
    assert set(CHART_TITLES) == set(CHARTABLE)
    assert all("_" not in title for title in CHART_TITLES.values())
    assert CHART_TITLES["japan_stockpile_days"] == "Stockpile (days)"


def test_japanese_debrief_and_talks_punctuate_as_japanese_does(tmp_path, monkeypatch):
    # "(2024Q1-2024Q4：平均 24日分。…)" in half-width brackets, and "適正価格の目安: …".
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    window = open_app(settings=Settings(sound=False, language="ja", warn_before_end=False))
    window.frame([])
    try:
        start_level(window, "2011-spike", seed=0)
        press(window, pygame.K_3)  # the trade tab: its first lever opens the talks
        window.top.levers.take(next(lever for lever in LEVERS if lever.kind == "propose_offtake"))
        window.frame([])
        assert isinstance(window.top, NegotiationScene)
        talks = " ".join(element.html_text for element in window.ui.get_sprite_group().sprites()
                         if isinstance(element, UITextBox))
        assert "適正価格の目安</b>：" in talks and "目安</b>: " not in talks
        window.pop(window.top)
        while not window.game.session.is_over:
            window.game.end_turn()
        window.switch("debrief")
        window.frame([])
        assert window.top.objective_lines
        assert all("（" in line and "</font>" in line and "'>(" not in line for line in window.top.objective_lines)
    finally:
        if window.game is not None:
            window.game.close()


def test_the_news_keeps_what_japans_stockpile_bids_bought_in_a_busy_quarter(app):
    # 2010Q3 brings 14 lines of projects and finance after the market's: the bid's answer fell out
    # of the news's last 14 lines, and a player never learnt the bid bought nothing.
    start_level(app, "2010-trawler", seed=1)
    assert app.game.session.submit(BuyStockpile(Material.NDPR, 250.0, 30.0)).accepted
    press(app, pygame.K_RETURN)
    while not isinstance(app.top, TurnScene):
        press(app, pygame.K_RETURN)
    report = app.game.last_report
    assert len(report.news) > 15 and any(item.kind == "stockpile" for item in report.news[:-14])
    news = " ".join(element.html_text for element in app.ui.get_sprite_group().sprites()
                    if isinstance(element, UITextBox))
    assert "stockpile buys none of the 250 t of NdPr oxide" in news.replace("\u00a0", " ")  # (a unit kept by its number)


def test_a_double_click_on_take_action_is_one_action(app, monkeypatch):
    # Double-clicking Take action on the stockpile form placed two identical bids. The panel's
    # clock is the test's: a busy machine took longer than a double click between the two calls.
    clock = [100.0]
    monkeypatch.setattr("game.ui.lever_panel.time", types.SimpleNamespace(monotonic=lambda: clock[0]))
    start_level(app, "2010-trawler", seed=1)
    press(app, pygame.K_1)  # the stockpile tab: "Release stock" first
    lever = next(lever for lever in LEVERS if lever.kind == "release_stockpile")
    app.top.levers.take(lever)
    clock[0] += 0.3
    app.top.levers.take(lever)
    assert len(app.game.session.this_turns_actions()) == 1
    clock[0] += 1.0  # a moment later: a second move
    app.top.levers.take(lever)
    assert len(app.game.session.this_turns_actions()) == 2


@pytest.mark.parametrize("language", ["en", "ja"])
def test_a_briefing_heads_the_history_it_tells_with_the_quarters_it_covers(data_dir, language):
    """2019-trade-war's briefing headed its history "What happened since 2014Q1": the events from
    the previous level's first quarter, which the heading did not say, to the eve of this one,
    which it did not say either. The heading names both quarters, and every event lies between."""
    from game.ui import levels

    window = open_app(settings=Settings(sound=False, language=language))
    for entry in levels.campaign().entries:
        level = levels.scenario(entry.level)
        before = levels.history_before(level)
        if before is None or not before[2]:
            continue
        ids = [e.level for e in levels.campaign().entries]
        first, last = levels.scenario(ids[ids.index(level.id) - 1]).start, level.start - 1
        assert before[:2] == (first, last)
        assert all(first <= event.quarter <= last for event in before[2])
        window.switch("briefing", level_ref=level.id)
        window.frame([])
        shown = " ".join(element.html_text for element in window.ui.get_sprite_group().sprites()
                         if hasattr(element, "html_text"))
        heading = window.tr("What really happened from {first} to {last}", first=first, last=last)
        assert escape(heading) in shown, (level.id, shown[-300:])


def test_a_continued_level_charts_the_year_that_led_up_to_it_from_its_first_turn(app):
    """On the first turn of a level that continues the sandbox's history, the charts were empty
    beside the indicator bar's figures, which are the last quarter of that history. They show
    the year before the level's start, and still do once the level's own quarters follow."""
    start_level(app, "2011-spike", seed=1)
    turn = app.top
    assert isinstance(turn, TurnScene) and not app.compact and app.game.world.turns_done == 0
    japan = app.colours.rgb("japan")
    price_chart = turn.charts[0][1]
    height = price_chart.get_height()
    assert any(price_chart.get_at((x, y))[:3] == japan for x in range(0, price_chart.get_width(), 2)
               for y in range(height * 2 // 5, height)), "no line of Japan's price under the legend"
    before = [row["quarter"] for row in turn.chart_rows()]
    assert before == ["2010Q3", "2010Q4"]  # the sandbox starts in 2010Q3: what there is of a year
    app.game.end_turn()
    app.frame([])
    assert [row["quarter"] for row in app.top.chart_rows()] == before + ["2011Q1"]


def test_a_title_choice_s_tip_sits_beside_its_choice_where_the_menu_leaves_room(data_dir):
    """In Japanese at 200% in 1280x720, with Continue, Load's tip went to the window's corner, over
    the title and far from its button: every place beside the whole menu was taken, and the
    nearest clear one was sought from the menu's edge, not its choice's, past the free room
    beside the menu's last row."""
    from game.ui.play import Game

    game = Game("2010-trawler", seed=0)
    game.autosave()  # Continue: seven choices, in two columns at 200%
    game.close()
    app = open_app(settings=Settings(sound=False, language="ja", scale=2.0))
    app.frame([])
    for focused in app.top.focusables:
        if focused.element.text not in (app.tr("Load game"), app.tr("Settings")):  # short tips, with room
            continue
        rect = focused.element.get_abs_rect().inflate(app.u(6), app.u(6))
        box = app._draw_tip(focused.tooltip, rect, around=app._tip_area(focused.element, rect))
        others = [r for r in app._button_rects() + app._label_text_rects() if not r.colliderect(rect)]
        assert box.collidelist(others) < 0, focused.element.text
        near = max(0, box.left - rect.right, rect.left - box.right, box.top - rect.bottom, rect.top - box.bottom)
        assert near <= app.u(16), (focused.element.text, box, rect)
