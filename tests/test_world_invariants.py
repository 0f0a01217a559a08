"""Invariants of the world that must hold in every turn, whatever the strategy.

``TurnChecker`` plays a session turn by turn, through the same doors as a player (open the
turn, submit actions, end the turn), and after each door checks what must hold whoever acts:
mass balance of every material, nothing negative, nothing NaN, budgets and political capital
that change by exactly what the rules say, and contracts that deliver or record a breach.
``tests/test_random_play.py`` drives it with random actions; the tests here with the game's
own strategies.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np
import pytest
from conftest import play

from agents.buyers import ManufacturerFirm
from game.actions import Action, InvestInProject
from game.controllers import PassiveController
from game.facilitation import FACILITATOR
from game.players import controller_for
from game.scenario import load_level, shipped_level_paths
from game.session import ActionRecord, Session
from game.spec import BudgetGrant
from game.trade_controls import ImposeEmbargo
from game.vocab.materials import MATERIALS, Material
from game.world.contracts import Contract
from game.world.views import deep_sea_next_stage

#: Relative tolerance of a balance (sums of the same money or tonnes taken in another order).
RELATIVE = 1e-9
#: Kinds whose whole cost leaves the acting nation's budget the moment they are taken: the
#: ``amount_musd`` they name. (A new lever that spends money must be added here or to
#: ``expected_budget_changes``: until it is, the ledger check fails on its first use.)
PAID_AT_ONCE = ("invest_in_project", "refinance_supplier", "fund_recycling", "fund_magnet_research",
                "support_industry")


def firm_held(world) -> np.ndarray:
    return sum((f.held_material() for f in world.firm_list), np.zeros(3))


def stockpiled(world) -> np.ndarray:
    return sum((n.stockpile for n in world.nation_list), np.zeros(3))


def close(a: float, b: float, scale: float = 1.0) -> bool:
    """a == b up to rounding, relative to the larger of |a|, |b| and ``scale``."""
    return abs(a - b) <= RELATIVE * max(abs(a), abs(b), scale)


def bids_musd(purchase_orders) -> float:
    """What stockpile bids may cost at most: every tonne at its bid's highest price."""
    return sum(tonnes * price / 1000.0 for _, tonnes, price in purchase_orders)


def expected_budget_changes(world, action: Action, nation: str) -> dict[str, float] | None:
    """How each nation's budget moves the moment ``action`` is taken, read before it is
    applied: the price of the lever as the rules state it (None where the action names
    nothing that exists, so it cannot be taken). Stockpile bids and releases are settled by
    the market when the quarter runs (``TurnChecker.check_budgets_settle``)."""
    if action.kind in PAID_AT_ONCE:
        return {nation: -action.amount_musd}
    if action.kind == "fund_deep_sea":
        stage = deep_sea_next_stage(world, nation)
        return None if stage is None else {nation: -stage.cost_musd}
    if action.kind == "set_collection_rules" and world.has_nation(nation):
        return {nation: -action.yearly_cost(world, nation) / 4.0}  # this quarter's; later ones as they open
    if action.kind == "refuse_project":  # its investors get their money back
        project = world.projects.get(action.project)
        return None if project is None else dict(project.funders)
    if action.kind == "inject_event":
        if not 0 <= action.event < len(world.scenario.events):
            return None
        effect = world.scenario.events[action.event].effect
        return {effect.nation: effect.musd} if isinstance(effect, BudgetGrant) else {}
    return {}


def books_fingerprint(world) -> bytes:
    """Every nation's money, capital, rules, stocks, orders, tensions and partners, every firm's
    money, stock and capacity, and how many contracts, projects, news and events the world
    holds, as bytes: a refused action must leave all of it as it was."""
    parts = []
    for n in world.nation_list:
        parts.append(np.array([n.budget_musd, n.political_capital, n.collection_rate,
                               n.collection_cost_musd_per_quarter, *n.stockpile, *n.release_orders]).tobytes())
        parts.append(repr((n.purchase_orders, sorted(n.tension.items()), sorted(n.partners))).encode())
    for f in world.firm_list:
        parts.append(np.array([f.cash_musd, f.debt_musd, f.capacity_tpy, *f.held_material()]).tobytes())
    parts.append(repr((len(world.ledger.contracts), len(world.projects), len(world.news), len(world.events))).encode())
    return b"".join(parts)


