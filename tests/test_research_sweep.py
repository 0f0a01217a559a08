"""Sweeps: every combination played, the same file whichever executor ran it and whether or not
it was stopped and resumed, and bad settings refused before any run starts."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from pathlib import Path

import pytest
from conftest import REPO_ROOT

from game.cli import main
from game.research.sweep import (
    SweepError,
    check_output,
    execute,
    parse_seeds,
    parse_setting_values,
    parts_dir,
    plan_sweep,
    read_final_rows,
)


def finished_parts(folder: Path) -> list[Path]:
    """The parts a sweep kept (each beside the digest of it, NAME.sha256)."""
    return [part for part in folder.glob("runs-*") if not part.name.endswith(".sha256")]


def small_plan(seeds: str = "0-5", settings: tuple[str, ...] = ("max_thrift_per_quarter=0.02,0.05",)):
    return plan_sweep("2010-trawler", ["history", "passive"], parse_seeds(seeds),
                      [parse_setting_values(text) for text in settings])


def test_a_plan_holds_every_combination_in_a_fixed_order():
    plan = small_plan("3,1-2")
    runs = list(plan.runs())
    assert plan.size == len(runs) == 2 * 2 * 3
    assert [r.index for r in runs] == list(range(12))
    assert runs[0].strategy == "history" and runs[0].seed == 3 and runs[0].settings == (("max_thrift_per_quarter", 0.02),)
    assert runs[3].strategy == "passive" and runs[6].settings == (("max_thrift_per_quarter", 0.05),)


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_a_sweep_stopped_and_resumed_writes_the_file_a_straight_run_writes(tmp_path, suffix):
    if suffix == ".parquet":
        pytest.importorskip("pyarrow")
    plan = small_plan()
    straight = tmp_path / f"straight{suffix}"
    execute(plan, check_output(straight, False), progress=False, batch_size=2)

    stopped = tmp_path / f"stopped{suffix}"

    def stop_after_some(done: int) -> None:
        if done >= 5:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        execute(plan, check_output(stopped, False), progress=False, batch_size=2, on_batch=stop_after_some)
    assert not stopped.exists() and len(list(finished_parts(parts_dir(stopped)))) == 3  # 6 runs kept
    outcome = execute(plan, check_output(stopped, True), resume=True, progress=False, batch_size=3)
    assert outcome.played == plan.size - 6
    assert stopped.read_bytes() == straight.read_bytes()
    assert not parts_dir(stopped).exists()
    runs = list(read_final_rows(stopped, ["strategy", "seed", "quarter", "score"]))
    assert len(runs) == plan.size and all(len(rows) == 10 for rows in runs)


def _stop_after(runs: int):
    def stop(done: int) -> None:
        if done >= runs:
            raise KeyboardInterrupt
    return stop


def test_a_strategy_file_edited_between_a_stop_and_resume_is_refused(tmp_path):
    """The plan kept the strategy's name, not its file: edited between a stop and --resume, the
    results held runs of two strategies under one name, without a word."""
    strategy = tmp_path / "mine.toml"
    shutil.copyfile(REPO_ROOT / "levels" / "strategies" / "2010-trawler-rebuild.toml", strategy)
    plan = plan_sweep("2010-trawler", [str(strategy)], parse_seeds("0-3"))
    assert len(plan.strategy_sha256[0]) == 64
    out = tmp_path / "s.csv"
    with pytest.raises(KeyboardInterrupt):
        execute(plan, check_output(out, False), progress=False, batch_size=2, on_batch=_stop_after(2))
    strategy.write_text('name = "x"\ndescription = "nothing"\n', encoding="utf-8")
    edited = plan_sweep("2010-trawler", [str(strategy)], parse_seeds("0-3"))
    with pytest.raises(SweepError, match=r"--resume: the sweep in .* differs from this one in strategy_sha256"):
        execute(edited, check_output(out, True), resume=True, progress=False)
    # An edit while the sweep runs stops it: the runs after it would pass for the plan's.
    with pytest.raises(SweepError, match=r"the strategy file .*mine.toml changed after the sweep began"):
        execute(plan, check_output(out, True), resume=True, progress=False)
    # One file by two names is one strategy: five ways of naming it were five strategies.
    with pytest.raises(SweepError, match=r"--strategies: .*mine.toml and .*mine.toml are the same file"):
        plan_sweep("2010-trawler", [str(strategy), f"{tmp_path}/./mine.toml"], parse_seeds("0"))


def test_a_level_file_edited_while_a_sweep_runs_stops_it(tmp_path):
    """The rows of runs played after an edit were labelled with the level_sha256 the sweep began
    with, so they passed for runs of the level as it was."""
    from game.scenario import find_level

    shipped = find_level("2010-trawler")
    level = tmp_path / "trawler.toml"
    level.write_text(shipped.read_text(encoding="utf-8").replace('id = "2010-trawler"', 'id = "trawler-copy"', 1),
                     encoding="utf-8")
    shutil.copyfile(shipped.parent / "world-2010.toml", tmp_path / "world-2010.toml")
    plan = plan_sweep(str(level), ["passive"], parse_seeds("0-3"))
    out = tmp_path / "s.csv"

    def edit_after_the_first(done: int) -> None:
        if done == 1:
            # A value: a comment edited is no change of the level (its digest is of what it says).
            level.write_text(level.read_text(encoding="utf-8").replace("threshold = 0.75", "threshold = 0.7", 1),
                             encoding="utf-8")

    with pytest.raises(SweepError, match=r"the level's files changed after the sweep began \(run 1 read other ones\)"):
        execute(plan, check_output(out, False), progress=False, batch_size=1, on_batch=edit_after_the_first)
    assert not out.exists()


def test_a_strategy_file_edited_keeping_its_size_and_time_is_refused_too(tmp_path):
    """The digest was kept by the file's time and size: an edit that kept both (touch -r) mixed
    two strategies under one name."""
    strategy = tmp_path / "mine.toml"
    text = (REPO_ROOT / "levels" / "strategies" / "2010-trawler-rebuild.toml").read_text(encoding="utf-8")
    strategy.write_text(text, encoding="utf-8")
    plan = plan_sweep("2010-trawler", [str(strategy)], parse_seeds("0-3"))
    stat = strategy.stat()

    def edit_keeping_size_and_time(done: int) -> None:
        if done == 1:
            edited = text.replace("tonnes = 6", "tonnes = 1", 1)
            assert edited != text and len(edited) == len(text)
            strategy.write_text(edited, encoding="utf-8")
            os.utime(strategy, ns=(stat.st_atime_ns, stat.st_mtime_ns))

    with pytest.raises(SweepError, match=r"the strategy file .*mine.toml changed after the sweep began"):
        execute(plan, check_output(tmp_path / "s.csv", False), progress=False, batch_size=1,
                on_batch=edit_keeping_size_and_time)


def test_a_sweep_stopped_by_the_code_before_strategy_digests_resumes(tmp_path):
    """Its plan.json has no strategy_sha256: --resume refused it as a different sweep and said to
    remove it, with its finished runs."""
    plan = small_plan("0-2", ())
    straight = tmp_path / "straight.csv"
    execute(plan, check_output(straight, False), progress=False)
    out = tmp_path / "s.csv"
    with pytest.raises(KeyboardInterrupt):
        execute(plan, check_output(out, False), progress=False, batch_size=2, on_batch=_stop_after(2))
    plan_file = parts_dir(out) / "plan.json"
    old = json.loads(plan_file.read_text(encoding="utf-8"))
    del old["strategy_sha256"]
    plan_file.write_text(json.dumps(old), encoding="utf-8")
    outcome = execute(plan, check_output(out, True), resume=True, progress=False)
    assert outcome.played == plan.size - 2 and out.read_bytes() == straight.read_bytes()


def test_parts_that_hold_the_same_runs_are_refused_on_resume(tmp_path):
    """Two stopped attempts' parts put in one folder passed one by one, and the results held
    their common runs twice (180 rows for 120)."""
    plan = plan_sweep("2010-trawler", ["passive"], parse_seeds("0-5"))
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    with pytest.raises(KeyboardInterrupt):
        execute(plan, check_output(first, False), progress=False, batch_size=4, on_batch=_stop_after(4))
    with pytest.raises(KeyboardInterrupt):
        execute(plan, check_output(second, False), progress=False, batch_size=3, on_batch=_stop_after(3))
    for part in parts_dir(second).glob("runs-*"):
        shutil.copyfile(part, parts_dir(first) / part.name)
    with pytest.raises(SweepError, match=r"runs-000000000-000000002.csv and runs-000000000-000000003.csv .* "
                                         r"both hold run 0"):
        execute(plan, check_output(first, True), resume=True, progress=False)
    assert not first.exists()


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_results_under_a_name_that_is_not_utf8_are_written_resumed_and_read(tmp_path, suffix):
    """A file name may hold bytes that are not UTF-8; pyarrow opened such a Parquet name itself
    and failed after every run was played (and plot called the file not Parquet)."""
    if suffix == ".parquet":
        pytest.importorskip("pyarrow")
    pd = pytest.importorskip("pandas")
    from game.research.plot import read_results

    plan = small_plan("0-1", ())
    out = tmp_path / (os.fsdecode(b"runs\xff") + suffix)

    def stop_after_two(done: int) -> None:
        if done >= 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        execute(plan, check_output(out, False), progress=False, batch_size=1, on_batch=stop_after_two)
    execute(plan, check_output(out, True), resume=True, progress=False, batch_size=1)
    assert [rows[0]["strategy"] for rows in read_final_rows(out, ["strategy"])] == ["history"] * 2 + ["passive"] * 2
    frame = read_results(out)
    assert isinstance(frame, pd.DataFrame) and frame["run"].nunique() == plan.size


@pytest.mark.parametrize(("call", "says"), [
    (lambda: plan_sweep("2010-trawler", "passive", [1]), "--strategies: expected a list, got 'passive'"),
    (lambda: plan_sweep(None, ["passive"], [1]), "--level: None is not a level's id or file"),
    (lambda: plan_sweep("2010-trawler", ["passive"], 3), "--seeds: expected a list, got 3"),
    (lambda: plan_sweep("2010-trawler", ["passive"], [1], [("max_thrift_per_quarter", 0.05)]),
     "--set: each setting is an assumption's name and a list of its values"),
    (lambda: plan_sweep("2010-trawler", ["passive"], [1], None), "--set: expected a list, got None"),
    (lambda: plan_sweep("2010-trawler", [os.fsdecode(b"str\xff.toml")], [1]), "the name is not UTF-8 text"),
    (lambda: check_output(5, False), "--out: 5 is not a file name"),
])
def test_the_sweep_api_refuses_arguments_of_the_wrong_shape_naming_them(call, says):
    with pytest.raises(SweepError, match=re.escape(says)):
        call()


def test_the_sweep_api_takes_settings_as_a_mapping_and_a_string_path():
    plan = plan_sweep("2010-trawler", ["passive"], [1], {"max_thrift_per_quarter": (0.02, 0.05)})
    assert plan.settings == (("max_thrift_per_quarter", (0.02, 0.05)),)
    assert check_output("results.csv", False) == Path("results.csv")


def test_a_whole_number_given_from_python_for_a_float_assumption_is_written_as_the_command_line_writes_it(tmp_path):
    """plan_sweep kept 0 and 1 as ints (written "0", "1"; the plan kept "0") where --set gave
    0.0 and 1.0: the same sweep made two files, and neither resumed the other's folder."""
    from_python = plan_sweep("2010-trawler", ["passive"], [0], {"max_thrift_per_quarter": [0, 1],
                                                                "offtake_years": [[3, 5]]})
    from_cli = plan_sweep("2010-trawler", ["passive"], [0], [parse_setting_values("max_thrift_per_quarter=0,1"),
                                                             parse_setting_values("offtake_years=[3, 5]")])
    assert repr(from_python.settings) == repr(from_cli.settings)
    assert json.dumps(from_python.describe()) == json.dumps(from_cli.describe())
    outcome = execute(from_python, check_output(tmp_path / "python.csv", False), workers=1, progress=False)
    execute(from_cli, check_output(tmp_path / "cli.csv", False), workers=1, progress=False)
    assert (tmp_path / "python.csv").read_bytes() == (tmp_path / "cli.csv").read_bytes()
    assert outcome.summary


