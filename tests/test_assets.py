"""The bundled assets: the world map, the Japanese font subsets and their licences.

If a font test fails, levels or assets/strings gained characters the subset lacks: rerun
``python assets/tools/subset_font.py`` (see assets/fonts/README.md).
"""

from __future__ import annotations

import json
import os
import unicodedata
from functools import cache
from pathlib import Path

import pytest
import tomli  # not tomllib: the levels use TOML 1.1 (inline tables over several lines), as the game does

# Set before pygame is imported: no window or sound device is ever opened.
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame

from game.font_coverage import game_font_cannot_draw, lacking_glyphs  # noqa: E402

#: A private-use code point the font subsets map to nothing: what a missing glyph looks like.
NO_GLYPH = "\U0010fffd"


def undrawable(text: str, font: pygame.font.Font) -> str:
    """The characters of ``text`` that pygame draws as the .notdef box in ``font``, each once:
    pygame-ce gives a missing glyph the box's metrics rather than None, so a glyph with the box's
    metrics is missing if it also draws the box's pixels. (What draws nothing alone, pygame cannot
    render: "Text has zero width".)"""
    box_metrics = font.metrics(NO_GLYPH)[0]
    box_pixels = pygame.image.tobytes(font.render(NO_GLYPH, True, (0, 0, 0), (255, 255, 255)), "RGB")
    missing = ""
    for char in dict.fromkeys(text):
        if char.isspace() or font.metrics(char)[0] not in (None, box_metrics):
            continue
        try:
            drawn = pygame.image.tobytes(font.render(char, True, (0, 0, 0), (255, 255, 255)), "RGB")
        except pygame.error:
            continue
        if font.metrics(char)[0] is None or drawn == box_pixels:
            missing += char
    return missing

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"
MAP = ASSETS / "map" / "countries.json"
FONTS = {
    "Regular": ASSETS / "fonts" / "NotoSansJP-Subset-Regular.otf",
    "Bold": ASSETS / "fonts" / "NotoSansJP-Subset-Bold.otf",
}
GAME_COUNTRIES = ["JPN", "CHN", "AUS", "USA", "MYS", "VNM", "IND", "KAZ", "MMR", "KOR"]


# --- the map -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world() -> dict:
    return json.loads(MAP.read_text(encoding="utf-8"))


def test_map_has_every_country_the_game_uses(world):
    codes = [c["iso3"] for c in world["countries"]]
    assert len(codes) == len(set(codes)), "duplicate ISO3 codes"
    assert set(GAME_COUNTRIES) <= set(codes), sorted(set(GAME_COUNTRIES) - set(codes))
    assert all(len(code) == 3 and code.isupper() for code in codes)
    assert all(c["name"] and c["polygons"] for c in world["countries"])


def test_every_ring_is_a_drawable_polygon_in_range(world):
    for country in world["countries"]:
        for ring in country["polygons"]:
            assert len(ring) >= 4, f"{country['iso3']}: a ring of {len(ring)} points"
            for lon, lat in ring:
                assert -180 <= lon <= 180 and -90 <= lat <= 90, (country["iso3"], lon, lat)


def test_japan_outline_surrounds_tokyo(world):
    japan = next(c for c in world["countries"] if c["iso3"] == "JPN")
    lons = [lon for ring in japan["polygons"] for lon, _ in ring]
    lats = [lat for ring in japan["polygons"] for _, lat in ring]
    assert 129 <= min(lons) <= 139.7 <= max(lons) <= 146
    assert 30 <= min(lats) <= 35.7 <= max(lats) <= 46
    assert len(japan["polygons"]) >= 3  # Honshu with Kyushu, Hokkaido, Shikoku at 1:110m


def test_map_says_where_it_came_from(world):
    assert "Natural Earth" in world["source"]
    assert "public domain" in world["licence"].lower()


# --- the fonts -----------------------------------------------------------------------------


