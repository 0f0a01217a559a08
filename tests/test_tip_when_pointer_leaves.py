"""A tooltip goes when the pointer leaves the window: the last place the pointer was kept its
button's tip on screen while the player worked in another window."""

from __future__ import annotations

import pygame

from game.ui.driver import open_at_level


def test_the_hover_tip_goes_when_the_pointer_leaves_the_window_and_comes_back_with_it(tmp_path, monkeypatch):
    import game.ui.app as app_module

    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    monkeypatch.setattr(app_module, "TOOLTIP_DELAY", 0.0)
    app = open_at_level()
    where = app.top.end_button.get_abs_rect().center
    monkeypatch.setattr(pygame.mouse, "get_pos", lambda: where)
    app.frame([pygame.event.Event(pygame.MOUSEMOTION, pos=where, rel=(0, 0), buttons=(0, 0, 0))])
    assert app._draw_hover_tip() is not None
    app.frame([pygame.event.Event(pygame.WINDOWLEAVE)])
    assert app._draw_hover_tip() is None
    app.frame([pygame.event.Event(pygame.MOUSEMOTION, pos=where, rel=(0, 0), buttons=(0, 0, 0))])
    assert app._draw_hover_tip() is not None
    app.game.close()
