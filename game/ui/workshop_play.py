"""A class's game as one window plays it (``app.workshop``): the table it sits at (this machine's
game or the facilitator's server: game.workshop.table), the teams that sit at this window, and
each team's lever forms as it fills them in.

Three kinds of window: the hot seat (several teams take turns at one machine, a hand-over
screen between them, the facilitator's panel behind F2), a team's own machine (one team), and
the facilitator's (no team). The screens only read views and send what teams and the
facilitator decide; this keeps what is not the table's business (whose turn, unsent choices).
"""

from __future__ import annotations

import secrets
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.ui import storage
from game.ui.workshop_words import WorkshopWords
from game.workshop.results import write_new_results, write_results, write_results_as_new

HOTSEAT, TEAM, FACILITATOR = "hotseat", "team", "facilitator"


@dataclass
class Seat:
    """One team's unsent choices: the lever it looks at, and the values of each lever's form."""

    lever: str | None = None
    values: dict[str, dict[str, Any]] = field(default_factory=dict)  # lever kind -> field -> value
    page: int = 0  # the page of the lever list shown (a list longer than its panel)


class WorkshopPlay:
    """``table``: what the window plays at (game.workshop.table.Table); ``roles``: the teams
    at this window, in the order they take turns; ``mode``: HOTSEAT, TEAM or FACILITATOR;
    ``home``: the scene leaving the workshop goes to (the title, when it was set up there),
    or None to close the window."""

    def __init__(self, table, roles: tuple[str, ...] = (), mode: str = HOTSEAT, home: str | None = None):
        self.table = table
        self.roles = tuple(roles)
        self.mode = mode
        self.home = home
        self.seats = {role: Seat() for role in self.roles}
        #: The team whose seat the hot seat shows now (None: the hand-over screen).
        self.seated: str | None = None
        #: Whether the results were saved when the game ended (once, without a click: a class's
        #: game is not lost to a forgotten button).
        self.saved_at_end = False
        #: The game as it stood when its results were last saved (see ``_standing``), and where.
        #: Told where a game played in this window is kept, the first time its file is made (the
        #: command line prints it, as a server prints its Results line at the start).
        self.on_results_file: Callable[[Path], None] | None = None
        self.saved_standing: tuple[int, int] | None = None
        self.saved_to: Path | None = None
        #: The file a game played in this window is kept in as it goes (``keep_results``): made at
        #: its first change, written over at each one after; for a game that went on from a file,
        #: that file (as a server's class goes on in its). Not a copy Save results made.
        self.kept_in: Path | None = None
        #: Why the last ``keep_results`` could not write (said once), or None.
        self.keep_problem: str | None = None
        self._words: WorkshopWords | None = None

    def words(self, level: str) -> WorkshopWords:
        if self._words is None or self._words.level != level:
            self._words = WorkshopWords(level)
        return self._words

    def seat(self, role: str) -> Seat:
        return self.seats.setdefault(role, Seat())

    def next_team(self) -> str | None:
        """The first team at this window not done with the quarter (None when the game is over)."""
        view = self.table.facilitator_view()
        if view.get("over"):
            return None
        teams = view.get("teams", {})
        waiting = [role for role in self.roles if not teams.get(role, {}).get("done")]
        return waiting[0] if waiting else (self.roles[0] if self.roles else None)

    def level(self):
        """The level of a game played in this window (game.spec.Scenario; None for a game on a
        server: a team's window there opens on its seat, not on the briefing)."""
        workshop = getattr(self.table, "workshop", None)
        return None if workshop is None else workshop.scenario

    def first_scene(self) -> str:
        """Where the hot seat opens: a class that has not begun on its level's briefing, to be
        shown to the class before any team sits down (as a one-player game opens on its level's);
        one that has (a game going on from its results file) at the hand-over."""
        return "handover" if self.has_played() or self.level() is None else "class_briefing"

    def _standing(self) -> tuple[int, int] | None:
        """Quarters played and records made, of a game played in this window (None for a game on
        a server, which keeps its own results)."""
        workshop = getattr(self.table, "workshop", None)
        return None if workshop is None else (workshop.world.turns_done, len(workshop.entries))

    def saves_results(self) -> bool:
        """Whether this window saves the game's results: a game played in it (the hot seat, a team
        alone) or the facilitator's. A team's window at a server's table does not: the class's
        results hold every team's moves and figures, so the server gives them to the facilitator
        alone and writes them to its own file, the class's record."""
        return self.mode == FACILITATOR or self._standing() is not None

    def count_as_saved(self, path: Path) -> None:
        """The game as it stands is in the results file ``path`` already (one it goes on from):
        closing before anything more is played writes no copy of it, and names that file; what
        is played on is kept in it. A second file left the class in two, and the report took the
        first, unfinished, for it."""
        self.saved_standing, self.saved_to = self._standing(), path
        self.kept_in = path

    def has_played(self) -> bool:
        """Whether a game played in this window has anything to save (a quarter or an action)."""
        standing = self._standing()
        return standing is not None and standing != (0, 0)

    def save_on_closing(self) -> Path | None:
        """Save a game played in this window as the window closes, unless nothing has been played
        (None) or its results are saved as it stands (the file they are in); where they went. If
        the data folder will not take them (a full disk), they go to a new file in the system's
        folder for temporary files, as a server's do; OSError only if that fails too."""
        standing = self._standing()
        if standing is None or standing == (0, 0):
            return None
        if standing == self.saved_standing:  # in its file already, as it stands
            return self.saved_to
        try:
            return self.keep_results()
        except OSError:
            data = self.table.results()
            return write_new_results(Path(tempfile.gettempdir()), f"{_stem(data, self._who())}.json", data)

    def keep_results(self) -> Path | None:
        """Write a game played in this window, as it now stands, to the file it is kept in (the
        first time, a new ``<level>-<who>-<n>.json`` in the data folder), as a server keeps its
        class's: a window killed outright loses nothing, and ``--resume`` goes on from that file.
        Where they went; None while nothing has been played (or for a game on a server). OSError
        if the file cannot be written: tried again at the next change and on closing."""
        standing = self._standing()
        if standing is None or standing == (0, 0):
            return None
        if self.kept_in is None and standing == self.saved_standing:  # as the file it went on from holds it
            return self.saved_to
        data = self.table.results()
        if self.kept_in is None:
            self.kept_in = self._save(data, self._who())
            return self.kept_in
        write_results(self.kept_in, data)
        self.saved_standing, self.saved_to = standing, self.kept_in
        return self.kept_in

    def _who(self) -> str:
        """Who a game played in this window is saved as: the class (the hot seat) or its team."""
        return "class" if self.mode == HOTSEAT else (self.roles[0] if self.roles else "class")

    def save_results(self, who: str) -> Path:
        """Write the game so far to ``<data>/workshop/<level>-<who>-<n>.json`` (the first free n),
        atomically; raises OSError if the folder will not take it, WorkshopError if the table
        cannot give the results (not connected). A game kept in its file as it goes
        (``keep_results``) is written there: one class, one file, not a copy at its end."""
        if self.kept_in is not None:
            return self.keep_results()
        return self._save(self.table.results(), who)

    def _save(self, data: dict[str, Any], who: str) -> Path:
        folder = storage.data_dir() / "workshop"
        folder.mkdir(parents=True, exist_ok=True)
        # Never over another file: two windows on one code closing at once took the same free
        # name, and the second wrote over the first team's game.
        path = write_results_as_new((folder / f"{_stem(data, who)}-{n}.json" for n in range(1, 10_000)), data)
        self.saved_standing, self.saved_to = self._standing(), path
        if self.on_results_file is not None:
            self.on_results_file(path)
        return path

    def results_file(self) -> Path | None:
        """The file a game played in this window is kept in (``--resume`` goes on from it), once
        there is one; None before anything is played, and for a game on a server."""
        return self.kept_in or self.saved_to


def _stem(data: dict[str, Any], who: str) -> str:
    """A results file's name before its number: the level and who saved it."""
    return f"{str(data.get('level') or 'workshop').replace('/', '_')}-{who}"


def save_at_end(play: WorkshopPlay, view: dict[str, Any], save) -> None:
    """Call ``save`` (a scene's Save results) the first time a view says the game is over."""
    if view.get("over") and not play.saved_at_end:
        play.saved_at_end = True
        save()


def fresh_seed() -> int:
    """A seed for a new class's game (shown, so the same game can be set up again)."""
    return secrets.randbelow(1_000_000)

