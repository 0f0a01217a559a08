"""The production phase: plants plan their throughput and ask their mines for feed, mines
dig within any mining quota, plants separate, recyclers work through collected scrap."""

from __future__ import annotations

import mesa
import numpy as np

from agents.firm import rows_of, sums_in_order
from agents.nation import NationAgent
from agents.producers import (MinerFirm, RecyclerFirm, SellerReadings, feed_requests_of, mine_of,
                              planned_throughputs_of, separate_of)
from game.vocab.arithmetic import added_up
from game.vocab.materials import MATERIAL_INDEX, N_MATERIALS


class Production:
    """Mining, separation and recycling, and the mining quotas that limit them.

    Args:
        world: the RareEarthWorld it belongs to.
    """

    def __init__(self, world: mesa.Model):
        self.world = world
        # (nation, mines or () for all) -> (t/yr, enforcement share of the excess removed)
        self.mining_quotas: dict[tuple[str, tuple[str, ...]], tuple[float, float]] = {}

    def run(self) -> None:
        """Phase 4: plants plan and ask their mines for feed, mines dig, plants separate;
        recyclers work through collected scrap."""
        world = self.world
        plants = [s for s in world.sellers if not isinstance(s, RecyclerFirm)]
        owed, paid = self._owed_this_quarter()
        limits = self._mining_limits()
        for plant in plants:
            plant.runs_to_plan = not limits.keys().isdisjoint(plant.feeds)  # a mine of its under a quota
        # Their figures read once: nothing before separation moves what concentrate costs them.
        readings = SellerReadings(plants)
        throughputs = planned_throughputs_of(plants, [owed.get(plant.firm_id) for plant in plants], readings,
                                             [paid.get(plant.firm_id) for plant in plants])
        # A plant asks each mine for its share of the feed by what the mine can dig and holds.
        miners = world.firms_of(MinerFirm)
        concentrate = rows_of([m.concentrate for m in miners])  # read once, here and for digging
        room = np.array([m.capacity_tpy for m in miners]) / 4.0 + sums_in_order(concentrate)
        requested = feed_requests_of(plants, throughputs, miners, room)
        mined = mine_of(miners, requested.tolist(), [limits.get(miner) for miner in miners], concentrate)
        # Added mine by mine, in order, as a loop over them would.
        world.flows["mined"][:] = np.add.accumulate(np.vstack((world.flows["mined"], mined)))[-1]
        separate_of(plants, throughputs, readings)
        self._recycle_scrap()

    def set_mining_quota(self, nation: str, tonnes_per_year: float, enforcement: float,
                         firms: tuple[str, ...] = ()) -> None:
        """Cap a nation's mining (or that of the named mines, e.g. its heavy rare-earth clays)."""
        self.mining_quotas[(nation, firms)] = (tonnes_per_year, enforcement)

    def _owed_this_quarter(self) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
        """Tonnes each seller owes under fixed-tonnage contracts this quarter, per material, and
        what those contracts pay for them (US$ thousand, at their prices at the buyers' last
        market prices). An investor's offtake is a share of what the plant makes: nothing is owed
        under it if the plant makes nothing, but what the plant makes for its fixed contracts
        owes it its share too, so that share is owed beside them."""
        world = self.world
        owed: dict[str, np.ndarray] = {}
        paid: dict[str, np.ndarray] = {}
        # Per seller and material: the offtakes' shares of output, their most a quarter, and what
        # they pay for it (US$ thousand).
        shares: dict[tuple[str, int], list[float]] = {}
        for contract in world.ledger.active(world.quarter):
            m = MATERIAL_INDEX[contract.material]
            price = contract.price_now(float(world.prices[world.nation_index(contract.buyer), m]))
            if contract.share_of_output > 0:
                share = shares.setdefault((contract.seller, m), [0.0, 0.0, 0.0])
                share[0] += contract.share_of_output
                share[1] += contract.due_per_turn
                share[2] += contract.due_per_turn * price
                continue
            due = owed.setdefault(contract.seller, np.zeros(N_MATERIALS))
            due[m] += contract.due_per_turn
            pays = paid.setdefault(contract.seller, np.zeros(N_MATERIALS))
            pays[m] += contract.due_per_turn * price
        for (seller, m), (share, most, pays_for_most) in shares.items():
            fixed = owed.get(seller)
            if fixed is None or fixed[m] <= 0.0 or most <= 0.0:
                continue
            # Made for the fixed contracts, x tonnes leave them their due when x * (1 - share) does.
            share = min(share, 0.9)
            theirs = min(most, fixed[m] * share / (1.0 - share))
            fixed[m] += theirs
            paid[seller][m] += pays_for_most * theirs / most
        return owed, paid

    def _mining_limits(self) -> dict[MinerFirm, float]:
        """Each quota's working mines share it (as enforced) by capacity, per quarter; where
        quotas overlap (national and heavy rare earths), the tighter one holds. A mine that is
        closed, or whose plants are, leaves its share to the others: the quota is the state's
        plan for its groups, not a right of each pit."""
        limits: dict[MinerFirm, float] = {}
        for (code, firms), (quota, enforcement) in self.mining_quotas.items():
            mines = [m for m in self.world.firms_of(MinerFirm) if m.nation == code and m.capacity_tpy > 0
                     and (not firms or m.firm_id in firms) and self._working(m)]
            capacity = added_up(m.capacity_tpy for m in mines)
            allowed = capacity - enforcement * max(0.0, capacity - quota)
            for mine in mines:
                limit = allowed / 4.0 * mine.capacity_tpy / capacity
                limits[mine] = min(limits.get(mine, limit), limit)
        return limits

    def _working(self, mine: MinerFirm) -> bool:
        """Whether a mine can dig this quarter: it is open and so is a plant it feeds."""
        return mine.alive and not mine.mothballed and any(
            plant.alive and not plant.mothballed for plant in self.world.plants_fed_by(mine))

    def _recycle_scrap(self) -> None:
        """Each nation's collected scrap is shared among the plants that take it, by capacity."""
        world = self.world
        recyclers = [r for r in world.firms_of(RecyclerFirm) if r.alive and not r.mothballed]
        # Each nation's plants in the world's order, found in one pass (hundreds at 10,000 firms).
        taking: dict[NationAgent, list[RecyclerFirm]] = {}
        for recycler in recyclers:
            if recycler.capacity_tpy > 0:
                for source in dict.fromkeys(recycler.scrap_sources):
                    taking.setdefault(source, []).append(recycler)
        for nation in world.nation_list:
            plants = taking.get(nation)
            if nation.scrap_takers or plants:  # a closed recycler weighs its share beside them
                nation.scrap_takers = tuple(plants or ())
                nation.scrap_takers_tpy = added_up(r.capacity_tpy for r in plants) if plants else 0.0
            if not plants:
                continue  # most nations' scrap has no plant to take it
            capacity = nation.scrap_takers_tpy
            pool = nation.scrap_pool.copy()
            for plant in plants:
                recovered = plant.recycle(pool * (plant.capacity_tpy / capacity))
                nation.scrap_pool = np.maximum(nation.scrap_pool - recovered, 0.0)
                world.flows["recycled"] += recovered
        working = set(recyclers)  # a set: hundreds of recyclers at 10,000 firms
        for recycler in world.firms_of(RecyclerFirm):  # idle plants report no output this quarter
            if recycler not in working or recycler.capacity_tpy <= 0:
                recycler.output_t = 0.0
