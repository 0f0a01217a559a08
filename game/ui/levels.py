"""The levels as the window lists them: read once through the scenario reader, then kept; and
the stars a level has earned, as every screen writes them."""

from __future__ import annotations

from functools import lru_cache

from game.scenario import ScenarioError, find_level, load_campaign, load_level
from game.spec import Campaign, Scenario
from game.vocab.quarters import Quarter


@lru_cache(maxsize=32)
def scenario(level_ref: str) -> Scenario:
    """Raises ScenarioError (with its problems) for a broken level."""
    return load_level(find_level(level_ref))


@lru_cache(maxsize=1)
def campaign() -> Campaign:
    return load_campaign()


def history_span(level: Scenario) -> tuple[Quarter, Quarter] | None:
    """The quarters of the history a level continues (its ``starts_from``) that its briefing
    tells: from the campaign's previous level's first quarter (the history's first, for the
    first level or one outside the campaign) to the quarter before the level's own. What really
    happened while the player played the previous level, and since: the player's game of it went
    its own way. None for a level that continues no history."""
    if not level.starts_from_path:
        return None
    source = scenario(level.starts_from_path)
    ids = [entry.level for entry in campaign().entries]
    since = source.start
    if level.id in ids and ids.index(level.id) > 0:
        try:
            since = scenario(ids[ids.index(level.id) - 1]).start
        except ScenarioError:  # a broken previous level: the whole history instead
            since = source.start
    return since, level.start - 1


def history_before(level: Scenario) -> tuple[Quarter, Quarter, list] | None:
    """``history_span``'s first and last quarters and its events in date order: what the player
    has missed, for the briefing to tell on one page. None for a level that continues no history."""
    span = history_span(level)
    if span is None:
        return None
    since, last = span
    events = sorted((e for e in scenario(level.starts_from_path).events if since <= e.quarter <= last),
                    key=lambda e: e.date)
    return since, last, events


def first_level() -> str:
    """The campaign's first level (the one the tutorial runs on)."""
    entries = campaign().entries
    return entries[0].level if entries else ""


def stars_text(stars: int) -> str:
    """``★★☆``: the stars earned of three."""
    return "★" * stars + "☆" * (3 - stars)
