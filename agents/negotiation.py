"""Alternating-offers bargaining over long-term rare-earth offtake contracts.

A seller (a mine, a separation plant, a nation's exporters) and a buyer (a nation's
industry) haggle over a small *menu* of contracts: a few volume tiers x a few durations x
a ladder of prices. Prices are US$/kg, volumes tonnes per year, so a price times a volume
is US$ thousand per year, as in the rest of the project. The module is pure and
deterministic: no randomness, no I/O, no project imports, so the world can run dozens of
negotiations a turn and replay them exactly.

Surplus (what a contract is worth over walking away), in US$ thousand per year, scaled by
how well the contract's length suits the party::

    seller:  (price - floor) * volume                        * fit(years)  if volume <= spare
             -inf (it cannot deliver)                                      otherwise
    buyer:   (ceiling * min(volume, need) - price * volume)   * fit(years)
    fit(years) = 1 / (1 + duration_sensitivity * |years - prefers_years|)   (1 at the ideal)

Why these shapes: both sides gain linearly in price, in opposite directions, so with
mirror-image parties the Nash product peaks at the midpoint of the reservations; volume
multiplies the margin, so both want the largest volume the seller can spare and the buyer
needs; the seller cannot promise tonnes it does not have (a hard limit), while a buyer
*can* sign for more than it needs but pays full price for tonnes worth nothing to it (a
soft limit that turns the surplus negative soon enough). ``fit`` is positive, so a
contract's *sign* (better or worse than walking away) depends on price and volume only,
and duration is a pure trade-off issue: a buyer short of secure supply (``prefers_years``
high) can give a little on price for a longer contract that a seller needing financing
(also ``prefers_years`` high) values too, or trade against a seller that prefers short ones.

Utility is surplus divided by the party's best surplus on the menu, so the best term is
exactly 1, walking away is 0, and anything worse is negative (capped at -1: only the sign
matters, as such terms are never proposed or accepted).

Concession follows the polynomial time-dependent tactic of Faratin, Sierra & Jennings
(1998, "Negotiation decision functions for autonomous agents", Robotics and Autonomous
Systems 24:159-182). There a party's offer on an issue moves from its best value by the
fraction ``alpha(t) = kappa + (1 - kappa) * (min(t, T) / T) ** (1 / beta)`` of the way to its
reservation value; beta < 1 is *Boulware* (holds out, concedes near the deadline), beta > 1
is *Conceder* (gives ground early), beta = 1 is linear. Applied to utility with
``kappa = 0`` (open with one's best) it becomes the target::

    target(t) = 1 - (1 - u_min) * (t / T) ** (1 / beta),   u_min = 0 (walking away)

with ``T = rounds - 1``, the last round (the paper's ``t_max``): like Faratin's agents, a
side offers its reservation level in the last round.

Protocol: offers alternate, one per round, rounds 0 .. rounds-1. At its turn a side finds
its target; among the menu terms whose own utility is at least the target it offers the
one best for the *other* side (ties to the lowest menu index). This is a full-information
version of the trade-off mechanism of Faratin, Sierra & Jennings (2002, "Using similarity
criteria to make issue trade-offs in automated negotiations", Artificial Intelligence
142:205-237): conceding along one's own iso-utility set toward the opponent keeps offers
near the Pareto frontier, which is what makes deals land near the Nash point. A side
accepts the other's offer if it is worth at least as much to it as the offer it would make
instead; after the last offer the responder has no counter left and accepts anything at
least as good as walking away. So a deal is reached whenever some term on the menu suits
both sides; when none does, the deadline passes with no deal.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

Side = Literal["seller", "buyer"]
Action = Literal["accept", "counter", "refuse"]

SIDES: tuple[Side, ...] = ("seller", "buyer")
#: Float slack when comparing utilities, so that a term exactly on the target counts.
UTILITY_TOLERANCE = 1e-12
#: Default rounds: enough for a Boulware side to reach a deal with a Conceder, few enough
#: that a negotiation is cheap and a human player is not asked for twenty counter-offers.
DEFAULT_ROUNDS = 8


def _check_finite(value: float, what: str, *, minimum: float, strict: bool) -> float:
    """``value`` as a float, or ValueError naming ``what`` if it is out of range."""
    number = float(value)
    too_small = number <= minimum if strict else number < minimum
    if not math.isfinite(number) or too_small:
        bound = f"> {minimum:g}" if strict else f">= {minimum:g}"
        raise ValueError(f"{what} must be finite and {bound}, got {value!r}")
    return number


def _check_years(value: int, what: str) -> int:
    """``value`` as a whole number of years >= 1, or ValueError naming ``what``."""
    if isinstance(value, bool) or not float(value).is_integer() or value < 1:
        raise ValueError(f"{what} must be a whole number of years >= 1, got {value!r}")
    return int(value)


def _usd_per_kg(price: float) -> str:
    """A price for humans: whole dollars when whole, else cents, so near prices differ."""
    return f"US${price:,.0f}/kg" if abs(price - round(price)) < 0.005 else f"US${price:,.2f}/kg"


def _tonnes_per_year(volume: float) -> str:
    return f"{volume:,.0f} t/yr"


@dataclass(frozen=True)
class Terms:
    """One offtake contract: ``volume_tpy`` t/yr for ``years`` years at ``price`` US$/kg."""

    volume_tpy: float
    years: int
    price: float

    def __post_init__(self) -> None:
        volume = _check_finite(self.volume_tpy, "Terms.volume_tpy", minimum=0.0, strict=True)
        price = _check_finite(self.price, "Terms.price", minimum=0.0, strict=False)
        object.__setattr__(self, "volume_tpy", volume)
        object.__setattr__(self, "years", _check_years(self.years, "Terms.years"))
        object.__setattr__(self, "price", price)

    def describe(self) -> str:
        """E.g. ``'2,000 t/yr for 5 years at US$68/kg'``."""
        plural = "year" if self.years == 1 else "years"
        volume, price = _tonnes_per_year(self.volume_tpy), _usd_per_kg(self.price)
        return f"{volume} for {self.years} {plural} at {price}"


@dataclass(frozen=True)
class Menu:
    """The contracts on the table: every combination of a volume, a duration and a price.

    Terms are indexed volume-major, then years, then price, in the order given; that order
    is the deterministic tie-break everywhere. Flattened numpy grids of the three issues are
    built once so utilities over the whole menu are a handful of vector operations.
    """

    volumes: tuple[float, ...]
    years: tuple[int, ...]
    prices: tuple[float, ...]
    _volume_grid: np.ndarray = field(init=False, repr=False, compare=False)
    _years_grid: np.ndarray = field(init=False, repr=False, compare=False)
    _price_grid: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name in ("volumes", "years", "prices"):
            if len(getattr(self, name)) == 0:
                raise ValueError(f"menu is empty: Menu.{name} has no entries")
        volumes = tuple(
            _check_finite(v, "Menu.volumes entry", minimum=0.0, strict=True) for v in self.volumes
        )
        years = tuple(_check_years(y, "Menu.years entry") for y in self.years)
        prices = tuple(
            _check_finite(p, "Menu.prices entry", minimum=0.0, strict=False) for p in self.prices
        )
        object.__setattr__(self, "volumes", volumes)
        object.__setattr__(self, "years", years)
        object.__setattr__(self, "prices", prices)
        grids = np.meshgrid(
            np.array(volumes), np.array(years, dtype=float), np.array(prices), indexing="ij"
        )
        for name, grid in zip(("_volume_grid", "_years_grid", "_price_grid"), grids):
            flat = grid.ravel().copy()
            flat.setflags(write=False)  # shared by every negotiation on this menu
            object.__setattr__(self, name, flat)

    @classmethod
    def ladder(
        cls,
        low_price: float,
        high_price: float,
        volumes: Sequence[float],
        years: Sequence[int],
        steps: int = 20,
    ) -> Menu:
        """A menu whose prices are ``steps`` evenly spaced values from low to high, inclusive.

        Typically ``low_price`` and ``high_price`` are the seller's and buyer's reservations.
        """
        low = _check_finite(low_price, "low_price", minimum=0.0, strict=False)
        high = _check_finite(high_price, "high_price", minimum=0.0, strict=False)
        if high <= low:
            raise ValueError(f"high_price ({high_price!r}) must be above low_price ({low_price!r})")
        if isinstance(steps, bool) or int(steps) != steps or steps < 2:
            raise ValueError(f"steps must be a whole number >= 2, got {steps!r}")
        prices = tuple(float(p) for p in np.linspace(low, high, int(steps)))
        return cls(tuple(volumes), tuple(years), prices)

    def __len__(self) -> int:
        return self._price_grid.size

    @property
    def price_step(self) -> float:
        """The largest gap between neighbouring prices (0 for a single price)."""
        ordered = np.sort(np.array(self.prices))
        return float(np.max(np.diff(ordered))) if ordered.size > 1 else 0.0

    def term(self, index: int) -> Terms:
        """The contract at flat ``index``."""
        return Terms(
            float(self._volume_grid[index]), int(self._years_grid[index]), float(self._price_grid[index])
        )

    def terms(self) -> tuple[Terms, ...]:
        """Every contract on the menu, in index order."""
        return tuple(self.term(i) for i in range(len(self)))


@dataclass(frozen=True)
class Party:
    """One side of a negotiation.

    Attributes:
        name: Who it is, for reasons and logs.
        side: ``"seller"`` or ``"buyer"``.
        reservation: US$/kg. Seller: the lowest price it accepts (its floor). Buyer: the
            highest (its ceiling), e.g. from :func:`buyer_reservation_price`.
        volume_tpy: Seller: tonnes a year it can spare. Buyer: tonnes a year it needs.
        beta: Concession character, > 0: < 1 Boulware (patient), > 1 Conceder (pressed).
        prefers_years: The contract length it likes best. Buyers short of secure supply
            and sellers needing project finance want long contracts.
        duration_sensitivity: How fast a contract loses value per year away from
            ``prefers_years`` (0: indifferent to duration).
    """

    name: str
    side: Side
    reservation: float
    volume_tpy: float
    beta: float = 1.0
    prefers_years: float = 5.0
    duration_sensitivity: float = 0.15

    def __post_init__(self) -> None:
        if self.side not in SIDES:
            raise ValueError(f"{self.name}: side must be 'seller' or 'buyer', got {self.side!r}")
        checks = (
            ("reservation", 0.0, False),
            ("volume_tpy", 0.0, True),
            ("beta", 0.0, True),
            ("prefers_years", 0.0, True),
            ("duration_sensitivity", 0.0, False),
        )
        for name, minimum, strict in checks:
            value = getattr(self, name)
            checked = _check_finite(value, f"{self.name}: {name}", minimum=minimum, strict=strict)
            object.__setattr__(self, name, checked)


@dataclass(frozen=True)
class Offer:
    """One offer in the trace, with what it is worth to each side (utility, see module doc)."""

    round: int
    by: Side
    terms: Terms
    utility_seller: float
    utility_buyer: float


@dataclass(frozen=True)
class Outcome:
    """How a negotiation ended: the deal (or None), every offer made, and why."""

    deal: Terms | None
    trace: tuple[Offer, ...]
    reason: str

    @property
    def agreed_offer(self) -> Offer | None:
        """The accepted offer (always the last in the trace), or None without a deal."""
        return self.trace[-1] if self.deal is not None else None


@dataclass(frozen=True)
class Response:
    """An AI side's answer to one proposal: accept it, counter with ``terms``, or refuse."""

    action: Action
    terms: Terms | None
    reason: str


