"""How deeply a JSON text nests, measured before it is parsed.

How deep a document ``json.loads`` takes before it raises RecursionError depends on the Python:
3.11 refuses 1,000 levels, 3.13 takes 5,000. Every reader of JSON from outside (saves, settings
and progress, results files, sweep plans, network messages) measures the depth first and refuses
more than ``MAX_JSON_DEPTH``, so a file or message is read alike on every Python.

This module uses the standard library and NumPy only and knows nothing of the game, so every
floor may use it.
"""

from __future__ import annotations

import re

import numpy as np

__all__ = ["MAX_JSON_DEPTH", "json_depth", "too_deep"]

#: More levels than any file or message of the game's has (a save's deepest is under ten).
MAX_JSON_DEPTH = 64

#: A JSON string, closed or running to the end of the text (its brackets are not nesting).
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?', re.DOTALL)
_NOT_A_BRACKET = re.compile(r"[^\[\]{}]+")
_OPENING_AS_SQUARE = str.maketrans("{}", "[]")


def json_depth(text: str) -> int:
    """The deepest nesting of brackets outside strings (the JSON's depth, if it is JSON), in
    C-speed passes: megabytes of brackets are measured in well under a second."""
    brackets = _NOT_A_BRACKET.sub("", _JSON_STRING.sub("", text)).translate(_OPENING_AS_SQUARE)
    if not brackets:
        return 0
    steps = np.where(np.frombuffer(brackets.encode("ascii"), dtype=np.uint8) == ord("["), 1, -1)
    return int(np.cumsum(steps).max())


def too_deep(text: str) -> bool:
    """Whether the text nests deeper than ``MAX_JSON_DEPTH``."""
    return json_depth(text) > MAX_JSON_DEPTH
