"""Files written whole or not at all: the research tools' results, parts and charts.

The bytes go to a temporary file beside the target, are flushed to disk, and the temporary file
is renamed over the target; on any failure (a full disk, a stop) the temporary file is removed.
So a reader sees the old file or the new one, never half of either, and nothing is left behind.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def temporary_beside(path: Path) -> Path:
    """A hidden name beside ``path`` that no other writer uses (this process, this moment)."""
    return path.with_name(f".{path.name}.{os.getpid()}.{time.monotonic_ns()}.tmp")


def write_whole(path: Path, data: bytes) -> None:
    """Put ``data`` at ``path`` whole or not at all. OSError if it cannot be written (a missing
    folder included: no folder is made)."""
    write_whole_with(path, lambda handle: handle.write(data))


def write_whole_with(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Like ``write_whole``, for a writer that wants the open file (a chart's ``savefig``)."""
    temporary = temporary_beside(path)
    try:
        with open(temporary, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
