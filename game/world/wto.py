"""A WTO dispute as a process: consultations, panel, report, appeal, adoption, compliance.

The stage lengths are those of the rare-earths cases DS431/432/433 (wto_consultations
2012-03-13, wto_panel_established 2012-07-23, wto_panel_report 2014-03-26, wto_ab_report
2014-08-07, wto_adoption 2014-08-29, wto_rpt_expiry 2015-05-02), in quarters. Whether the
complainants win is drawn once, when the panel reports (the chance that the panel finds for
the respondent is the world's ``wto_respondent_wins_chance``); the respondent complies by
dropping its export quotas and duties when the reasonable period ends.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from game.vocab.quarters import Quarter

#: (stage, quarters it lasts) after filing; together about three years, as in 2012-2015.
STAGES = (
    ("consultations", 2),    # filing to panel established: 2012-03 -> 2012-07
    ("panel", 7),            # panel established to report: 2012-07 -> 2014-03
    ("appeal", 2),           # appeal to Appellate Body report and adoption: 2014-04 -> 2014-08
    ("compliance", 3),       # reasonable period of time: 2014-08 -> 2015-05
)


@dataclass
class WtoCase:
    """One dispute against a respondent's export restrictions."""

    respondent: str
    complainants: list[str]
    filed: Quarter
    rng: np.random.Generator
    stage: int = 0
    quarters_in_stage: int = 0
    complainants_won: bool | None = None
    closed: bool = False
    history: list[tuple[Quarter, str]] = field(default_factory=list)

    @property
    def stage_name(self) -> str:
        return "closed" if self.closed else STAGES[self.stage][0]

    def join_possible(self) -> bool:
        """Whether further complainants may still join: until the panel is under way."""
        return not self.closed and self.stage <= 1

    def join(self, nation: str) -> bool:
        """A further complainant joins while the case is still before the panel."""
        if not self.join_possible() or nation in self.complainants:
            return False
        self.complainants.append(nation)
        return True

    def exposure(self) -> float:
        """How much the respondent has to fear from the case (0..1): more as it advances."""
        if self.closed:
            return 0.0
        if self.complainants_won is False:
            return 0.0
        return min(1.0, 0.25 + 0.25 * self.stage) * min(1.0, len(self.complainants) / 3.0)

    def advance(self, quarter: Quarter, respondent_wins_chance: float) -> str | None:
        """One quarter of procedure; returns what happened, if anything worth reporting:
        "<stage> begins", "panel_for_complainants", "panel_for_respondent" or "complied".
        When the panel reports, it finds for the respondent with ``respondent_wins_chance``."""
        if self.closed:
            return None
        self.quarters_in_stage += 1
        name, length = STAGES[self.stage]
        if self.quarters_in_stage < length:
            return None
        self.quarters_in_stage = 0
        if name == "panel":
            self.complainants_won = bool(self.rng.random() >= respondent_wins_chance)
            if not self.complainants_won:
                self.closed = True
                return self._note(quarter, "panel_for_respondent")
            self.stage += 1
            return self._note(quarter, "panel_for_complainants")
        if name == "compliance":
            self.closed = True
            return self._note(quarter, "complied")
        self.stage += 1
        return self._note(quarter, f"{STAGES[self.stage][0]} begins")

    def _note(self, quarter: Quarter, what: str) -> str:
        self.history.append((quarter, what))
        return what
