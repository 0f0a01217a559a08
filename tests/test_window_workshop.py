"""The workshop in the window: a class's game set up from the title screen and played on the hot
seat to its end with clicks and keys (each team fills in a lever's form and ends its quarters;
the facilitator starts, reveals, brings an event forward, pauses and resumes, and saves the
results), in English and in Japanese at 200% in a small window without a text running out of
its box; a team's window on a table that lost its connection says so; the facilitator's own
window opens on its panel. Driven with posted input on the dummy video driver."""

from __future__ import annotations

import json
import os
import re

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pygame
import pytest

from game.objectives import NOT_MEASURED, NOT_MEASURED_AT_ALL
from game.research.runner import scenario_for
from game.ui.app import open_app
from game.ui.driver import (
    badly_broken_lines,
    click,
    click_at,
    find_button,
    overflowing,
    press,
)
from game.ui.scenes.facilitator import FLAG_LABELS
from game.ui.scenes.projector import ProjectorScene, card_figures
from game.ui.scenes.workshop_setup import FLAG_NAMES
from game.ui.storage import Settings
from game.ui.strings import table
from game.ui.text import escape
from game.ui import workshop_view
from game.ui.workshop_levers import AMOUNT_SPECS
from game.ui.workshop_window import open_facilitator_app, open_hotseat_app, open_team_app
from game.ui.workshop_words import FIELD_LABELS, FIGURES, WorkshopWords, figure_text
from game.workshop.classroom import Workshop, WorkshopError
from game.workshop.results import read_results, results_text
from reading_keys import scrolls_by_page_keys_and_home_end
from game.workshop.table import LocalTable
from game.workshop.views import LENDING_LIMIT, NOTHING_TO_BORROW, OFFTAKE_BOUGHT
from game.world.indicators import company_row
from game.world.supply_report import supply_report


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path / "data"))
    return tmp_path / "data"


class Layout:
    """What a test saw run out of its box or break a line where Japanese never does."""

    def __init__(self, app):
        self.app = app
        self.problems: list[str] = []

    def check(self) -> None:
        self.app.frame([])
        self.problems += list(overflowing(self.app.top))
        self.problems += list(badly_broken_lines(self.app))


def type_text(app, text: str) -> None:
    for ch in text:
        app.frame([pygame.event.Event(pygame.TEXTINPUT, text=ch)])


def button_starting(app, prefix: str):
    return next(f.element for f in app.top.focusables if f.element.text.startswith(prefix) and f.element.is_enabled)


def choose_lever(app, kind: str) -> None:
    """Pick a lever from the list (a compact seat: from the list its name opens)."""
    team = app.top
    label = {form["kind"]: app.tr(form["label"]) for form in team.view["levers"]}
    if app.compact:
        click(app, label[team.levers.seat.lever])
        assert app.top.name == "pick"
    click(app, label[kind])
    assert app.top is team and team.levers.seat.lever == kind


def done_text(app) -> str:
    return app.tr("Done") if app.compact else app.tr("Done for this quarter")


def done_without_a_lever(app) -> None:
    """Done, where the team sent no lever this quarter: it asks first, and is told yes."""
    assert app.top.name == "confirm"
    click(app, app.tr("Done for this quarter"))


def submit(app) -> dict:
    """Submit the lever, as a player who read the answer to the last one first (the same move
    sent again at once is a double click, and is not sent)."""
    team = app.top
    team.last_sent = None
    before = len(team.view["actions"])
    click(app, app.tr("Submit"))
    assert len(team.view["actions"]) == before + 1, "the lever reached the table"
    return team.last_record


def first_quarter(app, layout: Layout) -> None:
    """Each team fills in a lever's form its own way, and ends its quarter."""
    tr = app.tr
    # Japan: the stockpile release, its tonnes typed in the amount dialog
    press(app, pygame.K_RETURN)
    assert app.top.name == "team" and app.top.role == "JPN"
    layout.check()
    # tonnes: "790 t", in Japanese "790t"
    click(app, next(f.element.text for f in app.top.focusables if re.fullmatch(r"[\d,.]+ ?t", f.element.text)))
    assert app.top.name == "amount"
    layout.check()
    backspace = pygame.event.Event(pygame.KEYDOWN, key=pygame.K_BACKSPACE, mod=0, unicode="", scancode=0)
    for _ in range(6):
        app.frame([backspace, pygame.event.Event(pygame.KEYUP, key=pygame.K_BACKSPACE, mod=0)])
    type_text(app, "40")
    click(app, tr("Set"))
    assert app.top.levers.values(next(f for f in app.top.view["levers"] if f["kind"] == "release_stockpile")) \
        ["tonnes"] == 40
    record = submit(app)
    assert record["kind"] == "release_stockpile" and record["action"]["tonnes"] == 40
    layout.check()
    click(app, done_text(app))
    # China: an export duty on Dy/Tb (the material stepped with ▶)
    assert app.top.name == "handover"
    assert not app.notice, "nothing of Japan's screen is left for China to see"
    press(app, pygame.K_RETURN)
    assert app.top.role == "CHN"
    choose_lever(app, "set_export_duty")
    shown = [f.element.text for f in app.top.focusables]
    material = shown.index(tr("NdPr"))  # named as solo play names it, not 「酸化NdPr」
    assert shown[material + 1] == "▶"
    click_at(app, app.top.focusables[material + 1].element.get_abs_rect().center)
    record = submit(app)
    assert record["action"]["material"] == "dytb"
    layout.check()
    if app.compact:  # every pane of a compact seat, one after the other
        for pane in ("Figures", "Objectives", "News", "Levers"):
            click(app, tr(pane))
            layout.check()
        assert app.top.pane == "levers"
    press(app, pygame.K_RETURN)  # Enter is Done
    # The United States: a WTO case with partners picked from the list
    assert app.top.name == "handover"
    press(app, pygame.K_RETURN)
    assert app.top.role == "USA"
    choose_lever(app, "file_wto_case")
    click(app, tr("none"))
    assert app.top.name == "pick" and app.top.multi
    layout.check()
    click(app, "European Union" if app.settings.language == "en" else "EU")
    click(app, "Japan" if app.settings.language == "en" else "日本")
    click(app, tr("Done"))
    record = submit(app)
    assert record["action"]["partners"] == ["JPN", "EU"]
    layout.check()
    click(app, done_text(app))


def play_hot_seat(app, data_dir) -> list[str]:
    tr = app.tr
    layout = Layout(app)
    click(app, tr("Workshop"))
    assert app.top.name == "workshop_setup"
    layout.check()
    setup = app.top
    assert setup.roles == ["JPN", "CHN", "USA"]
    click_at(app, setup.entries["CHN"].get_abs_rect().center)  # China's team names itself
    type_text(app, "Dragons")
    press(app, pygame.K_TAB)
    click(app, tr("Start the hot seat"))
    assert app.top.name == "class_briefing"  # the level's briefing first, for the class to read
    layout.check()
    press(app, pygame.K_RETURN)
    assert app.top.name == "handover"
    table_ = app.workshop.table
    assert table_.workshop.teams == {"CHN": "Dragons"}
    layout.check()
    # Before the game starts, the way on is the facilitator's: its button is the main one, and
    # Enter opens it (the team's turn was the main button, with its levers waiting).
    assert app.top.focused().element.text == tr("Facilitator (F2)")
    assert app.top.start_button.object_ids[-1] != "#primary"

    # The facilitator starts the game, reveals an event, brings another forward and pauses.
    press(app, pygame.K_F2)
    assert app.top.name == "facilitator"
    layout.check()
    click(app, tr("Start the game"))
    click(app, tr("Reveal events by hand: {state}", state=tr("Off")))
    assert "reveal_events_by_hand" in table_.workshop.flags
    left = table_.facilitator_view()["unrevealed"]
    assert left > 0
    click_at(app, button_starting(app, tr("Reveal the next event ({n} left)", n=left)[:8]).get_abs_rect().center)
    assert table_.facilitator_view()["unrevealed"] == left - 1
    if app.compact:
        click(app, tr("Events"))
    event = table_.facilitator_view()["events"][0]
    click_at(app, app.top.focusables[[f.element.text for f in app.top.focusables].index(
        next(f.element.text for f in app.top.focusables if f.element.text.startswith(
            WorkshopWords.event_date(event, app.settings.language))))].element
        .get_abs_rect().center)
    layout.check()
    click(app, tr("Bring it forward now"))
    assert [e["index"] for e in table_.facilitator_view()["events"]][:1] != [event["index"]]
    if app.compact:
        click(app, tr("Teams"))
        layout.check()
        click(app, tr("Controls"))
    click(app, tr("Pause"))
    assert table_.facilitator_view()["paused"]
    press(app, pygame.K_ESCAPE)
    press(app, pygame.K_RETURN)  # a paused seat shows why nothing can be done
    team = app.top
    assert team.name == "team" and team.status[1] == tr("Paused by the facilitator, who resumes from the hand-over "
                                                        "screen (Esc, then F2).")
    assert not find_button_any(app, done_text(app)).is_enabled
    press(app, pygame.K_ESCAPE)
    press(app, pygame.K_F2)
    click(app, tr("Resume"))
    press(app, pygame.K_ESCAPE)
    assert app.top.name == "handover"

    first_quarter(app, layout)
    assert table_.team_view("JPN")["quarter"] == "2010Q4", "the quarter ran once every team was done"
    # The second quarter: Japan holds talks until its political capital runs out: then Submit
    # is greyed, as the one-player form's Take action is, and says why under it.
    press(app, pygame.K_RETURN)
    choose_lever(app, "hold_talks")
    records = []
    while app.top.levers.submit_button.is_enabled:
        records.append(submit(app))
        assert len(records) < 6
    assert records and all(record["accepted"] for record in records)
    held = float(app.top.view["political_capital"])
    talks = next(form for form in app.top.view["levers"] if form["kind"] == "hold_talks")
    wanting = tr("Needs {capital:g} political capital, {held:g} left", capital=float(talks["capital"]), held=held)
    assert wanting in app.top.levers.shown_under_submit.replace("&amp;", "&")
    layout.check()
    press(app, pygame.K_ESCAPE)  # handed back, choices kept; then Japan comes back and is done
    press(app, pygame.K_RETURN)
    assert app.top.role == "JPN"
    press(app, pygame.K_RETURN)
    # The rest of the game: each team ends its quarters.
    seats = 0
    while app.top.name == "handover" and not table_.facilitator_view()["over"]:
        press(app, pygame.K_RETURN)
        assert app.top.name == "team"
        if seats % 7 == 0:
            layout.check()
        press(app, pygame.K_RETURN)
        seats += 1
        assert seats < 40
    assert table_.facilitator_view()["over"]
    assert app.top.name == "handover" and app.top.heading == tr("Game over")
    app.frame([])
    # saved as soon as the game ended, without a click
    at_end = data_dir / "workshop" / "2010-trawler-class-1.json"
    assert read_results(at_end) == json.loads(json.dumps(table_.results()))
    layout.check()
    click(app, tr("Projector view"))
    layout.check()
    press(app, pygame.K_ESCAPE)
    assert app.top.name == "facilitator"
    click(app, tr("Save results"))  # into the file the class is kept in as it goes: no copy beside it
    assert sorted(p.name for p in at_end.parent.iterdir()) == [at_end.name]
    assert read_results(at_end) == json.loads(json.dumps(table_.results()))
    results = table_.results()
    by_team = {a["nation"] for a in results["actions"] if a["by"] == "team"}
    assert by_team == {"JPN", "CHN", "USA"}
    assert any(a["by"] == "facilitator" and a["accepted"] for a in results["actions"])
    assert results["turns_played"] == 10
    return layout.problems


def find_button_any(app, text: str):
    """A button of the top scene by its text, enabled or not."""
    return next(f.element for f in app.top.focusables if f.element.text == text)


