"""The in-game menu: resume, save, settings, leave the level."""

from __future__ import annotations

from game.ui.modal import ModalScene
from game.ui.registry import register_scene


@register_scene("menu")
class MenuScene(ModalScene):
    def build(self) -> None:
        tr = self.app.tr
        rect = self.frame(380, 380)
        pad, bh = self.u(20), self.u(44)
        self.label(self.rect(pad, pad, rect.w - 2 * pad, self.u(32)), tr("Menu"), "#heading", container=self.box)
        y = pad + self.u(44)
        for text, command in ((tr("Resume"), self.back), (tr("Save game"), self.save), (tr("Settings"), self.settings),
                              (tr("Leave to the campaign"), self.leave_level), (tr("Quit the game"), self.quit)):
            self.button(self.rect(pad, y, rect.w - 2 * pad, bh), text, command, container=self.box)
            y += bh + self.u(10)
        self.focus = 0

    def save(self) -> None:
        self.app.pop(self)
        top = self.app.top
        if top is not None and top.name == "turn":
            top.save()

    def settings(self) -> None:
        self.app.switch("settings", back_to="turn")

    def leave_level(self) -> None:
        self.app.switch("campaign")

    def quit(self) -> None:
        self.app.quit()

    def back(self) -> None:
        self.app.pop(self)
