"""The command line at the door: every argument, file, folder, code and environment variable a
command is given is checked before anything runs, and whatever it is given, it answers with an
exit code and at most one line saying what is wrong: never a traceback, never a hang on a pipe
or a device, never a folder made or a file written where it was not asked to.

``tests/broken_inputs/`` holds one nasty input per file: results files for ``workshop report``,
sweep files for ``plot``, scenario codes, strategy files, and argument vectors (``args-*.json``,
with the environment they run in); ``expected.toml`` there says what each must produce. The
Hypothesis tests at the end throw generated argument vectors and codes at the same door.
"""

from __future__ import annotations

import argparse

import errno
import itertools
import json
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
import tomli
from conftest import REPO_ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game import cli
from game.cli import main, printable
from game.scenario import find_level
from game.workshop import codes
from game.workshop.codes import CodeError, ScenarioCode, decode, encode

CORPUS = Path(__file__).resolve().parent / "broken_inputs"
EXPECTED: dict[str, dict] = tomli.loads((CORPUS / "expected.toml").read_text(encoding="utf-8"))
#: A name longer than any file name may be (255 bytes on the systems the game runs on).
TOO_LONG = "n" * 300


# --------------------------------------------------------------------------- running the command


class Reached(Exception):
    """Raised by the stand-ins for long work (a calibration, a sweep's runs, a server): the
    command got past its door with what it was given."""


@pytest.fixture
def stand_ins(monkeypatch):
    """No window opens (it would wait for a player forever), no server listens, no sweep or
    calibration runs for minutes: their entry points stand in, recording that they were reached."""
    import game.research.calibration
    import game.research.sweep
    import game.ui.app
    import game.ui.workshop_window
    import game.workshop.client
    import game.workshop.server

    opened = []
    for module, name in ((game.ui.app, "open_window"), (game.ui.workshop_window, "open_team"),
                         (game.ui.workshop_window, "open_hotseat"), (game.ui.workshop_window, "open_facilitator")):
        monkeypatch.setattr(module, name, lambda *args, _name=name, **kwargs: opened.append(_name))

    def reached(*args, **kwargs):
        raise Reached

    for module, name in ((game.research.calibration, "replay"), (game.research.sweep, "execute"),
                         (game.workshop.server, "run_server"), (game.workshop.client, "RemoteTable")):
        monkeypatch.setattr(module, name, reached)
    return opened


def run_cli(argv: list[str], capsys) -> tuple[object, str, str]:
    """The command in this process: (exit code, stdout, stderr); "reached" for a stand-in."""
    try:
        code: object = main(argv)
    except SystemExit as stop:
        code = stop.code
    except Reached:
        code = "reached"
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def message_lines(out: str, err: str) -> list[str]:
    return [line for line in (err + out).splitlines() if line.strip()]


# --------------------------------------------------------------------------- the corpus


def forged(changes: str) -> str:
    """A code whose checksum adds up, packed as this game packs its codes (its version, the
    trawler's number and digest, seed 7, Japan), with ``changes`` made to its fields:
    ``seed=N``, ``roles=BITS``, ``level=N``, ``extra=HEX`` (bytes after the last field). Made
    here, not stored, so that a new version of the game or of the level leaves it as forged."""
    fields = dict(part.split("=") for part in changes.split())
    body = bytearray(codes._unbase32(encode(ScenarioCode("2010-trawler", 7)).replace("-", ""))[:-2])
    # The body: packing, version (3 bytes), level, digest (2), seed (a varint: one byte for 7),
    # role bits, flag bits, how many settings.
    if "level" in fields:
        body[4] = int(fields["level"])
    if "roles" in fields:
        body[8] = int(fields["roles"])
    if "seed" in fields:
        body[7:8] = codes._varint(int(fields["seed"]))
    body += bytes.fromhex(fields.get("extra", ""))
    text = codes._base32(bytes(body) + struct.pack(">H", zlib.crc32(bytes(body)) & 0xFFFF))
    return "-".join(text[i:i + 4] for i in range(0, len(text), 4))


def test_forged_codes_differ_from_a_good_one_only_where_asked():
    good = encode(ScenarioCode("2010-trawler", 7))
    assert forged("") == good and decode(forged("")) == decode(good)
    assert decode(forged("seed=9")).seed == 9 and decode(forged("roles=3")).roles == ("JPN", "CHN")


def corpus_cases() -> list[tuple[str, int]]:
    cases = []
    for name, entry in EXPECTED.items():
        count = 1 if name.startswith("args-") else len(entry["commands"])
        cases += [(name, index) for index in range(count)]
    return cases


def test_every_corpus_file_has_an_entry_in_expected_and_back():
    files = {path.name for path in CORPUS.iterdir()} - {"expected.toml"}
    assert files == set(EXPECTED)
    for name, entry in EXPECTED.items():
        assert isinstance(entry.get("exit"), int) and ("says" in entry or entry["exit"] == 0), name
        assert name.startswith("args-") or entry.get("commands"), f"{name}: which commands read it?"


