"""Frozen data describing a level: its world, events, history, objectives and campaign.

The level reader (``game.scenario``) turns TOML into these; the world, the objectives and
the window read them. They hold only checked values and import only the vocabulary, so
every floor above can share them without an import circle.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Union

from game.vocab.materials import Material, Role
from game.vocab.quarters import Quarter

# --------------------------------------------------------------------------- the world at the start


@dataclass(frozen=True)
class NationSpec:
    code: str
    name: str
    name_ja: str
    lonlat: tuple[float, float]
    budget_musd_per_quarter: float
    stockpile: tuple[float, ...]
    tension: tuple[tuple[str, float], ...]
    urban_mine_in_use: tuple[float, ...]
    product_lifetime_years: float
    collection_rate: float
    doctrine: str = "partner"


#: How a nation's AI sets its trade policy: "leverage" weighs pressure on partners against
#: revenue and WTO exposure (China); "partner" trades and signs with reliable buyers.
DOCTRINES = ("leverage", "partner")


@dataclass(frozen=True)
class FirmSpec:
    id: str
    name: str
    role: Role
    nation: str
    capacity_tpy: float
    unit_cost: float
    cash_musd: float
    inventory: tuple[float, ...]
    composition: tuple[float, ...]
    feed: tuple[str, ...]
    dy_share: float
    needs_tpy: tuple[float, float]
    output_weight: float
    buffer_quarters: float


@dataclass(frozen=True)
class ProjectSpec:
    id: str
    firm: str
    adds_tpy: float
    lead_quarters: int
    cost_musd: float
    delay_chance: float
    fail_chance: float
    host: str


@dataclass(frozen=True)
class ContractSpec:
    id: str
    seller: str
    buyer: str
    material: Material
    tonnes_per_year: float
    price: float
    start: Quarter
    end: Quarter


@dataclass(frozen=True)
class PolicySpec:
    exporter: str
    quota_tpy: float
    quota_split: tuple[float, ...]
    tariff: tuple[float, ...]


@dataclass(frozen=True)
class WorldSpec:
    id: str
    freight_usd_per_kg: float
    freight_usd_per_kg_per_1000km: float
    reference_price: tuple[float, ...]
    nations: tuple[NationSpec, ...]
    firms: tuple[FirmSpec, ...]
    projects: tuple[ProjectSpec, ...]
    policies: tuple[PolicySpec, ...]
    contracts: tuple[ContractSpec, ...] = ()
    sources: tuple[str, ...] = ()

    def nation_codes(self) -> tuple[str, ...]:
        return tuple(n.code for n in self.nations)


# --------------------------------------------------------------------------- scheduled events
# One dataclass per kind of event, holding what that kind changes under an honest name. The
# reader builds them (game/scenario/events.py) and the world carries them out
# (game/world/events.py); each keeps one table keyed by these classes.


@dataclass(frozen=True)
class Embargo:
    """``exporter`` stops shipping ``materials`` to ``partner`` from the event's date (to ``until``)."""

    exporter: str
    partner: str
    materials: tuple[Material, ...]
    until: dt.date | None = None


@dataclass(frozen=True)
class EmbargoLift:
    exporter: str
    partner: str
    materials: tuple[Material, ...]


@dataclass(frozen=True)
class ExportQuota:
    """A cap on the exporter's yearly exports, shared among materials by ``split``."""

    exporter: str
    tonnes_per_year: float
    split: tuple[float, ...]


@dataclass(frozen=True)
class ExportTariff:
    """Export duty per material, as a share of the price."""

    exporter: str
    rate: tuple[float, ...]


@dataclass(frozen=True)
class Licence:
    """Export licences: a cost per kilogram on the exporter's shipments to ``partner``."""

    exporter: str
    partner: str
    materials: tuple[Material, ...]
    friction_usd_per_kg: float


@dataclass(frozen=True)
class TensionChange:
    nation: str
    partner: str
    change: float


@dataclass(frozen=True)
class WtoCaseFiled:
    respondent: str
    complainants: tuple[str, ...]