def test_a_hot_seat_class_plays_a_level_to_its_end_and_saves_its_results(data_dir):
    app = open_app((1280, 720), settings=Settings(sound=False, warn_before_end=False))
    app.frame([])
    assert not app.compact
    problems = play_hot_seat(app, data_dir)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_hot_seat_opens_on_the_levels_briefing_then_the_first_hand_over(data_dir, language):
    """``workshop hotseat`` opened on "Team Japan's turn": the facilitator had no briefing of the
    level to show the class first, where a one-player game opens on it. A game going on (from its
    results file) opens at its hand-over, as before."""
    workshop = Workshop(scenario_for("2010-trawler", {}), 3, ("JPN", "CHN", "USA"))
    workshop.start()  # as the command line starts it
    app = open_hotseat_app(LocalTable(workshop), workshop.roles, settings=Settings(sound=False, language=language))
    layout = Layout(app)
    layout.check()
    briefing = app.top
    assert briefing.name == "class_briefing" and briefing.level is workshop.scenario
    assert briefing.teams == ["JPN", "CHN", "USA"]
    assert app.language.pick(workshop.scenario.title) in [box.text for box in briefing.texts]
    assert escape(app.language.pick(workshop.scenario.briefing)[:12]) in briefing.briefing_html
    for code in ("JPN", "CHN", "USA", "AUS", "EU", "KOR"):  # the teams, and who plays the others
        assert escape(WorkshopWords("2010-trawler").nation(code, language)) in briefing.side_html
    assert "Lynas" in briefing.side_html or "ライナス" in briefing.side_html
    assert not re.search(r"[)）] \(", briefing.side_html)  # not "Lynas (a company) (decides for itself)"
    if language == "ja":  # full-width brackets, as Japanese writes them: "オーストラリア（ボット）"
        assert " (" not in briefing.side_html
    assert not layout.problems, layout.problems
    press(app, pygame.K_RETURN)
    assert app.top.name == "handover" and app.top.team == "JPN"
    workshop.submit("JPN", {"kind": "hold_talks", "partner": "CHN"})
    going_on = open_hotseat_app(LocalTable(workshop), workshop.roles, settings=Settings(sound=False))
    going_on.frame([])
    assert going_on.top.name == "handover"


def test_the_hot_seats_briefing_leaves_as_its_hand_over_does_and_opens_the_facilitators_panel(data_dir):
    workshop = Workshop(scenario_for("2010-trawler", {}), 3, ("JPN", "USA"))
    app = open_hotseat_app(LocalTable(workshop), workshop.roles, settings=Settings(sound=False))
    app.frame([])
    press(app, pygame.K_F2)
    assert app.top.name == "facilitator"
    press(app, pygame.K_ESCAPE)  # only a look at the panel: back to the briefing, to project it still
    assert app.top.name == "class_briefing"
    press(app, pygame.K_F2)
    click(app, app.tr("Start the game"))
    press(app, pygame.K_ESCAPE)
    assert app.top.name == "handover"
    briefed = open_hotseat_app(LocalTable(Workshop(scenario_for("2010-trawler", {}), 3, ("JPN",))), ("JPN",),
                               settings=Settings(sound=False))
    briefed.frame([])
    press(briefed, pygame.K_ESCAPE)
    assert briefed.top.name == "confirm"
    assert briefed.top.detail == "Nothing has been played yet: there is nothing to save."
    click(briefed, "Leave")
    assert not briefed.running and briefed.quit_note == ""


def test_a_team_s_turn_waits_for_the_game_to_start_and_f2_reaches_the_panel_from_a_team_s_screen(data_dir):
    """Before the facilitator started the game, Start the turn opened a team's screen where nothing
    could be done, and F2 did nothing there. Now the turn says why it waits, and F2 on a team's
    screen hands it over and opens the facilitator's panel."""
    from game.ui.scenes.handover import NOT_STARTED

    workshop = Workshop(scenario_for("2010-trawler", {}), 3, ("JPN", "USA"))
    app = open_hotseat_app(LocalTable(workshop), ("JPN", "USA"), settings=Settings(sound=False))
    press(app, pygame.K_RETURN)  # past the level's briefing
    assert app.top.name == "handover"
    click_at(app, app.top.start_button.get_abs_rect().center)
    assert app.top.name == "handover" and app.workshop.seated is None
    assert app.notice is not None and app.notice[0] == app.tr(NOT_STARTED)
    press(app, pygame.K_F2)
    click(app, app.tr("Start the game"))
    press(app, pygame.K_ESCAPE)
    press(app, pygame.K_RETURN)
    assert app.top.name == "team" and app.top.role == "JPN"
    press(app, pygame.K_F2)
    assert app.top.name == "facilitator" and app.workshop.seated is None


def test_a_hot_seat_team_name_the_font_cannot_draw_is_refused_before_the_game_starts(data_dir):
    """An emoji or a kanji outside the font's subset in a team's name showed as boxes on every
    screen of the class."""
    app = open_app((1280, 720), settings=Settings(sound=False, warn_before_end=False))
    app.frame([])
    click(app, app.tr("Workshop"))
    setup = app.top
    click_at(app, setup.entries["CHN"].get_abs_rect().center)
    type_text(app, "Dragons \U0001F409\u05e2")
    press(app, pygame.K_TAB)
    click(app, app.tr("Start the hot seat"))
    text, kind, _ = app.notice
    assert kind == "error" and app.top.name == "workshop_setup" and app.workshop is None
    assert text == ("The team name for China cannot be taken: the game's font cannot draw U+1F409, U+05E2: "
                    "choose other characters."), text
    assert setup.names["CHN"] == "Dragons \U0001F409\u05e2"  # kept to be mended
    entry = app.top.entries["CHN"]
    click_at(app, entry.get_abs_rect().center)
    for _ in range(3):
        press(app, pygame.K_BACKSPACE)
    press(app, pygame.K_TAB)
    click(app, app.tr("Start the hot seat"))
    assert app.top.name == "class_briefing" and app.workshop.table.workshop.teams == {"CHN": "Dragons"}


def test_a_hot_seat_team_name_typed_decomposed_is_kept_composed(data_dir):
    """"E" and a combining acute was refused ("cannot draw U+0301") where the server takes it as "É"."""
    app = open_app((1280, 720), settings=Settings(sound=False, warn_before_end=False))
    app.frame([])
    click(app, app.tr("Workshop"))
    click_at(app, app.top.entries["CHN"].get_abs_rect().center)
    type_text(app, "E\u0301quipe")
    press(app, pygame.K_TAB)
    click(app, app.tr("Start the hot seat"))
    assert app.top.name == "class_briefing" and app.workshop.table.workshop.teams == {"CHN": "\u00c9quipe"}


def test_a_hot_seat_team_name_stops_at_the_limit_as_it_is_typed(data_dir):
    """A 93-character name was taken while typing and refused only at Start (the limit is 40).
    Typing stops at the limit now, counted as the name is kept (composed): a name typed with
    its accents apart still takes its 40 letters."""
    from game.workshop.team_names import MAX_TEAM_NAME

    app = open_app((1280, 720), settings=Settings(sound=False, warn_before_end=False))
    app.frame([])
    click(app, app.tr("Workshop"))
    for code, typed, kept in (("CHN", "x" * 93, "x" * MAX_TEAM_NAME),
                              ("USA", "E\u0301" * 45, "E\u0301" * MAX_TEAM_NAME)):
        click_at(app, app.top.entries[code].get_abs_rect().center)
        type_text(app, typed)
        assert app.top.entries[code].get_text() == kept
        # and says so: a name cut mid-word without a word read as if it had been taken whole
        assert app.notice and app.tr("A team's name stops at {most} characters.", most=MAX_TEAM_NAME) \
            in app.notice[0]
        app.notice = None
        press(app, pygame.K_TAB)
    click(app, app.tr("Start the hot seat"))
    assert app.top.name == "class_briefing"
    assert app.workshop.table.workshop.teams == {"CHN": "x" * MAX_TEAM_NAME, "USA": "\u00c9" * MAX_TEAM_NAME}


@pytest.mark.parametrize("language", ["en", "ja"])
@pytest.mark.parametrize("name", ["Team 👨", "Team\u3164\u3164", "\u3164\u3164", "x" * 30, "x" * 40, "Team\u202eA",
                                  "Éagles", "日本チーム"])
def test_the_hot_seat_takes_the_team_names_the_command_line_takes_and_refuses_the_others(data_dir, name, language):
    """The hot seat checked a team's name only for the font, and stopped typing at 24 characters:
    it took a name of blank letters the server refuses, and could not take one of 30 the server
    takes. It asks the server's and the command line's check now, in the window's language."""
    import argparse

    from game.cli import _team_name
    from game.font_coverage import game_font_cannot_draw
    from game.workshop.team_names import team_name_said

    try:
        taken = _team_name(name)
    except argparse.ArgumentTypeError:
        taken = None
    app = open_app((1280, 720), settings=Settings(sound=False, warn_before_end=False, language=language))
    app.frame([])
    click(app, app.tr("Workshop"))
    click_at(app, app.top.entries["CHN"].get_abs_rect().center)
    type_text(app, name)
    press(app, pygame.K_TAB)
    click(app, app.tr("Start the hot seat"))
    if taken is not None:
        assert app.top.name == "class_briefing" and app.workshop.table.workshop.teams == {"CHN": taken}
        return
    text, kind, _ = app.notice
    assert kind == "error" and app.top.name == "workshop_setup" and app.workshop is None
    template, fields = team_name_said(name)
    if "characters" in fields:  # (by code point: the window's font would draw boxes)
        fields["characters"] = ", ".join(f"U+{ord(char):04X}" for char in game_font_cannot_draw(name))
    tr = app.tr
    assert text == tr("The team name for {nation} cannot be taken: {reason}.",
                      nation=WorkshopWords("2010-trawler").nation("CHN", language), reason=tr(template, **fields)), text
    assert template in table("ja"), template


def test_the_hot_seat_in_japanese_at_200_percent_in_a_small_window(data_dir):
    app = open_app((1280, 720), settings=Settings(language="ja", scale=2.0, sound=False, warn_before_end=False))
    app.frame([])
    assert app.compact and app.s == 2.0
    problems = play_hot_seat(app, data_dir)
    assert not problems, "\n".join(problems)


class LostTable(LocalTable):
    """A table on the network that has lost its connection: old views, and refusals."""

    def team_view(self, role):
        return {**super().team_view(role), "connection": {"ok": False, "message": "no answer from 10.0.0.2:8765"}}

    def submit(self, role, action):
        raise WorkshopError("not connected: no answer from 10.0.0.2:8765")


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_hot_seat_says_where_it_keeps_the_class_s_results_on_screen_and_in_the_terminal(data_dir, language):
    """A server prints a Results line at its start; the hot seat never said where it kept its
    results file (the one --resume takes), on screen or in the terminal. Said in the window's
    language, the facilitator's, once the file is made; and at once for a game going on."""
    workshop = Workshop(scenario_for("2010-trawler", {}), 3, ("JPN", "CHN"))
    workshop.start()
    told: list[str] = []
    settings = Settings(sound=False, language=language, warn_before_end=False)
    app = open_hotseat_app(LocalTable(workshop), workshop.roles, settings=settings, tell=told.append)
    app.frame([])
    press(app, pygame.K_RETURN)  # past the class's briefing
    assert app.top.name == "handover" and not told
    for _ in range(2):  # Japan, then China, sits down and is done: the first quarter is played
        press(app, pygame.K_RETURN)
        press(app, pygame.K_RETURN)
    kept = data_dir / "workshop" / "2010-trawler-class-1.json"
    assert kept.exists()
    assert told == [app.tr("Results: {path} (--resume goes on from it)", path=str(kept))]
    assert app.top.name == "handover"
    app.frame([])
    assert str(kept) in " ".join(box.text for box in app.top.texts)
    told.clear()
    open_hotseat_app(LocalTable(workshop), workshop.roles, settings=settings, resumed=kept, tell=told.append)
    assert told == [app.tr("Results: {path} (--resume goes on from it)", path=str(kept))]


def trawler_table(cls=LocalTable, started: bool = True) -> LocalTable:
    workshop = Workshop(scenario_for("2010-trawler", {}), 3, ("JPN", "CHN"))
    table_ = cls(workshop)
    if started:
        table_.facilitate("start")
    return table_


