"""Which characters the game's font files have a glyph for, read from their character maps.

A team's name the font would draw as boxes (emoji, kanji outside its subset) is refused where it
is typed. The fonts' ``cmap`` tables are read here with the standard library alone (the OpenType
formats 4 and 12, which Unicode fonts use), not by asking pygame: a workshop server checks names
in its own thread, beside the facilitator's window, and SDL's font library belongs to the thread
that draws. Asking pygame also missed combining marks, which it cannot render alone, and then
draws as boxes beside the letter they follow.
"""

from __future__ import annotations

import struct
import unicodedata
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from game.asset_paths import FONT_BOLD, FONT_REGULAR

#: (platform, encoding) of the Unicode character maps, the fullest first.
_UNICODE_MAPS = ((3, 10), (0, 4), (0, 6), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0))


def game_font_cannot_draw(text: str) -> str:
    """The characters of ``text`` the game's font would draw as boxes in either weight, each once."""
    return _lacking(text, _drawn_by_all((FONT_REGULAR, FONT_BOLD)))


def lacking_glyphs(text: str, font_files: Iterable[Path]) -> str:
    """The characters of ``text`` one of ``font_files`` has no glyph for (it would draw each as a
    box), each once, in order. Spaces, and characters that draw nothing (a variation selector,
    a zero-width joiner), are no box.

    Raises:
        OSError: a font file cannot be read. ValueError: it is not an OpenType font with a
            Unicode character map.
    """
    return _lacking(text, _drawn_by_all(tuple(Path(path) for path in font_files)))


def _lacking(text: str, drawn: frozenset[str]) -> str:
    if drawn.issuperset(text):  # nearly every text: a set's check, in C (a level's every string is asked)
        return ""
    return "".join(char for char in dict.fromkeys(text) if char not in drawn and not _draws_nothing(char))


@cache
def _drawn_by_all(paths: tuple[Path, ...]) -> frozenset[str]:
    """The characters every one of the font files has a glyph for (a few thousand). Their code
    points are intersected as sets: a search of the other fonts' ranges for each code point of
    the first cost every process that reads a level 20 ms."""
    codes = [_code_points(path) for path in paths]
    return frozenset(map(chr, codes[0].intersection(*codes[1:])))


def _code_points(path: Path) -> set[int]:
    points: set[int] = set()
    for first, last in _covered(path):
        points.update(range(first, last + 1))
    return points


#: Spaces and selectors that pygame draws as boxes all the same: the Ogham space mark is a
#: visible dash, and Mongolian's fourth free variation selector (added in Unicode 14) is one
#: FreeType does not know to draw as nothing.
_DRAWN_AS_BOXES = frozenset("\u1680\u180f")


def _draws_nothing(char: str) -> bool:
    if char in _DRAWN_AS_BOXES:
        return False
    return char.isspace() or unicodedata.category(char) == "Cf" or "VARIATION SELECTOR" in unicodedata.name(char, "")


@cache
def _covered(path: Path) -> tuple[tuple[int, int], ...]:
    """The code points ``path`` maps to a glyph, as sorted, merged (first, last) ranges."""
    try:
        cmap = _table(path, b"cmap")
        subtables = {}
        for k in range(struct.unpack_from(">H", cmap, 2)[0]):
            platform, encoding, offset = struct.unpack_from(">HHI", cmap, 4 + 8 * k)
            subtables.setdefault((platform, encoding), cmap[offset:])
        chosen = next(subtables[key] for key in _UNICODE_MAPS if key in subtables and
                      struct.unpack_from(">H", subtables[key])[0] in (4, 12))
        ranges = _format_12(chosen) if struct.unpack_from(">H", chosen)[0] == 12 else _format_4(chosen)
    except (struct.error, StopIteration, KeyError):
        raise ValueError(f"{path.name}: not an OpenType font with a Unicode character map") from None
    merged: list[list[int]] = []
    for first, last in sorted(ranges):
        if merged and first <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    return tuple((first, last) for first, last in merged)


def _table(path: Path, tag: bytes) -> bytes:
    """One table of a font file, read alone: the level reader asks at every start, and reading
    both fonts whole (1.6 MB each) cost a headless run 50 ms."""
    with path.open("rb") as font:
        head = font.read(12)
        directory = font.read(16 * struct.unpack_from(">H", head, 4)[0])
        for k in range(len(directory) // 16):
            found, _, offset, length = struct.unpack_from(">4sIII", directory, 16 * k)
            if found == tag:
                font.seek(offset)
                return font.read(length)
    raise KeyError(tag)


def _format_12(table: bytes) -> list[tuple[int, int]]:
    groups = struct.unpack_from(">I", table, 12)[0]
    found = []
    for k in range(groups):
        first, last, glyph = struct.unpack_from(">III", table, 16 + 12 * k)
        found.append((first + (glyph == 0), last))  # glyph 0 is the box itself
    return [(first, last) for first, last in found if first <= last]


def _format_4(table: bytes) -> list[tuple[int, int]]:
    segments = struct.unpack_from(">H", table, 6)[0] // 2
    ends = struct.unpack_from(f">{segments}H", table, 14)
    starts = struct.unpack_from(f">{segments}H", table, 16 + 2 * segments)
    deltas = struct.unpack_from(f">{segments}h", table, 16 + 4 * segments)
    range_offsets_at = 16 + 6 * segments
    range_offsets = struct.unpack_from(f">{segments}H", table, range_offsets_at)
    found = []
    for k, (first, last, delta, range_offset) in enumerate(zip(starts, ends, deltas, range_offsets)):
        if first == 0xFFFF:
            continue  # the table's closing segment
        for code in range(first, last + 1):
            if range_offset == 0:
                glyph = (code + delta) & 0xFFFF
            else:  # idRangeOffset counts from its own place in the table
                at = range_offsets_at + 2 * k + range_offset + 2 * (code - first)
                glyph = struct.unpack_from(">H", table, at)[0]
                glyph = (glyph + delta) & 0xFFFF if glyph else 0
            if glyph:
                found.append((code, code))
    return found
