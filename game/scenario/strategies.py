"""Scripted strategies: a level's ``[[history]]`` and strategy files of ``[[turn]]`` tables."""

from __future__ import annotations

from pathlib import Path

from game.actions import action_from_dict
from game.scenario.toml_reader import ScenarioError, TomlReader, parse_file
from game.spec import ActionSpec, StrategyTurn
from game.vocab.quarters import Quarter


def read_strategy_turns(reader: TomlReader, data: dict, name: str,
                        start: Quarter | None = None, end: Quarter | None = None) -> tuple[StrategyTurn, ...]:
    """Read ``[[NAME]]`` tables of ``quarter`` + ``actions``; shared by levels and strategy files."""
    turns = []
    for key, item in reader.array_of_tables(data, "", name):
        reader.unknown_keys(item, key, ("quarter", "actions", "note", "source"))
        quarter = reader.quarter(item, key, "quarter")
        if quarter and start and end and not start <= quarter <= end:
            reader.problem(f"{key}.quarter", f"{quarter} falls outside the level ({start} to {end})")
        actions = []
        for akey, action in reader.array_of_tables(item, key, "actions", required=True):
            kind = reader.string(action, akey, "kind")
            try:
                action_from_dict(action)
            except ValueError as error:
                reader.problem(akey, str(error))
                continue
            params = tuple(sorted((k, v) for k, v in action.items() if k != "kind"))
            actions.append(ActionSpec(kind=kind, params=params))
        if quarter:
            turns.append(StrategyTurn(quarter=quarter, actions=tuple(actions), note=str(item.get("note", ""))))
    turns.sort(key=lambda t: t.quarter)
    return tuple(turns)


# --------------------------------------------------------------------------- files


def load_strategy_file(path: str | Path) -> tuple[StrategyTurn, ...]:
    """Read a scripted strategy: ``[[turn]]`` tables with ``quarter`` and ``actions``."""
    path = Path(path)
    reader = TomlReader(str(path))
    data = parse_file(path, reader)
    if data is not None:
        reader.unknown_keys(data, "", ("name", "description", "turn"))
        turns = read_strategy_turns(reader, data, "turn")
    if reader.problems:
        raise ScenarioError(reader.problems)
    return turns

