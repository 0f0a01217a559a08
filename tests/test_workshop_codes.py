"""Scenario codes: short, read back exactly on another machine, and a mistyped, foreign or
outdated code is refused in one line naming why."""

from __future__ import annotations

import pytest

from game.controllers import PassiveController
from game.session import Session
from game.workshop import codes
from game.workshop.codes import CodeError, ScenarioCode, decode, encode
from level_edits import comments_added, read_edited


def test_a_code_is_short_and_names_the_whole_game():
    original = ScenarioCode("2011-spike", 123456, ("JPN", "CHN", "USA"), ("pause_after_each_turn",),
                            (("max_thrift_per_quarter", 0.05), ("embargo_fright", 0.8)))
    text = encode(original)
    assert len(text.replace("-", "")) <= 48 and all(len(group) <= 4 for group in text.split("-"))
    assert decode(text) == original
    plain = encode(ScenarioCode("2010-trawler", 7))
    assert len(plain.replace("-", "")) <= 21, plain  # what a facilitator writes on the board
    assert decode(plain.lower().replace("0", "o")) == ScenarioCode("2010-trawler", 7)  # read as people write


def test_a_code_passed_on_by_keyboard_word_processor_or_mail_reads_as_typed():
    """Full-width digits from a Japanese keyboard, dashes a word processor lengthened and a line's
    end copied with the code were refused ("it holds '０'")."""
    text = encode(ScenarioCode("2010-trawler", 7))
    full_width = "".join(chr(ord(ch) + 0xFEE0) if ch.isalnum() else ch for ch in text)
    for passed_on in (full_width, text.replace("-", "\u2013"), text + "\n",
                      f"  {text}\r\n", text.replace("-", "\u2010"), text.replace("-", "\u30fc"),
                      text.replace("-", "\u2212"), text.replace("-", "\u30fb"), text.replace("-", "\u200b"),
                      text.replace("-", "\u00ad"), text + " " * 300):
        assert decode(passed_on) == ScenarioCode("2010-trawler", 7), repr(passed_on)


def test_the_same_code_sets_up_the_same_game_on_another_machine():
    code = decode(encode(ScenarioCode("2010-trawler", 42, ("JPN", "CHN"), (), (("embargo_fright", 0.8),))))
    games = [Session(code.scenario(), seed=code.seed, others={r: PassiveController() for r in code.roles if r != "JPN"})
             for _ in range(2)]
    for game in games:
        game.run()
    assert games[0].rows() == games[1].rows()
    assert games[0].scenario.assumptions.embargo_fright == 0.8


@pytest.mark.parametrize("text,reason", [
    ("", "empty"),
    ("HELLO-WORLD", "does not check out|too short|holds"),
    ("4C1A-0Z8K", "too short"),
    ("ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZ", "does not check out"),
    ("ab#d-1234", "holds '#'"),
])
def test_what_is_not_a_code_is_refused_in_one_line(text, reason):
    with pytest.raises(CodeError, match=reason) as refused:
        decode(text)
    assert "\n" not in str(refused.value)


def test_a_mistyped_letter_is_caught_not_read_as_another_game():
    text = encode(ScenarioCode("2010-trawler", 99, ("JPN", "CHN")))
    for i, ch in enumerate(text):
        if ch == "-":
            continue
        typo = text[:i] + ("7" if ch != "7" else "8") + text[i + 1:]
        with pytest.raises(CodeError):
            decode(typo)


@pytest.mark.parametrize("seed", [5, 99, 123456])
def test_a_stray_letter_after_a_code_is_caught(seed):
    """One letter more than the code's bytes need carried only bits that decoding dropped: the
    code with a stray letter at its end read as the good one."""
    text = encode(ScenarioCode("2010-trawler", seed, ("JPN", "CHN")))
    assert decode(text).seed == seed
    for stray in codes.ALPHABET:
        with pytest.raises(CodeError, match="one too many"):
            decode(text + stray)


def test_codes_from_another_version_or_of_a_changed_level_are_refused(monkeypatch):
    with pytest.raises(CodeError, match="version 9.9.9"):
        decode(encode(ScenarioCode("2010-trawler", 1, version="9.9.9")))
    text = encode(ScenarioCode("2010-trawler", 1))
    monkeypatch.setattr(codes, "level_digest", lambda scenario: "ffff" + "0" * 60)
    with pytest.raises(CodeError, match="differs from the one the code was made with"):
        decode(text)


def test_what_a_code_cannot_carry_is_refused_when_it_is_made(tmp_path):
    with pytest.raises(CodeError, match="only shipped levels"):
        encode(ScenarioCode(str(tmp_path / "mine.toml"), 1))
    with pytest.raises(CodeError, match="MARS"):
        encode(ScenarioCode("2010-trawler", 1, ("JPN", "MARS")))
    with pytest.raises(CodeError, match="assumptions.no_such"):
        encode(ScenarioCode("2010-trawler", 1, settings=(("no_such", 1.0),)))


