"""Scripted strategies: a level's ``[[history]]`` and strategy files of ``[[turn]]`` tables."""

from __future__ import annotations

from pathlib import Path

from game.actions import ACTION_TYPES, JAPAN_LEVERS, action_from_dict
from game.scenario.file_kinds import KIND_WORDS, kind_of_file
from game.scenario.toml_reader import (
    Problem,
    ScenarioError,
    TomlReader,
    parse_file,
    text_problem,
)
from game.quoting import Worded
from game.spec import ActionSpec, StrategyTurn
from game.vocab.nations import JAPAN
from game.vocab.quarters import Quarter


def read_strategy_turns(reader: TomlReader, data: dict, name: str,
                        start: Quarter | None = None, end: Quarter | None = None) -> tuple[StrategyTurn, ...]:
    """Read ``[[NAME]]`` tables of ``quarter`` + ``actions``; shared by levels and strategy files.
    With ``start`` and ``end``, a turn outside them is a problem (it would never be played)."""
    turns = []
    for key, item in reader.array_of_tables(data, "", name):
        reader.unknown_keys(item, key, ("quarter", "actions", "note", "source"))
        quarter = reader.quarter(item, key, "quarter")
        if quarter and start and end and not start <= quarter <= end:
            reader.problem(f"{key}.quarter", "{quarter} falls outside the level ({start} to {end})", quarter=quarter,
                           start=start, end=end)
        note = reader.string(item, key, "note", default="", prose=True)
        reader.string(item, key, "source", default="")
        actions = []
        for akey, action in reader.array_of_tables(item, key, "actions", required=True):
            kind = reader.string(action, akey, "kind")
            if kind in ACTION_TYPES and kind not in JAPAN_LEVERS:  # an exporter's went through for Japan
                reader.problem(f"{akey}.kind", "{kind!r} is not one of Japan's levers", kind=kind)
                continue
            # Its texts first: a file's problem names the field and says which character is wrong.
            if not _params_are_sound(reader, action, akey):
                continue
            try:
                built = action_from_dict(action)
            except ValueError as error:  # a Refusal: its words keep their template
                reader.problem(akey, error)
                continue
            # What play would refuse in any world (offtake years, talks with Japan itself), as the
            # world says it: else the file passed, and every run refused the action.
            refused = built.field_problem(JAPAN)
            if refused is not None:
                reader.problem(akey, Worded("{key}: {problem}", key=kind,
                                            problem=Worded(refused.template, **dict(refused.fields))))
                continue
            params = tuple(sorted((k, v) for k, v in action.items() if k != "kind"))
            actions.append(ActionSpec(kind=kind, params=params))
        if quarter:
            table = int(key.rpartition("[")[2].rstrip("]"))  # NAME[i]: its place in the file
            turns.append(StrategyTurn(quarter=quarter, actions=tuple(actions), note=note, table=table))
    turns.sort(key=lambda t: t.quarter)
    return tuple(turns)


def _params_are_sound(reader: TomlReader, action: dict, key: str) -> bool:
    """An action's names (a project, a partner, a list of them) are one-line texts, not empty: the
    world would refuse such a name when played, but in a message of several lines. (Its numbers
    are checked by ``action_from_dict``: 0 or at least ``MIN_QUANTITY``.)"""
    good = True
    for name, value in action.items():
        for i, item in enumerate(value if isinstance(value, list) else [value]):
            where = f"{key}.{name}[{i}]" if isinstance(value, list) else f"{key}.{name}"
            trouble = text_problem(item, prose=False) if isinstance(item, str) else ""
            if trouble:
                reader.problem(where, trouble)
                good = False
    return good


# --------------------------------------------------------------------------- files


def load_strategy_file(path: str | Path, start: Quarter | None = None,
                       end: Quarter | None = None) -> tuple[StrategyTurn, ...]:
    """Read a scripted strategy: ``[[turn]]`` tables with ``quarter`` and ``actions``. Given the
    dates of the level it is to play (``start``, ``end``), a turn outside them is refused, as in
    a level's own ``[[history]]``, rather than silently never played."""
    problems, turns = _read_strategy_file(Path(path), start, end)
    if problems:
        raise ScenarioError(problems)
    return turns


def strategy_file_problems(path: str | Path, start: Quarter, end: Quarter) -> list[Problem]:
    """Every problem of a strategy file played in a level from ``start`` to ``end``: its own, and
    each turn outside those dates (``turn[3].quarter: 2030Q1 falls outside the level ...``)."""
    return _read_strategy_file(Path(path), start, end)[0]


def _read_strategy_file(path: Path, start: Quarter | None,
                        end: Quarter | None) -> tuple[list[Problem], tuple[StrategyTurn, ...]]:
    reader = TomlReader(str(path))
    data = parse_file(path, reader)
    turns: tuple[StrategyTurn, ...] = ()
    other_kind = kind_of_file(data) if data is not None else ""
    if other_kind not in ("", "strategy"):
        reader.problem("", "this is {kind}, not a strategy (a strategy has [[turn]] tables of a quarter and its "
                           "actions)", kind=KIND_WORDS[other_kind])
    elif data is not None:
        reader.unknown_keys(data, "", ("name", "description", "turn"))
        reader.string(data, "", "name", default="")
        reader.string(data, "", "description", default="", prose=True)
        turns = read_strategy_turns(reader, data, "turn", start, end)
    return reader.problems, turns
