"""The map: country outlines, the nations of the level, and last quarter's supply flows.

Flows are arrows whose width grows with the square root of the tonnes moved. Their look
says their state without relying on colour: solid for open trade, dashed (and marked L) where
the exporter licenses the flow, crossed where an embargo stops it.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pygame

from game.ui.drawing import arrow_head, curve, styled_polyline
from game.ui.strings import ASSETS
from game.vocab.materials import MATERIAL_INDEX, MATERIALS
from game.vocab.nations import CHINA, JAPAN

#: The views (west, east, south, north), Pacific-centred: the world, from Europe at the left
#: edge to the Americas at the right; and Asia-Pacific, where nations beyond its edges sit on
#: the edge, marked with an arrow towards them.
VIEWS = {"world": (-12.0, 300.0, -47.0, 70.0), "asia": (58.0, 182.0, -46.0, 56.0),
         "east-asia": (92.0, 162.0, -2.0, 50.0)}  # the campaign's stage
#: Longitudes west of this are drawn east of the date line, so the Pacific is whole.
WRAP_BELOW = -30.0
#: How far a flow may bow from the straight line between its ends, as a share of its length,
#: from the gentle arc every flow has to the widest tried to keep clear of other nations' markers.
FLOW_BENDS = (0.18, 0.26, 0.34, 0.42, 0.5)
#: Where a nation's name goes beside its marker, so crowded East Asia stays readable.
LABEL_SIDE = {"CHN": "left", "KOR": "above", "MMR": "left", "VNM": "below", "MYS": "right", "JPN": "right",
              "USA": "left", "IND": "left"}


@lru_cache(maxsize=1)
def countries() -> tuple[tuple[str, tuple[np.ndarray, ...]], ...]:
    path = ASSETS / "map" / "countries.json"
    with path.open(encoding="utf-8") as f:
        data = json.load(f)
    shapes = []
    for country in data["countries"]:
        rings = []
        for ring in country["polygons"]:
            points = np.array(ring, dtype=float)
            if len(points) < 3:
                continue
            # Shift the Americas east so the Pacific is whole.
            if points[:, 0].max() < WRAP_BELOW:
                points[:, 0] += 360.0
            rings.append(points)
        shapes.append((country.get("iso3", ""), tuple(rings)))
    return tuple(shapes)


@dataclass(frozen=True)
class Flow:
    exporter: str
    importer: str
    tonnes: float
    state: str  # "open", "licensed" or "embargoed"


def flows_of(world, material: int | None = None) -> list[Flow]:
    """Last quarter's flows between nations, with their trade state."""
    receipts = world.receipts if material is None else world.receipts[material:material + 1]
    totals = receipts.sum(axis=0)
    codes = world.nation_codes
    quarter = world.quarter - 1 if world.quarters_simulated else world.quarter
    materials = MATERIALS if material is None else (MATERIALS[material],)
    found = []
    for i, exporter in enumerate(codes):
        for j, importer in enumerate(codes):
            if i == j:
                continue
            tonnes = float(totals[i, j])
            embargoed = any(world.policy.open_share(exporter, importer, m, quarter) < 1.0 for m in materials)
            licensed = bool(np.any(world.policy.friction(exporter, importer)[[MATERIAL_INDEX[m] for m in materials]] > 0))
            if tonnes < 0.5 and not embargoed:
                continue
            found.append(Flow(exporter, importer, tonnes, "embargoed" if embargoed else "licensed" if licensed else "open"))
    return found


