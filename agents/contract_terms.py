"""The terms of an offtake contract and the parties to it: what the bargaining in
``agents.negotiation`` works over. Plain data and checks; no decisions."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from game.vocab.portable_math import dot, powers

Side = Literal["seller", "buyer"]
Action = Literal["accept", "counter", "refuse"]

SIDES: tuple[Side, ...] = ("seller", "buyer")
#: Float slack when comparing utilities, so that a term exactly on the target counts.
UTILITY_TOLERANCE = 1e-12


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


def format_usd_per_kg(price: float) -> str:
    """A price for humans: whole dollars when whole, else cents, so near prices differ."""
    return f"US${price_figure(price)}/kg"


def price_figure(price: float) -> str:
    """The figure of :func:`format_usd_per_kg` without its unit (``"68"``, ``"72.55"``)."""
    return f"{price:,.0f}" if abs(price - round(price)) < 0.005 else f"{price:,.2f}"


def format_tonnes_per_year(volume: float) -> str:
    return f"{volume:,.0f} t/yr"


@dataclass(frozen=True)
class Terms:
    """One offtake contract: ``volume_tpy`` t/yr for ``years`` years at ``price`` US$/kg."""

    volume_tpy: float
    years: int
    price: float

    def __post_init__(self) -> None:
        volume, years, price = self.volume_tpy, self.years, self.price
        if type(volume) is float and type(years) is int and type(price) is float \
                and 0.0 < volume < math.inf and years >= 1 and 0.0 <= price < math.inf:
            return  # as the checks below would leave them (a menu's terms, made every round)
        volume = _check_finite(self.volume_tpy, "Terms.volume_tpy", minimum=0.0, strict=True)
        price = _check_finite(self.price, "Terms.price", minimum=0.0, strict=False)
        object.__setattr__(self, "volume_tpy", volume)
        object.__setattr__(self, "years", _check_years(self.years, "Terms.years"))
        object.__setattr__(self, "price", price)

    def describe(self) -> str:
        """E.g. ``'2,000 t/yr for 5 years at US$68/kg'``."""
        plural = "year" if self.years == 1 else "years"
        volume, price = format_tonnes_per_year(self.volume_tpy), format_usd_per_kg(self.price)
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
        # Each issue's value at every term, volume-major: np.meshgrid(indexing="ij") flattened,
        # each value copied into its places, for less than the wrappers of either cost (a
        # menu is built for every negotiation).
        shape = (len(volumes), len(years), len(prices))
        issues = (np.array(volumes)[:, None, None], np.array(years, dtype=float)[:, None], np.array(prices))
        for name, values in zip(("_volume_grid", "_years_grid", "_price_grid"), issues):
            grid = np.empty(shape)
            grid[...] = values
            flat = grid.reshape(-1)
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
        return cls(tuple(volumes), tuple(years), _evenly_spaced(low, high, int(steps)))

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
            ``prefers_years`` (0: indifferent to duration); keyword only, no default: the
            world passes its ``contract_duration_sensitivity`` assumption.
    """

    name: str
    side: Side
    reservation: float
    volume_tpy: float
    beta: float = 1.0
    prefers_years: float = 5.0
    duration_sensitivity: float = field(kw_only=True)

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
    """An AI side's answer to one proposal: accept it, counter with ``terms``, or refuse.

    ``reason`` is the English line; ``template`` (str.format) and the ``fields`` that fill it
    are kept so a reader can word the reason in another language (prices are given as their
    figure, e.g. ``"68"``, tonnes as numbers).
    """

    action: Action
    terms: Terms | None
    reason: str
    template: str = ""
    fields: tuple[tuple[str, object], ...] = ()

    @classmethod
    def saying(cls, action: Action, terms: Terms | None, template: str, **fields: object) -> Response:
        """The answer with its reason ``template`` filled from ``fields``."""
        reason = template.format(**fields) if fields else template
        return cls(action, terms, reason, template, tuple(fields.items()))


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
    if len(prices) == len(quantities) < _INDEX_IN_ARRAYS_FROM_QUARTERS:
        try:
            figures = [(float(p), float(q)) for p, q in zip(prices, quantities)]
        except (TypeError, ValueError):  # not a flat sequence of numbers: the arrays' checks say what
            pass
        else:
            return _small_price_index(figures, discount, fallback)
    price_array = np.asarray(prices, dtype=float)
    quantity_array = np.asarray(quantities, dtype=float)
    if price_array.shape != quantity_array.shape or price_array.ndim != 1:
        raise ValueError(
            "prices and quantities must be two flat sequences of equal length, "
            f"got shapes {price_array.shape} and {quantity_array.shape}"
        )
    if not (0.0 < discount <= 1.0):
        raise ValueError(f"discount must be in (0, 1], got {discount!r}")
    # The arrays' own all(): np.all's generic wrapper costs more than the checks themselves.
    if not (np.isfinite(price_array).all() and (price_array >= 0).all()):
        raise ValueError("prices must be finite and >= 0")
    if not (np.isfinite(quantity_array).all() and (quantity_array >= 0).all()):
        raise ValueError("quantities must be finite and >= 0")
    ages = np.arange(price_array.size - 1, -1, -1, dtype=float)
    weights = powers(discount, ages) * quantity_array
    total = float(weights.sum())
    if total <= 0.0:
        if fallback is None:
            raise ValueError("no quantity traded in any quarter, so there is no price index (pass a fallback)")
        return float(fallback)
    return dot(weights, price_array) / total


def _small_price_index(figures: list[tuple[float, float]], discount: float, fallback: float | None) -> float:
    """``price_index`` of a few quarters' (price, tonnes), in Python floats: its checks, and its
    arithmetic in its order (each weight ``discount ** age * tonnes``, ``powers``' ``**``; the
    weights added left to right, as numpy adds fewer than eight; ``dot``'s loop)."""
    if not (0.0 < discount <= 1.0):
        raise ValueError(f"discount must be in (0, 1], got {discount!r}")
    if not all(math.isfinite(p) and p >= 0 for p, _ in figures):
        raise ValueError("prices must be finite and >= 0")
    if not all(math.isfinite(q) and q >= 0 for _, q in figures):
        raise ValueError("quantities must be finite and >= 0")
    base = float(discount)
    last = len(figures) - 1
    weights = [base ** float(last - k) * q for k, (_, q) in enumerate(figures)]
    total = 0.0
    for weight in weights:
        total += weight
    if total <= 0.0:
        if fallback is None:
            raise ValueError("no quantity traded in any quarter, so there is no price index (pass a fallback)")
        return float(fallback)
    weighted = 0.0
    for weight, (price, _) in zip(weights, figures):
        weighted += weight * price
    return weighted / total


def _evenly_spaced(low: float, high: float, steps: int) -> tuple[float, ...]:
    """``np.linspace(low, high, steps)`` as Python floats, by its arithmetic: the k-th is
    ``k * step + low`` with ``step = (high - low) / (steps - 1)``, the last ``high`` itself (its
    Python wrapper cost more than the ladder's arithmetic, once a negotiation). A step that
    rounds to zero is left to numpy, which works that case out another way."""
    step = (high - low) / (steps - 1)
    if step == 0.0:
        return tuple(float(p) for p in np.linspace(low, high, steps))
    return tuple(k * step + low for k in range(steps - 1)) + (high,)


# A price index over fewer quarters than this is worked out in Python floats: numpy adds up
# fewer than eight numbers left to right, as the loop does, and its calls cost more than the
# arithmetic on a few quarters. From eight it adds pairwise, which the arrays keep doing.
_INDEX_IN_ARRAYS_FROM_QUARTERS = 8


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