@pytest.mark.parametrize("language", ["en", "ja"])
def test_a_team_s_objectives_give_shares_in_percent_as_the_rest_of_the_game_does(data_dir, language):
    """China's window read "value 0.96 in 2010Q3-2010Q4, threshold on average at least 0.60" beside
    "at least 60% of the ore dug", where the figures, the charts and the report say 96%."""
    table_ = trawler_table()
    for _ in range(2):
        for role in ("JPN", "CHN"):
            table_.finish(role)
    app = open_team_app(table_, "CHN", settings=Settings(sound=False, language=language))
    app.frame([])
    if app.compact:
        click(app, app.tr("Objectives"))
    objectives = {o["id"]: o for o in table_.team_view("CHN")["objectives"]}
    mines = objectives["china-mines"]  # a share of the world's mining, judged on its average
    assert mines["value"] is not None and mines["threshold"] == 0.6
    goals = app.top.goals_html
    assert f"{mines['value'] * 100:.1f}%" in goals and "60%" in goals, goals
    assert f"{mines['value']:.2f}" not in goals and "0.60" not in goals, goals
    assert "0.85" in goals  # the output index is no share: as it was


def test_a_role_nobody_took_is_said_to_be_played_as_it_is(data_dir, monkeypatch):
    """Lynas, untaken, showed as "Lynas (a company) (a bot)" on the game over screen, the
    facilitator's panel and the projector, though its firms decide for themselves (and China's
    doctrine was "a bot" too, where the report says "China's doctrine")."""
    table_ = LocalTable(Workshop(scenario_for("2010-trawler", {}), 3, ("JPN",), flags={"teams_see_each_other"}))
    table_.facilitate("start")

    def who_plays(lines: list[str], name: str) -> str:
        return next(line for line in lines if name in line)

    facilitator = open_facilitator_app(table_, settings=Settings(sound=False))
    facilitator.frame([])
    panel = facilitator.top.teams_html.split("<br>")
    drawn: list[str] = []  # the projector's cards, line by line as drawn
    monkeypatch.setattr(ProjectorScene, "_text", staticmethod(lambda surface, text, *rest: drawn.append(text)))
    press(facilitator, pygame.K_p)
    facilitator.frame([])
    assert facilitator.top.name == "projector"
    names = ("Lynas (a company)", "China", "Australia")
    cards = [f"{name} ({who})" for name, who in zip(drawn, drawn[1:]) if name in names]  # a card's name, then who
    table_.facilitate("end")
    team = open_team_app(table_, "JPN", settings=Settings(sound=False))
    team.frame([])
    game_over = team.top.standings_html.split("<br>")
    for lines in (panel, cards, game_over):
        assert "decides for itself" in who_plays(lines, names[0])
        assert "doctrine" in who_plays(lines, names[1])
        assert "a bot" in who_plays(lines, names[2])


def test_a_team_window_whose_connection_is_lost_says_so(data_dir):
    app = open_team_app(trawler_table(LostTable), "CHN", settings=Settings(sound=False))
    app.frame([])
    team = app.top
    assert team.name == "team" and team.status[1] == app.tr("Connection lost: reconnecting…")
    assert team.status_label.text == app.tr("Connection lost: reconnecting…")
    assert not find_button_any(app, app.tr("Submit")).is_enabled
    assert not find_button_any(app, app.tr("Done for this quarter")).is_enabled
    team.send({"kind": "hold_talks", "partner": "JPN"})  # sent anyway (a view out of date): a notice
    assert app.notice is not None and "not connected" in app.notice[0]
    assert not list(overflowing(app.top))


def test_a_team_window_that_never_reached_the_table_offers_to_try_again(data_dir):
    class Unreachable(LocalTable):
        def team_view(self, role):
            raise WorkshopError("not connected: the facilitator's machine does not answer")

    app = open_team_app(trawler_table(Unreachable), "JPN", settings=Settings(sound=False))
    app.frame([])
    assert app.top.status[1] == app.tr("Connection lost: reconnecting…")
    assert find_button(app, app.tr("Try again"))


def test_a_team_window_redraws_when_the_table_changes_and_saves_the_results_at_the_end(data_dir):
    table_ = trawler_table(started=False)
    app = open_team_app(table_, "JPN", settings=Settings(sound=False))
    app.frame([])
    assert app.top.status[1] == app.tr("The facilitator has not started the game yet.")
    table_.facilitate("start")  # the facilitator, elsewhere
    assert app.top.changed_outside()
    app.frame([])
    assert find_button(app, "Done for this quarter")
    press(app, pygame.K_RETURN)
    done_without_a_lever(app)
    assert app.top.status[1].startswith("Done for this quarter. Waiting for: China")
    table_.facilitate("set_flag", flag="teams_see_each_other", on=True)
    table_.finish("CHN")  # China's team, on its own machine: the quarter runs
    assert app.top.changed_outside()
    app.frame([])
    assert app.top.view["quarter"] == "2010Q4" and find_button(app, "Done for this quarter")
    assert "The other nations" in app.top.goals_html and "China" in app.top.goals_html
    table_.facilitate("end")
    app.top.changed_outside()
    app.frame([])
    assert app.top.status[1] == "Game over." and "China" in app.top.standings_html
    app.frame([])
    assert json.loads((data_dir / "workshop" / "2010-trawler-JPN-1.json").read_text(encoding="utf-8"))[
        "turns_played"] == 1  # saved when the game ended
    click(app, "Save results")
    saved = data_dir / "workshop" / "2010-trawler-JPN-2.json"
    assert json.loads(saved.read_text(encoding="utf-8"))["turns_played"] == 1


class ServersTable:
    """A team's seat at a server's table: its views and moves, no game of its own, and the class's
    results refused, as the server refuses them to a team."""

    def __init__(self, local: LocalTable):
        self._local = local

    def __getattr__(self, name):
        if name == "workshop":
            raise AttributeError(name)
        return getattr(self._local, name)

    def results(self):
        raise WorkshopError("the class's results are the facilitator's: the server writes them to its results file")


def test_a_team_window_at_a_servers_table_leaves_the_results_to_the_server(data_dir):
    """The class's results hold every team's moves and history notes, so the server gives them to
    the facilitator alone: a team's window at the game's end neither saves them nor offers to."""
    table_ = trawler_table()
    app = open_team_app(ServersTable(table_), "JPN", settings=Settings(sound=False))
    app.frame([])
    table_.facilitate("end")
    app.top.changed_outside()
    app.frame([])
    app.frame([])
    assert app.top.status[1] == "Game over."
    assert not any(f.element.text == "Save results" for f in app.top.focusables)
    assert "The facilitator's server keeps the class's results" in app.top.standings_html
    assert not app.notice and not (data_dir / "workshop").exists()
    assert [f.element.text for f in app.top.focusables].count("Quit") == 1  # not one in the footer and the main one


@pytest.mark.parametrize("size", [(1280, 720), (1024, 576)])
def test_a_second_click_on_done_at_the_games_end_does_not_close_the_results_unasked(data_dir, size):
    """At the game's end a team's window at a server's table put Quit where Done had stood for
    every quarter, and one click closed it: a team that clicked Done twice on the last quarter
    lost its results screen. Quit asks first there, its Cancel under Enter."""
    table_ = trawler_table()
    app = open_team_app(ServersTable(table_), "JPN", size=size, settings=Settings(sound=False, scale=1.5))
    app.frame([])
    done_at = app.top.done_button.get_abs_rect().center
    table_.facilitate("end")
    app.top.changed_outside()
    app.frame([])
    app.frame([])
    assert app.top.status[1] == "Game over."
    click_at(app, done_at)
    app.frame([])
    assert app.running and app.top.name == "confirm"
    press(app, pygame.K_RETURN)  # Enter says no
    assert app.running and app.top.name == "team"
    click_at(app, done_at)
    click(app, app.top.yes)
    assert not app.running


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_facilitator_s_recent_events_give_an_event_brought_forward_once_and_newest_first(data_dir, language):
    """One event brought forward was listed three times (the move, the news of it, the event's
    own headline), the news after every move of the game whatever its quarter; and a nation no
    team plays read 「EU （ボット）」, a half-width space before the full-width bracket."""
    table_ = trawler_table()
    workshop = table_.workshop
    table_.facilitate("end_turn")
    number, event = workshop.waiting_events()[-1]
    table_.facilitate("inject", event=number)
    app = open_facilitator_app(table_, settings=Settings(sound=False, language=language))
    app.frame([])
    html = app.top.teams_html
    words = WorkshopWords("2010-trawler")
    headline = words.headline({"kind": "", "headline": event.headline, "fields": {}}, language, app.tr) \
        if language == "en" else None
    happened = html.split(escape(app.tr("What happened last")))[1].split("<br>")[1:]
    if headline is not None:
        assert sum(escape(headline) in line for line in happened) == 1, happened
    quarters = [re.search(r"\d{4}Q\d", line).group(0) for line in happened if re.search(r"\d{4}Q\d", line)]
    assert quarters == sorted(quarters, reverse=True), quarters
    if language == "ja":
        assert " （" not in html and "> （" not in html


@pytest.mark.parametrize("language", ["en", "ja"])
def test_a_team_with_no_name_given_is_called_at_the_game_s_end_as_the_hand_over_calls_it(data_dir, language):
    """A team given no name read 「日本（チーム）」 at the game's end: by its name, "Team Japan"."""
    table_ = trawler_table()
    app = open_team_app(ServersTable(table_), "JPN", settings=Settings(sound=False, language=language))
    app.frame([])
    table_.facilitate("end")
    app.top.changed_outside()
    app.frame([])
    app.frame([])
    named = app.tr("Team {nation}", nation=WorkshopWords("2010-trawler").nation("JPN", language))
    assert escape(named) in app.top.standings_html
    assert escape(app.tr("{name} ({who}) {score}", name="", who=app.tr("a team"), score="")).strip() \
        not in app.top.standings_html


def test_the_facilitators_window_opens_on_its_panel_and_its_projector(data_dir):
    app = open_facilitator_app(trawler_table(), settings=Settings(sound=False))
    app.frame([])
    assert app.top.name == "facilitator" and find_button(app, "Pause")
    press(app, pygame.K_p)
    assert app.top.name == "projector" and {code for code, _ in app.top.cards} >= {"JPN", "CHN", "USA"}
    press(app, pygame.K_ESCAPE)
    assert app.top.name == "facilitator"
    press(app, pygame.K_ESCAPE)  # no hand-over screen behind it: it stays
    assert app.top.name == "facilitator"


def test_the_workshop_words_have_japanese_entries():
    ja = table("ja")
    words = {figure.label for figure in FIGURES.values()} | {figure.shown for figure in FIGURES.values()}
    words |= set(FIELD_LABELS.values()) | set(FLAG_NAMES.values())
    words |= {text for _, text, _ in FLAG_LABELS} | {tip for _, _, tip in FLAG_LABELS}
    words |= {spec[0] for spec in AMOUNT_SPECS.values()} | {spec[3] for spec in AMOUNT_SPECS.values()}
    words |= {LENDING_LIMIT, NOTHING_TO_BORROW, OFFTAKE_BOUGHT}
    words |= {"lowest {value}", "highest {value}", "{quarter} not reached yet", "no quarter of its span played yet",
              NOT_MEASURED, NOT_MEASURED_AT_ALL,
              "the facilitator has not started the game yet", "the facilitator has paused the game",
              "the game is over", "your turn is submitted; wait for the next quarter"}
    missing = sorted(w for w in words if w not in ja)
    assert not missing, missing


@pytest.mark.parametrize("language, scale", [("en", 1.0), ("ja", 2.0)])
def test_a_team_plays_a_company_from_its_seat(data_dir, language, scale):
    workshop = Workshop(scenario_for("2010-trawler", {}), 3, ("JPN", "LYN"))
    workshop.start()
    app = open_team_app(LocalTable(workshop), "LYN", (1280, 720),
                        settings=Settings(sound=False, language=language, scale=scale))
    layout = Layout(app)
    layout.check()
    seat = app.top
    assert seat.view["kind"] == "company"
    if not app.compact:  # (a compact seat shows its figures in a pane of their own)
        assert seat.chart_columns[:3] == ["cash_musd", "debt_musd", "oxide_t"]
    choose_lever(app, "build_project")
    click(app, app.tr("Submit"))
    record = seat.last_record
    assert record["accepted"] and record["kind"] == "build_project"
    assert [a["kind"] for a in workshop_actions(workshop, "LYN")] == ["build_project"]
    layout.check()
    assert not layout.problems, layout.problems


