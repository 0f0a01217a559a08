"""The table a workshop window plays at: a class's game on this machine (the hot seat, a team
alone with a scenario code) or on the facilitator's server (a team's own machine). The window
draws the views it gets and sends what teams and the facilitator decide; it does not know
which kind of table it sits at.

Views are plain data (game.workshop.views); a refused request raises WorkshopError with one
line saying why.
"""

from __future__ import annotations

from typing import Any, Protocol

from game.actions import action_from_dict
from game.workshop.classroom import Workshop, WorkshopError
from game.workshop.results import results_of
from game.workshop.views import facilitator_view, record_data, team_view

#: What the facilitator may ask: (command, its argument's name or None).
FACILITATOR_COMMANDS = {
    "start": None,          # the teams may act
    "pause": None,          # no team may act until "resume"
    "resume": None,
    "reveal": None,         # show the teams the next of this quarter's events (reveal_events_by_hand)
    "inject": "event",      # bring the level's event number forward to now
    "set_flag": "flag",     # with "on": a facilitator's setting (game.workshop.codes.FLAGS)
    "end_turn": None,       # end the quarter now, bots playing for the teams away
    "end": None,            # end the game here
}


class Table(Protocol):
    def team_view(self, role: str) -> dict[str, Any]:
        """What the team playing ``role`` sees now."""

    def facilitator_view(self) -> dict[str, Any]:
        """What the facilitator sees now."""

    def submit(self, role: str, action: dict[str, Any]) -> dict[str, Any]:
        """A team's action (as data: ``{"kind": ..., ...}``); its record, accepted or refused."""

    def finish(self, role: str) -> None:
        """The team is done with this quarter."""

    def facilitate(self, command: str, **argument: Any) -> None:
        """One of FACILITATOR_COMMANDS."""

    def results(self) -> dict[str, Any]:
        """The game so far as a results file holds it (game.workshop.results)."""

    def changed(self) -> bool:
        """Whether anything changed since last asked (a window redraws then)."""


class LocalTable:
    """A class's game on this machine."""

    def __init__(self, workshop: Workshop, title: str = ""):
        self.workshop = workshop
        self.title = title
        self._changed = True

    def team_view(self, role: str) -> dict[str, Any]:
        return team_view(self.workshop, role)

    def facilitator_view(self) -> dict[str, Any]:
        return facilitator_view(self.workshop)

    def submit(self, role: str, action: dict[str, Any]) -> dict[str, Any]:
        record = self.workshop.submit(role, action)
        self._changed = True
        return record_data(record, "team")

    def finish(self, role: str) -> None:
        self.workshop.finish(role)
        self._changed = True

    def facilitate(self, command: str, **argument: Any) -> None:
        facilitate(self.workshop, command, argument)
        self._changed = True

    def results(self) -> dict[str, Any]:
        return results_of(self.workshop, self.title)

    def changed(self) -> bool:
        changed, self._changed = self._changed, False
        return changed


def facilitate(workshop: Workshop, command: str, argument: dict[str, Any]) -> None:
    """Carry out a facilitator's command on the game; WorkshopError for one that cannot be."""
    if command not in FACILITATOR_COMMANDS:
        raise WorkshopError(f"no facilitator command {command[:40]!r} (commands: {', '.join(FACILITATOR_COMMANDS)})")
    # Arguments a command does not take are refused, as unknown keys of a message are: a typo
    # ({"evnt": 3}) was dropped without a word and the command carried out without it.
    allowed = {"set_flag": {"flag", "on"}}.get(command, {FACILITATOR_COMMANDS[command]} - {None})
    unknown = sorted(set(argument) - allowed)
    if unknown:
        takes = f"takes {', '.join(sorted(allowed))}" if allowed else "takes no argument"
        raise WorkshopError(f"{command} {takes}, not {unknown[0][:40]!r}")
    # Nothing a command does after the end would count: the results file is written for good
    # then (a setting changed after it showed on the projector and in no file).
    if workshop.is_over:
        raise WorkshopError("the game is over")
    if command == "start":
        workshop.start()
    elif command in ("pause", "resume"):
        workshop.set_paused(command == "pause")
    elif command == "reveal":
        if "reveal_events_by_hand" not in workshop.flags:  # the teams see every event as it comes
            raise WorkshopError("events are revealed as they come in this class (reveal_events_by_hand is off)")
        if workshop.reveal_next() is None:
            raise WorkshopError("no event left to reveal this quarter")
    elif command == "inject":
        try:  # the actions' own door: a whole number, and not one of thousands of digits
            event = action_from_dict({"kind": "inject_event", "event": argument.get("event")}).event
        except ValueError:
            raise WorkshopError("inject needs the event's number in the level's list") from None
        record = workshop.inject(event)
        if not record.accepted:
            raise WorkshopError(record.message)
    elif command == "set_flag":
        flag, on = argument.get("flag"), argument.get("on", True)
        if not isinstance(flag, str) or not isinstance(on, bool):
            raise WorkshopError("set_flag needs a setting's name and on (true or false)")
        workshop.set_flag(flag, on)
    elif command == "end_turn":
        workshop.end_turn()
    elif command == "end":
        workshop.end()
