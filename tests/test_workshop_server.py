"""A class on the network, on the loopback address: ``rare-earths workshop serve`` with four
bot-driven team windows and the facilitator's, a level played to the end, one team's machine
dropping out mid-game and joining again; and what a forged or malformed message gets."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import time

import pytest

pytest.importorskip("websockets")

from game.workshop.classroom import WorkshopError
from game.workshop.client import RemoteTable
from game.workshop.results import read_results, replay, results_of
from game.workshop.server import REQUEST_BURST, REQUESTS_PER_SECOND, WRITE_DELAY
from tests.workshop_clients import (
    Client,
    chosen_action,
    heading_of,
    play_turn,
    start_server,
    started_class,
    stop_server,
    wait_for,
)

loop_time = time.monotonic
ROLES = ("JPN", "CHN", "USA", "AUS")


@pytest.fixture()
def server(tmp_path):
    out = tmp_path / "class.json"
    process, port, codes = start_server("--level", "2010-trawler", "--roles", ",".join(ROLES), "--seed", "5",
                                        "--out", str(out), "--title", "Class 3B")
    yield f"ws://127.0.0.1:{port}", codes, out
    assert stop_server(process) == 128 + signal.SIGTERM  # it stops at once, whoever is still joined


def test_a_class_plays_to_the_end_and_a_team_that_drops_out_loses_nothing(server):
    uri, codes, out = server

    async def lesson():
        facilitator = Client(uri, codes["facilitator"])
        assert (await facilitator.join())["role"] == "FAC"
        teams = {role: Client(uri, codes[role], team=f"Team {role}") for role in ROLES}
        for role, client in teams.items():
            assert (await client.join())["role"] == role
        assert (await facilitator.request("facilitate", command="start"))["type"] == "ok"
        dropped_at = rejoined_at = None
        usa_before = []
        turn = 1
        while True:
            playing = [c for c in teams.values() if c.connection is not None]
            for client in playing:
                await wait_for(client, lambda v, t=turn: v.get("turn", 0) >= t and v.get("started"))
            if turn == 3:  # the USA's machine crashes before it plays this quarter
                usa = teams["USA"]
                usa_before = [a for a in usa.view["actions"]]
                await usa.kill()
                usa.connection = None
                dropped_at = turn
            if turn == 6:  # and is back three quarters later, with the same code
                usa = Client(uri, codes["USA"], team="Team USA")
                assert (await usa.join())["role"] == "USA"
                teams["USA"] = usa
                await wait_for(usa, lambda v: v.get("turn") == 6)
                # nothing it did was lost, and it sees every quarter played
                mine = usa.view["actions"]
                assert mine[:len(usa_before)] == usa_before
                assert [a["by"] for a in mine[len(usa_before):]] == ["bot"] * (len(mine) - len(usa_before))
                assert len(usa.view["rows"]) == 5
                rejoined_at = turn
            present = [c for c in teams.values() if c.connection is not None]
            await asyncio.gather(*(play_turn(c) for c in present))
            await wait_for(facilitator, lambda v, t=turn: v.get("turn", 0) > t or v.get("over"))
            if facilitator.view["over"]:
                break
            turn += 1
        results = (await facilitator.request("results"))["results"]
        for client in [facilitator, *[c for c in teams.values() if c.connection is not None]]:
            await client.close()
        return results, dropped_at, rejoined_at

    results, dropped_at, rejoined_at = asyncio.run(lesson())
    assert (dropped_at, rejoined_at) == (3, 6)
    assert results["turns_played"] == 10 and not results["ended_early"]
    by_usa = [(a["quarter"], a["by"]) for a in results["actions"] if a["nation"] == "USA"]
    # turns 3 to 5 (2011Q1-2011Q3) its bot played; before and after, the team did
    assert {b for q, b in by_usa if q < "2011Q1"} == {"team"}
    assert {b for q, b in by_usa if "2011Q1" <= q < "2011Q4"} <= {"bot"}
    assert {b for q, b in by_usa if q >= "2011Q4"} == {"team"}
    assert all(results["nations"][role]["team"] == f"Team {role}" for role in ROLES)
    # the file the server wrote is the same game, and a hot-seat replay of its actions gives
    # every team the same figures and stars
    written = read_results(out)
    assert written["nations"] == results["nations"]
    again = results_of(replay(written), written["title"])
    assert again["nations"] == written["nations"]
    assert again["japan_rows"] == written["japan_rows"]
    assert again["actions"] == written["actions"]  # refused ones too, refused again


def test_forged_and_malformed_messages_are_refused_and_change_nothing(server):
    uri, codes, _ = server

    async def attacks():
        facilitator = Client(uri, codes["facilitator"])
        await facilitator.join()
        await facilitator.request("facilitate", command="start")
        answers = {}
        from websockets.asyncio.client import connect

        async def unjoined() -> Client:
            window = Client(uri, codes["USA"])
            window.answers, window.views = asyncio.Queue(), asyncio.Event()
            window.connection = await connect(uri)
            window._listener = asyncio.create_task(window._listen())
            return window

        # before joining, nothing is taken, and anything but a join closes the connection (a join
        # refused, its code mistyped, may be tried again)
        window = await unjoined()
        answers["before join"] = await window.send_raw(json.dumps({"type": "act", "action": {
            "kind": "hold_talks", "partner": "CHN"}}))
        await asyncio.wait_for(window.connection.wait_closed(), 10)
        window = await unjoined()
        answers["bad code form"] = await window.send_raw(json.dumps({"type": "join", "code": "not a code"}))
        await window.close()
        usa = await unjoined()
        answers["wrong code"] = await usa.request("join", code=codes["USA"][:5] + "ZZZZZZ")
        answers["joined"] = await usa.request("join", code=codes["USA"])
        answers["for another"] = await usa.send_raw(json.dumps(
            {"type": "act", "role": "CHN", "action": {"kind": "impose_embargo", "partner": "JPN"}}))
        answers["not its lever"] = await usa.request("act", action={"kind": "impose_embargo", "partner": "JPN"})
        answers["facilitator's"] = await usa.request("facilitate", command="end")
        answers["not json"] = await usa.send_raw("{'type': 'act'")
        answers["not an object"] = await usa.send_raw("[1, 2]")
        answers["unknown type"] = await usa.send_raw(json.dumps({"type": "cheat"}))
        answers["NaN"] = await usa.send_raw('{"type": "act", "action": {"kind": "set_import_tariff", '
                                            '"partner": "CHN", "rate": NaN}}')
        answers["bad field"] = await usa.request("act", action={"kind": "set_import_tariff", "partner": "CHN",
                                                               "rate": "high"})
        answers["deep"] = await usa.send_raw('{"type": "act", "action": ' + "[" * 5000 + "]" * 5000 + "}")
        answers["binary"] = await usa.connection.send(b"\x00\x01") or await asyncio.wait_for(usa.answers.get(), 10)
        # long texts where a name goes: the reason names them in a few words
        long_answers = [
            await facilitator.request("facilitate", command="c" * 30_000),
            await facilitator.request("facilitate", command="set_flag", argument={"flag": "f" * 30_000}),
            await usa.send_raw(json.dumps({"type": "done", "k" * 30_000: 1})),
            await usa.request("act", action={"kind": "x" * 30_000}),
        ]
        answers.update({f"long {i}": answer for i, answer in enumerate(long_answers)})
        view = facilitator.view
        # too large: the connection is closed with a reason
        await usa.connection.send("x" * 70_000)
        await asyncio.wait_for(usa.connection.wait_closed(), 10)
        closed = (usa.connection.close_code, usa.connection.close_reason)
        await asyncio.sleep(0.2)
        await facilitator.request("results")
        after = facilitator.view
        await facilitator.close()
        return answers, view, after, closed

    answers, view, after, closed = asyncio.run(attacks())
    assert answers["joined"]["type"] == "welcome" and answers["joined"]["role"] == "USA"
    for name, answer in answers.items():
        if name != "joined":
            assert answer["type"] == "error" and answer["reason"], (name, answer)
    assert "join first" in answers["before join"]["reason"]
    assert "no team has that join code" in answers["wrong code"]["reason"]
    assert "acts only for itself" in answers["for another"]["reason"]
    assert "not one of your levers" in answers["not its lever"]["reason"]
    assert "only the facilitator" in answers["facilitator's"]["reason"]
    assert "NaN" in answers["NaN"]["reason"]
    assert "rate" in answers["bad field"]["reason"]
    assert all(len(answers[f"long {i}"]["reason"]) < 600 for i in range(4))
    assert closed[0] == 1009
    # none of it reached the world: no action was recorded, the game goes on at its first turn
    assert view["actions"] == [] and after["actions"] == []
    assert after["turn"] == 1 and not after["over"]


def test_a_window_that_stops_reading_holds_up_nobody_else(server):
    """A laptop goes to sleep with its window joined: its connection stays open and unread. The
    server once sent each view to every window in turn, so after a few quarters of views piled
    up for it, the server stopped answering everyone until the connection timed out."""
    uri, codes, _ = server

    async def class_with_a_sleeping_laptop():
        facilitator, (asleep, *awake) = await started_class(uri, codes, ("AUS", "JPN", "CHN", "USA"))
        asleep.connection.transport.pause_reading()  # the lid closes
        for _ in range(4):  # the old server stopped answering in the third quarter
            for index in range(60):  # every action sends every window a new view
                answer = await asyncio.wait_for(
                    awake[index % 3].request("act", action={"kind": "hold_talks", "partner": "CHN"}), 10)
                assert answer["type"] in ("record", "error")
            for client in awake:
                await asyncio.wait_for(client.request("done"), 10)
            await asyncio.wait_for(facilitator.request("facilitate", command="end_turn"), 10)
        await wait_for(awake[1], lambda view: view.get("turn", 0) >= 5)
        turn = awake[1].view["turn"]
        for client in (*awake, facilitator):
            await client.close()
        return turn

    assert asyncio.run(class_with_a_sleeping_laptop()) >= 5


def test_a_window_that_floods_the_server_is_slowed_and_nobody_else_is(server):
    """A script sends requests as fast as it can: its requests wait their turn (all of them are
    answered, none refused), while another team's window is answered at once."""
    uri, codes, _ = server
    flood = REQUEST_BURST + 20

    async def a_flood():
        facilitator = Client(uri, codes["facilitator"])
        await facilitator.join()
        await facilitator.request("facilitate", command="start")
        flooder, other = Client(uri, codes["USA"]), Client(uri, codes["JPN"])
        await flooder.join()
        await other.join()
        start = loop_time()
        for _ in range(flood):  # sent without waiting for the answers
            await flooder.connection.send(json.dumps({"type": "act", "id": flooder._take_id(),
                                                      "action": {"kind": "hold_talks", "partner": "CHN"}}))
        await asyncio.sleep(0.5)  # the flooder's allowance is used up by now
        asked = loop_time()
        answer = await asyncio.wait_for(other.request("act", action={"kind": "hold_talks", "partner": "CHN"}), 10)
        other_waited = loop_time() - asked
        answers = [await asyncio.wait_for(flooder.answers.get(), 30) for _ in range(flood)]
        flood_took = loop_time() - start
        for client in (flooder, other, facilitator):
            await client.close()
        return answer, other_waited, answers, flood_took

    answer, other_waited, answers, flood_took = asyncio.run(a_flood())
    assert answer["type"] == "record" and other_waited < 1.0
    assert len(answers) == flood and all(a["type"] in ("record", "error") for a in answers)
    assert not any("too many" in a.get("reason", "") for a in answers)
    assert flood_took >= 0.8 * (flood - REQUEST_BURST) / REQUESTS_PER_SECOND


