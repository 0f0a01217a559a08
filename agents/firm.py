"""Firms along the rare-earth chain: ore -> oxides -> magnets -> products.

A ``FirmAgent`` has a role, a home nation, capacity, a unit cost, cash and inventories.
Each role is a small subclass whose turn reads as verbs (``mine``, ``separate``,
``make_magnets``, ``manufacture``): producers in ``agents.producers``, buyers in
``agents.buyers``, and each role's class in ``agents.roles``.

Quantities are tonnes of rare-earth oxide (t REO) per material, held as numpy vectors
in the order of ``MATERIALS``; prices are US$/kg, so tonnes x US$/kg = US$ thousand,
and cash is US$ million.

How firms decide (credit, run rates, mothballing, expectations...) rests on the world's
behavioural constants, ``self.model.assumptions`` (``game.spec.Assumptions``), read where
they are used: a level or a run may change them, and a continued world takes the new level's.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter
from typing import TYPE_CHECKING

import mesa
import numpy as np

from game.vocab.materials import MATERIAL_INDEX, N_MATERIALS, Material, Role
from game.vocab.portable_math import dot

if TYPE_CHECKING:
    from game.spec import FirmName, FirmSpec

NDPR, DYTB, CELA = (MATERIAL_INDEX[m] for m in (Material.NDPR, Material.DYTB, Material.CELA))
THOUSAND_USD_PER_MILLION = 1000.0


class FirmAgent(mesa.Agent):
    """A firm: role, home nation, capacity (t/yr), unit cost (US$/kg), cash, inventories."""

    role: Role = Role.MINER
    # Every attribute a firm sets has a slot, here or in its class (a test checks it). Python
    # shares one table of attribute names among a class's instances for up to 30 names; the
    # roles set more, which gave every firm a dict of its own, and reading one figure of
    # 10,000 firms cost about twice as much (a turn at 10,000 firms: about an eighth more).
    # Slots also keep the figures in the object itself. Mesa's own attributes stay in its dict.
    __slots__ = ("firm_id", "name", "name_ja", "nation", "capacity_tpy", "unit_cost", "cash_musd", "inventory",
                 "valuation", "alive", "output_t", "debt_musd", "mothballed", "played", "bankrupt_since",
                 "idle_quarters", "_initial_cash", "backer", "backer_credit_musd", "group")

    def __init__(self, model: mesa.Model, spec: FirmSpec, valuation: float = 1.0):
        super().__init__(model)
        self.firm_id = spec.id
        self.name = spec.name
        self.name_ja = spec.name_ja or spec.name  # the name in Japanese, else the English one
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
        #: Run by a workshop team (a company role): its plants do not mothball, reopen or
        #: expand on their own; the team decides (game.company_levers).
        self.played = False
        self.bankrupt_since = None  # the quarter it went bankrupt, while it is
        self.idle_quarters = 0
        self._initial_cash = spec.cash_musd
        self.backer = spec.backer  # a nation whose state lenders refinance it, or None
        self.backer_credit_musd = spec.backer_credit_musd  # what they would still lend
        self.group = spec.group  # the company it belongs to, whose firms share their cash

    def take_name(self, named: FirmName) -> None:
        """Bear ``named`` from now on: the firm changed hands (the news names it so from now on)."""
        self.name = named.name
        self.name_ja = named.name_ja or named.name

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
        assumptions = self.model.assumptions
        # Staff and upkeep are paid even when idle; a mothballed plant keeps only a share of them.
        full = full_fixed_costs_musd(assumptions, self.capacity_tpy, self.unit_cost)
        return full * (assumptions.mothballed_fixed_cost_share if self.mothballed else 1.0)

    @property
    def overheads_musd(self) -> float:
        """Fixed costs and interest: what it owes each quarter whatever it does."""
        return self.fixed_cost_musd + self.debt_musd * self.model.assumptions.interest_rate_per_year / 4.0

    def finance(self, musd: float) -> None:
        """Borrow to build: construction money becomes debt."""
        self.debt_musd += musd

    @property
    def credit_line_musd(self) -> float:
        """What banks lend it on overdraft: quarters of its fixed costs (a firm fails when cash
        and credit run out, not on one bad quarter)."""
        return credit_lines_musd(self.model.assumptions, self.capacity_tpy, self.unit_cost)

    def affordable_t(self, usd_per_kg: float) -> float:
        """Tonnes it can pay for this quarter at a cost per kg, from cash and its overdraft."""
        if usd_per_kg <= 0:
            return float("inf")
        return max(0.0, self.cash_musd + self.credit_line_musd) * THOUSAND_USD_PER_MILLION / usd_per_kg

    def is_insolvent(self, prices: np.ndarray | None = None) -> bool:
        """Out of cash and of credit: a firm can overdraw its credit line and borrow against
        a share of the market value of what it holds (at ``prices``, US$/kg) before it fails."""
        if not (self.alive and self.can_fail and self.cash_musd < 0.0):
            return False
        credit = self.credit_line_musd
        if prices is not None:
            credit += self.model.assumptions.stock_credit_share * dot(self.held_material(), prices) \
                / THOUSAND_USD_PER_MILLION
        return self.cash_musd + credit < 0.0

    def refinance(self) -> float:
        """Its backer lends it enough to clear its overdraft and carry it a quarter, as
        state lenders did for strategic producers; returns US$ million lent (0 if none)."""
        if not (self.alive and self.backer and self.cash_musd < 0.0 and self.backer_credit_musd > 0.0):
            return 0.0
        lent = min(self.backer_credit_musd, -self.cash_musd + self.fixed_cost_musd)
        self.backer_credit_musd -= lent
        self.cash_musd += lent
        self.debt_musd += lent
        return lent

    def add_backing(self, nation: str, credit_musd: float) -> None:
        """A nation's lenders stand behind this firm for up to ``credit_musd`` more."""
        self.backer = nation
        self.backer_credit_musd += credit_musd

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
        assumptions = self.model.assumptions
        self.idle_quarters = self.idle_quarters + 1 if used < assumptions.idle_below_utilisation else 0
        if self.idle_quarters >= assumptions.loss_quarters_to_mothball:
            self.mothballed = True
            return "mothballed"
        return None

    def go_bankrupt(self, quarter) -> None:
        """Out of cash: the firm stops; its plant stays, idle, for a buyer to restart."""
        self.alive = False
        self.mothballed = True
        self.bankrupt_since = quarter

    def is_for_sale(self, quarter) -> bool:
        """Bankrupt long enough for a buyer to look at it (whether one buys it: ``can_restart``)."""
        return self.bankrupt_since is not None \
            and quarter - self.bankrupt_since >= self.model.assumptions.quarters_before_restart

    def can_restart(self, quarter, margin_share: float) -> bool:
        return self.is_for_sale(quarter) and margin_share > self.model.assumptions.restart_margin

    def restart(self) -> None:
        """Bought out of bankruptcy: debts written off, new owners put in working capital."""
        self.alive = True
        self.mothballed = False
        self.bankrupt_since = None
        self.debt_musd = 0.0
        self.cash_musd = self._new_owners_capital_musd()

    def pass_to_new_owners_free_of_debts(self) -> None:
        """Bought for its assets, not its debts (out of its old owner's bankruptcy): the debts stay
        behind and the new owners put in working capital, as a buyer of a failed firm does. A
        failed firm is bought and restarted (``restart``); one still working keeps working."""
        if not self.alive:
            self.restart()
            return
        self.debt_musd = 0.0
        self.cash_musd = max(self.cash_musd, self._new_owners_capital_musd())

    def _new_owners_capital_musd(self) -> float:
        """What new owners put in: the cash it started with, or two years of a working plant's
        fixed costs if more."""
        return max(self._initial_cash, full_fixed_costs_musd(self.model.assumptions, self.capacity_tpy,
                                                             self.unit_cost) * 8)

    def pay_restart_cost(self) -> None:
        """Reopening a mothballed plant costs quarters of its fixed costs (flushing and
        rebalancing circuits, rehiring)."""
        assumptions = self.model.assumptions
        self.cash_musd -= assumptions.restart_cost_quarters * self.capacity_tpy * self.unit_cost \
            * assumptions.fixed_cost_share / 4.0 / THOUSAND_USD_PER_MILLION

    def output_mix(self) -> np.ndarray:
        """Shares of each material in what this firm puts out (zeros if it makes no oxide)."""
        return np.zeros(N_MATERIALS)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.firm_id!r}, {self.nation})"


