"""The projector view: one screen for the whole class, in large type: every nation's stars, its
output index, China's share of its supply (China: its export earnings) and its budget as its team
sees it, which teams are present and done, and a chart of every nation's output index over the
quarters played. Esc goes back to the panel."""

from __future__ import annotations

from typing import Any

import pygame

from game.ui.chart import Series, draw_chart, quarter_year
from game.ui.levels import stars_text
from game.ui.registry import register_scene
from game.ui.text import SIZES, Fonts
from game.ui.theme import points
from game.ui.workshop_scene import TableScene
from game.ui.workshop_view import (
    connection_lost,
    game_status,
    quarter_range,
    shown_figure,
    team_state,
    who_plays,
)
from game.ui.workshop_words import CARD_FIGURES, FIGURES, figure_text, figures_for
from game.workshop.classroom import WorkshopError

#: Each role's line on the chart: (palette colour, dash, marker), so colour is never the only cue.
LOOKS = {"JPN": ("japan", "solid", "circle"), "CHN": ("china", "dashed", "square"),
         "USA": ("accent", "dotted", "diamond"), "AUS": ("good", "solid", "triangle"),
         "EU": ("star", "dashed", "ring"), "KOR": ("other", "dotted", "square")}

#: A card's figures, at most (a nation's three; a company's as many), and the widest a figure reads
#: on one, to fit the type to the cards before any quarter is recorded.
FIGURES_ON_A_CARD = max(len(columns) for columns in CARD_FIGURES.values())
WIDEST_FIGURE = "US$8,888M"
#: The cards' share of the room below the heading at most: the rest is the chart's.
MOST_ROOM_FOR_CARDS = 0.7


def card_figures(code: str, other: dict[str, Any]) -> tuple[str, ...]:
    """The figures the card of role ``code`` shows (``other``: its entry in the view's ``others``)."""
    return figures_for(code, CARD_FIGURES.get(other.get("kind"), CARD_FIGURES["nation"]))


