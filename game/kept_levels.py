"""Copies of the player's own levels kept with the saves: the folder a copy goes in, and what
tells a copy as it was kept from one edited since.

A save of a level of the player's own names a copy of its files (the level file, and the world
file and continued levels it names beside it) in a folder of the saves named by their content
(``lev-629c4533aff9/lev.toml``). The window writes the copy (game/ui/storage.py); loading a save
checks it (game/savefile.py). Beside the files sits the SHA-256 of each as it was kept, so a
copy edited since is named file by file: replayed, an edited world only failed to match the
save's fingerprint, which blamed the game's version, and edited objectives loaded in silence.

This module uses the standard library only and knows nothing of the game, so every floor may
use it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = ["DIGESTS_FILE", "KeptChange", "change_since_kept", "digests_text", "folder_name"]

#: Beside a copy's files: ``{"name": "sha256:..."}`` for each, as kept. Hidden, as the partial
#: files of a write are, so nobody takes it for one of the level's files.
DIGESTS_FILE = ".kept-files.json"
#: The hex digits of the files' digest that end a copy's folder name.
FOLDER_DIGITS = 12
_FOLDER_NAME = re.compile(rf".+-(?P<digest>[0-9a-f]{{{FOLDER_DIGITS}}})")
#: Files a copy may hold, and the largest digests file read: a level, its world and the levels it
#: continues are a few dozen at most.
MOST_FILES = 256
MOST_DIGESTS_BYTES = 64 * 1024


@dataclass(frozen=True)
class KeptChange:
    """How a kept copy differs from what was kept: ``file``, the file changed (its name in the
    copy's folder; empty when the folder tells that something changed but not what), and whether
    it was removed, or cannot be read (so nobody can tell it is as kept), rather than edited."""

    file: str
    removed: bool = False
    unreadable: bool = False


def folder_name(own_name: str, contents: Mapping[str, bytes]) -> str:
    """The folder a copy of ``contents`` (file name -> bytes; ``own_name`` the level file's) is
    kept in: the level file's stem and the start of the files' digest, so the same files share
    a folder and different ones never do."""
    return f"{Path(own_name).stem}-{_folder_digest(contents)}"


def digests_text(contents: Mapping[str, bytes]) -> bytes:
    """What ``DIGESTS_FILE`` holds for ``contents``."""
    digests = {name: _sha256(data) for name, data in sorted(contents.items())}
    return (json.dumps(digests, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def change_since_kept(folder: Path, most_bytes: int) -> KeptChange | None:
    """How the copy in ``folder`` differs from what was kept there; None if it does not, or if
    ``folder`` is not named as a copy's folder is (a level file put there by hand).

    ``most_bytes``: the largest file a copy may hold (a level file's limit); a larger one was not
    kept as it is. A copy kept before the digests were kept beside it is checked against its
    folder's name alone, which tells that a file changed but not which."""
    named = _FOLDER_NAME.fullmatch(folder.name)
    if named is None:
        return None
    listed = _listed_digests(folder)
    names = sorted(listed) if listed is not None else _visible_files(folder)
    if names is None:
        return KeptChange("")  # more files than a copy holds
    if not names:
        return None  # nothing to read: loading the level says what is wrong
    contents: dict[str, bytes] = {}
    for name in names:
        path = folder / name
        try:
            if not path.is_file():
                return _blamed(folder, named["digest"], most_bytes, KeptChange(name, removed=True))
            if path.stat().st_size > most_bytes:
                return KeptChange(name)
        except OSError:
            if listed is not None:  # a name listed that the system will not look up (too long): the
                # listing is no use, and the folder's name is the check (never "not changed")
                return _blamed(folder, named["digest"], most_bytes, KeptChange(""))
            return KeptChange(name, unreadable=True)
        try:
            contents[name] = path.read_bytes()
        except OSError:
            # Not "not changed": the check stopped there, and the copy's other files, edited or
            # not, loaded (a file the level does not read was no hindrance to loading it).
            return KeptChange(name, unreadable=True)
        if listed is not None and _sha256(contents[name]) != listed[name]:
            return _blamed(folder, named["digest"], most_bytes, KeptChange(name))
    if _folder_digest(contents) != named["digest"]:
        return KeptChange("")  # a file added, or the digests file edited with the files
    return None


def _blamed(folder: Path, digest: str, most_bytes: int, change: KeptChange) -> KeptChange | None:
    """``change``, which the digests file says, unless the copy's files are still those its folder
    is named for: then only the digests file was edited (an intact level was refused, naming a
    file never touched, or "removed" one never kept), and the copy is as it was kept."""
    names = _visible_files(folder)
    if not names:
        return change
    contents: dict[str, bytes] = {}
    for name in names:
        path = folder / name
        try:
            if path.stat().st_size > most_bytes:
                return change
            contents[name] = path.read_bytes()
        except OSError:
            return change
    return None if _folder_digest(contents) == digest else change


def _folder_digest(contents: Mapping[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name in sorted(contents):
        digest.update(name.encode("utf-8") + b"\0" + contents[name] + b"\0")
    return digest.hexdigest()[:FOLDER_DIGITS]


def _sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _listed_digests(folder: Path) -> dict[str, str] | None:
    """The digests kept beside a copy's files; None where there are none to read (a copy kept
    before they were, or a digests file that is not one), and the folder's name is the check."""
    path = folder / DIGESTS_FILE
    try:
        if not path.is_file() or path.stat().st_size > MOST_DIGESTS_BYTES:
            return None
        listed = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, ValueError, RecursionError):  # ValueError: not UTF-8, not JSON; RecursionError: nested
        return None  # deeper than json takes (a digests file is one level deep)
    if not isinstance(listed, dict) or not 0 < len(listed) <= MOST_FILES or not all(
            isinstance(name, str) and _is_plain_name(name) and isinstance(digest, str)
            for name, digest in listed.items()):
        return None
    return listed


def _visible_files(folder: Path) -> list[str] | None:
    """A copy's files where no digests were kept: every file but hidden ones (partial writes);
    None if there are more than a copy holds."""
    try:
        names = sorted(p.name for p in folder.iterdir() if not p.name.startswith(".") and p.is_file())
    except OSError:
        return []
    return names if len(names) <= MOST_FILES else None


def _is_plain_name(name: str) -> bool:
    """A file's own name, leading nowhere else."""
    return bool(name) and name not in (".", "..") and "/" not in name and "\\" not in name and "\0" not in name
