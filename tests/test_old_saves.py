"""Saves written by earlier versions of the game still load, to the same quarter and state.

``old_saves/2011-spike-bot-seed5-2012Q2.json`` was written by the code before the
restructuring into floors: the bot playing 2011-spike, seed 5, five turns. Loading replays
its actions and checks the save's fingerprint of the last quarter's indicators, so a change
of behaviour would refuse it.

The ``v1-`` to ``v3-`` samples were written by hand from real saves of 2010-trawler, in the form
each version had (git history of game/savefile.py): version 1 without ``"assumptions"``,
version 2 without ``"played"`` or an action's ``"nation"``, neither of them nor version 3 with a
``"checksum"``. The ``v4-`` sample was written by the game before companies and budgets were
saved; the ``v5-`` sample was written by the game before stockpile days counted every
material by value (its fingerprint's last figure is of the old count); the ``v6-`` sample is the
same game (a nation and a company played from outside, and a nation's
least budget), as version 6 wrote it; the ``v7-`` sample is that game as the game writes it now
(naming the game's version that wrote it, 0.2.0). Each is loaded through every migration from
its version to the current one, and its fingerprint is checked.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from game.package_version import model_version
from game.savefile import READABLE_VERSIONS, VERSION, SaveError, load_text, save_text, sealed
from game.vocab.quarters import Quarter

OLD_SAVES = Path(__file__).resolve().parent / "old_saves"
#: How a save that 0.1.0 wrote (every save before version 7) is refused when it replays otherwise.
BY_VERSION_0_1_0 = rf"^save was written by version 0\.1\.0 of the game, and this version \({re.escape(model_version())}\)"

#: sample -> (quarter it was left at, accepted actions as (nation, kind), nations played from
#: outside, assumption overrides, companies played from outside, least budgets)
SAMPLES = {
    "v1-2010-trawler-seed11-2011Q2.json": (
        "2011Q2", [("JPN", "buy_stockpile"), ("JPN", "fund_magnet_research")], [], (), {}, {}),
    "v2-2010-trawler-seed12-assumptions-2011Q1.json": (
        "2011Q1", [("JPN", "release_stockpile"), ("JPN", "buy_stockpile")], [],
        (("max_thrift_per_quarter", 0.05), ("offtake_years", (3, 7))), {}, {}),
    "v3-2010-trawler-seed13-hotseat-CHN-2011Q1.json": (
        "2011Q1", [("CHN", "set_export_duty"), ("JPN", "release_stockpile"), ("CHN", "set_export_quota")], ["CHN"], (), {}, {}),
    "v4-2010-trawler-seed14-hotseat-CHN-assumptions-2011Q2.json": (
        "2011Q2", [("JPN", "buy_stockpile"), ("CHN", "set_export_duty"), ("JPN", "fund_magnet_research")], ["CHN"],
        (("max_thrift_per_quarter", 0.05), ("offtake_years", (3, 7))), {}, {}),
    "v5-2010-trawler-seed15-hotseat-CHN-company-LYN-budget-2011Q2.json": (
        "2011Q2", [("JPN", "buy_stockpile"), ("LYN", "build_project"), ("CHN", "set_export_duty")], ["CHN"], (),
        {"LYN": ("mt-weld", "lynas-lamp")}, {"CHN": 900.0}),
    "v6-2010-trawler-seed15-hotseat-CHN-company-LYN-budget-2011Q2.json": (
        "2011Q2", [("JPN", "buy_stockpile"), ("LYN", "build_project"), ("CHN", "set_export_duty")], ["CHN"], (),
        {"LYN": ("mt-weld", "lynas-lamp")}, {"CHN": 900.0}),
    "v7-2010-trawler-seed15-hotseat-CHN-company-LYN-budget-2011Q2.json": (
        "2011Q2", [("JPN", "buy_stockpile"), ("LYN", "build_project"), ("CHN", "set_export_duty")], ["CHN"], (),
        {"LYN": ("mt-weld", "lynas-lamp")}, {"CHN": 900.0}),
}


def test_a_save_from_before_the_restructuring_loads_where_it_was_left():
    session, level_ref = load_text((OLD_SAVES / "2011-spike-bot-seed5-2012Q2.json").read_text(encoding="utf-8"))
    try:
        assert level_ref == "2011-spike"
        assert session.world.quarter == Quarter(2012, 2)
        assert len([r for r in session.actions if r.accepted]) == 7
    finally:
        session.close()


def test_there_is_a_sample_of_every_version_the_game_reads():
    versions = {json.loads(path.read_text(encoding="utf-8"))["version"] for path in OLD_SAVES.glob("*.json")}
    assert versions == set(READABLE_VERSIONS) and VERSION == max(READABLE_VERSIONS)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_a_save_of_each_version_loads_where_it_was_left_and_saves_again_as_the_current_version(name):
    quarter, actions, played, overrides, companies, budgets = SAMPLES[name]
    text = (OLD_SAVES / name).read_text(encoding="utf-8")
    written = json.loads(text)
    assert written["version"] == int(re.match(r"v(\d)-", name).group(1))
    assert ("checksum" in written) == (written["version"] >= 4)
    session, level_ref = load_text(text)
    try:
        assert level_ref == "2010-trawler" and str(session.world.quarter) == quarter
        assert [(r.nation, r.action.kind) for r in session.actions if r.accepted] == actions
        assert sorted(session.others) == played
        assert session.scenario.assumption_overrides == overrides
        assert session.companies == companies and session.budgets == budgets
        again = save_text(session, level_ref)
        assert json.loads(again)["version"] == VERSION and json.loads(again)["checksum"].startswith("sha256:")
        reloaded, _ = load_text(again)
        try:
            assert reloaded.rows() == session.rows()
        finally:
            reloaded.close()
    finally:
        session.close()


def test_an_old_save_that_replays_differently_is_still_refused():
    """Migration changes the form, never what is checked: a version-2 save whose seed was
    edited replays to another history, and its fingerprint says so."""
    data = json.loads((OLD_SAVES / "v2-2010-trawler-seed12-assumptions-2011Q1.json").read_text(encoding="utf-8"))
    data["seed"] += 1
    with pytest.raises(SaveError, match=BY_VERSION_0_1_0):  # and, written by another version, names it
        load_text(json.dumps(data))


@pytest.mark.parametrize("name, change, problem", [
    # companies and budgets belong to version 5
    ("v4-2010-trawler-seed14-hotseat-CHN-assumptions-2011Q2.json", {"budgets": {"CHN": 900.0}},
     "unknown key 'budgets'"),
    # a checksum belongs to version 4: an older save holding one is not what its version wrote
    ("v3-2010-trawler-seed13-hotseat-CHN-2011Q1.json", {"checksum": "sha256:00"}, "unknown key 'checksum'"),
    # a version-2 save had no nations played from outside
    ("v2-2010-trawler-seed12-assumptions-2011Q1.json", {"played": ["CHN"]}, "unknown key 'played'"),
    # nor a version-1 save assumptions
    ("v1-2010-trawler-seed11-2011Q2.json", {"assumptions": {}}, "unknown key 'assumptions'"),
])
def test_an_old_save_with_a_key_its_version_did_not_have_is_refused(name, change, problem):
    data = json.loads((OLD_SAVES / name).read_text(encoding="utf-8"))
    with pytest.raises(SaveError, match=problem):
        load_text(json.dumps({**data, **change}))


def test_a_version_4_save_with_an_action_taken_after_the_level_ended_still_loads():
    """Before version 5 the game took actions after a level's end, and saves held them; now they
    are refused, so the replay of such a save failed. They changed nothing a save records: an
    older save's are left out of the replay."""
    from game.scenario import find_level, load_level
    from game.session import Session

    session = Session(load_level(find_level("2010-trawler")), seed=3)
    while not session.is_over:
        session.play_turn()
    data = json.loads(save_text(session, "2010-trawler"))
    session.close()
    after_the_end = {"quarter": data["quarter"], "actions": [
        {"kind": "buy_stockpile", "material": "ndpr", "tonnes": 100.0, "max_price_usd_per_kg": 200.0}]}
    data = {key: value for key, value in data.items()
            if key not in ("checksum", "companies", "budgets", "acting", "model_version")}
    v4 = sealed({**data, "version": 4, "actions": [*data["actions"], after_the_end]})
    loaded, _ = load_text(v4)
    assert loaded.is_over and str(loaded.world.quarter) == data["quarter"] and not loaded.actions
    loaded.close()
    with pytest.raises(SaveError, match="the level is over"):  # a version-5 save never holds one
        load_text(sealed({**data, "version": 5, "actions": [*data["actions"], after_the_end]}))


