"""What a window takes from a workshop server: everything a server of this version sends passes;
anything malformed is refused in one line naming its part; and what passes never crashes the
team's or the facilitator's window that draws it (views mutated at random, drawn on the dummy
video driver). A window on a server that sends nonsense says so and keeps what it showed."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import os
import threading
import time

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.research.runner import scenario_for
from game.ui.storage import Settings
from game.ui.workshop_window import open_facilitator_app, open_team_app
from game.vocab.quarters import FIRST_YEAR, LAST_YEAR, Quarter
from game.workshop.classroom import Workshop
from game.workshop.protocol import MessageError, message
from game.workshop.quoting import MOST_FIGURE
from game.workshop.results import MOST_TURNS, results_of
from game.workshop.server_messages import MOST_COUNT, MOST_TEXT, parse_server_message
from game.workshop.table import LocalTable
from game.workshop.views import facilitator_view, record_data, team_view


@pytest.fixture(scope="module")
def workshop() -> Workshop:
    """A class two quarters in: actions taken and refused, news, the others' figures shown."""
    workshop = Workshop(scenario_for("2010-trawler", {}), 3, ("JPN", "CHN", "USA"))
    workshop.start()
    workshop.set_flag("teams_see_each_other", True)
    workshop.submit("JPN", {"kind": "release_stockpile", "material": "ndpr", "tonnes": 100.0})
    workshop.submit("CHN", {"kind": "impose_embargo", "partner": "JPN", "materials": ["ndpr", "dytb"]})
    workshop.submit("USA", {"kind": "hold_talks", "partner": "CHN"})
    refused = workshop.submit("JPN", {"kind": "buy_stockpile", "material": "dytb", "tonnes": 900000.0,
                                      "max_price_usd_per_kg": 9000.0})
    assert not refused.accepted  # beyond the budget
    workshop.end_turn()
    workshop.end_turn()
    return workshop


def sent(kind: str, **body) -> str:
    return message(kind, 7, **body)


def test_everything_a_server_of_this_version_sends_is_taken(workshop):
    record = workshop.entries[0].record
    for raw, facilitator in [
        (message("welcome", 0, role="JPN", class_code="K7QM"), False),
        (message("view", view=team_view(workshop, "JPN")), False),
        (message("view", view=team_view(workshop, "CHN")), False),
        (message("view", view=facilitator_view(workshop)), True),
        (sent("record", record=record_data(record, "team")), False),
        (sent("ok"), False),
        (sent("error", reason="only the facilitator may do that"), False),
        (sent("results", results=results_of(workshop, "Class 3B")), True),
    ]:
        assert parse_server_message(raw, facilitator) == json.loads(raw)


def _offtake(view: dict) -> dict:
    """The offtake field of Japan's Invest form (the third lever, its third field)."""
    field = view["levers"][2]["fields"][2]
    assert (view["levers"][2]["kind"], field["name"]) == ("invest_in_project", "offtake_tpy")
    return field


