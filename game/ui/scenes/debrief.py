"""The debrief: stars with their reasons, the level against history, the turning points of the
player's game, and what really happened (with its sources)."""

from __future__ import annotations

import time
from pathlib import Path

import pygame

from game.objectives import RULES
from game.scenario.reference import history_legend, reference_points
from game.ui import levels, storage
from game.ui.chart import HISTORY_QUARTERS_CHARTED, Series, draw_chart, quarter_year
from game.ui.citations import cite
from game.ui.debrief_export import DebriefPage, export, whole_text_box
from game.ui.levels import stars_text
from game.ui.objective_view import measured, threshold_text, value_text, where_text
from game.ui.registry import register_scene
from game.ui.scene import Scene
from game.ui.text import escape
from game.vocab.asides import aside_after
from game.vocab.nations import JAPAN


def verdict_reason(verdict, tr) -> str:
    """Why an objective was met or not, in the player's language."""
    objective = verdict.objective
    if verdict.value is None:
        return tr("not decided yet")
    words, _ = RULES[objective.rule]
    # In percent for a share, as the objective's text gives it; with the indicator's unit ("days").
    value = measured(tr, verdict, value_text(tr, objective, verdict.value))
    return tr("{value} in {where}; target {rule} {threshold}", value=value, where=where_text(tr, verdict), rule=tr(words),
              threshold=threshold_text(tr, objective))


def objective_and_reason(text: str, verdict, tr) -> tuple[str, str]:
    """An objective's text and why it was met or not, the two parts of its debrief line (the
    second is drawn muted): an objective ending in an aside of its own takes the reason inside
    it in Japanese, not a second bracket after the first (「…加重）（2021Q1～…）」)."""
    return aside_after(text, tr("({reason})", reason=verdict_reason(verdict, tr)))


def charted_quarters(game) -> tuple[list[dict], list[dict], tuple[float, float]]:
    """What the debrief's charts show: the rows before the level (a year of the history a
    continued level's world was run through, as the turn screen's charts show it: the 2019
    level's debrief began at its first quarter, with nothing of what led to it), the level's own
    rows, and the years they span."""
    before = game.rows_before_start(HISTORY_QUARTERS_CHARTED)
    first = before[0]["quarter"] if before else str(game.scenario.start)
    return before, game.rows(), (quarter_year(first) - 0.125, quarter_year(str(game.scenario.end)) + 0.125)


#: The least output index that reads as 1.00: industry had all it needed that quarter.
FULLY_SUPPLIED = 0.995


def turning_points(game, tr) -> list[str]:
    """The moments that decided this game, from its own history."""
    rows = game.rows()
    if not rows:
        return []
    points = []
    worst = min(rows, key=lambda r: r["japan_output_index"])
    if worst["japan_output_index"] >= FULLY_SUPPLIED:
        # No quarter was hard: the first of the equals is no turning point ("Hardest quarter for
        # industry: 2023Q1, output index 1.00").
        points.append(tr("Industry was fully supplied every quarter: output index 1.00 throughout"))
    else:
        points.append(tr("Hardest quarter for industry: {quarter}, output index {value:.2f}",
                         quarter=worst["quarter"], value=worst["japan_output_index"]))
    peak = max(rows, key=lambda r: r["price_ndpr_japan"])
    points.append(tr("NdPr price peak in Japan: US${value:,.0f}/kg in {quarter}",
                     value=peak["price_ndpr_japan"], quarter=peak["quarter"]))
    low = min(rows, key=lambda r: r["japan_china_share"])
    points.append(tr("China's share of Japan's supply went from {first:.0%} to {last:.0%} (lowest {low:.0%} in {quarter})",
                     first=rows[0]["japan_china_share"], last=rows[-1]["japan_china_share"],
                     low=low["japan_china_share"], quarter=low["quarter"]))
    news = game.world.news
    halts = [n for n in news if n.kind in ("embargo", "doctrine") and dict(n.fields).get("partner_code") == JAPAN]
    if halts:
        points.append(tr("First halt on Japan: {quarter}", quarter=halts[0].quarter))
    deals = [n for n in news if n.kind == "deal" and dict(n.fields).get("nation_code") == JAPAN]
    breaches = [n for n in news if n.kind == "breach" and dict(n.fields).get("buyer_code") == JAPAN]
    if deals or breaches:
        points.append(tr("Contracts for Japan: {deals} signed by the market, {breaches} breaches" if len(breaches) != 1
                         else "Contracts for Japan: {deals} signed by the market, {breaches} breach", deals=len(deals),
                         breaches=len(breaches)))
        points += breach_lines(breaches, tr)
    if not [r for r in game.session.actions if r.accepted]:
        points.append(tr("You took no action: this is what doing nothing gives."))
    return points