def test_a_team_s_state_says_what_the_game_is_doing_before_its_start_and_after_its_end():
    """The facilitator's list read "playing" before the start and after the end, and a window
    closed after the end "away: a bot plays"."""
    from game.ui.workshop_view import team_state

    def tr(text):
        return text

    away, playing = {"present": False}, {"present": True}
    assert team_state(playing, {"started": False}, tr) == ("waiting for the start", "muted")
    assert team_state(away, {"started": True, "over": True}, tr) == ("Game over", "muted")
    assert team_state(away, {"started": True}, tr) == ("away: a bot plays", "bad")
    assert team_state({"present": True, "done": True}, {"started": True}, tr) == ("✓ done", "good")
    assert team_state(playing, {"started": True}, tr) == ("… playing", "muted")


def test_a_double_click_on_submit_sends_the_move_once(data_dir, monkeypatch):
    """Two talks went through on a double click on Submit, at the capital of each."""
    import types

    from game.ui.driver import click_at
    from game.ui.scenes import team

    # The clicks all within the repeat window, however slowly a loaded machine draws their
    # frames: under a CI run beside other work, three clicks took longer than the window, and
    # all three were sent (as the Take action and Propose tests found before).
    clock = types.SimpleNamespace(now=1000.0)
    monkeypatch.setattr(team, "time", types.SimpleNamespace(monotonic=lambda: clock.now))
    workshop = Workshop(scenario_for("2010-trawler", {}), 3, ("JPN", "USA"))
    workshop.start()
    app = open_team_app(LocalTable(workshop), "USA", (1280, 720), settings=Settings(sound=False))
    seat = app.top
    choose_lever(app, "hold_talks")
    centre = seat.levers.submit_button.get_abs_rect().center
    for _ in range(3):
        click_at(app, centre)
    assert [a["kind"] for a in workshop_actions(workshop, "USA")] == ["hold_talks"]
    seat.last_sent = (seat.last_sent[0], seat.last_sent[1] - 1.0)  # the player read the answer, and insists
    click_at(app, seat.levers.submit_button.get_abs_rect().center)
    assert [a["kind"] for a in workshop_actions(workshop, "USA")] == ["hold_talks", "hold_talks"]
    # The answer shows under its own lever only (a refusal stayed under the lever chosen next).
    assert seat.result_html
    choose_lever(app, "buy_stockpile")
    assert seat.result_html == ""


def workshop_actions(workshop: Workshop, role: str) -> list[dict]:
    return [e.record.action.to_dict() for e in workshop.entries if e.record.nation == role]


def test_a_hot_seat_closed_mid_game_saves_the_class_and_once(data_dir):
    """Closing the hot seat's window (or a kill) mid-game lost the class: only the level's end and
    the Save results button wrote its results. Now they are saved as the window closes, once for
    the game as it stands, and never for a game nobody has played."""
    from game.ui.workshop_window import open_hotseat_app

    def hot_seat():
        workshop = Workshop(scenario_for("2010-trawler", {}), 3, ("JPN", "USA"))
        workshop.start()
        return workshop, open_hotseat_app(LocalTable(workshop), ("JPN", "USA"),
                                          settings=Settings(sound=False, warn_before_end=False))

    _, untouched = hot_seat()
    untouched.quit()
    assert untouched.quit_note == "" and not (data_dir / "workshop").exists()
    workshop, app = hot_seat()
    for role in ("JPN", "USA"):
        workshop.finish(role)
    app.quit()
    saved = data_dir / "workshop" / "2010-trawler-class-1.json"
    assert app.quit_note == f"the class's results are in {saved}"
    assert json.loads(saved.read_text(encoding="utf-8"))["turns_played"] == 1
    app.quit()  # nothing played since: no second file
    assert sorted(p.name for p in saved.parent.iterdir()) == [saved.name]


def test_a_hot_seat_keeps_its_class_on_disk_as_each_round_is_played(data_dir):
    """The class's results reached the disk only when the window closed or Leave was chosen: a
    crash mid-class lost it. Now, as a server's, they are written after every move into one file,
    which ``workshop hotseat --resume`` takes back with nothing lost (read here without closing)."""
    from game.workshop.results import resumed

    workshop = Workshop(scenario_for("2012-wto", {}), 3, ("JPN", "CHN"))
    workshop.start()
    app = open_hotseat_app(LocalTable(workshop), ("JPN", "CHN"), settings=Settings(sound=False))
    press(app, pygame.K_RETURN)  # past the level's briefing
    kept = data_dir / "workshop" / "2012-wto-class-1.json"
    for round_ in (1, 2):
        press(app, pygame.K_RETURN)
        assert app.top.name == "team" and app.top.role == "JPN"
        choose_lever(app, "hold_talks")
        submit(app)
        assert len(read_results(kept)["actions"]) == len(workshop.entries), "the move is on disk at once"
        click(app, done_text(app))
        press(app, pygame.K_RETURN)
        assert app.top.role == "CHN"
        click(app, done_text(app))
        done_without_a_lever(app)
        assert app.top.name == "handover"
        data = read_results(kept)
        assert data["turns_played"] == round_
    assert sorted(p.name for p in kept.parent.iterdir()) == [kept.name], "one file for the class"
    assert resumed(data).session.rows() == workshop.session.rows()
    app.quit()
    assert app.quit_note == f"the class's results are in {kept}"


def test_a_hot_seat_closed_on_a_full_disk_leaves_its_class_in_the_temporary_folder(data_dir, tmp_path, monkeypatch):
    """It said it could not save and closed with the class lost; a server rescues its results to the
    system's folder for temporary files, and now the hot seat does too, and says where."""
    from game.ui.workshop_play import WorkshopPlay
    from game.ui.workshop_window import open_hotseat_app

    rescue = tmp_path / "temporary"
    rescue.mkdir()
    monkeypatch.setattr("tempfile.gettempdir", lambda: str(rescue))

    def full(self, data, who):  # the data folder's write
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(WorkshopPlay, "_save", full)
    workshop = Workshop(scenario_for("2010-trawler", {}), 3, ("JPN",))
    workshop.start()
    app = open_hotseat_app(LocalTable(workshop), ("JPN",), settings=Settings(sound=False, warn_before_end=False))
    workshop.finish("JPN")
    app.quit()
    rescued = rescue / "2010-trawler-class.json"
    assert app.quit_note == f"the class's results are in {rescued}"
    assert json.loads(rescued.read_text(encoding="utf-8"))["turns_played"] == 1


def test_the_pause_button_s_tip_keeps_off_the_facilitator_s_status_line(data_dir):
    """After Pause, the pointer still on it, its tip covered "Paused: resume when..."."""
    from game.ui.workshop_window import open_hotseat_app

    workshop = Workshop(scenario_for("2010-trawler", {}), 3, ("JPN", "USA"))
    workshop.start()
    app = open_hotseat_app(LocalTable(workshop), ("JPN", "USA"), settings=Settings(sound=False))
    app.frame([])
    press(app, pygame.K_F2)
    assert app.top.name == "facilitator"
    status = app.top.kept_clear[0].get_abs_rect()
    pause = find_button(app, "Pause").get_abs_rect()
    tip = app._tip_place(pause, app.u(380), app.u(60))
    assert not tip.colliderect(status), (tip, status)


def test_leaving_a_hot_seat_whose_game_is_over_offers_no_resume(data_dir):
    """The leave dialog said the class's game could go on later with --resume, after its end."""
    from game.ui.workshop_window import open_hotseat_app

    workshop = Workshop(scenario_for("2010-trawler", {}), 3, ("JPN",))
    workshop.start()
    while not workshop.is_over:
        workshop.finish("JPN")
    app = open_hotseat_app(LocalTable(workshop), ("JPN",), settings=Settings(sound=False, warn_before_end=False))
    app.frame([])
    assert app.top.name == "handover"
    press(app, pygame.K_ESCAPE)
    assert app.top.name == "confirm"
    assert app.top.detail == "The class's game is over, and saved for the debrief."


def test_closing_the_hot_seat_says_where_the_class_went(data_dir):
    """A window closed by its own close button said nothing of the results it saved (a stop by a
    signal did), and on a full data folder they went to the temporary folder unsaid."""
    from game.ui.workshop_window import open_hotseat

    workshop = Workshop(scenario_for("2010-trawler", {}), 3, ("JPN",))
    workshop.start()
    workshop.finish("JPN")
    pygame.init()  # (alone, or first on its worker, the test posted to a queue that was not there yet)
    pygame.event.post(pygame.event.Event(pygame.QUIT))
    note = open_hotseat(LocalTable(workshop), ("JPN",), settings=Settings(sound=False, warn_before_end=False))
    assert note == f"the class's results are in {data_dir / 'workshop' / '2010-trawler-class-1.json'}"


def test_a_team_alone_and_a_hot_seat_go_on_from_the_results_their_windows_saved(data_dir, monkeypatch, capsys):
    """Only a class on a network could go on after its window closed: a team alone whose laptop
    shut, or a hot seat closed by mistake, started the level again. Now ``play --resume`` and
    ``workshop hotseat --resume`` replay the results file its window saved and open the window
    on the quarter it left, unpaused; closing again before anything more is played writes no
    copy, the game played on is the game an unbroken class would have played, and it goes on in
    the file it went on from."""
    from game.cli import main
    from game.ui import workshop_window
    from game.workshop.results import results_of

    for roles, command in ((("JPN",), ["play"]), (("JPN", "USA"), ["workshop", "hotseat"])):
        straight = Workshop(scenario_for("2010-trawler", {}), 3, roles)
        straight.start()
        broken = Workshop(scenario_for("2010-trawler", {}), 3, roles)
        broken.start()
        for workshop in (straight, broken):
            for role in roles:
                workshop.finish(role)
        # The window closes mid-quarter, after the first team acted (kept: it is replayed).
        for workshop in (straight, broken):
            workshop.submit(roles[0], {"kind": "hold_talks", "partner": "CHN"})
        opened = {}

        def window_for(table, *args, resumed=False, **kwargs):
            opened.update(table=table, resumed=resumed)
            app = (workshop_window.open_team_app(table, args[0], resumed=resumed, settings=Settings(sound=False))
                   if len(roles) == 1 else
                   workshop_window.open_hotseat_app(table, args[0], resumed=resumed, settings=Settings(sound=False)))
            app.quit()  # closed at once: nothing more played, nothing written, and the file it is in named
            first_note = app.quit_note
            for role in roles:
                table.workshop.finish(role)
            app.quit()
            return f"{first_note}\n{app.quit_note}"

        app_kind = "open_team" if len(roles) == 1 else "open_hotseat"
        saved = data_dir / f"{'-'.join(command)}.json"
        saved.parent.mkdir(parents=True, exist_ok=True)
        saved.write_text(results_text(results_of(broken)), encoding="utf-8")
        monkeypatch.setattr(workshop_window, app_kind, window_for)
        assert main([*command, "--resume", str(saved)]) == 0
        out = capsys.readouterr().out
        assert f"go{'es' if len(roles) == 1 else ''} on from 2010Q4" in out
        resumed = opened["table"].workshop
        assert opened["resumed"] and not resumed.paused and resumed.quarter.year == 2011
        for role in roles:
            straight.finish(role)
        assert resumed.session.rows() == straight.session.rows()
        # The game goes on in the file it went on from, as a server's does: a resumed class wrote
        # a second file, and the report then kept the first, unfinished, for the class.
        whose = "the team's" if len(roles) == 1 else "the class's"
        assert out.count(f"{whose} results are in {saved}\n") == 2, out
        assert not (data_dir / "workshop").exists() or not list((data_dir / "workshop").iterdir())
        assert read_results(saved)["turns_played"] == 2


@pytest.mark.parametrize("case", ["two-teams-alone", "waits-on-a-facilitator", "a-network-class", "over",
                                  "with-a-level", "a-nation-unknown", "roles-swapped", "too-many-actions",
                                  "code-garbage", "team-name-too-long", "a-facilitator-alone"])
