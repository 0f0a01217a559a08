"""A window's seat at a workshop server: the ``Table`` a team's (or the facilitator's) window
plays through when the class's world lives on the facilitator's machine.

A background thread keeps the connection (websockets on asyncio): it joins with the join
code, keeps the newest view the server sent, and, if the connection drops, joins again with
the same code (the team's bot plays for it meanwhile; nothing it did is lost). The window asks
for the view each frame and sends requests that wait for their answer.
"""

from __future__ import annotations

import asyncio
import ipaddress
import itertools
import threading
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any
from urllib.parse import urlsplit

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidURI, WebSocketException
from websockets.frames import CloseCode

from game.facilitation import FACILITATOR
from game.workshop.classroom import WorkshopError
from game.workshop.protocol import (
    CLASS_OVER,
    MAX_MESSAGE_BYTES,
    MAX_SERVER_MESSAGE_BYTES,
    MessageError,
    message,
    split_join_code,
)
from game.workshop.quoting import shown
from game.workshop.server_messages import parse_server_message

#: Seconds a request waits for its answer.
ANSWER_SECONDS = 15.0
#: Seconds between attempts to join again after the connection dropped.
RETRY_SECONDS = (0.5, 1.0, 2.0, 4.0)
DEFAULT_PORT = 8765


def server_uri(address: str) -> str:
    """``ws://host:port`` for an address as people give it (``host``, ``host:port``, a URI; an
    IPv6 address in brackets, ``[::1]:8765``, or bare without a port)."""
    text = address.strip()
    if not text or any(c.isspace() for c in text):
        raise WorkshopError(f"not a server address: {address[:40]!r} (expected host:port)")
    if "://" not in text:
        if _is_ipv6(text):
            text = f"[{text}]"
        text = f"ws://{text}"
    try:
        parts = urlsplit(text)
        parts.hostname  # noqa: B018  (a bracket left open is refused here, not later)
    except ValueError:
        raise WorkshopError(f"not a server address: {address[:40]!r} (expected host:port, or [IPv6]:port)") from None
    try:
        port = parts.port
    except ValueError:
        if not parts.netloc.startswith("[") and parts.netloc.count(":") > 1:
            raise WorkshopError(f"not a server address: {address[:40]!r} (an IPv6 address with a port goes "
                                "in brackets: [::1]:8765)") from None
        raise WorkshopError(f"not a server address: {address[:40]!r} (the port must be 1 to 65535)") from None
    if port == 0:
        raise WorkshopError(f"not a server address: {address[:40]!r} (the port must be 1 to 65535)")
    if parts.scheme not in ("ws", "wss") or not parts.hostname:
        raise WorkshopError(f"not a server address: {address[:40]!r} (expected host:port)")
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    return f"{parts.scheme}://{host}:{port or DEFAULT_PORT}"


def _is_ipv6(text: str) -> bool:
    try:
        return isinstance(ipaddress.ip_address(text), ipaddress.IPv6Address)
    except ValueError:  # (a scope such as %eth0 that is not one, too)
        return False