def test_a_version_5_save_is_checked_on_the_figures_counted_as_they_were():
    """Version 6 counts stockpile days otherwise, over the same history: a version-5 save's
    last figure (the old count) is not compared, the others still are."""
    name = "v5-2010-trawler-seed15-hotseat-CHN-company-LYN-budget-2011Q2.json"
    data = json.loads((OLD_SAVES / name).read_text(encoding="utf-8"))
    data["fingerprint"][-1] += 100.0  # the old count: not compared
    session, _ = load_text(sealed(data))
    session.close()
    data["fingerprint"][0] += 1.0  # the budget, counted as it always was
    with pytest.raises(SaveError, match=BY_VERSION_0_1_0):
        load_text(sealed(data))
    current = json.loads((OLD_SAVES / name.replace("v5-", "v6-")).read_text(encoding="utf-8"))
    current["fingerprint"][-1] += 1.0  # a version-6 save's stockpile days are compared
    with pytest.raises(SaveError, match=BY_VERSION_0_1_0):
        load_text(sealed(current))


CURRENT = "v7-2010-trawler-seed15-hotseat-CHN-company-LYN-budget-2011Q2.json"


def test_a_save_that_replays_otherwise_names_the_version_that_wrote_it_and_this_one():
    """The game's version was never raised and saves did not name it: a save of older code that
    no longer replayed was refused as "does not match this version of the game", which named
    neither version (the player could not tell which to install)."""
    assert model_version() != "0.1.0"  # raised from the version every earlier save was written by
    data = json.loads((OLD_SAVES / CURRENT).read_text(encoding="utf-8"))
    assert data["model_version"] == "0.2.0"
    data["fingerprint"][0] += 1.0
    with pytest.raises(SaveError) as refused:
        load_text(sealed({**data, "model_version": "0.1.9"}))
    assert refused.value.values == {"written": "0.1.9", "running": model_version()}
    assert "\n" not in str(refused.value)
    with pytest.raises(SaveError) as refused:  # written by this version: the save or its level changed
        load_text(sealed({**data, "model_version": model_version()}))
    assert refused.value.values == {} and "this version of the game" in str(refused.value)


def test_a_save_another_version_wrote_that_replays_alike_loads():
    data = json.loads((OLD_SAVES / CURRENT).read_text(encoding="utf-8"))
    session, _ = load_text(sealed({**data, "model_version": "0.1.9"}))
    assert str(session.world.quarter) == "2011Q2"
    session.close()


@pytest.mark.parametrize("version", ["", 2, None, "9" * 41, "0.2\x1b[2J"])
def test_a_save_whose_model_version_is_not_one_is_refused_in_one_line(version):
    data = json.loads((OLD_SAVES / CURRENT).read_text(encoding="utf-8"))
    with pytest.raises(SaveError, match="^save's model_version is not a game version") as refused:
        load_text(sealed({**data, "model_version": version}))
    assert "\n" not in str(refused.value)
