"""Compare three ways of playing Japan in the first level, "The Trawler Incident" (2010-trawler).

Each policy plays the level once per seed (0-19) and the script prints the mean, lowest and
highest final score (0-100):

- random: the Gymnasium environment (``game.research.env.JapanPolicyEnv``), one lever a quarter
  drawn uniformly from those the action mask allows;
- bot: the heuristic player (``game.bot``), which may pull several levers a quarter;
- history: what Japan actually did (the level's ``[[history]]``).

Run: ``python examples/compare_policies.py`` (needs the research extra: ``pip install ".[research]"``).
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout, installed or not

from game.research.env import evaluate

LEVEL = "2010-trawler"
SEEDS = range(20)
POLICIES = ("random", "bot", "history")


def main() -> None:
    print(f"{LEVEL}, {len(SEEDS)} seeds: final score (0-100)")
    print(f"{'policy':<8} {'mean':>6} {'min':>6} {'max':>6}")
    for policy in POLICIES:
        scores = evaluate(policy, LEVEL, SEEDS)
        print(f"{policy:<8} {statistics.mean(scores):6.1f} {min(scores):6.1f} {max(scores):6.1f}")


if __name__ == "__main__":
    main()