@pytest.mark.parametrize(("name", "index"), corpus_cases(), ids=lambda value: str(value))
def test_each_nasty_input_gets_its_answer_in_one_line(name, index, tmp_path, monkeypatch, capsys, stand_ins):
    entry = EXPECTED[name]
    folder = tmp_path / "work"
    folder.mkdir()
    copy = folder / name  # the file as the command gets it: a copy, so nothing of the corpus is at risk
    shutil.copyfile(CORPUS / name, copy)
    kept = copy.read_bytes()
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    places = {"file": str(copy), "tmp": str(folder), "fifo": str(pipe), "devnull": os.devnull}
    if name.startswith("code-"):
        text = (CORPUS / name).read_text(encoding="utf-8")
        places["text"] = forged(text.removeprefix("forge:")) if text.startswith("forge:") else text

    def filled(text: str) -> str:
        for corpus_file in re.findall(r"\{corpus\}/([\w.-]+)", text):  # other corpus files, copied too
            shutil.copyfile(CORPUS / corpus_file, folder / corpus_file)
        text = text.replace("{corpus}", str(folder))
        for key, value in places.items():
            text = text.replace("{" + key + "}", value)
        return text

    if name.startswith("args-"):
        case = json.loads(copy.read_text(encoding="utf-8"))
        argv, env = case["argv"], case.get("env", {})
    else:
        argv, env = entry["commands"][index], {}
    argv = [filled(arg) for arg in argv]
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path / "data"))
    for key, value in env.items():
        monkeypatch.setenv(key, filled(value))
    monkeypatch.chdir(folder)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))

    code, out, err = run_cli(argv, capsys)

    lines = message_lines(out if code else "", err)
    assert "Traceback" not in err + out
    assert code == entry["exit"], (code, lines)
    assert "\x1b" not in err + out, "control characters from the input reach the terminal"
    if entry["exit"]:
        assert len(lines) == 1 and entry["says"] in lines[0], lines
    else:
        assert len(lines) == entry.get("lines", 0) and entry.get("says", "") in "\n".join(lines), lines
    assert copy.read_bytes() == kept, "the input was changed"
    if entry["exit"]:  # refused: nothing written or made anywhere
        assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
    assert not stand_ins, "a window opened"


# --------------------------------------------------------------------------- one at a time


def test_the_parser_knows_the_roles_a_code_carries():
    """The parser's roles are repeated (the codes' module loads the world); they must agree."""
    assert cli.TEAM_ROLES == codes.ROLES


def test_the_parser_knows_the_window_s_least_size():
    """--window's smallest is the window's own (app.MIN_SIZE, which imports pygame): a smaller
    size was opened at the window's least without a word."""
    from game.ui import app

    assert cli.SMALLEST_WINDOW == app.MIN_SIZE
    assert cli._window_size("4320x7680") == (4320, 7680) and cli._window_size("7680x4320") == (7680, 4320)
    for refused in ("7681x4320", "7680x4321", "1023x768", "1024x575", "7680x7680"):
        with pytest.raises(argparse.ArgumentTypeError):
            cli._window_size(refused)


def test_printable_escapes_what_would_steer_a_terminal_and_keeps_every_language():
    assert printable("\x1b[2J\x1b[31mred\x07\r") == "\\x1b[2J\\x1b[31mred\\x07\\r"
    assert printable("evil\u202eexe.txt") == "evil\\u202eexe.txt"  # right-to-left override
    assert printable("bad\udcffbyte") == "bad\\udcffbyte"  # a name's byte that is not UTF-8
    assert printable("漁船衝突事件\u3000尖閣 — Ü é") == "漁船衝突事件\u3000尖閣 — Ü é"


def test_a_level_file_with_escape_sequences_never_reaches_the_terminal_raw(tmp_path, capsys):
    """Whether the level reader takes such a title or refuses it (naming the key), no escape
    sequence from the file reaches the terminal."""
    text = find_level("2010-trawler").read_text(encoding="utf-8")
    text = text.replace('en = "The Trawler Incident"', 'en = "\\u001b[2J\\u001b]0;pwned\\u0007The Trawler Incident"', 1)
    assert "\\u001b[2J" in text
    level = tmp_path / "escape.toml"
    level.write_text(text.replace('id = "2010-trawler"', 'id = "escape"', 1), encoding="utf-8")
    shutil.copyfile(find_level("2010-trawler").parent / "world-2010.toml", tmp_path / "world-2010.toml")
    _, out, err = run_cli(["levels", "show", str(level)], capsys)
    assert "\x1b" not in out + err and "\x07" not in out + err
    assert "\\x1b" in out + err or "ESC" in err


def test_levels_show_prints_a_levels_own_text_escaped(monkeypatch, capsys):
    """The one place the command line prints text a file holds (a level's title, briefing and
    objectives), fed text the reader might let through: shown escaped, line breaks kept."""
    import dataclasses

    real = cli.load_level(find_level("2010-trawler"))
    hostile = dataclasses.replace(real, title={"en": "\x1b[2J\x1b]0;pwned\x07Trawler\u202e"},
                                  briefing={"en": "First \x1b[31mred\x1b[0m paragraph.\n\nSecond one."})
    monkeypatch.setattr(cli, "load_level", lambda path: hostile)
    code, out, err = run_cli(["levels", "show", "2010-trawler"], capsys)
    assert code == 0 and not err
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "2010-trawler: \\x1b[2J\\x1b]0;pwned\\x07Trawler\\u202e" in out
    # The briefing's line breaks become spaces as a paragraph is wrapped, not escapes.
    assert re.search(r"First \\x1b\[31mred\\x1b\[0m paragraph\. +Second one\.", out)


def test_a_relative_or_empty_data_folder_is_taken_as_documented(tmp_path, monkeypatch, capsys, stand_ins):
    """RARE_EARTHS_DATA empty: the system's folder; relative: from the current folder (made if
    missing, by the window when it first writes)."""
    monkeypatch.chdir(tmp_path)
    for value in ("", "data/rare-earths"):
        monkeypatch.setenv("RARE_EARTHS_DATA", value)
        assert run_cli(["play"], capsys)[0] == 0
    assert stand_ins == ["open_window", "open_window"]
    stand_ins.clear()


