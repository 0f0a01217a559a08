"""A workshop team's levers: the list of its levers and the chosen one's form, built from the
forms its view carries (game.workshop.views.lever_forms), so it knows nothing of the world.

Each field is a row: a list choice (a material, a nation, a project, a firm) stepped with ◀ ▶
and picked from a list when its value is pressed; an amount stepped through round values and
typed in the amount dialog (game.ui.scenes.amount), within the limits the form gives; several
materials as toggles, several nations picked from a list. Submit hands the action, as data, to
the scene, which sends it to the table; the answer shows under the button.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pygame

from game.action_base import ACTION_TYPES, MAX_MUSD, MAX_TONNES
from game.actions import action_from_dict
from game.ui.amounts import Amount, money_steps
from game.ui.levers import SHORT, Choice, cannot_afford, cost_line, limit_line
from game.ui.text import escape
from game.ui.workshop_play import Seat
from game.ui.workshop_words import FIELD_LABELS, WorkshopWords
from game.vocab.materials import Material
from game.workshop.handouts import lever_explanation
from game.workshop.views import said_from_data

_TONNES = (1, 5, 10, 25, 50, 100, 250, 500, 750, 1000, 1500, 2000, 3000, 5000, 7500, 10000, 20000, 50000)
_PRICES = (0, 5, 10, 15, 20, 25, 30, 40, 50, 60, 75, 100, 150, 200, 300, 500, 1000, 2000)
_ROYALTIES = (0, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4, 5, 7.5, 10, 15, 20)
_YEARS = (1, 2, 3, 5, 7, 10, 15, 20, 25, 30)
_SHARES = tuple(k / 20 for k in range(21))
#: The highest price a form offers where the lever names none (the action's check is the rule).
MAX_PRICE = 10_000.0

#: How each amount reads and steps, by field name: (unit, steps, the most where the form sets
#: none, why that is the most, as a share, decimals, what zero reads as).
AMOUNT_SPECS: dict[str, tuple[str, tuple[float, ...], float, str, bool, int | None, str]] = {
    "tonnes": ("{v} t", _TONNES, MAX_TONNES, "the most one action may move", False, None, ""),
    "tonnes_per_year": ("{v} t/yr", _TONNES, MAX_TONNES, "the most one action may move", False, None, ""),
    "offtake_tpy": ("{v} t/yr", _TONNES, MAX_TONNES, "the most one action may move", False, None, ""),
    "max_price_usd_per_kg": ("US${v}/kg", _PRICES, MAX_PRICE, "the highest price a form offers", False, 2, ""),
    "price_usd_per_kg": ("US${v}/kg", _PRICES, MAX_PRICE, "the highest price a form offers", False, 2,
                         "market price"),
    "amount_musd": ("US${v}M", money_steps(None, {}), MAX_MUSD, "the budget left this quarter", False, None, ""),
    "years": ("{v} years", _YEARS, 30, "the most this lever allows", False, None, ""),
    "rate": ("{v}%", _SHARES, 1.0, "the most this lever allows", True, None, ""),
    "approval_rate": ("{v}%", _SHARES, 1.0, "the most this lever allows", True, None, ""),
    "collection_rate": ("{v}%", _SHARES, 1.0, "the most this lever allows", True, None, ""),
    "enforcement": ("{v}%", _SHARES, 1.0, "the most this lever allows", True, None, ""),
    "usd_per_kg": ("US${v}/kg", _ROYALTIES, 20.0, "the most this lever allows", False, 2, ""),
}
_LIST_TYPES = ("material", "nation", "choice")
_MANY_TYPES = ("materials", "nations")


def shown_fields(form: dict[str, Any]) -> list[dict[str, Any]]:
    """The fields a team sets (a field whose least and most are one value is sent as it is)."""
    return [f for f in form.get("fields", []) if not (f.get("type") in ("number", "integer")
                                                      and f.get("high") is not None and f.get("low") == f.get("high"))]


def most_by_choice(field: dict[str, Any], values: dict[str, Any]) -> float | None:
    """A field's most where it depends on the form's other choices (what lenders advance against
    the plant chosen; what the money chosen buys of the project chosen), or None where it does not."""
    high_by, buys, pays = field.get("high_by"), field.get("buys"), field.get("pays")
    if high_by:
        return float(high_by["highs"].get(values.get(high_by["field"]), 0.0))
    if pays:  # (a stockpile bid: what the budget left pays at the price chosen, as the action's check)
        price = values.get(pays["price"])
        price = float(price) if isinstance(price, (int, float)) else 0.0
        return float(pays["budget_musd"]) * 1000.0 / price if price > 0 else 0.0
    if buys:
        # (the world's offtake_open_tpy: what all the nation's money buys, less what it holds there,
        # and no more than the output nobody holds)
        adds, per_musd, funded, held, free = buys["projects"].get(values.get(buys["field"]), (0.0,) * 5)
        money = values.get(buys["money"])
        bought = min(float(adds), float(per_musd) * (float(funded) + float(money if isinstance(money, (int, float))
                                                                            else 0.0)))
        return max(0.0, min(bought - float(held), float(free)))
    return None


def offered(field: dict[str, Any], values: dict[str, Any]) -> list:
    """A list field's choices (value, label) the form offers now: all of them, less the value
    chosen in the field its ``without`` names (a WTO case's respondent is no partner of its own)."""
    choices = list(field.get("choices") or [])
    without = field.get("without")
    if without:
        choices = [choice for choice in choices if choice[0] != values.get(without)]
    return choices


def limit_reason(field: dict[str, Any]) -> str | None:
    """Why a field's most depending on other choices is what it is (the string table's key)."""
    depends = field.get("high_by") or field.get("buys") or field.get("pays")
    return str(depends["why"]) if depends else None


def field_amount(field: dict[str, Any], budget: float, values: dict[str, Any] | None = None) -> Amount:
    """The Amount a number field is set with: its unit, round steps and limits (``values``: the
    form's, for a most that depends on another choice)."""
    name = field["name"]
    unit, steps, most, why, percent, decimals, zero = AMOUNT_SPECS.get(
        name, ("{v}", (0, 1, 2, 5, 10, 20, 50, 100), 1e9, "the most this lever allows", False, None, ""))
    if field.get("steps"):  # round values around where the world stands (an export quota's)
        steps = tuple(float(step) for step in field["steps"])
    chosen_most = most_by_choice(field, values or {})
    if chosen_most is not None:
        most, why = chosen_most, limit_reason(field)
    elif field.get("high") is not None:
        most, why = float(field["high"]), str(field.get("why") or "the most this lever allows")
    elif name == "amount_musd":
        most = max(0.0, float(budget))
    least = float(field.get("low") or 0.0)
    integer = field.get("type") == "integer"
    # A limit line where the world sets the most (the stockpile, the budget), as the one-player form
    # shows; not for a rule's (30 years), which the amount dialog says.
    from_the_world = chosen_most is not None or bool(field.get("why"))
    return Amount(unit, lambda world, values, m=most, w=why: (m, w), least=least,
                  steps=lambda world, values, s=steps: s, default=lambda world, values: float(field.get("default") or 0),
                  integer=integer, percent=percent, shown_limit=from_the_world, decimals=decimals, zero_text=zero)


def material_label(value: Any, label: str, tr: Callable[..., str]) -> str:
    """A material choice's name as the one-player form gives it ("NdPr", not the server's
    "NdPr oxide", which read 「酸化NdPr」 against 「NdPr」 in solo play)."""
    try:
        return tr(SHORT[Material(value)])
    except ValueError:
        return tr(label)


def form_money(action: dict[str, Any] | None) -> float:
    """What a form's action may cost, in US$M, where the action itself says it (a stockpile bid);
    0 for one that says nothing (its money is a field of the form, shown as it is)."""
    if action is None:
        return 0.0
    try:
        built = action_from_dict(action)
    except (ValueError, TypeError, KeyError):  # (a form half set: no cost to show yet)
        return 0.0
    return float(getattr(built, "most_cost_musd", 0.0))


def form_spend(form: dict[str, Any], action: dict[str, Any] | None) -> float:
    """What sending the form spends of the budget, in US$M: a bid's most, else the money field's."""
    money = form_money(action)
    if money > 0 or action is None:
        return money
    amount = action.get("amount_musd")
    return float(amount) if isinstance(amount, (int, float)) and not isinstance(amount, bool) else 0.0


def _worded(fields: dict[str, Any], tr: Callable[..., str]) -> dict[str, Any]:
    """A refusal's fields as a window words them: its words through ``tr``, figures as they are."""
    return {name: tr(value) if isinstance(value, str) else value for name, value in fields.items()}


def lever_help(form: dict[str, Any]) -> str:
    """A lever in one English sentence (the string table's key), from its action where this
    machine knows it, else from the form."""
    if form.get("kind") in ACTION_TYPES:
        return lever_explanation(form["kind"])
    return " ".join(str(form.get("help", "")).split())


class LeverForms:
    """The levers of one seat, built into ``scene`` (a workshop team scene): ``seat`` keeps the
    choices; ``send(action)`` sends an action (as data) and returns nothing."""

    def __init__(self, scene, seat: Seat, words: WorkshopWords | None, send: Callable[[dict[str, Any]], None]):
        self.scene = scene
        self.seat = seat
        self.budget: float = 0.0
        self.capital: float | None = None
        self.words = words
        self.send = send
        self.form: list = []  # the widgets that must stay inside the panel
        self.shown_under_submit = ""  # what the form says under Submit: the last answer, or why it cannot send

    @property
    def app(self):
        return self.scene.app

    def _name(self, text: str) -> str:
        return self.words.name(text, self.app.settings.language) if self.words is not None else text

    # --- values -------------------------------------------------------------------------
    def values(self, form: dict[str, Any]) -> dict[str, Any]:
        """The form's values as the team set them, each field's default where not (and where a
        choice's value is no longer offered)."""
        chosen = self.seat.values.setdefault(form["kind"], {})
        shown: dict[str, Any] = {}
        for field in form.get("fields", []):
            name, kind = field["name"], field.get("type")
            choices = [value for value, _ in offered(field, shown)]
            value = chosen.get(name, field.get("default"))
            if kind in _LIST_TYPES and value not in choices:
                value = field.get("default") if field.get("default") in choices else (choices[0] if choices else None)
            elif kind in _MANY_TYPES:
                value = [v for v in (value or []) if v in choices]
            elif kind in ("number", "integer") and not isinstance(value, (int, float)):
                value = 0
            shown[name] = value
        # Then each amount within what the form's other choices allow, before it or after it (a
        # stockpile bid's tonnes follow its price, the field after them).
        for field in form.get("fields", []):
            name, kind = field["name"], field.get("type")
            value = shown[name]
            most = most_by_choice(field, shown) if kind in ("number", "integer") else None
            if most is not None:
                # At most what the other choices allow; the team's own amount kept for another
                # choice, and a default not kept (it follows them). An offtake starts at what the
                # money buys, as the one-player form's does: at 0 t/yr it secured nothing.
                shown[name] = most if field.get("buys") and name not in chosen else min(value, most)
                if name not in chosen:
                    continue
            chosen[name] = value
        return shown

    def cannot_send(self, form: dict[str, Any], budget: float, capital: float | None) -> tuple[str, dict] | None:
        """Why the form's lever can send nothing now, as the one-player form's ``cannot_take``
        says it (an English template and its fields), or None: nothing to borrow against the
        plant chosen, an amount with nothing to set (no budget left), more money than ``budget``
        or more political capital than ``capital`` (None: a company, whose money the session
        checks against what it may borrow, and which spends no capital). Submit was offered for
        a lever sure to be refused."""
        values = self.values(form)
        for field in form.get("fields", []):
            if field.get("high_by") and most_by_choice(field, values) <= 0:
                return str(field["high_by"].get("none") or field["high_by"]["why"]), {}
        for field in form.get("fields", []):
            if field.get("type") not in ("number", "integer"):
                continue
            amount = field_amount(field, budget, values)
            if field["name"] == "amount_musd" or field.get("pays"):  # money, or what money buys
                if not amount.offers_any(None, values):  # (the form hides a field whose only value is 0)
                    return "No budget left this quarter", {}
            elif not amount.is_settable(None, values):
                return "Nothing to set now: {what}", {"what": FIELD_LABELS.get(field["name"], field["name"])}
        if capital is None:  # a company: its money field may be borrowed (borrow), its projects part-borrowed
            return None
        return cannot_afford(form_spend(form, self.action(form)), float(form.get("capital") or 0.0), budget, capital)

    def action(self, form: dict[str, Any]) -> dict[str, Any] | None:
        """The action the form's values describe, as data (None if a choice has nothing to offer)."""
        data: dict[str, Any] = {"kind": form["kind"]}
        values = self.values(form)
        for field in form.get("fields", []):
            value = values[field["name"]]
            if field.get("type") in _LIST_TYPES and value is None:
                return None
            if field.get("type") == "integer":
                value = round(value)
            elif field.get("type") == "number":
                value = float(value)
            elif field.get("type") in _MANY_TYPES:
                value = list(value)
            data[field["name"]] = value
        return data

    def _said(self, said: dict[str, Any]) -> str:
        """A view's Said (a template and its fields) in the window's language."""
        if self.words is not None:
            return self.words.said(said, self.app.settings.language, self.app.tr)
        return said_from_data(said).worded(self.app.tr)

    def _option_label(self, field: dict[str, Any], value: Any) -> str:
        tr = self.app.tr
        worded = (field.get("worded") or {}).get(value)
        if worded is not None and self.words is not None:  # a project: worded as the one-player form words it
            return self.words.said(worded, self.app.settings.language, tr)
        for option, label in field.get("choices") or []:
            if option == value:
                return material_label(value, str(label), tr) if field.get("type") == "material" else self._name(str(label))
        return "-"

    # --- layout ---------------------------------------------------------------------------
    def build(self, area: pygame.Rect, levers: list[dict[str, Any]], budget: float, can_act: bool,
              result_html: str, capital: float | None = None) -> None:
        """The levers in ``area``: a list beside the form, or on a compact screen a stepper
        over it; ``can_act``: whether Submit may be pressed now; ``result_html``: the answer
        to the last action sent, under Submit; ``budget`` and ``capital``: what the team has
        left to spend (capital None: a company's, which spends none)."""
        scene, tr, u = self.scene, self.app.tr, self.scene.u
        self.form = []
        self.budget, self.capital = budget, capital
        if not levers:
            self.form.append(scene.label(pygame.Rect(area.x, area.y, area.w, u(26)),
                                         scene.fit(tr("No levers now."), area.w), "#muted"))
            return
        kinds = [form["kind"] for form in levers]
        if self.seat.lever not in kinds:
            self.seat.lever = kinds[0]
        form = levers[kinds.index(self.seat.lever)]
        pad = u(6)
        if self.app.compact:
            row = u(30)
            self._stepper(pygame.Rect(area.x, area.y, area.w, row), tr("Lever"), tr(form["label"]),
                          lambda step: self.choose_lever(kinds[min(max(kinds.index(self.seat.lever) + step, 0),
                                                                   len(kinds) - 1)]),
                          lambda: self.pick_lever(levers), first=kinds[0] == self.seat.lever,
                          last=kinds[-1] == self.seat.lever, tip=tr(lever_help(form)))
            form_area = pygame.Rect(area.x, area.y + row + pad, area.w, area.h - row - pad)
        else:
            list_w = round(area.w * 0.4)
            self._list(pygame.Rect(area.x, area.y, list_w - pad, area.h), levers)
            form_area = pygame.Rect(area.x + list_w, area.y, area.w - list_w, area.h)
        self._form(form_area, form, budget, can_act, result_html)

    def _list(self, area: pygame.Rect, levers: list[dict[str, Any]]) -> None:
        scene, tr, u = self.scene, self.app.tr, self.scene.u
        h, gap = u(32), u(4)
        fits = max(1, (area.h + gap) // (h + gap))
        per_page = len(levers) if len(levers) <= fits else max(1, fits - 1)
        pages = math.ceil(len(levers) / per_page)
        self.seat.page = min(self.seat.page, pages - 1)
        y = area.y
        for form in levers[self.seat.page * per_page:(self.seat.page + 1) * per_page]:
            label = tr(form["label"])
            element = scene.button(scene.rect(area.x, y, area.w, h), scene.fit(label, area.w - u(16), "small"),
                                   lambda k=form["kind"]: self.choose_lever(k),
                                   f"{label}: {tr(lever_help(form))}", object_id="#small_button")
            if form["kind"] == self.seat.lever:
                element.select()
            self.form.append(element)
            y += h + gap
        if pages > 1:
            half = (area.w - gap) // 2
            self.form.append(scene.button(scene.rect(area.x, area.bottom - h, half, h), "▲",
                                          lambda: self.turn_page(-1), tr("The levers before these."),
                                          object_id="#small_button", enabled=self.seat.page > 0))
            self.form.append(scene.button(scene.rect(area.x + half + gap, area.bottom - h, half, h), "▼",
                                          lambda: self.turn_page(1), tr("The levers after these."),
                                          object_id="#small_button", enabled=self.seat.page < pages - 1))

    def _form(self, area: pygame.Rect, form: dict[str, Any], budget: float, can_act: bool, result_html: str) -> None:
        scene, tr, u = self.scene, self.app.tr, self.scene.u
        compact = self.app.compact
        y = area.y
        if not compact:
            self.form.append(scene.label(pygame.Rect(area.x, y, area.w, u(32)),
                                         scene.fit(tr(form["label"]), area.w - u(16), "heading", bold=True), "#heading"))
            y += u(34)
            help_h = u(62) if area.h > u(380) else 0
            if help_h:
                self.form.append(scene.text_box(pygame.Rect(area.x, y, area.w, help_h),
                                                escape(tr(lever_help(form))), object_id="#card"))
                y += help_h + u(6)
        fields = shown_fields(form)
        values = self.values(form)
        # What bounds each amount where the world sets it, as the one-player form shows it
        # ("Tonnes: up to 5,470 t (what the budget left pays at the price cap)").
        limits = [text for text in (limit_line(tr, Choice(f["name"], FIELD_LABELS.get(f["name"], f["name"]),
                                                          amount=field_amount(f, budget, values)), None, values)
                                    for f in fields if f.get("type") in ("number", "integer")) if text]
        submit_h = u(30 if compact else 36)
        line = u(22)
        result_h = u(54) if compact else u(76)
        below = submit_h + line * (1 + len(limits) + sum(1 for f in fields if f.get("now"))) + u(8)
        # (what stands now, the limits, the cost and Submit)
        columns, row, gap = self._field_rows(len(fields), y, area, below, result_h)
        per_column = -(-len(fields) // columns)
        column_w = (area.w - (columns - 1) * u(12)) // columns
        for i, field in enumerate(fields):
            column, place = divmod(i, per_column)  # down the first column, then the second
            self._field(pygame.Rect(area.x + column * (column_w + u(12)), y + place * (row + gap), column_w, row),
                        form, field, values, budget)
        y += per_column * (row + gap) if fields else 0
        capital = float(form.get("capital") or 0.0)
        money = form_money(self.action(form))
        if money > 0:  # (a bid's most, which the budget must cover: the one-player form's line)
            cost = cost_line(tr, money, capital)
        else:
            cost = tr("Takes {capital:.0f} political capital", capital=capital) if capital > 0 else \
                tr("Takes no political capital")
        # Where the field's value stands now, where the form says (the export quota in force).
        now = [self._said(f["now"]) for f in fields if f.get("now")]
        for text in (*now, *limits, cost):
            fitted = scene.fit(text, area.w - u(8), "small")
            self.form.append(scene.label(pygame.Rect(area.x, y, area.w, line), fitted, "#small"))
            if fitted != text:
                scene.tips.append((self.form[-1], text))  # the whole line, where it had to be cut
            y += line
        y += u(4)
        wanting = self.cannot_send(form, budget, self.capital)
        blocked = tr(wanting[0], **_worded(wanting[1], tr)) if wanting else None
        self.submit_button = scene.button(scene.rect(area.x, y, area.w, submit_h), tr("Submit"),
                                          lambda: self.submit(form),
                                          blocked if blocked else
                                          tr("Send this lever to the game: it is checked and applied now, or "
                                             "refused with the reason."), object_id="#primary",
                                          enabled=can_act and blocked is None)
        self.form.append(self.submit_button)
        y += submit_h + u(6)
        if blocked:  # a Submit sure to be refused is not offered: why not, under the last answer
            result_html = f"{result_html}<br>{escape(blocked)}" if result_html else escape(blocked)
        if compact and not result_html:  # the room under the button tells what the lever does
            result_html = escape(tr(lever_help(form)))
        self.shown_under_submit = result_html
        if result_html and area.bottom - y >= u(30):
            self.form.append(scene.text_box(pygame.Rect(area.x, y, area.w, area.bottom - y), result_html,
                                            object_id="#card"))
            scene.kept_clear.append(self.form[-1])

    def _field_rows(self, count: int, top: int, area: pygame.Rect, below: int, answer_h: int) -> tuple[int, int, int]:
        """How a form's ``count`` fields stand from ``top`` in ``area`` with ``below`` kept under
        them: (columns, row height, gap). One column where the rows fit above room for the answer
        (``answer_h``); else two, where the panel is wide enough; else the answer's room goes. A
        form of many fields at 200% in a 1280x720 window ran under the bottom bar, Submit unseen."""
        scene, u = self.scene, self.scene.u
        two = area.w >= u(520)  # (each half still holds a label and a value a third of the panel wide)
        for answer in (answer_h, 0):
            bottom = area.bottom - below - answer
            for columns in ((1, 2) if two else (1,)):
                lines = -(-count // columns)
                row, gap = scene.stack(lines, top, bottom, 30, 4)
                if lines * row + (lines - 1) * gap <= bottom - top:
                    return columns, row, gap
        columns = 2 if two else 1
        row, gap = scene.stack(-(-count // columns), top, area.bottom - below, 30, 4)
        return columns, row, gap

    def _field(self, rect: pygame.Rect, form: dict[str, Any], field: dict[str, Any], values: dict[str, Any],
               budget: float) -> None:
        scene, tr, u = self.scene, self.app.tr, self.scene.u
        name, kind = field["name"], field.get("type")
        label = tr(FIELD_LABELS.get(name, name.replace("_", " ")))
        label_w = round(rect.w * 0.3)
        self.form.append(scene.label(pygame.Rect(rect.x, rect.y, label_w, rect.h),
                                     scene.fit(label, label_w - u(6), "small"), "#small"))
        inner = pygame.Rect(rect.x + label_w, rect.y, rect.w - label_w, rect.h)
        value = values[name]
        if kind in _LIST_TYPES:
            choices = [v for v, _ in offered(field, values)]
            at = choices.index(value) if value in choices else 0
            self._stepper(inner, label, self._option_label(field, value) if choices else "-",
                          lambda step: self.set_value(form, name, choices[min(max(at + step, 0), len(choices) - 1)]),
                          lambda: self.pick(form, field, multi=False), first=at <= 0, last=at >= len(choices) - 1)
        elif kind == "materials":
            options = field.get("choices") or []
            gap = u(4)
            width = (inner.w - gap * (len(options) - 1)) // max(1, len(options))
            for i, (option, text) in enumerate(options):
                on = option in value
                # The short name ("NdPr"), the same in every language: the Japanese label
                # ("酸化NdPr", no space to cut at) was cut to "✓ 酸化N…" on all three buttons.
                shown = scene.fit(("✓ " if on else "") + text.split()[0], width - u(10), "small")
                element = scene.button(scene.rect(inner.x + i * (width + gap), inner.y, width, inner.h), shown,
                                       lambda o=option: self.toggle(form, name, o),
                                       tr("{what}: press to take it in or leave it out.", what=tr(text)),
                                       object_id="#small_button")
                if on:
                    element.select()
                self.form.append(element)
        elif kind == "nations":
            names = [self._option_label(field, v) for v in value]
            shown = "、".join(names) if self.app.settings.language == "ja" else ", ".join(names)
            self.form.append(scene.button(inner, scene.fit(shown or tr("none"), inner.w - u(16), "small"),
                                          lambda: self.pick(form, field, multi=True),
                                          tr("Choose which of them (Space)."), object_id="#small_button"))
        else:
            amount = field_amount(field, budget, values)
            most, _ = amount.most(None, {})
            number = float(value)
            choice = Choice(name, FIELD_LABELS.get(name, name), amount=amount)
            self._stepper(inner, label, amount.shown(tr, number),
                          lambda step: self.set_value(form, name, amount.step_from(number, step, None, {})),
                          lambda: self.open_amount(form, choice, number), first=number <= amount.least + 1e-9,
                          last=number >= max(most, amount.least) - 1e-9,
                          tip=amount.tip(tr))

    def _stepper(self, rect: pygame.Rect, what: str, shown: str, step: Callable[[int], None],
                 open_list: Callable[[], None], first: bool, last: bool, tip: str = "") -> None:
        scene, tr, u = self.scene, self.app.tr, self.scene.u
        arrow = u(28)
        self.form.append(scene.button(scene.rect(rect.x, rect.y, arrow, rect.h), "◀", lambda: step(-1),
                                      tr("Previous {what}", what=what.lower()), object_id="#small_button",
                                      enabled=not first))
        value_rect = scene.rect(rect.x + arrow + u(2), rect.y, rect.w - 2 * arrow - u(4), rect.h)
        fitted = scene.fit(shown, value_rect.w - u(16), "small")
        # A name cut short is whole in the tip, and in the list pressing it opens, as the one-player form's
        whole = tr("{shown}. Choose from the list (Space).", shown=shown) if fitted != shown else \
            tr("Choose from the list (Space).")
        self.form.append(scene.button(value_rect, fitted, open_list, tip or whole, object_id="#small_button"))
        self.form.append(scene.button(scene.rect(rect.right - arrow, rect.y, arrow, rect.h), "▶", lambda: step(1),
                                      tr("Next {what}", what=what.lower()), object_id="#small_button",
                                      enabled=not last))

    # --- commands ---------------------------------------------------------------------------
    def choose_lever(self, kind: str) -> None:
        self.seat.lever = kind
        self.scene.rebuild_keeping_focus()

    def turn_page(self, step: int) -> None:
        self.seat.page = max(0, self.seat.page + step)
        self.scene.rebuild_keeping_focus()

    def pick_lever(self, levers: list[dict[str, Any]]) -> None:
        tr = self.app.tr
        self.app.push("pick", title=tr("Lever"), options=[(f["kind"], tr(f["label"])) for f in levers],
                      chosen=[self.seat.lever], multi=False, on_set=lambda kinds: self.choose_lever(kinds[0]))

    def set_value(self, form: dict[str, Any], name: str, value: Any) -> None:
        self.seat.values.setdefault(form["kind"], {})[name] = value
        self.scene.rebuild_keeping_focus()

    def toggle(self, form: dict[str, Any], name: str, option: Any) -> None:
        chosen = list(self.values(form)[name])
        chosen = [v for v in chosen if v != option] if option in chosen else chosen + [option]
        order = [v for v, _ in next(f for f in form["fields"] if f["name"] == name).get("choices") or []]
        self.set_value(form, name, sorted(chosen, key=order.index))

    def pick(self, form: dict[str, Any], field: dict[str, Any], multi: bool) -> None:
        tr = self.app.tr
        values = self.values(form)
        options = [(value, self._option_label(field, value)) for value, _ in offered(field, values)]
        if not options:
            return
        current = values[field["name"]]
        self.app.push("pick", title=tr(FIELD_LABELS.get(field["name"], field["name"])), options=options,
                      chosen=list(current) if multi else [current], multi=multi,
                      on_set=lambda chosen: self.set_value(form, field["name"], chosen if multi else chosen[0]))

    def open_amount(self, form: dict[str, Any], choice: Choice, value: float) -> None:
        self.app.push("amount", title=form["label"], choice=choice, world_values={}, value=value,
                      on_set=lambda number: self.set_value(form, choice.name, number))

    def submit(self, form: dict[str, Any]) -> None:
        wanting = self.cannot_send(form, self.budget, self.capital)
        if wanting:  # (Submit is not offered then; a key may still reach it)
            self.app.notify(self.app.tr(wanting[0], **_worded(wanting[1], self.app.tr)), "error")
            return
        action = self.action(form)
        if action is None:
            self.app.notify(self.app.tr("Nothing to choose for this lever now."), "error")
            return
        self.send(action)
