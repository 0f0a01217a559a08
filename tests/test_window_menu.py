"""The in-level menu: Restart plays the same level and world again from its first quarter, Load
opens a saved game and Back returns to the level; ``play --seed`` seeds every new game."""

from __future__ import annotations

import json

import os
import re
import time

import pygame
import pytest

from game.ui.app import TIP_REACH, open_app
from game.ui.notice_place import stands_beside
from game.ui.driver import click, focus_and_press, on_turn_screen, press, start_level
from game.ui.play import Game
from game.ui.scenes.load import LoadScene
from game.ui.scenes.menu import MenuScene
from game.ui.storage import Settings, write_atomically


@pytest.fixture
def app(quiet_window):
    return quiet_window


def test_restart_plays_the_same_level_and_world_from_its_first_quarter(app):
    start_level(app, "2010-trawler", seed=7)
    first_prices = app.game.world.prices.copy()
    press(app, pygame.K_RETURN)
    while not on_turn_screen(app):
        press(app, pygame.K_RETURN)
    assert app.game.world.turns_done == 1
    press(app, pygame.K_ESCAPE)
    assert isinstance(app.top, MenuScene)
    focus_and_press(app, "Restart the level")
    assert app.top.name == "confirm" and app.game.world.turns_done == 1  # it asks first (it acted at once)
    press(app, pygame.K_RETURN)  # Enter says no
    assert isinstance(app.top, MenuScene) and app.game.world.turns_done == 1
    focus_and_press(app, "Restart the level")
    click(app, "Restart")
    assert app.game.world.turns_done == 0 and app.game.session.seed == 7
    assert (app.game.world.prices == first_prices).all()
    # the game before the restart is autosaved, and kept beside the new game's autosave
    from game.ui.storage import saves_dir

    app.game.try_autosave()
    kept = sorted(json.loads(path.read_text(encoding="utf-8"))["turns_played"] for path in saves_dir().iterdir())
    assert kept == [0, 1]


def test_load_from_the_menu_opens_a_save_and_back_returns_to_the_level(app):
    start_level(app, "2010-trawler", seed=2)
    press(app, pygame.K_s, pygame.KMOD_CTRL)
    press(app, pygame.K_ESCAPE)
    click(app, "Load game")
    assert isinstance(app.top, LoadScene)
    press(app, pygame.K_ESCAPE)
    assert on_turn_screen(app)
    press(app, pygame.K_ESCAPE)
    click(app, "Load game")
    click(app, app.top.focusables[0].element.text)  # the newest save
    assert on_turn_screen(app) and app.game.session.seed == 2


def test_a_seed_given_to_play_seeds_every_new_game(tmp_path, monkeypatch):
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    app = open_app(level="2010-trawler", settings=Settings(sound=False), seed=1234)
    app.frame([])
    click(app, "Start")
    assert app.game.session.seed == 1234
    app.game.close()


def test_play_refuses_a_negative_seed_in_one_line():
    import subprocess
    import sys

    from conftest import REPO_ROOT

    done = subprocess.run([sys.executable, "-m", "game", "play", "--seed", "-3"], capture_output=True, text=True,
                          cwd=REPO_ROOT, timeout=60, check=False)
    assert done.returncode != 0
    assert len(done.stderr.strip().splitlines()) <= 2 and "--seed" in done.stderr and "Traceback" not in done.stderr


def _to_debrief(app, level: str | None = "2010-trawler"):
    """Play to the end (starting ``level`` first, unless None) and open the debrief."""
    if level is not None:
        start_level(app, level, seed=1)
    while not app.game.session.is_over:
        app.game.end_turn()
    app.switch("debrief")
    app.frame([])


