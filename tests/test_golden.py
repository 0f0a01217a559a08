"""Every shipped level x strategy x seed reproduces its recorded history byte for byte, and
random games of every level their recorded digests.

The golden files were recorded before the code was restructured; a change that alters
behaviour must record them anew (``python tests/golden_runs.py``) and say why.
"""

from __future__ import annotations

import pytest

from golden_runs import (
    GOLDEN_DIR,
    LARGE_DIR,
    LARGE_WORLDS,
    RANDOM_GAMES_FILE,
    SEEDS,
    STRATEGIES,
    golden_name,
    large_name,
    level_ids,
    random_game_digest,
    random_game_indices,
    record,
    record_large,
)


@pytest.mark.parametrize("level", level_ids())
def test_level_reproduces_its_golden_runs(level):
    differ = []
    for strategy in STRATEGIES:
        for seed in SEEDS:
            name = golden_name(level, strategy, seed)
            csv_text, log_text = record(level, strategy, seed)
            if csv_text != (GOLDEN_DIR / f"{name}.csv").read_text(encoding="utf-8"):
                differ.append(f"{name}.csv")
            if log_text != (GOLDEN_DIR / f"{name}.log").read_text(encoding="utf-8"):
                differ.append(f"{name}.log")
    assert not differ, "runs no longer match their golden record: " + ", ".join(differ)


@pytest.mark.parametrize(("level", "copies", "seed"), LARGE_WORLDS)
def test_a_large_world_reproduces_its_golden_run(level, copies, seed):
    """Every firm split in many: the indicators, the news and each agent's rows, quarter by
    quarter, as recorded (a restructuring of the firms or the market must keep them)."""
    csv_text, log_text = record_large(level, copies, seed)
    name = large_name(level, copies, seed)
    assert csv_text == (LARGE_DIR / f"{name}.csv").read_text(encoding="utf-8"), f"{name}.csv differs"
    recorded = (LARGE_DIR / f"{name}.log").read_text(encoding="utf-8").splitlines()
    differ = [line for line, old in zip(log_text.splitlines(), recorded) if line != old]
    assert not differ and len(log_text.splitlines()) == len(recorded), f"{name}.log differs from: {differ[:1]}"


def test_every_random_game_has_its_recorded_digest():
    """The record holds one line for each random game, in order: none added or removed."""
    recorded = RANDOM_GAMES_FILE.read_text(encoding="utf-8").splitlines()
    assert len(recorded) == len(random_game_indices()), "random games added or removed: record them anew"
    assert [line.split(" ", 2)[1] for line in recorded] == [str(index) for index in random_game_indices()]


@pytest.mark.parametrize("level", level_ids())
def test_random_games_reproduce_their_recorded_digests(level):
    """Random games, any lever pulled, as recorded: a change of behaviour that only a lever no
    strategy pulls reaches (a royalty, a mothballing, a team's embargo) shows here. One test a
    level, so that the two workers share the games rather than one playing them all last."""
    recorded = RANDOM_GAMES_FILE.read_text(encoding="utf-8").splitlines()
    indices = [index for index in random_game_indices() if level_ids()[index % len(level_ids())] == level]
    assert indices, f"no random games of {level}"
    played = {index: random_game_digest(index) for index in indices}
    differ = [f"{now} (recorded: {recorded[index].split(': ', 1)[1]})"
              for index, now in played.items() if now != recorded[index]]
    assert not differ, f"{len(differ)} random games of {level} no longer match their record, first: {differ[0]}"


def test_every_level_has_golden_runs():
    recorded = {path.name.split(".")[0] for path in GOLDEN_DIR.glob("*.csv")}
    assert recorded == set(level_ids())


def test_golden_csvs_hold_plain_numbers():
    # NumPy 2 writes repr(np.float64(x)) as "np.float64(x)": every cell must be a plain value.
    for path in GOLDEN_DIR.glob("*.csv"):
        assert "np." not in path.read_text(encoding="utf-8"), path.name


#: Each level's runs replayed with the processor's faster code turned off (below).
PLAIN_PROCESSOR_RUNS = """
import sys
sys.path.insert(0, sys.argv[1])
from golden_runs import GOLDEN_DIR, golden_name, level_ids, record
for level in level_ids():
    for strategy in ("history", "bot"):
        name = golden_name(level, strategy, 0)
        csv_text, log_text = record(level, strategy, 0)
        for text, suffix in ((csv_text, ".csv"), (log_text, ".log")):
            if text != (GOLDEN_DIR / (name + suffix)).read_text(encoding="utf-8"):
                print(name + suffix)
"""


def test_the_golden_runs_do_not_depend_on_the_processor():
    """NumPy and its BLAS pick code by the processor: with AVX-512 a dot product of three prices
    was fused and summed in another order, and ``exp``, ``log`` and ``arcsin`` differed in the
    last bit, so the same level, seed and actions made another history on such a processor.
    Here the golden runs are replayed with every dispatched NumPy feature off and the BLAS's
    oldest kernels (what a processor of about 2004 runs); they must match the records made with
    the processor's own. (``game.vocab.portable_math``; the suite's other golden tests run with the
    processor's own code.)"""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from numpy._core import _multiarray_umath

    plain = {**os.environ, "OPENBLAS_CORETYPE": "Prescott",
             "NPY_DISABLE_CPU_FEATURES": " ".join(_multiarray_umath.__cpu_dispatch__)}
    tests = Path(__file__).resolve().parent
    done = subprocess.run([sys.executable, "-c", PLAIN_PROCESSOR_RUNS, str(tests)], env=plain, capture_output=True,
                          text=True, timeout=600, cwd=tests.parent)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "cannot disable" not in done.stderr, done.stderr[-500:]
    assert done.stdout == "", "runs that differ on the plainest processor code: " + done.stdout.replace("\n", " ")
