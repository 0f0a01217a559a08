"""The levels after 2013 start from the sandbox's history, which funded nothing of the
Minamitorishima mud programme: 2026-deep-sea began at "Deep sea: 0 of 5 stages", offering the
survey, in the quarter its news has Chikyu lifting the mud from 5,600 m (a play-tester). The
history now funds the survey (2013), the pilot (2024) and the test recovery (2026)."""

from __future__ import annotations

import pytest

from game.players import controller_for
from game.research.runner import scenario_for
from game.session import Session


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_2026_level_starts_with_the_survey_done_and_its_history_funds_the_test(seed):
    scenario = scenario_for("2026-deep-sea", None)
    session = Session(scenario, controller_for("history", scenario), seed=seed)
    try:
        programme = session.world.deep_sea.get("JPN")
        assert programme is not None and programme.done >= 1, "the 2013 survey"
        assert [event for _, event in programme.history][:1] == ["survey starts"]
        session.play_turn()
        funded = [r for r in session.actions if r.action.kind == "fund_deep_sea"]
        assert funded and funded[0].accepted, funded
    finally:
        session.close()
