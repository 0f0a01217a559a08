"""The levels as the window lists them: read once through the scenario reader, then kept; and
the stars a level has earned, as every screen writes them."""

from __future__ import annotations

from functools import lru_cache

from game.scenario import find_level, load_campaign, load_level
from game.spec import Campaign, Scenario


@lru_cache(maxsize=32)
def scenario(level_ref: str) -> Scenario:
    """Raises ScenarioError (with its problems) for a broken level."""
    return load_level(find_level(level_ref))


@lru_cache(maxsize=1)
def campaign() -> Campaign:
    return load_campaign()


def first_level() -> str:
    """The campaign's first level (the one the tutorial runs on)."""
    entries = campaign().entries
    return entries[0].level if entries else ""


def stars_text(stars: int) -> str:
    """``★★☆``: the stars earned of three."""
    return "★" * stars + "☆" * (3 - stars)