def test_a_parquet_part_holding_a_list_setting_as_an_earlier_sweep_did_is_named_on_resume(tmp_path):
    """Parts of a sweep stopped before list settings were written as text hold them as lists of
    floats: joined to the parts written since, the results failed in pyarrow ("Schema at index 1
    was different")."""
    pa = pytest.importorskip("pyarrow")
    import hashlib

    import pyarrow.parquet as pq

    plan = plan_sweep("2010-trawler", ["history"], [0, 1], [parse_setting_values("offtake_years=[3, 5]")])
    out = tmp_path / "lists.parquet"
    with pytest.raises(KeyboardInterrupt):
        execute(plan, check_output(out, False), progress=False, batch_size=1, on_batch=_stop_after(1))
    [part] = finished_parts(parts_dir(out))
    table = pq.read_table(part)
    column = table.schema.get_field_index("assumptions.offtake_years")
    earlier = table.set_column(column, "assumptions.offtake_years", pa.array([[3.0, 5.0]] * table.num_rows))
    pq.write_table(earlier, part, compression="zstd")
    part.with_name(part.name + ".sha256").write_text(hashlib.sha256(part.read_bytes()).hexdigest() + "\n")

    with pytest.raises(SweepError, match=f"{re.escape(part.name)}: .*column assumptions.offtake_years holds "
                                         "list<.*> where this sweep writes string"):
        execute(plan, check_output(out, True), resume=True, progress=False)
    assert part.exists()


