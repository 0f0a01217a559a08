"""A workshop team's seat: its nation's figures charted over the quarters played, its objectives
with where each stands, the news it may see and what its actions did, and its levers; Done ends
its quarter. Drawn from the team's view alone (game.workshop.views.team_view), so it is the same
for every role, on the hot seat or on a team's own machine over the network.

Enter is Done; Esc hands the hot seat back (the choices made so far are kept). A view from the
network may say the connection is lost: the screen says so and keeps what it last showed.
"""

from __future__ import annotations

import time
from typing import Any

import pygame

from game.ui.levels import stars_text
from game.ui.registry import register_scene
from game.ui.scene import PAGE_KEYS, REPEAT_CLICK_SECONDS
from game.ui.text import escape
from game.ui.workshop_levers import LeverForms
from game.ui.workshop_play import HOTSEAT, TEAM, save_at_end
from game.ui.workshop_scene import TableScene
from game.ui.workshop_view import (
    BAD,
    MUTED,
    connection_lost,
    figure_chart,
    game_status,
    latest_figure,
    objective_lines,
    quarter_range,
    shown_figure,
    standings,
    team_name,
)
from game.ui.workshop_words import (
    COMPANY_KEY_FIGURES,
    FIGURES,
    KEY_FIGURES,
    LINE_FIGURES,
    figure_text,
    figures_for,
)
from game.vocab.refusals import said_in
from game.workshop.classroom import WorkshopError

#: The panes of a compact seat, one shown at a time.
PANES = ("levers", "figures", "goals", "news")
#: The most lines the news pane lays out, newest first: its text box's layout grows faster than
#: its text (1,000 items took 1.4 s a view), and a class of many quarters sends all its news.
MOST_NEWS_LINES = 150


