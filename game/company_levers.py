"""A company's levers, for an advanced class's team that plays a firm rather than a nation
(Lynas: the Mt Weld mine and the Kuantan plant): build one of its planned projects, expand a
plant, mothball or reopen one, borrow. The team acts under its role's code; the world knows
which firms that company runs (``world.companies``), and those firms stop making these
decisions for themselves while it does.

Each acts through the investment phase and the firm's own books, as the firms' own decisions
do, and is reported in the news. A company spends no political capital: money is its limit.

No NumPy here: naming actions (``rare-earths levels list`` does) must not load it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from game.action_base import MAX_MUSD, MAX_TONNES, Action, Said, say

if TYPE_CHECKING:
    from game.world.model import RareEarthWorld

#: What a lender advances against a plant: at most this share of what building its capacity
#: again would cost (assumption: project finance for a going plant).
LENDING_SHARE_OF_CAPEX = 0.5


def _own_firm(world: RareEarthWorld, company: str, firm_id: str) -> Said | None:
    if firm_id not in world.companies.get(company, ()):
        return say("{firm} is not one of your company's", firm=world.firm(firm_id).name if world.has_firm(firm_id)
                   else firm_id or "(none)", firm_id=firm_id)
    if not world.firm(firm_id).alive:
        return say("{firm} is bankrupt", firm=world.firm(firm_id).name, firm_id=firm_id)
    return None


@dataclass(frozen=True)
class BuildProject(Action):
    """Start building one of the company's planned projects (in the level's list): its own
    money pays a share, lenders the rest; a host that weighs projects must approve it first."""

    kind: ClassVar[str] = "build_project"
    label: ClassVar[str] = "Build a planned project"
    project: str

    def check(self, world, nation):
        project = world.projects.get(self.project)
        if project is None:
            return say("no project {project!r} in this world", project=self.project)
        problem = _own_firm(world, nation, project.firm)
        if problem:
            return problem
        if project.started is not None or project.done or project.failed:
            return say("{project} has already started", project=world.firm(project.firm).name,
                       project_id=self.project)
        return None

    def apply(self, world, nation):
        project = world.projects[self.project]
        world.investment.propose_project(project)
        name = world.firm(project.firm).name
        return say("{project}: building {tpy:,.0f} t/yr" if project.started is not None
                   else "{project}: {tpy:,.0f} t/yr waits for its host's approval", project=name, tpy=project.adds_tpy,
                   project_id=self.project)


@dataclass(frozen=True)
class ExpandPlant(Action):
    """Add capacity to one of the company's plants or mines: a project of its own, financed
    as the firms' own expansions are (its share from cash, the rest borrowed)."""

    kind: ClassVar[str] = "expand_plant"
    label: ClassVar[str] = "Expand a plant"
    firm: str
    tonnes_per_year: float

    def check(self, world, nation):
        problem = _own_firm(world, nation, self.firm)
        if problem:
            return problem
        if not math.isfinite(self.tonnes_per_year) or not 0 < self.tonnes_per_year <= MAX_TONNES:
            return say("the expansion must be a number of tonnes a year above zero")
        firm = world.firm(self.firm)
        if world.investment.is_building(self.firm):
            return say("{firm} is already building", firm=firm.name, firm_id=self.firm)
        if not world.investment.can_pay_its_share(firm, self.tonnes_per_year):
            return say("{firm} cannot pay its share of {tpy:,.0f} t/yr", firm=firm.name, tpy=self.tonnes_per_year,
                       firm_id=self.firm)
        return None

    def apply(self, world, nation):
        firm = world.firm(self.firm)
        world.investment.start_expansion(firm, self.tonnes_per_year)
        world.report("firm", "{firm} decides to expand by {tpy:,.0f} t/yr", firm=firm.name, tpy=self.tonnes_per_year,
                     firm_id=self.firm)
        return say("{firm}: expansion of {tpy:,.0f} t/yr under way", firm=firm.name, tpy=self.tonnes_per_year,
                   firm_id=self.firm)


@dataclass(frozen=True)
class MothballPlant(Action):
    """Stop a plant or mine: it saves its running costs and part of its fixed costs, and
    produces nothing until reopened (contracts it cannot deliver are breached)."""

    kind: ClassVar[str] = "mothball_plant"
    label: ClassVar[str] = "Mothball a plant"
    firm: str

    def check(self, world, nation):
        problem = _own_firm(world, nation, self.firm)
        if problem:
            return problem
        if world.firm(self.firm).mothballed:
            return say("{firm} is mothballed already", firm=world.firm(self.firm).name, firm_id=self.firm)
        return None

    def apply(self, world, nation):
        firm = world.firm(self.firm)
        firm.mothballed = True
        world.report("firm", "{firm} is mothballed", firm=firm.name, firm_id=self.firm)
        return say("{firm} mothballed", firm=firm.name, firm_id=self.firm)


@dataclass(frozen=True)
class ReopenPlant(Action):
    """Reopen a mothballed plant or mine: it costs quarters of its fixed costs to restart."""

    kind: ClassVar[str] = "reopen_plant"
    label: ClassVar[str] = "Reopen a plant"
    firm: str

    def check(self, world, nation):
        problem = _own_firm(world, nation, self.firm)
        if problem:
            return problem
        if not world.firm(self.firm).mothballed:
            return say("{firm} is running", firm=world.firm(self.firm).name, firm_id=self.firm)
        return None

    def apply(self, world, nation):
        firm = world.firm(self.firm)
        firm.mothballed = False
        firm.idle_quarters = 0
        if hasattr(firm, "loss_quarters"):
            firm.loss_quarters = 0
        firm.pay_restart_cost()
        world.report("firm", "{firm} reopens", firm=firm.name, firm_id=self.firm)
        return say("{firm} reopened", firm=firm.name, firm_id=self.firm)


@dataclass(frozen=True)
class Borrow(Action):
    """Borrow from lenders against one of the company's plants: cash now, owed as debt with
    interest, up to half of what building the plant's capacity again would cost."""

    kind: ClassVar[str] = "borrow"
    label: ClassVar[str] = "Borrow"
    firm: str
    amount_musd: float

    def check(self, world, nation):
        problem = _own_firm(world, nation, self.firm)
        if problem:
            return problem
        if not math.isfinite(self.amount_musd) or not 0 < self.amount_musd <= MAX_MUSD:
            return say("the amount must be above zero")
        room = self.lending_room(world)
        if self.amount_musd > room + 1e-9:
            return say("lenders advance at most US${room:,.0f}M more against {firm}", room=max(0.0, room),
                       firm=world.firm(self.firm).name, firm_id=self.firm)
        return None

    def lending_room(self, world) -> float:
        firm = world.firm(self.firm)
        return LENDING_SHARE_OF_CAPEX * world.investment.capital_cost_musd(firm, firm.capacity_tpy) - firm.debt_musd

    def apply(self, world, nation):
        firm = world.firm(self.firm)
        firm.cash_musd += self.amount_musd
        firm.finance(self.amount_musd)
        return say("{firm} borrows US${amount:,.0f}M", firm=firm.name, amount=self.amount_musd, firm_id=self.firm)


#: The kinds of a company's levers, in the order lists show them.
COMPANY_LEVERS = tuple(cls.kind for cls in (BuildProject, ExpandPlant, MothballPlant, ReopenPlant, Borrow))
