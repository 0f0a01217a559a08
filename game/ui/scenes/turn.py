"""The turn screen: indicators, the map of flows, charts against history, the news, the levers.

Enter ends the turn; Space presses the focused button. Every lever builds an Action and hands
it to the session; the screen never changes the world itself.
"""

from __future__ import annotations

import pygame

from game.scenario.reference import reference_points
from game.ui.chart import Series, draw_chart, quarter_year
from game.ui.levers import LEVER_BY_KIND, LEVERS, TABS, Lever, build_action
from game.ui.mapview import MapView
from game.ui.scene import Scene, escape
from game.ui.scenes.campaign import stars_text
from game.vocab.materials import MATERIALS

#: Indicators on the bar: (column, label, how it reads, the tooltip).
INDICATORS = (
    ("japan_budget_musd", "Budget", "US${v:,.0f}M",
     "Money left this quarter for levers. A new allowance arrives every quarter; unspent money carries over."),
    ("japan_political_capital", "Political capital", "{v:.0f}",
     "Spent by diplomacy, proposals and rules; it comes back slowly each quarter."),
    ("japan_output_index", "Output index", "{v:.2f}",
     "How fully Japan's factories were supplied last quarter: 1.00 means every order filled."),
    ("japan_china_share", "China share", "{v:.0%}",
     "Share of the rare earths Japan received last quarter that came from China."),
    ("japan_stockpile_days", "Stockpile", "{v:.0f} days",
     "Days of Japan's use the national stockpile would cover."),
    ("china_tension_japan", "Tension", "{v:.2f}",
     "Tension between China and Japan, 0 to 1. High tension invites export pressure; talks ease it."),
    ("japan_secured_share", "Secured", "{v:.0%}",
     ("Tonnes a year secured outside China (contracts still to run, offtake rights in projects being built) "
     "over a year of Japan's needs.")),
)

CHARTABLE = ("japan_output_index", "japan_china_share", "japan_stockpile_days", "japan_budget_musd",
             "china_tension_japan", "japan_political_capital", "japan_secured_share")

TUTORIAL = (
    ("bar", ("The indicator bar: the date, your budget and political capital, and how Japan's industry is doing. "
            "Point at any of them (or Tab to it) to learn what it measures; click one to chart it.")),
    ("map", ("The map: last quarter's flows of rare earths. Wider arrows carry more tonnes. Solid is open "
            "trade, dashed with an L is licensed, crossed is embargoed.")),
    ("charts", ("The charts: prices and the chosen indicator, quarter by quarter. White diamonds are what "
               "really happened, from the reference data.")),
    ("news", "The news of the turn: events, deals, breaches and what other nations did, with your own actions."),
    ("levers", ("The levers: pick a tab, choose a lever and its settings, and take it. Each shows its cost and "
               "how long it takes; point at it to read how it works. Ctrl+Z undoes an action this turn.")),
    ("end", ("End the turn with this button or Enter. The quarter is played and the next one begins. F1 shows "
            "every key. Good luck.")),
)


