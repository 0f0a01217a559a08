"""Where the shipped levels are, and finding one by id or path."""

from __future__ import annotations

from pathlib import Path

from game.quoting import Worded, named
from game.scenario.toml_reader import Problem, ScenarioError, is_file

#: The workshop's roles (game.scenario.roles_file), beside the levels but not one of them.
ROLES_FILE = "roles.toml"


def levels_dir() -> Path:
    """The folder of shipped levels: ``levels/`` in a source tree, else the installed ``game.levels``."""
    here = Path(__file__).resolve().parent.parent
    source = here.parent / "levels"
    if (source / "world-2010.toml").is_file():
        return source
    return here / "levels"


def shipped_level_paths() -> list[Path]:
    """Every shipped level file (world files excluded), sorted by file name."""
    paths = []
    for path in sorted(levels_dir().glob("*.toml")):
        if path.name.startswith("world-") or path.name in ("campaign.toml", ROLES_FILE):
            continue
        paths.append(path)
    return paths


def find_level(level: str) -> Path:
    """A level id among the shipped levels, or a path to a level file."""
    candidate = Path(level)
    if candidate.suffix == ".toml" or "/" in level or "\\" in level:
        if not is_file(candidate):  # False too for a name the system refuses (one too long)
            raise ScenarioError([Problem(named(level, 120), "", Worded("no such level file"))])
        return candidate
    for path in shipped_level_paths():
        if path.stem == level:
            return path
    known = ", ".join(p.stem for p in shipped_level_paths())
    if candidate.suffix and is_file(candidate):  # a file given without a level's .toml: not taken for an id
        raise ScenarioError([Problem(named(level, 120), "", Worded("not a level file: a level file's name ends in .toml"))])
    raise ScenarioError([Problem(Worded("level {level}", level=named(level, 120)), "",
                                 Worded("no level with this id (shipped levels: {levels})", levels=known))])

