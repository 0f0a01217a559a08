"""Where the window keeps its files: settings, campaign progress and saved games, in the
user's data folder (``pygame.system.get_pref_path``), or in ``RARE_EARTHS_DATA`` if set (tests,
portable installs).

Every write is whole or not at all (``game.whole_files``: a file of its own beside the target,
flushed to the disk, then renamed over it): a crash, a power cut or a second copy of the game
never leaves half a file where a good one was. Reading never needs the folder to be
writable or even to exist; a write that fails raises ``OSError`` for the window to report in one
line while the game goes on.

Every read is checked at the door: only regular files (never a pipe or a device a link points
to, which could block or never end), of a bounded size, as UTF-8 (a byte-order mark allowed).
Settings and progress that are not what they should be fall back to defaults, field by field;
a save that is not is listed as unreadable, with its name, and refused with its reason."""

from __future__ import annotations

import errno
import json
import math
import os
import re
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from game import kept_levels
from game.json_depth import too_deep
from game.quoting import utf8_text
from game.savefile import MAX_SAVE_BYTES, SaveError, level_change, read_head
from game.whole_files import (
    PARTIAL_SUFFIX,
    file_meant,
    numbered_names,
    through_link,
    write_whole,
    write_whole_as_new,
)

ORG, APP = "RareEarths", "RareEarths"
AUTOSAVE = "autosave.json"
#: How many games' autosaves are kept: the newest, for Continue, and two before it on the Load
#: screen (the game a Restart or a Load left among them). Eight piled up in 25 minutes of play,
#: burying the player's own saves on the Load screen.
AUTOSAVES_KEPT = 3
SCALES = (1.0, 1.25, 1.5, 1.75, 2.0)
#: Settings and progress are a few hundred bytes; a file much larger is not ours.
MAX_SMALL_FILE_BYTES = 1024 * 1024
#: Levels a progress file may hold stars for (there are about ten).
MAX_LEVELS_WITH_STARS = 1000
#: What a save's file name keeps of its level id and quarter (anything else becomes ``_``).
_NOT_SAFE_IN_A_FILE_NAME = re.compile(r"[^A-Za-z0-9_-]+")


def data_dir() -> Path:
    """The folder for settings, progress and saves (it may not exist yet, or be read-only)."""
    override = os.environ.get("RARE_EARTHS_DATA")
    if override:
        return Path(override).expanduser()  # "~/x" in quotes (the shell left it) made a folder named ~
    import pygame

    try:  # SDL creates the folder; on a read-only home it cannot, and says so
        return Path(pygame.system.get_pref_path(ORG, APP))
    except pygame.error:
        return Path.home() / ".local" / "share" / ORG / APP


def saves_dir() -> Path:
    return data_dir() / "saves"


def kept_levels_dir() -> Path:
    """Where copies of the player's own level files are kept for the saves that play them."""
    return saves_dir() / "levels"


def read_level_files(level_file: Path, sibling_names: list[str]) -> dict[str, bytes]:
    """A level file of the player's own and the files it names beside it (its world file, the
    level whose history it continues), by the names a kept copy gives them: what
    ``keep_level_files`` keeps. Raises OSError when one cannot be read."""
    # The copy of the level file goes by a name a save can hold: one that is not UTF-8 text (bytes
    # a file name may have) has those bytes replaced. Its siblings' names come from its text.
    own_name = utf8_text(level_file.name)
    files = [(own_name, level_file)] + [(f"{name}.toml", level_file.parent / f"{name}.toml") for name in sibling_names]
    return {name: path.read_bytes() for name, path in files}


def keep_level_files(own_name: str, contents: dict[str, bytes]) -> Path:
    """Write a level of the player's own (``contents``, from ``read_level_files``: the level file
    ``own_name`` and its siblings) into a folder of the saves named by their content, with each
    file's digest beside them (game.kept_levels); returns the copy of the level file. A save
    names the copy: it loads wherever the original goes, and loading a save never opens a file
    outside the game's folders (game.savefile). A file of the copy edited since it was kept is
    written again as it was, so a new save never names an edited copy. Raises OSError when the
    copy cannot be written."""
    folder = kept_levels_dir() / kept_levels.folder_name(own_name, contents)
    files = {**contents, kept_levels.DIGESTS_FILE: kept_levels.digests_text(contents)}
    try:
        for name, data in files.items():
            if not _holds(folder / name, data):
                write_atomically(folder / name, data)
    except UnicodeEncodeError as error:  # a name the system's file names cannot hold (a locale that is not UTF-8)
        raise OSError(errno.EILSEQ, f"the system's file names cannot hold {error.object!r} (set a UTF-8 locale)",
                      str(folder)) from None
    return folder / own_name


