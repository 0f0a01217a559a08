"""Who plays Japan, by name: ``passive``, ``history``, ``bot``, a shipped strategy or a file."""

from __future__ import annotations

from pathlib import Path

from game.bot import BotController
from game.controllers import (
    STRATEGY_NAMES,
    Controller,
    PassiveController,
    ScriptedController,
)
from game.scenario import ScenarioError, levels_dir, load_strategy_file
from game.spec import Scenario


def controller_for(strategy: str, scenario: Scenario) -> Controller:
    """``passive``, ``history`` (what Japan actually did in the level), ``bot``, the name of a
    shipped strategy (``levels/strategies/NAME.toml``), or a strategy file.

    Raises:
        ScenarioError: the file is missing or invalid, or the name is unknown.
    """
    if strategy == "passive":
        return PassiveController()
    if strategy == "history":
        return ScriptedController("history", scenario.history)
    if strategy == "bot":
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
