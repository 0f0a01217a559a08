"""A window that behaves: one key press acts once, a quarter's events come as one page, a data
folder that will not take a file never stops the game, two copies of the game never tear a
save, a machine without sound hears nothing and reads one line, and an idle screen is not
redrawn. Driven with posted input on the dummy video driver (set in conftest)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time

import pygame
import pytest
from conftest import REPO_ROOT, events_fail_from
from pygame_gui.elements import UITextBox
from reading_keys import scrolls_by_page_keys_and_home_end

from game.savefile import load_text
from game.ui import sound, storage
from game.ui.app import open_app
from game.ui.driver import badly_broken_lines, click_at, focus_and_press, hold, on_turn_screen, press, start_level
from game.ui.levers import LEVER_BY_KIND
from game.ui.play import Game
from game.ui.scenes.debrief import DebriefScene
from game.ui.scenes.event import EventScene, tells_the_future
from game.ui.storage import Settings
from game.vocab.materials import Material


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path / "data"))
    return tmp_path / "data"


@pytest.fixture
def app(data_dir):
    window = open_app(settings=Settings(sound=False, warn_before_end=False))
    window.frame([])
    yield window
    if window.game is not None:
        window.game.close()


def _to_events_page(app, level: str = "2011-spike") -> EventScene:
    app.progress.tutorial_done = True
    app.start_game(Game(level, seed=0), "turn")
    app.frame([])
    assert isinstance(app.top, EventScene)
    return app.top


def test_holding_enter_on_the_events_page_closes_it_and_does_not_end_the_turn(app):
    _to_events_page(app)
    quarter = str(app.game.world.quarter)
    hold(app, pygame.K_RETURN, repeats=12)  # the keyboard's auto-repeat, as a held key sends it
    assert on_turn_screen(app)
    assert str(app.game.world.quarter) == quarter and app.game.world.turns_done == 0
    press(app, pygame.K_RETURN)  # a new press ends the turn
    assert app.game.world.turns_done == 1


def test_enter_pressed_twice_to_close_the_events_page_does_not_end_the_turn(app, monkeypatch):
    """A quick double Enter on the quarter's events page closed it and then ended the turn: the
    next quarter went by unplayed (End turn's warning switched off) and lost a star."""
    from game.ui.scenes import turn as turn_module

    monkeypatch.setattr(turn_module, "ENTER_PAUSE_AFTER_PAGE_SECONDS", 60.0)
    _to_events_page(app)
    press(app, pygame.K_RETURN)
    assert on_turn_screen(app)
    press(app, pygame.K_RETURN)  # the second press of the pair
    assert on_turn_screen(app) and app.game.world.turns_done == 0
    app.enter_closed_page_at -= 60.0  # the player has looked at the turn screen
    press(app, pygame.K_RETURN)
    assert app.game.world.turns_done == 1


@pytest.mark.parametrize("opens", [pygame.K_o, pygame.K_ESCAPE, pygame.K_F1], ids=["objectives", "menu", "help"])
def test_enter_pressed_twice_to_close_a_page_over_the_turn_screen_does_not_end_the_turn(app, monkeypatch, opens):
    """Enter closes the objectives page (and the menu on Resume, and the keys' help) as it closes
    the events page: a quick double press closed it and ended the turn unplayed."""
    from game.ui.scenes import turn as turn_module

    monkeypatch.setattr(turn_module, "ENTER_PAUSE_AFTER_PAGE_SECONDS", 60.0)
    app.progress.tutorial_done = True
    start_level(app, "2010-trawler")
    press(app, opens)
    assert not on_turn_screen(app) or app.show_help
    press(app, pygame.K_RETURN)
    assert on_turn_screen(app) and not app.show_help
    press(app, pygame.K_RETURN)  # the second press of the pair
    assert app.game.world.turns_done == 0
    app.enter_closed_page_at -= 60.0  # the player has looked at the turn screen
    press(app, pygame.K_RETURN)
    assert app.game.world.turns_done == 1


def test_a_quarter_without_news_says_it_began_and_a_quick_enter_does_not_end_it_too(app, monkeypatch):
    """End turn clicked into a quarter that brought no news left the screen as it was, with
    nothing to say a quarter had passed: the player pressed Enter to close the page they
    expected (as the events page teaches) and ended that quarter too, unplayed."""
    from game.ui.scenes import turn as turn_module

    monkeypatch.setattr(turn_module, "ENTER_PAUSE_AFTER_PAGE_SECONDS", 60.0)
    app.progress.tutorial_done = True
    start_level(app, "2026-deep-sea")
    for _ in range(app.game.scenario.n_turns - 1):
        while not on_turn_screen(app):
            press(app, pygame.K_ESCAPE)  # the quarter's news
        app.top._quiet_quarter_began_at = None
        app.top.end_turn()
        app.frame([])
        if on_turn_screen(app):
            break
    else:
        pytest.fail("every quarter of the level brought news: no quiet quarter to test")
    played, quarter = app.game.world.turns_done, str(app.game.world.quarter)
    assert f"{quarter} begins: no news this quarter." in app.notice[0]
    press(app, pygame.K_RETURN)  # the Enter meant for the page that did not come
    assert app.game.world.turns_done == played
    app.top._quiet_quarter_began_at -= 60.0  # the player has looked at the new quarter
    press(app, pygame.K_RETURN)
    assert app.game.world.turns_done == played + 1
    # The quarter that began is over: what said so goes with it, and with the level; three such
    # lines piled up over a level's last quarters and stayed over the next level's first.
    assert app.notice is None or f"{quarter} begins" not in app.notice[0], app.notice
    app.notify(app.tr("{quarter} begins: no news this quarter.", quarter=str(app.game.world.quarter)), of_turn=True)
    start_level(app, "2010-trawler")
    assert app.notice is None, app.notice


def test_the_turn_screen_takes_enter_at_once_after_the_events_page_closed_otherwise(app, monkeypatch):
    """Only Enter closing the page is the double press to guard against: a page closed with Esc
    or Continue leaves Enter ending the turn."""
    from game.ui.scenes import turn as turn_module

    monkeypatch.setattr(turn_module, "ENTER_PAUSE_AFTER_PAGE_SECONDS", 60.0)
    _to_events_page(app)
    press(app, pygame.K_ESCAPE)
    assert on_turn_screen(app)
    press(app, pygame.K_RETURN)
    assert app.game.world.turns_done == 1


def test_a_held_key_repeats_where_it_moves_and_acts_once_where_it_acts(app):
    """Held Down scrolled a page of text one line only: the window never turned the keyboard's
    repeat on (and a typing box, focused and left, turns it off). A key that acts (S, a lever
    tab, Ctrl+Z) still acts once however long it is held."""
    assert pygame.key.get_repeat()[0] > 0
    start_level(app, "2010-trawler", seed=1)
    press(app, pygame.K_1)
    click_at(app, next(f.element for f in app.top.focusables if f.element.text.endswith(" t")).get_abs_rect().center)
    assert app.top.name == "amount"
    press(app, pygame.K_ESCAPE)
    assert on_turn_screen(app)
    app.frame([])
    assert pygame.key.get_repeat()[0] > 0, "the typing box left the keyboard without repeat"
    shown = app.top.view
    hold(app, pygame.K_s, repeats=5)
    assert app.top.view != shown, "held S switches to the supply panel once, not back and forth"


def test_a_quarters_events_come_on_one_page_in_date_order(app):
    page = _to_events_page(app)
    events = page.events
    assert len(events) > 1
    dates = [app.game.event_date(item) for item in events]
    assert None not in dates
    shown = page.focusables[-1]
    assert shown.element.text == "Continue" and len(page.focusables) == 1
    body = page.body
    positions = [body.index(item.headline.replace("&", "&amp;")) for item in events]
    order = sorted(range(len(events)), key=lambda k: (dates[k], k))
    assert sorted(positions) == [positions[k] for k in order]
    press(app, pygame.K_ESCAPE)
    assert on_turn_screen(app)


@pytest.mark.parametrize("level", ["2010-trawler", "2011-spike", "2014-urban-mining", "2023-tech-ban",
                                   "2026-deep-sea"])
def test_no_note_on_the_events_page_tells_a_year_the_player_has_not_reached(app, level):
    page = _to_events_page(app, level)
    quarter = page.events[0].quarter
    assert page.notes, "the page shows some history"
    assert not [note for note in page.notes if tells_the_future(note, quarter.year, 3 * quarter.q)]


def test_two_events_from_one_source_show_its_note_once(app):
    """2010-trawler's 19 November: loading resumes and customs approve cargoes, both from one
    fact; the page showed its note twice in a row."""
    from game.scenario.reference import facts_named_in

    app.progress.tutorial_done = True
    app.start_game(Game("2010-trawler", seed=0), "turn")
    app.frame([])
    while not any(item.source == "ep2010_resume" for item in getattr(app.top, "events", ())):
        press(app, pygame.K_RETURN)  # this quarter's page away, then End turn
        assert app.game.world.turns_done < 3
    page = app.top
    assert len([item for item in page.events if item.source == "ep2010_resume"]) == 2
    fact = facts_named_in("ep2010_resume")[0]
    note = app.game.fact_text(fact, "en")[1]
    assert note and page.body.count(note.replace("&", "&amp;")[:60]) == 1
    assert page.body.count(f"Source: {fact.source}") == 2 and "(as above)" in page.body


def _event_sections(page) -> dict[str, str]:
    """The page's text per event, by the event's source list."""
    sections = page.body.split("<br><br>")
    dated = sorted(page.events, key=lambda item: page.app.game.event_date(item) or 0)
    return {item.source: section for item, section in zip(dated, sections)}


def test_an_event_cites_its_own_story_not_a_price_it_rests_on(app):
    """2026-deep-sea's 9 January 2026 (WSJ) cites Dy's 2025 price for its licences' cost; the page
    showed that price's note ("Argus/Asian Metal FOB average.") and source under the WSJ's story."""
    from game.scenario.reference import facts

    page = _to_events_page(app, "2026-deep-sea")
    price = facts()["price_dy_2025"]
    [section] = [text for source, text in _event_sections(page).items() if "price_dy_2025" in source]
    assert "cn_2026_japan" in next(source for source in _event_sections(page) if "price_dy_2025" in source)
    assert price.note not in page.notes and price.note not in section and price.source not in section
    assert "Source:" in section


def test_an_event_cites_its_own_storys_source(app):
    """2026-deep-sea's 9 January 2026 (the WSJ report) showed only "Source: CNA … (as above)", the
    6 January ban's: the timeline entry its story comes from was never named on the page."""
    from game.scenario.reference import timeline

    page = _to_events_page(app, "2026-deep-sea")
    sections = _event_sections(page)
    [section] = [text for source, text in sections.items() if "timeline 2026-01-09" in source]
    story = timeline()["2026-01-09"]
    assert story.url and story.source and "<" not in story.source
    assert f"Source: {story.source}" in section
    # a story whose address a fact of the event gives already is named once (the 6 January ban)
    [earlier] = [text for source, text in sections.items() if "timeline 2026-01-06" in source]
    assert timeline()["2026-01-06"].url == facts_by_id("cn_2026_japan").url
    assert earlier.count("Source:") == 1


def test_an_event_s_sources_are_written_in_japanese_marks(data_dir):
    """2026-deep-sea's January page in Japanese read 「出典: allthe.news summary of WSJ」 and
    「出典: CNA (7 Jan 2026); … (同上)」: the story's source and a source named again were joined in
    English, with a half-width colon and brackets, beside the facts' 「出典：…」."""
    window = open_app(settings=Settings(sound=False, warn_before_end=False, language="ja"))
    window.frame([])
    page = _to_events_page(window, "2026-deep-sea")
    sources = [line for line in re.sub(r"<[^>]+>", "", page.body.replace("<br>", "\n")).split("\n")
               if line.startswith("出典")]
    assert len(sources) >= 3, sources
    assert not [line for line in sources if not line.startswith(("出典：", "出典（同上）："))], sources
    assert not [line for line in sources if re.search(r"\(同上\)|[）)]\s*（", line)], sources
    window.game.close()


def facts_by_id(fact_id: str):
    from game.scenario.reference import facts

    return facts()[fact_id]


def test_an_event_names_a_source_two_of_its_facts_share_once(app):
    """2025-licensing's April licences cite two facts from one Holland & Knight alert; with the
    second's note kept for later, the page gave the alert twice, one line under the other."""
    _to_events_page(app, "2025-licensing")
    press(app, pygame.K_RETURN)
    press(app, pygame.K_RETURN)
    page = app.top
    assert isinstance(page, EventScene) and str(page.events[0].quarter) == "2025Q2"
    [section] = [text for source, text in _event_sections(page).items()
                 if source.startswith("cn_2025_apr, cn_2025_apr_elements")]
    assert section.count("Source:") == 1


def test_tells_the_future_reads_years_not_other_numbers():
    assert tells_the_future("prices fell back by 2013", 2011)
    assert not tells_the_future("prices peaked in 2011 at US$2,012/kg", 2011)
    assert not tells_the_future("14,446 t in the first batch", 2010)
    # A month of the same year after the quarter, in English and in Japanese.
    assert tells_the_future("Oct 2025 added Ho, Er, Tm, Eu, Yb", 2025, 6)
    assert tells_the_future("2025年10月にHo、Er、Tm、Eu、Ybが加わり", 2025, 6)
    assert not tells_the_future("Oct 2025 added Ho, Er, Tm, Eu, Yb", 2025, 12)
    assert not tells_the_future("announced in March 2025", 2025, 3)


def test_a_data_folder_that_cannot_be_written_never_stops_the_game(tmp_path, monkeypatch):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the data folder's parent should be", encoding="utf-8")
    monkeypatch.setenv("RARE_EARTHS_DATA", str(blocker / "data"))
    app = open_app(settings=Settings(sound=False))
    app.frame([])
    press(app, pygame.K_RETURN)  # the title's first choice: the campaign
    app.switch("briefing", level_ref="2010-trawler")
    app.frame([])
    press(app, pygame.K_RETURN)  # Start
    turns = 0
    while not isinstance(app.top, DebriefScene):
        press(app, pygame.K_RETURN)  # events, the tutorial's steps (its end writes progress), End turn
        turns += 1
        assert turns < 200
    assert app.game.session.is_over
    assert app.game.autosave_error is not None and "blocker" in app.game.autosave_error
    app.settings.language = "ja"
    app.apply_settings()  # a settings change says it could not keep them, and uses them
    assert app.language.code == "ja" and app.notice is not None and app.notice[1] == "error"
    app.frame([pygame.event.Event(pygame.QUIT)])
    assert not app.running
    app.game.close()


def test_the_turn_kept_in_memory_is_saved_once_the_folder_takes_it_again(tmp_path, monkeypatch):
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("RARE_EARTHS_DATA", str(blocker / "data"))
    app = open_app(settings=Settings(sound=False, warn_before_end=False))
    start_level(app, "2010-trawler", seed=3)
    press(app, pygame.K_RETURN)
    while not on_turn_screen(app):
        press(app, pygame.K_RETURN)
    assert app.game.autosave_error is not None
    assert app.notice is not None and "Autosave failed" in app.notice[0]
    blocker.unlink()  # the folder can be made again
    press(app, pygame.K_RETURN)
    assert app.game.autosave_error is None
    saved, _ = load_text((blocker / "data" / "saves" / storage.AUTOSAVE).read_text(encoding="utf-8"))
    assert saved.world.turns_done == app.game.world.turns_done
    saved.close()
    app.game.close()


_WRITER = """
import sys
from game.ui.play import Game
game = Game("2010-trawler", seed=int(sys.argv[1]))
for _ in range(int(sys.argv[2])):
    game.autosave()
game.end_turn()
game.close()
"""


def test_two_copies_of_the_game_on_one_folder_never_leave_an_unreadable_save(data_dir):
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "RARE_EARTHS_DATA": str(data_dir)}
    writers = [subprocess.Popen([sys.executable, "-c", _WRITER, str(seed), "60"], env=env, cwd=REPO_ROOT,
                                stderr=subprocess.PIPE, text=True) for seed in (1, 2)]
    autosave = data_dir / "saves" / storage.AUTOSAVE
    reads = 0
    deadline = time.monotonic() + 120
    while any(w.poll() is None for w in writers) and time.monotonic() < deadline:
        if autosave.is_file():
            json.loads(autosave.read_text(encoding="utf-8"))  # whole, every time it is read
            reads += 1
    for writer in writers:
        _, errors = writer.communicate(timeout=120)
        assert writer.returncode == 0, errors
    assert reads > 0
    saved, _ = load_text(autosave.read_text(encoding="utf-8"))
    saved.close()
    assert not list((data_dir / "saves").glob("*.partial"))
    # Every file there is a whole autosave (one of its own, if a game found autosave.json taken).
    for path in (data_dir / "saves").glob("*.json"):
        assert storage.is_autosave(path), path.name
        game, _ = load_text(path.read_text(encoding="utf-8"))
        assert game.world.turns_done == 1
        game.close()


