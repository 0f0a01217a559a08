"""The behavioural constants live in the world file's [assumptions] table, each with its source
or reason, and can be overridden by a level, by ``--set`` and by the Python API; anything unknown
or of the wrong type is refused before the run, naming the key, in one line."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import tomli
from conftest import REPO_ROOT

from game.cli import main
from game.research.runner import run
from game.savefile import SaveError, load_text, save_text, sealed
from game.scenario import (
    ScenarioError,
    levels_dir,
    load_level,
    load_world,
    with_assumptions,
)
from game.scenario.assumptions import FIELD_TYPES, NAMES, AssumptionError, check_value
from game.session import HISTORY_STARTS, Session
from game.spec import Assumptions
from game.vocab.nations import JAPAN
from game.world.model import RareEarthWorld

WORLD = levels_dir() / "world-2010.toml"
TRAWLER = levels_dir() / "2010-trawler.toml"
SPIKE = levels_dir() / "2011-spike.toml"
FACT_IDS = {fact["id"] for fact in tomli.loads((levels_dir() / "reference" / "facts.toml").read_text("utf-8"))["fact"]}

#: Values of the wrong type, as TOML and as Python, and what the refusal says.
WRONG = [
    ('"0.05"', "0.05 in quotes", "got '0.05"),
    ("true", True, "got true"),
    ("[0.05]", [0.05], "got an array"),
]


def _copy_levels(folder: Path, *levels: Path) -> None:
    """Copies of shipped levels, each with an id of its own (a copy may not pass for a shipped level)."""
    shutil.copy(WORLD, folder / WORLD.name)
    for level in levels:
        _copy_as_own(level, folder)


def _copy_as_own(level: Path, folder: Path) -> None:
    text = level.read_text("utf-8").replace(f'id = "{level.stem}"', f'id = "my-{level.stem}"', 1)
    (folder / level.name).write_text(text, encoding="utf-8")


def _level_with(folder: Path, table: str, level: Path = TRAWLER) -> Path:
    """A copy of a shipped level (and the world file) with an [assumptions] table added."""
    _copy_levels(folder, level)
    path = folder / level.name
    path.write_text(path.read_text("utf-8") + "\n[assumptions]\n" + table + "\n", encoding="utf-8")
    return path


def _problems(path: Path, loader=load_level) -> list:
    with pytest.raises(ScenarioError) as caught:
        loader(path)
    return caught.value.problems


# --------------------------------------------------------------------------- the world file


def _assumption_lines() -> dict[str, tuple[int, list[str]]]:
    """Each key of the world file's [assumptions] table: (its line index, all the lines)."""
    lines = WORLD.read_text("utf-8").splitlines()
    start = lines.index("[assumptions]")
    keys: dict[str, tuple[int, list[str]]] = {}
    for i in range(start + 1, len(lines)):
        if lines[i].startswith("["):
            break
        match = re.match(r"([a-z0-9_]+) = ", lines[i])
        if match:
            keys[match.group(1)] = (i, lines)
    return keys


def test_every_assumption_is_in_the_world_file_with_its_source_or_reason():
    keys = _assumption_lines()
    assert set(keys) == set(NAMES), "the world file's [assumptions] table and game.spec.Assumptions differ"
    for name, (i, lines) in keys.items():
        inline = lines[i].split("#", 1)[1] if "#" in lines[i] else ""
        above = []
        j = i - 1
        while j >= 0 and lines[j].lstrip().startswith("#"):
            above.insert(0, lines[j].lstrip("# "))
            j -= 1
        comment = " ".join([*above, inline]).strip()
        assert comment, f"{name}: no comment on its line or the lines above"
        words = set(re.findall(r"[a-z0-9_]+", comment))
        assert "assumption" in comment.lower() or words & FACT_IDS, \
            f"{name}: the comment names no fact id of facts.toml and does not say 'assumption': {comment!r}"


def test_the_world_file_gives_every_field_and_the_scenario_carries_them():
    world = load_world(WORLD)
    assert isinstance(world.assumptions, Assumptions)
    trawler = load_level(TRAWLER)
    assert trawler.assumptions == world.assumptions  # the shipped levels override nothing
    for field in dataclasses.fields(Assumptions):
        value = getattr(world.assumptions, field.name)
        assert value is not None
        assert isinstance(value, {"float": float, "int": int}.get(str(field.type), tuple)), field.name


