"""What one machine can do to a class: windows that never join are closed, connections are
capped, a team's windows share one allowance of requests, a team has at most so many windows
and so many actions a quarter, and a stopping server carries out no more queued requests.

The server runs in this process on the loopback address (a real websockets server), with its
limits made small so that each is reached in a moment."""

from __future__ import annotations

import asyncio
import json
import time

import pytest

pytest.importorskip("websockets")

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from game.research.runner import scenario_for
from game.workshop import server as server_module
from game.workshop.classroom import MAX_ACTIONS_PER_QUARTER, Workshop
from game.workshop.server import ClassServer
from tests.workshop_clients import Client, wait_for

ROLES = ("JPN", "USA")
#: A request that changes nothing and costs the server little: a team asking for the facilitator's
#: command is refused.
NOT_THEIRS = {"type": "facilitate", "command": "end"}


async def _serving(server: ClassServer):
    """Start ``server`` on a free port: (its address, the event that stops it, its task)."""
    stop, ready = asyncio.Event(), asyncio.Event()
    task = asyncio.create_task(server.serve("127.0.0.1", 0, ready=lambda port: ready.set(), stop=stop))
    await asyncio.wait_for(ready.wait(), 10)
    return f"ws://127.0.0.1:{server.port}", stop, task


def _class() -> ClassServer:
    return ClassServer(Workshop(scenario_for("2010-trawler", {}), 0, ROLES))


async def _closed_with(connection) -> int | None:
    """The close code a connection ends with (None if it is still open after 5 s)."""
    try:
        await asyncio.wait_for(connection.recv(), 5)
    except ConnectionClosed as closed:
        return closed.rcvd.code if closed.rcvd is not None else None
    except asyncio.TimeoutError:
        return None
    return await _closed_with(connection)


def test_connections_that_never_join_are_closed_and_cannot_keep_a_team_out(monkeypatch, tmp_path):
    monkeypatch.setattr(server_module, "JOIN_SECONDS", 0.5)
    monkeypatch.setattr(server_module, "MAX_WAITING", 2)
    server = _class()
    server.results_path = tmp_path / "class.json"

    async def lesson():
        uri, stop, task = await _serving(server)
        idle = [await connect(uri) for _ in range(3)]  # the third makes the first give way
        team = Client(uri, server.join_codes()["JPN"])  # with the waiting room full: it joins
        welcome = await team.join()
        codes = [await _closed_with(connection) for connection in idle]
        await asyncio.sleep(1.0)  # past the deadline: a joined window stays
        answer = await team.request("done")  # answered: the game has not started
        await team.close()
        stop.set()
        await task
        return codes, welcome, answer

    codes, welcome, answer = asyncio.run(lesson())
    assert codes == [1013, 1013, 1008]  # made room twice, then the deadline
    assert welcome["type"] == "welcome" and "not started" in answer["reason"]


def test_a_teams_windows_share_one_allowance_and_a_team_has_at_most_so_many(monkeypatch, tmp_path):
    monkeypatch.setattr(server_module, "MAX_WINDOWS_PER_TEAM", 3)
    server = _class()
    server.results_path = tmp_path / "class.json"
    each = 25  # under the burst of 30 alone, over it together

    async def lesson():
        uri, stop, task = await _serving(server)
        windows = [Client(uri, server.join_codes()["USA"]) for _ in range(3)]
        for window in windows:
            await window.join()
        fourth = await Client(uri, server.join_codes()["USA"]).join()
        other = Client(uri, server.join_codes()["JPN"])
        await other.join()
        start = time.monotonic()
        for window in windows[:2]:
            for _ in range(each):
                await window.connection.send(json.dumps(NOT_THEIRS | {"id": window._take_id()}))
        answers = [await asyncio.wait_for(w.answers.get(), 30) for w in windows[:2] for _ in range(each)]
        took = time.monotonic() - start
        asked = time.monotonic()
        await asyncio.wait_for(other.request("facilitate", command="end"), 10)
        other_waited = time.monotonic() - asked
        for window in (*windows, other):
            await window.close()
        stop.set()
        await task
        return fourth, answers, took, other_waited

    fourth, answers, took, other_waited = asyncio.run(lesson())
    assert fourth["type"] == "error" and "3 windows open already" in fourth["reason"]
    assert len(answers) == 2 * each and all("only the facilitator" in a["reason"] for a in answers)
    assert took >= 0.8 * (2 * each - server_module.REQUEST_BURST) / server_module.REQUESTS_PER_SECOND
    assert other_waited < 1.0  # another team's allowance is its own


