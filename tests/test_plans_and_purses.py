"""How producers decide to run and who pays for it: fixed costs do not decide how much a plant
runs, a state's quota is a plan its groups run to, a closed mine leaves its quota to the others,
a company's mine and plant share one purse, money from others replaces a firm's own plan, and a
seller holding a glut expects less."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from conftest import baotou_expecting, play

from game.scenario import find_level, load_level


@pytest.fixture(scope="module")
def sandbox():
    return load_level(find_level("sandbox"))


@pytest.fixture()
def world_under_quota(sandbox):
    """The sandbox after its first year: China's 2011 mining quotas are in force."""
    session = play(sandbox, turns=4)
    yield session.world
    session.close()


def test_fixed_costs_do_not_decide_how_much_a_plant_runs():
    for share in (0.2, 0.3, 0.5):
        light, heavy = baotou_expecting(share, fixed_cost_share=0.2), baotou_expecting(share, fixed_cost_share=0.8)
        assert light.run_rate() == pytest.approx(heavy.run_rate())
        assert light.variable_cost == pytest.approx(heavy.variable_cost)
        assert heavy.full_cost > light.full_cost > light.variable_cost


def test_chinas_groups_run_to_their_quota_while_prices_cover_running_costs(world_under_quota):
    assert world_under_quota.firm("baotou-separation").runs_to_plan
    assert not world_under_quota.firm("lynas-lamp").runs_to_plan
    free, planned = [], []
    for share in np.linspace(0.1, 1.0, 19):
        plant = baotou_expecting(share)
        free.append(plant.run_rate())
        plant.runs_to_plan = True
        planned.append(plant.run_rate())
    # Where prices cover its running costs, a planned plant runs at least as hard, and it is
    # flat out at lower prices; where they do not, the plan does not keep it running.
    assert all(p >= f for p, f in zip(planned, free) if p >= 0.5)  # 0.5: prices equal running costs
    assert planned.index(1.0) < free.index(1.0)
    assert planned[0] == 0.0 and any(0.0 < f < 1.0 for f, p in zip(free, planned) if p == 1.0)


def test_a_closed_mine_leaves_its_share_of_the_quota_to_the_others(world_under_quota):
    world = world_under_quota
    bayan_obo, sichuan = world.firm("bayan-obo"), world.firm("sichuan-mianning")
    before = world.production._mining_limits()
    sichuan.mothballed = True
    after = world.production._mining_limits()
    assert sichuan not in after
    assert after[bayan_obo] > before[bayan_obo]


def test_a_companys_mine_and_plant_share_one_purse(world_under_quota):
    world = world_under_quota
    mine, plant = world.firm("mt-weld"), world.firm("lynas-lamp")
    outsider = world.firm("silmet")  # in no company with others
    mine.capacity_tpy, plant.capacity_tpy = 20000.0, 20000.0
    mine.cash_musd, plant.cash_musd = 300.0, -100.0
    outsider_cash = outsider.cash_musd
    world.investment._pool_group_cash()
    assert mine.cash_musd + plant.cash_musd == pytest.approx(200.0)
    # Each can pay what it owes this quarter; the rest goes where running costs are.
    assert plant.cash_musd >= plant.overheads_musd > 0.0 and mine.cash_musd >= mine.overheads_musd > 0.0
    spare_plant, spare_mine = plant.cash_musd - plant.overheads_musd, mine.cash_musd - mine.overheads_musd
    assert spare_plant / spare_mine == pytest.approx(plant.unit_cost / mine.unit_cost)
    assert outsider.cash_musd == outsider_cash


def test_a_company_short_of_cash_shares_the_shortfall_by_what_each_owes(world_under_quota):
    world = world_under_quota
    mine, plant = world.firm("mt-weld"), world.firm("lynas-lamp")
    mine.capacity_tpy, plant.capacity_tpy = 20000.0, 20000.0
    mine.cash_musd, plant.cash_musd = 1.0, 0.0
    world.investment._pool_group_cash()
    assert mine.cash_musd + plant.cash_musd == pytest.approx(1.0)
    assert plant.cash_musd / mine.cash_musd == pytest.approx(plant.overheads_musd / mine.overheads_musd)


def test_money_from_others_replaces_the_firms_own_plan_awaiting_approval(world_under_quota):
    world = world_under_quota
    investment = world.investment
    lamp = world.firm("lynas-lamp")
    investment._start_expansion(lamp, 5000.0)
    own = [p for p in investment.projects.values() if p.firm == lamp.firm_id and p.origin == "expansion"]
    assert own and own[0].started is None  # Malaysia has yet to approve it
    funded = next(p for p in investment.projects.values()
                  if p.firm == lamp.firm_id and p.origin == "level" and p.started is None)
    assert investment.start_project(funded)
    assert own[0].id not in investment.projects
    assert all(p.id != own[0].id for p in investment._awaiting_approval)


