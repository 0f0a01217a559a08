"""--seeds means the same in every command that takes it: the seeds, as a range 0-4, a seed 7
or a list 1,5,9. calibrate took a count (--seeds 5: seeds 0 to 4) where sweep took a range
(--seeds 5: seed 5 alone)."""

from __future__ import annotations

import pytest

from game.cli import main


def error_of(capsys, argv: list[str]) -> str:
    with pytest.raises(SystemExit) as done:
        main(argv)
    assert done.value.code != 0
    return capsys.readouterr().err.strip()


@pytest.mark.parametrize("seeds, says", [
    ("5", "--seeds: 5 is one seed, as in sweep; calibrate averages seeds 0 to LAST (0-4 for 5 seeds)"),
    ("1", "--seeds: 1 is one seed, as in sweep; calibrate averages seeds 0 to LAST (0 for seed 0 alone)"),
    ("1-3", "--seeds: calibrate averages seeds 0 to LAST: expected 0-LAST, such as 0-4, got '1-3'"),
    ("0,2", "--seeds: calibrate averages seeds 0 to LAST: expected 0-LAST, such as 0-4, got '0,2'"),
    ("0-5000", "--seeds: expected at most 1000 seeds (0-999), got 5,001"),
])
def test_calibrate_takes_seeds_as_sweep_does_and_refuses_what_it_cannot_average(capsys, tmp_path, seeds, says):
    err = error_of(capsys, ["calibrate", "--seeds", seeds, "--to", "2010", "--chart", str(tmp_path / "c.png")])
    assert says in err and len(err.splitlines()) == 1, err


def test_calibrate_reads_a_range_from_0_as_that_many_seeds(monkeypatch, tmp_path, capsys):
    asked = []
    import game.research.calibration as calibration

    def replay(scenario, strategy, seeds, last_year, *args, **kwargs):
        asked.append(seeds)
        raise SystemExit(0)  # enough: what the replay was asked for

    monkeypatch.setattr(calibration, "replay", replay)
    for given, count in (("0-2", 3), ("0", 1), ("0,1", 2)):
        with pytest.raises(SystemExit):
            main(["calibrate", "--seeds", given, "--chart", str(tmp_path / "c.png")])
        assert asked[-1] == count, given
    with pytest.raises(SystemExit):
        main(["calibrate", "--chart", str(tmp_path / "c.png")])
    assert asked[-1] == 5  # the default, 0-4


def test_the_help_of_each_command_taking_seeds_says_they_take_the_same_form(capsys):
    helps = {}
    for command in ("calibrate", "sweep"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        helps[command] = " ".join(capsys.readouterr().out.split())
    assert "--seeds 0-LAST the seeds to average over, written as in sweep: a range from 0" in helps["calibrate"]
    assert "a range 0-999, a seed 7, a list 1,5,9 or both (default 0-99); calibrate takes them the same way" \
        in helps["sweep"]
