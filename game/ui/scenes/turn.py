"""The turn screen: indicators, the map of flows, charts against history, the news, the levers.

Enter ends the turn; Space presses the focused button. The indicator bar, the lever panel and
the tutorial are built by their own modules; every lever builds an Action and hands it to the
session, and the screen never changes the world itself.
"""

from __future__ import annotations

import time

import pygame

from game.actions import ACTION_TYPES, JAPAN_LEVERS, TALKS_EASE_AT_LEAST, HoldTalks
from game.scenario.reference import history_legend, reference_points
from game.ui import storage
from game.ui.chart import HISTORY_QUARTERS_CHARTED, Series, draw_chart, quarter_year
from game.ui.drawing import styled_polyline
from game.ui.indicator_bar import CHART_TITLES, PERCENT_CHARTS, bar_indicators, build_indicator_bar
from game.ui.levels import first_level
from game.ui.lever_panel import LeverPanel
from game.ui.levers import TABS
from game.ui.mapview import MapView, flows_of
from game.ui.objective_view import STATES, at_risk, describe, judged_by_projection, objective_standings, projected_output
from game.ui.registry import register_scene
from game.ui.scene import PAGE_KEYS, Scene
from game.ui.supply_panel import draw_supply_panel, heading_height
from game.ui.text import escape, wrap
from game.ui.tutorial import Tutorial
from game.vocab.materials import MATERIALS
from game.vocab.nations import JAPAN
from game.world.supply_report import supply_report

#: The tutorial's steps: (the region of the screen it points at, what it says).
TUTORIAL = (
    ("bar", ("The indicator bar: the date, your budget and political capital, and how Japan's industry is doing. "
            "Point at any of them (or Tab to it) to learn what it measures; click one to chart it.")),
    ("map", ("The map: last quarter's flows of rare earths. Wider arrows carry more tonnes. Solid is open "
            "trade, dashed with an L is licensed, crossed is embargoed.")),
    ("map", ("Supply (or S) puts Japan's tonnes of each material in the map's place: what arrived and how, "
             "what is short, what is held, and what this quarter can bring.")),
    ("charts", ("The charts: prices and the chosen indicator, quarter by quarter. White diamonds are what "
               "really happened, from the reference data.")),
    ("news", "The news of the turn: events, deals, breaches and what other nations did, with your own actions."),
    ("levers", ("The levers: pick a tab, choose a lever and its settings, and take it. Each shows its cost and "
               "how long it takes; point at it to read how it works. Ctrl+Z undoes an action this turn.")),
    ("footer", ("End the turn with this button or Enter. The quarter is played and the next one begins. F1 shows "
               "every key. Good luck.")),
)

#: The map's step where no flow is drawn yet (a level's first quarter, before any was played): it
#: explained arrows the map did not show.
TUTORIAL_MAP_BEFORE_FLOWS = ("The map: once a quarter has been played, its flows of rare earths show here. Wider arrows "
                             "carry more tonnes. Solid is open trade, dashed with an L is licensed, crossed is "
                             "embargoed.")

#: Kinds of news that answer the player's own moves, shown whatever else the quarter brought.
OWN_NEWS = ("stockpile",)

#: The news panel's tag for each kind of news the world reports (other kinds show as named).
_NEWS_KINDS = {"deal": "deal", "project": "project", "doctrine": "policy", "wto": "WTO", "firm": "firm",
               "diplomacy": "diplomacy", "research": "research", "deep_sea": "deep sea", "breach": "breach",
               "finance": "finance", "leakage": "leakage", "stockpile": "stockpile"}


#: For this long after Enter closes a page over the turn screen (the quarter's events, the
#: objectives, the menu, the keys' help), and after a quarter that brought no page begins, Enter
#: does not end the turn: a quick double press closed the page and ended the turn, and the next
#: quarter went by unplayed.
ENTER_PAUSE_AFTER_PAGE_SECONDS = 0.6

#: The bar over a compact screen's levers, one row: the quarter being decided, what a lever
#: spends, and what the stockpile levers are chosen by. Not the stars, which Objectives shows: at
#: 200% in 1280x720 seven cut both the quarter and the stockpile's days short, and a player
#: choosing levers could not see which quarter it was.
LEVERS_PANE_INDICATORS = (None, "japan_budget_musd", "japan_political_capital", "japan_output_index",
                          "japan_china_share", "japan_stockpile_days")
#: What each tab's levers act on, first what it moves most: over the talks' "easing tension by
#: about 0.14" the one-row bar had no Tension, nor Secured over an investment or an offtake.
TAB_INDICATORS = {
    "Stockpile": ("japan_stockpile_days", "japan_output_index", "japan_china_share"),
    "Invest": ("japan_secured_share", "japan_china_share", "japan_output_index"),
    "Trade": ("japan_secured_share", "japan_china_share", "japan_output_index"),
    "Diplomacy": ("china_tension_japan", "japan_china_share", "japan_output_index"),
    "Industry": ("japan_output_index", "japan_recycling_tpy", "japan_deep_sea_stages", "japan_environmental_impact",
                 "japan_china_share"),
}


def levers_pane_indicators(tab: str, shown: list[str], judged: list[str]) -> tuple[str | None, ...]:
    """The one-row bar over a compact screen's levers, as many as ``LEVERS_PANE_INDICATORS``: the
    quarter, the money and capital levers spend, then what the chosen tab acts on and what the
    level's objectives judge, of the indicators the bar has (``shown``)."""
    room = len(LEVERS_PANE_INDICATORS) - 3
    acts_on = [c for c in TAB_INDICATORS.get(tab, ()) if c in shown]
    wanted = acts_on[:1] + [c for c in judged if c in shown] + acts_on[1:] + list(LEVERS_PANE_INDICATORS[3:])
    chosen = list(dict.fromkeys(c for c in wanted if c not in LEVERS_PANE_INDICATORS[:3]))[:room]
    return (*LEVERS_PANE_INDICATORS[:3], *chosen)