# --- Pure helpers for building parties from world data --------------------------------


def price_index(
    prices: Sequence[float],
    quantities: Sequence[float],
    discount: float,
    fallback: float | None = None,
) -> float:
    """Quantity-weighted, discounted average of past trading prices.

    ``sum(discount**age * q * p) / sum(discount**age * q)``, quarters oldest first, so the
    most recent has age 0; a discount below 1 lets recent quarters count for more.

    Args:
        prices: US$/kg per quarter, most recent last.
        quantities: Tonnes traded per quarter, same length.
        discount: Weight kept per quarter of age, in (0, 1].
        fallback: Returned when no tonnes were traded; without it that is a ValueError.

    Raises:
        ValueError: Mismatched lengths, a bad discount, negative or non-finite data, or
            nothing traded and no fallback.
    """
    price_array = np.asarray(prices, dtype=float)
    quantity_array = np.asarray(quantities, dtype=float)
    if price_array.shape != quantity_array.shape or price_array.ndim != 1:
        raise ValueError(
            "prices and quantities must be two flat sequences of equal length, "
            f"got shapes {price_array.shape} and {quantity_array.shape}"
        )
    if not (0.0 < discount <= 1.0):
        raise ValueError(f"discount must be in (0, 1], got {discount!r}")
    if not (np.all(np.isfinite(price_array)) and np.all(price_array >= 0)):
        raise ValueError("prices must be finite and >= 0")
    if not (np.all(np.isfinite(quantity_array)) and np.all(quantity_array >= 0)):
        raise ValueError("quantities must be finite and >= 0")
    ages = np.arange(price_array.size - 1, -1, -1, dtype=float)
    weights = discount**ages * quantity_array
    total = float(weights.sum())
    if total <= 0.0:
        if fallback is None:
            raise ValueError("no quantity traded in any quarter, so there is no price index (pass a fallback)")
        return float(fallback)
    return float(weights @ price_array / total)


