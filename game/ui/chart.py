"""Line charts of the game's indicators, with the real history overlaid as markers.

Series differ by dash and marker as well as colour. A chart is drawn once to a surface when
its data changes, so a frame costs one blit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pygame

from game.scenario.reference import ReferencePoint
from game.ui.drawing import marker, styled_polyline

#: The quarters before a continued level's start its charts show (the turn screen's, the
#: debrief's): a year leading up to it.
HISTORY_QUARTERS_CHARTED = 4


@dataclass(frozen=True)
class Series:
    label: str
    points: tuple[tuple[float, float], ...]  # (decimal year, value)
    colour: tuple[int, int, int]
    style: str = "solid"  # solid, dashed, dotted
    marker: str = "circle"


def nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """Round tick values covering [low, high]."""
    if not high - low > 0.0:  # one value, or figures so large that low + 1 is low again (1e17)
        high = low + max(1.0, abs(low) * 1e-6)
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step) * step
    ticks, value = [], first
    while value <= high + step * 0.5:
        ticks.append(round(value, 10))
        value += step
    return ticks


def quarter_year(quarter: str) -> float:
    """``2010Q3`` as the decimal year of the quarter's middle."""
    return int(quarter[:4]) + (int(quarter[5]) - 1) / 4 + 0.125


def year_axis(x_low: float, x_high: float) -> tuple[float, float, range]:
    """The x axis of a chart of the quarters from ``x_low`` to ``x_high`` (decimal years, the
    first quarter's start and the last's end): its span, at least a year, and the years labelled
    at their start, at most about eight. A year starting where the last quarter ends is not
    labelled: it is beyond the chart (a level ending 2100Q4 labelled 2101). A span under a year
    is widened into the past, where the start of the year of its last quarter lies."""
    if x_high - x_low < 1.0:
        x_low = x_high - 1.0
    # Each year starting in [x_low, x_high); the tolerance keeps a boundary computed as a sum of
    # quarters (2012.875 + 0.125) on the side it belongs to.
    first, end = math.ceil(x_low - 1e-9), math.ceil(x_high - 1e-9)
    step = max(1, math.ceil((end - first) / 8))
    return x_low, x_high, range(first, end, step)


