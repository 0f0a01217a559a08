"""The levels as the window lists them: read once through the scenario reader, then kept; and
the stars a level has earned, as every screen writes them."""

from __future__ import annotations

from functools import lru_cache

from game.scenario import ScenarioError, find_level, load_campaign, load_level
from game.spec import Campaign, Scenario


@lru_cache(maxsize=32)
def scenario(level_ref: str) -> Scenario:
    """Raises ScenarioError (with its problems) for a broken level."""
    return load_level(find_level(level_ref))


@lru_cache(maxsize=1)
def campaign() -> Campaign:
    return load_campaign()


def history_before(level: Scenario) -> list:
    """The events of the history a level continues (its ``starts_from``), in date order, since
    the campaign's previous level began (since that history began for the first): what the
    player has missed, for the briefing to tell on one page."""
    if not level.starts_from_path:
        return []
    source = scenario(level.starts_from_path)
    ids = [entry.level for entry in campaign().entries]
    since = source.start
    if level.id in ids and ids.index(level.id) > 0:
        try:
            since = scenario(ids[ids.index(level.id) - 1]).start
        except ScenarioError:  # a broken previous level: the whole history instead
            since = source.start
    return sorted((e for e in source.events if since <= e.quarter < level.start), key=lambda e: e.date)


def first_level() -> str:
    """The campaign's first level (the one the tutorial runs on)."""
    entries = campaign().entries
    return entries[0].level if entries else ""


def stars_text(stars: int) -> str:
    """``★★☆``: the stars earned of three."""
    return "★" * stars + "☆" * (3 - stars)
