"""The workshop's windows, for the command line to open: the hot seat (several teams take turns
at one machine, the facilitator's panel behind F2), a team's own window, and the facilitator's
own window. Each plays at a table (game.workshop.table: ``LocalTable`` on this machine, or a
table on the facilitator's server) and runs until the window is closed; the ``..._app``
versions return the window without running it (tests drive it with posted input).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from game.ui import storage
from game.ui.app import BASE_SIZE, App
from game.ui.workshop_play import FACILITATOR, HOTSEAT, TEAM, WorkshopPlay
from game.ui.workshop_view import results_line


def open_hotseat_app(table, roles: Sequence[str], size: tuple[int, int] = BASE_SIZE,
                     settings: storage.Settings | None = None, resumed: Path | None = None,
                     tell: Callable[[str], None] | None = None) -> App:
    """A window where the teams playing ``roles`` take turns, opening on the level's briefing and
    then the first one's hand-over (a game going on: on the hand-over; ``resumed``: the results
    file it was saved to, which holds it as it stands; ``tell``: given a line in the window's
    language naming the results file, when it is first made or at once for ``resumed``)."""
    if not roles:
        raise ValueError("the hot seat needs at least one team's role")
    app = App(size, settings)
    app.workshop = WorkshopPlay(table, tuple(roles), HOTSEAT)
    if tell is not None:
        app.workshop.on_results_file = lambda path: tell(results_line(app, path))
    if resumed is not None:
        app.workshop.count_as_saved(resumed)
        if tell is not None:
            tell(results_line(app, resumed))
    app.switch(app.workshop.first_scene())
    return app


def open_team_app(table, role: str, size: tuple[int, int] = BASE_SIZE,
                  settings: storage.Settings | None = None, resumed: Path | None = None) -> App:
    """One team's window, on its seat (``resumed``: as ``open_hotseat_app``)."""
    app = App(size, settings)
    app.workshop = WorkshopPlay(table, (role,), TEAM)
    if resumed is not None:
        app.workshop.count_as_saved(resumed)
    app.switch("team", role=role)
    return app


def open_facilitator_app(table, size: tuple[int, int] = BASE_SIZE, settings: storage.Settings | None = None) -> App:
    """The facilitator's window, on the panel."""
    app = App(size, settings)
    app.workshop = WorkshopPlay(table, (), FACILITATOR)
    app.switch("facilitator")
    return app


def open_hotseat(table, roles: Sequence[str], size: tuple[int, int] = BASE_SIZE,
                 settings: storage.Settings | None = None, resumed: Path | None = None,
                 tell: Callable[[str], None] | None = None) -> str:
    """Open the hot seat's window and play until it is closed; what closing did with the class's
    results ("" if nothing: see ``App.quit``); ``tell``: as ``open_hotseat_app``."""
    app = open_hotseat_app(table, roles, size, settings, resumed, tell)
    app.run()
    return app.quit_note


def open_team(table, role: str, size: tuple[int, int] = BASE_SIZE, settings: storage.Settings | None = None,
              resumed: Path | None = None) -> str:
    """Open a team's window and play until it is closed; what closing did with the results of a
    game played in it (a team alone with its code), as ``open_hotseat``."""
    app = open_team_app(table, role, size, settings, resumed)
    app.run()
    return app.quit_note


def open_facilitator(table, size: tuple[int, int] = BASE_SIZE, settings: storage.Settings | None = None) -> None:
    """Open the facilitator's window and run the game until it is closed."""
    open_facilitator_app(table, size, settings).run()
