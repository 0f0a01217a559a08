"""Whatever a class's windows send, the server answers each request with one message that the
windows take, and the views it sends them stay ones they take: facilitator commands with odd
arguments, levers from a team's own forms (some with a field made odd), actions that are junk,
done for any quarter, all in any order. Requests go through the server's own handling
(``ClassServer._answer``), on stand-in connections that keep what is sent."""

from __future__ import annotations

import asyncio
import json
from dataclasses import fields

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.actions import ACTION_TYPES
from game.facilitation import FACILITATOR
from game.research.runner import scenario_for
from game.workshop.classroom import Workshop
from game.workshop.codes import FLAGS
from game.workshop import server as server_module
from game.workshop.server import ClassServer, Seat
from game.workshop.server_messages import parse_server_message
from game.workshop.table import FACILITATOR_COMMANDS
from game.workshop.views import team_view

ROLES = ("JPN", "CHN", "USA")
ODD = st.sampled_from([None, True, 0, -1, 2, 10**400, -10**30, 1e308, 0.5, -0.0, 5e-324, "", "JPN", "CHN", "XXX",
                       "ndpr", "cela", ["ndpr"], ["ndpr", "ndpr"], ["JPN"], [], {}, "2010Q4", "x" * 300, "\u202e",
                       100.0, 1e9])