@dataclass
class NationBooks:
    budget: float
    capital: float
    royalties: float
    stockpile: np.ndarray
    release_orders: np.ndarray
    bids: list

    @classmethod
    def of(cls, nation) -> NationBooks:
        return cls(nation.budget_musd, nation.political_capital, nation.royalties_musd, nation.stockpile.copy(),
                   nation.release_orders.copy(), list(nation.purchase_orders))


class TurnChecker:
    """Plays ``session`` one door at a time and checks the world after each (see the module's
    docstring). ``checks`` counts what was checked, so a test can see that it checked something."""

    def __init__(self, session: Session):
        self.session = session
        self.checks = {"turns": 0, "taken": 0, "refused": 0, "deliveries": 0, "breaches": 0}
        check_state(session.world, [])

    @property
    def world(self):
        return self.session.world

    def books(self) -> dict[str, NationBooks]:
        return {n.code: NationBooks.of(n) for n in self.world.nation_list}

    # ------------------------------------------------------------------ the doors

    def open_turn(self) -> None:
        """Budgets arrive and the quarter's events fire: each budget rises by its allowance, less
        what its collection rules cost, plus the grants of the events that fired."""
        world = self.world
        self.firms_before, self.stock_before = firm_held(world), stockpiled(world)
        self.cancelled_before = {c.id for c in world.ledger.contracts if c.cancelled}
        before = self.books()
        waiting = world.events.waiting()
        costs = {n.code: n.budget_per_quarter_musd - n.collection_cost_musd_per_quarter for n in world.nation_list}
        self.session.open_turn()
        still = {id(e) for e in world.events.waiting()}
        grants: dict[str, float] = {}
        for event in waiting:
            if id(event) not in still and isinstance(event.effect, BudgetGrant):
                grants[event.effect.nation] = grants.get(event.effect.nation, 0.0) + event.effect.musd
        for nation in world.nation_list:
            expected = before[nation.code].budget + costs[nation.code] + grants.get(nation.code, 0.0)
            assert close(nation.budget_musd, expected, 1.0), (world.quarter, nation.code, nation.budget_musd, expected)

    def submit(self, action: Action, nation: str) -> ActionRecord:
        """A taken action moves budgets by its stated cost and capital by its own; a refused one
        changes nothing at all, and says why. Neither may raise."""
        world = self.world
        fingerprint = books_fingerprint(world)
        before = self.books()
        spends = expected_budget_changes(world, action, nation)
        record = self.session.submit(action, nation=nation)
        assert record.message and "\n" not in record.message, record
        if not record.accepted:
            self.checks["refused"] += 1
            assert books_fingerprint(world) == fingerprint, f"refused {action} changed the world"
            return record
        self.checks["taken"] += 1
        assert spends is not None, f"{action} was taken, naming what does not exist"
        pays_capital = nation != FACILITATOR and nation not in self.session.companies
        for code, books in before.items():
            now = world.nation(code)
            expected = books.budget + spends.get(code, 0.0)
            assert close(now.budget_musd, expected, 1.0), (world.quarter, action, code, now.budget_musd, expected)
            capital = books.capital - (action.capital if code == nation and pays_capital else 0.0)
            assert close(now.political_capital, capital), (action, code, now.political_capital, capital)
        if spends.get(nation, 0.0) < 0 or action.kind == "buy_stockpile":
            # The game takes a spending lever only if the budget left covers it.
            acting = world.nation(nation)
            left = acting.budget_musd - bids_musd(acting.purchase_orders)
            assert left >= -RELATIVE * max(1.0, abs(acting.budget_musd)), (action, left)
        if pays_capital:
            assert world.nation(nation).political_capital >= -1e-9, (action, world.nation(nation).political_capital)
        return record

    def end_turn(self) -> None:
        """The quarter runs: then every invariant of a played quarter is checked."""
        world = self.world
        before = self.books()
        quarter = world.quarter
        deliveries, breaches = len(world.ledger.deliveries), len(world.ledger.breaches)
        news = len(world.news)
        self.session.end_turn()
        self.checks["turns"] += 1
        check_projects_are_one_each(world.news[news:])
        check_mass_balance(world, self.firms_before, self.stock_before)
        self.check_budgets_settle(before)
        self.check_contracts(quarter, world.ledger.deliveries[deliveries:], world.ledger.breaches[breaches:])
        check_state(world, self.session.rows()[-1:])

    def play_turn(self, actions: list[tuple[Action, str]]) -> list[ActionRecord]:
        self.open_turn()
        records = [self.submit(action, nation) for action, nation in actions]
        self.end_turn()
        return records

    # ------------------------------------------------------------------ the quarter's checks

    def check_budgets_settle(self, before: dict[str, NationBooks]) -> None:
        """While the quarter runs a budget moves only by stockpile sales (at the nation's price),
        royalties, and what its stockpile cost it (``stock_bought_musd``: purchases at the price
        paid, at no more than the bids' highest prices, and deliveries it took in): the ledger
        closes exactly."""
        world = self.world
        for nation in world.nation_list:
            books = before[nation.code]
            i = world.nation_index(nation.code)
            revenue = float(nation.released_t @ world.prices[i]) / 1000.0
            royalties = nation.royalties_musd - books.royalties
            paid = books.budget + revenue + royalties - nation.budget_musd  # for its stockpile
            bid = bids_musd(books.bids)
            tolerance = RELATIVE * max(1.0, abs(books.budget), revenue, royalties, bid, nation.stock_bought_musd)
            where = (world.quarter - 1, nation.code, paid, bid, nation.stock_bought_musd)
            assert abs(paid - nation.stock_bought_musd) <= tolerance, where
            assert nation.stock_bought_musd >= 0.0, where
            if all(any(b.uses(m) for b in world.buyers_in[nation.code]) for m in range(3)):
                assert paid <= bid + tolerance, where  # no deliveries taken in: only purchases
            assert np.all(nation.released_t <= books.release_orders + 1e-9), (where, nation.released_t)
            bought = nation.stockpile - books.stockpile + nation.released_t
            ordered = np.zeros(3)
            for m, tonnes, _ in books.bids:
                ordered[m] += tonnes
            assert np.all(bought >= -1e-9 * np.maximum(1.0, nation.stockpile)), (where, bought)
            for m in range(len(bought)):
                if any(b.uses(m) for b in world.buyers_in[nation.code]):  # else the state takes deliveries
                    assert bought[m] <= ordered[m] + 1e-9 * max(1.0, ordered[m]), (where, m, bought, ordered)
            if bought.sum() <= 1e-9:
                assert abs(paid) <= tolerance, where

    def check_contracts(self, quarter, deliveries, breaches) -> None:
        """Every contract in force this quarter recorded one delivery; one that fell short of
        what was due recorded a breach with its reason; none delivered more than was due."""
        world = self.world
        due = {c.id: c for c in world.ledger.contracts if c.start <= quarter <= c.end
               and not (c.cancelled and c.id in self.cancelled_before)}
        assert sorted(d.contract_id for d in deliveries) == sorted(due), (quarter, "deliveries do not match contracts")
        breached = {b.contract_id: b for b in breaches}
        assert len(breached) == len(breaches), (quarter, "a contract breached twice in one quarter")
        for delivery in deliveries:
            contract = due[delivery.contract_id]
            assert delivery.quarter == quarter
            assert math.isfinite(delivery.due_t) and math.isfinite(delivery.delivered_t), delivery
            assert 0.0 <= delivery.delivered_t <= delivery.due_t * (1 + RELATIVE) + 1e-12, delivery
            assert delivery.due_t <= contract.due_per_turn * (1 + RELATIVE), (delivery, contract)
            if contract.share_of_output == 0:
                assert close(delivery.due_t, contract.due_per_turn), (delivery, contract)
            short = delivery.delivered_t < delivery.due_t * (1.0 - 1e-9)
            assert short == (delivery.contract_id in breached), (delivery, breached.get(delivery.contract_id))
            if short:
                breach = breached[delivery.contract_id]
                assert breach.reason, breach
                assert (breach.due_t, breach.delivered_t) == (delivery.due_t, delivery.delivered_t), breach
        self.checks["deliveries"] += len(deliveries)
        self.checks["breaches"] += len(breaches)