def test_going_on_from_a_file_that_cannot_is_refused_in_one_line(case, data_dir, tmp_path, capsys):
    from game.cli import main
    from game.workshop.results import results_of

    roles = ("JPN", "USA") if case == "two-teams-alone" else ("JPN",)
    flags = {"pause_after_each_turn"} if case == "waits-on-a-facilitator" else set()
    workshop = Workshop(scenario_for("2010-trawler", {}), 3, roles, flags=flags)
    workshop.start()
    workshop.finish("JPN")
    data = results_of(workshop)
    if case == "a-network-class":
        data["server"] = {"class_code": "ABCD", "join_tokens": {}, "done": []}
    if case == "over":
        data["ended_early"] = True
    team_action = {"quarter": str(workshop.quarter), "nation": "JPN", "by": "team", "accepted": True, "message": "",
                   "action": {"kind": "hold_talks", "partner": "CHN"}}
    if case == "a-nation-unknown":  # a KeyError's traceback from the world
        data["actions"].append({**team_action, "nation": "XXX"})
    if case == "roles-swapped":  # a Japan team went on as the United States
        data["roles"] = ["USA"]
    if case == "too-many-actions":
        data["actions"] += [team_action] * 41
    if case == "code-garbage":
        data["code"] = "garbage"
    if case == "team-name-too-long":
        data["nations"]["JPN"]["team"] = "T" * 5000
    if case == "a-facilitator-alone":
        data["actions"].append({**team_action, "by": "facilitator"})
    path = tmp_path / "class.json"
    path.write_text(results_text(data), encoding="utf-8")  # sealed as the game writes one: the fault refuses it
    argv = ["play", "--resume", str(path)] + (["--level", "2010-trawler"] if case == "with-a-level" else [])
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert {"two-teams-alone": "hotseat --resume", "waits-on-a-facilitator": "waits on a facilitator",
            "a-network-class": "serve --resume", "over": "nothing to go on with",
            "with-a-level": "leave out --level", "a-nation-unknown": "actions[", "roles-swapped": "played_by",
            "too-many-actions": "more than the 40 actions", "code-garbage": "code:",
            "team-name-too-long": "nations.JPN.team", "a-facilitator-alone": "has no facilitator"}[case] in err
    assert not (data_dir / "workshop").exists()


@pytest.mark.parametrize("home", [None, "title"])
def test_leaving_the_hot_seat_saves_the_class_as_closing_the_window_does(home, data_dir):
    """Leave dropped the class's game unsaved (its dialog said to save first), though the window's
    close button kept it; now Leave saves it too, to the title screen or out of the window."""
    from game.ui.workshop_window import open_hotseat_app

    workshop = Workshop(scenario_for("2010-trawler", {}), 3, ("JPN",))
    workshop.start()
    app = open_hotseat_app(LocalTable(workshop), ("JPN",), settings=Settings(sound=False, warn_before_end=False))
    app.workshop.home = home
    press(app, pygame.K_RETURN)  # past the level's briefing
    workshop.finish("JPN")
    app.frame([])
    assert app.top.name == "handover"
    app.top.back()
    app.frame([])
    click(app, "Leave")
    app.frame([])
    saved = data_dir / "workshop" / "2010-trawler-class-1.json"
    assert json.loads(saved.read_text(encoding="utf-8"))["turns_played"] == 1
    if home is None:
        assert not app.running and app.quit_note == f"the class's results are in {saved}"
    else:
        assert app.running and app.top.name == "title" and app.workshop is None


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_leave_dialog_names_the_file_the_class_goes_on_from(data_dir, language):
    """It said "--resume FILE" without naming the file; the name came only after leaving."""
    workshop = Workshop(scenario_for("2010-trawler", {}), 3, ("JPN", "USA"))
    workshop.start()
    app = open_hotseat_app(LocalTable(workshop), ("JPN", "USA"), settings=Settings(sound=False, language=language))
    press(app, pygame.K_RETURN)  # past the level's briefing
    workshop.finish("JPN")
    workshop.finish("USA")
    app.frame([])
    app.top.back()
    assert app.top.name == "confirm"
    saved = data_dir / "workshop" / "2010-trawler-class-1.json"
    assert f"rare-earths workshop hotseat --resume {saved}" in app.top.detail
    click(app, app.tr("Leave"))
    assert app.quit_note == f"the class's results are in {saved}"


def test_leaving_a_hot_seat_where_nothing_was_played_does_not_promise_a_save(data_dir):
    """Leave's dialog said the class's game was saved when nothing had been played, and nothing
    was (a team done without an action, the other not yet)."""
    from game.ui.workshop_window import open_hotseat_app

    workshop = Workshop(scenario_for("2010-trawler", {}), 3, ("JPN", "USA"))
    workshop.start()
    app = open_hotseat_app(LocalTable(workshop), ("JPN", "USA"), settings=Settings(sound=False))
    workshop.finish("JPN")
    app.frame([])
    app.top.back()
    assert app.top.detail == "Nothing has been played yet: there is nothing to save."
    click(app, "Leave")
    assert not app.running and app.quit_note == "" and not (data_dir / "workshop").exists()


@pytest.mark.parametrize("language, scale", [("en", 1.0), ("ja", 2.0)])
def test_submits_tooltip_leaves_the_answer_under_it_readable(data_dir, language, scale):
    """The answer to a lever shows under Submit, where Submit's own tooltip went: a player
    pointing at the button could not read why the lever was refused."""
    app = open_team_app(trawler_table(), "JPN", settings=Settings(sound=False, language=language, scale=scale))
    app.frame([])
    choose_lever(app, "file_wto_case")
    submit(app)
    answer = app.top.kept_clear
    assert answer and answer[-1].alive(), "the answer is shown under Submit"
    button = find_button_any(app, app.tr("Submit"))
    tip = next(tip for element, tip in app.top.tips if element is button)
    box = app._draw_tip(tip, button.get_abs_rect())
    assert not box.colliderect(answer[-1].get_abs_rect())
    assert app.screen.get_rect().contains(box)


def _hot_seat_at_lever(role: str, kind: str):
    """A started hot seat of 2012-wto for ``role`` alone, at its team screen with lever ``kind``'s form open."""
    workshop = Workshop(scenario_for("2012-wto", {}), 3, (role,))
    workshop.start()
    app = open_hotseat_app(LocalTable(workshop), (role,), settings=Settings(sound=False))
    press(app, pygame.K_RETURN)  # past the level's briefing
    press(app, pygame.K_RETURN)
    choose_lever(app, kind)
    return app


def test_a_wto_case_s_partners_leave_out_the_nation_it_is_against(data_dir):
    """The With list offered China in a case against China, refused only after Submit."""
    app = _hot_seat_at_lever("USA", "file_wto_case")
    team = app.top
    form = next(f for f in team.view["levers"] if f["kind"] == "file_wto_case")
    for respondent in ("JPN", "CHN"):
        team.levers.set_value(form, "respondent", respondent)
        team.levers.set_value(form, "partners", ["EU", "CHN", "JPN"])
        assert team.levers.values(form)["partners"] == [p for p in ("EU", "CHN", "JPN") if p != respondent]
        partners = next(f for f in form["fields"] if f["name"] == "partners")
        team.levers.pick(form, partners, multi=True)
        assert app.top.name == "pick"
        offered = [value for value, _ in app.top.options]
        assert respondent not in offered and "EU" in offered
        press(app, pygame.K_ESCAPE)
        assert app.top is team
    record = submit(app)
    assert record["accepted"], record["message"]


def test_a_stockpile_bid_s_form_shows_its_cost_and_stops_at_what_the_budget_pays(data_dir):
    """The hot seat's Buy for the stockpile showed no cost; its amount dialog offered up to
    1,000,000 t and All of it set that, refused only by Submit ("could cost up to US$253,660M").
    Its form now says the bid's cost and the most the budget left pays at the price cap, as the
    one-player form does, and All of it sets a bid the rules take."""
    from game.actions import BuyStockpile
    from game.ui.levers import cost_line

    app = _hot_seat_at_lever("JPN", "buy_stockpile")
    team = app.top
    form = next(f for f in team.view["levers"] if f["kind"] == "buy_stockpile")
    values = team.levers.values(form)
    bid = BuyStockpile(values["material"], values["tonnes"], values["max_price_usd_per_kg"])
    shown = [element.text for element in team.levers.form if hasattr(element, "text")]
    assert cost_line(app.tr, bid.most_cost_musd, 0) in shown
    budget = team.view["budget_musd"]
    most = budget * 1000.0 / values["max_price_usd_per_kg"]
    assert any(text.startswith(app.tr("Tonnes")) and f"{most:,.0f} t" in text for text in shown), shown
    click(app, "100 t")
    assert app.top.name == "amount"
    click(app, app.tr("All of it"))
    assert app.top is team and team.levers.values(form)["tonnes"] == pytest.approx(most)
    record = submit(app)
    assert record["accepted"], record["message"]


def test_a_team_s_news_marks_the_moves_its_bot_made_while_it_was_away(data_dir):
    """A team back from dropping out read its bot's moves as its own ("✓ You Release 180 t"):
    they are the bot's, as the facilitator's panel and the report say."""
    table_ = trawler_table()
    workshop = table_.workshop
    workshop.leave("JPN")
    table_.facilitate("end_turn")  # the quarter runs: Japan's bot plays for the team away
    workshop.rejoin("JPN")
    by_bot = [e.record for e in workshop.entries if e.record.nation == "JPN" and e.by == "bot"]
    assert by_bot, "Japan's bot made a move while its team was away"
    app = open_team_app(table_, "JPN", settings=Settings(sound=False))
    app.frame([])
    seat = app.top
    for record in by_bot:
        line = next(line for line in seat.news_lines if line.endswith(escape(record.message)))
        assert app.tr("Your bot's action") in line and app.tr("Your action") + "<" not in line, line
    table_.submit("JPN", {"kind": "hold_talks", "partner": "CHN"})
    app.top.refresh()
    app.frame([])
    assert any(f"✓ {app.tr('Your action')}</b>" in line for line in app.top.news_lines), "the team's own moves stay its own"


#: Keys of the one-player game that do nothing on a workshop team's screen.
ONE_PLAYER_KEYS = ("1 - 5", "S", "O", "Ctrl+Z", "Ctrl+S")


@pytest.mark.parametrize("hot_seat", [True, False])
def test_a_team_window_s_help_lists_the_keys_that_work_there(data_dir, hot_seat):
    """A team's Help listed the lever tabs, the supply panel, undo and save of the one-player game,
    none of which works there, and said nothing of Done, Hand over or F2."""
    from game.ui.help import shown_keys

    table_ = trawler_table()
    if hot_seat:
        app = open_hotseat_app(table_, ("JPN", "CHN"), settings=Settings(sound=False))
        app.frame([])
        press(app, pygame.K_RETURN)  # past the level's briefing
        press(app, pygame.K_RETURN)  # the hand-over seats Japan
    else:
        app = open_team_app(table_, "JPN", settings=Settings(sound=False))
        app.frame([])
    assert app.top.name == "team"
    press(app, pygame.K_F1)
    assert app.show_help
    keys = dict(shown_keys(app))
    assert not set(ONE_PLAYER_KEYS) & set(keys), keys
    assert {"F1", "Tab / Shift+Tab, arrows", "Space", "F11"} <= set(keys)
    done = next(key for key in keys if key.startswith("Enter"))
    assert "Done" in done
    if hot_seat:
        assert any("Hand over" in key for key in keys) and "F2" in keys
    else:
        assert any("Quit" in key for key in keys) and "F2" not in keys and "Esc" not in keys
    app.frame([])
    press(app, pygame.K_SPACE)  # any key closes the help
    assert not app.show_help
    press(app, pygame.K_RETURN)  # Enter: done for this quarter (asked first: no lever was sent)
    done_without_a_lever(app)
    assert table_.workshop.done == {"JPN"}
    if hot_seat:
        assert app.top.name == "handover"  # Done hands over
        press(app, pygame.K_RETURN)
        assert app.top.name == "team" and app.top.role == "CHN"
        press(app, pygame.K_ESCAPE)  # Esc: Hand over
        assert app.top.name == "handover"
        press(app, pygame.K_F1)
        assert "F2" in dict(shown_keys(app)) and not set(ONE_PLAYER_KEYS) & set(dict(shown_keys(app)))
        press(app, pygame.K_SPACE)
        press(app, pygame.K_F2)  # F2, from the hand-over: the facilitator's panel
        assert app.top.name == "facilitator"


def test_a_team_window_whose_class_is_over_says_so_rather_than_reconnecting(data_dir):
    """After the game's end the server stops, and the team windows said "Connection lost:
    reconnecting…" over Game over for ever: their connection says the class is over."""
    table_ = trawler_table()
    table_.facilitate("end")

    class ServerGone(ServersTable):
        def team_view(self, role):
            return {**self._local.team_view(role),
                    "connection": {"ok": False, "message": "the class is over", "unreadable": False,
                                   "class_over": True}}

    app = open_team_app(ServerGone(table_), "JPN", settings=Settings(sound=False))
    app.frame([])
    assert app.top.status[1] == app.tr("The class is over, and the facilitator's server has closed.")
    assert "Game over" in app.top.standings_html and find_button(app, app.tr("Quit"))