def test_a_world_file_missing_an_assumption_names_it(tmp_path):
    world = tmp_path / "world-2010.toml"
    text = WORLD.read_text("utf-8")
    assert "\nmin_run_rate = " in text
    world.write_text(re.sub(r"\nmin_run_rate = [^\n]*", "", text), encoding="utf-8")
    problems = _problems(world, load_world)
    assert [(p.key, p.message) for p in problems] == [("assumptions.min_run_rate", "missing (expected a number)")]
    assert str(problems[0]) == f"{world}: assumptions.min_run_rate: missing (expected a number)"


def test_a_world_file_without_the_table_is_refused(tmp_path):
    world = tmp_path / "world-2010.toml"
    text = WORLD.read_text("utf-8")
    world.write_text(text[:text.index("\n[assumptions]")] + "\n", encoding="utf-8")
    problems = _problems(world, load_world)
    assert [p.key for p in problems] == ["assumptions"]
    assert "missing" in problems[0].message


@pytest.mark.parametrize("line, key, fragment", [
    ("thrift_rate = 0.1", "assumptions.thrift_rate", "unknown assumption"),
    ('min_run_rate = "0.3"', "assumptions.min_run_rate", "got '0.3'"),
    ("negotiation_rounds = 8.5", "assumptions.negotiation_rounds", "expected a whole number"),
    ("need_bid_steps = [[0.25, 9.0], [0.25, true]]", "assumptions.need_bid_steps[1][1]", "got true"),
])
def test_a_world_file_with_a_bad_assumption_names_the_key(tmp_path, line, key, fragment):
    world = tmp_path / "world-2010.toml"
    name = line.split(" = ")[0]
    text = re.sub(rf"\n{name} = [^\n]*", "", WORLD.read_text("utf-8"))
    world.write_text(text + line + "\n", encoding="utf-8")
    problems = _problems(world, load_world)
    assert [p.key for p in problems] == [key], problems
    assert fragment in problems[0].message


# --------------------------------------------------------------------------- a level's overrides


def test_a_level_overrides_the_world_files_assumptions(tmp_path):
    level = load_level(_level_with(tmp_path, "max_thrift_per_quarter = 0.05\nfear_value_multiple = 3"))
    world = load_world(WORLD)
    assert level.assumptions.max_thrift_per_quarter == 0.05
    assert level.assumptions.fear_value_multiple == 3.0 and isinstance(level.assumptions.fear_value_multiple, float)
    assert level.world.assumptions == world.assumptions  # the world file's own stay as they are
    assert dataclasses.replace(level.assumptions, max_thrift_per_quarter=world.assumptions.max_thrift_per_quarter,
                               fear_value_multiple=world.assumptions.fear_value_multiple) == world.assumptions
    assert level.assumption_overrides == ()  # a level file's own are not "set from outside"
    world_model = RareEarthWorld(level, rng=0)
    try:
        assert world_model.assumptions.max_thrift_per_quarter == 0.05
    finally:
        world_model.close()


@pytest.mark.parametrize("toml_value, _python, fragment", WRONG)
def test_a_level_with_an_assumption_of_the_wrong_type_names_the_key(tmp_path, toml_value, _python, fragment):
    path = _level_with(tmp_path, f"max_thrift_per_quarter = {toml_value}")
    problems = _problems(path)
    assert [(p.path, p.key) for p in problems] == [(str(path), "assumptions.max_thrift_per_quarter")]
    assert fragment in problems[0].message
    assert "\n" not in str(problems[0])


@pytest.mark.parametrize("table, key, fragment", [
    ("thrift_rate = 0.1", "assumptions.thrift_rate", "unknown assumption (did you mean max_thrift_per_quarter?)"),
    ("max_thrift_per_quarter = 2", "assumptions.max_thrift_per_quarter", "expected 0 or a number from 0.000001 to 1, got 2"),
    ("max_thrift_per_quarter = nan", "assumptions.max_thrift_per_quarter", "finite"),
    ("offtake_years = [3, 5.5]", "assumptions.offtake_years[1]", "expected a whole number"),
    ("need_bid_steps = [[0.25, 9.0]]", "assumptions.need_bid_steps", "expected 2 to 20 items"),
])
def test_a_level_with_an_unknown_or_out_of_range_assumption_names_the_key(tmp_path, table, key, fragment):
    problems = _problems(_level_with(tmp_path, table))
    assert [p.key for p in problems] == [key]
    assert fragment in problems[0].message


