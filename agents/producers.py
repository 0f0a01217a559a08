"""Producers: mines and deep-sea ventures dig ore, separation plants and recyclers make oxides
and decide how much to make, when to mothball, reopen and expand."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from game.vocab.materials import N_MATERIALS, Role

if TYPE_CHECKING:
    from game.spec import FirmSpec

from agents.firm import (
    CONCENTRATE_MARKUP,
    DYTB,
    EXPECTATION_WEIGHT,
    IDLE_BELOW,
    LONG_RUN_WEIGHT,
    LOSS_QUARTERS_TO_MOTHBALL,
    NDPR,
    REOPEN_MARGIN,
    STOCK_QUARTERS,
    FirmAgent,
    _allocate_cost,
)

#: Capital per t/yr of new capacity (plant and its share of mine; assumption, near the 2011
#: projects: LAMP US$500M for 11,000 t/yr) and the payback a firm accepts, by stage:
#: a mine takes years, separation less, recycling less again.
EXPANSION_CAPEX = {Role.SEPARATOR: 45_000.0, Role.RECYCLER: 8_000.0}
PAYBACK_HORIZON_YEARS = {Role.SEPARATOR: 5.0, Role.RECYCLER: 3.0}



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
