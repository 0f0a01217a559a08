"""Line charts as inline SVG for the workshop's debrief page: no scripts, no other files, and
lines that differ in colour, dashes and markers so a black-and-white print still tells them
apart."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from game.workshop.quoting import html_text as escape


@dataclass(frozen=True)
class ChartLine:
    """One line of a chart: its legend, a value per quarter (None where there is none), and
    its look (colour, dashes, marker)."""

    label: str
    values: tuple[float | None, ...]
    style: tuple[str, str, str]
    width: float = 2.0


CHART_W, LEFT, RIGHT, TOP, PLOT_H, FONT = 680, 58, 16, 38, 220, 13


def svg_chart(title: str, quarters: Sequence[str], lines: Sequence[ChartLine], dots: Sequence[tuple[float, float]],
              unit: str, dots_label: str) -> str:
    """A line chart: quarters along the bottom, ``lines`` and the real figures ``dots`` (quarter
    index, value), a legend below. Pure SVG text, escaped."""
    n = max(len(quarters), 1)
    plot_w = CHART_W - LEFT - RIGHT
    values = [v for line in lines for v in line.values if v is not None] + [v for _, v in dots]
    low, high, step = _scale(values, unit)

    def x(index: float) -> float:
        return LEFT + (index + 0.5) * plot_w / n

    def y(value: float) -> float:
        return TOP + PLOT_H - (value - low) / (high - low) * PLOT_H

    out = [f'<text x="{LEFT}" y="{TOP - 16}" class="chart-title">{escape(title)}</text>']
    tick = low
    while tick <= high + step / 1000:
        out.append(f'<line x1="{LEFT}" y1="{y(tick):.1f}" x2="{CHART_W - RIGHT}" y2="{y(tick):.1f}" class="grid"/>'
                   f'<text x="{LEFT - 9}" y="{y(tick) + 4:.1f}" text-anchor="end">{escape(_tick(tick, unit, step))}</text>')
        tick += step
    every = max(1, math.ceil(n * 58 / plot_w))  # a label is about 50 px wide
    for i, quarter in enumerate(quarters):
        out.append(f'<line x1="{x(i):.1f}" y1="{TOP + PLOT_H}" x2="{x(i):.1f}" y2="{TOP + PLOT_H + 4}" class="axis"/>')
        if i % every == 0:
            out.append(f'<text x="{x(i):.1f}" y="{TOP + PLOT_H + 18}" text-anchor="middle">{escape(quarter)}</text>')
    out.append(f'<line x1="{LEFT}" y1="{TOP + PLOT_H}" x2="{CHART_W - RIGHT}" y2="{TOP + PLOT_H}" class="axis"/>'
               f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + PLOT_H}" class="axis"/>')
    marks_every = max(1, math.ceil(n / 16))
    for line in lines:
        colour, dashes, marker = line.style
        points = [(x(i), y(v)) for i, v in enumerate(line.values) if v is not None]
        for run_ in _runs([(i, v) for i, v in enumerate(line.values)]):
            path = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in run_)
            dash = f' stroke-dasharray="{dashes}"' if dashes else ""
            out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="{line.width}"{dash}/>')
        out += [_marker(marker, px, py, colour) for k, (px, py) in enumerate(points) if marker and k % marks_every == 0]
    out += [_marker("dot", x(i), y(v), "#000000") for i, v in dots]
    legend, height = _legend(lines, dots_label if dots else "")
    out.append(legend)
    return (f'<svg viewBox="0 0 {CHART_W} {height}" role="img" '
            f'font-size="{FONT}"><title>{escape(title)}</title>{"".join(out)}</svg>')


def _runs(points: list[tuple[int, float | None]]) -> list[list[tuple[int, float]]]:
    """The unbroken stretches of a line (a game ended early, a quarter without a figure)."""
    runs: list[list[tuple[int, float]]] = [[]]
    for i, v in points:
        if v is None:
            runs.append([])
        else:
            runs[-1].append((i, v))
    return [r for r in runs if r]


def _scale(values: list[float], unit: str) -> tuple[float, float, float]:
    """The y axis: from 0 (or below, for negative figures) to a round number above the top."""
    low = min([0.0, *values])
    high = max(values, default=0.0)
    if unit in ("share", "index") or high <= low:
        high = max(high, low + 1.0)  # shares and indexes up to 1 at least, to compare charts at a glance
    raw = (high - low) / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return math.floor(low / step) * step, math.ceil(high / step - 1e-9) * step, step


def _tick(value: float, unit: str, step: float) -> str:
    if unit == "share":
        return f"{value:.0%}"
    if step >= 1:
        return f"{value:,.0f}"
    return f"{value:.{max(1, -math.floor(math.log10(step)))}f}"


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>'
    if kind == "ring":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#fff" stroke="{colour}" stroke-width="1.8"/>'
    if kind == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{colour}"/>'
    if kind == "box":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="#fff" stroke="{colour}" stroke-width="1.8"/>'
    if kind == "triangle":
        return f'<path d="M{x:.1f},{y - 4.5:.1f} L{x + 4.5:.1f},{y + 3.5:.1f} L{x - 4.5:.1f},{y + 3.5:.1f} Z" fill="{colour}"/>'
    if kind == "del":
        return f'<path d="M{x:.1f},{y + 4.5:.1f} L{x + 4.5:.1f},{y - 3.5:.1f} L{x - 4.5:.1f},{y - 3.5:.1f} Z" fill="{colour}"/>'
    if kind in ("plus", "cross"):
        d = (f"M{x - 5:.1f},{y:.1f} H{x + 5:.1f} M{x:.1f},{y - 5:.1f} V{y + 5:.1f}" if kind == "plus" else
             f"M{x - 4:.1f},{y - 4:.1f} L{x + 4:.1f},{y + 4:.1f} M{x - 4:.1f},{y + 4:.1f} L{x + 4:.1f},{y - 4:.1f}")
        return f'<path d="{d}" stroke="{colour}" stroke-width="2.2" fill="none"/>'
    # "dot": a real figure, a black diamond ringed in white so it shows on any line
    return (f'<path d="M{x:.1f},{y - 6.5:.1f} L{x + 6.5:.1f},{y:.1f} L{x:.1f},{y + 6.5:.1f} L{x - 6.5:.1f},{y:.1f} Z" '
            f'fill="{colour}" stroke="#fff" stroke-width="1.5" class="real"/>')


def _legend(lines: Sequence[ChartLine], dots_label: str) -> tuple[str, int]:
    """The legend under the plot, entries wrapped in rows; returns it and the chart's height."""
    entries = [(line.label, line.style, line.width) for line in lines]
    if dots_label:
        entries.append((dots_label, ("#000000", "", "dot"), 0.0))
    out, x, row = [], LEFT, 0
    top = TOP + PLOT_H + 40
    for label, (colour, dashes, marker), width in entries:
        w = 40 + _text_width(label)
        if x + w > CHART_W - RIGHT and x > LEFT:
            x, row = LEFT, row + 1
        y = top + row * 22
        if width:
            dash = f' stroke-dasharray="{dashes}"' if dashes else ""
            out.append(f'<line x1="{x}" y1="{y}" x2="{x + 30}" y2="{y}" stroke="{colour}" stroke-width="{width}"{dash}/>')
        if marker:
            out.append(_marker(marker, x + 15, y, colour))
        out.append(f'<text x="{x + 36}" y="{y + 4}">{escape(label)}</text>')
        x += w + 18
    return "".join(out), top + row * 22 + 14


def _text_width(text: str) -> float:
    """About how wide a text is at the chart's font size (CJK glyphs are square)."""
    return sum(FONT if ord(ch) >= 0x2E80 else FONT * 0.6 for ch in text)
