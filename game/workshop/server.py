"""A class on a network: the facilitator's machine holds the one world; each team's window
joins it with its join code (game.workshop.protocol).

- Every request is checked at the door; a malformed or forged one is answered with a reason
  and changes nothing, and a connection that keeps sending wrong join codes is closed.
- A team may have several windows (its members' machines): each acts for the team and all see
  the same view. When the last of them drops out, the team is away: its bot plays for it at
  the end of each quarter until it joins again with the same code, and nothing it did is lost.
- A quarter ends when every team present has said it is done, or when the facilitator ends it.
- After every change, every window gets its new view (a team's view is worked out once per
  change and sent to each of its windows); changes that come faster than views are worked out
  share one (``VIEW_SPACING``).
- The results are written to ``results_path`` (whole or not at all) when the server starts
  (``claim_results_file``: a new file, never over another class's), after every quarter, within
  a second of any other change, when the level ends and on the way out: a server killed outright
  loses at most the last second, and ``serve --resume`` goes on from the file.

The server runs on asyncio in one thread, so only it ever touches the world.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import ipaddress
import json
import logging
import os
import re
import socket
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.protocol import State

from game.facilitation import FACILITATOR
from game.interrupts import Stopped, other_stop_signals, stop_handlers_kept
from game.quoting import as_read, names_nothing, printable
from game.vocab.quarters import Quarter
from game.whole_files import short_name
from game.workshop.classroom import Workshop, WorkshopError
from game.workshop.codes import ALPHABET
from game.workshop.protocol import (
    CLASS_CODE_LENGTH,
    CLASS_OVER,
    MAX_MESSAGE_BYTES,
    SERVER_STOPPING,
    MessageError,
    id_of_unreadable,
    join_code,
    message,
    new_class_code,
    new_token,
    parse_request,
    split_join_code,
)
from game.workshop.results import (
    ResultsError,
    results_of,
    resumed,
    write_new_results,
    write_results,
    write_results_as_new,
)
from game.workshop.quoting import shown
from game.workshop.table import facilitate
from game.workshop.views import facilitator_view, record_data, team_view

#: Seconds between a change within a quarter (an action, a name, the facilitator's) and the results
#: file taking it: a burst of actions is written once.
WRITE_DELAY = 1.0
#: The longest the server waits for its windows to close when it stops, and for a new connection's
#: opening handshake.
STOP_SECONDS = 3.0
OPEN_SECONDS = 2.0
#: Wrong join codes a connection may send before it is closed.
MAX_WRONG_CODES = 5
#: Joins from a machine that sent a wrong join code lately (WRONG_CODE_SECONDS): each such machine
#: has its own allowance (MACHINE_JOIN_BURST at once, then one every MACHINE_JOIN_SECONDS; a join
#: waits for it, at most MOST_JOIN_WAIT_SECONDS, or is refused unchecked), and all of them together
#: at most CLASS_JOIN_BURST at once, then CLASS_JOINS_PER_SECOND (beyond it refused unchecked, never
#: queued: a queue shared by all let one machine's flood keep every other out). A script opening
#: connection after connection got 2,342 guesses a second checked (a team's token is one in a
#: billion: a 7% chance of a hit in a three-hour class); at these rates a hit takes years. A
#: machine that sent no wrong code lately is checked at once.
MACHINE_JOIN_BURST = 5
MACHINE_JOIN_SECONDS = 2.0
MOST_JOIN_WAIT_SECONDS = 5.0
CLASS_JOIN_BURST = 40
CLASS_JOINS_PER_SECOND = 2.0
#: How long a machine's wrong codes count, how many machines are remembered (past it, a machine not
#: among them counts as one that sent wrong codes: a flood from many addresses is slowed, never
#: forgotten), and how often the console says codes are refused.
WRONG_CODE_SECONDS = 600.0
MOST_MACHINES_REMEMBERED = 4096
WRONG_CODE_LINE_SECONDS = 60.0
#: Lines the console says of one team joining and leaving in PRESENCE_SECONDS, at most: a window
#: whose network flaps, or a script with a team's code joining in a loop, had it say two a time
#: (2,000 lines in 15 s scrolled the join codes off the facilitator's console). Past them, the
#: team's comings and goings are counted, and said with where the team is once the while is over.
PRESENCE_LINES = 6
PRESENCE_SECONDS = 60.0
#: Largest message a connection may send before it has joined: a join is a code and a team's
#: name (well under this, even with every character escaped). A connection that has not joined
#: is anyone's: 30 of them sending 63 KB messages as fast as they could once slowed every team's
#: answers a thousandfold, so it is closed at the first message that is not a join that fits.
MAX_JOIN_BYTES = 1024
#: Requests a window may send at once, and how many a second it may go on sending: far more than
#: a team clicking through a quarter, far fewer than a script flooding the server, whose every
#: action would make it work out and send every window a new view. Beyond them, the window's
#: requests wait (Allowance.wait).
REQUEST_BURST = 30
REQUESTS_PER_SECOND = 10.0
#: Views are worked out again no sooner after the last than this many times what those took:
#: a view holds the class's every action and piece of news, so it costs more each quarter (1.5 s
#: for seven teams 40 quarters into the sandbox, each sending its 40 actions a quarter), and
#: worked out after every action a team's burst kept the server from answering anyone. Views
#: then take at most a fifth of the server's time; the changes meanwhile share the next view. A
#: new quarter and the game's end go out at once: they are what every team waits for.
VIEW_SPACING = 4.0
#: Seconds a new connection has to join: a window joins as soon as it connects, and one that
#: never does held a file and 17 KB for as long as it stayed (20,000 of them locked a class out).
JOIN_SECONDS = 20.0
#: Windows one team may have open at once (its members' machines), connections waiting to join
#: (beyond it the oldest gives way) and connections in all: a class is 20-30 windows.
MAX_WINDOWS_PER_TEAM = 8
MAX_WAITING = 32
MAX_CONNECTIONS = 256
log = logging.getLogger(__name__)


@dataclass
class Allowance:
    """Requests that may be sent without waiting (a token bucket, ``burst`` full), and when
    that was reckoned. Each team's windows share one, so that opening more windows sends no
    faster; a window not yet joined, and the facilitator's, have their own. Joins from machines
    that sent wrong codes wait on one each, and on the class's (``WrongCodes``)."""

    burst: float = REQUEST_BURST
    per_second: float = REQUESTS_PER_SECOND
    tokens: float = REQUEST_BURST
    reckoned_at: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        self.tokens = min(self.tokens, self.burst)

    def queued_seconds(self) -> float:
        """How long a request taken now would wait."""
        self._refill()
        return max(0.0, (1.0 - self.tokens) / self.per_second)

    def _refill(self) -> None:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.reckoned_at) * self.per_second)
        self.reckoned_at = now

    def take_now(self) -> bool:
        """Take one request if one may be sent without waiting; whether it was."""
        if self.queued_seconds() > 0.0:
            return False
        self.tokens -= 1.0
        return True

    async def wait(self) -> None:
        """Take one request, waiting first if the allowance is used up: windows that flood the
        server are slowed to ``per_second`` (their messages wait unread, and then in the
        network), and nothing they sent is refused or lost."""
        self._refill()
        # The request is taken now, in debt if need be, and waits until the debt is paid: two
        # windows waiting at once then wait one after the other, not both for one token.
        self.tokens -= 1.0
        if self.tokens < 0.0:
            await asyncio.sleep(-self.tokens / self.per_second)


