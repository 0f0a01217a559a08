"""The trade phase: contracts deliver first, then each material clears on the spot market.

This module turns the world's agents and trade policy into the plain arrays that
``market.clear_market`` solves, and books the result back onto the agents. Countries are
nodes of a small network: per nation a supply side S, a demand side D and an export gate G;
a quota caps S->G, an embargo and licences in tonnes cap G->D, freight, tariffs and licence
friction are arc costs.
"""

from __future__ import annotations

from itertools import compress
from typing import NamedTuple

import mesa
import numpy as np

from agents.buyers import BuyerFirm, MagnetMakerFirm, ManufacturerFirm, bid_steps, plans_of, take_orders_of
from agents.firm import THOUSAND_USD_PER_MILLION
from agents.nation import NationAgent
from agents.producers import SellerReadings, SeparatorFirm, asks_of
from game.vocab.arithmetic import added_up
from game.vocab.materials import MATERIALS, N_MATERIALS
from game.vocab.nations import JAPAN
from game.world.export_controls import Embargo
from game.world.market import MarketProblem, MarketResult, clear_flows, clear_markets

EPSILON_T = 1e-9


class NetworkLayout:
    """Node and arc indices of the trade network, fixed for a world's nations."""

    def __init__(self, n_nations: int):
        self.n = n_nations
        self.n_nodes = 3 * n_nations
        self.supply_node = np.arange(n_nations) * 3
        self.demand_node = self.supply_node + 1
        self.gate_node = self.supply_node + 2
        local = [(3 * i, 3 * i + 1) for i in range(n_nations)]
        gates = [(3 * i, 3 * i + 2) for i in range(n_nations)]
        pairs = [(i, j) for i in range(n_nations) for j in range(n_nations) if i != j]
        exports = [(3 * i + 2, 3 * j + 1) for i, j in pairs]
        arcs = np.array(local + gates + exports, dtype=np.int64)
        self.arc_from, self.arc_to = arcs[:, 0].copy(), arcs[:, 1].copy()
        self.n_arcs = len(arcs)
        self.gate_arcs = slice(n_nations, 2 * n_nations)
        self.export_arcs = slice(2 * n_nations, self.n_arcs)
        self.export_origin = np.array([i for i, _ in pairs], dtype=np.int64)
        self.export_destination = np.array([j for _, j in pairs], dtype=np.int64)
        # The arcs that deliver (the local ones, then the exports) and where each delivers
        # from and to: every (from, to) pair once.
        self.delivering_arcs = np.concatenate((np.arange(n_nations), np.arange(2 * n_nations, self.n_arcs)))
        self.delivers_from = np.concatenate((np.arange(n_nations), self.export_origin))
        self.delivers_to = np.concatenate((np.arange(n_nations), self.export_destination))

    def export_arc(self, origin: int, destination: int) -> int:
        """Index of the arc from origin's export gate to destination's demand side."""
        return self.export_arcs.start + origin * (self.n - 1) + (destination if destination < origin else destination - 1)


class Exchange:
    """The trade phase, and the national stockpile orders that go to market through it.

    Args:
        world: the mesa.Model it belongs to.
    """

    def __init__(self, world: mesa.Model):
        self.world = world

    def run(self) -> None:
        """Phase 5: manufacturers order, contracts deliver, the spot market clears."""
        world = self.world
        self._take_orders()
        remaining_quota = world.policy.quotas_per_turn(world.nation_codes)
        _open_licences(world)  # this quarter's licensed tonnes, before anything ships
        deliver_contracts(world, remaining_quota)
        clear_spot_markets(world, remaining_quota)
        # Recent prices and tonnes for the trading-price indices, as many quarters as they weigh.
        history = world.price_history
        history.append((world.prices.copy(), world.receipts.sum(axis=1).T.copy()))
        while len(history) > world.assumptions.price_index_quarters:
            history.popleft()
        for nation in world.nation_list:
            nation.release_orders[:] = 0.0
            nation.purchase_orders.clear()
        for buyer in world.buyers:
            buyer.support = 0.0  # support is for the quarter it was given

    def update_expectations(self) -> None:
        """Buyers and sellers plan on smoothed prices, which move a share toward this quarter's
        (the world's ``price_expectation_weight``, as firms' own expectations do)."""
        world = self.world
        weight = world.assumptions.price_expectation_weight
        world.expected_prices = (1 - weight) * world.expected_prices + weight * world.prices

    def _take_orders(self) -> None:
        """Manufacturers order magnets from makers at home, shared by the makers' capacity."""
        world = self.world
        manufacturers = world.firms_of(ManufacturerFirm)
        ordered: dict[str, list[float]] = {}  # each nation's orders, manufacturer by manufacturer
        for manufacturer, magnets in zip(manufacturers, plans_of(manufacturers).tolist()):
            ordered.setdefault(manufacturer.nation, []).append(magnets)
        # Each nation's orders shared among its working makers by their quarters' capacity (the
        # makers found in one walk of them, a nation's in the world's order); then every maker
        # takes its share, all at once.
        working: list[list[MagnetMakerFirm]] = [[] for _ in world.nation_codes]
        for maker, nation in zip(world.firms_of(MagnetMakerFirm), world.homes_of(MagnetMakerFirm).tolist()):
            if maker.alive:
                working[nation].append(maker)
        makers: list[MagnetMakerFirm] = []
        magnets: list[float] = []
        for code, home in zip(world.nation_codes, working):
            orders = added_up(ordered.get(code, ()))
            shares = [m.capacity_tpy / 4.0 for m in home]
            capacity = added_up(shares)
            makers += home
            magnets += [orders * share / capacity if capacity > 0 else 0.0 for share in shares]
        take_orders_of(makers, np.array(magnets, dtype=float))

    # ------------------------------------------------------------------ levers

    def order_stockpile_release(self, nation_code: str, material_index: int, tonnes: float) -> None:
        """Offer stockpiled tonnes on the home market this quarter."""
        self.world.nation(nation_code).release_orders[material_index] += tonnes

    def order_stockpile_purchase(self, nation_code: str, material_index: int, tonnes: float,
                                 max_price: float) -> None:
        """Bid for tonnes to add to the stockpile this quarter, at most at ``max_price``."""
        self.world.nation(nation_code).purchase_orders.append((material_index, tonnes, max_price))


