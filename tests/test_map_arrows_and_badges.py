"""Flows on the map end at their importer's marker, and the licensed flows' "L" badges keep off
the nations' names. Arrows to the USA stopped in the mid-Pacific (the last two points of every
arc were cut off, a ninth of a long flow), and the badges of the short licensed flows from China
to Korea and Japan piled up over the KOR and JPN labels."""

from __future__ import annotations

import math

import pytest

from game.ui.driver import open_at_level


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    return tmp_path


@pytest.mark.parametrize("size,scale", [((1280, 720), 1.0), ((2560, 1440), 2.0)])
def test_every_arrow_ends_at_its_importers_marker(data_dir, size, scale):
    app = open_at_level("2026-deep-sea", size=size, scale=scale)
    view = app.top.map_view
    assert ("JPN", "USA") in view.heads or any(importer == "USA" for _, importer in view.heads)
    radius = view._dot_radius()
    for (exporter, importer), tip in view.heads.items():
        x, y, _ = view.position(importer)
        distance = math.hypot(tip[0] - x, tip[1] - y)
        assert radius <= distance <= radius + max(2.0, 2 * view.s) + 1, (exporter, importer, distance)
    app.game.close()


@pytest.mark.parametrize("level,turns", [("2026-deep-sea", 0), ("2026-deep-sea", 1)])
def test_no_badge_lies_over_a_name_a_marker_or_another_badge(data_dir, level, turns):
    app = open_at_level(level)
    for _ in range(turns):
        app.game.end_turn()
    app.rebuild()
    app.frame([])
    view = app.top.map_view
    assert view.badges, "the level is expected to have licensed flows"
    names = list(view.label_boxes.values())
    markers = [(view.position(code)[:2]) for code in view.nations]
    badges = list(view.badges.values())
    for i, badge in enumerate(badges):
        assert badge.collidelist(names) < 0, badge
        assert badge.collidelist(badges[i + 1:]) < 0, badge
        for x, y in markers:
            assert not badge.inflate(2 * view._dot_radius(), 2 * view._dot_radius()).collidepoint(x, y)
    app.game.close()
