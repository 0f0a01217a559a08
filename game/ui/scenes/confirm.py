"""A yes-or-no question before something that cannot be taken back (ending a class's game,
leaving it): the question, what it does, and the two buttons; Esc and the first button say no."""

from __future__ import annotations

from collections.abc import Callable

from game.ui.modal import ModalScene
from game.ui.registry import register_scene
from game.ui.text import escape


@register_scene("confirm")
class ConfirmScene(ModalScene):
    """``question``: the heading; ``detail``: what it does; ``yes``: the button that does it and
    ``then``: what it runs."""

    def __init__(self, app, question: str, detail: str, yes: str, then: Callable[[], None]):
        super().__init__(app)
        self.question, self.detail, self.yes, self.then = question, detail, yes, then

    def build(self) -> None:
        tr, u = self.app.tr, self.u
        rect = self.frame(600, 300)
        pad = u(16)
        self.label(self.rect(pad, pad, rect.w - 2 * pad, u(32)), self.fit(self.question, rect.w - 2 * pad - u(16), "heading", bold=True),
                   "#heading", container=self.box)
        top = pad + u(40)
        y, h = rect.h - u(48) - pad // 2, u(44)
        self.reading.append(self.text_box(self.rect(pad, top, rect.w - 2 * pad, y - top - u(8)), escape(self.detail),
                                          container=self.box))
        width = (rect.w - 2 * pad - u(12)) // 2
        self.button(self.rect(pad, y, width, h), tr("Cancel"), self.back, tr("Leave it as it is (Esc)."),
                    container=self.box)
        self.button(self.rect(rect.w - pad - width, y, width, h), self.fit(self.yes, width - u(16), bold=True), self.go,
                    object_id="#primary", container=self.box)
        self.focus = 0  # Enter here says no: the other takes a deliberate choice

    def go(self) -> None:
        self.app.pop(self)
        self.then()

    def back(self) -> None:
        self.app.pop(self)