class RemoteTable:
    """A seat at a server's table (game.workshop.table.Table)."""

    def __init__(self, address: str, code: str, team: str = "", connect_seconds: float = 10.0):
        try:
            split_join_code(code)
        except MessageError as error:
            raise WorkshopError(str(error)) from None
        self.uri = server_uri(address)
        self.code = code
        self.team = team
        self.role: str | None = None
        self._view: dict[str, Any] = {}
        self._connected = False
        self._status = "connecting"
        #: Why the server's last message could not be read, until it sends a view that can be.
        self._unreadable: str | None = None
        self._changed = True
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._waiting: dict[int, asyncio.Future] = {}
        self._connection: ClientConnection | None = None
        self._closing = False
        self._rejoin_refused = False  # the last join, after one that was welcomed, was refused
        self._refused: WorkshopError | None = None  # why the server last refused a join
        self._class_over = False  # the class is over and its server gone: no joining again
        self._joined = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="workshop-client", daemon=True)
        self._thread.start()
        if not self._joined.wait(connect_seconds):
            status = self._status
            self.close()
            raise WorkshopError(f"cannot join the class at {self.uri}: {status}")
        if self.role is None:
            status, refused = self._status, self._refused
            self.close()
            raise refused if refused is not None and str(refused) == status else WorkshopError(status)

    # ------------------------------------------------------------------ the Table

    def team_view(self, role: str) -> dict[str, Any]:
        return self._current_view()

    def facilitator_view(self) -> dict[str, Any]:
        return self._current_view()

    def submit(self, role: str, action: dict[str, Any]) -> dict[str, Any]:
        return self._call("act", "record", action=action)["record"]

    def finish(self, role: str) -> None:
        # For the quarter this window shows: a second click that reaches the server after the
        # quarter ended is refused rather than ending the next one.
        with self._lock:
            quarter = self._view.get("quarter")
        self._call("done", "ok", **({"quarter": quarter} if isinstance(quarter, str) else {}))

    def facilitate(self, command: str, **argument: Any) -> None:
        self._call("facilitate", "ok", command=command, argument=argument)

    def results(self) -> dict[str, Any]:
        return self._call("results", "results")["results"]

    def changed(self) -> bool:
        with self._lock:
            changed, self._changed = self._changed, False
        return changed

    def close(self) -> None:
        self._closing = True
        if self._loop.is_running():
            self._loop.call_soon_threadsafe(self._stop)
        self._thread.join(timeout=5)

    # ------------------------------------------------------------------ inside

    def _current_view(self) -> dict[str, Any]:
        with self._lock:
            view = dict(self._view)
            view["connection"] = {"ok": self._connected and self._unreadable is None,
                                  "message": self._unreadable or self._status,
                                  "unreadable": self._unreadable is not None,
                                  "class_over": self._class_over}
            if self._rejoin_refused and self._unreadable is None and self._refused is not None:
                view["connection"]["refused"] = {"template": self._refused.template,
                                                 "fields": dict(self._refused.values)}
        return view

    def _call(self, kind: str, expected: str, **body: Any) -> dict[str, Any]:
        """Send a request and wait for its answer, which must be of the ``expected`` type (each
        answer passed its own door, but any type could carry the request's id: a broken server's
        "ok" to an action was a KeyError in the window)."""
        if not self._connected:
            raise WorkshopError(f"not connected to the class ({self._status})")
        try:
            text = message(kind, 0, **body)  # what the server would refuse to read: NaN, infinities
        except (TypeError, ValueError) as error:
            raise WorkshopError(f"cannot send that: {error}") from None
        # The server closes a connection on a larger message (code 1009), and the request was
        # lost with "the connection dropped": refused here, said, and the connection kept.
        size = len(text.encode("utf-8"))
        if size > MAX_MESSAGE_BYTES:
            raise WorkshopError(f"cannot send that: the message is {size:,} bytes, and a server takes at most "
                                f"{MAX_MESSAGE_BYTES:,}")
        future = asyncio.run_coroutine_threadsafe(self._request(kind, body), self._loop)
        try:
            answer = future.result(ANSWER_SECONDS)
        except FutureTimeout:
            future.cancel()
            raise WorkshopError("the server did not answer in time") from None
        except ConnectionClosed:
            connection = self._connection
            if connection is not None and connection.close_code == CloseCode.MESSAGE_TOO_BIG:
                raise WorkshopError(f"the server closed the connection (a message was larger than it takes: {shown(connection.close_reason)}); "
                                    "joining again…") from None
            raise WorkshopError("the connection dropped; joining again…") from None
        if answer.get("type") == "error":
            raise refusal_of(answer)
        if answer.get("type") != expected:
            raise WorkshopError(f"the server answered with {shown(answer.get('type'))} where {expected} was due")
        return answer

    async def _request(self, kind: str, body: dict[str, Any]) -> dict[str, Any]:
        request_id = next(self._ids)
        answer = self._loop.create_future()
        self._waiting[request_id] = answer
        try:
            await self._connection.send(message(kind, request_id, **body))
            return await answer
        finally:
            self._waiting.pop(request_id, None)

    def _stop(self) -> None:
        for task in asyncio.all_tasks(self._loop):
            task.cancel()

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self._keep_connected())
        except asyncio.CancelledError:
            pass
        finally:
            self._loop.close()

    async def _keep_connected(self) -> None:
        delays = iter(RETRY_SECONDS)
        while not self._closing:
            try:
                async with connect(self.uri, max_size=MAX_SERVER_MESSAGE_BYTES, compression=None,
                                   open_timeout=5) as connection:
                    self._connection = connection
                    if self.role is None:  # what a wait for the welcome ends on if none comes
                        self._status = "the server took the connection but did not answer the join"
                    if self._unreadable is None and not self._rejoin_refused:
                        delays = iter(RETRY_SECONDS)  # a server that sends nonsense or refused us is asked less often
                    await connection.send(message("join", 0, code=self.code, team=self.team))
                    await self._listen(connection)
            except (TimeoutError, OSError, InvalidURI, WebSocketException) as error:
                self._status = f"cannot reach the server ({type(error).__name__}: {str(error)[:80]})"
            finally:
                self._set_connected(False)
                for waiting in self._waiting.values():
                    if not waiting.done():
                        waiting.set_exception(ConnectionClosed(None, None))
            if self.role is None and (self._joined.is_set() or self._status.startswith("no team")):
                self._joined.set()
                return  # a wrong code, or no workshop server there: trying again will not help
            if self._is_class_over():
                with self._lock:
                    self._status, self._class_over, self._changed = CLASS_OVER, True, True
                return  # the windows joined again for ever, "reconnecting…" over Game over
            await asyncio.sleep(next(delays, RETRY_SECONDS[-1]))

    async def _listen(self, connection: ClientConnection) -> None:
        async for raw in connection:
            try:
                data = parse_server_message(raw, facilitator=self.role == FACILITATOR)
            except MessageError as error:
                # Not a message from a workshop server of this version: the window keeps what it
                # last showed and says why, and joins again (as when the connection drops).
                self._status = str(error)
                with self._lock:
                    self._unreadable, self._changed = str(error), True
                if self.role is None:
                    self._joined.set()  # not joined yet: likely no workshop server at all
                await connection.close(1002, "a message this window cannot read")
                return
            kind = data.get("type")
            if kind == "welcome":
                self._rejoin_refused = False
                self.role = data.get("role")
                self._status = "connected"
                self._set_connected(True)
                self._joined.set()
            elif kind == "view":
                with self._lock:
                    self._view = data["view"]
                    self._unreadable, self._changed = None, True
            elif kind == "error" and data.get("id") == 0:  # the join was refused
                # Kept as the server worded it (template and fields), for the window to say in its language.
                self._refused = refusal_of(data)
                self._status = str(self._refused)
                if self.role is None:
                    self._joined.set()
                    return
                # Joining again was refused (this machine sent wrong codes lately, say): the server
                # would wait 20 s for another join and then close, and the window said "cannot
                # reach the server" meanwhile. It closes now, keeps the reason in view and joins
                # again on a new connection after its pause.
                self._rejoin_refused = True
                await connection.close()
                return
            request_id = data.get("id")
            if request_id in self._waiting and not self._waiting[request_id].done():
                self._waiting[request_id].set_result(data)

    def _is_class_over(self) -> bool:
        """Whether the connection that dropped was the last: its server said the class is over,
        or (a team's window) the game was over already, with nothing left to play."""
        connection = self._connection
        said_over = connection is not None and connection.close_reason == CLASS_OVER
        with self._lock:
            game_over = bool(self._view.get("over"))
        return self.role is not None and (said_over or (game_over and self.role != FACILITATOR))

    def _set_connected(self, connected: bool) -> None:
        with self._lock:
            if self._connected != connected:
                self._changed = True
            self._connected = connected
            if not connected and self._status == "connected":
                self._status = "connection lost: joining again…"


def refusal_of(answer: dict[str, Any]) -> WorkshopError:
    """A server's error as a refusal a window words in its language: its template and fields
    (checked by ``parse_server_message``), or its English reason from a server of an earlier
    version, which sent no template."""
    template, fields = answer.get("template"), answer.get("fields")
    if isinstance(template, str) and isinstance(fields, dict) and fields:
        return WorkshopError(template, **fields)
    return WorkshopError(str(template if isinstance(template, str) else answer.get("reason", "refused")))
