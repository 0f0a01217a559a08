"""The workshop's roles file (``levels/roles.toml``): who each team can play, its card, its
levers and its objectives, checked like a level file and reported as ``PATH: key: problem``."""

from __future__ import annotations

import re
from pathlib import Path

from game.action_base import ACTION_TYPES
from game.objectives import RULES, star_gap
from game.quoting import said_back
from game.scenario.catalogue import ROLES_FILE, levels_dir, shipped_level_paths
from game.scenario.toml_reader import (
    MAX_NUMBER,
    ScenarioError,
    TomlReader,
    is_identifier,
    parse_file,
)
from game.spec import Objective, RoleSpec, RolesSpec
from game.vocab.indicators import COMPANY_RECORDED, NATION_RECORDED, TEAM_INDICATOR_RANGES

#: What an objective's text may hold in braces: the threshold, with a short number format
#: (``{threshold:.0%}``, ``{threshold:,.0f}``); anything else would fail, or run away, when
#: ``game.workshop.roles`` fills it in.
_FIELD = re.compile(r"\{threshold(:,?(\.\d)?[f%g]?)?\}")


def load_roles(path: str | Path | None = None) -> RolesSpec:
    """Read and check a roles file (the shipped one by default); raises ScenarioError naming
    every problem."""
    path = Path(path) if path is not None else levels_dir() / ROLES_FILE
    reader = TomlReader(str(path))
    data = parse_file(path, reader)
    if data is None:
        raise ScenarioError(reader.problems)
    reader.unknown_keys(data, "", ("roles", "questions"))
    if data.get("roles") == []:
        reader.problem("roles", "expected at least one role")
    roles = [_read_role(reader, key, item) for key, item in reader.array_of_tables(data, "", "roles", required=True)]
    reader.check_unique([r.code for r in roles], "roles", "code")
    questions = []
    for key, item in reader.array_of_tables(data, "", "questions"):
        questions.append(reader.localized({key: item}, "", key, prose=True))
    if reader.problems:
        raise ScenarioError(reader.problems)
    return RolesSpec(tuple(roles), tuple(questions))


def _read_role(reader: TomlReader, key: str, item: dict) -> RoleSpec:
    reader.unknown_keys(item, key, ("code", "name", "situation", "watch", "bot", "levers", "objectives",
                                    "budget_musd_per_quarter", "firms"))
    firms = reader.string_list(item, key, "firms")
    for i, firm in enumerate(firms):
        if not is_identifier(firm):
            reader.problem(f"{key}.firms[{i}]", "expected the id of a firm, got {value}", value=said_back(firm))
    reader.check_distinct(firms, f"{key}.firms")
    if firms and "budget_musd_per_quarter" in item:
        reader.problem(f"{key}.budget_musd_per_quarter", "a company has its firms' cash, not a budget")
    indicators = COMPANY_RECORDED if firms else NATION_RECORDED
    levers = reader.string_list(item, key, "levers")
    for lever in levers:
        if lever not in ACTION_TYPES:
            reader.problem(f"{key}.levers", "no action {kind!r} (known: {kinds})", kind=lever, kinds=", ".join(ACTION_TYPES))
    reader.check_distinct(levers, f"{key}.levers")
    objectives = []
    thresholds: dict[str, dict[str, float]] = {}
    levels = [path.stem for path in shipped_level_paths()]
    for okey, objective in reader.array_of_tables(item, key, "objectives"):
        reader.unknown_keys(objective, okey, ("id", "text", "indicator", "rule", "threshold", "thresholds", "star"))
        indicator = reader.string(objective, okey, "indicator", choices=indicators)
        # Within what the indicator can be, as a level's objective (else met always or never).
        low, high = TEAM_INDICATOR_RANGES.get(indicator, (None, None))
        low, high = -MAX_NUMBER if low is None else low, MAX_NUMBER if high is None else high
        by_level = {}
        for level, value in reader.table(objective, okey, "thresholds", required=False).items():
            if level not in levels:
                reader.problem(f"{okey}.thresholds.{level}", "no shipped level {level!r}", level=level)
            by_level[level] = reader.check_number(value, f"{okey}.thresholds.{level}", low, high)
        thresholds[str(objective.get("id", ""))] = by_level
        texts = reader.localized(objective, okey, "text")
        for language, text in texts.items():
            if not _fills_in(text):
                reader.problem(f"{okey}.text.{language}", "a text may name only {threshold} in braces, with a "
                                                          "short number format like {threshold:.0%}")
        objectives.append(Objective(
            id=reader.identifier(objective, okey, "id"),
            text=texts,
            indicator=indicator,
            rule=reader.string(objective, okey, "rule", choices=RULES),
            threshold=reader.number(objective, okey, "threshold", low=low, high=high),
            star=reader.integer(objective, okey, "star", low=1, high=3),
        ))
    reader.check_unique([o.id for o in objectives], f"{key}.objectives", "id")
    gap = star_gap(objectives)
    if gap:
        reader.problem(f"{key}.objectives", gap)
    return RoleSpec(
        code=reader.code(item, key, "code"),
        name=reader.localized(item, key, "name"),
        situation=reader.localized(item, key, "situation", prose=True),
        watch=reader.localized(item, key, "watch", prose=True),
        bot=reader.localized(item, key, "bot", prose=True),
        levers=levers,
        objectives=tuple(objectives),
        budget_musd_per_quarter=reader.number(item, key, "budget_musd_per_quarter", default=0.0, low=0.0),
        thresholds={k: v for k, v in thresholds.items() if v},
        firms=firms,
    )



def _fills_in(text: str) -> bool:
    """``text`` names only the threshold in braces (``{{`` and ``}}`` stand for braces themselves)."""
    rest = _FIELD.sub("", text.replace("{{", "").replace("}}", ""))
    if "{" in rest or "}" in rest:
        return False
    try:
        text.format(threshold=1.0)
    except (KeyError, IndexError, ValueError, TypeError, AttributeError):
        return False
    return True