def check_projects_are_one_each(news) -> None:
    """No two projects under one id: each project is proposed, approved or started at most once
    in a quarter (a second project under the same id replaces the first in the world's list,
    and the first, paid for, is never built)."""
    said = Counter((dict(item.fields).get("project_id"), item.template) for item in news if item.kind == "project")
    twice = [key for key, count in said.items() if key[0] is not None and count > 1]
    assert not twice, twice


def check_mass_balance(world, firms_before: np.ndarray, stock_before: np.ndarray) -> None:
    """sources = mined + recycled + released; sinks = consumed + change in firms' held +
    stockpiled, for every material."""
    flows = world.flows
    firms_change = firm_held(world) - firms_before
    stock_change = stockpiled(world) - stock_before
    sources = flows["mined"] + flows["recycled"] + flows["released"]
    sinks = flows["consumed"] + firms_change + flows["stockpiled"]
    scale = np.maximum(np.abs(sources) + np.abs(sinks), 1.0)
    assert np.all(np.abs(sources - sinks) <= RELATIVE * scale), (world.quarter - 1, sources, sinks)
    assert np.allclose(stock_change, flows["stockpiled"] - flows["released"], rtol=RELATIVE, atol=1e-9)
    for kind, flow in flows.items():
        assert np.all(flow >= -1e-9) and np.all(np.isfinite(flow)), (kind, flow)


