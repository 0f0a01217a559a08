"""Export policy: quotas, licences, embargoes and export tariffs, per exporter.

The policy is state; the market reads it as arc costs and caps. An embargo is dated, so
an embargo that covers part of a quarter lets through the open share of that quarter, and
a leaky one also lets a share of the rest through third countries, at a cost. A licence is
a cost per kilogram and, when the exporter approves only a share of applications, a limit
in tonnes per partner and material: that share of the partner's usual imports from the
exporter, nothing while the first applications are still under review.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from game.vocab.materials import MATERIAL_INDEX, N_MATERIALS, Material
from game.vocab.quarters import Quarter

#: No limit on any material, for the exporters and pairs without one (read-only: shared).
_UNLIMITED = np.full(N_MATERIALS, np.inf)
_UNLIMITED.flags.writeable = False
#: No duty on any material, for the exporters without one (read-only: shared).
_NO_TARIFF = np.zeros(N_MATERIALS)
_NO_TARIFF.flags.writeable = False


@functools.lru_cache(maxsize=1024)
def _open_share(quarter: Quarter, start: dt.date, until: dt.date | None) -> float:
    """The share of the quarter outside [start, until): worked out once, as every contract, arc
    and report of the quarter asks it again (the calendar arithmetic costs more than they do)."""
    return 1.0 - quarter.share_of_days(start, until)


@dataclass(frozen=True)
class Embargo:
    exporter: str
    partner: str
    materials: frozenset[Material]
    start: dt.date
    until: dt.date | None  # None: until lifted by a later event
    leakage: float = 0.0  # share of the blocked flow that still arrives through third countries
    leakage_cost: float = 0.0  # US$/kg more for what goes round

    def open_share(self, quarter: Quarter) -> float:
        return _open_share(quarter, self.start, self.until)

    def arriving_share(self, quarter: Quarter) -> float:
        """Share of the usual flow that arrives: the open days, and the leak of the rest."""
        open_share = self.open_share(quarter)
        return open_share + (1.0 - open_share) * self.leakage

    def extra_cost(self, quarter: Quarter) -> float:
        """US$/kg more on average over what arrives (only the leaked part goes round)."""
        arriving = self.arriving_share(quarter)
        if arriving <= 0.0 or self.leakage <= 0.0:
            return 0.0
        return self.leakage_cost * (arriving - self.open_share(quarter)) / arriving


@dataclass
class LicenceRegime:
    """Licences in tonnes on one material from ``exporter`` to ``partner``.

    ``base`` is the partner's usual imports of the material from the exporter, tonnes a
    quarter, fixed when the licences start (None until known).
    """

    exporter: str
    partner: str
    material: Material
    approval_rate: float
    delay_quarters: int
    start: Quarter
    base: float | None = None
    #: With no trade recorded before the start (a level's first quarter), the first quarter
    #: open to approvals passes without a limit and its flow becomes the base.
    measured_in: Quarter | None = None
    last_tonnes: float | None = None  # what was licensed the last quarter, for the news

    @property
    def approves_from(self) -> Quarter:
        return self.start + self.delay_quarters


class TradePolicy:
    """Every exporter's controls on every partner and material."""

    def __init__(self) -> None:
        self._quota_per_turn: dict[str, np.ndarray] = {}
        self._tariff: dict[str, np.ndarray] = {}
        self._friction: dict[tuple[str, str], np.ndarray] = {}
        self._pressure: dict[tuple[str, str], np.ndarray] = {}  # informal, set each quarter by doctrine
        # An importer's tariffs on one exporter's oxides, as a share of the exporter's price.
        self._import_tariffs: dict[tuple[str, str], np.ndarray] = {}
        self._embargoes: list[Embargo] = []
        self._licences: dict[tuple[str, str, Material], LicenceRegime] = {}
        # Tonnes received per [material, from, to] in the last quarters, for licences' bases
        # (as many quarters as a base is measured over: see open_licences).
        self._trade: deque[tuple[Quarter, np.ndarray]] = deque()
        self._licensed_left: dict[tuple[str, str], np.ndarray] = {}
        self._licences_open_for: Quarter | None = None

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

    def set_licence(self, exporter: str, partner: str, materials: tuple[Material, ...],
                    approval_rate: float | None, delay_quarters: int, quarter: Quarter) -> None:
        """Approve ``approval_rate`` of the partner's usual imports from ``quarter`` on, none in
        the first ``delay_quarters``; ``None`` ends the limit in tonnes (the cost stays).
        A change of rate keeps the base measured when the licences first started."""
        for material in materials:
            key = (exporter, partner, material)
            old = self._licences.pop(key, None)
            if approval_rate is None:
                continue
            self._licences[key] = LicenceRegime(exporter, partner, material, approval_rate, delay_quarters, quarter,
                                                base=old.base if old else None,
                                                measured_in=old.measured_in if old else None,
                                                last_tonnes=old.last_tonnes if old else None)
        self._licences_open_for = None  # this quarter's tonnes are counted again

    def impose_embargo(self, exporter: str, partner: str, materials: tuple[Material, ...],
                       start: dt.date, until: dt.date | None, leakage: float = 0.0,
                       leakage_cost: float = 0.0) -> None:
        self._embargoes.append(Embargo(exporter, partner, frozenset(materials), start, until, leakage, leakage_cost))

    def lift_embargo(self, exporter: str, partner: str, materials: tuple[Material, ...], day: dt.date) -> None:
        """End open-ended embargoes on these materials from ``day``."""
        lifted = []
        for embargo in self._embargoes:
            if (embargo.exporter, embargo.partner) == (exporter, partner) and embargo.until is None \
                    and embargo.materials & set(materials):
                embargo = dataclasses.replace(embargo, until=day)
            lifted.append(embargo)
        self._embargoes = lifted

    def set_import_tariff(self, importer: str, exporter: str, materials: tuple[Material, ...], rate: float) -> None:
        """A tariff the importer charges on these materials from the exporter, as a share of
        the exporter's home price; 0 removes it."""
        tariff = self._import_tariffs.setdefault((exporter, importer), np.zeros(N_MATERIALS))
        for material in materials:
            tariff[MATERIAL_INDEX[material]] = rate
        if not tariff.any():
            del self._import_tariffs[(exporter, importer)]

    # -- reading

    def import_tariffs(self) -> list[tuple[str, str, np.ndarray]]:
        """Every (exporter, importer, rate per material) under an import tariff, in a fixed order."""
        return [(e, i, rate) for (e, i), rate in sorted(self._import_tariffs.items())]

    def quota_per_turn(self, exporter: str) -> np.ndarray:
        return self._quota_per_turn.get(exporter, _UNLIMITED).copy()

    def quotas_per_turn(self, exporters: list[str]) -> np.ndarray:
        """Each exporter's ``quota_per_turn``, a row each (a new array)."""
        return np.array([self._quota_per_turn.get(exporter, _UNLIMITED) for exporter in exporters])

    def tariff(self, exporter: str) -> np.ndarray:
        """The exporter's export duty per material, a share of the price (a new array)."""
        return self.tariffs([exporter])[0]

    def tariffs(self, exporters: list[str]) -> np.ndarray:
        """Each exporter's ``tariff``, a row each (a new array)."""
        return np.array([self._tariff.get(exporter, _NO_TARIFF) for exporter in exporters], dtype=float)

    def friction(self, exporter: str, partner: str) -> np.ndarray:
        return self._friction.get((exporter, partner), np.zeros(N_MATERIALS))

    def set_pressure(self, exporter: str, partner: str, usd_per_kg: Sequence[float]) -> None:
        """Informal friction (slow licences, inspections) an exporter applies this quarter,
        US$/kg per material."""
        # A loop over the few materials, not np.any: asked for every partner each quarter.
        if any(usd > 0 for usd in usd_per_kg):
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

    def arriving(self, exporter: str, partner: str, material: Material, quarter: Quarter) -> tuple[float, float]:
        """Share of the usual flow that arrives this quarter despite embargoes (the open days
        and what leaks through third countries), and the extra US$/kg on what arrives."""
        share, extra = 1.0, 0.0
        for embargo in self._embargoes:
            if embargo.exporter == exporter and embargo.partner == partner and material in embargo.materials:
                arriving = embargo.arriving_share(quarter)
                if arriving < share:
                    share, extra = arriving, embargo.extra_cost(quarter)
        return share, extra

    def embargoers_of(self, partner: str) -> set[str]:
        """Every exporter that has ever embargoed this partner: buyers remember."""
        return {e.exporter for e in self._embargoes if e.partner == partner}

    def embargoes_in(self, quarter: Quarter) -> list[Embargo]:
        return [e for e in self._embargoes if e.open_share(quarter) < 1.0]

    def has_controls(self, exporter: str) -> bool:
        return exporter in self._quota_per_turn or any(e.exporter == exporter for e in self._embargoes) \
            or any(r.exporter == exporter for r in self._licences.values())

    # -- licences in tonnes

    def licences(self) -> list[LicenceRegime]:
        return list(self._licences.values())

    def open_licences(self, quarter: Quarter, last_receipts: np.ndarray | None,
                      index: Callable[[str], int], base_quarters: int) -> list[tuple[LicenceRegime, float]] | None:
        """Once a quarter, before anything ships: note last quarter's trade (``last_receipts``,
        tonnes per [material, from, to], None when there was none; ``index`` gives a nation's
        row in it), fix new licences' bases and set the tonnes licensed this quarter. Returns
        each licence whose tonnes changed since last quarter, with them (for the news); None
        if this quarter's licences were already opened.

        A licence's base is the partner's average imports from the exporter over the last
        ``base_quarters`` quarters before the licences start (so that one odd quarter does not
        set the allowance; applications follow what buyers have been importing)."""
        if self._licences_open_for == quarter:
            return None
        self._licences_open_for = quarter
        if last_receipts is not None and (not self._trade or self._trade[-1][0] < quarter - 1):
            self._trade.append((quarter - 1, np.array(last_receipts, dtype=float)))
        while len(self._trade) > base_quarters:
            self._trade.popleft()
        self._licensed_left = {}
        changed = []
        for regime in self._licences.values():
            e, p, m = index(regime.exporter), index(regime.partner), MATERIAL_INDEX[regime.material]
            if regime.base is None:
                regime.base = self._base(regime, e, p, m, base_quarters)
            if quarter < regime.approves_from:
                tonnes = 0.0
            elif regime.base is None:
                regime.measured_in = regime.measured_in or quarter
                tonnes = math.inf
            else:
                tonnes = regime.approval_rate * regime.base
            self._licensed_left.setdefault((regime.exporter, regime.partner), np.full(N_MATERIALS, np.inf))[m] = tonnes
            if tonnes != regime.last_tonnes:
                changed.append((regime, tonnes))
            regime.last_tonnes = tonnes
        return changed

    def _base(self, regime: LicenceRegime, e: int, p: int, m: int, base_quarters: int) -> float | None:
        """The partner's average quarterly imports from the exporter before the licences."""
        before = [r[m, e, p] for q, r in self._trade if q < regime.start][-base_quarters:]
        if before:
            return float(np.mean(before))
        measured = [r[m, e, p] for q, r in self._trade if q == regime.measured_in]
        return float(measured[0]) if measured else None

    def licensed_left(self, exporter: str, partner: str) -> np.ndarray:
        """Tonnes per material still licensed this quarter (inf where licences set no limit)."""
        return self._licensed_left.get((exporter, partner), _UNLIMITED)

    def use_licence(self, exporter: str, partner: str, m: int, tonnes: float) -> None:
        left = self._licensed_left.get((exporter, partner))
        if left is not None:
            left[m] -= tonnes

    def licence_limits(self) -> list[tuple[str, str, np.ndarray]]:
        """Every (exporter, partner, tonnes per material still licensed) this quarter."""
        return [(e, p, left) for (e, p), left in self._licensed_left.items()]