def test_a_team_sends_at_most_so_many_actions_a_quarter():
    workshop = Workshop(scenario_for("2010-trawler", {}), 0, ROLES)
    workshop.start()
    records = [workshop.submit("USA", {"kind": "hold_talks", "partner": "CHN"})
               for _ in range(MAX_ACTIONS_PER_QUARTER)]
    assert len(records) == MAX_ACTIONS_PER_QUARTER
    with pytest.raises(Exception, match=f"at most {MAX_ACTIONS_PER_QUARTER} actions a quarter"):
        workshop.submit("USA", {"kind": "hold_talks", "partner": "CHN"})
    workshop.submit("JPN", {"kind": "hold_talks", "partner": "CHN"})  # each team its own
    workshop.finish("USA")
    workshop.finish("JPN")
    assert workshop.submit("USA", {"kind": "hold_talks", "partner": "CHN"})  # a new quarter


def test_a_burst_of_actions_costs_the_server_a_few_views_not_one_each(monkeypatch, tmp_path):
    """A view holds every action and every piece of news of the class so far, so working the
    windows' views out costs more each quarter (a second and a half for seven teams 40 quarters
    into the sandbox, each sending its 40 actions a quarter): worked out after every action, a
    team's burst kept the server from answering anyone. Here views are made slow, as a long
    class's are, and a team sends a burst of actions: its windows get the newest view after a
    few views worked out, not one per action."""
    worked_out = []
    slow_view = server_module.team_view

    def team_view(workshop, role):
        worked_out.append(role)
        time.sleep(0.02)
        return slow_view(workshop, role)

    monkeypatch.setattr(server_module, "team_view", team_view)
    server = _class()
    server.results_path = tmp_path / "class.json"
    burst = 25  # within the team's allowance: every one is read at once

    async def lesson():
        uri, stop, task = await _serving(server)
        usa, japan = Client(uri, server.join_codes()["USA"]), Client(uri, server.join_codes()["JPN"])
        facilitator = Client(uri, server.join_codes()["FAC"])
        for window in (usa, japan, facilitator):
            await window.join()
        await facilitator.request("facilitate", command="start")
        await asyncio.sleep(0.5)
        worked_out.clear()
        for _ in range(burst):
            await usa.connection.send(json.dumps({"type": "act", "id": usa._take_id(),
                                                  "action": {"kind": "hold_talks", "partner": "CHN"}}))
        answers = [await asyncio.wait_for(usa.answers.get(), 30) for _ in range(burst)]
        await wait_for(usa, lambda view: len(view["actions"]) == burst, 10)
        views_for_the_burst = len(worked_out)
        for window in (usa, japan, facilitator):
            await window.close()
        stop.set()
        await task
        return answers, views_for_the_burst

    answers, views_for_the_burst = asyncio.run(lesson())
    assert [answer["type"] for answer in answers] == ["record"] * burst
    assert views_for_the_burst < burst // 2  # two teams' views a time: one per action was 2 * burst


def test_a_window_joining_and_leaving_in_a_loop_says_a_few_lines_and_then_where_the_team_is(monkeypatch, tmp_path):
    """A window whose network flaps, or a script with a team's code joining in a loop, had the
    console say two lines each time (2,000 lines in 15 s scrolled the join codes and the results
    file's line off the facilitator's console). A team says at most so many lines a while; then,
    once the while is over, one saying where the team is and how many comings and goings it
    left unsaid."""
    monkeypatch.setattr(server_module, "PRESENCE_LINES", 4)
    monkeypatch.setattr(server_module, "PRESENCE_SECONDS", 1.0)
    server = _class()
    server.results_path = tmp_path / "class.json"
    said: list[str] = []
    server.on_presence = lambda role, what: said.append(f"{role} {what}")
    loops = 30

    async def lesson():
        uri, stop, task = await _serving(server)
        japan = Client(uri, server.join_codes()["JPN"])
        await japan.join()  # another team: its line is its own
        for _ in range(loops):
            window = Client(uri, server.join_codes()["USA"])
            await window.join()
            await window.close()
        await asyncio.sleep(0.2)
        during = list(said)
        await asyncio.sleep(1.5)  # the while is over
        await japan.close()
        stop.set()
        await task
        return during

    during = asyncio.run(lesson())
    usa = [line for line in during if line.startswith("USA")]
    assert during[0] == "JPN joined" and usa == ["USA joined", "USA left", "USA joined", "USA left"]
    assert said[len(during)] == f"USA left ({2 * loops - 4} more joins and leaves not said)"