def test_quit_in_a_joined_team_window_asks_first_while_the_game_goes_on(data_dir):
    """Quit closed a joined team's window at once, though the hot seat's Leave asks: the team's
    bot plays until it joins again, which the question says."""
    table_ = trawler_table()
    app = open_team_app(ServersTable(table_), "JPN", settings=Settings(sound=False))
    app.frame([])
    click(app, app.tr("Quit"))
    assert app.running and app.top.name == "confirm"
    assert "bot" in app.top.detail
    press(app, pygame.K_ESCAPE)  # no: the window stays
    assert app.running and app.top.name == "team"
    click(app, app.tr("Quit"))
    click(app, app.tr("Quit"), )
    assert not app.running


def test_a_project_name_cut_in_the_form_is_whole_in_its_tip_and_its_list(data_dir):
    """The form cut long project names ("Mt Weld (Lynas) (+22,00…"): as in the one-player form,
    the value's tip names it whole and says the list opens, and the list names every one whole."""
    app = open_team_app(trawler_table(), "JPN", (1024, 600), settings=Settings(sound=False))
    app.frame([])
    choose_lever(app, "invest_in_project")
    form = next(form for form in app.top.view["levers"] if form["kind"] == "invest_in_project")
    labels = [label for _, label in next(f for f in form["fields"] if f["name"] == "project")["choices"]]
    value = next(f for f in app.top.focusables if f.element.text.startswith("Mt Weld") and f.element.text.endswith("…"))
    assert value.tooltip == app.tr("{shown}. Choose from the list (Space).", shown=labels[0])
    click_at(app, value.element.get_abs_rect().center)
    assert app.top.name == "pick" and [text for _, text in app.top.options] == labels


@pytest.mark.parametrize("language", ["en", "ja"])
def test_a_form_s_projects_are_named_in_the_window_s_language_as_the_one_player_form_names_them(data_dir, language):
    """A Japanese team read "マウント・ウェルド（ライナス） (+22,000 t/yr, 9 quarters to build)": the
    firm's name in Japanese, the rest in English, where the one-player form words it all."""
    table_ = trawler_table()
    world = table_.workshop.world
    app = open_team_app(table_, "JPN", settings=Settings(sound=False, language=language))
    app.frame([])
    form = next(form for form in app.top.view["levers"] if form["kind"] == "invest_in_project")
    field = next(f for f in form["fields"] if f["name"] == "project")
    firm_names = {firm.id: firm.name_ja if language == "ja" and firm.name_ja else firm.name
                  for firm in table_.workshop.scenario.world.firms}
    shown = {value: app.top.levers._option_label(field, value) for value, _ in field["choices"]}
    for project_id, label in shown.items():
        project = world.projects[project_id]
        name, tpy = firm_names[project.firm], project.adds_tpy
        if project_id.startswith("lamp-phase"):  # the two phases read alike: told apart by their building time
            assert label == app.tr("{name} (+{tpy:,.0f} t/yr, {n} quarters to build)", name=name, tpy=tpy,
                                   n=project.quarters_to_build), label
        else:
            assert label == app.tr("{name} (+{tpy:,.0f} t/yr)", name=name, tpy=tpy), label
    if language == "en":  # the view's own English label, as before
        assert shown == {value: label for value, label in field["choices"]}


def test_a_company_s_borrow_form_stops_at_what_lenders_advance_and_says_so(data_dir):
    """Lynas's Borrow offered US$50M, and Submit was refused: "lenders advance at most US$0M". The
    form stops at what lenders advance against the plant chosen; with nothing to borrow, it says
    so and why, and offers no Submit."""
    from game.company_levers import Borrow

    workshop = Workshop(scenario_for("2010-trawler", {}), 3, ("JPN", "LYN"))
    workshop.start()
    app = open_team_app(LocalTable(workshop), "LYN", settings=Settings(sound=False))
    app.frame([])
    choose_lever(app, "borrow")
    seat = app.top
    form = next(form for form in seat.view["levers"] if form["kind"] == "borrow")
    firm = seat.levers.values(form)["firm"]
    assert Borrow(firm, 1.0).lending_room(workshop.world) <= 0  # no plant built yet in 2010
    assert seat.levers.values(form)["amount_musd"] == 0
    assert not seat.levers.submit_button.is_enabled
    assert escape(app.tr(NOTHING_TO_BORROW)) in seat.levers.shown_under_submit
    seat.levers.submit(form)  # (pressed anyway, by a key): nothing is sent
    assert workshop.entries == []
    plant = workshop.world.firm(firm)
    plant.capacity_tpy = 11_000.0  # built: lenders advance against it
    room = Borrow(firm, 1.0).lending_room(workshop.world)
    assert room > 0
    seat.refresh()
    form = next(form for form in seat.view["levers"] if form["kind"] == "borrow")
    assert seat.levers.values(form)["amount_musd"] == min(50.0, round(room, 1))
    value = next(f for f in seat.focusables if f.element.text.startswith("US$"))
    click_at(app, value.element.get_abs_rect().center)
    assert app.top.name == "amount" and app.top.choice.amount.most(None, {})[0] == round(room, 1)
    press(app, pygame.K_ESCAPE)
    assert seat.levers.submit_button.is_enabled


def test_the_invest_form_s_offtake_is_what_the_money_buys(data_dir):
    """Submitting the Invest form as it stood gave "Invest US$50M in Mt Weld (Lynas) for 0 t/yr
    over 10 years", which secures nothing. As in the one-player form, the offtake starts at what
    the money buys of the project's output, follows the money, and stops there."""
    table_ = trawler_table()
    world = table_.workshop.world
    app = open_team_app(table_, "JPN", settings=Settings(sound=False))
    app.frame([])
    choose_lever(app, "invest_in_project")
    seat = app.top
    form = next(form for form in seat.view["levers"] if form["kind"] == "invest_in_project")
    values = seat.levers.values(form)
    project = world.projects[values["project"]]
    bought = world.investment.offtake_right_tpy(project, values["amount_musd"])
    assert bought > 0 and values["offtake_tpy"] == pytest.approx(bought)
    seat.levers.set_value(form, "amount_musd", 20.0)  # less money: less of the output
    assert seat.levers.values(form)["offtake_tpy"] == pytest.approx(world.investment.offtake_right_tpy(project, 20.0))
    value = next(f for f in seat.focusables if f.element.text.endswith(" t/yr"))
    click_at(app, value.element.get_abs_rect().center)
    assert app.top.name == "amount"
    assert app.top.choice.amount.most(None, {})[0] == pytest.approx(world.investment.offtake_right_tpy(project, 20.0))
    press(app, pygame.K_ESCAPE)
    record = submit(app)
    assert record["accepted"] and record["action"]["offtake_tpy"] > 0, record["message"]
    # Money put in again buys what all of it buys less the offtake held already (24,700 t/yr was
    # offered on top of 12,882 from a 26,000 t/yr project).
    app.frame([])
    form = next(form for form in app.top.view["levers"] if form["kind"] == "invest_in_project")
    values = app.top.levers.values(form)
    assert values["project"] == project.id
    again = world.investment.offtake_open_tpy(project, "JPN", values["amount_musd"])
    assert values["offtake_tpy"] == pytest.approx(again)
    assert again < world.investment.offtake_right_tpy(project, project.funders["JPN"] + values["amount_musd"])


@pytest.mark.parametrize("language", ["en", "ja"])
def test_a_forms_materials_are_named_whole_in_every_language(data_dir, language):
    """In Japanese the three toggles read "✓ 酸化N…", "✓ 酸化D…", "✓ 酸化C…" (the label has
    no space to cut at): they are the short names, as in English."""
    table_ = trawler_table()
    app = open_team_app(table_, "CHN", size=(2560, 1440) if language == "ja" else (1280, 720),
                        settings=Settings(sound=False, language=language, scale=2.0 if language == "ja" else 1.0))
    app.frame([])
    choose_lever(app, "impose_embargo")
    texts = [f.element.text for f in app.top.focusables]
    assert [text for text in texts if text.startswith("✓")] == ["✓ NdPr", "✓ Dy/Tb", "✓ Ce/La"], texts


def test_help_over_a_dialog_on_a_team_screen_lists_the_team_screens_keys(data_dir):
    """F1 over a list or amount dialog on a team's screen listed the one-player game's keys."""
    from game.ui.help import shown_keys

    app = open_team_app(trawler_table(), "JPN", settings=Settings(sound=False))
    app.frame([])
    team = app.top
    choose_lever(app, "invest_in_project")
    team.levers.pick(next(form for form in team.view["levers"] if form["kind"] == "invest_in_project"),
                     next(field for field in next(form for form in team.view["levers"]
                                                  if form["kind"] == "invest_in_project")["fields"]
                          if field["name"] == "project"), multi=False)
    app.frame([])
    assert app.top is not team
    assert dict(shown_keys(app)) == dict(team.help_keys())


def test_the_hot_seats_final_standings_scroll_by_keys_and_its_help_says_so(data_dir):
    """In Japanese at 200% the standings at the game's end run past their box, and only the wheel
    reached the rest of them."""
    workshop = Workshop(scenario_for("2010-trawler", {}), 3, ("JPN", "CHN", "USA", "AUS"))
    table_ = LocalTable(workshop)
    table_.facilitate("start")
    table_.facilitate("end")
    app = open_hotseat_app(table_, workshop.roles, settings=Settings(sound=False, language="ja", scale=2.0))
    app.frame([])
    if app.top.name == "class_briefing":
        press(app, pygame.K_RETURN)
    assert app.top.name == "handover" and app.top.heading == app.tr("Game over")
    [box] = app.top.reading
    scrolls_by_page_keys_and_home_end(app, box)
    from game.ui.help import shown_keys

    keys = dict(shown_keys(app))
    assert any(meaning == app.tr("Scroll the standings") for meaning in keys.values()), keys
    app.quit()


@pytest.mark.parametrize("language, earnings", [("en", r"US\$[\d,]+M"), ("ja", r"US\$[\d,]+M")])
def test_a_teams_objectives_give_their_figures_in_the_indicators_unit(language, earnings):
    """China's "earn from exports" objective read "(average 209 (2010Q3); needs on average at
    least 700)": 700 what. A role's objective now gives its figures in its indicator's unit, as
    its chart does ("US$700M"); an index without one (output) as before."""
    from types import SimpleNamespace

    from game.ui.strings import Language
    from game.ui.workshop_view import objective_lines

    workshop = Workshop(scenario_for("2010-trawler", {}), 1, ("CHN",))
    table_ = LocalTable(workshop)
    table_.facilitate("start")
    table_.finish("CHN")
    words = WorkshopWords("2010-trawler")
    app = SimpleNamespace(tr=Language(language).tr, language=Language(language),
                          colours=SimpleNamespace(good="#0f0", muted="#888", bad="#f00"))
    objectives = {words.indicator(o): o for o in table_.team_view("CHN")["objectives"]}
    reasons = {column: objective_lines(app, [objective], words)[0].rsplit("<font color='#888'>", 1)[1]
               for column, objective in objectives.items()}
    assert len(re.findall(earnings, reasons["export_value_musd"])) == 2, reasons  # the value and the threshold
    assert "US$" not in reasons["output_index"] and "%" not in reasons["output_index"], reasons


def test_a_teams_objectives_bracket_their_reasons_as_their_language_does():
    """In Japanese the team window gave a reason in ASCII brackets round Japanese text:
    "(最低 1.00（2010Q3）。目標：…)"; it is bracketed as the rest of the Japanese window is."""
    from types import SimpleNamespace

    from game.ui.strings import Language
    from game.ui.workshop_view import objective_lines

    workshop = Workshop(scenario_for("2010-trawler", {}), 1, ("CHN",))
    table_ = LocalTable(workshop)
    table_.facilitate("start")
    table_.finish("CHN")
    words = WorkshopWords("2010-trawler")
    for language, opening, closing in (("ja", "（", "）"), ("en", "(", ")")):
        app = SimpleNamespace(tr=Language(language).tr, language=Language(language),
                              colours=SimpleNamespace(good="#0f0", muted="#888", bad="#f00"))
        for line in objective_lines(app, table_.team_view("CHN")["objectives"], words):
            reason = line.rsplit("<font color='#888'>", 1)[1].removesuffix("</font>")
            assert reason.startswith(opening) and reason.endswith(closing), (language, reason)