@pytest.mark.parametrize("change, named", [
    (lambda view: view.update(turn="x"), "view.turn: not a number of quarters"),
    (lambda view: view.update(turn=10**40), "view.turn: not a number of quarters"),
    (lambda view: view.update(turns=10**9), "view.turns: not a number of quarters"),
    (lambda view: view.update(quarter="now"), "view.quarter: not a quarter like 2010Q3"),
    (lambda view: view.update(quarter="0999Q1"), "view.quarter: not a quarter like 2010Q3 from 1900 to 2200"),
    (lambda view: view["rows"][0].update(quarter="0"), "view.rows[0].quarter: not a quarter"),
    (lambda view: view["rows"][0].pop("quarter"), "view.rows[0].quarter: missing"),
    (lambda view: view["news"][0].update(quarter=None), "view.news[0].quarter: not text"),
    (lambda view: view.update(levers=7), "view.levers: not a list"),
    (lambda view: view.pop("level"), "view.level: missing"),
    (lambda view: view["levers"][0]["fields"][0].update(type="slider"), "view.levers[0].fields[0].type"),
    (lambda view: view["levers"][0]["fields"][0].update(choices=[["a"]]), "view.levers[0].fields[0].choices"),
    (lambda view: view["news"][0].update(headline="a\x00b"),
     "view.news[0].headline: holds a control or format character (U+0000)"),
    # A format character alone has no width, and the window's buttons refuse to draw it.
    (lambda view: view["levers"][0]["fields"][0].update(choices=[["a", "\u200b"]]),
     "view.levers[0].fields[0].choices[0][1]: holds a control or format character (U+200B)"),
    (lambda view: view["news"][0].update(headline="\u202eevil"),
     "view.news[0].headline: holds a control or format character (U+202E)"),
    (lambda view: view["news"][0].update(headline="\u034f"), "view.news[0].headline: only combining marks"),
    (lambda view: view["rows"][0].update(output_index=[1]), "view.rows[0].output_index: not a number"),
    (lambda view: view["teams"].update(JPN=None), "view.teams.JPN: not a table"),
    (lambda view: view["others"]["CHN"].update(score="high"), "view.others.CHN.score: not a number"),
    # A whole number of hundreds of digits is JSON, but no float: it was compared as one and crashed.
    (lambda view: view["others"]["CHN"].update(score=10**400), "view.others.CHN.score: not a number"),
    (lambda view: view.update(budget_musd=-10**400), "view.budget_musd: not a number"),
    # Another role's money now, which its card and line show: read, so checked.
    (lambda view: view["others"]["CHN"]["spendable_now"].update(budget_musd="lots"),
     "view.others.CHN.spendable_now.budget_musd: not a number"),
    # A key is named as every message names a name: quoted and escaped when it would not show.
    (lambda view: view["teams"].update({"": None}), "view.teams.'': not a table"),
    (lambda view: view["teams"].update({"J\x00N": None}),
     "view.teams: the name 'J\\x00N': holds a control or format character (U+0000)"),
    (lambda view: view["actions"][0].update(said={"template": 5}), "view.actions[0].said.template: not text"),
    (lambda view: view.update(team="x" * 30_000), "view.team: text longer than"),
    # The windows draw a ★ a star: a million froze a team's window or crashed it outright.
    (lambda view: view.update(stars=10**6), "view.stars: not a whole number from 0 to 3"),
    (lambda view: view["objectives"][0].update(star=4), "view.objectives[0].star: not a whole number from 1 to 3"),
    (lambda view: view["objectives"][0].update(star=0), "view.objectives[0].star: not a whole number from 1 to 3"),
    # A form's most that follows its other choices: the window works it out from these.
    (lambda view: _offtake(view)["buys"]["projects"].update({"p": [1.0, "lots", 0.0, 0.0, 1.0]}),
     "view.levers[2].fields[2].buys.projects.p[1]: not a number"),
    (lambda view: _offtake(view).update(high_by={"field": "firm", "highs": []}),
     "view.levers[2].fields[2].high_by.highs: not a table"),
])
def test_a_malformed_view_is_refused_naming_its_part(workshop, change, named):
    view = copy.deepcopy(team_view(workshop, "JPN"))
    change(view)
    with pytest.raises(MessageError) as refused:
        parse_server_message(message("view", view=view), facilitator=False)
    assert named in str(refused.value) and "\n" not in str(refused.value)


@pytest.mark.parametrize("raw, named", [
    (b"\x00\x01", "binary"),
    ("{'type': 'view'", "not JSON"),
    ('{"type": "view", "view": NaN}', "NaN is not a number"),
    ('{"type": "ok", "id": ' + "9" * 5000 + "}", "not JSON"),
    ("[" * 100_000 + "]" * 100_000, "not JSON"),
    ("[1, 2]", "not a JSON object"),
    ('{"type": "launch"}', "unknown type 'launch'"),
    ('{"type": "ok", "id": "seven"}', "id: not a whole number"),
    ('{"type": "welcome", "role": ["JPN"]}', "welcome message: role: not text"),
    ('{"type": "error"}', "error message: reason: missing"),
    ('{"type": "view"}', "view message: view: missing"),
    ('{"type": "record", "record": {"kind": "x"}}', "record.quarter: missing"),
    ('{"type": "results", "results": {"format": "a saved game"}}', "not a workshop results file"),
    ('{"type": "view", "view": 5}', "view message: view: not a table"),
])
def test_a_malformed_message_is_refused_in_one_line(raw, named):
    with pytest.raises(MessageError) as refused:
        parse_server_message(raw, facilitator=False)
    assert named in str(refused.value) and "\n" not in str(refused.value) and len(str(refused.value)) < 300


