"""What keeps the market from swinging on ties and small shocks: buyers pay to turn to a new
supplier, a small exporter's embargo frightens little; and what keeps supply growing with the
quota: plants grow to separate what their mines can dig, and mines are paid and financed like
going concerns."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from conftest import play

import game.world.exchange as exchange
from game.session import Session
from game.vocab.materials import MATERIALS, Material
from game.world.exchange import _switching_cost_matrix
from game.world.export_controls import TradePolicy


def _switching_cost(world, m):
    """The switching cost for material ``m``, [origin, destination], under this quarter's
    embargoes: the matrix the market adds to its export arcs' costs."""
    return _switching_cost_matrix(world, world.policy.embargoes_in(world.quarter))[m]


@pytest.fixture()
def world_after_a_year(trawler):
    """The 2010 world after four quarters of trade, so last quarter's receipts are known."""
    session = play(trawler, turns=4)
    yield session.world
    session.close()


def _plant(world, price_share: float = 1.0):
    plant = world.firm("baotou-separation")
    plant.expected_netback = np.array(world.reference_price) * price_share
    plant.inventory[:] = 0.0
    return plant


def test_an_embargo_by_a_minor_supplier_frightens_far_less_than_one_by_the_largest(world_after_a_year):
    diplomacy = world_after_a_year.diplomacy
    everything = list(range(len(MATERIALS)))
    assert diplomacy.supply_weight("CHN", everything) == pytest.approx(1.0)
    assert diplomacy.supply_weight("IND", everything) < 0.1
    assert diplomacy.supply_weight("JPN", everything) < 0.1


def test_buyers_pay_to_turn_to_a_supplier_they_hardly_used(world_after_a_year):
    world = world_after_a_year
    layout = world.layout
    m = MATERIALS.index(Material.NDPR)
    cost = _switching_cost(world, m)
    japan, china = world.nation_index("JPN"), world.nation_index("CHN")
    received = world.last_receipts[m]
    familiar = max(received[china, japan] / received[:, japan].sum(), received[china].sum() / received.sum())
    assumptions = world.assumptions
    assert cost[china, japan] == pytest.approx((1.0 - familiar) * (
        assumptions.switching_cost_share * world.prices[japan, m] + assumptions.switching_cost_usd_per_kg))
    # Small suppliers Japan did not buy from last quarter cost more to turn to than China.
    suppliers = layout.export_origin[layout.export_destination == japan]
    newcomers = suppliers[received[suppliers, japan] == 0.0]
    assert newcomers.size and np.all(cost[newcomers, japan] > cost[china, japan])


def test_a_buyer_that_left_the_largest_supplier_can_come_back(world_after_a_year):
    """What the largest supplier ships to the world counts as familiarity: no lock-in."""
    world = world_after_a_year
    m = MATERIALS.index(Material.NDPR)
    japan, china = world.nation_index("JPN"), world.nation_index("CHN")
    world.last_receipts[m, china, japan] = 0.0  # Japan bought none of it last quarter
    received = world.last_receipts[m]
    world_share = received[china].sum() / received.sum()
    assert world_share > 0.5
    assumptions = world.assumptions
    full = assumptions.switching_cost_share * world.prices[japan, m] + assumptions.switching_cost_usd_per_kg
    assert _switching_cost(world, m)[china, japan] == pytest.approx((1.0 - world_share) * full)


def test_an_embargo_waives_the_cost_of_switching_for_its_target(world_after_a_year):
    world = world_after_a_year
    layout = world.layout
    m = MATERIALS.index(Material.NDPR)
    japan = world.nation_index("JPN")
    into_japan = layout.export_destination == japan
    arcs = layout.export_origin, layout.export_destination
    assert np.any(_switching_cost(world, m)[arcs][into_japan] > 0.0)
    world.policy.impose_embargo("CHN", "JPN", (Material.NDPR,), world.quarter.first_day, None)
    assert np.all(_switching_cost(world, m)[arcs][into_japan] == 0.0)
    assert np.any(_switching_cost(world, m)[arcs][~into_japan] > 0.0)


