"""The briefing: the level's history, its objectives by star, and the levers it opens."""

from __future__ import annotations

import pygame

from game.scenario import ScenarioError
from game.ui import levels
from game.ui.backdrop import draw_backdrop
from game.ui.citations import cite
from game.ui.levers import LEVERS
from game.ui.play import Game
from game.ui.missed_history import missed_history_lines
from game.ui.registry import register_scene
from game.ui.scene import Scene
from game.ui.text import escape


@register_scene("briefing")
class BriefingScene(Scene):
    def __init__(self, app, level_ref: str):
        super().__init__(app)
        self.level_ref = level_ref

    def build(self) -> None:
        app, tr = self.app, self.app.tr
        try:
            level = levels.scenario(self.level_ref)
        except ScenarioError as error:
            self.label(self.rect(self.u(40), self.u(40), app.w - self.u(80), self.u(40)), tr("This level cannot be opened"), "#heading")
            # Said in the player's language; each problem of the level (a world file it names "is
            # invalid:", then why) on a line of its own.
            self.reading.append(self.text_box(self.rect(self.u(40), self.u(90), app.w - self.u(80), app.h - self.u(200)),
                                              escape(error.said(tr))))
            self.button(self.rect(self.u(40), app.h - self.u(70), self.u(200), self.u(44)), tr("Back"), self.back)
            return
        margin = self.u(40)
        self.label(self.rect(margin, self.u(20), app.w - 2 * margin, self.u(50)),
                   self.fit(app.language.pick(level.title, level.id), app.w - 2 * margin - self.u(16), "heading", bold=True),
                   "#heading")
        self.label(self.rect(margin, self.u(64), app.w - 2 * margin, self.u(28)),
                   tr("{start} to {end}: {turns} turns, one a quarter", start=level.start, end=level.end, turns=level.n_turns),
                   "#muted")
        column = (app.w - 3 * margin) // 2
        body_top, body_bottom = self.u(100), app.h - self.u(90)
        self.reading.append(self.text_box(self.rect(margin, body_top, column, body_bottom - body_top),
                                          cite(app.language.pick(level.briefing), app.colours.muted,
                                               tr("Sources")).replace("\n", "<br>")))
        right = margin * 2 + column
        lines = []
        if level.objectives:
            lines.append(f"<b>{escape(tr('Objectives'))}</b>")
            for objective in sorted(level.objectives, key=lambda o: o.star):
                stars = "★" * objective.star
                lines.append(f"<font color='{app.colours.star}'>{stars}</font> "
                             f"{escape(app.language.pick(objective.text, objective.id))}")
        else:
            lines.append(f"<b>{escape(tr('Free play: no objectives, no stars. Explore.'))}</b>")
        kinds = level.unlocked_actions or tuple(lever.kind for lever in LEVERS)
        lines.append("")
        lines.append(f"<b>{escape(tr('Levers open in this level'))}</b>")
        separator = "、" if app.settings.language == "ja" else ", "
        lines.append(escape(separator.join(tr(lever.title) for lever in LEVERS if lever.kind in kinds)))
        lines += missed_history_lines(app, level)
        self.reading.append(self.text_box(self.rect(right, body_top, column, body_bottom - body_top), "<br>".join(lines)))
        bw, bh = self.u(220), self.u(46)
        self.button(self.rect(app.w - margin - bw, app.h - self.u(72), bw, bh), tr("Start"), self.start,
                    tr("Begin the level at its first quarter."), object_id="#primary")
        self.button(self.rect(margin, app.h - self.u(72), bw, bh), tr("Back"), self.back)
        self.focus = max(self.focus, 0)

    def start(self) -> None:
        try:
            game = Game(self.level_ref, seed=self.app.new_game_seed, assumptions=self.app.new_game_assumptions)
        except ScenarioError as error:
            self.app.notify(error.problems[0].said(self.app.tr), "error")
            return
        self.app.start_game(game, "turn")

    def back(self) -> None:
        self.app.switch("campaign")

    def draw(self, surface: pygame.Surface) -> None:
        draw_backdrop(self.app, surface)

