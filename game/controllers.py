"""Who decides for a nation: a human, a script, or a bot — one protocol.

A controller looks at the session (read-only) and returns the actions it wants this
turn; the session applies them through the same path as a player's clicks.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from game.actions import Action, action_from_dict
from game.scenario import ScenarioError, levels_dir, load_strategy_file
from game.spec import StrategyTurn

if TYPE_CHECKING:
    from game.spec import Scenario
    from game.session import Session

STRATEGY_NAMES = ("passive", "history", "bot")


class Controller(Protocol):
    name: str

    def decide(self, session: Session) -> list[Action]:
        """The actions to take this turn, in order."""


class PassiveController:
    """Does nothing: the baseline every strategy is measured against."""

    name = "passive"

    def decide(self, session: Session) -> list[Action]:
        return []


class ScriptedController:
    """Plays a fixed list of turns (quarter + actions): history, or a strategy file."""

    def __init__(self, name: str, turns: Sequence[StrategyTurn]):
        self.name = name
        self._by_quarter: dict = {}
        for turn in turns:
            actions = [action_from_dict({"kind": a.kind, **dict(a.params)}) for a in turn.actions]
            self._by_quarter.setdefault(turn.quarter, []).extend(actions)

    def decide(self, session: Session) -> list[Action]:
        return list(self._by_quarter.get(session.world.quarter, []))


def controller_for(strategy: str, scenario: Scenario) -> Controller:
    """``passive``, ``history`` (what Japan actually did in the level), the name of a shipped
    strategy (``levels/strategies/NAME.toml``), or a strategy file.

    Raises:
        ScenarioError: the file is missing or invalid, or the name is unknown.
    """
    if strategy == "passive":
        return PassiveController()
    if strategy == "history":
        return ScriptedController("history", scenario.history)
    if strategy == "bot":
        from game.bot import BotController  # the bot reads the world; only it needs these imports

        return BotController()
    shipped = levels_dir() / "strategies" / f"{strategy}.toml"
    if "/" not in strategy and "\\" not in strategy and shipped.is_file():
        return ScriptedController(strategy, load_strategy_file(shipped))
    path = Path(strategy)
    if path.suffix == ".toml" or path.exists():
        if not path.is_file():
            raise ScenarioError.single(strategy, "no such strategy file")
        return ScriptedController(path.stem, load_strategy_file(path))
    shipped_names = sorted(p.stem for p in (levels_dir() / "strategies").glob("*.toml"))
    raise ScenarioError.single(strategy, "unknown strategy (expected "
                               + ", ".join(STRATEGY_NAMES + tuple(shipped_names)) + " or a .toml file)")
