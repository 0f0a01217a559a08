"""Producers: mines and deep-sea ventures dig ore, separation plants and recyclers make oxides
and decide how much to make, when to mothball, reopen and expand."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import mesa
import numpy as np

from game.vocab.arithmetic import added_up
from game.vocab.materials import N_MATERIALS, Role
from game.vocab.portable_math import dot

if TYPE_CHECKING:
    from game.spec import FirmSpec

from agents import firm as firm_module
from agents.firm import (DYTB, NDPR, THOUSAND_USD_PER_MILLION, FirmAgent, credit_lines_musd, full_fixed_costs_musd,
                         review_uses_of, rows_of, stocks_of, sums_in_order)

#: Stands in for a figure a seller does not have yet (read-only: never changed in place).
NO_OXIDE = np.zeros(N_MATERIALS)
NO_OXIDE.flags.writeable = False


#: A plant considers growing only when it ran at least this share of its capacity in the quarter.
GROWS_FROM_UTILISATION = 0.85


class MinerFirm(FirmAgent):
    """Mines ore; the concentrate holds the deposit's mix of materials."""

    role = Role.MINER
    __slots__ = ("composition", "_tracked_share", "royalty_usd_per_kg", "concentrate")

    def __init__(self, model: mesa.Model, spec: FirmSpec, valuation: float = 1.0):
        super().__init__(model, spec, valuation)
        self.composition = np.array(spec.composition, dtype=float)
        self._tracked_share = float(self.composition.sum()) or 1.0
        #: What its host charges per kilogram of ore dug (a royalty a team playing the host sets).
        self.royalty_usd_per_kg = 0.0
        # A mine's stock is ore concentrate; the level gives it as material content.
        self.concentrate, self.inventory = self.inventory, np.zeros(N_MATERIALS)

    def held_material(self) -> np.ndarray:
        return self.inventory + self.concentrate

    @property
    def tracked_share(self) -> float:
        """Share of the ore that is the materials we trade (the rest: Y, Sm, Gd and others)."""
        return self._tracked_share

    def mine(self, requested_t: float, limit_t: float | None = None) -> np.ndarray:
        """Mine what the plants asked for plus half a quarter of buffer, within capacity
        (and within the mine's share of a national mining quota, if one is enforced);
        ``mine_of`` does it for many."""
        return mine_of([self], [requested_t], [limit_t])[0]


class DeepSeaVenture(MinerFirm):
    """Lifts rare-earth mud from the deep sea floor: ore rich in heavy rare earths."""

    role = Role.DEEP_SEA