# ------------------------------------------------------------------ mutated views, drawn

#: Anything at all where a value was: most of these are refused at the door (kept for that).
ODD_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30), st.sampled_from(["", "\x00", "\u202e", "x" * 5000, "2010Q3", "JPN", "ndpr", "number"]),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)

#: Texts the door lets through wherever a text goes, each hard to draw: empty, blank, a word
#: wider than any panel, many lines, right to left, Japanese without a break, emoji, letters
#: under stacks of combining marks, braces and percent signs a formatter might take as its own,
#: another role's code, the longest text a view may hold.
NASTY_TEXTS = ("", " ", "\n\n", "\t", "x" * 5000, "word " * 1000, "line\n" * 200, "\u0645\u0631\u062d\u0628\u0627 abc",
               "\u65e5\u672c\u306e\u8f38\u5165" * 200, "\U0001f980\U0001f525\U0001f9f2", "e\u0301\u0316\u0354" * 40,
               "{0} {name} %s %(x)s {{", "2010Q3", "JPN", "FAC", "bot", "y" * MOST_TEXT)
#: Numbers the door lets through where an amount goes: zero both ways, the largest either way,
#: the smallest above zero, and a whole number where a float was.
NASTY_AMOUNTS = (0.0, -0.0, -1.0, MOST_FIGURE, -MOST_FIGURE, 5e-324, 123456789.987654, 7)
#: Whole numbers for counts, turns and stars: the door takes some of them in each place.
NASTY_COUNTS = (0, 1, 3, -1, MOST_TURNS + 1, MOST_COUNT)
#: Quarters at the calendar's ends, where a quarter was.
NASTY_QUARTERS = (f"{FIRST_YEAR}Q1", f"{LAST_YEAR}Q4", "2010Q1")
#: Texts that are one of a few words: a form field's type, what a role plays.
WORD_SETS = (("number", "integer", "material", "materials", "nation", "nations", "choice"), ("nation", "company"))


def _is_quarter(text: str) -> bool:
    try:
        Quarter.parse(text)
    except ValueError:
        return False
    return True