def _autosaves(folder):
    return sorted(p.name for p in folder.glob("*.json"))


def _seed_in(path):
    game, _ = load_text(path.read_text(encoding="utf-8"))
    game.close()
    return game.seed


def test_a_new_game_never_writes_over_another_games_autosave(data_dir):
    first, second = Game("2010-trawler", seed=1), Game("2010-trawler", seed=2)
    saves = data_dir / "saves"
    first.autosave()
    first.autosave()  # its own file, written again
    assert _autosaves(saves) == [storage.AUTOSAVE]
    second.autosave()  # a new game (a new level started, or a second window): a file of its own
    assert _autosaves(saves) == ["autosave-2.json", storage.AUTOSAVE]
    assert _seed_in(saves / storage.AUTOSAVE) == 1 and _seed_in(saves / "autosave-2.json") == 2
    assert storage.newest_autosave() == saves / "autosave-2.json"  # what Continue opens
    first.end_turn()
    assert storage.newest_autosave() == saves / storage.AUTOSAVE
    second.autosave()
    assert len(_autosaves(saves)) == 2  # no new file each turn
    assert storage.autosave_number(saves / "autosave-2.json") == 2
    assert storage.autosave_number(saves / storage.AUTOSAVE) == 1
    # a save of a level of the player's own called "autosave" is no autosave
    assert storage.autosave_number(next(storage.dated_names(storage.saves_dir(), ("autosave", "2011Q1"), ".json"))) is None
    first.close()
    second.close()


