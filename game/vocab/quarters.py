"""Quarters: the unit of game time (one turn is one quarter, e.g. ``2010Q3``).

Shared vocabulary; imports nothing from the project but game.quoting, which says a refused value
back and knows nothing of the game.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from game.quoting import said_back
from game.vocab.refusals import Refusal

#: The game's calendar: wide enough for any history or outlook, narrow enough for dates to work.
FIRST_YEAR, LAST_YEAR = 1900, 2200
_QUARTER_PATTERN = re.compile(r"^(\d{4})Q([1-4])$")


@dataclass(frozen=True, order=True)
class Quarter:
    """A calendar quarter. Ordered, hashable, and steps with ``+ n``."""

    year: int
    q: int

    def __post_init__(self) -> None:
        if not 1 <= self.q <= 4:
            raise Refusal("quarter number must be 1..4, got {q}", q=self.q)
        if not FIRST_YEAR <= self.year <= LAST_YEAR:
            raise Refusal("expected a year from {first} to {last}, got {year}", first=FIRST_YEAR, last=LAST_YEAR,
                          year=self.year)

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """Read ``"2010Q3"``; raise ValueError naming the expected form otherwise."""
        match = _QUARTER_PATTERN.match(text.strip()) if isinstance(text, str) else None
        if match is None:
            if isinstance(text, (dt.date, dt.time)):  # TOML's bare 2010-07-01 (a datetime is a date too)
                raise Refusal("expected a quarter like 2010Q3 (in quotes), got the time {day}"
                              if isinstance(text, dt.time)
                              else "expected a quarter like 2010Q3 (in quotes), got the date {day}",
                              day=text.isoformat())
            raise Refusal("expected a quarter like 2010Q3, got {shown}", shown=said_back(text, 40))
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of_date(cls, day: dt.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    def __add__(self, n: int) -> Quarter:
        index = self.year * 4 + (self.q - 1) + n
        return Quarter(index // 4, index % 4 + 1)

    def __sub__(self, other: Quarter | int):
        """``q - n`` steps back n quarters; ``q - other`` counts the quarters from other to q."""
        if isinstance(other, int):
            return self + (-other)
        return (self.year * 4 + self.q) - (other.year * 4 + other.q)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, 3 * self.q - 2, 1)

    @property
    def end_day(self) -> dt.date:
        """The day after the quarter ends (exclusive bound)."""
        return (self + 1).first_day

    @property
    def days(self) -> int:
        return (self.end_day - self.first_day).days

    def share_of_days(self, start: dt.date, until: dt.date | None) -> float:
        """Share of this quarter's days within [start, until); ``until=None`` means open-ended."""
        lo = max(start, self.first_day)
        hi = self.end_day if until is None else min(until, self.end_day)
        return max(0, (hi - lo).days) / self.days

    def __str__(self) -> str:
        return f"{self.year}Q{self.q}"


def parse_date(text: str) -> dt.date:
    """Read ``YYYY-MM-DD`` or ``YYYY-MM`` (taken as the first of the month)."""
    if not isinstance(text, str):
        raise Refusal("expected a date like 2010-09-21, got {shown}", shown=said_back(text, 40))
    day = None
    try:
        if re.fullmatch(r"\d{4}-\d{2}", text):
            day = dt.date.fromisoformat(text + "-01")
        elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            day = dt.date.fromisoformat(text)
    except ValueError:
        pass
    if day is None:
        raise Refusal("expected a date like 2010-09-21 or 2010-09, got {shown}", shown=said_back(text, 40))
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise Refusal("expected a year from {first} to {last}, got {year}", first=FIRST_YEAR, last=LAST_YEAR, year=day.year)
    return day