@pytest.mark.parametrize("kept", [0, 7, 0.5])
def test_a_parquet_part_cut_short_is_said_in_the_games_words_on_resume(tmp_path, kept):
    """A part cut short (a disk that filled, a copy stopped) was refused quoting pyarrow cut off
    mid-sentence ("ArrowInvalid: ... Parquet magic bytes not found in")."""
    pytest.importorskip("pyarrow")
    plan = plan_sweep("2010-trawler", ["history"], [0, 1])
    out = tmp_path / "cut.parquet"
    with pytest.raises(KeyboardInterrupt):
        execute(plan, check_output(out, False), progress=False, batch_size=1, on_batch=_stop_after(1))
    [part] = finished_parts(parts_dir(out))
    data = part.read_bytes()
    part.write_bytes(data[:int(len(data) * kept) if isinstance(kept, float) else kept])

    with pytest.raises(SweepError) as refused:
        execute(plan, check_output(out, True), resume=True, progress=False)
    assert str(refused.value) == (f"--resume: {part}: cannot be read as Parquet (cut short, damaged, or not "
                                  "a Parquet file), so the runs there cannot be trusted; remove it (its runs are played "
                                  "again) or the folder")
    assert part.exists()


@pytest.mark.parametrize(("edit", "says"), [
    (lambda data: data.replace(b"history", b"hist\xf6ry", 1), "as CSV (not UTF-8 text)"),
    # Python's csv module's words: "field larger than field limit (131072)", cut at 80 characters.
    (lambda data: data.replace(b"history", b"x" * 200_000, 1),
     "as CSV (a cell of more than 131,072 characters: damaged, or not a CSV file)"),
], ids=["not-utf8", "cell-past-the-limit"])
def test_a_csv_part_that_cannot_be_read_is_said_in_the_games_words_on_resume(tmp_path, edit, says):
    import hashlib

    plan = plan_sweep("2010-trawler", ["history"], [0, 1])
    out = tmp_path / "cut.csv"
    with pytest.raises(KeyboardInterrupt):
        execute(plan, check_output(out, False), progress=False, batch_size=1, on_batch=_stop_after(1))
    [part] = finished_parts(parts_dir(out))
    part.write_bytes(edit(part.read_bytes()))
    part.with_name(part.name + ".sha256").write_text(hashlib.sha256(part.read_bytes()).hexdigest() + "\n")

    with pytest.raises(SweepError) as refused:
        execute(plan, check_output(out, True), resume=True, progress=False)
    assert str(refused.value) == (f"--resume: {part}: cannot be read {says}, so the runs there cannot be trusted; "
                                  "remove it (its runs are played again) or the folder")
    assert part.exists()


@pytest.mark.parametrize(("text", "says"), [
    # It said "a seed is given twice", without naming it.
    ("0-2,1-3", "--seeds: seed 1 is given twice"),
    ("5,0-9", "--seeds: seed 5 is given twice"),
    # Each said "got ''".
    ("1,", "--seeds: '1,' has an empty item (a comma at an end, or two together)"),
    (",1", "--seeds: ',1' has an empty item (a comma at an end, or two together)"),
    ("1,,2", "--seeds: '1,,2' has an empty item (a comma at an end, or two together)"),
    (" ", "--seeds: no seeds given (expected FIRST-LAST, a seed or a list like 1,5,9)"),
    # "-0" was said to start below 0.
    ("-0", "--seeds: expected FIRST-LAST, a seed or a list like 1,5,9 (seeds are >= 0), got '-0'"),
])
def test_seeds_given_twice_or_an_empty_item_are_named(text, says):
    with pytest.raises(SweepError) as refused:
        parse_seeds(text)
    assert str(refused.value) == says


def test_list_valued_settings_are_written_summarised_and_read_back_as_the_text_set_takes(tmp_path):
    """A Parquet sweep of need_bid_steps failed on its first write ("Could not convert (0.5, 9.0)");
    one of offtake_years read back [3.0, 5.0] and its summary failed ("unhashable type: 'list'")."""
    pytest.importorskip("pyarrow")
    from game.scenario.assumptions import parse_setting

    # (Whole numbers in a list of floats, as the API may give them, are written as the run took them)
    plan = plan_sweep("2010-trawler", ["history"], [0], [parse_setting_values("offtake_years=[3, 5],[2]"),
                                                         ("need_bid_steps", [[[0.5, 9], [0.5, 1]]])])
    texts = {"offtake_years": ["[3, 5]", "[2]"], "need_bid_steps": ["[[0.5, 9.0], [0.5, 1.0]]"] * 2}
    files = {}
    for suffix in (".parquet", ".csv"):
        outcome = execute(plan, check_output(tmp_path / f"lists{suffix}", False), progress=False)
        assert [[line[name] for line in outcome.summary] for name in texts] == list(texts.values())
        columns = [f"assumptions.{name}" for name in texts]
        files[suffix] = [[rows[0][c] for c in columns] for rows in read_final_rows(outcome.path, columns)]
    assert files[".csv"] == files[".parquet"] == [list(pair) for pair in zip(*texts.values(), strict=True)]
    # Each text is one --set takes back to the value the run played.
    assert parse_setting(f"offtake_years={texts['offtake_years'][0]}") == ("offtake_years", (3, 5))
    assert parse_setting(f"need_bid_steps={texts['need_bid_steps'][0]}") == ("need_bid_steps", ((0.5, 9.0), (0.5, 1.0)))