def test_only_the_newest_games_autosaves_are_kept_and_a_game_whose_file_went_saves_anew(data_dir):
    saves = data_dir / "saves"
    first = Game("2010-trawler", seed=0)
    first.autosave()
    kept = saves / first.save()  # a save the player made is never forgotten
    for seed in range(1, storage.AUTOSAVES_KEPT + 2):
        game = Game("2010-trawler", seed=seed)
        game.autosave()
        game.close()
    names = [name for name in _autosaves(saves) if name != kept.name]
    assert len(names) == storage.AUTOSAVES_KEPT and kept.exists()
    seeds = sorted(_seed_in(saves / name) for name in names)
    assert seeds == list(range(2, storage.AUTOSAVES_KEPT + 2))  # the two oldest games' files went
    assert _seed_in(storage.newest_autosave()) == storage.AUTOSAVES_KEPT + 1
    first.end_turn()  # still in play, its file gone: it claims a new one and loses nothing
    assert _seed_in(storage.newest_autosave()) == 0
    loaded, _ = load_text(storage.newest_autosave().read_text(encoding="utf-8"))
    assert loaded.world.turns_done == 1
    loaded.close()
    first.close()


def test_twenty_five_minutes_of_play_leave_three_autosaves_and_every_other_file(data_dir):
    """Eight autosaves piled up in 25 minutes of play (a game a level tried, restarted, a save
    loaded and played on), burying the player's own saves on the Load screen. The newest three
    games' stay; a save made by hand and files the game did not name as autosaves never go."""
    saves = data_dir / "saves"
    saves.mkdir(parents=True, exist_ok=True)
    others = ["autosave-notes.json", "autosave-1.json", "autosave-02.json", "my-autosave.json", "autosave.json.bak"]
    for name in others:
        (saves / name).write_text("{}", encoding="utf-8")
    (saves / "autosave-40.json").mkdir()  # a folder that took an autosave's name is no autosave either
    first = Game("2010-trawler", seed=0)
    first.end_turn()
    by_hand = saves / first.save()
    first.close()
    levels = ["2010-trawler", "2011-spike", "2010-trawler", "2012-wto", "2011-spike", "2013-mud", "2012-wto"]
    for seed, level in enumerate(levels, start=1):
        game = Game(level, seed=seed)
        game.end_turn()
        game.close()
    autosaves = [path for path in saves.iterdir() if storage.is_autosave(path) and path.is_file()]
    assert len(autosaves) == 3
    assert sorted(_seed_in(path) for path in autosaves) == [5, 6, 7]
    assert by_hand.is_file() and all((saves / name).read_text(encoding="utf-8") == "{}" for name in others)
    assert (saves / "autosave-40.json").is_dir()