def test_a_plant_running_full_grows_to_separate_what_its_mines_can_dig(world_after_a_year):
    world = world_after_a_year
    plant = _plant(world, price_share=2.0)
    plant.cash_musd = 5000.0
    plant.output_t = plant.capacity_per_turn  # ran flat out
    for mine in plant.feeds:
        mine.capacity_tpy *= 2.0  # the mines can now dig far more than it separates
    investment = world.investment
    investment._building.discard(plant.firm_id)
    before = {p.id for p in investment.projects.values() if p.firm == plant.firm_id}
    investment._separate_what_is_mined(plant)
    new = [p for p in investment.projects.values() if p.firm == plant.firm_id and p.id not in before]
    assert len(new) == 1
    feeds = {f.firm_id for f in plant.feeds}
    feed = sum(f.capacity_tpy * f.tracked_share for f in plant.feeds) + sum(
        p.adds_tpy for p in investment.projects.values() if p.firm in feeds and p.is_building)
    assert new[0].adds_tpy == pytest.approx(feed - plant.capacity_tpy)  # what its mines have and build


def test_a_plant_with_spare_capacity_does_not_grow_for_its_mines(world_after_a_year):
    world = world_after_a_year
    plant = _plant(world, price_share=2.0)
    plant.cash_musd = 5000.0
    plant.output_t = 0.5 * plant.capacity_per_turn
    for mine in plant.feeds:
        mine.capacity_tpy *= 2.0
    investment = world.investment
    investment._building.discard(plant.firm_id)
    before = len(investment.projects)
    investment._separate_what_is_mined(plant)
    assert len(investment.projects) == before


def test_a_mine_without_cash_still_digs_what_its_plants_take(world_after_a_year):
    mine = world_after_a_year.firm("bayan-obo")
    mine.concentrate[:] = 0.0
    mine.cash_musd = -mine.credit_line_musd - 100.0  # nothing left to pay for a buffer
    asked = 0.5 * mine.capacity_per_turn
    mine.mine(asked)
    assert mine.output_t == pytest.approx(asked)  # what plants take is paid on delivery
    mine.concentrate[:] = 0.0
    mine.cash_musd = 1e6
    mine.mine(asked)
    assert mine.output_t == pytest.approx(1.5 * asked)  # with cash, half a quarter of buffer too


def test_a_captive_mine_is_paid_at_least_its_full_cost(world_after_a_year):
    plant = _plant(world_after_a_year, price_share=0.05)  # prices far below any cost
    assumptions = plant.model.assumptions
    for mine in plant.feeds:
        floor = mine.unit_cost * (1.0 + assumptions.fixed_cost_share) / mine.tracked_share
        assert plant.concentrate_price(mine) == pytest.approx(floor)


def test_a_quarter_in_which_nobody_bids_quotes_no_price_and_the_last_one_stands(trawler, monkeypatch):
    # With every need covered (as at extreme assumptions), nobody bids for anything: the
    # clearing would read 0 everywhere, and sellers would carry that into their expectations.
    session = Session(trawler, seed=0)
    session.play_turn()
    before = session.world.prices.copy()
    bidding = exchange.bid_steps

    def nobody_bids(*args):
        bids = bidding(*args)
        return dataclasses.replace(bids, tonnes=np.zeros_like(bids.tonnes))

    monkeypatch.setattr(exchange, "bid_steps", nobody_bids)
    session.play_turn()
    assert (session.world.prices > 0).all()
    np.testing.assert_array_equal(session.world.prices, before)


def test_the_tariff_table_holds_each_exporters_tariff():
    policy = TradePolicy()
    policy.set_tariff("CHN", np.array([0.25, 0.15, 0.1]))
    table = policy.tariffs(["USA", "CHN", "JPN"])
    assert table.tolist() == [policy.tariff(code).tolist() for code in ("USA", "CHN", "JPN")]
    table[0] = 1.0  # a new array: the exporters' tariffs stay as they were
    assert policy.tariff("USA").tolist() == [0.0, 0.0, 0.0]
    one = policy.tariff("CHN")
    one[0] = 1.0  # so is one exporter's: what a reader does with it changes no duty
    assert policy.tariff("CHN").tolist() == [0.25, 0.15, 0.1]
