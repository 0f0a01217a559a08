"""Levels start where history left off: a level with ``starts_from`` begins with the world its
history level (the sandbox) reaches by the level's start under Japan's ``history`` strategy,
from the same seed; that world is computed once per process and handed out as copies, and a
run from a copy is the run without one, bit for bit."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import numpy as np
import pytest

from game.actions import BuyStockpile
from game.players import controller_for
from game.savefile import load_text, save_text
from game.scenario import ScenarioError, find_level, levels_dir, load_level, shipped_level_paths
from game.session import HISTORY_STARTS, Session, world_at_start
from game.vocab.materials import Material
from game.vocab.nations import CHINA, JAPAN
from game.world.model import RareEarthWorld

#: Columns that number the level's own turns (or score them), not the world's state.
LEVEL_COLUMNS = ("turn", "score", "stars")


@pytest.fixture(scope="module")
def sandbox():
    return load_level(find_level("sandbox"))


def level(name: str):
    return load_level(find_level(name))


def history_world_at(history, quarter, seed: int) -> Session:
    """The history level played by its history strategy up to ``quarter``, without any cache."""
    session = Session(history, controller_for("history", history), seed=seed)
    while session.world.quarter < quarter:
        session.play_turn()
    return session


def played(scenario, strategy: str = "history", seed: int = 0) -> list[dict]:
    session = Session(scenario, controller_for(strategy, scenario), seed=seed)
    try:
        session.run()
        return session.rows()
    finally:
        session.close()


def state(row: dict) -> dict:
    return {k: v for k, v in row.items() if k not in LEVEL_COLUMNS}


# --------------------------------------------------------------------------- the level files


def test_every_shipped_level_after_2010q3_continues_the_sandbox():
    for path in shipped_level_paths():
        scenario = load_level(path)
        if scenario.id in ("2010-trawler", "sandbox"):
            assert not scenario.starts_from, scenario.id
        else:
            assert scenario.starts_from == "sandbox", scenario.id
            assert Path(scenario.starts_from_path) == levels_dir() / "sandbox.toml"


def test_no_continuing_level_keeps_set_up_material():
    """What only brought the 2010 world to the start (the "set-up") is gone: no event is marked
    set-up, and none of the stand-ins for projects and contracts of the record is left."""
    for path in shipped_level_paths():
        text = path.read_text(encoding="utf-8")
        if "starts_from" not in text:
            continue
        assert not re.search(r"^#.*\bset-up\b", text, re.I | re.M), path.name
        scenario = load_level(path)
        assert not [p.id for p in scenario.world.projects if "-built-" in p.id], path.name
        assert not scenario.world.contracts, path.name


# --------------------------------------------------------------------------- the world at the start


@pytest.mark.parametrize("name", ["2012-wto", "2019-trade-war"])
def test_a_level_starts_with_the_sandbox_history_world_at_its_start(sandbox, name):
    scenario = level(name)
    history = history_world_at(sandbox, scenario.start, seed=0)
    session = Session(scenario, seed=0)
    try:
        before, now = history.world, session.world
        assert now.quarter == scenario.start and now.turn == 1 and now.turns_done == 0
        assert now.quarters_simulated == scenario.start - sandbox.start > 0
        assert np.array_equal(now.prices, before.prices)
        assert np.array_equal(now.expected_prices, before.expected_prices)
        assert np.array_equal(now.last_receipts, before.last_receipts)
        assert np.array_equal(now.receipts, before.receipts)
        for code in now.nation_codes:
            a, b = now.nation(code), before.nation(code)
            assert np.array_equal(a.stockpile, b.stockpile), code
            assert (a.budget_musd, a.tension, a.security_premium) == (b.budget_musd, b.tension, b.security_premium)
        assert [dataclasses.astuple(c) for c in now.ledger.contracts] == \
               [dataclasses.astuple(c) for c in before.ledger.contracts]
        assert any(c.buyer == JAPAN for c in now.ledger.active(now.quarter))  # history's offtakes came through
        for firm in now.firm_list:
            other = before.firm(firm.firm_id)
            assert (firm.capacity_tpy, firm.cash_musd, firm.debt_musd, firm.alive) == \
                   (other.capacity_tpy, other.cash_musd, other.debt_musd, other.alive), firm.firm_id
            assert np.array_equal(firm.inventory, other.inventory), firm.firm_id
        for project_id, project in now.projects.items():
            if project_id in before.projects:
                old = before.projects[project_id]
                assert (project.started, project.done, project.quarters_left, project.funders) == \
                       (old.started, old.done, old.quarters_left, old.funders), project_id
        # Japan's stockpile is what the 2010 drawdown left, not the 2010 world's.
        spec = next(n for n in scenario.world.nations if n.code == JAPAN)
        assert not np.array_equal(now.nation(JAPAN).stockpile, np.array(spec.stockpile, dtype=float))
    finally:
        history.close()
        session.close()


def test_a_level_carries_on_exactly_as_its_history_would(sandbox):
    """A level that is the sandbox from 2012Q1 on (same events, same history) records the
    sandbox's own rows from 2012Q1: nothing of the world is lost or changed by continuing."""
    start = sandbox.start + 6
    later = dataclasses.replace(
        sandbox, id="sandbox-from-2012", start=start,
        events=tuple(e for e in sandbox.events if e.quarter >= start),
        history=tuple(t for t in sandbox.history if t.quarter >= start),
        objectives=(), starts_from="sandbox", starts_from_path=sandbox.path)
    session = Session(later, controller_for("history", later), seed=1)
    whole = Session(sandbox, controller_for("history", sandbox), seed=1)
    try:
        session.run(max_turns=16)
        whole.run(max_turns=22)
        rows, reference = session.rows(), whole.rows()[6:]
        assert [r["quarter"] for r in rows] == [r["quarter"] for r in reference]
        assert [state(r) for r in rows] == [state(r) for r in reference]
        assert [r["turn"] for r in rows] == list(range(1, 17))
        # The history's own rows are kept apart, for the charts of what led up to the level.
        kept = getattr(session.world, "rows_before_start", ())
        assert [r["quarter"] for r in kept] == [r["quarter"] for r in whole.rows()[:6]]
        assert [state(r) for r in kept] == [state(r) for r in whole.rows()[:6]]
    finally:
        session.close()
        whole.close()