def test_out_through_a_link_is_checked_where_the_link_leads_before_the_run(tmp_path, monkeypatch, capsys):
    """A link into a folder that takes no file (here /proc) passed the door, and the whole run
    was played before it failed; a link to itself was 'cannot be read'."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "into-proc.csv").symlink_to("/proc/rare-earths.csv")
    (tmp_path / "loop.csv").symlink_to(tmp_path / "loop.csv")
    for name, says in (("into-proc.csv", "--out '/proc/rare-earths.csv' cannot be written"),
                       ("loop.csv", "--out 'loop.csv': cannot be written (Too many levels of symbolic links)")):
        code, out, err = run_cli(["run", "--level", "2010-trawler", "--out", name], capsys)
        assert code == 1 and len(message_lines(out, err)) == 1 and err.startswith(f"rare-earths run: {says}")


def test_out_on_a_read_only_file_system_says_so_not_permission_denied(tmp_path, monkeypatch, capsys):
    import game.cli

    real_access, real_statvfs = os.access, os.statvfs
    monkeypatch.setattr(game.cli.os, "access", lambda path, mode: False if Path(path) == tmp_path and mode & os.W_OK
                        else real_access(path, mode))

    class ReadOnly:
        f_flag = os.ST_RDONLY

    monkeypatch.setattr(game.cli.os, "statvfs", lambda path: ReadOnly() if Path(path) == tmp_path else real_statvfs(path))
    code, out, err = run_cli(["run", "--level", "2010-trawler", "--out", str(tmp_path / "rows.csv")], capsys)
    assert code == 1 and err.strip().endswith("cannot be written (read-only file system)")


def test_a_data_folder_that_cannot_be_written_to_is_said_and_played(tmp_path, monkeypatch, capsys, stand_ins):
    """A read-only RARE_EARTHS_DATA (a read-only medium, a locked-down account) stopped the
    window from opening, though its saves load and the window plays on one met mid-game."""
    import game.cli

    folder = tmp_path / "read-only"
    folder.mkdir()
    real_access = os.access
    monkeypatch.setattr(game.cli.os, "access", lambda path, mode: False if Path(path) == folder and mode & os.W_OK
                        else real_access(path, mode))  # as a read-only mount answers, even to root
    monkeypatch.setenv("RARE_EARTHS_DATA", str(folder))
    code, out, err = run_cli(["play"], capsys)
    assert code == 0 and stand_ins == ["open_window"]
    assert message_lines("", err) == [f"rare-earths play: RARE_EARTHS_DATA='{folder}': the folder cannot be written "
                                      "to: the game plays, but keeps no new settings, progress or saves"]
    stand_ins.clear()


def test_a_data_folder_that_is_a_link_to_nothing_is_refused_naming_where_it_leads(tmp_path, monkeypatch, capsys,
                                                                                  stand_ins):
    """A link to nothing passed, and every save then failed with "File exists"."""
    link = tmp_path / "data"
    link.symlink_to(tmp_path / "gone")
    monkeypatch.setenv("RARE_EARTHS_DATA", str(link))
    code, out, err = run_cli(["play"], capsys)
    assert code == 1 and stand_ins == []
    assert message_lines("", err) == [f"rare-earths play: RARE_EARTHS_DATA='{link}': a link to '{tmp_path / 'gone'}', "
                                      "which does not exist; make that folder or name another"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads and writes whatever the permissions say")
def test_files_without_permission_are_refused_in_one_line(tmp_path, capsys):
    locked = tmp_path / "locked.toml"
    locked.write_text("x = 1\n")
    locked.chmod(0)
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    for argv, says in ((["levels", "show", str(locked)], "cannot be read (permission denied)"),
                       (["run", "--level", "2010-trawler", "--out", str(folder / "rows.csv")], "permission denied")):
        code, out, err = run_cli(argv, capsys)
        assert code == 1 and len(message_lines(out, err)) == 1 and says in err


def test_history_on_a_level_that_records_none_is_refused_not_played_passive(tmp_path, capsys):
    import re as regex

    shutil.copy(REPO_ROOT / "levels" / "world-2010.toml", tmp_path)
    text = (REPO_ROOT / "levels" / "2010-trawler.toml").read_text("utf-8")
    text = regex.sub(r"\n\[\[history\]\]\n(?:(?!\n\[).)*", "\n", text, flags=regex.S)
    level = tmp_path / "no-history.toml"
    level.write_text(text.replace('id = "2010-trawler"', 'id = "no-history"', 1), encoding="utf-8")
    assert "[[history]]" not in text
    code, out, err = run_cli(["run", "--level", str(level), "--strategy", "history"], capsys)
    assert code == 1 and len(message_lines(out, err)) == 1 and "records no history for Japan" in err
    code, out, err = run_cli(["run", "--level", str(level), "--strategy", "passive", "--turns", "1"], capsys)
    assert code == 0


def stopped_sweep(out: Path) -> None:
    """A sweep of two runs, stopped after the first: OUT.parts/ holds its plan and one part."""
    from game.research.sweep import check_output, execute, plan_sweep

    def stop(done: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        execute(plan_sweep("2010-trawler", ["passive"], (0, 1)), check_output(out, False), progress=False,
                batch_size=1, on_batch=stop)


@pytest.mark.parametrize("damage", ["plan-not-a-table", "plan-not-json", "plan-not-utf8", "plan-a-pipe",
                                    "plan-nested-too-deep", "part-foreign",
                                    "part-other-runs", "part-badly-named", "parts-a-file", "part-emptied",
                                    "part-cut-at-a-line-end", "lock-a-folder", "part-figures-edited",
                                    "part-without-its-digest"])
def test_resuming_onto_foreign_files_is_refused_and_keeps_them(damage, tmp_path, capsys):
    out = tmp_path / "sweep.csv"
    parts = tmp_path / "sweep.csv.parts"
    if damage == "parts-a-file":
        parts.write_text("not a folder\n")
    else:
        stopped_sweep(out)
        plan = parts / "plan.json"
        if damage == "plan-not-a-table":
            plan.write_text("[1, 2, 3]")
        elif damage == "part-figures-edited":  # well-formed rows of its runs, one figure changed: it was taken
            part = parts / "runs-000000000-000000000.csv"
            row = part.read_text().splitlines(keepends=True)
            cells = row[0].split(",")
            cells[-1] = "9" + cells[-1]
            part.write_text("".join([",".join(cells), *row[1:]]))
        elif damage == "part-without-its-digest":
            (parts / "runs-000000000-000000000.csv.sha256").unlink()
        elif damage == "lock-a-folder":  # blamed on OUT ('cannot write s.csv: Is a directory'), and --resume advised
            (parts / "lock").unlink(missing_ok=True)
            (parts / "lock").mkdir()
        elif damage == "plan-not-json":
            plan.write_text('{"level": "2010-trawler",')
        elif damage == "plan-not-utf8":
            plan.write_bytes(b'{"level": "\xdf"}')
        elif damage == "plan-a-pipe":
            plan.unlink()
            os.mkfifo(plan)
        elif damage == "plan-nested-too-deep":
            plan.write_text("[" * 100_000 + "]" * 100_000)
        elif damage == "part-foreign":
            (parts / "runs-000000000-000000000.csv").write_text("name,price\nNdPr,64.8\n")
        elif damage == "part-other-runs":
            (parts / "runs-000000007-000000009.csv").write_text("")
        elif damage in ("part-emptied", "part-cut-at-a-line-end"):
            # Well-formed rows, but not all of them: the run passed for done and its quarters
            # went missing from the results without a word.
            part = parts / "runs-000000000-000000000.csv"
            lines = part.read_text().splitlines(keepends=True)
            part.write_text("" if damage == "part-emptied" else "".join(lines[: len(lines) // 2]))
        else:
            (parts / "runs-extra.csv").write_text("7,2010-trawler\n")
    kept = {p: (p.read_bytes() if p.is_file() else None) for p in tmp_path.rglob("*")}
    code, out_text, err = run_cli(["sweep", "--level", "2010-trawler", "--strategies", "passive", "--seeds", "0-1",
                                   "--workers", "1", "--quiet", "--resume", "--out", str(out)], capsys)
    assert code == 1 and len(message_lines(out_text, err)) == 1 and "Traceback" not in err
    if damage == "lock-a-folder":
        assert f"{parts.name}/lock, the lock" in err and "Is a directory" in err
    else:
        assert "--resume" in err or "in the way" in err
    assert "Error" not in err and "codec" not in err, "Python's names for the problem, not words"
    assert {p: (p.read_bytes() if p.is_file() else None) for p in tmp_path.rglob("*")
            if p.name != "lock"} == {p: v for p, v in kept.items() if p.name != "lock"}
    assert not out.exists()


# --------------------------------------------------------------------------- generated inputs

#: Text as an argument may hold it: anything but a NUL (no command line can) or half a surrogate.
JUNK = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=40)
NUMBER = st.one_of(st.integers(0, 20).map(str), st.integers(-2**70, 2**70).map(str), JUNK,
                   st.sampled_from(["0", "1", "nan", "inf", "-0", "1e999", "0x10", "\u0663", "1_0", "", " 7", "+3",
                                    "9" * 5000, str(2**63 - 1), str(2**63)]))
LEVELS = ("2010-trawler", "sandbox", "no-such-level")
STRATEGIES = ("passive", "history", "bot", "2010-trawler-rebuild")


def path_to_read(data, folder: Path, suffix: str, good: str | None = None) -> str:
    """A file to read, of a kind drawn: random bytes, a good one, a folder, nothing, a pipe, a
    device, a name too long, or whatever text."""
    kind = data.draw(st.sampled_from(["bytes", "bytes", "good", "folder", "missing", "fifo", "devnull", "long",
                                      "text"]), label="file kind")
    path = folder / f"input-{len(list(folder.iterdir()))}{suffix}"
    if kind == "bytes":
        path.write_bytes(data.draw(st.binary(max_size=400), label="bytes"))
    elif kind == "good" and good:
        shutil.copyfile(CORPUS / good, path)
    elif kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "devnull":
        return os.devnull
    elif kind == "long":
        return str(folder / (TOO_LONG + suffix))
    elif kind == "text":
        return data.draw(JUNK.filter(lambda text: ".." not in text), label="path text")
    return str(path)


def path_to_write(data, folder: Path, suffix: str) -> str:
    kind = data.draw(st.sampled_from(["new", "new", "missing folder", "folder", "devnull", "long", "existing",
                                      "under a file", "text"]), label="out kind")
    if kind == "new":
        return str(folder / f"out{suffix}")
    if kind == "missing folder":
        return str(folder / "no" / "such" / f"out{suffix}")
    if kind == "folder":
        return str(folder)
    if kind == "devnull":
        return os.devnull
    if kind == "long":
        return str(folder / (TOO_LONG + suffix))
    if kind == "existing":
        (folder / f"old{suffix}").write_text("kept?\n")
        return str(folder / f"old{suffix}")
    if kind == "under a file":
        (folder / "a-file").write_text("x\n")
        return str(folder / "a-file" / f"out{suffix}")
    return data.draw(JUNK.filter(lambda text: ".." not in text), label="out text")


def option(data, name: str, values) -> list[str]:
    """``[name, value]`` or nothing."""
    return [name, data.draw(values, label=name)] if data.draw(st.booleans(), label=f"with {name}") else []


def arguments(data, folder: Path) -> list[str]:
    """An argument vector for one of the commands, its values drawn from the nasty and the good."""
    command = data.draw(st.sampled_from(["levels show", "levels validate", "run", "calibrate", "sweep", "plot",
                                         "code", "show", "report", "handouts", "play", "hotseat", "join", "raw"]),
                        label="command")
    level = st.one_of(st.sampled_from(LEVELS), JUNK,
                      st.builds(lambda: path_to_read(data, folder, ".toml")))
    strategy = st.one_of(st.sampled_from(STRATEGIES), JUNK, st.integers(256, 400).map(lambda n: "s" * n),
                         st.builds(lambda: path_to_read(data, folder, ".toml", "strategy-turn-after-level.toml")))
    setting = st.one_of(JUNK, NUMBER.map(lambda value: f"assumptions.max_thrift_per_quarter={value}"))
    roles = st.one_of(JUNK, st.lists(st.sampled_from(cli.TEAM_ROLES + ("XXX", "")), max_size=4).map(",".join))
    if command == "levels show":
        return ["levels", "show", data.draw(level, label="level"), *option(data, "--language", st.just("ja"))]
    if command == "levels validate":
        return ["levels", "validate", *[path_to_read(data, folder, ".toml") for _ in range(data.draw(
            st.integers(0, 3), label="files"))]]
    if command == "run":
        return ["run", "--level", data.draw(st.one_of(st.just("2010-trawler"), level), label="level"),
                *option(data, "--strategy", strategy), *option(data, "--seed", NUMBER),
                "--turns", data.draw(st.one_of(st.just("1"), st.just("1"), NUMBER), label="turns"),
                *option(data, "--out", st.builds(lambda: path_to_write(data, folder, ".csv"))),
                *option(data, "--set", setting)]
    if command == "calibrate":
        return ["calibrate", *option(data, "--level", level), *option(data, "--strategy", strategy),
                *option(data, "--seeds", NUMBER), *option(data, "--from", NUMBER), *option(data, "--to", NUMBER),
                *option(data, "--chart", st.builds(lambda: path_to_write(data, folder, ".png"))),
                *option(data, "--set", setting)]
    if command == "sweep":
        return ["sweep", "--quiet", "--level", data.draw(st.one_of(st.just("2010-trawler"), level), label="level"),
                *option(data, "--strategies", st.one_of(JUNK, st.lists(strategy, min_size=1, max_size=3).map(
                    ",".join))),
                *option(data, "--seeds", st.one_of(NUMBER, st.tuples(NUMBER, NUMBER).map("-".join))),
                *option(data, "--workers", NUMBER), *option(data, "--set", st.one_of(JUNK, NUMBER.map(
                    lambda value: f"max_thrift_per_quarter={value},0.05"))),
                *(["--resume"] if data.draw(st.booleans(), label="resume") else []),
                "--out", path_to_write(data, folder, data.draw(st.sampled_from([".csv", ".parquet", ".txt"])))]
    if command == "plot":
        return ["plot", path_to_read(data, folder, data.draw(st.sampled_from([".csv", ".parquet", ""])),
                                     data.draw(st.sampled_from([None, "sweep-good.csv"]), label="good")),
                *option(data, "--out", st.builds(lambda: path_to_write(data, folder, ".svg"))),
                *option(data, "--by", JUNK), *option(data, "--indicators", JUNK)]
    if command == "code":
        return ["workshop", "code", "--level", data.draw(level, label="level"), "--seed", data.draw(NUMBER),
                *option(data, "--roles", roles), *option(data, "--set", setting)]
    if command == "show":
        corpus_codes = st.sampled_from(sorted(CORPUS.glob("code-*.txt"))).map(lambda p: p.read_text(encoding="utf-8"))
        return ["workshop", "show", data.draw(st.one_of(JUNK, corpus_codes), label="code")]
    if command == "report":
        return ["workshop", "report", *[path_to_read(data, folder, ".json", "results-good.json")
                                        for _ in range(data.draw(st.integers(1, 3), label="files"))],
                *option(data, "--out", st.builds(lambda: path_to_write(data, folder, ".html"))),
                *option(data, "--language", st.sampled_from(["en", "ja"]))]
    if command == "handouts":
        return ["workshop", "handouts", "--level", data.draw(level, label="level"),
                *option(data, "--out", st.one_of(st.builds(lambda: path_to_write(data, folder, "")),
                                                 st.just(str(folder))))]
    if command == "play":
        return ["play", "--code", data.draw(JUNK, label="code"), *option(data, "--role", JUNK),
                *option(data, "--window", JUNK), *option(data, "--level", level)]
    if command == "hotseat":
        return ["workshop", "hotseat", *option(data, "--code", JUNK), *option(data, "--level", level),
                *option(data, "--roles", roles), *option(data, "--seed", NUMBER), *option(data, "--window", JUNK)]
    if command == "join":
        return ["workshop", "join", data.draw(JUNK, label="address"), data.draw(JUNK, label="code"),
                *option(data, "--team", JUNK)]
    return data.draw(st.lists(st.one_of(JUNK, st.sampled_from(["run", "levels", "workshop", "plot", "sweep", "--out",
                                                               "--level", "--help", "-h", "--seed"])),
                              max_size=6), label="raw argv")


def places_outside(tmp_path: Path, started_in: Path) -> dict[Path, list[str]]:
    """What is in the folders a stray write would land in: the repository's own, the folder the
    tests were started in, and the one the test's temporary folders sit in."""
    folders = [REPO_ROOT, REPO_ROOT / "levels", REPO_ROOT / "levels" / "strategies", REPO_ROOT / "tests",
               tmp_path.parent, started_in]
    return {folder: sorted(os.listdir(folder)) for folder in folders}


