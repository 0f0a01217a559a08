"""The window's files checked at the door, and saves that survive.

A save, settings.json and progress.json are read as data and nothing else, every field checked:
the corpus in ``broken_saves/`` (``expected.toml`` says what each file must produce), files that
are not files (a pipe, a link to nothing, a folder, a huge sparse file), a generated mutation of a
real save, none of it may crash a reader or the Load screen. Saves are written whole or not at
all, even when the writer is killed mid-write, under a name of their own.
"""

from __future__ import annotations

import ast
import copy
import errno
import json
import os
import random
import re
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
import tomllib
from dataclasses import asdict
from pathlib import Path

import pytest
from conftest import REPO_ROOT, events_fail_from
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game import kept_levels
from game.actions import BuyStockpile, FundMagnetResearch
from game.savefile import (
    MAX_SAVE_BYTES,
    SaveError,
    checksum_of,
    load_text,
    read_head,
    save_text,
    sealed,
)
from game.scenario import find_level, levels_dir, load_level
from game.session import Session
from game.ui import storage
from game.ui.driver import click
from game.ui.scenes.load import LoadScene, _when
from game.ui.scenes.turn import TurnScene
from game.vocab.materials import Material

ROOT = Path(__file__).resolve().parent.parent
BROKEN = Path(__file__).resolve().parent / "broken_saves"
EXPECTED = tomllib.loads((BROKEN / "expected.toml").read_text(encoding="utf-8"))
POSIX_ONLY = pytest.mark.skipif(os.name == "nt", reason="pipes, links and kill -9 as POSIX has them")


def _played(seed: int, turns: int) -> str:
    """A real save: 2010-trawler played for ``turns`` turns with a couple of Japan's actions."""
    session = Session(load_level(find_level("2010-trawler")), seed=seed)
    try:
        session.open_turn()
        assert session.submit(BuyStockpile(Material.NDPR, 250.0, 90.0)).accepted
        for turn in range(turns):
            session.end_turn()
            session.open_turn()
            if turn == 0:
                assert session.submit(FundMagnetResearch(30.0)).accepted
        return save_text(session, "2010-trawler")
    finally:
        session.close()


@pytest.fixture(scope="module")
def real_save() -> str:
    return _played(seed=5, turns=2)


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    return tmp_path


def _loads(text: str) -> str:
    """The quarter a save loads at (the session closed again)."""
    session, _ = load_text(text)
    try:
        return str(session.world.quarter)
    finally:
        session.close()


# --------------------------------------------------------------------------- the corpus


def test_every_file_of_the_corpus_says_what_it_must_produce():
    assert sorted(EXPECTED) == sorted(p.name for p in BROKEN.iterdir() if p.name != "expected.toml")


SAVES = sorted(name for name, case in EXPECTED.items() if case["reads_as"] == "save")


@pytest.mark.parametrize("name", SAVES)
def test_a_broken_save_is_refused_in_one_line_and_listed_by_its_name(name, data_dir):
    case = EXPECTED[name]
    with pytest.raises(SaveError) as caught:
        load_text(storage.read_save(BROKEN / name))
    message = str(caught.value)
    assert case["refused"] in message and "\n" not in message and len(message) <= 300
    (data_dir / "saves").mkdir()
    shutil.copyfile(BROKEN / name, data_dir / "saves" / name)
    [slot] = storage.list_saves()
    assert slot.path.name == name
    if case["listed"] == "unreadable":
        assert slot.problem and slot.label == name and not slot.level
    else:
        assert not slot.problem and slot.level == "2010-trawler"


#: Three words of English in a row: what a Japanese refusal held of the game's own English
#: ("firm mt-weld is listed twice among the companies"). File keys, names and values are single
#: words, or lists joined by commas.
ENGLISH_PHRASE = re.compile(r"[A-Za-z]+(?: [A-Za-z']+){2,}")


@pytest.mark.parametrize("name", SAVES)
def test_a_broken_save_refused_in_japanese_holds_no_english_sentence(name):
    """Refusals whose reason came from further down (the nations and companies a save plays, its
    quarters, its actions) carried that reason in English inside the Japanese sentence."""
    from game.ui.strings import Language

    with pytest.raises(SaveError) as caught:
        load_text(storage.read_save(BROKEN / name))
    said = caught.value.said(Language("ja").tr)
    assert not ENGLISH_PHRASE.search(said), said
    assert "\n" not in said and len(said) <= 300


def test_an_action_refused_on_replay_is_said_in_japanese(real_save):
    """The action's name and why the game refused it were the English ones."""
    from game.ui.strings import Language

    data = json.loads(real_save)
    data["actions"][0]["actions"][0].update(tonnes=900000.0, max_price_usd_per_kg=90000.0)
    with pytest.raises(SaveError) as caught:
        load_text(sealed(data))
    assert str(caught.value).startswith("save does not replay: Buy for the stockpile in 2010Q3 was refused (could cost")
    said = caught.value.said(Language("ja").tr)
    assert said.startswith("セーブを再生できません：2010Q3の「") and not ENGLISH_PHRASE.search(said), said


@pytest.mark.parametrize("name", sorted(name for name, case in EXPECTED.items() if case["reads_as"] == "settings"))
def test_broken_settings_fall_back_to_defaults_field_by_field(name, data_dir):
    shutil.copyfile(BROKEN / name, data_dir / "settings.json")
    kept = {key: value for key, value in EXPECTED[name].items() if key != "reads_as"}
    assert asdict(storage.Settings.load()) == {**asdict(storage.Settings()), **kept}


@pytest.mark.parametrize("name", sorted(name for name, case in EXPECTED.items() if case["reads_as"] == "progress"))
def test_broken_progress_counts_as_not_yet_done_entry_by_entry(name, data_dir):
    shutil.copyfile(BROKEN / name, data_dir / "progress.json")
    case = EXPECTED[name]
    assert storage.Progress.load() == storage.Progress(case.get("stars", {}), case.get("tutorial_done", False))


def test_stars_just_won_are_kept_when_the_progress_file_is_full(data_dir):
    """A progress file holding stars for the most levels it keeps: the first stars of another
    level were written after them all and dropped at the next start, relocking the campaign."""
    full = {f"old-level-{k}": 1 for k in range(storage.MAX_LEVELS_WITH_STARS)}
    (data_dir / "progress.json").write_text(json.dumps({"stars": full, "tutorial_done": True}), encoding="utf-8")
    progress = storage.Progress.load()
    progress.record("2010-trawler", 2)
    again = storage.Progress.load()
    assert again.stars["2010-trawler"] == 2 and len(again.stars) == storage.MAX_LEVELS_WITH_STARS
    assert "old-level-0" not in again.stars  # the oldest entry went


def test_two_windows_on_one_data_folder_keep_each_others_stars(data_dir):
    first, second = storage.Progress.load(), storage.Progress.load()  # two copies of the game open
    first.record("2010-trawler", 3)
    second.tutorial_done = True
    second.record("2011-spike", 2)
    second.record("2010-trawler", 1)  # a worse replay in the second window keeps the first's three
    assert storage.Progress.load() == storage.Progress({"2010-trawler": 3, "2011-spike": 2}, True)


def test_two_windows_on_one_data_folder_keep_each_others_settings(data_dir):
    """Each window wrote all of its settings: a colour choice in one undid the language chosen
    in the other. Each now writes what it changed, field by field."""
    first, second = storage.Settings.load(), storage.Settings.load()
    first.language = "ja"
    first.save()
    second.colour_blind = True
    second.save()
    second.sound = False
    second.save()
    assert storage.Settings.load() == storage.Settings(language="ja", colour_blind=True, sound=False)
    second.language = "ja"  # chosen here too, then back: this window's last choice is written
    second.save()
    second.language = "en"
    second.save()
    assert storage.Settings.load().language == "en"
    first.scale = 1.5
    first.save()  # the first window never chose English since: the other's choice stays
    assert storage.Settings.load() == storage.Settings(language="en", scale=1.5, colour_blind=True, sound=False)
    # A setting of a newer version's stays in the file.
    written = json.loads((data_dir / "settings.json").read_text(encoding="utf-8"))
    (data_dir / "settings.json").write_text(json.dumps({**written, "volume": 0.4}), encoding="utf-8")
    first.sound = True
    first.save()
    assert json.loads((data_dir / "settings.json").read_text(encoding="utf-8"))["volume"] == 0.4