NUMBER_FIELDS = [name for name, kind in FIELD_TYPES.items() if kind in (float, tuple[float, ...])]


@pytest.mark.parametrize("name", NUMBER_FIELDS)
def test_a_refused_number_is_told_only_numbers_the_check_takes(name):
    """run_rate_cost_band=1e-7 said "expected 0 or a number of at least 1e-06 in size", and =0
    "expected a number above 0 and at most 1": each offered what the other refused."""
    def checked(value: float):
        return check_value(name, [value] if FIELD_TYPES[name] is not float else value)

    for near_zero in (0, 1e-7, -1e-7, -2.0):
        try:
            checked(near_zero)
        except AssumptionError as error:
            message = error.message
        else:
            continue
        offered = re.fullmatch(r"expected (0 or )?a number (?:from (\S+) to (\S+))(, 0 or at least (\S+) in size)?, "
                               r"got .*", message)
        assert offered, message
        zero, low, high, zero_too, least = offered.groups()
        offers = [float(v.replace(",", "")) for v in (least, low, high) if v is not None]  # "1,000,000,000"
        for value in ([0] if zero or zero_too else []) + offers:
            checked(value)  # (raises if the message offered a value the check refuses)


@pytest.mark.parametrize("name", NUMBER_FIELDS)
def test_a_range_refusal_names_the_least_size_a_number_other_than_0_takes(name):
    """max_thrift_per_quarter=2 said "expected a number from 0 to 1", and 1e-7, inside that
    range, was refused: the message now says what the check takes."""
    def refusal(value: float) -> str | None:
        try:
            check_value(name, [value] if FIELD_TYPES[name] is not float else value)
        except AssumptionError as error:
            return error.message
        return None

    too_large = refusal(2e9)
    assert too_large is not None
    # Its range as people read it: "from 0 to 1e+09" read as code.
    assert not re.search(r"\de[+-]\d", too_large.split(", got")[0]), too_large
    if refusal(1e-7) is not None and refusal(2e-6) is None:  # only a number too near 0 is refused
        assert "0.000001" in too_large, too_large


@pytest.mark.parametrize(("name", "value", "says"), [
    # It said "got a number" of the number given.
    ("negotiation_rounds", 3.0, "expected a whole number, got 3.0"),
    ("negotiation_rounds", np.float64(2.5), "expected a whole number, got 2.5"),
    ("offtake_years", [3, 5.5], "expected a whole number, got 5.5"),
    ("max_thrift_per_quarter", "x", "expected a number, got 'x'"),
    ("max_thrift_per_quarter", True, "expected a number, got true"),
])
def test_a_value_of_the_wrong_type_is_shown_when_it_is_a_number(name, value, says):
    with pytest.raises(AssumptionError) as refused:
        check_value(name, value)
    assert refused.value.message == says


