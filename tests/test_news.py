"""A line of the news: worded when first read, and a value like any other."""

from __future__ import annotations

import copy
import pickle

import pytest

from game.scenario import find_level, load_level
from game.session import Session
from game.vocab.quarters import Quarter
from game.world.news import NewsItem


def test_a_line_is_its_template_filled_with_the_fields_readers_see():
    item = NewsItem(Quarter(2011, 2), "finance", None, "", "{backer}'s state lenders refinance {firm}: US${musd:,.0f}M",
                    (("backer", "China"), ("firm", "Baotou"), ("musd", 1234.5), ("firm_id", "baotou"),
                     ("backer_code", "CHN")))
    assert item.headline == "China's state lenders refinance Baotou: US$1,234M"
    assert NewsItem(Quarter(2011, 2), "event", "Prices {sic} double", "a source").headline == "Prices {sic} double"
    assert NewsItem(Quarter(2011, 2), "firm", None, "", "A {firm}", (("firm_id", "x"),)).headline == "A {firm}"


def test_a_line_is_a_value_that_cannot_change():
    fields = (("firm", "Lynas"), ("firm_id", "lynas-lamp"))
    read = NewsItem(Quarter(2012, 1), "firm", None, "", "{firm} reopens", fields)
    unread = NewsItem(Quarter(2012, 1), "firm", None, "", "{firm} reopens", fields)
    assert read.headline == "Lynas reopens"
    assert read == unread and hash(read) == hash(unread) and len({read, unread}) == 1
    assert read == NewsItem(Quarter(2012, 1), "firm", "Lynas reopens", "", "{firm} reopens", fields)
    assert read != NewsItem(Quarter(2012, 2), "firm", None, "", "{firm} reopens", fields)
    for copied in (copy.deepcopy(unread), pickle.loads(pickle.dumps(unread))):
        assert copied == read and copied.headline == "Lynas reopens"
    assert "Lynas reopens" in repr(unread)
    with pytest.raises(AttributeError):
        read.kind = "other"
    with pytest.raises(AttributeError):
        del read.quarter


def test_every_line_of_a_worlds_news_is_worded():
    """Every template the world reports with fills from its fields (a missing field would raise)."""
    session = Session(load_level(find_level("2010-trawler")), seed=2)
    session.run()
    lines = session.world.news
    assert len(lines) > 20 and all("{" not in item.headline for item in lines if item.fields)
    assert any(item.fields for item in lines)
    session.close()


def test_a_name_ending_in_s_takes_an_apostrophe_alone_in_the_news():
    """"South Korea approves Korean magnet makers's project": an English possessive of a name
    ending in s is its apostrophe alone."""

    def line(firm: str) -> str:
        return NewsItem(Quarter(2011, 2), "project", None, "", "{host} approves {firm}'s project",
                        (("host", "South Korea"), ("firm", firm), ("firm_id", "x"))).headline

    assert line("Korean magnet makers") == "South Korea approves Korean magnet makers' project"
    assert line("Hitachi Metals") == "South Korea approves Hitachi Metals' project"
    assert line("TDK") == "South Korea approves TDK's project"