#: The panes of a compact turn screen, one shown at a time (TurnScene.pane_buttons names them).
PANES = ("map", "charts", "supply", "levers", "news")
#: The width of the strip a compact screen's pane leaves for the tutorial's callout, in unscaled
#: pixels: room for its longest step in a few lines...
TUTORIAL_STRIP_WIDTH = 300
#: ...unless the pane would be narrower than this, its map's buttons in a row (they ran off its left).
TUTORIAL_PANE_LEAST_WIDTH = 380


@register_scene("turn")
class TurnScene(Scene):
    enter_is_end_turn = True
    #: The news scrolls by the page keys (the supply panel's, while it shows) and Home and End.
    reading_keys = PAGE_KEYS

    def __init__(self, app):
        super().__init__(app)
        self.levers = LeverPanel(self)
        self.tutorial = Tutorial(self, TUTORIAL, reword=self._tutorial_text)
        self.material: int | None = None
        self.map_area = "asia"  # or "world"
        #: What the left of the screen shows: "map" (the map over the charts) or "supply" (the
        #: supply panel in their place).
        self.view = "map"
        #: What a compact screen shows (game.ui.app.App.compact): one of PANES.
        self.pane = "map"
        self.supply_surface: tuple[pygame.Rect, pygame.Surface] | None = None
        self.supply_scroll = 0  # pixels of the supply panel scrolled past (a panel taller than its place)
        self.supply_stops: tuple[int, ...] = (0,)  # where its scroll may stop: a whole row at its top
        self.supply_lines: tuple[pygame.Rect, ...] = ()  # where its rows and notes are drawn on it
        self._warned_for = ""  # the quarter the End turn warning was last shown for
        self._quiet_quarter_began_at: float | None = None  # see end_turn
        self.chart_column = "japan_output_index"
        self.regions: dict[str, pygame.Rect] = {}
        self.map_view: MapView | None = None
        self.map_controls: tuple[pygame.Rect, ...] = ()  # buttons over the map (_build_map_controls)
        self.charts: list[tuple[pygame.Rect, pygame.Surface]] = []
        self._map_key = None
        kept = getattr(app.game, "lever_panel_kept", None)
        if kept is not None:  # back from Load, Settings or Help: the form as the player left it
            self.levers.tab, self.levers.lever_kind, self.levers.chosen = kept
        shown = getattr(app.game, "turn_view_kept", None)
        if shown is not None:  # and the panel it showed: Esc from Load brought back the map for the supply panel
            self.view, self.pane, self.material, self.map_area = shown

    @property
    def game(self):
        return self.app.game

    def _tutorial_text(self, text: str) -> str:
        """A tutorial step as the screen is now: the map's, before any flow is drawn, says when they come."""
        if text == TUTORIAL[1][1] and not any(flow.tonnes >= 0.5 for flow in flows_of(self.game.world)):
            return TUTORIAL_MAP_BEFORE_FLOWS
        return text

    def enter(self) -> None:
        game = self.game
        self.tutorial.pending = (not self.app.progress.tutorial_done and game.level_id == first_level()
                                 and game.world.turns_done == 0)
        self.show_events()

    def leave(self) -> None:
        super().leave()
        # Moving to another screen makes a new turn screen on the way back: the lever panel's tab,
        # lever and choices go with the game, or what the player had filled in was lost.
        if self.app.game is not None:
            self.app.game.lever_panel_kept = (self.levers.tab, self.levers.lever_kind, self.levers.chosen)
            self.app.game.turn_view_kept = (self.view, self.pane, self.material, self.map_area)

    def update(self, dt: float) -> None:
        self.tutorial.update()

    def show_events(self) -> None:
        if self.game.pending_events:
            events, self.game.pending_events = self.game.pending_events, []
            self.app.push("event", events=events)

    def just_closed_a_page_by_enter(self) -> bool:
        """Whether Enter closed a page over this screen a moment ago, or a quarter that brought no
        page began: an Enter now is the press before it again (End turn's own, held or doubled)."""
        now = time.monotonic()
        return any(at is not None and now - at < ENTER_PAUSE_AFTER_PAGE_SECONDS
                   for at in (self.app.enter_closed_page_at, self._quiet_quarter_began_at))

    # --- layout -----------------------------------------------------------------------
    def build(self) -> None:
        if self.app.compact:
            self._build_compact()
            return
        app, u = self.app, self.u
        w, h = app.w, app.h
        bar_h, foot_h, gap = u(50), u(52), u(8)
        left_w = round(w * 0.6)
        body_top, body_bottom = bar_h + gap, h - foot_h
        map_h = round((body_bottom - body_top) * 0.6)
        self.regions = {
            "bar": pygame.Rect(0, 0, w, bar_h),
            "map": pygame.Rect(gap, body_top, left_w - gap, map_h),
            "charts": pygame.Rect(gap, body_top + map_h + gap, left_w - gap, body_bottom - body_top - map_h - gap),
            # A short window (or a large UI scale) gives the levers more of the column than the news.
            "levers": pygame.Rect(left_w + gap, body_top, w - left_w - 2 * gap,
                                  round((body_bottom - body_top) * (0.6 if h / app.s >= 700 else 0.68))),
            "footer": pygame.Rect(0, h - foot_h, w, foot_h),
        }
        levers_rect = self.regions["levers"]
        self.regions["news"] = pygame.Rect(levers_rect.x, levers_rect.bottom + gap, levers_rect.w,
                                           body_bottom - levers_rect.bottom - gap)
        self.regions["left"] = self.regions["map"].union(self.regions["charts"])
        build_indicator_bar(self, self.regions["bar"], self.chart, self.show_objectives)
        if self.view == "supply":
            self._build_supply()
        else:
            self._build_map_controls()
        self.levers.build(levers_rect)
        self._build_news()
        self._build_footer()
        if self.view == "supply":
            self.map_view, self.charts = None, []
        else:
            self.supply_surface = None
            self._prepare_map()
            self._prepare_charts()
        if self.tutorial.active:
            self.tutorial.build(self.regions, self._japan_on_map())

    def _build_compact(self) -> None:
        """A window too small for everything at this UI scale: one pane at a time (map, charts,
        supply, levers or news) between the indicator bar in two rows and a footer that switches
        panes. The levers take the most room: over them the bar keeps one row
        (``LEVERS_PANE_INDICATORS``)."""
        app, u = self.app, self.u
        w, h = app.w, app.h
        if self.tutorial.active:  # show what the tutorial's step is about
            region = self.tutorial.steps[self.tutorial.step][0]
            if region in PANES:
                self.pane = region
        self.view = "supply" if self.pane == "supply" else "map"
        foot_h, gap = u(38), u(4)
        bar_h = u(30) if self.pane == "levers" else u(62)
        body = pygame.Rect(gap, bar_h + gap, w - 2 * gap, h - foot_h - bar_h - 2 * gap)
        callout = None
        if self.tutorial.active and self.tutorial.steps[self.tutorial.step][0] in PANES:
            # The pane fills the body, so a callout anywhere in it hid what it explained: while
            # the tutorial speaks of a pane, the pane gives up a strip at its right for it.
            strip = min(u(TUTORIAL_STRIP_WIDTH), body.w - u(TUTORIAL_PANE_LEAST_WIDTH) - gap)
            callout = pygame.Rect(body.right - strip, body.y, strip, body.h)
            if body.h < u(TUTORIAL_STRIP_WIDTH):
                # Too short for a step's text in that width (at 200% in 1280x720 it scrolled): the
                # strip reaches up over the bar's last columns, which these steps do not explain.
                callout.height, callout.top = body.bottom - gap, gap
            body.w -= strip + gap
        self.regions = {"bar": pygame.Rect(0, 0, w, bar_h), "footer": pygame.Rect(0, h - foot_h, w, foot_h),
                        "left": body, **{name: body for name in PANES}}
        if self.pane == "levers":
            # One row, for the form's room (its limit lines): kept to the turn, money and stars,
            # it hid the stockpile, output and China share while the player chose to release or
            # buy stock.
            scenario = self.app.game.scenario
            shown = [column for column, *_ in bar_indicators(scenario.objectives, scenario.unlocked_actions)]
            only = levers_pane_indicators(self.levers.tab, shown, [o.indicator for o in scenario.objectives])
            build_indicator_bar(self, self.regions["bar"], self.chart, self.show_objectives, only=only)
        else:
            build_indicator_bar(self, self.regions["bar"], self.chart, self.show_objectives, lines=2)
        self.map_view, self.charts, self.supply_surface = None, [], None
        self.levers.unbuild()
        if self.pane == "supply":
            self._build_supply()
        elif self.pane == "map":
            self._build_map_controls()
            self._prepare_map()
        elif self.pane == "charts":
            self._build_charts_controls()
            self._prepare_charts()
        elif self.pane == "levers":
            self.levers.build(body)
        else:
            self._build_news()
        self._build_compact_footer()
        if self.tutorial.active:
            self.tutorial.build(self.regions, self._japan_on_map(), place=callout)

    def _build_compact_footer(self) -> None:
        tr = self.app.tr
        foot = self.regions["footer"]
        pad, bh = self.u(4), foot.h - self.u(8)
        y = foot.y + self.u(4)
        font = self.app.font("small")
        end_w = max(self.u(96), font.size(tr("End turn"))[0] + self.u(24))
        buttons = [(tr("Menu"), self.menu, tr("Save, load, settings, help, or leave the level (Esc)."), None),
                   (tr("Undo"), self.undo, tr("Take back the last action of this turn (Ctrl+Z)."), None)]
        buttons += [(text, lambda n=name: self.show_pane(n), tip, name)
                    for name, (text, tip) in self.pane_buttons().items()]
        room = foot.w - end_w - pad * (len(buttons) + 2)
        wanted = [font.size(text)[0] + self.u(16) for text, *_ in buttons]
        widths = [room * want / sum(wanted) for want in wanted]
        x = pad
        for (text, command, tip, pane), width in zip(buttons, widths, strict=True):
            element = self.button(self.rect(x, y, width, bh), self.fit(text, width - self.u(10), "small"), command,
                                  tip, object_id="#tab" if pane else "#small_button")
            if pane == self.pane:
                element.select()
            x += width + pad
        self.end_button = self.button(self.rect(foot.right - end_w - pad, y, end_w, bh), tr("End turn"),
                                      self.end_turn, tr("Play this quarter and move to the next (Enter)."),
                                      object_id="#primary")

    def pane_buttons(self) -> dict[str, tuple[str, str]]:
        """Each pane's button text and tooltip, in PANES order."""
        tr = self.app.tr
        return {"map": (tr("Map"), tr("Last quarter's flows of rare earths on the map.")),
                "charts": (tr("Charts"), tr("Prices and the chosen indicator against history; click an indicator "
                                            "to chart it.")),
                "supply": (tr("Supply"), tr("Japan's tonnes of each material: need, arrivals, shortfall, stock "
                                            "and the quarter ahead (S).")),
                "levers": (tr("Levers"), tr("Japan's levers, by tab (keys 1-5).")),
                "news": (tr("News"), tr("This quarter's events and last quarter's news."))}

    def lever_tab_chosen(self) -> None:
        """A lever tab was chosen: over a compact screen's levers the bar shows what it acts on,
        so the screen is laid out again; else the lever panel alone."""
        if self.app.compact and self.pane == "levers":
            self.rebuild_keeping_focus()
        else:
            self.levers.refresh()

    def show_pane(self, pane: str) -> None:
        """Show one pane of the compact screen (map, charts, supply, levers or news)."""
        self.pane = pane
        self.rebuild_keeping_focus()

    def _build_supply(self) -> None:
        """The supply panel in place of the map and charts, with the way back to them."""
        tr = self.app.tr
        area = self.regions["left"]
        report = supply_report(self.game.world, JAPAN)
        last = str(self.game.world.quarter - 1)
        panel, self.supply_stops, self.supply_lines = draw_supply_panel(self.app, area.size, report, last)
        self.supply_surface = (area, panel)
        self.supply_scroll = max(stop for stop in self.supply_stops if stop <= self.supply_scroll)
        text = tr("Map")
        bw, bh = max(self.u(90), self.app.font("small").size(text)[0] + self.u(24)), self.u(28)
        self.button(self.rect(area.right - self.u(8) - bw, area.y + self.u(8), bw, bh), text, self.show_map,
                    tr("Back to the map and the charts (S)."), object_id="#small_button")

    def _build_map_controls(self) -> None:
        """The material filters and the view switch, in the map's bottom-right corner: open sea
        in both views, where they hide no nation; and the supply panel's button."""
        tr = self.app.tr
        area = self.regions["map"]
        options = [(None, tr("All"))] + [(i, m.label.split()[0]) for i, m in enumerate(MATERIALS)]
        other = "world" if self.map_area == "asia" else "asia"
        view_text = tr("World") if other == "world" else tr("Asia-Pacific")
        bw, bh, gap = self.u(64), self.u(28), self.u(4)
        supply_text = tr("Supply")
        supply_w = max(self.u(90), self.app.font("small").size(supply_text)[0] + self.u(24))
        supply_rect = self.rect(area.right - self.u(6) - supply_w, area.y + self.u(6), supply_w, bh)
        self.button(supply_rect.copy(), supply_text, self.show_supply,
                    tr("Japan's supply of each material in tonnes: need, arrivals by way, "
                       "shortfall, stock and the quarter ahead (S)."), object_id="#small_button")
        if not self.app.compact:
            self._build_charts_controls()
        view_w = max(self.u(90), self.app.font("small").size(view_text)[0] + self.u(24))
        x = area.right - self.u(6) - view_w - gap - len(options) * (bw + gap)
        y = area.bottom - self.u(6) - bh
        # What covers the map: names of nations go elsewhere (MapView.draw_flows).
        self.map_controls = (supply_rect, self.rect(x, y, area.right - self.u(6) - x, bh))
        for index, text in options:
            element = self.button(self.rect(x, y, bw, bh), text, lambda i=index: self.show_material(i),
                                  tr("Show the flows of this material on the map."), object_id="#small_button")
            if index == self.material:
                element.select()
            x += bw + gap
        self.button(self.rect(x + gap, y, view_w, bh), view_text, lambda: self.show_area(other),
                    tr("Switch the map between Asia-Pacific and the whole world."), object_id="#small_button")

    def _build_charts_controls(self) -> None:
        """The supply panel's button beside the prices."""
        tr = self.app.tr
        supply_text = tr("Supply")
        supply_w = max(self.u(90), self.app.font("small").size(supply_text)[0] + self.u(24))
        charts = self.regions["charts"]
        half = (charts.w - self.u(8)) // 2
        right = charts.x + half - self.u(6)  # the right end of the prices' chart
        # Beside the prices' title, else beside the other chart's: a narrow pane (the tutorial's
        # strip beside it at 200% in 1280x720) put the button over the prices' title.
        title_w = self.app.font("small", bold=True).size(self._chart_titles()[0])[0]
        if title_w + self.u(12) > half - self.u(6) - supply_w:
            right = charts.right - self.u(6)
        self.button(self.rect(right - supply_w, charts.y + self.u(4),
                              supply_w, self.u(24)), supply_text, self.show_supply,
                    tr("What arrived and what is short, in tonnes, beside these prices (S)."),
                    object_id="#small_button", focus=False)

    def _build_news(self) -> None:
        app, tr = self.app, self.app.tr
        game = self.game
        c = app.colours
        cards = []
        for record in game.session.this_turns_actions():
            said = game.action_text(record, app.settings.language, tr)
            # "Your action: Invest US$100M in ...": the action's words are a label, not a verb after
            # "You" ("You Invest ...", "You WTO case against China ...", as a play-tester read them).
            who = f"<font color='{c.good}'><b>{escape(tr('Your action'))}</b></font>"
            cards.append(tr("{who}: {said}", who=who, said=escape(said)))
        report = game.last_report
        if report is not None:
            cards.append(f"<b>{escape(tr('News of {quarter}', quarter=report.quarter))}</b>")
            # What Japan's own stockpile bids bought first, then the latest of the world's: the bids'
            # lines come from the market, before a busy quarter's projects pushed them out of the 14.
            own = [item for item in report.news
                   if item.kind in OWN_NEWS and dict(item.fields).get("nation_code") == JAPAN]
            kept = {id(item) for item in own}
            for item in own + [item for item in report.news if id(item) not in kept][-14:]:
                tag = tr(_NEWS_KINDS.get(item.kind, item.kind.replace('_', ' ')))
                cards.append(f"<font color='{c.accent}'>[{escape(tag)}]</font> "
                             f"{escape(game.headline(item, app.settings.language, tr))}")
        events = [n for n in game.world.news if n.quarter == game.world.quarter and n.source]
        if events:
            cards[:0] = [f"<b>{escape(tr('This quarter'))}</b>"] + [
                f"<font color='{c.china}'>[{escape(tr('event'))}]</font> "
                f"{escape(game.headline(item, app.settings.language, tr))}" for item in events]
        if not cards:
            cards.append(escape(tr("No news yet. Choose your levers, then end the turn.")))
        self.reading.append(self.text_box(self.regions["news"], "<br>".join(cards), object_id="#card"))

    def _build_footer(self) -> None:
        tr = self.app.tr
        foot = self.regions["footer"]
        pad, bh = self.u(8), foot.h - self.u(14)
        y = foot.y + self.u(7)
        x = pad
        for text, command, tip in ((tr("Menu"), self.menu, tr("Save, settings, or leave the level (Esc).")),
                                   (tr("Save"), self.save, tr("Save this game (Ctrl+S).")),
                                   (tr("Undo"), self.undo, tr("Take back the last action of this turn (Ctrl+Z).")),
                                   (tr("Help"), self.help, tr("Keys and help (F1)."))):
            width = max(self.u(96), self.app.font("text").size(text)[0] + self.u(28))
            self.button(self.rect(x, y, width, bh), text, command, tip)
            x += width + pad
        width = self.u(220)
        self.end_button = self.button(self.rect(foot.right - width - pad, y, width, bh), tr("End turn"),
                                      self.end_turn, tr("Play this quarter and move to the next (Enter)."),
                                      object_id="#primary")

    # --- map and charts ---------------------------------------------------------------
    def _japan_on_map(self) -> tuple[pygame.Rect, ...]:
        """Japan's marker and name on the map shown, in the window's coordinates (none if no map)."""
        view = self.map_view
        if view is None or JAPAN not in view.nations:
            return ()
        x, y, _ = view.position(JAPAN)
        dot = max(4, round(view.s * 6))
        marker = pygame.Rect(round(view.rect.x + x) - dot, round(view.rect.y + y) - dot, 2 * dot, 2 * dot)
        name = view.label_boxes.get(JAPAN)
        return (marker,) if name is None else (marker, name.move(view.rect.topleft))

    def notice_keeps_off(self) -> list[pygame.Rect]:
        # The notice of a lever taken sat over Japan on the map for seconds.
        return list(self._japan_on_map())

    def drawn_lines(self) -> list[pygame.Rect]:
        """The supply panel's rows and notes as they show now, scrolled (it is one picture: a
        tooltip lay over its notes)."""
        if self.supply_surface is None:
            return []
        area, _ = self.supply_surface
        heading = heading_height(self.app)
        shown = pygame.Rect(area.x, area.y + heading, area.w, area.h - heading)
        moved = (line.move(area.x, area.y - self.supply_scroll) for line in self.supply_lines)
        return [line.clip(shown) for line in moved if line.colliderect(shown)]

    def _prepare_map(self) -> None:
        world = self.game.world
        area = self.regions["map"]
        key = (area.size, self.app.s, self.app.settings.colour_blind, self.app.settings.language, self.map_area)
        if self.map_view is None or self._map_key != key:
            self.map_view = MapView(area, self.app.colours, self.app.s, self.game.scenario.world.nations,
                                    self.app.settings.language, self.map_area)
            self._map_key = key
        else:
            self.map_view.rect = area
        note = self._map_note_box()
        self.map_view.draw_flows(world, self.material, self.app.font("small"),
                                 (*self.map_controls, self._legend_box(), *([note] if note else [])))

    def map_note(self) -> str | None:
        """What the map says where it has no flows to draw yet: the flows are last quarter's, and
        a level that starts the world (the sandbox) has none before its first quarter is played
        (its first turn showed an empty map). A level continuing history draws that history's."""
        world = self.game.world
        if world.turns_done or world.quarters_simulated:
            return None
        return self.app.tr("Trade flows show here once the first quarter has been played.")

    def _map_note_box(self) -> pygame.Rect | None:
        """The note's place: open sea in the map's right half (the Pacific, in either view),
        clear of the legend, the buttons and the markers of East Asia."""
        text = self.map_note()
        if text is None:
            return None
        area, font = self.regions["map"], self.app.font("small")
        lines = self._map_note_lines(text)
        width = max(font.size(line)[0] for line in lines) + self.u(16)
        height = len(lines) * font.get_linesize() + self.u(8)
        return pygame.Rect(area.right - self.u(6) - width, area.y + round(area.h * 0.55), width, height)

    def _map_note_lines(self, text: str) -> list[str]:
        """The note in lines no wider than half the map (a whole line ran over East Asia at 200%)."""
        return wrap(text, self.app.font("small"), self.regions["map"].w // 2)

    def _draw_map_note(self, surface: pygame.Surface) -> None:
        box, text = self._map_note_box(), self.map_note()
        if box is None or text is None:
            return
        veil = pygame.Surface(box.size, pygame.SRCALPHA)
        veil.fill((0, 0, 0, 150))
        surface.blit(veil, box)
        font = self.app.font("small")
        for i, line in enumerate(self._map_note_lines(text)):
            surface.blit(font.render(line, True, self.app.colours.rgb("text")),
                         (box.x + self.u(8), box.y + self.u(4) + i * font.get_linesize()))

    def chart_rows(self) -> list[dict]:
        """The quarters the charts show: a year of the history a continued level's world was run
        through, then the level's own. Its first turn charted nothing beside the indicator bar's
        figures (the last quarter of that history), and one point of it alone would have gone
        on the next turn."""
        game = self.game
        return game.rows_before_start(HISTORY_QUARTERS_CHARTED) + (game.rows() if game.world.turns_done else [])

    def _chart_titles(self) -> tuple[str, str]:
        """The titles of the two charts: the chosen material's prices, the chosen indicator."""
        tr = self.app.tr
        m = MATERIALS[self.material] if self.material is not None else MATERIALS[0]
        return tr("{material} price (US$/kg)", material=m.label.split()[0]), tr(CHART_TITLES[self.chart_column])

    def _prepare_charts(self) -> None:
        app, tr = self.app, self.app.tr
        game = self.game
        area = self.regions["charts"]
        rows = self.chart_rows()
        first = rows[0]["quarter"] if rows else str(game.scenario.start)
        x_range = (quarter_year(first) - 0.125, quarter_year(str(game.scenario.end)) + 0.125)
        fonts = (app.font("small", bold=True), app.font("small"))
        c = app.colours
        half = (area.w - self.u(8)) // 2
        m = MATERIALS[self.material] if self.material is not None else MATERIALS[0]
        key = m.value
        price_series = [
            Series(tr("Japan"), tuple((quarter_year(r["quarter"]), r[f"price_{key}_japan"]) for r in rows),
                   c.rgb("japan"), "solid", "circle"),
            Series(tr("China"), tuple((quarter_year(r["quarter"]), r[f"price_{key}_china"]) for r in rows),
                   c.rgb("china"), "dashed", "square"),
        ]
        price_title, label = self._chart_titles()
        price_chart = draw_chart((half, area.h), price_title,
                                 price_series, reference_points(f"price_{key}_japan"),
                                 tr(history_legend(f"price_{key}_japan")), c, fonts,
                                 app.s, x_range)
        column = self.chart_column
        indicator = [Series(label, tuple((quarter_year(r["quarter"]), r[column]) for r in rows), c.rgb("accent"),
                            "solid", "circle")]
        unit = "%" if column in PERCENT_CHARTS else ""
        indicator_chart = draw_chart((area.w - half - self.u(8), area.h), label, indicator, reference_points(column),
                                     tr(history_legend(column)), c, fonts, app.s, x_range, unit=unit)
        self.charts = [(pygame.Rect(area.x, area.y, half, area.h), price_chart),
                       (pygame.Rect(area.x + half + self.u(8), area.y, area.w - half - self.u(8), area.h), indicator_chart)]

    def bounds(self) -> list[tuple[list, pygame.Rect]]:
        return [(self.levers.form, self.regions["levers"])]

    def draw(self, surface: pygame.Surface) -> None:
        if self.supply_surface is not None:
            area, panel = self.supply_surface
            heading = heading_height(self.app)
            surface.blit(panel, area, pygame.Rect(0, 0, area.w, heading))
            surface.blit(panel, (area.x, area.y + heading),
                         pygame.Rect(0, heading + self.supply_scroll, area.w, area.h - heading))
            if panel.get_height() > area.h:  # where the view is in the whole panel
                track = pygame.Rect(area.right - self.u(6), area.y + self.u(40), self.u(4), area.h - self.u(46))
                thumb_h = max(self.u(16), track.h * area.h // panel.get_height())
                thumb_y = track.y + (track.h - thumb_h) * self.supply_scroll // (panel.get_height() - area.h)
                pygame.draw.rect(surface, self.app.colours.rgb("panel_edge"), track, border_radius=self.u(2))
                pygame.draw.rect(surface, self.app.colours.rgb("accent"), (track.x, thumb_y, track.w, thumb_h),
                                 border_radius=self.u(2))
        if self.map_view is not None:
            self.map_view.draw(surface)
            self._draw_legend(surface)
            self._draw_map_note(surface)
        for rect, chart in self.charts:
            surface.blit(chart, rect)

    def _legend_entries(self) -> tuple[tuple[str, str, str], ...]:
        tr = self.app.tr
        return ((tr("open trade"), "flow", "solid"), (tr("licensed (L)"), "flow_licensed", "dashed"),
                (tr("embargoed"), "flow_embargoed", "crossed"))

    def _legend_box(self) -> pygame.Rect:
        """The flows' legend, in the map's bottom-left corner."""
        area, font, entries = self.regions["map"], self.app.font("small"), self._legend_entries()
        line_h = font.get_linesize()
        width = max(font.size(text)[0] for text, _, _ in entries) + self.u(52)
        return pygame.Rect(area.x + self.u(6), area.bottom - len(entries) * line_h - self.u(12), width,
                           len(entries) * line_h + self.u(8))

    def _draw_legend(self, surface: pygame.Surface) -> None:
        c = self.app.colours
        font = self.app.font("small")
        entries = self._legend_entries()
        line_h = font.get_linesize()
        box = self._legend_box()
        veil = pygame.Surface(box.size, pygame.SRCALPHA)
        veil.fill((0, 0, 0, 150))
        surface.blit(veil, box)
        for i, (text, colour, style) in enumerate(entries):
            y = box.y + self.u(4) + i * line_h + line_h // 2
            styled_polyline(surface, c.rgb(colour), [(box.x + self.u(6), y), (box.x + self.u(40), y)],
                            max(2, self.u(3)), style, unit=max(3, self.u(3)))
            surface.blit(font.render(text, True, c.rgb("text")), (box.x + self.u(46), y - line_h // 2))

    def draw_over(self, surface: pygame.Surface) -> None:
        if self.map_view is not None and self.app.top is self and not self.app.keyboard_mode:
            code = self.map_view.nation_at(self.app.pointer())
            if code is not None:
                self._draw_nation_card(surface, code)
        if self.tutorial.active:
            self.tutorial.draw(surface, self.regions)

    def _draw_nation_card(self, surface: pygame.Surface, code: str) -> None:
        """What the map knows of a nation, under the pointer: its prices and last quarter's trade."""
        app, tr, world = self.app, self.app.tr, self.game.world
        nation = world.nation(code)
        i = world.nation_index(code)
        name = nation.name if app.settings.language == "en" or not getattr(nation, "name_ja", "") else nation.name_ja
        lines = [name]
        for m, material in enumerate(MATERIALS):
            lines.append(tr("{material}: US${price:,.2f}/kg", material=material.label.split()[0],
                            price=float(world.prices[i, m])))
        exported = float(world.receipts[:, i, :].sum() - world.receipts[:, i, i].sum())
        imported = float(world.receipts[:, :, i].sum() - world.receipts[:, i, i].sum())
        lines.append(tr("Exported {out:,.0f} t, imported {into:,.0f} t last quarter", out=exported, into=imported))
        font = app.font("small")
        pad = self.u(6)
        width = max(font.size(line)[0] for line in lines) + 2 * pad
        height = len(lines) * font.get_linesize() + 2 * pad
        x, y = self.app.pointer()
        box = pygame.Rect(min(x + self.u(14), app.w - width), min(y + self.u(14), app.h - height), width, height)
        pygame.draw.rect(surface, (11, 15, 20), box)
        pygame.draw.rect(surface, app.colours.rgb("accent"), box, 1)
        for k, line in enumerate(lines):
            colour = app.colours.rgb("text") if k else app.colours.rgb("focus")
            surface.blit(font.render(line, True, colour), (box.x + pad, box.y + pad + k * font.get_linesize()))

    # --- input ------------------------------------------------------------------------
    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.MOUSEWHEEL and self.supply_surface is not None \
                and self.supply_surface[0].collidepoint(self.app.pointer()):
            return self.scroll_supply(-event.y * self.u(40))
        if event.type != pygame.KEYDOWN:
            return False
        if event.key in (pygame.K_PAGEUP, pygame.K_PAGEDOWN) and self.supply_surface is not None \
                and not self.tutorial.active:
            page = self.supply_surface[0].h - self.u(60)
            return self.scroll_supply(page if event.key == pygame.K_PAGEDOWN else -page)
        ctrl = bool(event.mod & (pygame.KMOD_CTRL | pygame.KMOD_META))
        if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            if self.just_closed_a_page_by_enter():
                return True
            # In the tutorial Enter presses its focused button: Next, or Skip once the player has
            # moved there (Enter on Skip went on to the next step).
            if not (self.tutorial.active and self.activate_focused()):
                self.app.later(self.tutorial.next if self.tutorial.active else self.end_turn)
            return True
        if self.tutorial.active:
            return False
        if ctrl and event.key == pygame.K_z:
            self.app.later(self.undo)
            return True
        if ctrl and event.key == pygame.K_s:
            self.app.later(self.save)
            return True
        if not ctrl and event.key == pygame.K_o and self.game.scenario.objectives:
            self.app.later(self.show_objectives)
            return True
        if not ctrl and event.key == pygame.K_s:
            self.app.later(self.show_map if self.view == "supply" else self.show_supply)
            return True
        if not ctrl and pygame.K_1 <= event.key <= pygame.K_5:
            tab = TABS[event.key - pygame.K_1]
            self.app.later(lambda: self.levers.choose_tab(tab))
            return True
        return False

    def back(self) -> None:
        if self.tutorial.active:
            self.tutorial.end()
        else:
            self.menu()

    # --- commands ---------------------------------------------------------------------
    def scroll_supply(self, by: int) -> bool:
        """Scroll the supply panel about ``by`` pixels (down if positive), to the stop at or
        before that place (at least the next one), so a whole row shows at the top."""
        now, stops = self.supply_scroll, self.supply_stops
        if by > 0:
            ahead = [stop for stop in stops if stop > now]
            if ahead:
                self.supply_scroll = max([ahead[0]] + [stop for stop in ahead if stop <= now + by])
        elif by < 0:
            behind = [stop for stop in stops if stop < now]
            if behind:
                self.supply_scroll = min([behind[-1]] + [stop for stop in behind if stop >= now + by])
        return True

    def chart(self, column: str) -> None:
        self.chart_column = column
        if self.app.compact:
            self.show_pane("charts")
        elif self.view == "supply":  # the supply panel fills the charts' place: back to the map and charts
            self.show_map()          # (the charts were drawn over the panel's rows)
        else:
            self._prepare_charts()

    def show_area(self, area: str) -> None:
        self.map_area = area
        self.rebuild_keeping_focus()

    def show_supply(self) -> None:
        self.view = self.pane = "supply"
        self.rebuild_keeping_focus()

    def show_map(self) -> None:
        self.view = self.pane = "map"
        self.rebuild_keeping_focus()

    def show_objectives(self) -> None:
        self.app.push("objectives")

    def show_material(self, index: int | None) -> None:
        self.material = index
        self.app.rebuild()

    def undo(self) -> None:
        undone = self.game.undo()
        if undone is None:
            self.app.notify(self.app.tr("Nothing to undo this turn."), "info", 3.0, of_turn=True)
        else:
            said = self.game.action_text(undone, self.app.settings.language, self.app.tr)
            self.app.notify(self.app.tr("Undone: {what}", what=said), "ok", 3.0, of_turn=True)
        self.rebuild_keeping_focus()

    def save(self) -> None:
        try:
            name = self.game.save()
        except OSError as error:
            self.app.notify(self.app.tr("Could not save: {reason}", reason=storage.describe_write_error(error, self.app.tr)),
                            "error")
            return
        self.app.notify(self.app.tr("Saved as {name}", name=name), "ok", 3.0)

    def help(self) -> None:
        self.app.show_help = True

    def menu(self) -> None:
        self.app.push("menu")

    def warnings(self) -> list[str]:
        """What the player may want to know before the quarter is played: objectives it can
        break, and political capital that would go to waste."""
        app, tr, game = self.app, self.app.tr, self.game
        lines = []
        projected = projected_output(game)
        for standing in at_risk(game, projected):
            detail = describe(app, standing)
            parts = dict(stars="★" * standing.objective.star, state=tr(STATES["at_risk"][1]),
                         objective=app.language.pick(standing.objective.text, standing.objective.id),
                         detail=detail[:1].upper() + detail[1:])  # a sentence of its own ("Lowest 0.98 ...")
            if projected is not None and standing.objective.indicator == "japan_output_index":
                lines.append(tr("{stars} {objective}: {state}. {detail}. If the market brings no more than last "
                                "quarter, output could fall to about {projected:.2f} (see Supply).",
                                projected=projected, **parts))
            else:
                lines.append(tr("{stars} {objective}: {state}. {detail}", **parts))
        lines += self._bids_against_industry(projected)
        japan, assumptions = game.world.nation(JAPAN), game.world.assumptions
        gain, most = assumptions.political_capital_per_quarter, assumptions.political_capital_max
        wasted = japan.political_capital + gain - most
        if wasted > 0.5 and game.world.quarter < game.scenario.end and self._capital_has_a_use():
            if wasted >= gain - 0.5:  # "2 of the 2 it gains", as a play-tester read it: all of it
                lines.append(tr("Political capital is {now:.0f}, and holds at most {most:.0f}: all {gain:.0f} it "
                                "gains next quarter will go to waste unless some is used now.",
                                now=japan.political_capital, most=most, gain=gain))
            else:
                lines.append(tr("Political capital is {now:.0f}, and holds at most {most:.0f}: {wasted:.0f} of the "
                                "{gain:.0f} it gains next quarter will go to waste unless some is used now.",
                                now=japan.political_capital, most=most, wasted=wasted, gain=gain))
        return lines

    def _capital_has_a_use(self) -> bool:
        """Whether a lever of this level that costs political capital could take some now: in
        2019 talks were the only one, at tension's usual level they eased nothing, and the
        warning that capital would go to waste came every turn, urging the player to waste it."""
        world = self.game.world
        held = world.nation(JAPAN).political_capital
        for kind in self.game.scenario.unlocked_actions or JAPAN_LEVERS:
            lever = ACTION_TYPES[kind]
            if not 0 < lever.capital <= held:
                continue
            if lever is not HoldTalks or any(world.diplomacy.talks_would_ease(JAPAN, code) >= TALKS_EASE_AT_LEAST
                                             for code in world.nation_codes if code != JAPAN):
                return True
        return False

    def _bids_against_industry(self, projected: float | None) -> list[str]:
        """Japan's stockpile bids this quarter at or above Japan's price, while an output objective
        is being judged: the state then buys the tonnes its own industry needs (a play-tester's
        1,500 t bid at US$400/kg took them, output fell to 0.89 and a star was lost, and End turn
        warned of nothing, its forecast being of the market alone)."""
        tr, world = self.app.tr, self.game.world
        judged = [s for s in objective_standings(self.game, projected)
                  if judged_by_projection(s.objective) and s.state in ("on_track", "at_risk", "behind")]
        if not judged:
            return []
        japan = world.nation_index(JAPAN)
        bids: dict[int, tuple[float, float]] = {}  # material -> (tonnes, highest cap) of the bids likely to buy
        for m, tonnes, cap in world.nation(JAPAN).purchase_orders:
            if cap >= float(world.prices[japan, m]):
                held, most = bids.get(m, (0.0, 0.0))
                bids[m] = (held + tonnes, max(most, cap))
        return [tr("The stockpile bids for {tonnes:,.0f} t of {material}, up to US${cap:,.2f}/kg, compete with Japan's "
                   "own industry for this quarter's tonnes: its output could fall.",
                   tonnes=tonnes, material=tr(MATERIALS[m].label), cap=cap)
                for m, (tonnes, cap) in sorted(bids.items())]

    def end_turn(self) -> None:
        if self.app.top is not self:
            return
        game = self.game
        if game.session.is_over:
            return
        quarter = str(game.world.quarter)
        if self.app.settings.warn_before_end and self._warned_for != quarter:
            self._warned_for = quarter  # once a turn: the next End turn plays it
            warnings = self.warnings()
            if warnings:
                self.app.push("warning", warnings=warnings, end_turn=self.end_turn)
                return
        report = game.end_turn()
        self.app.drop_turn_notices()  # what was said of the quarter's moves stays with that quarter
        if game.session.is_over:
            result = game.result()
            if game.scenario.objectives:
                self.app.progress.note(game.level_id, result.stars)
                self.app.keep_progress(stars=True)
            self.app.switch("debrief")
            return
        self.app.save_progress_kept_waiting()
        self.focus = -1
        self.app.rebuild()
        if report.save_error is not None:
            reason = (report.save_error if report.save_failure is None
                      else storage.describe_write_error(report.save_failure, self.app.tr))
            self.app.notify(self.app.tr("Autosave failed, the game goes on: {reason}", reason=reason), "error", 6.0)
        self.show_events()
        if self.app.top is self:
            # A quarter without news opens no page, and nothing said it had begun: a player who
            # pressed Enter to close the page they expected (the events page teaches "Enter or
            # Esc") ended this quarter too, unplayed.
            self._quiet_quarter_began_at = time.monotonic()
            # Of this quarter: it goes when the quarter ends (three of them piled up over a level's
            # last quarters, and stayed over the next level's first).
            self.app.notify(self.app.tr("{quarter} begins: no news this quarter.", quarter=str(game.world.quarter)),
                            of_turn=True)