def _holds(path: Path, data: bytes) -> bool:
    """Whether the file at ``path`` holds ``data`` (read only if it is the same size)."""
    try:
        return path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def write_atomically(path: Path, data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8, or bytes: a PNG) to ``path`` whole or not at all
    (``game.whole_files``), making the data folder first if need be. Raises OSError (folder
    missing and not creatable, read-only, full) with the old file, if any, untouched."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_whole(path, data)


#: A partial write older than this was left by a copy of the game that was killed while it
#: wrote (a write takes milliseconds); a younger one may be another copy's write under way.
STALE_PARTIAL_SECONDS = 3600.0


def remove_stale_partial_writes(now: float | None = None) -> int:
    """Delete what killed writes left behind (``.NAME.XXXX.partial`` beside settings,
    progress, saves and kept levels; the file they were replacing is whole). Returns how many
    were removed; never raises (a folder that cannot be read or written keeps them)."""
    now = time.time() if now is None else now
    removed = 0
    for folder in (data_dir(), saves_dir(), *_kept_level_folders()):
        try:
            leftovers = list(folder.glob(f".*{PARTIAL_SUFFIX}"))
        except OSError:
            continue
        for path in leftovers:
            try:
                facts = path.lstat()
                if stat.S_ISREG(facts.st_mode) and now - facts.st_mtime > STALE_PARTIAL_SECONDS:
                    path.unlink()
                    removed += 1
            except OSError:
                continue
    return removed


def _kept_level_folders() -> list[Path]:
    try:
        return [folder for folder in kept_levels_dir().iterdir() if folder.is_dir() and not folder.is_symlink()]
    except OSError:
        return []


class FileRefused(ValueError):
    """``read_text_checked``'s refusal, in English with ``{name}`` fields (``template`` and
    ``values``), which a window translates as it does a SaveError's (``SaveError.said``)."""

    def __init__(self, template: str, **values: object):
        self.template, self.values = template, values
        super().__init__(template.format(**values))


def read_text_checked(path: Path, limit: int) -> str:
    """A file's text, if it is a regular file of at most ``limit`` bytes of UTF-8 (a leading
    byte-order mark dropped).

    Raises:
        OSError: it cannot be opened or read (missing, a link to nothing, no permission).
        ValueError: it is not a regular file (a folder, a pipe, a device), is larger than
            ``limit``, or is not UTF-8 (UnicodeDecodeError).
    """
    # Not blocking: a pipe named like a save opens at once (and is refused) instead of waiting
    # for a writer forever.
    handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        facts = os.fstat(handle)
    except OSError:
        os.close(handle)
        raise
    if not stat.S_ISREG(facts.st_mode):
        os.close(handle)
        raise FileRefused("not a regular file (a folder, a pipe or a device)")
    if facts.st_size > limit:
        os.close(handle)
        raise FileRefused("too large ({size:,} bytes, at most {limit:,})", size=facts.st_size, limit=limit)
    with os.fdopen(handle, "rb") as file:
        data = file.read(limit + 1)
    if len(data) > limit:  # it grew while being read
        raise FileRefused("too large (over {limit:,} bytes)", limit=limit)
    return data.decode("utf-8-sig")


def read_save(path: Path) -> str:
    """A save file's text, checked at the door (``read_text_checked``).

    Raises:
        OSError: it cannot be opened or read.
        SaveError: not a regular file, too large, or not UTF-8 text.
    """
    try:
        return read_text_checked(path, MAX_SAVE_BYTES)
    except UnicodeDecodeError:
        raise SaveError("not a save: not UTF-8 text") from None
    except ValueError as error:
        raise SaveError("not a save: {problem}", problem=error) from None


def _read_small_json(path: Path) -> Any:
    """The JSON in a settings or progress file, or None for anything that is not readable JSON
    (missing, not a file, too large, not UTF-8, corrupt, nested too deep, a number of thousands
    of digits)."""
    return _small_json(path)[0]