class SeparatorFirm(FirmAgent):
    """Cracks and separates concentrate from its feed mines into oxides, and sells them."""

    role = Role.SEPARATOR
    __slots__ = ("feed_ids", "feeds", "_mix", "ask", "expected_netback", "loss_quarters", "runs_to_plan",
                 "sales_rate", "planned_run_rate")

    def __init__(self, model: mesa.Model, spec: FirmSpec, valuation: float = 1.0):
        super().__init__(model, spec, valuation)
        self.feed_ids = spec.feed
        #: The mines it processes, set with ``link_feeds`` (a plain attribute: a turn at 10,000
        #: firms reads it tens of thousands of times).
        self.feeds: list[MinerFirm] = []
        self._mix = np.zeros(N_MATERIALS)
        self.ask = np.zeros(N_MATERIALS)
        self.expected_netback: np.ndarray | None = None  # US$/kg it can get, per material
        self.loss_quarters = 0
        self.runs_to_plan = False  # its mines dig to a state's quota (set each quarter by production)
        self.sales_rate: np.ndarray | None = None  # t a quarter it sells, per oxide (smoothed)
        self.planned_run_rate = 1.0  # share of capacity its prices paid for when it last planned

    def planned_throughput(self, owed: np.ndarray | None = None, paid: np.ndarray | None = None) -> float:
        """Feed to process this quarter: the run rate its expected prices pay for.

        Output is continuous: lines run while what they make covers what running them costs
        (``run_rate``), never below a minimum run rate unless not even the cheapest line pays.
        Separation makes every oxide of the ore at once (the "balance problem"): a plant runs
        for the oxides it can sell and lets the others pile up, as cerium did; as the stock of
        its best sellers grows, what more output is worth to it falls and it slows down.
        ``owed``: what it owes under contract this quarter, t per material; ``paid``: what its
        contracts pay for it, US$ thousand per material (``_throughput_owed``).
        ``planned_throughputs_of`` plans many plants at once.
        """
        return planned_throughputs_of([self], [owed], paid=[paid])[0]

    def sellable_share(self) -> np.ndarray:
        """Per oxide, the share of more output it expects to sell: 1 while its stock is under
        its target (``plant_stock_target_quarters`` of output), falling to 0 at twice that
        (a glut of one oxide adds nothing)."""
        return _sellable_shares([self], self.output_mix()[None, :])[0]

    def run_rate(self, variable: float | None = None) -> float:
        """Share of capacity worth running: lines' marginal costs spread from (1 - band) to
        (1 + band) times the variable cost, and each line runs while what it makes, and can
        sell, covers it. A plant whose mines dig to a state's quota runs to that plan while
        prices cover its running costs (a narrower band). ``variable``: its ``variable_cost``,
        if already worked out."""
        value, own_variable, expects = running_values_of([self])
        return float(_run_rates([self], value, own_variable if variable is None else np.array([variable], dtype=float),
                                expects)[0])

    def _throughput_owed(self, owed: np.ndarray | None, variable: float, paid: np.ndarray | None = None) -> float:
        """Feed to process to deliver ``owed`` (t per material this quarter, beyond stock) if the
        breach it avoids, and what the contracts pay for those tonnes beyond what the market
        would, cover the loss on making it (at market prices); else nothing. ``paid``: what the
        contracts pay for ``owed``, US$ thousand per material; None: what the market would."""
        if owed is None or self.expected_netback is None:
            return 0.0
        mix = self.output_mix()
        short = np.maximum(0.0, owed - self.inventory)
        needed = max((short[m] / mix[m] for m in range(N_MATERIALS) if mix[m] > 0 and short[m] > 0), default=0.0)
        if needed <= 0.0:
            return 0.0
        loss = needed * (variable - dot(mix, self.expected_netback))  # thousand US$ per t x t
        penalty = dot(short, self.expected_netback)
        if paid is not None:
            # Owed tonnes are paid at their contracts' prices, not the market's: IREL's Ce/La,
            # sold to Japan in 2010 at a base of US$44/kg, paid US$23/kg when the market paid
            # US$2, and at the market's price the plant breached the contract to save running.
            price = np.divide(paid, owed, out=np.array(self.expected_netback, dtype=float), where=owed > 0.0)
            penalty += dot(short, price - self.expected_netback)
        return needed if penalty > loss else 0.0

    def separate(self, throughput: float) -> None:
        """Process up to ``throughput`` t of concentrate from the feed mines, paying each mine
        for its concentrate at a price linked to the oxides in it (``separate_of`` does it for
        many)."""
        separate_of([self], [throughput])

    def concentrate_price(self, feed: MinerFirm, digging_only: bool = False) -> float:
        """US$/kg of oxide content paid to a mine: a share of what its oxides are expected to
        fetch, never below what mining it costs with its fixed costs (a captive mine paid less
        would close; the rest of the ore, Y, Sm, Gd..., is taken to pay for its own separation).
        The share lets high oxide prices reach the mines.

        With ``digging_only``, the floor is what digging one more tonne costs the mine: its
        fixed costs are paid whether it digs or not, so they do not decide how much to run. A
        mine of the plant's own company (``group``) costs it only that: the rest is a transfer
        within one purse."""
        return float(_concentrate_prices([self], [feed], digging_only)[0])

    def link_feeds(self, mines: list[MinerFirm]) -> None:
        """Set the mines it processes; the mix of oxides it makes follows from their ores."""
        self.feeds = list(mines)
        vars(self.model).pop(_LAYOUTS, None)  # what was read of the world's sellers and their mines
        mix = added_up((f.composition for f in self.feeds), np.zeros(N_MATERIALS))
        self._mix = mix / mix.sum() if mix.sum() > 0 else mix

    def output_mix(self) -> np.ndarray:
        return self._mix

    def set_asks(self, reference_price: np.ndarray) -> None:
        """Set what it asks for each oxide in stock this quarter (``asks_of``)."""
        self.ask = self.asks_at(reference_price)

    def asks_at(self, reference_price: np.ndarray) -> np.ndarray:
        """What ``set_asks`` would ask, without changing anything (for hints and previews)."""
        return asks_of([self], reference_price)[0]

    def has_feed(self) -> bool:
        """Whether ore waits for it: what its working mines hold, and the digging room they
        left unused this quarter, would keep it above the use under which a plant counts as
        idle. (Any mine with capacity was the test before: a plant whose mine dug flat out
        for another plant it feeds reopened to find nothing, and closed again.)"""
        waiting = 0.0
        for feed in self.feeds:
            if feed.alive:
                # np.add.reduce is ndarray.sum's arithmetic without its Python wrapper (hundreds
                # of closed plants ask this each quarter at 10,000 firms)
                room = feed.capacity_tpy / 4.0 - feed.output_t
                waiting += float(np.add.reduce(feed.concentrate)) + (room * feed.tracked_share if room > 0.0 else 0.0)
        return waiting > self.model.assumptions.idle_below_utilisation * self.capacity_per_turn

    def sustainable_output_tpy(self) -> float:
        """Oxide it can make in a year: its capacity, or what its mines can feed, if less
        (``sustainable_outputs_of`` does it for many, with the same arithmetic)."""
        if not self.alive or self.mothballed:
            return 0.0
        feed = added_up(f.capacity_tpy * f.tracked_share for f in self.feeds if f.alive)
        return min(self.capacity_tpy, feed)

    def _feed_cost(self, digging_only: bool) -> float:
        """US$/kg of output its mines' concentrate costs, averaged over the mines by capacity
        (``feed_costs_of``, which does it for many)."""
        return float(feed_costs_of([self], digging_only)[0])

    @property
    def variable_cost(self) -> float:
        """US$/kg of output that running costs the plant and its mines: processing plus the
        concentrate, at what digging it costs when the oxides' share of value is less. It
        decides how much to run (a state group weighs its mine and its plant together)."""
        return self.unit_cost + self._feed_cost(digging_only=True)

    @property
    def full_cost(self) -> float:
        """US$/kg of output at full capacity: processing with the plant's fixed costs, plus the
        concentrate at the price that keeps its mines open."""
        return float(full_costs_of([self])[0])

    def expect_prices(self, netback: np.ndarray, sold: np.ndarray | None = None) -> None:
        """Update the prices it expects to get (smoothed), from this quarter's netback and
        what it sold (t per oxide); see ``expect_prices_of``, which does it for many."""
        expect_prices_of([self], netback[None, :], None if sold is None else sold[None, :])

    def margin_share(self, full_cost: float | None = None) -> float:
        """Expected margin over full cost, as a share of it (0.2 = 20% above cost).
        ``full_cost``: its ``full_cost``, if already worked out."""
        full_cost = self.full_cost if full_cost is None else full_cost
        if self.expected_netback is None or full_cost <= 0:
            return 0.0
        value = dot(self.output_mix(), self.expected_netback)
        return value / full_cost - 1.0

    def expansion_wanted(self, utilisation: float, full_cost: float | None = None) -> float:
        """Tonnes a year to add, if the expected margin pays the investment back in time.
        ``full_cost``: its ``full_cost``, if already worked out."""
        if utilisation < GROWS_FROM_UTILISATION:
            return 0.0
        full_cost = self.full_cost if full_cost is None else full_cost
        margin_usd_per_t = self.margin_share(full_cost) * full_cost * 1000.0
        if margin_usd_per_t <= 0:
            return 0.0
        capex, horizon = self.expansion_terms()
        if capex / margin_usd_per_t > horizon:
            return 0.0
        return max(500.0, 0.25 * self.capacity_tpy)

    def expansion_terms(self) -> tuple[float, float]:
        """Capital per t/yr of new capacity it reckons with (US$) and the payback it accepts
        (years): separation's (a recycler has its own, shorter)."""
        assumptions = self.model.assumptions
        return assumptions.payback_capex_separator_usd_per_tpy, assumptions.payback_horizon_separator_years

    def operating_margin(self) -> float:
        """Expected value of its output over its variable cost, less one (0.1 = 10% above);
        ``operating_margins_of`` does it for many."""
        return float(operating_margins_of([self])[0])

    def earns_its_keep(self, margin: float, variable: float) -> bool:
        """Whether what it made this quarter earned more over its running costs than mothballing
        would save of its fixed costs: a plant short of feed but paid well for what it makes
        (a recycler sharing a small scrap pool) is better run slowly than closed.
        ``margin``: its ``operating_margin``; ``variable``: its ``variable_cost``."""
        return bool(earn_their_keep(self.model.assumptions, np.array([self.output_t]), np.array([margin]),
                                    np.array([variable]), np.array([self.capacity_tpy]),
                                    np.array([self.unit_cost]))[0])

    def review_operations(self, committed: bool = False, margin: float | None = None,
                          variable: float | None = None) -> str | None:
        """Mothball after sustained losses on running costs (fixed costs are paid either way),
        or after quarters of low use that did not earn what mothballing would save
        (``earns_its_keep``); reopen, at a cost, when a margin returns. A plant with contracts
        to deliver keeps running: stopping would breach them. ``margin``: its
        ``operating_margin``, ``variable``: its ``variable_cost``, if already worked out."""
        if margin is None:
            margin = self.operating_margin()
        if not self.alive:
            return None
        assumptions = self.model.assumptions
        if committed and self.mothballed and self.has_feed():
            self.mothballed = False
            self.loss_quarters = self.idle_quarters = 0
            self.pay_restart_cost()
            return "reopened"
        if committed:
            self.loss_quarters = self.idle_quarters = 0
            return None
        if self.mothballed:
            if margin > assumptions.reopen_margin and self.has_feed():
                self.mothballed = False
                self.idle_quarters = 0
                self.loss_quarters = 0
                self.pay_restart_cost()
                return "reopened"
            return None
        self.loss_quarters = self.loss_quarters + 1 if margin < -assumptions.run_rate_cost_band else 0
        if self.loss_quarters >= assumptions.loss_quarters_to_mothball and self.capacity_tpy > 0:
            self.mothballed = True
            return "mothballed"
        if self.earns_its_keep(margin, self.variable_cost if variable is None else variable):
            self.idle_quarters = 0  # slow but paying: not idle
            return None
        return self.review_use()


