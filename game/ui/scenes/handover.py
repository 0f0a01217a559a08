"""The hot seat's hand-over screen: whose turn it is, and nothing of the team before ("Team
China's turn: pass the keyboard"). Enter seats the team; F2 opens the facilitator's panel.
When the game is over it shows every nation's stars, and the results can be saved."""

from __future__ import annotations

from typing import Any

import pygame

from game.ui.backdrop import draw_backdrop
from game.ui.registry import register_scene
from game.ui.text import escape
from game.ui.workshop_play import save_at_end
from game.ui.workshop_scene import TableScene
from game.ui.workshop_view import BAD, game_status, names, results_line, standings, team_name
from game.workshop.classroom import WorkshopError


#: Why a team's turn does not begin yet, and what starts the game.
NOT_STARTED = "The facilitator has not started the game yet: the facilitator's panel (F2) starts it."


@register_scene("handover")
class HandoverScene(TableScene):
    enter_is_end_turn = True

    def __init__(self, app):
        super().__init__(app)
        self.view: dict[str, Any] | None = None
        self.team: str | None = None
        self.error: str | None = None

    def fetch(self) -> None:
        try:
            self.view = self.play.table.facilitator_view()
            self.team = self.play.next_team()
            self.error = None
        except WorkshopError as error:
            self.error = str(error)

    def enter(self) -> None:
        self.app.notice = None  # nothing the team before was told stays on screen

    def build(self) -> None:
        app, tr, u = self.app, self.app.tr, self.u
        self.fetch()
        view = self.view or {}
        language = app.settings.language
        words = self.play.words(str(view.get("level", "")))
        margin = u(24 if app.compact else 60)
        width = app.w - 2 * margin
        top = u(10) if app.compact else round(app.h * 0.1)
        title = app.language.pick(view.get("level_title"), str(view.get("level", "")))
        turn, turns = int(view.get("turn") or 1), int(view.get("turns") or 1)
        subtitle = f"{title} · {view.get('quarter', '')} · " + tr("Turn {n} of {total}", n=min(turn, turns), total=turns)
        self._centred(top, u(30), subtitle, "#muted")
        kind, line = game_status(view, tr, words, language)
        if self.error is not None:
            kind, line = BAD, tr("Connection lost: reconnecting…")
        over = bool(view.get("over"))
        if over:
            save_at_end(self.play, view, lambda: app.later(self.save_results))
        if over or self.team is None:
            self.heading = tr("Game over")
        else:
            self.heading = tr("{team}'s turn: pass the keyboard",
                              team=team_name(view, self.team, words, tr, language))
        large = app.font("title", bold=True).size(self.heading)[0] + u(24) <= width
        heading_h = u(64) if large else u(40)
        self._centred(top + u(34), heading_h, self.heading, "#title" if large else "#heading")
        self.status_line = line if kind == BAD or not view.get("started") or view.get("paused") else ""
        y = top + u(38) + heading_h
        if self.status_line:
            self._centred(y, u(28), self.status_line, kind)
            y += u(32)
        bh = u(40 if app.compact else 46)
        foot_y = app.h - bh - u(12 if app.compact else 40)
        if over:
            entries = [(tr("Save results"), self.save_results, tr("Write the results file to the data folder's "
                                                                  "workshop folder."), "#primary"),
                       (tr("Projector view"), self.projector, tr("Every nation's stars and figures, large."), ""),
                       (tr("Facilitator (F2)"), self.facilitator, tr("The facilitator's panel."), ""),
                       (tr("Leave"), self.back, tr("Leave the workshop (Esc)."), "")]
        else:
            # Before the facilitator starts the game, a team's turn can only be looked at: the way on
            # is the facilitator's panel, the main button then (it was the team's, whose levers waited).
            started = bool(view.get("started"))
            entries = [(tr("Facilitator (F2)"), self.facilitator,
                        tr("The facilitator's panel: start, pause, events, settings, results."),
                        "" if started else "#primary"),
                       (tr("Leave"), self.back, tr("Leave the workshop (Esc)."), "")]
        gap = u(12)
        font = app.font("text", bold=True)
        per_row = len(entries)
        bw = min(u(280), (width - gap * (per_row - 1)) // per_row)
        if any(font.size(text)[0] + u(24) > bw for text, *_ in entries):  # two to a row, rows upwards
            per_row = 2
            bw = min(u(320), (width - gap) // 2)
        rows = -(-len(entries) // per_row)
        buttons_top = foot_y - (rows - 1) * (bh + gap // 2)
        if over:
            lines = standings(app, view.get("others", {}), words, view.get("teams", {}))
            kept = self.play.results_file()
            if kept is not None:
                lines += ["", escape(results_line(app, kept))]
            self.reading.append(self.text_box(self.rect(margin, y, width, buttons_top - y - u(10)), "<br>".join(lines)))
        else:
            teams = view.get("teams", {})
            done = [code for code in self.play.roles if teams.get(code, {}).get("done")]
            to_come = [code for code in self.play.roles if not teams.get(code, {}).get("done")]
            order = [tr("Done this quarter: {teams}", teams=names(done, words, language))] if done else []
            order.append(tr("Still to play this quarter: {teams}", teams=names(to_come, words, language)))
            kept = self.play.results_file()
            if kept is not None:  # the file --resume takes, as the terminal says it
                order.append(results_line(app, kept))
            for text in order:
                self._centred(y, u(28), text, "#muted")
                y += u(30)
            start = tr("Start the turn of {team}", team=team_name(view, self.team, words, tr, language))
            start_w = min(width, max(u(420), app.font("text", bold=True).size(start)[0] + u(60)))
            start_h = min(round(bh * 1.6), buttons_top - y - u(16))
            self.start_button = self.button(self.rect((app.w - start_w) // 2, buttons_top - start_h - u(16), start_w,
                                                      start_h), self.fit(start, start_w - u(24), bold=True), self.seat,
                                            tr("Only this team should look now (Enter).") if started else
                                            tr(NOT_STARTED),
                                            object_id="#primary" if started else "")
        row_of_buttons = []
        for i, (text, command, tip, object_id) in enumerate(entries):
            row, column = divmod(i, per_row)
            in_row = min(per_row, len(entries) - row * per_row)
            x = (app.w - in_row * bw - (in_row - 1) * gap) // 2 + column * (bw + gap)
            row_of_buttons.append(self.button(self.rect(x, buttons_top + row * (bh + gap // 2), bw, bh),
                                              self.fit(text, bw - u(20), bold=object_id == "#primary"), command,
                                              tip, object_id=object_id))
        for element in row_of_buttons:
            # A tip stands clear of its neighbours, which the pointer may go to next: Leave's lay
            # over the Facilitator button beside it.
            element.tip_keeps_clear = row_of_buttons
        if self.focus < 0:
            self.focus = 0 if over or view.get("started") else 1  # the facilitator's, till the game starts
        self.focus = max(self.focus, 0)

    def _centred(self, y: int, height: int, text: str, object_id: str) -> None:
        """A line of text across the middle of the screen, shortened to fit it."""
        app, u = self.app, self.u
        size = {"#title": "title", "#heading": "heading"}.get(object_id, "text")
        font = app.font(size, bold=object_id in ("#title", "#heading", "#good", "#bad"))
        room = app.w - 2 * u(24)
        shown = text
        if font.size(shown)[0] > room - u(16):
            while shown and font.size(shown + "…")[0] > room - u(16):
                shown = shown[:-1]
            shown += "…"
        width = min(room, font.size(shown)[0] + u(16))
        self.label(self.rect((app.w - width) // 2, y, width, height), shown, object_id)

    def draw(self, surface: pygame.Surface) -> None:
        draw_backdrop(self.app, surface)

    # --- input ----------------------------------------------------------------------------
    def handle(self, event: pygame.event.Event) -> bool:
        if event.type != pygame.KEYDOWN:
            return False
        if event.key == pygame.K_F2:
            self.app.later(self.facilitator)
            return True
        if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            focused = self.focused()
            self.app.later(focused.command if focused is not None else self.seat)
            return True
        return False

    def help_keys(self) -> list[tuple[str, str]]:
        tr = self.app.tr
        scrolling = [(tr("Page Up / Page Down, Home / End, Up / Down"), tr("Scroll the standings"))] \
            if (self.view or {}).get("over") else []
        return self.hot_seat_keys(tr("Press the highlighted button: the team named starts its turn, and "
                                     "only that team should look"), *scrolling)

    def seat(self) -> None:
        """Seat the team whose turn it is: its own screen, and only its own. Not before the game
        starts: the team's screen then had nothing to do, and no way to the facilitator's panel."""
        if self.team is None or (self.view or {}).get("over"):
            return
        if self.view is not None and not self.view.get("started"):
            self.app.notify(self.app.tr(NOT_STARTED), "error")
            return
        self.play.seated = self.team
        self.app.switch("team", role=self.team)

    def facilitator(self) -> None:
        self.app.switch("facilitator")

    def projector(self) -> None:
        self.app.switch("projector")

    def save_results(self) -> None:
        self.save_results_as("class")

    def back(self) -> None:
        self.ask_to_leave_hot_seat((self.view or {}).get("over"))
