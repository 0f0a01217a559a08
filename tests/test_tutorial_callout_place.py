"""The tutorial's callout stands beside what each step explains, never over it, and has room for
what it says: at 200% in 1280x720 each pane filled the screen and the callout covered the map,
the charts, the news and the levers it spoke of, its text scrolled out of sight."""

from __future__ import annotations

import pygame
import pytest
from pygame_gui.elements import UITextBox

from game.ui.app import _distance, open_app
from game.ui.driver import press
from game.ui.play import Game
from game.ui.storage import Settings
from game.ui.text import escape


def callout_text_boxes(app, step: int, steps: int) -> list[UITextBox]:
    """The text boxes that say which step of the tutorial this is."""
    heading = escape(app.tr("Tutorial {n} of {total}", n=step + 1, total=steps))
    return [e for e in app.ui.get_sprite_group().sprites()
            if isinstance(e, UITextBox) and e.alive() and heading in e.html_text]


@pytest.mark.parametrize("language", ["en", "ja"])
@pytest.mark.parametrize(("size", "scale"), [((1280, 720), 2.0), ((1920, 1080), 2.0),
                                             ((1280, 720), 1.0), ((1920, 1080), 1.0)])
def test_every_step_of_the_tutorial_leaves_what_it_explains_in_sight(tmp_path, monkeypatch, language, size, scale):
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    app = open_app(size, settings=Settings(language=language, scale=scale, sound=False, warn_before_end=False))
    app.frame([])
    app.start_game(Game("2010-trawler", seed=1), "turn")
    app.frame([])
    while app.top.name != "turn":
        press(app, pygame.K_ESCAPE)
    turn = app.top
    tutorial = turn.tutorial
    assert tutorial.pending or tutorial.active
    app.frame([])
    screen = pygame.Rect((0, 0), size)
    for step, (region, _) in enumerate(tutorial.steps):
        tutorial.step = step
        app.rebuild()
        app.frame([])
        callout = tutorial.callout
        assert screen.contains(callout), (step, callout)
        assert not callout.colliderect(turn.regions[region]), (step, region, callout, turn.regions[region])
        if region != "bar":  # that one's goes as low as it must to leave Japan on the map in sight
            assert _distance(callout, turn.regions[region]) <= app.u(16)  # beside it
        boxes = callout_text_boxes(app, step, len(tutorial.steps))
        assert len(boxes) == 1, (step, boxes)
        assert boxes[0].scroll_bar is None, f"step {step + 1}'s text scrolls in its callout"
    app.game.close()
