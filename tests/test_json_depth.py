"""Every reader of JSON from outside measures its depth first (game.json_depth): how deep
``json.loads`` goes before it gives up depends on the Python (3.11 refuses 1,000 levels, 3.13
reads 5,000), and what a file or a message is must not."""

from __future__ import annotations

import json

import pytest

from game.json_depth import MAX_JSON_DEPTH, json_depth, too_deep
from game.workshop.protocol import MessageError, parse_request
from game.workshop.server_messages import parse_server_message


def test_depth_counts_brackets_outside_strings():
    assert json_depth("") == 0 and json_depth('"[[[["') == 0 and json_depth("3") == 0
    assert json_depth('{"a": [1, {"b": "]]]"}]}') == 3
    assert json_depth('{"a": "\\"[[["}') == 1  # an escaped quote does not end the string
    assert json_depth("[" * 70) == 70  # unclosed still counts
    deepest = "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH
    assert not too_deep(deepest) and too_deep("[" + deepest + "]")


def _nested(levels: int) -> str:
    return "[" * levels + "]" * levels


@pytest.mark.parametrize("levels", [MAX_JSON_DEPTH, 900, 5000])
def test_messages_nested_deeper_than_the_bound_are_refused_on_every_python(levels):
    raw = '{"type": "join", "name": ' + _nested(levels) + "}"
    if levels < 900:
        json.loads(raw)  # every Python reads it: the bound, not the recursion limit, decides
    with pytest.raises(MessageError, match="nested too deeply"):
        parse_request(raw)
    with pytest.raises(MessageError, match="nested too deeply"):
        parse_server_message('{"type": "state", "x": ' + _nested(levels) + "}", facilitator=False)