def test_a_window_plays_through_the_remote_table(server):
    uri, codes, _ = server
    address = uri.removeprefix("ws://")
    facilitator = RemoteTable(address, codes["facilitator"])
    chn = RemoteTable(address, codes["CHN"], team="Dragons")
    try:
        assert (facilitator.role, chn.role) == ("FAC", "CHN")
        with pytest.raises(WorkshopError, match="not started"):
            chn.submit("CHN", {"kind": "set_export_duty", "material": "ndpr", "rate": 0.3})
        facilitator.facilitate("start")
        record = chn.submit("CHN", {"kind": "set_export_duty", "material": "ndpr", "rate": 0.3})
        assert record["accepted"] and "30%" in record["message"]
        refused = chn.submit("CHN", {"kind": "set_export_duty", "material": "ndpr", "rate": 2.0})
        assert not refused["accepted"] and "duty" in refused["message"]
        with pytest.raises(WorkshopError, match="only the facilitator"):
            chn.facilitate("end")

        def view_at_turn(turn: int) -> dict:
            for _ in range(100):
                view = chn.team_view("CHN")
                if view.get("turn") == turn:
                    break
                asyncio.run(asyncio.sleep(0.05))
            return view

        facilitator.facilitate("end_turn")
        view = view_at_turn(2)
        assert view["connection"]["ok"] and view["team"] == "Dragons" and len(view["rows"]) == 1
        # Done for the quarter its window shows: the server takes it, and as the other teams have
        # not joined, the quarter ends.
        chn.finish("CHN")
        view = view_at_turn(3)
        assert view["quarter"] == "2011Q1"
        assert [a["message"] for a in view["actions"] if a["accepted"]] == ["Export duty on NdPr oxide set at 30%"]
        with pytest.raises(WorkshopError, match="join code"):
            RemoteTable(address, "ZZZZ-ZZZZZZ")
        with pytest.raises(WorkshopError, match="looks like"):
            RemoteTable(address, "nonsense")
        with pytest.raises(WorkshopError, match="server address"):
            RemoteTable("host:99999", codes["CHN"])
    finally:
        chn.close()
        facilitator.close()


