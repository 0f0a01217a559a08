"""A state's levers over its own industry and borders, for the teams that play nations other
than Japan in a workshop: import tariffs (the United States, the EU), a cap on its own mining
(China's consolidation of its mines), approving or refusing projects on its soil and the
royalty its mines pay (Australia).

Each acts through the world's own mechanisms (the trade policy, the production phase's mining
quotas, the investment phase's approvals, the mines' costs), is reported in the news and spends
political capital, as an exporter's levers do (game.trade_controls). Japan's levers stay in
game.actions; a nation may use any lever its role lists (game.workshop.roles).

No NumPy here: naming actions (``rare-earths levels list`` does) must not load it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from game.action_base import MAX_TONNES, Action, say
from game.trade_controls import _materials_problem, _names, _partner_problem
from game.vocab.materials import MATERIALS, Material, Role

if TYPE_CHECKING:
    from game.world.model import RareEarthWorld

#: The highest import tariff, as a share of the exporter's price (a tariff doubling the price;
#: a rule of the game, not a historical figure).
MAX_IMPORT_TARIFF = 1.0
#: The highest royalty, in US$ per kilogram of ore: well above any mine's margin.
MAX_ROYALTY = 20.0


@dataclass(frozen=True)
class SetImportTariff(Action):
    """A tariff on these materials from one exporter, as a share of the exporter's price: its
    oxides cost the nation's buyers that much more, so they buy elsewhere where they can. 0
    removes it. What the tariff collects is not modelled (it goes to the treasury, not the
    rare-earth budget)."""

    kind: ClassVar[str] = "set_import_tariff"
    label: ClassVar[str] = "Set an import tariff"
    capital: ClassVar[float] = 1.0
    partner: str
    rate: float
    materials: tuple[Material, ...] = tuple(MATERIALS)

    def check(self, world, nation):
        problem = _partner_problem(world, nation, self.partner) or _materials_problem(self.materials)
        if problem is not None:
            return problem
        if not math.isfinite(self.rate) or not 0.0 <= self.rate <= MAX_IMPORT_TARIFF:
            return say("the tariff must be from 0 to {most:.0%} of the price", most=MAX_IMPORT_TARIFF)
        return None

    def apply(self, world, nation):
        world.policy.set_import_tariff(nation, self.partner, self.materials, self.rate)
        importer, partner = world.nation(nation).name, world.nation(self.partner).name
        world.report("tariff", "{importer} sets a {rate:.0%} tariff on {materials} from {partner}", importer=importer,
                     rate=self.rate, materials=", ".join(_names(self.materials)), partner=partner,
                     importer_code=nation, partner_code=self.partner)
        return say("Tariff on {materials} from {partner} set at {rate:.0%}", materials=_names(self.materials),
                   partner=partner, rate=self.rate)


@dataclass(frozen=True)
class CapMining(Action):
    """A cap on the nation's own mining, in tonnes a year, enforced at a share (1.0: every mine
    keeps to it; China's crackdown on illegal mining and its consolidation into six groups).
    Mines share the cap by capacity; a cap above what they dig does nothing."""

    kind: ClassVar[str] = "cap_mining"
    label: ClassVar[str] = "Cap mining"
    capital: ClassVar[float] = 1.0
    tonnes_per_year: float
    enforcement: float = 1.0

    def check(self, world, nation):
        if not math.isfinite(self.tonnes_per_year) or not 0 <= self.tonnes_per_year <= MAX_TONNES:
            return say("the cap must be a number of tonnes, 0 or more")
        if not math.isfinite(self.enforcement) or not 0.0 <= self.enforcement <= 1.0:
            return say("enforcement must be from 0 to 1")
        if not _mines(world, nation):
            return say("{nation} has no mines", nation=world.nation(nation).name, nation_code=nation)
        return None

    def apply(self, world, nation):
        world.production.set_mining_quota(nation, self.tonnes_per_year, self.enforcement)
        name = world.nation(nation).name
        world.report("mining_quota", "{nation} caps its mining at {tonnes:,.0f} t a year, {enforced:.0%} enforced",
                     nation=name, tonnes=self.tonnes_per_year, enforced=self.enforcement, nation_code=nation)
        return say("Mining capped at {tonnes:,.0f} t a year, {enforced:.0%} enforced", tonnes=self.tonnes_per_year,
                   enforced=self.enforcement)


def _awaiting_problem(world: RareEarthWorld, nation: str, project_id: str):
    if project_id not in {p.id for p in world.investment.awaiting_approval(nation)}:
        project = world.projects.get(project_id)
        if project is None:
            return say("no project {project!r} in this world", project=project_id)
        return say("{project} is not waiting for your approval", project=world.firm(project.firm).name,
                   project_id=project_id)
    return None


@dataclass(frozen=True)
class ApproveProject(Action):
    """Approve a project on the nation's soil that waits for it: it starts building."""

    kind: ClassVar[str] = "approve_project"
    label: ClassVar[str] = "Approve a project"
    project: str

    def check(self, world, nation):
        return _awaiting_problem(world, nation, self.project)

    def apply(self, world, nation):
        world.investment.decide_approval(self.project, approve=True)
        return say("{project} approved", project=world.firm(world.projects[self.project].firm).name,
                   project_id=self.project)


@dataclass(frozen=True)
class RefuseProject(Action):
    """Refuse a project on the nation's soil that waits for approval: it is dropped for good,
    and its investors get their money back."""

    kind: ClassVar[str] = "refuse_project"
    label: ClassVar[str] = "Refuse a project"
    capital: ClassVar[float] = 1.0
    project: str

    def check(self, world, nation):
        return _awaiting_problem(world, nation, self.project)

    def check_before_capital(self, world, nation):
        return _awaiting_problem(world, nation, self.project)

    def apply(self, world, nation):
        world.investment.decide_approval(self.project, approve=False)
        return say("{project} refused", project=world.firm(world.projects[self.project].firm).name,
                   project_id=self.project)


@dataclass(frozen=True)
class SetRoyalty(Action):
    """The royalty the nation's mines pay on each kilogram of ore they dig: it goes to the
    nation's budget, and it raises what their ore costs, so they dig less when prices are low."""

    kind: ClassVar[str] = "set_royalty"
    label: ClassVar[str] = "Set the mining royalty"
    capital: ClassVar[float] = 1.0
    usd_per_kg: float

    def check(self, world, nation):
        if not math.isfinite(self.usd_per_kg) or not 0.0 <= self.usd_per_kg <= MAX_ROYALTY:
            return say("the royalty must be from 0 to US${most:,.0f}/kg", most=MAX_ROYALTY)
        if not _mines(world, nation):
            return say("{nation} has no mines", nation=world.nation(nation).name, nation_code=nation)
        return None

    def apply(self, world, nation):
        for mine in _mines(world, nation):
            mine.royalty_usd_per_kg = self.usd_per_kg
        world.report("royalty", "{nation} sets a royalty of US${royalty:,.2f}/kg on ore mined", nation=world.nation(
            nation).name, royalty=self.usd_per_kg, nation_code=nation)
        return say("Mining royalty set at US${royalty:,.2f}/kg of ore", royalty=self.usd_per_kg)


def _mines(world: RareEarthWorld, nation: str) -> list:
    return [f for f in world.firm_list if f.nation == nation and f.role is Role.MINER]


#: The kinds of a state's own levers, in the order lists show them.
STATE_LEVERS = tuple(cls.kind for cls in (SetImportTariff, CapMining, ApproveProject, RefuseProject, SetRoyalty))
