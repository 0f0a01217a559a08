"""``run(level, strategy, seed) -> RunResult``: one headless run, the unit every sweep,
calibration and environment shares. ``assumptions={"NAME": value}`` overrides the world file's
and the level's ``[assumptions]`` for the run (``game.scenario.with_assumptions``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from game.players import controller_for
from game.scenario import find_level, load_level, with_assumptions
from game.session import Session
from game.spec import Scenario


@dataclass(frozen=True)
class RunResult:
    level: str
    strategy: str
    seed: int
    rows: tuple[dict[str, Any], ...]
    news: tuple[tuple[str, str, str], ...] = field(default=())
    #: What happened to firms: (quarter, firm id, firm name, "bankrupt" or "restarted").
    firm_fates: tuple[tuple[str, str, str, str], ...] = field(default=())

    def column(self, name: str) -> list[Any]:
        return [row[name] for row in self.rows]


def run(level: str | Scenario, strategy: str = "passive", seed: int = 0, turns: int | None = None,
        assumptions: Mapping[str, Any] | None = None) -> RunResult:
    """Play a level headless and return its rows (one per quarter) and news.

    ``assumptions`` overrides some of the level's assumptions, e.g.
    ``{"max_thrift_per_quarter": 0.05}``; an unknown name or a value of the wrong type or range
    raises ``AssumptionError`` (a ValueError naming the key) before anything runs.
    """
    scenario = level if isinstance(level, Scenario) else load_level(find_level(level))
    scenario = with_assumptions(scenario, assumptions or {})
    session = Session(scenario, controller_for(strategy, scenario), seed=seed)
    try:
        session.run(max_turns=turns)
        news = tuple((str(n.quarter), n.kind, n.headline) for n in session.world.news)
        return RunResult(scenario.id, strategy, seed, tuple(session.rows()), news, _firm_fates(session.world.news))
    finally:
        session.close()


def _firm_fates(news) -> tuple[tuple[str, str, str, str], ...]:
    """The firms' failures and rescues among the news (those reported with a ``fate_id``)."""
    fates = []
    for item in news:
        fields = dict(item.fields)
        if "fate_id" in fields:
            fates.append((str(item.quarter), str(fields["firm_id"]), str(fields["firm"]), str(fields["fate_id"])))
    return tuple(fates)
