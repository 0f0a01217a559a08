"""Quantities a player sets on a lever: tonnes, money, years, prices, rates.

An ``Amount`` says how a value reads, the round values the ◀ ▶ steppers move through, the
least and the most allowed now (and what sets the most: the stockpile, the budget, what a
seller can spare), and, where it means something, "what I need". The steppers stop at the
ends, never wrap; any value in range can also be typed, or set to all or to what is needed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from game.ui.text import sentences

#: (value, what limits it, as an English template filled with ``v``) or None when nothing does.
Limit = tuple[float, str]

#: How a unit reads after exactly 1, where it reads otherwise (a contract's years said "From 1
#: years to 20 years").
UNIT_OF_ONE = {"{v} years": "{v} year"}


@dataclass(frozen=True)
class Amount:
    """A quantity choice. The callables take (world, the lever's values chosen so far)."""

    unit: str  # how a value reads, a template filled with ``v``: "{v} t", "US${v}M"
    most: Callable[[Any, dict], Limit]
    least: float = 0.0
    steps: Callable[[Any, dict], Sequence[float]] = lambda world, values: ()
    default: Callable[[Any, dict], float] = lambda world, values: 0.0
    need: Callable[[Any, dict], Limit | None] | None = None  # (tonnes or money, why)
    integer: bool = False
    percent: bool = False  # shown and typed as a percentage of the value
    shown_limit: bool = True  # the form names the most (where the world sets it, not a rule)
    decimals: int | None = None  # fixed decimals (prices: 2), else as format_number reads it
    zero_text: str = ""  # what zero reads as, where it means something else ("market price")
    #: What the value is, a sentence its tooltip begins with where the label does not say it all.
    about: str = ""
    #: Whether its most is what the budget left pays for (money, tonnes bought): with none left,
    #: a form says the budget is out, not that the amount is.
    budget_bound: bool = False

    @property
    def most_words(self) -> str:
        """The amount dialog's button for the most: all there is of tonnes or money, else the most
        allowed (a price, years, a rate: "All of it" set a price ten times the market's)."""
        return "All of it" if self.unit.endswith((" t", " t/yr", "M")) else "The most allowed"

    def tip(self, tr) -> str:
        """The value's tooltip in the player's language (``tr``): what it is, where ``about`` says,
        and how it is set, by typing or by the amount dialog's buttons that do something for it.
        Every amount said "take all or what is needed": for years or a price, neither is offered."""
        if self.need is not None:
            how = tr("Type an amount, or take all or what is needed (Space).") if self.most_words == "All of it" \
                else tr("Type a number, or take the most allowed or what is needed (Space).")
        else:
            how = tr("Type an amount, or take all there is (Space).") if self.most_words == "All of it" \
                else tr("Type a number, or take the most allowed (Space).")
        return sentences(tr(self.about), how) if self.about else how

    def is_settable(self, world, values: dict) -> bool:
        """Whether there is any value to set now (``values``: the other choices as chosen); not
        when the most is below the least (a stockpile released whole, a plant making none)."""
        return self.most(world, values)[0] >= self.least

    def offers_any(self, world, values: dict) -> bool:
        """Whether there is a value above zero to set now: an offtake that no money buys is
        "-" and "none now", not "0 t/yr" and "up to 0 t/yr", though zero is allowed."""
        most = self.most(world, values)[0]
        return most >= self.least and most > 0

    def clamp(self, value: float, world, values: dict) -> float:
        most, _ = self.most(world, values)
        value = min(max(value, self.least), max(most, self.least))
        return float(round(value)) if self.integer else value

    def step_from(self, value: float, direction: int, world, values: dict) -> float:
        """The next round value up or down from ``value``, within the limits (end-stopped)."""
        most, _ = self.most(world, values)
        marks = sorted({*self.steps(world, values), self.least, max(most, self.least)})
        marks = [m for m in marks if self.least - 1e-9 <= m <= most + 1e-9] or [self.least]
        if direction > 0:
            return next((m for m in marks if m > value * (1 + 1e-9) + 1e-12), marks[-1])
        return next((m for m in reversed(marks) if m < value * (1 - 1e-9) - 1e-12), marks[0])

    def shown(self, tr, value: float) -> str:
        """The value as the player reads it, in their language (``tr``)."""
        if self.zero_text and abs(value) < 1e-12:
            return tr(self.zero_text)
        return tr(self.unit_for(value), v=self.figure(value))

    def unit_for(self, value: float) -> str:
        """The unit's template for ``value``: its singular for a value that reads as 1."""
        return UNIT_OF_ONE.get(self.unit, self.unit) if self.figure(value) == "1" else self.unit

    def figure(self, value: float) -> str:
        """The value's number as shown (a rate as a percentage), for the unit's {v}."""
        shown = value * 100 if self.percent else value
        return f"{shown:,.{self.decimals}f}" if self.decimals is not None else format_number(shown)

    def parse(self, typed: str) -> float | None:
        """A typed value ("1,250", "37.5", "40%"), or None if it is no number."""
        cleaned = re.sub(r"[\s,_%$¥円tT/yrUS]", "", typed.replace("，", "").replace("．", "."))
        cleaned = cleaned.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
        try:
            value = float(cleaned)
        except ValueError:
            return None
        if not math.isfinite(value):
            return None
        return value / 100 if self.percent else value


def format_number(value: float) -> str:
    """A figure as a person writes it: 1,250; 37.5; 0.4."""
    if abs(value - round(value)) < 1e-9:
        return f"{round(value):,}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:,.1f}"
    return f"{value:.2f}".rstrip("0")


def tonnage_steps(world, values: dict) -> tuple[float, ...]:
    """Round tonnages for the material chosen: Dy/Tb moves in single tonnes, NdPr and Ce/La in tens."""
    if values.get("material") is not None and values["material"].value == "dytb":
        return (1, 2, 5, 10, 20, 25, 50, 75, 100, 150, 200, 250, 500, 1000)
    return (10, 25, 50, 100, 250, 500, 750, 1000, 1500, 2000, 3000, 5000, 7500, 10000, 20000)


def money_steps(world, values: dict) -> tuple[float, ...]:
    return (1, 5, 10, 25, 50, 75, 100, 150, 250, 500, 750, 1000, 1500, 2000, 3000)


def yearly_tonnage_steps(world, values: dict) -> tuple[float, ...]:
    if values.get("material") is not None and values["material"].value == "dytb":
        return (1, 2, 5, 10, 20, 30, 50, 100, 200, 500)
    return (25, 50, 100, 250, 500, 1000, 1500, 2000, 2500, 3500, 5000, 8500, 10000, 20000)


#: The leading figures of a round price (1.2, 15, 250, 4,000): none more than a quarter above the last.
ROUND_PRICE_FIGURES = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0)


def round_prices(low: float, high: float) -> tuple[float, ...]:
    """Round prices from ``low`` to ``high`` (US$ a kg, so none under a cent)."""
    if high <= 0 or high < low:
        return ()
    first, last = math.floor(math.log10(max(low, 0.01))), math.ceil(math.log10(high))
    marks = (round(figure * 10.0 ** decade, 2) for decade in range(first, last + 1) for figure in ROUND_PRICE_FIGURES)
    return tuple(mark for mark in marks if low <= mark <= high)
