"""Firms keep their figures in slots (agents.firm.FirmAgent), where a turn at 10,000 firms
reads them fastest, and a copied world keeps every one of them."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from game.scenario import load_level, shipped_level_paths
from game.session import Session
from tests.agent_attributes import attributes_of

MESAS_OWN = {"model", "unique_id", "pos"}  # what mesa.Agent sets, in its own __dict__


@pytest.mark.parametrize("path", shipped_level_paths(), ids=lambda path: path.stem)
def test_a_firm_keeps_nothing_of_its_own_outside_its_slots(path):
    # Python keeps up to 30 attribute names per class in a table its instances share; a
    # class whose firms set more gives every firm a dict of its own, and reading one figure
    # of 10,000 firms then costs about twice as much. So every attribute a firm sets goes in
    # its class's __slots__.
    scenario = load_level(path)
    session = Session(scenario, seed=0)
    for _ in range(min(4, scenario.n_turns)):
        session.play_turn()
    for firm in session.world.firm_list:
        outside = set(vars(firm)) - MESAS_OWN
        assert not outside, f"{type(firm).__name__} sets {sorted(outside)} outside its __slots__"
    session.close()


def _figures(firm) -> dict:
    """A firm's numbers, names and arrays, as text (what refers to other agents left out)."""
    return {k: repr(v.tolist() if isinstance(v, np.ndarray) else v) for k, v in attributes_of(firm).items()
            if v is None or isinstance(v, (str, int, float, np.ndarray, np.floating))}


def test_a_copied_world_keeps_every_figure_of_every_firm():
    # A world is copied whole: a session's undo, and the worlds later levels start from.
    session = Session(load_level(shipped_level_paths()[0]), seed=2)
    session.play_turn()
    world = session.world
    copied = copy.deepcopy(world)
    for firm, twin in zip(world.firm_list, copied.firm_list, strict=True):
        figures = _figures(firm)
        assert "cash_musd" in figures and "inventory" in figures and "alive" in figures
        assert _figures(twin) == figures
        assert twin.model is copied and twin.inventory is not firm.inventory
    session.close()