def deliver_contracts(world: mesa.Model, remaining_quota: np.ndarray) -> None:
    """Deliver what contracts are due this quarter, before the spot market; record breaches."""
    quarter = world.quarter
    receiving = _Receiving(world)
    for contract in world.ledger.active(quarter):
        seller = world.firm(contract.seller)
        m = MATERIALS.index(contract.material)
        exporter, buyer = world.nation_index(seller.nation), world.nation_index(contract.buyer)
        due = contract.due_from(seller.output_t * float(seller.output_mix()[m]))
        deliverable, reason, extra_cost = due, "", 0.0
        # What the states' measures alone let through: the seller owes damages on what it fails
        # to deliver of that only, whichever limit bound last (a halted seller short of stock too
        # paid for the tonnes the embargo stopped).
        states_allow = due
        if not seller.alive:
            deliverable, reason = 0.0, "seller has closed"
        if exporter != buyer:
            # Under an embargo the open days' share arrives, and what leaks round (at a cost).
            arriving, extra_cost = world.policy.arriving(seller.nation, contract.buyer, contract.material, quarter)
            if arriving < 1.0:
                deliverable, reason = deliverable * arriving, "embargo"
                states_allow *= arriving
            licensed = world.policy.licensed_left(seller.nation, contract.buyer)[m]
            if licensed < deliverable:
                deliverable, reason = max(0.0, licensed), "export licences not approved"
            states_allow = min(states_allow, max(0.0, licensed))
            if remaining_quota[exporter, m] < deliverable:
                deliverable, reason = max(0.0, remaining_quota[exporter, m]), "export quota exhausted"
            states_allow = min(states_allow, max(0.0, remaining_quota[exporter, m]))
        if seller.inventory[m] < deliverable:
            deliverable, reason = seller.inventory[m], "not enough stock"
        world.ledger.record_delivery(quarter, contract, due, deliverable, reason)
        shortfall = due - deliverable
        if shortfall > 1e-9 and shortfall >= 0.01 * due:  # rounding-sized shortfalls are not news
            # Tenths where whole tonnes would read the same ("delivers 25 of the 25 t").
            decimals = 1 if f"{deliverable:,.0f}" == f"{due:,.0f}" else 0
            world.report("breach", "{seller} delivers {delivered:,.{decimals}f} of the {due:,.{decimals}f} t of "
                         "{material} it owes {buyer}: {reason}", seller=seller.name, delivered=deliverable, due=due,
                         decimals=decimals,
                         material=contract.material.label, buyer=world.nation(contract.buyer).name, reason=reason,
                         seller_id=seller.firm_id, buyer_code=contract.buyer, contract_id=contract.id)
        owed = states_allow - deliverable
        if owed > 1e-9:
            # A breach costs the seller the shortfall at the buyer's price, paid to the buyer;
            # what a state's embargo, quota or licences stopped is force majeure and costs it nothing.
            penalty = owed * float(world.prices[buyer, m])
            seller.pay(penalty)
            receiving.book()  # (the buyers' cash changes in the order it did)
            _compensate(world, contract.buyer, m, penalty)
        if deliverable <= 0.0:
            continue
        seller.inventory[m] -= deliverable
        sales = world.sales_this_turn.get(seller)
        if sales is None:
            sales = world.sales_this_turn[seller] = np.zeros(N_MATERIALS)
        sales[m] += deliverable
        if exporter != buyer:
            remaining_quota[exporter, m] -= deliverable
            world.policy.use_licence(seller.nation, contract.buyer, m, deliverable)
        price = contract.price_now(float(world.prices[buyer, m]))
        seller.earn(deliverable * price)
        receiving.receive(contract.buyer, m, deliverable, price + extra_cost)
        world.receipts[m, exporter, buyer] += deliverable
    receiving.book()