@register_scene("team")
class TeamScene(TableScene):
    """``role``: the team's nation code (JPN, CHN, ...)."""

    enter_is_end_turn = True
    #: The objectives, the news and the final standings scroll by the page keys and Home and End;
    #: the arrows move between the levers' buttons.
    reading_keys = PAGE_KEYS

    def __init__(self, app, role: str):
        super().__init__(app)
        self.role = role
        self.view: dict[str, Any] | None = None
        self.error: str | None = None  # why the table could not be asked (not connected)
        self.pane = "levers"
        self.status: tuple[str, str] = ("", "")
        self.regions: dict[str, pygame.Rect] = {}
        self.charts: list[tuple[pygame.Rect, pygame.Surface]] = []
        self._chart_cache: dict[tuple, pygame.Surface] = {}
        self.last_record: dict[str, Any] | None = None  # the answer to the last action this seat sent
        self.last_sent: tuple[dict[str, Any], float] | None = None  # that action, and when its answer came
        self.result_html = ""  # that answer, as the form shows it under Submit
        self._asked_for: str | None = None  # the quarter Done last asked about (it asks once a quarter)
        self.levers = LeverForms(self, self.play.seat(role), None, self.send)
        self.fetch()

    # --- the view -----------------------------------------------------------------------
    def fetch(self) -> None:
        try:
            view = self.table.team_view(self.role)
        except WorkshopError as error:
            self.error = str(error)
            return
        self.view, self.error = view, None
        self.levers.words = self.play.words(str(view.get("level", "")))

    def refresh(self) -> None:
        """Ask the table again and lay the screen out with what it says."""
        try:
            self.table.changed()  # this seat's own change is drawn now, not again at the next poll
        except WorkshopError:
            pass
        self.fetch()
        self.rebuild_keeping_focus()


    @property
    def can_act(self) -> bool:
        view = self.view
        return bool(view and view.get("started") and not view.get("paused") and not view.get("over")
                    and not view.get("done") and connection_lost(view) is None and self.error is None)

    # --- layout -------------------------------------------------------------------------
    def build(self) -> None:
        if self.view is None:
            self.fetch()
        if self.view is None:
            self._build_unreached()
            return
        app, tr = self.app, self.app.tr
        words = self.play.words(str(self.view.get("level", "")))
        kind, line = game_status(self.view, tr, words, app.settings.language, self.role)
        if self.error is not None and connection_lost(self.view) is None:
            kind, line = BAD, tr("Connection lost: reconnecting…")
        elif self.play.mode == HOTSEAT and self.view.get("paused") and not self.view.get("over") \
                and connection_lost(self.view) is None:
            # At one machine the facilitator is in the room: say where resuming is (F2 did nothing here).
            line = tr("Paused by the facilitator, who resumes from the hand-over screen (Esc, then F2).")
        self.status = (kind, line)
        if app.compact:
            self._build_compact()
        else:
            self._build_full()
        if self.focus < 0:
            # On the levers, not on Done: the Enter that took the seat, pressed once more by habit,
            # ended the team's quarter before it had seen it.
            first = next((element for element in self.levers.form
                          if getattr(element, "is_enabled", False) and any(f.element is element
                                                                           for f in self.focusables)), None)
            self.focus_on(first if first is not None and self.can_act else self.done_button)

    def _build_unreached(self) -> None:
        """Nothing to show yet: the table could not be asked (a network table not connected)."""
        app, tr, u = self.app, self.app.tr, self.u
        self.status = (BAD, tr("Connection lost: reconnecting…"))
        margin = u(24)
        self.label(self.rect(margin, u(20), app.w - 2 * margin, u(34)), self.fit(self.status[1], app.w - 2 * margin
                                                                                   - u(16), "text", bold=True), BAD)
        self.text_box(self.rect(margin, u(64), app.w - 2 * margin, u(120)), escape(self.error or ""))
        self.done_button = self.button(self.rect(margin, app.h - u(60), u(200), u(44)), tr("Try again"),
                                       self.refresh, tr("Ask the facilitator's machine again."))

    def _header(self, rect: pygame.Rect, compact: bool) -> None:
        app, tr, u = self.app, self.app.tr, self.u
        view, language = self.view, app.settings.language
        words = self.play.words(str(view.get("level", "")))
        nation = app.language.pick(view.get("role_name"), self.role)
        team = team_name(view, self.role, words, tr, language)
        title = nation if team == tr("Team {nation}", nation=nation) else f"{nation} · {team}"
        turn, turns = int(view.get("turn") or 1), int(view.get("turns") or 1)
        budget = tr("US${v:,.0f}M", v=float(view.get("budget_musd", 0.0)))
        capital = tr("{v:.0f}", v=float(view.get("political_capital", 0.0)))
        company = view.get("kind") == "company"  # its money is its firms' cash; no political capital
        if compact:  # the short words of the turn screen's compact bar
            parts = [f"{view.get('quarter')} · {min(turn, turns)}/{turns}",
                     f"{tr('Cash') if company else tr('Budget')} {budget}"] + ([] if company else
                                                                              [f"{tr('Capital')} {capital}"])
        else:
            parts = [f"{view.get('quarter')} · " + tr("Turn {n} of {total}", n=min(turn, turns), total=turns),
                     f"{tr('Cash') if company else tr('Budget')} {budget}"] + ([] if company else
                                                                              [f"{tr('Political capital')} {capital}"])
        row = u(30) if compact else u(32)
        pad = u(8)
        stars = stars_text(int(view.get("stars", 0)))
        stars_w = app.font("heading", bold=True).size(stars)[0] + u(12)
        name_w = round(rect.w * (0.3 if compact else 0.34))
        self.label(self.rect(pad, rect.y + u(2), name_w, row), self.fit(title, name_w - u(16), "text" if compact else
                                                                        "heading", bold=not compact),
                   "" if compact else "#heading")
        info_w = rect.w - name_w - stars_w - 2 * pad
        info = "   ".join(parts)
        self.label(self.rect(pad + name_w, rect.y + u(2), info_w, row), self.fit(info, info_w - u(16)))
        self.label(self.rect(rect.right - pad - stars_w, rect.y + u(2), stars_w, row), stars, "#stars")
        kind, line = self.status
        self.status_label = self.label(self.rect(pad, rect.y + row + u(2), rect.w - 2 * pad, u(26)),
                                       self.fit(line, rect.w - 2 * pad - u(16), bold=kind != MUTED), kind)

    def _build_full(self) -> None:
        app, u = self.app, self.u
        w, h = app.w, app.h
        header_h, foot_h, gap = u(64), u(52), u(8)
        left_w = round(w * 0.56)
        top, bottom = header_h + gap, h - foot_h
        charts_h = round((bottom - top) * 0.5)
        lower = top + charts_h + gap
        half = (left_w - 3 * gap) // 2
        self.regions = {
            "header": pygame.Rect(0, 0, w, header_h),
            "figures": pygame.Rect(gap, top, left_w - gap, charts_h),
            "goals": pygame.Rect(gap, lower, half, bottom - lower),
            "news": pygame.Rect(2 * gap + half, lower, left_w - 2 * gap - half, bottom - lower),
            "levers": pygame.Rect(left_w + gap, top, w - left_w - 2 * gap, bottom - top),
            "footer": pygame.Rect(0, h - foot_h, w, foot_h),
        }
        self._header(self.regions["header"], compact=False)
        self._prepare_charts(self.regions["figures"])
        self._build_goals(self.regions["goals"])
        self._build_news(self.regions["news"])
        self._build_levers(self.regions["levers"])
        self._build_footer(self.regions["footer"])

    def _build_compact(self) -> None:
        app, u = self.app, self.u
        w, h = app.w, app.h
        header_h, foot_h, gap = u(58), u(38), u(4)
        body = pygame.Rect(gap, header_h + gap, w - 2 * gap, h - header_h - foot_h - 2 * gap)
        self.regions = {"header": pygame.Rect(0, 0, w, header_h), "footer": pygame.Rect(0, h - foot_h, w, foot_h),
                        **{name: body for name in PANES}}
        self._header(self.regions["header"], compact=True)
        self.charts = []
        self.levers.form = []
        if self.pane == "figures":
            self._prepare_charts(body)
        elif self.pane == "goals":
            self._build_goals(body)
        elif self.pane == "news":
            self._build_news(body)
        else:
            self._build_levers(body)
        self._build_compact_footer(self.regions["footer"])

    def _prepare_charts(self, area: pygame.Rect) -> None:
        """Small charts of the key figures and of those the objectives judge, latest value in each title."""
        app = self.app
        view = self.view
        words = self.play.words(str(view.get("level", "")))
        columns = list(COMPANY_KEY_FIGURES if view.get("kind") == "company" else KEY_FIGURES)
        columns += [words.indicator(objective) for objective in view.get("objectives", [])]
        columns = list(figures_for(self.role, [column for column in columns if column is not None]))[:6]
        rows = list(view.get("rows", []))
        before = view.get("before")  # the last quarter of the history a level continues
        if before:
            rows.insert(0, before)
        per_row = 3 if len(columns) > 4 else 2
        lines = -(-len(columns) // per_row)
        gap = self.u(6)
        cell_w = (area.w - (per_row - 1) * gap) // per_row
        cell_h = (area.h - (lines - 1) * gap) // lines
        x_range = quarter_range(view)
        if before:
            x_range = (x_range[0] - 0.25, x_range[1])
        nation = app.language.pick(view.get("role_name"), self.role)
        known_now = view.get("known_now")  # (an older server's view has none: "-" until a quarter is played)
        self.charts = []
        cache: dict[tuple, pygame.Surface] = {}
        for i, column in enumerate(columns):
            line, place = divmod(i, per_row)
            rect = pygame.Rect(area.x + place * (cell_w + gap), area.y + line * (cell_h + gap), cell_w, cell_h)
            latest = latest_figure(column, rows, known_now)
            key = (column, len(rows), latest, rect.size, app.s, app.settings.language, app.settings.colour_blind,
                   x_range)
            surface = self._chart_cache.get(key) or figure_chart(app, rect.size, column, rows, x_range, nation,
                                                                 known_now)
            cache[key] = surface
            self.charts.append((rect, surface))
        self._chart_cache = cache
        self.chart_columns = columns

    def _build_goals(self, area: pygame.Rect) -> None:
        app, tr = self.app, self.app.tr
        view = self.view
        words = self.play.words(str(view.get("level", "")))
        lines = [f"<b>{escape(tr('Objectives'))}</b>"]
        objectives = view.get("objectives", [])
        lines += objective_lines(app, objectives, words) if objectives else \
            [escape(tr("No stars in this level: agree your team's own goals."))]
        if objectives:
            lines.append(escape(tr("score {score:.0f} of 100", score=float(view.get("score", 0.0)))))
        others = {code: other for code, other in (view.get("others") or {}).items() if code != self.role}
        if others:
            lines += ["", f"<b>{escape(tr('The other nations'))}</b>"]
            for code, other in others.items():
                name = app.language.pick(other.get("name"), words.nation(code, app.settings.language))
                figures = " · ".join(f"{tr(FIGURES[c].label)} {figure_text(tr, c, shown_figure(c, other))}"
                                     for c in figures_for(code, LINE_FIGURES.get(other.get("kind"),
                                                                                  LINE_FIGURES["nation"])))
                lines.append(f"<font color='{app.colours.star}'>{stars_text(int(other.get('stars', 0)))}</font> "
                             f"<b>{escape(name)}</b>: {escape(figures)}")
        self.goals_html = "<br>".join(lines)
        self.reading.append(self.text_box(area, self.goals_html))

    def _build_news(self, area: pygame.Rect) -> None:
        """This quarter's news and what the team's actions did, then earlier quarters', newest first."""
        app, tr, c = self.app, self.app.tr, self.app.colours
        view, language = self.view, app.settings.language
        words = self.play.words(str(view.get("level", "")))
        quarters: dict[str, list[str]] = {}
        # The newest items only (both lists run oldest first): a long class's whole news took
        # seconds to lay out at every view, and a broken server's thousands of items minutes.
        for record in view.get("actions", [])[-MOST_NEWS_LINES:]:
            # The moves the team's bot made while the team was away are the bot's, as the
            # facilitator's panel and the report say: a team back read them as its own.
            # "Your action: Release 180 t ...": an action's words are a label, not a verb after "You".
            by_bot = record.get("by") == "bot"
            said = escape(words.action_text(record, language, tr))
            if record.get("accepted"):
                who = escape(tr("Your bot's action") if by_bot else tr("Your action"))
                line = tr("{who}: {said}", who=f"<font color='{c.good}'><b>✓ {who}</b></font>", said=said)
            else:
                who = escape(tr("Your bot's action, refused") if by_bot else tr("Your action, refused"))
                line = tr("{who}: {said}", who=f"<font color='{c.bad}'><b>× {who}</b></font>", said=said)
            quarters.setdefault(str(record.get("quarter")), []).append(line)
        for item in view.get("news", [])[-MOST_NEWS_LINES:]:
            quarters.setdefault(str(item.get("quarter")), []).append(escape(words.headline(item, language, tr)))
        current = str(view.get("quarter"))
        lines: list[str] = []
        for quarter in sorted(quarters, reverse=True):
            if lines:
                lines.append("")
            lines.append(f"<b>{escape(tr('News of {quarter}', quarter=quarter))}</b>")
            lines += quarters[quarter]
        if current not in quarters and not view.get("over"):
            lines.insert(0, escape(tr("No news yet this quarter.")))
        if len(lines) > MOST_NEWS_LINES:
            lines = lines[:MOST_NEWS_LINES] + ["", escape(tr("Earlier news is not shown here."))]
        self.news_lines = lines
        self.reading.append(self.text_box(area, "<br>".join(lines), object_id="#card"))

    def _build_levers(self, area: pygame.Rect) -> None:
        app, tr = self.app, self.app.tr
        view = self.view
        if view.get("over"):
            # (the hot seat's hand-over screen saves the class's; a server's team seat saves none)
            if self.play.mode == TEAM and self.play.saves_results():
                save_at_end(self.play, view, lambda: app.later(self.save_results))
            self.levers.form = []
            words = self.play.words(str(view.get("level", "")))
            others = view.get("others") or {self.role: {"name": view.get("role_name"), "stars": view.get("stars", 0),
                                                        "score": view.get("score", 0.0), "played_by": "team"}}
            # (a team that does not see the others' figures is shown its own stars only)
            heading = tr("Game over: every nation's stars") if len(others) > 1 else tr("Game over: your stars")
            lines = [f"<b>{escape(heading)}</b>"]
            lines += standings(app, others, words, view.get("teams", {}))
            lines += ["", escape(tr("Save the results for the debrief (the report reads them).")
                                 if self.play.saves_results() else self._server_keeps_results())]
            self.standings_html = "<br>".join(lines)
            self.reading.append(self.text_box(area, self.standings_html))
            return
        record = self.last_record
        result = ""
        # Under its own lever only: another lever's refusal stayed under the lever chosen next.
        if record is not None and record.get("quarter") == view.get("quarter") \
                and record.get("kind") == self.levers.seat.lever:
            words = self.play.words(str(view.get("level", "")))
            text = words.action_text(record, app.settings.language, tr)
            if record.get("accepted"):
                result = f"<font color='{app.colours.good}'><b>✓</b></font> {escape(text)}"
            else:
                result = (f"<font color='{app.colours.bad}'><b>×</b></font> "
                          f"{escape(tr('Refused: {reason}', reason=text))}")
        self.result_html = result
        capital = view.get("political_capital") if view.get("kind") != "company" else None
        self.levers.build(area, list(view.get("levers", [])), float(view.get("budget_musd", 0.0)), self.can_act, result,
                          None if capital is None else float(capital))

    def _footer_buttons(self) -> list[tuple[str, Any, str]]:
        tr = self.app.tr
        buttons = [(tr("Help"), self.help, tr("Keys and help (F1)."))]
        if self.play.mode == HOTSEAT:
            buttons.append((tr("Hand over"), self.hand_over,
                            tr("Back to the hand-over screen; your choices so far are kept (Esc).")))
        elif not (self.view.get("over") and not self.play.saves_results()):  # (then Quit is the main button)
            buttons.append((tr("Quit"), self.quit, tr("Close the window; the game goes on without you.")))
        return buttons

    def _main_button(self, rect: pygame.Rect, object_id: str = "#primary") -> None:
        tr = self.app.tr
        if self.view.get("over") and not self.play.saves_results():
            self.done_button = self.button(rect, tr("Quit"), self.quit, self._server_keeps_results(),
                                           object_id=object_id)
        elif self.view.get("over"):
            self.done_button = self.button(rect, tr("Save results"), self.save_results,
                                           tr("Write the results file to the data folder's workshop folder."),
                                           object_id=object_id)
        else:
            self.done_button = self.button(rect, tr("Done for this quarter"), self.done,
                                           tr("Your levers for this quarter are in: when every team is done, the "
                                              "quarter is played (Enter)."), object_id=object_id,
                                           enabled=self.can_act)

    def _build_footer(self, foot: pygame.Rect) -> None:
        pad, bh = self.u(8), foot.h - self.u(14)
        y = foot.y + self.u(7)
        x = pad
        for text, command, tip in self._footer_buttons():
            width = max(self.u(110), self.app.font("text").size(text)[0] + self.u(28))
            self.button(self.rect(x, y, width, bh), text, command, tip)
            x += width + pad
        width = max(self.u(260), self.app.font("text", bold=True).size(self.app.tr("Done for this quarter"))[0]
                    + self.u(28))
        self._main_button(self.rect(foot.right - width - pad, y, width, bh))

    def _build_compact_footer(self, foot: pygame.Rect) -> None:
        tr = self.app.tr
        pad, bh = self.u(4), foot.h - self.u(8)
        y = foot.y + self.u(4)
        font = self.app.font("small", bold=True)
        saves = self.play.saves_results()
        main = (tr("Save results") if saves else tr("Quit")) if self.view.get("over") else tr("Done")
        main_w = max(self.u(90), font.size(main)[0] + self.u(24))
        texts = {"levers": tr("Results") if self.view.get("over") else tr("Levers"), "figures": tr("Figures"),
                 "goals": tr("Objectives"), "news": tr("News")}
        buttons = [(text, (lambda p=pane: self.show_pane(p)), pane) for pane, text in texts.items()]
        buttons += [(text, command, None) for text, command, _ in self._footer_buttons()[1:]]
        room = foot.w - main_w - pad * (len(buttons) + 2)
        small = self.app.font("small")
        wanted = [small.size(text)[0] + self.u(16) for text, *_ in buttons]
        x = pad
        for (text, command, pane), want in zip(buttons, wanted, strict=True):
            width = room * want / sum(wanted)
            element = self.button(self.rect(x, y, width, bh), self.fit(text, width - self.u(10), "small"), command,
                                  object_id="#tab" if pane else "#small_button")
            if pane == self.pane:
                element.select()
            x += width + pad
        rect = self.rect(foot.right - main_w - pad, y, main_w, bh)
        if self.view.get("over") and not saves:
            self.done_button = self.button(rect, main, self.quit, self._server_keeps_results(), object_id="#primary")
        elif self.view.get("over"):
            self.done_button = self.button(rect, main, self.save_results,
                                           tr("Write the results file to the data folder's workshop folder."),
                                           object_id="#primary")
        else:
            self.done_button = self.button(rect, main, self.done, tr("Done for this quarter (Enter)."),
                                           object_id="#primary", enabled=self.can_act)

    def bounds(self) -> list[tuple[list, pygame.Rect]]:
        if "levers" not in self.regions:
            return []
        return [(self.levers.form, self.regions["levers"])]

    def draw(self, surface: pygame.Surface) -> None:
        label = getattr(self, "status_label", None)
        if self.status[0] == BAD and label is not None and label.alive():  # a band: hard to miss
            c = self.app.colours
            dim = tuple((3 * a + b) // 4 for a, b in zip(c.rgb("background"), c.rgb("bad"), strict=True))
            pygame.draw.rect(surface, dim, pygame.Rect(0, label.rect.y - self.u(2), self.app.w,
                                                       label.rect.h + self.u(4)))
        levers = self.regions.get("levers")
        if levers is not None and (not self.app.compact or self.pane == "levers"):
            pygame.draw.rect(surface, self.app.colours.rgb("panel"), levers.inflate(self.u(8), self.u(8)),
                             border_radius=self.u(4))
        for rect, chart in self.charts:
            surface.blit(chart, rect)

    # --- input ----------------------------------------------------------------------------
    def handle(self, event: pygame.event.Event) -> bool:
        if event.type != pygame.KEYDOWN:
            return False
        if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.app.later(self.done)
            return True
        if event.key == pygame.K_F2 and self.play.mode == HOTSEAT:  # the facilitator's key, on every hot-seat screen
            self.app.later(self.to_facilitator)
            return True
        return False

    def back(self) -> None:
        if self.play.mode == HOTSEAT:
            self.hand_over()

    # --- commands -------------------------------------------------------------------------
    def show_pane(self, pane: str) -> None:
        self.pane = pane
        self.rebuild_keeping_focus()

    def send(self, action: dict[str, Any]) -> None:
        """Send a lever to the table and say what came of it."""
        app, tr = self.app, self.app.tr
        if self.last_sent is not None and self.last_sent[0] == action \
                and time.monotonic() - self.last_sent[1] < REPEAT_CLICK_SECONDS:
            return  # the same click twice: a double click on Submit held two talks, at 3 capital each
        try:
            record = self.table.submit(self.role, action)
        except WorkshopError as error:
            app.notify(tr("Not sent: {reason}", reason=said_in(tr, error)), "error")
            self.refresh()
            return
        self.keep_the_class()
        self.last_record = record
        self.last_sent = (action, time.monotonic())
        words = self.play.words(str((self.view or {}).get("level", "")))
        text = words.action_text(record, app.settings.language, tr)
        app.notify(text if record.get("accepted") else tr("Refused: {reason}", reason=text),
                   "ok" if record.get("accepted") else "error")
        self.refresh()

    def sent_this_quarter(self) -> bool:
        """Whether the team itself sent a lever this quarter (its bot's moves while away are not its own)."""
        view = self.view or {}
        return any(record.get("quarter") == view.get("quarter") and record.get("by") != "bot"
                   for record in view.get("actions", []))

    def done(self) -> None:
        if self.app.top is not self or not self.can_act:
            return
        quarter = str((self.view or {}).get("quarter"))
        if self.app.settings.warn_before_end and not self.sent_this_quarter() and self._asked_for != quarter:
            # Done cannot be taken back: a team that sent nothing is asked first, once a quarter
            # (the dialog's Enter says no), as the one-player game warns before End turn.
            tr = self.app.tr
            self.app.push("confirm", question=tr("Done without a lever this quarter?"),
                          detail=tr("Your team has sent no lever this quarter. Once it is done, its quarter "
                                    "cannot be changed: when every team is done, the quarter is played."),
                          yes=tr("Done for this quarter"), then=lambda: self._finish(quarter))
            return
        self._finish(quarter)

    def _finish(self, quarter: str) -> None:
        self._asked_for = quarter
        if self.app.top is not self or not self.can_act:
            return
        try:
            self.table.finish(self.role)
        except WorkshopError as error:
            self.app.notify(self.app.tr("Not sent: {reason}", reason=said_in(self.app.tr, error)), "error")
            self.refresh()
            return
        self.keep_the_class()
        if self.play.mode == HOTSEAT:
            self.hand_over()
            return
        self.refresh()

    def hand_over(self) -> None:
        """The hot seat goes back to its hand-over screen (nothing of this seat stays on screen)."""
        self.play.seated = None
        self.app.notice = None
        self.app.switch("handover")

    def to_facilitator(self) -> None:
        """The facilitator's panel, the team's screen handed over first (nothing of it stays)."""
        self.play.seated = None
        self.app.notice = None
        self.app.switch("facilitator")

    def save_results(self) -> None:
        self.save_results_as(self.role)

    def _server_keeps_results(self) -> str:
        """What a team's window at a server's table says at the game's end instead of Save results:
        the class's results (every team's moves) are the facilitator's."""
        return self.app.tr("The facilitator's server keeps the class's results for the debrief.")

    def help(self) -> None:
        self.app.show_help = True

    def help_keys(self) -> list[tuple[str, str]]:
        """A team's keys: no lever tabs, supply panel, undo or save here (the one-player game's
        help listed them); Done, and the hot seat's Hand over and F2, or a window's Quit."""
        tr = self.app.tr
        keys = [(tr("F1"), tr("This help (any key closes it)")),
                (tr("Tab / Shift+Tab, arrows"), tr("Move between buttons")),
                (tr("Space"), tr("Press the highlighted button: a lever, a value (its list or amount), Submit")),
                self.reading_help(tr("Scroll the objectives, the news and the standings") if (self.view or {}).get("over")
                                  else tr("Scroll the objectives and the news"))]
        if self.play.mode == HOTSEAT:
            keys += [(tr("Enter, or Done"), tr("Your levers for this quarter are in, and the next team takes the "
                                               "keyboard; when every team is done, the quarter is played")),
                     (tr("Esc, or Hand over"), tr("Back to the hand-over screen without being done; your choices "
                                                  "so far are kept")),
                     (tr("F2"), tr("The facilitator's panel: this screen is handed over first, so no team's "
                                   "figures stay on screen"))]
        else:
            keys.append((tr("Enter, or Done"), tr("Your levers for this quarter are in: when every team is done, "
                                                  "the quarter is played")))
            keys.append((tr("Quit"), tr("Close the window; the game is saved and can go on later from its results "
                                        "file") if self.play.saves_results() else
                         tr("Close the window; your team's bot plays for it until you join again with the same "
                            "code")))
        keys.append((tr("F11"), tr("Window or full screen")))
        return keys

    def quit(self) -> None:
        """Close the window; at a server's table after asking (the hot seat's Leave asks): while
        the game goes on, the team's bot plays for it until it joins again; at its end, the
        results screen goes."""
        view = self.view or {}
        if self.play.mode != TEAM or self.play.saves_results() or self.app.top is not self:
            self.app.quit()
            return
        tr = self.app.tr
        if view.get("over"):
            # At the end Quit stands where Done stood for every quarter: a team that clicked Done
            # twice on the last one lost its results screen with no word.
            self.app.push("confirm", question=tr("Close the results?"),
                          detail=tr("This window and its results screen close; the facilitator's server keeps "
                                    "the class's results for the debrief."),
                          yes=tr("Quit"), then=self.app.quit)
            return
        self.app.push("confirm", question=tr("Leave the class?"),
                      detail=tr("Your team's bot plays for it until you join again with the same code: the "
                                "terminal shows the command as this window closes."),
                      yes=tr("Quit"), then=self.app.quit)
