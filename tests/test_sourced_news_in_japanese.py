"""The world's own news lines that name a source (a played nation told what history did, a WTO
case the others file) read in Japanese in a Japanese window and workshop: the one-player window
took any line with a source for a scheduled event, looked it up among the level's headlines,
found nothing, and showed it in English."""

from __future__ import annotations

import pytest

from game.ui.play import Game
from game.ui.strings import Language
from game.ui.workshop_words import WorkshopWords
from game.vocab.quarters import Quarter
from game.workshop.views import news_data
from game.world.news import NewsItem

LEVEL = "2010-trawler"


@pytest.fixture(scope="module")
def game():
    game = Game(LEVEL, seed=0)
    yield game
    game.session.close()


def _lines(game):
    event = next(e for e in game.scenario.events if e.headline_ja)
    history = NewsItem(event.quarter, "history", None, event.source or "a source", "History at this point: {headline}",
                       (("headline", event.headline), ("nation_code", "CHN")))
    wto = NewsItem(Quarter(2012, 1), "wto", None, "a source", "WTO case against {respondent}, brought by {complainants}",
                   (("respondent", "China"), ("complainants", "European Union"), ("respondent_code", "CHN"),
                    ("complainants_code", "EU")))
    scheduled = NewsItem(event.quarter, event.kind, None, event.source or "a source", event.headline)
    return event, history, wto, scheduled


def test_a_history_line_and_a_wto_case_read_in_japanese_in_the_window(game):
    tr = Language("ja").tr
    event, history, wto, scheduled = _lines(game)
    assert game.headline(history, "ja", tr) == f"史実ではこの時点で：{event.headline_ja}"
    shown = game.headline(wto, "ja", tr)
    assert shown.startswith(game.nation_name("CHN", "ja") + "をWTOに提訴") and "WTO case" not in shown, shown
    assert game.headline(scheduled, "ja", tr) == event.headline_ja, "a scheduled event keeps the level's own Japanese"
    assert game.headline(history, "en", tr) == history.headline


def test_a_history_line_and_a_wto_case_read_in_japanese_in_the_workshop(game):
    tr = Language("ja").tr
    event, history, wto, scheduled = _lines(game)
    words = WorkshopWords(LEVEL)
    assert words.headline(news_data(history), "ja", tr) == f"史実ではこの時点で：{event.headline_ja}"
    assert "WTO case" not in words.headline(news_data(wto), "ja", tr)
    assert words.headline(news_data(scheduled), "ja", tr) == event.headline_ja
