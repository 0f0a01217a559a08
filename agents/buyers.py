"""Buyers: magnet makers turn oxide into magnets, manufacturers turn magnets and Ce/La into
output; both bid on the market, thrift when prices stay high, and manufacturers may move
production into China. How far and how fast rests on the world's assumptions
(``self.model.assumptions``), read where they are used."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import mesa
import numpy as np

from game.vocab.materials import N_MATERIALS, Role
from game.vocab.portable_math import log_each

if TYPE_CHECKING:
    from game.spec import FirmSpec

from agents.firm import CELA, DYTB, NDPR, THOUSAND_USD_PER_MILLION, FirmAgent, rows_of, stocks_of, sums_in_order

#: Below this many firms, buyers adapt to prices (thrift, and moving production into China)
#: one by one in Python floats (the ``_one_by_one`` functions), which costs less than the
#: arrays' dozen numpy calls of about a microsecond each however few firms there are: at the
#: 2010 world's 9 magnet makers and 9 manufacturers, a fifth; at 32, under half (split in 25,
#: the world has 225 of each). Both give the same bits: the same operations in the same order,
#: numpy's minimum and maximum keeping their second number on a tie (world figures are never
#: NaN). Making magnets and manufacturing cost about as much either way at 9 firms, so they
#: have only their arrays.
BUYERS_AS_ARRAYS_FROM = 32


class BuyerFirm(FirmAgent):
    """A firm that buys oxides: it bids for what it needs this quarter, then for its buffer."""

    can_fail = False
    __slots__ = ("buffer_quarters", "requirement", "fear", "support")

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
        return self.buffer_quarters * (1.0 + self.model.assumptions.fear_buffer_multiple * self.fear)


@dataclass(frozen=True)
class BidSteps:
    """Demand steps of many buyers, one entry a step: buyer by buyer, material by material, the
    steps for this quarter's needs, then those for its buffer."""

    buyer: np.ndarray  # index into the buyers bidding
    material: np.ndarray  # material index
    tonnes: np.ndarray
    value: np.ndarray  # willingness to pay, US$/kg


def bid_steps(buyers: Sequence[BuyerFirm], reference_price: np.ndarray, expected_prices: np.ndarray) -> BidSteps:
    """Every buyer's demand steps at once (``expected_prices``: a row per buyer, the prices it
    expects at home).

    What keeps lines running this quarter is valued at multiples of the reference price (the
    value of lost output). Stock for later is valued against the price the buyer expects, when
    that is higher, and more so when it is frightened: hoarding chases a rising market, as in
    2011, until the buffers are full.

    Both kinds of steps are ``need_bid_steps`` and ``buffer_bid_steps`` of the world's
    assumptions, (share, multiple) each, shared by every buyer and scaled by its own valuation,
    so a country's demand curve has many steps. Without fear, buffers are bought at, then below,
    the expected price: they do not chase prices.

    The buyers' figures are read into arrays and the steps worked out for all of them together
    (a loop over buyers cost four times as much at 1,000 and 10,000 firms), with each buyer's
    arithmetic in the same order as for one, so the steps are the same to the last bit.
    """
    if not buyers:
        nothing = np.zeros(0)
        return BidSteps(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), nothing, nothing)
    assumptions = buyers[0].model.assumptions
    need_steps, buffer_steps = assumptions.need_bid_steps, assumptions.buffer_bid_steps
    need = rows_of([b.requirement for b in buyers])
    stock = stocks_of(buyers)
    fear = np.array([b.fear for b in buyers])
    valuation = np.array([b.valuation for b in buyers])
    support = np.array([b.support for b in buyers])
    buffer_quarters = np.array([b.buffer_quarters for b in buyers])
    short = np.maximum(0.0, need - stock)
    target_buffer_quarters = buffer_quarters * (1.0 + assumptions.fear_buffer_multiple * fear)  # as the property
    buffer_gap = np.maximum(0.0, need * (1.0 + target_buffer_quarters)[:, None] - stock) - short
    base = reference_price[None, :] * valuation[:, None] * (1.0 + support)[:, None]
    # Stock is never worth more than keeping most of the lines running: that caps a hoarding
    # spiral while letting a real spike through. Dy/Tb is a small share of a magnet, but
    # irreplaceable: frightened buyers pay more to hold it.
    stock_cap = base * need_steps[1][1]
    stock_cap[:, DYTB] *= assumptions.dytb_stock_cap_scale
    stock_base = expected_prices * valuation[:, None]
    buffer_value = 1.0 + assumptions.fear_value_multiple * fear  # precautionary stock is worth more
    # (A world may have no buffer steps: its buyers then buy only for their lines.)
    need_shares, need_multiples = _step_columns(need_steps)
    buffer_shares, buffer_multiples = _step_columns(buffer_steps)
    tonnes = np.concatenate((short[..., None] * need_shares, buffer_gap[..., None] * buffer_shares), axis=2)
    value = np.concatenate((base[..., None] * need_multiples,
                            np.minimum(stock_cap[..., None],
                                       stock_base[..., None] * buffer_multiples * buffer_value[:, None, None])),
                           axis=2)
    # Who bids for what, need then buffer, each repeated over its steps.
    bidding = np.empty((*short.shape, 2), dtype=bool)
    np.greater(short, 0.0, out=bidding[..., 0])
    np.greater(buffer_gap, 0.0, out=bidding[..., 1])
    bidding &= (need > 0.0)[..., None]
    bids = bidding.repeat((len(need_steps), len(buffer_steps)), axis=2)
    buyer, material, _ = np.nonzero(bids)
    return BidSteps(buyer, material, tonnes[bids], value[bids])