def test_the_level_rows_and_news_start_at_its_first_quarter():
    scenario = level("2013-mud")
    session = Session(scenario, controller_for("history", scenario), seed=0)
    try:
        assert session.rows() == [] and session.world.news == []
        session.run()
        rows = session.rows()
        assert rows[0]["quarter"] == str(scenario.start) and rows[0]["turn"] == 1
        assert [r["quarter"] for r in rows] == [str(scenario.start + i) for i in range(scenario.n_turns)]
        assert min(n.quarter for n in session.world.news) == scenario.start
    finally:
        session.close()


def test_the_level_adds_its_own_projects_and_drops_history_projects_it_does_not_offer():
    mud = world_at_start(level("2013-mud"), 0)
    deep = world_at_start(level("2026-deep-sea"), 0)
    try:
        assert mud.projects["minamitorishima-test-line"].started is None  # the level's own, to fund
        assert "mp-10x-magnets" not in mud.projects  # the sandbox's 2025 project, never started by 2013
        assert mud.projects["lamp-phase1"].done  # history's projects stay, as they are
        assert deep.projects["mp-10x-magnets"].started is not None  # started in 2025 by the sandbox's event
        assert "minamitorishima-trial-line" in deep.projects
        assert deep.quarter == level("2026-deep-sea").start
    finally:
        mud.close()
        deep.close()


def test_a_world_continues_only_from_its_start_quarter():
    scenario = level("2012-wto")
    world = RareEarthWorld(load_level(find_level("sandbox")), rng=0)
    with pytest.raises(ValueError, match="2012Q1"):
        world.continue_as(scenario)
    world.close()


# --------------------------------------------------------------------------- determinism and the cache


def test_two_runs_with_the_same_seed_record_the_same_rows():
    scenario = level("2014-urban-mining")
    assert played(scenario, seed=2) == played(scenario, seed=2)
    assert played(scenario, seed=2) != played(scenario, seed=3)


def test_a_run_from_the_cache_is_the_run_without_it():
    late, early = level("2026-deep-sea"), level("2019-trade-war")
    HISTORY_STARTS.clear()
    cold_late = played(late, "bot", seed=4)  # one history run to 2026Q1
    HISTORY_STARTS.clear()
    cold_early = played(early, "bot", seed=4)  # a history run to 2019Q1...
    on_the_way = played(late, "bot", seed=4)  # ...carried on to 2026Q1 after a copy was taken at 2019Q1
    quarters = HISTORY_STARTS.quarters_played
    warm_late, warm_early = played(late, "bot", seed=4), played(early, "bot", seed=4)
    assert HISTORY_STARTS.quarters_played == quarters  # the warm runs played no history
    assert on_the_way == cold_late == warm_late
    assert warm_early == cold_early


def test_copies_from_the_cache_are_independent():
    scenario = level("2019-trade-war")
    first = Session(scenario, controller_for("history", scenario), seed=0)
    second = Session(scenario, seed=0)
    try:
        untouched = second.world.nation(JAPAN).stockpile.copy()
        first.run()
        first.world.nation(JAPAN).stockpile[:] = 0.0
        first.world.firm_list[0].cash_musd = -1.0
        assert np.array_equal(second.world.nation(JAPAN).stockpile, untouched)
        assert second.world.quarter == scenario.start and second.world.firm_list[0].cash_musd != -1.0
        assert played(scenario, seed=0) == first.rows()
    finally:
        first.close()
        second.close()


