"""What every workshop screen shares (a team's seat, the hand-over, the facilitator's panel,
the projector): the table it shows, a look at it for changes every ``poll_seconds`` (a
network table changes without any input at this window), and saving the results with a
notice saying where they went or why they could not be."""

from __future__ import annotations

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
