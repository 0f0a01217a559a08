"""The map draws last quarter's flows. A level that starts the world (the sandbox) has none on
its first turn, and the map stood empty with nothing said; it now says the flows come after the
first quarter. A level continuing history draws that history's last quarter and needs no note."""

from __future__ import annotations

import pytest

from game.ui.driver import open_at_level, overflowing
from game.ui.mapview import flows_of


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    return tmp_path


@pytest.mark.parametrize("language,size,scale", [("en", (1280, 720), 1.0), ("ja", (1280, 720), 2.0),
                                                 ("en", (2560, 1440), 2.0)])
def test_the_sandboxs_first_map_says_when_flows_come_and_hides_nothing(data_dir, language, size, scale):
    app = open_at_level("sandbox", size=size, language=language, scale=scale)
    scene = app.top
    assert not [f for f in flows_of(app.game.world) if f.tonnes >= 0.5]
    assert scene.map_note()
    box = scene._map_note_box()
    assert scene.regions["map"].contains(box)
    view = scene.map_view
    labels = [label.move(view.rect.topleft) for label in view.label_boxes.values()]
    assert box.collidelist(labels) < 0
    assert box.collidelist(list(scene.map_controls)) < 0
    assert not list(overflowing(scene))
    app.game.end_turn()
    app.rebuild()
    app.frame([])
    assert app.top.map_note() is None
    app.game.close()


def test_a_level_continuing_history_draws_its_flows_without_a_note(data_dir):
    app = open_at_level("2026-deep-sea")
    assert [f for f in flows_of(app.game.world) if f.tonnes >= 0.5]
    assert app.top.map_note() is None
    app.game.close()
