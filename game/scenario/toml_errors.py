"""What the TOML parser says of a file it cannot read, in words a window can say in its own
language: tomli's message (``Unterminated string (at line 3, column 9)``) kept as a template
and the values that fill it, as every other problem of a level is (``Problem.template``).

The English stays exactly what tomli wrote; a message this module does not know (a newer
tomli's) is kept as it is, in English.
"""

from __future__ import annotations

import re

import tomli

from game.quoting import Worded

#: tomli's messages with nothing to fill in, each as words a window translates.
_FIXED = {str(words): words for words in (
    Worded("An object other than list found behind this key"), Worded("Cannot overwrite a value"),
    Worded("Expected '=' after a key in a key/value pair"), Worded("Invalid date or datetime"),
    Worded("Invalid hex value"), Worded("Invalid initial character for a key part"), Worded("Invalid statement"),
    Worded("Invalid value"), Worded("There is no nest behind this key"), Worded("Unclosed array"),
    Worded("Unclosed inline table"), Worded("Unescaped '\\' in a string"), Worded("Unterminated string"))}

#: tomli's messages that name a key or a character: the pattern of each and its template.
FILLED = (
    (re.compile(r"Cannot declare (?P<key>.+) twice"), "Cannot declare {key} twice"),
    (re.compile(r"Cannot mutate immutable namespace (?P<key>.+)"), "Cannot mutate immutable namespace {key}"),
    (re.compile(r"Cannot redefine namespace (?P<key>.+)"), "Cannot redefine namespace {key}"),
    (re.compile(r"Duplicate inline table key (?P<key>.+)"), "Duplicate inline table key {key}"),
    (re.compile(r"Expected (?P<expected>.+)"), "Expected {expected}"),
    (re.compile(r"Found invalid character (?P<character>.+)"), "Found invalid character {character}"),
    (re.compile(r"Illegal character (?P<character>.+)"), "Illegal character {character}"),
)

#: Python's refusal of a whole number too long to read ("Exceeds the limit (4300 digits) for
#: integer string conversion: value has 5000 digits").
_TOO_MANY_DIGITS = re.compile(r"Exceeds the limit \((?P<most>\d+) digits\) for integer string conversion: "
                              r"value has (?P<digits>\d+) digits")


def decode_error_words(error: tomli.TOMLDecodeError) -> str:
    """tomli's message about ``error``, as words that keep their template (a plain string where
    the message is not one this module knows)."""
    said = str(error)
    message, line, column = getattr(error, "msg", None), getattr(error, "lineno", None), getattr(error, "colno", None)
    reason = _reason(message) if isinstance(message, str) else None
    if reason is None:
        return said
    if said == f"{message} (at end of document)":
        words = Worded("{reason} (at end of document)", reason=reason)
    else:
        words = Worded("{reason} (at line {line}, column {column})", reason=reason, line=line, column=column)
    return words if str(words) == said else said


def value_error_words(text: str) -> str:
    """Python's refusal of a value in a TOML file (a whole number of 5,000 digits), as words
    that keep their template where it is one this module knows."""
    found = _TOO_MANY_DIGITS.fullmatch(text)
    if found is None:
        return text
    words = Worded("Exceeds the limit ({most} digits) for integer string conversion: value has {digits} digits",
                   most=found["most"], digits=found["digits"])
    return words if str(words) == text else text


def _reason(message: str) -> Worded | None:
    if message in _FIXED:
        return _FIXED[message]
    for pattern, template in FILLED:
        found = pattern.fullmatch(message)
        if found:
            return Worded(template, **found.groupdict())
    return None
