"""The charts drawn on the turn screen, the debrief and the projector: every label inside the
frame, at 100% and 200%. Drawn on the dummy video driver (set in conftest)."""

from __future__ import annotations

import pygame
import pytest

from game.ui.chart import Series, draw_chart
from game.ui.text import Fonts
from game.ui.theme import DEFAULT


@pytest.fixture(scope="module", autouse=True)
def fonts_ready():
    pygame.font.init()
    yield


def drawn(size, scale, x_range=(2010.5, 2013.0)):
    fonts = Fonts(scale)
    series = [Series("Japan", ((2010.625, 150.0), (2012.0, 90.0), (2012.875, 60.0)), DEFAULT.rgb("japan"),
                     "solid", "circle")]
    return draw_chart(size, "NdPr price (US$/kg)", series, (), "History", DEFAULT,
                      (fonts("small", bold=True), fonts("small")), scale, x_range)


@pytest.mark.parametrize("scale", [1.0, 2.0])
def test_the_last_year_on_the_right_edge_is_labelled_clear_of_the_frame(scale):
    """A level ending on a new year put that year's label against the frame's right edge."""
    size = (round(375 * scale), round(235 * scale))
    chart = drawn(size, scale)
    panel, edge = DEFAULT.rgb("panel"), DEFAULT.rgb("panel_edge")
    label_rows = range(size[1] - round(30 * scale), size[1] - 1)
    margin = max(2, round(3 * scale))
    touched = [(x, y) for x in range(size[0] - 1 - margin, size[0] - 1) for y in label_rows
               if chart.get_at((x, y))[:3] not in (panel, edge)]
    assert not touched, f"the year labels reach within {margin} px of the frame at {touched[:3]}"
    # ... and the last year is still labelled: its text sits under the plot's right end.
    last_label = [x for x in range(size[0] // 2, size[0] - 1) for y in label_rows
                  if chart.get_at((x, y))[:3] not in (panel, edge)]
    assert last_label and max(last_label) > size[0] - round(30 * scale)
