"""The Minamitorishima deep-sea mud programme, stage by stage.

Each stage costs money, takes quarters, can fail (then it may be funded again) and leaves an
environmental mark; only the commercial stage adds capacity (mud lifted and processed in
Japan). Figures are assumptions scaled on the reference: 5,600-5,800 m of water (mud_depth),
a 2026 recovery test (mud_chikyu_success), a 2027 trial at up to 350 t of mud a day
(mud_test_2027), roughly 2 kg of REO per tonne of mud (mud_capex_cgtn, low confidence),
10,000 t of mud a day for a commercial operation (mud_discovery_2013), costs many times the
market's (mud_cost_multiple), and plume damage to sea life (mud_env_plume).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import mesa
import numpy as np

from game.vocab.quarters import Quarter


@dataclass(frozen=True)
class Stage:
    name: str
    cost_musd: float
    quarters: int
    success_chance: float
    environmental_impact: float  # added to the nation's index (0: none, 1: severe)
    adds_tpy: float = 0.0  # t REO a year of lifting and processing capacity, on success


STAGES = (
    Stage("survey", 30.0, 2, 0.95, 0.01),
    Stage("pilot", 80.0, 4, 0.8, 0.03),
    Stage("test_recovery", 150.0, 4, 0.7, 0.05),
    Stage("demonstration", 400.0, 8, 0.6, 0.1, adds_tpy=250.0),  # 350 t mud/day x 2 kg/t
    Stage("commercial", 1500.0, 12, 0.8, 0.25, adds_tpy=7000.0),  # 10,000 t mud/day x 2 kg/t
)


@dataclass
class DeepSeaProgramme:
    """One nation's programme: stages done, the stage under way, its own random draws."""

    nation: str
    rng: np.random.Generator
    done: int = 0  # stages completed
    current: Stage | None = None
    quarters_left: int = 0
    history: list[tuple[Quarter, str]] = field(default_factory=list)

    @property
    def next_stage(self) -> Stage | None:
        return STAGES[self.done] if self.done < len(STAGES) else None

    def fund(self, quarter: Quarter) -> Stage:
        """Start the next stage (the caller has checked it may, and paid for it)."""
        self.current = self.next_stage
        self.quarters_left = self.current.quarters
        self.history.append((quarter, f"{self.current.name} starts"))
        return self.current

    def advance(self, quarter: Quarter) -> tuple[Stage, bool] | None:
        """A quarter of work; returns (stage, succeeded) when a stage ends."""
        if self.current is None:
            return None
        self.quarters_left -= 1
        if self.quarters_left > 0:
            return None
        stage, self.current = self.current, None
        succeeded = bool(self.rng.random() < stage.success_chance)
        if succeeded:
            self.done += 1
        self.history.append((quarter, f"{stage.name} {'succeeds' if succeeded else 'fails'}"))
        return stage, succeeded


#: The deep-sea venture and its processing plant, which the programme's stages build.
DEEP_SEA_FIRMS = ("minamitorishima-mud", "minamitorishima-processing")


class DeepSea:
    """Every nation's deep-sea programme, and the lever that funds its next stage.

    Args:
        world: the RareEarthWorld it belongs to.
    """

    def __init__(self, world: mesa.Model):
        self.world = world
        self.programmes: dict[str, DeepSeaProgramme] = {}

    def get(self, nation: str) -> DeepSeaProgramme | None:
        """The nation's programme, or None if it never funded one."""
        return self.programmes.get(nation)

    def next_stage_for(self, nation: str) -> Stage | None:
        """The stage the nation would fund next (the survey if it never funded one), without
        beginning a programme; None when all are done."""
        programme = self.programmes.get(nation)
        return STAGES[0] if programme is None else programme.next_stage

    def programme(self, nation: str) -> DeepSeaProgramme:
        """The nation's programme, begun (with its own generator) if it has none."""
        if nation not in self.programmes:
            self.programmes[nation] = DeepSeaProgramme(nation, self.world.rng.spawn(1)[0])
        return self.programmes[nation]

    def fund(self, nation: str) -> str:
        """Pay for and start the programme's next stage; returns the stage's name."""
        world = self.world
        stage = self.programme(nation).fund(world.quarter)
        world.nation(nation).budget_musd -= stage.cost_musd
        world.report("deep_sea", "Minamitorishima programme: {stage} begins ({n} quarters, {chance:.0%} chance of success)",
                     stage=stage.name.replace("_", " "), n=stage.quarters, chance=stage.success_chance,
                     nation_code=nation, stage_id=stage.name)
        return stage.name

    def advance(self) -> None:
        """A quarter of work on every programme; a successful stage that lifts mud adds capacity."""
        world = self.world
        for code, programme in self.programmes.items():
            ended = programme.advance(world.quarter)
            if ended is None:
                continue
            stage, succeeded = ended
            world.nation(code).environmental_impact = min(
                1.0, world.nation(code).environmental_impact + stage.environmental_impact)
            if succeeded and stage.adds_tpy > 0:
                for firm_id in DEEP_SEA_FIRMS:
                    if world.has_firm(firm_id):
                        world.firm(firm_id).capacity_tpy += stage.adds_tpy
            world.report("deep_sea", "Minamitorishima programme: {stage} succeeds" if succeeded
                         else "Minamitorishima programme: {stage} fails", stage=stage.name.replace("_", " "),
                         nation_code=code, stage_id=stage.name)