def test_a_stopping_server_carries_out_no_more_queued_requests(tmp_path):
    """Windows that sent thousands of requests kept a stopped server at them for minutes."""
    server = _class()
    server.results_path = tmp_path / "class.json"
    answered_at: list[float] = []
    answer = server._answer

    async def counted(seat, raw):
        answered_at.append(time.monotonic())
        await answer(seat, raw)

    server._answer = counted

    async def lesson():
        uri, stop, task = await _serving(server)
        window = Client(uri, server.join_codes()["USA"])
        await window.join()
        for _ in range(200):  # 30 at once, then 10 a second: about 17 s of requests
            await window.connection.send(json.dumps(NOT_THEIRS | {"id": window._take_id()}))
        await asyncio.sleep(0.5)
        stopped_at = time.monotonic()
        stop.set()
        await asyncio.wait_for(task, 30)
        return stopped_at, time.monotonic() - stopped_at

    stopped_at, took = asyncio.run(lesson())
    assert took < server_module.STOP_SECONDS + 1.0
    # At most the one already on its way when the server heard of the stop (it went on at 10 a
    # second, about 30 more, until its connections were cut).
    assert len([t for t in answered_at if t > stopped_at]) <= 1, "requests were carried out after the server stopped"
    assert (tmp_path / "class.json").exists()


def test_failed_accepts_are_said_in_one_line_a_minute(caplog):
    """asyncio logged a traceback for each connection the system had no file for, every second
    it retried: a flood of connections filled the facilitator's terminal."""
    import errno
    import logging

    from game.workshop.server import AcceptFailures

    handler = AcceptFailures(every_seconds=60.0)
    loop = asyncio.new_event_loop()
    try:
        failure = {"message": "socket.accept() out of system resource",
                   "exception": OSError(errno.EMFILE, "Too many open files")}
        with caplog.at_level(logging.WARNING, logger="game.workshop.server"):
            for _ in range(500):
                handler(loop, failure)
        lines = [r.getMessage() for r in caplog.records if r.name == "game.workshop.server"]
        assert len(lines) == 1 and "Too many open files" in lines[0] and "\n" not in lines[0]
        with caplog.at_level(logging.ERROR, logger="asyncio"):
            handler(loop, {"message": "something else went wrong"})  # anything else: as asyncio says it
        assert any(r.name == "asyncio" and "something else" in r.getMessage() for r in caplog.records)
    finally:
        loop.close()


def test_the_server_takes_no_more_connections_than_the_process_has_files_for(monkeypatch):
    """A Mac allows a process 256 files: 256 connections would have left none for anything
    else, and a connection the system has no file for cannot even be turned away."""
    resource = pytest.importorskip("resource")

    limits = {"soft": 256}
    monkeypatch.setattr(resource, "getrlimit", lambda which: (limits["soft"], resource.RLIM_INFINITY))
    assert server_module.connections_allowed() == 256 - server_module.FILES_KEPT
    limits["soft"] = 1024
    assert server_module.connections_allowed() == server_module.MAX_CONNECTIONS
    limits["soft"] = resource.RLIM_INFINITY
    assert server_module.connections_allowed() == server_module.MAX_CONNECTIONS
    limits["soft"] = 20
    assert server_module.connections_allowed() == 8  # still a few windows