def test_generated_argument_vectors_get_an_exit_code_never_a_traceback(tmp_path, monkeypatch, capsys, stand_ins):
    """Argument vectors made of huge and negative numbers, text with control characters, names
    too long for a file, pipes, devices, folders and files of random bytes, for every command:
    each ends with an exit code, no traceback, no escape sequence echoed to the terminal, and no
    file anywhere but the example's own folder."""
    started_in = Path.cwd()
    before = places_outside(tmp_path, started_in)
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    examples = []
    folders = itertools.count()

    @settings(max_examples=250, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                     HealthCheck.data_too_large, HealthCheck.filter_too_much])
    @given(data=st.data())
    def one_command(data):
        folder = tmp_path / "a" / "b" / "c" / f"example-{next(folders)}"  # deep: a relative ../ stays inside
        folder.mkdir(parents=True)
        os.chdir(folder)
        argv = arguments(data, folder)
        examples.append(argv)
        code, out, err = run_cli(argv, capsys)
        assert isinstance(code, int) or code == "reached", (argv, code)
        assert "Traceback" not in err, (argv, err)
        assert "\x1b" not in out + err, (argv, out + err)

    one_command()
    os.chdir(tmp_path)
    assert len(examples) >= 150
    assert places_outside(tmp_path, started_in) == before
    stand_ins.clear()  # windows opened by generated commands are stand-ins: nothing waits for them