# --------------------------------------------------------------------------- saves, replay and undo


def test_a_save_of_a_continuing_level_loads_and_replays_to_the_same_state():
    scenario = level("2011-spike")
    session = Session(scenario, controller_for("history", scenario), seed=7)
    try:
        session.run(max_turns=4)
        text = save_text(session, "2011-spike")
        loaded, ref = load_text(text)
        try:
            assert ref == "2011-spike" and loaded.world.quarter == session.world.quarter
            assert loaded.rows() == session.rows()
            for s in (session, loaded):
                s.open_turn()
                s.submit(BuyStockpile(Material.NDPR, 50.0, 200.0))
                s.end_turn()
            assert loaded.rows() == session.rows()
        finally:
            loaded.close()
        tampered = json.loads(text)
        tampered["fingerprint"][0] += 1.0
        with pytest.raises(Exception, match="does not match"):
            load_text(json.dumps(tampered))
    finally:
        session.close()


def test_undo_in_a_continuing_level_replays_from_its_start():
    scenario = level("2012-wto")
    undone, plain = Session(scenario, seed=0), Session(scenario, seed=0)
    try:
        for s in (undone, plain):
            s.run(max_turns=2)
        undone.open_turn()
        assert undone.submit(BuyStockpile(Material.DYTB, 10.0, 900.0)).accepted
        assert undone.undo() is not None
        for s in (undone, plain):
            s.end_turn()
        assert undone.rows() == plain.rows()
        assert undone.world.turns_done == 3 and undone.rows()[0]["quarter"] == str(scenario.start)
    finally:
        undone.close()
        plain.close()


# --------------------------------------------------------------------------- bad starts_from


LEVEL_TEXT = (levels_dir() / "2013-mud.toml").read_text(encoding="utf-8")


def write_level(folder: Path, name: str, starts_from: str | None, text: str = LEVEL_TEXT) -> Path:
    text = text.replace('starts_from = "sandbox"\n', "" if starts_from is None else f"starts_from = {starts_from}\n")
    path = folder / f"{name}.toml"
    path.write_text(text.replace('id = "2013-mud"', f'id = "{name}"'), encoding="utf-8")
    return path


def starts_from_problems(path: Path) -> list:
    with pytest.raises(ScenarioError) as caught:
        load_level(path)
    problems = caught.value.problems
    for problem in problems:
        assert "\n" not in str(problem) and "Traceback" not in str(problem)
    found = [p for p in problems if p.path == str(path) and p.key == "starts_from"]
    assert found, "\n".join(map(str, problems))
    return found


@pytest.mark.parametrize(("value", "fragment"), [
    ('"no-such-level"', "no level 'no-such-level'"),
    ('"../sandbox"', "expected the id of a level"),
    ('"world-2010"', "expected the id of a level"),
    ("3", "expected a string"),
    ('"2010-trawler"', "does not cover this level's start 2013Q1"),
])
def test_a_bad_starts_from_is_one_line_naming_the_key(tmp_path, value, fragment):
    problems = starts_from_problems(write_level(tmp_path, "bad", value))
    assert any(fragment in p.message for p in problems), "\n".join(map(str, problems))


def test_a_level_that_continues_itself_is_a_cycle(tmp_path):
    problems = starts_from_problems(write_level(tmp_path, "loop", '"loop"'))
    assert any("cycle" in p.message for p in problems)


def test_two_levels_that_continue_each_other_are_a_cycle(tmp_path):
    write_level(tmp_path, "first", '"second"')
    second = write_level(tmp_path, "second", '"first"')
    first = tmp_path / "first.toml"
    assert any("cycle" in p.message for p in starts_from_problems(second))
    assert starts_from_problems(first)  # it names the key too, whichever end it is read from


def test_a_chain_of_levels_continuing_one_another_is_bounded(tmp_path):
    """Every level of a chain is played to reach the next one's start: a chain of 200 levels
    passed `levels validate` and then ran out of Python's stack after a minute of play."""
    from game.scenario.level_file import MOST_LEVELS_IN_A_CHAIN

    write_level(tmp_path, "link0", None)
    for k in range(1, MOST_LEVELS_IN_A_CHAIN + 1):
        write_level(tmp_path, f"link{k}", f'"link{k - 1}"')
    longest = tmp_path / f"link{MOST_LEVELS_IN_A_CHAIN - 1}.toml"
    assert load_level(longest).starts_from == f"link{MOST_LEVELS_IN_A_CHAIN - 2}"
    problems = starts_from_problems(tmp_path / f"link{MOST_LEVELS_IN_A_CHAIN}.toml")
    assert any(f"more than {MOST_LEVELS_IN_A_CHAIN} levels" in p.message for p in problems)


