"""A flow's arrow ends at its importer's dot, a small gap short of it: its line lost the arc's last
two pieces, over 100 px on a long arc at 200%, and the arrow to the USA stopped mid-ocean."""

from __future__ import annotations

import math

import pygame
import pytest

from game.ui.drawing import shortened
from game.ui.driver import open_at_level, press


@pytest.mark.parametrize(("size", "scale", "area"), [((1280, 720), 2.0, "world"), ((1280, 720), 1.0, "asia"),
                                                     ((1920, 1080), 1.0, "world")])
def test_every_flow_s_arrow_reaches_its_importer_s_dot(tmp_path, monkeypatch, size, scale, area):
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    app = open_at_level("2012-wto", size=size, scale=scale)
    app.game.end_turn()
    app.rebuild()
    app.frame([])
    while len(app.scenes) > 1:
        press(app, pygame.K_ESCAPE)
    turn = app.top
    turn.map_area = area
    app.rebuild()
    app.frame([])
    view = turn.map_view
    assert view.routes
    rim = view._dot_radius()
    for (_, importer), (line, _) in view.routes.items():
        x, y, _ = view.position(importer)
        gap = math.hypot(line[-1][0] - x, line[-1][1] - y)
        assert rim <= gap <= rim + max(2.0, 2 * view.s) + 1, (importer, gap, rim)
    app.game.close()


def test_a_line_is_shortened_along_its_own_pieces():
    line = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0)]
    assert shortened(line, 4.0) == [(0.0, 0.0), (10.0, 0.0), (10.0, 6.0)]
    assert shortened(line, 15.0) == [(0.0, 0.0), (5.0, 0.0)]
    assert shortened(line, 25.0) == [(0.0, 0.0)]
