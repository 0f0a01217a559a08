"""The game's version, which the files it writes name (saves, results files, research rows,
scenario codes): a file written by another version that no longer replays is refused naming
both versions, not as a puzzle ("its history replays differently")."""

from __future__ import annotations

from functools import cache
from importlib import metadata
from pathlib import Path

import tomli

__all__ = ["model_version"]

PACKAGE = "rare-earths"


@cache
def model_version() -> str:
    """The version in the source tree's pyproject.toml when run from one (an editable install's
    metadata keeps the version it was installed at, which a raised version would not reach),
    else the installed package's; ``unknown`` when neither says."""
    return _source_tree_version() or _installed_version() or "unknown"


def _source_tree_version() -> str | None:
    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    try:
        project = tomli.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
    except (OSError, UnicodeDecodeError, tomli.TOMLDecodeError):
        return None  # not a source tree (an installed package has no pyproject.toml beside it)
    version = project.get("version") if isinstance(project, dict) and project.get("name") == PACKAGE else None
    return version if isinstance(version, str) and version else None


def _installed_version() -> str | None:
    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        return None