def review_operations_of(sellers: Sequence[SeparatorFirm], committed: Sequence[bool],
                         margins: Sequence[float], variables: Sequence[float] | None = None) -> list[str | None]:
    """Each seller's ``review_operations`` (``committed``: whether it has contracts to deliver;
    ``margins``: its operating margin; ``variables``: its variable cost, worked out here if not
    given), worked out together with the same arithmetic as for one; returns each one's
    outcome. A review changes only the seller's own figures, so the order they are worked out
    in does not matter. A few (below ``REVIEWED_TOGETHER_FROM``) are reviewed one by one,
    which costs them less."""
    if variables is None:
        variables = [seller.variable_cost for seller in sellers]
    if len(sellers) < firm_module.REVIEWED_TOGETHER_FROM:
        return [seller.review_operations(own, margin, variable)
                for seller, own, margin, variable in zip(sellers, committed, margins, variables)]
    outcomes: list[str | None] = [None] * len(sellers)
    assumptions = sellers[0].model.assumptions
    alive = np.array([seller.alive for seller in sellers], dtype=bool)
    mothballed = np.array([seller.mothballed for seller in sellers], dtype=bool)
    committed = np.array(committed, dtype=bool)
    margins = np.array(margins, dtype=float)
    # Closed plants that may reopen ask their mines for feed, one by one (a few each quarter).
    reopened = np.zeros(len(sellers), dtype=bool)
    for k in np.flatnonzero(alive & mothballed & (committed | (margins > assumptions.reopen_margin))).tolist():
        reopened[k] = sellers[k].has_feed()
    # Reopened, or bound by contracts to run: their counts of bad quarters start again.
    for k in np.flatnonzero(alive & (committed | reopened)).tolist():
        seller = sellers[k]
        if seller.loss_quarters or seller.idle_quarters:
            seller.loss_quarters = seller.idle_quarters = 0
    for k in np.flatnonzero(reopened).tolist():
        seller = sellers[k]
        seller.mothballed = False
        seller.pay_restart_cost()
        outcomes[k] = "reopened"
    # The rest that run: a quarter's loss on running costs counts towards mothballing.
    running = np.flatnonzero(alive & ~committed & ~mothballed).tolist()
    if not running:
        return outcomes
    them = [sellers[k] for k in running]
    losses_before = np.array([seller.loss_quarters for seller in them], dtype=np.int64)
    losses = np.where(margins[running] < -assumptions.run_rate_cost_band, losses_before + 1, 0)
    for k in np.flatnonzero(losses != losses_before).tolist():
        them[k].loss_quarters = int(losses[k])
    capacity = np.array([seller.capacity_tpy for seller in them], dtype=float)
    worn_out = (losses >= assumptions.loss_quarters_to_mothball) & (capacity > 0)
    for k in np.flatnonzero(worn_out).tolist():
        them[k].mothballed = True
        outcomes[running[k]] = "mothballed"
    # Those still running: quarters of low use count too (``review_use``), unless what they
    # made paid more than mothballing would save (``earns_its_keep``).
    keeps = earn_their_keep(assumptions, np.array([seller.output_t for seller in them], dtype=float),
                            margins[running], np.array(variables, dtype=float)[running], capacity,
                            np.array([seller.unit_cost for seller in them], dtype=float))
    for k in np.flatnonzero(~worn_out & keeps).tolist():
        them[k].idle_quarters = 0
    still = np.flatnonzero(~worn_out & ~keeps).tolist()
    for k in review_uses_of([them[k] for k in still]):
        outcomes[running[still[k]]] = "mothballed"
    return outcomes


def earn_their_keep(assumptions, output_t: np.ndarray, margins: np.ndarray, variables: np.ndarray,
                    capacity_tpy: np.ndarray, unit_cost: np.ndarray) -> np.ndarray:
    """Per plant, ``earns_its_keep``: what its quarter's output earned over running costs
    (t x US$/kg = US$ thousand) against the share of its fixed costs mothballing saves."""
    earned = output_t * variables * margins / THOUSAND_USD_PER_MILLION
    saved = full_fixed_costs_musd(assumptions, capacity_tpy, unit_cost) * (1.0 - assumptions.mothballed_fixed_cost_share)
    return (output_t > 0.0) & (earned > saved)


class RecyclerFirm(SeparatorFirm):
    """Recovers magnet rare earths from end-of-life products (the urban mine)."""

    role = Role.RECYCLER
    __slots__ = ("scrap_sources",)

    def __init__(self, model: mesa.Model, spec: FirmSpec, valuation: float = 1.0):
        super().__init__(model, spec, valuation)
        self.scrap_sources: list = []  # nations whose collected scrap this plant takes

    def recycle(self, scrap_offered: np.ndarray) -> np.ndarray:
        """Process the scrap offered to it, up to capacity; returns what was recovered."""
        scrap = float(np.add.reduce(scrap_offered))  # ndarray.sum's arithmetic, as in has_feed
        take = min(self.capacity_per_turn, scrap) if self.alive and not self.mothballed else 0.0
        recovered = scrap_offered * (take / scrap) if scrap > 0 else np.zeros(N_MATERIALS)
        self.inventory += recovered
        self.pay(take * self.unit_cost)
        self.output_t = take
        return recovered

    def output_mix(self) -> np.ndarray:
        pool = added_up((n.scrap_pool for n in self.scrap_sources), np.zeros(N_MATERIALS))
        total = np.add.reduce(pool)  # ndarray.sum's arithmetic, as in has_feed
        if total > 0:
            return pool / total
        mix = np.zeros(N_MATERIALS)
        mix[NDPR], mix[DYTB] = 0.93, 0.07  # magnet scrap: mostly NdPr, some Dy/Tb
        return mix

    def has_feed(self) -> bool:
        """Whether the scrap waiting in its sources would keep it above the use under which a
        plant counts as idle: its share of each pool by capacity beside the plants that shared
        that pool this quarter (scrap is shared so). The whole pool was the test before, and a
        closed plant reopened for scrap its neighbours would take, to close again."""
        capacity = self.capacity_tpy
        expected = 0.0
        for source in dict.fromkeys(self.scrap_sources):
            others = source.scrap_takers_tpy - (capacity if self in source.scrap_takers else 0.0)
            if capacity + others > 0:
                expected += float(np.add.reduce(source.scrap_pool)) * capacity / (capacity + others)
        return expected > self.model.assumptions.idle_below_utilisation * self.capacity_per_turn

    def expansion_terms(self) -> tuple[float, float]:
        assumptions = self.model.assumptions
        return assumptions.payback_capex_recycler_usd_per_tpy, assumptions.payback_horizon_recycler_years

    def sustainable_output_tpy(self) -> float:
        """Scrap arrives as products wear out: what it recovered lately is what it can promise
        (``sustainable_outputs_of`` does it for many, with the same arithmetic)."""
        return 0.0 if not self.alive or self.mothballed else min(self.capacity_tpy, 0.9 * 4.0 * self.output_t)

    @property
    def variable_cost(self) -> float:
        return self.unit_cost


def expect_prices_of(sellers: Sequence[SeparatorFirm], netbacks: np.ndarray, sold: np.ndarray | None = None,
                     readings: SellerReadings | None = None) -> None:
    """Each seller updates the prices it expects to get (smoothed), from this quarter's netback
    (``netbacks``, a row per seller) and what it sold (``sold``, t per oxide, a row per seller;
    None leaves its sales rate as it was).

    A glut it cannot sell says the market is lower than it hoped, and selling out says it is
    higher (a seller's tatonnement, both ways): each quarter of stock beyond its working stock
    and target takes glut_price_cut off, each quarter short of its working stock adds
    sold_out_price_rise, at most one quarter's worth either way. A plant that held back output
    for want of price, yet sells more than it makes from a stock that is no glut, learns that
    the market wants more at a higher price (by the share of its sales it does not make).
    Without it, stock runs out under a price nobody makes it at, and the price then leaps to
    what buyers pay to keep their lines running.

    Worked out for all sellers together as arrays, each seller's arithmetic in the same order
    as for one (so the history is the same to the last bit); a seller without a sales rate yet
    measures its stock against what it makes, and only what it does sell can sell out.
    """
    if not sellers:
        return
    assumptions = sellers[0].model.assumptions
    weight = assumptions.price_expectation_weight
    # Each seller's figures in one walk: its sales rate (None before it sells), what it made
    # and whether it held back output for want of price.
    rates, made, held = zip(*[(seller.sales_rate, seller.output_t, seller.planned_run_rate < 1.0)
                              for seller in sellers])
    has_rate = np.array([rate is not None for rate in rates])
    rate = rows_of([NO_OXIDE if r is None else r for r in rates])
    if sold is not None:
        rate = np.where(has_rate[:, None], (1 - weight) * rate + weight * sold, sold)
        has_rate[:] = True
    made_t = np.array(made)
    readings = SellerReadings(sellers) if readings is None else readings
    mix = readings.mix
    cover = _stock_cover_of(sellers, rate, has_rate, readings, made_t)
    normal_cover = assumptions.working_stock_quarters + assumptions.plant_stock_target_quarters
    # np.minimum(np.maximum(...)) is np.clip's arithmetic without its Python wrapper.
    glut = np.minimum(np.maximum(cover - normal_cover, 0.0), 1.0)
    selling = (rate > 1e-6) & has_rate[:, None]
    sold_out = np.where(selling, np.minimum(np.maximum(assumptions.working_stock_quarters - cover, 0.0), 1.0), 0.0)
    held_back_for_price = np.array(held)
    # Rates are at least 1e-9: nothing here divides by zero (rows without a rate are left out below).
    drawn = np.minimum(np.maximum(1.0 - made_t[:, None] * mix / np.maximum(rate, 1e-9), 0.0), 1.0)
    held_back = np.where(selling & (cover < normal_cover) & held_back_for_price[:, None], drawn, 0.0)
    netbacks = netbacks * (1.0 - assumptions.glut_price_cut * glut + assumptions.sold_out_price_rise * sold_out
                           + assumptions.held_back_price_rise * held_back)
    has_expected, expected = readings.expected
    expected = np.where(has_expected[:, None], (1 - weight) * expected + weight * netbacks, netbacks)
    # Each seller keeps its row (a view, as rate[k] would give; iterating makes them in C).
    if sold is not None:
        for seller, own in zip(sellers, rate):
            seller.sales_rate = own
    for seller, own in zip(sellers, expected):
        seller.expected_netback = own
    readings.expected = np.ones(len(sellers), dtype=bool), expected


