"""The facilitator's panel: start, pause and resume; the three settings (pause after each turn,
reveal events by hand, teams see each other); reveal the next event; bring one of the level's
events forward; end the turn now; end the game; save the results; the projector view. Beside
them, every team (present, done, stars) and what happened last.

On the hot seat it is reached from the hand-over screen (F2) and Esc goes back there; a
facilitator's own window opens on it.
"""

from __future__ import annotations

from typing import Any

import pygame

from game.ui.levels import stars_text
from game.ui.registry import register_scene
from game.ui.scene import PAGE_KEYS
from game.ui.text import escape
from game.ui.workshop_play import HOTSEAT
from game.ui.workshop_scene import TableScene
from game.ui.workshop_view import BAD, MUTED, connection_lost, game_status, team_state, who_plays
from game.vocab.asides import aside_after
from game.vocab.refusals import said_in
from game.workshop.classroom import WorkshopError

#: The panes of a compact panel, one shown at a time.
PANES = ("controls", "teams", "events")
#: The facilitator's settings, as the panel names them.
FLAG_LABELS = (("pause_after_each_turn", "Pause after each turn: {state}",
                "After each quarter is played, the game waits until you resume it: time to talk it over."),
               ("reveal_events_by_hand", "Reveal events by hand: {state}",
                "The quarter's scheduled events reach the teams only when you reveal them, one by one."),
               ("teams_see_each_other", "Teams see each other: {state}",
                "Each team's screen shows the other nations' stars and figures."))
#: What ending the quarter now does to the teams, as the table does it (Workshop.end_turn): a team
#: still at its seat keeps the levers it submitted and does nothing more; bots play only the
#: teams away. The words said bots acted for every team not done, and a class moved on stood still.
END_TURN_TIP = ("Play this quarter now: a team not done keeps the levers it submitted and does nothing more; "
                "bots play only the teams that are away.")
END_TURN_DETAIL = ("The quarter is played at once. A team not done keeps the levers it submitted and does "
                   "nothing more this quarter; bots play only the teams that are away.")


