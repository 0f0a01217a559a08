"""Scheduled events: a heap keyed by turn, and what each kind of event does to the world."""

from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from game.world.quarters import Quarter

if TYPE_CHECKING:
    from game.scenario import EventSpec
    from game.world.model import RareEarthWorld


@dataclass(frozen=True)
class NewsItem:
    """One line of the turn's news: an event, a breach, a finished project...

    What the world reports as it runs keeps its English ``template`` and the ``fields`` that
    fill it, so a reader can word it in another language; ``headline`` is the English line.
    """

    quarter: Quarter
    kind: str
    headline: str
    source: str = ""
    template: str = ""
    fields: tuple[tuple[str, object], ...] = ()


class EventQueue:
    """Events waiting to fire, ordered by quarter then date (stable for equal dates)."""

    def __init__(self, events: tuple[EventSpec, ...] = ()):
        self._heap: list[tuple[Quarter, object, int, EventSpec]] = []
        self._counter = itertools.count()
        for event in events:
            self.push(event)

    def push(self, event: EventSpec) -> None:
        heapq.heappush(self._heap, (event.quarter, event.date, next(self._counter), event))

    def pop_due(self, quarter: Quarter) -> list[EventSpec]:
        due = []
        while self._heap and self._heap[0][0] <= quarter:
            due.append(heapq.heappop(self._heap)[3])
        return due

    def __len__(self) -> int:
        return len(self._heap)


def apply_event(world: RareEarthWorld, event: EventSpec) -> None:
    """Carry out one scheduled event through the world's own state and mechanisms."""
    policy = world.policy
    kind = event.kind
    if kind == "embargo":
        policy.impose_embargo(event.get("exporter"), event.get("partner"), event.get("materials"),
                              event.date, event.get("until"))
    elif kind == "embargo_lift":
        policy.lift_embargo(event.get("exporter"), event.get("partner"), event.get("materials"), event.date)
    elif kind == "export_quota":
        policy.set_quota(event.get("exporter"), event.get("tonnes_per_year"), np.array(event.get("split")))
    elif kind == "export_tariff":
        policy.set_tariff(event.get("exporter"), np.array(event.get("rate")))
    elif kind == "licence":
        policy.set_friction(event.get("exporter"), event.get("partner"), event.get("materials"),
                            event.get("friction_usd_per_kg"))
    elif kind == "tension":
        world.nation(event.get("exporter")).change_tension(event.get("partner"), event.get("change"))
    elif kind == "wto_case":
        world.open_wto_case(event.get("respondent"), list(event.get("complainants")))
    elif kind == "mining_quota":
        world.set_mining_quota(event.get("exporter"), event.get("tonnes_per_year"), event.get("enforcement"),
                               tuple(event.get("firms", ())))
    elif kind == "demand_trend":
        world.set_demand_trend(tuple(event.get("nations")), event.get("magnets_per_year"), event.get("cela_per_year"))
    elif kind == "plant_rules":
        firm = world.firm(event.get("firm"))
        firm.unit_cost += event.get("extra_cost_usd_per_kg")
        firm.capacity_tpy = min(firm.capacity_tpy, event.get("capacity_cap_tpy"))
    elif kind == "budget":
        world.nation(event.get("exporter")).budget_musd += event.get("musd")
    elif kind == "project_start":
        world.start_project(world.projects[event.get("project")])
    world.report(kind, event.headline, event.source)
