"""The research API: ``game.research.run`` and its result, and the world as Mesa's own loops
expect it (``mesa.batch_run`` plays the chosen strategy to the level's end, with the agents'
reporters beside the model's, and lets go of each model when done)."""

from __future__ import annotations

import json
import re

import mesa
import pytest

from game import research
from game.research.runner import level_world, scenario_for
from game.scenario import find_level, load_level
from game.scenario.assumptions import AssumptionError
from game.session import Session
from game.world.indicators import AGENT_REPORTERS


def test_a_run_says_what_it_is_and_where_it_came_from():
    result = research.run("2010-trawler", seed=3)
    assert result.strategy == "history"  # the default: what Japan really did
    assert result.meta["level"] == "2010-trawler" and result.meta["seed"] == 3
    assert result.meta["strategy"] == "history" and result.meta["assumptions"] == {}
    assert result.meta["turns"] == len(result.rows) == 10  # and a part of a level says it is one:
    assert research.run("2010-trawler", "passive", 0, turns=1).meta["turns"] == 1
    assert len(result.meta["level_sha256"]) == 64 and result.meta["model_version"]
    assert result.score == result.rows[-1]["score"] and result.stars == result.rows[-1]["stars"]
    assert 0 <= result.score <= 100 and result.stars in (0, 1, 2, 3)
    assert any(kind for _, kind, _ in result.news)


def test_a_changed_level_file_changes_its_digest(tmp_path):
    copy = tmp_path / "my-trawler.toml"
    text = find_level("2010-trawler").read_text(encoding="utf-8").replace('id = "2010-trawler"', 'id = "my-trawler"', 1)
    copy.write_text(text, encoding="utf-8")
    (tmp_path / "world-2010.toml").write_text(
        find_level("2010-trawler").with_name("world-2010.toml").read_text(encoding="utf-8"), encoding="utf-8")
    same = research.run(str(copy), "passive", 0, turns=1).meta["level_sha256"]
    assert same == research.run(str(copy), "passive", 0, turns=1).meta["level_sha256"]
    copy.write_text(text.replace("Keep Japan's factories running", "Keep the factories running", 1), encoding="utf-8")
    assert research.run(str(copy), "passive", 0, turns=1).meta["level_sha256"] != same


def test_the_frames_hold_the_rows_and_the_agents():
    pandas = pytest.importorskip("pandas")
    result = research.run("2010-trawler", "bot", 2, assumptions={"max_thrift_per_quarter": 0.05})
    frame = result.frame()
    assert isinstance(frame, pandas.DataFrame) and len(frame) == 10
    assert frame["quarter"].iloc[0] == "2010Q3" and frame["score"].iloc[-1] == result.score
    assert frame.attrs["meta"]["assumptions"] == {"max_thrift_per_quarter": 0.05}
    agents = result.agents_frame()
    assert set(agents["quarter"]) == set(frame["quarter"])
    japan = agents[agents["agent"] == "JPN"]
    assert len(japan) == 10 and (japan["kind"] == "nation").all()
    assert list(japan["cash_musd"]) == pytest.approx(list(frame["japan_budget_musd"]))
    firms = agents[agents["kind"] != "nation"]
    assert firms["output_t"].notna().all() and (firms["stock_t"] >= 0).all()
    assert agents[agents["agent"] == "CHN"]["tension"].max() > 0


