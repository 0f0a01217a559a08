"""Japan's levers: refused actions change nothing; accepted ones act through the world's mechanisms."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from game.actions import (
    WTO_TENSION,
    BuyStockpile,
    FileWtoCase,
    InvestInProject,
    ProposeOfftake,
    ReleaseStockpile,
    action_from_dict,
)
from game.research.env import refusal
from game.session import Session
from game.trade_controls import ImposeEmbargo, LiftEmbargo
from game.ui.levers import LEVERS
from game.vocab.materials import Material
from game.vocab.english import worded_for
from game.world.exchange import _report_stockpile_bids


def snapshot(world):
    return (world.nation("JPN").budget_musd, world.nation("JPN").stockpile.copy(),
            world.nation("JPN").release_orders.copy(), list(world.nation("JPN").purchase_orders),
            {p.id: (p.started, p.funders.copy()) for p in world.projects.values()})


def same(a, b):
    return all(np.array_equal(x, y) if isinstance(x, np.ndarray) else x == y for x, y in zip(a, b))


@pytest.mark.parametrize("action, reason", [
    (ReleaseStockpile(Material.NDPR, 5000.0), "left in the stockpile"),
    (ReleaseStockpile(Material.CELA, 1.0), "left in the stockpile"),
    (BuyStockpile(Material.DYTB, 1000.0, 5000.0), "budget"),
    (BuyStockpile(Material.DYTB, 10.0, 0.0), "above zero"),
    # Nothing to do, yet each was said back in every view of a class: a team's window sent
    # thousands of them and every view grew by each.
    (ReleaseStockpile(Material.DYTB, 0.0), "the tonnes to release must be above zero"),
    (BuyStockpile(Material.NDPR, 0.0, 100.0), "the tonnes to buy must be above zero"),
    (InvestInProject("no-such-project", 10.0), "no project"),
    (InvestInProject("lamp-phase2", 1e6), "budget"),
    (InvestInProject("lamp-phase2", 10.0, offtake_tpy=50000.0), "more than"),
    (InvestInProject("lamp-phase2", 10.0, years=99), "years"),
    # The same oxide twice signed two contracts under one id when the project finished.
    (InvestInProject("lamp-phase2", 10.0, offtake_tpy=10.0, materials=(Material.CELA, Material.CELA)),
     "Ce/La oxide is listed twice"),
    (FileWtoCase("CHN", ("CHN",)), "China cannot join a case against itself"),
    (FileWtoCase("CHN", ("JPN",)), "your own nation is not one of your partners"),
    (FileWtoCase("CHN", ("USA", "USA")), "United States is listed twice"),
])
def test_invalid_actions_are_refused_with_a_reason_and_leave_the_world_untouched(trawler, action, reason):
    session = Session(trawler, seed=0)
    session.open_turn()
    before = snapshot(session.world)
    record = session.submit(action)
    assert not record.accepted and reason in record.message
    assert same(before, snapshot(session.world))


@pytest.mark.parametrize("data, fragment", [
    ({"kind": "nuke_the_market"}, "unknown action kind"),
    ({"kind": "release_stockpile", "material": "gold", "tonnes": 1}, "unknown material"),
    ({"kind": "release_stockpile", "material": "ndpr", "tonnes": -5}, "expected a number from 0"),
    ({"kind": "release_stockpile", "material": "ndpr", "tonnes": float("nan")}, "expected a number"),
    ({"kind": "release_stockpile", "material": "ndpr"}, "missing field 'tonnes'"),
    ({"kind": "release_stockpile", "material": "ndpr", "tonnes": 1, "extra": 2}, "unknown field"),
    ({"kind": "invest_in_project", "project": "lamp-phase2", "amount_musd": 1e12}, "expected a number from 0"),
    ({"kind": "invest_in_project", "project": "lamp-phase2", "amount_musd": 10, "materials": ["ndpr", "cela", "ndpr"]},
     "invest_in_project.materials: 'ndpr' is listed twice"),
    ({"kind": "impose_embargo", "partner": "JPN", "materials": ["dytb", "dytb"]}, "'dytb' is listed twice"),
    ({"kind": "file_wto_case", "partners": ["USA", "EU", "USA"]}, "file_wto_case.partners: 'USA' is listed twice"),
    # Names no world holds and no window draws (said back, they broke every window of a class).
    ({"kind": "hold_talks", "partner": "\u202eNHC"}, r"hold_talks.partner: .* control or format character \(U\+202E\)"),
    ({"kind": "file_wto_case", "partners": ["EU", "a\x00b"]}, r"file_wto_case.partners: .* \(U\+0000\)"),
    ({"kind": "hold_talks", "partner": "\u0301"}, "hold_talks.partner: a name that shows nothing"),
    ({"kind": "hold_talks", "partner": "CHN" * 100}, "a name of 300 characters"),
    ({"kind": "inject_event", "event": 10**400}, "inject_event.event: expected a whole number .* 401 digits"),
])
def test_actions_from_data_reject_absurd_input_naming_the_field(data, fragment):
    with pytest.raises(ValueError, match=fragment):
        action_from_dict(data)


@pytest.mark.parametrize("data", [
    {"kind": "k" * 5000},
    {"kind": 10**300},
    {"kind": {"nested": [1] * 1000}},
    {"kind": "release_stockpile", "material": "ndpr", "tonnes": 1, "x" * 5000: 2},
    {"kind": "release_stockpile", "material": "m" * 5000, "tonnes": 1},
])
def test_a_refusal_never_repeats_a_huge_value_back(data):
    """A window's message may be 64 KiB: what it gets back is one short line, not its own text."""
    with pytest.raises(ValueError) as refused:
        action_from_dict(data)
    # The line names the kinds or fields it expects (up to about 450 characters), and at most 60
    # characters of the value it refuses.
    assert len(str(refused.value)) < 600 and "\n" not in str(refused.value)