def test_autosaves_dated_in_the_future_never_push_out_the_game_just_played(data_dir):
    """The clean-up went by file date alone: after a clock that ran ahead (or files copied from a
    machine whose clock did), a new game's autosave was removed the moment it was written, and
    Continue opened an old game."""
    saves = data_dir / "saves"
    ahead = time.time() + 86_400
    for seed in range(storage.AUTOSAVES_KEPT):
        game = Game("2010-trawler", seed=seed)
        game.autosave()
        os.utime(game._autosave_path, (ahead + seed, ahead + seed))
        game.close()
    played = Game("2010-trawler", seed=50)
    played.end_turn()
    assert played._autosave_path.exists() and _seed_in(storage.newest_autosave()) == 50
    another = Game("2010-trawler", seed=51)
    another.autosave()
    assert played._autosave_path.exists() and _seed_in(storage.newest_autosave()) == 51
    # The two games dated rightly stay; of those dated ahead, the two dated earliest went.
    kept = sorted(_seed_in(saves / name) for name in _autosaves(saves))
    assert kept == [*range(2, storage.AUTOSAVES_KEPT), 50, 51]
    for game in (played, another):
        game.close()


def test_a_loaded_autosave_goes_on_in_its_own_file_and_a_loaded_save_is_left_alone(data_dir):
    saves = data_dir / "saves"
    game = Game("2010-trawler", seed=1)
    game.autosave()
    kept = saves / game.save()  # a save the player made
    game.close()
    kept_bytes = kept.read_bytes()
    for _ in range(2):  # Continue, a turn, quit; and again
        game = Game.from_file(storage.newest_autosave())
        game.end_turn()
        game.close()
    assert _autosaves(saves) == sorted([kept.name, storage.AUTOSAVE])
    loaded, _ = load_text((saves / storage.AUTOSAVE).read_text(encoding="utf-8"))
    assert loaded.world.turns_done == 2
    loaded.close()
    game = Game.from_file(kept)  # the player's own save: played on, it autosaves beside it
    game.end_turn()
    game.close()
    assert kept.read_bytes() == kept_bytes
    assert _autosaves(saves) == sorted([kept.name, storage.AUTOSAVE, "autosave-2.json"])
    assert storage.newest_autosave() == saves / "autosave-2.json"