def _open_licences(world: mesa.Model) -> None:
    """Once a quarter, before anything ships: the tonnes each exporter licenses this quarter
    (in the news when they change, and every quarter for Japan), and last quarter's leaks."""
    policy, quarter = world.policy, world.quarter
    last = world.last_receipts if world.last_receipts.any() else None  # none before a world's first quarter
    opened = policy.open_licences(quarter, last, world.nation_index, world.assumptions.licence_base_quarters)
    if opened is None:  # done already this quarter
        return
    changed = {id(regime) for regime, _ in opened}
    for regime in policy.licences():
        small = regime.base is not None and regime.approval_rate * regime.base < 0.5
        if regime.partner != JAPAN and (id(regime) not in changed or small):
            continue  # others' licences make news when their tonnes change, and only when there are any
        tonnes = policy.licensed_left(regime.exporter, regime.partner)[MATERIALS.index(regime.material)]
        names = dict(exporter=world.nation(regime.exporter).name, partner=world.nation(regime.partner).name,
                     material=regime.material.label, exporter_code=regime.exporter, partner_code=regime.partner)
        if quarter < regime.approves_from:
            world.report("licence", "{exporter} reviews {material} export licences for {partner}: none approved "
                         "yet, 0 t this quarter", **names)
        elif np.isinf(tonnes):
            world.report("licence", "{exporter} requires {material} export licences for {partner}: what it "
                         "approves this quarter sets the tonnes from next quarter", **names)
        else:
            world.report("licence", "{exporter} approves {rate:.0%} of {material} export licences for {partner}: "
                         "{tonnes:,.0f} t this quarter", rate=regime.approval_rate, tonnes=tonnes, **names)
    if last is None:
        return
    for embargo in policy.embargoes_in(quarter - 1):
        arriving = embargo.arriving_share(quarter - 1)
        if embargo.leakage <= 0.0 or arriving <= 0.0:
            continue
        e, p = world.nation_index(embargo.exporter), world.nation_index(embargo.partner)
        leaked_share = (arriving - embargo.open_share(quarter - 1)) / arriving  # the rest came on open days
        for material in sorted(embargo.materials, key=MATERIALS.index):
            tonnes = leaked_share * float(last[MATERIALS.index(material), e, p])
            if tonnes > 0.5:
                world.report("leakage", "Despite the embargo, about {tonnes:,.0f} t of {material} from {exporter} "
                             "reached {partner} last quarter through third countries or past slowed customs",
                             tonnes=tonnes, material=material.label, exporter=world.nation(embargo.exporter).name,
                             partner=world.nation(embargo.partner).name, exporter_code=embargo.exporter,
                             partner_code=embargo.partner)


def _compensate(world: mesa.Model, nation_code: str, m: int, thousand_usd: float) -> None:
    buyers = [b for b in world.buyers_in[nation_code] if b.requirement[m] > 0] or world.buyers_in[nation_code]
    for buyer in buyers:
        buyer.earn(thousand_usd / len(buyers))


class _Receivers(NamedTuple):
    """A nation's receivers of a material (``_receivers``), with their places in ``_Receiving``."""

    buyers: list[BuyerFirm]
    material: int
    weights: list[float]
    total: float  # of the weights
    places: list[int]  # each buyer's place among the buyers booked (for their cash)
    stocks: range  # the places of their stocks of the material among the stocks booked


class _Receiving:
    """A quarter's contract deliveries, each shared among its nation's buyers of the material
    (``_receivers``), booked together (``book``) with each buyer's stock and cash changing
    delivery after delivery as ``pay``'s arithmetic would: most deliveries go to one or two
    firms, where numpy for each cost more than the booking, and at 10,000 firms a nation has
    hundreds of buyers."""

    def __init__(self, world: mesa.Model):
        self.world = world
        self._receivers: dict[tuple[str, int], _Receivers] = {}  # by (nation, material)
        self._takers: dict[BuyerFirm, int] = {}  # the buyers booked, and their places
        self._looked_up: list[_Receivers] = []  # in order: their stocks are booked one after another
        # Each share of each delivery since the last booking, in the order received: the
        # places of its buyer and of the buyer's stock, and the figures it is worked out from.
        self._place: list[int] = []
        self._stock: list[int] = []
        self._tonnes: list[float] = []
        self._weight: list[float] = []
        self._total: list[float] = []
        self._price: list[float] = []

    def receive(self, nation_code: str, m: int, tonnes: float, price: float) -> None:
        """Share ``tonnes`` among the nation's buyers of material ``m``, at ``price`` US$/kg; if
        it has none, the state takes delivery, and pays for it."""
        receivers = self._receivers.get((nation_code, m))
        if receivers is None:
            receivers = self._receivers[(nation_code, m)] = self._receivers_of(nation_code, m)
        if receivers.buyers:
            shares = len(receivers.buyers)
            self._place += receivers.places
            self._stock += receivers.stocks
            self._tonnes += [tonnes] * shares
            self._weight += receivers.weights
            self._total += [receivers.total] * shares
            self._price += [price] * shares
            return
        nation = self.world.nation(nation_code)
        nation.stockpile[m] += tonnes
        nation.budget_musd -= tonnes * price / 1000.0
        nation.stock_bought_musd += tonnes * price / 1000.0
        self.world.flows["stockpiled"][m] += tonnes

    def _receivers_of(self, nation_code: str, m: int) -> _Receivers:
        buyers, weights = _receivers(self.world, nation_code, m)
        places = [self._takers.setdefault(buyer, len(self._takers)) for buyer in buyers]
        first = self._looked_up[-1].stocks.stop if self._looked_up else 0
        receivers = _Receivers(buyers, m, weights, added_up(weights), places, range(first, first + len(buyers)))
        self._looked_up.append(receivers)
        return receivers

    def book(self) -> None:
        """Book the deliveries received since the last ``book`` onto the buyers."""
        if not self._place:
            return
        # Each buyer's share of each delivery: the tonnes times its weight, over the total weight.
        shares = np.array(self._tonnes, dtype=float) * np.array(self._weight, dtype=float) \
            / np.array(self._total, dtype=float)
        takers = list(self._takers)
        stock = np.array([buyer.inventory[receivers.material] for receivers in self._looked_up
                          for buyer in receivers.buyers], dtype=float)
        cash = np.array([buyer.cash_musd for buyer in takers], dtype=float)
        # (``add.at`` adds in order: a buyer's stock and cash change delivery after delivery.)
        np.add.at(stock, self._stock, shares)
        np.subtract.at(cash, self._place, shares * np.array(self._price, dtype=float) / THOUSAND_USD_PER_MILLION)
        stock_left = stock.tolist()
        for receivers in self._looked_up:
            m, stocks = receivers.material, receivers.stocks
            for buyer, own_stock in zip(receivers.buyers, stock_left[stocks.start:stocks.stop]):
                buyer.inventory[m] = own_stock
        for buyer, own_cash in zip(takers, cash.tolist()):
            buyer.cash_musd = own_cash
        for figures in (self._place, self._stock, self._tonnes, self._weight, self._total, self._price):
            figures.clear()


