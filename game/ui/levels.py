"""The levels as the window lists them: read once through the scenario reader, then kept."""

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
