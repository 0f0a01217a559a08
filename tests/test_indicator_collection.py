"""The world's collector records the game's indicators itself once Mesa has validated them
(``QuarterCollector._collect_indicators``): what it records must be what Mesa's own
collector records of the same world, value for value and type for type."""

from __future__ import annotations

import struct

import mesa

from game.scenario import find_level, load_level
from game.session import Session
from game.world.indicators import REPORTERS, new_datacollector


def _exactly(values: list) -> list:
    """Each value with its type, a float by its bits (so 0.0 and -0.0 differ)."""
    return [(type(v), struct.pack("<d", v) if isinstance(v, float) else v) for v in values]


def test_the_indicators_recorded_are_mesas_to_the_bit():
    for level, seed in (("2010-trawler", 3), ("2011-spike", 5)):
        session = Session(load_level(find_level(level)), seed=seed)
        world = session.world
        mesas = mesa.DataCollector(model_reporters=REPORTERS)
        ours = new_datacollector(agents=False)
        for _ in range(6):
            session.play_turn()
            mesas.collect(world)
            ours.collect(world)
        assert ours._validated and set(ours.model_vars) == set(mesas.model_vars) == set(REPORTERS)
        for column, values in mesas.model_vars.items():
            assert _exactly(ours.model_vars[column]) == _exactly(values), column
        session.close()


def test_indicators_of_another_collector_are_mesas_own():
    """A collector given other indicators (a sweep's) leaves them all to Mesa, which keeps a
    copy of each value."""
    session = Session(load_level(find_level("2010-trawler")), seed=1)
    world = session.world
    collector = new_datacollector(agents=False)
    kept = []
    collector._new_model_reporter("kept", lambda w: kept)
    for turn in range(3):
        session.play_turn()
        kept.append(turn)
        collector.collect(world)
    assert collector.model_vars["kept"] == [[0], [0, 1], [0, 1, 2]]
    assert len(collector.model_vars["turn"]) == 3
    session.close()