def _strings(value):
    """Every string in a parsed TOML document, keys included (a table may be keyed by text)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def text_files() -> list[Path]:
    return sorted((ROOT / "levels").glob("**/*.toml")) + sorted((ASSETS / "strings").glob("*.toml"))


@cache  # parsing every level takes about a second; the tests share one reading
def shown_characters() -> dict[str, str]:
    """Each character the game may draw from levels and string tables, with a file using it."""
    found: dict[str, str] = {}
    for path in text_files():
        with path.open("rb") as f:
            document = tomli.load(f)
        for text in _strings(document):
            for char in text:
                # Newlines and tabs are layout, never drawn.
                if unicodedata.category(char) != "Cc":
                    found.setdefault(char, path.relative_to(ROOT).as_posix())
    return found


def describe(missing: dict[str, str]) -> str:
    return ", ".join(f"{c!r} U+{ord(c):04X} ({where})" for c, where in sorted(missing.items())) + (
        " - rerun python assets/tools/subset_font.py"
    )


def test_levels_have_japanese_text_to_check():
    chars = shown_characters()
    assert any(unicodedata.name(c, "").startswith("CJK UNIFIED") for c in chars)
    assert any("HIRAGANA" in unicodedata.name(c, "") for c in chars)


@pytest.mark.parametrize("weight", sorted(FONTS))
def test_font_cmap_has_every_character_the_levels_show(weight):
    ttLib = pytest.importorskip("fontTools.ttLib")
    font = ttLib.TTFont(str(FONTS[weight]), lazy=True)
    cmap = font.getBestCmap()
    font.close()
    missing = {c: where for c, where in shown_characters().items() if ord(c) not in cmap}
    assert not missing, describe(missing)


@pytest.fixture(scope="module")
def pygame_font():
    pygame.font.init()
    yield lambda weight: pygame.font.Font(str(FONTS[weight]), 16)
    pygame.font.quit()


@pytest.mark.parametrize("weight", sorted(FONTS))
def test_pygame_renders_every_character_the_levels_show(weight, pygame_font):
    font = pygame_font(weight)
    # a private-use code point no font subset maps (drawn as the .notdef box), and real glyphs
    assert undrawable("\U0010fffd日アA", font) == "\U0010fffd"
    missing = {c: where for c, where in shown_characters().items() if undrawable(c, font)}
    assert not missing, describe(missing)
    # What draws nothing is no box (pygame cannot render it alone: "Text has zero width").
    assert undrawable("\u263a\ufe0f\u200b\u200d\ufeff\U000e0100", font) == "\u263a"


@pytest.mark.parametrize("weight", sorted(FONTS))
def test_the_character_map_read_for_team_names_is_the_fonts_own_and_agrees_with_pygame(weight, pygame_font):
    """Team names are checked against the fonts' character maps, read without pygame (a server
    checks them in its own thread): the map is fontTools' own, and it finds the boxes pygame draws."""
    ttLib = pytest.importorskip("fontTools.ttLib")
    font = ttLib.TTFont(str(FONTS[weight]), lazy=True)
    cmap = set(font.getBestCmap())
    font.close()
    probe = "".join(map(chr, range(0x20, 0x3000))) + "".join(map(chr, range(0x4E00, 0x9FFF, 7)))
    assert {ord(char) for char in probe} - {ord(char) for char in lacking_glyphs(probe, [FONTS[weight]])} \
        == {ord(char) for char in probe} & cmap | {ord(char) for char in probe if char not in "\u1680\u180f" and (
                                                   char.isspace() or unicodedata.category(char) == "Cf"
                                                   or "VARIATION SELECTOR" in unicodedata.name(char, ""))}
    names = ["😀 Smileys", "Rocket🚀", "עברית", "مرحبا", "❤️", "日本チーム", "鬱", "a\u200db", "ÆØÅ", "Ω"]
    for name in names:
        assert lacking_glyphs(name, [FONTS[weight]]) == undrawable(name, pygame_font(weight)), name
    # A combining mark the font lacks draws a box beside its letter; pygame cannot say so alone.
    assert game_font_cannot_draw("Z\u0336a") == "\u0336"