def _receivers(world: mesa.Model, nation_code: str, m: int) -> tuple[list[BuyerFirm], list[float]]:
    """The nation's buyers that take deliveries of material ``m``, and their weights: those that
    need it this quarter, by what they need; if none does, the firms that use it, by capacity.
    Deliveries change neither, so a quarter's are looked up once for all its contracts."""
    buyers = [b for b in world.buyers_in[nation_code] if b.requirement[m] > 0]
    weights = [b.requirement[m] for b in buyers]
    if not buyers:  # nobody needs it this quarter: the firms that use it take it into stock
        buyers = [b for b in world.buyers_in[nation_code] if b.uses(m)]
        weights = [b.capacity_tpy or 1.0 for b in buyers]
    return buyers, weights


def clear_spot_markets(world: mesa.Model, remaining_quota: np.ndarray) -> None:
    """Build one network problem per material, clear them all, and book the result."""
    layout = world.layout
    # The working sellers and buyers, and their nations (the world's sellers and buyers are its
    # firms of those roles, in the same order).
    selling = [s.alive for s in world.sellers]
    sellers: list[SeparatorFirm] = list(compress(world.sellers, selling))
    buying = [b.alive for b in world.buyers]
    buyers: list[BuyerFirm] = list(compress(world.buyers, buying))
    readings = SellerReadings(sellers)  # their stock, read once for their asks and their offers
    asks = asks_of(sellers, world.reference_price, readings)
    for seller, ask in zip(sellers, asks):
        seller.ask = ask
    buyer_nations = world.homes_of(BuyerFirm)[np.array(buying, dtype=bool)]
    bids = bid_steps(buyers, world.reference_price, world.expected_prices[buyer_nations])

    # Every seller's stock and asks, and every bid, as arrays once; each material's steps are
    # then picked out in the same order as a walk of the sellers and the buyers would give.
    seller_nodes = layout.supply_node[world.homes_of(SeparatorFirm)[np.array(selling, dtype=bool)]]
    stock = readings.stock
    step_node = layout.demand_node[buyer_nations[bids.buyer]]
    bidding = bids.tonnes > EPSILON_T
    arc_costs, arc_caps, partials = _arcs(world, remaining_quota)
    # The states that release stock or bid for it this quarter (most quarters none).
    releasing = [(i, nation) for i, nation in enumerate(world.nation_list) if nation.release_orders.any()]
    ordering = [(i, nation) for i, nation in enumerate(world.nation_list) if nation.purchase_orders]
    problems, books, spot_stock = [], [], []
    for m in range(N_MATERIALS):
        # The firms' steps stay arrays (MarketProblem copies them); the nations' releases and
        # purchases, a few at most, follow them.
        offered = (stock[:, m] > EPSILON_T).nonzero()[0]
        releases = [(i, nation) for i, nation in releasing if nation.release_orders[m] > EPSILON_T]
        supply_node = _followed_by(seller_nodes[offered], [layout.supply_node[i] for i, _ in releases])
        supply_qty = _followed_by(stock[offered, m], [nation.release_orders[m] for _, nation in releases])
        supply_cost = _followed_by(asks[offered, m], [0.0] * len(releases))  # a release is sold to whoever values it most
        wanted = ((bids.material == m) & bidding).nonzero()[0]
        bidders = bids.buyer[wanted]  # the buyers' steps come first, then the nations'
        purchases = [(i, nation, qty, max_price) for i, nation in ordering
                     for material, qty, max_price in nation.purchase_orders if material == m and qty > EPSILON_T]
        demand_owner: list = [nation for _, nation, _, _ in purchases]
        demand_node = _followed_by(step_node[wanted], [layout.demand_node[i] for i, _, _, _ in purchases])
        demand_qty = _followed_by(bids.tonnes[wanted], [qty for _, _, qty, _ in purchases])
        demand_value = _followed_by(bids.value[wanted], [max_price for _, _, _, max_price in purchases])
        problem = MarketProblem(
            n_nodes=layout.n_nodes, supply_node=supply_node, supply_qty=supply_qty, supply_cost=supply_cost,
            demand_node=demand_node, demand_qty=demand_qty, demand_value=demand_value,
            arc_from=layout.arc_from, arc_to=layout.arc_to, arc_cost=arc_costs[m], arc_cap=arc_caps[m],
        )
        problems.append(problem)
        books.append(([nation for _, nation in releases], (bidders, demand_owner), partials[m]))
        spot_stock.append((offered, supply_qty[:offered.size]))  # (the sellers' stock: their steps)

    # An embargo over part of a quarter lets through the open share of the flow that
    # would have moved without it: those markets are cleared for their flows alone (their
    # prices are never read), then cleared with those arcs capped.
    redo = [m for m in range(N_MATERIALS) if books[m][2]]
    for m in redo:
        flow = clear_flows(problems[m])
        cap = problems[m].arc_cap.copy()
        for arc, open_share in books[m][2]:
            cap[arc] = open_share * flow[arc]
        problems[m] = MarketProblem(**{**problems[m].__dict__, "arc_cap": cap})
    results = clear_markets(problems)

    in_arrays = len(sellers) + bids.buyer.size >= BOOK_IN_ARRAYS_FROM_STEPS
    sold = [_book(world, m, problem, result, in_arrays, sellers, spot_stock[m], nations_releasing, buyers,
                  *demand_owner)
            for m, (problem, result, (nations_releasing, demand_owner, _)) in enumerate(zip(problems, results, books))]
    (_record_spot_sales_in_arrays if in_arrays else _record_spot_sales_one_by_one)(world, sellers, sold)


