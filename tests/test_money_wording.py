"""Money below zero is written with its sign before the currency ("-US$22M", never "US$-22M")
in every English line the game keeps, not only on screen: an action's message (the logs, saves'
errors, the command line, results files), the news and the workshop report's figures."""

from __future__ import annotations

import pytest

from game.action_base import say
from game.actions import BuyStockpile
from game.scenario import find_level, load_level
from game.session import Session
from game.vocab.materials import Material
from game.vocab.money import sign_before_money
from game.vocab.quarters import Quarter
from game.workshop.figures import in_unit
from game.world.news import NewsItem


def test_the_sign_goes_before_the_currency_and_a_loss_that_rounds_to_nothing_has_none():
    assert sign_before_money("cash US$-22M, debt US$-1,234.5M") == "cash -US$22M, debt -US$1,234.5M"
    assert sign_before_money("US$-0M and US$-0.0/kg") == "US$0M and US$0.0/kg"
    assert sign_before_money("US$22M") == "US$22M"


def test_a_messages_english_text_puts_the_sign_before_the_money():
    said = say("costs US${cost:,.0f}M, more than the US${budget:,.0f}M budget left", cost=5.0, budget=-22.0)
    assert str(said) == "costs US$5M, more than the -US$22M budget left"


@pytest.fixture
def trawler_session():
    session = Session(load_level(find_level("2010-trawler")), seed=0)
    yield session
    session.close()


def test_a_refusal_for_an_overspent_budget_keeps_money_below_zero_as_written(trawler_session):
    trawler_session.open_turn()  # the quarter's allowance has come: then it is overspent
    trawler_session.world.nation("JPN").budget_musd = -22.0
    record = trawler_session.submit(BuyStockpile(Material.NDPR, 100.0, 50.0))
    assert not record.accepted
    assert "-US$22M" in record.message and "US$-" not in record.message, record.message


def test_the_news_puts_the_sign_before_the_money():
    line = NewsItem(Quarter(2011, 1), "finance", template="{nation} lends {firm} US${musd:,.0f}M",
                    fields=(("nation", "Japan"), ("firm", "Lynas"), ("musd", -5.0)))
    assert line.headline == "Japan lends Lynas -US$5M"


def test_a_workshop_figure_below_zero_reads_as_the_screens_write_it():
    assert in_unit("-22", "US${v:,.0f}M") == "-US$22M"
    assert in_unit("692", "US${v:,.0f}M") == "US$692M"
