"""Scheduled events: a heap keyed by turn, and what each kind of event does to the world."""

from __future__ import annotations

import heapq
from collections.abc import Callable
from typing import Any

import mesa
import numpy as np

from game.spec import (
    BudgetGrant,
    DemandTrend,
    Embargo,
    EmbargoLift,
    EventSpec,
    ExportQuota,
    ExportTariff,
    Licence,
    MiningQuota,
    News,
    PlantRules,
    ProjectStart,
    TensionChange,
    WtoCaseFiled,
)
from game.vocab.quarters import Quarter


class EventQueue:
    """Events waiting to fire, ordered by quarter then date (stable for equal dates)."""

    def __init__(self, events: tuple[EventSpec, ...] = ()):
        self._heap: list[tuple[Quarter, object, int, EventSpec]] = []
        # How many were pushed: the tie-break for equal dates. A number, not itertools.count(),
        # which Python 3.14 can no longer copy (a world is deep-copied: Session, history starts).
        self._pushed = 0
        for event in events:
            self.push(event)

    def push(self, event: EventSpec) -> None:
        heapq.heappush(self._heap, (event.quarter, event.date, self._pushed, event))
        self._pushed += 1

    def pop_due(self, quarter: Quarter) -> list[EventSpec]:
        due = []
        while self._heap and self._heap[0][0] <= quarter:
            due.append(heapq.heappop(self._heap)[3])
        return due

    def __len__(self) -> int:
        return len(self._heap)

    def waiting(self) -> list[EventSpec]:
        """The events still to fire, in the order they will."""
        return [entry[3] for entry in sorted(self._heap)]

    def remove(self, event: EventSpec) -> bool:
        """Take a waiting event out (it was brought forward); False if it is not waiting."""
        for i, entry in enumerate(self._heap):
            if entry[3] is event:
                self._heap.pop(i)
                heapq.heapify(self._heap)
                return True
        return False


def _embargo(world: mesa.Model, e: Embargo, event: EventSpec) -> None:
    world.policy.impose_embargo(e.exporter, e.partner, e.materials, event.date, e.until,
                                e.leakage, e.leakage_cost_usd_per_kg)


def _embargo_lift(world: mesa.Model, e: EmbargoLift, event: EventSpec) -> None:
    world.policy.lift_embargo(e.exporter, e.partner, e.materials, event.date)


def _export_quota(world: mesa.Model, e: ExportQuota, event: EventSpec) -> None:
    world.policy.set_quota(e.exporter, e.tonnes_per_year, np.array(e.split))


def _export_tariff(world: mesa.Model, e: ExportTariff, event: EventSpec) -> None:
    world.policy.set_tariff(e.exporter, np.array(e.rate))


def _licence(world: mesa.Model, e: Licence, event: EventSpec) -> None:
    world.policy.set_friction(e.exporter, e.partner, e.materials, e.friction_usd_per_kg)
    world.policy.set_licence(e.exporter, e.partner, e.materials, e.approval_rate, e.delay_quarters, world.quarter)


def _tension(world: mesa.Model, e: TensionChange, event: EventSpec) -> None:
    world.nation(e.nation).change_tension(e.partner, e.change)


def _wto_case(world: mesa.Model, e: WtoCaseFiled, event: EventSpec) -> None:
    world.diplomacy.open_wto_case(e.respondent, list(e.complainants))


def _mining_quota(world: mesa.Model, e: MiningQuota, event: EventSpec) -> None:
    world.production.set_mining_quota(e.nation, e.tonnes_per_year, e.enforcement, tuple(e.firms))


def _demand_trend(world: mesa.Model, e: DemandTrend, event: EventSpec) -> None:
    world.industry.set_demand_trend(tuple(e.nations), e.magnets_per_year, e.cela_per_year)


def _plant_rules(world: mesa.Model, e: PlantRules, event: EventSpec) -> None:
    firm = world.firm(e.firm)
    firm.unit_cost += e.extra_cost_usd_per_kg
    firm.capacity_tpy = min(firm.capacity_tpy, e.capacity_cap_tpy)


def _budget(world: mesa.Model, e: BudgetGrant, event: EventSpec) -> None:
    world.nation(e.nation).budget_musd += e.musd


def _project_start(world: mesa.Model, e: ProjectStart, event: EventSpec) -> None:
    world.investment.start_project(world.projects[e.project])


def _wto_case_filed_by_the_others(world: mesa.Model, event: EventSpec, deciding: tuple[str, ...]) -> None:
    """The WTO case of an event some of whose complainants are played: those no team plays file
    it, and its news names them alone (the level's headline names the teams' nations as filing)."""
    e: WtoCaseFiled = event.effect
    filing = [code for code in e.complainants if code not in deciding]
    if not filing:
        return
    world.diplomacy.open_wto_case(e.respondent, filing)
    respondent = world.nation(e.respondent).name
    for code in filing:  # a line each: a news line's fields are single names, worded in any language
        world.report(event.kind, "WTO case against {respondent}, brought by {complainants}", event.source,
                     respondent=respondent, complainants=world.nation(code).name, respondent_code=e.respondent,
                     complainants_code=code)


