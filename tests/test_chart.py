"""The charts drawn on the turn screen, the debrief and the projector: every label inside the
frame, at 100% and 200%. Drawn on the dummy video driver (set in conftest)."""

from __future__ import annotations

import pygame
import pytest

from game.ui.chart import Series, draw_chart, quarter_year, year_axis
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
def test_the_last_year_near_the_right_edge_is_labelled_clear_of_the_frame(scale):
    """A year starting near the level's end put its label against the frame's right edge."""
    size = (round(375 * scale), round(235 * scale))
    chart = drawn(size, scale, x_range=(2010.5, quarter_year("2013Q1") + 0.125))
    panel, edge = DEFAULT.rgb("panel"), DEFAULT.rgb("panel_edge")
    label_rows = range(size[1] - round(30 * scale), size[1] - 1)
    margin = max(2, round(3 * scale))
    touched = [(x, y) for x in range(size[0] - 1 - margin, size[0] - 1) for y in label_rows
               if chart.get_at((x, y))[:3] not in (panel, edge)]
    assert not touched, f"the year labels reach within {margin} px of the frame at {touched[:3]}"
    # ... and the last year is still labelled: its text sits under the plot's right end.
    last_label = [x for x in range(size[0] // 2, size[0] - 1) for y in label_rows
                  if chart.get_at((x, y))[:3] not in (panel, edge)]
    assert last_label and max(last_label) > size[0] - round(45 * scale)


def _level_axis(start: str, end: str) -> tuple[float, float, list[int]]:
    """The x axis of a chart of a level's quarters, as the debrief draws it."""
    low, high, years = year_axis(quarter_year(start) - 0.125, quarter_year(end) + 0.125)
    return low, high, list(years)


@pytest.mark.parametrize("start,end,years", [
    ("2100Q4", "2100Q4", [2100]),            # one quarter: 2101 was labelled, the year after the level
    ("2010Q3", "2012Q4", [2011, 2012]),      # 2013 starts where the level ends
    ("2010Q3", "2013Q1", [2011, 2012, 2013]),
    ("2010Q1", "2010Q1", [2010]),
    ("1900Q2", "1900Q3", [1900]),
    ("2010Q3", "2035Q4", list(range(2011, 2036, 4))),
])
def test_years_are_labelled_only_from_the_level_s_quarters(start, end, years):
    low, high, labelled = _level_axis(start, end)
    assert labelled == years
    assert high == quarter_year(end) + 0.125 and high - low >= 1.0  # the level's end stays the chart's right end
    assert quarter_year(start) - 0.125 >= low


class _FontSeen:
    """A font that keeps every text drawn with it."""

    def __init__(self, font):
        self.font, self.drawn = font, []

    def render(self, text, *args):
        self.drawn.append(text)
        return self.font.render(text, *args)

    def __getattr__(self, name):
        return getattr(self.font, name)


@pytest.mark.parametrize("start,end,years", [("2100Q4", "2100Q4", ["2100"]), ("2010Q3", "2012Q4", ["2011", "2012"])])
def test_a_debrief_chart_labels_no_year_after_the_level_s_last_quarter(start, end, years):
    """The chart of a one-quarter level ending 2100Q4 labelled its axis 2101, the year boundary
    at its right end."""
    fonts = Fonts(1.0)
    small = _FontSeen(fonts("small"))
    middle = quarter_year(end)
    series = [Series("Japan", ((middle, 1.0),), DEFAULT.rgb("japan"), "solid", "circle")]
    draw_chart((375, 235), "Output index", series, (), "History", DEFAULT, (fonts("small", bold=True), small), 1.0,
               (quarter_year(start) - 0.125, middle + 0.125))
    assert [text for text in small.drawn if text.isdigit() and len(text) == 4] == years


@pytest.mark.parametrize("height", [185, 230])
def test_a_short_chart_s_scale_fits_its_data(height):
    """The compact debrief's charts at 200% ran their scale 0-200% for a share under 100%, and
    0-2 for an output index of 1: a plot with room for one step between labels took the first
    round step as large as the data, and its next label twice as high."""
    scale = 2.0
    fonts = Fonts(scale)
    small = _FontSeen(fonts("small"))
    series = [Series("Your game", ((2023.125, 0.66), (2023.875, 0.95), (2024.875, 0.93)), DEFAULT.rgb("accent"),
                     "solid", "circle")]
    chart = draw_chart((394, height), "China share", series, (), "History", DEFAULT,
                       (fonts("small", bold=True), small), scale, (2023.0, 2025.0), unit="%")
    shown = [int(text[:-1]) for text in small.drawn if text.endswith("%")]
    assert shown and max(shown) <= 100, shown
    assert any(chart.get_at((x, y))[:3] == DEFAULT.rgb("accent") for x in range(chart.get_width())
               for y in range(chart.get_height())), "the line is drawn"
