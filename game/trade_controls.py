"""An exporter's levers over its trade, as actions a team playing China (or any producer
nation) submits through the same door as Japan's: an export quota, export duties, licences
with an approval rate, embargoes imposed and lifted.

Each acts through the world's trade policy (``game.world.export_controls.TradePolicy``), the
same mechanism a level's scheduled events use, and is reported in the news. Each spends one
political capital: policy is not free to change every quarter. What no exporter can do is
refused with its reason: control its own imports, name a nation that is not in the world,
or name no material.

No NumPy here: naming actions (``rare-earths levels list`` does) must not load it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from game.action_base import Action, Said, first_repeated, say
from game.vocab.arithmetic import added_up
from game.vocab.materials import MATERIAL_INDEX, MATERIALS, N_MATERIALS, Material

if TYPE_CHECKING:
    from game.world.model import RareEarthWorld

#: The highest export duty an exporter may set, as a share of the price: the market caps a duty
#: there (game/world/exchange.py), so a higher one would be accepted and do nothing more.
#: China's were 15-25%.
MAX_DUTY = 0.95


def _partner_problem(world: RareEarthWorld, nation: str, partner: str) -> Said | None:
    if not world.has_nation(partner):
        return say("{partner} is not a nation of this world", partner=partner or "(none)")
    if partner == nation:
        return say("a nation cannot control its trade with itself")
    return None


def _materials_problem(materials: tuple[Material, ...]) -> Said | None:
    if not materials:
        return say("name at least one material")
    repeated = first_repeated(materials)
    if repeated is not None:
        return say("{material} is listed twice", material=repeated.label)
    return None


def _names(materials: tuple[Material, ...]) -> tuple[str, ...]:
    return tuple(m.label.split()[0] for m in materials)


@dataclass(frozen=True)
class SetExportQuota(Action):
    """A yearly export quota in tonnes of oxide, shared across the materials as the last quota
    was (or as the world's trade is, for a first quota); 0 stops exports, and a quota above
    what the nation exports does nothing until trade grows into it."""

    kind: ClassVar[str] = "set_export_quota"
    label: ClassVar[str] = "Set the export quota"
    capital: ClassVar[float] = 1.0
    tonnes_per_year: float

    def check(self, world, nation):
        if not math.isfinite(self.tonnes_per_year) or self.tonnes_per_year < 0:
            return say("the quota must be a number of tonnes, 0 or more")
        return None

    def apply(self, world, nation):
        per_turn = [float(t) for t in world.policy.quota_per_turn(nation)]
        if all(math.isfinite(t) for t in per_turn) and added_up(per_turn) > 0:
            split = [t / added_up(per_turn) for t in per_turn]
        else:
            split = [1.0 / N_MATERIALS] * N_MATERIALS
        world.policy.set_quota(nation, self.tonnes_per_year, split)
        exporter = world.nation(nation).name
        world.report("export_controls", "{exporter} sets its export quota at {tonnes:,.0f} t a year",
                     exporter=exporter, tonnes=self.tonnes_per_year, exporter_code=nation)
        return say("Export quota set at {tonnes:,.0f} t a year", tonnes=self.tonnes_per_year)


@dataclass(frozen=True)
class SetExportDuty(Action):
    """A duty on exports of one material, a percentage of its price (25% adds a quarter to it).

    ``rate`` is the share itself: 0.25 for 25%."""

    kind: ClassVar[str] = "set_export_duty"
    label: ClassVar[str] = "Set an export duty"
    capital: ClassVar[float] = 1.0
    material: Material
    rate: float

    def check(self, world, nation):
        if not math.isfinite(self.rate) or not 0.0 <= self.rate <= MAX_DUTY:
            return say("the duty must be from 0 to {most:.0%} of the price", most=MAX_DUTY)
        return None

    def apply(self, world, nation):
        rate = [float(r) for r in world.policy.tariff(nation)]  # the other materials' duties stay
        rate[MATERIAL_INDEX[self.material]] = self.rate
        world.policy.set_tariff(nation, rate)
        world.report("export_controls", "{exporter} sets a {rate:.0%} export duty on {material}",
                     exporter=world.nation(nation).name, rate=self.rate, material=self.material.label,
                     exporter_code=nation)
        return say("Export duty on {material} set at {rate:.0%}", material=self.material.label, rate=self.rate)


@dataclass(frozen=True)
class ImposeEmbargo(Action):
    """Stop exports of these materials to one partner from the quarter's first day, until lifted."""

    kind: ClassVar[str] = "impose_embargo"
    label: ClassVar[str] = "Impose an embargo"
    capital: ClassVar[float] = 1.0
    partner: str
    materials: tuple[Material, ...] = tuple(MATERIALS)

    def check(self, world, nation):
        return _partner_problem(world, nation, self.partner) or _materials_problem(self.materials) \
            or self.check_before_capital(world, nation)

    def check_before_capital(self, world, nation):
        if _partner_problem(world, nation, self.partner) or _materials_problem(self.materials):
            return None  # (check says it)
        blocked = {m for e in world.policy.embargoes_in(world.quarter)
                   if (e.exporter, e.partner) == (nation, self.partner) and e.until is None for m in e.materials}
        if set(self.materials) <= blocked:
            return say("an embargo on {partner} is in force already", partner=world.nation(self.partner).name)
        return None

    def apply(self, world, nation):
        world.policy.impose_embargo(nation, self.partner, self.materials, world.quarter.first_day, None)
        exporter, partner = world.nation(nation).name, world.nation(self.partner).name
        world.report("embargo", "{exporter} halts exports of {materials} to {partner}", exporter=exporter,
                     partner=partner, materials=", ".join(_names(self.materials)), exporter_code=nation,
                     partner_code=self.partner)
        return say("Embargo on {partner}: {materials}", partner=partner, materials=_names(self.materials))


@dataclass(frozen=True)
class LiftEmbargo(Action):
    """End this exporter's embargoes on these materials to one partner from the quarter's first day."""

    kind: ClassVar[str] = "lift_embargo"
    label: ClassVar[str] = "Lift an embargo"
    capital: ClassVar[float] = 1.0
    partner: str
    materials: tuple[Material, ...] = tuple(MATERIALS)

    def check(self, world, nation):
        return _partner_problem(world, nation, self.partner) or _materials_problem(self.materials) \
            or self.check_before_capital(world, nation)

    def check_before_capital(self, world, nation):
        if _partner_problem(world, nation, self.partner) or _materials_problem(self.materials):
            return None  # (check says it)
        if not any((e.exporter, e.partner) == (nation, self.partner) and e.until is None
                   and e.materials & set(self.materials) for e in world.policy.embargoes_in(world.quarter)):
            return say("no embargo on {partner} to lift", partner=world.nation(self.partner).name)
        return None

    def apply(self, world, nation):
        world.policy.lift_embargo(nation, self.partner, self.materials, world.quarter.first_day)
        exporter, partner = world.nation(nation).name, world.nation(self.partner).name
        world.report("embargo", "{exporter} lifts its embargo on {partner}", exporter=exporter, partner=partner,
                     exporter_code=nation, partner_code=self.partner)
        return say("Embargo on {partner} lifted", partner=partner)


@dataclass(frozen=True)
class LicenceExports(Action):
    """Exports of these materials to one partner need licences, approved for ``approval_rate``
    of the partner's usual tonnes (1.0: all, after the paperwork; 0: none)."""

    kind: ClassVar[str] = "licence_exports"
    label: ClassVar[str] = "License exports"
    capital: ClassVar[float] = 1.0
    partner: str
    approval_rate: float
    materials: tuple[Material, ...] = tuple(MATERIALS)

    def check(self, world, nation):
        problem = _partner_problem(world, nation, self.partner) or _materials_problem(self.materials)
        if problem is not None:
            return problem
        if not math.isfinite(self.approval_rate) or not 0.0 <= self.approval_rate <= 1.0:
            return say("the approval rate must be from 0 to 1")
        return None

    def apply(self, world, nation):
        world.policy.set_licence(nation, self.partner, self.materials, self.approval_rate, 0, world.quarter)
        exporter, partner = world.nation(nation).name, world.nation(self.partner).name
        world.report("export_controls", "{exporter} licenses exports of {materials} to {partner}: {rate:.0%} approved",
                     exporter=exporter, partner=partner, materials=", ".join(_names(self.materials)),
                     rate=self.approval_rate, exporter_code=nation, partner_code=self.partner)
        return say("Exports of {materials} to {partner} licensed, {rate:.0%} approved",
                   materials=_names(self.materials), partner=partner, rate=self.approval_rate)


#: The kinds of an exporter's levers (Japan's are the other kinds of game.action_base.ACTION_TYPES).
EXPORTER_LEVERS = tuple(cls.kind for cls in (SetExportQuota, SetExportDuty, ImposeEmbargo, LiftEmbargo, LicenceExports))