def test_a_setting_for_this_window_alone_is_never_written_unless_the_player_changes_it(data_dir):
    """A team's window opened with --language ja left the game's own language as it was, by
    writing the settings' private record of what was loaded from outside the class; a window
    now says so through the settings' own method."""
    storage.Settings(colour_blind=True).save()
    window = storage.Settings.load()
    window.set_for_this_window(language="ja", scale=2.0)
    assert (window.language, window.scale) == ("ja", 2.0)
    window.sound = False
    window.save()
    assert storage.Settings.load() == storage.Settings(colour_blind=True, sound=False)
    assert storage.Settings.in_language("ja").language == "ja"
    window.scale = 1.5  # then chosen by the player: written
    window.save()
    assert storage.Settings.load() == storage.Settings(colour_blind=True, sound=False, scale=1.5)
    with pytest.raises(TypeError, match="volume"):
        window.set_for_this_window(volume=0.4)


@POSIX_ONLY
def test_stars_recorded_by_windows_at_the_same_moment_are_all_kept(data_dir):
    """Reading, merging and writing the progress file was not one step: two windows recording
    stars at the same moment could each write a file without the other's."""
    script = ("import sys\nfrom game.ui import storage\n"
              "progress = storage.Progress.load()\n"
              "for k in range(200):\n    progress.record(f'{sys.argv[1]}-{k}', 2)\n")
    writers = [subprocess.Popen([sys.executable, "-c", script, name], cwd=REPO_ROOT) for name in "abc"]
    assert [writer.wait(timeout=120) for writer in writers] == [0, 0, 0]
    assert len(storage.Progress.load().stars) == 600


# --------------------------------------------------------------------------- files that are not files


@POSIX_ONLY
def test_a_pipe_a_link_to_nothing_and_a_folder_among_the_saves_are_listed_as_unreadable(data_dir, real_save):
    saves = data_dir / "saves"
    saves.mkdir()
    os.mkfifo(saves / "pipe.json")  # opened blocking, it would wait for a writer forever
    (saves / "nowhere.json").symlink_to(saves / "gone.json")
    (saves / "folder.json").mkdir()
    (saves / "good.json").write_text(real_save, encoding="utf-8")
    slots = {slot.path.name: slot for slot in _within_seconds(storage.list_saves)}
    assert sorted(slots) == ["folder.json", "good.json", "nowhere.json", "pipe.json"]
    assert all(slots[name].problem for name in ("folder.json", "nowhere.json", "pipe.json"))
    assert "not a regular file" in slots["pipe.json"].problem and "not a regular file" in slots["folder.json"].problem
    assert not slots["good.json"].problem and slots["good.json"].level == "2010-trawler"


@POSIX_ONLY
def test_a_pipe_as_settings_or_progress_starts_the_game_with_defaults_instead_of_waiting(data_dir):
    os.mkfifo(data_dir / "settings.json")
    os.mkfifo(data_dir / "progress.json")
    assert _within_seconds(storage.Settings.load) == storage.Settings()
    assert _within_seconds(storage.Progress.load) == storage.Progress()


def _within_seconds(read, seconds: float = 10.0):
    """``read()``, failing the test if it blocks (it runs in a thread that a hang leaves behind)."""
    result = []
    worker = threading.Thread(target=lambda: result.append(read()), daemon=True)
    worker.start()
    worker.join(seconds)
    assert result, f"{read.__qualname__} blocked for {seconds} s"
    return result[0]


def test_a_save_too_large_is_refused_before_it_is_read(tmp_path):
    huge = tmp_path / "huge.json"
    with huge.open("wb") as file:  # sparse: nothing is written, the size is all there is
        file.truncate(MAX_SAVE_BYTES + 1)
    with pytest.raises(SaveError, match="too large"):
        storage.read_save(huge)
    with pytest.raises(SaveError, match="too large"):
        load_text("[" * (MAX_SAVE_BYTES + 1))


def test_a_save_written_with_a_byte_order_mark_or_laid_out_again_still_loads(tmp_path, real_save):
    """The checksum is of the content, not of the text's layout: an editor that adds a BOM,
    re-indents or sorts the keys changes nothing it checks."""
    data = json.loads(real_save)
    (tmp_path / "bom.json").write_text("\ufeff" + real_save, encoding="utf-8")
    relaid = json.dumps(dict(sorted(data.items(), reverse=True)), indent=7, ensure_ascii=True)
    assert _loads(storage.read_save(tmp_path / "bom.json")) == _loads(relaid) == data["quarter"]


def test_a_save_changed_by_hand_is_refused_as_damaged_unless_its_checksum_is_made_again(real_save):
    data = json.loads(real_save)
    assert data["checksum"] == checksum_of(data)
    relabelled = {**data, "label": "My game"}
    with pytest.raises(SaveError, match=r"^save is damaged \(checksum does not match\)$"):
        load_text(json.dumps(relabelled))
    assert read_head(sealed(relabelled)).label == "My game"


# --------------------------------------------------------------------------- what a save may open


def test_a_save_names_a_shipped_level_by_id_or_by_its_path_in_the_levels_folder(real_save):
    data = json.loads(real_save)
    by_path = sealed({**data, "level": str(levels_dir() / "2010-trawler.toml")})
    assert _loads(by_path) == data["quarter"]


@POSIX_ONLY
def test_a_level_file_is_opened_only_inside_the_folders_the_caller_trusts(tmp_path, real_save):
    data = json.loads(real_save)
    trusted, elsewhere = tmp_path / "trusted", tmp_path / "elsewhere"
    trusted.mkdir()
    elsewhere.mkdir()
    level = find_level("2010-trawler").read_text(encoding="utf-8").replace('id = "2010-trawler"', 'id = "my-trawler"', 1)
    for folder in (trusted, elsewhere):
        (folder / "copy.toml").write_text(level, encoding="utf-8")
    (trusted / "link.toml").symlink_to(elsewhere / "copy.toml")
    inside = sealed({**data, "level": str(trusted / "copy.toml")})
    session, level_ref = load_text(inside, level_folders=[trusted])
    session.close()
    assert level_ref == str(trusted / "copy.toml")
    with pytest.raises(SaveError, match="outside the game's levels folder"):
        load_text(inside)  # the same save, from a caller that trusts no other folder
    for outside in (elsewhere / "copy.toml", trusted / "link.toml", trusted / ".." / "elsewhere" / "copy.toml"):
        with pytest.raises(SaveError, match="outside the game's levels folder"):
            load_text(sealed({**data, "level": str(outside)}), level_folders=[trusted])


def test_reading_a_save_runs_no_code():
    """Saves are JSON: nothing that reads one may unpickle, evaluate or import what it says."""
    banned_builtins = {"eval", "exec", "compile", "__import__"}  # re.compile is another matter
    banned_modules = {"pickle", "marshal", "shelve", "dill", "yaml", "importlib"}
    for path in ("game/savefile.py", "game/ui/storage.py", "game/ui/scenes/load.py"):
        tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in banned_builtins, f"{path}:{node.lineno} calls {node.func.id}"
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [alias.name for alias in node.names] + [getattr(node, "module", None) or ""]
                assert not {n.split(".")[0] for n in names} & banned_modules, f"{path}:{node.lineno} imports {names}"


# --------------------------------------------------------------------------- writing


def test_two_saves_in_the_same_second_get_names_of_their_own_made_safe(data_dir, monkeypatch):
    monkeypatch.setattr(storage.time, "strftime", lambda _form: "20300101-120000")
    names = [storage.write_new_save("2010-trawler", "2011Q1", f"save {k}").name for k in range(3)]
    assert names == ["2010-trawler-2011Q1-20300101-120000.json", "2010-trawler-2011Q1-20300101-120000-2.json",
                     "2010-trawler-2011Q1-20300101-120000-3.json"]
    assert [(storage.saves_dir() / name).read_text(encoding="utf-8") for name in names] == [
        "save 0", "save 1", "save 2"]
    odd = storage.write_new_save("../..\\secrets/\x00lev el", "", "{}")
    assert odd.parent == storage.saves_dir() and odd.name == "secrets_lev_el-save-20300101-120000.json"