def test_the_debrief_lists_every_action_and_exports_one_self_contained_page(app, tmp_path, monkeypatch):
    from game.ui import storage

    monkeypatch.setattr(storage.time, "strftime", lambda _form: "20300101-120000")  # every export in one second
    start_level(app, "2010-trawler", seed=1)
    press(app, pygame.K_1)  # Stockpile: release 5 t of NdPr, seven times (more than the old "...and N more" cut)
    click(app, next(f.element.text for f in app.top.focusables if f.element.text.endswith(" t")))
    for _ in range(6):
        press(app, pygame.K_BACKSPACE)
    app.frame([pygame.event.Event(pygame.TEXTINPUT, text="5")])
    press(app, pygame.K_RETURN)
    for _ in range(7):
        app.top.levers.last_taken = None  # seven moves, not a click made twice (moments apart)
        click(app, "Take action")
    _to_debrief(app, None)
    debrief = app.top
    assert len(debrief.actions) == len([r for r in app.game.session.actions if r.accepted]) >= 7
    assert debrief.focused().element.text in ("Next level", "Campaign")  # Enter on and on exported
    click(app, "Export")
    text, kind, _ = app.notice
    assert kind == "ok", text
    [page] = (tmp_path / "debriefs").glob("*.html")
    [picture] = (tmp_path / "debriefs").glob("*.png")
    html = page.read_text(encoding="utf-8")
    assert html.count("data:image/png;base64,") == 3 and "<script" not in html
    assert not re.findall(r'(?:src|href)="(?!data:)', html)  # nothing outside the file
    assert all(action in html for action in debrief.actions[:3])
    assert pygame.image.load(str(picture)).get_width() == app.w
    # Export again says where the debrief is kept, and writes nothing (Enter held on Export
    # wrote a pair a press).
    click(app, "Export")
    assert app.notice[1] == "ok" and "kept already: 2010-trawler-20300101-120000.html" in app.notice[0], app.notice
    # The notices stack; none covers the level's result at the top, nor a button.
    box = app._notice_layout()[2]
    assert box.collidelist([e.get_abs_rect() for e in debrief.kept_clear] + app._button_rects()) < 0, box
    assert len(list((tmp_path / "debriefs").iterdir())) == 2
    # Another window's export in the same second takes names of its own; it wrote over the first
    # pair before.
    first = page.read_bytes()
    scrolled = 0
    for element in app.ui.get_root_container().elements:  # the player scrolls down to the actions
        scroll = getattr(element, "scroll_bar", None)
        if scroll is not None:
            scroll.set_scroll_from_start_percentage(1.0)
            scrolled += 1
    app.frame([])
    assert scrolled
    debrief.exported = None  # as another window's debrief
    click(app, "Export")
    assert app.notice[1] == "ok", app.notice
    assert sorted(p.name for p in (tmp_path / "debriefs").iterdir()) == [
        "2010-trawler-20300101-120000-2.html", "2010-trawler-20300101-120000-2.png",
        "2010-trawler-20300101-120000.html", "2010-trawler-20300101-120000.png"]
    assert page.read_bytes() == first
    # The picture is of the debrief itself from its top: the first export's notice (and the focus
    # ring, and a tip) were in the second's, and a debrief scrolled down to the actions was taken
    # as it stood, without its stars' reasons.
    pictures = [pygame.image.load(str(tmp_path / "debriefs" / f"2010-trawler-20300101-120000{n}.png"))
                for n in ("", "-2")]
    assert pygame.image.tobytes(pictures[0], "RGB") == pygame.image.tobytes(pictures[1], "RGB")
    # A page deleted by hand leaves its picture, which held the page's name: the next export in
    # that second was refused ("no free name left").
    (tmp_path / "debriefs" / "2010-trawler-20300101-120000-2.html").unlink()
    debrief.exported = None
    click(app, "Export")
    assert app.notice[1] == "ok", app.notice
    assert (tmp_path / "debriefs" / "2010-trawler-20300101-120000-3.html").exists()
    assert (tmp_path / "debriefs" / "2010-trawler-20300101-120000-2.png").read_bytes()  # kept


