"""What an offtake bought with money in a project is worth, against the deals Japan made for it."""

from __future__ import annotations

import pytest

from game.actions import InvestInProject
from game.scenario import find_level, load_level
from game.session import Session
from game.vocab.materials import Material

#: Japan's 2011 deal: US$250M for at least 8,500 t/yr of Lynas's oxide (lynas_jogmec_2011,
#: lynas_offtake_2011), tonnes of all its oxides a year per US$M.
TONNES_PER_MUSD_2011 = 8500 / 250


@pytest.fixture(scope="module")
def tech_ban():
    return load_level(find_level("2023-tech-ban"))


def _granted(level, project_id: str, amount_musd: float, asked_tpy: float, materials=()) -> float:
    session = Session(level, seed=0)
    try:
        session.open_turn()
        assert session.submit(InvestInProject(project_id, amount_musd, offtake_tpy=asked_tpy, years=10,
                                              materials=materials)).accepted
        return sum(tonnes for buyer, tonnes, *_ in session.world.projects[project_id].offtakes if buyer == "JPN")
    finally:
        session.close()


def test_money_in_a_mine_buys_oxide_at_what_the_oxide_costs_not_the_mine_alone(tech_ban):
    """US$100M in Mt Weld's 2030 expansion bought 12,882 t/yr, priced against the mine's US$330M
    alone: more than half of all Lynas made, nearly four times the 2011 deal's tonnes per dollar,
    where the level prices LAMP's expansion to separate that ore at US$520M more."""
    granted = _granted(tech_ban, "mt-weld-2030", 100.0, 26000.0)
    assert 0 < granted <= 2 * TONNES_PER_MUSD_2011 * 100.0


def test_the_jare_2023_offtake_still_buys_what_history_says(tech_ban):
    """A$200M, about US$133M, in LAMP's 2030 expansion gives Japan priority on 7,200 t/yr of
    NdPr (lynas_jare_2023, lynas_jare_2023_ndpr); the history strategy asks 7,290 t/yr with Dy/Tb."""
    granted = _granted(tech_ban, "lamp-2030", 133.0, 7290.0, (Material.NDPR, Material.DYTB))
    assert granted == pytest.approx(7290.0)