def test_two_windows_saving_in_the_same_second_never_write_over_each_other(data_dir, monkeypatch):
    """Each window looked for a free name, then renamed its save over whatever was there by
    then: both said "Saved as" one name, and one save was gone. The name is now claimed whole."""
    monkeypatch.setattr(storage.time, "strftime", lambda _form: "20300101-120000")
    first = storage.saves_dir() / "2010-trawler-2010Q4-20300101-120000.json"
    real_names = storage.dated_names

    def taken_between(folder, parts, suffix):  # another window writes the first name just after it was found free
        names = real_names(folder, parts, suffix)
        name = next(names)
        storage.write_atomically(name, "the other window's save")
        yield name
        yield from names

    monkeypatch.setattr(storage, "dated_names", taken_between)
    mine = storage.write_new_save("2010-trawler", "2010Q4", "my save")
    assert mine.name == "2010-trawler-2010Q4-20300101-120000-2.json" and mine.read_text(encoding="utf-8") == "my save"
    assert first.read_text(encoding="utf-8") == "the other window's save"


@POSIX_ONLY
def test_a_write_flushes_the_file_then_the_folder_that_names_it(tmp_path, monkeypatch):
    flushed = []
    real_fsync = os.fsync

    def recording_fsync(handle):
        flushed.append("folder" if stat.S_ISDIR(os.fstat(handle).st_mode) else "file")
        real_fsync(handle)

    monkeypatch.setattr(os, "fsync", recording_fsync)
    storage.write_atomically(tmp_path / "saves" / "a.json", "{}")
    assert flushed == ["file", "folder"]
    assert (tmp_path / "saves" / "a.json").read_text(encoding="utf-8") == "{}"


#: Forks a writer on each line it reads and prints the writer's pid: the game's modules are
#: imported once, and each writer saves in a loop, two real saves in turn, until it is killed.
WRITER = """
import os, signal, sys
from pathlib import Path
from game.ui.storage import write_atomically
target = Path(sys.argv[1])
texts = [Path(name).read_text(encoding="utf-8") for name in sys.argv[2:]]
signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the killed writers are reaped by the system
for _ in sys.stdin:
    writer = os.fork()
    if writer == 0:
        turn = 0
        while True:
            write_atomically(target, texts[turn % len(texts)])
            turn += 1
    print(writer, flush=True)
"""


@POSIX_ONLY
def test_a_save_killed_mid_write_leaves_the_whole_old_or_the_whole_new_save(tmp_path, monkeypatch, real_save):
    texts = [real_save, _played(seed=6, turns=3)]
    for i, text in enumerate(texts):
        (tmp_path / f"save{i}.txt").write_text(text, encoding="utf-8")
    saves = tmp_path / "data" / "saves"
    target = saves / storage.AUTOSAVE
    storage.write_atomically(target, texts[0])
    first = _identity(target)
    launcher = subprocess.Popen([sys.executable, "-c", WRITER, str(target), *(str(tmp_path / f"save{i}.txt") for i in (0, 1))],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    moments = random.Random(7)
    seen, writer = set(), None
    try:
        for _ in range(10):
            launcher.stdin.write("go\n")
            launcher.stdin.flush()
            writer = int(launcher.stdout.readline())
            time.sleep(moments.uniform(0.01, 0.1))
            os.kill(writer, signal.SIGKILL)
            _wait_until_gone(writer)
            writer = None
            text = target.read_text(encoding="utf-8")
            assert text in texts, "a killed write left a save that is neither the old one nor the new"
            seen.add(texts.index(text))
    finally:
        if writer is not None:  # the test stopped between starting a writer and killing it
            os.kill(writer, signal.SIGKILL)
        launcher.stdin.close()
        launcher.wait(timeout=30)
    assert _identity(target) != first, "no write finished: the test killed nothing but idle writers"
    for i in seen:
        assert _loads(texts[i])
    # What killed writers leave behind is never taken for a save.
    monkeypatch.setenv("RARE_EARTHS_DATA", str(saves.parent))
    [slot] = storage.list_saves()
    assert slot.path == target and not slot.problem


def test_what_killed_writes_left_is_removed_when_old_and_kept_while_it_may_be_a_write_under_way(tmp_path, monkeypatch):
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path))
    kept = storage.kept_levels_dir() / "my-level-0123456789ab"
    kept.mkdir(parents=True)
    saves = storage.saves_dir()
    now = time.time()
    old_ones = [tmp_path / ".settings.json.a1.partial", saves / ".autosave.json.b2.partial",
                kept / ".my-level.toml.c3.partial"]
    young = saves / ".autosave.json.d4.partial"
    whole = [saves / "autosave.json", saves / ".hidden-but-not-partial.json", tmp_path / "settings.json"]
    for path in old_ones + [young] + whole:
        path.write_text("{", encoding="utf-8")
    for path in old_ones:
        os.utime(path, (now - 2 * storage.STALE_PARTIAL_SECONDS,) * 2)
    (saves / ".folder.partial").mkdir()  # not a file we write: left alone
    os.utime(saves / ".folder.partial", (now - 2 * storage.STALE_PARTIAL_SECONDS,) * 2)
    assert storage.remove_stale_partial_writes(now) == 3
    assert not any(path.exists() for path in old_ones)
    assert young.exists() and all(path.exists() for path in whole) and (saves / ".folder.partial").is_dir()
    # A data folder that is missing or cannot be listed removes nothing and raises nothing.
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path / "missing"))
    assert storage.remove_stale_partial_writes(now) == 0


def _identity(path: Path) -> tuple[int, int]:
    """Which file is at ``path``, and when it was written: every replace changes one of them."""
    facts = path.stat()
    return facts.st_ino, facts.st_mtime_ns


def _wait_until_gone(pid: int) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.005)
    raise AssertionError(f"writer {pid} outlived kill -9")


# --------------------------------------------------------------------------- the Load screen


def test_a_save_whose_name_holds_a_newline_or_bytes_not_utf8_is_listed_with_escapes(quiet_window, tmp_path,
                                                                                        real_save):
    """Such names were drawn as boxes the font has no glyph for (U+FFFD), where the README
    promises escapes, as the terminal shows them."""
    app = quiet_window
    saves = tmp_path / "saves"
    saves.mkdir(exist_ok=True)
    (saves / "two\nlines.json").write_text(real_save, encoding="utf-8")
    (saves / os.fsdecode(b"not-utf8-\xff.json")).write_text(real_save, encoding="utf-8")
    app.switch("load")
    app.frame([])
    tips = [f.tooltip for f in app.top.focusables if f.tooltip.endswith(".json")]
    assert sorted(tips) == ["not-utf8-\\udcff.json", "two\\nlines.json"]
    assert not [f.element.text for f in app.top.focusables if "\ufffd" in f.element.text or "\n" in f.element.text]
    from game.ui.driver import click_at

    click_at(app, next(f.element for f in app.top.focusables if f.tooltip == "two\\nlines.json").get_abs_rect().center)
    assert app.notice[0] == "Loaded two\\nlines.json"


def test_the_load_screen_lists_bad_files_as_unreadable_and_still_loads_the_good_one(quiet_window, tmp_path, real_save):
    app = quiet_window
    saves = tmp_path / "saves"
    saves.mkdir(exist_ok=True)
    bad = ["nul-in-level.json", "nested-5000-deep.json", "seed-of-4400-digits.json", "negative-seed.json",
           "escape-sequence-in-label.json"]
    for name in bad:
        shutil.copyfile(BROKEN / name, saves / name)
    if os.name != "nt":
        os.mkfifo(saves / "pipe.json")
        (saves / "nowhere.json").symlink_to(saves / "gone.json")
        bad += ["pipe.json", "nowhere.json"]
    (saves / "good.json").write_text(real_save, encoding="utf-8")
    app.switch("load")
    app.frame([])
    assert isinstance(app.top, LoadScene)
    # A row's tip is its file's name, and for a file that cannot be opened why (not Delete's)
    shown = {f.tooltip.split(" cannot be opened: ")[0]: f.element.text for f in app.top.focusables
             if f.tooltip.split(" cannot be opened: ")[0].endswith(".json") and not f.tooltip.startswith("Delete")}
    assert sorted(shown) == sorted([*bad, "good.json"])
    for name in bad:
        assert shown[name].endswith(f"{name} (unreadable)")
        click(app, shown[name])
        text, kind, _ = app.notice
        assert isinstance(app.top, LoadScene) and kind == "error" and f"{name} was refused" in text.split("\n")[-1]
    click(app, shown["good.json"])
    assert isinstance(app.top, TurnScene) and str(app.game.world.quarter) == json.loads(real_save)["quarter"]


def test_a_file_dated_beyond_the_calendar_shows_question_marks_for_its_date():
    assert _when(1e18) == _when(1e300) == "????-??-?? ??:??"
    assert _when(0.0)[:2] in ("19", "20")