#: From this many firms a review is worked out on arrays (measured: at the 2010 world's 7
#: sellers and 6 mines, the arrays cost 150 us a quarter, one by one 40).
REVIEWED_TOGETHER_FROM = 48


def review_uses_of(firms: Sequence[FirmAgent]) -> list[int]:
    """Each firm's ``review_use``, worked out together with the same arithmetic as for one;
    returns the places of the firms it mothballed, in order. (Thousands of mines at 10,000
    firms: a method call each cost more than the review. A few, as in the 2010 world, cost
    less one by one than the arrays: below ``REVIEWED_TOGETHER_FROM`` they go one by one.)"""
    if len(firms) < REVIEWED_TOGETHER_FROM:
        return [k for k, firm in enumerate(firms) if firm.review_use()]
    if not firms:  # every seller still running earned its keep: none left to review
        return []
    assumptions = firms[0].model.assumptions
    capacity = np.array([firm.capacity_tpy for firm in firms], dtype=float)
    reviewed = np.flatnonzero(np.array([firm.alive and not firm.mothballed for firm in firms], dtype=bool)
                              & (capacity > 0)).tolist()
    if not reviewed:
        return []
    them = [firms[k] for k in reviewed]
    used = np.array([firm.output_t for firm in them], dtype=float) / (capacity[reviewed] / 4.0)
    idle_before = np.array([firm.idle_quarters for firm in them], dtype=np.int64)
    idle = np.where(used < assumptions.idle_below_utilisation, idle_before + 1, 0)
    for k in np.flatnonzero(idle != idle_before).tolist():
        them[k].idle_quarters = int(idle[k])
    mothballed = np.flatnonzero(idle >= assumptions.loss_quarters_to_mothball).tolist()
    for k in mothballed:
        them[k].mothballed = True
    return [reviewed[k] for k in mothballed]


