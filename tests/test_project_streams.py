"""A project's own random stream draws what NumPy's spawned generator draws, in fewer objects."""

import gc

import numpy as np
import pytest

from game.world.project_streams import Pcg64Stream
from game.world.projects import Project


@pytest.mark.parametrize("seed", [0, 1, 7, 2**63 - 1])
def test_a_stream_draws_what_the_spawned_generator_draws(seed):
    numpy_parent, parent = np.random.default_rng(seed), np.random.default_rng(seed)
    for _ in range(5):  # later children differ: the spawn count moves on in both
        child, stream = numpy_parent.spawn(1)[0], Pcg64Stream.spawned_from(parent)
        assert [stream.random() for _ in range(200)] == [child.random() for _ in range(200)]


def test_spawning_a_stream_leaves_the_parent_as_spawning_a_generator_does():
    numpy_parent, parent = np.random.default_rng(3), np.random.default_rng(3)
    numpy_parent.spawn(1)
    Pcg64Stream.spawned_from(parent)
    assert parent.random() == numpy_parent.random()
    assert parent.spawn(1)[0].random() == numpy_parent.spawn(1)[0].random()


def test_a_stream_needs_a_pcg64_parent():
    with pytest.raises(ValueError, match="PCG64"):
        Pcg64Stream.spawned_from(np.random.Generator(np.random.MT19937(0)))



def test_a_new_project_is_two_objects_for_the_garbage_collector():
    # At 10,000 firms a world plans about 3,000 projects in a quarter; with seven tracked objects
    # each they set off a full collection of the whole world (about 60 ms) within two turns.
    project = Project("p", "firm", "AUS", 100.0, 4, 10.0, 0.05, 0.0,
                      Pcg64Stream.spawned_from(np.random.default_rng(0)))
    tracked, seen, waiting = 0, set(), [project]
    while waiting:
        obj = waiting.pop()
        if id(obj) in seen or not gc.is_tracked(obj) or isinstance(obj, type):
            continue
        seen.add(id(obj))
        tracked += 1
        waiting.extend(gc.get_referents(obj))
    assert tracked == 2  # the project and its stream