def _record_spot_sales_in_arrays(world: mesa.Model, sellers: list[SeparatorFirm],
                                 sold: list[tuple[np.ndarray, np.ndarray]]) -> None:
    """Add each seller's spot sales (``sold``: for each material, the places in ``sellers`` of
    those that sold and the tonnes) to its rows of this quarter's sales and spot sales, as
    adding them material by material would: a new row is the sales themselves, a row its
    contracts began gets each material's added. Rows are made in the order the sellers first
    sold (thousands of sellers at 10,000 firms: one row each, not an add per material)."""
    spot = np.zeros((len(sellers), N_MATERIALS))
    first_sold: list[int] = []
    seen = np.zeros(len(sellers), dtype=bool)
    for m, (places, tonnes) in enumerate(sold):
        spot[places, m] = tonnes
        new = places[~seen[places]]
        seen[new] = True
        first_sold += new.tolist()
    sales, spot_sales = world.sales_this_turn, world.spot_sales_this_turn
    own_rows = spot.copy()  # sales rows of their own, apart from the spot sales' rows
    for k in first_sold:
        seller = sellers[k]
        for rows, fresh in ((sales, own_rows), (spot_sales, spot)):
            row = rows.get(seller)
            if row is None:
                rows[seller] = fresh[k]
            else:
                for m in np.flatnonzero(spot[k] > 0.0).tolist():  # what it sold (tonnes > 0), in order
                    row[m] += spot[k, m]


def _record_spot_sales_one_by_one(world: mesa.Model, sellers: list[SeparatorFirm],
                                  sold: list[tuple[list[int], list[float]]]) -> None:
    """``_record_spot_sales_in_arrays`` seller by seller in Python floats (``sold``: lists):
    a seller's row made when it first sold, in that order, each new row an array of its own."""
    spot: dict[int, list[float]] = {}  # each seller's tonnes sold, by its place, in the order first sold
    for m, (places, tonnes) in enumerate(sold):
        for place, sold_t in zip(places, tonnes):
            row = spot.get(place)
            if row is None:
                row = spot[place] = [0.0] * N_MATERIALS
            row[m] = sold_t
    sales, spot_sales = world.sales_this_turn, world.spot_sales_this_turn
    for place, row in spot.items():
        seller = sellers[place]
        for rows in (sales, spot_sales):
            kept = rows.get(seller)
            if kept is None:
                rows[seller] = np.array(row)
            else:
                for m, sold_t in enumerate(row):
                    if sold_t > 0.0:
                        kept[m] += sold_t


def _followed_by(steps: np.ndarray, more: list) -> np.ndarray:
    """The firms' steps, then ``more`` (the nations'), in the steps' type."""
    return np.concatenate((steps, np.array(more, dtype=steps.dtype))) if more else steps


