"""What a hostile window cannot do to a class on the network: read what other teams' views do
not show it, or slow the class before it has joined.

The server runs in this process on the loopback address (a real websockets server)."""

from __future__ import annotations

import asyncio

import pytest

pytest.importorskip("websockets")

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
