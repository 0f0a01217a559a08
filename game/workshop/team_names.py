"""A team's name, checked alike wherever one is given: the server's join and ``rare-earths workshop
join --team``. Standard library and the game's text helpers only: the command line checks a name
before it loads anything else (``rare-earths --help`` loads no NumPy)."""

from __future__ import annotations

from game.font_coverage import game_font_cannot_draw
from game.quoting import cut, names_nothing, printable

__all__ = ["MAX_TEAM_NAME", "team_name_problem", "team_name_said"]

MAX_TEAM_NAME = 40


def team_name_problem(team: str) -> str:
    """What is wrong with a team's name, composed as it is kept (``game.quoting.composed``), or
    "" if nothing: the one check of the server's join, of ``workshop join --team`` and of the
    hot seat (the server took "Team 👨", which the command line refused, and every window of
    the class drew boxes for it)."""
    template, fields = team_name_said(team)
    return template.format(**fields)


def team_name_said(team: str) -> tuple[str, dict[str, object]]:
    """``team_name_problem`` as its English template and the fields that fill it, for a window
    to word it in its language; ("", {}) if nothing is wrong. Characters the font cannot draw
    come also as ``code_points`` alone, for a window whose font would draw them as boxes."""
    if names_nothing(team):
        return "expected a name that shows something, got only blanks", {}
    if len(team) > MAX_TEAM_NAME:
        return "expected at most {most} characters, got {length:,}", {"most": MAX_TEAM_NAME, "length": len(team)}
    if not team.isprintable():
        return "expected text without control or invisible characters, got '{name}'", {
            "name": cut(printable(team), 120)}
    # The font files' character maps, read without pygame: the server checks in its own thread.
    boxes = game_font_cannot_draw(team)
    if boxes:
        shown = ", ".join(f"{char!r} (U+{ord(char):04X})" for char in boxes)
        code_points = ", ".join(f"U+{ord(char):04X}" for char in boxes)
        return "the game's font cannot draw {characters}: choose other characters", {
            "characters": shown, "code_points": code_points}
    return "", {}
