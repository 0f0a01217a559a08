"""The messages between a workshop server and its windows, checked at the door.

Every message is one JSON object in a text frame of at most ``MAX_MESSAGE_BYTES``, with a
``type``; a request may carry an ``id`` (a whole number) that its answer repeats. Anything
else is refused with a reason and changes nothing.

A window first joins with its join code: the class code and its team's token
(``K7QM-3F9XZA``), which the server hands the facilitator for each team when it starts. The
token decides which role the connection plays; no message names a role, so no team can act
for another.

From a window:        {"type": "join", "code": "K7QM-3F9XZA", "team": "Eagles"}
                      {"type": "act", "action": {"kind": "set_import_tariff", ...}}
                      {"type": "done", "quarter": "2011Q1"}   (the quarter it is done with)
                      {"type": "facilitate", "command": "inject", "argument": {"event": 3}}
                      {"type": "results"}   (the facilitator's window only)
From the server:      {"type": "welcome", "role": "USA"}   (the facilitator's role is "FAC")
                      {"type": "view", "view": {...}}      (after every change, to everyone)
                      {"type": "record", "record": {...}}  (an action's answer: taken or refused)
                      {"type": "ok"}, {"type": "results", "results": {...}},
                      {"type": "error", "reason": "..."}
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Any

from game.json_depth import too_deep
from game.vocab.refusals import Refusal
from game.quoting import composed
from game.workshop.codes import ALPHABET
from game.workshop.quoting import refuse_constant
from game.workshop.team_names import MAX_TEAM_NAME, team_name_said

#: Largest message a window may send (an action is a few hundred bytes).
MAX_MESSAGE_BYTES = 64 * 1024
#: Largest message the server sends (a team's view at the end of a long level, the results).
MAX_SERVER_MESSAGE_BYTES = 16 * 1024 * 1024
#: What a window may ask, and the keys each request may hold besides ``type`` and ``id``.
REQUESTS = {
    "join": {"code", "team"},
    "act": {"action"},
    "done": {"quarter"},
    "facilitate": {"command", "argument"},
    "results": set(),
}
CLASS_CODE_LENGTH = 4
TOKEN_LENGTH = 6
#: Longest class title (``serve --title``; a results file's is held to it on a resume).
MAX_TITLE = 200
#: Why a stopping server closes the windows' connections (code 1001, going away): the class is
#: over (a window stops joining again), or the server stops with the game going on (a window
#: joins again, as a server started with --resume takes the same codes).
CLASS_OVER = "the class is over"
SERVER_STOPPING = "the server is stopping; the class can go on later"


class MessageError(Refusal):
    """A message that cannot be taken; the reason is sent back, with its ``template`` and the
    names and figures that fill it (``Refusal``), for a window to word in its language."""


@dataclass(frozen=True)
class Request:
    type: str
    id: int | None
    body: dict[str, Any]


def new_class_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CLASS_CODE_LENGTH))


def new_token() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(TOKEN_LENGTH))


def join_code(class_code: str, token: str) -> str:
    return f"{class_code}-{token}"


def split_join_code(text: str) -> tuple[str, str]:
    """(class code, token) of a join code, read as people type it (any case, O for 0...)."""
    cleaned = text.strip().upper().replace("O", "0").replace("I", "1").replace("L", "1").replace(" ", "")
    class_code, _, token = cleaned.partition("-")
    if len(class_code) != CLASS_CODE_LENGTH or len(token) != TOKEN_LENGTH \
            or any(c not in ALPHABET for c in class_code + token):
        raise MessageError(f"a join code looks like K7QM-3F9XZA (got {text[:20]!r})")
    return class_code, token


def id_of_unreadable(raw: str | bytes) -> int | None:
    """The id a message that parse_request refused carries at its top level, read leniently (a
    NaN, an infinity or a number of thousands of digits elsewhere in it), so that its window's
    wait for the answer ends with the refusal rather than a timeout; None if it has none, or
    cannot be read at all (never an id found deeper in it)."""
    if not isinstance(raw, str) or len(raw) > MAX_MESSAGE_BYTES or too_deep(raw):
        return None
    try:
        data = json.loads(raw, parse_constant=lambda _: None,
                          parse_int=lambda digits: int(digits) if len(digits) <= 16 else None)
    except (ValueError, RecursionError):
        return None
    request_id = data.get("id") if isinstance(data, dict) else None
    if isinstance(request_id, int) and not isinstance(request_id, bool) and 0 <= request_id < 2**53:
        return request_id
    return None


class _KeyTwice(Exception):
    """A JSON object naming one key twice (its key)."""


def _once_each(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object as a dict, its keys each once: JSON takes the last of two, so an action
    naming "materials" twice did what its second said without a word."""
    data = dict(pairs)
    if len(data) != len(pairs):
        seen: set[str] = set()
        raise _KeyTwice(next(key for key, _ in pairs if key in seen or seen.add(key)))
    return data