@lru_cache(maxsize=16)
def _step_columns(steps: tuple[tuple[float, float], ...]) -> tuple[np.ndarray, np.ndarray]:
    """A kind of bid steps' shares and multiples, as arrays: a world's steps never change, so
    each is built once (read-only, shared by every quarter and every world with those steps)."""
    shares, multiples = (np.array([step[k] for step in steps], dtype=float) for k in (0, 1))
    shares.flags.writeable = multiples.flags.writeable = False
    return shares, multiples


def take_orders_of(makers: Sequence[MagnetMakerFirm], magnets_t: np.ndarray) -> None:
    """Each magnet maker plans its quarter's output from the magnets ordered of it
    (``magnets_t``), within its capacity, and needs the oxides of its recipe for them: worked
    out together, each maker's arithmetic as for one."""
    capacity = np.array([maker.capacity_tpy for maker in makers], dtype=float) / 4.0  # a quarter's
    orders = np.minimum(magnets_t, capacity)
    dy_share = np.array([maker.dy_share for maker in makers], dtype=float)
    recipe = np.zeros((len(makers), N_MATERIALS))
    recipe[:, NDPR], recipe[:, DYTB] = 1.0 - dy_share, dy_share
    for maker, own_orders, requirement in zip(makers, orders.tolist(), orders[:, None] * recipe):
        maker.orders_t = own_orders
        maker.requirement = requirement


class MagnetMakerFirm(BuyerFirm):
    """Turns NdPr and Dy/Tb oxide into NdFeB magnets for manufacturers at home."""

    role = Role.MAGNET_MAKER
    __slots__ = ("dy_share", "full_dy_share", "min_dy_share", "orders_t")

    def __init__(self, model: mesa.Model, spec: FirmSpec, valuation: float = 1.0):
        super().__init__(model, spec, valuation)
        self.dy_share = spec.dy_share
        self.full_dy_share = spec.dy_share  # the 2010 recipe
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
        """Plan this quarter's output from manufacturers' orders; it sets the oxide requirement
        (``take_orders_of`` does it for many)."""
        take_orders_of([self], np.array([magnets_t], dtype=float))

    def adapt_to_prices(self, dy_price_ratio: float) -> None:
        """Use less Dy/Tb per magnet while it stays dear (grain-boundary diffusion, redesign);
        when it is cheap again, go back toward the higher-coercivity grades, at a third of the
        pace (as manufacturers' use comes back), never beyond the 2010 recipe
        (``adapt_recipes_of`` does it for many)."""
        adapt_recipes_of([self], np.array([dy_price_ratio], dtype=float))

    def make_magnets(self) -> np.ndarray:
        """Make what was ordered as far as oxide on hand allows; returns the magnets' content
        (``make_magnets_of`` does it for many)."""
        return make_magnets_of([self])[0]


