"""Export licences as tonnes, and embargoes that leak.

A licence event with ``approval_rate`` lets the exporter ship each quarter that share of the
partner's usual imports (its average over the four quarters before), nothing while
``delay_quarters`` last; contracts and the spot market share those tonnes. An embargo with
``leakage`` lets that share of what would have moved arrive anyway. A licence without the new
fields is a cost per kilogram, as it always was. The worlds here are the 2010 world with no
scheduled events, so the only policy at work is the one each test adds.
"""

from __future__ import annotations

import dataclasses
import textwrap

import numpy as np
import pytest

from game.scenario import ScenarioError, find_level, load_level
from game.spec import EVENT_KINDS, Embargo, EventSpec, Licence
from game.vocab.materials import MATERIALS, Material
from game.vocab.quarters import Quarter
from game.world.contracts import Contract
from game.world.model import RareEarthWorld

DYTB = MATERIALS.index(Material.DYTB)
KIND = {effect: kind for kind, effect in EVENT_KINDS.items()}
START = Quarter(2010, 3)
AT = 4  # the turn the policy starts: four quarters of ordinary trade come before it


@pytest.fixture(scope="module")
def bare():
    """The first level's world with no scheduled events and no history."""
    level = load_level(find_level("2010-trawler"))
    return dataclasses.replace(level, events=(), history=())


def run(bare, effects=(), turns=AT + 1, seed=0, contracts=()):
    """Play ``turns`` quarters with each (turn, effect) firing on its quarter's first day;
    returns the world and each quarter's receipts [material, from, to]."""
    events = tuple(EventSpec(date=(START + turn).first_day, kind=KIND[type(effect)], headline="test",
                             source="test", effect=effect) for turn, effect in effects)
    world = RareEarthWorld(dataclasses.replace(bare, events=events), rng=seed)
    for contract in contracts:
        world.ledger.sign(contract)
    receipts = []
    for _ in range(turns):
        world.step()
        receipts.append(world.receipts.copy())
    world.close()
    return world, receipts


def china_to_japan(world, receipts, turn, m=DYTB) -> float:
    return float(receipts[turn][m, world.nation_index("CHN"), world.nation_index("JPN")])


def licence(rate=None, delay=0, friction=0.0, partner="JPN"):
    return Licence("CHN", partner, (Material.DYTB,), friction, approval_rate=rate, delay_quarters=delay)


def usual(world, receipts, turn=AT) -> float:
    """Japan's average Dy/Tb imports from China over the quarters a licence counts from."""
    quarters = world.assumptions.licence_base_quarters
    return float(np.mean([china_to_japan(world, receipts, t) for t in range(turn - quarters, turn)]))


@pytest.fixture(scope="module")
def open_trade(bare):
    return run(bare, turns=AT + 3)


# --------------------------------------------------------------------------- licences in tonnes


@pytest.mark.parametrize("rate", [0.2, 0.5])
def test_licences_cap_spot_flows_at_the_approved_share(bare, open_trade, rate):
    world, receipts = run(bare, [(AT, licence(rate))])
    cap = rate * usual(world, receipts)
    assert cap > 10.0  # Japan did import Dy/Tb from China before the licences
    free = china_to_japan(*open_trade, AT)
    assert free > 1.2 * cap  # without licences more would have come: the limit bites
    arrived = china_to_japan(world, receipts, AT)
    assert arrived <= cap + 1e-6
    assert arrived >= 0.98 * cap  # what is licensed is shipped: Japan wants more than that
    assert not world.ledger.contracts  # all of it went through the spot market


def test_the_approval_rate_sets_the_tonnes(bare):
    low_world, low = run(bare, [(AT, licence(0.2))])
    high_world, high = run(bare, [(AT, licence(0.5))])
    ratio = china_to_japan(high_world, high, AT) / china_to_japan(low_world, low, AT)
    assert ratio == pytest.approx(0.5 / 0.2, rel=0.03)


def test_nothing_is_approved_during_the_delay(bare, open_trade):
    world, receipts = run(bare, [(AT, licence(0.4, delay=2))], turns=AT + 3)
    assert china_to_japan(world, receipts, AT) == 0.0
    assert china_to_japan(world, receipts, AT + 1) == 0.0
    cap = 0.4 * usual(world, receipts)  # the base is the year before the licences, not the delay
    after = china_to_japan(world, receipts, AT + 2)
    assert 0.98 * cap <= after <= cap + 1e-6
    assert china_to_japan(*open_trade, AT) > 0.0
    news = [n.headline for n in world.news if n.kind == "licence"]
    assert any("none approved yet" in h for h in news)
    assert any(f"{after:,.0f} t this quarter" in h and "40%" in h for h in news)


