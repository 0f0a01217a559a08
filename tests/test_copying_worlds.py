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
