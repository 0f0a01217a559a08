"""Who decides for a nation: a human, a script, or a bot — one protocol.

A controller looks at the world (read-only, through ``game.world.views`` and the world's
state) and the level, and returns the actions it wants this turn; the session applies them
through the same path as a player's clicks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from game.actions import Action, action_from_dict
from game.spec import Scenario, StrategyTurn

if TYPE_CHECKING:  # for the annotations only: naming strategies must not load the simulation
    from game.world.model import RareEarthWorld

#: The strategies every level offers, besides shipped and custom strategy files.
STRATEGY_NAMES = ("passive", "history", "bot")


class Controller(Protocol):
    name: str

    def decide(self, world: RareEarthWorld, scenario: Scenario) -> list[Action]:
        """The actions to take this turn, in order."""


class PassiveController:
    """Does nothing: the baseline every strategy is measured against."""

    name = "passive"

    def decide(self, world: RareEarthWorld, scenario: Scenario) -> list[Action]:
        return []


class ScriptedController:
    """Plays a fixed list of turns (quarter + actions): history, or a strategy file."""

    def __init__(self, name: str, turns: Sequence[StrategyTurn]):
        self.name = name
        self._by_quarter: dict = {}
        for turn in turns:
            # Files were checked when read; an amount changed since (a scaled history) is
            # refused in play, whole, if the game cannot take it.
            actions = [action_from_dict({"kind": a.kind, **dict(a.params)}, amounts_checked=False)
                       for a in turn.actions]
            self._by_quarter.setdefault(turn.quarter, []).extend(actions)

    def decide(self, world: RareEarthWorld, scenario: Scenario) -> list[Action]:
        return list(self._by_quarter.get(world.quarter, []))