@settings(max_examples=300, deadline=None, database=None, derandomize=True)
@given(head=st.sampled_from(["none", "game"]), tail=st.binary(min_size=0, max_size=24))
def test_a_code_whose_checksum_adds_up_is_still_checked_field_by_field(head, tail):
    """A forged code (its checksum right) reads as a code this game can play, or is refused with
    one line; one that reads is what encoding it again gives."""
    good = encode(ScenarioCode("2010-trawler", 7))
    start = codes._unbase32(good.replace("-", ""))[:7] if head == "game" else b""
    body = start + tail
    text = codes._base32(body + struct.pack(">H", zlib.crc32(body) & 0xFFFF))
    try:
        code = decode(text)
    except CodeError as error:
        assert "\n" not in str(error)
        return
    assert 0 <= code.seed < 2**63 and set(code.roles) <= set(codes.ROLES) and set(code.flags) <= set(codes.FLAGS)
    assert decode(encode(code)) == code


@settings(max_examples=100, deadline=None, database=None, derandomize=True)
@given(st.text(max_size=250))
def test_any_text_as_a_code_is_read_or_refused_in_one_line(text):
    try:
        decode(text)
    except CodeError as error:
        assert "\n" not in str(error)


def _paths_in(value, prefix=()):
    """Every place in a JSON value, as a tuple of keys and indexes."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths_in(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths_in(item, (*prefix, index))


GOOD_RESULTS = json.loads((CORPUS / "results-good.json").read_text(encoding="utf-8"))
PLACES_IN_RESULTS = [path for path in _paths_in(GOOD_RESULTS) if path]
# Whole numbers of hundreds of digits (JSON reads them; no float holds them) and floats near float's
# limit (a debrief chart's scale overflowed on them) are among them.
ODD_VALUES = st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70), st.floats(allow_nan=False), JUNK,
                       st.sampled_from([10**400, -10**400, 1.5e308, -1.7e308, 1e18, -1e19]),
                       st.sampled_from(["2010Q3", "9999Q9", "JPN", "XXX", "2012-wto", "no-such-level"]),
                       st.lists(st.sampled_from(["JPN", "JPN", 1, None]), max_size=3),
                       st.dictionaries(st.sampled_from(["en", "ja", "quarter", "id"]), st.one_of(JUNK, st.integers()),
                                       max_size=2))


@settings(max_examples=40, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(changes=st.lists(st.tuples(st.sampled_from(PLACES_IN_RESULTS), ODD_VALUES), min_size=1, max_size=3))
def test_a_results_file_with_odd_values_is_reported_on_or_left_out_in_one_line(changes, tmp_path):
    """Whatever a results file holds where the game writes something else, the report is written
    or the file is left out with one line: the door (read_results) lets through nothing the page
    cannot show."""
    import copy

    from game.workshop.report import ReportError, write_report

    data = copy.deepcopy(GOOD_RESULTS)
    for path, value in changes:
        node = data
        try:
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change replaced the place's parent
    results = tmp_path / "results.json"
    results.write_text(json.dumps(data), encoding="utf-8")
    try:
        write_report([results], tmp_path / "report.html")
    except ReportError as error:
        assert "\n" not in str(error)


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_a_terminal_that_cannot_show_a_character_gets_an_escape_not_a_traceback(encoding):
    """2011-spike's story has a yen sign, Japanese titles have kana: a console or a pipe in an
    older encoding got a UnicodeEncodeError for them."""
    import subprocess
    import sys

    env = {**os.environ, "PYTHONIOENCODING": encoding}
    shown = subprocess.run([sys.executable, "-m", "game", "levels", "show", "2011-spike"], cwd=REPO_ROOT, env=env,
                           capture_output=True, check=False, timeout=120)
    assert shown.returncode == 0 and b"Traceback" not in shown.stderr
    assert (b"\\xa5100bn" if encoding == "ascii" else "\xa5100bn".encode("latin-1")) in shown.stdout


def test_ctrl_c_stops_a_command_with_one_line(monkeypatch, capsys):
    """Ctrl+C mid-run: one line and the shell's 130, never a traceback (files are written whole
    or not at all, so none is half-written)."""
    from game.session import Session

    def interrupted(self):
        raise KeyboardInterrupt

    monkeypatch.setattr(Session, "play_turn", interrupted)
    assert main(["run", "--level", "2010-trawler"]) == 130
    assert capsys.readouterr().err == "rare-earths run: stopped (Ctrl+C)\n"


def test_ctrl_c_while_the_command_loads_stops_it_with_one_line(monkeypatch, capsys):
    """The console script starts in game.launch, which catches a Ctrl+C that comes while the
    command's own modules (NumPy, Mesa, the game) load."""
    import types

    from game import launch
    from game.cli import EXIT_INTERRUPTED

    class Loading(types.ModuleType):
        def __getattr__(self, name):
            raise KeyboardInterrupt

    monkeypatch.setitem(sys.modules, "game.cli", Loading("game.cli"))
    assert launch.main(["levels", "list"]) == launch.EXIT_INTERRUPTED == EXIT_INTERRUPTED == 130
    assert capsys.readouterr().err == "rare-earths: stopped (Ctrl+C)\n"


