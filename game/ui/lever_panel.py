"""The lever panel of the turn screen: a tab per kind of lever, the levers of the chosen tab,
and the chosen lever's form (each choice stepped with ◀ ▶, which stop at the ends; an amount's
value is a button that opens the amount dialog to type it, or take all or what is needed; the
limits, the cost and lead time, Take action).

Its widgets live in one pygame_gui panel, so a change of tab, lever or choice rebuilds only
the panel (``refresh``), not the whole screen. Taking a lever builds its Action and submits it
through the game; the panel never changes the world itself.
"""

from __future__ import annotations

import time

import pygame

from game.ui.levers import (
    LEVER_BY_KIND,
    LEVERS,
    TABS,
    Choice,
    ChoiceValues,
    Lever,
    build_action,
    cannot_take,
    cost_line,
    limit_line,
    option_text,
)
from game.ui.scene import ELEMENT_LISTS, REPEAT_CLICK_SECONDS
from game.ui.text import cut_before_a_figure, wrap


class LeverPanel:
    """The panel's state (the tab, the lever and the options chosen) and its widgets, built
    into ``scene``, the turn screen."""

    def __init__(self, scene):
        self.scene = scene
        self.tab = TABS[0]
        self.lever_kind = LEVERS[0].kind
        self.chosen: dict[str, ChoiceValues] = {}  # lever kind -> what the player chose
        self.form: list = []  # the chosen lever's widgets, which must stay inside the panel
        self.area = pygame.Rect(0, 0, 0, 0)
        self._panel = None
        #: Where the panel's entries sit in each of the scene's lists (ELEMENT_LISTS): (first, end)
        #: per list, so a refresh puts its new ones there and lets the old ones go.
        self._span: tuple[tuple[int, int], ...] = ((0, 0),) * len(ELEMENT_LISTS)
        #: The last action taken and when: the same again at once is one click twice, not a second move.
        self.last_taken: tuple | None = None

    @property
    def game(self):
        return self.scene.app.game

    def build(self, area: pygame.Rect) -> None:
        scene = self.scene
        self.area = area
        self._panel = scene.panel(area)
        first = [len(getattr(scene, name)) for name in ELEMENT_LISTS]
        with scene.inside(self._panel):
            self._build_widgets(self._panel.get_container().get_rect())  # inside the panel's border
        self._span = tuple((start, len(getattr(scene, name))) for name, start in zip(ELEMENT_LISTS, first))

    def unbuild(self) -> None:
        """The panel is not on screen (a compact turn screen shows another pane)."""
        self._panel, self.form = None, []

    def refresh(self) -> None:
        """Build the panel again in place, keeping its place in the focus order and the focus
        on the same button; on a compact screen showing another pane, show the levers."""
        scene = self.scene
        if self._panel is None:
            scene.show_pane("levers")
            return
        focused = scene.focused()
        label = focused.element.text if focused else None
        position = scene.focus
        self._panel.kill()
        # The old panel's entries go from every list: a killed button left in one keeps its
        # images and, through its command, the scene it was built for (megabytes a click).
        after = []
        for name, (start, end) in zip(ELEMENT_LISTS, self._span):
            entries = getattr(scene, name)
            after.append(entries[end:])
            setattr(scene, name, entries[:start])
        self.build(self.area)
        for name, rest in zip(ELEMENT_LISTS, after):
            getattr(scene, name).extend(rest)
        same = [i for i, f in enumerate(scene.focusables) if f.element.text == label and f.element.is_enabled]
        scene.focus = min(same, key=lambda i: abs(i - position)) if same else position

    def _build_widgets(self, area: pygame.Rect) -> None:
        scene, tr = self.scene, self.scene.app.tr
        pad = scene.u(6)
        # The tabs stand closer than the rest, with less room round their names (theme's #tab), so
        # "Stockpile" and "Diplomacy" are read whole in a 1024-pixel window.
        tab_gap = scene.u(4)
        tab_w = (area.w - 2 * pad - tab_gap * (len(TABS) - 1)) / len(TABS)
        compact = scene.app.compact
        tab_h = scene.u(26 if compact else 32)
        tabs = []
        for i, tab in enumerate(TABS):
            element = scene.button(scene.rect(area.x + pad + i * (tab_w + tab_gap), area.y + pad, tab_w, tab_h),
                                   scene.fit(tr(tab), tab_w - scene.u(6), "small"),
                                   lambda t=tab: self.choose_tab(t), tr("Levers: {tab} (key {n})", tab=tr(tab), n=i + 1),
                                   object_id="#tab")
            tabs.append(element)
            if tab == self.tab:
                element.select()
        under_tabs = len(scene.focusables)
        top = area.y + pad * 2 + tab_h
        list_w = round(area.w * 0.36)
        levers = [lever for lever in LEVERS if lever.tab == self.tab]
        if self.lever_kind not in [lever.kind for lever in levers]:
            self.lever_kind = levers[0].kind
        unlocked = self.game.scenario.unlocked_actions
        y = top
        for lever in levers:
            is_open = not unlocked or lever.kind in unlocked
            name = scene.fit(tr(lever.short), list_w - pad - scene.u(14), "small")  # cut: its tip has it whole
            tip = tr(lever.mechanism) if is_open else tr("Locked in this level.")
            element = scene.button(scene.rect(area.x + pad, y, list_w - pad, scene.u(34)), name,
                                   lambda k=lever.kind: self.choose_lever(k),
                                   tip if name == tr(lever.short) else tr("{lever}: {tip}", lever=tr(lever.short), tip=tip),
                                   object_id="#small_button" if is_open else "#locked_button")
            if lever.kind == self.lever_kind:
                element.select()
            y += scene.u(38)
        self._build_form(LEVER_BY_KIND[self.lever_kind],
                         pygame.Rect(area.x + list_w + pad, top, area.w - list_w - 2 * pad, area.bottom - top - pad),
                         not unlocked or self.lever_kind in unlocked)
        # A tab's tip keeps off the levers and the form under the tabs, where the pointer goes
        # next: "Levers: Diplomacy (key 4)" lay over the talks' "With: China".
        below = [f.element for f in scene.focusables[under_tabs:]] + list(self.form)
        for element in tabs:
            element.tip_keeps_clear = below

    def _chosen(self, lever: Lever) -> ChoiceValues:
        return self.chosen.setdefault(lever.kind, ChoiceValues())

    def _values(self, lever: Lever) -> dict:
        return self._chosen(lever).values(lever.choices, self.game.world)

    def _build_form(self, lever: Lever, area: pygame.Rect, is_open: bool) -> None:
        scene, tr = self.scene, self.scene.app.tr
        world = self.game.world
        compact = scene.app.compact
        # A compact form's lines, rows and button sit closer (the small font's lines are 18 px at
        # 100%), so an investment's six choices leave room for the money's limit at 200% in a
        # 1280x720 window.
        line = scene.u(20 if compact else 22)
        button_h = scene.u(28 if compact else 36)
        y = area.y
        self.form = []
        if not compact:  # a compact screen has no room for it: the lever's button is lit
            self.form.append(scene.label(pygame.Rect(area.x, y, area.w, scene.u(24)), scene.fit(tr(lever.title), area.w)))
            y += scene.u(26)
        chosen = self._chosen(lever)
        values = self._values(lever)
        # Many choices (an investment) sit closer together, so the limits, cost and button still fit.
        count = len(lever.choices)
        arrow = scene.u(30)
        row = scene.u(30) if count < 5 else scene.u(26) if count == 5 else scene.u(22)
        gap = scene.u(4) if count < 6 else scene.u(1) if compact else scene.u(2)
        width = area.w - scene.u(8)
        limits = {choice.name: text for choice in lever.choices if (text := limit_line(tr, choice, world, values))}
        money = lever.money(world, values) if None not in values.values() else 0.0
        cost = cost_line(tr, money, lever.capital)
        template, fields = lever.lead(world, values)
        fields = {k: tr(v) if isinstance(v, str) else v for k, v in fields.items()}
        lead = tr("Takes: {lead}", lead=tr(template, **fields))
        said = (cost, lead)
        # Lines that run onto a second: the cost and the lead time before a limit, which its
        # value's dialog also shows ("Takes: this quarter, if sellers meet t…" at 1024x576).
        said_over = sum(self._runs_over(text, width) for text in said)
        below = (len(limits) + said_over + sum(self._runs_over(text, width) for text in limits.values()) + 2) * line \
            + scene.u(4) + button_h
        if y - area.y + count * (row + gap) + below > area.h and count < 5:
            row, gap = scene.u(24), scene.u(2)  # closer rows rather than a line cut short
        label_w = round(area.w * 0.28)
        amount_lines: dict[str, list] = {}  # choice name -> its limit's lines
        value_x = area.x + label_w + arrow + scene.u(4)
        value_w = area.w - label_w - 2 * arrow - scene.u(8)
        for choice in lever.choices:
            first, last = chosen.at_end(lever.choices, choice, world, values)
            label = scene.fit(tr(choice.label), label_w - scene.u(6), "small")
            self.form.append(scene.label(scene.rect(area.x, y, label_w, row), label, "#small"))
            if label != tr(choice.label):  # "プロジ…" at 1024x576: its tip names it whole
                scene.tips.append((self.form[-1], tr(choice.label)))
            what = tr(choice.label).lower()
            self.form.append(scene.button(scene.rect(area.x + label_w, y, arrow, row), "◀",
                                          lambda l=lever, c=choice: self.step(l, c, -1),
                                          tr("Previous {what}", what=what) if choice.amount is None else tr("Less"),
                                          object_id="#small_button", enabled=is_open and not first))
            if choice.amount is not None:
                # None to set (a stockpile released whole): "-", as the talks show it, not the
                # least it takes ("0.1 t") beside "none now".
                settable = choice.amount.offers_any(world, {k: v for k, v in values.items() if k != choice.name})
                shown = choice.amount.shown(tr, values[choice.name]) if settable else "-"
                self.form.append(scene.button(scene.rect(value_x, y, value_w, row), shown,
                                              lambda l=lever, c=choice: self.open_amount(l, c),
                                              choice.amount.tip(tr), object_id="#small_button",
                                              enabled=is_open and settable))
                # Its tip keeps clear of its limit line (added below), which it names and hid.
                self.form[-1].tip_keeps_clear = amount_lines.setdefault(choice.name, [])
            else:
                options = choice.options(world)
                index = chosen.index(choice, options)
                namer = self.game.namer(self.scene.app.settings.language)
                shown = option_text(choice, world, options[index][0], options[index][1], namer, tr) if options else "-"
                texts = [option_text(choice, world, value, label, namer, tr) for value, label in options]
                if len(options) > 4 or any(scene.fit(text, value_w - scene.u(4), "small") != text for text in texts):
                    # The whole list at once, names whole (the value's line cut long project names:
                    # "Mt Weld (Lynas) (+22,…"), rather than stepping through it one by one.
                    cut = cut_before_a_figure(scene.fit_apart(shown, texts, value_w - scene.u(16), "small"))
                    short = choice.short_of(options[index][0], tr) if cut != shown and choice.short_of else None
                    if short and scene.fit(short, value_w - scene.u(16), "small") == short:
                        cut = short  # "USA, EU", as the map names them, not "United States…Union"
                    self.form.append(scene.button(scene.rect(value_x, y, value_w, row), cut,
                                                  lambda l=lever, c=choice: self.open_list(l, c),
                                                  tr("{shown}. Choose from the list (Space).", shown=shown)
                                                  if cut != shown else tr("Choose from the list (Space)."),
                                                  object_id="#small_button", enabled=is_open))
                else:
                    self.form.append(scene.label(scene.rect(value_x, y, value_w, row),
                                                 cut_before_a_figure(scene.fit_apart(shown, texts, value_w - scene.u(4),
                                                                                     "small")), "#small"))
                    if options and scene.fit(shown, value_w - scene.u(4), "small") != shown:
                        scene.tips.append((self.form[-1], shown))  # the whole name, where it had to be cut
            self.form.append(scene.button(scene.rect(area.right - arrow, y, arrow, row), "▶",
                                          lambda l=lever, c=choice: self.step(l, c, 1),
                                          tr("Next {what}", what=what) if choice.amount is None else tr("More"),
                                          object_id="#small_button", enabled=is_open and not last))
            y += row + gap
        room = area.bottom - y - 2 * line - scene.u(4) - button_h  # what the cost, the lead time and the button leave
        said_room = min(said_over * line, max(0, room))
        room -= said_room
        for choice in lever.choices:
            text = limits.get(choice.name)
            if text and room >= line:  # each limit also shows in its value's dialog
                # A limit too long for one line runs onto a second where the form has room (its
                # reason was cut off: "what the budget left pays …"), and is cut only past that.
                first = wrap(text, scene.app.font("small"), width)[0]
                parts = [first, text[len(first):].lstrip()] if first != text and room >= 2 * line else [text]
                for part in parts:
                    fitted = scene.fit(part, width, "small")
                    self.form.append(scene.label(pygame.Rect(area.x, y, area.w, line), fitted, "#small"))
                    amount_lines.setdefault(choice.name, []).append(self.form[-1])
                    if fitted != part:
                        scene.tips.append((self.form[-1], text))  # the whole limit, where it had to be cut
                    y += line
                    room -= line
        room += said_room
        for text in said:
            # Onto a second line where the form has room, as a limit is ("Takes: this quarter,
            # easing nothing: tension is …" hid why), and cut only past that.
            first = wrap(text, scene.app.font("small"), width)[0]
            parts = [first, text[len(first):].lstrip()] if first != text and room >= line else [text]
            room -= line * (len(parts) - 1)
            for part in parts:
                fitted = scene.fit(part, width, "small")
                self.form.append(scene.label(pygame.Rect(area.x, y, area.w, line), fitted, "#small"))
                if fitted != part:  # "Takes: survey: 2 quarters, 95% chan…" hid the odds
                    scene.tips.append((self.form[-1], text))
                y += line
        y += scene.u(4)
        text = tr("Negotiate…") if lever.opens_dialog else tr("Take action")
        wanting = cannot_take(lever, world, values) if is_open else None
        if not is_open:  # greyed, it takes no focus, so its tip went unread: the button says why
            text = scene.fit(tr("Not open in this level"), area.w - scene.u(12))
        elif wanting is not None:  # so too when what it spends is not there
            template, fields = wanting
            text = scene.fit(tr(template, **{k: tr(v) if isinstance(v, str) else v for k, v in fields.items()}),
                             area.w - scene.u(12))
        self.form.append(scene.button(scene.rect(area.x, y, area.w, button_h), text,
                                      lambda l=lever: self.take(l),
                                      tr(lever.mechanism) if is_open else tr("Locked in this level."),
                                      object_id="#primary", enabled=is_open and wanting is None))

    def _runs_over(self, text: str, width: int) -> bool:
        """Whether a line of the form's small text needs a second line at ``width``."""
        return wrap(text, self.scene.app.font("small"), width)[0] != text

    # --- commands ---------------------------------------------------------------------
    def choose_tab(self, tab: str) -> None:
        self.tab = tab
        self.lever_kind = next(lever.kind for lever in LEVERS if lever.tab == tab)
        tab_chosen = getattr(self.scene, "lever_tab_chosen", None)
        if tab_chosen is not None:  # (a screen whose bar shows what the tab acts on lays it out again)
            tab_chosen()
        else:
            self.refresh()

    def choose_lever(self, kind: str) -> None:
        self.lever_kind = kind
        self.refresh()

    def step(self, lever: Lever, choice: Choice, direction: int) -> None:
        self._chosen(lever).step(lever.choices, choice, direction, self.game.world)
        self.refresh()

    def open_amount(self, lever: Lever, choice: Choice) -> None:
        """The amount dialog for one choice: type it, or take all or what is needed."""
        values = self._values(lever)
        context = {k: v for k, v in values.items() if k != choice.name}
        self.scene.app.push("amount", title=lever.title, choice=choice, world_values=context,
                            value=values[choice.name], on_set=lambda value: self.set_amount(lever, choice, value))

    def open_list(self, lever: Lever, choice: Choice) -> None:
        """The list dialog for one choice: every option, named whole."""
        world, tr = self.game.world, self.scene.app.tr
        options = choice.options(world)
        namer = self.game.namer(self.scene.app.settings.language)
        shown = [(k, option_text(choice, world, value, text, namer, tr)) for k, (value, text) in enumerate(options)]
        chosen = self._chosen(lever).index(choice, options)
        self.scene.app.push("pick", title=tr("{lever}: {choice}", lever=tr(lever.title), choice=tr(choice.label)), options=shown, chosen=[chosen],
                            multi=False, on_set=lambda picked: self.set_option(lever, choice, picked[0]))

    def set_option(self, lever: Lever, choice: Choice, index: int) -> None:
        self._chosen(lever).pick(lever.choices, choice, index, self.game.world)
        self.refresh()

    def set_amount(self, lever: Lever, choice: Choice, value: float) -> None:
        self._chosen(lever).set_amount(choice, value)
        self.refresh()

    def take(self, lever: Lever) -> None:
        app = self.scene.app
        if lever.opens_dialog:
            app.push("negotiation")
            return
        action = build_action(lever, self.game.world, self._values(lever))
        if action is None:
            app.notify(app.tr("Nothing to choose for this lever now."), "error", of_turn=True)
            return
        if self.last_taken is not None and self.last_taken[0] == action \
                and time.monotonic() - self.last_taken[1] < REPEAT_CLICK_SECONDS:
            return  # the same click twice: a double click on Take action placed two stockpile bids
        record = self.game.submit(action)
        self.last_taken = (action, time.monotonic())
        text = self.game.action_text(record, app.settings.language, app.tr)
        app.notify(text if record.accepted else app.tr("Refused: {reason}", reason=text),
                   "ok" if record.accepted else "error", of_turn=True)
        self.scene.rebuild_keeping_focus()