def test_results_that_cannot_be_written_stop_neither_the_class_nor_the_server(tmp_path, monkeypatch):
    """A full disk, or a folder gone: the facilitator's 'end' is answered, and on the way out the
    results go to the system's folder for temporary files, and the server says where."""
    from game.research.runner import scenario_for
    from game.workshop.classroom import Workshop
    from game.workshop.server import ClassServer, ResultsNotWritten

    rescue_folder = tmp_path / "temporary"
    rescue_folder.mkdir()
    earlier = rescue_folder / "class.json"  # an earlier class's results, rescued there: never written over
    earlier.write_text("an earlier class's results", encoding="utf-8")
    monkeypatch.setattr("tempfile.gettempdir", lambda: str(rescue_folder))
    server = ClassServer(Workshop(scenario_for("2010-trawler", {}), 5, ("JPN", "CHN")), title="Class 3B")
    server.results_path = tmp_path / "gone" / "class.json"  # its folder is not there
    codes = server.join_codes()

    async def class_that_ends():
        stop, ready = asyncio.Event(), asyncio.Event()
        serving = asyncio.create_task(server.serve("127.0.0.1", 0, lambda port: ready.set(), stop))
        await asyncio.wait_for(ready.wait(), 30)
        facilitator = Client(f"ws://127.0.0.1:{server.port}", codes["FAC"])
        await facilitator.join()
        await facilitator.request("facilitate", command="start")
        answer = await facilitator.request("facilitate", command="end")  # the results are written here
        await facilitator.close()
        stop.set()
        with pytest.raises(ResultsNotWritten) as refused:
            await serving
        return answer, str(refused.value)

    answer, problem = asyncio.run(class_that_ends())
    assert answer["type"] == "ok"
    rescued = rescue_folder / "class-2.json"
    assert problem == (f"cannot write the results to {server.results_path}: No such file or directory; "
                       f"they are in {rescued}")
    assert read_results(rescued)["title"] == "Class 3B"
    assert earlier.read_text(encoding="utf-8") == "an earlier class's results"


def test_a_done_sent_twice_ends_one_quarter(tmp_path):
    """A team alone in its class clicks done twice, or its window retries: the second done names a
    quarter that has ended and is refused, where it ended the next quarter too (200 of them
    played a level in a second)."""
    process, port, codes = start_server("--level", "2010-trawler", "--roles", "JPN", "--seed", "5",
                                        "--out", str(tmp_path / "class.json"))
    uri = f"ws://127.0.0.1:{port}"

    async def double_click():
        facilitator, (team,) = await started_class(uri, codes, ("JPN",))
        await wait_for(team, lambda view: view.get("started"))
        first = team.view["quarter"]
        answers = [await team.request("done", quarter=first), await team.request("done", quarter=first)]
        await wait_for(team, lambda view: view.get("turn", 0) == 2)
        answers.append(await team.request("done", quarter=2011))
        answers.append(await team.request("done", quarter=team.view["quarter"]))
        await wait_for(team, lambda view: view.get("turn", 0) == 3)
        turn = team.view["turn"]
        await team.close()
        await facilitator.close()
        return first, answers, turn

    try:
        first, answers, turn = asyncio.run(double_click())
    finally:
        assert stop_server(process) == 128 + signal.SIGTERM
    assert answers[0]["type"] == "ok"
    assert answers[1]["type"] == "error" and answers[1]["reason"].startswith(f"done for {first} came after")
    assert answers[2]["type"] == "error" and "names the quarter it ends" in answers[2]["reason"]
    assert answers[3]["type"] == "ok" and turn == 3