def test_the_debrief_s_picture_at_100_percent_has_no_buttons(app, tmp_path):
    """A compact debrief's picture left its buttons out; at 100% the picture was the screen as it
    stood, with Campaign, Export, Play again and Next level under the panes. The debrief is laid
    out without them for the picture, its panes reaching down to where they stood, and they come
    back on the screen after."""
    start_level(app, "2010-trawler", seed=1)
    _to_debrief(app, None)
    debrief = app.top
    assert not app.compact
    # The screen scrolls its boxes; the picture, a copy of it, cut them mid-line with their
    # scroll bars drawn. It holds each text whole above the charts.
    scrolled = [(box.rect.copy(), box.scroll_bar.rect.copy(), box.text_box_layout.layout_rect.height)
                for box in debrief.reading if box.scroll_bar is not None]
    assert scrolled
    chart_h = debrief.charts[0][0].h
    drawn_with = []
    real_draw = app.draw

    def draw(*args, **kwargs):
        drawn_with.append([f.element.text for f in debrief.focusables])
        return real_draw(*args, **kwargs)

    app.draw = draw
    picture = debrief.picture()
    app.draw = real_draw
    assert drawn_with and drawn_with[-1] == [], drawn_with
    assert picture.get_width() == app.w
    panel = app.colours.rgb("panel")
    for box, bar, text_h in scrolled:
        assert picture.get_height() >= box.y + text_h + chart_h, (picture.get_size(), box, text_h)
        assert all(picture.get_at((bar.centerx, y))[:3] == panel for y in range(box.y + 2, box.y + text_h)), bar
    assert {"Export", "Play again", "Campaign"} <= {f.element.text for f in debrief.focusables}
    app.frame([])


def test_enter_pressed_on_through_a_level_s_end_does_not_leave_the_debrief(app, monkeypatch):
    """Enter pressed on through the last turn opened the debrief, and the next press (on Next
    level) the next level's briefing, whose turns the presses after it ended unplayed."""
    from game.ui.scenes import debrief as debrief_module

    monkeypatch.setattr(debrief_module, "INPUT_PAUSE_SECONDS", 60.0)
    start_level(app, "2010-trawler", seed=1)
    _to_debrief(app, None)
    debrief = app.top
    for _ in range(5):
        press(app, pygame.K_RETURN)
        click(app, debrief.focused().element.text)
    assert app.top is debrief
    debrief.shown_at -= 60.0  # the player has looked at it
    press(app, pygame.K_RETURN)
    assert app.top is not debrief


def test_a_press_made_while_the_debrief_was_being_laid_out_does_not_leave_it(app, monkeypatch):
    """A player ending turns with Enter pressed again while the last turn was worked out and the
    debrief laid out (slow on a busy machine); the pause ran from the debrief's making, was over
    when it first showed, and that press, taken from the queue, went on to the next level."""
    from game.ui.scenes import debrief as debrief_module

    monkeypatch.setattr(debrief_module, "INPUT_PAUSE_SECONDS", 0.3)
    start_level(app, "2010-trawler", seed=1)
    while app.game.world.quarter < app.game.scenario.end:
        app.game.end_turn()
    laid_out = debrief_module.DebriefScene.build

    def slowly_with_a_press_meanwhile(scene):
        laid_out(scene)
        time.sleep(0.4)  # longer than the pause
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0, unicode="", scancode=0))
        pygame.event.post(pygame.event.Event(pygame.KEYUP, key=pygame.K_RETURN, mod=0, unicode="", scancode=0))

    monkeypatch.setattr(debrief_module.DebriefScene, "build", slowly_with_a_press_meanwhile)
    press(app, pygame.K_RETURN)  # the last End turn
    debrief = app.top
    assert debrief.name == "debrief"
    monkeypatch.setattr(debrief_module.DebriefScene, "build", laid_out)
    app.frame(pygame.event.get())  # the press made meanwhile
    assert app.top is debrief
    time.sleep(0.35)
    press(app, pygame.K_RETURN)  # one made after the pause, with the debrief in view
    assert app.top is not debrief