def buyer_reservation_price(index: float, security_premium: float) -> float:
    """The most a buyer will pay: the price index plus a security premium.

    The premium is a fraction of the index (0.3 = 30 % over), so one premium means the
    same for cerium at US$2/kg and dysprosium at US$300/kg; the world raises it after
    embargoes, which is how an embargo threat pushes deal prices toward sellers.
    """
    base = _check_finite(index, "index", minimum=0.0, strict=False)
    premium = _check_finite(security_premium, "security_premium", minimum=0.0, strict=False)
    return base * (1.0 + premium)


# --- Surplus and utility ---------------------------------------------------------------


def _surplus_grid(
    party: Party, volumes: np.ndarray, years: np.ndarray, prices: np.ndarray
) -> np.ndarray:
    """Surplus over walking away, US$ thousand a year scaled by duration fit (module doc)."""
    fit = 1.0 / (1.0 + party.duration_sensitivity * np.abs(years - party.prefers_years))
    if party.side == "seller":
        annual = (prices - party.reservation) * volumes
        # Hard limit: tonnes the seller does not have cannot be sold at any price.
        annual = np.where(volumes <= party.volume_tpy, annual, -np.inf)
    else:
        # Soft limit: tonnes beyond the need are paid for but worth nothing.
        annual = party.reservation * np.minimum(volumes, party.volume_tpy) - prices * volumes
    return annual * fit


