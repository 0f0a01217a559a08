"""A random walk through the window on a level whose texts are valid but awkward.

The level is 2010-trawler, and its world, with every one-line text (titles, headlines, names of
nations and firms) replaced in turn by format fields, markup, a 300-letter word, Greek and
Cyrillic, half-width kana, symbols, ideographic spaces, a letter and its accent typed apart and
escaped-looking backslashes: all of it passes ``levels validate``, so none of it may stop the
window. (Right-to-left text, stacked combining marks and emoji are refused by the validator now,
as the font cannot draw them; a team name with them is refused at the door.) The walk clicks enabled buttons
and presses keys at random, at 100% in English and at 200% in Japanese (the driver feeds back
what the widgets post, as the window's loop does); a seeded walk is the same walk every time.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pygame
import pytest

from game.scenario import levels_dir, load_level
from game.ui.app import open_app
from game.ui.driver import click_at, press
from game.ui.storage import Settings

AWKWARD = [
    "{firm} {0} %s %(x)s {{}}",
    "<b>bold</b> <font size=9>x</font> &amp; &lt; <br> <a href='x'>l</a>",
    "W" * 300,
    "Ωμεγα Привет мир ЖЖЖ",
    "ｶﾀｶﾅ ｈａｌｆ　ｗｉｄｔｈ",
    "★☆※ magnets →← ■□",
    "漁船\u3000衝突\u3000事件",
    "a\u0301 cafe\u0301",
    # pygame_gui's line breaker failed on a word wider than a box followed by marks
    "W" * 120 + " approves Ωμεγα\u3000ЖЖЖ",
    "\\n not a break \\t",
]
KEYS = [pygame.K_TAB, pygame.K_SPACE, pygame.K_RETURN, pygame.K_ESCAPE, pygame.K_LEFT, pygame.K_RIGHT,
        pygame.K_UP, pygame.K_DOWN, pygame.K_1, pygame.K_2, pygame.K_3, pygame.K_h, pygame.K_F1,
        pygame.K_PAGEDOWN, pygame.K_e, pygame.K_s, pygame.K_n, pygame.K_m]
QUIT = ("Quit", "終了")


def _awkward(text: str, keys: tuple[str, ...], start: int) -> str:
    """``text`` (a level or world file) with its one-line strings under ``keys`` made awkward."""
    turn = [start]

    def replace(match: re.Match) -> str:
        turn[0] += 1
        value = AWKWARD[turn[0] % len(AWKWARD)].replace("\\", "\\\\").replace('"', '\\"')
        return f'{match.group(1)}"{value}"'

    for key in keys:
        text = re.sub(r'^(' + key + r'\s*=\s*)"(?!"")[^"\n]*"[ \t]*$', replace, text, flags=re.M)
    return text


@pytest.fixture(scope="module")
def awkward_level(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("awkward")
    level = _awkward((levels_dir() / "2010-trawler.toml").read_text(encoding="utf-8"),
                     ("headline", "en", "ja"), 0)
    level = re.sub(r'^id = "2010-trawler"', 'id = "awkward-trawler"', level, count=1, flags=re.M)
    level = re.sub(r'^world = "world-2010"', 'world = "awkward-world"', level, count=1, flags=re.M)
    world = _awkward((levels_dir() / "world-2010.toml").read_text(encoding="utf-8"), ("name", "name_ja"), 3)
    world = re.sub(r'^id = "world-2010"', 'id = "awkward-world"', world, count=1, flags=re.M)
    (folder / "awkward-world.toml").write_text(world, encoding="utf-8")
    path = folder / "awkward-trawler.toml"
    path.write_text(level, encoding="utf-8")
    scenario = load_level(path)  # it is valid: the window must take whatever passes
    assert any("W" * 300 in firm.name for firm in scenario.world.firms)
    return path


@pytest.mark.parametrize(("scale", "language", "seed"), [(1.0, "en", 2), (2.0, "ja", 3)])
def test_a_random_walk_on_an_awkward_level_never_stops_the_window(awkward_level, tmp_path, monkeypatch,
                                                                  scale, language, seed):
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    size = (1280, 720) if scale == 1.0 else (2560, 1440)
    app = open_app(size=size, level=str(awkward_level), seed=seed,
                   settings=Settings(sound=False, scale=scale, language=language))
    rng = random.Random(seed)
    try:
        app.frame([])
        for _ in range(200):
            live = [f.element for f in app.top.focusables
                    if f.element.is_enabled and f.element.visible and f.element.text not in QUIT]
            if live and rng.random() < 0.6:
                click_at(app, rng.choice(live).get_abs_rect().center)
            else:
                press(app, rng.choice(KEYS))
        assert app.top is not None
    finally:
        if app.game is not None:
            app.game.close()
