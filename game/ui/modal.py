"""A dialog over the scene below: a scrim that takes the clicks, and a centred panel."""

from __future__ import annotations

import pygame

from game.ui.scene import Scene


#: The layer of the first dialog's scrim, above every screen's elements (and the tutorial's box).
FIRST_DIALOG_LAYER = 30
#: Layers each dialog keeps for itself: its scrim, its box and what the box holds (a dropdown
#: opens a few layers above its box). A dialog over another starts this far above it.
LAYERS_PER_DIALOG = 20


class ModalScene(Scene):
    modal = True

    def frame(self, width: float, height: float) -> pygame.Rect:
        """Lay down the scrim and return the dialog's rect (``width``/``height`` at 100%). A dialog
        opened over another (an amount over the offtake talks) lies above it whole: on the same
        layers, the lower one's buttons showed through the upper one and took its clicks."""
        app = self.app
        below = app.scenes[:app.scenes.index(self)] if self in app.scenes else app.scenes
        layer = FIRST_DIALOG_LAYER + LAYERS_PER_DIALOG * sum(1 for scene in below if scene.modal)
        self.panel(pygame.Rect(0, 0, app.w, app.h), object_id="#scrim", layer=layer)
        w, h = min(self.u(width), app.w - self.u(20)), min(self.u(height), app.h - self.u(20))
        rect = pygame.Rect((app.w - w) // 2, (app.h - h) // 2, w, h)
        self.box = self.panel(rect, layer=layer + 2)
        return rect
