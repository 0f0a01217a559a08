"""Export policy: quotas, licence friction, embargoes and export tariffs, per exporter.

The policy is state; the market reads it as arc costs and caps. An embargo is dated, so
an embargo that covers part of a quarter lets through the open share of that quarter.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np

from game.vocab.materials import MATERIAL_INDEX, N_MATERIALS, Material
from game.vocab.quarters import Quarter


@dataclass(frozen=True)
class Embargo:
    exporter: str
    partner: str
    materials: frozenset[Material]
    start: dt.date
    until: dt.date | None  # None: until lifted by a later event

    def open_share(self, quarter: Quarter) -> float:
        return 1.0 - quarter.share_of_days(self.start, self.until)


class TradePolicy:
    """Every exporter's controls on every partner and material."""

    def __init__(self) -> None:
        self._quota_per_turn: dict[str, np.ndarray] = {}
        self._tariff: dict[str, np.ndarray] = {}
        self._friction: dict[tuple[str, str], np.ndarray] = {}
        self._pressure: dict[tuple[str, str], np.ndarray] = {}  # informal, set each quarter by doctrine
        self._embargoes: list[Embargo] = []

    # -- changes

    def set_quota(self, exporter: str, tonnes_per_year: float, split: np.ndarray) -> None:
        """A yearly export quota, split across materials; ``inf`` removes it."""
        if math.isinf(tonnes_per_year):
            self._quota_per_turn.pop(exporter, None)
        else:
            self._quota_per_turn[exporter] = tonnes_per_year / 4.0 * np.asarray(split, dtype=float)

    def set_tariff(self, exporter: str, rate: np.ndarray) -> None:
        self._tariff[exporter] = np.asarray(rate, dtype=float)

    def set_friction(self, exporter: str, partner: str, materials: tuple[Material, ...], usd_per_kg: float) -> None:
        friction = self._friction.setdefault((exporter, partner), np.zeros(N_MATERIALS))
        for material in materials:
            friction[MATERIAL_INDEX[material]] = usd_per_kg

    def impose_embargo(self, exporter: str, partner: str, materials: tuple[Material, ...],
                       start: dt.date, until: dt.date | None) -> None:
        self._embargoes.append(Embargo(exporter, partner, frozenset(materials), start, until))

    def lift_embargo(self, exporter: str, partner: str, materials: tuple[Material, ...], day: dt.date) -> None:
        """End open-ended embargoes on these materials from ``day``."""
        lifted = []
        for embargo in self._embargoes:
            if (embargo.exporter, embargo.partner) == (exporter, partner) and embargo.until is None \
                    and embargo.materials & set(materials):
                embargo = Embargo(embargo.exporter, embargo.partner, embargo.materials, embargo.start, day)
            lifted.append(embargo)
        self._embargoes = lifted

    # -- reading

    def quota_per_turn(self, exporter: str) -> np.ndarray:
        return self._quota_per_turn.get(exporter, np.full(N_MATERIALS, np.inf)).copy()

    def tariff(self, exporter: str) -> np.ndarray:
        return self._tariff.get(exporter, np.zeros(N_MATERIALS))

    def friction(self, exporter: str, partner: str) -> np.ndarray:
        return self._friction.get((exporter, partner), np.zeros(N_MATERIALS))

    def set_pressure(self, exporter: str, partner: str, usd_per_kg: np.ndarray) -> None:
        """Informal friction (slow licences, inspections) an exporter applies this quarter."""
        if np.any(usd_per_kg > 0):
            self._pressure[(exporter, partner)] = np.asarray(usd_per_kg, dtype=float)
        else:
            self._pressure.pop((exporter, partner), None)

    def pressure(self, exporter: str, partner: str) -> np.ndarray:
        return self._pressure.get((exporter, partner), np.zeros(N_MATERIALS))

    def frictions(self) -> list[tuple[str, str, np.ndarray]]:
        """Every (exporter, partner, US$/kg per material) with formal or informal friction."""
        pairs = set(self._friction) | set(self._pressure)
        return [(e, p, self.friction(e, p) + self.pressure(e, p)) for e, p in sorted(pairs)]

    def open_share(self, exporter: str, partner: str, material: Material, quarter: Quarter) -> float:
        """Share of the quarter in which shipments from exporter to partner may move."""
        share = 1.0
        for embargo in self._embargoes:
            if embargo.exporter == exporter and embargo.partner == partner and material in embargo.materials:
                share = min(share, embargo.open_share(quarter))
        return share

    def embargoers_of(self, partner: str) -> set[str]:
        """Every exporter that has ever embargoed this partner: buyers remember."""
        return {e.exporter for e in self._embargoes if e.partner == partner}

    def embargoes_in(self, quarter: Quarter) -> list[Embargo]:
        return [e for e in self._embargoes if e.open_share(quarter) < 1.0]

    def has_controls(self, exporter: str) -> bool:
        return exporter in self._quota_per_turn or any(e.exporter == exporter for e in self._embargoes)