def test_a_result_s_rows_cannot_be_changed_under_it():
    """A row changed in place (``result.rows[0]["score"] = 0``) changed the frame, the columns and
    the score, which then disagreed with what was run; a copy may still be changed."""
    import copy
    import pickle

    pandas = pytest.importorskip("pandas")
    result = research.run("2010-trawler", "passive", 0, turns=2)
    frame, score = result.frame(), result.score
    for rows in (result.rows, result.agent_rows):
        assert isinstance(rows, tuple)
        row = rows[0]
        for change in (lambda: row.__setitem__("quarter", "1900Q1"), lambda: row.update(quarter="1900Q1"),
                       lambda: row.pop("quarter"), lambda: row.setdefault("new", 1), row.clear, row.popitem,
                       lambda: row.__delitem__("quarter"), lambda: row.__ior__({"quarter": "1900Q1"})):
            with pytest.raises(TypeError):
                change()
        assert row["quarter"] == "2010Q3"
        assert pickle.loads(pickle.dumps(row)) == row == copy.deepcopy(row)  # a sweep's workers send results back
        mine = dict(row)
        mine["quarter"] = "1900Q1"
        assert row["quarter"] == "2010Q3"
    pandas.testing.assert_frame_equal(result.frame(), frame)
    assert result.score == score and json.loads(json.dumps(result.rows[-1]))["score"] == score
    built = research.RunResult("x", "passive", 0, [{"quarter": "2010Q3", "score": 1.0, "stars": 0}])
    assert isinstance(built.rows, tuple)
    with pytest.raises(TypeError):
        built.rows[0]["score"] = 2.0
    assert pickle.loads(pickle.dumps(built)) == built
    assert type(row).fromkeys(["a", "b"], 1) == {"a": 1, "b": 1}  # (dict's set them one by one, refused)


def test_runs_repeat_and_refuse_a_bad_assumption_before_running():
    assert research.run("2010-trawler", "bot", 5).rows == research.run("2010-trawler", "bot", 5).rows
    with pytest.raises(AssumptionError, match="no_such_thing"):
        research.run("2010-trawler", assumptions={"no_such_thing": 1.0})


def test_a_headless_run_loads_neither_tqdm_nor_asyncio_until_mesa_batch_run_is_called():
    """``mesa.batchrunner`` imports tqdm's notebook-aware bar and with it asyncio, a tenth of
    ``rare-earths run``: Mesa's package takes ``batch_run`` as it loads, and gets a stand-in
    that loads them on its first call (``game.deferred_imports``), which then plays as Mesa's."""
    import subprocess
    import sys

    probe = """
import sys
from game.research import level_world, run
run("2010-trawler", "passive", 0, agents=False, turns=1)
print(sorted(m for m in ("tqdm", "asyncio") if m in sys.modules))
import mesa
rows = mesa.batch_run(level_world, {"level": "2010-trawler", "strategy": "passive", "seed": 1}, max_steps=2,
                      display_progress=False)
print(sorted(m for m in ("tqdm", "asyncio") if m in sys.modules), rows[-1]["Step"], mesa.batch_run.__name__)
"""
    loaded = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True).stdout
    assert loaded.splitlines() == ["[]", "['asyncio', 'tqdm'] 2 batch_run"]


def test_mesa_batch_run_plays_each_strategy_to_the_level_end():
    rows = mesa.batch_run(research.level_world, {"level": "2010-trawler", "strategy": ["history", "passive"],
                                                 "seed": [1]}, max_steps=500, display_progress=False)
    finals = {}
    for row in rows:
        assert row["Step"] == 9  # the level's tenth and last quarter, then running turned False
        finals[row["strategy"], row["agent"]] = row
    for strategy in ("history", "passive"):
        expected = research.run("2010-trawler", strategy, 1).rows[-1]
        final = finals[strategy, "JPN"]
        assert final["quarter"] == "2012Q4"
        assert final["japan_output_index"] == expected["japan_output_index"]
        assert final["cash_musd"] == pytest.approx(expected["japan_budget_musd"])
    assert finals["history", "JPN"]["japan_budget_musd"] != finals["passive", "JPN"]["japan_budget_musd"]


def test_a_finished_world_stops_and_lets_go_of_mesas_registry():
    world = research.level_world("2010-trawler", "history", 0)
    while world.running:
        world.step()
    assert world.is_over and world.steps == 10
    assert world not in getattr(mesa.Agent, "_ids", {})


def test_leaving_out_the_agents_rows_changes_no_indicator():
    for level in ("2010-trawler", "2011-spike"):  # a level of its own, and one that continues history
        full, lean = research.run(level, "bot", 4, turns=4), research.run(level, "bot", 4, turns=4, agents=False)
        assert lean.rows == full.rows and not lean.agent_rows and full.agent_rows