@register_scene("facilitator")
class FacilitatorScene(TableScene):
    #: The teams' box scrolls by the page keys and Home and End; the arrows move between the buttons.
    reading_keys = PAGE_KEYS

    def __init__(self, app):
        super().__init__(app)
        self.view: dict[str, Any] | None = None
        self.error: str | None = None
        self.pane = "controls"
        self.event: int | None = None  # the waiting event chosen to bring forward (its number in the level)
        self.event_page = 0

    def fetch(self) -> None:
        try:
            self.view, self.error = self.table.facilitator_view(), None
        except WorkshopError as error:
            self.error = str(error)


    # --- layout -----------------------------------------------------------------------
    def build(self) -> None:
        app, tr, u = self.app, self.app.tr, self.u
        self.fetch()
        view = self.view or {}
        language = app.settings.language
        words = self.play.words(str(view.get("level", "")))
        compact = app.compact
        margin, gap = u(10 if compact else 20), u(6 if compact else 10)
        title = app.language.pick(view.get("level_title"), str(view.get("level", "")))
        self.label(self.rect(margin, u(4), app.w - 2 * margin, u(30)),
                   self.fit(tr("Facilitator: {title}", title=title), app.w - 2 * margin - u(16), "heading", bold=True), "#heading")
        kind, line = game_status(view, tr, words, language)
        if self.error is not None:
            kind, line = BAD, tr("Connection lost: reconnecting…")
        elif not view.get("started"):
            line = tr("Not started yet: start the game when the class is ready.")
        elif view.get("paused") and not view.get("over"):
            line = tr("Paused: resume when the class is ready.")
        turn, turns = int(view.get("turn") or 1), int(view.get("turns") or 1)
        line = f"{view.get('quarter', '')} · " + tr("Turn {n} of {total}", n=min(turn, turns), total=turns) + \
            "   " + line
        self.status = (kind, line)
        status = self.label(self.rect(margin, u(36), app.w - 2 * margin, u(26)),
                            self.fit(line, app.w - 2 * margin - u(16), bold=kind != MUTED), kind)
        self.kept_clear.append(status)  # the answer to Pause, Resume...: no tooltip over it
        foot_h = u(38 if compact else 56)
        top, bottom = u(68), app.h - foot_h - gap
        if compact:
            body = pygame.Rect(margin, top, app.w - 2 * margin, bottom - top)
            if self.pane == "teams":
                self._build_teams(body)
            elif self.pane == "events":
                self._build_events(body)
            else:
                self._build_controls(body)
        else:
            controls_w = max(u(300), round(app.w * 0.27))
            events_w = round((app.w - 2 * margin - controls_w - 2 * gap) * 0.5)
            self._build_controls(pygame.Rect(margin, top, controls_w, bottom - top))
            middle = pygame.Rect(margin + controls_w + gap, top, app.w - 2 * margin - controls_w - events_w - 2 * gap,
                                 bottom - top)
            self._build_teams(middle)
            self._build_events(pygame.Rect(middle.right + gap, top, events_w, bottom - top))
        self._build_footer(pygame.Rect(0, app.h - foot_h, app.w, foot_h))
        self.focus = max(self.focus, 0)

    def _usable(self) -> bool:
        view = self.view or {}
        return self.error is None and connection_lost(view) is None and not view.get("over")

    def _build_controls(self, area: pygame.Rect) -> None:
        tr, u = self.app.tr, self.u
        view = self.view or {}
        flags = set(view.get("flags", []))
        usable = self._usable()
        on, off = tr("On"), tr("Off")
        if not view.get("started"):
            first = (tr("Start the game"), lambda: self.command("start"), tr("The teams may act from now."))
        elif view.get("paused"):
            first = (tr("Resume"), lambda: self.command("resume"), tr("The teams may act again."))
        else:
            first = (tr("Pause"), lambda: self.command("pause"), tr("No team may act until you resume."))
        left = int(view.get("unrevealed", 0))
        entries = [(*first, usable)]
        for flag, text, tip in FLAG_LABELS:
            entries.append((tr(text, state=on if flag in flags else off),
                            lambda f=flag: self.command("set_flag", flag=f, on=f not in flags), tr(tip),
                            self.error is None and not view.get("over")))
            if flag == "reveal_events_by_hand":
                entries.append((tr("Reveal the next event ({n} left)", n=left), lambda: self.command("reveal"),
                                tr("Show the teams the next of this quarter's events."),
                                usable and flag in flags and left > 0))
        entries += [(tr("End the turn now"), self.end_turn,
                     tr(END_TURN_TIP), usable and view.get("started")),
                    (tr("End the game"), self.end_game, tr("Stop the game here: its results are final."), usable)]
        height, gap = self.stack(len(entries), area.y, area.bottom, 42, 8)
        y = area.y
        for text, command, tip, enabled in entries:
            self.button(self.rect(area.x, y, area.w, height), self.fit(text, area.w - u(20)), command, tip,
                        enabled=bool(enabled))
            y += height + gap

    def _build_teams(self, area: pygame.Rect) -> None:
        app, tr, c = self.app, self.app.tr, self.app.colours
        view = self.view or {}
        language = app.settings.language
        words = self.play.words(str(view.get("level", "")))
        teams, others = view.get("teams", {}), view.get("others", {})
        lines = [f"<b>{escape(tr('Teams'))}</b>"]
        for code, other in others.items():
            name = app.language.pick(other.get("name"), words.nation(code, language))
            stars = f"<font color='{c.star}'>{stars_text(int(other.get('stars', 0)))}</font>"
            if code in teams:
                team = teams[code]
                who = escape(str(team.get("team") or tr("a team")))
                words_, colour = team_state(team, view, tr)
                state = f"<font color='{getattr(c, colour)}'>{escape(words_)}</font>"
                lines.append(f"{stars} " + tr("{who} ({by}): {said}", who=f"<b>{escape(name)}</b>", by=who, said=state))
            else:
                # 「EU（ボット）」, 「ライナス（企業、ボット）」: no space before 「（」, nor 「）（」.
                name, note = aside_after(name, tr("({note})", note=who_plays(other, tr)))
                lines.append(f"{stars} {escape(name)}{' ' * note.startswith(' ')}<font color='{c.muted}'>{escape(note.lstrip())}</font>")
        codes = view.get("join_codes") or {}
        if codes and not view.get("over"):  # (a server's class: a team that lost its code reads it here)
            lines += ["", f"<b>{escape(tr('Join codes'))}</b>"]
            lines += [escape(tr("{nation}: {code}", nation=words.nation(code, language), code=join))
                      for code, join in codes.items()]
        lines += ["", f"<b>{escape(tr('What happened last'))}</b>"]
        lines += self._what_happened(view, words, language)
        self.teams_html = "<br>".join(lines)
        self.reading.append(self.text_box(area, self.teams_html, object_id="#card"))

    def _what_happened(self, view: dict[str, Any], words, language: str) -> list[str]:
        """The latest moves and news, newest quarter first, each thing once: an event brought
        forward was listed three times (the facilitator's move, the news of it, the event's own
        headline), the news under every move of the game, out of its quarter."""
        tr = self.app.tr
        news = list(view.get("news", []))
        brought = {(str(item.get("quarter")), str(item.get("fields", {}).get("headline") or ""))
                   for item in news if item.get("kind") == "facilitator"}
        # The news says what a facilitator's accepted move did; the event's own line repeats it.
        records = [record for record in view.get("actions", [])
                   if not (record.get("by") == "facilitator" and record.get("accepted"))]
        news = [item for item in news if item.get("kind") == "facilitator"
                or (str(item.get("quarter")), str(item.get("headline") or "")) not in brought]
        dated = [(str(record.get("quarter")), 0, i, self._move_line(record, words, language))
                 for i, record in enumerate(records)][-30:]
        dated += [(str(item.get("quarter")), 1, i,
                   f"{escape(str(item.get('quarter')))} {escape(words.headline(item, language, tr))}")
                  for i, item in enumerate(news)][-20:]
        return [line for *_, line in sorted(dated, key=lambda entry: entry[:3], reverse=True)]

    def _move_line(self, record: dict[str, Any], words, language: str) -> str:
        tr, c = self.app.tr, self.app.colours
        said = words.action_text(record, language, tr)
        who = words.nation(str(record.get("nation", "")), language) if record.get("by") != "facilitator" \
            else tr("Facilitator")
        by = {"bot": tr("a bot"), "team": tr("a team")}.get(str(record.get("by")), "")
        mark = f"<font color='{c.good}'>✓</font>" if record.get("accepted") else f"<font color='{c.bad}'>×</font>"
        line = tr("{who} ({by}): {said}", who=f"<b>{escape(who)}</b>", by=escape(by), said=escape(said)) if by \
            else tr("{who}: {said}", who=f"<b>{escape(who)}</b>", said=escape(said))
        return f"{mark} {escape(str(record.get('quarter')))} {line}"

    def _build_events(self, area: pygame.Rect) -> None:
        app, tr, u = self.app, self.app.tr, self.u
        view = self.view or {}
        language = app.settings.language
        words = self.play.words(str(view.get("level", "")))
        events = list(view.get("events", []))
        self.label(self.rect(area.x, area.y, area.w, u(28)), self.fit(tr("Bring an event forward"), area.w - u(16)),
                   "#muted")
        top = area.y + u(30)
        button_h = u(30 if app.compact else 36)
        bottom = area.bottom - button_h - u(8)
        one, gap = u(30), u(4)
        texts = [f"{words.event_date(event, language)}  {words.event_headline(event, language)}" for event in events]
        small = app.font("small")
        # A long name takes two lines, its row the room for them: one line cut it mid-word
        # ("…rare-earth-rich mud across the Pacifi…"), whole only in its tip.
        two = 2 * small.get_linesize() + u(6)
        heights = [two if small.size(text)[0] > area.w - u(16) else one for text in texts]
        pages = self._event_pages(heights, bottom - top, one + gap, gap)
        self.event_page = min(self.event_page, len(pages) - 1)
        if self.event not in [e["index"] for e in events]:
            self.event = None
        usable = self._usable()
        y = top
        for i in pages[self.event_page]:
            element = self.small_button_in_lines(self.rect(area.x, y, area.w, heights[i]), texts[i],
                                                 lambda n=events[i]["index"]: self.choose_event(n), texts[i],
                                                 enabled=usable)
            if events[i]["index"] == self.event:
                element.select()
            y += heights[i] + gap
        if not events:
            self.label(self.rect(area.x, y, area.w, u(26)), self.fit(tr("No event is still to come."), area.w - u(16),
                                                                     "small"), "#small")
        if len(pages) > 1:
            half = (area.w - gap) // 2
            self.button(self.rect(area.x, bottom - one, half, one), "▲", lambda: self.turn_events(-1),
                        tr("The events before these."), object_id="#small_button", enabled=self.event_page > 0)
            self.button(self.rect(area.x + half + gap, bottom - one, half, one), "▼", lambda: self.turn_events(1),
                        tr("The events after these."), object_id="#small_button",
                        enabled=self.event_page < len(pages) - 1)
        self.button(self.rect(area.x, area.bottom - button_h, area.w, button_h), tr("Bring it forward now"),
                    self.inject, tr("The chosen event happens now, in this quarter, instead of on its date."),
                    object_id="#primary", enabled=usable and self.event is not None)

    @staticmethod
    def _event_pages(heights: list[int], space: int, arrows: int, gap: int) -> list[list[int]]:
        """The events' rows (their numbers in the list) page by page, as many on a page as fit in
        ``space``, less the arrows' row (``arrows`` high) where there is more than one page."""
        if sum(heights) + gap * (len(heights) - 1) > space:
            space -= arrows
        pages: list[list[int]] = [[]]
        used = 0
        for i, height in enumerate(heights):
            if pages[-1] and used + height > space:
                pages.append([])
                used = 0
            pages[-1].append(i)
            used += height + gap
        return pages

    def _build_footer(self, foot: pygame.Rect) -> None:
        tr, u = self.app.tr, self.u
        compact = self.app.compact
        pad, bh = u(4 if compact else 8), foot.h - u(8 if compact else 14)
        y = foot.y + (foot.h - bh) // 2
        buttons: list[tuple[str, Any, str, str | None]] = []
        if compact:
            texts = {"controls": tr("Controls"), "teams": tr("Teams"), "events": tr("Events")}
            buttons += [(text, lambda p=pane: self.show_pane(p), "", pane) for pane, text in texts.items()]
        buttons += [(tr("Save results"), self.save_results, tr("Write the results file to the data folder's "
                                                               "workshop folder."), None),
                    (tr("Projector view"), self.projector, tr("Every nation's stars and figures, large (P)."), None)]
        if self.play.mode == HOTSEAT:
            buttons.append((tr("Back to the teams"), self.back, tr("The hand-over screen (Esc)."), None))
        size = "small" if compact else "text"
        font = self.app.font(size)
        wanted = [max(font.size(text)[0] + u(28), 0 if compact else u(150)) for text, *_ in buttons]
        room = foot.w - pad * (len(buttons) + 1)
        scale = min(1.0, room / sum(wanted))
        x = pad
        for (text, command, tip, pane), want in zip(buttons, wanted, strict=True):
            width = want * scale
            element = self.button(self.rect(x, y, width, bh), self.fit(text, width - u(16), size), command, tip,
                                  object_id="#tab" if pane else ("#small_button" if compact else ""))
            if pane == self.pane:
                element.select()
            x += width + pad

    # --- input ----------------------------------------------------------------------------
    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_p:
            self.app.later(self.projector)
            return True
        return False

    def help_keys(self) -> list[tuple[str, str]]:
        """The panel's keys: the one-player game's (lever tabs, undo, the supply panel) do not work here."""
        tr = self.app.tr
        keys = [(tr("F1"), tr("This help (any key closes it)")),
                (tr("Tab / Shift+Tab, arrows"), tr("Move between buttons")),
                (tr("Space"), tr("Press the highlighted button")),
                self.reading_help(tr("Scroll the teams and what happened last")),
                (tr("P"), tr("The projector view: every nation's stars and figures, large"))]
        if self.play.mode == HOTSEAT:
            keys.append((tr("Esc"), tr("Back to the hand-over screen")))
        keys.append((tr("F11"), tr("Window or full screen")))
        return keys

    def back(self) -> None:
        if self.play.mode == HOTSEAT:
            # Back to the class's briefing where the facilitator only looked in from it (the game
            # not started), else to the hand-over: F2 then Esc lost the briefing to project.
            started = (self.view or {}).get("started", True)
            self.app.switch("handover" if started else self.play.first_scene())

    # --- commands -------------------------------------------------------------------------
    def show_pane(self, pane: str) -> None:
        self.pane = pane
        self.rebuild_keeping_focus()

    def command(self, name: str, **argument: Any) -> None:
        """One of the table's facilitator commands; a refusal is a one-line notice."""
        tr = self.app.tr
        try:
            self.table.facilitate(name, **argument)
        except WorkshopError as error:
            self.app.notify(tr("Not done: {reason}", reason=said_in(tr, error)), "error")
        else:
            said = {"start": tr("The game has started."), "pause": tr("Paused."), "resume": tr("Resumed."),
                    "reveal": tr("The next event is revealed to the teams."),
                    "end_turn": tr("The quarter has been played."), "end": tr("The game is over.")}.get(name)
            if said:
                self.app.notify(said, "ok", 3.0)
            self.keep_the_class()
        self._refresh()

    def _refresh(self) -> None:
        try:
            self.table.changed()  # drawn now, not again at the next poll
        except WorkshopError:
            pass
        self.rebuild_keeping_focus()

    def choose_event(self, index: int) -> None:
        self.event = index
        self.rebuild_keeping_focus()

    def turn_events(self, step: int) -> None:
        self.event_page = max(0, self.event_page + step)
        self.rebuild_keeping_focus()

    def inject(self) -> None:
        if self.event is None:
            return
        index, self.event = self.event, None
        tr = self.app.tr
        try:
            self.table.facilitate("inject", event=index)
        except WorkshopError as error:
            self.app.notify(tr("Not done: {reason}", reason=said_in(tr, error)), "error")
        else:
            self.app.notify(tr("The event is brought forward to now."), "ok", 3.0)
            self.keep_the_class()
        self._refresh()

    def end_turn(self) -> None:
        tr = self.app.tr
        self.app.push("confirm", question=tr("End this quarter now?"),
                      detail=tr(END_TURN_DETAIL),
                      yes=tr("End the turn now"), then=lambda: self.command("end_turn"))

    def end_game(self) -> None:
        tr = self.app.tr
        self.app.push("confirm", question=tr("End the game here?"),
                      detail=tr("No more quarters are played: the stars stand as they are now. The results can "
                                "still be saved."),
                      yes=tr("End the game"), then=lambda: self.command("end"))

    def save_results(self) -> None:
        self.save_results_as("class")

    def projector(self) -> None:
        self.app.switch("projector")