def _nasty_value(value, data):
    """A value of the kind ``value`` is that a server of this version could send, at its edge:
    most pass the door, and some do not (a count where only 0-3 stars go, a list whose length
    is fixed, a table whose keys are all needed)."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return data.draw(st.sampled_from(NASTY_COUNTS))
    if isinstance(value, float):
        return data.draw(st.sampled_from(NASTY_AMOUNTS))
    if isinstance(value, str):
        words = next((words for words in WORD_SETS if value in words), None)
        if words is not None:
            return data.draw(st.sampled_from(words))
        return data.draw(st.sampled_from(NASTY_QUARTERS if _is_quarter(value) else NASTY_TEXTS))
    if isinstance(value, list):
        how = data.draw(st.sampled_from(("empty", "first", "many", "reversed")))
        if how == "empty" or not value:
            return []
        if how == "first":
            return value[:1]
        if how == "many":  # forty news lines, levers, rows, actions...
            return [copy.deepcopy(item) for item in value for _ in range(40 // len(value) + 1)][:max(40, len(value))]
        return value[::-1]
    if isinstance(value, dict):
        how = data.draw(st.sampled_from(("copy an entry", "add a key", "drop a key", "empty")))
        if how == "empty" or not value:
            return {}
        key = data.draw(st.sampled_from(sorted(value)))
        if how == "drop a key":  # an optional one passes; a needed one is refused
            return {k: item for k, item in value.items() if k != key}
        # Under a new name a window must fit (another team, nation, row figure...), or a key
        # a newer server adds, which the door lets through unread.
        name = data.draw(st.sampled_from([text for text in NASTY_TEXTS if text.strip()]))
        return {**value, name: copy.deepcopy(value[key]) if how == "copy an entry" else "a newer server's"}
    return data.draw(st.sampled_from((None, 0.0, "")))


def _places(value, path=()):
    """Every place in a JSON value: (path to it, what is there)."""
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _places(item, (*path, index))


def _mutated(view, data) -> dict:
    """The view with one to three places changed: mostly to what a server could send at its edge
    (``_nasty_value``), so that most views get past the door and are drawn; about one view in
    six also gets anything at all in one place, or a key dropped, which the door mostly refuses."""
    view = copy.deepcopy(view)
    anything = data.draw(st.integers(0, 5)) == 0
    for change in range(data.draw(st.integers(1, 3))):
        places = [path for path, _ in _places(view) if path]
        path = data.draw(st.sampled_from(places))
        parent = view
        for step in path[:-1]:
            parent = parent[step]
        if anything and change == 0:
            if isinstance(parent, dict) and data.draw(st.booleans()):
                del parent[path[-1]]
            else:
                parent[path[-1]] = data.draw(ODD_VALUES)
        else:
            parent[path[-1]] = _nasty_value(parent[path[-1]], data)
    return view


class FixedTable(LocalTable):
    """A remote table as the window sees it: whatever view the network brought, connected."""

    def __init__(self, workshop, view):
        super().__init__(workshop)
        self.view = view

    def team_view(self, role):
        return {**self.view, "connection": {"ok": True, "message": "connected", "unreadable": False}}

    def facilitator_view(self):
        return self.team_view("FAC")


#: Mutated views a run, each drawn if it gets past the door (VIEW_EXAMPLES=1000 for a longer
#: hunt): made afresh every run, so the suite's runs between them try many more. About 55 of 70
#: are drawn, three times the 18 of 150 drawn before, in about the time those took.
VIEW_EXAMPLES = int(os.environ.get("VIEW_EXAMPLES", "70"))


def test_a_view_that_passes_never_crashes_the_window_that_draws_it(workshop):
    """Most mutated views pass the door and are drawn, by the team's window or the
    facilitator's, and some are refused there. (With any value anywhere, 18 views in 150 got
    past the door: the window was fuzzed with an eighth of what the count said.)"""
    seen = {"drawn": 0, "refused": 0}

    @settings(max_examples=VIEW_EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(data=st.data())
    def drawn_if_it_passes(data):
        facilitator = data.draw(st.booleans())
        view = facilitator_view(workshop) if facilitator else team_view(workshop, "JPN")
        mutated = _mutated(view, data)
        try:
            parse_server_message(message("view", view=mutated), facilitator=facilitator)
        except MessageError:
            seen["refused"] += 1
            return  # refused at the door: the window keeps what it showed
        table = FixedTable(workshop, mutated)
        if facilitator:
            app = open_facilitator_app(table, settings=Settings(sound=False))
        else:
            app = open_team_app(table, "JPN", settings=Settings(sound=False))
        for _ in range(2):
            app.frame([])
        seen["drawn"] += 1

    drawn_if_it_passes()
    tried = seen["drawn"] + seen["refused"]
    assert tried >= VIEW_EXAMPLES * 0.9, seen
    assert seen["drawn"] >= tried * 0.6 and seen["refused"], seen  # (about 0.8 are drawn)


# ------------------------------------------------------------------ a server that sends nonsense


@contextlib.contextmanager
def _table_on(handler):
    """A team's RemoteTable joined to a stand-in server that answers with ``handler``."""
    from websockets.asyncio.server import serve

    from game.workshop.client import RemoteTable

    started, stop = threading.Event(), threading.Event()
    port: list[int] = []

    async def serve_until_stopped():
        async with serve(handler, "127.0.0.1", 0) as server:
            port.append(server.sockets[0].getsockname()[1])
            started.set()
            while not stop.is_set():
                await asyncio.sleep(0.05)

    thread = threading.Thread(target=asyncio.run, args=(serve_until_stopped(),), daemon=True)
    thread.start()
    assert started.wait(10)
    table = RemoteTable(f"127.0.0.1:{port[0]}", "K7QM-3F9XZA")
    try:
        yield table
    finally:
        table.close()
        stop.set()
        thread.join(10)


