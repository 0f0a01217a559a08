"""How a message quotes what it was given: a name or a value from a file, an argument or a
network message, shown in a few printable words whatever it held (control characters, terminal
escapes, a key of 30,000 characters, a value of megabytes).

This module uses the standard library only and knows nothing of the game, so every floor may
use it.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import numbers
import os
import reprlib
import unicodedata
from decimal import Decimal
from typing import Any

__all__ = ["Worded", "cut", "named", "names_nothing", "printable", "readable_number", "refused_character", "said_back",
           "short_repr", "shows_nothing", "utf8_text"]

#: Characters never printed as they are: controls (escape sequences, carriage returns,
#: backspaces), format characters (right-to-left overrides that reorder what follows), line and
#: paragraph separators, surrogates (bytes of a name that are not UTF-8) and private use.
_UNPRINTED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})


class Worded(str):
    """Words a message says a value in ("a table of 2 keys", "infinity"), which a window may say
    in its own language: the English text, keeping the ``template`` it was made from and the
    ``values`` that fill it, as a ``Refusal`` does (a save's refusal says them through the
    window's ``tr``: a Japanese sentence held "a table of 1 key")."""

    template: str
    values: dict[str, object]

    def __new__(cls, template: str, **values: object) -> Worded:
        worded = super().__new__(cls, template.format(**values) if values else template)
        worded.template, worded.values = template, values
        return worded


def printable(text: str) -> str:
    """``text`` safe to print on a terminal or draw in a line: every character that could move
    the cursor, recolour the screen, reorder or hide text is written escaped, as ``\\x1b`` (as
    repr shows it). Letters, spaces and punctuation of any language stay."""
    if text.isascii() and text.isprintable():
        return text
    return "".join(_escaped(ch) if _is_noncharacter(ch) or unicodedata.category(ch) in _UNPRINTED_CATEGORIES else ch
                   for ch in text)


def _escaped(ch: str) -> str:
    """A character as Python writes it escaped; repr keeps a noncharacter (U+FFFF) as it is."""
    code = ord(ch)
    return repr(ch)[1:-1] if repr(ch)[1:-1] != ch else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


#: Unicode categories no text may hold: control characters (NUL, ESC...), invisible format
#: characters (bidirectional overrides, a byte-order mark), surrogates, line and paragraph
#: separators, and private-use characters (no font of the game draws them: a title of them
#: showed as boxes).
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp", "Co"})


def _is_noncharacter(c: str) -> bool:
    """U+FDD0-U+FDEF and the last two code points of each plane (U+FFFF, U+10FFFF...): code
    points Unicode keeps out of text for good (unlike unassigned ones, which a newer version
    may give a character, as it gives new emoji)."""
    code = ord(c)
    return 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE


def utf8_text(name: str) -> str:
    """``name`` (a file's, an environment variable's) as text UTF-8 can write: bytes a file name
    may hold that are not UTF-8 (which Python keeps as lone surrogates) become U+FFFD. A name
    equal to its ``utf8_text`` had none."""
    return os.fsencode(name).decode("utf-8", errors="replace")


def refused_character(text: str, allowed: str = "") -> tuple[int, str] | None:
    """The first character of ``text`` no text may hold (and ``allowed`` does not let through),
    with its position; None if there is none."""
    if text.isprintable():  # the common case, fast: every refused category is unprintable
        return None
    for i, c in enumerate(text):
        if c not in allowed and (unicodedata.category(c) in _REFUSED_CATEGORIES or _is_noncharacter(c)):
            return i, c
    return None


#: Characters that draw nothing of their own: combining marks, which sit on the character before
#: them, and format characters (zero-width spaces, variation selectors are marks too).
_DRAWN_ON_OTHERS = frozenset({"Mn", "Me", "Cf"})


def shows_nothing(text: str) -> bool:
    """Whether ``text`` is there but would draw nothing: only spaces, combining marks and format
    characters (a lone variation selector, a zero-width space). The window's widgets refuse to
    draw a text that has no width, so such a name or title is refused where it comes in."""
    return bool(text) and all(c.isspace() or unicodedata.category(c) in _DRAWN_ON_OTHERS for c in text)


#: Letters by Unicode's reckoning that draw as blanks, as spaces: the Hangul fillers and the
#: Braille pattern with no dots. They draw (the font gives them width), but a name of them alone is none.
_BLANK_LETTERS_AS_SPACES = str.maketrans(dict.fromkeys("\u115f\u1160\u3164\uffa0\u2800", " "))


def names_nothing(text: str) -> bool:
    """Whether a name shows nothing a reader could tell apart: only what ``shows_nothing``
    counts, and blank letters (a team named "\u3164\u3164" showed as no name at all)."""
    return shows_nothing(text.translate(_BLANK_LETTERS_AS_SPACES))


#: Cyrillic and Greek letters drawn as Latin ones, after casefolding (so the capitals' look-alikes
#: too: В as B, Н as H, Ρ as P). A team named "Eaglеs" with a Cyrillic е sat beside "Eagles".
_LATIN_LOOK_ALIKES = str.maketrans({
    "а": "a", "в": "b", "е": "e", "ё": "ë", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "ï", "ј": "j", "ԁ": "d", "ԛ": "q", "ԝ": "w",
    "һ": "h", "ӏ": "l", "ү": "y",
    "α": "a", "β": "b", "ε": "e", "ζ": "z", "η": "h", "ι": "i", "κ": "k", "μ": "m", "ν": "n", "ο": "o",
    "ρ": "p", "τ": "t", "υ": "y", "χ": "x", "ϲ": "c", "ϳ": "j",
})


def as_read(text: str) -> str:
    """A name as a reader tells it from others: case, width and composition aside (NFKC, then
    casefold: Café and Cafe\u0301, ABC and ａｂｃ), Cyrillic and Greek letters that look Latin as
    those letters, without what draws nothing of its own (marks that compose with nothing, format
    characters, variation selectors), blank letters as spaces, and spaces at the ends or doubled
    as none or one."""
    visible = "".join(c for c in unicodedata.normalize("NFKC", text).translate(_BLANK_LETTERS_AS_SPACES)
                      if unicodedata.category(c) not in _DRAWN_ON_OTHERS)
    return " ".join(visible.split()).casefold().translate(_LATIN_LOOK_ALIKES)


def composed(text: str) -> str:
    """``text`` with its letters and marks composed where Unicode has one character for both
    (NFC): "e" and a combining acute become "é". A file written decomposed (as some systems
    write names) then draws as the same file written composed; the game's font has the composed
    letters but not every combining mark, which it would draw as a box. Composing never changes
    what a text says, and a text already composed (as nearly every one is) is kept as it is."""
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def cut(text: str, most: int) -> str:
    """``text`` as it is if it has at most ``most`` characters, else its start and "..."."""
    return text if len(text) <= most else text[:most - 3] + "..."


def named(text: str, most: int) -> str:
    """A name (an id, a key, a path) as a message names it: as it is when it is printable and
    not empty, else quoted with its control characters escaped; shortened past ``most``."""
    text = str(text)
    return cut(text if text and text.isprintable() else repr(text), most)


def short_repr(value: Any, most: int) -> str:
    """A value as a message quotes it: its repr, at most ``most`` characters, built without
    building the whole of it (a value may be megabytes, or an int past Python's digit limit)."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 3 * most:
        # Too long to write out (repr refuses past 4,300 digits): its size says enough.
        return cut(f"<an integer of about {int(value.bit_length() * math.log10(2)) + 1:,} digits>", most)
    shortener = reprlib.Repr()
    shortener.maxstring = shortener.maxother = most
    return cut(shortener.repr(value), most)


#: Magnitudes a number is written out in full from: "1,000,000,000" and "0.000001" (the least
#: size a level's or an action's number may have), where Python's "1e+09" and "1e-06" read as
#: code. Beyond them (a mistyped 1e300 or 5e-324) the digits would fill the line, and the number
#: is written as it was typed.
_WRITTEN_OUT = (1e-6, 1e15)


def readable_number(x: float) -> str:
    """A number in a problem, as people read it: "1,000,000,000", "0.000001", "2.5"."""
    try:
        size = abs(float(x))
    except OverflowError:  # a TOML whole number too large for a float
        return _whole_number_of(x)
    if not math.isfinite(size):
        return f"{x:g}"
    if size != 0 and not _WRITTEN_OUT[0] <= size < _WRITTEN_OUT[1]:
        return _in_exponent_form(x)
    if float(x).is_integer():
        return f"{int(x):,}"
    # The shortest digits that read back as the number (repr's), never in an exponent.
    return f"{Decimal(repr(float(x))):,f}"


#: The most digits a whole number a float cannot hold is written out in (a 20-digit quota
#: mistyped); past them it is told by its number of digits, as one too large for a float is.
_MOST_DIGITS_WRITTEN = 24


def _whole_number_of(whole: int) -> str:
    """A whole number too long to write out, by its number of digits (counted without writing
    it: Python refuses to past 4,300)."""
    if whole.bit_length() < 14_000:
        return Worded("a negative whole number of {digits} digits" if whole < 0 else "a whole number of {digits} digits",
                      digits=len(str(abs(whole))))
    return Worded("a negative whole number of about {digits:,} digits" if whole < 0
                  else "a whole number of about {digits:,} digits", digits=int(whole.bit_length() * math.log10(2)) + 1)


def _in_exponent_form(x: float) -> str:
    """A number beyond ``_WRITTEN_OUT`` in an exponent, with the fewest digits that read back as
    it: "1e+300", "9.9999999e-07" (``{:g}``'s six digits said "1e-06" of a number refused for
    being below 0.000001). A whole number a float cannot hold exactly is written out whole, or
    by its number of digits past ``_MOST_DIGITS_WRITTEN``."""
    value = float(x)
    for places in range(17):
        text = f"{value:.{places}e}"
        if float(text) == value:
            break
    if isinstance(x, numbers.Integral) and not isinstance(x, bool) and Decimal(text) != int(x):
        whole = int(x)
        if whole.bit_length() > 3.33 * _MOST_DIGITS_WRITTEN:  # the line would be its digits
            return _whole_number_of(whole)
        return f"{whole:,}"
    return text


def said_back(value: Any, most: int = 60) -> str:
    """A value read from a file (TOML, JSON) or typed as one (``--set``), as a refusal says it
    back: in the file's own spelling, never Python's (``true``, not ``True``; ``'text'`` quoted
    as TOML quotes it, ``"it's"`` where that cannot; ``null``), a number as ``readable_number`` writes it but a decimal
    number still a decimal one (3.0 refused as a whole number was said back "3"; 1e23 as
    "1e+23"), NaN and the infinities in words, and an array or a table told by its size, not
    dumped. At most about ``most`` characters."""
    if hasattr(value, "item") and getattr(value, "shape", None) == ():  # NumPy's np.float64(1.5): 1.5
        value = value.item()
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, numbers.Integral):
        return _whole_number(int(value))
    if isinstance(value, float):
        return _decimal_number(value)
    if isinstance(value, str):
        if "'" not in value and value.isprintable():  # as TOML's literal strings and the game's messages quote
            return cut(f"'{value}'", most)
        # As JSON and TOML's basic strings quote: double quotes, the quote and controls escaped.
        return cut(printable(json.dumps(value, ensure_ascii=False)), most)
    if isinstance(value, (list, tuple)):
        return Worded("an empty array" if not value else "an array of 1 item" if len(value) == 1
                      else "an array of {count:,} items", count=len(value))
    if isinstance(value, dict):
        return Worded("an empty table" if not value else "a table of 1 key" if len(value) == 1
                      else "a table of {count:,} keys", count=len(value))
    if isinstance(value, (dt.date, dt.time)):  # TOML's unquoted dates and times
        return value.isoformat()
    return short_repr(value, most)


def _decimal_number(value: float) -> str:
    """A decimal number as a file writes one: "2.5", "3.0", "1e23", "NaN", "-infinity"."""
    if math.isnan(value):
        return Worded("NaN")
    if math.isinf(value):
        return Worded("infinity" if value > 0 else "-infinity")
    text = readable_number(value)
    if "e" in text:  # as it is typed: 1e23, 1e-7 (Python writes 1e+23, 1e-07)
        digits, exponent = text.split("e")
        return f"{digits}e{int(exponent)}"
    return text + ".0" if value.is_integer() else text


def _whole_number(whole: int) -> str:
    """A whole number with all its digits ("1e+30" read as a decimal number), or by their number
    past ``_MOST_DIGITS_WRITTEN``; grouped by thousands from five digits on, where a reader
    counts them, not in four (``world = 2010`` was said back "got 2,010")."""
    if whole.bit_length() > 3.33 * _MOST_DIGITS_WRITTEN:
        return _whole_number_of(whole)
    return f"{whole:,}" if abs(whole) >= 10_000 else str(whole)