#: The longest a test waits for a small sweep (30 runs) to play through, on a busy machine.
SWEEP_SECONDS = 300
#: The longest a stopped sweep may take to end, and a killed one to be reaped.
STOP_SECONDS = 30
SIGKILL_SECONDS = 30


def _stop_hung(process: subprocess.Popen, what: str) -> str:
    """Kill a sweep whose stop hung, its whole session, and say what was still running (its
    processes' states and what each waited in, as `ps` shows them)."""
    left = subprocess.run(["ps", "-o", "pid,ppid,stat,wchan:24,args", "-s", str(process.pid)], capture_output=True,
                          text=True, timeout=30).stdout
    os.killpg(process.pid, signal.SIGKILL)
    try:
        _, err = process.communicate(timeout=SIGKILL_SECONDS)
    except subprocess.TimeoutExpired:  # something outside the session holds the sweep's pipe
        err = "(its standard error still open after the kill)"
    return f"{what} hung: the sweep did not end within {STOP_SECONDS} s\n{left}\n{(err or '')[-800:]}"


def test_a_sweep_killed_from_outside_keeps_what_it_finished_and_resume_completes_it(tmp_path):
    out = tmp_path / "killed.csv"
    command = [sys.executable, "-m", "game", "sweep", "--level", "2010-trawler", "--strategies", "history,bot",
               "--seeds", "0-14", "--workers", "1", "--quiet", "--out", str(out)]
    process = subprocess.Popen(command, cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parts = parts_dir(out)
    deadline = time.monotonic() + 60
    while len(list(finished_parts(parts))) < 2 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(SIGKILL_SECONDS)
    kept = list(finished_parts(parts))
    assert kept and not out.exists()
    resumed = subprocess.run([*command, "--resume"], check=False, cwd=REPO_ROOT, capture_output=True, text=True,
                             timeout=SWEEP_SECONDS)
    assert resumed.returncode == 0, resumed.stderr
    straight = tmp_path / "straight.csv"
    assert subprocess.run([*command[:-1], str(straight)], check=False, cwd=REPO_ROOT,
                          timeout=SWEEP_SECONDS).returncode == 0
    assert out.read_bytes() == straight.read_bytes()


@pytest.mark.usefixtures("stop_signals_as_from_a_terminal")
def test_ctrl_c_stops_a_sweep_of_worker_processes_every_time(tmp_path):
    """A terminal sends Ctrl+C to every process of the sweep, and `timeout -s INT` signals the
    sweep and then its whole group: a worker interrupted while it held its pool's queue, or a
    second interrupt cutting the pool's shutdown short, left the sweep waiting forever (about
    one stop in three). Each stop here must end at once, keep what finished, and say so."""
    command = [sys.executable, "-m", "game", "sweep", "--level", "2010-trawler", "--strategies", "passive",
               "--seeds", "0-599", "--workers", "2", "--quiet"]
    for attempt, wait_for_parts in enumerate((0, 1, 1, 2, 3)):
        out = tmp_path / f"stopped-{attempt}.csv"
        process = subprocess.Popen([*command, "--out", str(out)], cwd=REPO_ROOT, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, text=True, start_new_session=True)
        deadline = time.monotonic() + 60
        # (0: as soon as the workers are up and the parts' folder is made, before any part)
        while ((not parts_dir(out).exists() or len(list(finished_parts(parts_dir(out)))) < wait_for_parts)
               and time.monotonic() < deadline and process.poll() is None):
            time.sleep(0.02)
        os.kill(process.pid, signal.SIGINT)  # as `timeout` does: the sweep, then its group
        os.killpg(process.pid, signal.SIGINT)
        try:
            _, err = process.communicate(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            pytest.fail(_stop_hung(process, f"stop {attempt}"))
        assert "Traceback" not in err and "stopped (Ctrl+C); what finished is kept" in err, err[-800:]
        assert not out.exists()


@pytest.mark.usefixtures("stop_signals_as_from_a_terminal")
def test_a_stop_s_way_out_is_not_cut_short_by_the_next_stop_signal():
    """`timeout -s INT` signals the sweep and then its group: the second Ctrl+C could land in the
    first one's way out before it ignored Ctrl+C itself, and cut the workers' shutdown short (a
    stop hung, once in CI with two suites side by side). From the first stop signal on, every
    stop signal is ignored until the block ends; then the handlers are as they were."""
    from game.interrupts import stop_signals_once

    before = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    ways_out = 0
    with stop_signals_once():
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(5)
        except KeyboardInterrupt:
            os.kill(os.getpid(), signal.SIGINT)  # the group's, and a kill: both ignored here
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.2)
            ways_out += 1
    assert ways_out == 1
    assert {signum: signal.getsignal(signum) for signum in before} == before


def test_processes_and_a_local_dask_cluster_give_the_same_file(tmp_path):
    pytest.importorskip("distributed")
    pytest.importorskip("pyarrow")
    plan = small_plan("0-4", ())
    processes = tmp_path / "processes.parquet"
    execute(plan, check_output(processes, False), workers=2, progress=False)
    dask = tmp_path / "dask.parquet"
    execute(plan, check_output(dask, False), workers=2, scheduler="local-dask", progress=False)
    alone = tmp_path / "alone.parquet"
    execute(plan, check_output(alone, False), workers=1, progress=False)
    assert processes.read_bytes() == dask.read_bytes() == alone.read_bytes()


@pytest.mark.parametrize("arguments,named", [
    (["--set", "no_such_assumption=1,2"], "assumptions.no_such_assumption"),
    (["--set", "max_thrift_per_quarter=0.1,lots"], "assumptions.max_thrift_per_quarter"),
    (["--set", "max_thrift_per_quarter=0.1,7"], "assumptions.max_thrift_per_quarter"),
    (["--seeds", "10-2"], "--seeds"),
    (["--seeds", "-3"], "--seeds"),
    (["--strategies", "history,no-such-strategy"], "no-such-strategy"),
    (["--level", "no-such-level"], "no-such-level"),
    (["--scheduler", "tcp://127.0.0.1:9"], "tcp://127.0.0.1:9"),
    (["--scheduler", "carrier-pigeon"], "--scheduler"),
    (["--scheduler", "tcp://[::1"], "--scheduler"),  # a traceback from inside urlsplit
    (["--scheduler", "tls://[zz]:1"], "--scheduler"),
    (["--scheduler", "tcp://:8786"], "--scheduler"),  # no host: tried for 10 s
    (["--scheduler", "tcp://u@h:1"], "--scheduler"),  # a user, a query, no such address: tried for 10 s
    (["--scheduler", "tcp://h:1?x=1"], "--scheduler"),
    (["--scheduler", "tcp://999.1.1.1:1"], "--scheduler"),
    (["--scheduler", "tcp://-h:1"], "--scheduler"),
    (["--scheduler", "tls://127.0.0.1:8786"], "--scheduler"),  # Dask wants certificates the sweep cannot give
])
def test_bad_settings_are_refused_before_any_run_naming_what_is_wrong(tmp_path, capsys, arguments, named):
    if "--scheduler" in arguments:
        pytest.importorskip("distributed")
    out = tmp_path / "results.csv"
    defaults = {"--level": "2010-trawler", "--seeds": "0-3", "--out": str(out)}
    for key, value in zip(arguments[::2], arguments[1::2], strict=True):
        defaults[key] = value
    argv = ["sweep", "--quiet", "--workers", "1"] if "--scheduler" not in arguments else ["sweep", "--quiet"]
    for key, value in defaults.items():
        argv += [f"{key}={value}"] if value.startswith("-") else [key, value]
    try:
        status = main(argv)
    except SystemExit as stop:  # a value of the wrong form, as parsing refuses it
        status = stop.code
    # 2 for a malformed value (README: "a value of the wrong form"), 1 for what cannot be used
    malformed = arguments[0] in ("--set", "--seeds") or arguments[1] in (
        "carrier-pigeon", "tcp://[::1", "tls://[zz]:1", "tcp://:8786", "tcp://u@h:1", "tcp://h:1?x=1", "tcp://999.1.1.1:1",
        "tcp://-h:1", "tls://127.0.0.1:8786")
    assert status == (2 if malformed else 1), status
    error = capsys.readouterr().err.strip()
    assert named in error and "\n" not in error and "Traceback" not in error
    assert not out.exists() and not parts_dir(out).exists()


def test_an_output_that_would_lose_or_misplace_results_is_refused(tmp_path):
    with pytest.raises(SweepError, match="no such folder"):
        check_output(tmp_path / "missing" / "results.csv", False)
    with pytest.raises(SweepError, match="parquet or .csv"):
        check_output(tmp_path / "results.xlsx", False)
    done = tmp_path / "done.csv"
    done.write_text("run\n", encoding="utf-8")
    # Without --resume it said "add --resume to go on with it", and with it "a finished sweep already".
    for resume in (False, True):
        with pytest.raises(SweepError, match="finished sweep") as refused:
            check_output(done, resume)
        assert "nothing to resume" in str(refused.value) and "another --out" in str(refused.value)
        assert "add --resume" not in str(refused.value)
    stopped = tmp_path / "stopped.csv"
    parts_dir(stopped).mkdir()
    with pytest.raises(SweepError, match="add --resume to go on with it"):
        check_output(stopped, False)


@pytest.mark.parametrize("text", ["", '{"seeds": [0, 8', "[" * 65 + "]" * 65, '{"a": ' + "[" * 64 + "]" * 64 + "}",
                                  "[1, 2]"])
def test_a_stopped_sweeps_plan_that_is_not_one_is_refused_in_one_line(tmp_path, text):
    """An empty, cut, too deeply nested (on any Python: 65 levels parse everywhere) or foreign
    plan.json beside the parts says the runs there cannot be trusted."""
    from game.research.sweep import _read_plan

    plan_file = tmp_path / "plan.json"
    plan_file.write_text(text, encoding="utf-8")
    with pytest.raises(SweepError, match="--resume: .* cannot be trusted") as refused:
        _read_plan(plan_file)
    assert "\n" not in str(refused.value)


@pytest.mark.parametrize(("edit", "says"), [
    ({"keep": ["level", "seeds"]}, "it has no level_sha256"),
    ({"set": {"settings": "max_thrift_per_quarter"}}, "its settings is not a list"),
    ({"set": {"model_version": 1}}, "its model_version is not text"),
    ({"set": {"colour": "blue"}}, "it has an unknown key 'colour'"),
])
def test_a_stopped_sweeps_plan_missing_keys_is_called_damaged_not_another_sweep(tmp_path, edit, says):
    """A plan.json of two keys ({"level": ..., "seeds": [...]}) made --resume say the sweep
    "differs ... (a level file was edited since it began)": the plan is what is wrong."""
    out = tmp_path / "s.csv"
    with pytest.raises(KeyboardInterrupt):
        execute(small_plan(), check_output(out, False), progress=False, batch_size=2, on_batch=_stop_after(2))
    plan_file = parts_dir(out) / "plan.json"
    kept = json.loads(plan_file.read_text(encoding="utf-8"))
    if "keep" in edit:
        kept = {key: kept[key] for key in edit["keep"]}
    kept.update(edit.get("set", {}))
    plan_file.write_text(json.dumps(kept), encoding="utf-8")
    with pytest.raises(SweepError) as refused:
        execute(small_plan(), check_output(out, True), resume=True, progress=False)
    message = str(refused.value)
    assert f"is damaged ({says}), so the runs there cannot be trusted" in message, message
    assert "differs" not in message and "\n" not in message


def test_resuming_with_other_settings_is_refused(tmp_path):
    out = tmp_path / "results.csv"

    def stop(done: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        execute(small_plan(), check_output(out, False), progress=False, batch_size=2, on_batch=stop)
    with pytest.raises(SweepError, match="differs from this one in seeds"):
        execute(small_plan("0-7"), check_output(out, True), resume=True, progress=False)
    # Other strategies named: said as such, not as a strategy file edited (their digests differ
    # because the strategies do).
    other = plan_sweep("2010-trawler", ["history"], parse_seeds("0-5"),
                       [parse_setting_values("max_thrift_per_quarter=0.02,0.05")])
    with pytest.raises(SweepError) as refused:
        execute(other, check_output(out, True), resume=True, progress=False)
    assert "differs from this one in strategies (strategies: history, passive there, history here); resume it" \
        in str(refused.value), refused.value


def test_a_server_that_is_no_dask_scheduler_is_refused_in_one_line(tmp_path, capsys):
    """Something listening that speaks another protocol (here: a socket that answers garbage)."""
    pytest.importorskip("distributed")
    import socket
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]

    def answer_garbage() -> None:  # to every connection, as a server of another kind would
        while True:
            try:
                connection, _ = server.accept()
                connection.sendall(b"\xff" * 64)
                connection.close()
            except OSError:
                return

    threading.Thread(target=answer_garbage, daemon=True).start()
    out = tmp_path / "results.csv"
    assert main(["sweep", "--quiet", "--level", "2010-trawler", "--seeds", "0-1", "--scheduler",
                 f"tcp://127.0.0.1:{port}", "--out", str(out)]) == 1
    server.close()
    error = capsys.readouterr().err.strip()
    assert f"tcp://127.0.0.1:{port}" in error and "\n" not in error and "Traceback" not in error
    assert not out.exists() and not parts_dir(out).exists()


def test_a_server_that_accepts_and_never_answers_is_refused_without_hanging(tmp_path, capsys, monkeypatch):
    """Dask's client waits for a scheduler's handshake without a limit; the sweep does not."""
    pytest.importorskip("distributed")
    import socket

    from game.research import sweep

    monkeypatch.setattr(sweep, "SCHEDULER_ANSWER_SECONDS", 0.5)
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()  # the kernel accepts connections; nobody ever reads or writes
        port = server.getsockname()[1]
        out = tmp_path / "results.csv"
        assert main(["sweep", "--quiet", "--level", "2010-trawler", "--seeds", "0-1", "--scheduler",
                     f"tcp://127.0.0.1:{port}", "--out", str(out)]) == 1
    error = capsys.readouterr().err.strip()
    assert f"tcp://127.0.0.1:{port}" in error and "sent nothing in 0.5 s" in error
    assert "\n" not in error and "Traceback" not in error
    assert not out.exists() and not parts_dir(out).exists()


def test_a_dask_scheduler_without_workers_is_said_in_one_line_and_the_sweep_goes_on_when_one_joins(tmp_path,
                                                                                                  capsys):
    """Dask waits for workers without a word: a sweep sent to a scheduler none had joined sat at
    0% for as long as it was left, as if it hung. The sweep says so, then waits for them."""
    pytest.importorskip("distributed")
    import threading

    from distributed import LocalCluster

    with LocalCluster(n_workers=0, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        def add_a_worker_once_the_sweep_waits() -> None:
            # The sweep's client has connected (and looked for workers) when the scheduler has
            # two clients: the cluster's own and the sweep's.
            while len(cluster.scheduler.clients) < 2:
                time.sleep(0.05)
            cluster.scale(1)

        threading.Thread(target=add_a_worker_once_the_sweep_waits, daemon=True).start()
        out = tmp_path / "results.csv"
        assert main(["sweep", "--quiet", "--level", "2010-trawler", "--seeds", "0-1", "--scheduler",
                     cluster.scheduler_address, "--out", str(out)]) == 0
    error = capsys.readouterr().err.strip()
    said = [line for line in error.splitlines() if "no workers" in line]
    assert len(said) == 1 and cluster.scheduler_address in said[0], error
    assert said[0].startswith("rare-earths sweep: ") and "Traceback" not in error
    assert out.exists()


def test_a_disk_that_fills_mid_sweep_leaves_no_half_file_and_resume_finishes_the_sweep(tmp_path, capsys,
                                                                                        monkeypatch):
    import errno

    from game.research import sweep

    out = tmp_path / "results.csv"
    argv = ["sweep", "--quiet", "--level", "2010-trawler", "--seeds", "0-7", "--workers", "1", "--out", str(out)]
    moved = []

    def full_after_the_first_part(source, target):
        if Path(target).name.startswith("runs-"):
            moved.append(target)
            if len(moved) > 1:
                raise OSError(errno.ENOSPC, "No space left on device", str(target))
        os.rename(source, target)

    monkeypatch.setattr(sweep.os, "replace", full_after_the_first_part)
    assert main(argv) == 1
    error = capsys.readouterr().err.strip()
    assert "No space left on device" in error and "--resume" in error and "\n" not in error
    assert "cannot write the finished runs in " in error  # not the results file, not written yet
    left = sorted(path.name for path in parts_dir(out).iterdir())
    assert len([name for name in left if name.startswith("runs-")]) == 1
    assert not [name for name in left if name.endswith(".partial")]  # no half-written part
    monkeypatch.undo()
    assert main([*argv, "--resume"]) == 0
    assert out.read_text(encoding="utf-8").count("\n") > 8 and not parts_dir(out).exists()


def test_a_disk_full_before_the_sweep_starts_leaves_no_folder_that_blocks_the_next_sweep(tmp_path, capsys,
                                                                                           monkeypatch):
    """The plan could not be written: the message sent the user to --resume, which refused a
    folder without a plan, and a new sweep refused the folder as there."""
    import errno

    from game.research import sweep

    out = tmp_path / "results.csv"
    argv = ["sweep", "--quiet", "--level", "2010-trawler", "--seeds", "0-3", "--workers", "1", "--out", str(out)]

    def full(path, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(sweep, "write_whole", full)
    assert main(argv) == 1
    error = capsys.readouterr().err.strip()
    assert "No space left on device" in error and "--resume" not in error, error
    assert not parts_dir(out).exists()
    monkeypatch.undo()
    assert main(argv) == 0 and out.is_file()


@pytest.mark.parametrize(("stop", "whole_group", "scheduler"), [
    (signal.SIGTERM, False, None), (signal.SIGHUP, False, None), (signal.SIGHUP, True, None),
    (signal.SIGINT, True, "local-dask"), (signal.SIGHUP, True, "local-dask")])
@pytest.mark.usefixtures("stop_signals_as_from_a_terminal")
def test_a_kill_or_a_closed_terminal_stops_a_sweep_of_workers_as_ctrl_c_does(tmp_path, stop, whole_group, scheduler):
    """SIGTERM or SIGHUP ended the sweep where it stood and left its workers running for good,
    blocked on a pipe nobody read. Now they end with it, and what finished is kept. A terminal
    that closes hangs up every process of the sweep, multiprocessing's resource tracker too: it
    died, and the sweep, stopping in order, started another, which printed a KeyError's
    traceback and a warning under the stop's one line; a local Dask cluster's processes died of
    a terminal's Ctrl+C or hang-up before the sweep could close them, and Dask printed 5-14
    tracebacks for it."""
    if scheduler is not None:
        pytest.importorskip("distributed")
    out = tmp_path / "stopped.csv"
    options = ["--scheduler", scheduler] if scheduler else []
    process = subprocess.Popen([sys.executable, "-m", "game", "sweep", "--level", "2010-trawler", "--strategies",
                                "passive", "--seeds", "0-599", "--workers", "2", "--quiet", *options, "--out", str(out)],
                               cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    deadline = time.monotonic() + 60
    while (not parts_dir(out).exists() or not list(finished_parts(parts_dir(out)))) \
            and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.02)
    (os.killpg if whole_group else os.kill)(process.pid, stop)
    try:
        _, err = process.communicate(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        pytest.fail(_stop_hung(process, "the stop"))
    name = "Ctrl+C" if stop == signal.SIGINT else signal.Signals(stop).name
    assert process.returncode == 128 + stop
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and f"stopped ({name}); what finished is kept" in lines[0], err[-800:]
    deadline = time.monotonic() + 10  # (a fork server ends once it sees the sweep gone)
    while (left := _processes_in_session(process.pid)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert left == [], f"workers left running: {left}"


def _processes_in_session(session: int) -> list[str]:
    """The command lines of the processes left in a session (the sweep started one of its own)."""
    found = subprocess.run(["ps", "-o", "args=", "-s", str(session)], capture_output=True, text=True, timeout=30).stdout
    return [line for line in found.splitlines() if line.strip()]


def test_a_run_that_fails_on_a_worker_stops_the_sweep_in_one_line_and_keeps_the_rest(tmp_path, monkeypatch):
    from game.research import sweep

    calls = []
    real = sweep.play_batch

    def sometimes_failing(level, runs, meta):
        calls.append(runs[0].index)
        if runs[0].index == 4:
            raise RuntimeError("the worker's machine went away")
        return real(level, runs, meta)

    plan = small_plan("0-3", ())
    out = tmp_path / "results.csv"
    monkeypatch.setattr(sweep, "play_batch", sometimes_failing)
    with ThreadPoolExecutor(2) as pool:
        monkeypatch.setattr(sweep, "open_executor", lambda workers, scheduler: nullcontext(pool))
        with pytest.raises(SweepError, match="runs 4-5 failed on a worker .*--resume"):
            execute(plan, check_output(out, False), workers=2, progress=False, batch_size=2)
    assert list(finished_parts(parts_dir(out)))


def test_a_sweep_of_many_combinations_says_it_checks_them_first(tmp_path, capsys, monkeypatch):
    """998,001 combinations took 40 s of checking with nothing said (the progress bar comes after)."""
    from game import cli

    monkeypatch.setattr(cli, "MANY_COMBINATIONS", 4)
    argv = ["sweep", "--level", "2010-trawler", "--seeds", "0", "--set", "max_thrift_per_quarter=0.02,0.03",
            "--set", "price_expectation_weight=0.3,0.4", "--strategies", "no-such", "--out", str(tmp_path / "s.csv")]
    assert main(argv) == 1
    said = capsys.readouterr().err.splitlines()
    assert said[0] == "rare-earths sweep: checking each of the 4 combinations of settings first"
    assert main([*argv, "--quiet"]) == 1
    assert "checking" not in capsys.readouterr().err


def test_two_sweeps_never_write_one_folder_at_once(tmp_path):
    out = tmp_path / "results.csv"
    plan = small_plan("0-3", ())
    started = []

    def start_another(done: int) -> None:
        if not started:
            started.append(done)
            with pytest.raises(SweepError, match="another sweep is writing"):
                execute(plan, check_output(out, True), resume=True, progress=False)
            # Started again without --resume: it said "add --resume", which was refused too.
            with pytest.raises(SweepError, match="another sweep is writing"):
                check_output(out, False)

    execute(plan, check_output(out, False), progress=False, batch_size=2, on_batch=start_another)
    assert started and len(list(read_final_rows(out, ["run"]))) == plan.size


def test_local_workers_are_forked_only_from_a_process_without_other_threads():
    # A child forked while another thread holds a lock can hang (Python 3.14 stopped forking
    # by default for it): a notebook's kernel or a Dask client runs threads.
    probe = ("import threading, time\n"
             "from game.research.sweep import worker_start_method\n"
             "alone = worker_start_method()\n"
             "threading.Thread(target=time.sleep, args=(1,), daemon=True).start()\n"
             "print(alone, worker_start_method())\n")
    alone, beside_a_thread = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                                            check=True, cwd=REPO_ROOT, timeout=SWEEP_SECONDS).stdout.split()
    assert alone == "fork" and beside_a_thread == "forkserver"


def test_a_sweeps_progress_bar_leaves_no_thread_behind_to_stop_the_next_sweep_forking(tmp_path):
    # tqdm's monitor thread would outlive the bar, and the process's next sweep would then start
    # its workers from a fork server rather than forking them.
    probe = ("import sys, threading\n"
             "from game.research.sweep import check_output, execute, parse_seeds, plan_sweep, worker_start_method\n"
             "plan = plan_sweep('2010-trawler', ['passive'], parse_seeds('0'))\n"
             "execute(plan, check_output(__import__('pathlib').Path(sys.argv[1]), False), workers=1, progress=True)\n"
             "print(threading.active_count(), worker_start_method())\n")
    threads, method = subprocess.run([sys.executable, "-c", probe, str(tmp_path / "runs.csv")], capture_output=True,
                                     text=True, check=True, cwd=REPO_ROOT, timeout=SWEEP_SECONDS).stdout.split()
    assert (threads, method) == ("1", "fork")


def test_workers_from_a_fork_server_write_the_same_file_as_one_process(tmp_path):
    # Beside another thread the workers come from a fork server (a notebook's case).
    probe = ("import sys, threading, time, pathlib\n"
             "from game.research.sweep import check_output, execute, parse_seeds, plan_sweep, worker_start_method\n"
             "threading.Thread(target=time.sleep, args=(300,), daemon=True).start()\n"
             "plan = plan_sweep('2010-trawler', ['passive', 'history'], parse_seeds('0-2'))\n"
             "execute(plan, check_output(pathlib.Path(sys.argv[1]), False), workers=2, progress=False)\n"
             "print(worker_start_method())\n")
    served = tmp_path / "served.csv"
    method = subprocess.run([sys.executable, "-c", probe, str(served)], capture_output=True, text=True, check=True,
                            cwd=REPO_ROOT, timeout=SWEEP_SECONDS).stdout.split()
    assert method == ["forkserver"]
    alone = tmp_path / "alone.csv"
    execute(plan_sweep("2010-trawler", ["passive", "history"], parse_seeds("0-2")), check_output(alone, False),
            workers=1, progress=False)
    assert served.read_bytes() == alone.read_bytes()


def test_a_sweep_with_standard_error_closed_runs_without_its_progress_bar(tmp_path, monkeypatch):
    """``2>&-`` leaves Python's sys.stderr None: the progress bar wrote to it, and the sweep
    failed without a word (nowhere to say it), its results unwritten."""
    monkeypatch.setattr(sys, "stderr", None)
    out = tmp_path / "results.csv"
    assert main(["sweep", "--level", "2010-trawler", "--seeds", "0-1", "--workers", "1", "--out", str(out)]) == 0
    assert out.is_file() and not parts_dir(out).exists()


def test_the_workers_of_a_sweep_killed_outright_end_with_it(tmp_path):
    """SIGKILL (or the out-of-memory killer) on a local sweep left its workers waiting for ever on
    their pool's pipes, which they hold open themselves: two more processes with every kill."""
    sweep = subprocess.Popen([sys.executable, "-m", "game", "sweep", "--level", "sandbox", "--strategies",
                              "history,bot", "--seeds", "0-19", "--workers", "2", "--out", str(tmp_path / "k.csv"),
                              "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list[int] = []
    deadline = time.monotonic() + 60
    while len(workers) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
        listed = subprocess.run(["pgrep", "-P", str(sweep.pid)], capture_output=True, text=True,
                                timeout=30).stdout.split()
        workers = [int(pid) for pid in listed]
    assert len(workers) >= 2, "the sweep started no workers"
    time.sleep(1.0)  # under way
    sweep.kill()
    sweep.wait(SIGKILL_SECONDS)

    def alive(pid: int) -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:  # a zombie is not running
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"

    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = [pid for pid in workers if alive(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, "workers outlived their sweep"


def test_a_strategy_name_the_results_cannot_label_is_refused_before_any_run():
    """A file name with a new line swept to the end, and plot then refused the results."""
    for name in ("nl\nx.toml", "x" * 201):
        with pytest.raises(SweepError, match="cannot label the results"):
            plan_sweep("2010-trawler", [name], [0])


def test_reading_parquet_parts_leaves_the_process_able_to_exit(tmp_path):
    """pyarrow's reader threads on a Python file aborted the process as it exited (status 134,
    "terminate called without an active exception") in about one sweep in three, after its
    results were written. The parts are read in the calling thread: sixteen processes that read
    one all exit 0 (before, about one in six aborted, so this catches a return most times)."""
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    part = tmp_path / "part.parquet"
    pq.write_table(pa.table({"run": list(range(1000)), "x": [float(i) for i in range(1000)]}), str(part),
                   compression="zstd")
    script = ("import sys; from pathlib import Path; from game.research.sweep import parquet_table; "
              "print(parquet_table(Path(sys.argv[1]), columns=['run']).num_rows)")
    readers = [subprocess.Popen([sys.executable, "-c", script, str(part)], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, cwd=REPO_ROOT) for _ in range(16)]
    assert [reader.wait(120) for reader in readers] == [0] * 16


def test_a_stopped_sweep_does_not_wait_for_its_workers_batches_to_end():
    """A stop let the batches under way finish before the sweep ended, then dropped their rows:
    a long level's sweep on a busy machine took over a minute to stop, with a second Ctrl+C
    ignored meanwhile. Its workers now leave off at their next run (they are not killed: one
    killed while it sent its rows left the pool waiting for the rest for ever). Each batch here
    is 60 sandbox runs, half a minute or more."""
    from game.research.sweep import PlannedRun, SweepStopped, open_executor, play_batch

    long_batch = [PlannedRun(index, "passive", index, ()) for index in range(60)]
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        with open_executor(2, None) as pool:
            batches = [pool.submit(play_batch, "sandbox", long_batch, ("v", "")) for _ in range(2)]
            time.sleep(1.0)  # both under way
            raise KeyboardInterrupt
    assert time.monotonic() - started < 20
    assert all(batch.done() and isinstance(batch.exception(), SweepStopped) for batch in batches)



@pytest.mark.parametrize("workers, batch_size, says", [
    (None, None, "--workers: expected a whole number from 1, got None"),
    (0, None, "--workers: expected a whole number from 1, got 0"),
    (1.5, None, "--workers: expected a whole number from 1, got 1.5"),
    (1, 0, "batch_size: expected a whole number from 1, got 0"),
])
def test_execute_refuses_workers_it_cannot_use_before_writing_anything(tmp_path, workers, batch_size, says):
    """workers=None failed on arithmetic (a TypeError) and left FILE.parts behind, which refused
    the next sweep as one to resume."""
    plan = plan_sweep("2010-trawler", ["passive"], [1])
    out = check_output(tmp_path / "runs.csv", False)
    with pytest.raises(SweepError, match=re.escape(says)):
        execute(plan, out, workers=workers, batch_size=batch_size, progress=False)
    assert list(tmp_path.iterdir()) == []
