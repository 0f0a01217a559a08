"""The negotiation dialog: set terms, propose, read the answer (accept, counter with its reason,
or refusal), see the "fair price" hint, then accept the counter or walk away.

Each proposal is a ProposeOfftake action through the session, so it costs political capital
and shows in the turn's record like any other lever."""

from __future__ import annotations

import time

from game.actions import NOTHING_LEFT_TPY, ProposeOfftake
from game.ui.amounts import Amount
from game.ui.help import dialog_keys
from game.ui.levers import (
    SOLD_OUT,
    Choice,
    ChoiceValues,
    limit_line,
    offtake_choices,
    option_text,
)
from game.ui.modal import ModalScene
from game.ui.registry import register_scene
from game.ui.scene import PAGE_KEYS, REPEAT_CLICK_SECONDS
from game.ui.text import escape
from game.vocab.materials import MATERIAL_INDEX
from game.vocab.nations import JAPAN
from game.world.views import fair_offtake_terms, seller_spare_tpy

PRICE_FACTORS = (0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 2.0, 3.0)


def _japan_price(world, values) -> float:
    return float(world.prices[world.nation_index(JAPAN), MATERIAL_INDEX[values["material"]]])


#: The price offered: Japan's price now to start with, any price from a cent to ten times it.
PRICE = Choice("price", "Price", amount=Amount(
    "US${v}/kg", lambda w, v: (10.0 * _japan_price(w, v), "ten times Japan's price now"), least=0.01,
    steps=lambda w, v: tuple(round(f * _japan_price(w, v), 2) for f in PRICE_FACTORS),
    default=lambda w, v: round(_japan_price(w, v), 2), shown_limit=False, decimals=2,
    about="The price Japan offers the seller, in US$ a kg of oxide."))


