"""English possessives: a name ending in s takes the apostrophe alone ("the United States'
approval", "Korean magnet makers' project"), any other "'s"."""

from __future__ import annotations

import re
from collections.abc import Mapping

#: A field followed by "'s" in a template: "{host}'s approval".
_FIELD_POSSESSIVE = re.compile(r"\{(\w+)\}'s(?![A-Za-z])")


def possessive(name: str) -> str:
    """``name``'s, as English writes it: "Japan's", "the United States'"."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def with_possessives(template: str, values: Mapping[str, object]) -> str:
    """The English ``template`` with each ``{field}'s`` whose value ends in s written
    ``{field}'``, ready for ``str.format(**values)``. (Other languages word possessives their
    own way: only English templates go through this.)"""
    if "}'s" not in template:
        return template

    def written(match: re.Match) -> str:
        value = values.get(match.group(1))
        return "{" + match.group(1) + "}'" if isinstance(value, str) and value.endswith("s") else match.group(0)

    return _FIELD_POSSESSIVE.sub(written, template)
