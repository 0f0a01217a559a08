"""The message a lever leaves on the turn screen belongs to that screen: a dialog opened over it
(the Menu, the End turn warning) dims it, and the message was drawn above the dialog's scrim,
over the Menu's left edge at 1920x1080 and 200%, over the "Before this turn ends" box at
1366x768 and 150%. Driven on the dummy video driver."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pygame
import pytest

from game.ui.driver import open_at_level


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path / "data"))


def _drawn(app) -> bytes:
    app.draw()
    return pygame.image.tobytes(app.screen, "RGB")


@pytest.mark.parametrize(("size", "scale", "dialog"), [((1920, 1080), 2.0, "menu"), ((1366, 768), 1.5, "menu")])
def test_a_dialog_opened_after_a_lever_s_message_lies_over_it(size, scale, dialog):
    app = open_at_level("2019-trade-war", size=size, scale=scale)
    turn = app.top
    app.notify("Bought 100 t of NdPr oxide for the stockpile at up to US$60/kg", "ok", 60.0)
    app.frame([])
    without_dialog = _drawn(app)
    app.notice, kept = None, app.notice
    assert _drawn(app) != without_dialog  # the message shows on the turn screen
    app.notice = kept
    app.push(dialog)
    app.frame([])
    with_message = _drawn(app)
    app.notice = None
    assert _drawn(app) == with_message, "the turn screen's message shows over the dialog"
    app.notice = kept
    app.pop(app.top)
    app.frame([])
    assert app.top is turn
    assert _drawn(app) == without_dialog  # back when the dialog closes


def test_a_message_the_dialog_itself_gives_shows_over_it():
    app = open_at_level("2019-trade-war", size=(1366, 768), scale=1.5)
    app.push("menu")
    app.frame([])
    app.notify("Not saved: the disk is full", "error", 60.0)
    app.frame([])
    shown = _drawn(app)
    app.notice = None
    assert _drawn(app) != shown