def test_a_code_opens_the_same_game_in_the_window_and_a_restart_keeps_it(tmp_path, monkeypatch):
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    from game.ui.app import open_app
    from game.ui.driver import click
    from game.ui.storage import Settings

    code = decode(encode(ScenarioCode("2010-trawler", 77, settings=(("embargo_fright", 0.8),))))
    app = open_app(level=code.level, seed=code.seed, assumptions=dict(code.settings),
                   settings=Settings(sound=False, warn_before_end=False))
    app.frame([])
    click(app, "Start")
    game = app.game
    assert game.session.seed == 77 and game.session.scenario.assumptions.embargo_fright == 0.8
    headless = Session(code.scenario(), seed=code.seed)
    game.end_turn()
    headless.end_turn()
    assert game.session.rows() == headless.rows()
    app.push("menu")
    app.frame([])
    click(app, "Restart the level")
    click(app, "Restart")  # it asks first
    assert app.game is not game and app.game.session.scenario.assumptions.embargo_fright == 0.8
    assert app.top.name in ("turn", "event")  # the restarted level, on its first quarter's page
    app.game.close()
    headless.close()


def test_the_scenario_codes_the_docs_show_open_the_games_they_say():
    """docs/workshop.md showed a code made before the level last changed: a teacher trying it
    was refused ("the level 2010-trawler on this machine differs from the one the code was made
    with"). Each code in the docs must open the game the text beside it names."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    shown = 0
    for path in [root / "README.md", *sorted((root / "docs").glob("*.md"))]:
        for line in path.read_text(encoding="utf-8").splitlines():
            for text in re.findall(r"\b[0-9A-Z]{4}(?:-[0-9A-Z]{4}){4}-[0-9A-Z]+\b", line):
                code = decode(text)  # refused if the level changed since the code was made
                seed = re.search(r"seed (\d+)", line)
                assert seed is None or code.seed == int(seed.group(1)), (path.name, line)
                shown += 1
    assert shown >= 1


def test_a_code_every_role_of_which_a_team_plays_leaves_none_to_bots(capsys):
    from game.cli import main

    assert main(["workshop", "code", "--level", "2010-trawler", "--seed", "1", "--roles",
                 "JPN,CHN,USA,AUS,EU,KOR,LYN"]) == 0
    out = capsys.readouterr().out
    assert "no role is left for a bot" in out and "bots play the others" not in out
    assert main(["workshop", "code", "--level", "2010-trawler", "--seed", "1", "--roles", "JPN"]) == 0
    assert "teams play: JPN; bots play the others (China: its doctrine)" in capsys.readouterr().out


def test_a_codes_settings_are_shown_with_every_digit_the_code_carries(capsys):
    """`workshop code` printed "assumptions.embargo_fright = 0.123457" for 0.123456789, which the
    code carries whole."""
    from game.cli import main

    assert main(["workshop", "code", "--level", "2010-trawler", "--seed", "1", "--roles", "JPN",
                 "--set", "assumptions.embargo_fright=0.123456789"]) == 0
    assert "assumptions.embargo_fright = 0.123456789" in capsys.readouterr().out



def test_a_code_made_before_a_comment_was_edited_in_its_level_still_opens(monkeypatch, tmp_path):
    """The code carried a digest of the level file's bytes: a comment or a blank line changed in
    an update refused every code a teacher had made ("the level ... differs from the one the code
    was made with"). A value changed is still refused."""
    text = encode(ScenarioCode("2010-trawler", 5, ("JPN", "CHN")))
    read_edited(monkeypatch, tmp_path, "2010-trawler", comments_added)
    assert decode(text) == ScenarioCode("2010-trawler", 5, ("JPN", "CHN"))
    read_edited(monkeypatch, tmp_path, "2010-trawler", lambda toml: toml.replace("threshold = 0.75", "threshold = 0.76"))
    with pytest.raises(CodeError, match="differs from the one the code was made with"):
        decode(text)


def test_a_code_of_the_first_packing_is_checked_against_the_level_files_bytes(monkeypatch, tmp_path):
    """Codes made before the digest was of the level's content (packing 1) carry the first
    bytes of the files' digest: they open while the files are as they were."""
    import struct
    import zlib

    from game.research.runner import level_bytes_digest

    def packing_1(seed: int) -> str:
        body = bytearray(codes._unbase32(encode(ScenarioCode("2010-trawler", seed)).replace("-", ""))[:-2])
        body[0] = 1
        body[5:7] = bytes.fromhex(level_bytes_digest(codes.scenario_for("2010-trawler"))[:4])
        body += struct.pack(">H", zlib.crc32(bytes(body)) & 0xFFFF)
        return codes._base32(bytes(body))

    old = packing_1(9)
    assert decode(old) == ScenarioCode("2010-trawler", 9)
    read_edited(monkeypatch, tmp_path, "2010-trawler", lambda toml: toml + "\n# edited\n")
    with pytest.raises(CodeError, match="differs from the one the code was made with"):
        decode(old)
