"""The stockpile's days of use, the indicator a level's stockpile objectives judge.

Counted over the materials the stockpile held, it fell when any other was bought and rose when
one was sold off: in 2019-trade-war 250 t of cheap Ce/La bought took it from about 80 days to
30, and in 2026-deep-sea releasing all the NdPr took it from 17 to 106, so that a star for "a
deep reserve" was won holding no NdPr at all.
"""

from __future__ import annotations

import pytest

from game.scenario import find_level, load_level
from game.session import Session
from game.vocab.materials import MATERIAL_INDEX, Material
from game.world.indicators import need_by_material, stockpile_days

CELA, NDPR, DYTB = (MATERIAL_INDEX[m] for m in (Material.CELA, Material.NDPR, Material.DYTB))


@pytest.fixture(name="world")
def a_world_one_quarter_in():
    session = Session(load_level(find_level("2019-trade-war")), seed=0, agent_data=False)
    session.play_turn()  # the industry's needs are known once a quarter has run
    yield session.world
    session.close()


def test_buying_any_material_adds_days_and_releasing_any_takes_them_away(world):
    stock = world.nation("JPN").stockpile
    before = stockpile_days(world)
    assert before > 0
    for m in (CELA, NDPR, DYTB):
        stock[m] += 250.0
        after = stockpile_days(world)
        assert after > before, (m, before, after)
        before = after
    for m in (NDPR, DYTB, CELA):
        stock[m] = 0.0
        after = stockpile_days(world)
        assert after < before, (m, before, after)
        before = after
    assert before == 0.0


def test_one_materials_stockpile_counts_for_its_share_of_the_needs_worth(world):
    """A stockpile of Dy/Tb alone, a year of Dy/Tb's use, does not read as a year of everything."""
    stock = world.nation("JPN").stockpile
    need = need_by_material(world)
    stock[:] = 0.0
    stock[DYTB] = 4 * need[DYTB]  # a year of it
    worth = need * world.reference_price
    share = worth[DYTB] / worth.sum()
    assert stockpile_days(world) == pytest.approx(4 * world.quarter.days * share)
    assert stockpile_days(world) < 0.5 * 4 * world.quarter.days