def overheads_of(firms: Sequence[FirmAgent]) -> list[float]:
    """Each firm's ``overheads_musd`` (each firm's arithmetic in the same order as for one): what
    a working firm pays each quarter, whatever it does. Worked out in one pass, as a list:
    reading four figures of every firm into arrays cost twice as much at the 2010 world's 44
    firms, and about as much at 1,100 (where paying from the list then costs less)."""
    if not firms:
        return []
    assumptions = firms[0].model.assumptions
    mothballed_share, interest_rate = assumptions.mothballed_fixed_cost_share, assumptions.interest_rate_per_year
    # ``full_fixed_costs_musd``'s arithmetic written out, operation for operation: at 10,000
    # firms a call each was a seventh of the pass.
    fixed_share, thousand = assumptions.fixed_cost_share, THOUSAND_USD_PER_MILLION
    return [firm.capacity_tpy * firm.unit_cost * fixed_share / 4.0 / thousand
            * (mothballed_share if firm.mothballed else 1.0) + firm.debt_musd * interest_rate / 4.0 for firm in firms]


def full_fixed_costs_musd(assumptions, capacity_tpy, unit_cost):
    """A quarter's fixed costs of a working plant (``fixed_cost_musd`` unless mothballed), US$
    million: of one firm's figures or of arrays of many, with the same arithmetic."""
    return capacity_tpy * unit_cost * assumptions.fixed_cost_share / 4.0 / THOUSAND_USD_PER_MILLION


def credit_lines_musd(assumptions, capacity_tpy, unit_cost):
    """What banks lend on overdraft (``credit_line_musd``): of one firm's figures or of arrays
    of many, with the same arithmetic."""
    return assumptions.credit_line_quarters * capacity_tpy * unit_cost * assumptions.fixed_cost_share \
        / 4.0 / THOUSAND_USD_PER_MILLION


_FLOAT = np.dtype(float)
_dtype_of = attrgetter("dtype")
# Below this many rows ``np.concatenate`` costs less than checking the rows' types.
_JOIN_MIN_ROWS = 32


def rows_of(rows: Sequence[np.ndarray]) -> np.ndarray:
    """Firms' arrays of a figure per material (their stock, their requirements...) as the rows
    of one array, in one copy. Rows of float64s in one block of memory each (as firms' figures
    are) have their bytes joined, at about two thirds of what ``np.concatenate``'s checks of
    every array cost; the values are the same bits either way."""
    if not rows:
        return np.zeros((0, N_MATERIALS))
    if len(rows) >= _JOIN_MIN_ROWS and set(map(_dtype_of, rows)) == {_FLOAT}:
        try:
            joined = bytearray().join(rows)  # a row not in one block is refused: concatenated below
        except TypeError:
            joined = None
        if joined is not None and len(joined) == len(rows) * N_MATERIALS * _FLOAT.itemsize:
            return np.frombuffer(joined, dtype=_FLOAT).reshape(len(rows), N_MATERIALS)
    return np.concatenate(rows).reshape(len(rows), N_MATERIALS)


def stocks_of(firms: Sequence[FirmAgent]) -> np.ndarray:
    """Each firm's ``inventory``, a row each."""
    return rows_of([firm.inventory for firm in firms])


#: Below this many rows, and this many columns, ``sums_in_order`` adds each row in one NumPy
#: reduction: NumPy adds fewer than 8 numbers left to right from its initial value, as the
#: column-by-column path does (a test checks the bits), in one call rather than one a column.
#: From about 80 rows the reduction, a loop per row, costs more than the columns' additions.
SUMMED_BY_ROW_BELOW = 64
SUMMED_BY_ROW_COLUMNS_BELOW = 8


def sums_in_order(terms: np.ndarray) -> np.ndarray:
    """Row sums of a 2-D array, adding its columns left to right from 0: each row's sum is the
    one a loop over it gives (and a dot product of a few numbers), to the last bit, where
    numpy's own sum may add in another order depending on the array's shape."""
    if terms.shape[0] < SUMMED_BY_ROW_BELOW and terms.shape[1] < SUMMED_BY_ROW_COLUMNS_BELOW \
            and terms.dtype == _FLOAT:
        return np.add.reduce(terms, axis=1, initial=0.0)
    total = np.zeros(terms.shape[0])
    for column in terms.T:
        total = total + column
    return total