def test_a_stockpile_release_lowers_japans_price_that_quarter(trawler):
    def halt_quarter_price(release: float) -> float:
        session = Session(trawler, seed=0)
        session.play_turn()  # 2010Q3
        session.open_turn()  # 2010Q4: the halt
        if release:
            assert session.submit(ReleaseStockpile(Material.DYTB, release)).accepted
        session.end_turn()
        return session.rows()[-1]["price_dytb_japan"]

    assert halt_quarter_price(80.0) < halt_quarter_price(0.0)


def test_an_unsold_release_goes_back_into_the_stockpile(trawler):
    session = Session(trawler, seed=0)
    world = session.world
    world.open_turn()
    stock = world.nation("JPN").stockpile.copy()
    session.submit(ReleaseStockpile(Material.NDPR, 700.0))
    session.end_turn()
    sold = world.flows["released"][0]
    assert 0 <= sold <= 700.0
    assert world.nation("JPN").stockpile[0] == pytest.approx(stock[0] - sold)
    assert world.nation("JPN").release_orders.sum() == 0  # orders last one turn


def test_buying_for_the_stockpile_pays_the_market_price_and_fills_the_stockpile(trawler):
    session = Session(trawler, seed=0)
    world = session.world
    world.open_turn()
    budget = world.nation("JPN").budget_musd
    assert session.submit(BuyStockpile(Material.CELA, 200.0, 100.0)).accepted
    session.end_turn()
    bought = world.flows["stockpiled"][2]
    assert bought == pytest.approx(200.0)
    price = session.rows()[-1]["price_cela_japan"]
    spent = budget - world.nation("JPN").budget_musd
    assert spent == pytest.approx(bought * price / 1000.0)


def test_what_a_stockpile_bid_bought_is_news_even_when_it_bought_nothing(trawler):
    # A bid capped below the price went without a word: the stockpile stayed empty, the money
    # came back, and the player waited for stock that never came.
    session = Session(trawler, seed=0)
    world = session.world
    world.open_turn()
    assert session.submit(BuyStockpile(Material.CELA, 200.0, 100.0)).accepted
    assert session.submit(BuyStockpile(Material.NDPR, 250.0, 1.0)).accepted
    session.end_turn()
    lines = {item.headline for item in world.news if item.kind == "stockpile"}
    price = session.rows()[-1]
    assert lines == {
        f"Japan's stockpile buys none of the 250 t of NdPr oxide it bid for: the price, "
        f"US${price['price_ndpr_japan']:,.2f}/kg, was above its cap of US$1.00/kg; the money stays in the budget",
        f"Japan's stockpile buys 200 t of Ce/La oxide at US${price['price_cela_japan']:,.2f}/kg",
    }


