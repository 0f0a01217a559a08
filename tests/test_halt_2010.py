"""The September 2010 halt of shipments to Japan, as the world plays it out.

Nothing here is scripted as a price: the halt is an embargo on the China->Japan arc for
the dated share of each quarter, and prices, flows and output follow from the market.
"""

from __future__ import annotations

import dataclasses

import pytest

from conftest import by_quarter, play
from game.session import Session
from game.vocab.quarters import Quarter

HALT = "2010Q4"  # 21 Sep to 19 Nov: most of the blocked days fall in this quarter
BEFORE = "2010Q3"
AFTER_HALT = ["2011Q1", "2011Q2", "2011Q3", "2011Q4", "2012Q1", "2012Q2", "2012Q3", "2012Q4"]


@pytest.fixture(scope="module")
def passive(trawler):
    return by_quarter(play(trawler, "passive", seed=0))


@pytest.fixture(scope="module")
def history(trawler):
    return by_quarter(play(trawler, "history", seed=0))


def without_events(scenario, kinds):
    events = tuple(e for e in scenario.events if e.kind not in kinds)
    return dataclasses.replace(scenario, events=events)


def test_halt_raises_japans_ndpr_and_dytb_prices_well_above_chinas(passive):
    row = passive[HALT]
    assert row["price_ndpr_japan"] > 2.0 * row["price_ndpr_china"]
    assert row["price_dytb_japan"] > 2.0 * row["price_dytb_china"]


def test_halt_cuts_chinas_share_of_japans_supply(trawler, passive):
    # Against the same quarter without the halt: Japan's buyers scramble and bid up what still
    # gets through, but far less of their supply comes from China than it would have.
    calm = by_quarter(play(without_events(trawler, {"embargo", "embargo_lift"}), seed=0))
    assert passive[HALT]["japan_china_share"] < calm[HALT]["japan_china_share"] - 0.1


def test_halt_makes_japans_output_dip(passive):
    assert passive[HALT]["japan_output_index"] < 0.95
    assert passive[HALT]["japan_output_index"] < passive[BEFORE]["japan_output_index"]


def test_after_the_halt_japans_prices_stay_high_while_quotas_bind(trawler):
    # Quarter by quarter after the halt: wherever China's export quota for a material is used
    # up, Japan pays a quota rent: well above what open trade would cost (China's price plus
    # the export duty, levied on last quarter's price, plus freight).
    session = Session(trawler, seed=0)
    binding_quarters = 0
    while not session.is_over:
        quarter = session.world.quarter
        china_before = session.world.prices[session.world.nation_index("CHN")].copy()
        session.play_turn()
        if quarter < Quarter(2011, 1):
            continue
        world = session.world
        quota = world.policy.quota_per_turn("CHN")
        rate = world.policy.tariff("CHN")
        china, japan = world.nation_index("CHN"), world.nation_index("JPN")
        exported = world.receipts[:, china, :].sum(axis=1) - world.receipts[:, china, china]
        for m in (0, 1):  # NdPr, Dy/Tb
            if exported[m] >= 0.999 * quota[m]:
                binding_quarters += 1
                open_trade = world.prices[china, m] + rate[m] / (1 - rate[m]) * china_before[m] + world.freight[china, japan]
                assert world.prices[japan, m] > 1.1 * open_trade, (str(quarter), m)
    assert binding_quarters >= 4  # the quotas bind in much of 2011-2012


def test_the_year_after_the_halt_japan_pays_far_more_than_china(passive):
    # Over 2011 as a whole (quarter by quarter, the quota-rent test above is the sharper check).
    year = AFTER_HALT[:4]
    for material in ("ndpr", "dytb"):
        japan = sum(passive[q][f"price_{material}_japan"] for q in year)
        china = sum(passive[q][f"price_{material}_china"] for q in year)
        assert japan > 1.5 * china, material


def test_history_dips_less_than_passive_during_the_halt(passive, history):
    assert history[HALT]["japan_output_index"] > passive[HALT]["japan_output_index"]
    shortfall = {name: sum(1 - r["japan_output_index"] for r in rows.values())
                 for name, rows in (("passive", passive), ("history", history))}
    assert shortfall["history"] < shortfall["passive"]


def test_without_the_embargo_japans_output_does_not_dip(trawler):
    calm = by_quarter(play(without_events(trawler, {"embargo", "embargo_lift"}), seed=0))
    assert calm[HALT]["japan_output_index"] > 0.99
    assert calm[HALT]["japan_china_share"] > 0.6


def test_two_tier_prices_come_from_the_quota_not_a_special_case(trawler):
    # Lift every quota: the export gate no longer binds, so Japan pays China's price plus
    # freight and the 15% export duty (t/(1-t) of the domestic price), and no more.
    no_quota = without_events(trawler, {"export_quota", "embargo", "embargo_lift"})
    world_spec = dataclasses.replace(no_quota.world, policies=tuple(
        dataclasses.replace(p, quota_tpy=float("inf")) for p in no_quota.world.policies))
    rows = play(dataclasses.replace(no_quota, world=world_spec), seed=0).rows()
    for previous, row in zip(rows, rows[1:]):
        duty = 0.15 / 0.85 * previous["price_ndpr_china"]  # levied on last quarter's price
        assert row["price_ndpr_china"] <= row["price_ndpr_japan"] <= row["price_ndpr_china"] + duty + 1.0, row["quarter"]