def test_a_level_file_changed_between_runs_is_read_again(tmp_path):
    level = tmp_path / "my-trawler.toml"
    text = find_level("2010-trawler").read_text(encoding="utf-8")
    level.write_text(text.replace('id = "2010-trawler"', 'id = "my-trawler"', 1), encoding="utf-8")
    (tmp_path / "world-2010.toml").write_text(
        find_level("2010-trawler").with_name("world-2010.toml").read_text(encoding="utf-8"), encoding="utf-8")
    before = research.run(str(level), "passive", 0, turns=1)
    level.write_text(text.replace('id = "2010-trawler"', 'id = "my-trawler-2"', 1), encoding="utf-8")
    after = research.run(str(level), "passive", 0, turns=1)
    assert (before.level, after.level) == ("my-trawler", "my-trawler-2")
    assert before.meta["level_sha256"] != after.meta["level_sha256"]


def test_the_agents_rows_are_what_the_agent_reporters_say():
    """The collector builds a firm's row in one step; every row must equal the reporters' own."""
    session = Session(load_level(find_level("2011-spike")), seed=2)
    reporters = tuple(AGENT_REPORTERS.values())
    for _ in range(4):
        session.play_turn()
        world = session.world
        records = world.datacollector._agent_records[len(world.datacollector.model_vars["turn"]) - 1]
        expected = [(world.steps, agent.unique_id, *(report(agent) for report in reporters)) for agent in world.agents]
        assert records == expected
        assert any(row[3] != "nation" for row in records) and any(row[3] == "nation" for row in records)
    session.close()


def test_indicators_read_the_firms_once_a_collection_and_afresh_after_it():
    """A collection reads the sellers' stock once for all its indicators; an indicator asked
    after it (the window, a workshop's rows) reads the world as it is then, not as collected."""
    from game.world.indicators import REPORTERS

    session = Session(load_level(find_level("2010-trawler")), seed=1)
    session.play_turn()
    world = session.world
    stock = REPORTERS["world_ndpr_stock_t"]
    collected = world.datacollector.model_vars["world_ndpr_stock_t"][-1]
    assert stock(world) == collected > 0.0
    seller = next(s for s in world.sellers if s.alive)
    seller.inventory[0] += 1000.0
    assert stock(world) == pytest.approx(collected + 1000.0)
    assert not hasattr(world, "_indicator_readings")
    session.close()


def test_the_agents_rows_keep_mesas_order_wherever_the_nations_stand():
    """A world adds its nations first; rows built for agents in any other order still follow it."""
    from types import SimpleNamespace

    from game.world.indicators import new_datacollector

    session = Session(load_level(find_level("2011-spike")), seed=2)
    session.play_turn()
    world = session.world
    agents = list(world.agents)
    assert type(agents[0]).__name__ == "NationAgent" and type(agents[-1]).__name__ != "NationAgent"
    mixed = agents[-2:] + agents[:-2]  # two firms before the nations
    reporters = tuple(AGENT_REPORTERS.values())
    rows = new_datacollector()._record_agents(SimpleNamespace(agents=mixed, steps=world.steps))
    assert rows == [(world.steps, agent.unique_id, *(report(agent) for report in reporters)) for agent in mixed]
    session.close()


