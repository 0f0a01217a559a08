"""A shipped level's files edited, as an update of the game might edit them, without writing
into the shipped levels: the level's digest reads edited copies in their place."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from game.research import runner
from game.research.runner import scenario_for


def read_edited(monkeypatch, folder: Path, level: str, edit: Callable[[str], str]) -> None:
    """``level``'s file and its world file as ``edit`` leaves their text, copied into ``folder``
    and read by the level's digests in place of the shipped ones."""
    shipped = runner._level_files
    copies = {}
    for path in shipped(scenario_for(level).path):
        copy = folder / path.name
        copy.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
        copies[path] = copy
    monkeypatch.setattr(runner, "_level_files", lambda level_path: [copies.get(p, p) for p in shipped(level_path)])


def comments_added(toml: str) -> str:
    """A comment, blank lines and spaces added: an update that changes nothing a level says."""
    return "# Edited in an update.\n\n" + toml.replace("\n\n", "\n\n# (a note)\n\n", 3).replace(
        'end = "2012Q4"', 'end   =   "2012Q4"  # the last quarter')