@pytest.mark.parametrize("weight", sorted(FONTS))
def test_pygame_renders_a_mixed_line_with_kanji(weight, pygame_font):
    font = pygame_font(weight)
    surface = font.render("レアアース 日本 NdPr US$168/kg ★", True, (0, 0, 0))
    assert surface.get_width() > 0 and surface.get_height() > 0
    assert font.size("日")[0] > 0


# --- licences and size ---------------------------------------------------------------------


@pytest.mark.parametrize("folder", ["map", "fonts"])
def test_each_asset_folder_has_a_licence(folder):
    licence = ASSETS / folder / "LICENSE.txt"
    assert licence.is_file() and licence.stat().st_size > 0


def test_licences_name_their_terms():
    assert "Natural Earth" in (ASSETS / "map" / "LICENSE.txt").read_text(encoding="utf-8")
    fonts = (ASSETS / "fonts" / "LICENSE.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in fonts and "Copyright" in fonts


def test_assets_stay_small():
    assert MAP.stat().st_size < 250 * 1024
    total = sum(p.stat().st_size for folder in ("map", "fonts") for p in (ASSETS / folder).iterdir())
    # The fonts hold all of JIS X 0208 (about 1.5 MB a weight), so a Japanese author's level and a
    # class's team names draw whole: with the game's own words alone, everyday kanji were boxes.
    assert total < 4 * 1024 * 1024


def test_everyday_japanese_draws_and_what_the_font_lacks_is_refused_in_a_level(tmp_path):
    """A Japanese author's briefing with 桜, 亀 or 誤 passed validation and drew boxes (the font
    held the game's own words only); what no font of the game has is refused, naming it."""
    import shutil

    from game.scenario import ScenarioError, levels_dir, load_level

    assert game_font_cannot_draw("桜組と亀の峠、誤りを正す龍 α β Ж 𠮟塡剝頰 山﨑組 髙𠮷 ①Ⅱ㈱㎡ ♡∥") == ""
    # Drawn as boxes, though one is a space and the other a selector (they were let through).
    assert game_font_cannot_draw("a\u1680b\u180fc\u180ed\ufe0f") == "\u1680\u180f"
    text = (levels_dir() / "2010-trawler.toml").read_text(encoding="utf-8")
    shutil.copyfile(levels_dir() / "world-2010.toml", tmp_path / "world-2010.toml")
    level = tmp_path / "own.toml"
    level.write_text(text.replace('id = "2010-trawler"', 'id = "own-level"').replace(
        'ja = "漁船衝突事件"', 'ja = "桜組の試練 🐟"'), encoding="utf-8")
    with pytest.raises(ScenarioError) as refused:
        load_level(level)
    assert [str(p).split(": ", 1)[1] for p in refused.value.problems] == [
        "title.ja: the game's font cannot draw '🐟' (U+1F41F): the window would show boxes; use other characters"]



def test_the_characters_fonts_draw_are_the_code_points_every_ones_ranges_hold(monkeypatch):
    """On random character maps (merged, sorted ranges, as ``_covered`` reads them) and the game's
    own: a code point of the first font's ranges is drawn when every other font's ranges hold it."""
    import bisect
    import random

    from game import font_coverage

    def holds(ranges, code):
        k = bisect.bisect_right([first for first, _ in ranges], code)
        return k > 0 and code <= ranges[k - 1][1]

    def random_ranges(rng):
        bounds = sorted(rng.sample(range(0x3000), 2 * rng.randrange(1, 40)))
        return tuple((bounds[k], bounds[k + 1]) for k in range(0, len(bounds), 2))

    rng = random.Random(7)
    cases = [tuple(random_ranges(rng) for _ in range(rng.randrange(1, 4))) for _ in range(60)]
    cases.append(tuple(font_coverage._covered(FONTS[weight]) for weight in ("Regular", "Bold")))
    for maps in cases:
        monkeypatch.setattr(font_coverage, "_covered", dict(zip(range(len(maps)), maps)).__getitem__)
        expected = frozenset(chr(code) for first, last in maps[0] for code in range(first, last + 1)
                             if all(holds(ranges, code) for ranges in maps[1:]))
        assert font_coverage._drawn_by_all.__wrapped__(tuple(range(len(maps)))) == expected
