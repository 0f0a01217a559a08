"""A firm that changes hands takes its new owner's name from the quarter it did (a world file's
``renamed``): Mountain Pass is Molycorp's until its bankruptcy and MP Materials' from the 2018
restart, in the news, the levers' lists and the Japanese names, whether a game plays through the
restart or a level starts after it."""

from __future__ import annotations

import dataclasses
import re

import pytest
import tomli

from game.scenario import ScenarioError, find_level, levels_dir, load_level, load_world
from game.session import Session
from game.vocab.quarters import Quarter
from game.world.model import RareEarthWorld
from game.world.news import NewsItem

SHIPPED_WORLD = levels_dir() / "world-2010.toml"
MOLYCORP, MP_MATERIALS = "Mountain Pass (Molycorp)", "Mountain Pass (MP Materials)"
MP_MATERIALS_JA = "マウンテンパス（MPマテリアルズ）"
RESTART = Quarter(2018, 1)  # prod_united_states_2016: "restarted 2018 under MP Materials"


def test_a_level_that_starts_after_the_restart_names_mountain_pass_after_mp_materials():
    """2019-trade-war starts from the world the sandbox's history reaches: Molycorp's name was
    carried on from 2010."""
    session = Session(load_level(find_level("2019-trade-war")), seed=0)
    try:
        mine, plant = session.world.firm("mountain-pass"), session.world.firm("molycorp-separation")
        assert (mine.name, mine.name_ja) == (MP_MATERIALS, MP_MATERIALS_JA)
        assert "Molycorp" not in plant.name and "モリコープ" not in plant.name_ja
    finally:
        session.close()


def _trawler_from(start: Quarter, end: Quarter) -> RareEarthWorld:
    scenario = load_level(find_level("2010-trawler"))
    return RareEarthWorld(dataclasses.replace(scenario, start=start, end=end, events=(), history=()), rng=0)


def test_a_game_that_plays_through_the_restart_renames_the_mine_from_that_quarter():
    world = _trawler_from(RESTART - 1, RESTART + 1)
    try:
        mine = world.firm("mountain-pass")
        world.open_turn()
        assert mine.name == MOLYCORP
        world.step()
        world.open_turn()  # the restart's quarter: its news names the new owner
        assert (mine.name, mine.name_ja) == (MP_MATERIALS, MP_MATERIALS_JA)
        world.step()
        assert all("Molycorp" not in item.headline for item in world.news if item.quarter >= RESTART)
    finally:
        world.close()


def test_the_new_owners_buy_the_mine_not_its_old_owners_debts():
    """MP Materials bought Mountain Pass out of Molycorp's Chapter 11 (prod_united_states_2016):
    the debts Molycorp ran up (the 2011 rebuild's) stay behind, and the new owners put in working
    capital, as a buyer out of bankruptcy does (``FirmAgent.restart``). Molycorp's debts carried
    on made the mine fail in its first quarter under MP Materials, 2018Q1, on every run."""
    world = _trawler_from(RESTART - 1, RESTART + 1)
    try:
        mine = world.firm("mountain-pass")
        # Molycorp's debts, and cash for one more quarter's interest on them (the sandbox's runs
        # reached 2018Q1 with about as much debt and their cash spent)
        mine.debt_musd, mine.cash_musd = 880.0, 20.0
        world.open_turn()
        world.step()
        assert mine.alive and mine.debt_musd == 880.0  # Molycorp's to the end of 2017
        world.open_turn()  # the restart's quarter
        assert mine.debt_musd == 0.0 and mine.cash_musd >= mine._initial_cash
        world.step()
        assert mine.alive
    finally:
        world.close()


def test_new_owners_who_buy_a_failed_mine_restart_it_and_say_so():
    world = _trawler_from(RESTART - 1, RESTART + 1)
    try:
        mine = world.firm("mountain-pass")
        world.open_turn()
        mine.debt_musd, mine.cash_musd = 880.0, -100.0
        world.step()  # 2017Q4: Molycorp fails
        assert not mine.alive
        world.open_turn()  # 2018Q1: MP Materials buys it
        assert mine.alive and not mine.mothballed and mine.debt_musd == 0.0
        restarted = [dict(n.fields) for n in world.news if n.quarter == RESTART]
        assert {"firm_id": "mountain-pass", "fate_id": "restarted"}.items() <= restarted[-1].items()
    finally:
        world.close()


def test_a_world_built_after_the_restart_starts_with_the_new_name():
    world = _trawler_from(RESTART + 4, RESTART + 6)
    try:
        assert world.firm("mountain-pass").name == MP_MATERIALS
    finally:
        world.close()