def parse_request(raw: str | bytes) -> Request:
    """A window's message, checked; MessageError says what is wrong."""
    if isinstance(raw, bytes):
        raise MessageError("messages are JSON text, not binary")
    if len(raw.encode("utf-8")) > MAX_MESSAGE_BYTES:
        raise MessageError(f"message larger than {MAX_MESSAGE_BYTES} bytes")
    if too_deep(raw):
        raise MessageError("not JSON: nested too deeply")
    try:
        data = json.loads(raw, parse_constant=refuse_constant, object_pairs_hook=_once_each)
    except json.JSONDecodeError as error:
        raise MessageError(f"not JSON: {str(error).splitlines()[0]}") from None
    except _KeyTwice as twice:
        raise MessageError(f"{twice.args[0][:40]!r} is given twice in one object") from None
    except ValueError as error:  # a constant refused, or a whole number of thousands of digits
        reason = "a number with too many digits" if "digits" in str(error) else str(error).splitlines()[0]
        raise MessageError(f"not JSON: {reason}") from None
    except RecursionError:
        raise MessageError("not JSON: nested too deeply") from None
    if not isinstance(data, dict):
        raise MessageError("a message is a JSON object")
    kind = data.get("type")
    if not isinstance(kind, str) or kind not in REQUESTS:
        raise MessageError(f"unknown type {str(kind)[:30]!r} (expected one of {', '.join(REQUESTS)})")
    request_id = data.get("id")
    if request_id is not None and (not isinstance(request_id, int) or isinstance(request_id, bool)
                                   or not 0 <= request_id < 2**53):
        raise MessageError(f"id must be a whole number from 0 to {2**53 - 1:,}")
    extra = set(data) - REQUESTS[kind] - {"type", "id"}
    if "role" in extra or "nation" in extra:
        raise MessageError("a team acts only for itself: no message names a role")
    if extra:
        raise MessageError(f"{kind}: unknown key {min(extra)[:40]!r}")
    body = {k: v for k, v in data.items() if k not in ("type", "id")}
    _check_body(kind, body)
    return Request(kind, request_id, body)


def _check_body(kind: str, body: dict[str, Any]) -> None:
    if kind == "join":
        if not isinstance(body.get("code"), str):
            raise MessageError("join needs the team's join code")
        split_join_code(body["code"])
        team = body.get("team", "")
        if not isinstance(team, str):
            raise MessageError("a team's name is text of at most {most} printable characters", most=MAX_TEAM_NAME)
        team = composed(team)
        # (no name: the team keeps the one it has). The template and its fields, not the English
        # line, so that a window words the refusal in its language.
        template, fields = team_name_said(team) if team else ("", {})
        if template:
            raise MessageError(template, **fields)
        body["team"] = team
    elif kind == "act":
        if not isinstance(body.get("action"), dict):
            raise MessageError("act needs an action: {\"kind\": ..., its fields}")
    elif kind == "done":
        # A team's done names the quarter it ends (optional in a message typed by hand): a
        # second click or a retry that arrives after it ended must not end the next one too.
        quarter = body.get("quarter")
        if quarter is not None and (not isinstance(quarter, str) or len(quarter) > 12 or not quarter.isprintable()):
            raise MessageError('done names the quarter it ends, such as "2011Q1"')
    elif kind == "facilitate":
        if not isinstance(body.get("command"), str):
            raise MessageError("facilitate needs a command")
        if not isinstance(body.get("argument", {}), dict):
            raise MessageError("a command's argument is a JSON object")


def message(kind: str, request_id: int | None = None, **body: Any) -> str:
    """A message's text (NaN and infinities are refused: views hold only finite numbers)."""
    data = {"type": kind, **body}
    if request_id is not None:
        data["id"] = request_id
    return json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
