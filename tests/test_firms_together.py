"""Firms worked out together do what each would alone, to the last bit.

The turn's phases work out many firms at once as arrays (``agents.producers.mine_of``,
``separate_of``, ``running_values_of``...; ``agents.buyers.make_magnets_of``...). Each test
here replays games and, quarter by quarter, compares what the arrays give with a firm-by-firm
walk written out below as the world did it before firms were worked out together: the same
numbers, bit for bit, so the history does not depend on how many firms there are.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from agents.buyers import (MagnetMakerFirm, ManufacturerFirm, adapt_demand_of, adapt_recipes_of,
                           input_price_ratios_of, make_magnets_of, manufacture_of, plans_of, relocation_shares_of,
                           take_orders_of)
from agents import firm as firm_module
from agents import producers
from agents.firm import FirmAgent, overheads_of, review_uses_of
from agents.producers import (MinerFirm, RecyclerFirm, feed_pairs_of, feed_requests_of, full_costs_of, mine_of,
                              operating_margins_of, review_operations_of,
                              output_mixes_of, planned_throughputs_of, separate_of, sustainable_outputs_of)
from game.players import controller_for
from game.research.scaling import split_firms
from game.scenario import find_level, load_level
from game.session import Session
from game.vocab.arithmetic import added_up
from game.vocab.materials import N_MATERIALS
from game.vocab.portable_math import dot
from tests.agent_attributes import attributes_of

CELA = 2


# --------------------------------------------------------------------- firm by firm


def _netback(plant):
    return plant.expected_netback if plant.expected_netback is not None else plant.model.reference_price


def _concentrate_price(plant, feed, digging_only=False):
    tracked = feed.tracked_share
    cost = feed.unit_cost + feed.royalty_usd_per_kg
    if digging_only and feed.group is not None and feed.group == plant.group:
        return cost / tracked
    value = dot(feed.composition, _netback(plant)) / tracked
    floor = cost if digging_only \
        else feed.unit_cost * (1.0 + plant.model.assumptions.fixed_cost_share) + feed.royalty_usd_per_kg
    return max(floor / tracked, plant.model.assumptions.concentrate_value_share * value)


def _feed_cost(plant, digging_only):
    if not plant.feeds:
        return 0.0
    weights = [f.capacity_tpy + 1e-9 for f in plant.feeds]
    return added_up(w * _concentrate_price(plant, f, digging_only) for w, f in zip(weights, plant.feeds)) / added_up(weights)


def _variable_cost(plant):
    return plant.unit_cost if isinstance(plant, RecyclerFirm) else plant.unit_cost + _feed_cost(plant, True)


def _sellable_share(plant):
    target = np.maximum(plant.model.assumptions.plant_stock_target_quarters * plant.capacity_per_turn
                        * plant.output_mix(), 1e-9)
    return np.clip(2.0 - plant.inventory / target, 0.0, 1.0)


def _operating_margin(plant):
    variable = _variable_cost(plant)
    if plant.expected_netback is None or variable <= 0:
        return 0.0
    value = dot(plant.output_mix() * _sellable_share(plant), plant.expected_netback)
    return float(value) / variable - 1.0


def _run_rate(plant, variable):
    if plant.expected_netback is None or variable <= 0:
        return 1.0
    ratio = dot(plant.output_mix() * _sellable_share(plant), plant.expected_netback) / variable
    a = plant.model.assumptions
    band = a.planned_run_rate_cost_band if plant.runs_to_plan else a.run_rate_cost_band
    return min(1.0, max(0.0, (ratio - 1.0 + band) / (2.0 * band)))


def _planned_throughput(plant, owed):
    if not plant.alive or plant.mothballed:
        plant.planned_run_rate = 1.0
        return 0.0
    variable = _variable_cost(plant)
    rate = plant.planned_run_rate = _run_rate(plant, variable)
    if 0.0 < rate < plant.model.assumptions.min_run_rate:
        rate = plant.model.assumptions.min_run_rate
    planned = rate * plant.capacity_per_turn
    planned = max(planned, min(plant.capacity_per_turn, plant._throughput_owed(owed, variable)))
    return min(planned, plant.affordable_t(variable))


def _mine(mine, requested_t, limit_t):
    if mine.mothballed and mine.alive \
            and requested_t > mine.model.assumptions.idle_below_utilisation * mine.capacity_per_turn:
        mine.mothballed = False
        mine.idle_quarters = 0
    stock = float(mine.concentrate.sum())
    ceiling = mine.capacity_per_turn if limit_t is None else min(mine.capacity_per_turn, limit_t)
    ordered = max(0.0, requested_t - stock)
    buffer = max(0.0, 1.5 * requested_t - stock) - ordered
    ore = min(ceiling, ordered + min(buffer, mine.affordable_t(mine.unit_cost))) if mine.alive else 0.0
    mined = ore * mine.composition
    mine.concentrate += mined
    mine.pay(ore * mine.unit_cost)
    if mine.royalty_usd_per_kg:
        mine.pay(ore * mine.royalty_usd_per_kg)
        host = mine.model.nation(mine.nation)
        host.budget_musd += ore * mine.royalty_usd_per_kg / 1000.0
        host.royalties_musd += ore * mine.royalty_usd_per_kg / 1000.0
    mine.output_t = ore
    return mined


def _feed_requests(plants, throughputs, mines, room):
    room_of = dict(zip(mines, room.tolist()))
    requested = dict.fromkeys(mines, 0.0)
    for plant, throughput in zip(plants, throughputs):
        capacity = added_up(room_of[feed] for feed in plant.feeds)
        for feed in plant.feeds:
            if capacity > 0:
                requested[feed] += throughput * room_of[feed] / capacity
    return list(requested.values())


def _hand_over(mine, tonnes):
    stock = float(mine.concentrate.sum())
    if stock <= 0.0 or tonnes <= 0.0:
        return np.zeros(N_MATERIALS)
    taken = mine.concentrate * min(1.0, tonnes / stock)
    mine.concentrate = np.maximum(mine.concentrate - taken, 0.0)
    return taken


def _separate(plant, throughput):
    available = added_up(float(f.concentrate.sum()) for f in plant.feeds)
    throughput = min(throughput, available)
    for feed in plant.feeds:
        share = float(feed.concentrate.sum()) / available * throughput if available > 0 else 0.0
        content = _hand_over(feed, share)
        price = _concentrate_price(plant, feed) * float(content.sum())
        plant.pay(price)
        feed.earn(price)
        plant.inventory += content
    plant.pay(throughput * plant.unit_cost)
    plant.output_t = throughput


def _make_magnets(maker):
    recipe = maker.recipe
    limits = [maker.orders_t]
    limits += [maker.inventory[m] / recipe[m] for m in range(N_MATERIALS) if recipe[m] > 0]
    made = max(0.0, min(limits)) if maker.alive else 0.0
    content = np.minimum(made * recipe, maker.inventory)
    maker.inventory -= content
    maker.pay(made * maker.unit_cost)
    maker.output_t = made
    return content


def _manufacture(firm):
    fills = []
    if firm.magnet_need > 0:
        fills.append(float(firm.magnets.sum()) / firm.magnet_need)
    if firm.cela_need > 0:
        fills.append(firm.inventory[CELA] / firm.cela_need)
    firm.fill = min(1.0, min(fills)) if fills else 1.0
    consumed = np.zeros(N_MATERIALS)
    if firm.magnet_need > 0 and firm.magnets.sum() > 0:
        used = firm.magnets * min(1.0, firm.fill * firm.magnet_need / float(firm.magnets.sum()))
        firm.magnets = np.maximum(firm.magnets - used, 0.0)
        consumed += used
    if firm.cela_need > 0:
        used_cela = min(firm.inventory[CELA], firm.fill * firm.cela_need)
        firm.inventory[CELA] -= used_cela
        consumed[CELA] += used_cela
    firm.consumed = consumed
    return consumed


def _plan(firm):
    firm.requirement = np.zeros(N_MATERIALS)
    firm.requirement[CELA] = firm.cela_need
    magnet_stock = float(firm.magnets.sum())
    return max(0.0, firm.magnet_need * (1.0 + firm.target_buffer_quarters) - magnet_stock)


def _input_price_ratio(firm, expected, reference, recipe):
    weights = firm.magnet_need_tpy * recipe
    weights[2] += firm.cela_need_tpy
    base = dot(weights, reference)
    return dot(weights, expected) / base if base > 0 else 1.0


def _adapt_recipe(maker, ratio):
    a = maker.model.assumptions
    if ratio > a.thrift_above_price_ratio:
        pressure = min(1.0, math.log(ratio / a.thrift_above_price_ratio) / math.log(3.0))
        maker.dy_share = max(maker.min_dy_share, maker.dy_share * (1.0 - a.max_thrift_per_quarter * pressure))
    elif ratio < a.demand_returns_below_price_ratio:
        maker.dy_share = min(maker.full_dy_share, maker.dy_share * (1.0 + a.max_thrift_per_quarter / 3.0))


def _adapt_demand(user, ratio):
    a = user.model.assumptions
    if ratio > a.thrift_above_price_ratio:
        pressure = min(1.0, math.log(ratio / a.thrift_above_price_ratio) / math.log(3.0))
        user.demand_factor = max(a.min_use_intensity, user.demand_factor - a.max_thrift_per_quarter * pressure)
    elif ratio < a.demand_returns_below_price_ratio:
        user.demand_factor = min(1.0, user.demand_factor + a.max_thrift_per_quarter / 3.0)


def _relocation_share(user, ratio):
    a = user.model.assumptions
    above, ceiling = a.relocate_above_price_ratio, a.max_relocated_share
    if ratio <= above or user.moved_share >= ceiling:
        return 0.0
    pressure = min(1.0, math.log(ratio / above) / math.log(2.0))
    share = min(a.max_relocation_per_quarter * pressure, ceiling - user.moved_share)
    user.moved_share += share
    return share


def _sustainable_output(seller):
    if not seller.alive or seller.mothballed:
        return 0.0
    if isinstance(seller, RecyclerFirm):
        return min(seller.capacity_tpy, 0.9 * 4.0 * seller.output_t)
    return min(seller.capacity_tpy, added_up(f.capacity_tpy * f.tracked_share for f in seller.feeds if f.alive))


def _take_orders(maker, magnets):
    maker.orders_t = min(magnets, maker.capacity_per_turn)
    recipe = np.zeros(N_MATERIALS)
    recipe[0], recipe[1] = 1.0 - maker.dy_share, maker.dy_share
    maker.requirement = maker.orders_t * recipe


def _overheads(firm):
    a = firm.model.assumptions
    full = firm.capacity_tpy * firm.unit_cost * a.fixed_cost_share / 4.0 / 1000.0
    return full * (a.mothballed_fixed_cost_share if firm.mothballed else 1.0) \
        + firm.debt_musd * a.interest_rate_per_year / 4.0


def _full_cost(plant):
    return plant.unit_cost * (1.0 + plant.model.assumptions.fixed_cost_share) + _feed_cost(plant, False)


# --------------------------------------------------------------------- replaying games


def _state(world):
    """Every number a firm or nation holds, as exact bits (arrays as bytes)."""
    def bits(value):  # a NumPy float and a Python float of the same value are the same number
        if isinstance(value, np.ndarray):
            return value.dtype.str, value.tobytes()
        if isinstance(value, (float, np.floating)):
            return float(value).hex()
        return repr(value)

    def numbers(agent):
        return {k: bits(v) for k, v in attributes_of(agent).items()
                if isinstance(v, (float, int, bool, np.ndarray, np.floating)) and not k.startswith("_")}

    return [numbers(a) for a in world.firm_list] + [numbers(n) for n in world.nation_list]


def _saved(world):
    """What ``_restore`` puts back: each agent's numbers, arrays copied."""
    return [{k: v.copy() if isinstance(v, np.ndarray) else v for k, v in attributes_of(a).items()
             if isinstance(v, (float, int, bool, np.ndarray, np.floating))}
            for a in [*world.firm_list, *world.nation_list]]