KILLED_WHILE_LOADING = """
import os, signal, sys, time, types

class Loading(types.ModuleType):
    def __getattr__(self, name):
        os.kill(os.getpid(), signal.SIGTERM)  # a kill while the command's modules load
        time.sleep(10)
        raise AssertionError("the kill did not stop the command")

sys.modules["game.cli"] = Loading("game.cli")
from game.launch import main
sys.exit(main(["levels", "list"]))
"""


@pytest.mark.skipif(not hasattr(signal, "SIGTERM") or sys.platform == "win32", reason="POSIX signals")
def test_a_kill_while_the_command_loads_stops_it_with_one_line():
    """A kill (or a closed terminal) that came while the command's modules loaded ended the
    process without a word; it is said as a kill during the command is."""
    done = subprocess.run([sys.executable, "-c", KILLED_WHILE_LOADING], capture_output=True, text=True,
                          timeout=60, cwd=REPO_ROOT)
    assert (done.returncode, done.stderr) == (128 + signal.SIGTERM, "rare-earths: stopped (SIGTERM)\n")


#: Put on the path as sitecustomize: Ctrl+C as game.launch starts to import, before its catch
#: is in place (its own imports, and the game package's, took a tenth of a second or more on a
#: busy machine).
CTRL_C_BEFORE_THE_LAUNCHER = """
import sys

class CtrlC:
    def find_spec(self, name, path=None, target=None):
        if name == "game.launch":
            raise KeyboardInterrupt

sys.meta_path.insert(0, CtrlC())
"""

#: What pip writes as the `rare-earths` console script.
CONSOLE_SCRIPT = """
import sys
from game.launch import main
sys.exit(main())
"""


