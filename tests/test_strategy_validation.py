"""Strategy files are checked like levels: every broken file gives one-line problems naming the
file, the key path and what was expected, never a traceback; a strategy played in a level has
its turns checked against the level's dates.

``tests/broken_strategies/`` holds one broken strategy per problem, with ``expected.toml``; the
fuzz test mutates the shipped strategy and plays what loads.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import tomli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.controllers import ScriptedController
from game.scenario import ScenarioError, levels_dir, load_level, load_strategy_file
from game.scenario.strategies import strategy_file_problems
from game.session import Session
from tests.test_level_validation import Chooser, mutate

BROKEN = Path(__file__).resolve().parent / "broken_strategies"
EXPECTED: dict[str, dict[str, str]] = tomli.loads((BROKEN / "expected.toml").read_text(encoding="utf-8"))
SHIPPED = levels_dir() / "strategies" / "2010-trawler-rebuild.toml"
LEVEL = load_level(levels_dir() / "2010-trawler.toml")


def test_every_broken_strategy_has_an_expected_problem():
    assert {p.name for p in BROKEN.glob("*.toml")} - {"expected.toml"} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_broken_strategy_reports_its_problem_and_nothing_unrelated(name):
    entry = EXPECTED[name]
    problems = strategy_file_problems(BROKEN / name, LEVEL.start, LEVEL.end)
    listed = "\n".join(map(str, problems))
    assert any(p.key == entry["key"] and entry["contains"] in p.message for p in problems), listed
    for problem in problems:
        assert problem.path == str(BROKEN / name) and "\n" not in str(problem)
        assert problem.key == entry["key"] or problem.key.startswith(entry["key"] + "."), f"unrelated: {problem}"


def test_a_turn_outside_the_level_is_refused_only_when_the_level_is_given():
    late = BROKEN / "turn-after-the-level.toml"
    assert [t.quarter for t in load_strategy_file(late)] == [LEVEL.end + 69]
    with pytest.raises(ScenarioError) as caught:
        load_strategy_file(late, LEVEL.start, LEVEL.end)
    assert [p.key for p in caught.value.problems] == ["turn[0].quarter"]


def test_the_shipped_strategy_fits_the_level_it_was_written_for():
    assert strategy_file_problems(SHIPPED, LEVEL.start, LEVEL.end) == []
    assert load_strategy_file(SHIPPED, LEVEL.start, LEVEL.end) == load_strategy_file(SHIPPED)


def test_a_strategy_saved_with_a_byte_order_mark_loads(tmp_path):
    copy = tmp_path / "with-bom.toml"
    copy.write_bytes(b"\xef\xbb\xbf" + SHIPPED.read_bytes())
    assert load_strategy_file(copy) == load_strategy_file(SHIPPED)


# --------------------------------------------------------------------------- fuzzing


def fuzz_strategy(folder: Path, mutated: bytes) -> ScenarioError | None:
    """Load a mutated strategy for the first level and play what loads up to its first turn;
    the refusal if it was refused."""
    path = folder / "mutated-strategy.toml"
    path.write_bytes(mutated)
    try:
        turns = load_strategy_file(path, LEVEL.start, LEVEL.end)
    except ScenarioError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.path == str(path) and problem.message and "\n" not in str(problem), problem
        return error
    session = Session(LEVEL, ScriptedController(path.stem, turns), seed=0)
    try:
        for _ in range(2):  # the shipped strategy's first turn is the level's second quarter
            session.play_turn()
    finally:
        session.close()
    return None


@settings(max_examples=150, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_a_fuzzed_strategy_loads_or_raises_scenario_error_and_what_loads_plays(tmp_path_factory, data):
    fuzz_strategy(tmp_path_factory.mktemp("strategy"), mutate(SHIPPED.read_bytes(), Chooser(data=data)))


def test_the_strategy_mutants_reach_past_the_parser_and_some_play(tmp_path):
    """Most mutants get past the parser (they load, or a check names a key) and some play, so the
    fuzz test above tests the checks and the world, not only the parser."""
    rng = random.Random(3)
    refusals = [fuzz_strategy(tmp_path, mutate(SHIPPED.read_bytes(), Chooser(rng=rng))) for _ in range(40)]
    played = refusals.count(None)
    past_parser = played + sum(any(p.key for p in r.problems) for r in refusals if r is not None)
    assert past_parser >= 20 and played >= 4, (past_parser, played)


def test_a_strategy_naming_what_the_level_does_not_have_is_refused_up_front(tmp_path):
    """A typo in a project's id played as passive: each run refused the action in play, and a
    sweep's results said nothing of it."""
    from game.players import controller_for
    from game.scenario import ScenarioError, find_level, load_level

    level = load_level(find_level("2010-trawler"))
    path = tmp_path / "typos.toml"
    path.write_text('[[turn]]\nquarter = "2010Q4"\nactions = [\n'
                    '  {kind = "invest_in_project", project = "nosuch", amount_musd = 10.0},\n'
                    '  {kind = "hold_talks", partner = "XXX"},\n'
                    f'  {{kind = "invest_in_project", project = "{level.world.firms[0].id}-expansion-2011Q1", '
                    'amount_musd = 10.0},\n]\n', encoding="utf-8")
    with pytest.raises(ScenarioError) as refused:
        controller_for(str(path), level)
    assert [(p.key, p.message) for p in refused.value.problems] == [
        ("turn[0].actions[0].project", "no project 'nosuch' in this level's world"),
        ("turn[0].actions[1].partner", "no nation 'XXX' in this level's world")]
    # Turns out of quarter order are named as the file has them (they are played in order).
    path.write_text(path.read_text(encoding="utf-8").replace('quarter = "2010Q4"', 'quarter = "2011Q2"')
                    + '[[turn]]\nquarter = "2010Q4"\nactions = [{kind = "hold_talks"}]\n', encoding="utf-8")
    with pytest.raises(ScenarioError) as refused:
        controller_for(str(path), level)
    assert [p.key for p in refused.value.problems] == ["turn[0].actions[0].project", "turn[0].actions[1].partner"]


