"""Invariants of the world that must hold in every turn, whatever the strategy."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import play

from agents.buyers import ManufacturerFirm
from game.players import controller_for
from game.session import Session


def firm_held(world) -> np.ndarray:
    return sum((f.held_material() for f in world.firm_list), np.zeros(3))


def stockpiled(world) -> np.ndarray:
    return sum((n.stockpile for n in world.nation_list), np.zeros(3))


@pytest.mark.parametrize("strategy", ["passive", "history"])
@pytest.mark.parametrize("seed", [0, 7])
def test_mass_balance_holds_for_every_material_and_turn(trawler, strategy, seed):
    session = Session(trawler, controller_for(strategy, trawler), seed=seed)
    world = session.world
    while not session.is_over:
        firms_before, stock_before = firm_held(world), stockpiled(world)
        session.play_turn()
        flows = world.flows
        firms_change = firm_held(world) - firms_before
        stock_change = stockpiled(world) - stock_before
        sources = flows["mined"] + flows["recycled"] + flows["released"]
        sinks = flows["consumed"] + firms_change + flows["stockpiled"]
        scale = np.maximum(np.abs(sources) + np.abs(sinks), 1.0)
        assert np.all(np.abs(sources - sinks) <= 1e-9 * scale), (world.quarter, sources, sinks)
        assert np.allclose(stock_change, flows["stockpiled"] - flows["released"], rtol=1e-9, atol=1e-9)
        assert flows["mined"].sum() > 0 and flows["consumed"].sum() > 0


@pytest.mark.parametrize("strategy", ["passive", "history"])
def test_no_negative_stock_capacity_or_price_and_no_nan(trawler, strategy):
    session = Session(trawler, controller_for(strategy, trawler), seed=3)
    world = session.world
    while not session.is_over:
        session.play_turn()
        for firm in world.firm_list:
            assert np.all(firm.held_material() >= -1e-9), firm
            assert firm.capacity_tpy >= 0
        for nation in world.nation_list:
            assert np.all(nation.stockpile >= -1e-9), nation
        assert np.all(world.prices >= 0) and np.all(np.isfinite(world.prices))
    for row in session.rows():
        for column, value in row.items():
            if isinstance(value, float):
                assert math.isfinite(value), (row["quarter"], column)
                assert value >= 0 or column == "japan_budget_musd", (row["quarter"], column, value)


def test_output_index_is_a_fill_rate_between_zero_and_one(trawler):
    session = play(trawler)
    for row in session.rows():
        assert 0.0 <= row["japan_output_index"] <= 1.0
        assert 0.0 <= row["japan_china_share"] <= 1.0
        assert 0.0 <= row["china_tension_japan"] <= 1.0
    makers = [f for f in session.world.firm_list if isinstance(f, ManufacturerFirm)]
    assert all(0.0 <= m.fill <= 1.0 for m in makers)


def test_one_row_per_quarter_from_start_to_end(trawler):
    rows = play(trawler).rows()
    assert [r["quarter"] for r in rows][:3] == ["2010Q3", "2010Q4", "2011Q1"]
    assert rows[-1]["quarter"] == "2012Q4"
    assert [r["turn"] for r in rows] == list(range(1, 11))


def test_turns_stops_early(trawler):
    assert len(play(trawler, turns=3).rows()) == 3


def test_closing_a_world_releases_mesa_agent_ids(trawler):
    import mesa

    session = play(trawler, turns=1)
    world = session.world
    assert world in mesa.Agent._ids
    session.close()
    assert world not in mesa.Agent._ids
