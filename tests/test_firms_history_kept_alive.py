"""Firms that history kept alive do not go bankrupt in the sandbox before 2020: Mountain Pass once
MP Materials bought it (2017; restarted 2018 and profitable enough to list in 2020,
prod_united_states_2016, prod_united_states_2018), and Lynas's mine and plant, carried through
2015-16 on the JOGMEC-arranged loan's terms (lynas_jogmec_loan_2011, lynas_loan_ext_2019)."""

from __future__ import annotations

import pytest

from game.research.runner import run
from game.vocab.quarters import Quarter

#: Each firm history kept alive, and from which quarter (its owner's then).
KEPT_ALIVE = {
    "mountain-pass": Quarter(2017, 3),  # MP Materials buys it out of Molycorp's Chapter 11
    "mt-weld": Quarter(2010, 3),
    "lynas-lamp": Quarter(2010, 3),
}
TO_2020_TURNS = 38  # 2010Q3 to 2019Q4


def _bankrupt_before_2020(strategy: str, seed: int) -> list[tuple[str, str]]:
    fates = run("sandbox", strategy, seed, turns=TO_2020_TURNS).firm_fates
    return [(quarter, firm_id) for quarter, firm_id, _, fate in fates
            if fate == "bankrupt" and firm_id in KEPT_ALIVE and Quarter.parse(quarter) >= KEPT_ALIVE[firm_id]]


@pytest.mark.parametrize("seed", [0, 1])
def test_no_firm_history_kept_alive_goes_bankrupt_before_2020_under_history(seed):
    assert _bankrupt_before_2020("history", seed) == []


@pytest.mark.parametrize("seed", [0, 1])
def test_lynas_does_not_go_bankrupt_before_2020_under_the_bot(seed):
    """The bot's offtakes in Lynas's projects owed Japan more than Lynas makes
    (``test_an_investors_offtake_never_owes_more_than_the_plant_makes``)."""
    assert _bankrupt_before_2020("bot", seed) == []