@register_scene("negotiation")
class NegotiationScene(ModalScene):
    #: The terms' text scrolls by the page keys and Home and End; the arrows step the terms' buttons.
    reading_keys = PAGE_KEYS

    def __init__(self, app):
        super().__init__(app)
        self.chosen = ChoiceValues()
        self.choices = (*offtake_choices(), PRICE)
        self.round = 0
        self.answer: tuple[str, str] | None = None  # (kind, text)
        self.counter = None  # Terms offered back
        #: The terms of the last proposal the seller answered, and when the answer came.
        self.answered: tuple | None = None
        self.answered_at = 0.0
        self._to_a_seller_with_something_left()

    @property
    def world(self):
        return self.app.game.world

    def _values(self) -> tuple[dict, float]:
        values = self.chosen.values(self.choices, self.world)
        return values, _japan_price(self.world, values)

    def build(self) -> None:
        app, tr = self.app, self.app.tr
        rect = self.frame(760, 560)
        compact = app.compact  # rows closer together, so the terms and the answer keep some room
        pad = self.u(12 if compact else 16)
        row, step, button_h = (self.u(28), self.u(31), self.u(36)) if compact else (self.u(32), self.u(38), self.u(44))
        values, japan_price = self._values()
        self.label(self.rect(pad, pad, rect.w - 2 * pad, self.u(32)), tr("Propose an offtake contract"), "#heading",
                   container=self.box)
        y = pad + self.u(36 if compact else 40)
        label_w, arrow = self.u(170), self.u(36)
        value_w = rect.w - 2 * pad - label_w - 2 * arrow - self.u(8)
        for choice in self.choices:
            first, last = self.chosen.at_end(self.choices, choice, self.world, values)
            self.label(self.rect(pad, y, label_w, row), tr(choice.label), container=self.box)
            what = tr(choice.label).lower()
            self.button(self.rect(pad + label_w, y, arrow, row), "◀", lambda c=choice: self.step(c, -1),
                        tr("Previous {what}", what=what) if choice.amount is None else tr("Less"),
                        object_id="#small_button", container=self.box, enabled=not first)
            x = pad + label_w + arrow + self.u(4)
            if choice.amount is not None:
                # None to set (a plant making none of the material): "-", and no dialog that read
                # "From 1 t/yr to 1 t/yr".
                settable = self._settable(choice, values)
                shown = choice.amount.shown(tr, values[choice.name]) if settable else "-"
                self.button(self.rect(x, y, value_w, row), shown, lambda c=choice: self.open_amount(c),
                            choice.amount.tip(tr), object_id="#small_button", container=self.box, enabled=settable)
            else:
                options = choice.options(self.world)
                value, text = options[self.chosen.index(choice, options)] if options else (None, "-")
                shown = option_text(choice, self.world, value, text, self.app.game.namer(app.settings.language), tr)
                self.label(self.rect(x, y, value_w, row), self.fit(shown, value_w - self.u(8), "small"), "#small",
                           container=self.box)
            self.button(self.rect(x + value_w + self.u(4), y, arrow, row), "▶", lambda c=choice: self.step(c, 1),
                        tr("Next {what}", what=what) if choice.amount is None else tr("More"),
                        object_id="#small_button", container=self.box, enabled=not last)
            y += step
        # The tonnage's limit is what the seller has not yet sold forward: it says so.
        limits = [text for choice in self.choices if (text := limit_line(tr, choice, self.world, values))]
        hint = None
        if values["seller"] is not None and self._makes_any(values):  # (no terms for none)
            hint = fair_offtake_terms(self.world, JAPAN, values["seller"], MATERIAL_INDEX[values["material"]],
                                      float(values["tonnes"]))
        lines = [escape(line) for line in limits] + [f"<b>{escape(tr('Fair price hint'))}</b>{escape(tr(': '))}" + escape(
            tr("about US${price:,.2f}/kg for {tonnes:,.0f} t/yr over {years} years", price=hint.price,
               tonnes=hint.volume_tpy, years=hint.years) if hint else tr("no terms suit both sides now"))]
        lines.append(escape(tr("Japan's price now: US${price:,.2f}/kg. Each proposal costs 1 political capital.",
                               price=japan_price)))
        rounds = self.world.assumptions.negotiation_rounds
        lines.append(escape(tr("Round {round} of {rounds}: sellers give ground as the rounds pass.",
                               round=min(self.round, rounds - 1) + 1, rounds=rounds)))
        indexed = self.world.assumptions.contract_index_share
        lines.append(escape(tr("A contract's price is {fixed:.0%} the price agreed and {indexed:.0%} Japan's market "
                               "price at each delivery.", fixed=1.0 - indexed, indexed=indexed)))
        if self.answer is not None:  # first: what the player looks for after proposing (it was below the fold)
            kind, text = self.answer
            colour = {"accept": app.colours.good, "counter": app.colours.star}.get(kind, app.colours.bad)
            answer = [f"<font color='{colour}'><b>{escape(text)}</b></font>"]
            if self.counter is not None:
                answer.append(escape(tr("Their terms: {tonnes:,.0f} t/yr for {years} years at US${price:,.2f}/kg",
                                        tonnes=self.counter.volume_tpy, years=self.counter.years,
                                        price=self.counter.price)))
            lines = [*answer, "", *lines]
        bw, by = (rect.w - 4 * pad) // 3, rect.h - button_h - self.u(6) - pad // 2
        page = self.text_box(self.rect(pad, y + self.u(4), rect.w - 2 * pad, by - y - self.u(10)), "<br>".join(lines),
                             container=self.box)
        self.reading.append(page)
        if self.answer is not None:
            # The page opens with the seller's answer: at 200% Propose again's tip lay over it.
            self.kept_clear.append(page)
        again = self.answered is not None and self.answered == self._terms(values)
        makes = values["seller"] is not None and self._makes_any(values)
        waits = tr("This plant has sold all it makes of that material forward: choose another seller or material.") \
            if values["seller"] is not None and self._sells_out(values) else \
            tr("This plant makes none of that material now: choose another seller or material.")
        self.button(self.rect(pad, by, bw, button_h), tr("Propose again") if again else tr("Propose"), self.propose,
                    tr("Send the same terms again, for another political capital; sellers give ground as the rounds "
                       "pass.") if again else tr("Send these terms; the seller answers at once.") if makes else waits,
                    object_id="#primary", container=self.box, enabled=makes)
        self.button(self.rect(2 * pad + bw, by, bw, button_h), tr("Accept their terms"), self.accept_counter,
                    tr("Sign on the seller's counter-offer, for another political capital: signing is one more "
                       "proposal, of their terms."), enabled=self.counter is not None, container=self.box)
        self.button(self.rect(3 * pad + 2 * bw, by, bw, button_h), tr("Walk away"), self.back,
                    tr("Close the talks; nothing is signed."), container=self.box)
        if self.focus < 0:
            self.focus = next(i for i, f in enumerate(self.focusables)
                              if f.element.text in (tr("Propose"), tr("Propose again")))

    def help_keys(self) -> list[tuple[str, str]]:
        return dialog_keys(self.app, self, self.reading_help(self.app.tr("Scroll the terms and the seller's answer")))

    def _to_a_seller_with_something_left(self) -> None:
        """Where the seller chosen has none of the material left to sell forward, the first in the
        list that has some (the material's as chosen), its tonnage at its own default: the talks
        opened, and stayed after a deal, on the plant just sold out, with 1 t/yr preset."""
        values, _ = self._values()
        m = MATERIAL_INDEX[values["material"]]
        if values["seller"] is None or seller_spare_tpy(self.world, values["seller"], m) >= NOTHING_LEFT_TPY:
            return
        options = self.choices[0].options(self.world)
        left = next((i for i, (seller, _) in enumerate(options)
                     if seller_spare_tpy(self.world, seller, m) >= NOTHING_LEFT_TPY), None)
        if left is not None:
            self.chosen.choose(self.choices[0], options, left)
            self.chosen.amounts.pop("tonnes", None)

    def _sells_out(self, values: dict) -> bool:
        """Whether the seller makes the material but has sold all of it forward."""
        tonnes = next(choice for choice in self.choices if choice.name == "tonnes")
        context = {k: v for k, v in values.items() if k != "tonnes"}
        return tonnes.amount.most(self.world, context)[1] == SOLD_OUT

    def step(self, choice: Choice, direction: int) -> None:
        before = self._values()[0]
        self.chosen.step(self.choices, choice, direction, self.world)
        self._new_talks_if_changed(before, ("seller", "material", "tonnes"))
        self.rebuild_keeping_focus()

    def _new_talks_if_changed(self, before: dict, names: tuple[str, ...]) -> None:
        """Other terms than the seller countered open new talks: round one, and neither its
        counter nor its answer stays on screen (the counter's headline and "Propose again" stayed
        beside "Round 1 of 8" and a disabled Accept). The same value set again changes nothing:
        choosing the tonnes' "What I need", the 594 t already there, reset the round."""
        after = self._values()[0]
        if any(before[name] != after[name] for name in names):
            self.round, self.counter, self.answer, self.answered = 0, None, None, None

    def open_amount(self, choice: Choice) -> None:
        values, _ = self._values()
        context = {k: v for k, v in values.items() if k != choice.name}
        self.app.push("amount", title="Propose an offtake contract", choice=choice, world_values=context,
                      value=values[choice.name], on_set=lambda value: self.set_amount(choice, value))

    def set_amount(self, choice: Choice, value: float) -> None:
        before = self._values()[0]
        self.chosen.set_amount(choice, value)
        self._new_talks_if_changed(before, ("tonnes",))
        self.rebuild_keeping_focus()

    @staticmethod
    def _terms(values: dict) -> tuple:
        return values["seller"], values["material"], values["tonnes"], values["years"], values["price"]

    def _send(self, tonnes: float, years: int, price: float) -> None:
        values, _ = self._values()
        action = ProposeOfftake(values["seller"], values["material"], float(tonnes), int(years), float(price),
                                round=min(self.round, self.world.assumptions.negotiation_rounds - 1))
        record = self.app.game.submit(action)
        text = self.app.game.action_text(record, self.app.settings.language, self.app.tr)
        if not record.accepted:
            self.answer, self.counter = ("refuse", self.app.tr("Refused: {reason}", reason=text)), None
        else:
            response = self.world.offtakes.proposals[-1][-1]
            self.answer = (response.action, text)
            self.counter = response.terms if response.action == "counter" else None
            # A contract signed ends these talks: the next proposal opens new ones (it read
            # "Round 5 of 8" after a signing), with a seller that has something left.
            self.round = 0 if response.action == "accept" else self.round + 1
            if response.action == "accept":
                self._to_a_seller_with_something_left()
            self.answered, self.answered_at = self._terms(values), time.monotonic()
        self.rebuild_keeping_focus()

    def _settable(self, choice, values: dict) -> bool:
        """Whether an amount has any value to set now (the others' values as chosen)."""
        return choice.amount.is_settable(self.world, {k: v for k, v in values.items() if k != choice.name})

    def _makes_any(self, values: dict) -> bool:
        return self._settable(next(choice for choice in self.choices if choice.name == "tonnes"), values)

    def propose(self) -> None:
        values, _ = self._values()
        if values["seller"] is None or not self._makes_any(values):
            return
        if self._terms(values) == self.answered and time.monotonic() - self.answered_at < REPEAT_CLICK_SECONDS:
            return  # the same click twice
        self._send(values["tonnes"], values["years"], values["price"])

    def accept_counter(self) -> None:
        if self.counter is not None:
            terms = self.counter
            self._send(terms.volume_tpy, terms.years, terms.price)

    def back(self) -> None:
        self.app.pop(self)