def asks_of(sellers: Sequence[SeparatorFirm], reference_price: np.ndarray,
            readings: SellerReadings | None = None) -> np.ndarray:
    """What each seller asks for each oxide in stock this quarter, a row per seller.

    Oxide already made is offered at what selling it costs now, not at what making it cost:
    the price it expects to get later, less the cost of holding stock beyond its working stock
    until then, and never below the cost of selling it. A glut of a joint product (cerium) is
    thus sold for what it fetches. Worked out for all sellers together, each seller's
    arithmetic in the same order as for one (``readings``: their figures, if already read).
    """
    if not sellers:
        return np.zeros((0, N_MATERIALS))
    assumptions = sellers[0].model.assumptions
    before = [seller.expected_netback for seller in sellers]
    expected = rows_of([reference_price if e is None else e for e in before])
    rates = [seller.sales_rate for seller in sellers]
    rate = rows_of([NO_OXIDE if r is None else r for r in rates])
    cover = _stock_cover_of(sellers, rate, np.array([r is not None for r in rates]), readings)
    excess_quarters = np.maximum(0.0, cover - assumptions.working_stock_quarters)
    holding = excess_quarters * (assumptions.storage_usd_per_kg_quarter
                                 + assumptions.holding_interest_per_quarter * expected)
    # A seller tests a falling market in steps rather than dumping at a third of what it
    # expects: it would rather hold the stock another quarter and learn.
    holding = np.minimum(holding, assumptions.max_ask_cut_per_quarter * expected)
    return np.maximum(assumptions.selling_cost_usd_per_kg, expected - holding)


def _stock_cover_of(sellers: Sequence[SeparatorFirm], rate: np.ndarray, has_rate: np.ndarray,
                    readings: SellerReadings | None = None, made_t: np.ndarray | None = None) -> np.ndarray:
    """Per seller and oxide, quarters of sales its stock would last. Stock is measured against
    what it sells (``rate``, where ``has_rate``), not what it makes: a plant that slows down
    while its stock sells does not have a bigger glut, and one whose stock does not sell has one
    however little it makes. Before it has sold anything, against what it makes (at least its
    minimum run rate; ``readings``: the sellers' figures, and ``made_t`` what each made, if
    already read)."""
    readings = SellerReadings(sellers) if readings is None else readings
    stock = readings.stock
    per_quarter = rate
    if not has_rate.all():
        if made_t is None:
            made_t = np.array([seller.output_t for seller in sellers])
        capacity = readings.capacity / 4.0  # each one's ``capacity_per_turn``
        running = np.maximum(made_t, sellers[0].model.assumptions.min_run_rate * capacity)
        per_quarter = np.where(has_rate[:, None], rate, running[:, None] * readings.mix)
    return stock / np.maximum(per_quarter, 1e-9)


#: Below this many plants, what each plans to run (``planned_throughputs_of``) is worked out
#: from their running values plant by plant in Python floats (``_planned_throughputs_one_by_one``):
#: the arrays' two dozen numpy calls of about a microsecond each cost more than a loop over a
#: few plants (at the 2010 world's dozen, a quarter of the plan's cost is saved;
#: the running values themselves, sums of three oxides a seller, cost as much either way and
#: stay arrays). Both give the same bits: the same operations in the same order, numpy's
#: minimum and maximum keeping their second number on a tie (world figures are never NaN).
#: Split in 25, the world has 325 sellers: arrays.
SELLERS_AS_ARRAYS_FROM = 32


def planned_throughputs_of(plants: Sequence[SeparatorFirm], owed: Sequence[np.ndarray | None],
                           readings: SellerReadings | None = None,
                           paid: Sequence[np.ndarray | None] | None = None) -> list[float]:
    """Each plant's ``planned_throughput`` (``owed``: what each owes under contract this quarter,
    t per material, or None; ``paid``: what those contracts pay, US$ thousand per material, or
    None for the market's prices), their running values worked out together (``readings``: the
    plants' figures, if already read)."""
    if paid is None:
        paid = [None] * len(plants)
    if not plants:
        return []
    readings = SellerReadings(plants) if readings is None else readings
    if len(plants) < SELLERS_AS_ARRAYS_FROM:
        return _planned_throughputs_one_by_one(plants, owed, readings, paid)
    values, variables, expects = running_values_of(plants, readings)
    assumptions = plants[0].model.assumptions
    working = np.array([plant.alive and not plant.mothballed for plant in plants], dtype=bool)
    # A closed plant is not holding back for want of price.
    rate = np.where(working, _run_rates(plants, values, variables, expects), 1.0)
    for plant, own_rate in zip(plants, rate.tolist()):
        plant.planned_run_rate = own_rate
    # Solvent-extraction circuits lose their balance at low throughput: a line runs at least at
    # the minimum rate, or stops.
    rate = np.where((rate > 0.0) & (rate < assumptions.min_run_rate), assumptions.min_run_rate, rate)
    capacity_tpy = readings.capacity
    capacity = capacity_tpy / 4.0  # a quarter's
    planned = rate * capacity
    # What it owes under contract, when a breach (paid at the buyer's price) costs more.
    for k, plant_owed in enumerate(owed):
        if plant_owed is not None and working[k]:
            owed_t = plants[k]._throughput_owed(plant_owed, variables.item(k), paid[k])
            planned[k] = max(planned.item(k), min(capacity.item(k), owed_t))
    # As far as its cash and overdraft pay for (``affordable_t``).
    cash = np.array([plant.cash_musd for plant in plants], dtype=float)
    unit_cost = np.array([plant.unit_cost for plant in plants], dtype=float)
    means = np.maximum(0.0, cash + credit_lines_musd(assumptions, capacity_tpy, unit_cost)) * THOUSAND_USD_PER_MILLION
    affordable = np.divide(means, variables, out=np.full(len(plants), np.inf), where=variables > 0)
    return np.where(working, np.minimum(planned, affordable), 0.0).tolist()


