"""The window gives back what a screen held once the screen is gone.

pygame_gui's text layouts and the elements of closed dialogs hold each other in reference
cycles, so a screen laid out again leaves its old surfaces (megabytes each at 200%) to Python's
cyclic collector, which a game making few objects runs rarely: over 30 quarters at 200% the
window grew from about 290 MB to 610 MB. The loop now collects once input stops
(``App.settle``). The automatic collector is off in these tests, so only that collection can
free the cycles.
"""

from __future__ import annotations

import gc
import subprocess
import sys
import weakref

import pygame
import pytest
from conftest import REPO_ROOT

from game.ui.app import open_app
from game.ui.driver import press, start_level
from game.ui.storage import Settings


@pytest.fixture
def collector_off():
    gc.collect()
    gc.disable()
    yield
    gc.enable()


def _end_turn(app) -> list[weakref.ref]:
    """End the turn; weak references to the elements the turn screen had before it."""
    dropped = [weakref.ref(element) for element in app.ui.get_sprite_group().sprites()]
    press(app, pygame.K_RETURN)
    while len(app.scenes) > 1:
        press(app, pygame.K_ESCAPE)  # the next quarter's events
    return dropped


def test_settling_frees_the_elements_a_new_quarter_dropped(tmp_path, monkeypatch, collector_off):
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    app = open_app(settings=Settings(sound=False, warn_before_end=False))
    app.progress.tutorial_done = True
    try:
        start_level(app, "2010-trawler", seed=1)
        dropped = _end_turn(app)
        assert any(ref() is not None for ref in dropped), "no cycles: the window would not need to collect"
        app.settle()
        assert all(ref() is None for ref in dropped)
        assert not app._dropped_elements  # nothing left to collect until the next layout
    finally:
        app.game.close()


def test_paging_through_many_screens_frees_them_without_waiting_for_input_to_stop(tmp_path, monkeypatch, collector_off):
    """A player paging through a quarter's events dropped a layout a page and never stopped for
    ``settle``: after 30 quarters at 200% the window held about 50 MB more."""
    from game.ui import app as app_module

    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    app = open_app(settings=Settings(sound=False, warn_before_end=False))
    app.progress.tutorial_done = True
    try:
        start_level(app, "2010-trawler", seed=1)
        app.settle()
        first = [weakref.ref(element) for element in app.ui.get_sprite_group().sprites()]
        for _ in range(app_module.MOST_LAYOUTS_DROPPED - 1):
            app.rebuild()  # a layout dropped, as each event page's is
            app.frame([])
        assert any(ref() is not None for ref in first)  # a few screens wait for input to stop...
        app.rebuild()
        assert all(ref() is None for ref in first)  # ... many are collected along the way
    finally:
        app.game.close()


IDLE_LOOP = """
import gc, sys, weakref
import pygame
from game.ui.app import open_app
from game.ui.driver import press, start_level
from game.ui.storage import Settings
app = open_app(settings=Settings(sound=False, warn_before_end=False))
app.progress.tutorial_done = True
start_level(app, "2010-trawler", seed=1)
gc.collect()
gc.disable()
dropped = [weakref.ref(element) for element in app.ui.get_sprite_group().sprites()]
press(app, pygame.K_RETURN)
while len(app.scenes) > 1:
    press(app, pygame.K_ESCAPE)
before = sum(ref() is not None for ref in dropped)
pygame.time.set_timer(pygame.QUIT, 1500, loops=1)  # the loop's settling time (0.8 s) and more
app.run()
print(before, sum(ref() is not None for ref in dropped))
"""


def test_the_loop_collects_when_input_stops(tmp_path):
    """The real loop, left alone after End turn, frees the old screen before it sleeps. (Its own
    process: the loop ends with pygame.quit, which other tests' fonts would not survive.)"""
    out = subprocess.run([sys.executable, "-c", IDLE_LOOP], cwd=REPO_ROOT, capture_output=True, text=True,
                         env={"PATH": "", "PYTHONPATH": str(REPO_ROOT), "RARE_EARTHS_DATA": str(tmp_path),
                              "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"},
                         timeout=120, check=True)
    before, after = (int(value) for value in out.stdout.split()[-2:])
    assert before > 0 and after == 0


@pytest.mark.parametrize("screen", ["settings", "title"])
def test_changing_the_look_on_a_screen_leaves_no_old_ui_manager_behind(tmp_path, monkeypatch, screen):
    """A change of palette or scale makes a new UI manager. On the Settings and title screens
    every old one stayed alive (pygame_gui keeps its first manager for good, and an element left
    in it held the scene that made it, and so on): 6-50 MB a change, 2.4 GB after a few dozen."""
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    gc.collect()
    # Managers another test of this process left alive are not this window's (the count below
    # was of every manager in the process, and failed on one a test before had kept).
    others = {id(o) for o in gc.get_objects() if type(o).__name__ == "UIManager"}
    app = open_app(settings=Settings(sound=False))
    managers = []
    # Frames take the queued events, as the window's loop does: with the pointer over a button (a
    # test before this one left it there), the hover events pygame_gui queued held the old
    # manager's elements until a frame read them.
    for change in range(4):
        app.switch(screen)
        app.frame(pygame.event.get())
        managers.append(weakref.ref(app.ui))
        if change % 2:
            app.settings.scale = 1.5 if app.settings.scale == 1.0 else 1.0
        else:
            app.settings.colour_blind = not app.settings.colour_blind
        app.apply_settings()
        app.frame(pygame.event.get())
        app.frame(pygame.event.get())
    gc.collect()
    assert [ref() is not None for ref in managers] == [False] * len(managers)
    alive = [o for o in gc.get_objects() if type(o).__name__ == "UIManager" and id(o) not in others]
    assert alive in ([], [app.ui]), alive  # this window's own, at most (or one kept from before)
