"""What kind of the game's TOML files a file is, told by its top-level keys.

A file given where another kind was expected (a level as ``--strategy``, a strategy as a level)
is then refused in one line naming what it is, not with a problem for each of its keys.
"""

from __future__ import annotations

from game.quoting import Worded

#: Each kind, as a refusal names it (words a window says in its own language).
KIND_WORDS = {
    "level": Worded("a level file (play it with --level)"),
    "strategy": Worded("a strategy file (play it with --strategy)"),
    "campaign": Worded("a campaign file (the order of the levels)"),
    "roles": Worded("a roles file (the workshop's roles)"),
    "world": Worded("a world file"),
}


def kind_of_file(data: dict) -> str:
    """"level", "strategy", "campaign", "roles" or "world" by the keys only that kind has, or ""
    when they tell nothing (a file to read as expected, naming its own problems)."""
    if data.get("kind") == "world":
        return "world"
    if "start" in data or "world" in data:
        return "level"
    if isinstance(data.get("turn"), list):
        return "strategy"
    if isinstance(data.get("level"), list):
        return "campaign"
    if isinstance(data.get("roles"), list):
        return "roles"
    if isinstance(data.get("nations"), list) and isinstance(data.get("firms"), list):
        return "world"
    return ""