def _restore(world, saved):
    for agent, values in zip([*world.firm_list, *world.nation_list], saved):
        for k, v in values.items():
            setattr(agent, k, v.copy() if isinstance(v, np.ndarray) else v)


def _both_ways(world, together, alone):
    """Run ``together`` and ``alone`` from the same state; both leave the same numbers and
    return the same values, bit for bit. The world is left as it was."""
    saved = _saved(world)
    got = together()
    after = _state(world)
    _restore(world, saved)
    expected = alone()
    assert _state(world) == after
    _restore(world, saved)
    np.testing.assert_array_equal(np.asarray(got, dtype=float).view(np.int64),
                                  np.asarray(expected, dtype=float).view(np.int64))


GAMES = {  # level, copies of each firm, strategy, seed
    "2010-trawler": ("2010-trawler", 1, "history", 2),
    # Three copies of every 2010 firm: plants in waves behind their shared mines, many of a kind.
    "2010-trawler-x3": ("2010-trawler", 3, "passive", 5),
    "2025-licensing": ("2025-licensing", 1, "history", 7),
}


@pytest.fixture(scope="module", params=list(GAMES))
def game(request):
    level, copies, strategy, seed = GAMES[request.param]
    scenario = load_level(find_level(level))
    if copies > 1:
        scenario = split_firms(scenario, copies)
    return scenario, strategy, seed


