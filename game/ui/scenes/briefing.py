"""The briefing: the level's history, its objectives by star, and the levers it opens."""

from __future__ import annotations

import re

import pygame

from game.scenario.reference import facts
from game.scenario import ScenarioError
from game.ui import levels
from game.ui.levers import LEVERS
from game.ui.scene import Scene, escape

_FACT_ID = re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b")
#: A bracketed list of fact ids, in English "(a, b)" or Japanese "（a、b）".
_CITATION = r"[（(]\s*([a-z][a-z0-9_]*(?:\s*[、,]\s*[a-z][a-z0-9_]*)*)\s*[）)]"
_CITED = re.compile(f"{_CITATION}|{_FACT_ID.pattern}")


def cite(text: str, colour: str, sources_label: str = "Sources") -> str:
    """Text for a text box with the reference fact ids it names replaced by short numbered
    citations, "[1, 2]", and the numbered sources listed after it. A reader wants the source,
    not the id, and long ids (or a closing bracket left at a line's start) wrap badly."""
    known = facts()
    numbers: dict[str, int] = {}

    def number(word: str) -> str:
        numbers.setdefault(word, len(numbers) + 1)
        return str(numbers[word])

    def cited(match: re.Match) -> str:
        ids = _FACT_ID.findall(match.group(1)) if match.group(1) else [match.group(0)]
        if not ids or any(i not in known for i in ids):
            return match.group(0)
        return "[" + ",".join(number(i) for i in ids) + "]"

    # Bracketed lists and bare ids in one pass, so the numbers follow the reading order.
    body = _CITED.sub(cited, text)
    body = re.sub(r"\[[0-9,]+\]", lambda m: f"\x00{m.group(0)}\x01", body)  # marked, then escaped, then coloured
    body = escape(body).replace("\x00", f"<font color='{colour}'>").replace("\x01", "</font>")
    if not numbers:
        return body
    notes = [f"{n}. {escape(known[word].source)} ({escape(word)})" for word, n in numbers.items()]
    return body + f"<br><br><font color='{colour}'><b>{escape(sources_label)}</b><br>" + "<br>".join(notes) + "</font>"


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
            self.text_box(self.rect(self.u(40), self.u(90), app.w - self.u(80), app.h - self.u(200)),
                          escape(str(error.problems[0])))
            self.button(self.rect(self.u(40), app.h - self.u(70), self.u(200), self.u(44)), tr("Back"), self.back)
            return
        margin = self.u(40)
        self.label(self.rect(margin, self.u(20), app.w - 2 * margin, self.u(50)), app.language.pick(level.title, level.id), "#heading")
        self.label(self.rect(margin, self.u(64), app.w - 2 * margin, self.u(28)),
                   tr("{start} to {end}: {turns} turns, one a quarter", start=level.start, end=level.end, turns=level.n_turns),
                   "#muted")
        column = (app.w - 3 * margin) // 2
        body_top, body_bottom = self.u(100), app.h - self.u(90)
        self.text_box(self.rect(margin, body_top, column, body_bottom - body_top),
                      cite(app.language.pick(level.briefing), app.colours.muted, tr("Sources")).replace("\n", "<br>"))
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
        self.text_box(self.rect(right, body_top, column, body_bottom - body_top), "<br>".join(lines))
        bw, bh = self.u(220), self.u(46)
        self.button(self.rect(app.w - margin - bw, app.h - self.u(72), bw, bh), tr("Start"), self.start,
                    tr("Begin the level at its first quarter."), object_id="#primary")
        self.button(self.rect(margin, app.h - self.u(72), bw, bh), tr("Back"), self.back)
        self.focus = max(self.focus, 0)

    def start(self) -> None:
        from game.ui.play import Game
        from game.ui.scenes.turn import TurnScene

        try:
            game = Game(self.level_ref)
        except ScenarioError as error:
            self.app.notify(str(error.problems[0]), "error")
            return
        self.app.start_game(game, TurnScene)

    def back(self) -> None:
        from game.ui.scenes.campaign import CampaignScene

        self.app.switch(CampaignScene(self.app))

    def draw(self, surface: pygame.Surface) -> None:
        from game.ui.scenes.backdrop import draw_backdrop

        draw_backdrop(self.app, surface)
