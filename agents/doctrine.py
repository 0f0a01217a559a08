"""How an exporting power decides its informal pressure on each partner.

China, in the design, weighs its tension with a partner and its leverage over it (how much
of the partner's supply it provides) against the export revenue it would lose and its
exposure to a WTO case. Formal measures (quotas, dated halts) come from the level's history;
what this doctrine sets is the informal part a customs service can do any quarter: slow
licences and inspections (friction, US$/kg), and, in a real crisis, a halt.

Pure functions over plain numbers, so they are cheap and testable without a world.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Weights of the pressure score (assumption; tuned so the 2010-2012 history does not set off
#: halts the record does not show, while a worse crisis would).
REVENUE_WEIGHT = 0.6
WTO_WEIGHT = 0.5
#: Friction starts above this score; a halt needs a score and tension above these.
FRICTION_FROM = 0.15
HALT_FROM = 0.55
HALT_TENSION = 0.8
#: Friction at full pressure, as a share of the exporter's domestic price.
MAX_FRICTION_SHARE = 0.3


@dataclass(frozen=True)
class Pressure:
    """What the doctrine decides toward one partner this quarter."""

    score: float
    friction_usd_per_kg: tuple[float, ...]
    halt: bool
    reason: str


def pressure_score(tension: float, leverage: float, revenue_share: float, wto_exposure: float) -> float:
    """How hard to lean on a partner: tension times leverage, less what leaning would cost.

    Args:
        tension: 0..1 with this partner.
        leverage: 0..1, the exporter's share of the partner's supply.
        revenue_share: 0..1, the partner's share of the exporter's export revenue.
        wto_exposure: 0..1, how far a WTO case against the exporter has gone.
    """
    return tension * leverage - REVENUE_WEIGHT * revenue_share * (1.0 - tension) - WTO_WEIGHT * wto_exposure


def decide_pressure(tension: float, leverage: float, revenue_share: float, wto_exposure: float,
                    domestic_prices: tuple[float, ...]) -> Pressure:
    """The informal measures toward one partner for this quarter."""
    score = pressure_score(tension, leverage, revenue_share, wto_exposure)
    if score <= FRICTION_FROM:
        return Pressure(score, tuple(0.0 for _ in domestic_prices), False, "")
    share = MAX_FRICTION_SHARE * min(1.0, (score - FRICTION_FROM) / (1.0 - FRICTION_FROM))
    friction = tuple(share * p for p in domestic_prices)
    halt = score >= HALT_FROM and tension >= HALT_TENSION
    reason = (f"tension {tension:.2f} and {leverage:.0%} of the partner's supply outweigh "
              f"{revenue_share:.0%} of export revenue" + (f" and a WTO case ({wto_exposure:.2f})" if wto_exposure else ""))
    return Pressure(score, friction, halt, reason)
