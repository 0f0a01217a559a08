"""Offtake contracts deliver before the spot market; projects add capacity after their lead time."""

from __future__ import annotations

import dataclasses

import pytest
from conftest import baotou_expecting, play

from game.session import Session
from game.spec import ContractSpec
from game.vocab.materials import MATERIALS, Material
from game.vocab.quarters import Quarter


def with_contract(scenario, seller="baotou-separation", material=Material.NDPR, tonnes=2000.0):
    contract = ContractSpec(id="test-offtake", seller=seller, buyer="JPN", material=material,
                            tonnes_per_year=tonnes, price=40.0, start=Quarter(2010, 3), end=Quarter(2012, 4))
    world = dataclasses.replace(scenario.world, contracts=scenario.world.contracts + (contract,))
    return dataclasses.replace(scenario, world=world)


def test_a_contract_delivers_its_quarterly_volume_before_the_spot_market(trawler):
    session = play(with_contract(trawler))
    deliveries = {d.quarter: d.delivered_t for d in session.world.ledger.deliveries if d.contract_id == "test-offtake"}
    assert deliveries[Quarter(2011, 2)] == pytest.approx(500.0)
    assert deliveries[Quarter(2012, 3)] == pytest.approx(500.0)


def test_an_embargo_that_blocks_a_delivery_is_recorded_as_a_breach(trawler):
    session = play(with_contract(trawler))
    breaches = {b.quarter: b for b in session.world.ledger.breaches if b.contract_id == "test-offtake"}
    halt = breaches[Quarter(2010, 4)]
    assert halt.reason == "embargo" and halt.seller == "baotou-separation"
    # 21 Sep to 19 Nov: 49 of the quarter's 92 days were blocked.
    assert halt.delivered_t == pytest.approx(500.0 * (1 - 49 / 92))
    assert Quarter(2011, 2) not in breaches
    headlines = [n.headline for n in session.world.news if n.kind == "embargo"]
    assert headlines


def test_a_seller_short_of_stock_under_an_embargo_pays_damages_only_on_what_the_embargo_let_through(trawler):
    # In 2010Q4 the halt lets through 43 of 92 days of the 500 t due. With 100 t in stock the
    # seller fails to deliver 500 x 43/92 - 100 t that it could have shipped: damages are owed on
    # those, not on the tonnes the embargo stopped (the breach's reason is its stock, the last
    # limit that bound).
    session = Session(with_contract(trawler), seed=0)
    world = session.world
    seller = world.firm("baotou-separation")
    ndpr = MATERIALS.index(Material.NDPR)
    session.play_turn()  # 2010Q3
    payments, prices = [], {}
    deliver = world.exchange.run

    def short_of_stock():
        seller.inventory[ndpr] = 100.0
        prices["JPN"] = float(world.prices[world.nation_index("JPN"), ndpr])
        seller.pay = payments.append  # damages are the seller's only payments in the trade phase
        try:
            deliver()
        finally:
            del seller.pay

    world.exchange.run = short_of_stock
    session.play_turn()  # 2010Q4
    breach = next(b for b in world.ledger.breaches if b.contract_id == "test-offtake" and b.quarter == Quarter(2010, 4))
    assert breach.reason == "not enough stock" and breach.delivered_t == pytest.approx(100.0)
    # The seller's other contracts breach too (its stock went to this one first, in ledger order).
    assert payments[0] == pytest.approx((500.0 * 43 / 92 - 100.0) * prices["JPN"])


def test_contract_deliveries_use_the_export_quota_first(trawler):
    # A contract larger than the whole Dy/Tb quota cannot be delivered in full: a quota breach.
    session = play(with_contract(trawler, seller="southern-separation", material=Material.DYTB, tonnes=5000.0),
                   turns=4)
    reasons = {b.reason for b in session.world.ledger.breaches}
    assert "export quota exhausted" in reasons


