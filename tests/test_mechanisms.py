"""Each of the world's decision mechanisms, shown working through the world's own state."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from conftest import play

from agents.buyers import ManufacturerFirm
from agents.doctrine import decide_pressure, pressure_score
from game.session import Session
from game.vocab.materials import MATERIAL_INDEX, Material
from game.vocab.quarters import Quarter
from game.world.contracts import Contract, ContractLedger
from game.world.wto import STAGES, WtoCase

# ----------------------------------------------------------------------------- WTO


def case(respondent_wins: bool) -> WtoCase:
    """A case whose panel draw (always 0.01, or always 0.99) goes the way asked at any plausible
    ``wto_respondent_wins_chance``."""
    class Fixed:  # a generator that always draws the same number
        def random(self):
            return 0.01 if respondent_wins else 0.99
    return WtoCase("CHN", ["USA", "EU", "JPN"], Quarter(2012, 1), Fixed())


def test_a_wto_case_takes_the_reference_stages_and_ends_in_compliance(trawler):
    wto = case(respondent_wins=False)
    chance = trawler.assumptions.wto_respondent_wins_chance
    outcomes = [wto.advance(Quarter(2012, 1) + i, chance) for i in range(1, 20)]
    total = sum(length for _, length in STAGES)
    assert outcomes.index("complied") == total - 1  # about three years, as in 2012-2015
    assert "panel_for_complainants" in outcomes and wto.closed


def test_a_wto_case_can_be_lost(trawler):
    wto = case(respondent_wins=True)
    chance = trawler.assumptions.wto_respondent_wins_chance
    outcomes = [wto.advance(Quarter(2012, 1) + i, chance) for i in range(1, 20)]
    assert "panel_for_respondent" in outcomes and "complied" not in outcomes


def test_compliance_ends_the_respondents_quotas_and_duties(trawler):
    # The 2012 filing, played on past the first level's end, removes China's quotas.
    scenario = dataclasses.replace(trawler, end=Quarter(2016, 4))
    session = Session(scenario, seed=0)
    session.open_turn()
    session.world.diplomacy.open_wto_case("CHN", ["USA", "EU", "JPN"])
    session.world.diplomacy.wto_cases[0].rng = type("Fixed", (), {"random": lambda self: 0.99})()
    session.run()
    assert np.all(np.isinf(session.world.policy.quota_per_turn("CHN")))
    assert np.all(session.world.policy.tariff("CHN") == 0)
    assert any(n.kind == "wto" and "complies" in n.headline for n in session.world.news)


# ----------------------------------------------------------------------------- doctrine


def test_leverage_rises_with_tension_and_dependence_and_falls_with_revenue_and_wto(trawler):
    assumptions = trawler.assumptions
    base = pressure_score(0.6, 0.8, 0.3, 0.0, assumptions)
    assert pressure_score(0.8, 0.8, 0.3, 0.0, assumptions) > base
    assert pressure_score(0.6, 0.9, 0.3, 0.0, assumptions) > base
    assert pressure_score(0.6, 0.8, 0.6, 0.0, assumptions) < base
    assert pressure_score(0.6, 0.8, 0.3, 0.5, assumptions) < base


def test_a_calm_partner_gets_no_friction_and_a_crisis_can_bring_a_halt(trawler):
    assumptions = trawler.assumptions
    calm = decide_pressure(0.1, 0.9, 0.3, 0.0, (30.0, 100.0, 10.0), assumptions)
    assert calm.score <= assumptions.doctrine_friction_from_score
    assert not any(calm.friction_usd_per_kg) and not calm.halt
    crisis = decide_pressure(0.95, 0.95, 0.1, 0.0, (30.0, 100.0, 10.0), assumptions)
    assert crisis.halt and all(f > 0 for f in crisis.friction_usd_per_kg) and "tension" in crisis.reason


def test_china_halts_a_partner_by_itself_when_tension_runs_high(trawler):
    # No scheduled halt or tension change: only the doctrine, after an incident that drives
    # tension up.
    events = tuple(e for e in trawler.events if e.kind not in ("embargo", "embargo_lift", "tension"))
    session = Session(dataclasses.replace(trawler, events=events), seed=0)
    session.play_turn()
    world = session.world
    china, japan = world.nation_index("CHN"), world.nation_index("JPN")
    leverage = world.receipts[:, china, japan].sum() / world.receipts[:, :, japan].sum()  # this quarter's
    # Near full tension the score is about China's share of Japan's supply (its leverage) times
    # the tension, which eases a little before China decides: set the threshold below that.
    world.assumptions = dataclasses.replace(world.assumptions, doctrine_halt_from_score=0.8 * float(leverage))
    world.nation("CHN").change_tension("JPN", 1.0)
    session.play_turn()
    assert any(n.kind == "doctrine" and "Japan" in n.headline for n in session.world.news)
    assert session.rows()[-1]["japan_china_share"] < session.rows()[0]["japan_china_share"]


# ----------------------------------------------------------------------------- demand


def test_manufacturers_thrift_while_prices_stay_high_and_come_back_slowly(trawler):
    session = Session(trawler, seed=0)
    maker = next(f for f in session.world.firm_list if isinstance(f, ManufacturerFirm))
    for _ in range(4):
        maker.adapt_to_prices(4.0)
    low = maker.demand_factor
    max_thrift = session.world.assumptions.max_thrift_per_quarter
    assert low == pytest.approx(1.0 - 4 * max_thrift)
    maker.adapt_to_prices(0.8)
    assert low < maker.demand_factor < low + max_thrift  # slower back than down


def test_two_tier_prices_move_japanese_production_into_china(trawler):
    session = play(trawler, "passive", seed=0)
    japan = [f for f in session.world.buyers_in["JPN"] if isinstance(f, ManufacturerFirm)]
    assert any(f.moved_share > 0 for f in japan)
    rows = session.rows()
    assert rows[-1]["japan_demand_t"] < rows[0]["japan_demand_t"]


# ----------------------------------------------------------------------------- firms


def test_a_plant_that_cannot_cover_its_costs_stops_and_a_firm_out_of_cash_and_credit_fails(trawler):
    # Silmet made uneconomic (costs far above any price) and loaded with debt, as Molycorp was.
    firms = tuple(dataclasses.replace(f, unit_cost=500.0, cash_musd=5.0) if f.id == "silmet" else f
                  for f in trawler.world.firms)
    session = Session(dataclasses.replace(trawler, world=dataclasses.replace(trawler.world, firms=firms)), seed=0)
    session.world.firm("silmet").debt_musd = 400.0
    session.run(max_turns=6)
    silmet = session.world.firm("silmet")
    assert silmet.output_t == 0.0  # it does not produce at a loss
    headlines = [n.headline for n in session.world.news if n.kind == "firm" and "Silmet" in n.headline]
    assert any("bankrupt" in h for h in headlines) and not silmet.alive


def test_a_firm_with_valuable_stock_borrows_against_it_instead_of_failing(trawler):
    session = Session(trawler, seed=0)
    firm = session.world.firm("baotou-separation")
    firm.cash_musd = -10.0 - firm.credit_line_musd  # beyond its overdraft
    prices = session.world.prices[session.world.nation_index("CHN")]
    assert not firm.is_insolvent(prices)  # thousands of tonnes of oxide in stock
    assert firm.is_insolvent(None)
    firm.cash_musd = -0.5 * firm.credit_line_musd
    assert not firm.is_insolvent(None)  # one bad quarter within its credit line: it carries on


def test_a_backed_firm_is_refinanced_by_its_backer_until_the_credit_runs_out(trawler):
    session = Session(trawler, seed=0)
    firm = session.world.firm("silmet")
    firm.add_backing("EU", 30.0)
    firm.cash_musd = -20.0
    assert firm.refinance() > 20.0 and firm.cash_musd > 0.0 and firm.debt_musd >= 20.0
    firm.cash_musd = -50.0
    lent = firm.refinance()
    assert 0.0 < lent < 10.0 and firm.backer_credit_musd == 0.0  # what was left of the 30
    assert firm.refinance() == 0.0


def test_a_bankrupt_seller_loses_its_contracts():
    ledger = ContractLedger()
    ledger.sign(Contract("a", "molycorp", "JPN", Material.NDPR, 100.0, 50.0, Quarter(2012, 1), Quarter(2015, 4)))
    ledger.sign(Contract("b", "lynas", "JPN", Material.NDPR, 100.0, 50.0, Quarter(2012, 1), Quarter(2015, 4)))
    assert ledger.cancel_contracts_of("molycorp") == 1
    assert [c.id for c in ledger.active(Quarter(2013, 1))] == ["b"]


def test_a_bankruptcy_with_one_contract_says_one_contract_in_english_and_japanese(trawler):
    """The news read "goes bankrupt; 1 contracts cancelled"."""
    from game.ui.strings import Language

    session = Session(trawler, seed=0)
    session.open_turn()
    world = session.world
    world.ledger.sign(Contract("one", "molycorp-separation", "JPN", Material.CELA, 100.0, 5.0,
                               world.quarter + 4, world.quarter + 12))  # open, delivering nothing yet
    world.firm("molycorp-separation").cash_musd = -10_000.0
    session.end_turn()
    failed = [n for n in world.news if dict(n.fields).get("fate_id") == "bankrupt"
              and dict(n.fields).get("firm_id") == "molycorp-separation"]
    assert len(failed) == 1 and dict(failed[0].fields).get("n", 1) == 1
    assert failed[0].headline.endswith("; one contract cancelled"), failed[0].headline
    assert "1件" in Language("ja").tr(failed[0].template)


def test_an_investors_offtake_never_owes_more_than_the_plant_makes(trawler):
    """Offtakes became contracts at the tonnes granted, whatever the plant already owed: the bot's
    offtakes in three Lynas projects owed Japan about twice Lynas's NdPr, the breaches' damages
    sank Lynas in 2015-16 on every seed, and a seller never contracts more than it can make."""
    session = Session(trawler, seed=0)
    session.open_turn()
    world = session.world
    plant, project = world.firm("lynas-lamp"), world.projects["lamp-phase2"]
    plant.capacity_tpy = 11_000.0  # one phase built; the first is building (lamp-phase1)
    def building(firm_id):
        return sum(p.adds_tpy for p in world.projects.values() if p.firm == firm_id and p.is_building)

    assert building("lynas-lamp") > 0.0
    # What it makes once built: its own nameplate, or what Mt Weld's feeds it, if less.
    fed = sum((mine.capacity_tpy + building(mine.firm_id)) * mine.tracked_share for mine in plant.feeds)
    makes = min(plant.capacity_tpy + building("lynas-lamp"), fed) * plant.output_mix()[MATERIAL_INDEX[Material.NDPR]]
    world.ledger.sign(Contract("owed-before", "lynas-lamp", "KOR", Material.NDPR, 0.75 * makes, 60.0,
                               world.quarter, world.quarter + 40))
    project.offtakes = (("JPN", 11_000.0, 10, 0.0, (MATERIAL_INDEX[Material.NDPR],)),)  # more than it makes
    world.investment._start_offtakes(project, plant)
    japans = [c for c in world.ledger.contracts if c.buyer == "JPN" and c.seller == "lynas-lamp"]
    assert sum(c.tonnes_per_year for c in japans) == pytest.approx(0.25 * makes)
    assert all(c.share_of_output <= 1.0 for c in japans)


def test_the_open_contracts_follow_signatures_and_cancellations():
    ledger = ContractLedger()
    now, later = Quarter(2012, 1), Quarter(2014, 1)
    ledger.sign(Contract("a", "molycorp", "JPN", Material.NDPR, 100.0, 50.0, now, Quarter(2013, 4)))
    assert [c.id for c in ledger.active(now)] == ["a"] and ledger.active(later) == []
    ledger.active(now).clear()  # the caller's own list: the ledger's stays whole
    ledger.sign(Contract("b", "lynas", "JPN", Material.NDPR, 100.0, 50.0, now, later))
    ledger.sign(Contract("c", "lynas", "CHN", Material.NDPR, 100.0, 50.0, later, later))
    assert [c.id for c in ledger.active(now)] == ["a", "b"]
    assert [c.id for c in ledger.active(later)] == ["b", "c"]
    assert ledger.cancel_contracts_of("lynas") == 2
    assert [c.id for c in ledger.active(now)] == ["a"] and ledger.active(later) == []
    assert ledger.unused_id("b") == "b#2"
    with pytest.raises(ValueError):
        ledger.sign(Contract("c", "lynas", "CHN", Material.NDPR, 1.0, 1.0, later, later))


def test_reputation_is_the_delivered_share_published_each_period():
    ledger = ContractLedger()
    contract = Contract("a", "seller", "JPN", Material.NDPR, 400.0, 50.0, Quarter(2012, 1), Quarter(2015, 4))
    ledger.sign(contract)
    for i, delivered in enumerate((100.0, 100.0, 50.0, 0.0)):
        ledger.record_delivery(Quarter(2012, 1) + i, contract, 100.0, delivered, "" if delivered else "embargo")
    assert ledger.reputation("seller") == 1.0  # not published yet
    ledger.publish_reputations(Quarter(2012, 4), 4)  # a period of four quarters
    assert ledger.reputation("seller") == pytest.approx(0.625)


def test_high_prices_bring_investment_in_new_capacity(trawler):
    session = play(trawler, "passive", seed=0)
    expansions = [p for p in session.world.projects.values() if p.origin == "expansion"]
    assert expansions, "firms should expand when margins pay back"
    assert any(p.started is not None for p in expansions)  # some approved and under way


# ----------------------------------------------------------------------------- approval


def test_a_partner_nation_approves_a_project_before_it_is_built_sooner_with_foreign_money(trawler):
    from game.actions import InvestInProject

    def quarters_waiting(seed: int, invest: bool) -> int:
        session = Session(trawler, seed=seed)
        world = session.world
        world.open_turn()
        project = world.projects["dong-pao-mine"]  # hosted by Vietnam, a partner nation
        if invest:
            assert session.submit(InvestInProject("dong-pao-mine", 30.0, 3000.0, 10)).accepted
        else:
            world.investment.propose_project(project)
        assert project.started is None  # waiting for Vietnam's approval
        waited = 0
        while project.started is None and not session.is_over:
            session.end_turn()
            world.open_turn()
            waited += 1
        return waited

    with_money = [quarters_waiting(seed, True) for seed in range(12)]
    without = [quarters_waiting(seed, False) for seed in range(12)]
    assert sum(with_money) < sum(without)


def test_scheduled_historical_starts_need_no_approval(trawler):
    session = play(trawler, turns=1)
    assert session.world.projects["lamp-phase1"].started == Quarter(2010, 3)


def test_a_failed_firm_is_for_sale_only_once_it_has_waited_its_quarters(trawler):
    session = Session(trawler, seed=0)
    world = session.world
    firm = world.firm("baotou-separation")
    assert not firm.is_for_sale(world.quarter)  # working: nobody buys it
    firm.go_bankrupt(world.quarter)
    wait = world.assumptions.quarters_before_restart
    assert not firm.is_for_sale(world.quarter + (wait - 1))
    assert firm.is_for_sale(world.quarter + wait)
    # however well it would do, it cannot be restarted before it is for sale
    assert not firm.can_restart(world.quarter + (wait - 1), margin_share=10.0)
    assert firm.can_restart(world.quarter + wait, margin_share=10.0)