def test_the_facilitators_teams_scroll_by_keys_and_its_help_says_so(data_dir):
    """In Japanese at 200% the teams and what happened last run past their box, and only the wheel
    reached the rest; the arrows still move between the panel's buttons."""
    table_ = LocalTable(Workshop(scenario_for("2010-trawler", {}), 3, ("JPN", "CHN", "USA", "AUS")))
    table_.facilitate("start")
    app = open_facilitator_app(table_, settings=Settings(sound=False, language="ja", scale=2.0))
    app.frame([])
    if app.compact:
        click(app, app.tr("Teams"))
    [box] = app.top.reading
    scrolls_by_page_keys_and_home_end(app, box)
    from game.ui.help import shown_keys

    assert app.tr("Scroll the teams and what happened last") in dict(shown_keys(app)).values()
    app.quit()


def test_a_teams_goals_news_and_standings_scroll_by_keys_and_its_help_says_so(data_dir):
    """In Japanese at 200% a team's objectives, its news and at the game's end the standings run
    past their boxes, and only the wheel reached the rest of them."""
    table_ = LocalTable(Workshop(scenario_for("2010-trawler", {}), 3, ("JPN", "CHN", "USA", "AUS"),
                                 flags={"teams_see_each_other"}))
    table_.facilitate("start")
    for _ in range(2):
        table_.facilitate("end_turn")
    app = open_team_app(table_, "JPN", settings=Settings(sound=False, language="ja", scale=2.0))
    app.frame([])
    from game.ui.help import shown_keys

    for pane in ("goals", "news"):
        if app.compact:
            click(app, app.tr({"goals": "Objectives", "news": "News"}[pane]))
        shown = [box for box in app.top.reading if box.alive() and box.visible]
        assert shown, pane
        scrolls_by_page_keys_and_home_end(app, shown[0])
    assert app.tr("Scroll the objectives and the news") in dict(shown_keys(app)).values()
    table_.facilitate("end")
    app.top.refresh()
    app.frame([])
    if app.compact:
        click(app, app.tr("Results"))
    box = next(box for box in app.top.reading if box.alive() and box.visible
               and escape(app.tr("Game over: every nation's stars")) in box.html_text)
    scrolls_by_page_keys_and_home_end(app, box)
    assert app.tr("Scroll the objectives, the news and the standings") in dict(shown_keys(app)).values()
    app.quit()


@pytest.mark.parametrize("language, scale", [("en", 1.0), ("ja", 2.0)])
def test_a_team_s_stockpile_chart_reads_the_days_held_on_the_level_s_first_turn(data_dir, language, scale,
                                                                                 monkeypatch):
    """The team's stockpile chart read "-" on a level's first turn, where the one-player bar reads
    the days the stockpile holds over this quarter's needs: the same figure here."""
    titles = []
    drawn = workshop_view.draw_chart

    def draw_chart(size, title, *rest, **named):
        titles.append(title)
        return drawn(size, title, *rest, **named)

    monkeypatch.setattr(workshop_view, "draw_chart", draw_chart)
    workshop = Workshop(scenario_for("2010-trawler", {}), 3, ("JPN", "CHN"))
    workshop.start()
    app = open_team_app(LocalTable(workshop), "JPN", (1280, 720),
                        settings=Settings(sound=False, language=language, scale=scale))
    app.frame([])
    if app.compact:  # (a compact seat shows its figures in a pane of their own)
        click(app, app.tr("Figures"))
    assert not app.top.view["rows"]
    days = supply_report(workshop.world, "JPN").stockpile_days
    assert days > 0
    tr = app.tr
    assert tr("{label}: {value}", label=tr("Stockpile"), value=tr("{v:.0f} days", v=days)) in titles, titles


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_projector_and_the_other_teams_figures_read_what_is_known_on_the_level_s_first_turn(
        data_dir, language, monkeypatch):
    """On a level's first turn the projector's cards read "-" for every figure (the budget too)
    and a team's view of the others carried nothing to read, where its own charts read the
    figures known before a quarter: the same figures here."""
    workshop = Workshop(scenario_for("2010-trawler", {}), 3, ("JPN", "CHN"), flags={"teams_see_each_other"})
    table_ = LocalTable(workshop)
    table_.facilitate("start")
    settings = Settings(sound=False, language=language)
    drawn: list[str] = []
    monkeypatch.setattr(ProjectorScene, "_text", staticmethod(lambda surface, text, *rest: drawn.append(text)))
    facilitator = open_facilitator_app(table_, settings=settings)
    facilitator.frame([])
    press(facilitator, pygame.K_p)
    facilitator.frame([])
    assert facilitator.top.name == "projector"
    tr = facilitator.tr
    budget = workshop.world.nation("USA").budget_musd
    assert budget > 0
    assert f"{tr('Budget')}  {figure_text(tr, 'budget_musd', budget)}" in drawn, drawn
    team = open_team_app(table_, "JPN", settings=settings)
    team.frame([])
    others = team.top.view["others"]
    assert not others["CHN"]["last"]
    assert others["CHN"]["known_now"]["stockpile_days"] == supply_report(workshop.world, "CHN").stockpile_days
    assert all(set(other["known_now"]) == {"cash_musd", "debt_musd"}
               for code, other in others.items() if workshop.is_company(code))


def test_a_company_s_card_and_line_read_the_company_s_own_figures(data_dir, monkeypatch):
    """The projector's card of a company and a team's line about it read "-" for a nation's
    output, China share and budget, which a company's rows do not hold, in every quarter. They
    read its own figures, its cash and debt from the first turn."""
    workshop = Workshop(scenario_for("2010-trawler", {}), 3, ("JPN", "CHN"), flags={"teams_see_each_other"})
    table_ = LocalTable(workshop)
    table_.facilitate("start")
    companies = [code for code in workshop.rows if workshop.is_company(code)]
    assert companies
    cash = company_row(workshop.world, workshop.roles_spec.role(companies[0]).firms)["cash_musd"]
    drawn: list[str] = []
    monkeypatch.setattr(ProjectorScene, "_text", staticmethod(lambda surface, text, *rest: drawn.append(text)))
    facilitator = open_facilitator_app(table_, settings=Settings(sound=False))
    facilitator.frame([])
    press(facilitator, pygame.K_p)
    drawn.clear()
    facilitator.frame([])  # one drawing of every card
    tr = facilitator.tr
    assert f"{tr('Cash')}  {figure_text(tr, 'cash_musd', cash)}" in drawn, drawn
    assert drawn.count(f"{tr('Output index')}  -") == len(workshop.rows) - len(companies), drawn
    team = open_team_app(table_, "JPN", settings=Settings(sound=False))
    team.frame([])
    assert f"{tr('Cash')} {figure_text(tr, 'cash_musd', cash)}" in team.top.goals_html
    assert team.top.view["others"][companies[0]]["kind"] == "company"


def test_the_other_teams_figures_start_from_the_history_a_level_continues(data_dir):
    """A level continuing the sandbox's history charts a team's own figures from its last
    quarter; the other nations' figures read "-" there on the first turn: they read it too."""
    workshop = Workshop(scenario_for("2011-spike", {}), 3, ("JPN", "CHN"), flags={"teams_see_each_other"})
    table_ = LocalTable(workshop)
    table_.facilitate("start")
    app = open_team_app(table_, "JPN", settings=Settings(sound=False))
    app.frame([])
    tr = app.tr
    china_share = workshop.before["CHN"]["china_share"]
    assert f"{tr('China share')} {figure_text(tr, 'china_share', china_share)}" in app.top.goals_html
    assert not app.top.view["known_now"]  # (its charts read the history's last quarter)


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_projector_s_cards_show_every_figure_in_type_that_grows_with_the_scale(data_dir, language, size,
                                                                                   monkeypatch):
    """At 200% a nation's card had room for two of its three figures, in type no larger than at
    100%: the projector fitted its type to its cards but not its cards to its type. Every card
    shows each of its figures whole, and the type at 200% is no smaller than at 100%."""
    drawn: list[tuple[str, int]] = []  # each line drawn and how far it runs past its width
    monkeypatch.setattr(ProjectorScene, "_text", staticmethod(
        lambda surface, text, font, colour, at, width: drawn.append((text, font.size(text)[0] - width))))
    scales = {}
    for scale in (1.0, 2.0):
        table_ = LocalTable(Workshop(scenario_for("2010-trawler", {}), 3, ("JPN", "CHN"), flags={}))
        facilitator = open_facilitator_app(table_, size, settings=Settings(sound=False, language=language,
                                                                           scale=scale))
        facilitator.frame([])
        press(facilitator, pygame.K_p)
        assert facilitator.top.name == "projector"
        drawn.clear()
        facilitator.frame([])
        tr, others = facilitator.tr, facilitator.top.view["others"]
        names = [tr(FIGURES[column][0]) for code, other in others.items() for column in card_figures(code, other)]
        figures = [(text, past) for text, past in drawn if text.split("  ")[0] in names]
        assert len(figures) == len(names), (scale, figures)
        assert all(past <= 0 for _, past in figures), (scale, figures)
        scales[scale] = facilitator.top.big.scale
    assert scales[2.0] >= scales[1.0], scales


def test_a_long_event_name_runs_onto_a_second_line_of_its_button(data_dir):
    """At 150% in a 1920x1080 window the facilitator's buttons cut most of a level's events
    mid-word ("…rare-earth-rich mud across the Pacifi…"), whole only in their tips: a button
    draws its text on one line. A name too long for one now takes two, and the rows that hold
    them are as tall as two lines need."""
    workshop = Workshop(scenario_for("2011-spike", {}), 3, ("JPN", "USA"))
    workshop.start()
    app = open_hotseat_app(LocalTable(workshop), ("JPN", "USA"), size=(1920, 1080),
                           settings=Settings(sound=False, scale=1.5))
    app.frame([])
    press(app, pygame.K_F2)
    facilitator = app.top
    assert facilitator.name == "facilitator" and not app.compact
    names = {f"{event['date']}  " for event in LocalTable(workshop).facilitator_view()["events"]}
    shown = [f for f in facilitator.focusables if f.tooltip[:12] in names]
    assert len(shown) >= 3
    in_lines = {id(element): lines for element, lines in getattr(facilitator, "button_lines", [])}
    small = app.font("small")
    for focusable in shown:
        element = focusable.element
        drawn = in_lines.get(id(element), [element.text])
        assert " ".join(drawn).split() == focusable.tooltip.split(), (drawn, focusable.tooltip)
        assert len(drawn) * small.get_linesize() <= element.rect.h, (drawn, element.rect)
    assert any(len(lines) == 2 for lines in in_lines.values())
    assert not list(overflowing(facilitator))


def test_an_event_name_as_long_as_a_view_may_hold_is_cut_with_a_few_measures():
    """Found by the view fuzz: the second line of a button was cut one character at a time,
    measuring the text each time, and an event name of 20,000 characters (as long as the door
    lets through) held the facilitator's window for minutes. The cut is found by halving (here
    in a name of 5,000), and is the longest that fits with its ellipsis."""
    from game.ui.button_lines import two_lines

    pygame.font.init()
    font = pygame.font.Font(None, 18)
    ellipsis_measures = []

    class CountingFont:
        def __getattr__(self, name):
            return getattr(font, name)

        def size(self, text):
            if text.endswith("…"):
                ellipsis_measures.append(len(text))
            return font.size(text)

    width = 300
    for text in ("2011Q2  " + "x" * 5000, "2011Q2  Japan " + "and the rest " * 30):
        ellipsis_measures.clear()
        first, second = two_lines(text, CountingFont(), width)
        assert len(ellipsis_measures) < 40, len(ellipsis_measures)
        assert second.endswith("…") and font.size(second)[0] <= width
        kept = second[:-1]
        longer = text[len(first):].lstrip()[:len(kept) + 1]
        assert font.size(longer.rstrip() + "…")[0] > width or longer.rstrip() == kept


