"""Where each objective stands: its stars, its state (met, on track, at risk, behind, lost, not
started), the value that decides it now against its threshold. Opened from "Stars so far" (or
the O key) on the turn screen, so no star is lost without the player seeing it coming."""

from __future__ import annotations

import pygame

from game.ui.modal import ModalScene
from game.ui.objective_view import STATES, describe, objective_standings
from game.ui.registry import register_scene
from game.ui.text import escape


@register_scene("objectives")
class ObjectivesScene(ModalScene):
    def build(self) -> None:
        app, tr = self.app, self.app.tr
        rect = self.frame(760, 520)
        pad = self.u(16)
        game = app.game
        result = game.result()
        self.label(self.rect(pad, pad, rect.w - 2 * pad, self.u(30)),
                   tr("Objectives: {stars} of 3 stars so far", stars=result.stars if game.world.turns_done else 0),
                   "#heading", container=self.box)
        lines = []
        self.states = []
        for standing in sorted(objective_standings(game), key=lambda s: s.objective.star):
            symbol, words, colour = STATES[standing.state]
            self.states.append(standing.state)
            stars = "★" * standing.objective.star
            text = app.language.pick(standing.objective.text, standing.objective.id)
            lines.append(f"<font color='{app.colours.star}'>{stars}</font> "
                         f"<font color='{getattr(app.colours, colour)}'><b>{symbol} {escape(tr(words))}</b></font>"
                         f" {escape(text)}")
            lines.append(f"<font color='{app.colours.muted}'>{escape(describe(app, standing))}</font>")
            lines.append("")
        if not lines:
            lines.append(escape(tr("Free play: no objectives, no stars. Explore.")))
        else:  # (a third star's objective met, the second's not, showed a tick and gave no star)
            lines.append(f"<font color='{app.colours.muted}'>"
                         f"{escape(tr('Stars are won in order: two stars need the first star too, three need both.'))}"
                         "</font>")
        self.body = "<br>".join(lines)
        top = pad + self.u(40)
        self.reading.append(self.text_box(self.rect(pad, top, rect.w - 2 * pad, rect.h - top - pad - self.u(56)),
                                          self.body, container=self.box))
        bw = self.u(220)
        self.button(self.rect(rect.w - bw - pad, rect.h - self.u(48) - pad // 2, bw, self.u(44)), tr("Close"),
                    self.back, tr("Back to the turn (Esc)."), object_id="#primary", container=self.box)
        self.focus = len(self.focusables) - 1

    def handle(self, event) -> bool:
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_o):
            self.app.later(self.back)
            return True
        return False

    def back(self) -> None:
        self.app.pop(self)