# --------------------------------------------------------------------------- generated damage

#: Values a field may be changed to: wrong types, out of range, not finite, hostile strings.
NASTY = [None, True, False, 0, -1, 2**63, 10**30, -(10**30), 1e308, -1e308, 5e-324, float("nan"), float("inf"),
         "", "x", "\x00", "2010Q3", "../../levels/x.toml", "/dev/zero", "\u202e", "\udc80", [], {}, [[[]]], {"kind": 1}]


def _paths(value) -> list[tuple]:
    """Places in a parsed save, as tuples of keys and indexes, down to ten deep (a save's own
    structure is six; deeper is what an earlier change nested, and need not be walked)."""
    found, stack = [], [((), value)]
    while stack:
        at, child = stack.pop()
        found.append(at)
        if len(at) < 10 and isinstance(child, dict):
            stack.extend(((*at, key), grandchild) for key, grandchild in child.items())
        elif len(at) < 10 and isinstance(child, list):
            stack.extend(((*at, index), grandchild) for index, grandchild in enumerate(child))
    return found


def _mutated(data: st.DataObject, text: str) -> bytes:
    """``text`` damaged one of the ways a disk, an editor or a hostile tester damages a save."""
    kind = data.draw(st.sampled_from(["drop", "retype", "number", "nest", "truncate", "flip", "digits"]), label="kind")
    if kind == "truncate":
        return text.encode("utf-8")[: data.draw(st.integers(0, len(text) - 1), label="cut at")]
    if kind == "flip":
        raw = bytearray(text.encode("utf-8"))
        at = data.draw(st.integers(0, len(raw) - 1), label="byte")
        raw[at] ^= 1 << data.draw(st.integers(0, 7), label="bit")
        return bytes(raw)
    if kind == "digits":  # a number of thousands of digits where a number was
        numbers = [token for token in text.replace(",", " ").replace("\n", " ").split() if token[:1].isdigit()]
        target = data.draw(st.sampled_from(numbers), label="number")
        return text.replace(target, "9" * data.draw(st.integers(25, 6000), label="digits"), 1).encode("utf-8")
    save = json.loads(text)
    for _ in range(data.draw(st.integers(1, 3), label="changes")):
        places = [path for path in _paths(save) if path]
        path = data.draw(st.sampled_from(places), label="place")
        parent = save
        for step in path[:-1]:
            parent = parent[step]
        if kind == "drop":
            del parent[path[-1]]
        elif kind == "retype":
            parent[path[-1]] = copy.deepcopy(data.draw(st.sampled_from(NASTY), label="value"))  # NASTY stays as it is
        elif kind == "number":
            parent[path[-1]] = data.draw(st.one_of(st.integers(-(10**25), 10**25), st.floats()), label="number")
        else:
            depth = data.draw(st.integers(1, 300), label="depth")
            parent[path[-1]] = json.loads("[" * depth + "]" * depth)
    if data.draw(st.booleans(), label="checksum made again"):  # so that the change, not the damage, is what is checked
        try:
            return sealed(save).encode("utf-8")
        except ValueError:  # NaN or infinity: JSON has no way to write them, and sealed will not
            pass
    return json.dumps(save).encode("utf-8")


