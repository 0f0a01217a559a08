"""How an exporting power decides its informal pressure on each partner.

China, in the design, weighs its tension with a partner and its leverage over it (how much
of the partner's supply it provides) against the export revenue it would lose and its
exposure to a WTO case. Formal measures (quotas, dated halts) come from the level's history;
what this doctrine sets is the informal part a customs service can do any quarter: slow
licences and inspections (friction, US$/kg), and, in a real crisis, a halt.

Pure functions over plain numbers and the world's assumptions (its ``doctrine_*`` weights
and thresholds, passed in by the caller), so they are cheap and testable without a world.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from game.spec import Assumptions


@dataclass(frozen=True)
class Pressure:
    """What the doctrine decides toward one partner this quarter."""

    score: float
    friction_usd_per_kg: tuple[float, ...]
    halt: bool
    reason: str


def pressure_score(tension: float, leverage: float, revenue_share: float, wto_exposure: float,
                   assumptions: Assumptions) -> float:
    """How hard to lean on a partner: tension times leverage, less what leaning would cost
    (the revenue at stake and the WTO exposure, weighted by ``assumptions.doctrine_revenue_weight``
    and ``doctrine_wto_weight``).

    Args:
        tension: 0..1 with this partner.
        leverage: 0..1, the exporter's share of the partner's supply.
        revenue_share: 0..1, the partner's share of the exporter's export revenue.
        wto_exposure: 0..1, how far a WTO case against the exporter has gone.
        assumptions: the world's behavioural constants.
    """
    return (tension * leverage - assumptions.doctrine_revenue_weight * revenue_share * (1.0 - tension)
            - assumptions.doctrine_wto_weight * wto_exposure)


def decide_pressure(tension: float, leverage: float, revenue_share: float, wto_exposure: float,
                    domestic_prices: tuple[float, ...], assumptions: Assumptions) -> Pressure:
    """The informal measures toward one partner for this quarter: friction above a score, up
    to a share of the exporter's domestic price at full pressure; a halt needs both the score
    and the tension above their thresholds (all in ``assumptions``)."""
    score = pressure_score(tension, leverage, revenue_share, wto_exposure, assumptions)
    friction_from = assumptions.doctrine_friction_from_score
    if score <= friction_from:
        return Pressure(score, (0.0,) * len(domestic_prices), False, "")
    share = assumptions.doctrine_max_friction_share * min(1.0, (score - friction_from) / (1.0 - friction_from))
    friction = tuple(share * p for p in domestic_prices)
    halt = score >= assumptions.doctrine_halt_from_score and tension >= assumptions.doctrine_halt_min_tension
    reason = (f"tension {tension:.2f} and {leverage:.0%} of the partner's supply outweigh "
              f"{revenue_share:.0%} of export revenue" + (f" and a WTO case ({wto_exposure:.2f})" if wto_exposure else ""))
    return Pressure(score, friction, halt, reason)