def _arcs(world: mesa.Model, quota: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[list]]:
    """Arc costs and caps, a row per material (``quota``: each nation's, a column per
    material); also, per material, the arcs under a partial-quarter or leaky embargo, with the
    share of their flow that gets through. Worked out for all materials together: each
    element's arithmetic is as for one material alone."""
    layout, policy, prices = world.layout, world.policy, world.prices
    cost = np.zeros((N_MATERIALS, layout.n_arcs))
    cap = np.full((N_MATERIALS, layout.n_arcs), np.inf)
    cap[:, layout.gate_arcs] = np.maximum(quota, 0.0).T
    # A duty at rate t on the export (FOB) price P = p + duty is t/(1-t) of the domestic price p;
    # last quarter's domestic price is the base, so the duty does not feed on the export rent.
    rate = policy.tariffs(world.nation_codes)  # [nation, material]
    duty = rate / (1.0 - np.minimum(rate, 0.95)) * prices
    embargoes = policy.embargoes_in(world.quarter)  # (working out their days costs more than the arcs)
    # Freight, duty and switching worked out for every pair of nations, a block per material
    # ([material, origin, destination]), and read out for the export arcs in one go: fewer
    # numpy calls than picking each term's pairs out first, the same sums.
    export_cost = world.freight + duty.T[:, :, None]
    export_cost += _switching_cost_matrix(world, embargoes)
    cost[:, layout.export_arcs] = export_cost[:, layout.export_origin, layout.export_destination]
    # Only the few pairs under a licence or an embargo need looking at one by one.
    for exporter, partner, friction in policy.frictions():
        cost[:, layout.export_arc(world.nation_index(exporter), world.nation_index(partner))] += friction
    # An importer's tariff is a share of the exporter's home price, charged at its border.
    for exporter, importer, tariff in policy.import_tariffs():
        e = world.nation_index(exporter)
        cost[:, layout.export_arc(e, world.nation_index(importer))] += tariff * prices[e]
    # Licences cap the arc at the tonnes still licensed after contracts delivered.
    for exporter, partner, licensed in policy.licence_limits():
        arc = layout.export_arc(world.nation_index(exporter), world.nation_index(partner))
        for m, tonnes in enumerate(licensed.tolist()):
            cap[m, arc] = min(cap[m, arc], max(tonnes, 0.0))
    # An embargo lets through the open days' share and what leaks round; the leak's cost per kg
    # is spread over all that arrives on the arc (one arc carries both).
    quarter = world.quarter
    held_back = [(layout.export_arc(world.nation_index(embargo.exporter), world.nation_index(embargo.partner)),
                  embargo.materials, embargo.arriving_share(quarter), embargo.extra_cost(quarter))
                 for embargo in embargoes]
    partials = []
    for m, material in enumerate(MATERIALS):
        partial: dict[int, tuple[float, float]] = {}
        for arc, materials, arriving, extra_cost in held_back:
            if material in materials and (arc not in partial or arriving < partial[arc][0]):
                partial[arc] = (arriving, extra_cost)
        for arc, (arriving, extra_cost) in list(partial.items()):
            cost[m, arc] += extra_cost
            if arriving <= 0.0:
                cap[m, arc] = 0.0
                del partial[arc]
        partials.append(sorted((arc, arriving) for arc, (arriving, _) in partial.items()))
    return cost, cap, partials


def _switching_cost_matrix(world: mesa.Model, embargoes: list[Embargo]) -> np.ndarray:
    """US$/kg, [material, origin, destination], for a buyer that turns to a supplier it
    hardly used last quarter: qualifying a new source's oxide, new paperwork and logistics. It is
    a share of the destination's price plus a cost per kg (handling does not scale with value:
    it is what keeps bulk cerium with its suppliers), times the share of the destination's supply
    that did not come from this origin (or, if more, the origin's share of the whole world's
    supply), so buyers stay with their suppliers unless another is clearly cheaper; it is
    waived where an embargo (of ``embargoes``, this quarter's) blocks a route into the
    destination, which forces buyers to switch. Without it, suppliers asking the same price
    (cerium at its floor) would swap customers wholesale from one quarter to the next. (A
    nation's own corner, origin and destination the same, is worked out too and never read.)"""
    share_cost, per_kg = world.assumptions.switching_cost_share, world.assumptions.switching_cost_usd_per_kg
    received = world.last_receipts  # [material, origin, destination]
    if share_cost <= 0.0 and per_kg <= 0.0:
        return np.zeros(received.shape)
    total = received.sum(axis=1)  # [material, destination]
    from_origin = np.divide(received, total[:, None, :], out=np.ones(received.shape),
                            where=(total > 0)[:, None, :])
    # A big supplier's oxide is qualified everywhere: what it ships to the whole world counts
    # as familiarity too, so a buyer that left it can come back (no lock-in to a small source).
    world_total = total.sum(axis=1, keepdims=True)
    world_share = np.divide(received.sum(axis=2), world_total, out=np.ones(total.shape), where=world_total > 0)
    familiar = np.maximum(from_origin, world_share[:, :, None])
    cost = (1.0 - familiar) * (share_cost * world.prices.T[:, None, :] + per_kg)
    for embargo in embargoes:
        partner = world.nation_index(embargo.partner)
        for m, material in enumerate(MATERIALS):
            if material in embargo.materials:
                cost[m, :, partner] = 0.0
    return cost


