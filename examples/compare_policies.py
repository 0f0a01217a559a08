"""Compare three ways of playing Japan in the first level, "The Trawler Incident" (2010-trawler).

Each policy plays the level once per seed (0-19) and the script prints the mean, lowest and
highest final score (0-100):

- random: the Gymnasium environment (``game.research.env.JapanPolicyEnv``), one lever a quarter
  drawn uniformly from those the action mask allows;
- bot: the heuristic player (``game.bot``), which may pull several levers a quarter;
- history: what Japan actually did (the level's ``[[history]]``).

Run: ``python examples/compare_policies.py [--level ID] [--seeds N]`` (needs the research extra:
``pip install ".[research]"``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout, installed or not

from game.research.env import evaluate
from game.research.runner import scenario_for

POLICIES = ("random", "bot", "history")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--level", default="2010-trawler", help="a level id or file (default: 2010-trawler)")
    parser.add_argument("--seeds", type=int, default=20, help="seeds 0 to N-1 for each policy (default: 20)")
    args = parser.parse_args(argv)
    if args.seeds < 1:
        parser.error(f"--seeds: expected at least 1, got {args.seeds}")
    seeds = range(args.seeds)
    try:
        scenario = scenario_for(args.level, {})  # before any heading: an unknown level is one line
        if not scenario.history:
            raise ValueError(f"level {args.level}: it records no history for Japan to play, to compare with")
        print(f"{args.level}, {len(seeds)} seeds: final score (0-100)")
        print(f"{'policy':<8} {'mean':>6} {'min':>6} {'max':>6}")
        for policy in POLICIES:
            scores = evaluate(policy, args.level, seeds)
            print(f"{policy:<8} {statistics.mean(scores):6.1f} {min(scores):6.1f} {max(scores):6.1f}")
    except ValueError as error:  # a level that cannot be played so (game.scenario.ScenarioError is one)
        print(f"error: {error}", file=sys.stderr)
        return 1  # as the command line's: what it names cannot be used
    return 0


if __name__ == "__main__":
    sys.exit(main())
