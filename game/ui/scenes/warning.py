"""The warning before End turn, once a turn: objectives the quarter about to be played can
break, and political capital that would go to waste. The player ends the turn anyway, goes back
to act, or switches the warning off (Settings switches it on again)."""

from __future__ import annotations

from game.ui.modal import ModalScene
from game.ui.registry import register_scene
from game.ui.text import escape


@register_scene("warning")
class WarningScene(ModalScene):
    """``warnings``: the lines to show; ``end_turn``: what "End turn anyway" runs."""

    def __init__(self, app, warnings: list[str], end_turn):
        super().__init__(app)
        self.warnings = list(warnings)
        self.end_turn = end_turn

    def build(self) -> None:
        tr = self.app.tr
        rect = self.frame(680, 400)
        pad = self.u(16)
        self.label(self.rect(pad, pad, rect.w - 2 * pad, self.u(30)), tr("Before this turn ends"), "#heading",
                   container=self.box)
        body = "<br><br>".join(f"▲ {escape(line)}" for line in self.warnings)
        top = pad + self.u(40)
        self.reading.append(self.text_box(self.rect(pad, top, rect.w - 2 * pad, rect.h - top - pad - self.u(56)), body,
                                          container=self.box))
        y, h = rect.h - self.u(48) - pad // 2, self.u(44)
        widths = (self.u(200), self.u(210), self.u(200))
        room = rect.w - 2 * pad - 2 * self.u(10)
        if sum(widths) > room:  # a compact screen: the three share what the dialog has
            widths = tuple(w * room // sum(widths) for w in widths)
        self.button(self.rect(pad, y, widths[0], h), tr("Back to the turn"), self.back,
                    tr("Close this and act first (Esc)."), container=self.box)
        self.button(self.rect(pad + widths[0] + self.u(10), y, widths[1], h), tr("Don't warn again"), self.silence,
                    tr("End the turn now and stop these warnings (Settings turns them on again)."),
                    container=self.box)
        self.button(self.rect(rect.w - pad - widths[2], y, widths[2], h), tr("End turn anyway"), self.go,
                    tr("Play the quarter as it is."), object_id="#primary", container=self.box)
        self.focus = 0  # Enter on this dialog goes back: ending the turn takes a deliberate choice

    def go(self) -> None:
        self.app.pop(self)
        self.end_turn()

    def silence(self) -> None:
        self.app.settings.warn_before_end = False
        self.app.write(self.app.settings.save, "Settings not saved: {reason}")
        self.go()

    def back(self) -> None:
        self.app.pop(self)