def _book(world: mesa.Model, m: int, problem: MarketProblem, result: MarketResult, in_arrays: bool,
          sellers: list[SeparatorFirm], offered: tuple[np.ndarray, np.ndarray], nations_releasing: list[NationAgent],
          buyers: list[BuyerFirm], bidders: np.ndarray, nations_bidding: list[NationAgent]) -> tuple:
    """Move goods and money as the clearing says, and record prices and flows. The supply
    steps are the sellers' (``offered``: the index of each into ``sellers``, and the stock of the
    material each held when it offered it), then the releases of ``nations_releasing``; the
    demand steps are the buyers' (``bidders``: the buyer of each, an index into ``buyers``),
    then the nations' (``nations_bidding``). Booked with arrays or step by step (``in_arrays``,
    as ``BOOK_IN_ARRAYS_FROM_STEPS`` says). Returns the places in ``sellers`` of those that sold
    and the tonnes each sold, for ``_record_spot_sales_in_arrays`` or ``_one_by_one``."""
    layout = world.layout
    # A country's price is what one more tonne there is worth, to use or to sell on: the
    # supply side's price. It equals what buyers pay wherever they buy, and stays
    # meaningful where contracts already cover every need. A quarter in which nobody bids for
    # the material anywhere (stocks and contracts cover every buyer, as at extreme assumptions)
    # quotes nothing: the last price stands, where the clearing would read 0 and carry it into
    # every seller's expectations.
    if problem.n_demand:
        world.prices[:, m] = result.price[layout.supply_node]
    # Only the steps that traded, each at its node's price read once.
    supply_price = result.price[problem.supply_node]
    seller_of, stock = offered
    sellers_sold = (_sellers_sell_in_arrays if in_arrays else _sellers_sell_one_by_one)(
        m, sellers, seller_of, stock, result.sold[:seller_of.size], supply_price[:seller_of.size])
    releasing = range(seller_of.size, seller_of.size + len(nations_releasing))  # (most quarters none)
    for k in [k for k in releasing if result.sold[k] > 0.0]:
        nation, sold_t, price = nations_releasing[k - seller_of.size], result.sold[k], supply_price[k]
        nation.stockpile[m] -= sold_t
        nation.budget_musd += sold_t * price / 1000.0
        nation.released_t[m] += sold_t
        world.flows["released"][m] += sold_t
    demand_price = result.price[problem.demand_node]  # its country's demand side
    (_deliver_to_buyers_in_arrays if in_arrays else _deliver_to_buyers_one_by_one)(
        m, buyers, bidders, result.served[:len(bidders)], demand_price[:len(bidders)])
    if nations_bidding:  # (most quarters none: nothing to slice or report in the turn's market phase)
        for k in (result.served[len(bidders):] > 0.0).nonzero()[0].tolist():
            nation, served = nations_bidding[k], result.served[len(bidders) + k]
            price = demand_price[len(bidders) + k]
            nation.stockpile[m] += served
            nation.budget_musd -= served * price / 1000.0
            nation.stock_bought_musd += served * price / 1000.0
            world.flows["stockpiled"][m] += served
        _report_stockpile_bids(world, m, nations_bidding, result.served[len(bidders):],
                               problem.demand_qty[len(bidders):], problem.demand_value[len(bidders):],
                               demand_price[len(bidders):])
    world.receipts[m][layout.delivers_from, layout.delivers_to] += result.flow[layout.delivering_arcs]
    return sellers_sold


# A quarter's spot markets with fewer firms' steps than this (sellers and buyers' bid steps,
# all materials) are booked step by step in Python floats (``_sellers_sell_one_by_one``,
# ``_deliver_to_buyers_one_by_one``, ``_record_spot_sales_one_by_one``): at a world's few
# dozen steps a material numpy's cost per call is most of the booking; at thousands of firms
# its arrays pay. Either way gives the same numbers to the last bit.
BOOK_IN_ARRAYS_FROM_STEPS = 512


