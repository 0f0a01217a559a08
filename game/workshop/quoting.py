"""How the workshop's checks quote what they were sent: a refusal names the key, the value or
the error in a few printable words, whatever the message or file held (a key of 30,000
characters, a number of 5,000 digits, control characters). Shared by the server's checks of
requests, a window's checks of the server's messages and the results file's reader."""

from __future__ import annotations

import html
from typing import Any

from game.quoting import cut, named, printable, short_repr

#: The longest a quoted key or value may be, and an error's line.
MOST_QUOTED = 40
MOST_ERROR_LINE = 120


#: The largest figure, either way, a results file or a server's view holds: far above any the
#: game writes (budgets of US$ billions, tonnes in millions) and small enough for the debrief's
#: charts to scale.
MOST_FIGURE = 1e18


def is_figure(value: Any) -> bool:
    """A number (not true or false) within ``MOST_FIGURE`` either way; NaN and the infinities are
    not. Compared as it is: a whole number of hundreds of digits cannot become a float, and one
    near float's limit overflowed the report's chart scale."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) <= MOST_FIGURE


def refuse_constant(name: str) -> None:
    """``json.loads``'s ``parse_constant``: NaN and the infinities are not numbers here."""
    raise ValueError(f"{name} is not a number")


def key_of(name: Any) -> str:
    """A key as a message names it, as every other message names a name (``game.quoting.named``):
    as it is when printable, else quoted with its control characters escaped; short."""
    return named(str(name), MOST_QUOTED)


def shown(value: Any) -> str:
    """A value as a message quotes it: short, control characters escaped."""
    return short_repr(value, MOST_QUOTED)


def first_line(error: BaseException) -> str:
    """An error's first line, shortened: a number of 5,000 digits is named, not quoted."""
    text = (str(error).strip().splitlines() or [type(error).__name__])[0]
    return cut(text, MOST_ERROR_LINE)


def html_text(text: str) -> str:
    """``text`` for an HTML page (the debrief): escaped, and every character that would steer what
    shows it written as its escape (``\\x1b``, ``\\u202e``), line breaks kept. A results file's
    text is anyone's: an escape sequence reached the page raw, and a right-to-left override left
    open reordered the rest of it."""
    return html.escape("\n".join(printable(line) for line in text.split("\n")))
