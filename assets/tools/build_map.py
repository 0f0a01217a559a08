"""Build assets/map/countries.json, a small world map of country outlines, from Natural Earth.

The source is Natural Earth's Admin 0 countries at 1:110m (public domain) as bundled in the
geopandas 0.14.4 wheel under geopandas/datasets/naturalearth_lowres/. Fetch it once with

    pip download geopandas==0.14.4 --no-deps -d SOMEDIR

and run, from the repository root,

    python assets/tools/build_map.py SOMEDIR/geopandas-0.14.4-py3-none-any.whl

SOURCE may be that wheel, the unzipped folder holding naturalearth_lowres.shp, or the .shp file.
The script reads the shapefile with its own small parser (standard library only), does no network
access and writes deterministic output, so rerunning it on the same source gives the same file.

Each country's rings are simplified with Douglas-Peucker (a border shared by two countries is
simplified once, so neighbours still meet), tiny islands and collapsed rings are
dropped (never Japan's, never a country's largest ring), holes are dropped, and coordinates are
rounded to 2 decimals. Rings are closed: the last point repeats the first. Countries are listed
largest first, so drawing them in file order keeps enclaves visible.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import struct
import sys
import zipfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO_ROOT / "assets" / "map" / "countries.json"
BASENAME = "naturalearth_lowres"
WHEEL_DIR = "geopandas/datasets/naturalearth_lowres/"

TOLERANCE = 0.25  # degrees: keeps coastlines recognisable at a full-window world view
JAPAN_TOLERANCE = 0.05  # degrees: the player's country is drawn large, and costs few points
MIN_ISLAND_AREA = 0.3  # square degrees: smaller islands are invisible at game zoom levels
DECIMALS = 2  # about 1 km: far below a pixel at any zoom the game uses
KEEP_ALL_RINGS = {"JPN"}  # the player's islands stay, however small

# Natural Earth marks some countries' ISO_A3 as -99 (disputed or unassigned codes). geopandas
# 0.14.4 already patched France and Norway from ADM0_A3; older copies did not, so keep them here.
ISO3_FALLBACK = {
    "France": "FRA",
    "Norway": "NOR",
    "Kosovo": "XKX",  # the user-assigned code the EU and IMF use; Natural Earth's ADM0_A3 is KOS
    "N. Cyprus": "CYN",  # Natural Earth's own ADM0_A3 codes for places without an ISO code
    "Somaliland": "SOL",
}

SOURCE_TEXT = (
    "Natural Earth Admin 0 - Countries, 1:110m (ne_110m_admin_0_countries), as bundled in "
    "geopandas 0.14.4 (geopandas/datasets/naturalearth_lowres); simplified by "
    "assets/tools/build_map.py"
)
LICENCE_TEXT = (
    "Public domain. Made with Natural Earth. Free vector and raster map data @ "
    "naturalearthdata.com. See assets/map/LICENSE.txt."
)


# --- reading the shapefile ---------------------------------------------------------------


def read_source(source: Path) -> tuple[bytes, bytes, str]:
    """The .shp bytes, the .dbf bytes and the text encoding, from a wheel, folder or .shp."""
    if source.suffix in (".whl", ".zip"):
        with zipfile.ZipFile(source) as zf:
            names = set(zf.namelist())
            prefix = WHEEL_DIR if WHEEL_DIR + BASENAME + ".shp" in names else ""
            if prefix + BASENAME + ".shp" not in names:
                sys.exit(f"{source}: no {WHEEL_DIR}{BASENAME}.shp inside")
            cpg = prefix + BASENAME + ".cpg"
            encoding = zf.read(cpg).decode("ascii").strip() if cpg in names else "latin-1"
            return zf.read(prefix + BASENAME + ".shp"), zf.read(prefix + BASENAME + ".dbf"), encoding
    shp = source / (BASENAME + ".shp") if source.is_dir() else source
    if not shp.is_file():
        sys.exit(f"{shp}: not found")
    cpg = shp.with_suffix(".cpg")
    encoding = cpg.read_text("ascii").strip() if cpg.is_file() else "latin-1"
    return shp.read_bytes(), shp.with_suffix(".dbf").read_bytes(), encoding


def read_shapes(data: bytes) -> list[list[list[tuple[float, float]]]]:
    """Each record's rings from a polygon shapefile (ESRI whitepaper, shape type 5)."""
    file_length = struct.unpack(">i", data[24:28])[0] * 2  # lengths are in 16-bit words
    shapes = []
    pos = 100  # the main file header is 100 bytes
    while pos < file_length:
        _number, length = struct.unpack(">2i", data[pos : pos + 8])
        content = memoryview(data)[pos + 8 : pos + 8 + length * 2]
        pos += 8 + length * 2
        shape_type = struct.unpack("<i", content[:4])[0]
        if shape_type == 0:  # a null shape: a record without geometry
            shapes.append([])
            continue
        if shape_type != 5:
            sys.exit(f"shape type {shape_type} is not a polygon")
        num_parts, num_points = struct.unpack("<2i", content[36:44])
        parts = list(struct.unpack(f"<{num_parts}i", content[44 : 44 + 4 * num_parts]))
        start = 44 + 4 * num_parts
        coords = struct.unpack(f"<{2 * num_points}d", content[start : start + 16 * num_points])
        points = list(zip(coords[0::2], coords[1::2]))
        bounds = parts + [num_points]
        shapes.append([points[a:b] for a, b in itertools.pairwise(bounds)])
    return shapes