class ManufacturerFirm(BuyerFirm):
    """Makes motors, electronics, catalysts and glass; its fill rate is the output index."""

    role = Role.MANUFACTURER
    __slots__ = ("magnet_need_tpy", "cela_need_tpy", "output_weight", "demand_factor", "moved_share", "magnets",
                 "fill", "consumed")

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
        """Set this quarter's Ce/La requirement; return the magnets to order from home makers
        (``plans_of`` does it for many)."""
        return float(plans_of([self])[0])

    def receive_magnets(self, content: np.ndarray) -> None:
        self.magnets += content

    def manufacture(self) -> np.ndarray:
        """Produce as far as the scarcest input allows; returns the material consumed
        (``manufacture_of`` does it for many)."""
        return manufacture_of([self])[0]

    def input_price_ratio(self, expected: np.ndarray, reference: np.ndarray, magnet_recipe: np.ndarray) -> float:
        """Expected cost of its rare-earth inputs over their cost at reference prices
        (``input_price_ratios_of`` does it for many)."""
        return float(input_price_ratios_of([self], expected[None, :], reference[None, :], magnet_recipe[None, :])[0])

    def relocation_share(self, home_over_china: float) -> float:
        """Share of its production to move to China this quarter while inputs there are far
        cheaper (two-tier prices pull manufacturing inside the quota wall): a few percent a
        quarter, up to a ceiling (``relocation_shares_of`` does it for many)."""
        return relocation_shares_of([self], np.array([home_over_china], dtype=float)).item(0)

    def move_production(self, share: float) -> tuple[float, float]:
        """Hand ``share`` of its needs (magnets t/yr, Ce/La t/yr) to a plant elsewhere."""
        moved = (self.magnet_need_tpy * share, self.cela_need_tpy * share)
        self.magnet_need_tpy -= moved[0]
        self.cela_need_tpy -= moved[1]
        return moved

    def adapt_to_prices(self, price_ratio: float) -> None:
        """Thrift and substitute while inputs stay dear; come back, more slowly, when they fall.

        ``price_ratio`` is the expected price of its inputs over the reference price. At most
        ``max_thrift_per_quarter`` of demand is thrifted away a quarter, down to a floor, and
        use returns at a third of that pace (``adapt_demand_of`` does it for many).
        """
        adapt_demand_of([self], np.array([price_ratio], dtype=float))


def _thrift(firms: Sequence[BuyerFirm], ratios: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[int]] | None:
    """For firms whose input prices stand at ``ratios`` to the reference: which are dear enough
    to thrift, how hard each pushes toward thrift (0 to 1: full at three times the threshold;
    worked out where dear, 0 elsewhere), and which firms change at all (dear, or cheap enough
    for use to come back); None if none does."""
    if not firms:
        return None
    assumptions = firms[0].model.assumptions
    dear = ratios > assumptions.thrift_above_price_ratio
    cheap = ~dear & (ratios < assumptions.demand_returns_below_price_ratio)
    changes = np.flatnonzero(dear | cheap).tolist()
    if not changes:
        return None
    pressure = np.zeros(len(ratios))
    pressure[dear] = np.minimum(1.0, log_each(ratios[dear] / assumptions.thrift_above_price_ratio) / math.log(3.0))
    return dear, pressure, changes


def _thrift_pressure(ratio: float, assumptions) -> float | None:
    """``_thrift`` of one firm, in Python floats: how hard it pushes toward thrift if its inputs
    are dear (``ratio`` past the threshold), 0.0 if cheap enough for use to come back, None if
    neither. The threshold is above zero (the level's validator checks it), so a dear ratio's
    quotient is above one and ``math.log`` is NumPy's ``log`` of it (``log_each``)."""
    threshold = assumptions.thrift_above_price_ratio
    if ratio > threshold:
        pressure = math.log(ratio / threshold) / math.log(3.0)
        return 1.0 if 1.0 < pressure else pressure  # np.minimum(1.0, pressure)
    return 0.0 if ratio < assumptions.demand_returns_below_price_ratio else None


