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

import numpy as np

from agents.contract_terms import (
    SIDES,
    UTILITY_TOLERANCE,
    Menu,
    Offer,
    Outcome,
    Party,
    Response,
    Side,
    Terms,
    format_usd_per_kg,
    price_figure,
)
from game.vocab.english import worded_for


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
    # np.clip's arithmetic (the larger of -1, then the smaller of 1) without its Python wrapper.
    return np.minimum(np.maximum(surplus_values / best, -1.0), 1.0)


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
    return int(candidates.argmax())  # first maximum: ties go to the lowest index


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
    rounds: int,
    first: Side = "buyer",
) -> Outcome:
    """Alternating offers over ``menu`` for at most ``rounds`` offers, ``first`` opening.

    The world passes its ``negotiation_rounds`` assumption: enough rounds for a Boulware side
    to reach a deal with a Conceder, few enough that a negotiation is cheap and a human player
    is not asked for twenty counter-offers.

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
        # Worded for the names: "Mt Weld (Lynas)'s floor" reads as a slip, "the floor of Mt Weld (Lynas)" does not.
        template = "no zone of agreement: {buyer}'s ceiling, {ceiling}, is below {seller}'s floor, {floor}"
        names = dict(buyer=buyer.name, seller=seller.name, ceiling=format_usd_per_kg(buyer.reservation),
                     floor=format_usd_per_kg(seller.reservation))
        why = worded_for(template, names).format(**names)
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


def _refusal(proposal: Terms, responder: Party, value: float) -> Response | None:
    """Refuse ``proposal``, saying why, if it is worse than walking away for ``responder``;
    None if it is not."""
    price, volume = proposal.price, proposal.volume_tpy
    if responder.side == "seller":
        if price < responder.reservation:
            # The seller's walk-away price, not a price it will take: above it, it still bargains (a
            # play-tester offered exactly "the least we would take" and was countered).
            return Response.saying("refuse", None, "we do not sell below US${floor}/kg, and your offer is US${price}/kg",
                                   floor=price_figure(responder.reservation), price=price_figure(price))
        if volume > responder.volume_tpy:
            return Response.saying("refuse", None, "we cannot spare more than {spare:,.0f} t/yr",
                                   spare=responder.volume_tpy)
    else:
        if price > responder.reservation:
            return Response.saying("refuse", None,
                                   "the most we would pay, US${ceiling}/kg, is below your asking price of US${price}/kg",
                                   ceiling=price_figure(responder.reservation), price=price_figure(price))
        if value < 0.0:
            return Response.saying(
                "refuse", None, "we need only {need:,.0f} t/yr; paying US${price}/kg for {tonnes:,.0f} t/yr "
                "costs more than the tonnes are worth to us",
                need=responder.volume_tpy, price=price_figure(price), tonnes=volume)
    return Response.saying("refuse", None, "these terms are worse for us than walking away") if value < 0.0 else None


def respond(
    proposal: Terms,
    responder: Party,
    proposer: Party,
    menu: Menu,
    round_index: int,
    rounds: int,
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
        return refusal
    next_round = round_index + 1
    if next_round >= rounds:
        return Response.saying("accept", proposal, "last round, and better for us than walking away")

    own_surplus = menu_surplus(responder, menu)
    best = float(own_surplus.max())
    if not best > 0.0:
        # Nothing we could counter with beats walking away; the proposal is all there is.
        if value > 0.0:
            return Response.saying("accept", proposal, "better for us than anything else on the table")
        return Response.saying("refuse", None, "these terms leave us nothing over walking away")
    own_utility = np.clip(own_surplus / best, -1.0, 1.0)
    target = target_utility(next_round, rounds, responder.beta)
    counter = _choose_offer(own_utility, menu_utilities(proposer, menu), target)
    if value / best >= own_utility[counter] - UTILITY_TOLERANCE:
        return Response.saying("accept", proposal, "good enough for us")
    terms = menu.term(counter)
    if terms.describe() == proposal.describe():
        # A counter that reads as the proposal (a price a fraction of a cent above it, tonnes a
        # fraction over) asked the proposer to send the same terms again.
        return Response.saying("accept", proposal, "good enough for us")
    # The terms as Terms.describe() words them, with their figures kept as fields.
    return Response.saying("counter", terms, "we can do {tonnes:,.0f} t/yr for 1 year at US${price}/kg"
                           if terms.years == 1 else "we can do {tonnes:,.0f} t/yr for {years} years at US${price}/kg",
                           tonnes=terms.volume_tpy, years=terms.years, price=price_figure(terms.price))