def test_a_quarters_agent_rows_are_its_values_however_and_whenever_they_are_read():
    """The rows are kept as columns until read (game.world.agent_records): reading them later,
    after the firms have moved on, or through a copy, must give the rows of the quarter."""
    import copy
    import pickle

    session = Session(load_level(find_level("2010-trawler")), seed=4)
    reporters = tuple(AGENT_REPORTERS.values())
    expected = []
    for _ in range(3):
        session.play_turn()
        world = session.world
        expected.append([(world.steps, agent.unique_id, *(report(agent) for report in reporters))
                         for agent in world.agents])
        for firm in world.firm_list:  # nothing done to the firms after a collection reaches its rows
            firm.cash_musd += 1.0
            firm.inventory += 1.0
    records = session.world.datacollector._agent_records
    for copied in (copy.deepcopy(records), pickle.loads(pickle.dumps(records))):  # before any is read
        assert [copied[k] for k in range(3)] == expected
    assert records.get(1) == expected[1] and records.get(7) is None and records.get(7, []) == []
    assert dict(records.items()) == dict(enumerate(expected)) and records.values() == expected
    assert records == dict(enumerate(expected)) and records.copy() == dict(enumerate(expected))
    assert records.pop(2) == expected[2] and list(records) == [0, 1]
    with pytest.raises(KeyError):
        records.pop(2)
    session.close()


def test_a_split_world_keeps_its_totals_and_feeds_each_copy_from_its_own_mines():
    from game.research.scaling import split_firms

    level = load_level(find_level("2010-trawler"))
    split = split_firms(level, 3)
    firms, split_firms_ = level.world.firms, split.world.firms
    assert len(split_firms_) == 3 * len(firms) and len({f.id for f in split_firms_}) == len(split_firms_)
    assert sum(f.capacity_tpy for f in split_firms_) == pytest.approx(sum(f.capacity_tpy for f in firms))
    assert sum(f.cash_musd for f in split_firms_) == pytest.approx(sum(f.cash_musd for f in firms))
    ids = {f.id for f in split_firms_}
    for firm in split_firms_:
        copy = firm.id.partition("#")[2]
        if firm.role.value == "separator":
            assert all(feed in ids and feed.partition("#")[2] == copy for feed in firm.feed), firm
    assert split_firms(level, 1) is level
    with pytest.raises(ValueError, match="at least 1"):
        split_firms(level, 0)
    session = Session(split, seed=0, agent_data=False)  # it plays
    session.play_turn()
    session.close()


# --------------------------------------------------------------------------- odd arguments


@pytest.mark.parametrize("turns", [-1, 0, float("nan"), 1.5, True, 11])
def test_run_refuses_turns_the_level_cannot_play(turns):
    # They returned a run of no rows and a score of 0, or played 2 quarters for 1.5.
    with pytest.raises(ValueError, match="turns: expected a whole number from 1 to the level's 10 quarters"):
        research.run("2010-trawler", turns=turns)


def test_numpys_whole_numbers_are_taken_for_turns_seeds_and_years():
    # The checks above first refused them: a workbench hands NumPy numbers over.
    import numpy as np

    from game.research.calibration import replay

    assert len(research.run("2010-trawler", "passive", 0, turns=np.int64(3)).rows) == 3
    [result] = replay("2010-trawler", "history", np.int64(1), np.int64(2011))
    assert len(result.rows) == 6
    # ... and kept as the plain int the world took: a result's meta goes to JSON.
    result = research.run("2010-trawler", "passive", seed=np.int64(3), turns=1)
    assert type(result.seed) is int and json.dumps(result.meta)