def _machine_allowance(tokens: float) -> Allowance:
    """The allowance of joins of a machine that sent wrong codes, ``tokens`` of them free now."""
    return Allowance(MACHINE_JOIN_BURST, 1.0 / MACHINE_JOIN_SECONDS, tokens)


@dataclass
class WrongCodes:
    """Join codes refused, machine by machine: each machine that sent one lately has its own
    allowance of joins, under the class's; and the console's line about them, at most once a
    minute."""

    by_address: dict[str, tuple[list[float], Allowance]] = field(default_factory=dict)
    class_allowance: Allowance = field(default_factory=lambda: Allowance(CLASS_JOIN_BURST, CLASS_JOINS_PER_SECOND,
                                                                         CLASS_JOIN_BURST))
    said_at: float | None = None
    since: int = 0  # refused, or turned away unchecked, since the console's last line
    addresses: set[str] = field(default_factory=set)

    def allowance(self, address: str) -> Allowance | None:
        """The allowance a join from ``address`` waits on, or None for a machine that sent no wrong
        code lately (checked at once). With too many machines remembered, one not among them is
        given a fresh allowance of its own (it is slowed like the rest, not let through)."""
        entry = self._recent(address, time.monotonic())
        if entry is not None:
            return entry[1]
        if len(self.by_address) >= MOST_MACHINES_REMEMBERED:
            return _machine_allowance(tokens=1.0)
        return None

    def refused(self, address: str) -> None:
        now = time.monotonic()
        entry = self._recent(address, now)
        if entry is None:
            if len(self.by_address) >= MOST_MACHINES_REMEMBERED:
                self._forget_the_past(now)
            entry = self.by_address[address] = ([], _machine_allowance(tokens=MACHINE_JOIN_BURST))
        entry[0].append(now)
        self.turned_away(address)

    def turned_away(self, address: str) -> None:
        """A join refused (unchecked or not): counted for the console's line."""
        now = time.monotonic()
        self.since += 1
        self.addresses.add(address)
        if self.said_at is None or now - self.said_at >= WRONG_CODE_LINE_SECONDS:
            log.warning("%d join(s) refused with a wrong code or turned away %s, from %d machine(s): a team may "
                        "be mistyping its code, or someone guessing them (those machines are slowed; the class "
                        "goes on)", self.since, "so far" if self.said_at is None else "since the last such line",
                        len(self.addresses))
            self.said_at, self.since, self.addresses = now, 0, set()

    def _recent(self, address: str, now: float) -> tuple[list[float], Allowance] | None:
        entry = self.by_address.get(address)
        if entry is None:
            return None
        entry[0][:] = [t for t in entry[0] if now - t < WRONG_CODE_SECONDS]
        if not entry[0]:
            del self.by_address[address]
            return None
        return entry

    def _forget_the_past(self, now: float) -> None:
        """Drop the machines whose wrong codes are all older than WRONG_CODE_SECONDS (none that
        still count: the table fails closed, see ``allowance``)."""
        for address in list(self.by_address):
            self._recent(address, now)


@dataclass
class Seat:
    """A connection and the role it plays (None until it has joined); the newest view not yet
    sent to it, and the signal that there is one."""

    connection: ServerConnection
    role: str | None = None
    wrong_codes: int = 0
    leaving: bool = False  # made to give way to a newer connection, and closed: no more a seat
    newest_view: str | None = None
    view_waiting: asyncio.Event = field(default_factory=asyncio.Event)
    allowance: Allowance = field(default_factory=Allowance)  # its own, then its team's once joined