def check_state(world, rows: list[dict]) -> None:
    """Nothing negative (stock in any form, capacity, prices), nothing NaN or infinite (prices,
    money, the rows), and no project waiting for approval that the world no longer has."""
    for firm in world.firm_list:
        for part in ("inventory", "concentrate", "magnets"):
            held = getattr(firm, part, None)
            if isinstance(held, np.ndarray):
                assert np.all(np.isfinite(held)) and np.all(held >= -1e-9), (firm, part, held)
        assert math.isfinite(firm.capacity_tpy) and firm.capacity_tpy >= 0, (firm, firm.capacity_tpy)
        assert math.isfinite(firm.cash_musd) and math.isfinite(firm.debt_musd), (firm, firm.cash_musd, firm.debt_musd)
        assert firm.debt_musd >= -1e-9, (firm, firm.debt_musd)
    for nation in world.nation_list:
        assert np.all(np.isfinite(nation.stockpile)) and np.all(nation.stockpile >= -1e-9), (nation, nation.stockpile)
        assert math.isfinite(nation.budget_musd), (nation, nation.budget_musd)
        assert math.isfinite(nation.political_capital) and nation.political_capital >= -1e-9, nation
        assert all(0.0 <= t <= 1.0 for t in nation.tension.values()), (nation, nation.tension)
    assert np.all(np.isfinite(world.prices)) and np.all(world.prices >= 0), world.prices
    for code in world.nation_codes:  # a project waiting for a host is one of the world's projects
        for project in world.investment.awaiting_approval(code):
            assert world.projects.get(project.id) is project, (code, project.id, "awaits approval but is gone")
    for row in rows:
        for column, value in row.items():
            if isinstance(value, float):
                assert math.isfinite(value), (row["quarter"], column, value)
                # Rounding may leave a difference of tonnes a hair below zero (see
                # test_rows_hold_no_negative_tonnes_even_by_rounding); a budget may be overdrawn.
                assert value >= -1e-9 or "budget" in column, (row["quarter"], column, value)