@dataclass(frozen=True)
class MiningQuota:
    """A cap on the nation's mining (all its mines, or ``firms``), enforced at a share."""

    nation: str
    tonnes_per_year: float
    enforcement: float
    firms: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemandTrend:
    nations: tuple[str, ...]
    magnets_per_year: float
    cela_per_year: float


@dataclass(frozen=True)
class PlantRules:
    """New rules for one plant: extra cost per kilogram and a cap on its capacity."""

    firm: str
    extra_cost_usd_per_kg: float
    capacity_cap_tpy: float


@dataclass(frozen=True)
class BudgetGrant:
    """Money added to (or taken from) a nation's budget."""

    nation: str
    musd: float


@dataclass(frozen=True)
class ProjectStart:
    project: str


@dataclass(frozen=True)
class News:
    """An event that only makes the news."""


EventEffect = Union[Embargo, EmbargoLift, ExportQuota, ExportTariff, Licence, TensionChange, WtoCaseFiled,
                    MiningQuota, DemandTrend, PlantRules, BudgetGrant, ProjectStart, News]

#: Each kind of event as level files name it, and the class of what it does.
EVENT_KINDS: dict[str, type] = {
    "news": News,
    "tension": TensionChange,
    "embargo": Embargo,
    "embargo_lift": EmbargoLift,
    "export_quota": ExportQuota,
    "export_tariff": ExportTariff,
    "licence": Licence,
    "project_start": ProjectStart,
    "budget": BudgetGrant,
    "wto_case": WtoCaseFiled,
    "mining_quota": MiningQuota,
    "demand_trend": DemandTrend,
    "plant_rules": PlantRules,
}


@dataclass(frozen=True)
class EventSpec:
    """A scheduled event: when, what the news says, and what it does (``effect``)."""

    date: dt.date
    kind: str
    headline: str
    source: str
    effect: EventEffect = News()
    headline_ja: str = ""

    @property
    def quarter(self) -> Quarter:
        return Quarter.of_date(self.date)


# --------------------------------------------------------------------------- strategies


@dataclass(frozen=True)
class ActionSpec:
    """One action of a scripted strategy, as data; ``game.actions`` builds the Action."""

    kind: str
    params: tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class StrategyTurn:
    quarter: Quarter
    actions: tuple[ActionSpec, ...]
    note: str = ""


# --------------------------------------------------------------------------- objectives


@dataclass(frozen=True)
class Objective:
    """One goal of a level, as written in its file (already validated)."""

    id: str
    text: Mapping[str, str]
    indicator: str
    rule: str
    threshold: float
    star: int
    by: Quarter | None = None
    start: Quarter | None = None
    end: Quarter | None = None


# --------------------------------------------------------------------------- levels and the campaign


@dataclass(frozen=True)
class Scenario:
    id: str
    title: Mapping[str, str]
    briefing: Mapping[str, str]
    start: Quarter
    end: Quarter
    world: WorldSpec
    events: tuple[EventSpec, ...]
    history: tuple[StrategyTurn, ...]
    sources: tuple[str, ...]
    path: str = ""
    notes: Mapping[str, str] = field(default_factory=dict)
    objectives: tuple[Objective, ...] = ()
    #: Action kinds the player may use in this level (all of them when the level says nothing).
    unlocked_actions: tuple[str, ...] = ()

    @property
    def n_turns(self) -> int:
        return self.end - self.start + 1


@dataclass(frozen=True)
class CampaignEntry:
    level: str
    #: Stars needed on the previous level to open this one.
    unlock_stars: int = 1
    #: Where the level's story happens, [longitude, latitude], for the campaign map (None: nowhere).
    at: tuple[float, float] | None = None


@dataclass(frozen=True)
class Campaign:
    title: Mapping[str, str]
    entries: tuple[CampaignEntry, ...]

    def unlocked(self, stars: Mapping[str, int]) -> list[str]:
        """Levels open to a player with these stars: the first, then each whose predecessor
        earned at least its ``unlock_stars``."""
        opened = []
        for i, entry in enumerate(self.entries):
            if i == 0 or stars.get(self.entries[i - 1].level, 0) >= entry.unlock_stars:
                opened.append(entry.level)
            else:
                break
        return opened
