"""A level without objectives (the sandbox) scores every run 0 with no stars: the sweep's summary
printed "score mean 0 (0-0)" and `plot` drew a score chart of zeros and "0 stars 100%". Both leave
score and stars out there, and say why in one line; a level with objectives keeps them."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

pd = pytest.importorskip("pandas")
pytest.importorskip("matplotlib")

from game.research.plot import plot_file  # noqa: E402
from tests.test_research_plot import sweep_frame  # noqa: E402


@pytest.mark.parametrize("level,scored", [("sandbox", False), ("2010-trawler", True)])
def test_the_score_chart_is_drawn_only_for_a_level_with_objectives(tmp_path, level, scored):
    frame = sweep_frame()
    frame["level"] = level
    if not scored:
        frame[["score", "stars"]] = 0
    results = tmp_path / "sweep.csv"
    frame.to_csv(results, index=False)
    written = plot_file(results, tmp_path / "chart.png")
    assert (tmp_path / "chart-fan.png") in written
    assert ((tmp_path / "chart-scores.png") in written) == scored
    assert (tmp_path / "chart-scores.png").exists() == scored


def test_a_sandbox_sweeps_summary_has_no_score_or_stars(tmp_path):
    env_data = tmp_path / "data"
    env_data.mkdir()
    out = tmp_path / "s.csv"
    done = subprocess.run([sys.executable, "-m", "game", "sweep", "--level", "sandbox", "--strategies", "passive",
                           "--seeds", "0", "--workers", "1", "--quiet", "--out", str(out)],
                          capture_output=True, text=True, timeout=300, check=False,
                          env={**os.environ, "RARE_EARTHS_DATA": str(env_data)})
    assert done.returncode == 0, done.stderr
    header = next(line for line in done.stdout.splitlines() if line.lstrip().startswith("strategy"))
    assert "score" not in header and "stars" not in header
    assert "min output" in header
