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
STAGE_NAMES = tuple(stage.name for stage in STAGES)


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
