"""A check the window's tests share: a page of text scrolls by the keys a reader expects."""

from __future__ import annotations

import pygame
import pytest

from game.ui.driver import press


def scrolls_by_page_keys_and_home_end(app, box) -> None:
    """``box`` runs past its end and Page Down, End and Home move it, while the focus stays."""
    bar = box.scroll_bar
    assert bar is not None, "the text fits: the test needs more of it"
    focus = app.top.focus
    press(app, pygame.K_PAGEDOWN)
    assert bar.start_percentage > 0.0
    press(app, pygame.K_END)
    assert bar.start_percentage == pytest.approx(1.0 - bar.visible_percentage, abs=1e-3)
    press(app, pygame.K_HOME)
    assert bar.start_percentage == 0.0 and app.top.focus == focus
