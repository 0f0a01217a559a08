"""Line styles that carry meaning without colour: solid, dashed, dotted, crossed; markers."""

from __future__ import annotations

import itertools
import math

import pygame

Point = tuple[float, float]


def styled_polyline(surface: pygame.Surface, colour, points: list[Point], width: int, style: str = "solid",
                    unit: int = 6) -> None:
    """Draw through ``points`` as ``solid``, ``dashed`` (long dashes), ``dotted`` or ``crossed``
    (solid with an X every few dashes: the embargo look)."""
    if len(points) < 2:
        return
    if style == "solid":
        pygame.draw.lines(surface, colour, False, points, width)
        return
    on, off = {"dashed": (3 * unit, 2 * unit), "dotted": (unit, unit), "crossed": (4 * unit, 2 * unit)}[style]
    travelled, drawing, left = 0.0, True, on
    crosses_every, dash_count = 3, 0
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        length = math.hypot(x1 - x0, y1 - y0)
        if length == 0:
            continue
        ux, uy = (x1 - x0) / length, (y1 - y0) / length
        at = 0.0
        while at < length:
            step = min(left, length - at)
            if drawing:
                a = (x0 + ux * at, y0 + uy * at)
                b = (x0 + ux * (at + step), y0 + uy * (at + step))
                pygame.draw.line(surface, colour, a, b, width)
            at += step
            travelled += step
            left -= step
            if left <= 1e-9:
                if drawing and style == "crossed":
                    dash_count += 1
                    if dash_count % crosses_every == 1:
                        cx, cy = x0 + ux * at, y0 + uy * at
                        r = unit + width
                        pygame.draw.line(surface, colour, (cx - r, cy - r), (cx + r, cy + r), max(2, width // 2 + 1))
                        pygame.draw.line(surface, colour, (cx - r, cy + r), (cx + r, cy - r), max(2, width // 2 + 1))
                drawing = not drawing
                left = on if drawing else off


def marker(surface: pygame.Surface, colour, centre: Point, kind: str, size: int) -> None:
    """A point marker: ``circle``, ``square``, ``diamond``, ``triangle`` (filled) or ``ring``."""
    x, y = centre
    if kind == "circle":
        pygame.draw.circle(surface, colour, (x, y), size)
    elif kind == "ring":
        pygame.draw.circle(surface, colour, (x, y), size, max(1, size // 3))
    elif kind == "square":
        pygame.draw.rect(surface, colour, pygame.Rect(x - size, y - size, 2 * size, 2 * size))
    elif kind == "diamond":
        pygame.draw.polygon(surface, colour, [(x, y - size - 1), (x + size + 1, y), (x, y + size + 1), (x - size - 1, y)],
                            max(1, size // 2))
    elif kind == "triangle":
        pygame.draw.polygon(surface, colour, [(x, y - size), (x + size, y + size), (x - size, y + size)])


def arrow_head(surface: pygame.Surface, colour, tip: Point, towards_from: Point, size: float) -> None:
    dx, dy = tip[0] - towards_from[0], tip[1] - towards_from[1]
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    left = (tip[0] - ux * size - uy * size * 0.55, tip[1] - uy * size + ux * size * 0.55)
    right = (tip[0] - ux * size + uy * size * 0.55, tip[1] - uy * size - ux * size * 0.55)
    pygame.draw.polygon(surface, colour, [tip, left, right])


def curve(a: Point, b: Point, bend: float = 0.18, steps: int = 18) -> list[Point]:
    """A gentle arc from ``a`` to ``b`` bowing to the left, so flows both ways stay apart."""
    mx, my = (a[0] + b[0]) / 2, (a[1] + b[1]) / 2
    dx, dy = b[0] - a[0], b[1] - a[1]
    cx, cy = mx - dy * bend, my + dx * bend
    points = []
    for i in range(steps + 1):
        t = i / steps
        points.append(((1 - t) ** 2 * a[0] + 2 * (1 - t) * t * cx + t * t * b[0],
                       (1 - t) ** 2 * a[1] + 2 * (1 - t) * t * cy + t * t * b[1]))
    return points