def test_with_no_trade_recorded_before_the_first_open_quarter_sets_the_base(bare, open_trade):
    world, receipts = run(bare, [(0, licence(0.3))], turns=2)
    first = china_to_japan(world, receipts, 0)
    assert first == china_to_japan(*open_trade, 0) and first > 10.0  # nothing to size licences on yet
    assert china_to_japan(world, receipts, 1) == pytest.approx(0.3 * first, rel=0.02)


def test_other_partners_and_materials_are_not_limited(bare, open_trade):
    world, receipts = run(bare, [(AT, licence(0.2))])
    free_world, free = open_trade
    ndpr = MATERIALS.index(Material.NDPR)
    assert china_to_japan(world, receipts, AT, ndpr) > 0.9 * china_to_japan(free_world, free, AT, ndpr)
    assert np.all(np.isinf(world.policy.licensed_left("CHN", "USA")))


def test_licences_cap_contract_deliveries_and_spot_together(bare):
    contract = Contract("test-dytb", "southern-separation", "JPN", Material.DYTB, 400.0, 300.0,
                        START, START + 12)
    world, receipts = run(bare, [(AT, licence(0.25))], contracts=[contract])
    cap = 0.25 * usual(world, receipts)
    delivered = [d for d in world.ledger.deliveries if d.contract_id == "test-dytb"]
    before, under = delivered[AT - 1], delivered[AT]
    assert before.delivered_t == pytest.approx(before.due_t)  # delivered in full before the licences
    assert under.due_t > cap  # the contract alone asks for more than is licensed
    assert under.delivered_t <= cap + 1e-6
    breach = [b for b in world.ledger.breaches if b.contract_id == "test-dytb"][-1]
    assert breach.reason == "export licences not approved"
    assert china_to_japan(world, receipts, AT) <= cap + 1e-6  # and the spot market adds nothing beyond


def test_a_change_of_rate_keeps_the_base_and_a_cost_only_licence_ends_the_limit(bare, open_trade):
    world, receipts = run(bare, [(AT, licence(0.2)), (AT + 1, licence(0.5)), (AT + 2, licence(None))],
                          turns=AT + 3)
    base = usual(world, receipts)
    assert china_to_japan(world, receipts, AT + 1) == pytest.approx(0.5 * base, rel=0.02)
    assert china_to_japan(world, receipts, AT + 2) > 0.9 * base
    assert not world.policy.licence_limits()


# --------------------------------------------------------------------------- licences as they were


def test_a_licence_without_the_new_fields_is_a_cost_only(bare):
    world, receipts = run(bare, [(AT, licence(friction=40.0))])
    assert not world.policy.licences() and not world.policy.licence_limits()
    # The same as setting the cost by hand: no limit in tonnes anywhere.
    by_hand = RareEarthWorld(bare, rng=0)
    hand = []
    for turn in range(AT + 1):
        if turn == AT:
            by_hand.open_turn()
            by_hand.policy.set_friction("CHN", "JPN", (Material.DYTB,), 40.0)
        by_hand.step()
        hand.append(by_hand.receipts.copy())
    by_hand.close()
    assert np.array_equal(hand[AT], receipts[AT])
    assert world.policy.friction("CHN", "JPN")[DYTB] == 40.0


def test_the_cost_still_counts_under_licences_in_tonnes(bare):
    world, _ = run(bare, [(AT, licence(0.3, friction=12.0))])
    assert world.policy.friction("CHN", "JPN")[DYTB] == 12.0
    assert world.policy.licences()[0].approval_rate == 0.3


# --------------------------------------------------------------------------- leaky embargoes


def embargo(leakage=0.0, cost=0.0):
    return Embargo("CHN", "JPN", (Material.DYTB,), None, leakage, cost)


def test_an_embargo_without_leakage_stops_everything(bare):
    world, receipts = run(bare, [(AT, embargo())])
    assert china_to_japan(world, receipts, AT) == 0.0