#: How many sellers the debrief names under the count of breaches (the worst, by tonnes short).
BREACHING_SELLERS_SHOWN = 3


def breach_lines(breaches, tr) -> list[str]:
    """Who failed to deliver to Japan, worst first: the count alone ("41 breaches") said neither
    what was breached nor by whom. One line a seller: the tonnes short, the quarters and why."""
    by_seller: dict[str, list] = {}
    for item in breaches:
        by_seller.setdefault(dict(item.fields)["seller_id"], []).append(item)
    def short_t(items) -> float:
        return sum(dict(i.fields)["due"] - dict(i.fields)["delivered"] for i in items)
    worst = sorted(by_seller.values(), key=lambda items: (-short_t(items), dict(items[0].fields)["seller_id"]))
    lines = []
    for items in worst[:BREACHING_SELLERS_SHOWN]:
        fields = dict(items[0].fields)
        quarters = sorted({i.quarter for i in items})
        reasons = [dict(i.fields)["reason"] for i in items]
        usual = max(dict.fromkeys(reasons), key=reasons.count)  # the commonest, the first of equals
        when = (str(quarters[0]) if len(quarters) == 1
                else tr("{first} to {last}", first=quarters[0], last=quarters[-1]))
        lines.append(tr("· {seller}: {short:,.0f} t short in {n} quarters ({when}), mostly {reason}"
                        if len(quarters) != 1 else "· {seller}: {short:,.0f} t short in {n} quarter ({when}), {reason}",
                        seller=fields["seller"], short=short_t(items), n=len(quarters), when=when, reason=tr(usual)))
    if len(worst) > BREACHING_SELLERS_SHOWN:
        lines.append(tr("· and {n} more sellers; each breach is in the news of its quarter",
                        n=len(worst) - BREACHING_SELLERS_SHOWN))
    return lines


def action_log(game, tr, language: str) -> list[str]:
    """Every action the player took, by quarter: the whole record, not a sample."""
    return [f"{record.quarter}: {game.action_text(record, language, tr)}" for record in game.session.actions
            if record.accepted]


#: For this long after the debrief first shows it takes no Enter, Space or click: a player pressing
#: Enter (or clicking End turn) on through the last turn went straight on into the next level's
#: briefing and ended its turns unplayed.
INPUT_PAUSE_SECONDS = 0.8

#: The panes of a compact debrief, one shown at a time (DebriefScene.pane_buttons names them): at
#: 200% in a 1280x720 window, texts and charts together showed four lines a box and a blank chart.
PANES = ("game", "history", "charts")


