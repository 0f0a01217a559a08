"""A tooltip stands beside what it explains: the bar's China share and stars tips went to the
window's top-left corner over the turn, the lever tabs' 150-250 px away over the lever form,
a save's tip on the Load screen up onto the screen's title. Where no place beside its element
is clear, a tip covers what hides least there rather than go far."""

from __future__ import annotations

import pygame
import pytest

from game.ui.app import TIP_REACH, open_app
from game.ui.notice_place import stands_beside
from game.ui.driver import open_at_level
from game.ui.storage import Settings

def hover_tip(app, element, monkeypatch) -> pygame.Rect | None:
    where = element.get_abs_rect().center
    monkeypatch.setattr(pygame.mouse, "get_pos", lambda: where)
    app.frame([pygame.event.Event(pygame.MOUSEMOTION, pos=where, rel=(0, 0), buttons=(0, 0, 0))])
    return app._draw_hover_tip()


def beside(app, element, box: pygame.Rect) -> bool:
    """Whether ``box`` stands by ``element``: near it, or just outside what it keeps clear of with
    it (an amount's limit line, the rest of the bar) and level with it across or along."""
    rect = element.get_abs_rect()
    return stands_beside(box, rect, app._tip_area(element, rect), app.u(TIP_REACH))


@pytest.mark.parametrize("language, scale, size", [("en", 1.0, (1280, 720)), ("ja", 2.0, (1920, 1080)),
                                                   ("ja", 2.0, (1280, 720))])
def test_every_tip_on_the_turn_screen_stands_beside_its_element(tmp_path, monkeypatch, language, scale, size):
    import game.ui.app as app_module

    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    monkeypatch.setattr(app_module, "TOOLTIP_DELAY", 0.0)
    app = open_at_level("2012-wto", seed=0, size=size, language=language, scale=scale)
    far = []
    for pane in (["map", "levers"] if app.compact else [None]):
        if pane is not None:
            app.top.show_pane(pane)
            app.frame([])
        for element, _ in list(app.top.tips):
            if not (element.alive() and element.visible):
                continue
            box = hover_tip(app, element, monkeypatch)
            assert box is not None and app.screen.get_rect().contains(box)
            if not beside(app, element, box):
                far.append((pane, element.text, tuple(element.get_abs_rect()), tuple(box)))
    app.game.close()
    assert not far, far


@pytest.mark.parametrize("language, scale, size", [("en", 1.0, (1280, 720)), ("ja", 1.0, (1920, 1080))])
def test_a_save_s_tip_on_the_load_screen_stands_beside_its_row(tmp_path, monkeypatch, language, scale, size):
    import game.ui.app as app_module
    from game.ui.play import Game

    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    monkeypatch.setattr(app_module, "TOOLTIP_DELAY", 0.0)
    for seed in range(4):
        game = Game("2010-trawler", seed=seed)
        game.save()
        game.close()
    app = open_app(size, settings=Settings(sound=False, language=language, scale=scale))
    app.frame([])
    app.switch("load")
    app.frame([])
    rows = [(element, text) for element, text in app.top.tips if element.alive() and element.visible]
    assert rows
    for element, _ in rows:
        box = hover_tip(app, element, monkeypatch)
        assert box is not None
        assert beside(app, element, box), (element.text, box, element.get_abs_rect())
