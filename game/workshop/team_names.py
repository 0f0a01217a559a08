"""A team's name, checked alike wherever one is given: the server's join and ``rare-earths workshop
join --team``. Standard library and the game's text helpers only: the command line checks a name
before it loads anything else (``rare-earths --help`` loads no NumPy)."""

from __future__ import annotations

from game.font_coverage import game_font_cannot_draw
from game.quoting import cut, names_nothing, printable

__all__ = ["MAX_TEAM_NAME", "team_name_problem"]

MAX_TEAM_NAME = 40


def team_name_problem(team: str) -> str:
    """What is wrong with a team's name, composed as it is kept (``game.quoting.composed``), or
    "" if nothing: the one check of the server's join and of ``workshop join --team`` (the
    server took "Team 👨", which the command line refused, and every window of the class drew
    boxes for it)."""
    if names_nothing(team):
        return "expected a name that shows something, got only blanks"
    if len(team) > MAX_TEAM_NAME:
        return f"expected at most {MAX_TEAM_NAME} characters, got {len(team):,}"
    if not team.isprintable():
        return f"expected text without control or invisible characters, got '{cut(printable(team), 120)}'"
    # The font files' character maps, read without pygame: the server checks in its own thread.
    boxes = game_font_cannot_draw(team)
    if boxes:
        shown = ", ".join(f"{char!r} (U+{ord(char):04X})" for char in boxes)
        return f"the game's font cannot draw {shown}: choose other characters"
    return ""