def test_a_damaged_save_loads_or_is_refused_with_a_save_error_and_never_crashes_the_list(real_save, data_dir):
    saves = data_dir / "saves"
    saves.mkdir()
    tried = []

    @settings(max_examples=160, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(st.data())
    def damaged(data):
        raw = _mutated(data, real_save)
        (saves / "damaged.json").write_bytes(raw)
        [slot] = storage.list_saves()
        assert slot.path.name == "damaged.json"
        for text in _as_read(saves / "damaged.json", raw):
            try:
                session, _ = load_text(text)
            except SaveError as error:
                assert "\n" not in str(error)
                assert slot.problem or not _read_head_fails(text)
            else:
                session.close()
                assert not slot.problem
        tried.append(raw)

    damaged()
    assert len(tried) >= 150


def _as_read(path: Path, raw: bytes) -> list[str]:
    """The text the window would load (none if it is refused at the door), and the bytes
    decoded anyway, for the loader to face whatever a caller hands it."""
    texts = [raw.decode("utf-8", "surrogateescape")]
    try:
        texts.append(storage.read_save(path))
    except SaveError:
        pass
    return texts


def _read_head_fails(text: str) -> bool:
    try:
        read_head(text)
    except SaveError:
        return True
    return False


def test_a_save_of_a_level_of_your_own_loads_after_the_level_file_moves(tmp_path, data_dir):
    """The window keeps a copy of a player's own level (and the world file beside it) with the
    saves, and the save names the copy: it loads after the original is gone, and names no file
    outside the game's folders."""
    from game.ui.play import Game

    own = tmp_path / "my-levels"
    own.mkdir()
    level_text = (levels_dir() / "2010-trawler.toml").read_text(encoding="utf-8")
    level_text = level_text.replace('id = "2010-trawler"', 'id = "my-trawler"', 1)
    level_text = level_text.replace('world = "world-2010"', 'world = "my-world"', 1)
    (own / "my-trawler.toml").write_text(level_text, encoding="utf-8")
    world_text = (levels_dir() / "world-2010.toml").read_text(encoding="utf-8")
    (own / "my-world.toml").write_text(world_text.replace("cash_musd = 800", "cash_musd = 801", 1), encoding="utf-8")
    game = Game(str(own / "my-trawler.toml"), seed=4)
    game.end_turn()
    text = game.save_text()
    rows = game.session.rows()
    game.close()
    named = json.loads(text)["level"]
    assert named.startswith("my-trawler-") and named.endswith("/my-trawler.toml")  # no path of the player's
    kept = storage.kept_levels_dir() / named
    assert kept.is_file() and (kept.parent / "my-world.toml").is_file()
    shutil.rmtree(own)
    loaded = Game.from_save(text)
    assert loaded.session.rows() == rows and loaded.level_id == "my-trawler"
    assert loaded.save_text() == text  # played on from the save, it names the copy as before
    loaded.close()
    listed = storage.list_saves()
    assert [slot.problem for slot in listed] == [""] * len(listed)
    # The copy gone too: said so, not "a file outside the game's levels folder".
    shutil.rmtree(kept.parent)
    with pytest.raises(SaveError, match=f"^save's level '{named}' is the copy the game kept of a level of your own, "
                                        "and it is gone from .*: the save cannot be played without it$"):
        Game.from_save(text)


def _saved_game_of_own_level(folder: Path) -> tuple[str, Path]:
    """A save of a level of the player's own whose world file sits beside it, and the kept copy's
    folder."""
    from game.ui.play import Game

    level_text = (levels_dir() / "2010-trawler.toml").read_text(encoding="utf-8")
    level_text = level_text.replace('id = "2010-trawler"', 'id = "my-trawler"', 1)
    (folder / "my-trawler.toml").write_text(level_text.replace('world = "world-2010"', 'world = "my-world"', 1),
                                            encoding="utf-8")
    shutil.copy(levels_dir() / "world-2010.toml", folder / "my-world.toml")
    game = Game(str(folder / "my-trawler.toml"), seed=4)
    game.end_turn()
    game.end_turn()
    text = game.save_text()
    game.close()
    return text, (storage.kept_levels_dir() / json.loads(text)["level"]).parent


#: Edits to a kept copy: the file edited, what is replaced and by what.
KEPT_COPY_EDITS = {
    "world": ("my-world.toml", "budget_musd_per_quarter = 60.0", "budget_musd_per_quarter = 90.0"),
    "objectives": ("my-trawler.toml", "threshold = 0.75", "threshold = 0.5"),
}


@pytest.mark.parametrize("edited", sorted(KEPT_COPY_EDITS))
def test_a_kept_copy_edited_since_the_save_is_named_as_changed_not_blamed_on_the_version(tmp_path, data_dir, edited):
    """A kept copy's world edited made the save "not match this version of the game", and its
    objectives edited loaded in silence, judging the saved game by other rules."""
    from game.ui.play import Game

    text, copy = _saved_game_of_own_level(tmp_path)
    name, old, new = KEPT_COPY_EDITS[edited]
    original = (copy / name).read_text(encoding="utf-8")
    assert old in original
    (copy / name).write_text(original.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(SaveError) as refused:
        Game.from_save(text)
    assert refused.value.template == ("save's level {level}: the level's files changed since the save ({file} was "
                                      "edited after the game kept it with the save)")
    assert refused.value.values["file"] == repr(f"{copy.name}/{name}")
    assert "version" not in str(refused.value)
    (copy / name).write_text(original, encoding="utf-8")  # put back as it was: the save plays again
    Game.from_save(text).close()


def test_the_load_screen_marks_a_save_whose_kept_level_changed_as_one_that_cannot_be_played(quiet_window, tmp_path):
    """A save of a level of the player's own whose kept copy was edited since was listed as a
    playable game, and refused only when opened. The list says it cannot be played, and why."""
    app = quiet_window
    text, copy = _saved_game_of_own_level(tmp_path)
    (storage.saves_dir() / "mine.json").write_text(text, encoding="utf-8")
    name, old, new = KEPT_COPY_EDITS["world"]
    (copy / name).write_text((copy / name).read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    app.switch("load")
    app.frame([])
    shown = {f.tooltip: f.element.text for f in app.top.focusables if f.tooltip.endswith(".json")}
    assert shown["mine.json"].endswith("   (level changed) The Trawler Incident · 2011Q1"), shown
    click(app, shown["mine.json"])
    assert isinstance(app.top, LoadScene) and app.notice[1] == "error"


def test_a_kept_copy_missing_a_file_or_kept_before_its_digests_says_its_files_changed(tmp_path, data_dir):
    """A file removed from a copy is named; a copy kept before the digests were kept beside it is
    named by its folder, whose name is the digest of the files as kept."""
    from game.ui.play import Game

    text, copy = _saved_game_of_own_level(tmp_path)
    world = (copy / "my-world.toml").read_bytes()
    (copy / "my-world.toml").unlink()
    with pytest.raises(SaveError, match=r"the level's files changed since the save \('my-trawler-[0-9a-f]{12}/"
                                        r"my-world.toml' was removed from the copy"):
        Game.from_save(text)
    (copy / "my-world.toml").write_bytes(world.replace(b"= 60.0", b"= 90.0", 1))
    (copy / kept_levels.DIGESTS_FILE).unlink()
    with pytest.raises(SaveError, match=r"the level's files changed since the save \(a file in 'my-trawler-[0-9a-f]{12}' "
                                        "was edited"):
        Game.from_save(text)
    (copy / "my-world.toml").write_bytes(world)
    Game.from_save(text).close()


@pytest.mark.parametrize("with_digests", [True, False], ids=["with-digests", "kept-before-digests"])
def test_a_kept_copy_with_a_file_that_cannot_be_read_is_refused_naming_it(tmp_path, data_dir, monkeypatch,
                                                                           with_digests):
    """A copy kept before the digests were, one of whose files could not be read, counted as
    unchanged: the check stopped there, and the copy's other files, edited or not, loaded. The
    file that cannot be read is named, as a removed or edited one is. (Root reads a file whatever
    its permissions: the read is made to fail.)"""
    from game.ui.play import Game

    text, copy = _saved_game_of_own_level(tmp_path)
    if not with_digests:
        (copy / kept_levels.DIGESTS_FILE).unlink()
    unreadable = copy / "my-world.toml"
    read_bytes = Path.read_bytes

    def refused_read(path: Path) -> bytes:
        if path == unreadable:
            raise PermissionError(13, "Permission denied", str(path))
        return read_bytes(path)

    with monkeypatch.context() as reads:
        reads.setattr(Path, "read_bytes", refused_read)
        assert kept_levels.change_since_kept(copy, 1 << 20) == kept_levels.KeptChange("my-world.toml", unreadable=True)
        with pytest.raises(SaveError) as refused:
            Game.from_save(text)
    assert refused.value.template == ("save's level {level}: {file} in the copy the game kept with the save cannot be "
                                      "read")
    assert refused.value.values["file"] == repr(f"{copy.name}/my-world.toml") and "\n" not in str(refused.value)
    Game.from_save(text).close()


def test_a_kept_copy_whose_digests_file_alone_was_edited_is_intact_and_loads(tmp_path, data_dir):
    """Only the digests file edited (a digit of one file's digest, a file listed that was never
    kept): the level's files are those the copy's folder is named for, and the save was refused
    for a file "edited" or "removed" that nobody touched."""
    from game.ui.play import Game

    text, copy = _saved_game_of_own_level(tmp_path)
    digests_path = copy / kept_levels.DIGESTS_FILE
    digests = json.loads(digests_path.read_text(encoding="utf-8"))
    edited = {**digests, "my-trawler.toml": digests["my-trawler.toml"][:-1]
              + ("0" if digests["my-trawler.toml"][-1] != "0" else "1")}
    for listed in (edited, {**digests, "extra.toml": "sha256:" + "0" * 64}):
        digests_path.write_text(json.dumps(listed), encoding="utf-8")
        assert kept_levels.change_since_kept(copy, 1 << 20) is None
        Game.from_save(text).close()
    (copy / "my-world.toml").write_bytes((copy / "my-world.toml").read_bytes().replace(b"= 60.0", b"= 90.0", 1))
    assert kept_levels.change_since_kept(copy, 1 << 20) is not None  # a file edited too: still named


@pytest.mark.parametrize("digests", [b"[" * 30000 + b"]" * 30000, b"[" * 65 + b"]" * 65],
                         ids=["30000-deep", "65-deep"])
def test_a_kept_copy_whose_digests_file_is_nested_too_deeply_is_checked_by_its_folder_s_name(tmp_path, data_dir,
                                                                                             digests):
    """A digests file nested 30,000 deep (60 KB, under the size read) stopped the window with a
    RecursionError when the save was opened. It is no digests file: the folder's name is the check,
    as for a copy kept before the digests were."""
    from game.ui.play import Game

    text, copy = _saved_game_of_own_level(tmp_path)
    (copy / kept_levels.DIGESTS_FILE).write_bytes(digests)
    assert kept_levels.change_since_kept(copy, 1 << 20) is None
    Game.from_save(text).close()
    (copy / "my-world.toml").write_bytes((copy / "my-world.toml").read_bytes().replace(b"= 60.0", b"= 90.0", 1))
    with pytest.raises(SaveError, match=r"the level's files changed since the save \(a file in 'my-trawler-[0-9a-f]{12}' "
                                        "was edited"):
        Game.from_save(text)


def test_a_digests_file_naming_a_file_the_system_cannot_look_up_still_checks_the_copy(tmp_path, data_dir):
    """One entry of 300 characters (a name longer than the system takes: OSError) was read as a
    file unreadable, not changed, and switched the check off: a copy whose objectives were edited
    loaded in silence. The listing is then no use, and the folder's name checks the copy."""
    from game.ui.play import Game

    text, copy = _saved_game_of_own_level(tmp_path)
    digests_path = copy / kept_levels.DIGESTS_FILE
    digests = json.loads(digests_path.read_text(encoding="utf-8"))
    digests_path.write_text(json.dumps({**digests, "a" * 300: "sha256:" + "0" * 64}), encoding="utf-8")
    assert kept_levels.change_since_kept(copy, 1 << 20) is None
    Game.from_save(text).close()
    name, old, new = KEPT_COPY_EDITS["objectives"]
    (copy / name).write_text((copy / name).read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    with pytest.raises(SaveError, match=r"the level's files changed since the save \(a file in 'my-trawler-[0-9a-f]{12}' "
                                        "was edited"):
        Game.from_save(text)


def test_a_new_save_of_the_level_puts_an_edited_copy_back_as_it_was_kept(tmp_path, data_dir):
    """Keeping the same level again wrote only missing files, so a new game's save named the
    edited copy: another level than the one played."""
    from game.ui.play import Game

    text, copy = _saved_game_of_own_level(tmp_path)
    world = (copy / "my-world.toml").read_bytes()
    (copy / "my-world.toml").write_bytes(world.replace(b"= 60.0", b"= 90.0", 1))
    again, same_copy = _saved_game_of_own_level(tmp_path)
    assert same_copy == copy and (copy / "my-world.toml").read_bytes() == world
    for each in (text, again):
        Game.from_save(each).close()


def _own_level_game(folder: Path, name: str = "lev.toml"):
    from game.ui.play import Game

    text = (levels_dir() / "2010-trawler.toml").read_text(encoding="utf-8")
    path = folder / name
    path.write_text(text.replace('id = "2010-trawler"', 'id = "my-level"', 1), encoding="utf-8")
    game = Game(str(path), seed=1)
    game.end_turn()
    return game


@pytest.mark.parametrize("deep", ["level", "continued level"])
def test_a_level_of_your_own_nested_too_deeply_is_refused_when_a_game_starts(tmp_path, data_dir, deep):
    """A new game of a level file nested 1,000 deep (or continuing one beside it) read the files it
    keeps with its saves first, with TOML's RecursionError let through: the window stopped where
    the level reader says "not valid TOML: nested too deeply"."""
    from game.scenario import ScenarioError
    from game.ui.play import Game

    nested = "x = " + "[" * 1000 + "]" * 1000 + "\n"
    level = tmp_path / "lev.toml"
    if deep == "level":
        level.write_text(nested, encoding="utf-8")
    else:
        text = (levels_dir() / "2011-spike.toml").read_text(encoding="utf-8")
        level.write_text(text.replace('id = "2011-spike"', 'id = "my-spike"', 1)
                         .replace('starts_from = "sandbox"', 'starts_from = "deep"', 1), encoding="utf-8")
        (tmp_path / "deep.toml").write_text(nested, encoding="utf-8")
    with pytest.raises(ScenarioError, match="not valid TOML: nested too deeply"):
        Game(str(level), seed=1)


def test_saves_of_a_level_of_your_own_are_listed_and_load_after_the_data_folder_moves(tmp_path, monkeypatch):
    """The Load screen listed every save of a player's own level as unreadable, and a save named
    its copy by the data folder's whole path, so moving the folder lost the game. Saves written
    that way still load, from the folder's new place too."""
    from game.ui.play import Game

    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path / "data"))
    game = _own_level_game(tmp_path)
    assert game.try_autosave() is None
    new_style = game.save_text()
    data = json.loads(new_style)
    data["level"] = str(storage.kept_levels_dir() / data["level"])  # as the game wrote it before
    old_style = sealed(data)
    rows = game.session.rows()
    game.close()
    (storage.saves_dir() / "older.json").write_text(old_style, encoding="utf-8")
    assert sorted((slot.label, slot.problem) for slot in storage.list_saves()) == [
        ("Autosave: my-level · 2010Q4", ""), ("my-level · 2010Q4", "")]
    (tmp_path / "data").rename(tmp_path / "moved")
    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path / "moved"))
    for text in (new_style, old_style):
        loaded = Game.from_save(text)
        assert loaded.session.rows() == rows
        loaded.close()
    assert [slot.problem for slot in storage.list_saves()] == ["", ""]
    # A name that leads outside the kept levels' folder is still refused, moved folder or not.
    data["level"] = str(tmp_path / "elsewhere" / "lev-0123456789ab" / "lev.toml")
    with pytest.raises(SaveError, match="outside"):
        read_head(sealed(data), level_folders=(storage.kept_levels_dir(),))


