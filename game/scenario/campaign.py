"""The campaign file: levels in order, each opened by stars on the one before."""

from __future__ import annotations

from pathlib import Path

from game.quoting import Worded
from game.scenario.catalogue import ROLES_FILE, levels_dir, shipped_level_paths
from game.scenario.toml_reader import ScenarioError, TomlReader, parse_file
from game.spec import Campaign, CampaignEntry


def load_campaign(path: str | Path | None = None) -> Campaign:
    """The campaign: levels in order, each opened by stars on the one before. Each level it
    names must be a level file beside it or a shipped level."""
    path = Path(path) if path is not None else levels_dir() / "campaign.toml"
    reader = TomlReader(str(path))
    data = parse_file(path, reader)
    entries = []
    title: dict[str, str] = {}
    if data is not None:
        reader.unknown_keys(data, "", ("title", "level"))
        title = reader.localized(data, "", "title")
        known = _levels_beside(path) | {p.stem for p in shipped_level_paths()}
        if data.get("level") == []:
            reader.problem("level", "expected at least one level")
        for key, item in reader.array_of_tables(data, "", "level", required=True):
            reader.unknown_keys(item, key, ("id", "unlock_stars", "at"))
            level = reader.identifier(item, key, "id", what=Worded("the id of a level"))
            if level and level not in known:
                reader.problem(f"{key}.id", "no level {level!r} beside the campaign file or among the shipped levels",
                               level=level)
            at = reader.lonlat(item, key, "at") if "at" in item else None
            entries.append(CampaignEntry(level, reader.integer(item, key, "unlock_stars", default=1, low=0, high=3),
                                         at))
        reader.check_unique([e.level for e in entries], "level", "id")
    if reader.problems:
        raise ScenarioError(reader.problems)
    return Campaign(title, tuple(entries))


def _levels_beside(path: Path) -> set[str]:
    """The ids of the level files in the campaign file's folder (world, roles and campaign files aside)."""
    try:
        files = list(path.parent.glob("*.toml"))
    except OSError:
        return set()
    return {f.stem for f in files
            if not f.name.startswith("world-") and f.name not in ("campaign.toml", ROLES_FILE) and f != path}