def test_join_codes_cannot_be_guessed_at_speed_and_the_console_says_codes_are_refused(monkeypatch, tmp_path, caplog):
    """A script opening connection after connection had 2,342 codes a second checked (a 7%
    chance of a team's code in a three-hour class), and the console said nothing. Neither a flood
    of wrong codes nor one machine's mistakes may keep another machine out."""
    monkeypatch.setattr(server_module, "MACHINE_JOIN_BURST", 3)
    monkeypatch.setattr(server_module, "MACHINE_JOIN_SECONDS", 0.2)
    monkeypatch.setattr(server_module, "MOST_JOIN_WAIT_SECONDS", 0.5)
    monkeypatch.setattr(server_module, "CLASS_JOINS_PER_SECOND", 20.0)
    server = _class()
    server.results_path = tmp_path / "class.json"
    class_code = server.class_code
    codes = {role: code.rsplit("-", 1)[1] for role, code in server.join_codes().items()}
    joined: list[str] = []
    server.on_presence = lambda role, what: joined.append(f"{role} {what}")

    async def guess(uri: str, token: str, source: str = "127.0.0.1", leave: bool = False) -> str:
        async with connect(uri, local_addr=(source, 0)) as connection:
            await connection.send(json.dumps({"type": "join", "id": 1, "code": f"{class_code}-{token}"}))
            if leave:
                return "left"
            return json.loads(await connection.recv()).get("reason", "welcome")

    async def lesson():
        uri, stop, task = await _serving(server)
        answers = {"first": await guess(uri, "ZZZZ00")}  # a machine with no wrong code lately: at once
        began = time.monotonic()
        answers["next"] = [await guess(uri, f"ZZZZ{k:02d}") for k in range(1, 7)]
        answers["took"] = time.monotonic() - began
        # The machine floods: past half a second of waiting its joins are turned away unchecked...
        flood = [asyncio.create_task(guess(uri, f"ZZZY{k:02d}")) for k in range(12)]
        await asyncio.sleep(0.05)
        # ... while another machine joins at once, and one that mistyped once goes on its own allowance.
        began = time.monotonic()
        answers["other"] = await guess(uri, codes["USA"], "127.0.0.2")
        answers["typo"] = await guess(uri, "ZZZX00", "127.0.0.3")
        answers["after typo"] = await guess(uri, codes["FAC"], "127.0.0.3")
        answers["others took"] = time.monotonic() - began
        answers["flood"] = await asyncio.gather(*flood)
        # A window that leaves while its join waits is not seated.
        await guess(uri, codes["JPN"], leave=True)
        await asyncio.sleep(1.0)
        # A joined window sends another team's code: refused unchecked, as a wrong one would be.
        async with connect(uri, local_addr=("127.0.0.4", 0)) as window:
            for n, token in enumerate((codes["JPN"], codes["USA"], "ZZZW00"), 1):
                await window.send(json.dumps({"type": "join", "id": n, "code": f"{class_code}-{token}"}))
                answer = json.loads(await window.recv())
                while answer.get("id") != n:  # the views a joined window is sent
                    answer = json.loads(await window.recv())
                answers[f"window {n}"] = answer.get("reason", "welcome")
        stop.set()
        await task
        return answers

    with caplog.at_level("WARNING", logger=server_module.log.name):
        answers = asyncio.run(lesson())
    wrong = "no team has that join code in this class"
    assert answers["first"] == wrong and answers["next"] == [wrong] * 6
    assert answers["took"] >= (6 - 3) * 0.2 * 0.9  # past its burst, one every 0.2 s here
    assert answers["other"] == "welcome" and answers["typo"] == wrong and answers["after typo"] == "welcome"
    assert answers["others took"] < 0.8
    turned_away = "many wrong join codes came from this machine or are arriving: join again in a minute"
    assert turned_away in answers["flood"] and wrong in answers["flood"]
    assert answers["window 1"] == "welcome"
    assert answers["window 2"] == answers["window 3"] == "this window already plays JPN"
    assert joined == ["USA joined", "USA left", "JPN joined", "JPN left"]  # the JPN that left while waiting: not seated
    said = [record.getMessage() for record in caplog.records]
    assert said and said[0].startswith("1 join(s) refused with a wrong code or turned away so far, from 1 machine(s)")


def test_a_full_table_of_machines_slows_the_next_machine_rather_than_forgetting(monkeypatch):
    """With more than 4,096 machines, the 2,048 oldest were forgotten, marked ones among them:
    5,000 addresses had 1,784 codes a second checked."""
    monkeypatch.setattr(server_module, "MOST_MACHINES_REMEMBERED", 3)
    codes = server_module.WrongCodes()
    for k in range(3):
        codes.refused(f"10.0.0.{k}")
    assert codes.allowance("10.0.0.9") is not None  # a machine not among them counts as one that sent wrong codes
    codes.refused("10.0.0.9")
    assert all(codes.allowance(f"10.0.0.{k}") is not None for k in range(3))  # none forgotten
    assert len(codes.by_address) == 4