@register_scene("projector")
class ProjectorScene(TableScene):
    poll_seconds = 1.0

    def __init__(self, app):
        super().__init__(app)
        self.view: dict[str, Any] = {}
        self.rows: dict[str, list[dict[str, Any]]] = {}
        self.error: str | None = None
        self.chart: tuple[pygame.Rect, pygame.Surface] | None = None
        self.cards: list[tuple[str, pygame.Rect]] = []
        self.big = Fonts(app.s)  # the projector's type (laid out in build)

    def fetch(self) -> None:
        try:
            self.view = self.play.table.facilitator_view()
            nations = self.play.table.results().get("nations", {})
            self.rows = {code: list(nation.get("rows", [])) for code, nation in nations.items()}
            self.error = None
        except WorkshopError as error:
            self.error = str(error)


    def build(self) -> None:
        app, tr, u = self.app, self.app.tr, self.u
        self.fetch()
        margin = u(12)
        bh = u(30)
        self.button(self.rect(app.w - margin - u(120), app.h - margin - bh, u(120), bh), tr("Back"), self.back,
                    tr("The facilitator's panel (Esc)."), object_id="#small_button")
        codes = list(self.view.get("others", {}))
        bottom = app.h - margin - bh - u(6)
        # As many cards a row as gives the largest type (the fewest, where two give the same).
        per_row, big, cards_h = max((self._fitted_type(n, len(codes), bottom) for n in range(1, len(codes) + 1)),
                                    key=lambda fitted: (fitted[1].scale, -fitted[0]),
                                    default=(1, Fonts(app.s), 0))
        self.big = big
        gap, top = u(8), self._cards_top(big)
        lines = max(1, -(-len(codes) // per_row))
        cell_w = (app.w - 2 * margin - (per_row - 1) * gap) // per_row
        cell_h = (cards_h - (lines - 1) * gap) // lines
        self.cards = []
        for i, code in enumerate(codes):
            line, place = divmod(i, per_row)
            self.cards.append((code, pygame.Rect(margin + place * (cell_w + gap), top + line * (cell_h + gap), cell_w,
                                                 cell_h)))
        chart_rect = pygame.Rect(margin, top + cards_h + gap, app.w - 2 * margin, bottom - top - cards_h - gap)
        self._prepare_chart(chart_rect, codes)

    def _cards_top(self, big: Fonts) -> int:
        """Where the cards start: below the heading and the game's state, in the projector's type."""
        return self.u(12) + big("heading", bold=True).get_linesize() + big("text").get_linesize() + self.u(8)

    def _fitted_type(self, per_row: int, count: int, bottom: int) -> tuple[int, Fonts, int]:
        """The projector's type with ``count`` cards ``per_row`` a row above ``bottom``, and the
        cards' height: type larger than the rest of the game, read from the back of a room (the
        settings' scale at least, or larger in a large window), smaller only as far as each
        card's name, team and every figure need it to fit, the cards taking room from the chart
        first."""
        app, tr, u = self.app, self.app.tr, self.u
        margin, gap, pad = u(12), u(8), u(8)
        lines = max(1, -(-count // per_row))
        cell_w = (app.w - 2 * margin - (per_row - 1) * gap) // per_row
        figure_names = {tr(FIGURES[column].label) for code, other in self.view.get("others", {}).items()
                        for column in card_figures(code, other)}
        scale = max(app.s, min(app.w / 1280, app.h / 720) * 1.25)
        while True:
            big = Fonts(scale)
            room = bottom - self._cards_top(big)
            card_h = big("heading", bold=True).get_linesize() + big("small").get_linesize() + \
                FIGURES_ON_A_CARD * big("text").get_linesize() + pad
            cards_h = max(round(room * 0.55), lines * card_h + (lines - 1) * gap)
            widest = max((big("text").size(f"{name}  {WIDEST_FIGURE}")[0] for name in figure_names), default=0)
            if cards_h <= room * MOST_ROOM_FOR_CARDS and widest <= cell_w - 2 * pad:
                return per_row, big, cards_h
            if points(SIZES["text"], scale) <= points(SIZES["text"], 0):  # a window too small even for the smallest type
                return per_row, Fonts(0), min(cards_h, round(room * MOST_ROOM_FOR_CARDS))
            scale *= 0.9

    def _prepare_chart(self, rect: pygame.Rect, codes: list[str]) -> None:
        app, tr, c = self.app, self.app.tr, self.app.colours
        words = self.play.words(str(self.view.get("level", "")))
        series = []
        # Nations alone: a company records no output index (its line was a legend entry only).
        for code in [code for code in codes if self.view["others"][code].get("kind") != "company"]:
            colour, style, mark = LOOKS.get(code, ("muted", "solid", "circle"))
            rows = self.rows.get(code, [])
            points = tuple((quarter_year(r["quarter"]), float(r["output_index"])) for r in rows
                           if isinstance(r.get("output_index"), (int, float)))
            series.append(Series(words.nation(code, app.settings.language), points, c.rgb(colour), style, mark))
        fonts = (self.big("small", bold=True), self.big("small"))
        surface = draw_chart(rect.size, tr("Output index"), series, (), tr("History"), c, fonts, self.big.scale,
                             quarter_range(self.view), y_top=1.0)
        self.chart = (rect, surface)

    # --- drawing ----------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        app, tr, c, u = self.app, self.app.tr, self.app.colours, self.u
        big = self.big
        language = app.settings.language
        words = self.play.words(str(self.view.get("level", "")))
        margin = u(12)
        view = self.view
        title = app.language.pick(view.get("level_title"), str(view.get("level", "")))
        turn, turns = int(view.get("turn") or 1), int(view.get("turns") or 1)
        heading = f"{title} · {view.get('quarter', '')} · " + tr("Turn {n} of {total}", n=min(turn, turns), total=turns)
        y = margin
        self._text(surface, heading, big("heading", bold=True), c.rgb("text"), (margin, y), app.w - 2 * margin)
        y += big("heading", bold=True).get_linesize()
        kind, line = game_status(view, tr, words, language)
        if self.error is not None or connection_lost(view) is not None:
            line, kind = tr("Connection lost: reconnecting…"), "#bad"
        colour = {"#bad": c.rgb("bad"), "#good": c.rgb("good")}.get(kind, c.rgb("muted"))
        note = self._figures_note()
        note_w = big("small").size(note)[0] + u(12) if note else 0
        if note:  # right-aligned on the game's line, where the cards below begin
            surface.blit(big("small").render(note, True, c.rgb("muted")),
                         (app.w - margin - big("small").size(note)[0],
                          y + big("text").get_ascent() - big("small").get_ascent()))
        self._text(surface, line, big("text"), colour, (margin, y), app.w - 2 * margin - note_w)
        teams = view.get("teams", {})
        for code, rect in self.cards:
            self._card(surface, rect, code, view.get("others", {}).get(code, {}), teams.get(code), words)
        if self.chart is not None:
            rect, chart = self.chart
            surface.blit(chart, rect)

    def _card(self, surface: pygame.Surface, rect: pygame.Rect, code: str, other: dict[str, Any],
              team: dict[str, Any] | None, words) -> None:
        app, tr, c, u = self.app, self.app.tr, self.app.colours, self.u
        big = self.big
        pygame.draw.rect(surface, c.rgb("panel"), rect, border_radius=u(6))
        pygame.draw.rect(surface, c.rgb("panel_edge"), rect, 1, border_radius=u(6))
        pad = u(8)
        x, y, width = rect.x + pad, rect.y + pad // 2, rect.w - 2 * pad
        name = app.language.pick(other.get("name"), words.nation(code, app.settings.language))
        stars = stars_text(int(other.get("stars", 0)))
        star_font = big("heading", bold=True)
        stars_w = star_font.size(stars)[0]
        surface.blit(star_font.render(stars, True, c.rgb("star")), (rect.right - pad - stars_w, y))
        name_font = next((font for font in (star_font, big("text", bold=True))
                          if font.size(name)[0] <= width - stars_w - pad), big("text", bold=True))
        # A long name in the text's type rather than cut ("Lynas (a comp…"), on the heading's line.
        self._text(surface, name, name_font, c.rgb("text"), (x, y + star_font.get_ascent() - name_font.get_ascent()),
                   width - stars_w - pad)
        y += star_font.get_linesize()
        if team is not None:
            who = str(team.get("team") or tr("a team"))
            state, colour_name = team_state(team, self.view or {}, tr)
            line, colour = f"{who} · {state}", c.rgb(colour_name)
        else:
            line, colour = who_plays(other, tr), c.rgb("muted")
        self._text(surface, line, big("small"), colour, (x, y), width)
        y += big("small").get_linesize()
        for column in card_figures(code, other):
            if y + big("text").get_linesize() > rect.bottom - pad // 2:
                break
            figure = figure_text(tr, column, shown_figure(column, other))
            text = f"{tr(FIGURES[column].label)}  {figure}"
            self._text(surface, text, big("text"), c.rgb("text"), (x, y), width)
            y += big("text").get_linesize()

    def _figures_note(self) -> str:
        """Which quarter the cards' recorded figures are of, where that is not the quarter the
        heading names (the one being played): its budgets are the quarter's being played."""
        quarters = {str(other["last"]["quarter"]) for other in self.view.get("others", {}).values()
                    if (other.get("last") or {}).get("quarter")}
        if not quarters or str(self.view.get("quarter", "")) in quarters:
            return ""
        return self.app.tr("Figures of {quarter}; budgets and cash now", quarter=max(quarters))

    @staticmethod
    def _text(surface: pygame.Surface, text: str, font: pygame.font.Font, colour, at: tuple[int, int],
              width: int) -> None:
        """``text`` at ``at``, shortened with an ellipsis to ``width`` pixels."""
        if font.size(text)[0] > width:
            while text and font.size(text + "…")[0] > width:
                text = text[:-1]
            text += "…"
        surface.blit(font.render(text, True, colour), at)

    # --- input ----------------------------------------------------------------------------
    def back(self) -> None:
        self.app.switch("facilitator")
