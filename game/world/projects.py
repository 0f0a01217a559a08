"""Capacity under construction: cost, lead time, the risk of delay and of failure."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from game.vocab.arithmetic import added_up
from game.world.project_streams import Pcg64Stream
from game.vocab.quarters import Quarter


@dataclass(eq=False)  # a project is an identity, not a value: compare by who it is
class Project:
    """A mine, plant or programme that adds capacity to a firm when it is finished.

    Each project draws from its own generator, spawned from the world's at start, so
    whether it slips does not depend on what else happens in the world (a ``Pcg64Stream``: the
    same draws as NumPy's spawned generator, held in fewer objects).
    """

    id: str
    firm: str
    host: str
    adds_tpy: float
    lead_quarters: int
    cost_musd: float
    delay_chance: float
    fail_chance: float
    rng: Pcg64Stream | np.random.Generator
    #: Where it came from: "level" (in the level file), "expansion" (a firm's own growth) or
    #: "funded" (capacity a nation paid for, such as recycling).
    origin: str = "level"
    started: Quarter | None = None
    quarters_left: int = 0
    done: bool = False
    failed: bool = False
    funders: dict[str, float] = field(default_factory=dict)
    #: What the owner pays from its own cash when building starts (the rest it borrows).
    own_funds_musd: float = 0.0
    #: Offtake rights bought by investors: (nation, tonnes per year, years, price or 0,
    #: material indices covered). A tuple, replaced when rights are bought: most projects never
    #: have any, and an empty list each was one more object for the garbage collector to track.
    offtakes: tuple[tuple[str, float, int, float, tuple[int, ...]], ...] = ()

    @property
    def is_building(self) -> bool:
        return self.started is not None and not self.done and not self.failed

    @property
    def quarters_to_build(self) -> int:
        """Quarters until it is built: what is left once under way, else its lead time."""
        return self.quarters_left if self.is_building else self.lead_quarters

    def reads_alike(self, other: Project) -> bool:
        """Whether ``other`` is another project of the same firm adding as much: listed by firm and
        tonnes, the two read the same (Lynas's two plant phases)."""
        return other.id != self.id and other.firm == self.firm and other.adds_tpy == self.adds_tpy

    def offtake_held_tpy(self, buyer: str | None = None) -> float:
        """Tonnes a year of its output held by ``buyer``'s offtakes (everyone's if None)."""
        return added_up(tonnes for holder, tonnes, *_ in self.offtakes if buyer is None or holder == buyer)

    def start(self, quarter: Quarter) -> bool:
        """Start construction; False if it already started or ended."""
        if self.started is not None:
            return False
        self.started = quarter
        self.quarters_left = self.lead_quarters
        return True

    def fund(self, funder: str, musd: float) -> None:
        self.funders[funder] = self.funders.get(funder, 0.0) + musd

    def advance(self) -> str | None:
        """One quarter of work; returns "done", "failed", "delayed" or None."""
        if not self.is_building:
            return None
        if self.rng.random() < self.delay_chance:
            return "delayed"
        self.quarters_left -= 1
        if self.quarters_left > 0:
            return None
        if self.rng.random() < self.fail_chance:
            self.failed = True
            return "failed"
        self.done = True
        return "done"