def test_two_windows_that_continue_one_autosave_keep_both_games(data_dir):
    saves = data_dir / "saves"
    game = Game("2010-trawler", seed=1)
    game.autosave()
    game.close()
    one, two = Game.from_file(saves / storage.AUTOSAVE), Game.from_file(saves / storage.AUTOSAVE)
    one.end_turn()  # the file is as ``one`` loaded it: it goes on there
    two.end_turn()
    two.end_turn()  # ``two`` finds it written by the other window and moves out
    one.end_turn()
    assert _autosaves(saves) == ["autosave-2.json", storage.AUTOSAVE]
    for name, turns in ((storage.AUTOSAVE, 2), ("autosave-2.json", 2)):
        loaded, _ = load_text((saves / name).read_text(encoding="utf-8"))
        assert loaded.world.turns_done == turns
        loaded.close()
    one.close()
    two.close()


def test_continue_skips_an_empty_claimed_name_a_dangling_link_and_a_folder(data_dir):
    saves = data_dir / "saves"
    assert storage.newest_autosave() is None
    saves.mkdir(parents=True)
    (saves / "autosave-3.json").write_bytes(b"")  # a name claimed by a game that could not write
    if hasattr(os, "symlink"):
        os.symlink(saves / "nowhere.json", saves / "autosave-4.json")
    (saves / "autosave-5.json").mkdir()  # a folder that took the name
    assert storage.newest_autosave() is None
    game = Game("2010-trawler", seed=1)
    game.autosave()
    game.close()
    assert storage.newest_autosave() == saves / storage.AUTOSAVE


def test_a_failed_write_leaves_the_old_file_and_no_stray_temporary(tmp_path, monkeypatch):
    target = tmp_path / "settings.json"
    storage.write_atomically(target, "old")

    def full_disk(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError):
        storage.write_atomically(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]


def test_no_sound_device_is_one_line_and_never_tried_again(monkeypatch, capsys):
    tries = []

    def no_device(*args, **kwargs):
        tries.append(1)
        raise pygame.error("Couldn't open audio device: No such file or directory")

    monkeypatch.setattr(pygame.mixer, "get_init", lambda: None)
    monkeypatch.setattr(pygame.mixer, "init", no_device)
    click = sound.ClickSound()
    for _ in range(20):
        click.play()
    assert len(tries) == 1 and not click.available
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("rare-earths: no sound (")


def test_an_idle_screen_is_not_drawn_again(app, monkeypatch):
    start_level(app)
    drawn = []
    original = app.draw
    monkeypatch.setattr(app, "draw", lambda: (drawn.append(time.monotonic()), original()))
    pygame.time.set_timer(pygame.QUIT, 2500, loops=1)
    began = time.monotonic()
    app.run()
    # Frames come for the settling time after the start, then none until the quit: at 60 a
    # second that is at most about 50, against 150 for a loop that always draws.
    assert len(drawn) <= 60
    assert not [t for t in drawn if 1.2 < t - began < 2.4]


def test_the_first_level_in_japanese_at_200_percent_breaks_no_line_before_a_closing_mark(tmp_path, monkeypatch):
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    app = open_app((2560, 1440), settings=Settings(language="ja", scale=2.0, sound=False))
    app.frame([])
    bad: list[str] = []
    press(app, pygame.K_RETURN)  # the title's first choice: the campaign
    press(app, pygame.K_SPACE)  # the first level's briefing
    bad += badly_broken_lines(app)
    press(app, pygame.K_RETURN)  # Start
    presses = 0
    while not isinstance(app.top, DebriefScene):
        bad += badly_broken_lines(app)
        if on_turn_screen(app) and presses % 3 == 0:
            press(app, pygame.K_s)  # the supply panel, now and then
            press(app, pygame.K_o)  # and the objectives
            bad += badly_broken_lines(app)
            press(app, pygame.K_ESCAPE)
            press(app, pygame.K_s)
        press(app, pygame.K_RETURN)
        presses += 1
        assert presses < 200
    bad += badly_broken_lines(app)
    assert app.game.session.is_over
    assert not bad, "\n".join(bad)
    app.game.close()


def test_a_news_line_that_breaks_pygame_guis_line_breaker_is_shown_in_plain_lines(app):
    """pygame_gui raises 'Row longer than layout' on a word wider than the box followed by
    stacked combining marks, when it lays the text out and again later, inside a frame (a
    level may name a firm so: both are printable). The box shows the words in lines of its own."""
    zalgo = "Z\u0337\u0322\u031b\u031ba\u0336\u0347\u0347l\u0338\u0328g\u0337\u0359o\u0334\u035a"
    html = f"<font color='#4fb3bf'>[project]</font> {'W' * 300} approves {zalgo}'s project"
    scene = app.top
    box = scene.text_box(pygame.Rect(776, 432, 496, 236), html, "#card")
    for _ in range(3):
        box.rebuild()
        box.set_dimensions((460, 236))
        app.frame([])
    assert "approves" in box.html_text and "W" * 20 in box.html_text


def test_stepping_a_lever_lets_the_old_panels_buttons_go(app):
    """Each step of a lever builds its panel again. The old panel's buttons left the focus order
    and the texts, but stayed in the tooltips, each keeping its images and the scene it was
    built for: 600 steps held 7,800 dead buttons and 2.4 GB."""
    start_level(app)
    scene = app.top
    before = len(scene.tips)
    for step in range(40):
        arrow = "▶" if step % 2 == 0 else "◀"
        shown = [f.element for f in scene.focusables
                 if f.element.text == arrow and f.element.is_enabled and f.element.visible]
        click_at(app, shown[step % len(shown)].get_abs_rect().center)
    assert len(scene.tips) == before
    assert all(button.alive() for button, _ in scene.tips)


#: The longest a window may run on after a stop signal before a test says it was lost.
STOP_SECONDS = 30.0


def window_runs_at_most(app, monkeypatch, seconds: float = STOP_SECONDS) -> threading.Timer:
    """``app.run()`` ends within ``seconds`` or fails saying so: a window whose stop signal was
    lost (one its process ignored) drew its frame and then slept in the event queue for ever, so
    an event is posted at the deadline to wake it (the caller cancels the timer after)."""
    deadline = time.monotonic() + seconds
    drawn = app.frame

    def frame_before_the_deadline(events, dt=1 / 60):
        if time.monotonic() > deadline:
            raise AssertionError(f"the window ran on {seconds:.0f} s after its stop signal")
        drawn(events, dt)

    monkeypatch.setattr(app, "frame", frame_before_the_deadline)
    waker = threading.Timer(seconds + 0.5, lambda: pygame.event.post(pygame.event.Event(pygame.USEREVENT)))
    waker.daemon = True
    waker.start()
    return waker