def test_a_seller_holding_a_glut_expects_less_than_the_market_paid():
    market = np.array([50.0, 300.0, 2.0])
    plant = baotou_expecting(1.0)
    plant.expected_netback = market.copy()
    plant.output_t = plant.capacity_per_turn
    per_quarter = plant.output_t * plant.output_mix()
    plant.inventory[:] = per_quarter * 1.5  # within its working stock and target: no glut
    plant.expect_prices(market)
    assert np.allclose(plant.expected_netback, market)
    plant.inventory[:] = per_quarter * 6.0  # years of stock beyond what it sells
    plant.expect_prices(market)
    assert np.all(plant.expected_netback < market)


def test_a_seller_holding_back_output_yet_drawing_its_stock_expects_more():
    """The tatonnement's other arm: a plant that planned to run below capacity for want of price
    while it sells more than it makes learns that the market wants more at a higher price; flat
    out, the same draw says nothing about the price."""
    def expected_after_a_draw(price_share: float) -> tuple[np.ndarray, float]:
        plant = baotou_expecting(price_share, run_rate_cost_band=0.25)
        market = plant.expected_netback.copy()
        sales = plant.capacity_per_turn * plant.output_mix()
        plant.sales_rate = sales.copy()
        plant.output_t = 0.5 * plant.capacity_per_turn  # makes half of what it sells
        plant.inventory[:] = 1.5 * sales  # above its working stock, no glut
        plant.planned_throughput()
        rate = plant.planned_run_rate
        plant.expect_prices(market, sold=sales)
        return plant.expected_netback / market, rate

    held_back, rate = expected_after_a_draw(0.22)
    assert 0.0 < rate < 1.0 and np.all(held_back > 1.0)
    flat_out, rate = expected_after_a_draw(2.0)
    assert rate == 1.0 and np.allclose(flat_out, 1.0)


def test_sellers_expecting_together_expect_what_each_would_alone():
    """expect_prices_of over sellers in every state (no sales rate yet, none expected yet,
    holding back for price, a glut, selling out) gives each what a call for it alone gives."""
    from agents.producers import expect_prices_of

    def sellers():
        made = []
        for k in range(6):
            plant = baotou_expecting(0.2 + 0.3 * k, run_rate_cost_band=0.25)
            per_quarter = plant.capacity_per_turn * plant.output_mix()
            plant.inventory[:] = per_quarter * (0.2, 1.5, 6.0, 0.5, 3.0, 1.0)[k]
            plant.output_t = (0.5, 1.0, 0.0, 0.3, 1.0, 0.8)[k] * plant.capacity_per_turn
            plant.planned_throughput()
            if k % 2:
                plant.sales_rate = per_quarter * (0.5 + 0.25 * k)
            if k == 4:
                plant.expected_netback = None
            made.append(plant)
        return made

    market = np.array([[50.0, 300.0, 2.0]]) * np.linspace(0.5, 2.0, 6)[:, None]
    sold = np.array([[10.0, 1.0, 40.0]]) * np.arange(6)[:, None]
    for given in (sold, None):
        together, alone = sellers(), sellers()
        expect_prices_of(together, market, given)
        for k, plant in enumerate(alone):
            plant.expect_prices(market[k], None if given is None else given[k])
        for a, b in zip(together, alone):
            assert np.array_equal(a.expected_netback, b.expected_netback)
            assert (a.sales_rate is None) == (b.sales_rate is None)
            assert a.sales_rate is None or np.array_equal(a.sales_rate, b.sales_rate)


def test_a_firms_own_plan_approved_stays_when_money_from_others_is_approved_later_in_the_quarter(world_under_quota):
    # The approvals leave the queue together at the end of the quarter's pass; the firm's own
    # expansion, approved and building, must not be withdrawn as if it still waited.
    world = world_under_quota
    investment = world.investment
    lamp = world.firm("lynas-lamp")
    investment._start_expansion(lamp, 5000.0)
    own = next(p for p in investment._awaiting_approval if p.firm == lamp.firm_id and p.origin == "expansion")
    funded = next(p for p in investment.projects.values()
                  if p.firm == lamp.firm_id and p.origin == "level" and p.started is None)
    if funded not in investment._awaiting_approval:
        investment.propose_project(funded)
    queue = investment._awaiting_approval
    assert queue.index(own) < queue.index(funded)
    world.assumptions = dataclasses.replace(world.assumptions, approval_chance_per_quarter=2.0)
    investment._decide_approvals()
    assert own.id in investment.projects and own.is_building
    assert funded.is_building
    assert own not in investment._awaiting_approval and funded not in investment._awaiting_approval
    assert {p.id for p in investment._awaiting_approval} == investment._awaiting_ids
