"""A debrief opens on the choice that keeps it: Enter pressed on through the last quarter's news
reached a debrief focused on Play again, which threw the debrief away for the level's briefing."""

from __future__ import annotations

import pygame
import pytest

from game.ui.app import open_app
from game.ui.driver import press, start_level
from game.ui.storage import Settings


@pytest.mark.parametrize("language, scale, size", [("en", 1.0, (1280, 720)), ("ja", 2.0, (1280, 720))])
def test_enter_on_a_debrief_without_a_next_level_does_not_play_the_level_again(tmp_path, monkeypatch, language,
                                                                              scale, size):
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    app = open_app(size, settings=Settings(sound=False, language=language, scale=scale, warn_before_end=False))
    app.frame([])
    start_level(app, "2010-trawler", seed=1)
    while not app.game.session.is_over:  # nothing done: the first level gives no star, so no next level
        app.game.end_turn()
    assert app.game.result().stars == 0
    finished = app.game
    app.switch("debrief")
    app.frame([])
    debrief = app.top
    play_again = next(f.element for f in debrief.focusables if f.element.text == app.tr("Play again"))
    focused = debrief.focused()
    assert focused is not None and focused.element is not play_again
    press(app, pygame.K_RETURN)
    assert app.top.name != "briefing" and app.game is finished
