"""Firms along the rare-earth chain: ore -> oxides -> magnets -> products.

A ``FirmAgent`` has a role, a home nation, capacity, a unit cost, cash and inventories.
Each role is a small subclass whose turn reads as verbs (``mine``, ``separate``,
``make_magnets``, ``manufacture``): producers in ``agents.producers``, buyers in
``agents.buyers``, and each role's class in ``agents.roles``.

Quantities are tonnes of rare-earth oxide (t REO) per material, held as numpy vectors
in the order of ``MATERIALS``; prices are US$/kg, so tonnes x US$/kg = US$ thousand,
and cash is US$ million.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from game.vocab.materials import MATERIAL_INDEX, N_MATERIALS, Material, Role

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