class LinesPerWhile:
    """At most PRESENCE_LINES console lines of one thing (a team's comings and goings, a kind of
    close) in PRESENCE_SECONDS: a window whose network flaps, or a script joining or connecting in a
    loop, would scroll the join codes off the facilitator's console. Past them, what would have been
    said is counted, and ``after(key)`` is called once the while is over, to say it."""

    def __init__(self, after: Callable[[str], None]):
        self._after = after
        self._said: dict[str, list[float]] = {}  # key -> when its last lines were said
        self._unsaid: dict[str, int] = {}  # key -> what was not said since

    def may_say(self, key: str) -> bool:
        """Whether a line of ``key`` may be said now; if not, it is counted."""
        now = time.monotonic()
        said = [at for at in self._said.get(key, []) if now - at < PRESENCE_SECONDS]
        self._said[key] = said
        if len(said) < PRESENCE_LINES:
            return True
        if key not in self._unsaid:
            asyncio.get_running_loop().call_later(said[0] + PRESENCE_SECONDS - now, self._while_over, key)
        self._unsaid[key] = self._unsaid.get(key, 0) + 1
        return False

    def said(self, key: str) -> int:
        """Note a line of ``key`` said now; how many went unsaid before it (the line says them)."""
        self._said.setdefault(key, []).append(time.monotonic())
        return self._unsaid.pop(key, 0)

    def _while_over(self, key: str) -> None:
        if key in self._unsaid:  # (unless a line said them meanwhile)
            self._after(key)