def _sellers_sell_in_arrays(m: int, sellers: list[SeparatorFirm], seller_of: np.ndarray, stock: np.ndarray,
                            sold: np.ndarray, price: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The sellers' steps (``seller_of``: the index of each into ``sellers``; ``stock``: the
    stock of material ``m`` each held when it offered it; ``sold``, ``price``: the tonnes each
    step sold and its node's price) booked all at once: each sells from one step, so its stock
    and cash change once (``earn``'s arithmetic); the stock it offered is what it holds, as
    nothing else has touched this material since. Returns the places in ``sellers`` of those
    that sold and the tonnes each sold."""
    traded = (sold > 0.0).nonzero()[0]
    sold = sold[traded]
    left = np.maximum(stock[traded] - sold, 0.0)
    traders = [sellers[k] for k in seller_of[traded].tolist()]
    cash = np.array([seller.cash_musd for seller in traders], dtype=float) \
        + sold * price[traded] / THOUSAND_USD_PER_MILLION
    for seller, own_stock, own_cash in zip(traders, left.tolist(), cash.tolist()):
        seller.inventory[m] = own_stock
        seller.cash_musd = own_cash
    return seller_of[traded], sold


def _sellers_sell_one_by_one(m: int, sellers: list[SeparatorFirm], seller_of: np.ndarray, stock: np.ndarray,
                             sold: np.ndarray, price: np.ndarray) -> tuple[list[int], list[float]]:
    """``_sellers_sell_in_arrays`` step by step in Python floats, the same operations in the
    same order (numpy's maximum keeps its second number on a tie, as the comparison here);
    the places and tonnes as lists."""
    places: list[int] = []
    tonnes: list[float] = []
    for place, own_stock, sold_t, node_price in zip(seller_of.tolist(), stock.tolist(), sold.tolist(),
                                                    price.tolist()):
        if sold_t > 0.0:
            seller = sellers[place]
            left = own_stock - sold_t
            seller.inventory[m] = left if left > 0.0 else 0.0
            seller.cash_musd = float(seller.cash_musd) + sold_t * node_price / THOUSAND_USD_PER_MILLION
            places.append(place)
            tonnes.append(sold_t)
    return places, tonnes


def _report_stockpile_bids(world: mesa.Model, m: int, nations: list[NationAgent], served: np.ndarray,
                           wanted: np.ndarray, cap: np.ndarray, price: np.ndarray) -> None:
    """What each state's stockpile bid bought, in the news (to the bidder alone in a class): an
    unfilled bid went without a word, its money quietly back in the budget, while the player
    waited for stock that never came."""
    material = MATERIALS[m].label
    for nation, bought, asked, most, paid in zip(nations, served.tolist(), wanted.tolist(), cap.tolist(),
                                               price.tolist()):
        decimals = 0 if asked >= 1.0 else 2  # (a bid under a tonne read "buys 0 t")
        shown = 0.5 * 10.0 ** -decimals  # the least that reads as a tonnage
        names = dict(nation=nation.name, material=material, asked=asked, cap=most, decimals=decimals,
                     nation_code=nation.code)
        if bought > 0.0 and asked - bought < shown:
            world.report("stockpile", "{nation}'s stockpile buys {bought:,.{decimals}f} t of {material} at "
                         "US${price:,.2f}/kg", bought=bought, price=paid, **names)
        elif bought >= shown:
            world.report("stockpile", "{nation}'s stockpile buys {bought:,.{decimals}f} of the {asked:,.{decimals}f} t "
                         "of {material} it bid for, at US${price:,.2f}/kg: no more was to be had within its cap of "
                         "US${cap:,.2f}/kg", bought=bought, price=paid, **names)
        elif paid >= most + 0.005:  # (as the figures read: a price at the cap is not above it)
            world.report("stockpile", "{nation}'s stockpile buys none of the {asked:,.{decimals}f} t of {material} it "
                         "bid for: the price, US${price:,.2f}/kg, was above its cap of US${cap:,.2f}/kg; the money "
                         "stays in the budget", price=paid, **names)
        else:  # the price reached the cap, and nothing was offered at it
            world.report("stockpile", "{nation}'s stockpile buys none of the {asked:,.{decimals}f} t of {material} it "
                         "bid for: nothing was offered at its cap of US${cap:,.2f}/kg; the money stays in the budget",
                         **names)


def _deliver_to_buyers_in_arrays(m: int, buyers: list[BuyerFirm], bidders: np.ndarray, served: np.ndarray,
                                 price: np.ndarray) -> None:
    """Each buyer takes the tonnes its steps were served and pays for them (``pay``), step
    after step in order, worked out for all buyers at once (a buyer has a step for each
    share of its need and its buffer)."""
    steps = (served > 0.0).nonzero()[0]
    if not steps.size:
        return
    # The steps come buyer by buyer (``BidSteps``): each run of one buyer's steps is one taker.
    step_of = bidders[steps]
    first = np.empty(steps.size, dtype=bool)
    first[0] = True
    np.not_equal(step_of[1:], step_of[:-1], out=first[1:])
    touched, step_buyer = step_of[first], first.cumsum() - 1
    tonnes = served[steps]
    takers = [buyers[k] for k in touched.tolist()]
    stock = np.array([buyer.inventory[m] for buyer in takers])
    cash = np.array([buyer.cash_musd for buyer in takers])
    np.add.at(stock, step_buyer, tonnes)
    np.subtract.at(cash, step_buyer, tonnes * price[steps] / THOUSAND_USD_PER_MILLION)
    for buyer, own_stock, own_cash in zip(takers, stock.tolist(), cash.tolist()):
        buyer.inventory[m] = own_stock
        buyer.cash_musd = own_cash


def _deliver_to_buyers_one_by_one(m: int, buyers: list[BuyerFirm], bidders: np.ndarray, served: np.ndarray,
                                  price: np.ndarray) -> None:
    """``_deliver_to_buyers_in_arrays`` step by step in Python floats: each run of one buyer's
    served steps starts from the stock and cash it held before the booking, adds step after
    step in order, and is written back once all are worked out."""
    runs: list[list] = []  # [buyer, stock, cash] of each run of one buyer's served steps
    run_of = -1  # whose run the last served step was
    for buyer_place, tonnes, node_price in zip(bidders.tolist(), served.tolist(), price.tolist()):
        if tonnes > 0.0:
            if buyer_place != run_of:
                buyer = buyers[buyer_place]
                run = [buyer, float(buyer.inventory[m]), float(buyer.cash_musd)]
                runs.append(run)
                run_of = buyer_place
            run[1] += tonnes
            run[2] -= tonnes * node_price / THOUSAND_USD_PER_MILLION
    for buyer, own_stock, own_cash in runs:
        buyer.inventory[m] = own_stock
        buyer.cash_musd = own_cash