def test_investing_puts_a_waiting_project_up_for_approval_and_its_offtake_follows_once_built(trawler):
    session = Session(trawler, seed=0)
    world = session.world
    world.open_turn()
    project = world.projects["lamp-phase2"]
    assert project.started is None
    assert session.submit(InvestInProject("lamp-phase2", 50.0, offtake_tpy=2000.0, years=10,
                                          materials=(Material.NDPR, Material.DYTB))).accepted
    assert project.funders == {"JPN": 50.0}
    capacity = world.firm("lynas-lamp").capacity_tpy
    while not session.is_over and not project.done:
        session.end_turn()
        world.open_turn()
    assert project.started is not None  # Malaysia approved it
    if project.done:  # it can slip past the level's end on an unlucky seed
        assert world.firm("lynas-lamp").capacity_tpy > capacity
        offtakes = [c for c in world.ledger.contracts if c.id.startswith("lamp-phase2-offtake")]
        assert {c.material for c in offtakes} == {Material.NDPR, Material.DYTB}
        assert sum(c.tonnes_per_year for c in offtakes) == pytest.approx(2000.0)


def test_the_same_action_list_replays_to_the_same_history(trawler):
    def run():
        session = Session(trawler, seed=5)
        session.open_turn()
        session.submit(ReleaseStockpile(Material.NDPR, 100.0))
        session.run()
        return session.rows()
    assert run() == run()


def test_actions_are_data(trawler):
    action = InvestInProject("lamp-phase2", 250.0, 8500.0, 10)
    assert action_from_dict(copy.deepcopy(action.to_dict())) == action


def test_a_refused_deep_sea_stage_changes_nothing():
    """Checking the deep-sea lever must not begin the programme: beginning it draws a generator
    from the world's, so a refusal would change every later draw (and a replay, which submits
    only accepted actions, would differ from the game played)."""
    import dataclasses

    from game.actions import FundDeepSea, FundMagnetResearch
    from game.research.runner import scenario_for
    from game.session import Session

    level = dataclasses.replace(scenario_for("sandbox"), unlocked_actions=())
    tried, untried = Session(level, seed=3), Session(level, seed=3)
    for session in (tried, untried):
        session.open_turn()
        assert session.submit(FundMagnetResearch(session.world.nation("JPN").budget_musd - 1)).accepted
    assert not tried.submit(FundDeepSea()).accepted  # over budget
    for session in (tried, untried):
        for _ in range(30):
            session.end_turn()
    assert tried.rows() == untried.rows()
    tried.close()
    untried.close()


def test_an_amount_too_small_to_be_a_quantity_is_refused_not_carried_into_the_world(trawler):
    """5e-324 tonnes a year is above zero, but a quarter of it is 0: the offtake's menu crashed."""
    with pytest.raises(ValueError, match="at least 0.000001"):
        action_from_dict({"kind": "propose_offtake", "seller": "lynas-lamp", "material": "ndpr",
                          "tonnes_per_year": 5e-324, "years": 5, "price_usd_per_kg": 45})
    session = Session(trawler, seed=0)
    record = session.submit(ProposeOfftake("lynas-lamp", Material.NDPR, 5e-324, 5, 45.0))
    assert not record.accepted
    session.end_turn()
    session.close()


def test_an_exporter_cannot_name_a_material_twice(trawler):
    from game.trade_controls import ImposeEmbargo, LicenceExports
    world = Session(trawler, seed=0).world
    assert str(ImposeEmbargo("JPN", (Material.NDPR, Material.NDPR)).check(world, "CHN")) == "NdPr oxide is listed twice"
    assert "listed twice" in str(LicenceExports("JPN", 0.5, (Material.DYTB, Material.CELA, Material.DYTB)).check(world, "CHN"))
    assert ImposeEmbargo("JPN", (Material.NDPR,)).check(world, "CHN") is None