def test_the_facilitators_resume_ends_a_quarter_whose_last_team_left_during_the_pause(tmp_path):
    """Japan and the United States done, the facilitator pauses, Australia's window closes (the
    only team not done), the facilitator resumes: the quarter stayed open for ever, as only a
    team's leaving ended it. Resuming ends it now, Australia's bot playing for it."""
    process, port, codes = start_server("--level", "2010-trawler", "--roles", "JPN,USA,AUS", "--seed", "5",
                                        "--out", str(tmp_path / "class.json"))
    uri = f"ws://127.0.0.1:{port}"

    async def paused_and_left():
        facilitator, (japan, usa, australia) = await started_class(uri, codes, ("JPN", "USA", "AUS"))
        await wait_for(japan, lambda view: view.get("started"))
        for team in (japan, usa):
            assert (await team.request("done"))["type"] == "ok"
        await facilitator.request("facilitate", command="pause")
        await australia.close()
        await wait_for(facilitator, lambda view: not view["teams"]["AUS"]["present"])
        assert facilitator.view["turn"] == 1  # paused: nothing ends while it is
        await facilitator.request("facilitate", command="resume")
        await wait_for(japan, lambda view: view.get("turn", 0) == 2, seconds=10)
        by_australia = [a["by"] for a in facilitator.view["actions"] if a["nation"] == "AUS"]
        for client in (facilitator, japan, usa):
            await client.close()
        return by_australia

    try:
        by_australia = asyncio.run(paused_and_left())
    finally:
        assert stop_server(process) == 128 + signal.SIGTERM
    assert set(by_australia) <= {"bot"}


@pytest.mark.usefixtures("stop_signals_as_from_a_terminal")
def test_a_kill_stops_the_server_with_its_line_and_nohup_keeps_it_up(tmp_path):
    """SIGTERM and SIGHUP stopped the server silently with status 0, and under nohup a closed
    terminal stopped it all the same (its handler replaced nohup's ignoring)."""
    out = tmp_path / "class.json"
    process, _, _ = start_server("--level", "2010-trawler", "--roles", "JPN", "--seed", "5", "--out", str(out))
    try:
        process.send_signal(signal.SIGHUP)
        assert process.wait(15) == 128 + signal.SIGHUP
    finally:
        process.kill()  # (a server the hang-up did not stop would serve on after the suite)
    err = process.stderr.read()
    assert "stopped (SIGHUP); the results so far are in" in err and "Traceback" not in err, err
    assert json.loads(out.read_text(encoding="utf-8"))["turns_played"] == 0
    ignoring = subprocess.Popen([sys.executable, "-c", "import signal, subprocess, sys; "
                                 "signal.signal(signal.SIGHUP, signal.SIG_IGN); "
                                 "sys.exit(subprocess.call(sys.argv[1:]))", sys.executable, "-m", "game", "workshop",
                                 "serve", "--host", "127.0.0.1", "--port", "0", "--no-window", "--level",
                                 "2010-trawler", "--roles", "JPN", "--seed", "5", "--out", str(tmp_path / "nohup.json")],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        heading = heading_of(ignoring)
        assert heading and heading[-1].startswith("Results:"), f"the server under nohup did not start: {heading}"
        server_pid = int(subprocess.run(["pgrep", "-f", "-s", str(ignoring.pid), "workshop serve"],
                                        capture_output=True, text=True, timeout=30).stdout.split()[-1])
        os.kill(server_pid, signal.SIGHUP)
        time.sleep(1.0)
        assert ignoring.poll() is None  # still serving
        os.kill(server_pid, signal.SIGTERM)
        assert ignoring.wait(15) == 128 + signal.SIGTERM
    finally:
        with contextlib.suppress(ProcessLookupError):  # whatever is left of it, were the test to fail
            os.killpg(ignoring.pid, signal.SIGKILL)


def test_the_servers_loop_leaves_the_stop_signals_as_it_found_them():
    """asyncio puts the system's default back as its loop closes: after the server's loop, a
    second kill while the server wound up ended the process without its line."""
    import asyncio

    from game.interrupts import stop_handlers_kept, stop_signals_raised

    async def with_a_handler():
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, lambda: None)

    with stop_signals_raised():
        before = signal.getsignal(signal.SIGTERM)
        asyncio.run(with_a_handler())
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # what asyncio does
        signal.signal(signal.SIGTERM, before)
        with stop_handlers_kept():
            asyncio.run(with_a_handler())
        assert signal.getsignal(signal.SIGTERM) is before


