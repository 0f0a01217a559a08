"""What agents may and may not do by choice: no contract below a reservation value, no
sale below cost; frightened buyers seek offtakes from safe sellers."""

from __future__ import annotations

import numpy as np
import pytest

from game.players import controller_for
from game.session import Session


@pytest.fixture(scope="module")
def history_session(trawler):
    session = Session(trawler, controller_for("history", trawler), seed=4)
    checks = []
    while not session.is_over:
        session.play_turn()
        world = session.world
        for seller, sold in world.spot_sales_this_turn.items():
            netback = world.prices[world.nation_index(seller.nation)]
            for m in np.flatnonzero(sold > 1e-9):
                checks.append((seller.firm_id, m, float(netback[m]), float(seller.ask[m])))
    session.spot_checks = checks
    return session


def test_no_contract_is_signed_outside_both_reservation_values(history_session):
    deals = [n for n in history_session.world.offtakes.negotiations if n.outcome.deal is not None]
    assert deals, "frightened buyers should have signed some offtakes after the halt"
    for n in deals:
        price = n.outcome.deal.price
        assert n.seller_cost - 1e-9 <= n.seller_floor <= price + 1e-9, n
        assert price <= n.buyer_ceiling + 1e-9, n


def test_no_negotiation_ends_worse_than_walking_away(history_session):
    for n in history_session.world.offtakes.negotiations:
        if n.outcome.deal is not None:
            agreed = n.outcome.agreed_offer
            assert agreed.utility_seller >= 0 and agreed.utility_buyer >= 0


def test_no_seller_sells_on_the_spot_market_below_its_cost(history_session):
    # Spot sales happen at the supply-side price of the seller's country; a seller offers
    # at its ask (its allocated full cost), so it never sells for less by choice.
    # (Contract deliveries are excluded: their price was agreed above the floor.)
    assert history_session.spot_checks
    for firm_id, m, netback, ask in history_session.spot_checks:
        assert netback >= ask * (1 - 1e-9) - 1e-9, (firm_id, m, netback, ask)


def test_frightened_buyers_turn_to_sellers_outside_the_embargoing_nation(history_session):
    world = history_session.world
    japanese = [c for c in world.ledger.contracts if c.buyer == "JPN" and ">" in c.id]
    assert japanese
    assert all(world.firm(c.seller).nation != "CHN" for c in japanese)


def test_negotiations_keep_their_offer_by_offer_trace(history_session):
    n = history_session.world.offtakes.negotiations[0]
    assert n.outcome.trace and all(o.terms.price > 0 for o in n.outcome.trace)


def test_sellers_deal_first_with_the_nations_that_financed_them(trawler):
    # The United States, less frightened than Japan and so later in line, finances the plant
    # Japan would otherwise sign with first: the plant deals with the United States first.
    from game.world.offtakes import negotiate_offtakes
    from game.world.projects import Project

    session = Session(trawler, seed=0)
    world = session.world
    world.open_turn()
    world.nation("JPN").security_premium, world.nation("USA").security_premium = 0.6, 0.3
    world.exchange._take_orders()  # buyers' needs are set as the quarter's orders are taken
    for buyer in world.buyers:
        if hasattr(buyer, "plan"):
            buyer.plan()
    # IREL is the plant Japan signs with first when nobody has a stake in anyone.
    seller = world.firm("irel-separation")
    stake = Project("us-stake", seller.firm_id, seller.nation, 100.0, 4, 10.0, 0.0, 0.0, world.rng.spawn(1)[0])
    stake.fund("USA", 10.0)
    world.projects[stake.id] = stake
    negotiate_offtakes(world)
    deals = [n for n in world.offtakes.negotiations if n.seller == seller.firm_id]
    assert deals and deals[0].buyer == "USA", [(n.buyer, n.material) for n in deals]


def _one_buyers_steps(buyer, reference_price, expected_price):
    """A buyer's demand steps worked out for it alone, as the world did before buyers bid
    together (agents.buyers.bid_steps must give these, to the last bit)."""
    a = buyer.model.assumptions
    steps = []
    buffer_value = 1.0 + a.fear_value_multiple * buyer.fear
    for m in range(3):
        need = buyer.requirement[m]
        if need <= 0.0:
            continue
        short = max(0.0, need - buyer.inventory[m])
        buffer_gap = max(0.0, need * (1.0 + buyer.target_buffer_quarters) - buyer.inventory[m]) - short
        base = reference_price[m] * buyer.valuation * (1.0 + buyer.support)
        stock_cap = base * a.need_bid_steps[1][1] * (a.dytb_stock_cap_scale if m == 1 else 1.0)
        stock_base = expected_price[m] * buyer.valuation
        steps += [(m, short * share, base * multiple) for share, multiple in a.need_bid_steps if short > 0]
        steps += [(m, buffer_gap * share, min(stock_cap, stock_base * multiple * buffer_value))
                  for share, multiple in a.buffer_bid_steps if buffer_gap > 0]
    return steps


def test_buyers_bidding_together_bid_what_each_would_alone(trawler):
    """Over a frightened, supported game (the halt, then Japan's emergency support), every
    quarter's steps match each buyer's own, bit for bit and in the same order."""
    from agents.buyers import bid_steps
    from game.vocab.materials import MATERIALS

    assert MATERIALS[1].value == "dytb"
    session = Session(trawler, controller_for("history", trawler), seed=2)
    checked = 0
    while not session.is_over:
        world = session.world
        world.open_turn()
        buyers = [b for b in world.buyers if b.alive]
        for k, buyer in enumerate(buyers):  # some support and fear, so those terms count
            buyer.support = 0.1 * (k % 3)
            buyer.fear = max(buyer.fear, 0.05 * (k % 4))
        expected = world.expected_prices[[world.nation_index(b.nation) for b in buyers]]
        together = bid_steps(buyers, world.reference_price, expected)
        alone = [(k, *step) for k, buyer in enumerate(buyers)
                 for step in _one_buyers_steps(buyer, world.reference_price, expected[k])]
        assert [(int(b), int(m), float(t), float(v)) for b, m, t, v in zip(*vars(together).values())] == alone
        checked += len(alone)
        session.play_turn()
    assert checked > 500