def _each_quarter(game, check, turns=6):
    """Play the game's first quarters, checking ``check(world)`` in each just before production
    (the phases before it done), with a royalty on one mine so that branch counts."""
    scenario, strategy, seed = game
    session = Session(scenario, controller_for(strategy, scenario), seed=seed)
    world = session.world
    produce = world.production.run
    checked = []

    def check_then_produce():
        world.firms_of(MinerFirm)[0].royalty_usd_per_kg = 0.5
        check(world)
        checked.append(world.quarter)
        produce()

    world.production.run = check_then_produce
    while not session.is_over and len(checked) < turns:
        session.play_turn()
    assert len(checked) == min(turns, scenario.n_turns)


def test_plants_plan_together_as_each_alone(game):
    def check(world):
        plants = [s for s in world.sellers if not isinstance(s, RecyclerFirm)]
        owed = [None if k % 3 else np.full(N_MATERIALS, 50.0 * k) for k in range(len(plants))]
        _both_ways(world, lambda: planned_throughputs_of(plants, owed),
                   lambda: [_planned_throughput(p, o) for p, o in zip(plants, owed)])
    _each_quarter(game, check)


def test_margins_and_costs_together_are_each_alone(game):
    def check(world):
        sellers = world.sellers
        _both_ways(world, lambda: operating_margins_of(sellers), lambda: [_operating_margin(s) for s in sellers])
        _both_ways(world, lambda: full_costs_of(sellers), lambda: [_full_cost(s) for s in sellers])
        _both_ways(world, lambda: sustainable_outputs_of(sellers), lambda: [_sustainable_output(s) for s in sellers])
        _both_ways(world, lambda: sustainable_outputs_of(sellers), lambda: [s.sustainable_output_tpy() for s in sellers])
        _both_ways(world, lambda: overheads_of(world.firm_list), lambda: [_overheads(f) for f in world.firm_list])
    _each_quarter(game, check)


