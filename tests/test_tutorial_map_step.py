"""The tutorial's map step explained arrows on the first level's first turn, when the map drew
none: there it says the flows come once a quarter has been played, and with flows on the map
it explains them."""

from __future__ import annotations

import pygame
from pygame_gui.elements import UITextBox

from game.ui.app import open_app
from game.ui.driver import press
from game.ui.mapview import flows_of
from game.ui.play import Game
from game.ui.scenes.turn import TUTORIAL, TUTORIAL_MAP_BEFORE_FLOWS
from game.ui.storage import Settings
from game.ui.text import escape


def map_step_text(app) -> str:
    """The text the callout shows at the map's step, as the window drew it."""
    turn = app.top
    turn.tutorial.step = 1
    app.rebuild()
    app.frame([])
    shown = " ".join(getattr(e, "html_text", "") for e in app.ui.get_sprite_group().sprites() if isinstance(e, UITextBox))
    said = [text for text in (TUTORIAL[1][1], TUTORIAL_MAP_BEFORE_FLOWS) if escape(app.tr(text)) in shown]
    assert len(said) == 1, said
    return said[0]


def test_the_map_step_says_when_the_flows_come_where_the_map_has_none(tmp_path, monkeypatch):
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    app = open_app(settings=Settings(sound=False, warn_before_end=False))
    app.frame([])
    app.start_game(Game("2010-trawler", seed=1), "turn")
    app.frame([])
    while app.top.name != "turn":
        press(app, pygame.K_ESCAPE)
    assert not any(flow.tonnes >= 0.5 for flow in flows_of(app.game.world))
    assert map_step_text(app) == TUTORIAL_MAP_BEFORE_FLOWS
    app.game.close()
    app.start_game(Game("2012-wto", seed=0), "turn")
    app.frame([])
    while app.top.name != "turn":
        press(app, pygame.K_ESCAPE)
    assert any(flow.tonnes >= 0.5 for flow in flows_of(app.game.world))
    assert map_step_text(app) == TUTORIAL[1][1]
    app.game.close()