def _small_json(path: Path) -> tuple[Any, tuple[str, dict]]:
    """``(the JSON, ("", {}))``, ``(None, ("", {}))`` for no file (a link to nothing is none
    either: a write goes through it), or ``(None, why it cannot be read)``; why as a template of
    the window's words and its values."""
    try:
        text = read_text_checked(path, MAX_SMALL_FILE_BYTES)
    except OSError as error:
        if not os.path.exists(path):  # not there (nor its folder, nor what a link names): nothing lost
            return None, ("", {})
        return None, (system_reason(error), {})  # the system's words, in the window's where it has them
    except UnicodeDecodeError:
        return None, ("not UTF-8 text", {})
    except ValueError as error:  # read_text_checked's: not a regular file, or too large
        if str(error).startswith("too large"):
            return None, ("larger than {most:,} bytes, more than such a file holds", {"most": MAX_SMALL_FILE_BYTES})
        return None, ("not a regular file (a folder, a pipe or a device)", {})
    if too_deep(text):
        return None, ("nested too deep", {})
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None, ("not JSON (damaged, or not a file of the game)", {})
    return (data, ("", {})) if isinstance(data, dict) else (None, ("not a table of values", {}))


def unreadable_data_files() -> list[tuple[str, tuple[str, dict], str]]:
    """``(file, why, where it will be kept)`` for each of settings.json and progress.json that is
    there and cannot be read, or holds entries this version cannot read: the game starts with
    defaults for them, and keeps the file as it is beside the new one when it next writes it
    (``keep_aside_if_unreadable``), so nothing in it is lost. Where it cannot be kept (a folder
    that will not take a file), where is ""."""
    found = []
    for name, problem in (("settings.json", Settings.load_with_problem()[1]),
                          ("progress.json", Progress.load_with_problem()[1])):
        if problem[0]:
            target = through_link(data_dir() / name)
            aside = _aside_for(target) if _may_keep_aside(target) else None
            kept = "" if aside is None else aside.name if target.parent == data_dir() else str(aside)
            found.append((name, problem, kept))
    return found


def _may_keep_aside(path: Path) -> bool:
    """Whether a copy of ``path`` can be kept beside it: a file, in a folder this account may
    write to, and not another account's file in a shared (sticky) folder such as /tmp, where
    neither a link to it nor moving it is allowed."""
    try:
        if not path.is_file() or not os.access(path.parent, os.W_OK | os.X_OK):
            return False
        sticky = os.stat(path.parent).st_mode & stat.S_ISVTX
        return not (sticky and hasattr(os, "geteuid") and os.stat(path).st_uid != os.geteuid())
    except OSError:
        return False


def _aside_for(path: Path) -> Path | None:
    """Where ``keep_aside_if_unreadable`` keeps ``path``: the first of its numbered names that is
    free or holds the same file already (kept by an earlier try whose write then failed)."""
    for candidate in numbered_names(path.parent, _aside_name(path.name)):
        if not os.path.lexists(candidate) or _holds_it_already(candidate, path):
            return candidate
    return None


def _holds_it_already(candidate: Path, path: Path) -> bool:
    return candidate.is_file() and not candidate.is_symlink() and _same_content(path, candidate)


def _aside_name(name: str) -> str:
    return f"{Path(name).stem}.unreadable{Path(name).suffix}"


def keep_aside_if_unreadable(path: Path, problem: tuple[str, dict]) -> Path | None:
    """Before ``path`` (settings or progress) is written over: if it could not be read
    (``problem``), keep it under the first free ``NAME.unreadable[-N].json`` beside it (or where
    a link names it, beside that file), so that a file of another version, one damaged by hand or
    one the account could not read for a moment is never replaced by defaults; a copy kept
    already (a save that failed after keeping it) is not kept again. Returns where it went, None
    if nothing needed keeping; raises OSError if it had to be kept and could not be, or is not a
    file (a folder a link names is never moved): then it must not be written over either."""
    if not problem[0] or not os.path.exists(path):
        return None
    path = through_link(path)
    if not path.is_file():
        raise IsADirectoryError(errno.EISDIR, "not a file the game can write over (a folder, a pipe or a device)",
                                str(path))
    for candidate in numbered_names(path.parent, _aside_name(path.name)):
        if os.path.lexists(candidate):
            if _holds_it_already(candidate, path):
                return candidate  # kept by an earlier try whose write then failed
            continue
        try:
            os.link(path, candidate, follow_symlinks=False)
        except FileExistsError:
            continue
        except OSError:  # no hard links here: a rename, where the name is still free
            if os.path.lexists(candidate):
                continue
            os.rename(path, candidate)
        return candidate
    raise FileExistsError(errno.EEXIST, "no free name to keep the unreadable file under", str(path))