@pytest.fixture(params=["arrays", "as-shipped"])
def reviews(request, monkeypatch):
    """Reviews as shipped (one by one below REVIEWED_TOGETHER_FROM firms), and on arrays
    whatever the number of firms."""
    if request.param == "arrays":
        monkeypatch.setattr(firm_module, "REVIEWED_TOGETHER_FROM", 0)


def test_firms_review_their_use_together_as_each_alone(game, reviews):
    def check(world):
        firms = world.firm_list
        a = world.assumptions
        for k, firm in enumerate(firms):  # idle, at the line, busy; some a quarter from mothballing
            firm.output_t = (0.0, 0.5, 1.0, 2.0)[k % 4] * a.idle_below_utilisation * firm.capacity_per_turn
            firm.idle_quarters = k % (a.loss_quarters_to_mothball + 1)
        assert any(f.alive and not f.mothballed and f.capacity_tpy > 0 for f in firms)
        _both_ways(world, lambda: review_uses_of(firms), lambda: [k for k, f in enumerate(firms) if f.review_use()])
    _each_quarter(game, check)


def test_sellers_review_their_operations_together_as_each_alone(game, reviews):
    def check(world):
        sellers = world.sellers
        a = world.assumptions
        quarters = a.loss_quarters_to_mothball
        # Margins deep in loss, slightly in loss, short of reopening and past it; some plants
        # closed, some under contract, some a quarter from mothballing for losses or for idling.
        margins = [(-2.0 * a.run_rate_cost_band, -0.5 * a.run_rate_cost_band, a.reopen_margin - 0.01,
                    a.reopen_margin + 0.01)[k % 4] for k in range(len(sellers))]
        committed = [k % 5 == 0 for k in range(len(sellers))]
        for k, seller in enumerate(sellers):
            seller.mothballed = seller.mothballed or k % 3 == 0
            seller.loss_quarters = k % (quarters + 1)
            seller.idle_quarters = (k // 2) % (quarters + 1)
            seller.output_t = (0.0, 0.5, 2.0)[k % 3] * a.idle_below_utilisation * seller.capacity_per_turn
            if k % 4 == 3:  # ore waits for some plants past reopening (their mines left room unused)
                for feed in seller.feeds:
                    feed.output_t = 0.0
        saved = _saved(world)
        outcomes = [s.review_operations(c, m) for s, c, m in zip(sellers, committed, margins)]
        _restore(world, saved)
        assert {"reopened", "mothballed"} <= set(outcomes), outcomes
        _both_ways(world, lambda: _coded(review_operations_of(sellers, committed, margins)),
                   lambda: _coded([s.review_operations(c, m) for s, c, m in zip(sellers, committed, margins)]))
    _each_quarter(game, check)


def _coded(outcomes):
    return [("reopened", "mothballed", None).index(outcome) for outcome in outcomes]


def test_mines_dig_and_plants_separate_together_as_each_alone(game, monkeypatch):
    def check(world):
        mines = world.firms_of(MinerFirm)
        requested = [(k % 5) * 0.3 * m.capacity_per_turn for k, m in enumerate(mines)]
        limits = [None if k % 4 else 0.2 * m.capacity_per_turn for k, m in enumerate(mines)]
        _both_ways(world, lambda: mine_of(mines, requested, limits),
                   lambda: [_mine(m, r, cap) for m, r, cap in zip(mines, requested, limits)])
        plants = [s for s in world.sellers if not isinstance(s, RecyclerFirm)]
        throughputs = [(1 + k % 4) * 0.4 * p.capacity_per_turn for k, p in enumerate(plants)]
        for room in (np.array([(1 + k % 3) * 0.5 * m.capacity_per_turn + 1.0 for k, m in enumerate(mines)]),
                     np.array([(k % 3) * 0.5 * m.capacity_per_turn for k, m in enumerate(mines)])):  # some without room
            _both_ways(world, lambda: feed_requests_of(plants, throughputs, mines, room),
                       lambda: _feed_requests(plants, throughputs, mines, room))
        plants = [s for s in world.sellers if not isinstance(s, RecyclerFirm)]
        throughputs = [(k % 4) * 0.4 * p.capacity_per_turn for k, p in enumerate(plants)]
        assert any(len(world.plants_fed_by(m)) > 1 for m in mines), "no mine feeds two plants"
        for waves_from in (0, 10**9):  # in waves of arrays and plant by plant, whatever the size
            monkeypatch.setattr(producers, "SEPARATE_IN_WAVES_FROM_PAIRS", waves_from)
            _both_ways(world, lambda: separate_of(plants, throughputs) or [],
                       lambda: [_separate(p, t) for p, t in zip(plants, throughputs)] and [])
    _each_quarter(game, check)


def test_buyers_make_and_use_magnets_together_as_each_alone(game):
    def check(world):
        makers, users = world.firms_of(MagnetMakerFirm), world.firms_of(ManufacturerFirm)
        for k, maker in enumerate(makers):
            maker.orders_t = (k % 3) * 0.5 * maker.capacity_per_turn
        for k, user in enumerate(users):
            user.magnets = user.magnets + (k % 2) * 0.3 * user.magnet_need
        for k, user in enumerate(users):  # some fear, so the buffer's term counts
            user.fear = max(user.fear, 0.1 * (k % 3))
        _both_ways(world, lambda: plans_of(users), lambda: [_plan(u) for u in users])
        _both_ways(world, lambda: make_magnets_of(makers), lambda: [_make_magnets(m) for m in makers])
        _both_ways(world, lambda: manufacture_of(users), lambda: [_manufacture(u) for u in users])
        expected = world.expected_prices[[world.nation_index(u.nation) for u in users]]
        reference = np.tile(world.reference_price, (len(users), 1))
        recipes = np.array([[0.9, 0.1, 0.0] if k % 2 else [0.7, 0.3, 0.0] for k in range(len(users))])
        _both_ways(world, lambda: input_price_ratios_of(users, expected, reference, recipes),
                   lambda: [_input_price_ratio(u, e, r, c) for u, e, r, c in zip(users, expected, reference, recipes)])
    _each_quarter(game, check)


def test_buyers_take_orders_and_thrift_together_as_each_alone(game):
    def check(world):
        makers, users = world.firms_of(MagnetMakerFirm), world.firms_of(ManufacturerFirm)
        a = world.assumptions
        # Prices dear (past the thrift threshold, some past three times it), middling and cheap.
        shares = (0.8 * a.demand_returns_below_price_ratio / a.thrift_above_price_ratio, 0.99, 1.01, 2.0, 4.0)
        ratios = np.array([a.thrift_above_price_ratio * shares[k % 5] for k in range(max(len(makers), len(users)))])
        magnets = np.array([(k % 4) * 0.45 * m.capacity_per_turn for k, m in enumerate(makers)])
        _both_ways(world, lambda: take_orders_of(makers, magnets) or [],
                   lambda: [_take_orders(m, t) for m, t in zip(makers, magnets.tolist())] and [])
        _both_ways(world, lambda: adapt_recipes_of(makers, ratios[:len(makers)]) or [],
                   lambda: [_adapt_recipe(m, r) for m, r in zip(makers, ratios.tolist())] and [])
        _both_ways(world, lambda: adapt_demand_of(users, ratios[:len(users)]) or [],
                   lambda: [_adapt_demand(u, r) for u, r in zip(users, ratios.tolist())] and [])
        # Moving to China: cheap there, a little, twice as dear at home; some users at or near
        # the ceiling of what they move.
        above, ceiling = a.relocate_above_price_ratio, a.max_relocated_share
        for k, user in enumerate(users):
            user.moved_share = (0.0, ceiling - 0.01, ceiling, 0.5 * ceiling)[k % 4]
        moving = np.array([above * (0.8, 1.0, 1.2, 2.0, 3.5)[k % 5] for k in range(len(users))])
        _both_ways(world, lambda: relocation_shares_of(users, moving),
                   lambda: [_relocation_share(u, r) for u, r in zip(users, moving.tolist())])
    _each_quarter(game, check)


def test_a_firm_alone_is_worked_out_as_with_the_others(trawler):
    """The one-firm methods go through the same arrays: a plant's margin alone is its margin
    among all."""
    world = Session(trawler, seed=0).world
    assert isinstance(world.firm_list[0], FirmAgent)
    sellers = world.sellers
    together = operating_margins_of(sellers)
    assert [s.operating_margin() for s in sellers] == together.tolist()


def test_what_is_read_of_the_sellers_follows_a_plant_linked_to_other_mines(trawler):
    """Which mines feed which plant, and the plants' mixes, are read once per list of sellers;
    linking a plant to other mines must not leave the old reading in use."""
    world = Session(trawler, seed=0).world
    sellers = world.sellers
    plant = next(s for s in sellers if not isinstance(s, RecyclerFirm) and s.feeds)
    k = sellers.index(plant)
    before = output_mixes_of(sellers)[k].tolist()
    assert feed_pairs_of(sellers).feeds.count(plant.feeds[0]) >= 1
    other = next(m for m in world.firms_of(MinerFirm)
                 if m not in plant.feeds and (m.composition / m.composition.sum()).tolist() != before)
    plant.link_feeds([other])
    assert output_mixes_of(sellers)[k].tolist() == plant.output_mix().tolist() != before
    pairs = feed_pairs_of(sellers)
    assert [feed for feed, owner in zip(pairs.feeds, pairs.plants) if owner is plant] == [other]