def play_checked(session: Session, strategy: str) -> TurnChecker:
    """Play the level to its end with a strategy deciding Japan's actions, door by door, as
    ``Session.play_turn`` would (the controller decides after the quarter's events)."""
    checker = TurnChecker(session)
    controller = controller_for(strategy, session.scenario)
    while not session.is_over:
        checker.open_turn()
        for action in controller.decide(session.world, session.scenario):
            checker.submit(action, "JPN")
        checker.end_turn()
    return checker


@pytest.mark.parametrize("strategy", ["passive", "history"])
@pytest.mark.parametrize("seed", [0, 7])
def test_mass_balance_holds_for_every_material_and_turn(trawler, strategy, seed):
    session = Session(trawler, controller_for(strategy, trawler), seed=seed)
    world = session.world
    while not session.is_over:
        firms_before, stock_before = firm_held(world), stockpiled(world)
        session.play_turn()
        check_mass_balance(world, firms_before, stock_before)
        assert world.flows["mined"].sum() > 0 and world.flows["consumed"].sum() > 0


@pytest.mark.parametrize("strategy", ["passive", "history"])
def test_no_negative_stock_capacity_or_price_and_no_nan(trawler, strategy):
    session = Session(trawler, controller_for(strategy, trawler), seed=3)
    while not session.is_over:
        session.play_turn()
        check_state(session.world, [])
    check_state(session.world, session.rows())


def test_checked_turns_give_the_history_of_play_turn(trawler):
    """The checker plays through the same doors as ``Session.play_turn``: the same history."""
    checked = Session(trawler, seed=1)
    play_checked(checked, "bot")
    assert checked.rows() == play(trawler, "bot", seed=1).rows()


@pytest.mark.parametrize("level", [path.stem for path in shipped_level_paths()])
def test_budgets_add_up_and_contracts_deliver_or_breach_in_every_level(level):
    """The bot plays each level (it buys, releases, invests, funds the seabed): every budget
    moves by exactly what the rules say, every contract due delivers or records a breach."""
    scenario = load_level(next(p for p in shipped_level_paths() if p.stem == level))
    # Seed 2: with seed 1 the sandbox's run sets off the bug of two projects under one id
    # (test_a_mine_expanded_twice_in_a_quarter_gets_two_projects).
    session = Session(scenario, seed=2, agent_data=False)
    try:
        checker = play_checked(session, "bot")
    finally:
        session.close()
    assert checker.checks["turns"] == scenario.n_turns
    assert checker.checks["deliveries"] > 0, checker.checks


def test_a_contract_that_falls_short_records_a_breach_with_its_reason():
    """The contract check sees breaches as well as deliveries: a plant short of stock, here a
    recycler owing ten times what it can recover. (The 2014 level's own breaches, a recycler's
    and then IREL's, ended as sellers promised and ran for what they could make and were paid:
    a contract made to fall short does not wait on the world's tuning.)"""
    scenario = load_level(next(p for p in shipped_level_paths() if p.stem == "2014-urban-mining"))
    session = Session(scenario, seed=0)
    recycler = session.world.firm("showa-denko-vietnam")
    session.world.ledger.sign(Contract("test-beyond-its-scrap", recycler.firm_id, "JPN", Material.NDPR,
                                       10.0 * recycler.capacity_tpy, 50.0, scenario.start, scenario.end))
    checker = play_checked(session, "passive")
    assert checker.checks["deliveries"] > 0 and checker.checks["breaches"] > 0, checker.checks