@pytest.mark.parametrize("change", ["moved", "edited"])
def test_a_level_of_your_own_moved_or_edited_after_the_game_began_saves_the_game_as_played(tmp_path, data_dir, change):
    """The copy a save names was read from the level file at the first save: a file moved during
    the first turn made every autosave and Ctrl+S fail (the game was lost on quitting), and one
    edited made the save name the edited level, so the loaded game was another game."""
    from game.ui.play import Game

    level = tmp_path / "mine.toml"
    text = (levels_dir() / "2010-trawler.toml").read_text(encoding="utf-8")
    level.write_text(text.replace('id = "2010-trawler"', 'id = "my-level"', 1), encoding="utf-8")
    (tmp_path / "world-2010.toml").write_text((levels_dir() / "world-2010.toml").read_text(encoding="utf-8"),
                                              encoding="utf-8")
    game = Game(str(level), seed=1)
    if change == "moved":
        level.rename(tmp_path / "mine-v2.toml")
        (tmp_path / "world-2010.toml").unlink()
    else:
        level.write_text(level.read_text(encoding="utf-8").replace("musd = 1170", "musd = 11700"), encoding="utf-8")
        assert "musd = 11700" in level.read_text(encoding="utf-8")
    assert game.end_turn().save_error is None
    assert game.save().endswith(".json")
    loaded = Game.from_file(storage.newest_autosave())
    for each in (game, loaded):
        each.end_turn()
    assert loaded.session.rows() == game.session.rows()
    assert loaded.world.nation("JPN").budget_musd == game.world.nation("JPN").budget_musd
    game.close()
    loaded.close()


def test_a_level_file_whose_name_is_not_utf8_is_kept_under_a_name_that_is(tmp_path, monkeypatch):
    """A file name may hold any bytes; the copy's name goes into the save, which is UTF-8 text:
    the first turn end raised UnicodeEncodeError in the window."""
    from game.ui.play import Game

    monkeypatch.setenv("RARE_EARTHS_DATA", str(tmp_path / "data"))
    game = _own_level_game(tmp_path, os.fsdecode(b"lev\xff.toml"))
    assert game.try_autosave() is None
    named = json.loads(game.save_text())["level"]
    assert named.endswith("/lev\ufffd.toml")
    rows = game.session.rows()
    game.close()
    loaded = Game.from_file(storage.saves_dir() / storage.AUTOSAVE)
    assert loaded.session.rows() == rows
    loaded.close()


def test_a_new_file_takes_the_first_free_name_and_never_writes_over_one(tmp_path):
    from game.whole_files import write_whole_as_new

    (tmp_path / "a.json").write_text("somebody else's", encoding="utf-8")
    names = [tmp_path / name for name in ("a.json", "b.json", "c.json")]
    assert write_whole_as_new(names, "mine") == tmp_path / "b.json"
    assert write_whole_as_new(names, b"yours") == tmp_path / "c.json"
    assert [(tmp_path / n).read_text(encoding="utf-8") for n in ("a.json", "b.json", "c.json")] == [
        "somebody else's", "mine", "yours"]
    with pytest.raises(FileExistsError):
        write_whole_as_new(names, "no room")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "b.json", "c.json"]  # no partial left


@pytest.mark.parametrize("refusal", [errno.EPERM, errno.EINVAL, errno.ENOSYS])
def test_a_new_file_without_hard_links_claims_its_name_then_fills_it(tmp_path, monkeypatch, refusal):
    from game.whole_files import write_whole_as_new

    def no_links(source, target):  # each system says "no hard links here" its own way
        raise OSError(refusal, os.strerror(refusal))

    monkeypatch.setattr(os, "link", no_links)
    (tmp_path / "a.json").write_text("kept", encoding="utf-8")
    assert write_whole_as_new([tmp_path / "a.json", tmp_path / "b.json"], "new") == tmp_path / "b.json"
    assert (tmp_path / "a.json").read_text(encoding="utf-8") == "kept"
    assert (tmp_path / "b.json").read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "b.json"]


@pytest.mark.parametrize("level", ["2010-trawler", "2019-trade-war"])
def test_a_loaded_game_shows_the_news_of_the_quarter_played_before_it_was_saved(data_dir, level):
    from game.ui.play import Game

    game = Game(level, seed=6)
    assert Game.from_save(game.save_text()).last_report is None  # nothing played yet: no news of a quarter
    game.submit(BuyStockpile(Material.NDPR, 200.0, 400.0))
    for _ in range(3):
        report = game.end_turn()
    loaded = Game.from_save(game.save_text())
    assert report.news and loaded.last_report.quarter == report.quarter
    assert [(n.kind, n.headline) for n in loaded.last_report.news] == [(n.kind, n.headline) for n in report.news]
    game.close()
    loaded.close()


def test_a_write_error_names_the_file_the_game_meant_to_write_not_its_hidden_partial(tmp_path):
    """A read-only data folder said "Permission denied: …/.settings.json.17922-1841…-0.partial"
    and a settings.json that is a folder "Is a directory: …/.settings.json.….partial"; a saves
    folder that is a file "File exists: …/saves"."""
    import errno

    partial = tmp_path / ".settings.json.17922-18413355964211-0.partial"
    denied = PermissionError(errno.EACCES, "Permission denied", str(partial))
    assert storage.describe_write_error(denied) == f"Permission denied: {tmp_path / 'settings.json'}"
    renamed = IsADirectoryError(errno.EISDIR, "Is a directory", str(partial), None, str(tmp_path / "settings.json"))
    assert storage.describe_write_error(renamed) == f"Is a directory: {tmp_path / 'settings.json'}"
    (tmp_path / "saves").write_text("", encoding="utf-8")
    occupied = FileExistsError(errno.EEXIST, "File exists", str(tmp_path / "saves"))
    assert storage.describe_write_error(occupied) == f"a file is where a folder should be: {tmp_path / 'saves'}"
    assert storage.describe_write_error(OSError(errno.ENOSPC, "No space left on device")) == "No space left on device"