def test_a_level_going_on_from_history_takes_its_histories_projects_and_a_near_miss_is_refused(tmp_path):
    """lamp-2030, still building when 2025-licensing begins (from the sandbox's history), was
    refused as unknown; and any id beginning with a firm's (mountain-pass-restrat) was taken."""
    from game.players import controller_for
    from game.scenario import ScenarioError, find_level, load_level

    def strategy(project: str, quarter: str) -> str:
        path = tmp_path / f"{project}.toml"
        path.write_text(f'[[turn]]\nquarter = "{quarter}"\nactions = [{{kind = "invest_in_project", '
                        f'project = "{project}", amount_musd = 10.0}}]\n', encoding="utf-8")
        return str(path)

    licensing = load_level(find_level("2025-licensing"))
    controller_for(strategy("lamp-2030", str(licensing.start)), licensing)
    assert "lamp-2030" in licensing.project_ids and "lamp-2030" not in {p.id for p in licensing.world.projects}
    # A level replaced with a project of its own (the research API) takes strategies naming it.
    import dataclasses

    mine = dataclasses.replace(licensing.world.projects[0], id="my-new-mine")
    grown = dataclasses.replace(licensing, world=dataclasses.replace(
        licensing.world, projects=licensing.world.projects + (mine,)))
    controller_for(strategy("my-new-mine", str(licensing.start)), grown)
    trawler = load_level(find_level("2010-trawler"))
    with pytest.raises(ScenarioError, match="no project 'mountain-pass-restrat'"):
        controller_for(strategy("mountain-pass-restrat", "2010Q4"), trawler)


#: Actions a strategy file is refused for at the door, each as the world would refuse it in play.
REFUSED_IN_ANY_WORLD = ["offtake-for-a-thousand-years.toml", "talks-with-japan.toml",
                        "collection-rate-above-the-most.toml", "release-of-no-tonnes.toml"]


@pytest.mark.parametrize("name", REFUSED_IN_ANY_WORLD)
def test_what_a_strategy_is_refused_for_at_the_door_the_world_refuses_in_the_same_words(name):
    """The door and the world share one check: an action refused in every world (offtake years,
    talks with Japan itself) passed the file's check, and every run refused it in play."""
    from game.actions import action_from_dict
    from game.vocab.nations import JAPAN

    action = action_from_dict(tomli.loads((BROKEN / name).read_text(encoding="utf-8"))["turn"][0]["actions"][0])
    session = Session(LEVEL, ScriptedController("none", ()), seed=0)
    try:
        in_play = action.check(session.world, JAPAN)
    finally:
        session.close()
    assert in_play is not None and in_play == action.field_problem(JAPAN)
    problems = strategy_file_problems(BROKEN / name, LEVEL.start, LEVEL.end)
    assert [p.message for p in problems] == [f"{action.kind}: {in_play}"]
