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
        #: Where the callout of the step shown stands, in the window (None while none is).
        self.callout: pygame.Rect | None = None

    @property
    def active(self) -> bool:
        return self.step >= 0

    def update(self) -> None:
        app = self.scene.app
        if self.pending and app.top is self.scene:
            self.pending = False
            self.step = 0
            app.rebuild()

    def build(self, regions: dict[str, pygame.Rect], clear_of: tuple[pygame.Rect, ...] = (),
              place: pygame.Rect | None = None) -> None:
        """The callout of the step shown, beside its region and inside the window; moved along
        the region, as little as it can, to keep off ``clear_of`` (Japan on the map: the first
        step, about the bar above it, hid it). A screen that keeps a ``place`` for it beside the
        region (a compact screen's pane, which leaves no room outside) has it there."""
        scene = self.scene
        region, text = self.steps[self.step]
        if self.reword is not None:
            text = self.reword(text)
        if place is not None:
            self._build_callout(place, text)
            return
        app, u = scene.app, scene.u
        target = regions[region]
        width = min(u(460), app.w - u(40))
        # As tall as its words need (at 100% in Japanese the map's step scrolled out of sight).
        height = min(max(u(190), self._text_height(width, text) + u(52)), app.h - u(20))
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
        self._build_callout(pygame.Rect(x, y, width, height), text)

    def _words(self, text: str) -> str:
        """What the callout says: which step this is, then ``text``."""
        tr = self.scene.app.tr
        return (f"<b>{escape(tr('Tutorial {n} of {total}', n=self.step + 1, total=len(self.steps)))}</b><br>"
                f"{escape(tr(text))}")

    def _text_height(self, width: int, text: str) -> int:
        """The height of the callout's words in a box ``width`` wide, as the box lays them out."""
        probe = self.scene.text_box(pygame.Rect(0, 0, width, -1), self._words(text))
        height = probe.rect.h
        probe.kill()
        return height

    def _build_callout(self, rect: pygame.Rect, text: str) -> None:
        """The callout in ``rect``: which step, what it says, then Skip and Next."""
        scene = self.scene
        tr, u = scene.app.tr, scene.u
        width, height = rect.size
        self.callout = rect.copy()
        box = scene.panel(rect, layer=20)
        scene.text_box(pygame.Rect(0, 0, width, height - u(52)), self._words(text), container=box)
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
