"""Back from Load or Settings, the turn screen shows what it showed: Esc from Load brought back
the map where the player had the supply panel open."""

from __future__ import annotations

import pygame
import pytest

from game.ui.driver import click, open_at_level, press


@pytest.mark.parametrize("screen", ["Load game", "Settings"])
def test_esc_from_a_screen_the_menu_opened_brings_back_the_supply_panel(tmp_path, monkeypatch, screen):
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    app = open_at_level("2010-trawler", seed=1)
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
    app = open_at_level("2010-trawler", seed=1, size=(1280, 720), scale=2.0)
    assert app.compact
    app.top.show_pane("news")
    app.frame([])
    press(app, pygame.K_ESCAPE)
    click(app, app.tr("Settings"))
    press(app, pygame.K_ESCAPE)
    assert app.top.name == "turn" and app.top.pane == "news"
    app.game.close()
