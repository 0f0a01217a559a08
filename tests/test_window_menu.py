"""The in-level menu: Restart plays the same level and world again from its first quarter, Load
opens a saved game and Back returns to the level; ``play --seed`` seeds every new game."""

from __future__ import annotations

import pygame
import pytest

from game.ui.app import open_app
from game.ui.driver import click, focus_and_press, on_turn_screen, press, start_level
from game.ui.scenes.load import LoadScene
from game.ui.scenes.menu import MenuScene
from game.ui.storage import Settings


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    window = open_app(settings=Settings(sound=False, warn_before_end=False))
    window.frame([])
    yield window
    if window.game is not None:
        window.game.close()


def test_restart_plays_the_same_level_and_world_from_its_first_quarter(app):
    start_level(app, "2010-trawler", seed=7)
    first_prices = app.game.world.prices.copy()
    press(app, pygame.K_RETURN)
    while not on_turn_screen(app):
        press(app, pygame.K_RETURN)
    assert app.game.world.turns_done == 1
    press(app, pygame.K_ESCAPE)
    assert isinstance(app.top, MenuScene)
    focus_and_press(app, "Restart the level")
    assert app.game.world.turns_done == 0 and app.game.session.seed == 7
    assert (app.game.world.prices == first_prices).all()


def test_load_from_the_menu_opens_a_save_and_back_returns_to_the_level(app):
    start_level(app, "2010-trawler", seed=2)
    press(app, pygame.K_s, pygame.KMOD_CTRL)
    press(app, pygame.K_ESCAPE)
    click(app, "Load game")
    assert isinstance(app.top, LoadScene)
    press(app, pygame.K_ESCAPE)
    assert on_turn_screen(app)
    press(app, pygame.K_ESCAPE)
    click(app, "Load game")
    click(app, app.top.focusables[0].element.text)  # the newest save
    assert on_turn_screen(app) and app.game.session.seed == 2


def test_a_seed_given_to_play_seeds_every_new_game(tmp_path, monkeypatch):
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    app = open_app(level="2010-trawler", settings=Settings(sound=False), seed=1234)
    app.frame([])
    click(app, "Start")
    assert app.game.session.seed == 1234
    app.game.close()


def test_play_refuses_a_negative_seed_in_one_line():
    import subprocess
    import sys

    from conftest import REPO_ROOT

    done = subprocess.run([sys.executable, "-m", "game", "play", "--seed", "-3"], capture_output=True, text=True,
                          cwd=REPO_ROOT, timeout=60, check=False)
    assert done.returncode != 0
    assert len(done.stderr.strip().splitlines()) <= 2 and "--seed" in done.stderr and "Traceback" not in done.stderr
