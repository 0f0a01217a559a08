"""What a nation must see to decide, material by material: what its industry needed last
quarter, what arrived and by which way (contracts, the market from China and from elsewhere,
its own stockpile), what its recyclers and its seabed mud made, how short it fell, what it
holds, and what the quarter now open looks like from what the world already knows (contracts
due and whether their sellers can ship, embargoes and licences in force, stock on hand).

Read-only: built from the world's books after a quarter, it changes nothing. The window shows
it as the supply panel; the bot and researchers may read it too.
"""

from __future__ import annotations

from dataclasses import dataclass

import mesa
import numpy as np

from agents.buyers import ManufacturerFirm
from agents.producers import SeparatorFirm
from game.vocab.arithmetic import added_up
from game.vocab.materials import MATERIAL_INDEX, MATERIALS, N_MATERIALS, Material
from game.vocab.nations import CHINA
from game.world.deepsea import DEEP_SEA_FIRMS
from game.world.indicators import days_of_use_held, recyclers_of_scrap


@dataclass(frozen=True)
class ContractOutlook:
    """One contract's delivery in the quarter now open, as far as can be told before it runs."""

    contract_id: str
    seller_id: str
    seller_nation: str
    due_t: float
    likely_t: float  # what can arrive: nothing from a closed seller, the open share under an embargo...
    risk: str  # "" when nothing stands in the way, else why less may arrive: "embargo", "licences", ...


@dataclass(frozen=True)
class MaterialSupply:
    """One material's supply to one nation: last quarter, what is held, and the quarter ahead."""

    material: Material
    # last quarter
    need_t: float  # what industry would have used at full output (what it used, and what it lost)
    from_contracts_t: float
    from_market_china_t: float
    from_market_elsewhere_t: float
    from_stockpile_t: float
    used_t: float
    recycled_t: float  # made by recyclers that take the nation's scrap (sold on the market)
    deep_sea_t: float  # made from the nation's seabed mud (sold on the market)
    # held now
    stockpile_t: float
    stockpile_days: float
    industry_stock_t: float
    # the quarter now open
    need_next_t: float
    contracts: tuple[ContractOutlook, ...]
    release_ordered_t: float  # stockpile tonnes the nation has put up for sale this quarter
    purchase_ordered_t: float  # tonnes it bids for, for its stockpile
    #: What last quarter's market purchases would bring now, origin by origin, after the
    #: embargoes and licences now in force (what the world knows, not a prediction of prices).
    market_likely_t: float = 0.0

    @property
    def received_t(self) -> float:
        return self.from_contracts_t + self.from_market_china_t + self.from_market_elsewhere_t + self.from_stockpile_t

    @property
    def shortfall_t(self) -> float:
        """What industry would have used last quarter at full output and did not: its output lost."""
        return max(0.0, self.need_t - self.used_t)

    @property
    def contracts_due_t(self) -> float:
        return added_up(c.due_t for c in self.contracts)

    @property
    def contracts_likely_t(self) -> float:
        return added_up(c.likely_t for c in self.contracts)

    @property
    def cover_next(self) -> float:
        """Share of this quarter's use that contracts, stocks, releases ordered and last
        quarter's market (as far as it can still arrive) would cover, at most 1."""
        if self.need_next_t <= 0:
            return 1.0
        have = self.contracts_likely_t + self.industry_stock_t + self.release_ordered_t + self.market_likely_t
        return min(1.0, have / self.need_next_t)

    @property
    def to_buy_next_t(self) -> float:
        """What the market (or the stockpile) must still supply this quarter: the need, less
        what contracts can deliver, what industry holds beyond it and the release ordered."""
        covered = self.contracts_likely_t + self.industry_stock_t + self.release_ordered_t
        return max(0.0, self.need_next_t - covered)


@dataclass(frozen=True)
class SupplyReport:
    nation: str
    quarter: str  # the quarter now open; "last quarter" is the one before it
    materials: tuple[MaterialSupply, ...]
    embargoes: tuple[tuple[str, tuple[Material, ...], float], ...]  # (exporter, materials, share arriving)
    licences: tuple[tuple[str, Material, float], ...]  # (exporter, material, approval rate)
    #: The output index the covers above would allow this quarter (each manufacturer runs as
    #: far as its scarcest input): a warning sign, not a forecast of the market. None before
    #: the world has run a quarter (no market to go by).
    projected_output_index: float | None = None
    days_in_quarter: int = 91
    #: The world's reference price of each material (US$/kg), which weighs its days of use.
    worth: tuple[float, ...] = ()

    @property
    def stockpile_days(self) -> float:
        """Days of use the stockpile holds now, counted as the bar's indicator counts them
        (``days_of_use_held``) but over this quarter's needs: known before any quarter is
        played, when last quarter's are not."""
        return days_of_use_held(np.array([m.stockpile_t for m in self.materials]),
                                np.array([m.need_next_t for m in self.materials]), np.array(self.worth),
                                self.days_in_quarter)