def test_an_export_the_disk_cannot_hold_whole_leaves_neither_file(app, tmp_path, monkeypatch):
    """The disk filled between the page and its picture: the page stayed while the notice said
    the debrief was not exported."""
    import errno

    from game.ui import debrief_export

    start_level(app, "2010-trawler", seed=1)
    _to_debrief(app, None)

    def no_room_for_the_picture(surface):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(debrief_export, "png_bytes", no_room_for_the_picture)
    click(app, "Export")
    text, kind, _ = app.notice
    assert kind == "error" and text.startswith("Debrief not exported:"), text
    assert list((tmp_path / "debriefs").iterdir()) == []


def test_a_click_on_the_export_notice_puts_it_away_and_nothing_under_it_happens(app, tmp_path):
    """The notice of the files written sat over the debrief's first lines for six seconds; a
    click on it now puts it away, and the click goes no further."""
    from game.ui.driver import click_at

    _to_debrief(app)
    click(app, "Export")
    assert app.notice is not None and app.notice[1] == "ok"
    box = app._notice_layout()[2]
    click_at(app, (box.left - app.u(20), app.h - app.u(4)))  # elsewhere: the notice stays
    assert app.notice is not None
    debrief = app.top
    click_at(app, box.center)
    assert app.notice is None and app.top is debrief
    assert len(list((tmp_path / "debriefs").glob("*.html"))) == 1


def test_a_debrief_the_folder_will_not_take_is_a_notice(tmp_path, monkeypatch):
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("RARE_EARTHS_DATA", str(blocker / "data"))
    app = open_app(settings=Settings(sound=False, warn_before_end=False))
    _to_debrief(app)
    click(app, "Export")
    text, kind, _ = app.notice
    # Each failure a line of its own, the export's last (the stars' save failed first, and shows too).
    assert kind == "error" and text.split("\n")[-1].startswith("Debrief not exported"), text
    assert all(line.count(": ") >= 1 for line in text.split("\n"))
    app.game.close()


def test_the_title_fits_its_buttons_at_200_percent_with_continue(tmp_path, monkeypatch):
    """Seven entries (Continue among them) at 200% in 1280x720 ran past the window's foot; they
    go in two columns there, none overlapping, all above the keys hint."""
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    game = Game("2010-trawler", seed=0)
    write_atomically(tmp_path / "saves" / "autosave.json", game.save_text())
    game.close()
    window = open_app(settings=Settings(sound=False, scale=2.0, language="ja"))
    window.frame([])
    rects = [f.element.get_abs_rect() for f in window.top.focusables]
    assert len(rects) == 7
    assert all(r.top >= 0 and r.bottom <= window.h - window.top.u(34) and r.right <= window.w for r in rects)
    assert not any(a.colliderect(b) for i, a in enumerate(rects) for b in rects[i + 1:])


def test_the_load_screen_pages_through_every_save_at_200_percent(tmp_path, monkeypatch):
    """Nine rows ran over the Back button at 200% in 1280x720: a page holds what fits, and
    Next and Previous reach every save."""
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    game = Game("2010-trawler", seed=0)
    for k in range(5):
        write_atomically(tmp_path / "saves" / f"save-{k}.json", game.save_text())
        os.utime(tmp_path / "saves" / f"save-{k}.json", (1_700_000_000 + k, 1_700_000_000 + k))
    game.close()
    window = open_app(settings=Settings(sound=False, scale=2.0))
    window.switch("load")
    window.frame([])
    seen = []
    for _ in range(5):
        scene = window.top
        rects = [f.element.get_abs_rect() for f in scene.focusables]
        assert not any(a.colliderect(b) for i, a in enumerate(rects) for b in rects[i + 1:])
        assert all(r.bottom <= window.h for r in rects)
        seen += [f.tooltip for f in scene.focusables if f.tooltip.startswith("save-")]
        assert scene.page_label.text == f"Page {scene.page + 1} of 2"  # 34 pages said nothing of where one was
        assert window.screen.get_rect().contains(scene.page_label.get_abs_rect())
        pager = [f for f in scene.focusables if f.element.text == "Next"]
        if not pager:
            break
        pager[0].command()
        window.frame([])
    assert seen == [f"save-{k}.json" for k in reversed(range(5))]


