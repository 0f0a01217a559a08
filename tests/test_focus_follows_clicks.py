"""On the Load and Settings screens the focus goes where the player clicks: it stayed on the
first choice, so a later Enter or Space acted on that one (clicking UI size, then Space,
changed the language)."""

from __future__ import annotations

import pygame

from game.ui.app import open_app
from game.ui.driver import click_at, press
from game.ui.storage import Settings


def test_a_click_on_a_setting_moves_the_focus_there_and_space_acts_on_it(tmp_path, monkeypatch):
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    app = open_app(settings=Settings(sound=False, language="en", scale=1.0))
    app.frame([])
    app.switch("settings")
    app.frame([])
    scale_row = app.top.focusables[1]  # language, then the UI scale
    assert app.top.focused() is app.top.focusables[0]
    click_at(app, scale_row.element.get_abs_rect().center)
    assert app.settings.scale != 1.0
    focused = app.top.focused()
    assert focused is not None and focused is app.top.focusables[1]
    press(app, pygame.K_SPACE)
    assert app.settings.language == "en"


def test_clicking_the_scale_twice_without_moving_the_pointer_steps_the_scale_twice(tmp_path, monkeypatch):
    """The first click laid the screen out larger under a still pointer, and the second click,
    meant for the scale, landed on the row above it: the game went on in Japanese. The pointer
    now goes back onto the scale's button, as a player clicking twice expects."""
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    app = open_app((1280, 720), settings=Settings(sound=False, language="en", scale=1.0))
    app.frame([])
    app.switch("settings")
    app.frame([])
    scale_row = app.top.focusables[1]  # language, then the UI scale
    pygame.mouse.set_pos(scale_row.element.get_abs_rect().center)
    scales = []
    for _ in range(3):
        click_at(app, app.pointer())  # where the pointer is now, as a still mouse clicks
        scales.append(app.settings.scale)
    assert app.settings.language == "en"
    assert scales == sorted(set(scales)) and len(scales) == 3, scales
