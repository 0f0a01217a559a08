"""Who plays Japan, by name: ``passive``, ``history``, ``bot``, a shipped strategy or a file."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from game.bot import BotController
from game.controllers import (
    STRATEGY_NAMES,
    Controller,
    PassiveController,
    ScriptedController,
)
from game.scenario import ScenarioError, levels_dir, load_level, load_strategy_file
from game.scenario.references import projects_it_may_have, unknown_references
from game.spec import Scenario

#: How much of a strategy name a message quotes (a name may be thousands of characters long).
SHOWN_NAME_CHARACTERS = 60


def controller_for(strategy: str, scenario: Scenario) -> Controller:
    """``passive``, ``history`` (what Japan actually did in the level), ``bot``, the name of a
    shipped strategy (``levels/strategies/NAME.toml``), or a strategy file.

    Raises:
        ScenarioError: the file is missing or invalid, the name is unknown, or ``history`` on a
            level that records none.
    """
    if strategy == "passive":
        return PassiveController()
    if strategy == "history":
        if not scenario.history:  # it would play passive without a word
            raise ScenarioError.single(scenario.path or scenario.id, "the level records no history for Japan to "
                                       "play (no [[history]]): choose passive, bot or a strategy", "history")
        return ScriptedController("history", scenario.history)
    if strategy == "bot":
        return BotController()
    path = strategy_file(strategy)
    turns = load_strategy_file(path, scenario.start, scenario.end)
    problems = unknown_references(str(path), turns, scenario.world, projects_it_may_have(scenario, load_level))
    if problems:
        raise ScenarioError(problems)
    return ScriptedController(path.stem, turns)




def strategy_file(strategy: str) -> Path:
    """The file a strategy other than ``passive``, ``history`` and ``bot`` plays from: a shipped
    strategy's (``levels/strategies/NAME.toml``), or the file the name is a path to.

    Raises:
        ScenarioError: in one line, naming the strategy: an unknown name, no such file, a
            folder, a device or a pipe (which could block or never end), or a name the system
            refuses (one longer than a file name may be).
    """
    shown = strategy if len(strategy) <= SHOWN_NAME_CHARACTERS else strategy[:SHOWN_NAME_CHARACTERS - 3] + "..."
    if not strategy or "\0" in strategy:
        raise ScenarioError.single(repr(shown), "not a strategy name")
    shipped = _shipped_folder() / f"{strategy}.toml"
    if "/" not in strategy and "\\" not in strategy and _kind(shipped) == "file":
        return shipped
    path = Path(strategy)
    kind = _kind(path)
    if kind == "file":
        return path
    if kind == "folder":
        raise ScenarioError.single(shown, "a folder, not a strategy file")
    if kind == "other":
        raise ScenarioError.single(shown, "not a regular file (a device, a pipe or a socket), not a strategy file")
    if kind == "too long":
        raise ScenarioError.single(shown, "no such strategy (the name is longer than a file name may be)")
    if kind != "missing":
        raise ScenarioError.single(shown, f"cannot read the strategy file ({kind})")
    if path.suffix == ".toml":
        raise ScenarioError.single(shown, "no such strategy file")
    shipped_names = sorted(p.stem for p in _shipped_folder().glob("*.toml"))
    raise ScenarioError.single(shown, "unknown strategy (expected "
                               + ", ".join(STRATEGY_NAMES + tuple(shipped_names)) + " or a .toml file)")


def _shipped_folder() -> Path:
    return levels_dir() / "strategies"


def _kind(path: Path) -> str:
    """``file``, ``folder``, ``other`` (a device, a pipe, a socket), ``missing``, ``too long`` (a
    name the system refuses) or the system's reason it cannot look (``Permission denied``),
    never an OSError."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        if error.errno in (errno.ENOENT, errno.ENOTDIR):
            return "missing"
        return "too long" if error.errno == errno.ENAMETOOLONG else (error.strerror or "cannot be read")
    if stat.S_ISREG(mode):
        return "file"
    return "folder" if stat.S_ISDIR(mode) else "other"