def test_a_save_whose_replay_fails_is_refused_not_raised(monkeypatch):
    """A fault while a save replays (a level changed since, or the game's own) came out as the
    fault itself, and Continue on the title crashed the window; the save is refused instead."""
    session = Session(load_level(find_level("2010-trawler")), seed=1)
    session.end_turn()
    text = save_text(session, "2010-trawler")
    session.close()
    events_fail_from(monkeypatch, 1)
    with pytest.raises(SaveError, match="save does not replay: RuntimeError: a fault in an event"):
        load_text(text)


def test_a_file_name_near_the_limit_is_written_whole_and_a_full_disk_names_the_file(tmp_path):
    """A name near the system's 255 bytes left no room for its partial file's marks ("File name
    too long", and a class's results were lost); a full disk's error named no file."""
    import errno

    from game.whole_files import write_whole

    long_name = tmp_path / ("c" * 250 + ".json")
    write_whole(long_name, b"{}")
    assert long_name.read_bytes() == b"{}" and [p.name for p in tmp_path.iterdir()] == [long_name.name]

    def full(handle):
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError) as raised:
        from game.whole_files import _write_partial
        _write_partial(tmp_path / "settings.json", full)
    assert raised.value.filename == str(tmp_path / "settings.json")
    assert storage.describe_write_error(raised.value) == f"No space left on device: {tmp_path / 'settings.json'}"
    assert [p.name for p in tmp_path.iterdir()] == [long_name.name]  # no partial left


def test_a_level_name_the_systems_file_names_cannot_hold_is_refused_in_a_line(tmp_path, data_dir, monkeypatch):
    """With a locale that is not UTF-8, Python's file names are ASCII: keeping a copy of a level
    named in Japanese raised UnicodeEncodeError, a traceback that lost the game at quitting."""
    from game.ui.play import Game

    text = (levels_dir() / "2010-trawler.toml").read_text(encoding="utf-8")
    (tmp_path / "日本.toml").write_text(text.replace('id = "2010-trawler"', 'id = "my-level"', 1), encoding="utf-8")
    game = Game(str(tmp_path / "日本.toml"), seed=1)

    def ascii_names_only(path, data):
        str(path).encode("ascii")

    monkeypatch.setattr(storage, "write_atomically", ascii_names_only)
    error = game.try_autosave()
    assert "cannot hold" in error and "UTF-8 locale" in error and "\n" not in error
    game.close()


def test_a_level_of_your_own_continuing_others_of_your_own_is_kept_with_all_of_them(tmp_path, data_dir):
    """Only the files a level names itself were kept: a level continuing one of the player's own
    that continues another (three files) saved games that could not be loaded, and the refusal
    stopped at "... is invalid:" without its reason."""
    from game.ui.play import Game

    def own(shipped: str, new_id: str, continues: str | None) -> None:
        text = (levels_dir() / f"{shipped}.toml").read_text(encoding="utf-8").replace(f'id = "{shipped}"', f'id = "{new_id}"', 1)
        if continues:
            text = text.replace('starts_from = "sandbox"', f'starts_from = "{continues}"', 1)
        (tmp_path / f"{new_id}.toml").write_text(text, encoding="utf-8")

    own("sandbox", "my-sandbox", None)
    own("2011-spike", "my-spike", "my-sandbox")
    own("2012-wto", "my-wto", "my-spike")
    game = Game(str(tmp_path / "my-wto.toml"), seed=4)
    game.end_turn()
    text = game.save_text()
    kept = (storage.kept_levels_dir() / json.loads(text)["level"]).parent
    assert sorted(p.name for p in kept.iterdir()) == [kept_levels.DIGESTS_FILE, "my-sandbox.toml", "my-spike.toml",
                                                      "my-wto.toml"]
    loaded = Game.from_save(text)
    assert loaded.session.rows() == game.session.rows()
    loaded.close()
    (kept / "my-sandbox.toml").unlink()  # a kept copy that lost a level: that file is named
    with pytest.raises(SaveError, match=r"files changed since the save \('my-wto-[0-9a-f]{12}/my-sandbox.toml' was removed"):
        Game.from_save(text)
    (tmp_path / "my-sandbox.toml").unlink()  # a level file of a trusted folder that lost one: the reason is said
    with pytest.raises(SaveError, match="is invalid: .*my-sandbox"):
        load_text(save_text(game.session, str(tmp_path / "my-wto.toml")), level_folders=(tmp_path,))
    game.close()


@POSIX_ONLY
def test_settings_and_stars_are_written_where_the_lock_fails_or_is_held_too_long(data_dir, monkeypatch):
    """A lock the system refuses (ENOLCK, a network file system without its lock daemon) stopped
    every settings and progress write; one held by a stopped copy of the game held the window
    for good."""
    import fcntl

    real_flock = fcntl.flock

    def no_locks(handle, operation):
        raise OSError(errno.ENOLCK, os.strerror(errno.ENOLCK))

    monkeypatch.setattr(fcntl, "flock", no_locks)
    settings = storage.Settings.load()
    settings.language = "ja"
    settings.save()
    storage.Progress.load().record("2010-trawler", 2)
    assert storage.Settings.load().language == "ja" and storage.Progress.load().stars == {"2010-trawler": 2}
    monkeypatch.setattr(fcntl, "flock", real_flock)
    monkeypatch.setattr(storage, "LOCK_WAIT_SECONDS", 0.3)
    held = os.open(data_dir / ".lock", os.O_RDWR | os.O_CREAT)
    try:
        real_flock(held, fcntl.LOCK_EX)  # another copy holds it, and goes on holding it
        started = time.monotonic()
        storage.Progress.load().record("2011-spike", 1)
        assert time.monotonic() - started < 5.0 and storage.Progress.load().stars["2011-spike"] == 1
    finally:
        os.close(held)


@pytest.mark.parametrize("name", sorted(name for name, case in EXPECTED.items()
                                        if case["reads_as"] in ("progress", "settings")))
def test_a_data_file_this_version_cannot_read_whole_is_kept_before_it_is_written_over(name, data_dir):
    """A progress file the game could not read (UTF-16, a newer version's, stars as 3.0) was
    replaced by defaults at the next save: every star earned was gone without a word."""
    kind = EXPECTED[name]["reads_as"]
    target = data_dir / f"{kind}.json"
    shutil.copyfile(BROKEN / name, target)
    original = target.read_bytes()
    said = storage.unreadable_data_files()
    if kind == "progress":
        storage.Progress.load().record("2010-trawler", 1)
    else:
        changed = storage.Settings.load()
        changed.sound = not changed.sound
        changed.save()
    aside = data_dir / f"{kind}.unreadable.json"
    if said:
        [(file, problem, kept_as)] = said
        assert file == target.name and problem and kept_as == aside.name
        assert aside.read_bytes() == original
    else:
        assert not aside.exists()
    assert storage.unreadable_data_files() == []  # what was written reads whole


def test_an_unreadable_progress_file_is_named_when_the_window_opens_and_kept_when_stars_are_won(data_dir):
    stars = {"stars": {"2010-trawler": 3, "2011-spike": 3, "2012-wto": 2}, "tutorial_done": True}
    original = json.dumps(stars).encode("utf-16")  # as a text editor on another system saved it
    (data_dir / "progress.json").write_bytes(original)
    from game.ui.app import open_app
    from game.ui.storage import Settings

    app = open_app(settings=Settings(sound=False))
    text, kind, _ = app.notice
    assert kind == "error" and text.startswith("progress.json could not be read whole (not UTF-8 text)")
    assert "progress.unreadable.json" in text
    app.progress.record("2010-trawler", 1)
    assert (data_dir / "progress.unreadable.json").read_bytes() == original
    assert storage.Progress.load().stars == {"2010-trawler": 1}
    again = storage.Progress.load()
    again.record("2011-spike", 2)  # read whole now: nothing more is kept aside
    assert sorted(p.name for p in data_dir.glob("progress*")) == ["progress.json", "progress.unreadable.json"]


def test_two_notices_in_one_move_both_show(data_dir):
    """'Don't warn again' on a read-only folder: the autosave's notice hid the settings' one."""
    from game.ui.app import open_app
    from game.ui.storage import Settings

    app = open_app(settings=Settings(sound=False))
    app.notify("Settings not saved: Read-only file system", "error")
    app.notify("Autosave failed, the game goes on", "info")
    text, kind, _ = app.notice
    assert text.split("\n") == ["Settings not saved: Read-only file system", "Autosave failed, the game goes on"]
    assert kind == "error"
    app.notify("Autosave failed, the game goes on", "info")  # the same again: not twice
    assert app.notice[0].count("Autosave failed") == 1


