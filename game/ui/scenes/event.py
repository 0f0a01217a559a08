"""Pop-ups for the scheduled events of a quarter, each with a short historical note and its
sources from the reference data."""

from __future__ import annotations

import pygame

from game.scenario.reference import facts_named_in
from game.ui.modal import ModalScene
from game.ui.registry import register_scene
from game.ui.text import escape


@register_scene("event")
class EventScene(ModalScene):
    def __init__(self, app, events):
        super().__init__(app)
        self.events = list(events)
        self.index = 0

    def build(self) -> None:
        app, tr = self.app, self.app.tr
        rect = self.frame(640, 430)
        event = self.events[self.index]
        pad = self.u(16)
        heading = tr("Event {n} of {total} · {quarter}", n=self.index + 1, total=len(self.events), quarter=event.quarter)
        self.label(self.rect(pad, pad, rect.w - 2 * pad, self.u(28)), heading, "#muted", container=self.box)
        lines = [f"<b>{escape(app.game.headline(event, app.settings.language, tr))}</b>", ""]
        notes = facts_named_in(event.source)
        for fact in notes[:3]:
            note = fact.note or fact.quantity
            lines.append(f"{escape(note)}")
            lines.append(f"<font color='{app.colours.muted}'>{escape(tr('Source'))}: {escape(fact.source)} "
                         f"({escape(fact.id)}, {escape(tr('confidence'))}: {escape(tr(fact.confidence))})</font>")
            lines.append("")
        if not notes and event.source:
            lines.append(f"<font color='{app.colours.muted}'>{escape(tr('Source'))}: {escape(event.source)}</font>")
        self.text_box(self.rect(pad, pad + self.u(34), rect.w - 2 * pad, rect.h - self.u(34) - pad * 2 - self.u(48)),
                      "<br>".join(lines), container=self.box)
        last = self.index == len(self.events) - 1
        bw = self.u(200)
        if not last:
            self.button(self.rect(pad, rect.h - self.u(46) - pad // 2, bw, self.u(42)), tr("Skip the rest"), self.back,
                        tr("Close every pop-up of this quarter (Esc); they stay in the news."), container=self.box)
        self.button(self.rect(rect.w - bw - pad, rect.h - self.u(46) - pad // 2, bw, self.u(42)),
                    tr("Continue") if last else tr("Next event"), self.next, object_id="#primary", container=self.box)
        self.focus = len(self.focusables) - 1

    def next(self) -> None:
        if self.index < len(self.events) - 1:
            self.index += 1
            self.app.rebuild()
        else:
            self.app.pop(self)

    def handle(self, event) -> bool:
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.app.later(self.next)
            return True
        return False

    def back(self) -> None:
        self.app.pop(self)