def draw_chart(size: tuple[int, int], title: str, series: list[Series], history: tuple[ReferencePoint, ...],
               history_label: str, colours, fonts: tuple[pygame.font.Font, pygame.font.Font], scale: float,
               x_range: tuple[float, float] | None = None, unit: str = "", y_floor: float | None = 0.0,
               y_top: float | None = None) -> pygame.Surface:
    """The chart as a surface of ``size``; ``history`` points inside the x range are overlaid.
    ``x_range``: the first quarter's start and the last's end (see ``year_axis``).
    ``y_top``: the top of the scale where no value passes it (a share's 100%, a full output index)."""
    font, small = fonts
    surface = pygame.Surface(size)
    surface.fill(colours.rgb("panel"))
    pygame.draw.rect(surface, colours.rgb("panel_edge"), surface.get_rect(), 1)
    pad = round(6 * scale)
    surface.blit(font.render(title, True, colours.rgb("text")), (pad, pad // 2))
    xs = [x for s in series for x, _ in s.points]
    if x_range is None:
        x_range = (min(xs, default=2010.0), max(xs, default=2011.0))
    x_low, x_high, years = year_axis(*x_range)
    shown_history = tuple(p for p in history if x_low - 0.01 <= p.year <= x_high + 0.01)
    values = [y for s in series for _, y in s.points] + [p.value for p in shown_history]
    y_low = min(values, default=0.0)
    y_high = max(values, default=1.0)
    if y_floor is not None:
        y_low = min(y_floor, y_low)
    if y_high - y_low < 1e-9:
        y_high = y_low + 1.0
    if y_top is not None and y_high <= y_top:
        y_high = y_top
    else:
        y_high += (y_high - y_low) * 0.08
    # The legend names each line and shows its dash and marker, so colour is never the only cue:
    # its entries run from the chart's left edge, onto more lines where one is too narrow for them
    # (a chart at 200% in a small window cut the last one off).
    history_colour = colours.rgb("history")
    entries = [(s.label, s.colour, s.style, s.marker) for s in series]
    if shown_history:
        entries.append((history_label, history_colour, "", "diamond"))
    key_w, gap = 26 * scale, 12 * scale
    legend_rows: list[list[tuple[float, tuple]]] = [[]]
    x = pad
    for entry in entries:
        wide = key_w + small.size(entry[0])[0]
        if legend_rows[-1] and x + wide > size[0] - pad:
            legend_rows.append([])
            x = pad
        legend_rows[-1].append((x, entry))
        x += wide + gap
    legend_h = len(legend_rows) * small.get_linesize() + pad // 2
    # The top tick's label is centred on the plot's top line: half a line of room above it, or
    # it ran into the legend (the projector's "1" under "Japan"); a chart too short to spare it
    # (the compact debrief's) keeps its plot's height instead.
    top = pad // 2 + font.get_linesize() + legend_h
    if size[1] - top - small.get_linesize() - pad >= 6 * small.get_linesize():
        top += small.get_linesize() // 2
    # As many ticks as the plot's height has room to label (a short chart on a compact screen),
    # and at least two steps: one step as large as the data put the next round value up to twice
    # its top (a share under 100% scaled to 200%, an output index of 1 to 2).
    plot_h = size[1] - top - small.get_linesize() - pad
    ticks = nice_ticks(y_low, y_high, max(2, min(4, int(plot_h // (1.6 * small.get_linesize())))))
    y_low, y_high = min(ticks[0], y_low), max(ticks[-1], y_high)
    label_w = max(small.size(_tick_text(t, unit))[0] for t in ticks) + pad
    # Room on the right for half a year's label, so that a year near the plot's right edge (a
    # level ending in its first quarter) is labelled centred on its line and clear of the frame
    # (it was pushed against the frame).
    right_room = small.size("2000")[0] // 2 + pad
    plot = pygame.Rect(pad + label_w, top, size[0] - label_w - pad - right_room,
                       size[1] - top - small.get_linesize() - pad)
    if plot.w < 20 or plot.h < 20:
        return surface

    def to_px(x: float, y: float) -> tuple[float, float]:
        return (plot.x + (x - x_low) / (x_high - x_low) * plot.w, plot.bottom - (y - y_low) / (y_high - y_low) * plot.h)

    grid = colours.rgb("panel_edge")
    muted = colours.rgb("muted")
    for tick in ticks:
        _, y = to_px(x_low, tick)
        if plot.top - 1 <= y <= plot.bottom + 1:
            pygame.draw.line(surface, grid, (plot.x, y), (plot.right, y), 1)
            text = small.render(_tick_text(tick, unit), True, muted)
            surface.blit(text, (plot.x - text.get_width() - pad // 2, y - text.get_height() / 2))
    for year in years:
        x, _ = to_px(year, y_low)
        pygame.draw.line(surface, grid, (x, plot.top), (x, plot.bottom), 1)
        text = small.render(str(year), True, muted)
        left = min(max(0, x - text.get_width() / 2), size[0] - text.get_width() - pad)
        surface.blit(text, (left, plot.bottom + 2))
    width = max(2, round(2 * scale))
    for s in series:
        points = [to_px(x, y) for x, y in s.points]
        if len(points) >= 2:
            styled_polyline(surface, s.colour, points, width, s.style, unit=max(3, round(4 * scale)))
        for p in points[-1:]:
            marker(surface, s.colour, p, s.marker, max(3, round(3 * scale)))
    for point in shown_history:
        marker(surface, history_colour, to_px(point.year, point.value), "diamond", max(3, round(4 * scale)))
    for row, placed in enumerate(legend_rows):
        y = pad // 2 + font.get_linesize() + (row + 0.5) * small.get_linesize() + pad // 4
        for x, (label, colour, style, mark) in placed:
            if style:
                styled_polyline(surface, colour, [(x, y), (x + 22 * scale, y)], width, style,
                                unit=max(2, round(3 * scale)))
            marker(surface, colour, (x + 11 * scale, y), mark, max(3, round(3 * scale)))
            text = small.render(label, True, colours.rgb("text"))
            surface.blit(text, (x + key_w, y - text.get_height() / 2))
    return surface


def _tick_text(value: float, unit: str) -> str:
    if unit == "%":
        return f"{value * 100:.0f}%"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 10 or value == 0:
        return f"{value:.0f}"
    return f"{value:.2f}".rstrip("0").rstrip(".")