def test_a_file_named_through_a_link_is_written_through_it(tmp_path, data_dir, capsys):
    """'run --out link.csv' replaced the link with a file and left the file it named old, and
    a progress.json kept elsewhere behind a link went the same way."""
    from game.cli import main

    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link.csv"
    link.symlink_to(real / "target.csv")  # (a file there already is refused: see test_cli_inputs)
    assert main(["run", "--level", "2010-trawler", "--turns", "1", "--out", str(link)]) == 0
    assert link.is_symlink() and (real / "target.csv").read_text(encoding="utf-8").startswith("level,strategy,")
    (real / "progress.json").write_text('{"stars": {"2010-trawler": 1}}', encoding="utf-8")
    (data_dir / "progress.json").symlink_to(real / "progress.json")
    storage.Progress.load().record("2011-spike", 2)
    assert (data_dir / "progress.json").is_symlink()
    assert json.loads((real / "progress.json").read_text(encoding="utf-8"))["stars"] == {"2010-trawler": 1,
                                                                                         "2011-spike": 2}


def test_a_progress_file_that_links_to_a_folder_is_never_moved_nor_written_over(data_dir, tmp_path):
    """The folder a link named was renamed to keep it aside, and a file written in its place."""
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "file.txt").write_text("important\n", encoding="utf-8")
    (data_dir / "progress.json").symlink_to(folder)
    [(name, problem, kept_as)] = storage.unreadable_data_files()
    assert name == "progress.json" and kept_as == ""  # the notice promises no copy
    with pytest.raises(OSError, match="not a file the game can write over"):
        storage.Progress.load().record("2010-trawler", 1)
    assert folder.is_dir() and (folder / "file.txt").read_text(encoding="utf-8") == "important\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("documents")) == ["documents"]


def test_a_progress_file_that_links_to_nothing_yet_is_written_through_the_link(data_dir, tmp_path):
    """It was named unreadable ('No such file or directory'), and every save then failed on a
    copy it could not make."""
    (tmp_path / "elsewhere").mkdir()
    (data_dir / "progress.json").symlink_to(tmp_path / "elsewhere" / "progress.json")
    assert storage.unreadable_data_files() == []
    storage.Progress.load().record("2010-trawler", 2)
    assert storage.Progress.load().stars == {"2010-trawler": 2}
    assert (data_dir / "progress.json").is_symlink() and (tmp_path / "elsewhere" / "progress.json").is_file()


def test_a_save_that_fails_after_keeping_the_old_file_does_not_keep_it_again(data_dir, monkeypatch):
    """Each failed save on a full disk added progress.unreadable-2.json, -3, -4..."""
    import errno

    (data_dir / "progress.json").write_text('{"stars": {"2010-trawler": 3.0}}', encoding="utf-8")

    def full(path, data):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(storage, "write_atomically", full)
    for _ in range(3):
        with pytest.raises(OSError):
            storage.Progress.load().record("2011-spike", 1)
    assert sorted(p.name for p in data_dir.glob("progress*")) == ["progress.json", "progress.unreadable.json"]


def test_an_unreadable_file_in_a_folder_that_takes_no_file_is_not_promised_a_copy(data_dir, monkeypatch):
    (data_dir / "progress.json").write_bytes(json.dumps({"stars": {}}).encode("utf-16"))
    real_access = os.access
    monkeypatch.setattr(storage.os, "access", lambda path, mode: False if Path(path) == data_dir and mode & os.W_OK
                        else real_access(path, mode))  # a read-only folder, as it answers even root
    [(name, (template, values), kept_as)] = storage.unreadable_data_files()
    assert (name, template, kept_as) == ("progress.json", "not UTF-8 text", "")


@pytest.mark.parametrize("taken_by", ["other file", "folder", "link to nothing"])
def test_the_notice_names_the_copy_where_it_will_be_kept(data_dir, taken_by):
    """With progress.unreadable.json taken, the notice named it while the file went to -2."""
    (data_dir / "progress.json").write_text("{damaged", encoding="utf-8")
    taken = data_dir / "progress.unreadable.json"
    if taken_by == "other file":
        taken.write_text('{"stars": {}}', encoding="utf-8")
    elif taken_by == "folder":
        taken.mkdir()
    else:
        taken.symlink_to(data_dir / "nowhere.json")
    [(_, _, kept_as)] = storage.unreadable_data_files()
    storage.Progress.load().record("2010-trawler", 1)
    assert kept_as == "progress.unreadable-2.json" and (data_dir / kept_as).read_text(encoding="utf-8") == "{damaged"


def test_a_huge_file_in_the_way_is_not_read_whole_to_compare_it(data_dir, monkeypatch):
    """An 8 GB progress.json was read whole at every save to compare it with a kept copy."""
    with open(data_dir / "progress.json", "wb") as handle:
        handle.truncate(storage.MAX_SMALL_FILE_BYTES * 4)  # sparse: no room taken
    (data_dir / "progress.unreadable.json").write_text("{}", encoding="utf-8")
    read = []
    real_read_bytes = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self) or real_read_bytes(self))
    storage.Progress.load().record("2010-trawler", 1)
    assert not read and (data_dir / "progress.unreadable-2.json").stat().st_size == storage.MAX_SMALL_FILE_BYTES * 4


def test_a_data_folder_named_from_home_is_in_home(tmp_path, monkeypatch):
    """RARE_EARTHS_DATA="~/games" (in quotes, so the shell left the ~) made a folder named ~."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("RARE_EARTHS_DATA", "~/games")
    assert storage.data_dir() == tmp_path / "games"


def test_settings_a_version_cannot_take_are_said_at_start_and_kept_aside_at_the_next_save(data_dir):
    """Hand-edited settings of values this version cannot take ("fr", "false" as text) were set
    back to the defaults without a word, and the file rewritten with them at the next save."""
    hand_edited = {"language": "fr", "scale": "150%", "sound": "no", "fullscreen": 1, "warn_before_end": "false",
                   "colour_blind": True}
    (data_dir / "settings.json").write_text(json.dumps(hand_edited), encoding="utf-8")
    settings, problem = storage.Settings.load_with_problem()
    assert settings.colour_blind and settings.language == "en"
    assert problem == ("settings this version cannot take: {names}",
                       {"names": "language, scale, sound, fullscreen, warn_before_end"})
    [(name, said, aside)] = storage.unreadable_data_files()
    assert name == "settings.json" and said == problem and aside == "settings.unreadable.json"
    settings.sound = False
    settings.save()
    assert json.loads((data_dir / "settings.unreadable.json").read_text(encoding="utf-8")) == hand_edited
    # A scale given as a number between the steps is taken at the nearest: no problem.
    (data_dir / "settings.json").write_text(json.dumps({"scale": 1.4, "language": "ja"}), encoding="utf-8")
    assert storage.Settings.load_with_problem()[1] == ("", {})


@pytest.mark.parametrize("setting, written", [("scale", "NaN"), ("scale", "Infinity"), ("scale", "7"), ("scale", "0.5"),
                                              ("scale", "true"), ("sound", "1"), ("colour_blind", "0")])
def test_a_setting_read_as_another_value_is_said_and_kept_aside(data_dir, setting, written):
    """A scale of NaN or 7 was read as 100% or 200%, a flag of 1 as on, without a word, and the file
    written over with that at the next save: the player's hand-set value was lost."""
    text = f'{{"{setting}": {written}, "language": "ja"}}'
    (data_dir / "settings.json").write_text(text, encoding="utf-8")
    settings, problem = storage.Settings.load_with_problem()
    assert settings.language == "ja"
    assert problem == ("settings this version cannot take: {names}", {"names": setting})
    settings.warn_before_end = False
    settings.save()
    assert (data_dir / "settings.unreadable.json").read_text(encoding="utf-8") == text
    assert json.loads((data_dir / "settings.json").read_text(encoding="utf-8"))["language"] == "ja"


@pytest.mark.parametrize("scale", ["1", "2", "1.4", "1.0"])
def test_a_scale_within_the_steps_is_read_without_a_word(data_dir, scale):
    (data_dir / "settings.json").write_text(f'{{"scale": {scale}}}', encoding="utf-8")
    assert storage.Settings.load_with_problem()[1] == ("", {})
