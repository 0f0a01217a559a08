"""Windows without a window: asyncio clients of a workshop server for the tests and the
benchmark. A bot-driven team reads only its view, as a window would, and each quarter submits
one lever from its forms (chosen by the quarter, with the form's starting values) and says it
is done; the facilitator starts the game."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

SERVER_LINE = re.compile(r"workshop join (\S+):(\d+) CODE")
CODE_LINE = re.compile(r"^\s+(\w+)\s+(\w{4}-\w{6})$")


#: The longest a server may take to start and print its join codes, on a busy machine.
START_SECONDS = 60


def heading_of(process: subprocess.Popen, seconds: float = START_SECONDS) -> list[str]:
    """The lines a starting server prints up to its results file's ("Results: ..."), read for
    at most ``seconds``: a server that hung as it started, printing nothing, held the test on
    its pipe for ever. Fewer lines, without that one, if it did not get there in time or ended."""
    heading: list[str] = []

    def read() -> None:
        for line in process.stdout:
            heading.append(line)
            if line.startswith("Results:"):
                return

    reader = threading.Thread(target=read, name="server-heading", daemon=True)
    reader.start()
    reader.join(seconds)
    return list(heading)


def start_server(*options: str, host: str = "127.0.0.1",
                 temporary_folder: Path | None = None) -> tuple[subprocess.Popen, int, dict[str, str]]:
    """``rare-earths workshop serve`` on the loopback address (or ``host``), on a free port: the
    process, its port and the join codes (role -> code, the facilitator's under "facilitator").
    ``temporary_folder``: the system's folder for temporary files as the server sees it (where it
    rescues results it cannot write), so a test's rescue is not left in the machine's own."""
    env = None if temporary_folder is None else {**os.environ, "TMPDIR": str(temporary_folder)}
    process = subprocess.Popen([sys.executable, "-m", "game", "workshop", "serve", "--host", host,
                                "--port", "0", "--no-window", *options],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    heading = heading_of(process)
    port, codes = None, {}
    for line in heading:
        found = SERVER_LINE.search(line)
        if found:
            port = int(found.group(2))
        code = CODE_LINE.match(line.rstrip("\n"))
        if code:
            codes[code.group(1)] = code.group(2)
    if port is None or not heading[-1].startswith("Results:"):
        process.kill()
        try:
            _, errors = process.communicate(timeout=START_SECONDS)
        except subprocess.TimeoutExpired:
            errors = "(its standard error still open after the kill)"
        raise RuntimeError(f"the server did not start within {START_SECONDS} s: {''.join(heading)[-500:]}"
                           f"{errors[-1500:]}")
    return process, port, codes


def stop_server(process: subprocess.Popen) -> int:
    """Stop a server as a service manager would (SIGTERM: it writes its results and exits);
    its exit status. (Not SIGINT: a process started in the background by a shell ignores it.)"""
    process.terminate()
    try:
        return process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()
        raise


@dataclass
class Client:
    """One window's connection: sends requests, keeps the newest view."""

    uri: str
    code: str
    team: str = ""
    view: dict[str, Any] = field(default_factory=dict)
    connection: ClientConnection | None = None
    answers: asyncio.Queue | None = None
    views: asyncio.Event | None = None
    role: str = ""
    _listener: asyncio.Task | None = None
    _next_id: int = 1

    async def join(self) -> dict[str, Any]:
        self.answers, self.views = asyncio.Queue(), asyncio.Event()
        self.connection = await connect(self.uri, max_size=None, compression=None)
        self._listener = asyncio.create_task(self._listen())
        welcome = await self.request("join", code=self.code, team=self.team)
        self.role = welcome.get("role", "")
        return welcome

    async def _listen(self) -> None:
        # A dropped connection ends the listener quietly: an exception left in a task nobody
        # awaits is logged when the task is collected, and on CPython 3.11 formatting it there
        # can upset the AST module's recursion bookkeeping for the rest of the process.
        with contextlib.suppress(ConnectionClosed):
            async for raw in self.connection:
                data = json.loads(raw)
                if data["type"] == "view":
                    self.view = data["view"]
                    self.views.set()
                else:
                    await self.answers.put(data)

    async def request(self, kind: str, **body: Any) -> dict[str, Any]:
        return await self.send_raw(json.dumps({"type": kind, "id": self._take_id(), **body}))

    async def send_raw(self, text: str) -> dict[str, Any]:
        await self.connection.send(text)
        return await asyncio.wait_for(self.answers.get(), 30)

    def _take_id(self) -> int:
        self._next_id += 1
        return self._next_id

    async def kill(self) -> None:
        """Drop the connection as a crashed machine would: no closing handshake."""
        self.connection.transport.abort()
        if self._listener is not None:
            self._listener.cancel()

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
        await self.connection.close()


def chosen_action(view: dict[str, Any]) -> dict[str, Any] | None:
    """The lever a bot-driven team pulls this quarter: one of its forms, picked by the turn,
    filled with the form's starting values (a form without choices where it needs one is
    skipped)."""
    levers = view.get("levers", [])
    for offset in range(len(levers)):
        form = levers[(view["turn"] + offset) % len(levers)]
        action: dict[str, Any] = {"kind": form["kind"]}
        for f in form["fields"]:
            if f["type"] in ("choice", "nation", "material") and not f["choices"]:
                break
            if f["default"] is not None:
                action[f["name"]] = f["default"]
            elif f["type"] in ("choice", "nation", "material"):
                action[f["name"]] = f["choices"][0][0]
        else:
            return action
    return None


async def started_class(uri: str, codes: dict[str, str], roles: tuple[str, ...]) -> tuple[Client, list[Client]]:
    """The facilitator joined and the game started, then a window joined for each role, in order."""
    facilitator = Client(uri, codes["facilitator"])
    await facilitator.join()
    await facilitator.request("facilitate", command="start")
    teams = [Client(uri, codes[role]) for role in roles]
    for team in teams:
        await team.join()
    return facilitator, teams


async def play_turn(client: Client) -> None:
    """If the team may act this quarter: one lever, then done."""
    view = client.view
    if not view or not view.get("started") or view.get("paused") or view.get("over") or view.get("done"):
        return
    action = chosen_action(view)
    if action is not None:
        await client.request("act", action=action)
    await client.request("done")


async def wait_for(client: Client, condition, seconds: float = 30.0) -> None:
    """Until the client's view meets ``condition``."""
    async def waiting() -> None:
        while not condition(client.view):
            client.views.clear()
            await client.views.wait()
    await asyncio.wait_for(waiting(), seconds)
