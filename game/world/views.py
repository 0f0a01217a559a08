"""Read-only questions the controllers and the window ask of the world. Nothing here writes."""

from __future__ import annotations

import mesa
import numpy as np

from agents.producers import SeparatorFirm
from game.vocab.materials import MATERIAL_INDEX
from game.world.deepsea import STAGES, Stage
from game.world.indicators import need_by_material, output_index
from game.world.projects import Project

__all__ = ["blocked_by_embargo", "daily_need", "deep_sea_next_stage", "fair_offtake_terms", "last_output_index",
           "oxide_plant_of", "projects_open_to", "projects_seeking_money", "seller_spare_tpy",
           "squeezed_by_licences"]


def last_output_index(world: mesa.Model, nation: str) -> float:
    """The nation's output index last quarter (1.0 before the world has run a quarter; a level
    that continues another's history starts with that history's last quarter)."""
    return output_index(world, nation) if world.quarters_simulated else 1.0


def daily_need(world: mesa.Model, nation: str) -> np.ndarray:
    """Tonnes a day of each material the nation's industry needs this quarter."""
    return need_by_material(world, nation) / world.quarter.days


def blocked_share_of_quarter(world: mesa.Model, nation: str) -> float:
    """The largest share of this quarter's days in which any embargo on the nation holds."""
    return max((1.0 - e.open_share(world.quarter) for e in world.policy.embargoes_in(world.quarter)
                if e.partner == nation), default=0.0)


def blocked_by_embargo(world: mesa.Model, nation: str, min_share: float = 0.1) -> bool:
    """Whether an embargo this quarter blocks a supplier that sent the nation at least
    ``min_share`` of its receipts lately (a halt by a minor supplier does not count)."""
    j = world.nation_index(nation)
    for embargo in world.policy.embargoes_in(world.quarter):
        if embargo.partner != nation or embargo.open_share(world.quarter) >= 1.0:
            continue
        i = world.nation_index(embargo.exporter)
        received = float(world.last_receipts[:, :, j].sum()) or float(world.receipts[:, :, j].sum())
        sent = float(world.last_receipts[:, i, j].sum()) or float(world.receipts[:, i, j].sum())
        if received <= 0 or sent / received >= min_share:
            return True
    return False


def squeezed_by_licences(world: mesa.Model, nation: str) -> set[int]:
    """Materials whose exports to the nation an exporter now licenses below its usual flow
    (an approval rate under one), from a supplier that sent it at least a tenth of them lately."""
    j = world.nation_index(nation)
    squeezed = set()
    for regime in world.policy.licences():
        if regime.partner != nation or regime.approval_rate >= 1.0 or world.quarter < regime.start:
            continue
        m = MATERIAL_INDEX[regime.material]
        received = float(world.last_receipts[m, :, j].sum())
        sent = float(world.last_receipts[m, world.nation_index(regime.exporter), j].sum())
        if received <= 0.0 or sent / received >= 0.1:
            squeezed.add(m)
    return squeezed


def oxide_plant_of(world: mesa.Model, firm_id: str) -> SeparatorFirm | None:
    """The plant that makes oxide from a firm's output: the firm itself, or the plant its mine feeds."""
    firm = world.firm(firm_id)
    if isinstance(firm, SeparatorFirm):
        return firm
    return next(iter(world.plants_fed_by(firm)), None)


def projects_seeking_money(world: mesa.Model, investor: str, excluded_hosts: tuple[str, ...] = ()) -> list[Project]:
    """Projects not yet started, done or failed (firms' own expansions aside) that the investor
    has not funded and whose host is not excluded, by id."""
    return [p for p in sorted(world.projects.values(), key=lambda p: p.id)
            if p.started is None and not p.done and not p.failed and p.origin == "level"
            and p.host not in excluded_hosts and investor not in p.funders]


def projects_open_to(world: mesa.Model, investor: str) -> list[Project]:
    """Projects the nation may put money into (the Invest lever): not finished or failed, and
    hosted by another nation; in the world's order."""
    return [p for p in world.projects.values() if not p.done and not p.failed and p.host != investor]


def deep_sea_next_stage(world: mesa.Model, nation: str) -> Stage | None:
    """The next stage of the nation's deep-sea programme, or None while one is under way or
    all are done."""
    programme = world.deep_sea.get(nation)
    if programme is None:
        return STAGES[0]
    return None if programme.current is not None else programme.next_stage


def fair_offtake_terms(world: mesa.Model, nation: str, seller_id: str, m: int, tonnes_per_year: float):
    """The Nash point of a player's offtake proposal (the "fair price" hint), or None."""
    return world.offtakes.fair_terms(nation, seller_id, m, tonnes_per_year)


def seller_spare_tpy(world: mesa.Model, seller_id: str, m: int) -> float:
    """Tonnes a year of material ``m`` a plant makes at a pace it can keep and has not yet sold
    forward under contracts still running."""
    seller = world.firm(seller_id)
    if not isinstance(seller, SeparatorFirm) or not seller.alive:
        return 0.0
    return max(0.0, world.offtakes.spare_tpy(seller, m))
