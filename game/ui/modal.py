"""A dialog over the scene below: a scrim that takes the clicks, and a centred panel."""

from __future__ import annotations

import pygame

from game.ui.scene import Scene


class ModalScene(Scene):
    modal = True

    def frame(self, width: float, height: float) -> pygame.Rect:
        """Lay down the scrim and return the dialog's rect (``width``/``height`` at 100%)."""
        app = self.app
        self.panel(pygame.Rect(0, 0, app.w, app.h), object_id="#scrim", layer=30)
        w, h = min(self.u(width), app.w - self.u(20)), min(self.u(height), app.h - self.u(20))
        rect = pygame.Rect((app.w - w) // 2, (app.h - h) // 2, w, h)
        self.box = self.panel(rect, layer=32)
        return rect
