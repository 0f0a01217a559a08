"""The list dialog: pick one option (a lever, a project, a partner, a level) or several (the
nations of a case), from buttons laid out in as many columns and pages as the window needs.
One click picks a single option; several are toggled and set with Done. Esc leaves it as it was."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from game.ui.modal import ModalScene
from game.ui.registry import register_scene


@register_scene("pick")
class PickScene(ModalScene):
    """``options``: (value, text) pairs; ``chosen``: the values chosen now; ``multi``: several may
    be chosen; ``on_set(values)``: what to do with the values chosen (a list, one value if not multi)."""

    def __init__(self, app, title: str, options: Sequence[tuple[Any, str]], chosen: Sequence[Any], multi: bool,
                 on_set: Callable[[list[Any]], None]):
        super().__init__(app)
        self.title = title
        self.options = list(options)
        self.chosen = [v for v in chosen if v in [value for value, _ in self.options]]
        self.multi = multi
        self.on_set = on_set
        self.page = 0
        if not multi and self.chosen:  # open on the page of the option chosen
            self._start_at = [value for value, _ in self.options].index(self.chosen[0])
        else:
            self._start_at = 0

    def build(self) -> None:
        tr, u = self.app.tr, self.u
        rect = self.frame(760, 520)
        pad = u(14)
        self.label(self.rect(pad, pad // 2, rect.w - 2 * pad, u(32)), self.fit(self.title, rect.w - 2 * pad - u(16), "heading", bold=True),
                   "#heading", container=self.box)
        top, bottom = pad // 2 + u(36), rect.h - u(46) - pad // 2
        height, gap = u(34), u(6)
        font = self.app.font("small")
        widest = max((font.size(text)[0] for _, text in self.options), default=0) + u(40)
        columns = max(1, min(3, (rect.w - 2 * pad + gap) // max(u(160), min(widest, rect.w - 2 * pad) + gap)))
        rows = max(1, (bottom - top + gap) // (height + gap))
        per_page = rows * columns
        pages = max(1, math.ceil(len(self.options) / per_page))
        if self._start_at:
            self.page, self._start_at = min(self._start_at // per_page, pages - 1), 0
        self.page = min(self.page, pages - 1)
        width = (rect.w - 2 * pad - (columns - 1) * gap) // columns
        shown = self.options[self.page * per_page:(self.page + 1) * per_page]
        for i, (value, text) in enumerate(shown):
            column, row = divmod(i, rows)
            on = value in self.chosen
            label = ("✓ " if on and self.multi else "") + text
            fitted = self.fit(label, width - u(14), "small")
            element = self.button(self.rect(pad + column * (width + gap), top + row * (height + gap), width, height),
                                  fitted, lambda v=value: self.choose(v), text if fitted != label else "",
                                  object_id="#small_button", container=self.box)
            if on:
                element.select()
                if self.focus < 0:
                    self.focus = len(self.focusables) - 1
        y = rect.h - u(44) - pad // 2
        bw = min(u(160), (rect.w - 2 * pad - 3 * gap) // 4)
        x = pad
        if pages > 1:
            self.button(self.rect(x, y, bw, u(40)), tr("Previous"), lambda: self.turn(-1), tr("The page before."),
                        container=self.box, enabled=self.page > 0)
            x += bw + gap
            self.button(self.rect(x, y, bw, u(40)), tr("Next"), lambda: self.turn(1), tr("The page after."),
                        container=self.box, enabled=self.page < pages - 1)
        x = rect.w - pad - bw
        if self.multi:
            self.button(self.rect(x, y, bw, u(40)), tr("Done"), self.confirm, tr("Use the ones ticked."),
                        object_id="#primary", container=self.box)
            x -= bw + gap
        self.button(self.rect(x, y, bw, u(40)), tr("Cancel"), self.back, tr("Keep it as it was (Esc)."),
                    container=self.box)
        self.focus = max(self.focus, 0)

    def turn(self, step: int) -> None:
        self.page = max(0, self.page + step)
        self.focus = -1
        self.app.rebuild()

    def choose(self, value: Any) -> None:
        if not self.multi:
            self.app.pop(self)
            self.on_set([value])
            return
        self.chosen = [v for v in self.chosen if v != value] if value in self.chosen else self.chosen + [value]
        order = [v for v, _ in self.options]
        self.chosen.sort(key=order.index)
        self.rebuild_keeping_focus()

    def confirm(self) -> None:
        self.app.pop(self)
        self.on_set(list(self.chosen))

    def back(self) -> None:
        self.app.pop(self)