class MapView:
    def __init__(self, rect: pygame.Rect, colours, scale: float, nations, language: str, view: str = "world"):
        self.rect = rect
        self.colours = colours
        self.s = scale
        self.view = view
        self.west, self.east, self.south, self.north = VIEWS[view]
        span_x, span_y = self.east - self.west, self.north - self.south
        self.k = min(rect.w / span_x, rect.h / span_y)
        self.x0 = rect.x + (rect.w - span_x * self.k) / 2
        self.y0 = rect.y + (rect.h - span_y * self.k) / 2
        self.nations = {n.code: n for n in nations}
        self.language = language
        self.base = self._draw_base()
        self.overlay: pygame.Surface | None = None
        #: Where each nation's name was last drawn, on the map's own surface.
        self.label_boxes: dict[str, pygame.Rect] = {}
        #: What the scene draws over the map, on the map's own surface (see ``draw_flows``).
        self._covered: list[pygame.Rect] = []
        #: Each flow last drawn, (exporter, importer), with the points of its line and its width.
        self.routes: dict[tuple[str, str], tuple[list[tuple[float, float]], int]] = {}
        #: Where each licensed flow's "L" badge was last drawn, on the map's own surface.
        self.badges: dict[tuple[str, str], pygame.Rect] = {}
        #: The tip of each flow's arrow head as last drawn, on the map's own surface.
        self.heads: dict[tuple[str, str], tuple[float, float]] = {}

    def project(self, lon: float, lat: float) -> tuple[float, float]:
        """A point of the globe on the map surface (it may fall outside the map)."""
        if lon < WRAP_BELOW:
            lon += 360.0
        return self.x0 + (lon - self.west) * self.k - self.rect.x, self.y0 + (self.north - lat) * self.k - self.rect.y

    def position(self, code: str) -> tuple[float, float, bool]:
        """Where a nation's marker goes, and whether its place is out of sight: beyond the map's
        edge or under what the scene draws over the map. A place in sight is drawn there, moved
        in from an edge or off what covers the map just far enough for its marker to be whole; a
        place out of sight has its marker behind the arrow that points to it (``pointer``)."""
        margin = self._marker_margin()
        pointer = self.pointer(code)
        if pointer is not None:
            (tip_x, tip_y), (ux, uy) = pointer
            back = self._pointer_size() + self._dot_radius() + max(2.0, 2 * self.s)
            return (min(max(tip_x - ux * back, margin), self.rect.w - margin),
                    min(max(tip_y - uy * back, margin), self.rect.h - margin), True)
        x, y = self.project(*self.nations[code].lonlat)
        x, y = min(max(x, margin), self.rect.w - margin), min(max(y, margin), self.rect.h - margin)
        # Australia sat half under the material buttons at 200% in a 1280x720 window.
        for rect in self._covered:
            if rect.inflate(2 * margin, 2 * margin).collidepoint(x, y):
                y = rect.top - margin if rect.top - margin > margin else rect.bottom + margin
        return x, y, False

    def pointer(self, code: str) -> tuple[tuple[float, float], tuple[float, float]] | None:
        """For a nation whose place is out of sight, the tip of the arrow that points to it (on
        the map's edge, or on the edge of what covers the place) and the unit vector from the tip
        to the place; None for a place in sight, however near an edge."""
        x, y = self.project(*self.nations[code].lonlat)
        inset = max(3.0, 3 * self.s)
        if pygame.Rect((0, 0), self.rect.size).collidepoint(x, y):
            cover = next((rect for rect in self._covered if rect.collidepoint(x, y)), None)
            if cover is None:
                return None
            room_above = cover.top - inset - 2 * self._marker_margin() > 0
            tip_x, tip_y = x, cover.top - inset if room_above else cover.bottom + inset
        else:
            tip_x = min(max(x, inset), self.rect.w - inset)
            tip_y = min(max(y, inset), self.rect.h - inset)
        length = math.hypot(x - tip_x, y - tip_y) or 1.0
        return (tip_x, tip_y), ((x - tip_x) / length, (y - tip_y) / length)

    def _dot_radius(self) -> float:
        """A marker's dot with its dark ring."""
        return max(4, self.s * 6)

    def _marker_margin(self) -> float:
        """How far a marker's centre keeps from the map's edges and what covers the map."""
        return max(8.0, 10 * self.s)

    def _pointer_size(self) -> float:
        return max(6.0, 8 * self.s)

    def _draw_base(self) -> pygame.Surface:
        c = self.colours
        surface = pygame.Surface(self.rect.size)
        surface.fill(c.rgb("sea"))
        highlight = {JAPAN: c.rgb("japan"), CHINA: c.rgb("china")}  # nation codes are the map's ISO codes
        for iso, rings in countries():
            fill = c.rgb("land")
            for ring in rings:
                xs = self.x0 + (ring[:, 0] - self.west) * self.k - self.rect.x
                ys = self.y0 + (self.north - ring[:, 1]) * self.k - self.rect.y
                points = list(zip(xs.tolist(), ys.tolist()))
                if len(points) >= 3:
                    pygame.draw.polygon(surface, fill, points)
                    pygame.draw.polygon(surface, highlight.get(iso, c.rgb("land_edge")), points,
                                        2 if iso in highlight else 1)
        return surface

    def draw_flows(self, world, material: int | None, font: pygame.font.Font,
                   covered: tuple[pygame.Rect, ...] = ()) -> pygame.Surface:
        """The overlay of flows and nation markers for the world's last quarter. ``covered``:
        what the scene draws over the map (buttons, the legend), in window coordinates; a
        nation's name goes to another side of its marker rather than under them."""
        c = self.colours
        surface = pygame.Surface(self.rect.size, pygame.SRCALPHA)
        self._covered = [rect.move(-self.rect.x, -self.rect.y) for rect in covered]
        flows = flows_of(world, material)
        largest = max((f.tonnes for f in flows), default=1.0) or 1.0
        colour = {"open": c.rgb("flow"), "licensed": c.rgb("flow_licensed"), "embargoed": c.rgb("flow_embargoed")}
        # Names are placed first (they depend on markers and what covers the map, not on flows),
        # so the flows' "L" badges can keep off them.
        plate = (*c.rgb("sea"), 200)
        markers = []
        names = []
        radius = self._dot_radius()
        dots = {code: pygame.Rect(0, 0, 2 * radius, 2 * radius) for code in self.nations}
        for code, dot in dots.items():
            dot.center = self.position(code)[:2]
        for code, nation in self.nations.items():
            x, y, _ = self.position(code)
            marker_colour = c.rgb("japan") if code == JAPAN else c.rgb("china") if code == CHINA else c.rgb("other")
            name = nation.name_ja if self.language == "ja" and nation.name_ja else code
            text = font.render(name, True, c.rgb("text"))
            pointer = self.pointer(code)
            markers.append((marker_colour, (x, y), pointer))
            side = LABEL_SIDE.get(code, "right")
            if pointer is not None:
                # The name on the side away from the arrow.
                ux, uy = pointer[1]
                side = ("left" if ux > 0 else "right") if abs(ux) >= abs(uy) else ("above" if uy > 0 else "below")
            # Nor over another nation's marker ("Rest of world" ran into Kazakhstan's in Japanese).
            others = tuple(dot.move(self.rect.topleft) for other, dot in dots.items() if other != code)
            at = self._label_place(x, y, text.get_size(), side, (*covered, *others), 9 * self.s)
            box = pygame.Rect(round(at[0]), round(at[1]), *text.get_size())
            self.label_boxes[code] = box
            names.append((text, at, box))
        self.routes = {}
        self.badges, self.heads = {}, {}
        gap = max(2, round(2 * self.s))
        kept_clear = ([box.inflate(max(4, round(4 * self.s)) + 2 * gap, 2 * gap) for *_, box in names]
                      + [dot.inflate(2 * gap, 2 * gap) for dot in dots.values()])
        for flow in sorted(flows, key=lambda f: f.tonnes):
            a = self._anchor(flow.exporter)
            b = self._anchor(flow.importer)
            if a is None or b is None:
                continue
            width = max(1, round(self.s * (1.5 + 12.0 * math.sqrt(flow.tonnes / largest))))
            path = self._route(flow.exporter, flow.importer, width)
            self.routes[flow.exporter, flow.importer] = (path, width)
            # The head's tip stops just short of the importer's marker, however long the flow: two
            # points of the arc off its end left long flows (to the USA) ending mid-Pacific.
            trimmed = _cut_from_end(path, radius + max(2.0, 2 * self.s))
            style = {"open": "solid", "licensed": "dashed", "embargoed": "crossed"}[flow.state]
            styled_polyline(surface, colour[flow.state], trimmed, width, style, unit=max(3, round(4 * self.s)))
            # A head no longer than a third of its line: on the short flows from China to Korea and
            # Japan a head sized by the tonnes alone was longer than the flow, a blob over both.
            head = min(max(6.0, 4 + width * 1.6), max(6.0, _length(trimmed) / 3))
            arrow_head(surface, colour[flow.state], trimmed[-1], trimmed[-2], head)
            self.heads[flow.exporter, flow.importer] = trimmed[-1]
            if flow.state == "licensed":
                label = font.render("L", True, (0, 0, 0))
                box = self._badge_place(trimmed, label.get_rect().inflate(4, 2), kept_clear)
                if box is None:
                    continue  # no clear place on a short flow: its dashes say licensed alone
                self.badges[flow.exporter, flow.importer] = box
                kept_clear.append(box)
                pygame.draw.rect(surface, colour["licensed"], box)
                surface.blit(label, label.get_rect(center=box.center))
        # Names go on dark plates over the flows (thick arrows ran across "EU" and "USA", and a
        # one-pixel shadow did not keep them readable), and the markers over everything.
        for text, at, box in names:
            pygame.draw.rect(surface, plate, box.inflate(max(4, round(4 * self.s)), 0), border_radius=max(2, round(3 * self.s)))
            surface.blit(text, at)
        for marker_colour, (x, y), pointer in markers:
            pygame.draw.circle(surface, (0, 0, 0), (x, y), radius)
            pygame.draw.circle(surface, marker_colour, (x, y), max(3, self.s * 5))
            if pointer is not None:
                # A place out of sight: its marker is a dot as any other, where the flows start, and
                # an arrow apart from it in the text's colour, which no flow has, points to the place.
                (tip_x, tip_y), (ux, uy) = pointer
                size = self._pointer_size()
                behind = (tip_x - ux, tip_y - uy)
                arrow_head(surface, (0, 0, 0), (tip_x + ux * 2, tip_y + uy * 2), behind, size + 4)
                arrow_head(surface, c.rgb("text"), (tip_x, tip_y), behind, size)
        self.overlay = surface
        return surface

    def _badge_place(self, path: list[tuple[float, float]], size: pygame.Rect,
                     kept_clear: list[pygame.Rect]) -> pygame.Rect | None:
        """Where a licensed flow's "L" badge goes: the point of its line nearest the middle where
        it covers no nation's name or marker nor another badge, whole on the map (badges of the
        short flows from China to Korea and Japan piled on those names); None if there is none."""
        inside = pygame.Rect((0, 0), self.rect.size)
        middle = len(path) // 2
        for index in sorted(range(1, len(path) - 1), key=lambda i: (abs(i - middle), i)):
            box = size.copy()
            box.center = (round(path[index][0]), round(path[index][1]))
            if inside.contains(box) and box.collidelist(kept_clear) < 0:
                return box
        return None

    def _label_place(self, x: float, y: float, size: tuple[int, int], side: str,
                     covered: tuple[pygame.Rect, ...], gap: float) -> tuple[float, float]:
        """Where a name of ``size`` goes beside the marker at (x, y): on ``side``, or else the
        first other side where it is whole on the map and nothing covers it (Australia's name
        ran under the material buttons at 200% in Japanese)."""
        w, h = size
        places = {"right": (x + gap, y - h / 2), "left": (x - gap - w, y - h / 2),
                  "above": (x - w / 2, y - (gap - self.s * 3) - h), "below": (x - w / 2, y + gap - self.s * 2)}
        hidden = [rect.move(-self.rect.x, -self.rect.y) for rect in covered]
        inside = pygame.Rect((0, 0), self.rect.size)
        # Each side in turn, then the same sides a little lower or higher (a name on the map's
        # edge has one side only).
        for shift in (0.0, 0.25, -0.25, 0.5, -0.5, 0.75, -0.75, 1.0, -1.0):
            for option in (side, *(other for other in places if other != side)):
                left, top = places[option][0], places[option][1] + shift * h
                box = pygame.Rect(round(left), round(top), w + 1, h + 1)
                if inside.contains(box) and box.collidelist(hidden) < 0:
                    return left, top
        return places[side]

    def _route(self, exporter: str, importer: str, width: int) -> list[tuple[float, float]]:
        """The line of a flow: the gentlest arc that keeps clear of every other nation's marker,
        else the clearest. A flow from China to the USA ran across Japan's dot, and Japan looked
        as if it sold on what it never exported. Every arc bows to the same side of its way, so
        the flows both ways between two nations stay apart."""
        a, b = self._anchor(exporter), self._anchor(importer)
        others = [self.position(code)[:2] for code in self.nations if code not in (exporter, importer)]
        clear = self._dot_radius() + width / 2 + max(2.0, 2 * self.s)
        inside = pygame.Rect((0, 0), self.rect.size)
        best, best_gap = None, -math.inf
        for bend in FLOW_BENDS:
            path = curve(a, b, bend)
            if best is not None and not all(inside.collidepoint(point) for point in path):
                continue  # a wider arc than the first that leaves the map is no way round
            gap = min((_distance_to_line(point, path) for point in others), default=math.inf)
            if gap >= clear:
                return path
            if gap > best_gap:
                best, best_gap = path, gap
        return best

    def _anchor(self, code: str) -> tuple[float, float] | None:
        if code not in self.nations:
            return None
        x, y, _ = self.position(code)
        return x, y

    def nation_at(self, pos: tuple[int, int]) -> str | None:
        """The nation whose marker is under a point of the window, if any."""
        reach = max(10, self.s * 12)
        for code in self.nations:
            x, y, _ = self.position(code)
            if math.hypot(pos[0] - self.rect.x - x, pos[1] - self.rect.y - y) <= reach:
                return code
        return None

    def draw(self, surface: pygame.Surface) -> None:
        surface.blit(self.base, self.rect)
        if self.overlay is not None:
            surface.blit(self.overlay, self.rect)