def test_the_title_bar_is_in_the_players_language(app):
    """The window's title stayed "Rare Earths" in Japanese."""
    app.settings.language = "ja"
    app.rebuild()
    assert pygame.display.get_caption()[0] == "レアアース"
    app.settings.language = "en"
    app.rebuild()
    assert pygame.display.get_caption()[0] == "Rare Earths"


def test_restarting_again_and_again_keeps_the_game_played(app):
    """Each Restart autosaved the fresh game too, so nine of them pushed the game played out of
    the eight autosaves kept, though the dialog promised Load game would open it."""
    import json

    from game.ui.storage import saves_dir

    start_level(app, "2010-trawler", seed=7)
    for _ in range(3):
        press(app, pygame.K_RETURN)
        while not on_turn_screen(app):
            press(app, pygame.K_RETURN)
    for _ in range(9):
        while not on_turn_screen(app):  # the new game's first events
            press(app, pygame.K_ESCAPE)
        press(app, pygame.K_ESCAPE)
        focus_and_press(app, "Restart the level")
        click(app, "Restart")
    kept = [json.loads(path.read_text(encoding="utf-8"))["turns_played"] for path in saves_dir().iterdir()]
    assert 3 in kept


def test_the_system_s_reasons_a_save_failed_are_said_in_the_player_s_language(app, monkeypatch):
    """A full disk or a read-only folder was said in the system's English in a Japanese window."""
    import errno

    from game.ui import storage

    app.settings.language = "ja"
    app.apply_settings()
    start_level(app, "2010-trawler", seed=1)

    def full_disk(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full_disk)
    press(app, pygame.K_s, pygame.KMOD_CTRL)  # save
    text, kind, _ = app.notice
    assert kind == "error" and "ディスクの容量が足りません：" in text and "No space" not in text, text
    app.notice = None
    played = app.game.world.turns_done
    press(app, pygame.K_RETURN)  # End turn: its autosave fails too
    assert app.game.world.turns_done == played + 1
    text, kind, _ = app.notice
    assert kind == "error" and "ディスクの容量が足りません" in text and "No space" not in text, text
    # A change of language the disk cannot keep is said in the language chosen.
    app.settings.language = "en"
    app.apply_settings()
    text, kind, _ = app.notice
    assert kind == "error" and text.split("\n")[-1].startswith("Settings not saved: No space left on device"), text
    # Words the game has no translation of stay as the system gave them; Windows' own words for
    # a number the game knows (they come with a winerror) are said in the game's.
    assert storage.describe_write_error(OSError(errno.ENOSPC, "disque plein"), app.tr) == "disque plein"
    windows = OSError(errno.ENOSPC, "There is not enough space on the disk", "C:\\saves\\a.json")
    windows.winerror = 112
    app.settings.language = "ja"
    app.apply_settings()
    assert storage.describe_write_error(windows, app.tr).startswith("ディスクの容量が足りません：")


