"""Golden runs: every shipped level x passive, history and bot x seeds 0-2, as text; and a
large world (the first level with every firm split in 25, about 1,100 firms), whose many firms
per nation and steps per market the levels do not have.

A run's golden record is its CSV (what ``rare-earths run --out`` writes) and a log of the
news and of every action the session took or refused. Besides, random games of every level
(``tests/test_random_play.py``'s player: any lever, nonsense amounts, half of them hot seats
with a facilitator) are recorded as digests of their rows and of which actions were taken: they
pull levers no strategy pulls, so a change of behaviour the strategies' runs miss shows there. ``tests/test_golden.py`` requires
today's code to reproduce these files byte for byte, so a restructuring that changes
behaviour fails loudly. When behaviour is meant to change, record them anew and commit
them with the change that explains why:

    python tests/golden_runs.py            # rewrite tests/golden/
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
LARGE_DIR = GOLDEN_DIR / "large"
#: (level, copies of each firm, seed) of the large-world golden runs (strategy: history).
LARGE_WORLDS = (("2010-trawler", 25, 0),)
STRATEGIES = ("passive", "history", "bot")
SEEDS = (0, 1, 2)
#: Random games recorded as digests (``random_game_digest``): this many of each level.
RANDOM_GAMES_PER_LEVEL = 8
RANDOM_GAMES_FILE = GOLDEN_DIR / "random_games.txt"

if __name__ == "__main__":  # run as a script: find the project's packages
    sys.path.insert(0, str(GOLDEN_DIR.parent.parent))

from game.cli import rows_to_csv  # noqa: E402
from game.players import controller_for  # noqa: E402
from game.research.scaling import split_firms  # noqa: E402
from game.scenario import load_level, shipped_level_paths  # noqa: E402
from game.session import Session  # noqa: E402


def level_ids() -> list[str]:
    return [path.stem for path in shipped_level_paths()]


def golden_name(level: str, strategy: str, seed: int) -> str:
    return f"{level}.{strategy}.{seed}"


def record(level: str, strategy: str, seed: int) -> tuple[str, str]:
    """(the run's CSV, its log of news and actions), exactly as the golden files hold them."""
    from game.scenario import find_level

    scenario = load_level(find_level(level))
    session = Session(scenario, controller_for(strategy, scenario), seed=seed)
    try:
        session.run()
        log = [f"news {n.quarter} {n.kind} | {n.headline} | {n.source}" for n in session.world.news]
        log += [f"action {r.quarter} {r.action.kind} {'taken' if r.accepted else 'refused'} | {r.message}"
                for r in session.actions]
        return rows_to_csv(session.rows()), "\n".join(log) + "\n"
    finally:
        session.close()


def large_name(level: str, copies: int, seed: int) -> str:
    return f"{level}.x{copies}.{seed}"


def record_large(level: str, copies: int, seed: int) -> tuple[str, str]:
    """(the run's CSV, its log of news then a digest of the agents' rows of each quarter) for a
    large world. The agents' rows count: a restructuring of the firms must keep each one's
    history, not only the totals; a digest a quarter keeps the file small and still says
    from which quarter they differ."""
    from game.scenario import find_level

    scenario = split_firms(load_level(find_level(level)), copies)
    session = Session(scenario, controller_for("history", scenario), seed=seed)
    try:
        session.run()
        log = [f"news {n.quarter} {n.kind} | {n.headline}" for n in session.world.news]
        agents = session.world.datacollector.get_agent_vars_dataframe().reset_index()
        by_step: dict[object, list[str]] = {}
        for row in agents.itertuples(index=False):
            text = " ".join(repr(value) if isinstance(value, float) else str(value) for value in row)
            by_step.setdefault(row[0], []).append(text)
        log += [f"agents step {step}: {len(rows)} rows, sha256 "
                f"{hashlib.sha256(chr(10).join(rows).encode('utf-8')).hexdigest()}" for step, rows in by_step.items()]
        return rows_to_csv(session.rows()), "\n".join(log) + "\n"
    finally:
        session.close()


def random_game_digest(index: int) -> str:
    """Random game ``index`` (its level the index's place among the levels, its choices drawn
    from ``random.Random(index)``) as one line: the level, and digests of its rows (the CSV
    ``rare-earths run --out`` writes) and of the actions it submitted and whether each was taken
    (not the refusals' words, which change with the wording alone)."""
    import random

    import test_random_play as play  # beside this file; needs the test extra (Hypothesis)

    level = play.LEVELS[index % len(play.LEVELS)]
    choose = play.Chooser(rng=random.Random(index))
    session = play.random_session(level, choose)
    try:
        while not session.is_over:
            session.open_turn()
            for action, acting in play.random_turn(session, choose):
                session.submit(action, acting)
            session.end_turn()
        actions = "".join(f"{r.quarter} {r.nation} {r.action!r} {r.accepted}\n" for r in session.actions)
        rows, taken = (hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
                       for text in (rows_to_csv(session.rows()), actions))
        return f"game {index} {level}: rows {rows}, actions {taken}"
    finally:
        session.close()


def random_game_indices() -> range:
    return range(RANDOM_GAMES_PER_LEVEL * len(level_ids()))


def main() -> None:
    GOLDEN_DIR.mkdir(exist_ok=True)
    for level in level_ids():
        for strategy in STRATEGIES:
            for seed in SEEDS:
                csv_text, log_text = record(level, strategy, seed)
                name = golden_name(level, strategy, seed)
                (GOLDEN_DIR / f"{name}.csv").write_text(csv_text, encoding="utf-8")
                (GOLDEN_DIR / f"{name}.log").write_text(log_text, encoding="utf-8")
                print(name, flush=True)
    LARGE_DIR.mkdir(exist_ok=True)
    for level, copies, seed in LARGE_WORLDS:
        csv_text, log_text = record_large(level, copies, seed)
        name = large_name(level, copies, seed)
        (LARGE_DIR / f"{name}.csv").write_text(csv_text, encoding="utf-8")
        (LARGE_DIR / f"{name}.log").write_text(log_text, encoding="utf-8")
        print(name, flush=True)
    lines = [random_game_digest(index) for index in random_game_indices()]
    RANDOM_GAMES_FILE.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(RANDOM_GAMES_FILE.name, flush=True)


if __name__ == "__main__":
    main()