def _length(line: list[tuple[float, float]]) -> float:
    return sum(math.hypot(bx - ax, by - ay) for (ax, ay), (bx, by) in zip(line, line[1:]))


def _cut_from_end(line: list[tuple[float, float]], distance: float) -> list[tuple[float, float]]:
    """``line`` shortened by ``distance`` along it at its end (at least its first two points)."""
    left = distance
    points = list(line)
    while len(points) > 2:
        (ax, ay), (bx, by) = points[-2], points[-1]
        piece = math.hypot(bx - ax, by - ay)
        if piece > left:
            share = (piece - left) / piece
            points[-1] = (ax + (bx - ax) * share, ay + (by - ay) * share)
            return points
        left -= piece
        points.pop()
    return points


def _distance_to_line(point: tuple[float, float], line: list[tuple[float, float]]) -> float:
    """How far a point lies from the nearest part of a line of straight pieces."""
    px, py = point
    nearest = math.inf
    for (ax, ay), (bx, by) in zip(line, line[1:]):
        dx, dy = bx - ax, by - ay
        length2 = dx * dx + dy * dy
        t = 0.0 if length2 == 0 else min(max(((px - ax) * dx + (py - ay) * dy) / length2, 0.0), 1.0)
        nearest = min(nearest, math.hypot(px - ax - t * dx, py - ay - t * dy))
    return nearest
