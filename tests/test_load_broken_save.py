"""A save that cannot be read, on the Load screen: its row's tip said only the file's name the
row gave already, not why; and the Japanese refusal said "cannot be read" twice
(「読み込めません：読み込めないセーブです」). Driven on the dummy video driver."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pytest

from game.ui.app import open_app
from game.ui.storage import Settings, list_saves, saves_dir


@pytest.mark.parametrize("language", ["en", "ja"])
def test_a_broken_save_s_tip_says_why_and_its_refusal_says_it_once(tmp_path, monkeypatch, language):
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    folder = saves_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "broken.json").write_text('{"format": 1, "level": "2010-trawler", ', encoding="utf-8")
    (slot,) = list_saves()
    assert slot.problem
    app = open_app((1280, 720), settings=Settings(sound=False, language=language))
    app.frame([])
    app.switch("load")
    app.frame([])
    row = next(f for f in app.top.focusables if f.element.text.endswith(app.tr("{name} (unreadable)", name="broken.json")))
    refusal = getattr(slot, "refusal", None)
    reason = refusal.said(app.tr) if refusal is not None else app.tr(slot.problem)
    assert row.tooltip != "broken.json", "the tip only repeats the file name"
    assert reason in row.tooltip
    row.command()
    app.frame([])
    said = app.notice[0]
    assert "broken.json" in said and reason in said
    if language == "ja":
        assert said.count("読み込めな") + said.count("読み込めま") <= 1, said