def test_stars_won_while_the_data_folder_is_full_are_saved_once_it_takes_them(app, monkeypatch, capsys):
    """The stars of a level finished on a full disk (or a read-only folder) stayed in memory
    only, were never written once the folder took files again, and were lost with the window."""
    import errno

    from game.ui import storage

    full = [True]
    save = storage.Progress.save

    def save_unless_full(progress):
        if full[0]:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(storage.data_dir() / "progress.json"))
        save(progress)

    monkeypatch.setattr(storage.Progress, "save", save_unless_full)
    start_level(app, "2010-trawler", seed=1)
    while app.game.world.turns_done < app.game.scenario.n_turns - 1:
        app.game.end_turn()
    app.notice = None
    app.top.end_turn()  # the last End turn, as the player presses it
    assert app.top.name == "debrief"
    assert "Stars not saved: No space left on device" in app.notice[0], app.notice
    won = app.progress.stars["2010-trawler"]  # (none for doing nothing, but the level is played)
    assert storage.Progress.load().stars == {}
    app.switch("title")
    assert storage.Progress.load().stars == {} and app.progress_unsaved == "stars"  # still full: kept waiting
    full[0] = False
    app.switch("campaign")  # the next screen writes them
    assert storage.Progress.load().stars == {"2010-trawler": won} and not app.progress_unsaved
    assert app.notice[0].split("\n")[-1] == "The stars won earlier are saved now."
    # A window closed while the folder still will not take them says so on the way out.
    # Only the tutorial seen waiting: said as the player's progress, not as stars.
    full[0] = True
    app.progress.tutorial_done = True
    app.keep_progress()
    assert app.progress_unsaved == "progress"
    full[0] = False
    app.switch("title")
    assert app.notice[0].split("\n")[-1] == "Your progress is saved now."
    app.progress.note("2011-spike", 1)
    full[0] = True
    app.keep_progress(stars=True)
    app.keep_progress()  # stars still wait: a later write of the rest does not hide them
    assert app.progress_unsaved == "stars"
    app.quit()
    assert "could not save the stars won: No space left on device" in app.quit_note
    assert "rare-earths: could not save the stars won on quitting: No space left on device" in capsys.readouterr().err


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
@pytest.mark.parametrize("scene", ["settings", "title", "campaign"])
@pytest.mark.parametrize("language, scale", [("en", 1.0), ("ja", 1.0), ("en", 2.0), ("ja", 2.0)])
def test_a_keyboard_player_s_tip_on_a_menu_covers_none_of_its_other_rows_nor_any_text(tmp_path, monkeypatch, scene,
                                                                                      language, scale, size):
    """At 200% a setting's tip fell over the settings below it, a menu choice's over the choices
    below, a level's over the next levels: each now keeps clear of its whole list, as the
    indicator bar's and the levers' tips do (``tip_keeps_clear``). Then, in Japanese, the title's
    tips fell on its subtitle and the campaign's on its line saying how levels open: they keep
    clear of every line of text on the screen too (the text as drawn, not its label's box)."""
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    window = open_app(size, settings=Settings(sound=False, language=language, scale=scale))
    window.switch(scene)
    window.frame([])
    rows = [(getattr(f.element, "text", ""), f.element, f.element.get_abs_rect()) for f in window.top.focusables]
    for text in window.top.texts:
        drawn = text.element.image.get_bounding_rect() if text.element.image is not None else pygame.Rect(0, 0, 0, 0)
        if drawn.w and drawn.h:
            rows.append((text.text, text.element, drawn.move(text.element.get_abs_rect().topleft)))
    tipped = [f for f in window.top.focusables if f.tooltip]
    assert tipped
    for focused in tipped:
        rect = focused.element.get_abs_rect().inflate(window.u(6), window.u(6))
        box = window._draw_tip(focused.tooltip, rect, around=window._tip_area(focused.element, rect))
        assert window.screen.get_rect().contains(box)
        covered = [(text, element) for text, element, shown in rows
                   if element is not focused.element and element.visible and box.colliderect(shown)]
        # A line of text only where no clear place stands beside its choice: a tip clear of
        # everything but across the window was read as another choice's.
        beside = stands_beside(box, rect, window._tip_area(focused.element, rect), window.u(TIP_REACH))
        covered = [text for text, element in covered
                   if not beside or any(f.element is element for f in window.top.focusables)]
        assert not covered, (focused.tooltip, covered)
        # And beside what it describes, narrower if it must be: the title's tips went to the
        # screen's top-left corner, clear of text but nowhere near their choice.
        area = window._tip_area(focused.element, rect)
        gap = max(area.left - box.right, box.left - area.right, area.top - box.bottom, box.top - area.bottom)
        assert gap <= window.u(40), (focused.tooltip, box, area)


