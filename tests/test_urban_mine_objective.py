"""2014-urban-mining's star for the urban mine judges oxide recycled from Japan's scrap, not
recycling capacity: US$5M of funding bought capacity and the star while nothing more was
recycled (a recycler makes no more than the scrap collected for it). Collection rules are what
the star asks for."""

from __future__ import annotations

from game.players import controller_for
from game.research.runner import scenario_for
from game.session import Session


def _urban_mine_verdict(tmp_path, actions: str, seed: int = 0):
    strategy = tmp_path / "strategy.toml"
    strategy.write_text('name = "test"\ndescription = "test"\n[[turn]]\nquarter = "2014Q1"\n'
                        f"actions = [ {actions} ]\n", encoding="utf-8")
    scenario = scenario_for("2014-urban-mining", None)
    session = Session(scenario, controller_for(str(strategy), scenario), seed=seed)
    try:
        session.run()
        verdicts = {v.objective.id: v for v in session.result().verdicts}
        rows = session.rows()
    finally:
        session.close()
    return verdicts["build-the-urban-mine"], rows


def test_funding_capacity_alone_does_not_build_the_urban_mine(tmp_path):
    verdict, rows = _urban_mine_verdict(
        tmp_path, '{ kind = "fund_recycling", recycler = "hitachi-recycling", amount_musd = 300 }')
    assert rows[-1]["japan_recycling_tpy"] > 10_000, "the funding built capacity"
    assert not verdict.met, verdict.reason


def test_collecting_scrap_builds_the_urban_mine(tmp_path):
    verdict, rows = _urban_mine_verdict(tmp_path, '{ kind = "set_collection_rules", collection_rate = 0.2 }')
    assert verdict.met, verdict.reason
    assert rows[0]["japan_recycled_tpy"] < 300 < 1_000 < rows[-1]["japan_recycled_tpy"]