def _same_content(one: Path, other: Path) -> bool:
    """Whether two files hold the same bytes: the same file, or of the same size up to what a
    settings or progress file may be, compared (an 8 GB file named progress.json was read whole)."""
    try:
        if os.path.samefile(one, other):
            return True
        size = os.stat(one).st_size
        if size != os.stat(other).st_size or size > MAX_SMALL_FILE_BYTES:
            return False
        return one.read_bytes() == other.read_bytes()
    except OSError:
        return False


#: The game's words for the system's commonest reasons, by error number: a window says them in
#: the player's language (assets/strings), where the system's own words are English, and differ
#: from one system to another.
SYSTEM_REASONS = {getattr(errno, name): text for name, text in (  # not every system has every number
    ("ENOSPC", "No space left on device"), ("EROFS", "Read-only file system"), ("EACCES", "Permission denied"),
    ("EPERM", "Operation not permitted"), ("EIO", "Input/output error"), ("ELOOP", "Too many levels of symbolic links"),
    ("EDQUOT", "Disk quota exceeded"), ("ENAMETOOLONG", "File name too long"), ("ENOENT", "No such file or directory"),
    ("EISDIR", "Is a directory"), ("ENOTDIR", "Not a directory"), ("EMFILE", "Too many open files"),
    ("EFBIG", "File too large"), ("EBUSY", "Device or resource busy"),
) if hasattr(errno, name)}


def system_reason(error: OSError) -> str:
    """Why ``error`` happened, in words a window can translate: the game's for a common error
    number where the error carries the system's own text for it (Windows' own words, which come
    with a ``winerror``, included), else the error's own text (the game's own reasons)."""
    if error.errno in SYSTEM_REASONS and (error.strerror == os.strerror(error.errno)
                                          or getattr(error, "winerror", None) is not None):
        return SYSTEM_REASONS[error.errno]
    return error.strerror or str(error) or type(error).__name__


def _untranslated(text: str, **values: object) -> str:
    return text.format(**values) if values else text


def describe_write_error(error: OSError, tr: Callable[..., str] = _untranslated) -> str:
    """An OSError as a player reads it: the reason (through ``tr``, a window's translation) and
    the file, on one line. The file is the one the game meant to write, not the hidden partial
    file it writes first (``whole_files``): a failed rename names the partial first and its
    target second."""
    reason = system_reason(error)
    name = error.filename2 or error.filename
    if not name:
        return tr(reason)
    path = file_meant(Path(os.fsdecode(name)))
    if isinstance(error, FileExistsError) and path.exists() and not path.is_dir():
        reason = "a file is where a folder should be"  # mkdir on a file named like the folder
    elif isinstance(error, NotADirectoryError):
        # "Not a directory: DATA/saves" when DATA itself had become a file: name the file.
        blocking = _file_among_folders(path)
        if blocking is not None:
            reason, path = "a file is where a folder should be", blocking
    return tr("{reason}: {path}", reason=tr(reason), path=str(path))


def _file_among_folders(path: Path) -> Path | None:
    """The first of ``path``'s folders (from the root down) that is something else, if any."""
    for folder in reversed(path.parents):
        try:
            if folder.exists() and not folder.is_dir():
                return folder
        except OSError:
            return None
    return None


def saves_folder_problem() -> tuple[str, Path] | None:
    """Why the saves folder cannot be listed, and the folder or file in the way (None if it can
    be, or is simply not there yet): a Load screen that found nothing said "No saved games yet"
    when the folder could not be read, or the data folder had been replaced by a file, and the
    player thought the saves gone."""
    folder = saves_dir()
    blocking = _file_among_folders(folder / "x")
    if blocking is not None:
        return "a file is where a folder should be", blocking
    try:
        with os.scandir(folder):
            pass
    except FileNotFoundError:
        return None
    except OSError as error:
        return system_reason(error), folder
    return None


