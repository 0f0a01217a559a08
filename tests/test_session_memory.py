"""A session's world is freed once nobody holds the session, closed or not."""

import gc
import weakref

import pytest

from game.scenario import find_level, load_level
from game.session import Session


@pytest.mark.parametrize("closed", [True, False], ids=["closed", "dropped"])
def test_a_session_let_go_frees_its_world(closed):
    # A research script often makes session after session in one process and never closes them:
    # Mesa 3.3's class-level Agent._ids kept every such world alive.
    session = Session(load_level(find_level("2010-trawler")), seed=0)
    session.play_turn()
    world = weakref.ref(session.world)
    if closed:
        session.close()
    del session
    gc.collect()
    assert world() is None