def test_a_class_whose_server_is_killed_goes_on_from_its_results_file(tmp_path):
    """A server killed outright (``kill -9``, a crash, the power) left no results at all, and a
    class could not go on after any stop: a restart made new codes. The file is now written after
    every quarter, and ``serve --resume`` goes on from it with the same join codes, paused, with
    the actions of the quarter that was open, and the game it makes is the one an unbroken server
    gives."""
    out = tmp_path / "class.json"
    options = ("--level", "2010-trawler", "--roles", "JPN,USA", "--seed", "5")
    process, port, codes = start_server(*options, "--out", str(out))

    async def two_quarters_and_an_action(uri: str) -> None:
        facilitator, teams = await started_class(uri, codes, ("JPN", "USA"))
        for turn in (2, 3):
            await wait_for(teams[0], lambda view: view.get("turn") == turn - 1 and view.get("started"))
            for team in teams:
                await play_turn(team)
            await wait_for(teams[0], lambda view: view.get("turn") == turn)
        answer = await teams[0].request("act", action=chosen_action(teams[0].view))
        assert answer["type"] == "record"
        await teams[0].request("done")  # its done is not kept: the team says it again after
        await asyncio.sleep(WRITE_DELAY + 0.5)  # the file takes the action within a second
        for client in (facilitator, *teams):
            await client.kill()

    try:
        asyncio.run(two_quarters_and_an_action(f"ws://127.0.0.1:{port}"))
    finally:
        process.kill()
        process.wait(15)
    kept = read_results(out)
    assert kept["turns_played"] == 2 and kept["server"]["class_code"] == codes["facilitator"].split("-")[0]

    again, port, new_codes = start_server("--resume", str(out))
    assert new_codes == codes
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # it holds the codes: this account's alone
    twice = subprocess.run([sys.executable, "-m", "game", "workshop", "serve", "--host", "127.0.0.1", "--port", "0",
                            "--no-window", "--resume", str(out)], capture_output=True, text=True, timeout=60)
    assert twice.returncode == 1 and "is in use by another server of this class" in twice.stderr, twice.stderr

    async def go_on(uri: str) -> list[dict]:
        facilitator = Client(uri, codes["facilitator"])
        await facilitator.join()
        teams = [Client(uri, codes[role]) for role in ("JPN", "USA")]
        for team in teams:
            await team.join()
        await wait_for(teams[0], lambda view: view.get("paused"))
        refused = await teams[1].request("done")
        assert refused["type"] == "error" and "paused" in refused["reason"]
        await facilitator.request("facilitate", command="resume")
        for team in teams:
            await wait_for(team, lambda view: not view.get("paused"))
            await team.request("done")
        await wait_for(teams[0], lambda view: view.get("turn") == 4)
        answer = await facilitator.request("results")
        for client in (facilitator, *teams):
            await client.close()
        return answer["results"]

    try:
        results = asyncio.run(go_on(f"ws://127.0.0.1:{port}"))
    finally:
        assert stop_server(again) == 128 + signal.SIGTERM
    assert results["turns_played"] == 3 and "server" not in results  # a window is never told the codes
    assert kept["actions"][-1]["quarter"] == "2011Q1" and kept["actions"][-1]["by"] == "team"
    assert results["actions"][:len(kept["actions"])] == kept["actions"]
    written = read_results(out)
    assert written["turns_played"] == 3 and written["japan_rows"][:2] == kept["japan_rows"]
    # the same actions through an unbroken game give the same quarters
    assert replay(written).session.rows() == written["japan_rows"]


def test_a_second_class_cannot_take_the_results_file_of_one_running(tmp_path):
    """Two classes started with the same --out: the check ran only at the start and the last to
    stop wrote over the other's results. The file is now made at the start, as a new file."""
    out = tmp_path / "class.json"
    first, _, _ = start_server("--level", "2010-trawler", "--roles", "JPN", "--seed", "5", "--out", str(out))
    try:
        assert read_results(out)["turns_played"] == 0  # made at once
        second = subprocess.run([sys.executable, "-m", "game", "workshop", "serve", "--host", "127.0.0.1", "--port",
                                 "0", "--no-window", "--level", "2010-trawler", "--roles", "JPN", "--out", str(out)],
                                capture_output=True, text=True, timeout=60)
    finally:
        assert stop_server(first) == 128 + signal.SIGTERM
    assert second.returncode == 1 and "exists and may hold another class's results" in second.stderr
    assert "Traceback" not in second.stderr


def test_two_teams_cannot_take_names_that_read_alike(tmp_path):
    """Café and Cafe\u0301 (or ABC and ａｂｃ) were kept as two teams the report could not tell apart."""
    process, port, codes = start_server("--level", "2010-trawler", "--roles", "JPN,USA,AUS", "--seed", "5",
                                        "--out", str(tmp_path / "class.json"))
    uri = f"ws://127.0.0.1:{port}"

    async def names():
        japan, usa, australia = Client(uri, codes["JPN"], "Café"), Client(uri, codes["USA"], "CAFE\u0301"), \
            Client(uri, codes["AUS"], "ａｂｃ")
        answers = [await japan.join(), await usa.join(), await australia.join()]
        again = Client(uri, codes["JPN"], "café")  # a second window of the same team may
        answers.append(await again.join())
        for client in (japan, usa, australia, again):
            await client.close()
        return answers

    try:
        answers = asyncio.run(names())
    finally:
        assert stop_server(process) == 128 + signal.SIGTERM
    assert answers[0]["type"] == "welcome" and answers[2]["type"] == "welcome" and answers[3]["type"] == "welcome"
    assert answers[1] == {"type": "error", "id": answers[1]["id"],
                          "reason": "another team is called 'Café': choose another name",
                          "template": "another team is called {team}: choose another name", "fields": {"team": "'Café'"}}