def surplus(party: Party, terms: Terms) -> float:
    """What ``terms`` are worth to ``party`` over walking away (-inf: seller cannot deliver)."""
    # One-element arrays so a single contract gets exactly the arithmetic the menu gets.
    volume, years, price = (np.array([float(x)]) for x in (terms.volume_tpy, terms.years, terms.price))
    return float(_surplus_grid(party, volume, years, price)[0])


def menu_surplus(party: Party, menu: Menu) -> np.ndarray:
    """:func:`surplus` of every term on the menu, in index order."""
    return _surplus_grid(party, menu._volume_grid, menu._years_grid, menu._price_grid)


def _normalise(surplus_values: np.ndarray) -> np.ndarray:
    best = float(surplus_values.max())
    if not best > 0.0:
        # Nothing on the menu beats walking away: every term is unacceptable.
        return np.full(surplus_values.shape, -1.0)
    return np.clip(surplus_values / best, -1.0, 1.0)


def menu_utilities(party: Party, menu: Menu) -> np.ndarray:
    """Utility of every menu term: surplus over the party's best; 1 best, < 0 unacceptable."""
    return _normalise(menu_surplus(party, menu))


def target_utility(round_index: int, rounds: int, beta: float, floor: float = 0.0) -> float:
    """Faratin et al.'s polynomial time-dependent target: ``1 - (1 - floor) * (t/T) ** (1/beta)``.

    ``T = rounds - 1`` is the last round, the paper's ``t_max``: the target is 1 at round 0
    and reaches the floor (walking away) in the last round. A one-round negotiation is all
    deadline, so its single offer is already at the floor.
    """
    last_round = rounds - 1
    progress = 1.0 if last_round <= 0 else min(max(round_index, 0) / last_round, 1.0)
    return 1.0 - (1.0 - floor) * progress ** (1.0 / beta)