def adapt_recipes_of(makers: Sequence[MagnetMakerFirm], dy_price_ratios: np.ndarray) -> None:
    """Each magnet maker's ``adapt_to_prices``, worked out together, each maker's arithmetic as
    for one (``dy_price_ratios``: its home's expected Dy/Tb price over the reference)."""
    if len(makers) < BUYERS_AS_ARRAYS_FROM:
        _adapt_recipes_one_by_one(makers, dy_price_ratios.tolist())
        return
    moved = _thrift(makers, dy_price_ratios)
    if moved is None:
        return
    dear, pressure, changes = moved
    max_thrift = makers[0].model.assumptions.max_thrift_per_quarter
    dy_share = np.array([maker.dy_share for maker in makers], dtype=float)
    floor = np.array([maker.min_dy_share for maker in makers], dtype=float)
    ceiling = np.array([maker.full_dy_share for maker in makers], dtype=float)
    dy_share = np.where(dear, np.maximum(floor, dy_share * (1.0 - max_thrift * pressure)),
                        np.minimum(ceiling, dy_share * (1.0 + max_thrift / 3.0)))
    for k in changes:
        makers[k].dy_share = dy_share.item(k)


def _adapt_recipes_one_by_one(makers: Sequence[MagnetMakerFirm], dy_price_ratios: list[float]) -> None:
    """``adapt_recipes_of`` maker by maker, in Python floats (see ``BUYERS_AS_ARRAYS_FROM``)."""
    if not makers:
        return
    assumptions = makers[0].model.assumptions
    max_thrift = assumptions.max_thrift_per_quarter
    for maker, ratio in zip(makers, dy_price_ratios):
        pressure = _thrift_pressure(ratio, assumptions)
        if pressure is None:
            continue
        if ratio > assumptions.thrift_above_price_ratio:  # dear: np.maximum(floor, ...)
            thrifted, floor = maker.dy_share * (1.0 - max_thrift * pressure), maker.min_dy_share
            maker.dy_share = floor if floor > thrifted else thrifted
        else:  # cheap: np.minimum(ceiling, ...)
            returned, ceiling = maker.dy_share * (1.0 + max_thrift / 3.0), maker.full_dy_share
            maker.dy_share = ceiling if ceiling < returned else returned


def adapt_demand_of(manufacturers: Sequence[ManufacturerFirm], price_ratios: np.ndarray) -> None:
    """Each manufacturer's ``adapt_to_prices``, worked out together, each one's arithmetic as
    for one."""
    if len(manufacturers) < BUYERS_AS_ARRAYS_FROM:
        _adapt_demand_one_by_one(manufacturers, price_ratios.tolist())
        return
    moved = _thrift(manufacturers, price_ratios)
    if moved is None:
        return
    dear, pressure, changes = moved
    assumptions = manufacturers[0].model.assumptions
    max_thrift = assumptions.max_thrift_per_quarter
    factor = np.array([manufacturer.demand_factor for manufacturer in manufacturers], dtype=float)
    factor = np.where(dear, np.maximum(assumptions.min_use_intensity, factor - max_thrift * pressure),
                      np.minimum(1.0, factor + max_thrift / 3.0))
    for k in changes:
        manufacturers[k].demand_factor = factor.item(k)


def _adapt_demand_one_by_one(manufacturers: Sequence[ManufacturerFirm], price_ratios: list[float]) -> None:
    """``adapt_demand_of`` manufacturer by manufacturer, in Python floats (see
    ``BUYERS_AS_ARRAYS_FROM``)."""
    if not manufacturers:
        return
    assumptions = manufacturers[0].model.assumptions
    max_thrift, lowest = assumptions.max_thrift_per_quarter, assumptions.min_use_intensity
    for manufacturer, ratio in zip(manufacturers, price_ratios):
        pressure = _thrift_pressure(ratio, assumptions)
        if pressure is None:
            continue
        if ratio > assumptions.thrift_above_price_ratio:  # dear: np.maximum(lowest, ...)
            thrifted = manufacturer.demand_factor - max_thrift * pressure
            manufacturer.demand_factor = lowest if lowest > thrifted else thrifted
        else:  # cheap: np.minimum(1.0, ...)
            returned = manufacturer.demand_factor + max_thrift / 3.0
            manufacturer.demand_factor = 1.0 if 1.0 < returned else returned


