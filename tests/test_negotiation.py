"""Bargaining over offtake contracts: fairness, patience, security premiums, safety, replies."""

from __future__ import annotations

import dataclasses
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agents.contract_terms import (
    Menu,
    Party,
    Terms,
    buyer_reservation_price,
    price_index,
)
from agents.negotiation import (
    menu_surplus,
    menu_utilities,
    nash_point,
    negotiate,
    respond,
    surplus,
    target_utility,
)
from game.scenario import levels_dir, load_world

#: The world's own bargaining assumptions: the rounds a negotiation has and how fast a contract
#: loses value away from a party's preferred length.
WORLD_ASSUMPTIONS = load_world(levels_dir() / "world-2010.toml").assumptions
ROUNDS = WORLD_ASSUMPTIONS.negotiation_rounds
DURATION_SENSITIVITY = WORLD_ASSUMPTIONS.contract_duration_sensitivity

VOLUMES = (1000.0, 2000.0, 3000.0)
YEARS = (3, 5, 10)
FLOOR, CEILING = 60.0, 100.0


def seller(reservation: float = FLOOR, beta: float = 1.0, **kwargs) -> Party:
    kwargs.setdefault("duration_sensitivity", DURATION_SENSITIVITY)
    return Party("Lynas", "seller", reservation, kwargs.pop("volume_tpy", 2000.0), beta=beta, **kwargs)


def buyer(reservation: float = CEILING, beta: float = 1.0, **kwargs) -> Party:
    kwargs.setdefault("duration_sensitivity", DURATION_SENSITIVITY)
    return Party("Japan", "buyer", reservation, kwargs.pop("volume_tpy", 2000.0), beta=beta, **kwargs)


def ladder(low: float = FLOOR, high: float = CEILING, steps: int = 20) -> Menu:
    return Menu.ladder(low, high, VOLUMES, YEARS, steps)


def nash_product(s: Party, b: Party, terms: Terms) -> float:
    return max(surplus(s, terms), 0.0) * max(surplus(b, terms), 0.0)


# --- Fairness and bargaining power ---------------------------------------------------


def test_symmetric_parties_meet_in_the_middle():
    menu = ladder()
    outcome = negotiate(seller(), buyer(), menu, rounds=ROUNDS)
    assert outcome.deal is not None
    assert abs(outcome.deal.price - (FLOOR + CEILING) / 2) <= menu.price_step + 1e-9
    assert outcome.deal.volume_tpy == 2000.0  # all both can trade, no more
    assert outcome.agreed_offer is outcome.trace[-1]


def test_symmetric_parties_meet_in_the_middle_whoever_opens():
    menu = ladder()
    for first in ("buyer", "seller"):
        deal = negotiate(seller(), buyer(), menu, first=first, rounds=ROUNDS).deal
        assert deal is not None
        assert abs(deal.price - 80.0) <= menu.price_step + 1e-9


def test_the_more_patient_side_gets_more():
    menu = ladder()
    patient_buyer = negotiate(seller(beta=3.0), buyer(beta=0.3), menu, rounds=ROUNDS)
    symmetric = negotiate(seller(), buyer(), menu, rounds=ROUNDS)
    patient_seller = negotiate(seller(beta=0.3), buyer(beta=3.0), menu, rounds=ROUNDS)
    prices = [o.deal.price for o in (patient_buyer, symmetric, patient_seller)]
    assert prices[0] < prices[1] < prices[2]
    buyer_utilities = [o.agreed_offer.utility_buyer for o in (patient_buyer, symmetric, patient_seller)]
    seller_utilities = [o.agreed_offer.utility_seller for o in (patient_buyer, symmetric, patient_seller)]
    assert buyer_utilities[0] > buyer_utilities[1] > buyer_utilities[2]
    assert seller_utilities[0] < seller_utilities[1] < seller_utilities[2]


