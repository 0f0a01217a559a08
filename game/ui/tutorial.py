"""A tutorial over a screen: one step at a time, a callout beside the region the step is about
(outlined), with Skip and Next. While it speaks only its buttons take the keys. It runs once
per player: finishing or skipping it is recorded in their progress."""

from __future__ import annotations

import pygame

from game.ui.text import escape


class Tutorial:
    """The tutorial of ``scene``: ``steps`` are (the name of a region of the screen, what to
    say about it), the screen's regions given to ``build`` and ``draw`` by name."""

    def __init__(self, scene, steps: tuple[tuple[str, str], ...], reword=None):
        self.scene = scene
        self.steps = steps
        #: ``reword(text)``: what a step says on the screen as it is now (English, before tr), or None.
        self.reword = reword
        self.step = -1  # the step shown; -1 while none is
        #: Start as soon as the screen is on top (the quarter's event pop-ups read first).
        self.pending = False

    @property
    def active(self) -> bool:
        return self.step >= 0

    def update(self) -> None:
        app = self.scene.app
        if self.pending and app.top is self.scene:
            self.pending = False
            self.step = 0
            app.rebuild()

    def build(self, regions: dict[str, pygame.Rect], clear_of: tuple[pygame.Rect, ...] = ()) -> None:
        """The callout of the step shown, beside its region and inside the window; moved along
        the region, as little as it can, to keep off ``clear_of`` (Japan on the map: the first
        step, about the bar above it, hid it)."""
        scene = self.scene
        app, tr, u = scene.app, scene.app.tr, scene.u
        region, text = self.steps[self.step]
        if self.reword is not None:
            text = self.reword(text)
        target = regions[region]
        width, height = min(u(460), app.w - u(40)), u(190)
        # Below the region, else above it: beside what it speaks of, not over it (inside the map
        # at 1280x720 it hid the material buttons, inside the levers their cost and Take action).
        # Only a pane filling a compact screen leaves no room outside: inside it, clear of its outline.
        if target.bottom + height + u(12) < app.h:
            y = target.bottom + u(12)
        elif target.top - height - u(12) >= u(10):
            y = target.top - height - u(12)
        else:
            y = target.bottom - height - u(12)
        y = min(max(u(10), y), app.h - height - u(10))
        least, most = u(20), app.w - width - u(20)
        centred = min(max(least, target.centerx - width // 2), most)
        # Along the region first: the callout stays beside what it speaks of. Then, on a screen
        # too small for that (the callout about the bar covered Japan at 200% in 1280x720), as
        # low as it goes.
        reach = range(max(least, target.left), max(least, min(most, target.right - width)) + 1, u(10))
        places = [(left, y) for left in sorted({centred, *reach}, key=lambda left: abs(left - centred))]
        lowest = app.h - height - u(10)
        if lowest > y and not target.colliderect(pygame.Rect(0, y, app.w, height)):
            places += [(left, lowest) for left, _ in places]
        x, y = next(((left, top) for left, top in places
                     if pygame.Rect(left, top, width, height).collidelist(list(clear_of)) < 0), (centred, y))
        box = scene.panel(pygame.Rect(x, y, width, height), layer=20)
        scene.text_box(pygame.Rect(0, 0, width, height - u(52)),
                       f"<b>{escape(tr('Tutorial {n} of {total}', n=self.step + 1, total=len(self.steps)))}</b><br>"
                       f"{escape(tr(text))}", container=box)
        scene.focusables = []  # while the tutorial speaks, only its buttons take the keys
        bw = (width - u(30)) // 2
        scene.button(scene.rect(u(8), height - u(46), bw, u(38)), tr("Skip tutorial"), self.end, container=box)
        scene.button(scene.rect(width - bw - u(14), height - u(46), bw, u(38)),
                     tr("Next") if self.step < len(self.steps) - 1 else tr("Start playing"), self.next,
                     object_id="#primary", container=box)
        scene.focus = len(scene.focusables) - 1

    def draw(self, surface: pygame.Surface, regions: dict[str, pygame.Rect]) -> None:
        """The outline of the region the step shown is about."""
        region, _ = self.steps[self.step]
        u = self.scene.u
        pygame.draw.rect(surface, self.scene.app.colours.rgb("focus"), regions[region].inflate(u(4), u(4)),
                         max(3, u(4)), border_radius=u(6))

    def next(self) -> None:
        self.step += 1
        if self.step >= len(self.steps):
            self.end()
        else:
            self.scene.app.rebuild()

    def end(self) -> None:
        app = self.scene.app
        self.step = -1
        self.scene.focus = -1
        app.progress.tutorial_done = True
        app.keep_progress()
        app.rebuild()