class TurnScene(Scene):
    enter_is_end_turn = True

    def __init__(self, app):
        super().__init__(app)
        self.tab = TABS[0]
        self.lever_kind = LEVERS[0].kind
        self.values: dict[str, dict[str, int]] = {}  # lever -> choice -> option index
        self.material: int | None = None
        self.map_area = "asia"  # or "world"
        self.chart_column = "japan_output_index"
        self.tutorial = -1
        self.tutorial_pending = False
        self.regions: dict[str, pygame.Rect] = {}
        self.map_view: MapView | None = None
        self.form: list = []  # the chosen lever's widgets, which must stay inside the lever panel
        self.charts: list[tuple[pygame.Rect, pygame.Surface]] = []
        self._map_key = None

    @property
    def game(self):
        return self.app.game

    def enter(self) -> None:
        game = self.game
        self.tutorial_pending = (not self.app.progress.tutorial_done and game.level_id == _first_level()
                                 and game.world.turns_done == 0)
        self.show_events()

    def update(self, dt: float) -> None:
        # The tutorial waits until the quarter's event pop-ups have been read.
        if self.tutorial_pending and self.app.top is self:
            self.tutorial_pending = False
            self.tutorial = 0
            self.app.rebuild()

    def show_events(self) -> None:
        if self.game.pending_events:
            from game.ui.scenes.event import EventScene

            events, self.game.pending_events = self.game.pending_events, []
            self.app.push(EventScene(self.app, events))

    # --- layout -----------------------------------------------------------------------
    def build(self) -> None:
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
            "levers": pygame.Rect(left_w + gap, body_top, w - left_w - 2 * gap, round((body_bottom - body_top) * 0.6)),
            "footer": pygame.Rect(0, h - foot_h, w, foot_h),
        }
        levers_rect = self.regions["levers"]
        self.regions["news"] = pygame.Rect(levers_rect.x, levers_rect.bottom + gap, levers_rect.w,
                                           body_bottom - levers_rect.bottom - gap)
        self._build_bar()
        self._build_map_controls()
        self._build_levers()
        self._build_news()
        self._build_footer()
        self._prepare_map()
        self._prepare_charts()
        if self.tutorial >= 0:
            self._build_tutorial()
        if self.focus < 0 and self.tutorial < 0:
            self.focus = -1

    def _build_bar(self) -> None:
        _app, tr = self.app, self.app.tr
        game, world = self.game, self.game.world
        bar = self.regions["bar"]
        japan = world.nation("JPN")
        rows = game.rows() if world.turns_done else []
        last = rows[-1] if rows else {}
        now = {"japan_budget_musd": japan.budget_musd, "japan_political_capital": japan.political_capital,
               "china_tension_japan": float(world.nation("CHN").tension.get("JPN", 0.0)) if world.has_nation("CHN") else 0.0}
        items = [(None, tr("Turn {n} of {total}", n=world.turns_done + 1, total=game.scenario.n_turns),
                  str(world.quarter), tr("One turn is a quarter. The level ends after {end}.", end=game.scenario.end))]
        for column, label, fmt, tip in INDICATORS:
            value = now.get(column, last.get(column))
            items.append((column, tr(label), "-" if value is None else tr(fmt, v=value), tr(tip)))
        if game.scenario.objectives:
            result = game.result() if rows else None
            items.append(("stars", tr("Stars so far"), stars_text(result.stars if result else 0),
                          tr("Stars the level would give if it ended now.")))
        pad = self.u(4)
        width = (bar.w - pad * (len(items) + 1)) / len(items)
        for i, (column, label, value, tip) in enumerate(items):
            rect = self.rect(pad + i * (width + pad), pad, width, bar.h - 2 * pad)
            text = f"{label}: {value}"
            command = (lambda c=column: self.chart(c)) if column in CHARTABLE else (lambda: None)
            self.button(rect, text, command, tip, object_id="#indicator", focus=column in CHARTABLE)

    def _build_map_controls(self) -> None:
        """The material filters and the view switch, in the map's bottom-right corner: open sea
        in both views, where they hide no nation."""
        tr = self.app.tr
        area = self.regions["map"]
        options = [(None, tr("All"))] + [(i, m.label.split()[0]) for i, m in enumerate(MATERIALS)]
        other = "world" if self.map_area == "asia" else "asia"
        view_text = tr("World") if other == "world" else tr("Asia-Pacific")
        bw, bh, gap = self.u(64), self.u(28), self.u(4)
        view_w = max(self.u(90), self.app.font("small").size(view_text)[0] + self.u(24))
        x = area.right - self.u(6) - view_w - gap - len(options) * (bw + gap)
        y = area.bottom - self.u(6) - bh
        for index, text in options:
            element = self.button(self.rect(x, y, bw, bh), text, lambda i=index: self.show_material(i),
                                  tr("Show the flows of this material on the map."), object_id="#small_button")
            if index == self.material:
                element.select()
            x += bw + gap
        self.button(self.rect(x + gap, y, view_w, bh), view_text, lambda: self.show_area(other),
                    tr("Switch the map between Asia-Pacific and the whole world."), object_id="#small_button")

    def _build_levers(self) -> None:
        """The lever panel: its widgets live in one panel so a change of tab, lever or choice
        rebuilds only the panel (see refresh_levers), not the whole screen."""
        tr = self.app.tr
        area = self.regions["levers"]
        self.lever_panel = self.panel(area)
        inner = self.lever_panel.get_container().get_rect()  # inside the panel's border
        self._lever_span = (len(self.focusables), len(self.texts))
        self._inside = (self.lever_panel, inner.topleft)
        try:
            self._build_lever_widgets(inner, tr)
        finally:
            self._inside = None
        self._lever_span = (*self._lever_span, len(self.focusables), len(self.texts))

    def refresh_levers(self) -> None:
        """Build the lever panel again in place, keeping its place in the focus order and the
        focus on the same button."""
        focused = self.focused()
        label = focused.element.text if focused else None
        position = self.focus
        first_focus, first_text, end_focus, end_text = self._lever_span
        after_focus, after_text = self.focusables[end_focus:], self.texts[end_text:]
        self.lever_panel.kill()
        self.focusables, self.texts = self.focusables[:first_focus], self.texts[:first_text]
        self._build_levers()
        self.focusables += after_focus
        self.texts += after_text
        same = [i for i, f in enumerate(self.focusables) if f.element.text == label and f.element.is_enabled]
        self.focus = min(same, key=lambda i: abs(i - position)) if same else position

    def _build_lever_widgets(self, area: pygame.Rect, tr) -> None:
        pad = self.u(6)
        tab_w = (area.w - pad * (len(TABS) + 1)) / len(TABS)
        tab_h = self.u(32)
        for i, tab in enumerate(TABS):
            element = self.button(self.rect(area.x + pad + i * (tab_w + pad), area.y + pad, tab_w, tab_h), tr(tab),
                                  lambda t=tab: self.choose_tab(t), tr("Levers: {tab} (key {n})", tab=tr(tab), n=i + 1),
                                  object_id="#tab")
            if tab == self.tab:
                element.select()
        top = area.y + pad * 2 + tab_h
        list_w = round(area.w * 0.36)
        levers = [lever for lever in LEVERS if lever.tab == self.tab]
        if self.lever_kind not in [lever.kind for lever in levers]:
            self.lever_kind = levers[0].kind
        unlocked = self.game.scenario.unlocked_actions
        y = top
        for lever in levers:
            is_open = not unlocked or lever.kind in unlocked
            text = tr(lever.short)
            element = self.button(self.rect(area.x + pad, y, list_w - pad, self.u(34)), text,
                                  lambda k=lever.kind: self.choose_lever(k),
                                  tr(lever.mechanism) if is_open else tr("Locked in this level."),
                                  object_id="#small_button")
            if lever.kind == self.lever_kind:
                element.select()
            y += self.u(38)
        self._build_form(LEVER_BY_KIND[self.lever_kind],
                         pygame.Rect(area.x + list_w + pad, top, area.w - list_w - 2 * pad, area.bottom - top - pad),
                         not unlocked or self.lever_kind in unlocked)

    def _build_form(self, lever: Lever, area: pygame.Rect, is_open: bool) -> None:
        _app, tr = self.app, self.app.tr
        world = self.game.world
        line = self.u(24)
        y = area.y
        self.form = [self.label(pygame.Rect(area.x, y, area.w, line), self.fit(tr(lever.title), area.w))]
        y += line + self.u(2)
        values = self._values(lever)
        arrow, row = self.u(30), self.u(30)
        label_w = round(area.w * 0.28)
        value_x = area.x + label_w + arrow + self.u(4)
        value_w = area.w - label_w - 2 * arrow - self.u(8)
        for choice in lever.choices:
            options = choice.options(world)
            index = self._index(lever, choice, options)
            self.form.append(self.label(self.rect(area.x, y, label_w, row), self.fit(tr(choice.label), label_w, "small"),
                                        "#small"))
            shown = tr(options[index][1], v=options[index][0]) if options else "-"
            self.form.append(self.button(self.rect(area.x + label_w, y, arrow, row), "◀",
                                         lambda l=lever, c=choice: self.step(l, c, -1),
                                         tr("Previous {what}", what=tr(choice.label).lower()), object_id="#small_button",
                                         enabled=is_open))
            self.form.append(self.label(self.rect(value_x, y, value_w, row), self.fit(shown, value_w - self.u(4), "small"),
                                        "#small"))
            self.form.append(self.button(self.rect(area.right - arrow, y, arrow, row), "▶",
                                         lambda l=lever, c=choice: self.step(l, c, 1),
                                         tr("Next {what}", what=tr(choice.label).lower()), object_id="#small_button",
                                         enabled=is_open))
            y += row + self.u(4)
        money = lever.money(world, values) if None not in values.values() else 0.0
        cost = tr("Cost: US${money:,.0f}M, {capital:.0f} political capital", money=money, capital=lever.capital)
        self.form.append(self.label(pygame.Rect(area.x, y, area.w, line), self.fit(cost, area.w, "small"), "#small"))
        y += line
        template, fields = lever.lead(world, values)
        fields = {k: tr(v) if isinstance(v, str) else v for k, v in fields.items()}
        lead = tr("Takes: {lead}", lead=tr(template, **fields))
        self.form.append(self.label(pygame.Rect(area.x, y, area.w, line), self.fit(lead, area.w, "small"), "#small"))
        y += line + self.u(4)
        text = tr("Negotiate…") if lever.opens_dialog else tr("Take action")
        self.take_button = self.button(self.rect(area.x, y, area.w, self.u(36)), text, lambda l=lever: self.take(l),
                                       tr(lever.mechanism) if is_open else tr("Locked in this level."),
                                       object_id="#primary", enabled=is_open)
        self.form.append(self.take_button)

    def _index(self, lever: Lever, choice, options: list) -> int:
        """The option shown for a choice: the player's, else the lever's default; a sum of money
        the budget cannot pay is offered at the largest it can (so the first press works)."""
        chosen = self.values.setdefault(lever.kind, {})
        if choice.name in chosen:
            return min(chosen[choice.name], len(options) - 1)
        index = min(choice.default, len(options) - 1)
        if choice.name == "amount" and options:
            budget = self.game.world.nation("JPN").budget_musd
            while index > 0 and options[index][0] > budget:
                index -= 1
        return index

    def _values(self, lever: Lever) -> dict:
        world = self.game.world
        values = {}
        for choice in lever.choices:
            options = choice.options(world)
            index = self._index(lever, choice, options)
            values[choice.name] = options[index][0] if options else None
        return values

    def _build_news(self) -> None:
        app, tr = self.app, self.app.tr
        game = self.game
        c = app.colours
        cards = []
        for record in game.session.this_turns_actions():
            cards.append(f"<font color='{c.good}'><b>{escape(tr('You'))}</b></font> {escape(record.message)}")
        report = game.last_report
        if report is not None:
            cards.append(f"<b>{escape(tr('News of {quarter}', quarter=report.quarter))}</b>")
            for item in report.news[-14:]:
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
        self.text_box(self.regions["news"], "<br>".join(cards), object_id="#card")

    def _build_footer(self) -> None:
        _app, tr = self.app, self.app.tr
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
        self.map_view.draw_flows(world, self.material, self.app.font("small"))

    def _prepare_charts(self) -> None:
        app, tr = self.app, self.app.tr
        game = self.game
        area = self.regions["charts"]
        rows = game.rows() if game.world.turns_done else []
        x_range = (quarter_year(str(game.scenario.start)) - 0.125, quarter_year(str(game.scenario.end)) + 0.125)
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
        price_chart = draw_chart((half, area.h), tr("{material} price (US$/kg)", material=m.label.split()[0]),
                                 price_series, reference_points(f"price_{key}_japan"), tr("History"), c, fonts,
                                 app.s, x_range)
        column = self.chart_column
        label = next((tr(lbl) for col, lbl, _, _ in INDICATORS if col == column), column)
        indicator = [Series(label, tuple((quarter_year(r["quarter"]), r[column]) for r in rows), c.rgb("accent"),
                            "solid", "circle")]
        unit = "%" if column == "japan_china_share" else ""
        indicator_chart = draw_chart((area.w - half - self.u(8), area.h), label, indicator, reference_points(column),
                                     tr("History"), c, fonts, app.s, x_range, unit=unit)
        self.charts = [(pygame.Rect(area.x, area.y, half, area.h), price_chart),
                       (pygame.Rect(area.x + half + self.u(8), area.y, area.w - half - self.u(8), area.h), indicator_chart)]

    def bounds(self) -> list[tuple[list, pygame.Rect]]:
        return [(self.form, self.regions["levers"])]

    def draw(self, surface: pygame.Surface) -> None:
        if self.map_view is not None:
            self.map_view.draw(surface)
            self._draw_legend(surface)
        for rect, chart in self.charts:
            surface.blit(chart, rect)

    def _draw_legend(self, surface: pygame.Surface) -> None:
        from game.ui.drawing import styled_polyline

        app, tr, c = self.app, self.app.tr, self.app.colours
        area = self.regions["map"]
        font = app.font("small")
        entries = ((tr("open trade"), "flow", "solid"), (tr("licensed (L)"), "flow_licensed", "dashed"),
                   (tr("embargoed"), "flow_embargoed", "crossed"))
        line_h = font.get_linesize()
        width = max(font.size(text)[0] for text, _, _ in entries) + self.u(52)
        box = pygame.Rect(area.x + self.u(6), area.bottom - len(entries) * line_h - self.u(12), width,
                          len(entries) * line_h + self.u(8))
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
            code = self.map_view.nation_at(pygame.mouse.get_pos())
            if code is not None:
                self._draw_nation_card(surface, code)
        if self.tutorial >= 0:
            region, _ = TUTORIAL[self.tutorial]
            rect = self.regions["footer"] if region == "end" else self.regions[region]
            pygame.draw.rect(surface, self.app.colours.rgb("focus"), rect.inflate(self.u(4), self.u(4)),
                             max(3, self.u(4)), border_radius=self.u(6))

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
        x, y = pygame.mouse.get_pos()
        box = pygame.Rect(min(x + self.u(14), app.w - width), min(y + self.u(14), app.h - height), width, height)
        pygame.draw.rect(surface, (11, 15, 20), box)
        pygame.draw.rect(surface, app.colours.rgb("accent"), box, 1)
        for k, line in enumerate(lines):
            colour = app.colours.rgb("text") if k else app.colours.rgb("focus")
            surface.blit(font.render(line, True, colour), (box.x + pad, box.y + pad + k * font.get_linesize()))

    # --- the tutorial -----------------------------------------------------------------
    def _build_tutorial(self) -> None:
        app, tr = self.app, self.app.tr
        region, text = TUTORIAL[self.tutorial]
        target = self.regions["footer"] if region == "end" else self.regions[region]
        width, height = min(self.u(460), app.w - self.u(40)), self.u(190)
        x = min(max(self.u(20), target.centerx - width // 2), app.w - width - self.u(20))
        y = target.bottom + self.u(12) if target.bottom + height + self.u(12) < app.h else target.top - height - self.u(12)
        y = min(max(self.u(10), y), app.h - height - self.u(10))
        box = self.panel(pygame.Rect(x, y, width, height), layer=20)
        self.text_box(pygame.Rect(0, 0, width, height - self.u(52)),
                      f"<b>{escape(tr('Tutorial {n} of {total}', n=self.tutorial + 1, total=len(TUTORIAL)))}</b><br>"
                      f"{escape(tr(text))}", container=box)
        self.focusables = []  # while the tutorial speaks, only its buttons take the keys
        bw = (width - self.u(30)) // 2
        self.button(self.rect(self.u(8), height - self.u(46), bw, self.u(38)), tr("Skip tutorial"), self.end_tutorial,
                    container=box)
        self.button(self.rect(width - bw - self.u(14), height - self.u(46), bw, self.u(38)),
                    tr("Next") if self.tutorial < len(TUTORIAL) - 1 else tr("Start playing"), self.next_tip,
                    object_id="#primary", container=box)
        self.focus = len(self.focusables) - 1

    def next_tip(self) -> None:
        self.tutorial += 1
        if self.tutorial >= len(TUTORIAL):
            self.end_tutorial()
        else:
            self.app.rebuild()

    def end_tutorial(self) -> None:
        self.tutorial = -1
        self.focus = -1
        self.app.progress.tutorial_done = True
        self.app.progress.save()
        self.app.rebuild()

    # --- input ------------------------------------------------------------------------
    def handle(self, event: pygame.event.Event) -> bool:
        if event.type != pygame.KEYDOWN:
            return False
        ctrl = bool(event.mod & (pygame.KMOD_CTRL | pygame.KMOD_META))
        if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.app.later(self.next_tip if self.tutorial >= 0 else self.end_turn)
            return True
        if self.tutorial >= 0:
            return False
        if ctrl and event.key == pygame.K_z:
            self.app.later(self.undo)
            return True
        if ctrl and event.key == pygame.K_s:
            self.app.later(self.save)
            return True
        if not ctrl and pygame.K_1 <= event.key <= pygame.K_5:
            tab = TABS[event.key - pygame.K_1]
            self.app.later(lambda: self.choose_tab(tab))
            return True
        return False

    def back(self) -> None:
        if self.tutorial >= 0:
            self.end_tutorial()
        else:
            self.menu()

    # --- commands ---------------------------------------------------------------------
    def chart(self, column: str) -> None:
        self.chart_column = column
        self._prepare_charts()

    def show_area(self, area: str) -> None:
        self.map_area = area
        self.rebuild_keeping_focus()

    def show_material(self, index: int | None) -> None:
        self.material = index
        self.app.rebuild()

    def choose_tab(self, tab: str) -> None:
        self.tab = tab
        self.lever_kind = next(lever.kind for lever in LEVERS if lever.tab == tab)
        self.refresh_levers()

    def choose_lever(self, kind: str) -> None:
        self.lever_kind = kind
        self.refresh_levers()

    def step(self, lever: Lever, choice, direction: int) -> None:
        options = choice.options(self.game.world)
        if not options:
            return
        chosen = self.values.setdefault(lever.kind, {})
        index = self._index(lever, choice, options)
        chosen[choice.name] = (index + direction) % len(options)
        self.refresh_levers()

    def take(self, lever: Lever) -> None:
        if lever.opens_dialog:
            from game.ui.scenes.negotiation import NegotiationScene

            self.app.push(NegotiationScene(self.app))
            return
        action = build_action(lever, self.game.world, self._values(lever))
        if action is None:
            self.app.notify(self.app.tr("Nothing to choose for this lever now."), "error")
            return
        record = self.game.submit(action)
        self.app.notify(record.message if record.accepted else self.app.tr("Refused: {reason}", reason=record.message),
                        "ok" if record.accepted else "error")
        self.rebuild_keeping_focus()

    def undo(self) -> None:
        undone = self.game.undo()
        if undone is None:
            self.app.notify(self.app.tr("Nothing to undo this turn."), "info", 3.0)
        else:
            self.app.notify(self.app.tr("Undone: {what}", what=undone.message), "ok", 3.0)
        self.rebuild_keeping_focus()

    def save(self) -> None:
        try:
            name = self.game.save()
        except OSError as error:
            self.app.notify(self.app.tr("Could not save: {reason}", reason=error.strerror or str(error)), "error")
            return
        self.app.notify(self.app.tr("Saved as {name}", name=name), "ok", 3.0)

    def help(self) -> None:
        self.app.show_help = True

    def menu(self) -> None:
        from game.ui.scenes.menu import MenuScene

        self.app.push(MenuScene(self.app))

    def end_turn(self) -> None:
        if self.app.top is not self:
            return
        game = self.game
        if game.session.is_over:
            return
        game.end_turn()
        if game.session.is_over:
            from game.ui.scenes.debrief import DebriefScene

            result = game.result()
            if game.scenario.objectives:
                self.app.progress.record(game.level_id, result.stars)
            self.app.switch(DebriefScene(self.app))
            return
        self.focus = -1
        self.app.rebuild()
        self.show_events()


_NEWS_KINDS = {"deal": "deal", "project": "project", "doctrine": "policy", "wto": "WTO", "firm": "firm",
               "diplomacy": "diplomacy", "research": "research", "deep_sea": "deep sea", "breach": "breach"}


def _first_level() -> str:
    from game.ui import levels

    entries = levels.campaign().entries
    return entries[0].level if entries else ""
