"""Bigger worlds with the same totals, for scaling studies and the large-world golden run.

``split_firms`` splits every firm of a level's world into ``copies`` equal parts: capacity,
cash, stock and needs divided among them, each copy of a plant fed by the same copy of its
mines (recyclers keep their nations as feed). The world's totals and its behaviour stay
those of the level while the number of agents and of market steps grows, so what a turn
costs per firm, and where that cost goes, can be measured at any size
(``benchmarks/bench_turn.py``, ``benchmarks/run_all.py``). Contracts are dropped: each names
one firm as its seller, which a split world no longer has alone.
"""

from __future__ import annotations

import dataclasses

from game.spec import Scenario


def split_firms(scenario: Scenario, copies: int) -> Scenario:
    """The same level with every firm split into ``copies`` equal parts (``copies`` >= 1;
    1 gives the level unchanged). The first copy keeps the firm's id, the k-th is ``ID#k``."""
    if copies < 1:
        raise ValueError(f"copies must be at least 1, got {copies}")
    if copies == 1:
        return scenario
    if scenario.starts_from:  # its world is the one that history reaches, not its own: the split went unused
        raise ValueError(f"{scenario.id} starts from the world {scenario.starts_from}'s history reaches; "
                         "split a level that starts from its own world (2010-trawler, the sandbox)")
    firms = []
    for k in range(copies):
        for firm in scenario.world.firms:
            firms.append(dataclasses.replace(
                firm,
                id=f"{firm.id}#{k}" if k else firm.id,
                capacity_tpy=firm.capacity_tpy / copies,
                cash_musd=firm.cash_musd / copies,
                inventory=tuple(x / copies for x in firm.inventory),
                needs_tpy=tuple(x / copies for x in firm.needs_tpy),
                feed=tuple(f if firm.role.value == "recycler" or k == 0 else f"{f}#{k}" for f in firm.feed),
            ))
    world = dataclasses.replace(scenario.world, firms=tuple(firms), contracts=())
    return dataclasses.replace(scenario, world=world)
