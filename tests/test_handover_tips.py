"""The hot seat's hand-over screen: a button's tip stands clear of the buttons beside it, which
the pointer may go to next ("Leave the workshop (Esc)." lay over the Facilitator button).
Driven on the dummy video driver."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pygame
import pytest

from game.research.runner import scenario_for
from game.ui.storage import Settings
from game.ui.workshop_window import open_hotseat_app
from game.workshop.classroom import Workshop
from game.workshop.table import LocalTable


@pytest.mark.parametrize("over", [False, True])
@pytest.mark.parametrize("language", ["en", "ja"])
@pytest.mark.parametrize(("size", "scale"), [((1280, 720), 1.0), ((1366, 768), 1.5), ((1920, 1080), 2.0),
                                             ((1024, 576), 1.0)])
def test_a_hand_over_button_s_tip_covers_none_of_the_buttons_beside_it(tmp_path, monkeypatch, language, size,
                                                                        scale, over):
    import game.ui.app as app_module

    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    monkeypatch.setattr(app_module, "TOOLTIP_DELAY", 0.0)
    workshop = Workshop(scenario_for("2010-trawler", {}), 3, ("JPN", "CHN"))
    workshop.start()
    if over:
        workshop.end()
    app = open_hotseat_app(LocalTable(workshop), workshop.roles, size=size,
                           settings=Settings(sound=False, language=language, scale=scale))
    app.frame([])
    app.switch("handover")
    app.frame([])
    buttons = [f.element for f in app.top.focusables if f.element.visible]
    covered = []
    for element in buttons:
        where = element.get_abs_rect().center
        monkeypatch.setattr(pygame.mouse, "get_pos", lambda where=where: where)
        app.frame([pygame.event.Event(pygame.MOUSEMOTION, pos=where, rel=(0, 0), buttons=(0, 0, 0))])
        box = app._draw_hover_tip()
        assert box is not None
        row = [other for other in buttons if other is not element
               and abs(other.get_abs_rect().centery - element.get_abs_rect().centery) < 4]
        covered += [(element.text, other.text) for other in row if box.colliderect(other.get_abs_rect())]
    assert not covered, covered