@pytest.mark.parametrize(("call", "error", "says"), [
    (lambda: scenario_for(None), TypeError, "level: expected a level's id"),
    (lambda: research.run(5), TypeError, "level: expected a level's id"),
    (lambda: _calibrate(first_year=2012, last_year=2010), ValueError, "first_year 2012 is after last_year 2010"),
    (lambda: _calibrate(first_year=float("nan")), ValueError, "first_year: expected a year"),
    (lambda: _calibrate(first_year="2010"), ValueError, "first_year: expected a year"),
    (lambda: _evaluate("random", seeds=[-1]), ValueError, "seed must be a whole number"),
    (lambda: _evaluate("random", seeds="12"), TypeError, "seeds: expected whole numbers"),
    (lambda: _evaluate(None), TypeError, "policy: expected a strategy's name"),
    (lambda: level_world(strategy=None), TypeError, "strategy: expected a strategy's name or file, got None"),
    (lambda: _ema().build_model(None), TypeError, "level: expected a level's id or file, or a Scenario, got None"),
    (lambda: _ema().build_model(default_strategy=None), TypeError, "default_strategy: expected a strategy's name"),
    (lambda: _ema().build_model(uncertainties={"embargo_fright": (0.1, 0.2, 0.3)}), ValueError,
     "assumptions.embargo_fright: expected a range (low, high) of two numbers, got (0.1, 0.2, 0.3)"),
    (lambda: _ema().build_model(uncertainties={"embargo_fright": 0.5}), ValueError,
     "assumptions.embargo_fright: expected a range (low, high) of two numbers, got 0.5"),
    (lambda: _submit_as("XXX"), ValueError, "nation: no nation or company 'XXX' in this level's world"),
    (lambda: _submit_as("JPN", {"kind": "hold_talks", "partner": "CHN"}), TypeError,
     "action: expected an Action, got {'kind': 'hold_talks', 'partner': 'CHN'} (game.actions.action_from_dict"),
])
def test_the_research_api_refuses_arguments_of_the_wrong_kind_naming_them(call, error, says):
    """Each was a bare TypeError from deep inside, a NumPy message, or an empty answer."""
    with pytest.raises(error, match=re.escape(says)):
        call()


def _ema():
    pytest.importorskip("ema_workbench")
    from game.research import ema

    return ema


def _submit_as(nation, action=None):
    from game.actions import HoldTalks
    from game.session import Session

    session = Session(scenario_for("2010-trawler"), seed=0)
    try:
        return session.submit(HoldTalks("CHN") if action is None else action, nation=nation)
    finally:
        session.close()


def _calibrate(**years):
    from game.research.calibration import calibrate

    return calibrate("2010-trawler", seeds=1, **years)


def _evaluate(policy, **options):
    pytest.importorskip("gymnasium")
    from game.research.env import evaluate

    return evaluate(policy, **options)


def test_run_takes_a_strategy_file_as_a_path_and_refuses_what_is_no_strategy(tmp_path):
    from pathlib import Path

    from conftest import REPO_ROOT

    played = research.run("2010-trawler", Path(REPO_ROOT / "levels" / "strategies" / "2010-trawler-rebuild.toml"),
                          turns=2)
    assert len(played.rows) == 2
    with pytest.raises(TypeError, match="strategy: expected a strategy's name or file, got None"):
        research.run("2010-trawler", None, turns=1)


