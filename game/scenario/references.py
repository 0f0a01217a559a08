"""What a strategy's actions name (nations, firms, projects), checked against a level's world:
for strategy files (``game.players``) and for a level's own ``[[history]]`` (``level_file``),
which passed validation with a project that did not exist and was then refused at every run."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from pathlib import Path

from game.quoting import Worded
from game.scenario.toml_reader import Problem, ScenarioError
from game.spec import Scenario, StrategyTurn, WorldSpec

#: The fields of Japan's actions that name a nation, and those that name a firm.
NATION_FIELDS = ("partner", "respondent", "partners")
FIRM_FIELDS = ("seller", "firm", "recycler")

#: A project's id as play gives it: a firm's expansion, or a recycling line a nation funded.
_MADE_IN_PLAY = re.compile(r"(?P<firm>.+)-(?:expansion-\d{4}Q[1-4](?:-\d+)?|funded-\d{4}Q[1-4]-\d+)")


def unknown_references(path: str, turns: Sequence[StrategyTurn], world: WorldSpec,
                       projects: Collection[str], table: str = "turn") -> list[Problem]:
    """Each action of ``turns`` that names a nation, a firm or a project the level's world does
    not have: a typo played as passive, refused in play at each run with nothing in a sweep's
    results. Nations and firms never appear in play; a project may (a firm's expansion, a funded
    recycling line), and its id then has the form play gives it, which is taken. ``table``: the
    turns' name in the file (``turn`` in a strategy file, ``history`` in a level), for the key;
    ``world``: the level's; ``projects``: the ids of those its world may hold
    (``projects_it_may_have``)."""
    nations = set(world.nation_codes())
    firms = {firm.id for firm in world.firms}
    problems = []
    for t, turn in enumerate(turns):
        for a, action in enumerate(turn.actions):
            where = f"{table}[{turn.table if turn.table >= 0 else t}].actions[{a}]"  # as the file has it
            for name, value in action.params:
                names = value if isinstance(value, (list, tuple)) else (value,)
                for named in names:
                    if not isinstance(named, str):
                        continue
                    if name in NATION_FIELDS and named not in nations:
                        problems.append(Problem(path, f"{where}.{name}",
                                                Worded("no nation {nation!r} in this level's world", nation=named)))
                    elif name in FIRM_FIELDS and named not in firms:
                        problems.append(Problem(path, f"{where}.{name}",
                                                Worded("no firm {firm!r} in this level's world", firm=named)))
                    elif name == "project" and named not in projects and not (
                            (made := _MADE_IN_PLAY.fullmatch(named)) and made["firm"] in firms):
                        problems.append(Problem(path, f"{where}.{name}",
                                                Worded("no project {project!r} in this level's world", project=named)))
    return problems


def projects_it_may_have(scenario: Scenario, load_level: Callable[[Path], Scenario]) -> set[str]:
    """The ids of the projects a level's world starts with: its own, and, for a level that goes
    on from another's history, those of each level of that history (a project still building
    then is there to invest in). A level read from its file knows them (``project_ids``), with its
    world's own as they are now (a Scenario replaced with more projects keeps the ids it was read
    with); one built in code has its chain read again."""
    if scenario.project_ids:
        return set(scenario.project_ids) | {project.id for project in scenario.world.projects}
    projects: set[str] = set()
    for _ in range(64):  # a chain of levels is at most this long (game.scenario refuses longer)
        projects.update(project.id for project in scenario.world.projects)
        if not scenario.starts_from_path:
            break
        try:
            scenario = load_level(Path(scenario.starts_from_path))
        except (ScenarioError, OSError):
            break
    return projects