class StandIn:
    """A connection that keeps what the server sends it."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send(self, text: str) -> None:
        self.sent.append(text)

    async def close(self, code: int = 1000, reason: str = "") -> None:
        pass


async def _joined(server: ClassServer) -> dict[str, Seat]:
    """A window joined for every role and the facilitator, each on a stand-in connection."""
    seats = {}
    for role, code in server.join_codes().items():
        seat = seats[role] = Seat(StandIn())
        server.seats[seat.connection] = seat
        await server._answer(seat, json.dumps({"type": "join", "code": code, "id": 1}))
    return seats


def _request(data: st.DataObject, workshop: Workshop, role: str) -> dict:
    kind = data.draw(st.sampled_from(["facilitate", "lever", "lever", "lever", "junk", "done", "done", "done"]),
                     label="kind")
    if kind == "facilitate":
        argument = data.draw(st.one_of(st.just({}), st.fixed_dictionaries({"event": ODD}),
                                       st.fixed_dictionaries({"flag": st.sampled_from(sorted(FLAGS) + ["x"]),
                                                              "on": ODD})), label="argument")
        return {"type": "facilitate", "command": data.draw(st.sampled_from(sorted(FACILITATOR_COMMANDS) + ["x"])),
                "argument": argument}
    if kind == "done":
        return {"type": "done", **data.draw(st.sampled_from([{}, {"quarter": str(workshop.quarter)},
                                                             {"quarter": "2010Q1"}, {"quarter": 5}]))}
    if kind == "lever" and role != FACILITATOR:
        forms = team_view(workshop, role).get("levers", [])
        if forms:
            form = data.draw(st.sampled_from(forms), label="form")
            action = {"kind": form["kind"]}
            for f in form["fields"]:
                if f.get("choices"):
                    action[f["name"]] = data.draw(st.sampled_from(f["choices"]))[0]
                elif f.get("default") is not None:
                    action[f["name"]] = f["default"] * data.draw(st.sampled_from([1, 10, 0.01]))
            if len(action) > 1 and data.draw(st.sampled_from([False, False, True]), label="odd field"):
                action[data.draw(st.sampled_from(sorted(set(action) - {"kind"})))] = data.draw(ODD)
            return {"type": "act", "action": action}
    kind_name = data.draw(st.sampled_from(sorted(ACTION_TYPES)), label="action")
    action = {"kind": kind_name}
    for f in fields(ACTION_TYPES[kind_name]):
        if f.name != "kind" and data.draw(st.booleans()):
            action[f.name] = data.draw(ODD)
    return {"type": "act", "action": action}


@settings(max_examples=40, deadline=None, database=None, derandomize=True, report_multiple_bugs=False,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_every_request_gets_one_answer_the_windows_take(data):
    workshop = Workshop(scenario_for("2010-trawler", {}), data.draw(st.integers(0, 9), label="seed"), ROLES)
    server = ClassServer(workshop)

    async def class_() -> None:
        seats = await _joined(server)
        if data.draw(st.sampled_from([True, True, True, False]), label="started"):
            await server._answer(seats[FACILITATOR], json.dumps({"type": "facilitate", "command": "start"}))
        for step in range(30):
            role = data.draw(st.sampled_from([*ROLES, *ROLES, *ROLES, FACILITATOR]), label="window")
            seat = seats[role]
            try:
                raw = json.dumps({**_request(data, workshop, role), "id": 100 + step}, allow_nan=False)
            except (ValueError, OverflowError):
                continue  # no window could send it
            before = len(seat.connection.sent)
            await server._answer(seat, raw)
            answers = seat.connection.sent[before:]
            assert len(answers) == 1, answers
            parse_server_message(answers[0], facilitator=role == FACILITATOR)
            server._broadcast_now()  # the views as the windows get them, however soon after the last
            for other_role, other in seats.items():
                if other.newest_view is not None:
                    parse_server_message(other.newest_view, facilitator=other_role == FACILITATOR)

    asyncio.run(class_())


def test_a_name_no_window_could_draw_is_refused_at_the_door_and_the_class_goes_on():
    """A team's talks with a partner named by a bidi override were refused in play, and the
    refused action, said back in every window's view, made every window refuse the view: one
    team's odd partner broke the class. Such a name is now refused at the door, in words the
    window takes."""
    workshop = Workshop(scenario_for("2010-trawler", {}), 0, ROLES)
    server = ClassServer(workshop)

    async def class_() -> list[str]:
        seats = await _joined(server)
        await server._answer(seats[FACILITATOR], json.dumps({"type": "facilitate", "command": "start"}))
        reasons = []
        for partner in ("\u202eNHC", "CHN\x00", "\u0301", "X" * 5000):
            usa = seats["USA"].connection
            await server._answer(seats["USA"], json.dumps({"type": "act", "action": {"kind": "hold_talks",
                                                                                     "partner": partner}}))
            reply = parse_server_message(usa.sent[-1], facilitator=False)
            assert reply["type"] == "error"
            reasons.append(reply["reason"])
        server._broadcast_now()  # the views as the windows get them, however soon after the last
        for role, seat in seats.items():
            parse_server_message(seat.newest_view, facilitator=role == FACILITATOR)
        assert workshop.entries == []  # nothing of it reached the game
        return reasons

    reasons = asyncio.run(class_())
    assert 'hold_talks.partner: "\\u202eNHC" holds a control or format character (U+202E)' in reasons[0]
    assert "(U+0000)" in reasons[1] and "shows nothing" in reasons[2] and "at most 200" in reasons[3]


def test_unreadable_messages_are_answered_plainly_and_under_their_id():
    """A whole number of 5,000 digits was refused with Python's advice on set_int_max_str_digits;
    a message that could not be read was refused without its id, so its window waited 15 s."""
    import pytest

    from game.workshop.protocol import MessageError, id_of_unreadable, parse_request

    with pytest.raises(MessageError, match="^not JSON: a number with too many digits$"):
        parse_request('{"type": "results", "id": ' + "9" * 5000 + "}")
    assert id_of_unreadable('{"type": "act", "id": 7, "action": {"tonnes": Infinity}}') == 7
    assert id_of_unreadable('{"type": "act", "action": {"id": 99}, "id": NaN}') is None  # never one deeper in it


def test_an_id_below_zero_is_refused_saying_ids_start_at_zero():
    """An id of -1 was told "id must be a whole number", which it is: the rule is 0 or more."""
    import pytest

    from game.workshop.protocol import MessageError, parse_request

    assert parse_request('{"type": "done", "id": 0}').id == 0
    with pytest.raises(MessageError, match="^id must be a whole number from 0 to "):
        parse_request('{"type": "done", "id": -1}')


def test_a_done_for_a_quarter_to_come_is_not_said_to_have_come_after_it_ended():
    """A done for 2031Q1, years ahead, was refused as having "came after that quarter ended"."""
    server = ClassServer(Workshop(scenario_for("2010-trawler", {}), 1, ("JPN",)))

    async def dones() -> list[dict]:
        seats = await _joined(server)
        server.workshop.start()
        answers = []
        for quarter in ("2031Q1", "2010Q2", "then"):
            seats["JPN"].connection.sent.clear()
            await server._answer(seats["JPN"], json.dumps({"type": "done", "quarter": quarter, "id": 9}))
            answers.append(next(m for m in map(json.loads, seats["JPN"].connection.sent) if m.get("id") == 9))
        return answers

    future, ended, junk = asyncio.run(dones())
    assert future["type"] == ended["type"] == junk["type"] == "error"
    assert "ended" not in future["reason"] and "began" in future["reason"] and "2031Q1" in future["reason"]
    assert "ended" in ended["reason"] and "2010Q2" in ended["reason"]
    assert "ended" not in junk["reason"] and "names the quarter it ends" in junk["reason"]
    assert not server.workshop.done


def test_a_key_given_twice_in_a_message_is_refused_naming_it():
    """JSON takes the last of two: an action naming "materials" twice did what its second said."""
    import pytest

    from game.workshop.protocol import MessageError, parse_request

    with pytest.raises(MessageError, match="^'materials' is given twice in one object$"):
        parse_request('{"type": "act", "id": 3, "action": {"kind": "impose_embargo", "materials": ["NdPr"], '
                      '"partner": "JPN", "materials": ["CeLa"]}}')
    assert parse_request('{"type": "done", "id": 4}').type == "done"


def test_addresses_as_the_server_prints_them_are_taken():
    """The server printed ``::1:PORT`` for an IPv6 address, which join refused (and the
    bracketed form lost its brackets); ``HOST:0`` joined port 8765."""
    import pytest

    pytest.importorskip("websockets")
    from game.workshop.classroom import WorkshopError
    from game.workshop.client import server_uri

    assert server_uri("[::1]:18740") == "ws://[::1]:18740"
    assert server_uri("::1") == "ws://[::1]:8765"
    assert server_uri("192.168.1.20:8765") == "ws://192.168.1.20:8765"
    from game.cli import _host

    assert _host("[::1]") == "::1"  # serve takes the address as it prints it
    for wrong, said in (("::1:18740", "in brackets"), ("127.0.0.1:0", "1 to 65535"), ("[::1", "IPv6"),
                        ("::1]:9", "IPv6"), ("[]:9", "IPv6")):
        with pytest.raises(WorkshopError, match=said):
            server_uri(wrong)


def test_the_facilitator_cannot_command_a_game_that_is_over():
    """Every command after the end is refused: set_flag was taken after it, and the results file,
    written for good at the end, never held the change."""
    import pytest

    from game.workshop.classroom import WorkshopError
    from game.workshop.table import facilitate

    arguments = {"inject": {"event": 0}, "set_flag": {"flag": "teams_see_each_other"}}
    for ending in ("end", "last quarter"):
        workshop = Workshop(scenario_for("2010-trawler", {}), 1, ("JPN",))
        workshop.start()
        if ending == "end":
            workshop.end()
        while not workshop.is_over:
            workshop.end_turn()
        for command in FACILITATOR_COMMANDS:
            with pytest.raises(WorkshopError, match="the game is over"):
                facilitate(workshop, command, arguments.get(command, {}))
        assert workshop.flags == set()


def test_a_resumed_class_keeps_its_refused_actions_and_teams_done_and_its_codes_as_written():
    """A resume dropped refused actions from the record and forgot which teams had said done (the
    bots then acted for them); codes edited in the file were made anew without a word."""
    import pytest

    from game.workshop.results import ResultsError
    from game.workshop.server import resumed_server

    server = ClassServer(Workshop(scenario_for("2010-trawler", {}), 5, ("JPN", "USA")))
    workshop = server.workshop
    workshop.start()
    for role in workshop.roles:
        workshop.rejoin(role)
    project = workshop.scenario.world.projects[0].id
    refused = workshop.submit("JPN", {"kind": "invest_in_project", "project": project, "amount_musd": 90000.0})
    assert not refused.accepted
    workshop.finish("JPN")
    data = json.loads(json.dumps(server.results()))
    again = resumed_server(data)
    assert [(e.record.accepted, e.record.message) for e in again.workshop.entries] == [(False, refused.message)]
    assert again.workshop.done == {"JPN"} and again.workshop.paused
    assert again.join_codes() == server.join_codes()
    for done in ("JPN", ["XXX"], ["JPN", "JPN"], {"JPN": 1}, [["JPN"]]):
        edited = json.loads(json.dumps(data))
        edited["server"]["done"] = done
        with pytest.raises(ResultsError, match="^server.done: not a list of this class's teams"):
            resumed_server(edited)
    for edit, says in ((lambda t: t.update(USA=t["JPN"]), "two roles share one code"),
                       (lambda t: t.pop("FAC"), "server.join_tokens.FAC: missing"),
                       (lambda t: t.update(USA="abc"), "server.join_tokens.USA: missing, or not a code")):
        edited = json.loads(json.dumps(data))
        edit(edited["server"]["join_tokens"])
        with pytest.raises(ResultsError, match=says):
            resumed_server(edited)
    for class_code in {data["server"]["class_code"].lower(), "abcd", "ABC", "ABCDE", "ABØD"} - {data["server"]["class_code"]}:
        edited = json.loads(json.dumps(data))
        edited["server"]["class_code"] = class_code
        with pytest.raises(ResultsError, match=f"^server.class_code: '{class_code}' is not a class code"):
            resumed_server(edited)


def test_team_names_that_differ_only_in_what_nobody_sees_read_alike():
    from game.quoting import as_read

    for one, other in (("Eagles", " Eagles "), ("Team A", "Team  A"), ("Owls", "Owls\ufe0f"), ("Owls", "Ow\u034fls"),
                       ("Café", "Cafe\u0301"), ("ABC", "ａｂｃ"), ("Hawks", "Haw\u200bks"), ("Eagles", "Eagles\u3164"),
                       ("Eagles", "Eagles\U000E0100"), ("Eagles", "Eagles\u2800"), ("Eagles", "Eag\u180bles")):
        assert as_read(one) == as_read(other), (one, other)
    assert as_read("Team A") != as_read("Team B") and as_read("カ") != as_read("ガ")


@pytest.mark.parametrize("latin, look_alike", [("Eagles", "Eagl\u0435s"), ("HOPE", "\u041d\u041e\u0420\u0415"),
                                               ("Kappa", "\u039a\u03b1pp\u03b1"), ("Tokyo", "T\u043ek\u0443o")])
def test_a_name_of_cyrillic_or_greek_letters_drawn_as_latin_reads_as_the_latin_name(latin, look_alike):
    """A team named "Eaglеs" with a Cyrillic е was taken beside "Eagles": nobody could tell them apart."""
    from game.quoting import as_read

    assert latin != look_alike and as_read(latin) == as_read(look_alike)
    assert as_read("Москва") != as_read("Moscow") and as_read("Αθήνα") != as_read("Athena")


@pytest.mark.parametrize("name", ["Team 👨", "Team\u3164\u3164", " ", "x" * 41, "Team\u202eA", "Éagles", "日本チーム"])
def test_a_join_takes_the_team_names_the_command_line_takes_and_refuses_the_others_as_it_does(name):
    """A ClassServer took "Team 👨" at the join, which `workshop join --team` refused: only a
    server the command line made checked the font. Both now ask the same check, in its words."""
    import argparse

    from game.cli import _team_name

    try:
        _team_name(name)
        refused_by_the_command = ""
    except argparse.ArgumentTypeError as error:
        refused_by_the_command = str(error)
    server = ClassServer(Workshop(scenario_for("2010-trawler", {}), 0, ROLES))

    async def join() -> dict:
        seat = Seat(StandIn())
        server.seats[seat.connection] = seat
        code = server.join_codes()["JPN"]
        await server._answer(seat, json.dumps({"type": "join", "code": code, "team": name, "id": 1}))
        return parse_server_message(seat.connection.sent[0], facilitator=False)

    reply = asyncio.run(join())
    if refused_by_the_command:
        # The same words, and the template and fields that make them, for a window in Japanese.
        worded = {key: value for key, value in reply.items() if key not in ("template", "fields")}
        assert worded == {"type": "error", "id": 1, "reason": refused_by_the_command}, reply
        assert reply.get("template", reply["reason"]).format(**reply.get("fields", {})) == refused_by_the_command
        assert "JPN" not in server.workshop.teams or not server.workshop.teams["JPN"]
    else:
        assert reply["type"] == "welcome", reply


def test_a_new_quarter_reaches_every_window_at_once_however_soon_after_the_last_views(monkeypatch):
    """Changes that come faster than views are worked out share the next view (VIEW_SPACING),
    but a quarter's end is not one to wait for: on a long class, whose views took a second and
    a half, the teams would have waited several seconds to see the next quarter."""
    monkeypatch.setattr(server_module, "VIEW_SPACING", 1000.0)  # every view but the first waits
    workshop = Workshop(scenario_for("2010-trawler", {}), 0, ROLES)
    server = ClassServer(workshop)

    async def class_() -> tuple[list[str], list[str]]:
        seats = await _joined(server)
        await server._answer(seats[FACILITATOR], json.dumps({"type": "facilitate", "command": "start"}))
        for role in ROLES[:-1]:
            await server._answer(seats[role], json.dumps({"type": "done"}))
        waited = [json.loads(seat.newest_view or "{}").get("view", {}).get("quarter") for seat in seats.values()]
        await server._answer(seats[ROLES[-1]], json.dumps({"type": "done"}))  # the quarter ends
        return waited, [json.loads(seat.newest_view)["view"]["quarter"] for seat in seats.values()]

    waited, after = asyncio.run(class_())
    assert str(workshop.quarter) == "2010Q4" and "2010Q4" not in waited
    assert after == ["2010Q4"] * (len(ROLES) + 1)
