"""The campaign file: levels in order, each opened by stars on the one before."""

from __future__ import annotations

from pathlib import Path

from game.scenario.catalogue import levels_dir, shipped_level_paths
from game.scenario.toml_reader import ScenarioError, TomlReader, parse_file
from game.spec import Campaign, CampaignEntry


def load_campaign(path: str | Path | None = None) -> Campaign:
    """The campaign: levels in order, each opened by stars on the one before."""
    path = Path(path) if path is not None else levels_dir() / "campaign.toml"
    reader = TomlReader(str(path))
    data = parse_file(path, reader)
    entries = []
    if data is not None:
        reader.unknown_keys(data, "", ("title", "level"))
        title = reader.localized(data, "", "title")
        shipped = {p.stem for p in shipped_level_paths()} if path.parent == levels_dir() else None
        for key, item in reader.array_of_tables(data, "", "level", required=True):
            reader.unknown_keys(item, key, ("id", "unlock_stars", "at"))
            level = reader.string(item, key, "id")
            if shipped is not None and level and level not in shipped:
                reader.problem(f"{key}.id", f"no shipped level {level!r}")
            at = reader.lonlat(item, key, "at") if "at" in item else None
            entries.append(CampaignEntry(level, reader.integer(item, key, "unlock_stars", default=1, low=0, high=3),
                                         at))
        reader.check_unique([e.level for e in entries], "level", "id")
    if reader.problems:
        raise ScenarioError(reader.problems)
    return Campaign(title, tuple(entries))