def test_the_leaked_share_arrives_under_an_embargo(bare):
    # What would have moved is this quarter's flow with the embargo's fright and the detour's
    # cost but no limit: all of it arrives when everything leaks.
    everything_world, everything = run(bare, [(AT, embargo(1.0, 1.0))])
    world, receipts = run(bare, [(AT, embargo(0.3, 1.0))], turns=AT + 2)
    would_have = china_to_japan(everything_world, everything, AT)
    assert would_have > 50.0
    assert china_to_japan(world, receipts, AT) == pytest.approx(0.3 * would_have, rel=0.02)
    news = [n.headline for n in world.news if n.kind == "leakage"]
    assert any("Dy/Tb" in h and "through third countries" in h for h in news)


def test_a_contract_delivers_the_leaked_share_under_an_embargo(bare):
    contract = Contract("test-dytb", "southern-separation", "JPN", Material.DYTB, 400.0, 300.0,
                        START, START + 12)
    world, _ = run(bare, [(AT, embargo(0.3, 2.0))], contracts=[contract])
    under = [d for d in world.ledger.deliveries if d.contract_id == "test-dytb"][AT]
    assert under.delivered_t == pytest.approx(0.3 * under.due_t)


# --------------------------------------------------------------------------- the level reader


def level_with(tmp_path, event: str):
    path = tmp_path / "licence-test.toml"
    path.write_text(textwrap.dedent('''\
        id = "licence-test"
        world = "world-2010"
        start = "2010Q3"
        end = "2011Q4"
        sources = []
        [title]
        en = "Licence test"
        ja = "許可テスト"
        [briefing]
        en = "A test."
        ja = "テスト。"

        [[events]]
        date = "2010-10-01"
        exporter = "CHN"
        partner = "JPN"
        headline = "Test"
        source = "test"
        ''') + textwrap.dedent(event), encoding="utf-8")
    return path


def problems(path) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        load_level(path)
    return [f"{p.key}: {p.message}" for p in caught.value.problems]


@pytest.mark.parametrize("event, key", [
    ('kind = "licence"\nfriction_usd_per_kg = 5\napproval_rate = 1.5\n', "events[0].approval_rate"),
    ('kind = "licence"\nfriction_usd_per_kg = 5\napproval_rate = -0.1\n', "events[0].approval_rate"),
    ('kind = "licence"\nfriction_usd_per_kg = 5\napproval_rate = 0.5\ndelay_quarters = -1\n',
     "events[0].delay_quarters"),
    ('kind = "licence"\nfriction_usd_per_kg = 5\napproval_rate = 0.5\ndelay_quarters = 1.5\n',
     "events[0].delay_quarters"),
    ('kind = "licence"\nfriction_usd_per_kg = 5\ndelay_quarters = 1\n', "events[0].delay_quarters"),
    ('kind = "licence"\nfriction_usd_per_kg = 5\napproval = 0.5\n', "events[0].approval"),
    ('kind = "embargo"\nleakage = 1.5\n', "events[0].leakage"),
    ('kind = "embargo"\nleakage = 0.2\nleakage_cost_usd_per_kg = -1\n', "events[0].leakage_cost_usd_per_kg"),
    ('kind = "embargo"\nleakage_cost_usd_per_kg = 3\n', "events[0].leakage_cost_usd_per_kg"),
    ('kind = "embargo"\nleak = 0.2\n', "events[0].leak"),
])
def test_the_reader_refuses_bad_values_naming_the_key(tmp_path, event, key):
    found = problems(level_with(tmp_path, event))
    assert len(found) == 1, found
    assert found[0].startswith(f"{key}:") and "\n" not in found[0]


def test_the_reader_reads_the_new_fields(tmp_path):
    level = load_level(level_with(tmp_path, 'kind = "licence"\nfriction_usd_per_kg = 5\nmaterials = ["dytb"]\n'
                                             'approval_rate = 0.25\ndelay_quarters = 1\n'))
    assert level.events[0].effect == Licence("CHN", "JPN", (Material.DYTB,), 5.0, 0.25, 1)
    old = load_level(level_with(tmp_path, 'kind = "licence"\nfriction_usd_per_kg = 5\n'))
    assert old.events[0].effect.approval_rate is None
    leaky = load_level(level_with(tmp_path, 'kind = "embargo"\nleakage = 0.3\nleakage_cost_usd_per_kg = 5\n'))
    assert (leaky.events[0].effect.leakage, leaky.events[0].effect.leakage_cost_usd_per_kg) == (0.3, 5.0)
    assert load_level(level_with(tmp_path, 'kind = "embargo"\n')).events[0].effect.leakage == 0.0

