"""Firms along the rare-earth chain: ore -> oxides -> magnets -> products.

A ``FirmAgent`` has a role, a home nation, capacity, a unit cost, cash and inventories.
Each role is a small subclass whose turn reads as verbs (``mine``, ``separate``,
``make_magnets``, ``manufacture``); the world decides who acts when.

Quantities are tonnes of rare-earth oxide (t REO) per material, held as numpy vectors
in the order of ``MATERIALS``; prices are US$/kg, so tonnes x US$/kg = US$ thousand,
and cash is US$ million.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from game.vocab.materials import MATERIAL_INDEX, MATERIALS, N_MATERIALS, Material, Role

if TYPE_CHECKING:
    from game.spec import FirmSpec

NDPR, DYTB, CELA = (MATERIAL_INDEX[m] for m in (Material.NDPR, Material.DYTB, Material.CELA))
THOUSAND_USD_PER_MILLION = 1000.0

#: Share of the market value of its stock a firm can borrow against before it fails.
STOCK_CREDIT_SHARE = 0.5
#: A plant keeps up to this many quarters of its output of its best-selling oxide in stock.
STOCK_QUARTERS = 2.0
#: Concentrate changes hands at the mine's unit cost times this: enough to carry its fixed costs.
CONCENTRATE_MARKUP = 1.3
#: A plant or mine used below this share of capacity for LOSS_QUARTERS_TO_MOTHBALL quarters
#: is mothballed (it has nothing to process, or nobody to sell to).
IDLE_BELOW = 0.2
#: Share of full-capacity operating cost that a plant pays even when idle (staff, upkeep).
FIXED_COST_SHARE = 0.15
#: A mothballed plant keeps only this share of its fixed cost.
MOTHBALLED_FIXED_SHARE = 0.2
#: Yearly interest on debt (projects are financed with debt unless an investor pays).
INTEREST_RATE = 0.08
#: Smoothing of expected prices: the weight of this quarter's price; long-run prices
#: (which split joint costs between oxides) move much more slowly.
EXPECTATION_WEIGHT = 0.3
LONG_RUN_WEIGHT = 0.05
#: A plant mothballs after this many quarters of expected losses, and reopens with a margin.
LOSS_QUARTERS_TO_MOTHBALL = 2
REOPEN_MARGIN = 0.10
#: A bankrupt firm can be bought and restarted after this many quarters, if margins are back.
QUARTERS_BEFORE_RESTART = 6
RESTART_MARGIN = 0.20

#: Demand response: buyers start to thrift when expected prices pass this multiple of the
#: reference, by at most a tenth of demand a year (resilience_substitution_rate), down to a floor.
THRIFT_ABOVE = 1.3
RETURN_BELOW = 1.1
MAX_THRIFT_PER_QUARTER = 0.025
MIN_INTENSITY = 0.45

#: After an embargo, buyers hold more stock (up to 1 + this many times their usual buffer)
#: and pay more for it; both scale with the nation's security premium.
FEAR_BUFFER_MULTIPLE = 3.0
FEAR_VALUE_MULTIPLE = 2.0

#: Capital per t/yr of new capacity (plant and its share of mine; assumption, near the 2011
#: projects: LAMP US$500M for 11,000 t/yr) and the payback a firm accepts, by stage:
#: a mine takes years, separation less, recycling less again.
EXPANSION_CAPEX = {Role.SEPARATOR: 45_000.0, Role.RECYCLER: 8_000.0}
PAYBACK_HORIZON_YEARS = {Role.SEPARATOR: 5.0, Role.RECYCLER: 3.0}

#: Relocation: when inputs at home cost this many times China's domestic price, manufacturers
#: move production inside China's quota wall, a few percent a quarter, up to a ceiling
#: (assumption; Japan's demand fell by more than half from 2007 to 2012, jp_demand_fall_2007_2012,
#: beyond what thrift alone did, resilience_substitution_rate).
RELOCATE_ABOVE = 1.5
MAX_RELOCATION_PER_QUARTER = 0.08
MAX_RELOCATED = 0.35

#: How much a buyer pays, as multiples of the reference price, rather than go without.
#: The first steps keep lines running this quarter (value of lost output); the last ones
#: rebuild the buffer only when it is cheap. Shared by every buyer, scaled by its own
#: valuation factor so a country's demand curve has many distinct steps.
NEED_STEPS = ((0.25, 9.0), (0.25, 5.5), (0.25, 3.5), (0.25, 2.2))
BUFFER_STEPS = ((0.5, 1.35), (0.5, 1.05))


class FirmAgent(mesa.Agent):
    """A firm: role, home nation, capacity (t/yr), unit cost (US$/kg), cash, inventories."""

    role: Role = Role.MINER

    def __init__(self, model: mesa.Model, spec: FirmSpec, valuation: float = 1.0):
        super().__init__(model)
        self.firm_id = spec.id
        self.name = spec.name
        self.nation = spec.nation
        self.capacity_tpy = spec.capacity_tpy
        self.unit_cost = spec.unit_cost
        self.cash_musd = spec.cash_musd
        self.inventory = np.array(spec.inventory, dtype=float)
        self.valuation = valuation
        self.alive = True  # False while bankrupt (Mesa 3.3 also still calls removed agents)
        self.output_t = 0.0
        self.debt_musd = 0.0
        self.mothballed = False
        self.bankrupt_since = None  # the quarter it went bankrupt, while it is
        self.idle_quarters = 0
        self._initial_cash = spec.cash_musd

    @property
    def capacity_per_turn(self) -> float:
        return self.capacity_tpy / 4.0

    def earn(self, thousand_usd: float) -> None:
        self.cash_musd += thousand_usd / THOUSAND_USD_PER_MILLION

    def pay(self, thousand_usd: float) -> None:
        self.cash_musd -= thousand_usd / THOUSAND_USD_PER_MILLION

    def held_material(self) -> np.ndarray:
        """Every tonne of each material this firm holds, whatever its form."""
        return self.inventory.copy()

    # -- money

    @property
    def fixed_cost_musd(self) -> float:
        """What the firm pays each quarter whether it produces or not."""
        full = self.capacity_tpy * self.unit_cost * FIXED_COST_SHARE / 4.0 / THOUSAND_USD_PER_MILLION
        return full * (MOTHBALLED_FIXED_SHARE if self.mothballed else 1.0)

    def pay_overheads(self) -> None:
        """Fixed costs and interest, every quarter."""
        if self.alive:
            self.cash_musd -= self.fixed_cost_musd + self.debt_musd * INTEREST_RATE / 4.0

    def finance(self, musd: float) -> None:
        """Borrow to build: construction money becomes debt."""
        self.debt_musd += musd

    def affordable_t(self, usd_per_kg: float) -> float:
        """Tonnes it can pay for this quarter at a cost per kg: a firm does not spend cash it
        lacks on stock it may not sell (it fails on fixed costs and debt, not on buying)."""
        if usd_per_kg <= 0:
            return float("inf")
        return max(0.0, self.cash_musd) * THOUSAND_USD_PER_MILLION / usd_per_kg

    def is_insolvent(self, prices: np.ndarray | None = None) -> bool:
        """Out of cash and of credit: a firm can borrow against half the market value of
        what it holds (at ``prices``, US$/kg) before it fails."""
        if not (self.alive and self.can_fail and self.cash_musd < 0.0):
            return False
        credit = 0.0
        if prices is not None:
            credit = STOCK_CREDIT_SHARE * float(self.held_material() @ prices) / THOUSAND_USD_PER_MILLION
        return self.cash_musd + credit < 0.0

    #: Producers live off rare earths and can fail; for magnet makers and manufacturers
    #: rare earths are a small part of their business, so their cash here never runs out.
    can_fail = True

    def review_use(self) -> str | None:
        """Mothball after quarters of low use; reopen when there is work again."""
        if not self.alive or self.capacity_tpy <= 0:
            return None
        used = self.output_t / self.capacity_per_turn
        if self.mothballed:
            return None
        self.idle_quarters = self.idle_quarters + 1 if used < IDLE_BELOW else 0
        if self.idle_quarters >= LOSS_QUARTERS_TO_MOTHBALL:
            self.mothballed = True
            return "mothballed"
        return None

    def go_bankrupt(self, quarter) -> None:
        """Out of cash: the firm stops; its plant stays, idle, for a buyer to restart."""
        self.alive = False
        self.mothballed = True
        self.bankrupt_since = quarter

    def can_restart(self, quarter, margin_share: float) -> bool:
        return (self.bankrupt_since is not None and quarter - self.bankrupt_since >= QUARTERS_BEFORE_RESTART
                and margin_share > RESTART_MARGIN)

    def restart(self) -> None:
        """Bought out of bankruptcy: debts written off, new owners put in working capital."""
        self.alive = True
        self.mothballed = False
        self.bankrupt_since = None
        self.debt_musd = 0.0
        self.cash_musd = max(self._initial_cash, self.fixed_cost_musd * 8)

    def output_mix(self) -> np.ndarray:
        """Shares of each material in what this firm puts out (zeros if it makes no oxide)."""
        return np.zeros(N_MATERIALS)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.firm_id!r}, {self.nation})"


class MinerFirm(FirmAgent):
    """Mines ore; the concentrate holds the deposit's mix of materials."""

    role = Role.MINER

    def __init__(self, model: mesa.Model, spec: FirmSpec, valuation: float = 1.0):
        super().__init__(model, spec, valuation)
        self.composition = np.array(spec.composition, dtype=float)
        self._tracked_share = float(self.composition.sum()) or 1.0
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
        (and within the mine's share of a national mining quota, if one is enforced)."""
        if self.mothballed and self.alive and requested_t > IDLE_BELOW * self.capacity_per_turn:
            self.mothballed = False  # plants want ore again
            self.idle_quarters = 0
        stock = float(self.concentrate.sum())
        ceiling = self.capacity_per_turn if limit_t is None else min(self.capacity_per_turn, limit_t)
        ceiling = min(ceiling, self.affordable_t(self.unit_cost))
        ore = min(ceiling, max(0.0, 1.5 * requested_t - stock)) if self.alive else 0.0
        mined = ore * self.composition
        self.concentrate += mined
        self.pay(ore * self.unit_cost)
        self.output_t = ore
        return mined

    def hand_over(self, tonnes: float) -> np.ndarray:
        """Give up to ``tonnes`` of concentrate to a separator; returns the material content."""
        stock = float(self.concentrate.sum())
        if stock <= 0.0 or tonnes <= 0.0:
            return np.zeros(N_MATERIALS)
        taken = self.concentrate * min(1.0, tonnes / stock)
        self.concentrate = np.maximum(self.concentrate - taken, 0.0)
        return taken


class DeepSeaVenture(MinerFirm):
    """Lifts rare-earth mud from the deep sea floor: ore rich in heavy rare earths."""

    role = Role.DEEP_SEA


class SeparatorFirm(FirmAgent):
    """Cracks and separates concentrate from its feed mines into oxides, and sells them."""

    role = Role.SEPARATOR

    def __init__(self, model: mesa.Model, spec: FirmSpec, valuation: float = 1.0):
        super().__init__(model, spec, valuation)
        self.feed_ids = spec.feed
        self._feeds: list[MinerFirm] = []
        self._mix = np.zeros(N_MATERIALS)
        self.ask = np.zeros(N_MATERIALS)
        self.expected_netback: np.ndarray | None = None  # US$/kg it can get, per material
        self.long_run_price: np.ndarray | None = None  # slow: splits its joint costs
        self.loss_quarters = 0

    def planned_throughput(self, owed: np.ndarray | None = None) -> float:
        """Feed to process this quarter: run until the best-selling oxide has stock to spare.

        Separation makes every oxide of the ore at once (the "balance problem"): a plant runs
        for the material in demand and lets the others pile up, as cerium did; when even its
        best seller holds two quarters of output, unsold, it stops.
        """
        if not self.alive or self.mothballed:
            return 0.0
        if self.margin_share() < 0.0:
            # It does not make what it expects to sell at a loss, except what it owes under
            # contract when a breach (paid at the buyer's price) would cost it more.
            return min(self.capacity_per_turn, self._throughput_owed(owed), self.affordable_t(self.full_cost))
        mix = self.output_mix()
        target = STOCK_QUARTERS * self.capacity_per_turn * mix
        wanted = [max(0.0, target[m] - self.inventory[m]) / mix[m] for m in range(N_MATERIALS) if mix[m] > 0]
        return min(self.capacity_per_turn, max(wanted, default=0.0), self.affordable_t(self.full_cost))

    def _throughput_owed(self, owed: np.ndarray | None) -> float:
        """Feed to process to deliver ``owed`` (t per material this quarter, beyond stock) if the
        breach it avoids costs more than the loss on making it; else nothing."""
        if owed is None or self.expected_netback is None:
            return 0.0
        mix = self.output_mix()
        short = np.maximum(0.0, owed - self.inventory)
        needed = max((short[m] / mix[m] for m in range(N_MATERIALS) if mix[m] > 0 and short[m] > 0), default=0.0)
        if needed <= 0.0:
            return 0.0
        loss = needed * (self.full_cost - float(mix @ self.expected_netback))  # thousand US$ per t x t
        penalty = float(short @ self.expected_netback)
        return needed if penalty > loss else 0.0

    def separate(self, throughput: float) -> None:
        """Process up to ``throughput`` t of concentrate from the feed mines."""
        available = sum(float(f.concentrate.sum()) for f in self.feeds)
        throughput = min(throughput, available)
        for feed in self.feeds:
            share = float(feed.concentrate.sum()) / available * throughput if available > 0 else 0.0
            content = feed.hand_over(share)
            # Concentrate is bought per tonne of ore, at the miner's cost plus a margin (a
            # transfer price). The ore also holds rare earths this world does not trade (Y, Sm,
            # Gd...): the plant sells them outside it, and they carry their share of the ore.
            price = feed.unit_cost * CONCENTRATE_MARKUP * float(content.sum()) / feed.tracked_share
            self.pay(price)
            feed.earn(price)
            self.earn(price * (1.0 - feed.tracked_share))
            self.inventory += content
        self.pay(throughput * self.unit_cost)
        self.output_t = throughput

    @property
    def feeds(self) -> list[MinerFirm]:
        return self._feeds

    @feeds.setter
    def feeds(self, mines: list[MinerFirm]) -> None:
        """Set the mines it processes; the mix of oxides it makes follows from their ores."""
        self._feeds = list(mines)
        mix = sum((f.composition for f in self._feeds), np.zeros(N_MATERIALS))
        self._mix = mix / mix.sum() if mix.sum() > 0 else mix

    def output_mix(self) -> np.ndarray:
        return self._mix

    def set_asks(self, reference_price: np.ndarray) -> None:
        """Ask each oxide's share of full unit cost, allocated by what each now sells for."""
        if self.long_run_price is None:
            self.long_run_price = reference_price.copy()
        self.ask = self.asks_at(reference_price)

    def asks_at(self, reference_price: np.ndarray) -> np.ndarray:
        """What ``set_asks`` would ask, without changing anything (for hints and previews)."""
        return _allocate_cost(self.full_cost, self.output_mix(), self._value_basis(reference_price))

    def _value_basis(self, reference_price: np.ndarray) -> np.ndarray:
        """Prices to split joint costs by: long-run prices, which move slowly from the
        reference toward what each oxide has been fetching (a fast basis would chase its own
        asks wherever the plant sets the price)."""
        basis = self.long_run_price if self.long_run_price is not None else reference_price
        return np.clip(basis, 0.05 * reference_price, 20.0 * reference_price)

    def has_feed(self) -> bool:
        return any(f.capacity_tpy > 0 or f.concentrate.sum() > 0 for f in self.feeds)

    def sustainable_output_tpy(self) -> float:
        """Oxide it can make in a year: its capacity, or what its mines can feed, if less."""
        if not self.alive or self.mothballed:
            return 0.0
        feed = sum(f.capacity_tpy * f.tracked_share for f in self.feeds if f.alive)
        return min(self.capacity_tpy, feed)

    @property
    def full_cost(self) -> float:
        """US$/kg of output: processing plus the feed at the mines' cost plus margin."""
        feeds = self.feeds
        feed_cost = sum(f.unit_cost for f in feeds) / len(feeds) * CONCENTRATE_MARKUP if feeds else 0.0
        return self.unit_cost + feed_cost

    def expect_prices(self, netback: np.ndarray) -> None:
        """Update the prices it expects to get (smoothed), from this quarter's netback."""
        if self.expected_netback is None:
            self.expected_netback = netback.copy()
        else:
            self.expected_netback = (1 - EXPECTATION_WEIGHT) * self.expected_netback + EXPECTATION_WEIGHT * netback
        if self.long_run_price is not None:
            self.long_run_price = (1 - LONG_RUN_WEIGHT) * self.long_run_price + LONG_RUN_WEIGHT * netback

    def margin_share(self) -> float:
        """Expected margin over full cost, as a share of it (0.2 = 20% above cost)."""
        if self.expected_netback is None or self.full_cost <= 0:
            return 0.0
        value = float(self.output_mix() @ self.expected_netback)
        return value / self.full_cost - 1.0

    def expansion_wanted(self, utilisation: float) -> float:
        """Tonnes a year to add, if the expected margin pays the investment back in time."""
        margin_usd_per_t = self.margin_share() * self.full_cost * 1000.0
        if margin_usd_per_t <= 0 or utilisation < 0.85:
            return 0.0
        payback_years = EXPANSION_CAPEX[self.role] / margin_usd_per_t
        if payback_years > PAYBACK_HORIZON_YEARS[self.role]:
            return 0.0
        return max(500.0, 0.25 * self.capacity_tpy)

    def review_operations(self, committed: bool = False) -> str | None:
        """Mothball after sustained expected losses; reopen when a margin returns. A plant
        with contracts to deliver keeps running: stopping would breach them."""
        margin = self.margin_share()
        if not self.alive:
            return None
        if committed and self.mothballed and self.has_feed():
            self.mothballed = False
            self.loss_quarters = self.idle_quarters = 0
            return "reopened"
        if committed:
            self.loss_quarters = self.idle_quarters = 0
            return None
        if self.mothballed:
            if margin > REOPEN_MARGIN and self.has_feed():
                self.mothballed = False
                self.idle_quarters = 0
                self.loss_quarters = 0
                return "reopened"
            return None
        self.loss_quarters = self.loss_quarters + 1 if margin < -REOPEN_MARGIN else 0
        if self.loss_quarters >= LOSS_QUARTERS_TO_MOTHBALL and self.capacity_tpy > 0:
            self.mothballed = True
            return "mothballed"
        return self.review_use()


class RecyclerFirm(SeparatorFirm):
    """Recovers magnet rare earths from end-of-life products (the urban mine)."""

    role = Role.RECYCLER

    def __init__(self, model: mesa.Model, spec: FirmSpec, valuation: float = 1.0):
        super().__init__(model, spec, valuation)
        self.scrap_sources: list = []  # nations whose collected scrap this plant takes

    def recycle(self, scrap_offered: np.ndarray) -> np.ndarray:
        """Process the scrap offered to it, up to capacity; returns what was recovered."""
        scrap = float(scrap_offered.sum())
        take = min(self.capacity_per_turn, scrap) if self.alive and not self.mothballed else 0.0
        recovered = scrap_offered * (take / scrap) if scrap > 0 else np.zeros(N_MATERIALS)
        self.inventory += recovered
        self.pay(take * self.unit_cost)
        self.output_t = take
        return recovered

    def output_mix(self) -> np.ndarray:
        pool = sum((n.scrap_pool for n in self.scrap_sources), np.zeros(N_MATERIALS))
        if pool.sum() > 0:
            return pool / pool.sum()
        mix = np.zeros(N_MATERIALS)
        mix[NDPR], mix[DYTB] = 0.93, 0.07  # magnet scrap: mostly NdPr, some Dy/Tb
        return mix

    def asks_at(self, reference_price: np.ndarray) -> np.ndarray:
        return _allocate_cost(self.unit_cost, self.output_mix(), self._value_basis(reference_price))

    def has_feed(self) -> bool:
        return any(n.scrap_pool.sum() > 0.2 * self.capacity_per_turn for n in self.scrap_sources)

    def sustainable_output_tpy(self) -> float:
        """Scrap arrives as products wear out: what it recovered lately is what it can promise."""
        return 0.0 if not self.alive or self.mothballed else min(self.capacity_tpy, 0.9 * 4.0 * self.output_t)

    @property
    def full_cost(self) -> float:
        return self.unit_cost


class BuyerFirm(FirmAgent):
    """A firm that buys oxides: it bids for what it needs this quarter, then for its buffer."""

    can_fail = False

    def __init__(self, model: mesa.Model, spec: FirmSpec, valuation: float = 1.0):
        super().__init__(model, spec, valuation)
        self.buffer_quarters = spec.buffer_quarters
        self.requirement = np.zeros(N_MATERIALS)  # oxide needed this quarter
        self.fear = 0.0  # 0..1: the home nation's security premium, after embargoes
        self.support = 0.0  # this quarter's state support, as a share added to what it can pay

    def uses(self, m: int) -> bool:
        """Whether this firm buys material ``m`` at all."""
        raise NotImplementedError

    @property
    def target_buffer_quarters(self) -> float:
        """Stock it wants on hand beyond this quarter's use: more after a supply shock."""
        return self.buffer_quarters * (1.0 + FEAR_BUFFER_MULTIPLE * self.fear)

    def bids(self, reference_price: np.ndarray, expected_price: np.ndarray) -> list[tuple[int, float, float]]:
        """Demand steps ``(material index, tonnes, willingness to pay US$/kg)``.

        What keeps lines running this quarter is valued at multiples of the reference price
        (the value of lost output). Stock for later is valued against the price the buyer
        expects, when that is higher, and more so when it is frightened: hoarding chases a
        rising market, as in 2011, until the buffers are full.
        """
        steps = []
        buffer_value = 1.0 + FEAR_VALUE_MULTIPLE * self.fear  # precautionary stock is worth more
        for m in range(N_MATERIALS):
            need = self.requirement[m]
            if need <= 0.0:
                continue
            short = max(0.0, need - self.inventory[m])
            buffer_gap = max(0.0, need * (1.0 + self.target_buffer_quarters) - self.inventory[m]) - short
            base = reference_price[m] * self.valuation * (1.0 + self.support)
            # Stock is never worth more than keeping most of the lines running: that caps a
            # hoarding spiral while letting a real spike through.
            stock_cap = base * NEED_STEPS[1][1]
            stock_base = max(reference_price[m], expected_price[m]) * self.valuation
            steps.extend((m, short * share, base * multiple) for share, multiple in NEED_STEPS if short > 0)
            steps.extend((m, buffer_gap * share, min(stock_cap, stock_base * multiple * buffer_value))
                         for share, multiple in BUFFER_STEPS if buffer_gap > 0)
        return steps


class MagnetMakerFirm(BuyerFirm):
    """Turns NdPr and Dy/Tb oxide into NdFeB magnets for manufacturers at home."""

    role = Role.MAGNET_MAKER

    def __init__(self, model: mesa.Model, spec: FirmSpec, valuation: float = 1.0):
        super().__init__(model, spec, valuation)
        self.dy_share = spec.dy_share
        self.min_dy_share = spec.dy_share * 0.4  # heavy-RE-free designs exist, not for every use
        self.orders_t = 0.0

    def uses(self, m: int) -> bool:
        return self.recipe[m] > 0

    @property
    def recipe(self) -> np.ndarray:
        recipe = np.zeros(N_MATERIALS)
        recipe[NDPR], recipe[DYTB] = 1.0 - self.dy_share, self.dy_share
        return recipe

    def take_orders(self, magnets_t: float) -> None:
        """Plan this quarter's output from manufacturers' orders; it sets the oxide requirement."""
        self.orders_t = min(magnets_t, self.capacity_per_turn)
        self.requirement = self.orders_t * self.recipe

    def adapt_to_prices(self, dy_price_ratio: float) -> None:
        """Use less Dy/Tb per magnet while it stays dear (grain-boundary diffusion, redesign)."""
        if dy_price_ratio > THRIFT_ABOVE:
            pressure = min(1.0, np.log(dy_price_ratio / THRIFT_ABOVE) / np.log(3.0))
            self.dy_share = max(self.min_dy_share, self.dy_share * (1.0 - MAX_THRIFT_PER_QUARTER * pressure))

    def make_magnets(self) -> np.ndarray:
        """Make what was ordered as far as oxide on hand allows; returns the magnets' content."""
        recipe = self.recipe
        limits = [self.orders_t]
        limits += [self.inventory[m] / recipe[m] for m in range(N_MATERIALS) if recipe[m] > 0]
        made = max(0.0, min(limits)) if self.alive else 0.0
        content = np.minimum(made * recipe, self.inventory)
        self.inventory -= content
        self.pay(made * self.unit_cost)
        self.output_t = made
        return content


class ManufacturerFirm(BuyerFirm):
    """Makes motors, electronics, catalysts and glass; its fill rate is the output index."""

    role = Role.MANUFACTURER

    def __init__(self, model: mesa.Model, spec: FirmSpec, valuation: float = 1.0):
        super().__init__(model, spec, valuation)
        self.magnet_need_tpy, self.cela_need_tpy = spec.needs_tpy
        self.output_weight = spec.output_weight
        self.demand_factor = 1.0  # intensity of use: falls with thrift and substitution
        self.moved_share = 0.0  # share of its 2010 production moved to China so far
        self.magnets = np.zeros(N_MATERIALS)  # magnet stock, as material content
        self.fill = 1.0
        self.consumed = np.zeros(N_MATERIALS)

    def uses(self, m: int) -> bool:
        return m == CELA and self.cela_need_tpy > 0

    @property
    def magnet_need(self) -> float:
        return self.magnet_need_tpy / 4.0 * self.demand_factor

    @property
    def cela_need(self) -> float:
        return self.cela_need_tpy / 4.0 * self.demand_factor

    def held_material(self) -> np.ndarray:
        return self.inventory + self.magnets

    def plan(self) -> float:
        """Set this quarter's Ce/La requirement; return the magnets to order from home makers."""
        self.requirement = np.zeros(N_MATERIALS)
        self.requirement[CELA] = self.cela_need
        magnet_stock = float(self.magnets.sum())
        return max(0.0, self.magnet_need * (1.0 + self.target_buffer_quarters) - magnet_stock)

    def receive_magnets(self, content: np.ndarray) -> None:
        self.magnets += content

    def manufacture(self) -> np.ndarray:
        """Produce as far as the scarcest input allows; returns the material consumed."""
        fills = []
        if self.magnet_need > 0:
            fills.append(float(self.magnets.sum()) / self.magnet_need)
        if self.cela_need > 0:
            fills.append(self.inventory[CELA] / self.cela_need)
        self.fill = min(1.0, min(fills)) if fills else 1.0
        consumed = np.zeros(N_MATERIALS)
        if self.magnet_need > 0 and self.magnets.sum() > 0:
            used = self.magnets * min(1.0, self.fill * self.magnet_need / float(self.magnets.sum()))
            self.magnets = np.maximum(self.magnets - used, 0.0)
            consumed += used
        if self.cela_need > 0:
            used_cela = min(self.inventory[CELA], self.fill * self.cela_need)
            self.inventory[CELA] -= used_cela
            consumed[CELA] += used_cela
        self.consumed = consumed
        return consumed

    def input_price_ratio(self, expected: np.ndarray, reference: np.ndarray, magnet_recipe: np.ndarray) -> float:
        """Expected cost of its rare-earth inputs over their cost at reference prices."""
        weights = self.magnet_need_tpy * magnet_recipe
        weights[2] += self.cela_need_tpy
        base = float(weights @ reference)
        return float(weights @ expected) / base if base > 0 else 1.0

    def relocation_share(self, home_over_china: float) -> float:
        """Share of its production to move to China this quarter while inputs there are far
        cheaper (two-tier prices pull manufacturing inside the quota wall)."""
        if home_over_china <= RELOCATE_ABOVE or self.moved_share >= MAX_RELOCATED:
            return 0.0
        pressure = min(1.0, np.log(home_over_china / RELOCATE_ABOVE) / np.log(2.0))
        share = min(MAX_RELOCATION_PER_QUARTER * pressure, MAX_RELOCATED - self.moved_share)
        self.moved_share += share
        return share

    def move_production(self, share: float) -> tuple[float, float]:
        """Hand ``share`` of its needs (magnets t/yr, Ce/La t/yr) to a plant elsewhere."""
        moved = (self.magnet_need_tpy * share, self.cela_need_tpy * share)
        self.magnet_need_tpy -= moved[0]
        self.cela_need_tpy -= moved[1]
        return moved

    def adapt_to_prices(self, price_ratio: float) -> None:
        """Thrift and substitute while inputs stay dear; come back, more slowly, when they fall.

        ``price_ratio`` is the expected price of its inputs over the reference price. At most
        a tenth of demand a year is thrifted away (resilience_substitution_rate), and use
        returns at a third of that pace.
        """
        if price_ratio > THRIFT_ABOVE:
            pressure = min(1.0, np.log(price_ratio / THRIFT_ABOVE) / np.log(3.0))
            self.demand_factor = max(MIN_INTENSITY, self.demand_factor - MAX_THRIFT_PER_QUARTER * pressure)
        elif price_ratio < RETURN_BELOW:
            self.demand_factor = min(1.0, self.demand_factor + MAX_THRIFT_PER_QUARTER / 3.0)


def _allocate_cost(full_cost: float, mix: np.ndarray, reference_price: np.ndarray) -> np.ndarray:
    """Split a per-kg cost of mixed output across its oxides in proportion to their value.

    Joint products have no cost of their own; allocating by relative sales value is the
    usual accounting convention, and the shares add back up to the full cost. Valued at
    current prices, a by-product nobody buys (cerium in a glut) carries almost none of it
    and the products in demand carry the rest.
    """
    total = float(mix.sum())
    if total <= 0.0:
        return np.zeros(N_MATERIALS)
    shares = mix / total
    basket_value = float(shares @ reference_price)
    return full_cost * reference_price / basket_value


ROLE_CLASSES: dict[Role, type[FirmAgent]] = {
    Role.MINER: MinerFirm,
    Role.DEEP_SEA: DeepSeaVenture,
    Role.SEPARATOR: SeparatorFirm,
    Role.RECYCLER: RecyclerFirm,
    Role.MAGNET_MAKER: MagnetMakerFirm,
    Role.MANUFACTURER: ManufacturerFirm,
}

__all__ = ["FirmAgent", "MinerFirm", "DeepSeaVenture", "SeparatorFirm", "RecyclerFirm", "BuyerFirm",
           "MagnetMakerFirm", "ManufacturerFirm", "ROLE_CLASSES", "MATERIALS"]
