"""A lever tab's tip stands clear of the levers and the form under the tabs, where the pointer
goes next: at 1366x768 and 150% "Levers: Diplomacy (key 4)" covered the talks' "With: China",
and "Levers: Invest (key 2)" the "Invest in a project" button. Driven on the dummy video driver."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pygame
import pytest
from pygame_gui.elements import UILabel

from game.ui.driver import open_at_level
from game.ui.lever_panel import TABS


def _hover(app, element, monkeypatch) -> pygame.Rect | None:
    where = element.get_abs_rect().center
    monkeypatch.setattr(pygame.mouse, "get_pos", lambda: where)
    app.frame([pygame.event.Event(pygame.MOUSEMOTION, pos=where, rel=(0, 0), buttons=(0, 0, 0))])
    return app._draw_hover_tip()


def _shown_part(element) -> pygame.Rect:
    """What an element shows: a button whole, a line of text by its letters' pixels (a tip beside
    a short line, in the empty end of its box, covers nothing of it)."""
    rect = element.get_abs_rect()
    if isinstance(element, UILabel) and element.image is not None:
        drawn = element.image.get_bounding_rect()
        return drawn.move(rect.topleft) if drawn.w and drawn.h else pygame.Rect(rect.topleft, (0, 0))
    return rect


@pytest.mark.parametrize(("size", "scale"), [((1366, 768), 1.5), ((1280, 720), 1.0), ((1920, 1080), 2.0)])
def test_a_lever_tab_s_tip_covers_nothing_of_the_levers_under_the_tabs(tmp_path, monkeypatch, size, scale):
    import game.ui.app as app_module

    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    monkeypatch.setattr(app_module, "TOOLTIP_DELAY", 0.0)
    app = open_at_level("2019-trade-war", size=size, scale=scale)
    turn = app.top
    if app.compact:
        turn.show_pane("levers")
    covered = []
    for number, name in enumerate(TABS):
        turn.levers.choose_tab(name)
        app.frame([])
        tip = app.tr("Levers: {tab} (key {n})", tab=app.tr(name), n=number + 1)
        tab = next(f.element for f in turn.focusables if f.tooltip == tip)
        box = _hover(app, tab, monkeypatch)
        assert box is not None
        hit = [getattr(e, "text", "") for e in turn.levers.form
               if e.alive() and e.visible and box.colliderect(_shown_part(e))]
        if hit:
            covered.append((name, tuple(box), hit))
    assert not covered, covered