@register_scene("debrief")
class DebriefScene(Scene):
    #: The page and picture this debrief was exported to, once it has been.
    exported: tuple[Path, Path] | None = None

    def __init__(self, app):
        super().__init__(app)
        #: When the debrief was first drawn (None until then). The pause runs from there, not from
        #: its making: the last turn and the debrief's layout took longer than the pause on a busy
        #: machine, and a press made meanwhile, waiting in the queue, passed a debrief never seen.
        self.shown_at: float | None = None
        #: What a compact debrief shows (game.ui.app.App.compact): one of PANES.
        self.pane = "game"
        #: Laid out for the exported picture: every pane in turn, without its buttons.
        self.picturing = False

    def update(self, dt: float) -> None:
        if self.shown_at is None:  # the frame that first draws it
            self.shown_at = time.monotonic()

    def handle(self, event: pygame.event.Event) -> bool:
        pressing = event.type == pygame.MOUSEBUTTONDOWN or (
            event.type == pygame.KEYDOWN and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE))
        return pressing and (self.shown_at is None or time.monotonic() - self.shown_at < INPUT_PAUSE_SECONDS)

    def build(self) -> None:
        app, tr = self.app, self.app.tr
        game = app.game
        result = game.result()
        level = game.scenario
        compact = app.compact  # less room above, beside and below the boxes, and shorter charts
        margin = self.u(16 if compact else 30)
        self.label(self.rect(margin, self.u(6 if compact else 14), app.w - 2 * margin, self.u(40 if compact else 44)),
                   self.fit(tr("Debrief: {title}", title=app.language.pick(level.title, level.id)),
                            app.w - 2 * margin - self.u(16), "heading", bold=True), "#heading")
        has_stars = bool(level.objectives)
        stars_y = self.u(42 if compact else 56)
        stars_w = app.w - 2 * margin
        if compact and not self.picturing:
            stars_w -= self._build_pane_buttons(stars_y, margin)
        stars = self.label(self.rect(margin, stars_y, stars_w, self.u(34)),
                           (stars_text(result.stars) + "   " + tr("score {score:.0f} of 100", score=result.score))
                           if has_stars else tr("Free play: no stars."), "#stars")
        self.kept_clear.append(stars)  # the level's result: no notice of an export over it
        column = (app.w - 3 * margin) // 2
        top, bottom = (self.u(78), app.h - self.u(50)) if compact else (self.u(96), app.h - self.u(76))
        if self.picturing:
            bottom = app.h - self.u(8)  # no buttons under the picture's panes
        #: Where a compact debrief shows its pane (the picture takes it from the screen).
        self.body = pygame.Rect(margin, top, app.w - 2 * margin, bottom - top)
        left_lines = []
        if has_stars:
            for verdict in result.verdicts:
                mark, colour = ("✓", app.colours.good) if verdict.met else ("✗", app.colours.bad)
                objective, reason = objective_and_reason(
                    app.language.pick(verdict.objective.text, verdict.objective.id), verdict, tr)
                left_lines.append(f"<font color='{colour}'><b>{mark if mark in '✓' else '×'} "
                                  f"{'★' * verdict.objective.star}</b></font> "
                                  f"{escape(objective)}<font color='{app.colours.muted}'>{escape(reason)}</font>")
        self.objective_lines = list(left_lines)
        left_lines.append("")
        left_lines.append(f"<b>{escape(tr('Turning points'))}</b>")
        self.points = turning_points(game, tr)
        left_lines += [escape(p) for p in self.points]
        self.actions = action_log(game, tr, app.settings.language)
        if self.actions:
            left_lines.append("")
            left_lines.append(f"<b>{escape(tr('Your actions ({n})', n=len(self.actions)))}</b>")
            left_lines += [escape(a) for a in self.actions]
        notes = level.notes.get(f"what_happened_{app.settings.language}") or level.notes.get("what_happened", "")
        self.history_html = cite(notes or tr("This level has no historical note."), app.colours.muted, tr("Sources"))
        history = f"<b>{escape(tr('What really happened'))}</b><br>" + self.history_html
        if compact:
            # One pane at a time, the whole page each; the charts are made in every pane, for the
            # exported page.
            if self.pane == "game":
                self.reading.append(self.text_box(self.body, "<br>".join(left_lines)))
            elif self.pane == "history":
                self.reading.append(self.text_box(self.body, history))
            self._charts(self.body)
        else:
            chart_h = (bottom - top) // 2
            box_h = bottom - top - chart_h - self.u(8)
            self.reading.append(self.text_box(self.rect(margin, top, column, box_h), "<br>".join(left_lines)))
            self.reading.append(self.text_box(self.rect(2 * margin + column, top, column, box_h), history))
            self._charts(pygame.Rect(margin, bottom - chart_h, app.w - 2 * margin, chart_h))
        if self.picturing:
            return
        gap = self.u(12)
        bw = min(self.u(230), (app.w - 2 * margin - 3 * gap) // 4)
        bh, y = (self.u(38), app.h - self.u(44)) if compact else (self.u(46), app.h - self.u(64))
        next_level = self._next_level(result.stars)
        x = app.w - margin - bw
        main = None
        if next_level:
            main = self.button(self.rect(x, y, bw, bh), tr("Next level"), lambda: self.open(next_level),
                               tr("Open the next level's briefing."), object_id="#primary")
            x -= bw + gap
        self.button(self.rect(x, y, bw, bh), tr("Play again"), lambda: self.open(game.level_ref),
                    tr("Try this level again, with a new seed."))
        campaign = self.button(self.rect(margin, y, bw, bh), tr("Campaign"), self.back)
        self.button(self.rect(margin + bw + gap, y, bw, bh), tr("Export"), self.export,
                    tr("Keep this debrief: a web page with its charts (one file) and a picture of it with every "
                       "text whole, in the data folder's debriefs folder."))
        if self.focus < 0:
            # Next level, or Campaign (where Continue opens this debrief again): never Export, which
            # Enter pressed on and on re-ran, nor Play again, whose new game took the debrief's place
            # for an Enter pressed on through the last news. Found by its button: a compact
            # debrief's pane buttons come first in the order, and the first button of all was "Charts".
            opening = main or campaign
            self.focus = next(i for i, f in enumerate(self.focusables) if f.element is opening)

    def _build_pane_buttons(self, y: int, margin: int) -> int:
        """A compact debrief's pane buttons, at the right of the stars' line; returns the width
        they take there. Made before the others, so they come first in the Tab order."""
        gap, font = self.u(6), self.app.font("small")
        x = self.app.w - margin
        for name, text in reversed(self.pane_buttons().items()):
            width = font.size(text)[0] + self.u(20)
            x -= width
            element = self.button(self.rect(x, y, width, self.u(34)), text, lambda n=name: self.show_pane(n),
                                  object_id="#tab")
            if name == self.pane:
                element.select()
            x -= gap
        return self.app.w - margin - x

    def pane_buttons(self) -> dict[str, str]:
        """Each pane's button text, in PANES order."""
        tr = self.app.tr
        return {"game": tr("Your game"), "history": tr("What really happened"), "charts": tr("Charts")}

    def show_pane(self, pane: str) -> None:
        """Show one pane of the compact debrief (the player's game, what happened, the charts)."""
        self.pane = pane
        self.rebuild_keeping_focus()

    def _charts(self, area: pygame.Rect) -> None:
        app, tr, c = self.app, self.app.tr, self.app.colours
        game = app.game
        before, rows, x_range = charted_quarters(game)
        fonts = (app.font("small", bold=True), app.font("small"))
        third = (area.w - self.u(16)) // 3
        specs = (("price_ndpr_japan", tr("NdPr price in Japan (US$/kg)"), ""),
                 ("japan_china_share", tr("China share"), "%"),
                 ("japan_output_index", tr("Output index"), ""))
        self.charts = []
        self.chart_titles = [title for _, title, _ in specs]
        for i, (column, title, unit) in enumerate(specs):
            series = [Series(tr("Your game"), tuple((quarter_year(r["quarter"]), r[column]) for r in rows),
                             c.rgb("accent"), "solid", "circle")]
            if before:  # not the player's: the world as it came to the level
                series.insert(0, Series(tr("Before this level"),
                                        tuple((quarter_year(r["quarter"]), r[column]) for r in before),
                                        c.rgb("muted"), "dashed", "circle"))
            surface = draw_chart((third, area.h), title, series, reference_points(column), tr(history_legend(column)), c,
                                 fonts, app.s, x_range, unit=unit)
            self.charts.append((pygame.Rect(area.x + i * (third + self.u(8)), area.y, third, area.h), surface))

    def draw(self, surface: pygame.Surface) -> None:
        if self.app.compact and self.pane != "charts":
            return
        for rect, chart in getattr(self, "charts", []):
            surface.blit(chart, rect)

    def picture(self) -> pygame.Surface:
        """The debrief as a picture to keep, from its top (the stars' reasons first), laid out
        afresh: one scrolled down to the actions kept no objective, star or reason. Without the
        screen's buttons, and each text whole, its box as tall as the text: a copy of the screen
        cut the boxes mid-line, their scroll bars drawn. A compact debrief's panes go one under
        another, under its title and stars: the screen alone was four lines a text and a blank
        chart."""
        app, gap = self.app, self.u(8)
        shown, rows = self.pane, []
        self.picturing = True
        try:
            # A compact debrief makes one pane's text at a time; the charts are made in each.
            for pane in PANES[:2] if app.compact else (shown,):
                self.pane = pane
                self.rebuild_keeping_focus()
                tallest = max(whole_text_box(box).get_height() for box in self.reading)
                rows.append([(box.rect.x, whole_text_box(box, tallest)) for box in self.reading])
            rows.append([(rect.x, chart) for rect, chart in self.charts])
            # The title and stars as the screen shows them, without a notice of a previous
            # export, a focus ring or a tip.
            app.ui.update(0.0)
            app.draw(overlays=False)
            header = app.screen.subsurface(pygame.Rect(0, 0, app.w, self.body.y)).copy()
        finally:
            self.picturing, self.pane = False, shown
            self.rebuild_keeping_focus()
        heights = [max(part.get_height() for _, part in row) for row in rows]
        whole = pygame.Surface((app.w, header.get_height() + sum(heights) + gap * len(rows)))
        whole.fill(app.colours.rgb("background"))
        whole.blit(header, (0, 0))
        y = header.get_height()
        for row, height in zip(rows, heights):
            for x, part in row:
                whole.blit(part, (x, y))
            y += height + gap
        return whole

    def export(self) -> None:
        """Write the debrief as one HTML page and a PNG of it; a folder that will not
        take them is a one-line notice."""
        app, tr = self.app, self.app.tr
        kept = self.exported
        if kept is not None and all(path.is_file() for path in kept):
            # Once is enough: Enter held on Export wrote a pair a press, and their notices
            # covered the debrief.
            app.notify(tr("This debrief is kept already: {html} and {png} in {folder}", html=kept[0].name,
                          png=kept[1].name, folder=str(kept[0].parent)), "ok", 6.0)
            return
        game = app.game
        level = game.scenario
        result = game.result()
        picture = self.picture()
        page = DebriefPage(
            language=app.settings.language,
            title=tr("Debrief: {title}", title=app.language.pick(level.title, level.id)),
            stars_line=(stars_text(result.stars) + "   " + tr("score {score:.0f} of 100", score=result.score))
            if level.objectives else tr("Free play: no stars."),
            objectives_html=tuple(self.objective_lines),
            turning_points_heading=tr("Turning points"), turning_points_html=tuple(escape(p) for p in self.points),
            actions_heading=tr("Your actions ({n})", n=len(self.actions)),
            actions_html=tuple(escape(a) for a in self.actions),
            history_heading=tr("What really happened"), history_html=self.history_html,
            charts=tuple((title, surface) for title, (_, surface) in zip(self.chart_titles, self.charts)),
            footer=tr("Rare Earths, level {level}, seed {seed}, {start} to {end}.", level=level.id,
                      seed=game.session.seed, start=level.start, end=level.end))
        try:
            html_path, png_path = export(page, picture, level.id)
        except OSError as error:
            app.notify(tr("Debrief not exported: {reason}", reason=storage.describe_write_error(error, tr)), "error", 6.0)
            return
        self.exported = (html_path, png_path)
        app.notify(tr("Debrief exported: {html} and {png} in {folder}", html=html_path.name, png=png_path.name,
                      folder=str(html_path.parent)), "ok", 6.0)

    def _next_level(self, stars: int) -> str | None:
        entries = levels.campaign().entries
        ids = [e.level for e in entries]
        level_id = self.app.game.level_id
        if level_id not in ids:
            return None
        i = ids.index(level_id)
        # Open by this game's stars or by the best won before (a weaker replay of a level won
        # showed no way on, though the campaign lists the next level open).
        best = max(stars, self.app.progress.stars.get(level_id, 0))
        if i + 1 < len(entries) and best >= entries[i + 1].unlock_stars:
            return ids[i + 1]
        return None

    def open(self, level_ref: str) -> None:
        self.app.switch("briefing", level_ref=level_ref)

    def back(self) -> None:
        self.app.switch("campaign")