def _planned_throughputs_one_by_one(plants: Sequence[SeparatorFirm], owed: Sequence[np.ndarray | None],
                                    readings: SellerReadings, paid: Sequence[np.ndarray | None]) -> list[float]:
    """``planned_throughputs_of`` plant by plant in Python floats (see ``SELLERS_AS_ARRAYS_FROM``)."""
    assumptions = plants[0].model.assumptions
    min_run_rate = assumptions.min_run_rate
    values, variables, expects = (figures.tolist() for figures in running_values_of(plants, readings))
    planned_t = []
    for plant, plant_owed, plant_paid, capacity_tpy, value, variable, expected in zip(
            plants, owed, paid, readings.capacity.tolist(), values, variables, expects):
        if not (plant.alive and not plant.mothballed):
            plant.planned_run_rate = 1.0  # a closed plant is not holding back for want of price
            planned_t.append(0.0)
            continue
        rate = plant.planned_run_rate = _run_rate_one_by_one(plant, value, variable, expected)
        if rate > 0.0 and rate < min_run_rate:
            rate = min_run_rate
        capacity = capacity_tpy / 4.0
        planned = rate * capacity
        if plant_owed is not None:
            owed_t = float(plant._throughput_owed(plant_owed, variable, plant_paid))  # a float, as the arrays' list gives
            planned = max(planned, min(capacity, owed_t))
        means = plant.cash_musd + credit_lines_musd(assumptions, capacity_tpy, plant.unit_cost)
        means = (0.0 if means < 0.0 else means) * THOUSAND_USD_PER_MILLION
        affordable = means / variable if variable > 0 else np.inf
        planned_t.append(planned if planned < affordable else affordable)
    return planned_t


def _run_rate_one_by_one(seller: SeparatorFirm, value: float, variable: float, expected: bool) -> float:
    """``_run_rates`` of one seller, in Python floats."""
    if not (expected and variable > 0):
        return 1.0
    assumptions = seller.model.assumptions
    band = assumptions.planned_run_rate_cost_band if seller.runs_to_plan else assumptions.run_rate_cost_band
    rate = (value / variable - 1.0 + band) / (2.0 * band)
    rate = 0.0 if rate < 0.0 else rate
    return 1.0 if rate > 1.0 else rate


def _run_rates(sellers: Sequence[SeparatorFirm], values: np.ndarray, variables: np.ndarray,
               expects: np.ndarray) -> np.ndarray:
    """Each seller's ``run_rate`` from its running value and variable cost (``running_values_of``)."""
    assumptions = sellers[0].model.assumptions
    to_plan = np.array([seller.runs_to_plan for seller in sellers], dtype=bool)
    band = np.where(to_plan, assumptions.planned_run_rate_cost_band, assumptions.run_rate_cost_band)
    priced = expects & (variables > 0)
    ratio = np.divide(values, variables, out=np.zeros(len(sellers)), where=priced)
    return np.where(priced, np.minimum(1.0, np.maximum(0.0, (ratio - 1.0 + band) / (2.0 * band))), 1.0)


def operating_margins_of(sellers: Sequence[SeparatorFirm], readings: SellerReadings | None = None) -> np.ndarray:
    """Each seller's ``operating_margin``, worked out together (``readings``: their figures, if
    already read)."""
    return margins_from_running_values(*running_values_of(sellers, readings))


def margins_from_running_values(values: np.ndarray, variables: np.ndarray, expects: np.ndarray) -> np.ndarray:
    """Operating margins from what ``running_values_of`` gives (for a caller that needs the
    variable costs too, without working them out twice)."""
    counted = expects & (variables > 0)
    return np.where(counted, values / np.where(counted, variables, 1.0) - 1.0, 0.0)