@pytest.mark.usefixtures("stop_signals_as_from_a_terminal")
def test_ctrl_c_in_the_terminal_closes_the_window_and_autosaves_the_turn_in_play(data_dir, monkeypatch):
    """Ctrl+C where the game was started closes the window as its close button does, between
    frames: the level in play is autosaved with this turn's actions, the handler it replaced is
    back, and the command hears why it stopped."""
    import signal

    from game.actions import Material, ReleaseStockpile

    app = open_app(settings=Settings(sound=False, warn_before_end=False))
    app.progress.tutorial_done = True
    app.start_game(Game("2010-trawler", seed=5), "turn")
    app.frame([])
    assert app.game.submit(ReleaseStockpile(Material.DYTB, 10.0)).accepted
    handler_before = signal.getsignal(signal.SIGINT)
    # Sent from inside the loop's first frame, where the window's handler is in place for sure.
    app.later(lambda: os.kill(os.getpid(), signal.SIGINT))
    waker = window_runs_at_most(app, monkeypatch)
    with pytest.raises(KeyboardInterrupt, match="autosaved"):
        app.run()
    waker.cancel()
    assert app.interrupted and not app.running
    assert signal.getsignal(signal.SIGINT) is handler_before
    saved, _ = load_text((data_dir / "saves" / storage.AUTOSAVE).read_text(encoding="utf-8"))
    assert [record.action for record in saved.actions] == [ReleaseStockpile(Material.DYTB, 10.0)]
    saved.close()
    app.game.close()


@pytest.mark.parametrize("size", [(1, 1), (50, 50), (300, 40), (1000, 20)])
def test_a_window_made_smaller_than_its_least_size_draws_at_that_size_and_plays_on(app, size):
    """Where the desktop does not hold the window at its minimum (the minimum was not set on
    pygame-ce 2.5, and a tiling window manager may not honour it), a short window crashed the
    turn screen ("Invalid resolution for Surface") and the turn's actions were lost."""
    from game.ui.app import MIN_SIZE, display_window

    window = display_window()
    assert window.minimum_size == MIN_SIZE
    start_level(app)
    window.minimum_size = (1, 1)  # as a desktop that does not hold it
    window.size = size
    app.frame([pygame.event.Event(pygame.VIDEORESIZE, size=size, w=size[0], h=size[1])])
    assert (app.w, app.h) == (max(MIN_SIZE[0], size[0]), max(MIN_SIZE[1], size[1]))
    assert pygame.display.get_surface().get_size() == size
    app._show()  # the whole frame, shrunk into the small window
    quarter = app.game.world.quarter
    press(app, pygame.K_RETURN)  # End turn still ends the turn
    while not on_turn_screen(app):
        press(app, pygame.K_RETURN)
    assert app.game.world.quarter == quarter + 1


def test_a_window_smaller_than_its_least_size_shows_all_of_the_screen_and_takes_clicks_on_it(app):
    """Shrunk, not cut: the window showed the screens' top left, so End turn (bottom right)
    and the rest of the right and the bottom could not be seen or clicked."""
    from game.ui.app import display_window

    window = display_window()
    start_level(app)
    window.minimum_size = (1, 1)  # as a desktop that does not hold it
    for size in ((640, 360), (400, 300)):
        window.size = size
        app.frame([pygame.event.Event(pygame.VIDEORESIZE, size=size, w=size[0], h=size[1])])
        app._show()
        shown = pygame.display.get_surface()
        # The screen's background reaches the window's far corner (on the short side's edge).
        fitted = (round(app.w / app.view_scale), round(app.h / app.view_scale))
        assert fitted[0] <= size[0] and fitted[1] <= size[1] and min(size[0] - fitted[0], size[1] - fitted[1]) <= 1
        assert shown.get_at((fitted[0] - 1, fitted[1] - 1))[:3] != (0, 0, 0)
        end_turn = app.top.end_button.get_abs_rect().center
        quarter = app.game.world.quarter
        click_at(app, (round(end_turn[0] / app.view_scale), round(end_turn[1] / app.view_scale)))
        assert app.game.world.quarter == quarter + 1 or not on_turn_screen(app)
        while not on_turn_screen(app):
            press(app, pygame.K_RETURN)
    window.size = (1280, 720)
    app.frame([pygame.event.Event(pygame.VIDEORESIZE, size=(1280, 720), w=1280, h=720)])
    assert app.view_scale == 1.0 and app.pointer((100, 200)) == (100, 200)
    window.size = (1280, 720)
    app.frame([pygame.event.Event(pygame.VIDEORESIZE, size=(1280, 720), w=1280, h=720)])
    assert (app.w, app.h) == (1280, 720) and app.screen is pygame.display.get_surface()


def test_an_error_that_stops_the_window_autosaves_the_level_in_play(app, data_dir, monkeypatch):
    """Nothing is lost when the window fails: the level in play is autosaved with this turn's
    actions, and the error says so."""
    start_level(app)
    press(app, pygame.K_1)
    focus_and_press(app, "Take action")  # release stockpile
    taken = [r.action for r in app.game.session.this_turns_actions()]
    assert taken

    def broken(events, dt=1 / 60):
        raise RuntimeError("a fault in a frame")

    monkeypatch.setattr(app, "frame", broken)
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_a))
    with pytest.raises(RuntimeError) as raised:
        app.run()
    assert raised.value.__notes__ == ["the level in play is autosaved (Continue opens it)"]
    session, _ = load_text((data_dir / "saves" / storage.AUTOSAVE).read_text(encoding="utf-8"))
    assert [r.action for r in session.this_turns_actions()] == taken
    session.close()