def test_an_embargo_threat_moves_the_price_toward_the_seller():
    # The world builds each menu between the two reservations, so a dearer ceiling
    # stretches the ladder and every step of premium shows in the price.
    index = 70.0
    prices = []
    for premium in (0.1, 0.3, 0.5, 0.8, 1.0):
        ceiling = buyer_reservation_price(index, premium)
        deal = negotiate(seller(), buyer(ceiling), ladder(FLOOR, ceiling), rounds=ROUNDS).deal
        assert deal is not None
        prices.append(deal.price)
    assert all(later > earlier for earlier, later in zip(prices, prices[1:])), prices


def test_an_embargo_threat_never_lowers_the_price_on_a_fixed_menu():
    # On one wide fixed ladder the price moves in steps: once the buyer accepts the
    # seller's offer, that offer comes from the seller's own concession curve, so a slightly
    # higher ceiling can leave it unchanged -- but never lower it.
    menu = Menu.ladder(40.0, 160.0, VOLUMES, YEARS, steps=61)
    for seller_beta, buyer_beta in ((1.0, 1.0), (0.3, 3.0), (3.0, 0.3)):
        prices = []
        for step in range(25):
            ceiling = buyer_reservation_price(70.0, 0.05 * step)
            deal = negotiate(seller(beta=seller_beta), buyer(ceiling, beta=buyer_beta), menu, rounds=ROUNDS).deal
            assert deal is not None
            prices.append(deal.price)
        assert all(later >= earlier for earlier, later in zip(prices, prices[1:])), prices
        assert prices[-1] > prices[0]


def test_deals_land_near_the_nash_point():
    menu = ladder()
    cases = [
        (seller(), buyer()),
        (seller(beta=1.5), buyer(beta=0.8)),
        (seller(prefers_years=3), buyer(prefers_years=10)),
        (seller(prefers_years=10, volume_tpy=2500), buyer(prefers_years=8, volume_tpy=2000)),
        (seller(reservation=65), buyer(reservation=95, beta=1.2)),
    ]
    for s, b in cases:
        best = nash_point(s, b, menu)
        deal = negotiate(s, b, menu, rounds=ROUNDS).deal
        assert best is not None and deal is not None
        assert nash_product(s, b, deal) >= 0.8 * nash_product(s, b, best), (s, b, deal, best)


def test_nash_point_of_symmetric_parties_is_the_midpoint():
    menu = ladder(steps=21)  # the midpoint is on the ladder
    point = nash_point(seller(), buyer(), menu)
    assert point == Terms(2000.0, 5, 80.0)


def test_nash_point_is_none_without_a_zone_of_agreement():
    assert nash_point(seller(90.0), buyer(80.0), Menu.ladder(70, 100, VOLUMES, YEARS)) is None


def test_the_same_inputs_give_the_same_trace():
    menu = ladder()
    s, b = seller(beta=0.7, prefers_years=3), buyer(beta=1.4, prefers_years=10)
    first, second = negotiate(s, b, menu, rounds=ROUNDS), negotiate(s, b, menu, rounds=ROUNDS)
    assert first.trace == second.trace
    assert first == second
    assert [offer.round for offer in first.trace] == list(range(len(first.trace)))
    assert [offer.by for offer in first.trace[:2]] == ["buyer", "seller"]


# --- Safety: never worse than walking away -------------------------------------------