def make_magnets_of(makers: Sequence[MagnetMakerFirm]) -> np.ndarray:
    """Each maker makes what was ordered as far as its oxide on hand allows (``make_magnets``);
    returns the magnets' content, a row per maker. Worked out together, each maker's arithmetic
    in the same order as for one."""
    content = np.zeros((len(makers), N_MATERIALS))
    if not makers:
        return content
    dy_share = np.array([maker.dy_share for maker in makers])
    recipe = np.zeros((len(makers), N_MATERIALS))
    recipe[:, NDPR], recipe[:, DYTB] = 1.0 - dy_share, dy_share
    stock = stocks_of(makers)
    # What its stock of each oxide in the recipe allows, and what was ordered.
    allows = np.divide(stock, recipe, out=np.full_like(stock, np.inf), where=recipe > 0)
    limit = np.minimum(np.array([maker.orders_t for maker in makers]), allows.min(axis=1))
    made = np.where(np.array([maker.alive for maker in makers], dtype=bool), np.maximum(0.0, limit), 0.0)
    np.minimum(made[:, None] * recipe, stock, out=content)
    # Each pays for what it made (``pay``'s arithmetic).
    cash = np.array([maker.cash_musd for maker in makers], dtype=float) \
        - made * np.array([maker.unit_cost for maker in makers], dtype=float) / THOUSAND_USD_PER_MILLION
    # Each keeps its row of what is left (a view; the same subtraction as one by one in place).
    for maker, left, tonnes, own_cash in zip(makers, stock - content, made.tolist(), cash.tolist()):
        maker.inventory = left
        maker.cash_musd = own_cash
        maker.output_t = tonnes
    return content


def manufacture_of(manufacturers: Sequence[ManufacturerFirm]) -> np.ndarray:
    """Each manufacturer produces as far as its scarcest input allows (``manufacture``); returns
    the material each consumed, a row per manufacturer. Worked out together, each one's
    arithmetic in the same order as for one."""
    return manufacture_from(manufacturers, needs_of(manufacturers), magnets_of(manufacturers))


def manufacture_from(manufacturers: Sequence[ManufacturerFirm], needs: tuple[np.ndarray, np.ndarray],
                     magnets: np.ndarray) -> np.ndarray:
    """``manufacture_of``, given each manufacturer's ``needs_of`` and ``magnets_of``, as read by
    the caller (who need not read them twice)."""
    consumed = np.zeros((len(manufacturers), N_MATERIALS))
    if not manufacturers:
        return consumed
    magnet_need, cela_need = needs
    magnet_stock = sums_in_order(magnets)
    cela_stock = np.array([m.inventory[CELA] for m in manufacturers])
    uses_magnets, uses_cela = magnet_need > 0, cela_need > 0
    # The fill is the scarcer input's, at most 1 (and 1 for a firm that needs neither).
    magnet_fill = np.divide(magnet_stock, magnet_need, out=np.full_like(magnet_need, np.inf), where=uses_magnets)
    cela_fill = np.divide(cela_stock, cela_need, out=np.full_like(cela_need, np.inf), where=uses_cela)
    fill = np.minimum(1.0, np.minimum(magnet_fill, cela_fill))
    drawn = uses_magnets & (magnet_stock > 0)
    used_share = np.minimum(1.0, np.divide(fill * magnet_need, magnet_stock, out=np.zeros_like(fill), where=drawn))
    used = np.where(drawn[:, None], magnets * used_share[:, None], 0.0)
    left = np.maximum(magnets - used, 0.0)
    consumed += used
    used_cela = np.where(uses_cela, np.minimum(cela_stock, fill * cela_need), 0.0)
    consumed[:, CELA] += used_cela
    # Each keeps its own figures (its rows are views, as left[k] and consumed[k] would give).
    for manufacturer, own_fill, draws, own_left, takes_cela, own_cela, own_consumed in zip(
            manufacturers, fill.tolist(), drawn.tolist(), left, uses_cela.tolist(), used_cela.tolist(), consumed):
        manufacturer.fill = own_fill
        if draws:
            manufacturer.magnets = own_left
        if takes_cela:
            manufacturer.inventory[CELA] -= own_cela
        manufacturer.consumed = own_consumed
    return consumed


def relocation_shares_of(manufacturers: Sequence[ManufacturerFirm], home_over_china: np.ndarray) -> np.ndarray:
    """Each manufacturer's ``relocation_share`` (``home_over_china``: its inputs' price at home
    over in China), worked out together; each adds its share to what it has moved so far."""
    if not manufacturers:
        return np.zeros(0)
    if len(manufacturers) < BUYERS_AS_ARRAYS_FROM:
        return _relocation_shares_one_by_one(manufacturers, home_over_china.tolist())
    assumptions = manufacturers[0].model.assumptions
    above, ceiling = assumptions.relocate_above_price_ratio, assumptions.max_relocated_share
    moved = np.array([maker.moved_share for maker in manufacturers], dtype=float)
    shares = np.zeros(len(manufacturers))
    moving = np.flatnonzero(~((home_over_china <= above) | (moved >= ceiling)))
    if moving.size:
        pressure = np.minimum(1.0, log_each(home_over_china[moving] / above) / math.log(2.0))
        shares[moving] = np.minimum(assumptions.max_relocation_per_quarter * pressure, ceiling - moved[moving])
        for k, total in zip(moving.tolist(), (moved[moving] + shares[moving]).tolist()):
            manufacturers[k].moved_share = total
    return shares