def test_a_firm_bears_each_name_from_its_quarter():
    mine = next(f for f in load_world(SHIPPED_WORLD).firms if f.id == "mountain-pass")
    assert mine.name_in(RESTART - 1).name == MOLYCORP and mine.name_in(RESTART).name == MP_MATERIALS
    assert [n.name for n in mine.names()] == [MOLYCORP, MP_MATERIALS]
    assert load_world(SHIPPED_WORLD).names_ja()[MP_MATERIALS] == MP_MATERIALS_JA


def test_the_japanese_news_names_the_new_owner_in_the_window_and_the_workshop():
    """The Japanese names were taken from the firms as a game began: a line naming MP Materials
    after the restart stayed in English."""
    from game.ui.play import Game
    from game.ui.strings import Language
    from game.ui.workshop_words import WorkshopWords
    from game.workshop.wording import Wording

    tr = Language("ja").tr
    line = NewsItem(RESTART, "firm", template="{firm} is mothballed", fields=(("firm", MP_MATERIALS),
                                                                             ("firm_id", "mountain-pass")))
    game = Game("sandbox", seed=0)
    try:
        assert MP_MATERIALS_JA in game.headline(line, "ja", tr)
        data = {"headline": line.headline, "template": line.template, "fields": dict(line.fields)}
        assert MP_MATERIALS_JA in WorkshopWords("2019-trade-war").headline(data, "ja", tr)
        assert MP_MATERIALS_JA in Wording("ja", load_level(find_level("2019-trade-war")), None).text(line.headline)
    finally:
        game.session.close()


def test_every_later_name_of_a_shipped_firm_cites_a_fact_and_has_a_japanese_name():
    facts = {fact["id"] for fact in tomli.loads((levels_dir() / "reference" / "facts.toml")
                                                 .read_text(encoding="utf-8"))["fact"]}
    renamed = [named for firm in load_world(SHIPPED_WORLD).firms for named in firm.renamed]
    assert renamed
    for named in renamed:
        assert named.name_ja.strip(), named
        assert set(re.split(r",\s*", named.source)) <= facts, named.source


# --------------------------------------------------------------------------- checked at the door


def _world_with_renamed(tmp_path, table: str):
    """The shipped world with Mountain Pass's ``renamed`` tables replaced by ``table``."""
    text = SHIPPED_WORLD.read_text(encoding="utf-8")
    shipped = re.search(r'\[\[firms\.renamed\]\]\nsince = "2018Q1"\nname = "Mountain Pass \(MP Materials\)"\n'
                        r'(?:.+\n)*', text)
    path = tmp_path / "world-2010.toml"
    path.write_text(text[:shipped.start()] + table + "\n" + text[shipped.end():], encoding="utf-8")
    return path


def _problems(path) -> list[tuple[str, str]]:
    with pytest.raises(ScenarioError) as caught:
        load_world(path)
    return [(p.key, p.message) for p in caught.value.problems]


MINE = next(i for i, f in enumerate(load_world(SHIPPED_WORLD).firms) if f.id == "mountain-pass")
NEW = '[[firms.renamed]]\nsince = "2018Q1"\nname = "Mountain Pass (MP Materials)"\nsource = "prod_united_states_2016"\n'


@pytest.mark.parametrize("table, key, says", [
    (NEW.replace('source = "prod_united_states_2016"\n', ""), "renamed[0].source", "missing"),
    (NEW.replace('"2018Q1"', '"2018-01-01"'), "renamed[0].since", "quarter like 2010Q3"),
    (NEW.replace('"2018Q1"', "2018"), "renamed[0].since", "quarter like 2010Q3"),
    (NEW.replace("MP Materials", "Molycorp"), "renamed[0].name", "the name it bears before"),
    (NEW + NEW.replace("2018Q1", "2017Q4").replace("MP Materials", "Someone"), "renamed[1].since",
     "not after 2018Q1"),
    (NEW + NEW.replace("2018Q1", "2019Q1"), "renamed[1].name", "the name it bears before"),
    (NEW + 'owner = "MP Materials"\n', "renamed[0].owner", "unknown key"),
    (NEW.replace('name = "Mountain Pass (MP Materials)"\n', ""), "renamed[0].name", "missing"),
])
def test_a_bad_later_name_is_refused_naming_where(tmp_path, table, key, says):
    problems = _problems(_world_with_renamed(tmp_path, table))
    assert [k for k, _ in problems] == [f"firms[{MINE}].{key}"], problems
    assert says in problems[0][1]


def test_renamed_must_be_tables(tmp_path):
    path = _world_with_renamed(tmp_path, 'renamed = "MP Materials"')
    assert [k for k, _ in _problems(path)] == [f"firms[{MINE}].renamed"]
