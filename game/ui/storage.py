"""Where the window keeps its files: settings, campaign progress and saved games, in the
user's data folder (``pygame.system.get_pref_path``), or in ``RARE_EARTHS_DATA`` if set (tests,
portable installs).

Every write goes to a temporary file of its own first (a unique name, so two copies of the game
on one folder never write into each other's), is flushed to the disk, then replaces the old file
in one step: a crash or a second copy never leaves half a file where a good one was. Reading
never needs the folder to be writable or even to exist; a write that fails raises ``OSError``
for the window to report in one line while the game goes on."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

ORG, APP = "RareEarths", "RareEarths"
AUTOSAVE = "autosave.json"
SCALES = (1.0, 1.25, 1.5, 1.75, 2.0)


def data_dir() -> Path:
    """The folder for settings, progress and saves (it may not exist yet, or be read-only)."""
    override = os.environ.get("RARE_EARTHS_DATA")
    if override:
        return Path(override)
    import pygame

    try:  # SDL creates the folder; on a read-only home it cannot, and says so
        return Path(pygame.system.get_pref_path(ORG, APP))
    except pygame.error:
        return Path.home() / ".local" / "share" / ORG / APP


def saves_dir() -> Path:
    return data_dir() / "saves"


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all. Raises OSError (folder missing and not
    creatable, read-only, full) with the old file, if any, untouched."""
    write_bytes_atomically(path, text.encode("utf-8"))


def write_bytes_atomically(path: Path, data: bytes) -> None:
    """``write_atomically`` for bytes (a PNG)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(partial)
        raise


def describe_write_error(error: OSError) -> str:
    """An OSError as a player reads it: the reason and the file, on one line."""
    reason = error.strerror or str(error) or type(error).__name__
    return f"{reason}: {error.filename}" if error.filename else reason


@dataclass
class Settings:
    language: str = "en"
    scale: float = 1.0
    colour_blind: bool = False
    sound: bool = True
    fullscreen: bool = False
    #: Warn (once a turn) before End turn when an objective is at risk or capital would go to waste.
    warn_before_end: bool = True

    @classmethod
    def load(cls) -> Settings:
        """The saved settings; defaults for anything missing or wrong (settings are not worth
        refusing to start over)."""
        try:
            data = json.loads((data_dir() / "settings.json").read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            return cls()
        settings = cls()
        if not isinstance(data, dict):
            return settings
        for f in fields(cls):
            value = data.get(f.name)
            if isinstance(value, type(getattr(settings, f.name))) or (f.name == "scale" and isinstance(value, int)):
                setattr(settings, f.name, value)
        settings.language = settings.language if settings.language in ("en", "ja") else "en"
        settings.scale = min(SCALES, key=lambda s: abs(s - float(settings.scale)))
        return settings

    def save(self) -> None:
        write_atomically(data_dir() / "settings.json", json.dumps(asdict(self), indent=2) + "\n")


@dataclass
class Progress:
    """Stars earned per level and whether the tutorial has been seen."""

    stars: dict[str, int] = field(default_factory=dict)
    tutorial_done: bool = False

    @classmethod
    def load(cls) -> Progress:
        try:
            data = json.loads((data_dir() / "progress.json").read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            return cls()
        if not isinstance(data, dict):
            return cls()
        stars = data.get("stars", {})
        stars = {str(k): int(v) for k, v in stars.items() if isinstance(v, int) and 0 <= v <= 3} \
            if isinstance(stars, dict) else {}
        return cls(stars, bool(data.get("tutorial_done", False)))

    def record(self, level: str, stars: int) -> None:
        """Keep the best stars for ``level`` (in memory even if the write fails: OSError)."""
        self.stars[level] = max(stars, self.stars.get(level, 0))
        self.save()

    def save(self) -> None:
        write_atomically(data_dir() / "progress.json", json.dumps(asdict(self), indent=2) + "\n")


@dataclass(frozen=True)
class SaveSlot:
    path: Path
    label: str  # what the save calls itself (level id or label, and quarter), or the file's name
    modified: float
    level: str = ""  # the level it plays, if it could be read
    quarter: str = ""


def list_saves() -> list[SaveSlot]:
    """Saved games, newest first (the autosave among them)."""
    slots = []
    try:
        paths = sorted(saves_dir().glob("*.json"))
    except OSError:  # no folder yet, or one that cannot be read: no saves
        return []
    for path in paths:
        try:
            modified = path.stat().st_mtime
        except OSError:  # gone since the listing, or a link to nothing
            continue
        level = quarter = ""
        try:
            head = json.loads(path.read_text(encoding="utf-8"))
            label = f"{head.get('label') or head.get('level')} · {head.get('quarter')}"
            level, quarter = str(head.get("level", "")), str(head.get("quarter", ""))
        except (OSError, ValueError, AttributeError, RecursionError):
            label = path.stem
        slots.append(SaveSlot(path, label, modified, level, quarter))
    return sorted(slots, key=lambda s: (-s.modified, s.path.name))


def new_save_path(level: str, quarter: str) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    return saves_dir() / f"{level.replace('/', '_')}-{quarter}-{stamp}.json"
