"""Files written whole or not at all: saves, settings, results, run CSVs, sweep parts, charts.

The bytes go to a hidden file of their own beside the target (``.NAME.ID.partial``, created
exclusively, so two writers never share one), are flushed to the disk, and that file is renamed
over the target in one step; the folder is then flushed too where the system allows, so the
rename itself survives a power cut. On any failure (a full disk, a stop) the partial file is
removed and the old target is left as it was: a reader sees the old file or the new one, never
half of either. No folder is made here: a missing one is an OSError like any other.

This module uses the standard library only and knows nothing of the game, so every floor may
use it.
"""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

__all__ = ["PARTIAL_SUFFIX", "numbered_names", "short_name", "through_link", "write_whole", "write_whole_as_new",
           "write_whole_together", "write_whole_with"]

#: What a write under way (or one killed mid-way) is called: ``.NAME.ID`` plus this.
PARTIAL_SUFFIX = ".partial"
#: A file name longer than this (in bytes) is cut to its first MOST_NAME_CHARS_SHORT characters
#: in its partial file's name, which adds about 40 bytes of its own.
MOST_NAME_BYTES_KEPT = 200
MOST_NAME_CHARS_SHORT = 40


def write_whole(path: Path, data: bytes | str, private: bool = False) -> None:
    """Put ``data`` (text as UTF-8) at ``path`` whole or not at all. OSError if it cannot be
    written, with the old file, if any, untouched. ``private``: readable by this account only
    (a file holding what lets someone act as another, such as a class's join codes)."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    write_whole_with(path, lambda handle: handle.write(payload), private)


def write_whole_with(path: Path, write: Callable[[BinaryIO], object], private: bool = False) -> None:
    """Like ``write_whole``, for a writer that wants the open file (a chart's ``savefig``, a
    Parquet table)."""
    path = through_link(Path(path))
    partial = _write_partial(path, write, private)
    try:
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    _flush_folder(path.parent)


def write_whole_together(files: Iterable[tuple[Path, Callable[[BinaryIO], object]]]) -> list[Path]:
    """Several files as one: each is written to a partial file of its own first, and only when
    all are whole on the disk are they renamed into place (a rename takes no room), so a full
    disk changes none of them: a new chart beside the old chart of other results, or three new
    handouts and one old one, was what a failure left. Returns the files written; an OSError
    names the file that could not be, with every file as it was."""
    ready: list[tuple[Path, Path]] = []
    try:
        for path, write in files:
            target = through_link(Path(path))
            ready.append((_write_partial(target, write), target))
        written = [target for _, target in ready]
        while ready:
            partial, target = ready[0]
            os.replace(partial, target)
            ready.pop(0)
            _flush_folder(target.parent)
    finally:
        for partial, _ in ready:  # a failure on the way: what was not renamed goes
            partial.unlink(missing_ok=True)
    return written


def through_link(path: Path) -> Path:
    """The file a write to ``path`` goes to: the one it names, where it is a symbolic link (as
    the shell's '>' writes; the file renamed over the link replaced the link, and the file it
    named, a settings file kept elsewhere, stayed old)."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def numbered_names(folder: Path, name: str, most: int = 9_999) -> Iterator[Path]:
    """``name`` in ``folder``, then ``STEM-2.SUFFIX``, ``STEM-3.SUFFIX``... up to ``most``: the
    names ``write_whole_as_new`` may take for a file that never goes over another."""
    stem, suffix = Path(name).stem, Path(name).suffix
    return (Path(folder) / (name if number == 1 else f"{stem}-{number}{suffix}") for number in range(1, most + 1))


def write_whole_as_new(candidates: Iterable[Path], data: bytes | str, private: bool = False) -> Path:
    """Put ``data`` whole under the first of ``candidates`` (names in one folder) that no file
    has yet, and return it: a name taken between looking and writing (another process) is
    passed over, never written over. The whole file appears under its name in one step (a hard
    link of the flushed partial file), so nobody sees it empty; where the file system has no
    hard links, the name is claimed by creating it empty and the data is then renamed over it.
    FileExistsError if every name is taken, another OSError if the folder cannot take it."""
    names = iter(candidates)  # read lazily: a caller may offer thousands of names
    first = next(names, None)
    if first is None:
        raise FileExistsError("no name to write under")
    first = Path(first)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    partial = _write_partial(first, lambda handle: handle.write(payload), private)
    try:
        for path in itertools.chain([first], map(Path, names)):
            try:
                os.link(partial, path)
            except FileExistsError:
                continue
            except OSError:
                # No hard links here (FAT, some network shares; each system names it its own
                # way): claim the name empty, then rename the data over it. A fault that is not
                # about links (a full disk) fails the claim or the rename as well.
                if not _claim_empty(path):
                    continue
                os.replace(partial, path)
            _flush_folder(path.parent)
            return path
    finally:
        partial.unlink(missing_ok=True)
    raise FileExistsError(f"every name for {first.name} is taken")


def _claim_empty(path: Path) -> bool:
    """Create ``path`` empty if no file has that name; False if one has."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
    except FileExistsError:
        return False
    return True


def _write_partial(path: Path, write: Callable[[BinaryIO], object], private: bool = False) -> Path:
    """A new hidden file beside ``path`` holding what ``write`` puts in it, flushed to the disk;
    removed again if writing it fails. ``private``: readable and writable by this account only."""
    partial, handle = _open_partial(path)
    try:
        with handle:
            if private and os.name != "nt":
                os.fchmod(handle.fileno(), 0o600)
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException as error:
        partial.unlink(missing_ok=True)
        if isinstance(error, OSError) and error.filename is None:
            error.filename = str(path)  # a full disk says so on write, naming no file: the one meant
        raise
    return partial


def file_meant(path: Path) -> Path:
    """The file a hidden partial file (``.NAME.ID.partial``, see ``_open_partial``) was written
    for; any other path as it is."""
    if path.name.startswith(".") and path.name.endswith(PARTIAL_SUFFIX):
        return path.with_name(path.name[1:-len(PARTIAL_SUFFIX)].rsplit(".", 1)[0])
    return path


def short_name(name: str) -> str:
    """``name`` as a file beside it that adds marks of its own (a partial write, a lock) names
    it: as it is, or its start where it is near the system's limit of 255 bytes, which would leave
    no room for the marks (the results of a whole class were lost to "File name too long")."""
    return name if len(os.fsencode(name)) <= MOST_NAME_BYTES_KEPT else name[:MOST_NAME_CHARS_SHORT]


def _open_partial(path: Path) -> tuple[Path, BinaryIO]:
    """A new hidden file beside ``path``, open for writing. Created with the permissions any new
    file of this account gets (unlike ``tempfile``'s owner-only ones: results and charts are
    for the user's group too)."""
    stem = f".{short_name(path.name)}.{os.getpid()}-{time.monotonic_ns()}"
    for attempt in range(100):
        partial = path.with_name(f"{stem}-{attempt}{PARTIAL_SUFFIX}")
        try:
            return partial, open(partial, "xb")  # noqa: SIM115 (closed by the caller's ``with``)
        except FileExistsError:
            continue
    raise FileExistsError(f"no free name for a partial file beside {path}")


def _flush_folder(folder: Path) -> None:
    """Make the rename durable (a power cut right after it could otherwise bring back the old
    file). Windows cannot open a folder as a file, and some file systems refuse to flush one:
    the file is written whole either way, so those are skipped."""
    if os.name == "nt":
        return
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)
