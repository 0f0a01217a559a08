"""What a hostile window cannot do to a class on the network: read what other teams' views do
not show it, or slow the class before it has joined.

The server runs in this process on the loopback address (a real websockets server)."""

from __future__ import annotations

import asyncio
import contextlib
import json

import pytest

pytest.importorskip("websockets")

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from game.research.runner import scenario_for
from game.workshop.classroom import Workshop
from game.workshop.server import ClassServer
from tests.workshop_clients import Client


async def _serving(server: ClassServer):
    """Start ``server`` on a free port: (its address, the event that stops it, its task)."""
    stop, ready = asyncio.Event(), asyncio.Event()
    task = asyncio.create_task(server.serve("127.0.0.1", 0, ready=lambda port: ready.set(), stop=stop))
    await asyncio.wait_for(ready.wait(), 10)
    return f"ws://127.0.0.1:{server.port}", stop, task


def _class(roles: tuple[str, ...] = ("JPN", "CHN", "USA")) -> ClassServer:
    return ClassServer(Workshop(scenario_for("2010-trawler", {}), 0, roles))


def test_a_team_is_not_sent_the_classs_results(tmp_path):
    """With "teams see each other" off, USA's view showed nothing of China, but its "results"
    answer held China's moves, stars, figures and the history notes only China's team sees."""
    server = _class()
    server.results_path = tmp_path / "class.json"

    async def lesson():
        uri, stop, task = await _serving(server)
        facilitator = Client(uri, server.join_codes()["FAC"])
        await facilitator.join()
        await facilitator.request("facilitate", command="start")
        china, usa = Client(uri, server.join_codes()["CHN"]), Client(uri, server.join_codes()["USA"])
        await china.join()
        await usa.join()
        await china.request("act", action={"kind": "set_export_duty", "material": "ndpr", "rate": 0.3})
        asked = await usa.request("results")
        whole = await facilitator.request("results")
        for client in (facilitator, china, usa):
            await client.close()
        stop.set()
        await task
        return asked, whole

    asked, whole = asyncio.run(lesson())
    assert asked["type"] == "error" and "results" not in asked
    assert asked["reason"] == "the class's results are the facilitator's: the server writes them to its results file"
    assert whole["type"] == "results"  # the facilitator's window has them all
    assert any(a["nation"] == "CHN" for a in whole["results"]["actions"])


async def _closed_with(connection) -> tuple[list[dict], int | None]:
    """The answers a connection gets and the close code it ends with (None if still open after 5 s)."""
    answers = []
    try:
        while True:
            answers.append(json.loads(await asyncio.wait_for(connection.recv(), 5)))
    except ConnectionClosed as closed:
        return answers, closed.rcvd.code if closed.rcvd is not None else None
    except asyncio.TimeoutError:
        return answers, None


def test_a_connection_that_has_not_joined_may_send_only_a_short_join(tmp_path):
    """30 connections that never joined, each sending 63 KB messages of an unknown type as fast as
    they could, slowed a joined team's answers from 2 ms to 1.6 s: each message was read whole,
    parsed and answered, at ten a second per connection. Before joining, a message longer than a
    join now closes the connection unread, and anything but a join closes it once answered; only
    a join (a mistyped code, a name refused) may be tried again (five times)."""
    server = _class()
    server.results_path = tmp_path / "class.json"
    long_junk = json.dumps({"type": "cheat", "padding": "x" * 63_000})

    async def lesson():
        uri, stop, task = await _serving(server)
        outcomes = {}
        for name, sent in (("long", [long_junk] * 3),
                           ("unknown type", [json.dumps({"type": "cheat"})] * 3),
                           ("not a join", [json.dumps({"type": "results"})] * 3),
                           ("bad code form", [json.dumps({"type": "join", "code": "not a code"})] * 6)):
            connection = await connect(uri, max_size=None)
            for text in sent:
                with contextlib.suppress(ConnectionClosed):
                    await connection.send(text)
            outcomes[name] = await _closed_with(connection)
        mistyped = Client(uri, "ZZZZ-ZZZZZZ")
        wrong = await mistyped.join()
        mistyped.code = server.join_codes()["USA"]
        joined = await mistyped.request("join", code=mistyped.code)
        long_after = await mistyped.request("act", action={"kind": "hold_talks", "partner": "CHN",
                                                           "note": "x" * 5_000})
        await mistyped.close()
        stop.set()
        await task
        return outcomes, wrong, joined, long_after

    outcomes, wrong, joined, long_after = asyncio.run(lesson())
    assert outcomes["long"] == ([], 1009)
    for name in ("unknown type", "not a join"):
        answers, code = outcomes[name]
        assert code == 1008 and len(answers) == 1 and answers[0]["type"] == "error", (name, outcomes[name])
    answers, code = outcomes["bad code form"]  # a join, mistyped: tried again, five times at most
    assert code == 1008 and len(answers) == 5 and all(a["type"] == "error" for a in answers), outcomes["bad code form"]
    assert "join first" in outcomes["not a join"][0][0]["reason"]
    assert wrong["type"] == "error" and "no team has that join code" in wrong["reason"]
    assert joined["type"] == "welcome" and joined["role"] == "USA"
    assert long_after["type"] == "error"  # once joined, a long message is answered as before