prices = st.floats(min_value=1.0, max_value=400.0, allow_nan=False)
volumes = st.floats(min_value=100.0, max_value=5000.0, allow_nan=False)
betas = st.floats(min_value=0.1, max_value=5.0, allow_nan=False)
years_liked = st.floats(min_value=1.0, max_value=15.0, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(
    floor=prices,
    ceiling=prices,
    spare=volumes,
    need=volumes,
    seller_beta=betas,
    buyer_beta=betas,
    seller_years=years_liked,
    buyer_years=years_liked,
    low=st.floats(min_value=0.5, max_value=200.0),
    width=st.floats(min_value=1.0, max_value=300.0),
    steps=st.integers(min_value=2, max_value=30),
    tiers=st.lists(volumes, min_size=1, max_size=4),
    durations=st.lists(st.integers(min_value=1, max_value=20), min_size=1, max_size=4),
    rounds=st.integers(min_value=1, max_value=16),
    first=st.sampled_from(["buyer", "seller"]),
)
def test_no_deal_is_worse_for_either_side_than_walking_away(
    floor, ceiling, spare, need, seller_beta, buyer_beta, seller_years, buyer_years,
    low, width, steps, tiers, durations, rounds, first,
):
    s = Party("S", "seller", floor, spare, beta=seller_beta, prefers_years=seller_years,
              duration_sensitivity=DURATION_SENSITIVITY)
    b = Party("B", "buyer", ceiling, need, beta=buyer_beta, prefers_years=buyer_years,
              duration_sensitivity=DURATION_SENSITIVITY)
    menu = Menu.ladder(low, low + width, tiers, durations, steps)
    outcome = negotiate(s, b, menu, rounds=rounds, first=first)
    if ceiling < floor:
        assert outcome.deal is None
    # ... and the deadline only bites when no term on the menu suits both sides.
    s_surplus, b_surplus = menu_surplus(s, menu), menu_surplus(b, menu)
    if s_surplus.max() > 0 and b_surplus.max() > 0 and ((s_surplus >= 0) & (b_surplus >= 0)).any():
        assert outcome.deal is not None, outcome.reason
    if outcome.deal is not None:
        deal = outcome.deal
        assert surplus(s, deal) >= 0.0 and surplus(b, deal) >= 0.0
        assert floor <= deal.price <= ceiling
        assert deal.volume_tpy <= spare
        assert outcome.agreed_offer.utility_seller >= 0.0 and outcome.agreed_offer.utility_buyer >= 0.0
    assert len(outcome.trace) <= rounds
    # Nobody ever proposes terms worse than walking away for itself.
    for offer in outcome.trace:
        own = offer.utility_seller if offer.by == "seller" else offer.utility_buyer
        assert own >= 0.0


def test_no_deal_when_the_buyer_will_not_pay_the_floor():
    outcome = negotiate(seller(90.0), buyer(80.0), Menu.ladder(70, 100, VOLUMES, YEARS), rounds=ROUNDS)
    assert outcome.deal is None
    assert "no zone of agreement" in outcome.reason and "US$80/kg" in outcome.reason


def test_no_deal_reason_owns_through_of_for_a_name_in_brackets():
    """"Mt Weld (Lynas)'s floor" read as a slip; a name in brackets owns through "of", and a
    name ending in s takes the apostrophe alone."""
    menu = Menu.ladder(70, 100, VOLUMES, YEARS)
    bracketed = dataclasses.replace(seller(90.0), name="Mt Weld (Lynas)")
    outcome = negotiate(bracketed, dataclasses.replace(buyer(80.0), name="Japan (buyers)"), menu, rounds=ROUNDS)
    assert outcome.reason == ("no zone of agreement: the ceiling of Japan (buyers), US$80/kg, is below the floor "
                              "of Mt Weld (Lynas), US$90/kg")
    plain = negotiate(seller(90.0), dataclasses.replace(buyer(80.0), name="the United States"), menu, rounds=ROUNDS)
    assert plain.reason == "no zone of agreement: the United States' ceiling, US$80/kg, is below Lynas' floor, US$90/kg"


def test_no_deal_when_nothing_on_the_menu_pays_the_seller():
    outcome = negotiate(seller(120.0), buyer(150.0), ladder(), rounds=ROUNDS)
    assert outcome.deal is None and outcome.trace == ()
    assert "Lynas" in outcome.reason


# --- Utilities and concession --------------------------------------------------------


def test_utilities_are_one_at_best_and_negative_when_unacceptable():
    menu = ladder()
    s_utility, b_utility = menu_utilities(seller(), menu), menu_utilities(buyer(), menu)
    assert s_utility.max() == 1.0 and b_utility.max() == 1.0
    too_much = [i for i, t in enumerate(menu.terms()) if t.volume_tpy > 2000.0]
    assert all(s_utility[i] < 0 for i in too_much)
    assert math.isinf(surplus(seller(), Terms(3000.0, 5, 90.0)))
    assert menu_surplus(seller(), menu).shape == (len(menu),) == (3 * 3 * 20,)


def test_concession_curves_follow_faratin_boulware_and_conceder():
    # Rounds 0..8 of 9: full demand at the start, walking away in the last round.
    assert target_utility(0, 9, 0.3) == 1.0 and target_utility(0, 9, 3.0) == 1.0
    assert target_utility(8, 9, 0.3) == 0.0 and target_utility(8, 9, 3.0) == 0.0
    assert target_utility(4, 9, 1.0) == pytest.approx(0.5)  # linear
    assert target_utility(4, 9, 0.3) > 0.5 > target_utility(4, 9, 3.0)  # Boulware holds out
    assert target_utility(4, 9, 0.3) == pytest.approx(1 - 0.5 ** (1 / 0.3))
    assert target_utility(4, 9, 1.0, floor=0.2) == pytest.approx(0.6)


# --- One round with a human player ---------------------------------------------------


def test_respond_refuses_a_price_below_the_floor_naming_it():
    reply = respond(Terms(2000.0, 5, 55.0), seller(68.0), buyer(), ladder(68.0, 100.0), round_index=0, rounds=ROUNDS)
    assert reply.action == "refuse" and reply.terms is None
    assert "we do not sell below US$68/kg" in reply.reason and "US$55/kg" in reply.reason


def test_respond_refuses_more_tonnes_than_the_seller_can_spare():
    reply = respond(Terms(2500.0, 5, 95.0), seller(), buyer(), ladder(), round_index=0, rounds=ROUNDS)
    assert reply.action == "refuse"
    assert "cannot spare more than 2,000 t/yr" in reply.reason


def test_respond_refuses_a_price_above_the_buyers_ceiling():
    reply = respond(Terms(2000.0, 5, 120.0), buyer(), seller(), ladder(), round_index=0, rounds=ROUNDS)
    assert reply.action == "refuse" and "the most we would pay, US$100/kg" in reply.reason


def test_respond_accepts_a_good_enough_proposal():
    reply = respond(Terms(2000.0, 5, 99.0), seller(), buyer(), ladder(), round_index=2, rounds=ROUNDS)
    assert reply.action == "accept" and reply.terms == Terms(2000.0, 5, 99.0)


def test_respond_accepts_anything_acceptable_in_the_last_round():
    reply = respond(Terms(2000.0, 5, 61.0), seller(), buyer(), ladder(), round_index=7, rounds=8)
    assert reply.action == "accept"


def test_respond_counters_with_better_acceptable_terms():
    menu = ladder()
    responder, proposer = seller(), buyer()
    proposal = Terms(2000.0, 5, 65.0)
    reply = respond(proposal, responder, proposer, menu, round_index=0, rounds=ROUNDS)
    assert reply.action == "counter" and reply.terms is not None
    assert reply.terms in menu.terms()
    assert surplus(responder, reply.terms) > surplus(responder, proposal) >= 0.0
    assert reply.reason.startswith("we can do") and "t/yr" in reply.reason


def test_respond_accepts_terms_that_read_as_its_own_counter():
    # A play-tester proposed terms that read exactly as the seller's counter (a price a fraction
    # of a cent below it) and was countered again "on identical terms".
    menu, responder, proposer = ladder(), seller(), buyer()
    counter = respond(Terms(2000.0, 5, 65.0), responder, proposer, menu, round_index=0, rounds=ROUNDS).terms
    alike = Terms(counter.volume_tpy, counter.years, counter.price - 0.001)
    assert alike.describe() == counter.describe() and alike != counter
    reply = respond(alike, responder, proposer, menu, round_index=0, rounds=ROUNDS)
    assert reply.action == "accept" and reply.terms == alike


# --- Price index and reservation -----------------------------------------------------


def test_price_index_of_equal_prices_is_that_price():
    assert price_index([50.0, 50.0, 50.0], [10.0, 300.0, 7.0], discount=0.8) == pytest.approx(50.0)


def test_price_index_weights_recent_quarters_more_when_discounting():
    prices, quantities = [40.0, 60.0], [100.0, 100.0]
    assert price_index(prices, quantities, discount=1.0) == pytest.approx(50.0)
    assert price_index(prices, quantities, discount=0.5) > 50.0
    assert price_index(prices, [300.0, 100.0], discount=1.0) == pytest.approx(45.0)  # by quantity


def test_price_index_without_trade_uses_the_fallback_or_says_so():
    assert price_index([40.0, 60.0], [0.0, 0.0], discount=0.9, fallback=55.0) == 55.0
    with pytest.raises(ValueError, match="no quantity traded"):
        price_index([40.0, 60.0], [0.0, 0.0], discount=0.9)
    with pytest.raises(ValueError, match="discount"):
        price_index([40.0], [1.0], discount=0.0)
    with pytest.raises(ValueError, match="equal length"):
        price_index([40.0, 50.0], [1.0], discount=0.9)


def test_buyer_reservation_price_adds_the_security_premium():
    assert buyer_reservation_price(70.0, 0.0) == 70.0
    assert buyer_reservation_price(70.0, 0.5) == pytest.approx(105.0)


# --- Input validation ----------------------------------------------------------------


def test_negative_reservation_is_rejected():
    with pytest.raises(ValueError, match="reservation"):
        seller(-5.0)


def test_empty_menu_is_rejected():
    with pytest.raises(ValueError, match="empty.*volumes"):
        Menu((), YEARS, (60.0, 70.0))
    with pytest.raises(ValueError, match="empty.*prices"):
        Menu(VOLUMES, YEARS, ())


def test_rounds_below_one_are_rejected():
    with pytest.raises(ValueError, match="rounds"):
        negotiate(seller(), buyer(), ladder(), rounds=0)
    with pytest.raises(ValueError, match="rounds"):
        respond(Terms(2000.0, 5, 80.0), seller(), buyer(), ladder(), round_index=0, rounds=0)


def test_other_bad_inputs_name_what_was_wrong():
    with pytest.raises(ValueError, match="side"):
        negotiate(buyer(), buyer(), ladder(), rounds=ROUNDS)
    with pytest.raises(ValueError, match="first"):
        negotiate(seller(), buyer(), ladder(), first="nobody", rounds=ROUNDS)
    with pytest.raises(ValueError, match="beta"):
        seller(beta=0.0)
    with pytest.raises(ValueError, match="years"):
        Terms(1000.0, 0, 50.0)
    with pytest.raises(ValueError, match="round_index"):
        respond(Terms(2000.0, 5, 80.0), seller(), buyer(), ladder(), round_index=8, rounds=8)
    with pytest.raises(ValueError, match="high_price"):
        Menu.ladder(100.0, 60.0, VOLUMES, YEARS)


def test_a_menus_terms_run_volume_major_then_years_then_prices():
    menu = Menu((1000.0, 2500.0), (3, 5, 10), (40.0, 41.5, 43.0, 50.0))
    assert [(t.volume_tpy, t.years, t.price) for t in menu.terms()] == [
        (volume, years, price) for volume in (1000.0, 2500.0) for years in (3, 5, 10)
        for price in (40.0, 41.5, 43.0, 50.0)]