def _relocation_shares_one_by_one(manufacturers: Sequence[ManufacturerFirm],
                                  home_over_china: list[float]) -> np.ndarray:
    """``relocation_shares_of`` manufacturer by manufacturer, in Python floats (see
    ``BUYERS_AS_ARRAYS_FROM``). The threshold is above zero (the level's validator checks it),
    so a moving firm's quotient is above one and ``math.log`` is NumPy's ``log`` of it."""
    assumptions = manufacturers[0].model.assumptions
    above, ceiling = assumptions.relocate_above_price_ratio, assumptions.max_relocated_share
    shares = [0.0] * len(manufacturers)
    for k, (manufacturer, ratio) in enumerate(zip(manufacturers, home_over_china)):
        moved = manufacturer.moved_share
        if ratio <= above or moved >= ceiling:
            continue
        pressure = math.log(ratio / above) / math.log(2.0)
        pressure = 1.0 if 1.0 < pressure else pressure
        share, room = assumptions.max_relocation_per_quarter * pressure, ceiling - moved
        shares[k] = share = share if share < room else room
        manufacturer.moved_share = moved + share
    return np.array(shares, dtype=float)


def input_price_ratios_of(manufacturers: Sequence[ManufacturerFirm], expected: np.ndarray, reference: np.ndarray,
                          magnet_recipe: np.ndarray) -> np.ndarray:
    """Each manufacturer's ``input_price_ratio``; ``expected``, ``reference`` and
    ``magnet_recipe`` have a row per manufacturer, or one row that all share. Worked out
    together, each one's arithmetic in the same order as for one (dot products add left to
    right, as NumPy's do for three)."""
    weights = np.array([m.magnet_need_tpy for m in manufacturers])[:, None] * magnet_recipe
    weights[:, CELA] += np.array([m.cela_need_tpy for m in manufacturers])
    base = sums_in_order(weights * reference)
    priced = base > 0
    return np.divide(sums_in_order(weights * expected), base, out=np.ones_like(base), where=priced)


def plans_of(manufacturers: Sequence[ManufacturerFirm]) -> np.ndarray:
    """Each manufacturer's ``plan``: sets its Ce/La requirement for the quarter; returns the
    magnets each orders. Worked out together, each one's arithmetic in the same order as for one."""
    if not manufacturers:
        return np.zeros(0)
    assumptions = manufacturers[0].model.assumptions
    magnet_need, cela_need = needs_of(manufacturers)
    fear = np.array([m.fear for m in manufacturers])
    target_buffer = np.array([m.buffer_quarters for m in manufacturers]) \
        * (1.0 + assumptions.fear_buffer_multiple * fear)  # target_buffer_quarters
    requirement = np.zeros((len(manufacturers), N_MATERIALS))
    requirement[:, CELA] = cela_need
    for manufacturer, own in zip(manufacturers, requirement):
        manufacturer.requirement = own
    stock = sums_in_order(magnets_of(manufacturers))
    return np.maximum(0.0, magnet_need * (1.0 + target_buffer) - stock)


def magnets_of(manufacturers: Sequence[ManufacturerFirm]) -> np.ndarray:
    """Each manufacturer's stock of magnets (their content per material), a row each."""
    return rows_of([m.magnets for m in manufacturers])


def needs_of(manufacturers: Sequence[ManufacturerFirm]) -> tuple[np.ndarray, np.ndarray]:
    """Each manufacturer's ``magnet_need`` and ``cela_need`` this quarter, as arrays."""
    demand_factor = np.array([m.demand_factor for m in manufacturers])
    return (np.array([m.magnet_need_tpy for m in manufacturers]) / 4.0 * demand_factor,
            np.array([m.cela_need_tpy for m in manufacturers]) / 4.0 * demand_factor)