@pytest.mark.skipif(sys.platform == "win32", reason="Ctrl+C ends a process by a signal on POSIX only")
@pytest.mark.parametrize("entry", ["console script", "python -m game"])
def test_ctrl_c_before_the_launcher_has_loaded_stops_with_one_line(tmp_path, entry):
    """Ctrl+C while the entry point's first modules import printed a traceback and ended by the
    signal; it ends as a Ctrl+C during the command does: one line and 130."""
    (tmp_path / "sitecustomize.py").write_text(CTRL_C_BEFORE_THE_LAUNCHER, encoding="utf-8")
    script = tmp_path / "rare-earths"
    script.write_text(CONSOLE_SCRIPT, encoding="utf-8")
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(REPO_ROOT)])}
    command = [str(script)] if entry == "console script" else ["-m", "game"]
    done = subprocess.run([sys.executable, *command, "levels", "list"], capture_output=True, text=True, timeout=60,
                          cwd=tmp_path, env=environment)
    assert (done.returncode, done.stderr) == (130, "rare-earths: stopped (Ctrl+C)\n")


class _FullDevice:
    """Standard output on a full device (``>/dev/full``): every write fails."""

    def write(self, text):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def flush(self):
        pass


@pytest.mark.parametrize(("stdout", "says"), [(None, "it is closed"), (_FullDevice(), "No space left on device")])
def test_output_that_cannot_be_printed_is_a_line_naming_standard_output(monkeypatch, capsys, stdout, says):
    """Started with standard output closed (>&-), Python printed into nothing and the command
    exited 0; on a full device the line named no file, as if the results file had failed."""
    capsys.readouterr()
    monkeypatch.setattr(sys, "stdout", stdout)
    assert main(["levels", "list"]) == 1
    assert capsys.readouterr().err == f"rare-earths levels list: cannot write to standard output: {says}\n"
    assert sys.stdout is stdout  # put back as it was


@pytest.mark.parametrize("argv", [["--help"], ["run", "--help"]])
@pytest.mark.parametrize(("stdout", "says"), [(None, "it is closed"), (_FullDevice(), "No space left on device")])
def test_help_that_cannot_be_printed_is_said_lost(monkeypatch, capsys, argv, stdout, says):
    """argparse swallows the error of a --help it cannot print, and the command exited 0 having
    printed nothing ('rare-earths --help > /dev/full')."""
    capsys.readouterr()
    monkeypatch.setattr(sys, "stdout", stdout)
    assert main(argv) == 1
    assert capsys.readouterr().err == f"rare-earths: cannot write to standard output: {says}\n"


def test_run_refuses_to_write_over_a_file_already_there(tmp_path, capsys):
    """`run --out results.csv` wrote over a finished sweep's results without a word (sweep refuses)."""
    sweep_results = tmp_path / "results.csv"
    sweep_results.write_text("level,strategy,seed\n2010-trawler,history,1\n", encoding="utf-8")
    code, _, err = run_cli(["run", "--level", "2010-trawler", "--turns", "1", "--out", str(sweep_results)], capsys)
    assert code == 1 and err.strip() == (f"rare-earths run: --out {str(sweep_results)!r} exists and may hold other "
                                         "results: name another file, or move that one")
    assert sweep_results.read_text(encoding="utf-8").endswith("history,1\n")


def test_a_pipe_given_through_a_link_is_named_as_given(tmp_path, capsys):
    """`run --out /dev/stdout` was refused naming where its link leads: '/proc/123/fd/pipe:[4567]'
    "cannot be written (No such file or directory)"."""
    read_end, write_end = os.pipe()
    try:
        link = tmp_path / "stdout"
        link.symlink_to(f"/proc/self/fd/{write_end}" if Path("/proc/self/fd").is_dir() else os.devnull)
        code, _, err = run_cli(["run", "--level", "2010-trawler", "--turns", "1", "--out", str(link)], capsys)
    finally:
        os.close(read_end)
        os.close(write_end)
    assert code == 1 and err.strip() == (f"rare-earths run: --out {str(link)!r} is not a regular file (a device, a "
                                         "pipe or a socket)")


@pytest.mark.parametrize("typed", ["{tmp}", "{tmp}/", "{tmp}//", "{tmp}/./"])
def test_a_chart_named_as_a_folder_is_said_to_be_a_folder_named_as_typed(tmp_path, capsys, typed):
    """`calibrate --chart FOLDER` asked for "a .png, .svg or .pdf file", as for a mistyped name;
    and `--chart FOLDER/` was named without its slash, which is not what was typed."""
    chart = typed.format(tmp=tmp_path)
    code, _, err = run_cli(["calibrate", "--level", "2010-trawler", "--chart", chart], capsys)
    assert code == 1 and err.strip() == f"rare-earths calibrate: --chart {chart!r} is a folder: name a file in it"


@pytest.mark.parametrize("typed", ["{tmp}/./done.csv", "{tmp}//done.csv", "{tmp}/done.csv/"])
def test_a_sweeps_out_is_named_as_typed(tmp_path, capsys, typed):
    """`sweep --out ./l1.csv` (a finished sweep) was named "l1.csv", and "s3.csv/" as "s3.csv",
    where run and plot name a file as it was typed."""
    (tmp_path / "done.csv").write_text("run,turn\n", encoding="utf-8")
    out = typed.format(tmp=tmp_path)
    code, _, err = run_cli(["sweep", "--level", "2010-trawler", "--seeds", "0", "--out", out], capsys)
    assert code == 1 and f"--out: {out!r}" in err, err


@pytest.mark.parametrize(("named", "file"), [("{tmp}/a,b.toml", "{tmp}/a,b.toml"),
                                             ("passive,{tmp}/a,b.toml", "{tmp}/a,b.toml"),
                                             ("{tmp}/x,y,z.toml,history", "{tmp}/x,y,z.toml")])