def read_records(data: bytes, encoding: str) -> list[dict[str, str]]:
    """The attribute table of a dBASE III file, every value as stripped text."""
    num_records, header_len, record_len = struct.unpack("<I2H", data[4:12])
    fields = []
    pos = 32
    while data[pos] != 0x0D:  # the field descriptors end with a carriage return
        name = data[pos : pos + 11].split(b"\0", 1)[0].decode("ascii")
        fields.append((name.lower(), data[pos + 16]))
        pos += 32
    records = []
    for i in range(num_records):
        row = data[header_len + i * record_len : header_len + (i + 1) * record_len]
        if row[:1] == b"*":  # a deleted record
            continue
        offset = 1
        record = {}
        for name, size in fields:
            record[name] = row[offset : offset + size].decode(encoding).strip()
            offset += size
        records.append(record)
    return records


# --- geometry ------------------------------------------------------------------------------


def signed_area(ring: list[tuple[float, float]]) -> float:
    """Shoelace area in square degrees; negative for clockwise rings (shapefile outer rings)."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1])) / 2


def _distance(p, a, b) -> float:
    """Distance from p to the segment a-b (to a itself when a == b, as for a closed ring)."""
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    if dx == 0 and dy == 0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def douglas_peucker(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker simplification keeping both end points; iterative, so no recursion limit."""
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, -1
        for i in range(first + 1, last):
            d = _distance(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if index >= 0 and best > tolerance:
            keep[index] = True
            stack.extend([(first, index), (index, last)])
    return [p for p, k in zip(points, keep) if k]


def round_ring(points: list[tuple[float, float]]) -> list[list[float]]:
    """Rounded, clamped, closed, without repeated consecutive points."""
    out: list[list[float]] = []
    for lon, lat in points:
        # round() leaves -0.0 for small negatives; + 0.0 turns it into 0.0 for tidy JSON
        point = [
            round(min(180.0, max(-180.0, lon)), DECIMALS) + 0.0,
            round(min(90.0, max(-90.0, lat)), DECIMALS) + 0.0,
        ]
        if not out or point != out[-1]:
            out.append(point)
    if out[0] != out[-1]:
        out.append(list(out[0]))
    return out


class Simplifier:
    """Douglas-Peucker that simplifies a border shared by two countries the same way for both.

    Natural Earth's neighbours share exact vertices. A vertex is a node where the set of
    countries using it changes (a border meets the coast or a third country); each stretch
    between nodes is simplified once, in a canonical direction, so neighbours keep one common
    border instead of slivers and gaps of up to the tolerance.
    """

    def __init__(self, owners: dict[tuple[float, float], frozenset[str]]):
        self.owners = owners
        self.cache: dict[tuple, list[tuple[float, float]]] = {}

    def arc(self, points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
        forward = tuple(points)
        backward = forward[::-1]
        key = (min(forward, backward), tolerance)
        if key not in self.cache:
            self.cache[key] = douglas_peucker(list(key[0]), tolerance)
        result = self.cache[key]
        return list(result) if key[0] == forward else result[::-1]

    def ring(self, ring: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
        if ring[0] == ring[-1]:
            ring = ring[:-1]
        n = len(ring)
        sets = [self.owners[p] for p in ring]
        nodes = [i for i in range(n) if len(sets[i]) > 2 or sets[i] != sets[i - 1] or sets[i] != sets[(i + 1) % n]]
        if not nodes:  # an island, or a country bordering only one other all round
            return douglas_peucker(ring + [ring[0]], tolerance)
        out = [ring[nodes[0]]]
        for a, b in zip(nodes, nodes[1:] + [nodes[0] + n]):
            stretch = [ring[i % n] for i in range(a, b + 1)]
            out.extend(self.arc(stretch, tolerance)[1:])
        return out


def country_rings(iso3: str, rings: list[list[tuple[float, float]]], simplifier: Simplifier) -> list[list[list[float]]]:
    """The outer rings worth drawing for one country, largest first."""
    # Holes (counter-clockwise rings) are dropped: the only one at 1:110m is Lesotho inside
    # South Africa, and Lesotho, drawn after it (see build), covers that part.
    outers = sorted((r for r in rings if signed_area(r) < 0), key=signed_area)
    keep_all = iso3 in KEEP_ALL_RINGS
    tolerance = JAPAN_TOLERANCE if keep_all else TOLERANCE
    result = []
    for index, ring in enumerate(outers):
        largest = index == 0
        if not (keep_all or largest) and abs(signed_area(ring)) < MIN_ISLAND_AREA:
            continue
        tol = tolerance
        cleaned = round_ring(simplifier.ring(ring, tol))
        # The largest ring (and any of Japan's) must survive: simplify more gently until it does.
        while len(cleaned) < 4 and (keep_all or largest) and tol > 1e-4:
            tol /= 2
            cleaned = round_ring(simplifier.ring(ring, tol))
        if len(cleaned) >= 4:
            result.append(cleaned)
    return result


# --- the whole map -------------------------------------------------------------------------


def build(source: Path) -> dict:
    shp, dbf, encoding = read_source(source)
    shapes = read_shapes(shp)
    records = read_records(dbf, encoding)
    if len(shapes) != len(records):
        sys.exit(f"{len(shapes)} shapes but {len(records)} attribute records")
    owners: dict[tuple[float, float], set[str]] = {}
    for record, rings in zip(records, shapes):
        for ring in rings:
            for point in ring:
                owners.setdefault(point, set()).add(record["name"])
    simplifier = Simplifier({p: frozenset(names) for p, names in owners.items()})
    countries = []
    for record, rings in zip(records, shapes):
        name = record["name"]
        iso3 = record.get("iso_a3", "")
        if len(iso3) != 3 or not iso3.isalpha():
            if name not in ISO3_FALLBACK:
                sys.exit(f"{name!r} has ISO_A3 {iso3!r}: add a code to ISO3_FALLBACK")
            iso3 = ISO3_FALLBACK[name]
        polygons = country_rings(iso3, rings, simplifier)
        if not polygons:
            sys.exit(f"{name} ({iso3}) lost every ring")
        countries.append({"iso3": iso3, "name": name, "polygons": polygons})
    codes = [c["iso3"] for c in countries]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        sys.exit(f"duplicate ISO3 codes: {duplicates}")
    # Largest first, so drawing in file order paints enclaves (Lesotho) over their surroundings.
    countries.sort(key=lambda c: (-sum(abs(signed_area(r)) for r in c["polygons"]), c["iso3"]))
    return {
        "source": SOURCE_TEXT,
        "licence": LICENCE_TEXT,
        "simplification": {
            "douglas_peucker_degrees": TOLERANCE,
            "japan_douglas_peucker_degrees": JAPAN_TOLERANCE,
            "min_island_square_degrees": MIN_ISLAND_AREA,
            "decimals": DECIMALS,
            "rings": "outer rings only, closed (last point = first), as [lon, lat]",
            "order": "largest country first: draw in file order so enclaves stay visible",
        },
        "countries": countries,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", type=Path, help="geopandas-0.14.4 wheel, its naturalearth_lowres folder, or the .shp")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUT, help=f"output JSON (default: {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    world = build(args.source)
    # One country per line: compact, yet a diff shows which countries changed.
    lines = ",\n".join(json.dumps(c, ensure_ascii=False, separators=(",", ":")) for c in world["countries"])
    head = {k: v for k, v in world.items() if k != "countries"}
    text = json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1] + ',"countries":[\n' + lines + "\n]}\n"
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    rings = sum(len(c["polygons"]) for c in world["countries"])
    points = sum(len(r) for c in world["countries"] for r in c["polygons"])
    print(f"{args.output}: {len(world['countries'])} countries, {rings} rings, {points} points, "
          f"{args.output.stat().st_size / 1024:.1f} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