@dataclass
class ClassServer:
    """The workshop's server for one class's game."""

    workshop: Workshop
    results_path: Path | None = None
    title: str = ""
    class_code: str = field(default_factory=new_class_code)
    #: Called (with the role) whenever a team joins or leaves, for the facilitator's console.
    on_presence: Callable[[str, str], None] | None = None
    #: Each role's token (the facilitator's under "FAC"), for a class going on after its server
    #: stopped (``resumed_server``): its windows join again with the codes they had. New ones if None.
    join_tokens: dict[str, str] | None = None

    def __post_init__(self) -> None:
        roles = (*self.workshop.roles, FACILITATOR)
        given = self.join_tokens or {}
        self.tokens = {given.get(role) or new_token(): role for role in roles}
        if len(self.tokens) != len(roles):  # two roles given one token: each gets a new one
            self.tokens = {new_token(): role for role in roles}
        self.seats: dict[ServerConnection, Seat] = {}
        self.results_written = False
        self.results_problem: str | None = None  # why the results file could not be written last time
        self.turns_written = -1  # the quarters played when the results were last written
        self._write_waiting: asyncio.TimerHandle | None = None
        self._views_waiting: asyncio.TimerHandle | None = None
        self._views_due = 0.0  # time.monotonic() before which views are not worked out again
        self._views_standing: tuple[int, bool] | None = None  # quarters played and over, as last sent
        # The console's lines of each team's comings and goings, and of each kind of close.
        self._presence_lines = LinesPerWhile(self._presence_after)
        self._close_lines = LinesPerWhile(self._closes_after)
        self.port: int | None = None
        self.team_allowances = {role: Allowance() for role in self.workshop.roles}
        self.wrong_codes = WrongCodes()
        self._closing: set[asyncio.Task] = set()  # connections made to give way, saying goodbye
        #: Set when the server stops: requests still queued from windows are not carried out.
        self.stopping = False
        #: Teams whose windows all closed on this server (and have not joined again): their bots
        #: may finish a quarter for them. A team away only because the server restarted has not
        #: left: its window is on its way back (a resume, or Japan's window closing, ended the
        #: quarter of teams whose windows had not yet found the restarted server).
        self.left: set[str] = set()
        for role in self.workshop.roles:  # nobody has joined yet: their bots would stand in
            self.workshop.leave(role)

    def join_codes(self) -> dict[str, str]:
        """Each role's join code (the facilitator's under "FAC")."""
        return {role: join_code(self.class_code, token) for token, role in self.tokens.items()}

    def facilitator_view(self) -> dict[str, Any]:
        """The facilitator's view, with what only the server knows: each team's join code (the
        terminal alone showed them, and a team that lost its code could not join again once it
        was closed), and whether each team has joined since the server started (one that never
        did read "waiting for the start" as the others did)."""
        view = facilitator_view(self.workshop)
        codes = self.join_codes()
        view["join_codes"] = {role: codes[role] for role in self.workshop.roles}
        not_joined = {role for role in self.workshop.away if role not in self.left}
        view["teams"] = {role: {**team, "joined": role not in not_joined} for role, team in view["teams"].items()}
        return view

    # ------------------------------------------------------------------ running

    async def serve(self, host: str = "127.0.0.1", port: int = 8765, ready: Callable[[int], None] | None = None,
                    stop: asyncio.Event | None = None) -> None:
        """Serve until ``stop`` is set (forever without one)."""
        # A short close_timeout: when the facilitator stops the server, the windows still joined
        # are told at once rather than waited for (ten seconds each by default).
        # A connection that has not finished its opening handshake is no window yet and counts
        # nowhere: websockets holds it for 10 s by default, and 400 a second that never spoke held
        # every file the process may open (a team's window then could not connect). A window's
        # handshake takes milliseconds.
        where: dict[str, Any] = {"host": host, "port": port}
        if host == "::" and socket.has_dualstack_ipv6():
            # Every network in both families, on one port: asyncio's "::" listens on IPv6 alone,
            # while the console gives teams this machine's IPv4 address to join at.
            where = {"sock": socket.create_server(("::", port), family=socket.AF_INET6, dualstack_ipv6=True)}
        server = await serve(self._handle, **where, max_size=MAX_MESSAGE_BYTES, compression=None,
                             close_timeout=1, open_timeout=OPEN_SECONDS)
        try:
            self.port = server.sockets[0].getsockname()[1] if server.sockets else port
            if ready is not None:
                ready(self.port)
            await (stop.wait() if stop is not None else asyncio.Future())
        finally:
            self.stopping = True  # on every window's connection, requests still queued are dropped
            server.close(reason=self._closing_reason())
            # A window that will not say goodbye does not keep the facilitator waiting.
            with contextlib.suppress(asyncio.TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(server.wait_closed(), STOP_SECONDS)
        self._write_final_results()

    def _closing_reason(self) -> str:
        """What a stopping server tells the windows: whether their class is over (they stop
        joining again) or goes on later (they keep trying: --resume takes the same codes)."""
        return CLASS_OVER if self.workshop.is_over else SERVER_STOPPING

    async def _handle(self, connection: ServerConnection) -> None:
        if self.stopping:
            await connection.close(1001, self._closing_reason())
            return
        most = connections_allowed()
        seats = [seat for seat in self.seats.values() if not seat.leaving]
        waiting = [seat for seat in seats if seat.role is None]  # the oldest first
        if len(waiting) >= min(MAX_WAITING, most // 4) or (waiting and len(seats) >= most):
            # The oldest connection that has not joined makes room: a window joins the moment it
            # connects, so connections kept open without joining cannot keep a team out.
            # Not waited on: every new connection waited on the same oldest one's goodbye (a
            # second, where it did not answer), then all took their seats, and the class held four
            # times the connections it allows. It no longer counts, and goes within the second.
            waiting[0].leaving = True
            closing = asyncio.create_task(waiting[0].connection.close(1013, "too many windows are connecting; "
                                                                      "join again"))
            self._closing.add(closing)
            closing.add_done_callback(self._closing.discard)
        elif len(seats) >= most:
            await connection.close(1013, "the class has no room for another window")
            return
        seat = Seat(connection)
        self.seats[connection] = seat
        sender = asyncio.create_task(self._send_views(seat))
        deadline = asyncio.create_task(self._close_unless_joined(seat))
        try:
            async for raw in connection:
                await seat.allowance.wait()  # a malformed request counts too
                if self.stopping:
                    break
                await self._answer(seat, raw)
        except ConnectionClosed:
            pass
        finally:
            sender.cancel()
            deadline.cancel()
            del self.seats[connection]
            if not self.stopping:
                self._say_why_closed(seat)
            # (A server that is stopping closes every window itself: that is no team leaving, and
            # its bots played the open quarter for every team not done at each orderly stop.)
            if seat.role is not None and seat.role != FACILITATOR and not self._present(seat.role) \
                    and not self.stopping:
                self.workshop.leave(seat.role)
                self.left.add(seat.role)
                self._presence(seat.role, "left")
                if self._turn_may_end():
                    self.workshop.end_turn()
                    self._write_after_a_change()
                self._broadcast()

    async def _close_unless_joined(self, seat: Seat) -> None:
        await asyncio.sleep(JOIN_SECONDS)
        if seat.role is None:
            await seat.connection.close(1008, f"join within {JOIN_SECONDS:.0f} s of connecting")

    async def _answer(self, seat: Seat, raw: str | bytes) -> None:
        if seat.role is None and (len(raw) > MAX_JOIN_BYTES
                                  or (isinstance(raw, str) and len(raw.encode("utf-8")) > MAX_JOIN_BYTES)):
            await seat.connection.close(1009, "join first: a join is a short message")
            return
        request_id = None
        wrong_codes = seat.wrong_codes
        joining = False
        try:
            request = parse_request(raw)
            request_id = request.id
            if request.type == "join":
                joining = True
                await self._join(seat, request.body, request_id)
                return
            if seat.role is None:
                raise MessageError("join first, with your team's join code")
            changed = await self._request(seat, request.type, request.body, request_id)
        except (MessageError, WorkshopError) as error:
            if request_id is None:
                request_id = id_of_unreadable(raw)
                joining = joining or _looks_like_a_join(raw)  # a name too long, a code mistyped
            # The English line, for windows of earlier versions; where it names a team, a role or
            # a figure, its template and those too, for a window to word in its own language (a
            # line without any is its own template, and may hold braces: "{"kind": ...}").
            worded = {"template": error.template, "fields": error.values} if error.values else {}
            await self._send(seat, message("error", request_id, reason=str(error), **worded))
            if seat.role is None and joining and seat.wrong_codes == wrong_codes:
                seat.wrong_codes += 1  # a join refused otherwise (a name another team has) counts too
            if seat.wrong_codes >= MAX_WRONG_CODES:
                await seat.connection.close(1008, "too many refused joins")
            elif seat.role is None and not joining:
                # Before joining, only a join is answered and waited on (a mistyped code, a name
                # another team has); anything else closes the connection, at no more cost than one message.
                await seat.connection.close(1008, "join first, with your team's join code")
            return
        if changed:
            self._write_after_a_change()
            self._broadcast()

    async def _join(self, seat: Seat, body: dict[str, Any], request_id: int | None) -> None:
        address = _address_of(seat.connection)
        allowance = self.wrong_codes.allowance(address)
        if allowance is not None:
            # A machine that sent wrong codes lately: its joins wait on its own allowance, and all
            # such machines together on the class's, so guessing takes years; others go first.
            if allowance.queued_seconds() > MOST_JOIN_WAIT_SECONDS or not self.wrong_codes.class_allowance.take_now():
                self.wrong_codes.turned_away(address)
                raise MessageError("many wrong join codes came from this machine or are arriving: join again in a "
                                   "minute")
            await allowance.wait()
            if seat.connection.state is not State.OPEN:
                return  # the window left while it waited: nobody to seat (it joined as a ghost)
        if seat.role is not None:
            # A window joins again only as what it plays (a join with another code answered "this
            # window already plays JPN" for a right one: a guess checked outside the allowances).
            own = next(token for token, role in self.tokens.items() if role == seat.role)
            if split_join_code(body["code"]) != (self.class_code, own):
                raise MessageError("this window already plays {role}", role=seat.role)
        class_code, token = split_join_code(body["code"])
        role = self.tokens.get(token) if class_code == self.class_code else None
        if role is None:
            seat.wrong_codes += 1
            self.wrong_codes.refused(address)
            raise MessageError("no team has that join code in this class")
        if seat.role is not None and seat.role != role:
            raise MessageError("this window already plays {role}", role=seat.role)
        if seat.role is None and sum(s.role == role for s in self.seats.values()) >= MAX_WINDOWS_PER_TEAM:
            whose = ("the facilitator has {most} windows open already; close one first" if role == FACILITATOR
                     else "this team has {most} windows open already; close one first")
            raise MessageError(whose, most=MAX_WINDOWS_PER_TEAM)
        team = body.get("team")
        if role != FACILITATOR and self.workshop.is_over:
            # The results file is written for good at the end: a new name would show on the
            # projector and not in the report. The window joins, under the name the results have.
            team = None
        if role != FACILITATOR and team:
            taken = next((other for code, other in self.workshop.teams.items()
                          if code != role and as_read(other) == as_read(team)), None)
            if taken is not None:  # the report and the projector could not tell the two apart
                raise MessageError("another team is called {team}: choose another name", team=repr(taken))
            posing = reads_as_another(self.workshop, role, team)
            if posing:
                raise MessageError("{team} reads as {other}: choose another name", team=repr(team), other=posing)
        seat.role = role
        if role != FACILITATOR:
            seat.allowance = self.team_allowances[role]
            if team:
                self.workshop.teams[role] = team
            if role in self.workshop.away:
                self.workshop.rejoin(role)
                self.left.discard(role)
                self._presence(role, "joined")
        await self._send(seat, message("welcome", request_id, role=role, class_code=self.class_code))
        self._write_after_a_change()  # the team's name
        self._broadcast()
        if self._views_waiting is not None:  # the others' views wait; a window just joined has none
            self._broadcast_now(only=seat)

    async def _request(self, seat: Seat, kind: str, body: dict[str, Any], request_id: int | None) -> bool:
        """Carry out a joined window's request; whether the game changed."""
        role = seat.role
        if kind == "results":
            # The class's whole record (every team's moves, figures and history notes) is the
            # facilitator's: a team's view shows only what its nation may see, and its window
            # leaves the results to the server's file. (results_of, not self.results(): a window
            # is never sent the class's codes.)
            if role != FACILITATOR:
                raise MessageError("the class's results are the facilitator's: the server writes them to its "
                                   "results file")
            await self._send(seat, message("results", request_id, results=results_of(self.workshop, self.title)))
            return False
        if kind == "facilitate":
            if role != FACILITATOR:
                raise MessageError("only the facilitator may do that")
            facilitate(self.workshop, body["command"], dict(body.get("argument", {})))
            if body["command"] in ("start", "resume") and self._turn_may_end():
                # The last team not done left while the game was paused (or not started): no
                # team is left to end the quarter, so it ends now, that team's bot playing for it.
                self.workshop.end_turn()
            await self._send(seat, message("ok", request_id))
            return True
        if role == FACILITATOR:
            raise MessageError("the facilitator plays no nation")
        if kind == "act":
            record = self.workshop.submit(role, body["action"])
            await self._send(seat, message("record", request_id, record=record_data(record, "team")))
            return True
        # "done", for the quarter now open
        quarter = body.get("quarter")
        if quarter is not None and quarter != str(self.workshop.quarter) and not self.workshop.is_over:
            raise _done_for_another_quarter(quarter, self.workshop.quarter)
        self.workshop.finish(role)
        await self._send(seat, message("ok", request_id))
        return True

    # ------------------------------------------------------------------ inside

    def _present(self, role: str) -> bool:
        return any(s.role == role for s in self.seats.values())


    def _turn_may_end(self) -> bool:
        """A team left while all the others were done: its bot finishes the quarter for it (when it
        leaves, or when the facilitator starts or resumes the game if it left during a pause)."""
        workshop = self.workshop
        return (workshop.started and not workshop.paused and not workshop.is_over and bool(workshop.done)
                and workshop.everyone_done and not (workshop.away - workshop.done - self.left))

    def _presence(self, role: str, what: str) -> None:
        """Tell the console a team joined or left, unless it has said PRESENCE_LINES of the team
        lately: then count it, and say where the team is once PRESENCE_SECONDS have passed."""
        if self.on_presence is not None and self._presence_lines.may_say(role):
            self._say_presence(role, what)

    def _presence_after(self, role: str) -> None:
        """Where a team is, with its comings and goings left unsaid."""
        if not self.stopping:
            self._say_presence(role, "joined" if self._present(role) else "left")

    def _say_presence(self, role: str, what: str) -> None:
        unsaid = self._presence_lines.said(role)
        self.on_presence(role, f"{what} ({unsaid} more joins and leaves not said)" if unsaid else what)

    def _say_why_closed(self, seat: Seat) -> None:
        """Tell the console why a connection closed where a facilitator could not tell otherwise
        why a window dropped: a message larger than the server takes (code 1009), or a window
        that never joined. A joined window's other closes are its team's leaving, said already."""
        # The close the server sent (its own, or its echo of the window's), else the window's: the
        # connection's close_code is the window's alone, unknown yet where the server closed it.
        protocol = seat.connection.protocol
        close = protocol.close_sent or protocol.close_rcvd
        if close is None:
            return
        # (A close's reason may come from the window: kept printable and short.)
        code, reason = close.code, printable(close.reason or "")[:120]
        address = _address_of(seat.connection)
        whose = f"{seat.role}'s window" if seat.role is not None else "a window that had not joined"
        at = f" at {address}" if address else ""
        if code == 1009:
            self._say_closed("too large", f"{whose}{at} sent a message larger than the server takes, and its "
                                          f"connection is closed ({reason or 'no reason given'}; code 1009)")
        elif seat.role is None:
            self._say_closed("never joined", f"a window{at} never joined, and its connection is closed "
                                             f"({reason or 'no reason given'}; code {code})")

    def _say_closed(self, kind: str, line: str) -> None:
        """Say ``line`` on the console, unless PRESENCE_LINES of its ``kind`` were said lately (a
        script connecting in a loop would scroll the join codes off, as a flapping team's joins
        did): then count it, and once PRESENCE_SECONDS have passed say how many went unsaid."""
        if self._close_lines.may_say(kind):
            unsaid = self._close_lines.said(kind)
            log.warning("%s", f"{line} ({unsaid} more closed so, not said one by one)" if unsaid else line)

    def _closes_after(self, kind: str) -> None:
        """How many connections closed so (``kind``) went unsaid, once the while is over."""
        if not self.stopping:
            unsaid = self._close_lines.said(kind)
            reason = "for a message larger than the server takes (code 1009)" if kind == "too large" \
                else "that never joined"
            log.warning("%d more connection(s) closed %s, not said one by one", unsaid, reason)

    def _broadcast(self) -> None:
        """Give every joined window the game's newest view: now, or, where views were worked out
        a moment ago, once VIEW_SPACING allows (the changes meanwhile share that view)."""
        # A new quarter, or the game's end, goes out at once: it is what every team waits for.
        standing = (self.workshop.world.turns_done, self.workshop.is_over)
        if standing == self._views_standing:
            if self._views_waiting is not None:
                return  # the views on their way will be worked out from the game as it is then
            wait = self._views_due - time.monotonic()
            if wait > 0:
                self._views_waiting = asyncio.get_running_loop().call_later(wait, self._broadcast_waited)
                return
        elif self._views_waiting is not None:
            self._views_waiting.cancel()
            self._views_waiting = None
        started = time.monotonic()
        self._broadcast_now()
        finished = time.monotonic()
        self._views_due = finished + VIEW_SPACING * (finished - started)
        self._views_standing = standing

    def _broadcast_waited(self) -> None:
        self._views_waiting = None
        if not self.stopping:  # a stopping server closes every window
            self._broadcast()

    def _broadcast_now(self, only: Seat | None = None) -> None:
        """Work out each joined role's view once (or ``only`` that seat's); each seat's sender
        sends it."""
        views: dict[str, str] = {}
        for seat in list(self.seats.values()) if only is None else [only]:
            if seat.role is None:
                continue
            if seat.role not in views:
                view = self.facilitator_view() if seat.role == FACILITATOR \
                    else team_view(self.workshop, seat.role)
                views[seat.role] = message("view", view=view)
            seat.newest_view = views[seat.role]
            seat.view_waiting.set()

    async def _send_views(self, seat: Seat) -> None:
        """Send a seat the newest view each time there is one. Waiting for a window that does not
        read (a laptop gone to sleep) holds up only this seat, which then gets only the newest
        view: when the broadcast waited on each window in turn, one such window stopped the
        server answering anyone after a few quarters, until the connection timed out."""
        while True:
            await seat.view_waiting.wait()
            seat.view_waiting.clear()
            text, seat.newest_view = seat.newest_view, None
            if text is not None:
                await self._send(seat, text)

    async def _send(self, seat: Seat, text: str) -> None:
        with contextlib.suppress(ConnectionClosed):
            await seat.connection.send(text)

    def results(self) -> dict[str, Any]:
        """The results so far; while the game goes on, with the class code and its tokens, so
        that a class whose server stopped can go on from them (``resumed_server``) with the join
        codes its windows have. A finished game's file holds no codes."""
        data = results_of(self.workshop, self.title)
        if not self.workshop.is_over:
            tokens = {role: token for token, role in self.tokens.items()}
            data["server"] = {"class_code": self.class_code, "join_tokens": tokens,
                              "codes_check": codes_check(self.class_code, tokens),
                              "done": sorted(self.workshop.done)}  # the open quarter's, kept on a resume
        return data

    def hold_results_file(self) -> None:
        """Take ``results_path`` for this server alone, for as long as the process lives: a lock on
        a hidden file beside the file the path leads to (through links: ``_lock_path``), which the
        system lets go of however the process ends. ResultsHeld if another server holds it: two
        servers resuming one class (or resuming it while its first server still runs) each wrote
        over the other's quarters. OSError (naming the lock's file) if the lock cannot be made."""
        try:
            import fcntl
        except ImportError:  # (Windows: no such lock; a second server there is the facilitator's to avoid)
            return
        lock_path = _lock_path(self.results_path)
        for _ in range(10):
            handle = open(lock_path, "a+b")  # noqa: SIM115 (held open until the server stops)
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                raise ResultsHeld(f"{self.results_path} is in use by another server of this class: stop that one "
                                  "first (its windows then join this one)") from None
            except OSError:  # a file system without locks (some network shares): go on unlocked, as before
                handle.close()
                return
            try:  # the file locked is still the one of that name (a stopping server removes its own)
                if os.stat(lock_path).st_ino == os.fstat(handle.fileno()).st_ino:
                    self._lock = (handle, lock_path)
                    return
            except FileNotFoundError:
                pass
            handle.close()
        raise ResultsHeld(f"{self.results_path}: its lock keeps changing hands; try again")

    def let_go_of_results_file(self) -> None:
        """Remove the lock's file and release the lock of ``hold_results_file`` (the server is
        stopping). Removed while still held: a server that locks the old file after this finds it
        nameless and tries again (``hold_results_file``)."""
        held, self._lock = getattr(self, "_lock", None), None
        if held is not None:
            handle, lock_path = held
            lock_path.unlink(missing_ok=True)
            handle.close()

    def claim_results_file(self) -> None:
        """Write the results as they stand to ``results_path`` as a new file, before the class
        starts: FileExistsError if a file is there (another class's, even one started a moment
        ago with the same name), another OSError if it cannot be written. Claimed at the start, a
        file another class took since cannot be written over at the end, and a place that will not
        take the results is said before anyone plays."""
        write_results_as_new(self.results_path, self.results())
        self.turns_written = self.workshop.world.turns_done

    def write_results_now(self) -> str | None:
        """Write the results as they stand (a class going on from its file writes it at once);
        why they could not be written, or None."""
        self._write_results(warn=False)
        return self.results_problem

    def _write_after_a_change(self) -> None:
        """Write the results now if a quarter has been played since they were last written, or
        the game is over; after any other change, within WRITE_DELAY."""
        if self.workshop.is_over or self.workshop.world.turns_done != self.turns_written:
            self._write_results()
        elif self._write_waiting is None and self.results_path is not None:
            self._write_waiting = asyncio.get_running_loop().call_later(WRITE_DELAY, self._write_waited)

    def _write_waited(self) -> None:
        self._write_waiting = None
        if not self.stopping:  # on the way out, the final write takes it
            self._write_results()

    def _write_results(self, warn: bool = True) -> None:
        """Write the results so far (whole). A file that cannot be written (a full disk) stops
        neither the class nor the server: it is tried again at the next change and on the way
        out, where ``ResultsNotWritten`` says where they went instead."""
        if self.results_path is None or (self.results_written and self.workshop.is_over):
            return
        try:
            write_results(self.results_path, self.results())
        except OSError as error:
            problem = f"cannot write the results to {self.results_path}: {error.strerror or error}"
            if warn and problem != self.results_problem:  # said once, not at every write that fails alike
                log.warning("%s", problem)
            self.results_problem = problem
            return
        self.results_problem = None
        self.results_written = self.workshop.is_over
        self.turns_written = self.workshop.world.turns_done

    def _write_final_results(self) -> None:
        """The results on the way out; if their file cannot be written, into a new file in the
        system's folder for temporary files instead (often another disk: never over a file there,
        such as an earlier class's rescued results), and ``ResultsNotWritten`` says so."""
        self._write_results(warn=False)
        if self.results_problem is None:
            return
        folder = Path(tempfile.gettempdir())
        try:
            rescue = write_new_results(folder, self.results_path.name, self.results())
        except OSError as error:
            raise ResultsNotWritten(f"{self.results_problem}, nor to a new file in {folder}: "
                                    f"{error.strerror or error}") from None
        raise ResultsNotWritten(f"{self.results_problem}; they are in {rescue}")


def _lock_path(results_path: Path) -> Path:
    """The lock's file for a results file: beside the file its path leads to through symbolic
    links (a link to a class's file is the same class), named after it, shortened with a digest
    where the name is long (a name the folder takes, with the lock's marks, was too long for it)."""
    real = Path(os.path.realpath(results_path))
    name = short_name(real.name)
    if name != real.name:  # two long names that start alike are two classes: a digest of the whole tells them apart
        name += f"-{hashlib.sha256(os.fsencode(real.name)).hexdigest()[:16]}"
    return real.with_name(f".{name}.lock")


def reads_as_another(workshop: Workshop, role: str, team: str) -> str:
    """What ``team``, the name of ``role``'s team, would pass for, or "": another role (a
    nation's or a company's code or name, in either language), the facilitator or a bot. On the projector and in the report, the EU's
    team called "USA", or a team called "facilitator", read as what it is not."""
    others = {as_read(word): "the facilitator" for word in ("FAC", "facilitator")}
    others |= {as_read(word): "a bot" for word in ("bot", "bots")}
    for code, spec in workshop.in_world.items():  # nations and companies
        if code == role:
            continue
        names = {code, *spec.name.values(), *([workshop.world.nation(code).name] if workshop.world.has_nation(code)
                                             else [])}
        shown_as = workshop.world.nation(code).name if workshop.world.has_nation(code) else spec.name.get("en", code)
        for name in names:
            others[as_read(name)] = f"another role ({shown_as})"
    read = as_read(team)
    if read in others:
        return others[read]
    # A role's name inside a team's: "Team Japan" for the United States' team read as Japan's on
    # the projector. As a word in Latin letters ("Eureka" is not the EU), anywhere in Japanese.
    for name, what in others.items():
        if what.startswith("another role") and re.search(
                re.escape(name) if any(ord(c) > 0x2E80 for c in name) else rf"(?<!\w){re.escape(name)}(?!\w)", read):
            return what
    return ""


def _looks_like_a_join(raw: str | bytes) -> bool:
    """Whether a request refused as malformed was meant as a join (its type says so): it may be
    tried again, as a join with a wrong code may, rather than closing the connection."""
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return False
    return isinstance(data, dict) and data.get("type") == "join"


def codes_check(class_code: str, tokens: dict[str, str]) -> str:
    """A digest of a class's code and its join tokens, kept beside them in the results file: codes
    edited in the file (a window would no longer get in, or would get in as another team) no
    longer match it. It guards against a hand's edit, not a forger's (the file is the facilitator's
    own, readable by its account only while it holds them)."""
    text = json.dumps([class_code, sorted(tokens.items())], ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("ascii")).hexdigest()[:16]


def resumed_server(data: dict[str, Any]) -> ClassServer:
    """The server of a class whose server stopped part-way (killed, or its machine restarted), from
    the results file it was writing (checked by ``read_results``): the game as it stood (paused:
    see ``resumed``), the class's title, and its class code and tokens, so the windows still open
    join again with the codes they have. ResultsError if the file cannot go on, naming why: codes
    edited so that a window would no longer get in, or get in as another, are refused rather than
    made anew without a word."""
    # The game first: a finished class's file holds no codes either, and was sent to the hot seat.
    workshop = resumed(data)
    codes = data.get("server")
    if not isinstance(codes, dict):
        raise ResultsError("it holds no join codes (a network class's file holds them while its game goes on): "
                           "a hot seat's game goes on with 'rare-earths workshop hotseat --resume FILE', a team "
                           "alone's with 'rare-earths play --resume FILE'")
    class_code, tokens = codes.get("class_code"), codes.get("join_tokens")
    roles = (*workshop.roles, FACILITATOR)
    if not isinstance(class_code, str) or not isinstance(tokens, dict):
        raise ResultsError("server: its class code or join codes are missing")
    if len(class_code) != CLASS_CODE_LENGTH or any(char not in ALPHABET for char in class_code):
        # (Checked alone: a class code edited to lower case failed each join code's check below,
        # which then blamed the first role's token.)
        raise ResultsError(f"server.class_code: {shown(class_code)} is not a class code this game makes")
    for role in roles:
        token = tokens.get(role)
        try:
            if not isinstance(token, str) or split_join_code(join_code(class_code, token)) != (class_code, token):
                raise MessageError("not a join code")
        except MessageError:
            raise ResultsError(f"server.join_tokens.{role}: missing, or not a code this game makes") from None
    if len({tokens[role] for role in roles}) != len(roles):
        raise ResultsError("server.join_tokens: two roles share one code")
    if "codes_check" not in codes:
        raise ResultsError("server.codes_check: missing (a server of this version keeps a check of the join codes "
                           "beside them): it cannot go on")
    if codes["codes_check"] != codes_check(class_code, tokens):
        raise ResultsError("server: its class code or join codes were edited since the server wrote them (they do "
                           "not match their check): it cannot go on")
    # The teams' names as the server takes them at a join: a name that shows something, and no two
    # that read alike (the report and the projector could not tell "Same" and "same" apart).
    named: dict[str, str] = {}
    for role, team in sorted(workshop.teams.items()):
        if names_nothing(team):
            raise ResultsError(f"nations.{role}.team: a name of only spaces or marks")
        posing = reads_as_another(workshop, role, team)
        if posing:
            raise ResultsError(f"nations.{role}.team: {shown(team)} reads as {posing}")
        if as_read(team) in named:
            raise ResultsError(f"nations.{role}.team: {shown(team)} reads as {shown(named[as_read(team)])}, "
                               "another team's name")
        named[as_read(team)] = team
    return ClassServer(workshop, title=data["title"], class_code=class_code,
                       join_tokens={role: tokens[role] for role in roles})


class ResultsHeld(Exception):
    """Another server holds the class's results file; the message names it."""


class ResultsNotWritten(Exception):
    """The class's results could not go where they were asked to; the message says where they are."""


def run_server(server: ClassServer, host: str, port: int, ready: Callable[[int], None] | None = None) -> None:
    """Serve until interrupted (Ctrl+C, which raises KeyboardInterrupt) or told to stop (SIGTERM:
    a kill, a service manager; SIGHUP: the terminal closed); the results so far are written on
    the way out."""

    stopped_by: list[int] = []

    def stop_on(signum: int, stop: asyncio.Event) -> None:
        stopped_by.append(signum)
        stop.set()

    async def until_stopped() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        loop.set_exception_handler(AcceptFailures())
        for signum in other_stop_signals():  # Ctrl+C raises as ever; a signal ignored (nohup) stays so
            with contextlib.suppress(NotImplementedError, RuntimeError):  # no signals in this loop
                loop.add_signal_handler(signum, stop_on, signum, stop)
        await server.serve(host, port, ready, stop)

    try:
        with stop_handlers_kept():  # the loop's handlers leave the system's default as it closes
            asyncio.run(until_stopped())
    except KeyboardInterrupt:
        server._write_final_results()
        raise
    if stopped_by:  # the results are written; the stop is said as a stop, like Ctrl+C's
        raise Stopped(stopped_by[0])


#: Files the server keeps for itself besides its connections (the results, the listening
#: sockets, Python's own), out of the process's limit.
FILES_KEPT = 64


def connections_allowed() -> int:
    """MAX_CONNECTIONS, or fewer where the process may open fewer files (256 on macOS): a
    connection is a file, and one the system has no file for cannot even be turned away."""
    try:
        import resource
    except ImportError:  # Windows: no such limit to read
        return MAX_CONNECTIONS
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return MAX_CONNECTIONS
    return max(8, min(MAX_CONNECTIONS, soft - FILES_KEPT))


def _address_of(connection: ServerConnection) -> str:
    """The machine a connection comes from: its IPv4 address, or its IPv6 address's network (a
    machine may take any address of its /64), or "" if the system does not say."""
    try:
        remote = connection.remote_address
    except (AttributeError, OSError):
        return ""
    host = str(remote[0]) if isinstance(remote, tuple) and remote else str(remote or "")
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return host
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:  # an IPv4 machine reaching a dual-stack server
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


class AcceptFailures:
    """The event loop's exception handler: a connection the system has no file for is said in
    one line, at most once a minute; anything else as asyncio says it. (asyncio logs a full
    traceback for each failed accept, retrying every second: a flood of connections filled the
    facilitator's terminal with 389,394 lines.)"""

    def __init__(self, every_seconds: float = 60.0):
        self.every_seconds = every_seconds
        self.said_at: float | None = None
        self.since = 0  # failures not said since the last line

    def __call__(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        error = context.get("exception")
        if not (context.get("message", "").startswith("socket.accept()") and isinstance(error, OSError)):
            loop.default_exception_handler(context)
            return
        now = time.monotonic()
        self.since += 1
        if self.said_at is not None and now - self.said_at < self.every_seconds:
            return
        log.warning("cannot take more connections for now (%s; %d since the last such line): the class goes on "
                    "with the windows it has", error.strerror or error, self.since)
        self.said_at, self.since = now, 0


def _done_for_another_quarter(named: str, now: Quarter) -> MessageError:
    """Why a done naming a quarter other than the one open is refused: that quarter has ended
    (a second click, a window's retry), has not begun, or is no quarter at all."""
    try:
        quarter = Quarter.parse(named)
    except ValueError:
        return MessageError("done names the quarter it ends, such as {now}: {named} is no quarter",
                            now=repr(str(now)), named=repr(named[:12]))
    if quarter > now:
        return MessageError("done for {quarter} came before that quarter began: the class is in {now}",
                            quarter=str(quarter), now=str(now))
    return MessageError("done for {quarter} came after that quarter ended: the class is in {now}",
                        quarter=str(quarter), now=str(now))
