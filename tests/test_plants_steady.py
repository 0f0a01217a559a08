"""Plants do not flap: a plant short of work mothballs only when what it makes does not pay for
the fixed costs mothballing would save, and a closed recycler reopens only for the share of the
scrap it would get beside the plants already sharing it (DESIGN.md: minimum run rates and a cost
to stop and restart, "no on/off flapping")."""

from __future__ import annotations

import numpy as np
import pytest

from game.scenario import find_level, load_level
from game.vocab.materials import MATERIAL_INDEX, Material
from game.session import Session


@pytest.fixture()
def world():
    session = Session(load_level(find_level("2010-trawler")), seed=0)
    yield session.world
    session.close()


def _recycler_making(world, firm_id: str, share_of_capacity: float):
    """A working recycler expecting the 2010 reference prices, with empty stock, that made
    ``share_of_capacity`` of its capacity this quarter."""
    plant = world.firm(firm_id)
    plant.capacity_tpy = plant.capacity_tpy or 500.0
    plant.mothballed = False
    plant.expected_netback = np.array(world.reference_price, dtype=float)
    plant.inventory[:] = 0.0
    plant.output_t = share_of_capacity * plant.capacity_per_turn
    return plant


def _outcomes_over_quarters(plant, quarters: int) -> list[str | None]:
    return [plant.review_operations(False) for _ in range(quarters)]


def test_a_plant_paid_well_for_what_little_it_makes_is_not_mothballed_for_idling(world):
    a = world.assumptions
    plant = _recycler_making(world, "showa-denko-vietnam", 0.5 * a.idle_below_utilisation)
    assert _outcomes_over_quarters(plant, 3 * a.loss_quarters_to_mothball) == [None] * (3 * a.loss_quarters_to_mothball)
    assert not plant.mothballed and plant.idle_quarters == 0
    assert plant.earns_its_keep(plant.operating_margin(), plant.variable_cost)  # why it runs on


def test_a_plant_whose_little_output_does_not_pay_its_keep_mothballs_when_idle(world):
    a = world.assumptions
    plant = _recycler_making(world, "showa-denko-vietnam", 0.01 * a.idle_below_utilisation)
    assert "mothballed" in _outcomes_over_quarters(plant, a.loss_quarters_to_mothball)
    assert plant.mothballed
    plant.mothballed = False
    assert not plant.earns_its_keep(plant.operating_margin(), plant.variable_cost)  # why it closed


@pytest.mark.parametrize("pool_in_quarters_of_its_capacity, reopens", [(0.4, False), (2.0, True)])
def test_a_closed_recycler_reopens_only_for_its_share_of_the_scrap(world, pool_in_quarters_of_its_capacity, reopens):
    a = world.assumptions
    working = _recycler_making(world, "showa-denko-vietnam", 0.5)
    closed = _recycler_making(world, "hitachi-recycling", 0.0)
    closed.mothballed = True
    japan = world.nation("JPN")
    assert japan in working.scrap_sources and japan in closed.scrap_sources
    japan.scrap_takers = (working,)  # the plants that shared Japan's scrap this quarter
    japan.scrap_takers_tpy = working.capacity_tpy
    japan.scrap_pool = closed.output_mix() * pool_in_quarters_of_its_capacity * closed.capacity_per_turn
    # The whole pool would keep it busy either way; its share beside the working plant would not.
    assert japan.scrap_pool.sum() > a.idle_below_utilisation * closed.capacity_per_turn
    assert closed.has_feed() is reopens
    outcome = closed.review_operations(False, margin=a.reopen_margin + 1.0)
    assert (outcome == "reopened") is reopens and closed.mothballed is not reopens


@pytest.mark.parametrize("mine_dug_share, reopens", [(1.0, False), (0.0, True)])
def test_a_closed_separation_plant_reopens_only_for_ore_left_for_it(world, mine_dug_share, reopens):
    """Mountain Pass's ore also feeds Baotou: dug flat out for it, none waits for Molycorp."""
    a = world.assumptions
    plant, mine = world.firm("molycorp-separation"), world.firm("mountain-pass")
    assert len(world.plants_fed_by(mine)) > 1
    plant.mothballed = True
    plant.expected_netback = np.array(world.reference_price, dtype=float)
    mine.capacity_tpy = plant.capacity_tpy
    mine.concentrate = np.zeros_like(mine.concentrate)
    mine.output_t = mine_dug_share * mine.capacity_tpy / 4.0
    assert plant.has_feed() is reopens
    outcome = plant.review_operations(False, margin=a.reopen_margin + 1.0)
    assert (outcome == "reopened") is reopens and plant.mothballed is not reopens


def test_a_recycler_promises_only_its_share_of_scrap_beside_capacity_being_built(world):
    """Scrap is shared by capacity: a recycler taking all of Japan's scrap today, with a plant of
    2.5 times its size being built beside it, offers to contract only its share of it."""
    showa, chuden = world.firm("showa-denko-vietnam"), world.firm("chuden-vietnam")
    assert chuden.capacity_tpy == 0 and set(chuden.scrap_sources) == set(showa.scrap_sources)
    showa.output_t = 0.25 * showa.capacity_per_turn
    japan = world.nation("JPN")
    japan.scrap_takers = (showa,)
    project = world.projects["chuden-vietnam-plant"]
    if not project.is_building:
        project.start(world.quarter)
    ndpr = MATERIAL_INDEX[Material.NDPR]
    makes = showa.sustainable_output_tpy() * float(showa.output_mix()[ndpr])
    sold_forward = sum(c.tonnes_per_year for c in world.ledger.active(world.quarter)
                       if c.seller == showa.firm_id and c.material is Material.NDPR)
    share = showa.capacity_tpy / (showa.capacity_tpy + project.adds_tpy)
    assert makes > 0
    assert world.offtakes.spare_tpy(showa, ndpr) == pytest.approx(makes * share - sold_forward)
