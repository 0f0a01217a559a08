"""What the window says of a move belongs to the quarter it was made in: the message of the
last lever taken stayed on screen after End turn, over the next quarter's events, as if it were
news of that quarter. A notice of something else (a write that failed) stays its time."""

from __future__ import annotations

import pygame

from game.ui.driver import focus_and_press, open_at_level, press
from game.ui.scenes.event import EventScene


def test_the_message_of_the_last_lever_taken_goes_when_the_turn_ends(tmp_path, monkeypatch):
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    app = open_at_level()
    press(app, pygame.K_5)
    focus_and_press(app, app.tr("Magnet R&D"))
    focus_and_press(app, app.tr("Take action"))
    assert app.notice is not None and app.notice[1] == "ok"
    said = app.notice[0]
    app.notify("A failed write, told as the turn ends", "error")
    quarter = app.game.world.quarter
    focus_and_press(app, app.tr("End turn"))
    app.frame([])
    assert app.game.world.quarter != quarter
    assert app.notice is not None and said not in app.notice[0].split("\n"), app.notice
    assert app.notice[0] == "A failed write, told as the turn ends"
    app.game.close()


def test_a_quarter_with_no_other_notice_opens_with_none(tmp_path, monkeypatch):
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    app = open_at_level()
    press(app, pygame.K_5)
    focus_and_press(app, app.tr("Magnet R&D"))
    focus_and_press(app, app.tr("Take action"))
    assert app.notice is not None
    focus_and_press(app, app.tr("End turn"))
    app.frame([])
    assert isinstance(app.top, EventScene) or app.top.name == "turn"
    assert app.notice is None, app.notice
    app.game.close()
