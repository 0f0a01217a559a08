"""Stars judge what actually arrived and what was held over time: not contracts on paper,
and not a stock dumped in the final quarter."""

import pytest

from game.objectives import DATED_RULES
from game.scenario import load_level, shipped_level_paths

#: Indicators that a single good quarter can fake (buy a stock the last quarter, import a
#: shipload once): judged only over spans of at least a year.
SUSTAINED = ("japan_stockpile_days", "japan_china_share", "japan_received_outside_china_t", "japan_recycling_tpy")
#: Promises, not supply: no star depends on them.
ON_PAPER = ("japan_secured_share",)

LEVELS = [load_level(path) for path in shipped_level_paths()]


@pytest.mark.parametrize("level", LEVELS, ids=[level.id for level in LEVELS])
def test_no_star_rests_on_paper_or_on_one_quarter(level):
    for objective in level.objectives:
        assert objective.indicator not in ON_PAPER, f"{level.id}: {objective.id} judges contracts on paper"
        if objective.indicator in SUSTAINED:
            assert objective.rule not in DATED_RULES, f"{level.id}: {objective.id} is judged at one quarter"
            start = objective.start or level.start
            end = objective.end or level.end
            assert end - start >= 3, f"{level.id}: {objective.id} spans fewer than four quarters"


def test_supply_from_outside_china_is_what_arrived():
    from game.scenario import find_level
    from game.session import Session

    session = Session(load_level(find_level("2010-trawler")), seed=0)
    try:
        for _ in range(4):
            session.end_turn()
            world = session.world
            japan, china = world.nation_index("JPN"), world.nation_index("CHN")
            arrived = world.receipts[:, :, japan].sum() - world.receipts[:, china, japan].sum()
            assert session.rows()[-1]["japan_received_outside_china_t"] == pytest.approx(arrived)
        assert session.rows()[-1]["japan_received_outside_china_t"] > 0.0
    finally:
        session.close()