def test_a_server_that_cannot_listen_leaves_no_results_file_behind(tmp_path):
    """The file made at the start stayed when the port was taken, and the same command was then
    refused as if another class's results were there."""
    out = tmp_path / "class.json"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        refused = subprocess.run([sys.executable, "-m", "game", "workshop", "serve", "--host", "127.0.0.1", "--port",
                                  str(port), "--no-window", "--level", "2010-trawler", "--roles", "JPN", "--out",
                                  str(out)], capture_output=True, text=True, timeout=60)
    assert refused.returncode == 1 and f"cannot listen on 127.0.0.1:{port}" in refused.stderr, refused.stderr
    assert "Traceback" not in refused.stderr and not out.exists()


@pytest.mark.parametrize("stopped_in", ["the game's start", "the server's start"])
def test_a_server_stopped_before_it_listens_leaves_no_results_file_behind(stopped_in, tmp_path, monkeypatch, capsys):
    """Ctrl+C half a second after ``serve --out X.json --start``, before it listened: it said only
    'stopped (Ctrl+C)' and left X.json (with the join codes) behind, and the same command was then
    refused as if another class's results were there."""
    from game.cli import main
    from game.interrupts import CTRL_C_STATUS
    from game.workshop.classroom import Workshop
    from game.workshop.server import ClassServer

    def ctrl_c(*args, **kwargs):
        raise KeyboardInterrupt

    async def ctrl_c_while_starting(*args, **kwargs):
        raise KeyboardInterrupt

    if stopped_in == "the game's start":
        monkeypatch.setattr(Workshop, "start", ctrl_c)
    else:
        monkeypatch.setattr(ClassServer, "serve", ctrl_c_while_starting)
    out = tmp_path / "class.json"
    command = ["workshop", "serve", "--host", "127.0.0.1", "--port", "0", "--no-window", "--level", "2010-trawler",
               "--roles", "JPN", "--start", "--out", str(out)]
    status = main(command)
    said = capsys.readouterr().err
    assert status == CTRL_C_STATUS and not out.exists()
    assert said.strip().splitlines() == [f"rare-earths workshop serve: stopped (Ctrl+C); nobody could join yet, so "
                                         f"{out} is removed"]
    assert not list(tmp_path.glob(".*.lock"))


def test_the_lock_follows_links_and_fits_a_long_name(tmp_path):
    """A second server on a link to a running class's file got past the lock (named after the
    path given), and a results name the folder took was refused: the lock's longer name was not."""
    from game.research.runner import scenario_for
    from game.workshop.classroom import Workshop
    from game.workshop.server import ClassServer, ResultsHeld

    def server(path):
        held = ClassServer(Workshop(scenario_for("2010-trawler", {}), 5, ("JPN",)))
        held.results_path = path
        return held

    out = tmp_path / "class.json"
    link = tmp_path / "link.json"
    link.symlink_to(out)
    first = server(out)
    first.hold_results_file()
    try:
        with pytest.raises(ResultsHeld, match="is in use by another server"):
            server(link).hold_results_file()
    finally:
        first.let_go_of_results_file()
    assert not list(tmp_path.glob(".*.lock"))  # gone once the server stops
    long_name = tmp_path / ("x" * 245 + ".json")
    held = server(long_name)
    held.hold_results_file()
    held.claim_results_file()
    held.let_go_of_results_file()
    assert long_name.exists()


def test_an_orderly_stop_keeps_the_open_quarter_and_a_resume_with_no_team_back_does_not_end_it(tmp_path):
    """A SIGTERM (or Ctrl+C, or a closed terminal) closed every window, each counted as a team
    leaving, and the bots played the open quarter for every team not done. And a facilitator who
    resumed as the restarted server opened, before the teams' windows found it, ended their
    quarter for them (every team away counts as done)."""
    out = tmp_path / "class.json"
    process, port, codes = start_server("--level", "2010-trawler", "--roles", "JPN,CHN,USA", "--seed", "5",
                                        "--out", str(out))

    async def japan_done(uri: str) -> None:
        facilitator, (japan, china, usa) = await started_class(uri, codes, ("JPN", "CHN", "USA"))
        await wait_for(japan, lambda view: view.get("started"))
        assert (await japan.request("done"))["type"] == "ok"
        await asyncio.sleep(0.2)

    try:
        asyncio.run(japan_done(f"ws://127.0.0.1:{port}"))
    finally:
        assert stop_server(process) == 128 + signal.SIGTERM
    kept = read_results(out)
    assert kept["turns_played"] == 0 and kept["server"]["done"] == ["JPN"]
    assert not [a for a in kept["actions"] if a["by"] == "bot"]

    again, port, _ = start_server("--resume", str(out))

    async def resumed_alone(uri: str) -> dict:
        facilitator = Client(uri, codes["facilitator"])
        await facilitator.join()
        japan = Client(uri, codes["JPN"])  # back, and done; China's and the US's windows not yet
        await japan.join()
        await wait_for(facilitator, lambda view: view.get("paused") and view["teams"]["JPN"]["present"])
        assert (await facilitator.request("facilitate", command="resume"))["type"] == "ok"
        await asyncio.sleep(0.5)
        view = facilitator.view
        for client in (facilitator, japan):
            await client.close()
        return view

    try:
        view = asyncio.run(resumed_alone(f"ws://127.0.0.1:{port}"))
    finally:
        assert stop_server(again) == 128 + signal.SIGTERM
    assert view["turn"] == 1 and not view["paused"]  # the quarter waits for China and the US
    assert read_results(out)["turns_played"] == 0