def test_levels_validate_prints_the_problem_in_one_line(tmp_path):
    path = _level_with(tmp_path, "thrift_rate = 0.1")
    result = subprocess.run([sys.executable, "-m", "game", "levels", "validate", str(path)], cwd=REPO_ROOT,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    expected = f"{path}: assumptions.thrift_rate: unknown assumption (did you mean max_thrift_per_quarter?)"
    assert result.stdout.splitlines() == [expected]


def test_a_level_continuing_a_history_runs_on_its_own_assumptions_from_its_start(tmp_path):
    _copy_as_own(levels_dir() / "sandbox.toml", tmp_path)
    level = load_level(_level_with(tmp_path, "max_thrift_per_quarter = 0.05", level=SPIKE))
    assert level.starts_from == "sandbox"
    session = Session(level, seed=0)
    try:
        assert session.world.assumptions.max_thrift_per_quarter == 0.05
        assert session.world.assumptions == level.assumptions
    finally:
        session.close()


# --------------------------------------------------------------------------- --set on the command line


def _cli_error(capsys, *args: str) -> str:
    with pytest.raises(SystemExit) as caught:
        main(list(args))
    assert caught.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, lines
    assert "Traceback" not in captured.err
    return lines[0]


@pytest.mark.parametrize("command", ["run", "calibrate"])
@pytest.mark.parametrize("setting, fragment", [
    ("assumptions.thrift_rate=0.08", "assumptions.thrift_rate: unknown assumption"),
    ("assumptions.max_thrift_per_quarter=fast", "assumptions.max_thrift_per_quarter: expected a number, got 'fast'"),
    ('assumptions.max_thrift_per_quarter="0.05"', "assumptions.max_thrift_per_quarter: expected a number, got '0.05'"),
    ("assumptions.max_thrift_per_quarter=true", "assumptions.max_thrift_per_quarter: expected a number, got true"),
    ("assumptions.max_thrift_per_quarter=[0.05]", "assumptions.max_thrift_per_quarter: expected a number, got an array"),
    ("assumptions.negotiation_rounds=8.5", "assumptions.negotiation_rounds: expected a whole number"),
    ("assumptions.max_thrift_per_quarter", "assumptions.max_thrift_per_quarter: expected assumptions.NAME=VALUE"),
    ("seed=3", "seed: only assumptions can be set"),
    ("max_thrift_per_quartr=0.05", "assumptions.max_thrift_per_quartr: unknown assumption (did you mean "
                                   "max_thrift_per_quarter"),
    ("=1", "expected assumptions.NAME=VALUE"),
    # a menu of years a player's proposal may not take (a counter of 25 years was refused on acceptance)
    ("assumptions.offtake_years=[25, 30]", "assumptions.offtake_years[0]: expected a whole number from 1 to 20"),
])
def test_set_refuses_a_bad_setting_in_one_line_naming_the_key(capsys, command, setting, fragment):
    args = [command, "--level", "2010-trawler", "--set", "assumptions.min_run_rate=0.2", "--set", setting]
    line = _cli_error(capsys, *args)
    assert line.startswith(f"rare-earths {command}: error: argument --set: "), line
    assert fragment in line


def test_set_takes_an_assumptions_bare_name_as_sweep_does(capsys):
    """`run --set max_thrift_per_quarter=0.1` said "only assumptions can be set", of an assumption."""
    from game.cli import main

    assert main(["run", "--level", "2010-trawler", "--turns", "1", "--set", "max_thrift_per_quarter=0.05"]) == 0
    bare = capsys.readouterr().out
    assert main(["run", "--level", "2010-trawler", "--turns", "1", "--set",
                 "assumptions.max_thrift_per_quarter=0.05"]) == 0
    assert capsys.readouterr().out == bare


def test_set_errors_from_the_installed_command_have_no_traceback():
    result = subprocess.run([sys.executable, "-m", "game", "run", "--level", "sandbox", "--set",
                             "assumptions.thrift_rate=0.08"], cwd=REPO_ROOT, capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 2
    assert result.stdout == ""
    expected = ("rare-earths run: error: argument --set: assumptions.thrift_rate: unknown assumption "
                "(did you mean max_thrift_per_quarter?) (see rare-earths run --help)")
    assert result.stderr.splitlines() == [expected]


def test_set_changes_what_the_world_sees(monkeypatch, capsys):
    import game.research.runner
    import game.session

    worlds = []

    class Recording(game.session.Session):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            worlds.append(self.world)

    monkeypatch.setattr(game.session, "Session", Recording)
    monkeypatch.setattr(game.research.runner, "Session", Recording)  # `run` plays through the research API
    # (A name set twice is refused: tests/broken_inputs/args-run-set-twice.json.)
    assert main(["run", "--level", "2010-trawler", "--turns", "1", "--set", "assumptions.max_thrift_per_quarter=0.06",
                 "--set", "assumptions.offtake_years=[2, 4]"]) == 0
    assert "2010Q3" in capsys.readouterr().out
    [world] = worlds
    assert world.assumptions.max_thrift_per_quarter == 0.06
    assert world.assumptions.offtake_years == (2, 4)
    assert world.scenario.assumption_overrides == (("max_thrift_per_quarter", 0.06), ("offtake_years", (2, 4)))
    default = load_world(WORLD).assumptions
    assert dataclasses.replace(world.assumptions, max_thrift_per_quarter=default.max_thrift_per_quarter,
                               offtake_years=default.offtake_years) == default


# --------------------------------------------------------------------------- the Python API


@pytest.mark.parametrize("overrides, key, fragment", [
    ({"thrift_rate": 0.08}, "assumptions.thrift_rate", "unknown assumption"),
    ({"assumptions.max_thrift_per_quarter": 0.08}, "assumptions.assumptions.max_thrift_per_quarter", "unknown"),
    *[({"max_thrift_per_quarter": value}, "assumptions.max_thrift_per_quarter", fragment)
      for _, value, fragment in WRONG],
    ({"negotiation_rounds": True}, "assumptions.negotiation_rounds", "got true"),
    ({"negotiation_rounds": 8.0}, "assumptions.negotiation_rounds", "expected a whole number"),
    ({"max_thrift_per_quarter": float("inf")}, "assumptions.max_thrift_per_quarter", "finite"),
])
def test_the_api_refuses_bad_assumptions_with_a_value_error_naming_the_key(overrides, key, fragment):
    with pytest.raises(ValueError) as caught:
        run("2010-trawler", "passive", 0, turns=1, assumptions=overrides)
    assert isinstance(caught.value, AssumptionError)
    assert str(caught.value).startswith(f"{key}: ")
    assert fragment in str(caught.value)
    assert "\n" not in str(caught.value)


def test_the_api_applies_assumptions_to_the_world(trawler):
    changed = with_assumptions(trawler, {"max_thrift_per_quarter": 0.05, "negotiation_rounds": 4,
                                         "need_bid_steps": [[0.5, 9], [0.5, 4.0]], "fear_value_multiple": 1})
    assert trawler.assumptions == load_world(WORLD).assumptions  # the original is untouched
    assert changed.assumptions.need_bid_steps == ((0.5, 9.0), (0.5, 4.0))
    assert changed.assumptions.fear_value_multiple == 1.0 and isinstance(changed.assumptions.fear_value_multiple, float)
    assert [name for name, _ in changed.assumption_overrides] == sorted(["max_thrift_per_quarter", "negotiation_rounds",
                                                                          "need_bid_steps", "fear_value_multiple"])
    assert with_assumptions(trawler, {}) is trawler
    world = RareEarthWorld(changed, rng=0)
    try:
        assert world.assumptions.max_thrift_per_quarter == 0.05
        assert world.assumptions.negotiation_rounds == 4
    finally:
        world.close()
    result = run(trawler, "passive", 0, turns=1, assumptions={"max_thrift_per_quarter": 0.05})
    assert len(result.rows) == 1


def test_overrides_hold_for_the_history_a_level_continues(tmp_path):
    spike = load_level(SPIKE)
    changed = with_assumptions(spike, {"max_thrift_per_quarter": 0.05})
    history = HISTORY_STARTS.world_at(spike.starts_from_path, 0, spike.start, changed.assumption_overrides)
    plain = HISTORY_STARTS.world_at(spike.starts_from_path, 0, spike.start)
    try:
        assert history.assumptions.max_thrift_per_quarter == 0.05
        assert plain.assumptions == spike.assumptions
    finally:
        history.close()
        plain.close()
    session = Session(changed, seed=0)
    try:
        assert session.world.assumptions.max_thrift_per_quarter == 0.05
    finally:
        session.close()


# --------------------------------------------------------------------------- saves


def test_a_save_carries_the_overrides_and_replays_to_the_same_rows(trawler):
    from game.players import controller_for

    changed = with_assumptions(trawler, {"max_thrift_per_quarter": 0.05, "offtake_years": (3, 7)})
    session = Session(changed, controller_for("bot", changed), seed=2)
    session.run(max_turns=3)
    text = save_text(session, "2010-trawler")
    assert json.loads(text)["assumptions"] == {"max_thrift_per_quarter": 0.05, "offtake_years": [3, 7]}
    loaded, level_ref = load_text(text)
    try:
        assert level_ref == "2010-trawler"
        assert loaded.scenario.assumptions == changed.assumptions
        assert loaded.scenario.assumption_overrides == changed.assumption_overrides
        assert loaded.world.assumptions.offtake_years == (3, 7)
        assert loaded.rows() == session.rows()
        assert save_text(loaded, "2010-trawler") == text
    finally:
        loaded.close()
        session.close()


def test_a_save_without_overrides_has_no_assumptions_key(trawler):
    session = Session(trawler, seed=0)
    try:
        assert "assumptions" not in json.loads(save_text(session, "2010-trawler"))
    finally:
        session.close()


@pytest.mark.parametrize("saved, fragment", [
    ({"thrift_rate": 0.1}, "save's assumptions.thrift_rate: unknown assumption"),
    ({"max_thrift_per_quarter": "0.1"}, "save's assumptions.max_thrift_per_quarter: expected a number"),
    ([1, 2], "save's assumptions are not a table of names and values, got an array of 2 items"),
    (True, "save's assumptions are not a table of names and values, got true"),
])
def test_a_save_with_bad_assumptions_is_refused_in_one_line(trawler, saved, fragment):
    session = Session(trawler, seed=0)
    data = json.loads(save_text(session, "2010-trawler"))
    session.close()
    data["assumptions"] = saved
    with pytest.raises(SaveError) as caught:
        load_text(sealed(data))
    assert fragment in str(caught.value)
    assert "\n" not in str(caught.value)


# --------------------------------------------------------------------------- the simulation uses them

#: (overrides, quarters of the sandbox to run): for at least one field of each module that used to
#: hold the constant, a value that certainly changes a run's rows within that many quarters (the
#: module is the one named in the field's comment in game/spec.py).
CHANGES_A_RUN = [
    ({"selling_cost_usd_per_kg": 20.0}, 12),  # agents/firm.py
    ({"credit_line_quarters": 20.0}, 12),  # agents/firm.py
    ({"min_run_rate": 0.95}, 16),  # agents/firm.py, read by agents/producers.py
    ({"payback_capex_separator_usd_per_tpy": 225_000.0}, 12),  # agents/producers.py
    ({"max_thrift_per_quarter": 0.5}, 12),  # agents/buyers.py
    ({"need_bid_steps": [[0.5, 20.0], [0.5, 10.0]]}, 12),  # agents/buyers.py
    ({"embargo_fright": 0.05}, 12),  # agents/nation.py, read by game/world/diplomacy.py
    ({"doctrine_wto_weight": 0.0}, 12),  # agents/doctrine.py
    ({"doctrine_halt_from_score": -10.0, "doctrine_halt_min_tension": 0.0}, 12),  # agents/doctrine.py
    ({"contract_duration_sensitivity": 5.0}, 24),  # agents/contract_terms.py
    ({"negotiation_rounds": 1}, 24),  # agents/negotiation.py, through game/world/offtakes.py
    ({"offtake_price_steps": 2}, 12),  # game/world/offtakes.py
    ({"max_secure_share": 0.0}, 12),  # game/world/offtakes.py
    ({"contract_discount": 0.0}, 24),  # game/world/offtakes.py
    ({"price_index_quarters": 1}, 40),  # game/world/offtakes.py and model.py's price history
    ({"capex_separator_usd_per_tpy": 100_000.0}, 12),  # game/world/investment.py
    ({"price_expectation_weight": 0.95}, 12),  # game/world/exchange.py (and the firms)
    ({"wto_respondent_wins_chance": 1.0}, 24),  # game/world/wto.py (the panel's finding is news)
    ({"licence_base_quarters": 1}, 62),  # game/world/export_controls.py (licences from 2025)
]

#: Runs of the sandbox (history, seed 0) already made, by (overrides, quarters).
_SANDBOX_RUNS: dict[tuple[str, int], tuple] = {}


def _sandbox_rows(overrides: dict, turns: int) -> tuple:
    key = (json.dumps(overrides, sort_keys=True), turns)
    if key not in _SANDBOX_RUNS:
        result = run("sandbox", "history", 0, turns=turns, assumptions=overrides)
        _SANDBOX_RUNS[key] = (result.rows, result.news)
    return _SANDBOX_RUNS[key]


@pytest.mark.parametrize("overrides, turns", CHANGES_A_RUN, ids=[",".join(o) for o, _ in CHANGES_A_RUN])
def test_an_overridden_assumption_changes_the_run(overrides, turns):
    """Fails for a field the simulation does not read (it would leave every row as it was)."""
    assert _sandbox_rows(overrides, turns) != _sandbox_rows({}, turns), \
        f"overriding {sorted(overrides)} changed nothing in {turns} quarters of the sandbox"


def test_each_of_two_fields_that_act_together_is_used():
    # A halt needs both the score and the tension over their thresholds: each one alone at its
    # default leaves the run as it was, so each is read.
    both = {"doctrine_halt_from_score": -10.0, "doctrine_halt_min_tension": 0.0}
    assert _sandbox_rows(both, 12) != _sandbox_rows({"doctrine_halt_min_tension": 0.0}, 12)
    assert _sandbox_rows(both, 12) != _sandbox_rows({"doctrine_halt_from_score": -10.0}, 12)


def _replaced(world, **values) -> None:
    """Change the world's assumptions after it was built, as ``continue_as`` does."""
    world.assumptions = dataclasses.replace(world.assumptions, **values)


def test_the_levers_read_the_assumptions_when_they_are_used(trawler):
    """Levers a sandbox run never pulls: each reads the world's assumptions at the time it acts,
    so a change after the world was built (a continued level's own) holds."""
    from agents.producers import RecyclerFirm

    session = Session(trawler, seed=0)
    try:
        session.play_turn()
        world = session.world
        # game/world/industry.py: magnet research and emergency support
        ready, cut = world.industry.fund_magnet_research(JAPAN, 200.0)
        _replaced(world, research_quarters=world.assumptions.research_quarters + 5,
                  max_research_dytb_cut=world.assumptions.max_research_dytb_cut / 2)
        later, smaller = world.industry.fund_magnet_research(JAPAN, 200.0)
        assert later == ready + 5 and smaller == pytest.approx(cut / 2)
        _replaced(world, research_scale_musd=world.assumptions.research_scale_musd * 10)
        assert world.industry.fund_magnet_research(JAPAN, 200.0)[1] < smaller
        assert world.industry.support_industry(JAPAN, 1e6) == world.assumptions.max_support_boost
        _replaced(world, max_support_boost=0.25)
        assert world.industry.support_industry(JAPAN, 1e6) == 0.25
        # game/world/diplomacy.py: talks and partnerships
        japan, china = world.nation(JAPAN), world.nation("CHN")
        for share in (0.3, 0.9):
            _replaced(world, talks_ease_share=share)
            japan.tension = dict(japan.baseline_tension)
            china.tension = dict(china.baseline_tension)
            china.change_tension(JAPAN, 0.1)
            gap = china.tension_with(JAPAN) - china.baseline_tension.get(JAPAN, 0.0)
            assert world.diplomacy.hold_talks(JAPAN, "CHN") == pytest.approx(share * gap)
        _replaced(world, partnership_tension_ease=0.2)
        before = japan.tension_with("CHN")
        world.diplomacy.sign_partnership(JAPAN, "CHN")
        assert japan.tension_with("CHN") == pytest.approx(max(0.0, before - 0.2))
        # game/world/investment.py: funded recycling capacity and its lead time
        recycler = next(f for f in world.firm_list if isinstance(f, RecyclerFirm))
        _replaced(world, capex_recycler_usd_per_tpy=10_000.0, build_quarters_recycler=7)
        assert world.investment.fund_recycling(JAPAN, recycler.firm_id, 50.0) == pytest.approx(5000.0)
        project = list(world.investment.projects.values())[-1]
        assert project.firm == recycler.firm_id and project.lead_quarters == 7
    finally:
        session.close()


def test_the_agents_read_the_assumptions_when_they_decide(trawler):
    """Firms and nations read ``self.model.assumptions`` at the point of use, never a copy."""
    from agents.buyers import ManufacturerFirm
    from agents.producers import RecyclerFirm

    world = RareEarthWorld(trawler, rng=0)
    try:
        maker = next(f for f in world.firm_list if isinstance(f, ManufacturerFirm))
        _replaced(world, max_thrift_per_quarter=0.2, min_use_intensity=0.1)
        maker.adapt_to_prices(100.0)
        assert maker.demand_factor == pytest.approx(0.8)
        recycler = next(f for f in world.firm_list if isinstance(f, RecyclerFirm))
        _replaced(world, payback_capex_recycler_usd_per_tpy=1.0, payback_horizon_recycler_years=2.0)
        assert recycler.expansion_terms() == (1.0, 2.0)
        nation = world.nation(JAPAN)
        nation.security_premium = 1.0
        _replaced(world, security_premium_fading_per_quarter=0.5)
        nation.calm_down()
        assert nation.security_premium == pytest.approx(0.5)
        capital = nation.political_capital
        _replaced(world, political_capital_per_quarter=0.5, political_capital_max=100.0)
        nation.start_quarter()
        assert nation.political_capital == pytest.approx(capital + 0.5)
    finally:
        world.close()


def test_no_module_keeps_a_constant_an_assumption_replaced():
    """The module constants named in the comments of game.spec.Assumptions (``# module:
    CONSTANT``) are gone from agents/ and game/world/: the simulation reads the world's."""
    import ast

    source = (REPO_ROOT / "game" / "spec.py").read_text("utf-8")
    body = source[source.index("class Assumptions"):source.index("\nclass ", source.index("class Assumptions") + 1)]
    replaced: dict[str, str] = {}  # constant -> the module it was in
    for line in body.splitlines():
        if re.match(r"\s+[a-z_0-9]+: [^#]+#", line):
            for module, constant in re.findall(r"\b([a-z_]+): ([A-Z][A-Z0-9_]*)\b", line.split("#", 1)[1]):
                replaced[constant] = module
    assert {"MIN_RUN_RATE", "EXPANSION_CAPEX", "DEFAULT_ROUNDS", "ROUNDS", "REPUTATION_PERIOD",
            "RESPONDENT_WINS"} <= set(replaced)
    files = sorted((REPO_ROOT / "agents").glob("*.py")) + sorted((REPO_ROOT / "game" / "world").glob("*.py"))
    assert {module for module in replaced.values()} <= {path.stem for path in files}
    kept = []
    for path in files:
        for node in ast.parse(path.read_text("utf-8")).body:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] \
                if isinstance(node, ast.AnnAssign) else []
            names = [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]
            kept += [f"{path.relative_to(REPO_ROOT)}: {name}" for name in names if name in replaced]
    assert not kept, f"module constants that are now assumptions: {kept}"


def test_the_reputation_period_sets_when_reputations_are_published():
    # Reputations only steer bargaining, so a run's rows may not show it: look at the ledger.
    from game.players import controller_for
    from game.scenario import find_level, load_level, with_assumptions
    from game.session import Session

    published = {}
    for period in (1, 4):
        level = with_assumptions(load_level(find_level("sandbox")), {"reputation_period_quarters": period})
        session = Session(level, controller_for("history", level), seed=0)
        try:
            for _ in range(3):  # deals signed in 2010Q4 deliver from 2011Q1, the third quarter
                session.play_turn()
            published[period] = dict(session.world.ledger.reputations)
        finally:
            session.close()
    assert published[1] and not published[4]  # every quarter, or not yet after three



def test_a_world_without_buffer_steps_buys_only_for_its_lines():
    """``buffer_bid_steps = []`` is in range (a world whose buyers hold no stock for later): it
    crashed the first quarter, unpacking no steps."""
    import math

    import numpy as np

    from agents.buyers import BuyerFirm, bid_steps
    from game.vocab.materials import N_MATERIALS

    def most_steps_of_one_buyer(level):
        session = Session(level, seed=0)
        for _ in range(3):
            session.play_turn()
        world = session.world
        buyers = [b for b in world.firms_of(BuyerFirm) if b.alive]
        steps = bid_steps(buyers, world.reference_price, world.expected_prices[world.homes_of(BuyerFirm)][
            [b.alive for b in world.firms_of(BuyerFirm)]])
        assert all(math.isfinite(v) for row in session.rows() for v in row.values() if isinstance(v, float))
        return int(np.bincount(steps.buyer * N_MATERIALS + steps.material).max())

    level = load_level(TRAWLER)
    without = dataclasses.replace(level, assumptions=dataclasses.replace(level.assumptions, buffer_bid_steps=()))
    need_steps = len(level.assumptions.need_bid_steps)
    assert most_steps_of_one_buyer(level) > need_steps  # as shipped, some buyer also bids for stock
    assert most_steps_of_one_buyer(without) == need_steps


def test_numpy_numbers_are_taken_as_the_numbers_they_are():
    """np.float64 was taken (a float) and np.float32 refused: 'expected a number, got float32'."""
    import numpy as np

    from game.research import run

    assert run("2010-trawler", "passive", 0, {"min_run_rate": np.float32(0.5)}, turns=1).rows
    assert run("2010-trawler", "passive", 0, {"loss_quarters_to_mothball": np.int64(3)}, turns=1).rows


def test_every_offtake_term_the_menu_may_hold_a_players_proposal_may_take():
    """A seller counters with terms from the menu of ``offtake_years``, and accepting the counter
    proposes them: a menu of up to 50 years passed, and a counter of 25 years was then refused on
    acceptance ("years must be from 1 to 20")."""
    from game.actions import ProposeOfftake
    from game.scenario.assumptions import BOUNDS
    from game.vocab.materials import Material
    from game.vocab.nations import JAPAN

    bound = BOUNDS["offtake_years"]
    for years in range(int(bound.low), int(bound.high) + 1):
        assert ProposeOfftake("lynas-lamp", Material.NDPR, 100.0, years, 50.0).field_problem(JAPAN) is None, years
