"""Headless research: seeded runs and their results, sweeps over seeds, strategies and
assumptions (``sweep``), calibration against the reference, a Gymnasium environment (``env``)
and an EMA Workbench connector (``ema``). See docs/research.md.

``run(level, strategy, seed, assumptions)`` is the one door: the command line, sweeps, the
environment and the EMA connector all play levels through it (or, for the environment, through
the same session it uses).
"""

from game.research.runner import RunResult, level_world, model_version, run

__all__ = ["RunResult", "level_world", "model_version", "run"]