def test_a_join_refused_for_its_name_may_be_tried_again_on_the_same_connection(tmp_path):
    """A join whose name another team has was answered and the connection closed ('join first,
    with your team's join code'): the window had to connect again to choose another name."""
    process, port, codes = start_server("--level", "2010-trawler", "--roles", "JPN,USA", "--seed", "5",
                                        "--out", str(tmp_path / "class.json"))

    async def two_tries(uri: str) -> tuple[dict, dict]:
        japan = Client(uri, codes["JPN"], team="Roos")
        await japan.join()
        usa = Client(uri, codes["USA"], team="ROOS")
        refused = await usa.join()
        again = await usa.request("join", code=codes["USA"], team="Eagles")
        for client in (japan, usa):
            await client.close()
        return refused, again

    try:
        refused, again = asyncio.run(two_tries(f"ws://127.0.0.1:{port}"))
    finally:
        stop_server(process)
    assert refused["type"] == "error" and "another team is called 'Roos'" in refused["reason"]
    assert again["type"] == "welcome" and again["role"] == "USA"


def test_a_join_refused_as_malformed_may_be_tried_again_too(tmp_path):
    """A name of 41 characters, or a code mistyped short, closed the connection after its answer."""
    process, port, codes = start_server("--level", "2010-trawler", "--roles", "JPN", "--seed", "5",
                                        "--out", str(tmp_path / "class.json"))

    async def tries(uri: str) -> list[dict]:
        japan = Client(uri, codes["JPN"], team="x" * 41)
        answers = [await japan.join()]
        answers.append(await japan.request("join", code="nope", team="Eagles"))
        answers.append(await japan.request("join", code=codes["JPN"], team="Eagles"))
        await japan.close()
        return answers

    try:
        too_long, mistyped, welcome = asyncio.run(tries(f"ws://127.0.0.1:{port}"))
    finally:
        stop_server(process)
    assert too_long["type"] == mistyped["type"] == "error" and "join code looks like" in mistyped["reason"]
    assert welcome["type"] == "welcome"