def _choose_offer(own_utility: np.ndarray, other_utility: np.ndarray, target: float) -> int:
    """Index of the term best for the other side among those meeting our own target."""
    # Never below zero, whatever the slack: a side never proposes worse than walking away.
    threshold = max(target - UTILITY_TOLERANCE, 0.0)
    candidates = np.where(own_utility >= threshold, other_utility, -np.inf)
    return int(np.argmax(candidates))  # first maximum: ties go to the lowest index


def _check_rounds(rounds: int) -> None:
    if isinstance(rounds, bool) or int(rounds) != rounds or rounds < 1:
        raise ValueError(f"rounds must be a whole number >= 1, got {rounds!r}")


def _check_pair(seller: Party, buyer: Party) -> None:
    if seller.side != "seller":
        raise ValueError(f"seller {seller.name!r} has side {seller.side!r}, expected 'seller'")
    if buyer.side != "buyer":
        raise ValueError(f"buyer {buyer.name!r} has side {buyer.side!r}, expected 'buyer'")


# --- Bargaining ------------------------------------------------------------------------


def negotiate(
    seller: Party,
    buyer: Party,
    menu: Menu,
    rounds: int = DEFAULT_ROUNDS,
    first: Side = "buyer",
) -> Outcome:
    """Alternating offers over ``menu`` for at most ``rounds`` offers, ``first`` opening.

    Returns:
        The deal (if any), every offer made in order, and a one-line reason.

    Raises:
        ValueError: Parties on the wrong sides, rounds < 1, or an unknown ``first``.
    """
    _check_pair(seller, buyer)
    _check_rounds(rounds)
    if first not in SIDES:
        raise ValueError(f"first must be 'seller' or 'buyer', got {first!r}")

    utility = {"seller": menu_utilities(seller, menu), "buyer": menu_utilities(buyer, menu)}
    party = {"seller": seller, "buyer": buyer}
    for side in SIDES:
        if utility[side].max() < 0.0:  # normalised to all -1: nothing beats walking away
            why = f"no contract on the menu beats walking away for {party[side].name}"
            return Outcome(None, (), why)

    other = {"seller": "buyer", "buyer": "seller"}
    trace: list[Offer] = []
    mover: Side = first
    last_index = -1
    for round_index in range(rounds):
        own, theirs = utility[mover], utility[other[mover]]
        index = _choose_offer(own, theirs, target_utility(round_index, rounds, party[mover].beta))
        # Accept the standing offer if it is worth at least what we were about to ask for.
        standing = own[last_index] if last_index >= 0 else -1.0
        if standing >= 0.0 and standing >= own[index] - UTILITY_TOLERANCE:
            return Outcome(
                menu.term(last_index),
                tuple(trace),
                f"{party[mover].name} accepted the {other[mover]}'s offer of round {round_index - 1}",
            )
        trace.append(
            Offer(
                round_index,
                mover,
                menu.term(index),
                float(utility["seller"][index]),
                float(utility["buyer"][index]),
            )
        )
        last_index = index
        mover = other[mover]

    # Deadline: no counter is left, so anything at least as good as walking away will do.
    # The last offer was made at its author's floor, so if any term on the menu suits both
    # sides, this accepts: the deadline only bites when there is no zone of agreement.
    if utility[mover][last_index] >= 0.0:
        return Outcome(
            menu.term(last_index),
            tuple(trace),
            f"{party[mover].name} accepted the {other[mover]}'s final offer at the deadline",
        )
    if buyer.reservation < seller.reservation:
        why = (
            f"no zone of agreement: {buyer.name}'s ceiling {_usd_per_kg(buyer.reservation)} is below "
            f"{seller.name}'s floor {_usd_per_kg(seller.reservation)}"
        )
    else:
        why = (
            f"deadline passed after {rounds} rounds: no contract on the menu suits both "
            f"{seller.name} and {buyer.name}"
        )
    return Outcome(None, tuple(trace), why)