def test_a_domestic_contract_ignores_export_controls(trawler):
    contract = ContractSpec(id="home", seller="showa-denko-vietnam", buyer="VNM", material=Material.NDPR,
                            tonnes_per_year=0.0, price=1.0, start=Quarter(2010, 3), end=Quarter(2010, 4))
    world = dataclasses.replace(trawler.world, contracts=(contract,))
    session = play(dataclasses.replace(trawler, world=world), turns=2)
    assert not session.world.ledger.breaches


def test_a_project_adds_capacity_only_when_finished_then_commissions_it_over_a_year(trawler):
    session = Session(trawler, seed=0)
    world = session.world
    sareco = world.projects["sareco-plant"]
    capacities = []
    while not session.is_over:
        session.play_turn()
        capacities.append((world.quarter - 1, world.firm("sareco").capacity_tpy, sareco.done))
    finished = [q for q, _, done in capacities if done]
    assert finished, "SARECO should finish within the level on this seed"
    for quarter, capacity, done in capacities:
        if not done:
            assert capacity == 0.0
        else:
            assert quarter - Quarter(2010, 3) >= sareco.lead_quarters - 1
    ramp = [c for _, c, done in capacities if done]
    assert ramp[0] == pytest.approx(0.25 * 1500.0)  # a quarter works at once
    assert ramp == sorted(ramp) and ramp[-1] <= 1500.0 + 1e-9
    if len(ramp) >= 4:
        assert ramp[3] == pytest.approx(1500.0)


def test_a_project_that_fails_never_adds_capacity(trawler):
    world_spec = dataclasses.replace(trawler.world, projects=tuple(
        dataclasses.replace(p, fail_chance=1.0) if p.id == "sareco-plant" else p for p in trawler.world.projects))
    session = play(dataclasses.replace(trawler, world=world_spec))
    assert session.world.projects["sareco-plant"].failed
    assert session.world.firm("sareco").capacity_tpy == 0.0


def test_a_projects_risk_does_not_depend_on_what_else_the_player_does(trawler):
    # Each project draws from its own generator, spawned from the world's at the start.
    def finished(strategy):
        session = Session(trawler, seed=9)
        from game.players import controller_for
        session.controller = controller_for(strategy, trawler)
        done_at = None
        while not session.is_over:
            session.play_turn()
            if done_at is None and session.world.projects["sareco-plant"].done:
                done_at = session.world.quarter - 1
        return done_at
    assert finished("passive") == finished("history")


def test_a_breach_of_contract_is_news_in_the_quarter_it_happens():
    from game.players import controller_for
    from game.scenario import find_level, load_level
    from game.session import Session

    from game.vocab.materials import Material
    from game.world.contracts import Contract

    scenario = load_level(find_level("sandbox"))
    session = Session(scenario, controller_for("history", scenario), seed=0)
    # A recycler owing ten times what it can recover falls short every quarter: a breach that
    # does not wait on the world's own (the sandbox's ended as sellers ran for what they owe).
    recycler = session.world.firm("showa-denko-vietnam")
    session.world.ledger.sign(Contract("test-beyond-its-scrap", recycler.firm_id, "JPN", Material.NDPR,
                                       10.0 * recycler.capacity_tpy, 50.0, scenario.start, scenario.end))
    session.run(max_turns=24)
    breaches = [b for b in session.world.ledger.breaches if b.shortfall_t >= 0.01 * b.due_t]
    assert breaches
    news = [(n.quarter, n.kind) for n in session.world.news]
    for breach in breaches:
        assert (breach.quarter, "breach") in news


def _plant_expecting(price_share: float, band: float = 0.25):
    """Baotou's plant expecting ``price_share`` of the reference prices, its lines' costs spread
    over ``band`` either side of its variable cost."""
    return baotou_expecting(price_share, run_rate_cost_band=band)