def test_a_history_in_another_world_is_refused(tmp_path):
    world = (levels_dir() / "world-2010.toml").read_text(encoding="utf-8")
    assert 'id = "world-2010"' in world
    (tmp_path / "world-other.toml").write_text(world.replace('id = "world-2010"', 'id = "world-other"', 1),
                                               encoding="utf-8")
    path = write_level(tmp_path, "elsewhere", '"sandbox"',
                       LEVEL_TEXT.replace('world = "world-2010"', 'world = "world-other"'))
    assert any("same world" in p.message for p in starts_from_problems(path))


def test_a_level_can_continue_a_level_next_to_it(tmp_path):
    """The id is looked up next to the level first, then among the shipped levels."""
    base = write_level(tmp_path, "base", None, (levels_dir() / "2012-wto.toml").read_text(encoding="utf-8")
                       .replace('id = "2012-wto"', 'id = "2013-mud"'))
    assert load_level(base).starts_from == ""
    scenario = load_level(write_level(tmp_path, "next", '"base"'))
    assert scenario.starts_from == "base" and scenario.starts_from_path == str(base)
    world = world_at_start(scenario, 0)
    try:
        assert world.quarter == scenario.start and world.nation(CHINA).tension_with(JAPAN) > 0
    finally:
        world.close()


@pytest.mark.parametrize("change", ["a nation", "a budget", "same"])
def test_a_level_continues_a_history_only_in_the_world_file_it_was_played_in(tmp_path, change):
    """A world file of the level's own under the shipped world's id passed every check against
    that file, then failed mid-game (a nation or firm it named was not in the world the history
    built) or changed nothing without a word (a budget)."""
    world = (levels_dir() / "world-2010.toml").read_text(encoding="utf-8")
    if change == "a nation":
        world += '\n[[nations]]\ncode = "XYZ"\nname = "Xyzland"\nlonlat = [127.0, 37.5]\nbudget_musd_per_quarter = 10.0\n'
    elif change == "a budget":
        budget = re.search(r"budget_musd_per_quarter = [\d.]+", world).group(0)
        world = world.replace(budget, "budget_musd_per_quarter = 123.0", 1)
    (tmp_path / "world-2010.toml").write_text(world, encoding="utf-8")
    level = write_level(tmp_path, "own-world", '"sandbox"')
    if change == "same":  # the same file beside the level is the same world
        assert load_level(level).starts_from == "sandbox"
        return
    problems = starts_from_problems(level)
    assert any("differs from this level's" in p.message for p in problems), "\n".join(map(str, problems))


def test_an_undo_rebuilds_from_the_history_level_as_it_was_read_when_the_game_began(tmp_path):
    """An undo rebuilt the world from the history level's file as it was then: edited since, the
    quarters already played changed without a word; and a pickled session, loaded by another copy
    of the game (or after the file moved), raised on undo. The session keeps the level it read."""
    import pickle

    from game.actions import ReleaseStockpile

    sandbox_text = (levels_dir() / "sandbox.toml").read_text(encoding="utf-8")
    (tmp_path / "my-sandbox.toml").write_text(sandbox_text.replace('id = "sandbox"', 'id = "my-sandbox"', 1),
                                              encoding="utf-8")
    spike_text = (levels_dir() / "2011-spike.toml").read_text(encoding="utf-8")
    (tmp_path / "my-spike.toml").write_text(spike_text.replace('id = "2011-spike"', 'id = "my-spike"', 1)
                                            .replace('starts_from = "sandbox"', 'starts_from = "my-sandbox"', 1),
                                            encoding="utf-8")
    session = Session(load_level(tmp_path / "my-spike.toml"), seed=1)
    session.play_turn()
    session.play_turn()
    assert session.submit(ReleaseStockpile(Material.NDPR, 10.0)).accepted
    rows = session.rows()
    pickled = pickle.dumps(session)
    # The history level edited (a 2010 release of 600 t made 100 t), then gone.
    (tmp_path / "my-sandbox.toml").write_text(
        (tmp_path / "my-sandbox.toml").read_text(encoding="utf-8").replace(
            'material = "ndpr", tonnes = 600 }', 'material = "ndpr", tonnes = 100 }', 1), encoding="utf-8")
    HISTORY_STARTS.clear()
    assert session.undo() is not None and session.rows() == rows
    (tmp_path / "my-sandbox.toml").unlink()
    HISTORY_STARTS.clear()
    loaded = pickle.loads(pickled)
    assert loaded.undo() is not None and loaded.rows() == rows and not loaded.cut_short
    for each in (session, loaded):
        each.close()
    HISTORY_STARTS.clear()