def _news(world: mesa.Model, e: News, event: EventSpec) -> None:
    """Only the news, which every event makes."""


#: Each effect class (see ``game.spec.EVENT_KINDS``) and what carries it out.
HANDLERS: dict[type, Callable[[mesa.Model, Any, EventSpec], None]] = {
    News: _news,
    TensionChange: _tension,
    Embargo: _embargo,
    EmbargoLift: _embargo_lift,
    ExportQuota: _export_quota,
    ExportTariff: _export_tariff,
    Licence: _licence,
    ProjectStart: _project_start,
    BudgetGrant: _budget,
    WtoCaseFiled: _wto_case,
    MiningQuota: _mining_quota,
    DemandTrend: _demand_trend,
    PlantRules: _plant_rules,
}


#: Events that were one nation's own decision in history, and the field naming that nation: when
#: a team plays it, the decision is the team's, and the event only tells them what history did.
#: (An event of another kind names the nation in its ``decided_by``.)
DECIDED_BY = {Embargo: "exporter", EmbargoLift: "exporter", ExportQuota: "exporter", ExportTariff: "exporter",
              Licence: "exporter", MiningQuota: "nation"}
#: Events that were several nations' decision together, and the field naming them: each played
#: one's part is its team's (the United States filing at the WTO beside the EU), the others' goes ahead.
DECIDED_TOGETHER = {WtoCaseFiled: "complainants"}


def teams_deciding(world: mesa.Model, event: EventSpec) -> tuple[str, ...]:
    """The roles whose teams now make what was, in history, their own decision (a played nation's
    export quota, a played complainant's WTO case, a played company's project), or () when the
    event is the world's to carry out."""
    if event.decided_by == "world":  # a firm's own decision (Molycorp idling Mountain Pass), whoever plays
        return ()
    if not event.decided_by and type(event.effect) in DECIDED_TOGETHER:
        deciders = getattr(event.effect, DECIDED_TOGETHER[type(event.effect)])
        return tuple(code for code in deciders if world.has_nation(code) and world.nation(code).played)
    decider = event.decided_by or getattr(event.effect, DECIDED_BY.get(type(event.effect), ""), None)
    if isinstance(decider, str) and world.has_nation(decider) and world.nation(decider).played:
        return (decider,)
    if isinstance(event.effect, ProjectStart):
        firm = world.projects[event.effect.project].firm
        if world.firm(firm).played:  # the company's team decides whether to build it
            return (world.company_of(firm),)
    return ()


def team_deciding(world: mesa.Model, event: EventSpec) -> str:
    """The (first) role whose team now makes what was, in history, its own decision, or "" when
    the event is the world's to carry out (see ``teams_deciding``)."""
    deciding = teams_deciding(world, event)
    return deciding[0] if deciding else ""


def apply_event(world: mesa.Model, event: EventSpec) -> None:
    """Carry out one scheduled event through the world's own state and mechanisms; an event that
    was a played nation's own decision is reported to it as history instead (to it alone: what
    the team did instead is the others' news), and the part of it nations no team plays decided
    with it (the EU's WTO case beside a played United States') goes ahead."""
    deciding = teams_deciding(world, event)
    for code in deciding:
        world.report("history", "History at this point: {headline}", event.source, headline=event.headline,
                     nation_code=code)
    if deciding:
        if isinstance(event.effect, WtoCaseFiled):
            _wto_case_filed_by_the_others(world, event, deciding)
        return
    if isinstance(event.effect, ProjectStart):
        project = world.projects[event.effect.project]
        if world.nation(project.host).approves_projects:  # its team approves it, or not
            world.investment.propose_project(project)
            if project.id in {p.id for p in world.investment.awaiting_approval(project.host)}:
                # Not everyone's headline while it waits (the news says it awaits approval): the
                # team's approval brings it; the team alone is told what history did.
                world.investment.tell_on_approval(project, event.kind, event.headline, event.source)
                world.report("history", "History at this point: {headline}", event.source, headline=event.headline,
                             nation_code=project.host)
            else:
                world.report(event.kind, event.headline, event.source)
            return
    HANDLERS[type(event.effect)](world, event.effect, event)
    # The nations an event names travel with its news as codes, for readers that must not
    # parse English (the debrief finds the halts on Japan this way).
    codes = {f"{role}_code": getattr(event.effect, role) for role in ("exporter", "partner", "nation", "respondent")
             if isinstance(getattr(event.effect, role, None), str)}
    world.report(event.kind, event.headline, event.source, **codes)