def supply_report(world: mesa.Model, nation: str) -> SupplyReport:
    """The nation's supply, material by material, as it stands while its turn is open."""
    j = world.nation_index(nation)
    receipts = world.receipts[:, :, j]  # last quarter's, until the quarter now open runs
    need = use_at_full_output(world, nation)
    used, lost = _used_and_lost(world, nation)
    last = world.quarter - 1
    by_origin = np.zeros((N_MATERIALS, len(world.nation_codes)))  # contract tonnes by the seller's nation
    contracts_by_id = {c.id: c for c in world.ledger.contracts}
    for delivery in reversed(world.ledger.deliveries):  # kept in the order they happened
        if delivery.quarter < last:
            break
        contract = contracts_by_id.get(delivery.contract_id)
        if delivery.quarter == last and contract is not None and contract.buyer == nation:
            origin = world.nation_index(world.firm(contract.seller).nation)
            by_origin[MATERIALS.index(contract.material), origin] += delivery.delivered_t
    from_contracts = by_origin.sum(axis=1)
    holder = world.nation(nation)
    released = holder.released_t
    market = np.maximum(receipts - by_origin, 0.0)  # [material, origin]: bought on the market
    market[:, j] = np.maximum(market[:, j] - released, 0.0)
    china = world.nation_index(CHINA) if world.has_nation(CHINA) and CHINA != nation else None
    market_china = market[:, china].copy() if china is not None else np.zeros(N_MATERIALS)
    market_elsewhere = market.sum(axis=1) - market_china
    market_likely = _market_likely(world, nation, market)
    recycled, deep_sea = _made_at_home(world, nation)
    industry_stock = added_up((b.held_material() if isinstance(b, ManufacturerFirm) else b.inventory
                          for b in world.buyers_in[nation]), start=np.zeros(N_MATERIALS))
    days = world.quarter.days
    outlook = _contracts_ahead(world, nation)
    released_now = holder.release_orders
    bought_now = np.zeros(N_MATERIALS)
    for m, tonnes, _ in holder.purchase_orders:
        bought_now[m] += tonnes
    materials = []
    for m, material in enumerate(MATERIALS):
        daily = need[m] / days
        materials.append(MaterialSupply(
            material, float(used[m] + lost[m]), float(from_contracts[m]), float(market_china[m]), float(market_elsewhere[m]),
            float(released[m]), float(used[m]), float(recycled[m]), float(deep_sea[m]),
            float(holder.stockpile[m]), float(holder.stockpile[m] / daily) if daily > 0 else 0.0,
            float(industry_stock[m]), float(need[m]), tuple(c for mm, c in outlook if mm == m),
            float(released_now[m]), float(bought_now[m]), float(market_likely[m])))
    embargoes = tuple((e.exporter, tuple(sorted(e.materials, key=MATERIALS.index)), e.arriving_share(world.quarter))
                      for e in world.policy.embargoes_in(world.quarter) if e.partner == nation)
    licences = tuple((r.exporter, r.material, r.approval_rate) for r in world.policy.licences()
                     if r.partner == nation and world.quarter >= r.start)
    projected = _projected_output_index(world, nation, [m.cover_next for m in materials]) \
        if world.quarters_simulated else None
    return SupplyReport(nation, str(world.quarter), tuple(materials), embargoes, licences, projected, days,
                        tuple(world.reference_price.tolist()))


def _market_likely(world: mesa.Model, nation: str, market: np.ndarray) -> np.ndarray:
    """Last quarter's market tonnes by origin, as far as the embargoes and licences now in
    force let them arrive this quarter."""
    likely = np.zeros(N_MATERIALS)
    quarter = world.quarter
    rates = {(r.exporter, r.material): (0.0 if quarter < r.approves_from else r.approval_rate)
             for r in world.policy.licences() if r.partner == nation and quarter >= r.start}
    for o, origin in enumerate(world.nation_codes):
        for m, material in enumerate(MATERIALS):
            if market[m, o] <= 0.0:
                continue
            share = 1.0
            if origin != nation:
                share = world.policy.arriving(origin, nation, material, quarter)[0]
                share *= min(1.0, rates.get((origin, material), 1.0))
            likely[m] += market[m, o] * share
    return likely


