"""Nations other than Japan played from outside the world (the workshop's foundation): an
exporter's levers through the same Action door, a played nation's doctrine standing down,
hot-seat turns that replay exactly, and saves that carry whose action each was."""

from __future__ import annotations

import json

import pytest

from game.actions import ReleaseStockpile, action_from_dict
from game.controllers import PassiveController
from game.research.runner import scenario_for
from game.savefile import VERSION, SaveError, load_text, save_text, sealed
from game.session import Session
from game.trade_controls import (
    ImposeEmbargo,
    LicenceExports,
    LiftEmbargo,
    SetExportDuty,
    SetExportQuota,
)
from game.vocab.materials import Material


def china_played(level: str = "2010-trawler", seed: int = 0) -> Session:
    return Session(scenario_for(level), seed=seed, others={"CHN": PassiveController()})


def play(session: Session, turns: int, moves: dict[int, list[tuple[str, object]]]) -> list[dict]:
    """Hot seat: each turn, each nation's moves (nation, action) submitted, then the quarter."""
    for turn in range(turns):
        session.open_turn()
        for nation, action in moves.get(turn, []):
            assert session.submit(action, nation=nation).accepted, (nation, action)
        session.end_turn()
    return session.rows()


def test_an_exporters_levers_act_through_the_trade_policy():
    session = china_played()
    session.open_turn()
    duties_before = session.world.policy.tariff("CHN").copy()
    for action in (SetExportQuota(20_000.0), SetExportDuty(Material.DYTB, 0.25),
                   LicenceExports("KOR", 0.5, (Material.NDPR,)), ImposeEmbargo("USA")):
        record = session.submit(action, nation="CHN")
        assert record.accepted and record.nation == "CHN", record.message
    policy = session.world.policy
    assert policy.quota_per_turn("CHN").sum() == pytest.approx(5_000.0)
    assert policy.tariff("CHN")[1] == 0.25 and policy.tariff("CHN")[0] == duties_before[0]  # the others stay
    assert ("CHN", "KOR", Material.NDPR) in {(r.exporter, r.partner, r.material) for r in policy.licences()}
    assert "CHN" in policy.embargoers_of("USA")
    assert session.submit(LiftEmbargo("USA"), nation="CHN").accepted
    session.end_turn()
    assert "CHN" in policy.embargoers_of("USA")  # buyers remember it
    assert not [e for e in policy.embargoes_in(session.world.quarter) if (e.exporter, e.partner) == ("CHN", "USA")]
    kinds = {item.kind for item in session.world.news if dict(item.fields).get("exporter_code") == "CHN"}
    assert {"export_controls", "embargo"} <= kinds
    session.close()


@pytest.mark.parametrize("action,reason", [
    (ImposeEmbargo("CHN"), "itself"),
    (ImposeEmbargo("ATLANTIS"), "not a nation"),
    (ImposeEmbargo("JPN", ()), "at least one material"),
    (LiftEmbargo("KOR"), "no embargo"),
    (LicenceExports("JPN", 1.5), "approval rate"),
    (SetExportDuty(Material.NDPR, 5.0), "duty"),
])
def test_what_no_exporter_can_do_is_refused_and_changes_nothing(action, reason):
    session, untouched = china_played(), china_played()
    session.open_turn()
    untouched.open_turn()
    record = session.submit(action, nation="CHN")
    assert not record.accepted and reason in record.message
    assert session.world.nation("CHN").political_capital == untouched.world.nation("CHN").political_capital
    for s in (session, untouched):
        s.end_turn()
    assert session.rows() == untouched.rows()
    session.close()
    untouched.close()


def test_an_embargo_by_a_played_china_cuts_what_reaches_japan():
    quiet = play(china_played(), 3, {})
    halted = play(china_played(), 3, {1: [("CHN", ImposeEmbargo("JPN"))]})
    assert halted[0] == quiet[0]
    assert halted[1]["japan_china_share"] < 0.5 * quiet[1]["japan_china_share"]


def test_a_played_nation_sets_no_pressure_by_doctrine():
    level = scenario_for("sandbox")
    alone, played = Session(level, seed=1), Session(level, seed=1, others={"CHN": PassiveController()})
    pressures = {"doctrine": 0.0, "played": 0.0}
    for name, session in (("doctrine", alone), ("played", played)):
        for _ in range(40):  # to 2020: the doctrine presses in some quarters of it
            session.play_turn()
            pressures[name] += sum(float(session.world.policy.pressure("CHN", p).sum())
                                   for p in session.world.nation_codes if p != "CHN")
        session.close()
    assert pressures["doctrine"] > 0.0 and pressures["played"] == 0.0


def test_hot_seat_turns_replay_exactly_and_different_moves_differ():
    moves = {0: [("JPN", ReleaseStockpile(Material.NDPR, 100.0)), ("CHN", SetExportQuota(15_000.0))],
             2: [("CHN", ImposeEmbargo("JPN", (Material.DYTB,)))]}
    one, two = play(china_played(seed=4), 5, moves), play(china_played(seed=4), 5, moves)
    assert one == two
    other = play(china_played(seed=4), 5, {**moves, 2: [("CHN", SetExportQuota(40_000.0))]})
    assert other[:2] == one[:2] and other[2:] != one[2:]


def test_a_hot_seat_save_keeps_whose_action_each_was():
    session = china_played(seed=2)
    play(session, 3, {0: [("CHN", SetExportDuty(Material.NDPR, 0.2))], 1: [("JPN", ReleaseStockpile(Material.NDPR, 50.0)),
                                                                            ("CHN", ImposeEmbargo("KOR"))]})
    text = save_text(session, "2010-trawler")
    data = json.loads(text)
    assert data["version"] == VERSION and data["played"] == ["CHN"]
    loaded, _ = load_text(text)
    assert loaded.rows() == session.rows()
    assert [(r.nation, r.action.kind) for r in loaded.actions] == [(r.nation, r.action.kind) for r in session.actions]
    for bad, problem in ((dict(data, played="CHN"), "played"), (dict(data, played=["XXX"]), "XXX"),
                         ({**data, "played": []}, "nobody plays")):
        with pytest.raises(SaveError, match=problem):
            load_text(sealed(bad))
    session.close()
    loaded.close()


def test_an_action_names_a_nation_only_in_a_save_not_in_its_own_data():
    with pytest.raises(ValueError, match="unknown field 'nation'"):
        action_from_dict({"kind": "impose_embargo", "partner": "JPN", "nation": "CHN"})


def test_a_firms_own_decision_of_a_nations_kind_happens_whoever_plays_the_nation():
    """Molycorp idling Mountain Pass is the USA's mining quota of nothing: with a US team it was
    taken for the team's own decision, only told to it as history, and the mine ran on."""
    level = scenario_for("2014-urban-mining")
    [idled] = [e for e in level.events if e.headline == "Mountain Pass is idled"]
    session = Session(level, seed=1, others={"USA": PassiveController()})
    try:
        assert idled.decided_by == "world" and session.world.team_deciding(idled) == ""
        quota = next(e for e in level.events if e.effect.__class__.__name__ == "ExportQuota"
                     and getattr(e.effect, "exporter", "") == "CHN")
        china = Session(level, seed=1, others={"CHN": PassiveController()})
        assert china.world.team_deciding(quota) == "CHN"  # a nation's own, as before
        china.close()
    finally:
        session.close()