def test_an_embargo_imposed_by_a_team_breaches_contracts_with_the_embargo_as_reason():
    """China, played in the hot seat, halts exports to the EU: the Chinese plants' contracts
    with the EU fall short and record the embargo as their reason."""
    spike = load_level(next(p for p in shipped_level_paths() if p.stem == "2011-spike"))
    session = Session(spike, seed=0, others={"CHN": PassiveController()})
    checker = TurnChecker(session)
    [record] = checker.play_turn([(ImposeEmbargo("EU"), "CHN")])
    assert record.accepted, record.message
    world = session.world
    halted = [b for b in world.ledger.breaches if b.quarter == spike.start and b.buyer == "EU"
              and world.firm(b.seller).nation == "CHN"]
    assert halted and all(b.reason == "embargo" for b in halted), halted


def test_a_nation_without_an_industry_for_a_delivery_takes_it_into_its_stockpile_and_pays_for_it(trawler):
    """A contract to a nation none of whose firms use the material: the state takes the tonnes
    and pays the contract's price (it once took them free while the seller was paid)."""
    session = Session(trawler, seed=0, agent_data=False)
    world = session.world
    ndpr = Material.NDPR
    m = MATERIALS.index(ndpr)
    taker = next(n.code for n in world.nation_list if not any(b.uses(m) for b in world.buyers_in[n.code]))
    seller = max((s for s in world.sellers if s.nation != taker and s.alive), key=lambda s: s.inventory[m])
    world.ledger.sign(Contract("test-take-in", seller.firm_id, taker, ndpr, 400.0, 50.0, trawler.start, trawler.end))
    before = world.nation(taker).stockpile[m]
    checker = TurnChecker(session)
    checker.play_turn([])
    [delivery] = [d for d in world.ledger.deliveries if d.contract_id == "test-take-in"]
    assert delivery.delivered_t > 0, delivery
    nation = world.nation(taker)
    assert nation.stockpile[m] - before == pytest.approx(delivery.delivered_t)
    assert nation.stock_bought_musd == pytest.approx(delivery.delivered_t * 50.0 / 1000.0)


def test_funding_a_firm_whose_expansion_awaits_approval_keeps_the_approval_queue_sound():
    """Sandbox, seed 0: in 2013Q4 Lynas's plant waits for Malaysia to approve its own expansion
    when Japan puts money into two of its planned projects; Malaysia approves one, which
    replaces the expansion. The queue must hold only the world's projects, and the quarters
    after must run."""
    sandbox = load_level(next(p for p in shipped_level_paths() if p.stem == "sandbox"))
    session = Session(sandbox, seed=0, agent_data=False)
    checker = TurnChecker(session)
    for _ in range(13):
        checker.play_turn([])
    assert str(session.world.quarter) == "2013Q4"
    assert [p.origin for p in session.world.investment.awaiting_approval("MYS")] == ["expansion"]
    records = checker.play_turn([(InvestInProject("lamp-phase2", 10.0), "JPN"),
                                 (InvestInProject("lamp-2030", 10.0), "JPN")])
    assert all(r.accepted for r in records)
    checker.play_turn([])


def test_a_mine_expanded_twice_in_a_quarter_gets_two_projects():
    """Sandbox, the bot, seed 1 (a golden run): no project id is started twice in a quarter."""
    sandbox = load_level(next(p for p in shipped_level_paths() if p.stem == "sandbox"))
    session = Session(sandbox, controller_for("bot", sandbox), seed=1, agent_data=False)
    session.run()
    for quarter in sorted({item.quarter for item in session.world.news}):
        check_projects_are_one_each([item for item in session.world.news if item.quarter == quarter])


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


def test_a_built_world_leaves_mesa_agent_ids_closed_or_not(trawler):
    import mesa

    session = play(trawler, turns=1)
    world = session.world
    assert world not in mesa.Agent._ids  # else a session dropped without close() is never freed
    session.close()
    assert world not in mesa.Agent._ids