def test_a_window_on_a_server_that_sends_nonsense_says_so_and_keeps_what_it_showed(workshop):
    good = team_view(workshop, "JPN")

    async def handler(connection):
        async for raw in connection:
            if json.loads(raw)["type"] == "join":
                await connection.send(message("welcome", 0, role="JPN"))
                await connection.send(message("view", view=good))
                await connection.send(message("view", view={**good, "turn": "soon"}))

    with _table_on(handler) as table:
        for _ in range(400):  # (20 s at most: 5 s was once too short on a machine loaded by other work)
            view = table.team_view("JPN")
            if view["connection"].get("unreadable"):
                break
            threading.Event().wait(0.05)
        assert view["connection"] == {"ok": False, "unreadable": True, "class_over": False,
                                      "message": "the server's view message: view.turn: not a number of "
                                                 "quarters (0 to 1205)"}
        assert view["turn"] == good["turn"] and view["levers"] == good["levers"]  # what it last showed
        app = open_team_app(table, "JPN", settings=Settings(sound=False))
        # The window joins again, gets the good view and then the bad one, again and again: what
        # it says depends on the moment, so it is watched until it says it (it failed once in CI,
        # opened just as a new connection's good view had come).
        said = False
        for _ in range(400):
            app.frame([])
            said = app.top.status[1].startswith("The server sent what this window cannot read. Trying again… (the "
                                                "server's view")
            if said:
                break
            threading.Event().wait(0.05)
        assert said, app.top.status


def test_a_window_refused_when_it_joins_again_says_why_and_tries_again_soon(workshop):
    """A joined window whose connection dropped, refused when it joins again (its machine sent
    wrong codes, say), shows the server's reason and joins again within seconds. It waited for
    the server's 20 s close and then read "cannot reach the server"."""
    joins: list[float] = []
    good = team_view(workshop, "JPN")

    async def handler(connection):
        async for raw in connection:
            if json.loads(raw)["type"] != "join":
                continue
            joins.append(time.monotonic())
            if len(joins) == 1:
                await connection.send(message("welcome", 0, role="JPN"))
                await connection.send(message("view", view=good))
                await connection.close(1001, "going away")
                return
            await connection.send(message("error", 0, reason="join again in a minute"))
            await connection.wait_closed()  # the real server waits 20 s for another join

    with _table_on(handler) as table:
        seen = ""
        for _ in range(200):
            seen = table.team_view("JPN")["connection"]["message"]
            if len(joins) >= 3:
                break
            threading.Event().wait(0.05)
        assert len(joins) >= 3, f"joined {len(joins)} times in 10 s"
        assert seen == "join again in a minute"


def test_a_window_refused_when_it_joins_again_words_the_reason_in_its_language(workshop):
    """A Japanese window whose join again was refused with a template and its fields (another
    team has taken the name) said only "Connection lost: reconnecting…", the server's English
    line kept out of sight; it now says the join was refused, and why, in Japanese."""
    from game.ui.strings import Language

    good = team_view(workshop, "JPN")
    refused = MessageError("another team is called {team}: choose another name", team="'Roos'")
    joins: list[float] = []

    async def handler(connection):
        async for raw in connection:
            if json.loads(raw)["type"] != "join":
                continue
            joins.append(time.monotonic())
            if len(joins) == 1:
                await connection.send(message("welcome", 0, role="JPN"))
                await connection.send(message("view", view=good))
                await connection.close(1001, "going away")
                return
            await connection.send(message("error", 0, reason=str(refused), template=refused.template,
                                          fields=refused.values))
            await connection.wait_closed()

    ja = Language("ja").tr
    reason = ja(refused.template, **refused.values)
    assert reason != str(refused)  # (the Japanese table has the template)
    with _table_on(handler) as table:
        app = open_team_app(table, "JPN", settings=Settings(sound=False, language="ja"))
        said = ""
        for _ in range(400):
            app.frame([])
            said = app.top.status[1]
            if reason in said:
                break
            threading.Event().wait(0.05)
        assert reason in said, said


@pytest.mark.parametrize("team, expected", [("x" * 41, ("expected at most {most} characters, got {length:,}",
                                                        {"most": 40, "length": 41})),
                                            ("Roo\u0007s", ("expected text without control or invisible "
                                                             "characters, got '{name}'", {"name": "Roo\\x07s"}))])