def test_an_error_partway_through_a_turn_keeps_the_last_good_autosave(app, data_dir, monkeypatch):
    """A world stopped partway through its quarter no longer matches the actions recorded: a
    save of it would not replay, so the autosave before it is kept, and nothing writes over it."""
    start_level(app)
    press(app, pygame.K_RETURN)  # one turn played and autosaved
    while not on_turn_screen(app):
        press(app, pygame.K_RETURN)
    autosave = data_dir / "saves" / storage.AUTOSAVE
    good = autosave.read_bytes()

    def broken_phase():
        raise RuntimeError("a fault in a phase")

    monkeypatch.setattr(app.game.world.exchange, "run", broken_phase)
    with pytest.raises(RuntimeError):
        app.game.end_turn()
    assert app.game.session.cut_short
    monkeypatch.setattr(app, "frame", lambda events, dt=1 / 60: (_ for _ in ()).throw(RuntimeError("and then")))
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_a))
    with pytest.raises(RuntimeError) as raised:
        app.run()
    assert "stopped partway through a turn" in raised.value.__notes__[0]
    app.quit()  # and closing never writes it either
    assert autosave.read_bytes() == good


@pytest.mark.usefixtures("stop_signals_as_from_a_terminal")
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP])
def test_a_kill_or_a_closed_terminal_closes_the_window_and_autosaves_the_turn(app, data_dir, monkeypatch, stop):
    """Closing the terminal the game was started from (SIGHUP) ended it at once: no autosave,
    and the turn's actions were lost. It now closes the window as Ctrl+C does."""
    from game.interrupts import Stopped

    start_level(app)
    press(app, pygame.K_1)
    focus_and_press(app, "Take action")  # release stockpile
    taken = [r.action for r in app.game.session.this_turns_actions()]
    waker = window_runs_at_most(app, monkeypatch)
    drawn = app.frame

    def frame_then_stop(events, dt=1 / 60):
        drawn(events, dt)
        if not app.interrupted:
            os.kill(os.getpid(), stop)

    monkeypatch.setattr(app, "frame", frame_then_stop)
    pygame.event.post(pygame.event.Event(pygame.USEREVENT))  # a frame to draw
    with pytest.raises(Stopped) as raised:
        app.run()
    waker.cancel()
    assert raised.value.signum == stop and str(raised.value) == "the level in play is autosaved (Continue opens it)"
    session, _ = load_text((data_dir / "saves" / storage.AUTOSAVE).read_text(encoding="utf-8"))
    assert [r.action for r in session.this_turns_actions()] == taken
    session.close()
    assert signal.getsignal(stop) is not None  # the handler it replaced is back


def test_an_error_in_the_next_quarters_events_keeps_the_last_good_autosave(app, data_dir, monkeypatch):
    """End turn opens the next quarter (its events) after the world's step: an error there left
    the session unmarked, the autosave was replaced by one that did not replay, and Continue
    then crashed the window."""
    start_level(app)
    press(app, pygame.K_RETURN)
    while not on_turn_screen(app):
        press(app, pygame.K_RETURN)
    autosave = data_dir / "saves" / storage.AUTOSAVE
    good = autosave.read_bytes()
    events_fail_from(monkeypatch, 2)
    with pytest.raises(RuntimeError):
        app.game.end_turn()
    assert app.game.session.cut_short
    app.quit()
    assert autosave.read_bytes() == good


def test_a_window_and_its_least_size_are_never_larger_than_the_desktop(monkeypatch):
    """On a desktop smaller than the window (an 800x450 screen without a window manager) the
    window opened at 1280x720, or grew to its 1024x576 minimum, and showed only part of the
    screens: End turn out of reach. Screens larger than the window are shrunk into it."""
    from game.ui import app as app_module

    monkeypatch.setattr(pygame.display, "get_driver", lambda: "x11")
    monkeypatch.setattr(pygame.display, "get_desktop_sizes", lambda: [(800, 450)])
    assert app_module._within_the_desktop((1280, 720)) == (800, 450)
    assert app_module._within_the_desktop(app_module.MIN_SIZE) == (800, 450)
    monkeypatch.setattr(pygame.display, "get_desktop_sizes", lambda: [(2560, 1440)])
    assert app_module._within_the_desktop((1280, 720)) == (1280, 720)
    monkeypatch.setattr(pygame.display, "get_driver", lambda: "dummy")  # no screen, no desktop to fit
    monkeypatch.setattr(pygame.display, "get_desktop_sizes", lambda: [(800, 450)])
    assert app_module._within_the_desktop((1280, 720)) == (1280, 720)


def _scrolling_boxes(app) -> list:
    """The text boxes of the screen on top (of a dialog's box, if it is one) with more text than
    they show, in the order they were made."""
    container = app.top.box.get_container() if app.top.modal else app.ui.get_root_container()
    return [element for element in app.ui.get_sprite_group().sprites()
            if isinstance(element, UITextBox) and element.alive() and element.scroll_bar is not None
            and element.ui_container is container]


def test_the_keys_scroll_the_quarters_events_as_the_wheel_does(tmp_path, monkeypatch):
    """In Japanese at 200% most of 2010Q3's events are below the box's bottom, and only the
    wheel reached them: Page Down, Down, Up, Page Up, Home and End did nothing."""
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    app = open_app((2560, 1440), settings=Settings(language="ja", scale=2.0, sound=False))
    app.progress.tutorial_done = True
    app.start_game(Game("2010-trawler", seed=0), "turn")
    app.frame([])
    assert isinstance(app.top, EventScene)
    [box] = _scrolling_boxes(app)
    bar = box.scroll_bar
    end = 1.0 - bar.visible_percentage

    press(app, pygame.K_PAGEDOWN)
    page = bar.start_percentage
    assert 0.0 < page < end
    press(app, pygame.K_DOWN)
    assert page < bar.start_percentage < end
    press(app, pygame.K_UP)
    assert bar.start_percentage == pytest.approx(page, abs=1e-3)
    press(app, pygame.K_END)
    assert bar.start_percentage == pytest.approx(end, abs=1e-3)
    press(app, pygame.K_DOWN)  # at the end it stays there
    assert bar.start_percentage == pytest.approx(end, abs=1e-3)
    press(app, pygame.K_PAGEUP)
    assert 0.0 < bar.start_percentage < end
    press(app, pygame.K_HOME)
    assert bar.start_percentage == 0.0
    assert isinstance(app.top, EventScene) and app.game.world.turns_done == 0
    app.game.close()