def running_values_of(sellers: Sequence[SeparatorFirm],
                      readings: SellerReadings | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """What a seller's run rate and operating margin weigh, per seller: what a tonne of its
    output is expected to fetch, counting each oxide as far as more of it would sell
    ((output mix x sellable share) @ expected netback; 0 before it expects any price); its
    variable cost (``variable_cost``); and whether it expects prices yet.

    Each seller's arithmetic is in the same order as for one alone, and dot products and sums
    add left to right as a loop does, so the history does not depend on how many sellers
    are worked out together. ``readings``: their figures, if already read."""
    if not sellers:
        return np.zeros(0), np.zeros(0), np.zeros(0, dtype=bool)
    readings = SellerReadings(sellers) if readings is None else readings
    mix = readings.mix
    sellable = _sellable_shares(sellers, mix, readings.stock, readings.capacity)
    expects, netback = readings.expected
    values = sums_in_order(mix * sellable * netback)
    # A recycler has no feed mines: its variable cost is its own.
    variables = np.array([seller.unit_cost for seller in sellers]) + readings.pairs.costs(digging_only=True)
    return values, variables, expects


def full_costs_of(sellers: Sequence[SeparatorFirm], readings: SellerReadings | None = None) -> np.ndarray:
    """Each seller's ``full_cost``, worked out together (``readings``: their figures, if
    already read)."""
    if not sellers:
        return np.zeros(0)
    fixed_share = sellers[0].model.assumptions.fixed_cost_share
    pairs = feed_pairs_of(sellers) if readings is None else readings.pairs
    return np.array([seller.unit_cost for seller in sellers]) * (1.0 + fixed_share) \
        + pairs.costs(digging_only=False)


class SellerReadings:
    """Figures of some sellers read once, for a stretch of a phase that does not change them:
    their output mixes (``output_mixes_of``), their stock (``stocks_of``), their capacities, the
    netbacks they expect and their pairs with their feed mines (``feed_pairs_of``), each read
    when first asked for. At 10,000 firms each reading is a walk of thousands of objects, and a
    review or a plan asked for each up to three times."""

    def __init__(self, sellers: Sequence[SeparatorFirm]):
        self.sellers = sellers
        self._mix: np.ndarray | None = None
        self._stock: np.ndarray | None = None
        self._capacity: np.ndarray | None = None
        self._pairs: FeedPairs | None = None
        self._expected: tuple[np.ndarray, np.ndarray] | None = None

    @property
    def mix(self) -> np.ndarray:
        if self._mix is None:
            self._mix = output_mixes_of(self.sellers)
        return self._mix

    @property
    def stock(self) -> np.ndarray:
        if self._stock is None:
            self._stock = stocks_of(self.sellers)
        return self._stock

    @property
    def capacity(self) -> np.ndarray:
        """Each seller's ``capacity_tpy``."""
        if self._capacity is None:
            self._capacity = np.array([seller.capacity_tpy for seller in self.sellers], dtype=float)
        return self._capacity

    @property
    def pairs(self) -> FeedPairs:
        if self._pairs is None:
            self._pairs = feed_pairs_of(self.sellers, self)
        return self._pairs

    @property
    def expected(self) -> tuple[np.ndarray, np.ndarray]:
        """Whether each seller expects prices yet, and the netbacks it expects (a row each;
        zeros where it expects none)."""
        if self._expected is None:
            before = [seller.expected_netback for seller in self.sellers]
            self._expected = (np.array([netback is not None for netback in before], dtype=bool),
                              rows_of([NO_OXIDE if e is None else e for e in before]))
        return self._expected

    @expected.setter
    def expected(self, expected: tuple[np.ndarray, np.ndarray]) -> None:
        """What they expect now (``expect_prices_of`` sets what it gave them)."""
        self._expected = expected


def output_mixes_of(sellers: Sequence[SeparatorFirm]) -> np.ndarray:
    """Each seller's ``output_mix``, a row each. A plant's follows from its mines' ores, so it
    is read once per list of sellers (``_layout_of``); a recycler's follows the scrap it takes,
    and recyclers that take the same nations' scrap make the same mix, worked out once."""
    layout = _layout_of(sellers)
    mixes = layout.plant_mix.copy()
    for recycler, rows in layout.recycler_groups():
        mixes[rows] = recycler.output_mix()
    return mixes


def sustainable_outputs_of(sellers: Sequence[SeparatorFirm]) -> np.ndarray:
    """Each seller's ``sustainable_output_tpy``, worked out together, each one's arithmetic as
    for one: nothing while it is closed; else its capacity or, if less, what its working mines
    can feed (their capacities at their tracked shares, added in order) or, for a recycler,
    what it recovered lately."""
    if not sellers:
        return np.zeros(0)
    layout = _layout_of(sellers)
    mines = layout.feeds
    tracked, _, _ = layout.feed_figures()  # each mine's tracked_share, which never changes
    digging = np.array([mine.capacity_tpy for mine in mines], dtype=float) * tracked
    limit = _sums_by_seller(layout.plant_row, len(sellers),
                            np.where(np.array([mine.alive for mine in mines], dtype=bool), digging, 0.0))
    if layout.recyclers:
        rows = [k for k, _ in layout.recyclers]
        limit[rows] = 0.9 * 4.0 * np.array([recycler.output_t for _, recycler in layout.recyclers], dtype=float)
    capacity = np.array([seller.capacity_tpy for seller in sellers], dtype=float)
    working = np.array([seller.alive and not seller.mothballed for seller in sellers], dtype=bool)
    return np.where(working, np.minimum(capacity, limit), 0.0)


def feed_requests_of(plants: Sequence[SeparatorFirm], throughputs: Sequence[float], mines: Sequence[MinerFirm],
                     room: np.ndarray) -> np.ndarray:
    """Tonnes of feed each of ``mines`` is asked for: each plant asks each of its mines for a
    share of its throughput in proportion to the mine's ``room`` (a row per mine: what it can
    dig in a quarter and holds), the asks to a mine added in the plants' order. The same
    arithmetic as a loop over the plants and their mines, for thousands of plants at once."""
    requested = np.zeros(len(mines))
    if not plants:
        return requested
    layout = _layout_of(plants)
    place_of = {mine: k for k, mine in enumerate(mines)}
    mine_row = np.array([place_of[feed] for feed in layout.feeds], dtype=np.int64)
    pair_room = room[mine_row]
    # Each plant's mines' room, added in their order from zero (0 for a plant without mines).
    capacity = _sums_by_seller(layout.plant_row, len(plants), pair_room)[layout.plant_row]
    asking = np.flatnonzero(capacity > 0)
    asked = np.asarray(throughputs, dtype=float)[layout.plant_row[asking]] * pair_room[asking] / capacity[asking]
    np.add.at(requested, mine_row[asking], asked)  # unbuffered: in the pairs' order, from zero
    return requested


def _sums_by_seller(plant_row: np.ndarray, n_sellers: int, per_pair: np.ndarray) -> np.ndarray:
    """Each seller's sum of a figure of its (plant, feed mine) pairs, its mines' added in their
    order from zero (as a loop over them adds; 0 for a seller without mines). The pairs are in
    the sellers' order, so ``np.add.at``, which adds one index after another, adds each
    seller's in its mines' order."""
    sums = np.zeros(n_sellers)
    np.add.at(sums, plant_row, per_pair)
    return sums


def pair_constants(plants: Sequence[SeparatorFirm], feeds: Sequence[MinerFirm]) -> tuple[np.ndarray, ...]:
    """Per pair of a plant and a feed mine, what never changes: the mine's tracked share, its
    ore's composition (a row each) and whether it belongs to the plant's own company."""
    return (np.array([feed.tracked_share for feed in feeds]), rows_of([feed.composition for feed in feeds]),
            np.array([feed.group is not None and feed.group == plant.group for plant, feed in zip(plants, feeds)]))


class _SellerLayout:
    """What never changes about a list of sellers once a world's plants are linked to their
    mines (``link_feeds``): each plant's pairs with its feed mines, and each plant's output mix
    (a recycler's row is left for its scrap's mix).

    Args:
        sellers: The sellers, in order.
    """

    def __init__(self, sellers: Sequence[SeparatorFirm]):
        pairs = [(k, place, feed) for k, seller in enumerate(sellers) for place, feed in enumerate(seller.feeds)]
        self.plant_row = np.array([k for k, _, _ in pairs], dtype=np.int64)
        self.place = np.array([p for _, p, _ in pairs], dtype=np.int64)
        self.plants = [sellers[k] for k in self.plant_row.tolist()]
        self.feeds = [feed for _, _, feed in pairs]
        self.recyclers = [(k, seller) for k, seller in enumerate(sellers) if isinstance(seller, RecyclerFirm)]
        self.plant_mix = np.array([NO_OXIDE if isinstance(seller, RecyclerFirm) else seller._mix
                                   for seller in sellers]).reshape(len(sellers), N_MATERIALS)
        self._sellers = sellers
        self._feed_figures: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self._waves: list[list[int]] | None = None
        self._recycler_groups: list[tuple[RecyclerFirm, np.ndarray]] | None = None

    def recycler_groups(self) -> list[tuple[RecyclerFirm, np.ndarray]]:
        """The recyclers grouped by the nations whose scrap they take (linked with the feeds),
        in the order each group first appears: its first recycler and the places of all of
        them. Recyclers of a group make the same mix. Worked out when first asked for."""
        if self._recycler_groups is None:
            groups: dict[tuple[int, ...], tuple[RecyclerFirm, list[int]]] = {}
            for k, recycler in self.recyclers:
                sources = tuple(id(nation) for nation in recycler.scrap_sources)
                groups.setdefault(sources, (recycler, []))[1].append(k)
            self._recycler_groups = [(first, np.array(rows, dtype=np.int64)) for first, rows in groups.values()]
        return self._recycler_groups

    def feed_figures(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The pairs' ``pair_constants``, read when first asked for."""
        if self._feed_figures is None:
            self._feed_figures = pair_constants(self.plants, self.feeds)
        return self._feed_figures

    def waves(self) -> list[list[int]]:
        """The sellers (their places) in the waves they separate in (see ``separate_of``): each
        after every earlier seller it shares a mine with. Worked out when first asked for."""
        if self._waves is None:
            last_wave: dict[FirmAgent, int] = {}
            waves: list[list[int]] = []
            for k, plant in enumerate(self._sellers):
                wave = 0  # one after the latest wave of its mines
                feeds = plant.feeds
                for feed in feeds:
                    after = last_wave.get(feed, -1) + 1
                    if after > wave:
                        wave = after
                for feed in feeds:
                    last_wave[feed] = wave
                if wave == len(waves):
                    waves.append([])
                waves[wave].append(k)
            self._waves = waves
        return self._waves


#: The attribute of a world that keeps the layouts of the last few lists of sellers asked
#: about (a turn asks about the same few: all sellers, the plants, those in business). Kept on
#: the world, it goes with it, and a copy of a world has its own; ``link_feeds`` forgets them.
#: A seller asked about alone is read afresh: it costs little and would push the lists out.
_LAYOUTS = "_seller_layouts"
_LAYOUTS_KEPT = 8


def _layout_of(sellers: Sequence[SeparatorFirm]) -> _SellerLayout:
    """The ``_SellerLayout`` of these sellers, read once for each list the world asks about."""
    if len(sellers) < 2:
        return _SellerLayout(sellers)
    key = tuple(sellers)
    kept = vars(sellers[0].model).setdefault(_LAYOUTS, {})
    layout = kept.pop(key, None)
    if layout is None:
        layout = _SellerLayout(key)
        while len(kept) >= _LAYOUTS_KEPT:
            del kept[next(iter(kept))]  # the one asked about longest ago
    kept[key] = layout  # now the newest
    return layout


def _sellable_shares(sellers: Sequence[SeparatorFirm], mix: np.ndarray, stock: np.ndarray | None = None,
                     capacity_tpy: np.ndarray | None = None) -> np.ndarray:
    """Each seller's ``sellable_share`` (``mix``: their output mixes, a row each; ``stock``:
    their ``stocks_of`` and ``capacity_tpy`` their capacities, if read)."""
    if capacity_tpy is None:
        capacity_tpy = np.array([seller.capacity_tpy for seller in sellers], dtype=float)
    capacity = capacity_tpy / 4.0  # a quarter's
    target = np.maximum((sellers[0].model.assumptions.plant_stock_target_quarters * capacity)[:, None] * mix, 1e-9)
    # np.minimum(np.maximum(...)) is np.clip's arithmetic without its Python wrapper.
    return np.minimum(np.maximum(2.0 - (stocks_of(sellers) if stock is None else stock) / target, 0.0), 1.0)


def feed_costs_of(sellers: Sequence[SeparatorFirm], digging_only: bool) -> np.ndarray:
    """US$/kg of output each seller's feed mines' concentrate costs, averaged over its mines by
    capacity (0 without mines): ``concentrate_price`` for every plant and mine at once."""
    return feed_pairs_of(sellers).costs(digging_only)


def _concentrate_prices(plants: Sequence[SeparatorFirm], feeds: Sequence[MinerFirm], digging_only: bool) -> np.ndarray:
    """``concentrate_price`` of each feed mine to the plant beside it, all at once."""
    return FeedPairs(list(plants), list(feeds)).prices(digging_only)


def feed_pairs_of(sellers: Sequence[SeparatorFirm], readings: SellerReadings | None = None) -> FeedPairs:
    """Every seller's pairs of it and a feed mine, seller by seller, each's mines in order
    (``readings``: the sellers' figures, whose netbacks the pairs then take)."""
    layout = _layout_of(sellers)
    return FeedPairs(layout.plants, layout.feeds, layout.plant_row, layout.place, len(sellers), readings, layout)


class FeedPairs:
    """Pairs of a plant and one of its feed mines, with the figures that price the mine's
    concentrate to the plant read once: a review prices them both ways (digging only, and with
    the mines' fixed costs) from one reading.

    Args:
        plants, feeds: The plant and the mine of each pair.
        plant_row, place: For ``costs``: the seller each pair belongs to (an index into the
            sellers) and the mine's place among that seller's feeds.
        n_sellers: How many sellers there are.
        readings: The sellers' figures, whose netbacks the pairs take, if read.
        layout: The sellers' layout, which keeps what never changes about the pairs.
    """

    def __init__(self, plants: list[SeparatorFirm], feeds: list[MinerFirm], plant_row: np.ndarray | None = None,
                 place: np.ndarray | None = None, n_sellers: int = 0, readings: SellerReadings | None = None,
                 layout: _SellerLayout | None = None):
        self.plants, self.feeds = plants, feeds
        self.plant_row, self.place, self.n_sellers = plant_row, place, n_sellers
        self.readings = readings
        self._layout = layout
        self._figures: tuple | None = None

    def costs(self, digging_only: bool) -> np.ndarray:
        """``feed_costs_of`` the sellers the pairs were made of (``feed_pairs_of``)."""
        costs = np.zeros(self.n_sellers)
        if not self.feeds:
            return costs
        price = self.prices(digging_only)
        weight = self._read()[0] + 1e-9
        first = self.place == 0
        has_feeds = np.zeros(self.n_sellers, dtype=bool)
        has_feeds[self.plant_row[first]] = weight[first] > 0.0
        return np.divide(_sums_by_seller(self.plant_row, self.n_sellers, weight * price),
                         _sums_by_seller(self.plant_row, self.n_sellers, weight), out=costs, where=has_feeds)

    def prices(self, digging_only: bool) -> np.ndarray:
        """``concentrate_price`` of each pair's mine to its plant."""
        _, tracked, unit_cost, royalty, value, own = self._read()
        assumptions = self.plants[0].model.assumptions
        cost = unit_cost + royalty
        floor = cost if digging_only else unit_cost * (1.0 + assumptions.fixed_cost_share) + royalty
        price = np.maximum(floor / tracked, assumptions.concentrate_value_share * value)
        if digging_only:  # a mine of the plant's own company costs it only the digging
            price = np.where(own, cost / tracked, price)
        return price

    def _read(self) -> tuple:
        """Per pair: the mine's capacity, tracked share, unit cost and royalty; what its oxides
        are worth per kg of oxide content at the plant's expected netback; and whether it is of
        the plant's own company."""
        if self._figures is None:
            plants, feeds = self.plants, self.feeds
            reference = plants[0].model.reference_price
            if self.readings is None:
                netback = np.array([reference if plant.expected_netback is None else plant.expected_netback
                                    for plant in plants])
            else:  # the sellers' own, read once (read when the pairs first are: see SellerReadings)
                expects, expected = self.readings.expected
                netback = np.where(expects[:, None], expected, reference)[self.plant_row]
            layout = self._layout
            tracked, composition, own = pair_constants(plants, feeds) if layout is None else layout.feed_figures()
            value = sums_in_order(composition * netback) / tracked
            self._figures = (np.array([feed.capacity_tpy for feed in feeds]), tracked,
                             np.array([feed.unit_cost for feed in feeds]),
                             np.array([feed.royalty_usd_per_kg for feed in feeds]), value, own)
        return self._figures


def separate_of(plants: Sequence[SeparatorFirm], throughputs: Sequence[float],
                readings: SellerReadings | None = None) -> None:
    """Each plant separates (``separate``) up to its throughput from its feed mines' concentrate,
    paying each mine for it at ``concentrate_price``.

    Plants are taken in order and, all at once, as many as share no mine with a plant before
    them still to go (a mine that feeds two plants hands over to the first, then the second).
    A plant's feed mines are distinct (the level's validator checks it), so each plant's and
    mine's arithmetic is in the same order as plant by plant. A few plants are walked plant by
    plant (``_separate_one_by_one``), with the same numbers. ``readings``: the plants' figures,
    if already read (digging does not change what concentrate costs).
    """
    if not plants:
        return
    # What each mine's concentrate costs each plant it feeds: nothing separation does moves it.
    pairs = feed_pairs_of(plants) if readings is None else readings.pairs
    unit_price = pairs.prices(digging_only=False) if pairs.feeds else np.zeros(0)
    if len(pairs.feeds) < SEPARATE_IN_WAVES_FROM_PAIRS:
        _separate_one_by_one(plants, throughputs, unit_price.tolist())
        return
    # The waves the plants go in, and each plant's number of feed mines and where its pairs
    # start in ``pairs``: none of it changes while the world's plants stay linked to their mines.
    layout = _layout_of(plants)
    waves = layout.waves()
    feed_counts = np.bincount(layout.plant_row, minlength=len(plants))
    first_pair = np.cumsum(feed_counts) - feed_counts
    planned = np.array(throughputs, dtype=float)
    for wave in waves:
        members = [plants[k] for k in wave]
        feeds = [feed for plant in members for feed in plant.feeds]
        # Each of those mines' plant (a row of the wave) and its place among that plant's mines.
        counts = feed_counts[wave]
        taker = np.repeat(np.arange(len(wave)), counts)
        places = np.arange(len(feeds)) - (np.cumsum(counts) - counts)[taker]
        # What its mines hold, read before any of them hands over: each mine's stock (its
        # materials added in order, as a sum of one mine's does), then each plant's mines' in order.
        concentrate = rows_of([feed.concentrate for feed in feeds])
        stock = sums_in_order(concentrate)
        available = np.zeros(len(wave))
        np.add.at(available, taker, stock)  # in order, as ``added_up`` adds
        throughput = np.minimum(planned[wave], available)
        cash = np.array([plant.cash_musd for plant in members], dtype=float)
        # Each of their feed mines' share of it (hand_over's tonnes), all the wave's mines at once.
        if feeds:
            held, wanted = available[taker], throughput[taker]
            share = np.divide(stock, held, out=np.zeros_like(stock), where=held > 0) * wanted
            handed = (stock > 0.0) & (share > 0.0)
            taken = concentrate * np.minimum(1.0, np.divide(share, stock, out=np.zeros_like(stock),
                                                            where=handed))[:, None]
            taken[~handed] = 0.0
            left = np.maximum(concentrate - taken, 0.0)
            paid = unit_price[first_pair[wave][taker] + places] \
                * sums_in_order(taken) / THOUSAND_USD_PER_MILLION  # US$ million, as ``pay`` and ``earn`` count it
            for k in np.flatnonzero(handed).tolist():
                feeds[k].concentrate = left[k]
            # A mine hands over to one plant of a wave: it is paid once.
            earned = np.array([feed.cash_musd for feed in feeds], dtype=float) + paid
            for feed, own_cash in zip(feeds, earned.tolist()):
                feed.cash_musd = own_cash
            # A plant pays its mines in order, and takes in their oxides in order; each keeps its
            # row of the new stocks (a view: one add per mine and plant costs more than the rows').
            stocks = rows_of([plant.inventory for plant in members])
            for place in range(int(places.max()) + 1):
                at = places == place
                cash[taker[at]] -= paid[at]
                stocks[taker[at]] += taken[at]  # a plant appears once at each place
            for plant, own_stock in zip(members, stocks):
                plant.inventory = own_stock
        # Then it pays for separating what it took (``pay``).
        cash -= throughput * np.array([plant.unit_cost for plant in members], dtype=float) / THOUSAND_USD_PER_MILLION
        for plant, own_cash, tonnes in zip(members, cash.tolist(), throughput.tolist()):
            plant.cash_musd = own_cash
            plant.output_t = tonnes


#: Below this many (plant, feed mine) pairs a plant-by-plant walk of Python floats costs less
#: than ``separate_of``'s arrays, whose few dozen numpy calls a wave cost about a microsecond
#: each however few plants there are (the 2010 world has 17 pairs, and the two cost the same
#: at about 100; split in 25, it has 425).
SEPARATE_IN_WAVES_FROM_PAIRS = 96


def _separate_one_by_one(plants: Sequence[SeparatorFirm], throughputs: Sequence[float],
                         unit_price: list[float]) -> None:
    """``separate_of`` plant by plant, in Python floats: each number is the one the waves'
    arrays give, the same operations in the same order (a plant's mines in order, each sum
    from 0 and left to right; numpy's minimum and maximum keep their second number on a tie).
    ``unit_price``: each pair's ``concentrate_price``, the plants' pairs in order."""
    pair = 0
    for plant, planned in zip(plants, throughputs):
        feeds = plant.feeds
        # What its mines hold, read before any of them hands over.
        contents = [feed.concentrate.tolist() for feed in feeds]
        stocks = []
        available = 0.0
        for content in contents:
            stock = 0.0
            for tonnes in content:
                stock += tonnes
            stocks.append(stock)
            available += stock
        throughput = planned if planned < available else available
        cash = plant.cash_musd
        if feeds:
            inventory = plant.inventory.tolist()
            for feed, content, stock in zip(feeds, contents, stocks):
                share = (stock / available if available > 0 else 0.0) * throughput
                if stock > 0.0 and share > 0.0:
                    ratio = share / stock
                    ratio = 1.0 if 1.0 < ratio else ratio
                    taken = [tonnes * ratio for tonnes in content]
                    feed.concentrate = np.array([left if left > 0.0 else 0.0
                                                 for left in (held - took for held, took in zip(content, taken))])
                else:
                    taken = [0.0] * N_MATERIALS
                total = 0.0
                for tonnes in taken:
                    total += tonnes
                paid = unit_price[pair] * total / THOUSAND_USD_PER_MILLION
                pair += 1
                feed.cash_musd = feed.cash_musd + paid
                cash -= paid
                inventory = [held + took for held, took in zip(inventory, taken)]
            plant.inventory = np.array(inventory)
        plant.cash_musd = cash - throughput * plant.unit_cost / THOUSAND_USD_PER_MILLION
        plant.output_t = throughput


def mine_of(mines: Sequence[MinerFirm], requested_t: Sequence[float], limit_t: Sequence[float | None],
            concentrate: np.ndarray | None = None) -> np.ndarray:
    """Each mine digs (``mine``): what its plants asked for (``requested_t``) plus half a quarter
    of buffer, within capacity and its share of a mining quota (``limit_t``, None if none);
    returns what each mined, a row per mine. Worked out together, each mine's arithmetic in the
    same order as for one; royalties reach the hosts' budgets mine by mine, in order.
    ``concentrate``: each mine's concentrate, a row each (``rows_of``), if already read."""
    mined = np.zeros((len(mines), N_MATERIALS))
    if not mines:
        return mined
    assumptions = mines[0].model.assumptions
    requested = np.array(requested_t, dtype=float)
    capacity_tpy = np.array([mine.capacity_tpy for mine in mines])
    capacity = capacity_tpy / 4.0  # a quarter's
    alive = np.array([mine.alive for mine in mines])
    # Plants want ore again: a mothballed mine reopens (most quarters none is mothballed).
    mothballed = [mine.mothballed for mine in mines]
    if any(mothballed):
        reopens = np.array(mothballed) & alive & (requested > assumptions.idle_below_utilisation * capacity)
        for k in np.flatnonzero(reopens).tolist():
            mines[k].mothballed = False
            mines[k].idle_quarters = 0
    if concentrate is None:
        concentrate = rows_of([mine.concentrate for mine in mines])
    stock = sums_in_order(concentrate)
    if any(cap is not None for cap in limit_t):
        ceiling = np.minimum(capacity, np.array([np.inf if cap is None else cap for cap in limit_t], dtype=float))
    else:  # no mining quota: the minimum with infinity would be the capacity
        ceiling = capacity
    # Ore its plants take this quarter is paid for on delivery (offtakers finance working
    # capital); only the buffer beyond it must come out of its own cash and credit.
    ordered = np.maximum(0.0, requested - stock)
    buffer = np.maximum(0.0, 1.5 * requested - stock) - ordered
    unit_cost = np.array([mine.unit_cost for mine in mines])
    cash = np.array([mine.cash_musd for mine in mines])
    credit = credit_lines_musd(assumptions, capacity_tpy, unit_cost)
    # affordable_t: unlimited where digging costs nothing (divided only where it costs something:
    # a mine with no cost and no cash would make 0/0).
    affordable = np.divide(np.maximum(0.0, cash + credit) * THOUSAND_USD_PER_MILLION, unit_cost,
                           out=np.full(len(mines), np.inf), where=unit_cost > 0)
    ore = np.where(alive, np.minimum(ceiling, ordered + np.minimum(buffer, affordable)), 0.0)
    np.multiply(ore[:, None], rows_of([mine.composition for mine in mines]), out=mined)
    # Each pays for digging, then its royalty if it owes one (``pay``'s arithmetic; most worlds
    # charge none).
    cash = cash - ore * unit_cost / THOUSAND_USD_PER_MILLION
    royalties = [mine.royalty_usd_per_kg for mine in mines]
    owing: list[int] = []
    if any(royalties):
        royalty = np.array(royalties, dtype=float)
        owes = royalty != 0.0
        owing = np.flatnonzero(owes).tolist()
        cash = np.where(owes, cash - ore * royalty / THOUSAND_USD_PER_MILLION, cash)
    # Each keeps its row of the new concentrate (a view, as separate_of leaves it): adding the
    # rows at once costs less than an in-place add per mine, with the same sums.
    for mine, held, tonnes, own_cash in zip(mines, concentrate + mined, ore.tolist(), cash.tolist()):
        mine.concentrate = held
        mine.cash_musd = own_cash
        mine.output_t = tonnes
    for k in owing:
        mine, tonnes, rate = mines[k], ore.item(k), royalty.item(k)
        host = mine.model.nation(mine.nation)
        host.budget_musd += tonnes * rate / 1000.0
        host.royalties_musd += tonnes * rate / 1000.0
    return mined