def nash_point(seller: Party, buyer: Party, menu: Menu) -> Terms | None:
    """The menu term maximising the product of both surpluses (ties: lowest index).

    None if no term gives both sides a positive surplus. Used for "fair price" hints and to
    settle deals between AI agents without running the protocol.
    """
    _check_pair(seller, buyer)
    seller_surplus, buyer_surplus = menu_surplus(seller, menu), menu_surplus(buyer, menu)
    both_gain = (seller_surplus > 0.0) & (buyer_surplus > 0.0)
    if not both_gain.any():
        return None
    # Zero out before multiplying so -inf (undeliverable) never meets a zero or a negative.
    product = np.where(both_gain, seller_surplus, 0.0) * np.where(both_gain, buyer_surplus, 0.0)
    return menu.term(int(np.argmax(np.where(both_gain, product, -np.inf))))


def _refusal(proposal: Terms, responder: Party, value: float) -> str | None:
    """Why ``proposal`` is worse than walking away for ``responder``, or None if it is not."""
    price, volume = proposal.price, proposal.volume_tpy
    if responder.side == "seller":
        if price < responder.reservation:
            floor = _usd_per_kg(responder.reservation)
            return f"our floor {floor} is above your offer of {_usd_per_kg(price)}"
        if volume > responder.volume_tpy:
            return f"we cannot spare more than {_tonnes_per_year(responder.volume_tpy)}"
    else:
        if price > responder.reservation:
            ceiling = _usd_per_kg(responder.reservation)
            return f"our ceiling {ceiling} is below your asking price of {_usd_per_kg(price)}"
        if value < 0.0:
            return (
                f"we need only {_tonnes_per_year(responder.volume_tpy)}; paying {_usd_per_kg(price)} for "
                f"{_tonnes_per_year(volume)} costs more than the tonnes are worth to us"
            )
    return "these terms are worse for us than walking away" if value < 0.0 else None


def respond(
    proposal: Terms,
    responder: Party,
    proposer: Party,
    menu: Menu,
    round_index: int,
    rounds: int = DEFAULT_ROUNDS,
) -> Response:
    """An AI side's answer to a (human) proposal made at ``round_index`` (0-based).

    The proposal need not be on the menu. The responder refuses terms worse than walking
    away, saying why; accepts terms worth at least the counter it would make next (or any
    acceptable terms when the proposal was the last round's); otherwise counters with that
    offer, which is on the menu, acceptable to it and worth more to it than the proposal.

    Raises:
        ValueError: Both parties on the same side, rounds < 1, or a round outside 0..rounds-1.
    """
    _check_rounds(rounds)
    if responder.side == proposer.side:
        raise ValueError(f"responder and proposer are both {responder.side}s")
    whole = not isinstance(round_index, bool) and int(round_index) == round_index
    if not (whole and 0 <= round_index < rounds):
        raise ValueError(f"round_index must be a whole number in 0..{rounds - 1}, got {round_index!r}")

    value = surplus(responder, proposal)
    refusal = _refusal(proposal, responder, value)
    if refusal is not None:
        return Response("refuse", None, refusal)
    next_round = round_index + 1
    if next_round >= rounds:
        return Response("accept", proposal, "last round, and better for us than walking away")

    own_surplus = menu_surplus(responder, menu)
    best = float(own_surplus.max())
    if not best > 0.0:
        # Nothing we could counter with beats walking away; the proposal is all there is.
        if value > 0.0:
            return Response("accept", proposal, "better for us than anything else on the table")
        return Response("refuse", None, "these terms leave us nothing over walking away")
    own_utility = np.clip(own_surplus / best, -1.0, 1.0)
    target = target_utility(next_round, rounds, responder.beta)
    counter = _choose_offer(own_utility, menu_utilities(proposer, menu), target)
    if value / best >= own_utility[counter] - UTILITY_TOLERANCE:
        return Response("accept", proposal, "good enough for us")
    terms = menu.term(counter)
    return Response("counter", terms, f"we can do {terms.describe()}")