def test_a_team_name_refused_at_the_door_keeps_its_template_and_fields(team, expected):
    """The server sent a refused team name as a finished English line, with no template for a
    window to word in its language, though the Japanese table has the templates."""
    from game.workshop.protocol import join_code, new_class_code, new_token, parse_request
    from game.workshop.team_names import team_name_said

    code = join_code(new_class_code(), new_token())
    with pytest.raises(MessageError) as refused:
        parse_request(json.dumps({"type": "join", "code": code, "team": team}))
    assert (refused.value.template, refused.value.values) == team_name_said(team) == expected
    with pytest.raises(MessageError) as not_text:
        parse_request(json.dumps({"type": "join", "code": code, "team": 7}))
    assert not_text.value.values == {"most": 40}


# ------------------------------------------------------------------ texts that draw nothing


@pytest.mark.parametrize("team", ["\ufe0f", "\u034f\u034f", " \u0301", "\u3164\u3164", "\u2800", " \uffa0"])
def test_a_team_name_that_draws_nothing_is_refused_at_the_door(team):
    from game.workshop.protocol import join_code, new_class_code, new_token, parse_request

    code = join_code(new_class_code(), new_token())
    assert parse_request(json.dumps({"type": "join", "code": code, "team": "Hokkaido"})).body["team"] == "Hokkaido"
    with pytest.raises(MessageError, match="expected a name that shows something, got only blanks"):
        parse_request(json.dumps({"type": "join", "code": code, "team": team}))


def test_a_team_name_typed_decomposed_is_kept_composed():
    """"e" and a combining acute is kept as "é": the window's font draws the letter, not the mark."""
    from game.workshop.protocol import join_code, new_class_code, new_token, parse_request

    code = join_code(new_class_code(), new_token())
    joined = parse_request(json.dumps({"type": "join", "code": code, "team": "Cafe\u0301 \u304b\u3099"}))
    assert joined.body["team"] == "Caf\u00e9 \u304c"


def test_a_text_that_draws_nothing_is_drawn_empty_rather_than_crashing_the_window():
    from game.quoting import shows_nothing
    from game.ui.scene import drawable

    for text in ("\ufe0f", "\u034f", "\u200b", " \u0301", "   "):
        assert shows_nothing(text) and drawable(text) == ""
    for text in ("", "a\ufe0f", "\u2764\ufe0f", "e\u0301", "漁船", "\u3164"):
        assert not shows_nothing(text) and drawable(text) == text


def test_figures_too_large_for_one_more_to_count_are_charted_not_a_crash(workshop):
    """Every figure of a team's rows at -1e17 (within the door's 1e18): low + 1 was low again, the
    chart's tick range came out 0 and its log10 a ValueError in the window."""
    view = copy.deepcopy(team_view(workshop, "JPN"))
    for row in view["rows"]:
        for key, value in row.items():
            if isinstance(value, float | int) and not isinstance(value, bool):
                row[key] = -1e17
    parse_server_message(message("view", view=view), facilitator=False)
    app = open_team_app(FixedTable(workshop, view), "JPN", settings=Settings(sound=False))
    for _ in range(2):
        app.frame([])


def test_a_long_classs_news_is_laid_out_newest_first_up_to_a_bound(workshop):
    """A class sends all its news and actions; the news pane laid them all out, 1.4 s a view for
    a thousand items and minutes for fifty thousand (a broken server's)."""
    import time

    from game.ui.scenes.team import MOST_NEWS_LINES

    view = copy.deepcopy(team_view(workshop, "JPN"))
    newest = view["news"][-1]
    view["news"] = view["news"][:1] * 20_000 + [newest]
    view["actions"] = view["actions"][:1] * 5_000
    parse_server_message(message("view", view=view), facilitator=False)
    started = time.perf_counter()
    app = open_team_app(FixedTable(workshop, view), "JPN", settings=Settings(sound=False))
    app.frame([])
    page = app.top
    assert len(page.news_lines) <= MOST_NEWS_LINES + 2 and page.news_lines[-1] == "Earlier news is not shown here."
    assert time.perf_counter() - started < 60  # minutes before; about a second now, even on a slow machine