def _projected_output_index(world: mesa.Model, nation: str, cover: list[float]) -> float:
    """The output index if each manufacturer ran as far as its scarcest input's cover allows."""
    magnets = min(cover[MATERIAL_INDEX[Material.NDPR]], cover[MATERIAL_INDEX[Material.DYTB]])
    cela = cover[MATERIAL_INDEX[Material.CELA]]
    weight = total = 0.0
    for buyer in world.buyers_in[nation]:
        if isinstance(buyer, ManufacturerFirm):
            fills = ([magnets] if buyer.magnet_need > 0 else []) + ([cela] if buyer.cela_need > 0 else [])
            weight += buyer.output_weight
            total += buyer.output_weight * (min(fills) if fills else 1.0)
    return total / weight if weight > 0 else 1.0


def _used_and_lost(world: mesa.Model, nation: str) -> tuple[np.ndarray, np.ndarray]:
    """Oxide the nation's manufacturers used last quarter, and what they would have used on top
    at full output (each runs as far as its scarcest input allows: its fill)."""
    recipe = world.industry.magnet_recipe(nation)
    used, lost = np.zeros(N_MATERIALS), np.zeros(N_MATERIALS)
    for buyer in world.buyers_in[nation]:
        if isinstance(buyer, ManufacturerFirm):
            used += buyer.consumed
            if buyer.fill > 0.0:  # what it used was fill x its use at full output, then
                lost += buyer.consumed * (1.0 - buyer.fill) / buyer.fill
            else:
                full = buyer.magnet_need * recipe
                full[MATERIAL_INDEX[Material.CELA]] += buyer.cela_need
                lost += full
    return used, lost


def use_at_full_output(world: mesa.Model, nation: str) -> np.ndarray:
    """Oxide the nation's manufacturers use in a quarter at full output, per material: magnets
    by the home makers' recipe (thrift included), and Ce/La. Buffers they top up come on top."""
    recipe = world.industry.magnet_recipe(nation)
    use = np.zeros(N_MATERIALS)
    for buyer in world.buyers_in[nation]:
        if isinstance(buyer, ManufacturerFirm):
            use += buyer.magnet_need * recipe
            use[MATERIAL_INDEX[Material.CELA]] += buyer.cela_need
    return use


def _made_at_home(world: mesa.Model, nation: str) -> tuple[np.ndarray, np.ndarray]:
    """Oxide made last quarter by recyclers taking the nation's scrap, and from its seabed mud."""
    recycled = np.zeros(N_MATERIALS)
    for firm in recyclers_of_scrap(world, nation):
        recycled += firm.output_t * firm.output_mix()
    deep_sea = np.zeros(N_MATERIALS)
    for firm_id in DEEP_SEA_FIRMS:
        if world.has_firm(firm_id):
            firm = world.firm(firm_id)
            if firm.nation == nation and isinstance(firm, SeparatorFirm) and firm.alive:
                deep_sea += firm.output_t * firm.output_mix()
    return recycled, deep_sea


def _contracts_ahead(world: mesa.Model, nation: str) -> list[tuple[int, ContractOutlook]]:
    """Each contract due to the nation in the quarter now open, with what stands in its way."""
    quarter = world.quarter
    outlook = []
    for contract in world.ledger.active(quarter):
        if contract.buyer != nation:
            continue
        m = MATERIALS.index(contract.material)
        seller = world.firm(contract.seller)
        made = seller.output_t * float(seller.output_mix()[m]) if isinstance(seller, SeparatorFirm) else 0.0
        due = contract.due_from(made)
        likely, risk = due, ""
        if not seller.alive:
            likely, risk = 0.0, "seller closed"
        elif seller.nation != nation:
            arriving, _ = world.policy.arriving(seller.nation, nation, contract.material, quarter)
            if arriving < 1.0:
                likely, risk = due * arriving, "embargo"
            regime = next((r for r in world.policy.licences() if r.exporter == seller.nation and r.partner == nation
                           and r.material == contract.material and quarter >= r.start), None)
            if regime is not None and (quarter < regime.approves_from or regime.approval_rate < 1.0):
                rate = 0.0 if quarter < regime.approves_from else regime.approval_rate
                if due * rate < likely:
                    likely, risk = due * rate, "licences"
        if risk == "" and seller.inventory[m] + made < due:
            likely, risk = seller.inventory[m] + made, "seller short of stock"
        outlook.append((m, ContractOutlook(contract.id, seller.firm_id, seller.nation, due, likely, risk)))
    return outlook