def test_an_offtake_id_a_level_already_gave_a_contract_gets_one_of_its_own(trawler):
    """A level contract may carry the id the world would give an investor's offtake: the
    offtake then signs under the id with #2, where it crashed the world when the project finished."""
    from dataclasses import replace

    from game.spec import ContractSpec
    taken = "mt-weld-concentrator-offtake-1-ndpr"
    contract = ContractSpec(taken, "lynas-lamp", "JPN", Material.NDPR, 100.0, 50.0, trawler.start, trawler.end)
    level = replace(trawler, world=replace(trawler.world, contracts=(*trawler.world.contracts, contract)))
    session = Session(level, seed=0)
    session.open_turn()
    assert session.submit(InvestInProject("mt-weld-concentrator", 20.0, offtake_tpy=100.0, years=10)).accepted
    while not session.world.projects["mt-weld-concentrator"].done and not session.is_over:
        session.play_turn()
    ids = [c.id for c in session.world.ledger.contracts]
    assert session.world.projects["mt-weld-concentrator"].done
    assert ids.count(taken) == 1 and f"{taken}#2" in ids


def test_an_action_after_the_level_is_over_is_refused_and_changes_nothing():
    """End turn was refused once the level was over, but an action was taken: it spent the budget
    in a quarter after the level's end, and saves held it."""
    from game.scenario import find_level, load_level

    session = Session(load_level(find_level("2010-trawler")), seed=4)
    while not session.is_over:
        session.play_turn()
    budget, taken = session.world.nation("JPN").budget_musd, len(session.actions)
    record = session.submit(ReleaseStockpile(Material.NDPR, 50.0))
    assert not record.accepted and "the level is over" in str(record.message)
    assert session.world.nation("JPN").budget_musd == budget and len(session.actions) == taken
    assert session.undo() is None
    session.close()


def test_each_levers_explanation_is_the_same_when_python_drops_docstrings():
    """Under ``python -OO`` the handouts and the teams' lever help showed each dataclass's
    signature ("ReleaseStockpile(material: 'Material', tonnes: 'float')") for its explanation."""
    import json
    import subprocess
    import sys

    from conftest import REPO_ROOT

    from game.action_base import ACTION_TYPES, explanation

    script = ("import json\nfrom game.actions import ACTION_TYPES\nfrom game.action_base import explanation\n"
              "print(json.dumps({kind: explanation(cls) for kind, cls in ACTION_TYPES.items()}))")
    done = subprocess.run([sys.executable, "-OO", "-c", script], capture_output=True, text=True, cwd=REPO_ROOT,
                          timeout=120, check=True)
    here = {kind: explanation(cls) for kind, cls in ACTION_TYPES.items()}
    assert json.loads(done.stdout) == here and all(here.values())


def test_money_put_into_a_project_twice_buys_no_more_than_all_of_it_once(trawler):
    """Each grant was worked out from all the money put in, without the offtakes already held: a
    second US$100M in a 26,000 t/yr mine gave 24,700 t/yr on top of the first's 12,882."""
    session = Session(trawler, seed=0)
    session.open_turn()
    world = session.world
    project = world.projects["lamp-phase2"]
    first = session.submit(InvestInProject("lamp-phase2", 25.0, offtake_tpy=project.adds_tpy))
    second = session.submit(InvestInProject("lamp-phase2", 25.0, offtake_tpy=project.adds_tpy))
    assert first.accepted and second.accepted
    held = sum(tonnes for buyer, tonnes, *_ in project.offtakes if buyer == "JPN")
    assert held == pytest.approx(world.investment.offtake_right_tpy(project, 50.0))
    assert held <= project.adds_tpy
    third = world.investment.offtake_open_tpy(project, "JPN", 0.0)
    assert third == pytest.approx(0.0, abs=1e-9)


def _case_filed_against_china(trawler, capital: float):
    """A session on its first turn in which Japan, holding ``capital`` political capital, has
    filed a WTO case against China (taken); the session and its world."""
    session = Session(trawler, seed=0)
    session.open_turn()
    world = session.world
    world.nation("JPN").political_capital = capital
    assert session.submit(FileWtoCase("CHN")).accepted
    return session, world