def test_loading_a_save_from_the_menu_autosaves_the_game_in_play_first_as_restart_does(app):
    """Load game opened the save at once and wrote no autosave: a loan given since the last save
    was lost, where Restart keeps the game so far."""
    from game.actions import RefinanceSupplier
    from game.ui.storage import list_saves

    start_level(app, "sandbox", seed=3)
    press(app, pygame.K_s, pygame.KMOD_CTRL)
    saved = list_saves(10)
    firm = next(f.firm_id for f in app.game.world.sellers if f.nation != "CHN")
    assert app.game.submit(RefinanceSupplier(firm, 50.0)).accepted
    press(app, pygame.K_ESCAPE)
    click(app, "Load game")
    click(app, app.top.focusables[0].element.text)  # the save made with Ctrl+S, the only one
    assert on_turn_screen(app) and not app.game.session.this_turns_actions()
    autosaves = [slot.path for slot in list_saves(10) if slot.path not in [s.path for s in saved]]
    assert len(autosaves) == 1
    kept = Game.from_file(autosaves[0])
    try:
        assert [record.action for record in kept.session.this_turns_actions()] == [RefinanceSupplier(firm, 50.0)]
    finally:
        kept.close()


def test_a_load_the_game_in_play_cannot_be_autosaved_for_is_refused_and_says_why(app, monkeypatch):
    from game.ui import play

    start_level(app, "2010-trawler", seed=3)
    press(app, pygame.K_s, pygame.KMOD_CTRL)
    playing = app.game
    press(app, pygame.K_RETURN)
    while not on_turn_screen(app):
        press(app, pygame.K_RETURN)

    def no_room(game):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(play.Game, "autosave", no_room)
    press(app, pygame.K_ESCAPE)
    click(app, "Load game")
    click(app, app.top.focusables[0].element.text)
    assert isinstance(app.top, LoadScene) and app.game is playing and app.game.world.turns_done == 1
    assert app.notice[1] == "error"


def test_the_language_setting_does_not_say_the_world_news_stays_in_english(app):
    """Its tip said the news from the world stays in English, where it is shown in Japanese too."""
    from game.ui.scenes.settings import SettingsScene

    start_level(app, "2010-trawler", seed=0)
    for language, kept_in_english in (("en", "stays in English"), ("ja", "英語のまま")):
        app.settings.language = language
        app.apply_settings()
        app.switch("settings", back_to="turn")
        assert isinstance(app.top, SettingsScene)
        tip = app.top.focusables[0].tooltip
        assert tip and kept_in_english not in tip, tip


@pytest.mark.parametrize("language", ["en", "ja"])
def test_after_a_scale_change_a_settings_tip_stays_beside_its_own_row(tmp_path, monkeypatch, language):
    """At 125% a setting's tip went below the whole table, under the last row however far its
    own setting was: the widest tip found no room beside the table, and below it was the first
    clear place tried, before a narrower tip beside its row. From 150% no tip fitted beside the
    table at all, and every tip went below it, a long way from the first settings: the table now
    takes no more width than its names and values need where that leaves a tip room beside it."""
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    window = open_app((1280, 720), settings=Settings(sound=False, language=language, scale=1.0))
    window.switch("settings")
    window.frame([])
    for _ in range(4):  # 125%, 150%, 175%, 200%
        window.top.next_scale()
        window.frame([])
        rows = [f.element.get_abs_rect() for f in window.top.focusables if f.tooltip]
        for focused in [f for f in window.top.focusables if f.tooltip]:
            rect = focused.element.get_abs_rect().inflate(window.u(6), window.u(6))
            box = window._draw_tip(focused.tooltip, rect, around=window._tip_area(focused.element, rect))
            gap = max(rect.left - box.right, box.left - rect.right, rect.top - box.bottom, box.top - rect.bottom)
            assert gap <= window.u(16), (window.s, focused.element.text, box, rect)
            assert window.screen.get_rect().contains(box) and box.collidelist(rows) < 0, (window.s, box, rows)