def test_the_projector_shows_each_nation_the_figures_its_team_sees_that_mean_something_for_it(data_dir,
                                                                                              monkeypatch):
    """After a quarter the projector's heading named the quarter being played while Japan's card
    read the last one's closing budget, US$85M, where Japan's team had US$1,315M; China's card and
    screen read "China share 100%"; the output index's legend listed a company, which records
    none; and the company's name was cut ("Lynas (a comp…") where it fits in the text's type."""
    workshop = Workshop(scenario_for("2010-trawler", {}), 3, ("JPN", "CHN", "USA"), flags={"teams_see_each_other"})
    table_ = LocalTable(workshop)
    table_.facilitate("start")
    assert table_.submit("JPN", {"kind": "release_stockpile", "material": "ndpr", "tonnes": 100.0})["accepted"]
    for role in ("JPN", "CHN", "USA"):
        table_.finish(role)
    drawn: list[tuple[str, int]] = []  # each line drawn and how far it runs past its width
    monkeypatch.setattr(ProjectorScene, "_text", staticmethod(
        lambda surface, text, font, colour, at, width: drawn.append((text, font.size(text)[0] - width))))
    import game.ui.scenes.projector as projector
    charted: list[str] = []
    real_chart = projector.draw_chart
    monkeypatch.setattr(projector, "draw_chart", lambda size, title, series, *rest, **named: (
        charted.extend(line.label for line in series), real_chart(size, title, series, *rest, **named))[1])
    facilitator = open_facilitator_app(table_, settings=Settings(sound=False))
    facilitator.frame([])
    # The events to bring forward start at the left (a whole name was centred, beside cut ones
    # filling their buttons); a name of two lines has its lines drawn by the scene, also from the left.
    events = [f.element for f in facilitator.top.focusables if re.match(r"\d{4}-\d\d-\d\d ", f.element.text)]
    in_lines = {id(element) for element, _ in facilitator.top.button_lines}
    one_line = [e for e in events if id(e) not in in_lines]
    assert one_line and {e.text_horiz_alignment for e in one_line} == {"left"}
    press(facilitator, pygame.K_p)
    drawn.clear()
    facilitator.frame([])
    tr, texts = facilitator.tr, [text for text, _ in drawn]
    budget = table_.team_view("JPN")["budget_musd"]
    assert budget != workshop.rows["JPN"][-1]["budget_musd"]  # the quarter's money is not the last one's
    assert f"{tr('Budget')}  {figure_text(tr, 'budget_musd', budget)}" in texts, texts
    others = facilitator.top.view["others"]
    china = texts[texts.index(tr("China")):texts.index(tr("China")) + 5]
    assert not any(text.startswith(tr("China share")) for text in china), china
    assert any(text.startswith(tr("Export earnings")) for text in china), china
    companies = [other["name"]["en"] for other in others.values() if other["kind"] == "company"]
    assert companies and not set(companies) & set(charted), charted
    assert all(past <= 0 for text, past in drawn if text in companies), drawn
    team = open_team_app(table_, "CHN", settings=Settings(sound=False))
    team.frame([])
    assert "china_share" not in team.top.chart_columns and "world_mining_share" in team.top.chart_columns
    japan = open_team_app(table_, "JPN", settings=Settings(sound=False))
    japan.frame([])
    china_line = next(line for line in japan.top.goals_html.split("<br>") if f"<b>{tr('China')}</b>" in line)
    assert tr("China share") not in china_line, china_line


@pytest.mark.parametrize("language", ["en", "ja"])
def test_ending_the_turn_now_says_what_the_table_does_to_a_team_not_done(data_dir, language):
    """The facilitator's End the turn now said bots act for the teams not done; the table has
    bots play only the teams away, and a team at its seat keeps what it submitted. The button's
    tip and its dialog now say so, in both languages, and the table does what they say."""
    from game.ui.scenes.facilitator import END_TURN_DETAIL, END_TURN_TIP
    from game.workshop.classroom import BY_BOT

    table_ = trawler_table()
    workshop = table_.workshop
    workshop.leave("JPN")  # away: its bot plays; China is at its seat and not done
    app = open_facilitator_app(table_, settings=Settings(sound=False, language=language))
    app.frame([])
    if app.compact:
        click(app, app.tr("Controls"))
    button = find_button_any(app, app.tr("End the turn now"))
    assert next(tip for element, tip in app.top.tips if element is button) == app.tr(END_TURN_TIP)
    click(app, app.tr("End the turn now"))
    assert app.top.name == "confirm"
    assert app.top.detail == app.tr(END_TURN_DETAIL)
    if language == "ja":
        for text in (END_TURN_TIP, END_TURN_DETAIL):
            assert text in table("ja"), text
    quarter = workshop.quarter
    click(app, app.tr("End the turn now"))
    assert workshop.quarter != quarter, "the quarter was played"
    played = [entry.record.nation for entry in workshop.entries if entry.by == BY_BOT]
    assert "JPN" in played and "CHN" not in played


@pytest.mark.parametrize("hot_seat", [True, False])
def test_a_team_s_screen_opens_on_its_levers_and_asks_before_done_with_no_lever_sent(data_dir, hot_seat):
    """A team's screen opened with the focus on Done and no question: one Enter more after the
    hand-over ended the team's quarter, for good. It opens on the levers, and Done with no lever
    sent this quarter asks first (Enter there says no); with a lever sent, Done is done."""
    table_ = trawler_table()
    workshop = table_.workshop
    if hot_seat:
        app = open_hotseat_app(table_, ("JPN", "CHN"), settings=Settings(sound=False))
        press(app, pygame.K_RETURN)  # past the level's briefing
        press(app, pygame.K_RETURN)  # Japan takes the seat
    else:
        app = open_team_app(table_, "JPN", settings=Settings(sound=False))
        app.frame([])
    team = app.top
    assert team.name == "team" and team.role == "JPN"
    assert team.focused().element is not team.done_button
    assert team.focused().element in team.levers.form
    press(app, pygame.K_RETURN)
    assert app.top.name == "confirm" and "JPN" not in workshop.done
    press(app, pygame.K_RETURN)  # the dialog's Enter says no
    assert app.top is team and "JPN" not in workshop.done
    choose_lever(app, "hold_talks")
    submit(app)
    press(app, pygame.K_RETURN)
    assert "JPN" in workshop.done


@pytest.mark.parametrize("flags", [(), ("pause_after_each_turn",)])
def test_a_hot_seat_goes_on_paused_where_its_facilitator_pauses_after_each_quarter(data_dir, monkeypatch, flags):
    """A hot seat closed while paused between quarters (Pause after each turn on) came back
    playing, where a server's class comes back paused; one without that setting comes back playing."""
    from game.cli import main
    from game.ui import workshop_window
    from game.workshop.results import results_of

    workshop = Workshop(scenario_for("2010-trawler", {}), 3, ("JPN", "USA"), flags=set(flags))
    workshop.start()
    for role in ("JPN", "USA"):
        workshop.finish(role)
    assert workshop.paused == bool(flags)
    saved = data_dir / "class.json"
    saved.parent.mkdir(parents=True, exist_ok=True)
    saved.write_text(results_text(results_of(workshop)), encoding="utf-8")
    opened = {}
    monkeypatch.setattr(workshop_window, "open_hotseat", lambda table, *args, **kwargs: opened.update(table=table))
    assert main(["workshop", "hotseat", "--resume", str(saved)]) == 0
    assert opened["table"].workshop.paused == bool(flags)


@pytest.mark.parametrize("language", ["en", "ja"])
def test_a_served_class_s_facilitator_panel_shows_the_join_codes_and_a_team_never_joined(data_dir, language):
    """The facilitator's window never showed the join codes (only the terminal did), and a team
    that never joined read "waiting for the start" as the others did. A server's facilitator view
    now carries each team's code and whether it joined; the panel shows both."""
    from game.workshop.server import ClassServer
    from game.workshop.server_messages import parse_server_message

    workshop = Workshop(scenario_for("2010-trawler", {}), 3, ("JPN", "CHN", "USA"))
    server = ClassServer(workshop)
    server.workshop.rejoin("JPN")  # Japan's window joined; China and the US never did
    view = server.facilitator_view()
    parse_server_message(json.dumps({"type": "view", "view": view}), facilitator=True)
    assert view["join_codes"] == {role: server.join_codes()[role] for role in ("JPN", "CHN", "USA")}
    assert {role: team["joined"] for role, team in view["teams"].items()} == \
        {"JPN": True, "CHN": False, "USA": False}

    class ServedTable(LocalTable):
        def facilitator_view(self):
            return server.facilitator_view()

    app = open_facilitator_app(ServedTable(workshop), settings=Settings(sound=False, language=language))
    app.frame([])
    if app.compact:
        click(app, app.tr("Teams"))
    html = app.top.teams_html
    for role in ("JPN", "CHN", "USA"):
        assert escape(server.join_codes()[role]) in html
    assert html.count(escape(app.tr("not joined yet"))) == 2


def test_the_command_line_hot_seat_names_its_teams_and_refuses_names_it_cannot_take(data_dir, monkeypatch, capsys):
    """``workshop hotseat`` had no way to name a team, so the report listed three nameless teams.
    ``--team ROLE=NAME`` names one; a role not in the game, a role named twice, names that read
    alike and a name the checks refuse are each one line, and no window opens."""
    from game.cli import main
    from game.ui import workshop_window

    opened = {}
    monkeypatch.setattr(workshop_window, "open_hotseat", lambda table, *args, **kwargs: opened.update(table=table))
    base = ["workshop", "hotseat", "--level", "2010-trawler", "--seed", "7", "--roles", "JPN,CHN,USA"]
    assert main([*base, "--team", "JPN=さくら班", "--team", "usa=Eagles"]) == 0
    assert opened.pop("table").workshop.teams == {"JPN": "さくら班", "USA": "Eagles"}
    for wrong in (["--team", "KOR=Tigers"], ["--team", "JPN=A", "--team", "JPN=B"],
                  ["--team", "JPN=Same", "--team", "CHN=same"], ["--team", "JPN=\x07"], ["--team", "Sakura"]):
        capsys.readouterr()
        try:
            status = main([*base, *wrong])
        except SystemExit as refused:  # (a malformed option: argparse's usage, then its line)
            status = refused.code
        assert status != 0
        err = capsys.readouterr().err.strip()
        assert "--team" in err.splitlines()[-1] and "Traceback" not in err, err
        assert not opened


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_class_briefing_gives_each_team_its_own_position_not_only_japans(data_dir, language):
    """The hot seat's briefing was the level's, Japan's campaign text ("Keep Japan's factories
    running"), for every team: a Chinese or American team read Japan's briefing as its own. Each
    team now has its role card's situation beside its name, and Japan's text says whose it is."""
    from game.scenario.roles_file import load_roles

    workshop = Workshop(scenario_for("2010-trawler", {}), 3, ("JPN", "CHN", "USA"))
    workshop.start()
    app = open_hotseat_app(LocalTable(workshop), workshop.roles, settings=Settings(sound=False, language=language))
    app.frame([])
    briefing = app.top
    assert briefing.name == "class_briefing"
    roles = load_roles()
    for code in ("JPN", "CHN", "USA"):
        situation = roles.role(code).situation[language]
        assert escape(situation) in briefing.side_html, code
    assert escape(roles.role("AUS").situation[language]) not in briefing.side_html  # a bot's: not a team's
    assert escape(app.tr("The level as Japan is briefed on it")) in briefing.briefing_html


def test_an_objective_ending_in_an_aside_takes_its_reason_inside_it_in_japanese():
    """The 2019 level's objective ends 「（全鉱種を価値で加重）」, and the team window added its
    reason as a second bracket: 「…加重）（最低…）」. In Japanese the reason goes inside the first."""
    from types import SimpleNamespace

    from game.ui.strings import Language
    from game.ui.workshop_view import objective_lines

    workshop = Workshop(scenario_for("2010-trawler", {}), 1, ("CHN",))
    table_ = LocalTable(workshop)
    table_.facilitate("start")
    table_.finish("CHN")
    words = WorkshopWords("2010-trawler")
    objective = dict(table_.team_view("CHN")["objectives"][0])
    objective["text"] = {"en": "Keep industry supplied (weighted by value)", "ja": "産業への供給を守る（価値で加重）"}
    for language, joined in (("ja", r"加重[、。]最低"), ("en", r"value\) \(lowest")):
        app = SimpleNamespace(tr=Language(language).tr, language=Language(language),
                              colours=SimpleNamespace(good="#0f0", muted="#888", bad="#f00"))
        [line] = objective_lines(app, [objective], words)
        assert "）（" not in line and re.search(joined, line.replace("<font color='#888'>", "")), (language, line)
