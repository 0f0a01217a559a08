"""The level reader: the only code that reads ``levels/``.

TOML is checked in ``toml_reader``; ``world_file``, ``events``, ``strategies``,
``level_file`` and ``campaign`` read each kind of file into the frozen specs of
``game.spec``; ``assumptions`` checks the behavioural constants wherever they are set (world
and level files, ``--set``, the API); ``catalogue`` finds shipped levels; ``reference`` reads
the reference data the game shows as history. What it accepts never fails at run time.
"""

from game.scenario.assumptions import AssumptionError, parse_setting, with_assumptions
from game.scenario.campaign import load_campaign
from game.scenario.catalogue import find_level, levels_dir, shipped_level_paths
from game.scenario.level_file import load_level
from game.scenario.strategies import load_strategy_file
from game.scenario.toml_reader import Problem, ScenarioError
from game.scenario.world_file import load_world

__all__ = ["AssumptionError", "Problem", "ScenarioError", "find_level", "levels_dir", "load_campaign",
           "load_level", "load_strategy_file", "load_world", "parse_setting", "shipped_level_paths",
           "with_assumptions"]
