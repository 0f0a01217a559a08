"""A world is copied whole (a session's undo and saves, the worlds history levels start from):
nothing in it may be of a kind a newer Python can no longer copy or pickle."""

from __future__ import annotations

import copy
import pickle
import warnings

from game.scenario import find_level, load_level
from game.session import Session
from tests.agent_attributes import attributes_of


def _kinds_from_itertools(value, seen=None) -> list[str]:
    """Objects of the itertools module reachable through attributes, lists, tuples and dicts:
    Python 3.14 removed their copy and pickle support (3.12 and 3.13 warn)."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return []
    seen.add(id(value))
    if type(value).__module__ == "itertools":
        return [type(value).__name__]
    if isinstance(value, dict):
        children = list(value.values())
    elif isinstance(value, (list, tuple, set, frozenset)):
        children = list(value)
    elif type(value).__module__.startswith(("game.", "agents.")):
        children = list(attributes_of(value).values())  # firms keep most in slots
    else:
        return []
    return [kind for child in children for kind in _kinds_from_itertools(child, seen)]


def test_a_world_holds_nothing_a_newer_python_cannot_copy():
    session = Session(load_level(find_level("2010-trawler")), seed=1)
    session.play_turn()
    world = session.world
    assert _kinds_from_itertools(world) == []
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)  # 3.12 and 3.13 warn where 3.14 fails
        copied = copy.deepcopy(world)
        pickle.dumps(world.events)
    assert len(copied.events) == len(world.events)
    assert [e.headline for e in copied.events.waiting()] == [e.headline for e in world.events.waiting()]
    session.close()


def test_a_session_and_the_gymnasium_environment_pickle_and_play_on_the_same():
    """The indicators' reporters were lambdas and closures, which every agent reaches through
    the world's collector: pickling a session or the environment failed ("Can't pickle
    <function <lambda>>"), where a researcher's process pool needs it."""
    import numpy as np

    from game.research.env import JapanPolicyEnv

    session = Session(load_level(find_level("2011-spike")), seed=2)
    session.play_turn()
    copied = pickle.loads(pickle.dumps(session))
    for each in (session, copied):
        each.play_turn()
        each.play_turn()
    assert copied.rows() == session.rows()
    assert copied.world.datacollector._agent_records == session.world.datacollector._agent_records
    env = JapanPolicyEnv()
    env.reset(seed=3)
    env.step(1)
    other = pickle.loads(pickle.dumps(env))
    (observation, reward, *_), (other_observation, other_reward, *_) = env.step(2), other.step(2)
    assert np.array_equal(observation, other_observation) and reward == other_reward
    session.close()
    copied.close()


def test_a_pickled_environment_of_a_history_level_resets_without_the_history_levels_file(monkeypatch):
    """A pickled environment (or session) of a level continuing another's history named that
    level's file in the copy of the game that pickled it: loaded by another copy, or after the
    file moved, reset() raised. It now starts every episode from the level it read once."""
    import numpy as np

    from game.research.env import JapanPolicyEnv
    from game.session import HISTORY_STARTS, HistoryStarts

    env = JapanPolicyEnv("2011-spike")
    env.reset(seed=3)
    pickled = pickle.dumps(env)
    expected, _ = JapanPolicyEnv("2011-spike").reset(seed=5)

    def gone(self, path):
        raise FileNotFoundError(path)

    monkeypatch.setattr(HistoryStarts, "level", gone)
    HISTORY_STARTS.clear()
    try:
        observation, _ = pickle.loads(pickled).reset(seed=5)
    finally:
        HISTORY_STARTS.clear()
    assert np.array_equal(observation, expected)