def test_after_the_end_a_team_keeps_the_name_its_results_have(tmp_path):
    """A team joined again after the end under another name: the projector showed it, while the
    results file, written for good at the end, kept the old one. (Refusing such a join kept a
    window of the team, named otherwise, out for good.)"""
    server = _class()
    server.results_path = tmp_path / "class.json"
    codes = server.join_codes()

    async def lesson():
        uri, stop, task = await _serving(server)
        team = Client(uri, codes["JPN"], team="Early")
        facilitator = Client(uri, codes["FAC"])
        await team.join()
        await facilitator.join()
        await facilitator.request("facilitate", command="start")
        ended = await facilitator.request("facilitate", command="end")
        await team.close()
        renamed = await Client(uri, codes["JPN"], team="Late").join()
        again = await Client(uri, codes["JPN"], team="Early").join()
        await facilitator.close()
        stop.set()
        await task
        return ended, renamed, again

    ended, renamed, again = asyncio.run(lesson())
    assert ended["type"] == "ok"
    assert renamed["type"] == "welcome" and again["type"] == "welcome"  # a window joins again after the end...
    assert server.workshop.teams["JPN"] == "Early"  # ... under the name its results have
    assert json.loads(server.results_path.read_text(encoding="utf-8"))["nations"]["JPN"]["team"] == "Early"


def test_a_connection_that_never_finishes_its_handshake_is_closed_within_seconds(tmp_path):
    """Held 10 s each by websockets' default, 400 such connections a second held every file the
    process could open, and a team's window could not connect."""
    import socket

    server = _class()
    server.results_path = tmp_path / "class.json"

    async def lesson():
        uri, stop, task = await _serving(server)
        silent = socket.create_connection(("127.0.0.1", server.port))
        silent.setblocking(False)
        began = time.monotonic()
        loop = asyncio.get_running_loop()
        got = await asyncio.wait_for(loop.sock_recv(silent, 1024), 8)  # b"" once the server closes it
        held = time.monotonic() - began
        silent.close()
        stop.set()
        await task
        return got, held

    got, held = asyncio.run(lesson())
    assert got == b"" and held < server_module.OPEN_SECONDS + 1.5


def _server_lines(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == server_module.log.name]


def test_the_console_says_why_a_window_was_closed_for_a_large_message_or_for_never_joining(monkeypatch, tmp_path,
                                                                                         caplog):
    """A window closed for a message larger than the server takes (code 1009), or one that never
    joined, dropped without a line on the facilitator's console: nobody could tell why."""
    monkeypatch.setattr(server_module, "JOIN_SECONDS", 0.5)
    server = _class()
    server.results_path = tmp_path / "class.json"

    async def lesson():
        uri, stop, task = await _serving(server)
        usa = Client(uri, server.join_codes()["USA"])
        await usa.join()
        await usa.connection.send("x" * 70_000)  # over a joined window's limit
        await asyncio.wait_for(usa.connection.wait_closed(), 10)
        large = usa.connection.close_code
        async with connect(uri) as early:  # over a join's limit, before joining
            await early.send("y" * 2_000)
            early_large = await _closed_with(early)
        async with connect(uri) as idle:  # connects, and never joins
            never = await _closed_with(idle)
        await asyncio.sleep(0.2)
        stop.set()
        await task
        return large, early_large, never

    with caplog.at_level("WARNING", logger=server_module.log.name):
        assert asyncio.run(lesson()) == (1009, 1009, 1008)
    lines = _server_lines(caplog)
    large = [line for line in lines if "1009" in line]
    assert len(large) == 2 and any("USA" in line for line in large), lines
    assert len([line for line in lines if "1008" in line]) == 1, lines


def test_windows_that_never_join_say_a_few_lines_and_then_how_many_more(monkeypatch, tmp_path, caplog):
    """A script connecting in a loop would scroll the join codes off the console, as a flapping
    team's joins did: at most PRESENCE_LINES a while, then one line counting the rest."""
    monkeypatch.setattr(server_module, "PRESENCE_LINES", 2)
    monkeypatch.setattr(server_module, "PRESENCE_SECONDS", 1.0)
    server = _class()
    server.results_path = tmp_path / "class.json"
    tries = 6

    async def lesson():
        uri, stop, task = await _serving(server)
        for _ in range(tries):
            async with connect(uri):
                pass  # closed at once, never joined
        await asyncio.sleep(0.2)
        during = len(_server_lines(caplog))
        await asyncio.sleep(1.5)  # the while is over
        stop.set()
        await task
        return during

    with caplog.at_level("WARNING", logger=server_module.log.name):
        during = asyncio.run(lesson())
    lines = _server_lines(caplog)
    assert during == 2 and len(lines) == 3, lines
    assert str(tries - 2) in lines[-1], lines