def test_a_wto_case_already_filed_is_not_filed_again_but_partners_may_still_join_it(trawler):
    # A double click on Take action filed Japan's case twice: 4 political capital and a rise in
    # tension more, for a case that already named Japan.
    session, world = _case_filed_against_china(trawler, capital=12.0)
    capital, tension = world.nation("JPN").political_capital, world.nation("CHN").tension["JPN"]
    again = session.submit(FileWtoCase("CHN"))
    assert not again.accepted and "before the WTO already" in again.message
    assert (world.nation("JPN").political_capital, world.nation("CHN").tension["JPN"]) == (capital, tension)
    joined = session.submit(FileWtoCase("CHN", ("USA",)))  # still at consultations: the US may join
    assert joined.accepted and world.diplomacy.case_against("CHN").complainants == ["JPN", "USA"]
    case = world.diplomacy.case_against("CHN")
    case.stage = 2  # the appeal: nobody joins now
    late = session.submit(FileWtoCase("CHN", ("EU",)))
    assert not late.accepted and "too late for anyone to join" in late.message


def test_a_wto_case_filed_already_says_so_before_it_says_the_capital_is_short(trawler):
    # Filed again with too little political capital left, the case was refused for the capital
    # ("needs 4 political capital, 1 left"), as if more capital would let it through.
    session, world = _case_filed_against_china(trawler, capital=5.0)
    assert world.nation("JPN").political_capital < FileWtoCase.capital
    again = session.submit(FileWtoCase("CHN"))
    assert not again.accepted and "before the WTO already" in again.message
    assert "before the WTO already" in refusal(FileWtoCase("CHN"), world, trawler)  # the research mask agrees
    short = session.submit(FileWtoCase("CHN", ("USA",)))  # one to join it: the capital is what is short
    assert not short.accepted and "political capital" in short.message


def test_an_embargo_in_force_already_or_none_to_lift_says_so_before_the_capital(trawler):
    session = Session(trawler, seed=0)
    session.open_turn()
    session.world.nation("CHN").political_capital = 0.0
    again = session.submit(ImposeEmbargo("JPN"), "CHN")  # the 2010 halt is in force
    assert not again.accepted and "in force already" in again.message
    none = session.submit(LiftEmbargo("USA"), "CHN")
    assert not none.accepted and "no embargo on" in none.message

def test_the_wto_form_says_how_much_filing_raises_tension():
    help_text = next(lever.mechanism for lever in LEVERS if lever.kind == "file_wto_case")
    assert f"raises its tension with Japan by {WTO_TENSION:.2f}" in help_text


def test_a_stockpile_bid_filled_in_part_says_how_much_and_why():
    class World:
        news: list = []

        def report(self, kind, template, source="", **fields):
            self.news.append((kind, worded_for(template, fields).format(**fields), fields["nation_code"]))

    japan = type("Nation", (), {"name": "Japan", "code": "JPN"})()
    world = World()
    _report_stockpile_bids(world, 0, [japan], np.array([120.0]), np.array([250.0]), np.array([230.71]),
                           np.array([230.71]))
    assert world.news == [("stockpile", "Japan's stockpile buys 120 of the 250 t of NdPr oxide it bid for, at "
                           "US$230.71/kg: no more was to be had within its cap of US$230.71/kg", "JPN")]
    # At its cap with nothing offered: not "the price ... was above its cap" of the same figure.
    world.news.clear()
    _report_stockpile_bids(world, 0, [japan], np.array([0.0]), np.array([273.0]), np.array([72.55]),
                           np.array([72.55]))
    assert world.news == [("stockpile", "Japan's stockpile buys none of the 273 t of NdPr oxide it bid for: nothing "
                           "was offered at its cap of US$72.55/kg; the money stays in the budget", "JPN")]
    world.news.clear()  # a bid under a tonne, filled
    _report_stockpile_bids(world, 0, [japan], np.array([0.3]), np.array([0.3]), np.array([80.0]), np.array([70.0]))
    assert world.news == [("stockpile", "Japan's stockpile buys 0.30 t of NdPr oxide at US$70.00/kg", "JPN")]