def _at_end(box) -> bool:
    return box.scroll_bar.start_percentage >= 1.0 - box.scroll_bar.visible_percentage - 1e-3


@pytest.mark.parametrize("screen", ["briefing", "debrief"])
def test_the_keys_read_a_two_column_page_left_column_first_and_left_and_right_still_move(tmp_path, monkeypatch,
                                                                                          screen):
    """2023-tech-ban's briefing and debrief in Japanese at 200% run past both their boxes (the
    briefing at 1920x1080: at 2560x1440 its sources, numbered once each since, fit their box)."""
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    size = (1920, 1080) if screen == "briefing" else (2560, 1440)
    app = open_app(size, settings=Settings(language="ja", scale=2.0, sound=False))
    if screen == "briefing":
        app.switch("briefing", level_ref="2023-tech-ban")
    else:
        app.start_game(Game("2023-tech-ban", seed=0), "turn")
        while not app.game.session.is_over:
            app.game.end_turn()
        app.switch("debrief")
    app.frame([])
    left, right = _scrolling_boxes(app)
    assert left.rect.x < right.rect.x
    focus = app.top.focus
    presses = 0
    while not _at_end(left):
        assert right.scroll_bar.start_percentage == 0.0, "the right column waits for the left one's end"
        press(app, pygame.K_PAGEDOWN)
        presses += 1
        assert presses < 20
    press(app, pygame.K_DOWN)
    assert right.scroll_bar.start_percentage > 0.0
    press(app, pygame.K_UP)
    press(app, pygame.K_UP)  # the right column back to its top first, then the left one up
    assert right.scroll_bar.start_percentage == 0.0 and not _at_end(left)
    assert app.top.focus == focus, "Up and Down scroll the page here, and leave the focus be"
    # End and Home, like Page Down and Page Up, go through the column being read, then the next:
    # End took both columns to their ends while Page Down moved the left one alone.
    press(app, pygame.K_END)
    assert _at_end(left) and right.scroll_bar.start_percentage == 0.0
    press(app, pygame.K_END)
    assert _at_end(left) and _at_end(right)
    press(app, pygame.K_HOME)
    assert _at_end(left) and right.scroll_bar.start_percentage == 0.0
    press(app, pygame.K_HOME)
    assert left.scroll_bar.start_percentage == right.scroll_bar.start_percentage == 0.0
    press(app, pygame.K_LEFT)
    assert app.top.focus != focus
    if app.game is not None:
        app.game.close()


def test_the_turn_screens_news_scrolls_by_page_keys_and_home_end_while_the_arrows_move(app):
    """The news of 2010Q3 runs past its box, and only the wheel reached the rest of it; the
    arrows stay with the levers."""
    from game.ui.help import shown_keys

    start_level(app, "2010-trawler", seed=1)
    [box] = app.top.reading
    scrolls_by_page_keys_and_home_end(app, box)
    focus = app.top.focus
    press(app, pygame.K_DOWN)
    assert box.scroll_bar.start_percentage == 0.0 and app.top.focus != focus
    assert "the news" in dict(shown_keys(app))["Page Up / Page Down, wheel"]


def test_the_negotiations_text_scrolls_by_page_keys_and_home_end_and_its_help_says_so(tmp_path, monkeypatch):
    """In Japanese at 200% the talks' limits, price hint and answer run past their box, and only
    the wheel reached the rest; the arrows still move between the terms' buttons."""
    from game.ui.help import shown_keys

    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    app = open_app(settings=Settings(language="ja", scale=2.0, sound=False, warn_before_end=False))
    start_level(app, "2010-trawler", seed=1)
    app.push("negotiation")
    app.frame([])
    [box] = app.top.reading
    scrolls_by_page_keys_and_home_end(app, box)
    focus = app.top.focus
    press(app, pygame.K_DOWN)
    assert box.scroll_bar.start_percentage == 0.0 and app.top.focus != focus
    assert app.tr("Scroll the terms and the seller's answer") in dict(shown_keys(app)).values()
    app.game.close()


def test_the_amount_dialogs_text_scrolls_by_page_keys_while_the_field_keeps_home_and_end(tmp_path, monkeypatch):
    """An amount whose limits and need take many words runs past its box at 200%, and only the
    wheel reached the rest; Home and End still move in the number typed."""
    from dataclasses import replace

    from game.ui.help import shown_keys

    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    app = open_app(settings=Settings(language="ja", scale=2.0, sound=False, warn_before_end=False))
    start_level(app, "2010-trawler", seed=1)
    tonnes = LEVER_BY_KIND["release_stockpile"].choices[1]
    why = " ".join(["Japan's yearly use not under contract"] * 12)
    wordy = replace(tonnes, amount=replace(tonnes.amount, need=lambda world, values: (100.0, why)))
    app.push("amount", title="Release stockpile", choice=wordy, world_values={"material": Material.NDPR},
             value=100.0, on_set=lambda value: None)
    app.frame([])
    [box] = app.top.reading
    bar = box.scroll_bar
    assert bar is not None, "the text fits: the test needs more of it"
    entry = app.top.entry
    press(app, pygame.K_PAGEDOWN)
    assert bar.start_percentage > 0.0 and entry.is_focused
    press(app, pygame.K_PAGEUP)
    assert bar.start_percentage == 0.0
    press(app, pygame.K_HOME)
    assert entry.edit_position == 0 and bar.start_percentage == 0.0
    assert app.tr("Scroll the text above the field") in dict(shown_keys(app)).values()
    app.game.close()
