"""Back from Load or Settings, the turn screen shows what it showed: Esc from Load brought back
the map where the player had the supply panel open."""

from __future__ import annotations

import pygame
import pytest

from game.ui.app import open_app
from game.ui.driver import click, press, start_level
from game.ui.storage import Settings


@pytest.mark.parametrize("screen", ["Load game", "Settings"])
def test_esc_from_a_screen_the_menu_opened_brings_back_the_supply_panel(tmp_path, monkeypatch, screen):
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    app = open_app(settings=Settings(sound=False, warn_before_end=False))
    app.progress.tutorial_done = True
    app.frame([])
    start_level(app, "2010-trawler", seed=1)
    press(app, pygame.K_s)  # the supply panel in the map's place
    assert app.top.view == "supply"
    press(app, pygame.K_ESCAPE)
    click(app, app.tr(screen))
    assert app.top.name in ("load", "settings")
    press(app, pygame.K_ESCAPE)
    assert app.top.name == "turn" and app.top.view == "supply"
    app.game.close()


def test_back_from_settings_a_compact_screen_shows_the_pane_it_showed(tmp_path, monkeypatch):
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    app = open_app((1280, 720), settings=Settings(sound=False, scale=2.0, warn_before_end=False))
    app.progress.tutorial_done = True
    app.frame([])
    start_level(app, "2010-trawler", seed=1)
    assert app.compact
    app.top.show_pane("news")
    app.frame([])
    press(app, pygame.K_ESCAPE)
    click(app, app.tr("Settings"))
    press(app, pygame.K_ESCAPE)
    assert app.top.name == "turn" and app.top.pane == "news"
    app.game.close()
