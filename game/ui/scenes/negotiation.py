"""The negotiation dialog: set terms, propose, read the answer (accept, counter with its reason,
or refusal), see the "fair price" hint, then accept the counter or walk away.

Each proposal is a ProposeOfftake action through the session, so it costs political capital
and shows in the turn's record like any other lever."""

from __future__ import annotations

from game.actions import ProposeOfftake
from game.ui.levers import offtake_choices
from game.ui.modal import ModalScene
from game.ui.registry import register_scene
from game.ui.text import escape
from game.vocab.materials import MATERIAL_INDEX
from game.vocab.nations import JAPAN
from game.world.views import fair_offtake_terms

PRICE_FACTORS = (0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 2.0)


@register_scene("negotiation")
class NegotiationScene(ModalScene):
    def __init__(self, app):
        super().__init__(app)
        self.chosen = {"price": 4}
        self.round = 0
        self.answer: tuple[str, str] | None = None  # (kind, text)
        self.counter = None  # Terms offered back

    @property
    def world(self):
        return self.app.game.world

    def _options(self):
        world = self.world
        choices = list(offtake_choices())
        values = {}
        for choice in choices:
            options = choice.options(world)
            index = self.chosen.get(choice.name, min(choice.default, len(options) - 1))
            values[choice.name] = options[index][0] if options else None
        japan_price = float(world.prices[world.nation_index(JAPAN), MATERIAL_INDEX[values["material"]]])
        prices = [(round(f * japan_price, 2), f"US${f * japan_price:,.2f}/kg ({f:.0%})") for f in PRICE_FACTORS]
        values["price"] = prices[self.chosen["price"]][0]
        return choices, values, prices, japan_price

    def build(self) -> None:
        app, tr = self.app, self.app.tr
        rect = self.frame(760, 560)
        pad, _line = self.u(16), self.u(26)
        choices, values, prices, japan_price = self._options()
        self.label(self.rect(pad, pad, rect.w - 2 * pad, self.u(32)), tr("Propose an offtake contract"), "#heading",
                   container=self.box)
        y = pad + self.u(40)
        label_w, arrow = self.u(170), self.u(36)
        value_w = rect.w // 2 - label_w
        rows = [(c.label, c.name, c.options(self.world)) for c in choices] + [("Price", "price", prices)]
        for label, name, options in rows:
            index = self.chosen.get(name, next((c.default for c in choices if c.name == name), 0))
            index = min(index, len(options) - 1)
            count = len(options)
            self.label(self.rect(pad, y, label_w, self.u(32)), tr(label), container=self.box)
            self.button(self.rect(pad + label_w, y, arrow, self.u(32)), "◀", lambda n=name, k=count: self.step(n, k, -1),
                        tr("Previous {what}", what=tr(label).lower()), object_id="#small_button", container=self.box)
            shown = tr(options[index][1], v=options[index][0]) if options else "-"
            self.label(self.rect(pad + label_w + arrow + self.u(4), y, value_w + self.u(120), self.u(32)),
                       self.fit(shown, value_w + self.u(110), "small"), "#small", container=self.box)
            self.button(self.rect(pad + label_w + arrow + value_w + self.u(130), y, arrow, self.u(32)), "▶",
                        lambda n=name, k=count: self.step(n, k, 1), tr("Next {what}", what=tr(label).lower()),
                        object_id="#small_button", container=self.box)
            y += self.u(38)
        hint = None
        if values["seller"] is not None:
            hint = fair_offtake_terms(self.world, JAPAN, values["seller"], MATERIAL_INDEX[values["material"]],
                                      float(values["tonnes"]))
        lines = [f"<b>{escape(tr('Fair price hint'))}</b>: " + escape(
            tr("about US${price:,.2f}/kg for {tonnes:,.0f} t/yr over {years} years", price=hint.price,
               tonnes=hint.volume_tpy, years=hint.years) if hint else tr("no terms suit both sides now"))]
        lines.append(escape(tr("Japan's price now: US${price:,.2f}/kg. Each proposal costs 1 political capital.",
                               price=japan_price)))
        indexed = self.world.assumptions.contract_index_share
        lines.append(escape(tr("A contract's price is {fixed:.0%} the price agreed and {indexed:.0%} Japan's market "
                               "price at each delivery.", fixed=1.0 - indexed, indexed=indexed)))
        if self.answer is not None:
            kind, text = self.answer
            colour = {"accept": app.colours.good, "counter": app.colours.star}.get(kind, app.colours.bad)
            lines.append("")
            lines.append(f"<font color='{colour}'><b>{escape(text)}</b></font>")
            if self.counter is not None:
                lines.append(escape(tr("Their terms: {tonnes:,.0f} t/yr for {years} years at US${price:,.2f}/kg",
                                       tonnes=self.counter.volume_tpy, years=self.counter.years,
                                       price=self.counter.price)))
        self.text_box(self.rect(pad, y + self.u(4), rect.w - 2 * pad, rect.h - y - self.u(70) - pad),
                      "<br>".join(lines), container=self.box)
        bw, by = (rect.w - 4 * pad) // 3, rect.h - self.u(50) - pad // 2
        self.button(self.rect(pad, by, bw, self.u(44)), tr("Propose"), self.propose,
                    tr("Send these terms; the seller answers at once."), object_id="#primary", container=self.box)
        self.button(self.rect(2 * pad + bw, by, bw, self.u(44)), tr("Accept their terms"), self.accept_counter,
                    tr("Sign on the seller's counter-offer."), enabled=self.counter is not None, container=self.box)
        self.button(self.rect(3 * pad + 2 * bw, by, bw, self.u(44)), tr("Walk away"), self.back,
                    tr("Close the talks; nothing is signed."), container=self.box)
        if self.focus < 0:
            self.focus = next(i for i, f in enumerate(self.focusables) if f.element.text == tr("Propose"))

    def step(self, name: str, count: int, direction: int) -> None:
        if count:
            default = next((c.default for c in offtake_choices() if c.name == name), 0)
            self.chosen[name] = (self.chosen.get(name, default) + direction) % count
            if name in ("seller", "material", "tonnes"):
                self.round, self.counter = 0, None
            self.rebuild_keeping_focus()

    def _send(self, tonnes: float, years: int, price: float) -> None:
        _, values, _, _ = self._options()
        action = ProposeOfftake(values["seller"], values["material"], float(tonnes), int(years), float(price),
                                round=min(self.round, self.world.assumptions.negotiation_rounds - 1))
        record = self.app.game.submit(action)
        if not record.accepted:
            self.answer, self.counter = ("refuse", self.app.tr("Refused: {reason}", reason=record.message)), None
        else:
            response = self.world.offtakes.proposals[-1][-1]
            self.answer = (response.action, record.message)
            self.counter = response.terms if response.action == "counter" else None
            self.round += 1
        self.rebuild_keeping_focus()

    def propose(self) -> None:
        _, values, _, _ = self._options()
        if values["seller"] is None:
            return
        self._send(values["tonnes"], values["years"], values["price"])

    def accept_counter(self) -> None:
        if self.counter is not None:
            terms = self.counter
            self._send(terms.volume_tpy, terms.years, terms.price)

    def back(self) -> None:
        self.app.pop(self)
