"""The exchange books a small quarter step by step in Python floats and a large one with arrays
(``game.world.exchange.BOOK_IN_ARRAYS_FROM_STEPS``): both give the same numbers to the last bit.

Each test feeds both ways the same random figures, with the edge cases a quarter meets (no
steps, nothing sold, a seller selling all it held, one buyer's steps in one run or split, a
seller that also sold on contract), and compares every stock, cash balance and row byte for byte;
and whole games of the 2010 world, booked each way, have the same history.
"""

from __future__ import annotations

import copy
from types import SimpleNamespace

import numpy as np
import pytest
from conftest import play

from game.cli import rows_to_csv
from game.world import exchange
from game.vocab.materials import N_MATERIALS

CASES = 400


def _firms(rng: np.random.Generator, n: int) -> list[SimpleNamespace]:
    return [SimpleNamespace(inventory=rng.choice([0.0, 1.0, 3.5, 1e-7]) * rng.random(N_MATERIALS) * 100.0,
                            cash_musd=float(rng.choice([-2.0, 0.0, 1.0])) * rng.random() * 50.0) for _ in range(n)]


def _figures(firms: list[SimpleNamespace]) -> list[tuple[bytes, str]]:
    return [(firm.inventory.tobytes(), float(firm.cash_musd).hex()) for firm in firms]


def _some(rng: np.random.Generator, n: int, zero_share: float) -> np.ndarray:
    """n random tonnes or prices, some of them zero, some repeated."""
    values = rng.random(n) * rng.choice([1.0, 1e3, 1e-6])
    values[rng.random(n) < zero_share] = 0.0
    repeated = rng.random(n) < 0.2
    values[repeated] = values[0] if n else 0.0
    return values


@pytest.mark.parametrize("seed", range(CASES))
def test_sellers_sell_the_same_step_by_step_as_in_arrays(seed):
    rng = np.random.default_rng(seed)
    sellers = _firms(rng, int(rng.integers(0, 9)))
    m = int(rng.integers(N_MATERIALS))
    steps = int(rng.integers(0, len(sellers) + 1))
    seller_of = rng.permutation(len(sellers))[:steps].astype(np.int64)
    stock = _some(rng, steps, 0.0) + 1e-9
    sold = np.minimum(_some(rng, steps, 0.4), stock)
    all_of_it = rng.random(steps) < 0.3
    sold[all_of_it] = stock[all_of_it]  # sold out: nothing left, not a rounding below zero
    price = _some(rng, steps, 0.2)
    one, other = sellers, copy.deepcopy(sellers)
    places, tonnes = exchange._sellers_sell_in_arrays(m, one, seller_of, stock, sold, price)
    listed_places, listed_tonnes = exchange._sellers_sell_one_by_one(m, other, seller_of, stock, sold, price)
    assert _figures(one) == _figures(other)
    assert places.tolist() == listed_places
    assert tonnes.tobytes() == np.array(listed_tonnes, dtype=float).tobytes()


@pytest.mark.parametrize("seed", range(CASES))
def test_buyers_take_deliveries_the_same_step_by_step_as_in_arrays(seed):
    rng = np.random.default_rng(seed)
    buyers = _firms(rng, int(rng.integers(1, 7)))
    m = int(rng.integers(N_MATERIALS))
    steps = int(rng.integers(0, 40))
    # Steps come buyer by buyer; now and then one buyer's steps come in two runs.
    bidders = np.sort(rng.integers(0, len(buyers), steps))
    if steps and rng.random() < 0.2:
        bidders[-1] = bidders[0]
    served = _some(rng, steps, 0.4)
    price = _some(rng, steps, 0.2)
    one, other = buyers, copy.deepcopy(buyers)
    exchange._deliver_to_buyers_in_arrays(m, one, bidders, served, price)
    exchange._deliver_to_buyers_one_by_one(m, other, bidders, served, price)
    assert _figures(one) == _figures(other)


class _Seller:
    """A seller as the sales rows know it: a key."""

    def __init__(self, name: int):
        self.name = name


@pytest.mark.parametrize("seed", range(CASES))
def test_spot_sales_are_recorded_the_same_seller_by_seller_as_in_arrays(seed):
    rng = np.random.default_rng(seed)
    sellers = [_Seller(k) for k in range(int(rng.integers(0, 8)))]
    sold = []
    for _ in range(N_MATERIALS):
        places = rng.permutation(len(sellers))[:int(rng.integers(0, len(sellers) + 1))].astype(np.int64)
        sold.append((places, _some(rng, places.size, 0.0) + 1e-6))  # (only those that sold are listed)
    # Some sellers delivered on contract first: their rows are there already.
    contracted = {seller: rng.random(N_MATERIALS) * 10.0 for seller in sellers if rng.random() < 0.4}
    worlds = [SimpleNamespace(sales_this_turn={s: row.copy() for s, row in contracted.items()},
                              spot_sales_this_turn={}) for _ in range(2)]
    exchange._record_spot_sales_in_arrays(worlds[0], sellers, sold)
    exchange._record_spot_sales_one_by_one(worlds[1], sellers, [(p.tolist(), t.tolist()) for p, t in sold])
    for rows in ("sales_this_turn", "spot_sales_this_turn"):
        one, other = getattr(worlds[0], rows), getattr(worlds[1], rows)
        assert [s.name for s in one] == [s.name for s in other]  # rows made in the same order
        assert [row.tobytes() for row in one.values()] == [row.tobytes() for row in other.values()]
    # A seller's two rows are arrays of their own: adding to one leaves the other as it was.
    for seller, row in worlds[1].spot_sales_this_turn.items():
        assert row is not worlds[1].sales_this_turn[seller]



@pytest.mark.parametrize("strategy, seed", [("passive", 0), ("history", 1), ("passive", 2)])
def test_a_game_booked_with_arrays_is_the_game_booked_step_by_step(trawler, monkeypatch, strategy, seed):
    histories = []
    for in_arrays_from in (0, 10**9):
        monkeypatch.setattr(exchange, "BOOK_IN_ARRAYS_FROM_STEPS", in_arrays_from)
        session = play(trawler, strategy, seed=seed)
        histories.append(rows_to_csv(session.rows()))
        session.close()
    assert histories[0] == histories[1]