@dataclass
class Settings:
    language: str = "en"
    scale: float = 1.0
    colour_blind: bool = False
    sound: bool = True
    fullscreen: bool = False
    #: Warn (once a turn) before End turn when an objective is at risk or capital would go to waste.
    warn_before_end: bool = True
    #: The settings as this window loaded or last wrote them, which ``save`` compares with to
    #: write only what changed; None for settings never loaded (all of them are written). Not a
    #: field: no setting of its own, so no part of ``asdict`` nor of equality.
    _known = None

    @classmethod
    def load(cls) -> Settings:
        """The saved settings; defaults for anything missing or wrong (settings are not worth
        refusing to start over)."""
        return cls._from(_read_small_json(data_dir() / "settings.json"))

    @classmethod
    def in_language(cls, language: str) -> Settings:
        """The saved settings, in ``language`` for this window alone: a class's team window opened
        in Japanese leaves the game's own language as it was (it is no change to save)."""
        settings = cls.load()
        settings.set_for_this_window(language=language)
        return settings

    def set_for_this_window(self, **values: Any) -> None:
        """Set ``values`` (settings by name) for this window alone: ``save`` writes what the
        player changes, and these are no change of theirs, so they stay out of the settings file
        until the player chooses otherwise. Raises TypeError for a name that is no setting."""
        names = {f.name for f in fields(self)}
        unknown = sorted(set(values) - names)
        if unknown:
            raise TypeError(f"no setting named {', '.join(unknown)} (settings: {', '.join(sorted(names))})")
        for name, value in values.items():
            setattr(self, name, value)
        self._known = {**(self._known or asdict(self)), **values}

    @classmethod
    def load_with_problem(cls) -> tuple[Settings, tuple[str, dict]]:
        """``load``, and why the file could not be read whole ("" if it could, or is not there):
        a setting of a value this version cannot take counts too, as writing would put the
        default in its place ("language": "fr", "warn_before_end": "false" were set back
        without a word, and lost at the next save)."""
        data, problem = _small_json(data_dir() / "settings.json")
        return cls._from(data), problem if problem[0] else _settings_problem(data)

    @classmethod
    def _from(cls, data: Any) -> Settings:
        """Settings from a settings file's JSON, field by field (see ``load``)."""
        settings = cls()
        for f in fields(cls) if isinstance(data, dict) else ():
            value = data.get(f.name)
            if f.name == "scale":
                settings.scale = _scale(value)
            elif f.name == "language":
                settings.language = value if value in ("en", "ja") else settings.language
            elif type(value) is type(getattr(settings, f.name)):  # exactly: true is no number, 1 no flag
                setattr(settings, f.name, value)
        settings._known = asdict(settings)
        return settings

    def save(self) -> None:
        """Write the settings this window changed since it loaded them (or last wrote them), and
        keep those another window of the game changed meanwhile: two windows on one data folder
        each wrote all of theirs, so a colour choice in one undid a language chosen in the other.
        Settings this version does not know (a newer version's) are kept as they are."""
        mine = asdict(self)
        known = self._known
        changed = [name for name in mine if known is None or mine[name] != known[name]]
        with _one_writer_at_a_time():
            on_disk, problem = _small_json(data_dir() / "settings.json")
            keep_aside_if_unreadable(data_dir() / "settings.json", problem if problem[0] else _settings_problem(on_disk))
            written = {name: value for name, value in on_disk.items() if name not in mine} \
                if isinstance(on_disk, dict) else {}
            written.update(asdict(Settings._from(on_disk)) if known is not None else {})
            written.update({name: mine[name] for name in changed})
            write_atomically(data_dir() / "settings.json", json.dumps(written, indent=2) + "\n")
        self._known = {**(known or {}), **{name: mine[name] for name in changed}}


def _settings_problem(data: Any) -> tuple[str, dict]:
    """The settings of a settings file's JSON this version cannot take (("", {}) if none): a
    language it has no words for, a flag that is not true or false (1 too: it reads as true but
    is read as the default), a scale that is no number or none of ``SCALES``' range (NaN, 7)."""
    if not isinstance(data, dict):
        return "", {}
    read = asdict(Settings._from(data))
    wrong = [name for name in read if name in data
             and not (_is_scale_within_steps(data[name]) if name == "scale"
                      else type(data[name]) is type(read[name]) and data[name] == read[name])]
    if not wrong:
        return "", {}
    return "settings this version cannot take: {names}", {"names": ", ".join(wrong)}


def _is_scale_within_steps(value: Any) -> bool:
    """Whether a saved scale is a number from the least of ``SCALES`` to the most, which is read
    as the step nearest it (a scale between the steps is no problem; NaN or 7 would be lost)."""
    return (not isinstance(value, bool) and isinstance(value, (int, float))
            and SCALES[0] <= value <= SCALES[-1])  # (NaN is within nothing)


