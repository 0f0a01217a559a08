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


@pytest.mark.parametrize("seed_sequence", [
    np.random.SeedSequence(2**200 + 12345),  # entropy of more words than the pool
    np.random.SeedSequence([3, 1, 4, 1, 5, 9, 2, 6]),  # entropy as a sequence
    np.random.SeedSequence(11).spawn(3)[2],  # a parent itself spawned: a spawn key of its own
    np.random.SeedSequence(5, pool_size=8),  # a larger pool
    np.random.SeedSequence(None),  # entropy from the system
], ids=["long", "sequence", "spawned", "pool8", "system"])
def test_a_stream_draws_what_numpy_draws_from_any_seed_sequence(seed_sequence):
    copy = np.random.SeedSequence(seed_sequence.entropy, spawn_key=seed_sequence.spawn_key,
                                  pool_size=seed_sequence.pool_size)
    numpy_parent, parent = (np.random.Generator(np.random.PCG64(s)) for s in (seed_sequence, copy))
    for _ in range(40):
        child, stream = numpy_parent.spawn(1)[0], Pcg64Stream.spawned_from(parent)
        assert (stream.state, stream.increment) == (child.bit_generator.state["state"]["state"],
                                                    child.bit_generator.state["state"]["inc"])
        assert [stream.random() for _ in range(3)] == [child.random() for _ in range(3)]


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