def test_output_is_continuous_in_what_prices_pay_for():
    rates = [_plant_expecting(share).run_rate() for share in (0.1, 0.2, 0.25, 0.35, 2.0)]
    assert rates == sorted(rates) and rates[0] == 0.0 and rates[-1] == 1.0
    assert any(0.0 < r < 1.0 for r in rates)  # between stopping and flat out, not a switch


def test_a_plant_whose_prices_do_not_cover_running_costs_makes_only_what_it_owes():
    import numpy as np

    plant = _plant_expecting(1.0)
    # NdPr sells, but for too little; the rest of the ore is worth almost nothing.
    plant.expected_netback = np.array([20.0, 10.0, 0.5])
    assert plant.run_rate() == 0.0 and plant.operating_margin() < -0.25
    assert plant.planned_throughput(None) == 0.0
    assert plant.planned_throughput(np.zeros(3)) == 0.0
    # Owing oxide it lacks, the breach (paid at the buyer's price) costs more than making it.
    assert plant.planned_throughput(np.array([2000.0, 0.0, 0.0])) > 0.0
    # Owing a little Dy/Tb, it would have to make tonnes of everything else at a loss: it pays instead.
    assert plant.planned_throughput(np.array([0.0, 10.0, 0.0])) == 0.0


def test_a_running_plant_never_runs_below_its_minimum_rate():
    for share in (0.45, 0.5, 0.55, 0.6):
        plant = _plant_expecting(share)
        planned = plant.planned_throughput(None)
        min_run_rate = plant.model.assumptions.min_run_rate
        assert planned == 0.0 or planned >= min_run_rate * plant.capacity_per_turn - 1e-9


def test_stock_already_made_is_offered_at_what_selling_it_costs():
    import numpy as np

    plant = _plant_expecting(1.0)
    usual = plant.asks_at(plant.model.reference_price)
    assumptions = plant.model.assumptions
    plant.inventory[:] = plant.capacity_per_turn * plant.output_mix() * 2.0  # a glut: two quarters' output
    glut = plant.asks_at(plant.model.reference_price)
    assert np.all(glut <= usual) and glut[2] < usual[2]
    assert np.all(glut >= assumptions.selling_cost_usd_per_kg)
    # Holding costs weigh most on the cheap, bulky oxide: cerium is cut by a larger share.
    assert glut[2] / usual[2] < glut[1] / usual[1]
    # However big the glut, a seller asks at most max_ask_cut_per_quarter below what it expects:
    # it tests a falling market in steps rather than dumping.
    plant.inventory[:] = plant.capacity_per_turn * plant.output_mix() * 60.0
    huge = plant.asks_at(plant.model.reference_price)
    floor = np.maximum(assumptions.selling_cost_usd_per_kg, (1 - assumptions.max_ask_cut_per_quarter) * usual)
    assert np.allclose(huge, floor)


def test_each_building_role_costs_and_takes_what_its_own_assumptions_say(trawler):
    from game.vocab.materials import Role
    from game.world.investment import build_quarters, capex_usd_per_tpy

    fields = {Role.MINER: "miner", Role.SEPARATOR: "separator", Role.RECYCLER: "recycler",
              Role.MAGNET_MAKER: "magnet_maker"}
    assumptions = dataclasses.replace(
        trawler.world.assumptions,
        **{f"capex_{name}_usd_per_tpy": 1000.0 + k for k, name in enumerate(fields.values())},
        **{f"build_quarters_{name}": 10 + k for k, name in enumerate(fields.values())})
    for k, role in enumerate(fields):
        for asked in (role, role.value):  # a role, or its word as a table of roles reads it
            assert capex_usd_per_tpy(assumptions, asked) == 1000.0 + k
            assert build_quarters(assumptions, asked) == 10 + k
    for role in (Role.MANUFACTURER, Role.DEEP_SEA, "miners"):  # roles that do not build, and no role
        with pytest.raises(KeyError):
            capex_usd_per_tpy(assumptions, role)
        with pytest.raises(KeyError):
            build_quarters(assumptions, role)