def test_a_level_file_nested_too_deeply_is_refused_as_the_level_reader_refuses_it(tmp_path):
    """The world file a level names was looked up by a reader that let TOML's RecursionError
    through, before the level reader could refuse the file naming it."""
    from game.scenario import ScenarioError

    deep = tmp_path / "deep.toml"
    deep.write_text("x = " + "[" * 1000 + "]" * 1000 + "\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="not valid TOML: nested too deeply"):
        research.run(deep, turns=1)
    with pytest.raises(ScenarioError, match="not valid TOML: nested too deeply"):
        research.run(str(deep), turns=1)


@pytest.mark.parametrize("seeds", [0, -3, True, 1.5])
def test_a_calibration_of_no_runs_is_refused(seeds):
    # It returned 184 comparisons built from no runs.
    from game.research.calibration import calibrate

    with pytest.raises(ValueError, match="seeds: expected how many runs"):
        calibrate("2010-trawler", seeds=seeds)


@pytest.mark.parametrize("strategies, seeds, settings, fragment", [
    (["history"], [-5], (), "--seeds: seed must be a whole number"),
    (["history"], [0.5], (), "--seeds: seed must be a whole number"),
    (["history"], [1], [("max_thrift_per_quarter", [])], "is given no values"),
    ([None], [1], (), "is not a strategy's name or file"),
    # The same world twice: its runs counted twice in the summary, and `plot` took the file for two joined.
    (["history"], [1, 1, 2], (), "--seeds: seed 1 is given twice"),
    (["history"], [1], [("max_thrift_per_quarter", [0.1, 0.1])], "max_thrift_per_quarter: a value is given twice"),
    (["history"], [1], [("max_thrift_per_quarter", [1, 1.0])], "max_thrift_per_quarter: a value is given twice"),
])
def test_a_sweep_plan_refuses_what_no_sweep_can_play(strategies, seeds, settings, fragment):
    from game.research.sweep import SweepError, plan_sweep

    with pytest.raises(SweepError, match=fragment):
        plan_sweep("2010-trawler", strategies, seeds, settings)
    assert plan_sweep("2010-trawler", (s for s in ["history"]), (s for s in [1, 2])).size == 2  # any iterable


@pytest.mark.parametrize("transform, value", [
    ("extend_halt", float("nan")), ("extend_halt", float("inf")), ("extend_halt", 1e6),
    ("delay_deep_sea", float("nan")), ("scale_export_quota", float("inf")), ("scale_export_quota", 1e308),
])
def test_a_level_uncertainty_beyond_reason_is_refused_naming_it(transform, value):
    # Raw errors came out ("cannot convert float NaN to integer", "year 252010 is out of range"),
    # or China's quotas became infinite and the run went ahead.
    from game.research import ema

    with pytest.raises(ValueError, match="expected a number from"):
        getattr(ema, transform)(scenario_for("2010-trawler"), value)


def test_scaled_actions_the_game_cannot_take_are_refused_in_play_not_mid_run():
    # From about 1,700 times history's sizes, or at 1e-300, the run stopped with a ValueError.
    from game.research import ema

    scenario = scenario_for("2010-trawler")
    for factor in (2000.0, float("inf"), 1e-300):
        scaled, strategy = ema.scale_actions(scenario, "history", factor)
        played = research.run(scaled, strategy, 0, turns=3)
        assert any("is not an amount" in reason for _, _, reason in played.refused)


def test_outcomes_of_no_rows_or_an_unknown_outcome_is_refused():
    from game.research.ema import outcomes_of

    with pytest.raises(ValueError, match="no rows"):
        outcomes_of([])
    with pytest.raises(ValueError, match="no outcome 'wealth'"):
        outcomes_of(research.run("2010-trawler", turns=1).rows, ["wealth"])


def test_splitting_the_firms_of_a_level_that_continues_a_history_is_refused():
    """Its world is the one that history reaches, not its own: the split went unused, and a
    scaling study of 2011-spike at three copies measured 44 firms without a word."""
    from game.research.scaling import split_firms
    from game.scenario import find_level, load_level

    with pytest.raises(ValueError, match="2011-spike starts from the world sandbox's history reaches"):
        split_firms(load_level(find_level("2011-spike")), 3)
    assert split_firms(load_level(find_level("2011-spike")), 1).starts_from == "sandbox"  # unchanged


def test_a_levels_digest_is_of_what_it_says_not_of_its_comments_or_layout(tmp_path):
    """The digest was of the file's bytes: a comment edited refused every scenario code and results
    file made with the level. Comments, blank lines and key order change nothing; a value does."""
    from game.research.runner import level_digest, scenario_for

    shipped = find_level("2010-trawler")
    text = shipped.read_text(encoding="utf-8").replace('id = "2010-trawler"', 'id = "my-trawler"', 1)
    (tmp_path / "world-2010.toml").write_text(
        "# a world file note\n" + shipped.with_name("world-2010.toml").read_text(encoding="utf-8"), encoding="utf-8")
    level = tmp_path / "my-trawler.toml"

    def digest(level_text: str) -> str:
        level.write_text(level_text, encoding="utf-8")
        return level_digest(scenario_for(str(level)))

    original = digest(text)
    reordered = text.replace('world = "world-2010"\nstart = "2010Q3"', 'start = "2010Q3"  # when\n\nworld = "world-2010"')
    assert reordered != text
    assert digest("# A note.\n\n" + reordered.replace("\n\n", "\n\n\n")) == original
    assert digest(text.replace("threshold = 0.75", "threshold = 0.76", 1)) != original
    assert digest(text.replace("threshold = 0.75", "threshold = 0.750", 1)) == original  # the same number
