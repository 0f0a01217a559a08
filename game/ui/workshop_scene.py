"""What every workshop screen shares (a team's seat, the hand-over, the facilitator's panel,
the projector): the table it shows, a look at it for changes every ``poll_seconds`` (a
network table changes without any input at this window), saving the results with a
notice saying where they went or why they could not be, and leaving the hot seat."""

from __future__ import annotations

import shlex

from game.ui import storage
from game.ui.scene import Scene
from game.workshop.classroom import WorkshopError


class TableScene(Scene):
    """A scene drawn from a workshop table's views; subclasses say how to ``fetch`` them."""

    #: How often an idle screen asks the table whether anything changed.
    poll_seconds = 0.5

    def __init__(self, app):
        super().__init__(app)
        self.error: str | None = None
        self._since_poll = 0.0

    @property
    def play(self):
        return self.app.workshop

    @property
    def table(self):
        return self.play.table

    def fetch(self) -> None:
        """Ask the table for what the screen shows (setting ``error`` if it cannot answer)."""

    def hot_seat_keys(self, enter: str, *more: tuple[str, str]) -> list[tuple[str, str]]:
        """The keys of a hot seat's screens between turns (its briefing, a hand-over), with what
        Enter does on this one (``enter``) and any keys of its own (``more``: key, meaning), in the
        player's language."""
        tr = self.app.tr
        return [(tr("F1"), tr("This help (any key closes it)")),
                (tr("Tab / Shift+Tab, arrows"), tr("Move between buttons")),
                *more,
                (tr("Space"), tr("Press the highlighted button")),
                (tr("Enter"), enter),
                (tr("F2"), tr("The facilitator's panel: start, pause, events, settings, results.")),
                (tr("Esc, or Leave"), tr("Leave the workshop (it asks first)")),
                (tr("F11"), tr("Window or full screen"))]

    def changed_outside(self) -> bool:
        try:
            changed = self.table.changed()
        except WorkshopError as error:
            changed, self.error = True, str(error)
        if changed:
            self.app.later(self._redraw)
        return changed

    def _redraw(self) -> None:
        self.fetch()
        self.rebuild_keeping_focus()

    def update(self, dt: float) -> None:
        self._since_poll += dt
        if self._since_poll >= self.poll_seconds and self.app.top is self:
            self._since_poll = 0.0
            self.changed_outside()

    def save_results_as(self, who: str) -> None:
        """Save the results (``<level>-<who>-<n>.json`` in the data folder) and say where."""
        app, tr = self.app, self.app.tr
        try:
            path = self.play.save_results(who)
        except OSError as error:
            app.notify(tr("Results not saved: {reason}", reason=storage.describe_write_error(error, tr)), "error", 6.0)
            return
        except WorkshopError as error:
            app.notify(tr("Results not saved: {reason}", reason=tr(str(error))), "error", 6.0)
            return
        app.notify(tr("Results saved: {name} in {folder}", name=path.name, folder=str(path.parent)), "ok", 6.0)

    def keep_the_class(self) -> None:
        """Write a game played in this window to its results file after a change (an action, a
        team done, a facilitator's command), as a server does: a crash mid-class loses nothing.
        A file that cannot be written is said once, not at every change that fails alike."""
        app, tr = self.app, self.app.tr
        try:
            self.play.keep_results()
        except OSError as error:
            problem = storage.describe_write_error(error, tr)
            if problem != self.play.keep_problem:
                app.notify(tr("Results not saved: {reason}", reason=problem), "error", 6.0)
            self.play.keep_problem = problem
        else:
            self.play.keep_problem = None

    def ask_to_leave_hot_seat(self, over: bool) -> None:
        """Ask before leaving the hot seat (its briefing, its hand-over), saying what becomes of
        the class's game (``over``: it has ended)."""
        tr = self.app.tr
        if over:  # (nothing to go on with: --resume would say so)
            detail = tr("The class's game is over, and saved for the debrief.")
        elif self.play.has_played():
            try:  # named now, so the facilitator can write it down before leaving
                kept = self.play.keep_results()
            except OSError:  # (Leave tries again, and says where the class went)
                kept = None
            if kept is None:
                detail = tr("The class's game is saved as it stands, for the debrief, and can go on later from its "
                            "results file (rare-earths workshop hotseat --resume FILE).")
            else:
                detail = tr("The class's game is saved as it stands, for the debrief, and can go on later from its "
                            "results file: rare-earths workshop hotseat --resume {file}", file=shlex.quote(str(kept)))
        else:
            detail = tr("Nothing has been played yet: there is nothing to save.")
        self.app.push("confirm", question=tr("Leave the workshop?"), detail=detail, yes=tr("Leave"),
                      then=self.leave_workshop)

    def leave_workshop(self) -> None:
        """Leave the class's game, saved first as closing the window saves it: Leave dropped it
        unsaved, though the window's close button kept it."""
        home = self.play.home
        if not home:
            self.app.quit()  # saves it on the way out, and the command's last line says where
            return
        app, tr = self.app, self.app.tr
        try:
            path = self.play.save_on_closing()
        except (OSError, WorkshopError) as error:  # not even the temporary folder took it: stay
            reason = storage.describe_write_error(error, tr) if isinstance(error, OSError) else tr(str(error))
            app.notify(tr("Results not saved: {reason}", reason=reason), "error", 6.0)
            return
        app.workshop = None
        app.switch(home)
        if path is not None:
            app.notify(tr("Results saved: {name} in {folder}", name=path.name, folder=str(path.parent)), "ok", 6.0)
