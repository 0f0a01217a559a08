"""What a window takes from a workshop server, checked at the door.

A team's window draws whatever view the server sends, so a message it cannot read (a server of
another version, a program that is no workshop server, a broken network) must stop here, with a
line that names what was wrong, and never reach the drawing code: a view whose ``turn`` was a
word or whose ``levers`` was a number crashed the window. Every message is checked against the
shape ``game.workshop.views`` and ``game.workshop.server`` give it: JSON text, an object of a
known type, and each field of the kind and size the window reads. Keys the window does not read
are let through, so a newer server's additions do not lock out an older window.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Callable
from typing import Any

from game.json_depth import too_deep
from game.quoting import refused_character, shows_nothing
from game.vocab.quarters import FIRST_YEAR, LAST_YEAR, Quarter
from game.workshop.protocol import MessageError
from game.workshop.quoting import first_line, is_figure, key_of, refuse_constant, shown
from game.workshop.results import MOST_TURNS, results_problem

#: The largest whole number a view holds where a count or an index goes (turns, stars, events).
MOST_COUNT = 10**9
#: The longest text a view holds (a lever's help, a news line).
MOST_TEXT = 20_000

Check = Callable[[Any, str], None]


class _Refused(Exception):
    """What is wrong, as ``where: what``."""


def parse_server_message(raw: str | bytes, facilitator: bool) -> dict[str, Any]:
    """A server's message, checked for a team's window (``facilitator``: for the facilitator's).

    Raises:
        MessageError: naming the message's part that is wrong and what is wrong with it.
    """
    if isinstance(raw, bytes):
        raise MessageError("the server sent binary data, not a JSON message")
    if too_deep(raw):
        raise MessageError("the server's message is not JSON: nested too deeply")
    try:
        data = json.loads(raw, parse_constant=refuse_constant)
    except RecursionError:
        raise MessageError("the server's message is not JSON: nested too deeply") from None
    except ValueError as error:  # JSONDecodeError, NaN, a number of thousands of digits
        raise MessageError(f"the server's message is not JSON: {first_line(error)}") from None
    if not isinstance(data, dict):
        raise MessageError("the server's message is not a JSON object")
    kind = data.get("type")
    check = (FACILITATOR_MESSAGES if facilitator else TEAM_MESSAGES).get(kind) if isinstance(kind, str) else None
    if check is None:
        raise MessageError(f"the server sent a message of unknown type {shown(kind)}")
    try:
        _optional(_count)(data.get("id"), "id")
        check(data, "")  # the message's own fields are named as they are
    except _Refused as refused:
        raise MessageError(f"the server's {kind} message: {refused}") from None
    except RecursionError:
        raise MessageError(f"the server's {kind} message is nested too deeply") from None
    return data


# --------------------------------------------------------------------------- the checks


def _text(value: Any, where: str) -> None:
    if not isinstance(value, str):
        raise _Refused(f"{where}: not text")
    if len(value) > MOST_TEXT:
        raise _Refused(f"{where}: text longer than {MOST_TEXT:,} characters")
    # A NUL stops the font renderer; other control characters would draw as boxes or move
    # the text about, and a text of format characters alone (a zero-width space, a bidi
    # override) has no width, which the window's buttons refuse to draw. The same characters
    # a level's text may not hold; line breaks and tabs are the server's own.
    refused = refused_character(value, allowed="\n\t")
    if refused is not None:
        raise _Refused(f"{where}: holds a control or format character (U+{ord(refused[1]):04X})")
    if shows_nothing(value) and not value.isspace():
        raise _Refused(f"{where}: only combining marks, which show nothing")


def _count(value: Any, where: str) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not -MOST_COUNT <= value <= MOST_COUNT:
        raise _Refused(f"{where}: not a whole number (up to {MOST_COUNT:,})")


def _stars(low: int) -> Check:
    """A star count (``low`` 0) or an objective's star (``low`` 1), as results files hold them:
    the windows draw one ★ each, and a count of a million froze or crashed them."""
    def stars(value: Any, where: str) -> None:
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= 3:
            raise _Refused(f"{where}: not a whole number from {low} to 3")
    return stars


def _amount(value: Any, where: str) -> None:
    if not is_figure(value):
        raise _Refused(f"{where}: not a number")


def _quarter(value: Any, where: str) -> None:
    """A quarter like 2010Q3 in the calendar's years: the charts place their points by it."""
    _text(value, where)
    try:
        Quarter.parse(value)
    except ValueError:
        raise _Refused(f"{where}: not a quarter like 2010Q3 from {FIRST_YEAR} to {LAST_YEAR}") from None


def _turns(value: Any, where: str) -> None:
    """A turn or a number of turns: a level is at most ``MOST_TURNS`` quarters (and the turn after
    the last is where a finished game stands)."""
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MOST_TURNS + 1:
        raise _Refused(f"{where}: not a number of quarters (0 to {MOST_TURNS + 1})")


def _row(value: Any, where: str) -> None:
    """A quarter's figures: names and numbers (or text), and the quarter they are for, unless the
    row is empty (a nation with no quarter played yet)."""
    _table_of(_scalar)(value, where)
    if value:
        if "quarter" not in value:
            raise _Refused(f"{where}.quarter: missing")
        _quarter(value["quarter"], f"{where}.quarter")


def _flag(value: Any, where: str) -> None:
    if not isinstance(value, bool):
        raise _Refused(f"{where}: not true or false")


def _scalar(value: Any, where: str) -> None:
    """A figure in a row or a field of a line of news: a number, text, true or false, or null."""
    if value is None or isinstance(value, bool):
        return
    (_text if isinstance(value, str) else _amount)(value, where)


def _optional(check: Check) -> Check:
    def optional(value: Any, where: str) -> None:
        if value is not None:
            check(value, where)
    return optional


def _one_of(*choices: str) -> Check:
    def one_of(value: Any, where: str) -> None:
        if value not in choices:
            raise _Refused(f"{where}: not one of {', '.join(choices)}")
    return one_of


def _list_of(check: Check, length: int | None = None) -> Check:
    def list_of(value: Any, where: str) -> None:
        if not isinstance(value, list) or (length is not None and len(value) != length):
            raise _Refused(f"{where}: not a list" + (f" of {length}" if length is not None else ""))
        for index, item in enumerate(value):
            check(item, f"{where}[{index}]")
    return list_of


def _table_of(check: Check) -> Check:
    """A JSON object whose keys are names and whose values all pass ``check``."""
    def table_of(value: Any, where: str) -> None:
        if not isinstance(value, dict):
            raise _Refused(f"{where}: not a table")
        for key, item in value.items():
            name = key_of(key)
            _text(key, f"{where}: the name {name}")
            check(item, f"{where}.{name}")
    return table_of


def _record(fields: dict[str, Check], optional: dict[str, Check] | None = None) -> Check:
    """A JSON object with these keys, and perhaps the ``optional`` ones (others are let through
    unread)."""
    def record(value: Any, where: str) -> None:
        if not isinstance(value, dict):
            raise _Refused(f"{where}: not a table")
        for name, check in fields.items():
            if name not in value:
                raise _Refused(f"{_at(where, name)}: missing")
            check(value[name], _at(where, name))
        for name, check in (optional or {}).items():
            if name in value:
                check(value[name], _at(where, name))
    return record


def _at(where: str, name: str) -> str:
    """Where a field is: under its table, or by its own name at a message's top."""
    return f"{where}.{name}" if where else name


def _said(value: Any, where: str) -> None:
    """What an action's answer says, as ``views.said_data`` writes it (a Said may hold one)."""
    _record({"template": _text}, {"fields": _table_of(_said_field)})(value, where)


def _said_field(value: Any, where: str) -> None:
    if isinstance(value, dict):
        _said(value, where)
    elif isinstance(value, list):
        _list_of(_text)(value, where)
    else:
        _scalar(value, where)


#: Fields a refusal may name, and the format a field may be filled with ("{most:,}").
MOST_REFUSAL_FIELDS = 20
_FIELD_FORMAT = re.compile(r"[,.0-9a-z%]{0,10}")


def _refusal(value: Any, where: str) -> None:
    """An error's ``template`` and ``fields``, as the server sends them beside its English
    ``reason``: each ``{name}`` of the template a plain name among the fields, which are names or
    figures, so that a window fills it in its language without a fault (a template naming a field
    it lacks, or an attribute of one, stopped the filling)."""
    if "template" not in value and "fields" not in value:
        return  # a server of an earlier version: its reason, in English
    template, fields = value.get("template"), value.get("fields")
    _text(template, _at(where, "template"))
    if not isinstance(fields, dict) or len(fields) > MOST_REFUSAL_FIELDS:
        raise _Refused(f"{_at(where, 'fields')}: not a table of at most {MOST_REFUSAL_FIELDS} names and figures")
    for key, item in fields.items():
        if not key.isidentifier() or len(key) > 40:
            raise _Refused(f"{_at(where, 'fields')}: {key_of(key)} is not a field's name")
        if isinstance(item, bool) or item is None or isinstance(item, (dict, list)):
            raise _Refused(f"{_at(where, 'fields')}.{key}: not a name or a figure")
        _scalar(item, f"{_at(where, 'fields')}.{key}")
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError as error:
        raise _Refused(f"{_at(where, 'template')}: {first_line(error)}") from None
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in fields or conversion is not None or not _FIELD_FORMAT.fullmatch(spec or ""):
            raise _Refused(f"{_at(where, 'template')}: {shown(name)} is not one of its fields, plainly")
    try:
        template.format(**fields)
    except (ValueError, TypeError) as error:  # a figure's format given to a name
        raise _Refused(f"{_at(where, 'template')}: {first_line(error)}") from None


def _error(value: Any, where: str) -> None:
    _record({"reason": _text})(value, where)
    _refusal(value, where)


# --------------------------------------------------------------------------- the shapes
# As game.workshop.views writes them.

_WORDS = _table_of(_text)  # a text by language: {"en": ..., "ja": ...}
_ROW = _row
_NEWS = _record({"quarter": _quarter, "kind": _text, "headline": _text, "source": _text, "template": _text,
                 "fields": _table_of(_scalar)})
_ACTION_RECORD = _record({"quarter": _quarter, "nation": _text, "by": _text, "kind": _text,
                          "action": _table_of(lambda value, where: (_list_of(_scalar) if isinstance(value, list)
                                                                    else _scalar)(value, where)),
                          "accepted": _flag, "message": _text, "said": _optional(_said)})
_CHOICE = _list_of(_text, length=2)  # [what is sent, what is shown]
_FIELD = _record({"name": _text,
                  "type": _one_of("number", "integer", "material", "materials", "nation", "nations", "choice"),
                  "choices": _optional(_list_of(_CHOICE)),
                  "default": lambda value, where: (_list_of(_text) if isinstance(value, list) else _scalar)(
                      value, where)},
                 {"low": _optional(_amount), "high": _optional(_amount),
                  "high_by": _record({"field": _text, "highs": _table_of(_amount), "why": _text},
                                     {"none": _text}),
                  "buys": _record({"field": _text, "money": _text, "why": _text,
                                   "projects": _table_of(_list_of(_amount, length=5))}),
                  "pays": _record({"price": _text, "why": _text, "budget_musd": _amount}),
                  "why": _text, "worded": _table_of(_said), "without": _text})
_FORM = _record({"kind": _text, "label": _text, "capital": _amount, "help": _text, "fields": _list_of(_FIELD)})
_OBJECTIVE = _record({"id": _text, "text": _WORDS, "star": _stars(1), "met": _optional(_flag),
                      "reason": _optional(_text), "indicator": _optional(_text)},
                     {"value": _optional(_amount), "threshold": _optional(_amount)})
#: (``known_now``, the figures known before a quarter is recorded, ``spendable_now``, the role's
#: money in the quarter being played, and ``kind``, what the role plays: an older server's have none)
_OTHER = _record({"name": _WORDS, "last": _ROW, "stars": _stars(0), "score": _amount, "played_by": _text,
                  "objectives": _list_of(_OBJECTIVE)},
                 {"known_now": _table_of(_amount), "spendable_now": _table_of(_amount),
                  "kind": _one_of("nation", "company")})
_GAME = {"level": _text, "level_title": _WORDS, "code": _text, "quarter": _quarter, "turn": _turns,
         "turns": _turns, "started": _flag, "paused": _flag, "over": _flag, "roles": _list_of(_text),
         "teams": _table_of(_record({"team": _text, "present": _flag, "done": _flag}, {"joined": _flag}))}
TEAM_VIEW: dict[str, Check] = {
    **_GAME, "role": _text, "role_name": _WORDS, "team": _text, "done": _flag, "kind": _one_of("nation", "company"),
    "budget_musd": _amount, "political_capital": _amount, "levers": _list_of(_FORM), "rows": _list_of(_ROW),
    "before": _optional(_ROW), "objectives": _list_of(_OBJECTIVE), "stars": _stars(0), "score": _amount,
    "news": _list_of(_NEWS), "actions": _list_of(_ACTION_RECORD), "others": _table_of(_OTHER),
}
#: What a team's view may hold besides (an older server's has none of it).
TEAM_VIEW_OPTIONAL: dict[str, Check] = {"known_now": _table_of(_amount)}
FACILITATOR_VIEW: dict[str, Check] = {
    **_GAME, "flags": _list_of(_text), "others": _table_of(_OTHER),
    "events": _list_of(_record({"index": _count, "date": _text, "headline": _text, "headline_ja": _text})),
    "unrevealed": _count, "news": _list_of(_NEWS), "actions": _list_of(_ACTION_RECORD), "facilitator": _text,
}


def _results(data: dict[str, Any], where: str) -> None:
    results = data.get("results")
    if not isinstance(results, dict):
        raise _Refused("results: not a table")
    problem = results_problem(results)
    if problem:
        raise _Refused(f"results: {problem}")


#: Each message the server sends, by its type, as a team's window reads it and as the
#: facilitator's does (they differ in the view only).
_SHARED_MESSAGES: dict[str, Check] = {
    "welcome": _record({"role": _text}),
    "record": _record({"record": _ACTION_RECORD}),
    "ok": _record({}),
    "results": _results,
    "error": _error,
}
TEAM_MESSAGES: dict[str, Check] = {**_SHARED_MESSAGES, "view": _record({"view": _record(TEAM_VIEW, TEAM_VIEW_OPTIONAL)})}
FACILITATOR_MESSAGES: dict[str, Check] = {**_SHARED_MESSAGES,
                                          "view": _record({"view": _record(FACILITATOR_VIEW,
                                                                           {"join_codes": _table_of(_text)})})}
