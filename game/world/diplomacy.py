"""The diplomacy phase: tension eases, fright fades, exporters with a "leverage" doctrine
decide their pressure, embargoes frighten importers; and the levers of diplomacy (talks,
partnerships, WTO cases), which act through tension, approvals and export policy."""

from __future__ import annotations

import mesa
import numpy as np

from game.vocab.materials import MATERIAL_INDEX, N_MATERIALS
from game.vocab.portable_math import dot
from game.world.wto import WtoCase


class Diplomacy:
    """Nations' standing policies and their dealings with each other.

    Args:
        world: the RareEarthWorld it belongs to (typed as Mesa's Model, as agents are).
    """

    def __init__(self, world: mesa.Model):
        self.world = world
        self.wto_cases: list[WtoCase] = []

    def decide(self) -> None:
        """Phase 2: tension eases and fright fades; exporters decide their pressure; every
        embargo in force frightens importers in proportion to the days it blocks."""
        world = self.world
        for nation in world.nation_list:  # each touches its own figures only: one pass does both
            nation.ease_tension()
            nation.calm_down()
        for nation in world.nation_list:
            if nation.doctrine == "leverage" and not nation.played:
                nation.decide_export_pressure()
        for embargo in world.policy.embargoes_in(world.quarter):
            at_stake = self.supply_weight(embargo.exporter, sorted(MATERIAL_INDEX[m] for m in embargo.materials))
            self.take_fright(embargo.exporter, embargo.partner, at_stake * (1.0 - embargo.open_share(world.quarter)))
        # Each nation's premium read once, not looked up again for each of its buyers.
        premium = {nation.code: nation.security_premium for nation in world.nation_list}
        for buyer in world.buyers:
            buyer.fear = premium[buyer.nation]

    def supply_weight(self, exporter: str, materials: list[int]) -> float:
        """What an embargo by this exporter puts at stake: its share of what the world's buyers
        received last quarter of these materials (at reference prices), over the largest
        supplier's. A halt by the dominant supplier frightens fully (China in 2010); one by a
        supplier of about 1% hardly at all (India's of 2025), else a small supplier's lasting
        embargo would keep every buyer in the world hoarding. Before any trade is recorded
        (a level's first quarter) it counts fully."""
        world = self.world
        received = world.last_receipts[materials].sum(axis=2)  # [material, origin]
        value = dot(world.reference_price[materials], received)
        largest = float(value.max())
        return float(value[world.nation_index(exporter)]) / largest if largest > 0.0 else 1.0

    def take_fright(self, exporter: str, target: str, blocked_share: float) -> None:
        """An embargo frightens its target most, and every other importer, who saw it happen,
        somewhat: each one's security premium rises by its share of the fright."""
        assumptions = self.world.assumptions
        for nation in self.world.nation_list:
            if nation.code == target:
                nation.take_fright(assumptions.embargo_fright * blocked_share)
            elif nation.code != exporter and self.world.buyers_in[nation.code]:
                nation.take_fright(assumptions.bystander_fright * blocked_share)

    # ------------------------------------------------------------------ levers

    def talks_would_ease(self, nation: str, partner: str) -> float:
        """How much talks now would ease tension (the more eased of the two sides): nothing where
        it stands at its baseline already."""
        ease = self.world.assumptions.talks_ease_share
        gaps = [self.world.nation(a).tension_with(b) - self.world.nation(a).baseline_tension.get(b, 0.0)
                for a, b in ((partner, nation), (nation, partner))]
        return max([ease * gap for gap in gaps if gap > 0], default=0.0)

    def hold_talks(self, nation: str, partner: str) -> float:
        """Talks close a share of the gap between tension and its baseline, both ways."""
        world = self.world
        ease = world.assumptions.talks_ease_share
        eased = 0.0
        for a, b in ((partner, nation), (nation, partner)):
            side = world.nation(a)
            gap = side.tension_with(b) - side.baseline_tension.get(b, 0.0)
            if gap > 0:
                side.change_tension(b, -ease * gap)
                eased = max(eased, ease * gap)
        world.report("diplomacy", "{nation} and {partner} hold talks", nation=world.nation(nation).name,
                     partner=world.nation(partner).name, nation_code=nation, partner_code=partner)
        return eased

    def sign_partnership(self, nation: str, partner: str) -> None:
        """A supply partnership: the partner approves projects this nation helps finance sooner,
        its plants treat this nation as a preferred buyer, and tension between them eases."""
        world = self.world
        world.nation(nation).partners.add(partner)
        world.nation(partner).partners.add(nation)
        for a, b in ((nation, partner), (partner, nation)):
            world.nation(a).change_tension(b, -world.assumptions.partnership_tension_ease)
        world.report("diplomacy", "{nation} and {partner} sign a supply partnership", nation=world.nation(nation).name,
                     partner=world.nation(partner).name, nation_code=nation, partner_code=partner)

    def case_against(self, respondent: str) -> WtoCase | None:
        """The dispute against a respondent's export restrictions still open, if any."""
        return next((case for case in self.wto_cases if case.respondent == respondent and not case.closed), None)

    def open_wto_case(self, respondent: str, complainants: list[str]) -> WtoCase:
        """A dispute against a respondent's export restrictions (or more complainants join one)."""
        case = self.case_against(respondent)
        if case is not None:
            for code in complainants:
                case.join(code)
            return case
        case = WtoCase(respondent, list(complainants), self.world.quarter, self.world.rng.spawn(1)[0])
        self.wto_cases.append(case)
        return case

    def advance_wto_cases(self) -> None:
        """Cases move through consultations, panel and appeal; a ruling complied with ends the
        respondent's export quotas and duties."""
        world = self.world
        for case in self.wto_cases:
            outcome = case.advance(world.quarter, world.assumptions.wto_respondent_wins_chance)
            if outcome is None:
                continue
            respondent = world.nation(case.respondent)
            if outcome == "complied":
                world.policy.set_quota(case.respondent, np.inf, np.zeros(N_MATERIALS))
                world.policy.set_tariff(case.respondent, np.zeros(N_MATERIALS))
                world.report("wto", "{respondent} complies with the WTO ruling: export quotas and duties end",
                             respondent=respondent.name, respondent_code=respondent.code)
            elif outcome == "panel_for_respondent":
                world.report("wto", "WTO panel finds for {respondent}; its export restrictions stand",
                             respondent=respondent.name, respondent_code=respondent.code)
            else:
                world.report("wto", "WTO case against {respondent}: {stage}", respondent=respondent.name,
                             stage=outcome.replace("_", " "), respondent_code=respondent.code)