def _scale(value: Any) -> float:
    """The UI scale of SCALES nearest a saved value (1.0 for one that is not a number). Compared
    before any arithmetic: a whole number of hundreds of digits cannot become a float."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (isinstance(value, float) and math.isnan(value)):
        return SCALES[0]
    within = min(max(value, SCALES[0]), SCALES[-1])
    return min(SCALES, key=lambda scale: abs(scale - within))


@dataclass
class Progress:
    """Stars earned per level and whether the tutorial has been seen."""

    stars: dict[str, int] = field(default_factory=dict)
    tutorial_done: bool = False

    @classmethod
    def load(cls) -> Progress:
        """The saved progress; what is missing or wrong counts as not yet done (a level id that
        is not a plain printable name, stars that are not 0 to 3, a tutorial flag that is not
        true or false)."""
        return cls.load_with_problem()[0]

    @classmethod
    def load_with_problem(cls) -> tuple[Progress, tuple[str, dict]]:
        """``load``, and why the file could not be read whole (a template of the window's words
        and its values; "" if it could, or is not there): entries this version cannot read count
        as a problem too, as writing would drop them."""
        data, problem = _small_json(data_dir() / "progress.json")
        if not isinstance(data, dict):
            return cls(), problem
        stars = data.get("stars")
        kept = {}
        dropped = 0
        if isinstance(stars, dict):
            # The last ones: a level's first stars are written after all the others, so at the cap the
            # oldest entry goes, not the stars just won (they vanished at the next start).
            for level, count in list(stars.items())[-MAX_LEVELS_WITH_STARS:]:
                if (0 < len(level) <= 255 and level.isprintable() and isinstance(count, int)
                        and not isinstance(count, bool) and 0 <= count <= 3):
                    kept[level] = count
                else:
                    dropped += 1
        elif stars is not None:
            problem = ("its stars are not a table of levels", {})
        tutorial = data.get("tutorial_done")
        if tutorial is not None and not isinstance(tutorial, bool) and not problem[0]:
            problem = ("its tutorial flag is not true or false", {})
        if dropped and not problem[0]:
            problem = ("stars of {n} level(s) this version cannot read", {"n": dropped})
        unknown = sorted(set(data) - {f.name for f in fields(cls)})
        if unknown and not problem[0]:  # a newer version's, which writing would drop
            problem = ("entries this version does not know: {names}", {"names": ", ".join(map(repr, unknown[:3]))})
        return cls(kept, tutorial is True), problem

    def record(self, level: str, stars: int) -> None:
        """Keep the best stars for ``level`` (in memory even if the write fails: OSError)."""
        self.note(level, stars)
        self.save()

    def note(self, level: str, stars: int) -> None:
        """Keep the best stars for ``level`` in memory (``save`` writes them)."""
        self.stars[level] = max(stars, self.stars.get(level, 0))

    def save(self) -> None:
        """Write it, keeping what another window of the game saved since this one loaded (two
        windows on one data folder each wrote only their own stars: the last one to finish a
        level erased the other's): the best stars of both, the tutorial seen if either saw it."""
        with _one_writer_at_a_time():  # two windows finishing at once: each kept its stars only
            problem = self.take_in_saved()  # (the file read once: what it holds, and whether it reads whole)
            keep_aside_if_unreadable(data_dir() / "progress.json", problem)
            write_atomically(data_dir() / "progress.json", json.dumps(asdict(self), indent=2) + "\n")

    def take_in_saved(self) -> tuple[str, dict]:
        """Add what another window of the game saved since this one loaded: the best stars of
        both, the tutorial seen if either saw it. Returns why the file did not read whole, as
        ``load_with_problem`` says it."""
        on_disk, problem = Progress.load_with_problem()
        for level, count in on_disk.stars.items():
            if count > self.stars.get(level, 0) and (level in self.stars or len(self.stars) < MAX_LEVELS_WITH_STARS):
                self.stars[level] = count
        self.tutorial_done = self.tutorial_done or on_disk.tutorial_done
        return problem


#: How long a write waits for another copy of the game to finish its own: a write takes
#: milliseconds, so a lock held longer is a copy stopped or hung, or a stale network lock.
LOCK_WAIT_SECONDS = 2.0


@contextmanager
def _one_writer_at_a_time() -> Iterator[None]:
    """While inside, no other copy of the game reads and writes settings or progress: a lock on
    a file of the data folder (``fcntl``'s, where the system has it). Where there is no such lock
    (another system, a folder that will not hold the file, a network file system without locks)
    or it is still held after LOCK_WAIT_SECONDS, the write goes on unlocked, as before locks: a
    setting or a star is never lost to a lock, nor the window held up by one."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    try:
        data_dir().mkdir(parents=True, exist_ok=True)
        lock = os.open(data_dir() / ".lock", os.O_RDWR | os.O_CREAT | os.O_NONBLOCK, 0o644)
    except OSError:
        yield
        return
    try:
        give_up = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:  # held by another copy: wait a little
                if time.monotonic() >= give_up:
                    break
                time.sleep(0.01)
            except OSError:  # no locks here (ENOLCK on a network file system)
                break
        yield
    finally:
        os.close(lock)  # and with it the lock, if it was taken


@dataclass(frozen=True)
class SaveSlot:
    path: Path
    label: str  # what the save calls itself (its label or level, and quarter), or the file's name
    modified: float
    level: str = ""  # the level it plays, if it could be read
    quarter: str = ""
    problem: str = ""  # why it cannot be read (then label is the file's name)
    level_file: Path | None = None  # a level of the player's own: the kept copy the save plays
    turns_played: int = 0
    level_changed: bool = False  # its level changed since (a kept copy edited): it cannot be played
    #: Why it cannot be read, as the refusal said it (worded in the player's language by its
    #: ``said``), where the save's reader refused it; ``problem`` is that in English.
    refusal: SaveError | None = None


def count_saves() -> int:
    """How many files the Load screen lists (``list_saves`` with no limit), without reading them."""
    try:
        return sum(1 for _ in saves_dir().glob("*.json"))
    except OSError:
        return 0


def list_saves(limit: int | None = None, skip: int = 0) -> list[SaveSlot]:
    """Saved games, newest first (the autosave among them); ``limit`` of them after the newest
    ``skip`` if given (only those are read: a page of the Load screen). A file that cannot be
    read as a save is listed with its name and its problem, never raised: one bad file cannot
    stop the others being listed and loaded."""
    try:
        paths = sorted(saves_dir().glob("*.json"))
    except OSError:  # no folder yet, or one that cannot be read: no saves
        return []
    dated = []
    for path in paths:
        try:
            modified = path.stat().st_mtime
        except OSError:
            try:  # a link to nothing: listed, by its own date, as unreadable
                modified = path.lstat().st_mtime
            except OSError:  # gone since the listing
                continue
        dated.append((path, modified))
    dated.sort(key=lambda entry: (-entry[1], entry[0].name))
    return [_slot(path, modified) for path, modified in dated[skip:None if limit is None else skip + limit]]


def _slot(path: Path, modified: float) -> SaveSlot:
    try:
        head = read_head(read_save(path), level_folders=(kept_levels_dir(),))  # as loading it reads it
    except OSError as error:
        return SaveSlot(path, path.name, modified, problem=system_reason(error))
    except SaveError as error:
        return SaveSlot(path, path.name, modified, problem=str(error), refusal=error)
    return SaveSlot(path, f"{head.label or head.level} · {head.quarter}", modified, head.level, head.quarter,
                    level_file=head.level_file, turns_played=head.turns_played,
                    level_changed=level_change(head, (kept_levels_dir(),)) is not None)


def file_stamp(path: Path) -> tuple[int, int, int] | None:
    """What tells one write of ``path`` from another (a write replaces the file, so a new
    inode), or None if there is no file."""
    try:
        facts = path.stat()
    except OSError:
        return None
    return facts.st_ino, facts.st_mtime_ns, facts.st_size


def write_new_autosave(text: str) -> Path:
    """Write a game's first autosave to a file of its own, and return it: ``autosave.json`` if
    that is free, else ``autosave-N.json``, the first N from 2 that is. A name another window
    takes at the same moment is passed over, so a new game never writes over another game's
    autosave. Raises OSError if the folder cannot take it."""
    folder = saves_dir()
    folder.mkdir(parents=True, exist_ok=True)
    try:
        path = write_whole_as_new(numbered_names(folder, AUTOSAVE), text)
    except FileExistsError as error:
        raise OSError(errno.EEXIST, "no free autosave name left", str(folder)) from error
    _forget_old_autosaves(keep=path)
    return path


#: A file dated more than this after now was written by a clock that ran ahead (a computer whose
#: clock was wrong, files copied from one): when it was written is not known.
CLOCK_SLACK_NS = 60 * 10**9


def _dated_autosaves() -> list[tuple[bool, int, int, Path]]:
    """The autosave files that hold something, as ``(dated rightly, written, -number, path)``:
    the newest sorts last, and of two written in the same instant the higher number counts as
    newer. One dated in the future counts as older than any dated rightly: going by its date
    alone, a clock that ran ahead made Continue open an old game, and the clean-up remove the
    game just played."""
    try:
        paths = [path for path in saves_dir().glob("autosave*.json") if is_autosave(path)]
    except OSError:
        return []
    latest_right = time.time_ns() + CLOCK_SLACK_NS
    dated = []
    for path in paths:
        try:
            facts = path.stat()
        except OSError:  # a link to nothing, or gone since the listing
            continue
        if stat.S_ISREG(facts.st_mode) and facts.st_size > 0:  # not a folder that took the name
            written = facts.st_mtime_ns
            dated.append((written <= latest_right, written, -(autosave_number(path) or 0), path))
    return sorted(dated)


def _forget_old_autosaves(keep: Path) -> None:
    """Remove all but the newest ``AUTOSAVES_KEPT`` autosaves, and never ``keep`` (the one just
    written), so that a new game a day does not fill the saves folder and the Load screen. A
    window still playing a game whose file goes writes a new one at its next autosave (its
    file's stamp no longer matches), so no game in play loses anything; saves the player made
    are never touched."""
    for *_, path in _dated_autosaves()[:-AUTOSAVES_KEPT]:
        if path == keep:
            continue
        try:
            path.unlink()
        except OSError:  # gone already, or the folder will not let it go: it stays listed
            pass


def newest_autosave() -> Path | None:
    """The autosave written last (what Continue opens), or None if there is none. An empty
    file (a name claimed where the file system has no hard links, by a game that could then not
    write its save) does not count."""
    dated = _dated_autosaves()
    return dated[-1][-1] if dated else None


def autosaves_newest_first() -> list[Path]:
    """The autosaves that hold something, the one Continue opens first (``newest_autosave``)."""
    return [entry[-1] for entry in reversed(_dated_autosaves())]


_OWN_AUTOSAVE = re.compile(r"autosave-([2-9]|[1-9][0-9]+)\.json")  # only the names the game writes


def autosave_number(path: Path) -> int | None:
    """1 for ``autosave.json``, N for a window's own ``autosave-N.json``, None for a save
    that is no autosave."""
    if path.name == AUTOSAVE:
        return 1
    own = _OWN_AUTOSAVE.fullmatch(path.name)
    return int(own.group(1)) if own else None


def is_autosave(path: Path) -> bool:
    """Whether a save file is an autosave (``autosave.json``, or a window's own)."""
    return autosave_number(path) is not None


def delete_save(path: Path) -> None:
    """Remove a save the player chose to delete from the saves folder (a link: the link only).
    Raises OSError if it cannot be removed, and ValueError for a file outside the folder."""
    if Path(path).parent != saves_dir():
        raise ValueError(f"{path} is not in the saves folder")
    Path(path).unlink()


def write_new_save(level: str, quarter: str, text: str) -> Path:
    """Write a save of ``level`` at ``quarter`` to a new file in the saves folder, and return it:
    the level id and quarter made safe as a file name, the time to the second, and ``-2``,
    ``-3``... when a save of the same second is there. A name another window takes at the same
    moment is passed over (``write_whole_as_new``): two windows saving in one second each said
    "Saved as" one name, and one save was gone. Raises OSError if the folder cannot take it."""
    folder = saves_dir()
    folder.mkdir(parents=True, exist_ok=True)
    try:
        return write_whole_as_new(dated_names(folder, (level, quarter), ".json"), text)
    except FileExistsError as error:
        raise OSError(errno.EEXIST, "no free name left for the save", str(folder)) from error


def dated_names(folder: Path, parts: tuple[str, ...], suffix: str) -> Iterator[Path]:
    """Names for a new file in ``folder``: ``parts`` (a level id, a quarter) each made safe as a
    file name, the time to the second, then ``-2``, ``-3``... for more files in that second."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    name = "-".join(_NOT_SAFE_IN_A_FILE_NAME.sub("_", part).strip("_")[:60] or "save" for part in parts)
    yield folder / f"{name}-{stamp}{suffix}"
    for copy in range(2, 10_000):
        yield folder / f"{name}-{stamp}-{copy}{suffix}"
