"""Where a notice goes: clear of what the screen asks the player to read or press.

A notice (the answer to a lever taken, a save, a failure) sits over the screen for seconds. It
covered the End turn warning's text at 200% in Japanese, and where its three usual places were
taken it lay over the compact levers pane's tabs and form. Here it tries those places, then
every other place on the screen nearest the first, then the same at narrower widths, before it
covers anything; and then it covers as little as it can: rather a heading than a button, rather
a button than a line of text, rather a line of text than the answer to the player's last move.
A tooltip whose places beside its element are all taken looks for the nearest clear place here
too (``nearest_clear_place``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pygame


@dataclass(frozen=True)
class Obstacles:
    """What a notice should not cover, in window coordinates, from the worst to cover to the least."""

    answers: Sequence[pygame.Rect]  # what the screen keeps clear: the answer to the last move
    lines: Sequence[pygame.Rect]  # lines of text the screen shows
    main_buttons: Sequence[pygame.Rect]
    buttons: Sequence[pygame.Rect]
    headings: Sequence[pygame.Rect] = ()  # a screen's title: read already, and nothing to press


def notice_place(sizes: Sequence[tuple[int, int]], screen: tuple[int, int], top: int, gap: int,
                 obstacles: Obstacles) -> tuple[int, pygame.Rect]:
    """Which of ``sizes`` (the notice wrapped ever narrower) to use and where: the first place
    that covers nothing, trying each size's places in turn (``usual_places``, then a grid over
    the screen, nearest the top place first); failing that, the place covering the fewest
    answers, then lines, then main buttons, then buttons, then headings."""
    if not sizes:
        raise ValueError("a notice needs at least one size")
    kinds = (obstacles.answers, obstacles.lines, obstacles.main_buttons, obstacles.buttons, obstacles.headings)
    boxes = np.array([(r.left, r.top, r.right, r.bottom) for kind in kinds for r in kind],
                     dtype=float).reshape(-1, 4)
    kind_of = np.repeat(np.arange(len(kinds)), [len(kind) for kind in kinds])
    least_cost, least = None, (0, pygame.Rect((0, 0), sizes[0]))
    for index, (width, height) in enumerate(sizes):
        usual = usual_places(width, height, screen, top, gap, obstacles.buttons)
        corners = np.concatenate([np.array([p.topleft for p in usual], dtype=float).reshape(-1, 2),
                                  grid_places(width, height, screen, top, gap)])
        left, upper = corners[:, 0:1], corners[:, 1:2]
        covers = ((left < boxes[:, 2]) & (boxes[:, 0] < left + width)
                  & (upper < boxes[:, 3]) & (boxes[:, 1] < upper + height))
        clear = ~covers.any(axis=1)
        counts = np.stack([covers[:, kind_of == kind].sum(axis=1) for kind in range(len(kinds))], axis=1)
        # The first of equals: places are in order of preference, and so are the sizes.
        chosen = int(np.argmax(clear)) if clear.any() else int(np.lexsort(counts.T[::-1])[0])
        place = pygame.Rect(int(corners[chosen, 0]), int(corners[chosen, 1]), width, height)
        if clear.any():
            return index, place
        cost = tuple(int(v) for v in counts[chosen])
        if least_cost is None or cost < least_cost:
            least_cost, least = cost, (index, place)
    return least


def usual_places(width: int, height: int, screen: tuple[int, int], top: int, gap: int,
                 buttons: Sequence[pygame.Rect]) -> list[pygame.Rect]:
    """At the top, in the middle; in the widest stretch of the bottom edge free of buttons (the
    turn screen's footer has one between its left buttons and End turn), if the notice fits
    there; just above the bottom row of buttons (the debrief's: its result is at the top)."""
    w, h = screen
    first = pygame.Rect((w - width) // 2, top, width, height)
    places = [first]
    band = pygame.Rect(0, h - height - gap, w, height)
    edges = sorted((rect.left, rect.right) for rect in buttons if rect.colliderect(band))
    spans, x = [], 0
    for left, right in edges:
        spans.append((x, left))
        x = max(x, right)
    spans.append((x, w))
    start, end = max(spans, key=lambda span: span[1] - span[0])
    if end - start >= width + 2 * gap:
        middle = min(max((w - width) // 2, start + gap), end - gap - width)  # the screen's middle, if free
        places.append(pygame.Rect(middle, band.y, width, height))
    if edges:
        row = min(rect.top for rect in buttons if rect.colliderect(band))
        above = pygame.Rect((w - width) // 2, row - height - gap, width, height)
        if above.top > first.bottom:
            places.append(above)
    whole = pygame.Rect(0, 0, w, h)
    return [place for place in places if whole.contains(place)] or [first]


def grid_places(width: int, height: int, screen: tuple[int, int], top: int, gap: int) -> np.ndarray:
    """The top-left corners of every place on the screen ``gap`` from its edges, on a grid of
    ``gap`` steps, nearest the top place first."""
    w, h = screen
    xs = np.arange(gap, max(gap, w - width - gap) + 1, gap)
    ys = np.arange(gap, max(gap, h - height - gap) + 1, gap)
    x, y = (grid.ravel().astype(float) for grid in np.meshgrid(xs, ys))
    order = np.argsort(np.hypot(x - (w - width) / 2, y - top), kind="stable")
    return np.stack([x[order], y[order]], axis=1)


def nearest_clear_place(sizes: Sequence[tuple[int, int]], screen: tuple[int, int], step: int,
                        near: pygame.Rect, hidden: Sequence[pygame.Rect],
                        element: pygame.Rect | None = None,
                        reach: float | None = None) -> tuple[int, pygame.Rect] | None:
    """Of boxes of ``sizes`` on a grid of ``step`` pixels over the screen, one covering none of
    ``hidden`` nor ``near`` that is nearest ``near`` (the gap between their edges): which size and
    where, or None if no size has such a place. Of places as near, the wider size (the first
    given) and then the first in reading order. A tip whose four places beside its element are
    all taken goes here, narrower if it must, rather than over a line of text.

    With ``element`` (the one a tip describes, inside ``near``, all it keeps clear of), a place
    may lie inside ``near`` where ``hidden`` leaves room, and of places as near ``near``, the
    nearest ``element`` wins: the title's Load went to the window's corner, past the free room
    beside its menu's last row.

    With ``reach``, only places within reach of ``element`` count (``_within_reach``): a place
    clear of everything but across the window is read as another element's tip (the bar's China
    share tip stood in the window's corner, over the turn)."""
    w, h = screen
    kept = [*hidden] if element is not None else [*hidden, near]
    boxes = np.array([(r.left, r.top, r.right, r.bottom) for r in kept], dtype=float).reshape(-1, 4)
    best = None
    for index, (width, height) in enumerate(sizes):
        xs = np.arange(0, w - width + 1, step, dtype=float)
        ys = np.arange(0, h - height + 1, step, dtype=float)
        if not xs.size or not ys.size:
            continue
        # Which columns and rows of places overlap each box, then the places that overlap none.
        across = (xs[None, :] < boxes[:, 2:3]) & (boxes[:, 0:1] < xs[None, :] + width)
        down = (ys[None, :] < boxes[:, 3:4]) & (boxes[:, 1:2] < ys[None, :] + height)
        covered = (down[:, :, None] & across[:, None, :]).any(axis=0)
        if reach is not None:
            covered = covered | ~_within_reach(xs, ys, width, height, near, element or near, reach)
        if covered.all():
            continue
        dx = np.maximum(np.maximum(near.left - (xs + width), xs - near.right), 0)
        dy = np.maximum(np.maximum(near.top - (ys + height), ys - near.bottom), 0)
        distance = dy[:, None] ** 2 + dx[None, :] ** 2
        if element is not None:  # (under one pixel's worth: it only parts places as near ``near``)
            ex = np.maximum(np.maximum(element.left - (xs + width), xs - element.right), 0)
            ey = np.maximum(np.maximum(element.top - (ys + height), ys - element.bottom), 0)
            distance = distance + (ey[:, None] ** 2 + ex[None, :] ** 2) / (w * w + h * h + 1)
        distance = np.where(covered, np.inf, distance)
        at = int(np.argmin(distance))  # the first of equals, in reading order
        row, column = divmod(at, xs.size)
        if best is None or distance.flat[at] < best[0]:
            best = (distance.flat[at], index, pygame.Rect(int(xs[column]), int(ys[row]), width, height))
    return None if best is None else best[1:]


def _within_reach(xs: np.ndarray, ys: np.ndarray, width: int, height: int, near: pygame.Rect,
                  element: pygame.Rect, reach: float) -> np.ndarray:
    """Which places (rows ``ys`` by columns ``xs``) stand by ``element``: at most ``reach`` from
    it; or, outside ``near`` (the element with what it describes), at most ``reach`` from that and
    level with the element across or along (below the whole indicator bar, under its own
    indicator). Inside ``near`` but far from the element, a tip lay over the bar's other end."""

    def gaps(rect: pygame.Rect) -> tuple[np.ndarray, np.ndarray]:
        return (np.maximum(np.maximum(rect.top - (ys + height), ys - rect.bottom), 0)[:, None],
                np.maximum(np.maximum(rect.left - (xs + width), xs - rect.right), 0)[None, :])

    own_y, own_x = gaps(element)
    near_y, near_x = gaps(near)
    inside_near = ((ys < near.bottom) & (near.top < ys + height))[:, None] \
        & ((xs < near.right) & (near.left < xs + width))[None, :]
    level = ((ys < element.bottom) & (element.top < ys + height))[:, None] \
        | ((xs < element.right) & (element.left < xs + width))[None, :]
    return (np.maximum(own_y, own_x) <= reach) | (~inside_near & level & (np.maximum(near_y, near_x) <= reach))


def stands_beside(box: pygame.Rect, element: pygame.Rect, near: pygame.Rect, reach: float) -> bool:
    """Whether a tip in ``box`` stands by ``element`` as ``_within_reach`` counts it (``near``:
    the element with what it describes)."""
    xs, ys = np.array([box.x], dtype=float), np.array([box.y], dtype=float)
    return bool(_within_reach(xs, ys, box.w, box.h, near, element, reach)[0, 0])
