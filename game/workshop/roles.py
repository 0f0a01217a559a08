"""A role in a given level: the levers its team may pull and the objectives it is judged by.

The roles file (``levels/roles.toml``, read by game.scenario.roles_file) gives each role's
card; Japan's levers and objectives are the level's own, so a team playing Japan plays the
same game as a person alone. A role's objectives judged "by" a quarter with none named are
judged at the level's last quarter.
"""

from __future__ import annotations

import dataclasses

from game.actions import JAPAN_LEVERS
from game.objectives import DATED_RULES
from game.spec import Objective, RoleSpec, Scenario
from game.vocab.nations import JAPAN


def levers_of(role: RoleSpec, scenario: Scenario) -> tuple[str, ...]:
    """The action kinds the role's team may submit in this level."""
    if role.code == JAPAN:
        unlocked = scenario.unlocked_actions
        return tuple(k for k in JAPAN_LEVERS if not unlocked or k in unlocked)
    return role.levers


def objectives_of(role: RoleSpec, scenario: Scenario) -> tuple[Objective, ...]:
    """The objectives the role's team is judged by in this level (Japan's: the level's)."""
    if role.code == JAPAN:
        return tuple(scenario.objectives)
    judged = []
    for objective in role.objectives:
        threshold = role.thresholds.get(objective.id, {}).get(scenario.id, objective.threshold)
        judged.append(dataclasses.replace(
            objective, threshold=threshold,
            text={language: text.format(threshold=threshold) for language, text in objective.text.items()},
            by=scenario.end if objective.rule in DATED_RULES and objective.by is None else objective.by))
    return tuple(judged)


def budget_of(role: RoleSpec, scenario: Scenario) -> float:
    """What the role's nation gets each quarter in this level (US$ million): its world's
    allowance, or the role's where that is more (0 where the world has no such nation)."""
    if role.is_company:
        return 0.0  # a company spends its firms' cash
    nation = next((n for n in scenario.world.nations if n.code == role.code), None)
    return max(nation.budget_musd_per_quarter, role.budget_musd_per_quarter) if nation is not None else 0.0
