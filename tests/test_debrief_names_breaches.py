"""The debrief counted "Contracts for Japan: 3 signed by the market, 27 breaches" and said
neither what was breached nor by whom. Under the count it names the sellers that fell short,
worst first, with the tonnes short and the quarters."""

from __future__ import annotations

import pytest

from game.ui.play import Game
from game.ui.scenes.debrief import BREACHING_SELLERS_SHOWN, turning_points
from game.ui.strings import Language


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    game = Game("2026-deep-sea", seed=1)
    while not game.session.is_over:
        game.end_turn()
    yield game
    game.close()


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_worst_breaching_seller_is_named_with_its_tonnes_and_quarters(finished, language):
    world = finished.world
    short: dict[str, float] = {}
    quarters: dict[str, set] = {}
    for breach in world.ledger.breaches:
        # The level's own quarters (the ledger keeps the history run's before them), and
        # shortfalls big enough to be news.
        if (breach.buyer == "JPN" and breach.quarter >= finished.scenario.start
                and breach.shortfall_t >= 0.01 * breach.due_t):
            short[breach.seller] = short.get(breach.seller, 0.0) + breach.shortfall_t
            quarters.setdefault(breach.seller, set()).add(breach.quarter)
    assert short, "the level is expected to see Japan's contracts breached"
    worst = max(short, key=short.get)
    points = turning_points(finished, Language(language).tr)
    named = [p for p in points if world.firm(worst).name in p]
    assert len(named) == 1, points
    assert f"{short[worst]:,.0f}" in named[0]
    assert str(min(quarters[worst])) in named[0] and str(max(quarters[worst])) in named[0]
    sellers = [p for p in points if any(world.firm(s).name in p for s in short)]
    assert len(sellers) == min(len(short), BREACHING_SELLERS_SHOWN)
