"""What the headless commands' --help says: the columns they write, the summary's range, the
arguments they take. The play-test found the CSV columns undocumented, the sweep summary's
"(a-b)" unlabelled and levels validate's PATH undescribed."""

from __future__ import annotations

import csv

import pytest

from game.cli import format_summary, main


def help_of(capsys, *command: str) -> str:
    with pytest.raises(SystemExit) as done:
        main([*command, "--help"])
    assert done.value.code == 0
    return capsys.readouterr().out


def documented_columns(text: str) -> list[str]:
    """The column names a --help lists under its "columns of --out" heading, in order."""
    listed = text.split("columns of --out", 1)[1].splitlines()[1:]
    return [line.split()[0] for line in listed if line.startswith("  ") and line.strip()]


def test_run_and_sweep_help_list_every_column_their_files_hold_in_order(tmp_path, capsys):
    run_file, sweep_file = tmp_path / "run.csv", tmp_path / "sweep.csv"
    setting = ["--set", "assumptions.switching_cost_share=0.1"]
    assert main(["run", "--level", "2010-trawler", "--turns", "1", *setting, "--out", str(run_file)]) == 0
    assert main(["sweep", "--level", "2010-trawler", "--strategies", "passive", "--seeds", "0", *setting,
                 "--workers", "1", "--quiet", "--out", str(sweep_file)]) == 0
    capsys.readouterr()
    for command, path in (("run", run_file), ("sweep", sweep_file)):
        with path.open() as f:
            header = next(csv.reader(f))
        shown = documented_columns(help_of(capsys, command))
        # (each --set column is documented once, as assumptions.NAME)
        assert [c if not c.startswith("assumptions.") else "assumptions.NAME" for c in header] == shown, command


def test_each_listed_column_says_what_it_means(capsys):
    for command in ("run", "sweep"):
        listed = help_of(capsys, command).split("columns of --out", 1)[1].splitlines()[1:]
        for line in listed:
            name, _, meaning = line.strip().partition(" ")
            assert meaning.strip(), f"{command}: column {name} has no meaning"


def test_the_sweep_summary_says_its_range_is_the_5th_to_95th_percentile(capsys):
    line = {"strategy": "passive", "runs": 3, "score mean": 1.0, "score p5": 0.5, "score p95": 1.5}
    header = format_summary([line]).splitlines()[0]
    assert "score mean (p5-p95)" in header
    assert "5th to 95th percentile" in " ".join(help_of(capsys, "sweep").split())


def test_levels_validate_help_describes_path(capsys):
    text = " ".join(help_of(capsys, "levels", "validate").split())
    assert "PATH a level or world file to check" in text
