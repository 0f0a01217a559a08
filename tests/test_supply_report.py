"""The supply report behind the supply panel: what arrived adds up to what Japan received, a
stockpile release shows as such, and a contract whose seller is embargoed is flagged as at risk
before the quarter is played."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from conftest import play

from game.actions import ReleaseStockpile
from game.scenario import find_level, load_level
from game.session import Session
from game.vocab.materials import MATERIALS, Material
from game.vocab.nations import JAPAN
from game.world.supply_report import supply_report, use_at_full_output


@pytest.mark.parametrize("level", ["2011-spike", "2023-tech-ban"])
def test_arrivals_by_way_add_up_to_what_japan_received(level):
    session = play(load_level(find_level(level)), "history", seed=1, turns=3)
    session.open_turn()
    world = session.world
    report = supply_report(world, JAPAN)
    received = world.receipts[:, :, world.nation_index(JAPAN)].sum(axis=1)
    for m, material in enumerate(report.materials):
        assert material.received_t == pytest.approx(received[m], rel=1e-9, abs=1e-6)
        assert material.need_next_t == pytest.approx(use_at_full_output(world, JAPAN)[m])
        assert material.need_t == pytest.approx(material.used_t + material.shortfall_t)
        assert material.shortfall_t >= 0.0 and material.stockpile_t == world.nation(JAPAN).stockpile[m]
    assert report.quarter == str(world.quarter)


def test_a_stockpile_release_shows_as_ordered_then_as_sold():
    scenario = load_level(find_level("2011-spike"))
    session = Session(scenario, seed=0)
    session.open_turn()
    held = float(session.world.nation(JAPAN).stockpile[MATERIALS.index(Material.NDPR)])
    session.submit(ReleaseStockpile(Material.NDPR, min(50.0, held)))
    before = supply_report(session.world, JAPAN).materials[MATERIALS.index(Material.NDPR)]
    assert before.release_ordered_t == pytest.approx(min(50.0, held))
    session.end_turn()
    session.open_turn()
    after = supply_report(session.world, JAPAN).materials[MATERIALS.index(Material.NDPR)]
    assert after.from_stockpile_t == pytest.approx(min(50.0, held))
    assert after.release_ordered_t == 0.0


def test_a_contract_from_an_embargoed_seller_is_flagged_before_the_quarter_runs():
    session = play(load_level(find_level("2011-spike")), "history", seed=0, turns=2)
    session.open_turn()
    world = session.world
    report = supply_report(world, JAPAN)
    outlook = next(c for m in report.materials for c in m.contracts if c.seller_nation != JAPAN)
    assert outlook.risk == "" and outlook.likely_t == pytest.approx(outlook.due_t)
    day = world.quarter.first_day
    world.policy.impose_embargo(outlook.seller_nation, JAPAN, tuple(MATERIALS), day - dt.timedelta(days=1), None)
    flagged = next(c for m in supply_report(world, JAPAN).materials for c in m.contracts
                   if c.contract_id == outlook.contract_id)
    assert flagged.risk == "embargo" and flagged.likely_t == 0.0
    assert np.isfinite(flagged.due_t)