def test_a_strategy_file_whose_name_holds_a_comma_is_said_to_be_one_where_strategies_are_named(
        tmp_path, capsys, named, file):
    """`sweep --strategies a,b.toml` was split at the comma and refused "a: unknown strategy",
    about a strategy nobody named."""
    for name in ("a,b.toml", "x,y,z.toml"):
        (tmp_path / name).write_text("[[turn]]\n", encoding="utf-8")
    file = file.format(tmp=tmp_path)
    code, _, err = run_cli(["sweep", "--level", "2010-trawler", "--strategies", named.format(tmp=tmp_path),
                            "--seeds", "0", "--out", str(tmp_path / "out.csv")], capsys)
    assert code == 2 and len(message_lines("", err)) == 1, err
    assert (f"--strategies: {file!r} is a strategy file whose name holds a comma, which separates strategies "
            "here: copy or rename it to a name without one") in err, err
    assert not (tmp_path / "out.csv.parts").exists()


def test_a_file_named_on_the_command_line_keeps_the_name_typed_and_only_that_one():
    """What remembers the name as typed is the path named, not its folder nor another name made
    from it; it is still the path it names."""
    from game.cli import _path, _shown

    named = _path("results/./out.csv")
    assert _shown(named) == "results/./out.csv" and named == Path("results/out.csv")
    assert _shown(named.parent) == "results" and _shown(named.with_suffix(".png")) == "results/out.png"


def test_a_team_name_typed_decomposed_is_taken_composed_as_the_server_keeps_it():
    """`workshop join --team` refused "E" and a combining acute ("cannot draw U+0301"), which the
    server takes as "É"."""
    import argparse

    from game.cli import _team_name

    assert _team_name("E\u0301quipe") == "\u00c9quipe"
    with pytest.raises(argparse.ArgumentTypeError, match="U\\+0336"):
        _team_name("Z\u0336ed")  # a mark with no composed letter, which the font would draw as a box


def test_a_team_name_of_forty_letters_is_counted_composed_by_the_command_line_and_the_server():
    """A name of 40 composed letters sent decomposed (each "e" and a combining acute: 80 code
    points) was refused as longer than 40 characters, by `workshop join --team` and by the
    server, which keep it composed; 41 composed letters are still too many."""
    import argparse
    import json

    from game.cli import _team_name
    from game.workshop.protocol import MessageError, parse_request

    forty = "e\u0301" * 40
    assert _team_name(forty) == "\u00e9" * 40
    join = {"type": "join", "id": 0, "code": "K7QM-3F9XZA"}
    assert parse_request(json.dumps({**join, "team": forty})).body["team"] == "\u00e9" * 40
    with pytest.raises(argparse.ArgumentTypeError, match="at most 40"):
        _team_name("e\u0301" * 41)
    with pytest.raises(MessageError, match="at most 40"):
        parse_request(json.dumps({**join, "team": "e\u0301" * 41}))


def joined_as(role: str, over: bool):
    """A stand-in for the window's RemoteTable: joined as ``role`` to a class whose game is
    ``over`` or not."""
    class Joined:
        def __init__(self, address, code, team=""):
            self.role = role

        def team_view(self, role):
            return {"over": over, "connection": {"ok": True}}

        def close(self):
            pass

    return Joined


@pytest.mark.parametrize("over", [False, True])
def test_a_team_leaving_a_class_on_a_network_is_told_how_to_join_again(monkeypatch, capsys, tmp_path, stand_ins, over):
    """A pupil who closed a joined window was told nothing, while the team's bot played on:
    the terminal's last line is the command that joins again (not once the class is over)."""
    import game.workshop.client

    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path / "data"))

    monkeypatch.setattr(game.workshop.client, "RemoteTable", joined_as("CHN", over))
    code, out, err = run_cli(["workshop", "join", "192.168.1.20:8765", "4ZME-MV55WH", "--team", "Red Dragons"],
                             capsys)
    assert code == 0 and stand_ins == ["open_team"], err
    lines = message_lines(out, err)
    if over:
        assert not lines
    else:
        assert len(lines) == 1 and lines[0].endswith(
            "rare-earths workshop join 192.168.1.20:8765 4ZME-MV55WH --team 'Red Dragons'"), lines
        # A name starting with "-" as the option's own value: "--team -Eagles" would be refused.
        code, out, err = run_cli(["workshop", "join", "192.168.1.20:8765", "4ZME-MV55WH", "--team=-Eagles"], capsys)
        assert code == 0 and message_lines(out, err)[0].endswith("4ZME-MV55WH --team=-Eagles"), err


@pytest.mark.parametrize(("argv", "says"), [
    (["levels", "show", ""], "rare-earths levels show: error: ID|PATH: empty"),  # was 1, where run --level '' is 2
    (["sweep", "--level", "2010-trawler", "--scheduler", "tcp://h:1", "--workers", "1", "--out", "x.csv"],
     "rare-earths sweep: --workers: a Dask cluster at an address has the workers it has"),  # was 1
])
def test_a_malformed_command_line_exits_2_as_the_readme_says(argv, says, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli(argv, capsys)
    assert code == 2 and err.startswith(says), err


def test_a_workshop_window_opens_in_the_language_asked_for_and_leaves_the_games_own(monkeypatch, capsys, tmp_path):
    """A team window had no way into Japanese but the one-player game's Settings, in the same
    data folder: `workshop join`, `hotseat` and `serve` take --language for their window."""
    import game.ui.workshop_window
    import game.workshop.client
    from game.ui import storage

    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path / "data"))
    opened = []
    monkeypatch.setattr(game.ui.workshop_window, "open_team",
                        lambda table, role, size, settings=None, **kw: opened.append(settings))

    monkeypatch.setattr(game.workshop.client, "RemoteTable", joined_as("CHN", over=False))
    code, out, err = run_cli(["workshop", "join", "192.168.1.20:8765", "4ZME-MV55WH", "--language", "ja"], capsys)
    assert code == 0 and [settings.language for settings in opened] == ["ja"], err
    assert message_lines(out, err)[0].endswith("4ZME-MV55WH --language ja")
    opened[0].colour_blind = True
    opened[0].save()  # a change made in that window is kept; the game's language is not changed by it
    assert storage.Settings.load().colour_blind and storage.Settings.load().language == "en"
