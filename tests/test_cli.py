"""The rare-earths command as a user types it: output, files and one-line errors."""

from __future__ import annotations

import csv
import subprocess
import sys

import pytest

from conftest import REPO_ROOT
from game.cli import main
from game.scenario.assumptions import parse_setting

REQUIRED_COLUMNS = ["turn", "quarter", "price_ndpr_japan", "price_ndpr_china", "price_dytb_japan",
                    "price_dytb_china", "price_cela_japan", "price_cela_china", "japan_output_index",
                    "japan_china_share", "japan_stockpile_days", "japan_demand_t", "china_tension_japan"]


def rare_earths(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "game", *args], cwd=REPO_ROOT, capture_output=True, text=True,
                          timeout=300)  # (a command that hung fails the test, not the suite)


def test_levels_list_prints_id_then_title(capsys):
    assert main(["levels", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "2010-trawler\tThe Trawler Incident" in lines


def test_run_writes_one_row_per_quarter_with_the_required_columns(tmp_path, capsys):
    out = tmp_path / "trawler.csv"
    assert main(["run", "--level", "2010-trawler", "--seed", "3", "--out", str(out)]) == 0
    with out.open() as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 10
    assert set(REQUIRED_COLUMNS) <= set(rows[0])
    assert rows[0]["quarter"] == "2010Q3" and rows[-1]["quarter"] == "2012Q4"
    assert "written to" in capsys.readouterr().out


def test_a_run_of_part_of_a_level_says_its_stars_are_judged_on_what_was_played(capsys):
    """`run --turns 1` printed "** (2 of 3), score 83" for a strategy that earns none over the level."""
    assert main(["run", "--level", "2010-trawler", "--strategy", "passive", "--turns", "1"]) == 0
    assert "** (2 of 3), score 83, judged on the 1 quarter played of 10" in capsys.readouterr().out.splitlines()
    assert main(["run", "--level", "2010-trawler", "--strategy", "passive"]) == 0
    assert "judged on" not in capsys.readouterr().out


def test_run_without_out_prints_a_readable_table(capsys):
    assert main(["run", "--level", "2010-trawler", "--turns", "2"]) == 0
    text = capsys.readouterr().out
    assert "quarter" in text and "2010Q3" in text and "2010Q4" in text and "2011Q1" not in text


def test_run_takes_a_level_file_path_and_a_strategy_file(tmp_path, capsys):
    strategy = tmp_path / "early-release.toml"
    strategy.write_text('name = "early release"\n[[turn]]\nquarter = "2010Q3"\n'
                        'actions = [{ kind = "release_stockpile", material = "ndpr", tonnes = 100 }]\n')
    level = REPO_ROOT / "levels" / "2010-trawler.toml"
    assert main(["run", "--level", str(level), "--strategy", str(strategy), "--turns", "1"]) == 0


@pytest.mark.parametrize("args, fragment", [
    (["run", "--level", "2010-trawler", "--seed", "abc"], "--seed: expected a whole number"),
    (["run", "--level", "2010-trawler", "--seed", "-4"], "--seed"),
    (["run", "--level", "2010-trawler", "--turns", "0"], "--turns: expected at least 1"),
    (["run", "--level", "no-such-level"], "no level with this id"),
    (["run", "--level", "2010-trawler", "--strategy", "clever"], "unknown strategy"),
    (["run", "--level", "2010-trawler", "--strategy", "missing.toml"], "no such strategy file"),
    (["run"], "--level"),
    (["levels", "validate", "does-not-exist.toml"], "cannot read the file"),
])
def test_bad_input_gets_one_clear_line_and_no_traceback(args, fragment):
    result = rare_earths(*args)
    assert result.returncode != 0
    message = (result.stderr + result.stdout).strip()
    assert "Traceback" not in message
    assert fragment in message
    lines = [line for line in (result.stderr + result.stdout).splitlines() if line.strip()]
    assert len(lines) == 1, lines


def test_a_refused_scripted_action_is_reported_and_the_run_goes_on(tmp_path):
    strategy = tmp_path / "greedy.toml"
    strategy.write_text('[[turn]]\nquarter = "2010Q3"\n'
                        'actions = [{ kind = "release_stockpile", material = "ndpr", tonnes = 99999 }]\n')
    result = rare_earths("run", "--level", "2010-trawler", "--strategy", str(strategy), "--turns", "2")
    assert result.returncode == 0
    assert "refused release_stockpile" in result.stderr


def test_python_dash_m_game_and_the_console_script_share_main():
    result = rare_earths("--help")
    assert result.returncode == 0 and "levels" in result.stdout and "run" in result.stdout


def test_listing_levels_loads_neither_the_simulation_nor_numpy():
    """``rare-earths levels list`` and ``--help`` answer at once: the command line's own imports
    (the actions' names among them) load no Mesa, NumPy or pygame."""
    import subprocess
    import sys

    probe = "import sys, game.cli; print(sorted(m for m in ('mesa', 'numpy', 'pygame') if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True,
                            timeout=120).stdout
    assert loaded.strip() == "[]"


@pytest.mark.parametrize("language", ["en", "ja"])
def test_levels_show_breaks_the_briefing_by_the_languages_rules_in_its_words(language, capsys):
    """In Japanese the headings were English and lines broke inside fact ids (quota_ab|olished)."""
    import re

    from game.line_breaks import columns_of
    from game.scenario import find_level, load_level

    assert main(["levels", "show", "2010-trawler", "--language", language]) == 0
    out = capsys.readouterr().out
    briefing = load_level(find_level("2010-trawler")).briefing[language]
    lines = out.splitlines()
    shown = lines[3:lines.index("", 3)]
    assert ("" if language == "ja" else " ").join(shown) == briefing
    for fact_id in re.findall(r"[a-z][a-z0-9]*_[a-z0-9_]+", briefing):
        assert any(fact_id in line for line in shown), fact_id
    assert all(sum(map(columns_of, line)) <= 96 for line in shown)
    headings = ("目標：", "このステージで使える施策：") if language == "ja" else ("Objectives:", "Levers open in this level: ")
    assert all(any(line.startswith(h) for line in lines) for h in headings)


def test_terminal_lines_fit_their_columns_and_keep_words_and_ids_whole():
    from game.line_breaks import NO_LINE_START, columns_of, terminal_lines

    text = "日本のレアアースの約82%は中国から来ており（jp_china_share_2010）、中国は2010年の輸出枠を削減済みである。" * 3
    for columns in (30, 33, 50, 96):  # "（jp_china_share_2010）、" takes 25 columns and stays whole
        lines = terminal_lines(text, columns)
        assert "".join(lines) == text
        assert all(sum(map(columns_of, line)) <= columns for line in lines)
        assert all(line[0] not in NO_LINE_START for line in lines)
        assert "\n".join(lines).count("jp_china_share_2010") == 3
    assert "".join(terminal_lines(text, 20)) == text  # narrower: the piece is cut where it overflows
    assert terminal_lines("a quota_abolished id", 16) == ["a", "quota_abolished", "id"]


@pytest.mark.parametrize(("name", "value", "cell"), [
    ("switching_cost_share", "0.1", "0.1"),
    # A list was written as Python's tuple, "(3, 5)" and "((0.5, 9.0), (0.5, 1.0))": a sweep's rows hold
    # its TOML text, which --set takes back.
    ("offtake_years", "[3, 5]", "[3, 5]"),
    ("need_bid_steps", "[[0.5, 9], [0.5, 1]]", "[[0.5, 9.0], [0.5, 1.0]]"),
])
def test_a_runs_file_says_where_its_rows_came_from_as_a_sweeps_rows_do(tmp_path, capsys, name, value, cell):
    """A run's file had the quarters only: files of two runs could not be told apart once put
    together. Its rows now lead with a sweep's columns (less the run's place in the plan), and
    hold what a sweep of the same run holds, cell for cell."""
    run_file, sweep_file = tmp_path / "run.csv", tmp_path / "sweep.csv"
    setting = ["--set", f"assumptions.{name}={value}"]
    assert main(["run", "--level", "2010-trawler", "--strategy", "history", "--seed", "4", *setting,
                 "--out", str(run_file)]) == 0
    assert main(["sweep", "--level", "2010-trawler", "--strategies", "history", "--seeds", "4", *setting,
                 "--workers", "1", "--quiet", "--out", str(sweep_file)]) == 0
    with run_file.open() as f:
        run_rows = list(csv.reader(f))
    with sweep_file.open() as f:
        sweep_rows = [row[1:] for row in csv.reader(f)]
    assert run_rows[0][:6] == ["level", "strategy", "seed", f"assumptions.{name}", "model_version", "level_sha256"]
    assert run_rows[1][:4] == ["2010-trawler", "history", "4", cell]
    assert run_rows == sweep_rows
    assert parse_setting(f"{name}={cell}") == parse_setting(f"{name}={value}")


def test_the_readmes_replay_table_is_what_the_command_prints(capsys):
    """The README showed a 2012Q4 row from an older version of the world (Dy/Tb 568, China share
    0.51) under the command that printed another: each row it shows is now checked."""
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    shown = readme.split("(`rare-earths run --level 2010-trawler --strategy history`):\n\n```text\n", 1)[1]
    shown_rows = [line for line in shown.split("```", 1)[0].splitlines() if line.strip() != "..."]
    assert main(["run", "--level", "2010-trawler", "--strategy", "history"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert len(shown_rows) >= 5 and all(row in printed for row in shown_rows), \
        [row for row in shown_rows if row not in printed]


def test_a_file_that_is_not_a_toml_is_not_taken_for_a_level_id(tmp_path, monkeypatch, capsys):
    """'levels show pic.png' (a file there) said 'no level with this id', as if a name had been
    mistyped; 'levels validate pic.png' said what it was."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pic.png").write_bytes(b"\x89PNG\r\n")
    assert main(["levels", "show", "pic.png"]) == 1
    assert capsys.readouterr().err == ("rare-earths levels show: pic.png: not a level file: a level file's name ends "
                                       "in .toml\n")
    assert main(["levels", "show", "no-such-level"]) == 1
    assert "no level with this id" in capsys.readouterr().err


@pytest.mark.parametrize(("written", "value"), [(".05", 0.05), ("-.5e-1", -0.05), ("0.05", 0.05), ("5.", 5.0)])
def test_a_setting_may_be_written_as_a_person_writes_a_decimal(written, value, capsys):
    """'--set assumptions.max_thrift_per_quarter=.05' was refused as text: TOML wants '0.05'."""
    from game.scenario.assumptions import _parse_value

    assert _parse_value(written) == value
    argv = ["run", "--level", "2010-trawler", "--turns", "1", "--set", f"assumptions.max_thrift_per_quarter={written}"]
    if 0 <= value <= 1:
        assert main(argv) == 0
    else:  # a number, refused only as out of range
        with pytest.raises(SystemExit):
            main(argv)
        assert "expected 0 or a number from 0.000001 to 1" in capsys.readouterr().err


def test_plot_and_report_word_their_refusals_as_the_other_commands_do(tmp_path, capsys):
    """'plot --out x.txt' named the file bare where every other command names the option, and
    'workshop report' said a missing file 'cannot be read (No such file or directory)'."""
    sweep_file = tmp_path / "sweep.csv"
    assert main(["sweep", "--level", "2010-trawler", "--strategies", "passive", "--seeds", "0", "--workers", "1",
                 "--quiet", "--out", str(sweep_file)]) == 0
    capsys.readouterr()
    pytest.importorskip("matplotlib")
    assert main(["plot", str(sweep_file), "--out", str(tmp_path / "x.txt")]) == 1
    assert f"rare-earths plot: --out '{tmp_path / 'x.txt'}': cannot write charts as .txt" in capsys.readouterr().err
    assert main(["workshop", "report", str(tmp_path / "nope.json"), "--out", str(tmp_path / "r.html")]) == 1
    assert "nope.json: no such file)" in capsys.readouterr().err


def test_run_imports_mesa_from_the_commands_own_few_frames():
    """Mesa's loggers walk the stack that imports Mesa (``inspect.getouterframes``), reading each
    frame's source and searching every loaded module for the import system's frames: under the
    world's chain of imports that walk was 55 frames, a tenth of ``rare-earths run``."""
    import subprocess
    import sys

    probe = """
import contextlib, inspect, io
walked = []
outer = inspect.getouterframes
def counted(frame, context=1):
    frames = outer(frame, context)
    walked.append(len(frames))
    return frames
inspect.getouterframes = counted
from game.launch import main
with contextlib.redirect_stdout(io.StringIO()):
    main(["run", "--level", "2010-trawler", "--turns", "1"])
print(max(walked))
"""
    deepest = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True).stdout
    assert int(deepest) <= 30
