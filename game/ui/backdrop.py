"""The faded world map behind the menus: drawn once per window size and palette, then blitted."""

from __future__ import annotations

import pygame

from game.ui.mapview import MapView

_cache: dict[tuple, pygame.Surface] = {}


def draw_backdrop(app, surface: pygame.Surface) -> None:
    key = (app.w, app.h, app.settings.colour_blind)
    if key not in _cache:
        view = MapView(pygame.Rect(0, 0, app.w, app.h), app.colours, app.s, (), app.settings.language)
        faded = view.base.copy()
        veil = pygame.Surface(faded.get_size(), pygame.SRCALPHA)
        veil.fill((*app.colours.rgb("background"), 185))
        faded.blit(veil, (0, 0))
        _cache.clear()
        _cache[key] = faded
    surface.blit(_cache[key], (0, 0))