def test_an_answer_of_the_wrong_kind_is_a_line_in_the_window_not_a_crash(workshop):
    """A server that answered an action with "ok" (or anything but its record) made the window
    raise KeyError on Submit; the results request the same."""
    from game.workshop.classroom import WorkshopError

    good = team_view(workshop, "JPN")

    async def handler(connection):
        async for raw in connection:
            request = json.loads(raw)
            if request["type"] == "join":
                await connection.send(message("welcome", 0, role="JPN"))
                await connection.send(message("view", view=good))
            else:
                await connection.send(message("ok", request.get("id")))

    with _table_on(handler) as table:
        for _ in range(100):
            if table.team_view("JPN")["connection"].get("ok"):
                break
            threading.Event().wait(0.05)
        with pytest.raises(WorkshopError, match="the server answered with 'ok' where record was due"):
            table.submit("JPN", {"kind": "hold_talks", "partner": "CHN"})
        with pytest.raises(WorkshopError, match="where results was due"):
            table.results()


def _error_message(**fields) -> str:
    return json.dumps({"type": "error", "id": 4, "reason": "refused", **fields})


def test_a_refusal_naming_a_team_or_a_figure_is_worded_in_the_windows_language():
    """The server sent its refusals as English lines and the window showed them as they came: in
    a Japanese window "another team is called 'Roos': choose another name" stayed English. It
    sends the template and the names beside the line; the window words it through ``tr``."""
    from game.ui.strings import Language
    from game.vocab.refusals import said_in
    from game.workshop.client import refusal_of

    raw = _error_message(template="another team is called {team}: choose another name", fields={"team": "'Roos'"})
    refusal = refusal_of(parse_server_message(raw, facilitator=False))
    assert str(refusal) == "another team is called 'Roos': choose another name"
    japanese = said_in(Language("ja").tr, refusal)
    assert "'Roos'" in japanese and "another team" not in japanese and "別の名前" in japanese
    # A server of an earlier version sends the English line alone: shown as it is; so does this
    # one for a line that names nothing (and may hold braces of its own).
    assert str(refusal_of(parse_server_message(_error_message(), facilitator=False))) == "refused"
    braces = message("error", 3, reason='act needs an action: {"kind": ..., its fields}')
    assert str(refusal_of(parse_server_message(braces, facilitator=False))).startswith("act needs an action: {")


def test_a_hot_seats_refusal_naming_a_figure_is_worded_in_japanese():
    from game.ui.strings import Language
    from game.vocab.refusals import said_in
    from game.workshop.classroom import WorkshopError

    workshop = Workshop(scenario_for("2010-trawler", {}), 3, ("JPN", "CHN"))
    workshop.start()
    with pytest.raises(WorkshopError) as refused:
        workshop.submit("JPN", {"kind": "set_export_quota", "tonnes_per_year": 100.0})
    assert refused.value.values == {"kind": "'set_export_quota'"}
    japanese = said_in(Language("ja").tr, refused.value)
    assert japanese.startswith("'set_export_quota'") and "levers" not in japanese


@pytest.mark.parametrize("fields, named", [
    ({"template": "no team plays {role}", "fields": {}}, "template: 'role' is not one of its fields"),
    ({"template": "no team plays {role.__class__}", "fields": {"role": "JPN"}}, "template: 'role.__class__'"),
    ({"template": "no team plays {role!r}", "fields": {"role": "JPN"}}, "template: 'role' is not one of its fields"),
    ({"template": "at most {most:>{w}}", "fields": {"most": 3, "w": 9}}, "template: 'most' is not one of its fields"),
    ({"template": "at most {most:,.0f}", "fields": {"most": "three"}}, "template: "),
    ({"template": "no team plays {0}", "fields": {"0": "JPN"}}, "fields: 0 is not a field's name"),
    ({"template": "no team plays {role}", "fields": {"role": {"nested": 1}}}, "fields.role: not a name or a figure"),
    ({"template": "no team plays {role}", "fields": ["JPN"]}, "fields: not a table"),
    ({"template": 7, "fields": {}}, "template: not text"),
    ({"template": "a {", "fields": {}}, "template: "),
    ({"fields": {"role": "JPN"}}, "template: not text"),
])
def test_a_malformed_refusal_is_refused_in_one_line(fields, named):
    with pytest.raises(MessageError) as refused:
        parse_server_message(_error_message(**fields), facilitator=False)
    assert str(refused.value).startswith("the server's error message: ") and named in str(refused.value)
    assert "\n" not in str(refused.value)