def test_a_stop_while_the_results_file_is_claimed_waits_until_it_is_noted_as_the_servers(tmp_path, monkeypatch, capsys):
    """A stop landing between making the results file and noting it as the server's left the
    file (with the join codes) behind, and the same command was then refused."""
    import game.workshop.server as server_module
    from game.cli import main

    out = tmp_path / "class.json"
    real_claim = server_module.ClassServer.claim_results_file

    def claim_then_stopped(self):
        real_claim(self)
        os.kill(os.getpid(), signal.SIGTERM)  # as if it came just as the file was made
        time.sleep(0.05)  # (delivered at once, were it not held)

    monkeypatch.setattr(server_module.ClassServer, "claim_results_file", claim_then_stopped)
    code = main(["workshop", "serve", "--no-window", "--host", "127.0.0.1", "--port", "0", "--level", "2010-trawler",
                 "--roles", "JPN", "--seed", "5", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 128 + signal.SIGTERM and "nobody could join yet, so" in err and "is removed" in err, err
    assert not out.exists()


def test_a_team_name_that_reads_as_another_nation_or_the_facilitator_is_refused(tmp_path):
    """The EU's team could call itself "USA", and any team "FAC" or "bot": the projector and the
    report then showed one nation's moves as another's, or a team as the facilitator."""
    process, port, codes = start_server("--level", "2010-trawler", "--roles", "JPN,USA", "--seed", "5",
                                        "--out", str(tmp_path / "class.json"))

    async def tries(uri: str) -> list[dict]:
        usa = Client(uri, codes["USA"], team="usa ")
        answers = [await usa.join()]  # its own code: fine
        japan = Client(uri, codes["JPN"], team="United States")
        answers.append(await japan.join())
        for name in ("US\u0410", "Facilitator", "bot", "Japan"):
            answers.append(await japan.request("join", code=codes["JPN"], team=name))
        for client in (usa, japan):
            await client.close()
        return answers

    try:
        own, *refused, japan = asyncio.run(tries(f"ws://127.0.0.1:{port}"))
    finally:
        stop_server(process)
    assert own["type"] == "welcome" and japan["type"] == "welcome"
    assert [answer["reason"] for answer in refused] == [
        "'United States' reads as another role (United States): choose another name",
        "another team is called 'usa ': choose another name",  # (a Cyrillic А: as the US's team reads)
        "'Facilitator' reads as the facilitator: choose another name", "'bot' reads as a bot: choose another name"]


def test_a_team_name_holding_another_role_s_name_is_refused():
    """"Team Japan" for the United States' team was taken, and showed on the projector as
    "United States (Team Japan)"."""
    from game.research.runner import scenario_for
    from game.workshop.classroom import Workshop
    from game.workshop.server import reads_as_another

    workshop = Workshop(scenario_for("2010-trawler", {}), 5, ("JPN", "USA", "EU"))
    for role, name, reads_as in (("USA", "Team Japan", "another role (Japan)"),
                                 ("USA", "日本チーム", "another role (Japan)"),
                                 ("JPN", "EU fans", "another role (European Union)"),
                                 ("JPN", "usa-haters", "another role (United States)"),
                                 ("USA", "Eureka", ""), ("USA", "Ausgezeichnet", ""),  # not the EU's or Australia's
                                 ("JPN", "Team Japan", ""), ("USA", "Eagles", "")):
        assert reads_as_another(workshop, role, name) == reads_as, (role, name)


def test_the_servers_warnings_are_named_as_the_commands_other_lines(tmp_path):
    """'cannot write the results to …: Is a directory' came bare, without 'rare-earths workshop
    serve:' as every other line of the command has."""
    out = tmp_path / "class.json"
    rescue_folder = tmp_path / "temporary"  # where the results go on the way out: not the machine's own
    rescue_folder.mkdir()
    process, port, codes = start_server("--level", "2010-trawler", "--roles", "JPN", "--seed", "5", "--out", str(out),
                                        temporary_folder=rescue_folder)

    async def a_change(uri: str) -> None:
        out.unlink()
        out.mkdir()  # the results file's place taken by a folder mid-class
        japan = Client(uri, codes["JPN"], team="Eagles")
        await japan.join()
        await asyncio.sleep(WRITE_DELAY + 0.5)
        await japan.close()

    try:
        asyncio.run(a_change(f"ws://127.0.0.1:{port}"))
    finally:
        stop_server(process)
    lines = process.stderr.read().splitlines()
    assert f"rare-earths workshop serve: cannot write the results to {out}: Is a directory" in lines, lines
    assert [path.name for path in rescue_folder.iterdir()] == ["class.json"], lines


def test_a_served_class_refuses_names_its_windows_would_draw_as_boxes_and_its_console_follows_the_teams(tmp_path):
    """Only `workshop join --team` checked the font: any window could join as "😀 Smileys", and
    every window of the class, the projector's too, showed boxes. The console said nothing when
    teams joined or left."""
    process, port, codes = start_server("--level", "2010-trawler", "--roles", "JPN", "--seed", "5",
                                        "--out", str(tmp_path / "class.json"))
    uri = f"ws://127.0.0.1:{port}"

    async def joins():
        refused = await Client(uri, codes["JPN"], team="😀 Smileys").join()
        team = Client(uri, codes["JPN"], team="Hokkaido")
        welcome = await team.join()
        await team.close()
        await asyncio.sleep(0.3)  # the server notes the window gone
        return refused, welcome

    try:
        refused, welcome = asyncio.run(joins())
    finally:
        assert stop_server(process) == 128 + signal.SIGTERM
    console = process.stdout.read()
    assert refused["type"] == "error" and refused["reason"] == ("the game's font cannot draw '😀' (U+1F600): choose "
                                                                "other characters")
    assert welcome["type"] == "welcome"
    assert "JPN (Hokkaido) joined\nJPN (Hokkaido) left\n" in console, console


@pytest.mark.skipif(not socket.has_dualstack_ipv6(), reason="this machine has no dual-stack IPv6")
def test_a_server_on_every_ipv6_address_takes_ipv4_windows_too(tmp_path):
    """``--host ::`` listened on IPv6 alone (asyncio's way) while the console gave the teams this
    machine's IPv4 address to join at: no team could join."""
    try:
        with socket.create_server(("::1", 0), family=socket.AF_INET6):
            pass
    except OSError:
        pytest.skip("this machine has no IPv6 loopback")
    process, port, codes = start_server("--level", "2010-trawler", "--roles", "JPN,CHN",
                                        "--out", str(tmp_path / "class.json"), host="::")
    try:
        async def join_both():
            japan = Client(f"ws://127.0.0.1:{port}", codes["JPN"])
            china = Client(f"ws://[::1]:{port}", codes["CHN"])
            roles = [(await japan.join())["role"], (await china.join())["role"]]
            await japan.close()
            await china.close()
            return roles

        assert asyncio.run(join_both()) == ["JPN", "CHN"]
    finally:
        stop_server(process)


def wait_until(condition, seconds: float = 20.0) -> bool:
    deadline = loop_time() + seconds
    while loop_time() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("game_over", [True, False])
def test_a_window_whose_class_is_over_stops_joining_again_and_says_so(tmp_path, game_over):
    """Once the game was over and the server stopped, the team windows said "Connection lost:
    reconnecting…" over Game over, for ever. A window whose class is over stops joining again;
    one whose server stops mid-game (to go on with --resume) keeps trying."""
    process, port, codes = start_server("--level", "2010-trawler", "--roles", "JPN,CHN", "--seed", "5",
                                        "--out", str(tmp_path / "class.json"))
    facilitator = RemoteTable(f"127.0.0.1:{port}", codes["facilitator"])
    team = RemoteTable(f"127.0.0.1:{port}", codes["CHN"])
    try:
        facilitator.facilitate("start")
        if game_over:
            facilitator.facilitate("end")
            assert wait_until(lambda: team.team_view("CHN").get("over"))
        stop_server(process)
        assert wait_until(lambda: not team.team_view("CHN")["connection"]["ok"])
        if game_over:
            assert wait_until(lambda: not team._thread.is_alive()), "the window stopped joining again"
            assert team.team_view("CHN")["connection"]["class_over"]
        else:
            time.sleep(1.5)
            assert team._thread.is_alive() and not team.team_view("CHN")["connection"].get("class_over")
    finally:
        team.close()
        facilitator.close()


def test_a_request_too_large_for_the_server_is_refused_by_the_window_in_one_line(server):
    """The server closes a connection with code 1009 on a message over 64 KiB: the window said
    "the connection dropped; joining again…", and the request was lost without a reason. It is
    refused before it is sent, saying how large it was, and the connection stays."""
    uri, codes, _ = server
    facilitator = RemoteTable(uri.removeprefix("ws://"), codes["facilitator"])
    try:
        facilitator.facilitate("start")
        with pytest.raises(WorkshopError) as refused:
            facilitator.facilitate("say", text="x" * 70_000)
        said = str(refused.value)
        assert "\n" not in said and "70,0" in said and "65,536" in said, said
        assert facilitator.facilitator_view()["connection"]["ok"]
        facilitator.facilitate("pause")  # the same connection goes on
    finally:
        facilitator.close()
