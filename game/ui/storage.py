"""Where the window keeps its files: settings, campaign progress and saved games, in the
user's data folder (``pygame.system.get_pref_path``), or in ``RARE_EARTHS_DATA`` if set (tests,
portable installs). Every write goes to a temporary file first, so a crash never leaves half a
file where a good one was."""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

ORG, APP = "RareEarths", "RareEarths"
AUTOSAVE = "autosave.json"
SCALES = (1.0, 1.25, 1.5, 1.75, 2.0)


def data_dir() -> Path:
    override = os.environ.get("RARE_EARTHS_DATA")
    if override:
        path = Path(override)
    else:
        import pygame

        path = Path(pygame.system.get_pref_path(ORG, APP))
    path.mkdir(parents=True, exist_ok=True)
    return path


def saves_dir() -> Path:
    path = data_dir() / "saves"
    path.mkdir(parents=True, exist_ok=True)
    return path


def write_atomically(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


@dataclass
class Settings:
    language: str = "en"
    scale: float = 1.0
    colour_blind: bool = False
    sound: bool = True
    fullscreen: bool = False

    @classmethod
    def load(cls) -> Settings:
        """The saved settings; defaults for anything missing or wrong (settings are not worth
        refusing to start over)."""
        try:
            data = json.loads((data_dir() / "settings.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
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
        except (OSError, ValueError):
            return cls()
        if not isinstance(data, dict):
            return cls()
        stars = data.get("stars", {})
        stars = {str(k): int(v) for k, v in stars.items() if isinstance(v, int) and 0 <= v <= 3} \
            if isinstance(stars, dict) else {}
        return cls(stars, bool(data.get("tutorial_done", False)))

    def record(self, level: str, stars: int) -> None:
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
    for path in saves_dir().glob("*.json"):
        level = quarter = ""
        try:
            head = json.loads(path.read_text(encoding="utf-8"))
            label = f"{head.get('label') or head.get('level')} · {head.get('quarter')}"
            level, quarter = str(head.get("level", "")), str(head.get("quarter", ""))
        except (OSError, ValueError, AttributeError):
            label = path.stem
        slots.append(SaveSlot(path, label, path.stat().st_mtime, level, quarter))
    return sorted(slots, key=lambda s: (-s.modified, s.path.name))


def new_save_path(level: str, quarter: str) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    return saves_dir() / f"{level.replace('/', '_')}-{quarter}-{stamp}.json"
