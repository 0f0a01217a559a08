"""The hot seat's first screen: the level's briefing, for the facilitator to show the class
before any team sits down (a one-player game opens on its level's briefing too), and who plays
which nation. Enter goes on to the first team's hand-over; F2 opens the facilitator's panel."""

from __future__ import annotations

from typing import Any

import pygame

from game.ui.backdrop import draw_backdrop
from game.ui.citations import cite
from game.ui.missed_history import missed_history_lines
from game.ui.registry import register_scene
from game.ui.text import escape
from game.ui.workshop_scene import TableScene
from game.ui.workshop_view import team_name, who_plays
from game.workshop.classroom import WorkshopError


@register_scene("class_briefing")
class ClassBriefingScene(TableScene):
    def __init__(self, app):
        super().__init__(app)
        self.view: dict[str, Any] | None = None
        #: The level briefed (game.spec.Scenario), and the nations its teams play, in turn order.
        self.level = self.play.level()
        self.teams: list[str] = []
        #: What the screen tells, as text-box markup: the level's briefing, and who plays what.
        self.briefing_html = self.side_html = ""

    def fetch(self) -> None:
        try:
            self.view = self.table.facilitator_view()
            self.error = None
        except WorkshopError as error:
            self.error = str(error)

    def build(self) -> None:
        app, tr, u = self.app, self.app.tr, self.u
        self.fetch()
        if self.level is None:  # (a table with no level of its own: nothing to brief)
            app.later(self.go_on)
            return
        level, view = self.level, self.view or {}
        margin = u(24 if app.compact else 40)
        width = app.w - 2 * margin
        self.label(self.rect(margin, u(16), width, u(44)),
                   self.fit(app.language.pick(level.title, level.id), width - u(16), "heading", bold=True), "#heading")
        self.label(self.rect(margin, u(58), width, u(28)),
                   self.fit(tr("{start} to {end}: {turns} turns, one a quarter", start=level.start, end=level.end,
                               turns=level.n_turns), width - u(16)), "#muted")
        bw, bh = min(u(260), (width - u(12)) // 2), u(40 if app.compact else 46)
        foot_y = app.h - bh - u(12 if app.compact else 24)
        body_top, body_bottom = u(92), foot_y - u(12)
        briefing = cite(app.language.pick(level.briefing), app.colours.muted, tr("Sources")).replace("\n", "<br>")
        if any(code != "JPN" for code in self.play.roles):  # (Japan's campaign text: said whose it is)
            briefing = f"<b>{escape(tr('The level as Japan is briefed on it'))}</b><br>{briefing}"
        self.briefing_html, self.side_html = briefing, "<br>".join(self._who_plays(view))
        if app.compact:  # one column, read downwards
            self.reading.append(self.text_box(self.rect(margin, body_top, width, body_bottom - body_top),
                                              f"{briefing}<br><br>{self.side_html}"))
        else:
            column = (width - margin) // 2
            self.reading.append(self.text_box(self.rect(margin, body_top, column, body_bottom - body_top), briefing))
            self.reading.append(self.text_box(self.rect(margin * 2 + column, body_top, column, body_bottom - body_top),
                                              self.side_html))
        self.button(self.rect(margin, foot_y, bw, bh), self.fit(tr("Leave"), bw - u(20)), self.back,
                    tr("Leave the workshop (Esc)."))
        self.button(self.rect(app.w - margin - bw, foot_y, bw, bh), self.fit(tr("Continue"), bw - u(20), bold=True),
                    self.go_on, tr("On to the first team's hand-over screen (Enter)."), object_id="#primary")
        if self.focus < 0:
            self.focus = 1  # Continue: Enter goes on
        self.focus = max(self.focus, 0)

    def _who_plays(self, view: dict[str, Any]) -> list[str]:
        """The teams at this window in the order they take turns, the roles no team takes and who
        plays them, and what happened in the history the level continues: text-box lines."""
        app, tr, language = self.app, self.app.tr, self.app.settings.language
        words = self.play.words(str(view.get("level", "")))
        self.teams = list(self.play.roles)
        lines = [f"<b>{escape(tr('Teams'))}</b>"]
        for code in self.teams:
            named = bool((view.get("teams", {}).get(code) or {}).get("team"))  # else "Team Japan" says it
            lines.append(escape(team_name(view, code, words, tr, language))
                         + (f" ({escape(words.nation(code, language))})" if named else ""))
            # Each team's own position, from its role card: the level's briefing is Japan's
            # campaign text, which a Chinese or American team read as its own.
            situation = words.situation(code, language)
            if situation:
                lines.append(f'<font color="{app.colours.muted}">{escape(situation)}</font>')
        untaken = [(code, other) for code, other in (view.get("others") or {}).items() if code not in self.teams]
        if untaken:
            lines += ["", f"<b>{escape(tr('Roles no team takes'))}</b>"]
            for code, other in untaken:
                name = app.language.pick(other.get("name"), words.nation(code, language))
                who = who_plays(other, tr)
                # A name in brackets of its own ("Lynas (a company)") takes who plays it after a colon.
                lines.append(escape(tr("{name}: {who}", name=name, who=who) if name.endswith((")", "）"))
                                    else tr("{name} ({who})", name=name, who=who)))
        return lines + missed_history_lines(app, self.level)

    def draw(self, surface: pygame.Surface) -> None:
        draw_backdrop(self.app, surface)

    # --- input ----------------------------------------------------------------------------
    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_F2:
            self.app.later(self.facilitator)
            return True
        return False

    def help_keys(self) -> list[tuple[str, str]]:
        tr = self.app.tr
        return self.hot_seat_keys(tr("Press the highlighted button: Continue goes on to the first team's hand-over "
                                     "screen"),
                                  (tr("Page Up / Page Down, Home / End, Up / Down"), tr("Scroll the briefing")))

    def go_on(self) -> None:
        self.app.switch("handover")

    def facilitator(self) -> None:
        self.app.switch("facilitator")

    def back(self) -> None:
        self.ask_to_leave_hot_seat((self.view or {}).get("over"))
