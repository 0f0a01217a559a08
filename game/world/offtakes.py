"""The negotiate phase: buyers short of secure supply seek offtake contracts.

Each quarter, a nation whose industry has less contracted supply from safe sellers than its
fright calls for bargains with one seller per material through the alternating-offers
protocol of ``agents.negotiation``. "Safe" excludes any nation that has embargoed it; sellers
are ranked by the money the buyer nation put into their projects, then by their published
reputation. Reservation values: the seller's floor is the higher of its ask and what it
expects to get on the spot market (less a small discount for a sure sale); the buyer's
ceiling is its trading-price index plus its security premium, discounted by the seller's
reputation. Every negotiation's offer-by-offer trace is kept for the screen and the debrief.
How much a nation seeks, the discount, the index, the menu and the rounds are the world's
assumptions (``world.assumptions``), read where they are used.
"""

from __future__ import annotations

from dataclasses import dataclass

import mesa
import numpy as np

from agents.contract_terms import (
    Menu,
    Outcome,
    Party,
    Response,
    Terms,
    buyer_reservation_price,
    price_index,
)
from agents.negotiation import nash_point, negotiate, respond
from agents.producers import RecyclerFirm, SeparatorFirm, output_mixes_of, sustainable_outputs_of
from game.vocab.arithmetic import added_up
from game.vocab.materials import MATERIAL_INDEX, MATERIALS, N_MATERIALS
from game.world.contracts import Contract


@dataclass(frozen=True)
class Negotiation:
    """One bargaining session, as the screen and the debrief show it."""

    quarter: object
    buyer: str
    seller: str
    material: str
    seller_floor: float  # US$/kg: the seller's reservation value
    seller_cost: float  # US$/kg: what it asks for this oxide from stock
    buyer_ceiling: float  # US$/kg: the buyer's reservation value
    outcome: Outcome


class Offtakes:
    """Long-term contracts: the quarter's bargaining, and a player's proposals to a seller.

    Args:
        world: the mesa.Model it belongs to.
    """

    def __init__(self, world: mesa.Model):
        self.world = world
        self.negotiations: list[Negotiation] = []
        self.proposals: list[tuple] = []  # (quarter, nation, seller, material, Response) from players
        #: The last order book tallied, with what the bargaining signed; kept while the open
        #: contracts are the very ones it tallied (see ``order_book``).
        self._book: _OrderBook | None = None

    def negotiate(self) -> None:
        """Phase 3: nations short of secure supply bargain for offtakes (see negotiate_offtakes)."""
        negotiate_offtakes(self.world)

    def propose(self, nation: str, seller_id: str, m: int, tonnes_per_year: float, years: int,
                price: float, round_index: int = 0) -> Response:
        """A player's proposal to a seller, answered through the bargaining protocol: accepted
        (the contract is signed), a counter-offer, or a refusal with its reason."""
        world = self.world
        seller = world.firm(seller_id)
        seller.set_asks(world.reference_price)
        seller_side, buyer_side, menu = self._sides(nation, seller, m, tonnes_per_year, price, seller.ask)
        response = respond(Terms(tonnes_per_year, years, price), seller_side, buyer_side, menu, round_index,
                           world.assumptions.negotiation_rounds)
        self.proposals.append((world.quarter, nation, seller_id, MATERIALS[m].value, response))
        if response.action == "accept":
            world.ledger.sign(Contract(
                id=world.ledger.unused_id(f"{seller_id}>{nation}:{MATERIALS[m].value}:{world.quarter}"
                                          f":proposal{len(self.proposals)}"),
                seller=seller_id, buyer=nation, material=MATERIALS[m], tonnes_per_year=tonnes_per_year,
                price=price, start=world.quarter, end=world.quarter + years * 4 - 1,
                index_share=world.assumptions.contract_index_share))
        return response

    def order_book(self) -> _OrderBook:
        """This quarter's open contracts, tallied: the last book if they are the contracts it
        tallied, in the same order (none signed elsewhere, ended, begun or cancelled since), so
        its sums are the ones a fresh tally would add up; else a fresh tally."""
        open_now = self.world.ledger.active(self.world.quarter)
        book = self._book
        if book is None or not book.tallies(open_now):
            book = self._book = _OrderBook(self.world, open_now)
        return book

    def fair_terms(self, nation: str, seller_id: str, m: int, tonnes_per_year: float):
        """The Nash bargaining point of a player's offtake (the "fair price" hint), or None if no
        terms suit both sides. Reads the world and changes nothing."""
        seller = self.world.firm(seller_id)
        seller_side, buyer_side, menu = self._sides(nation, seller, m, tonnes_per_year, 0.0,
                                                    seller.asks_at(self.world.reference_price))
        return nash_point(seller_side, buyer_side, menu)

    def spare_tpy(self, seller: SeparatorFirm, m: int) -> float:
        """Tonnes a year of material ``m`` the plant makes at a pace it can keep, less what it has
        sold forward under contracts still running (below 0 if it sold more)."""
        world = self.world
        return float(promisable_outputs(world, [seller])[0]) * float(seller.output_mix()[m]) - added_up(
            c.tonnes_per_year for c in world.ledger.active(world.quarter)
            if c.seller == seller.firm_id and c.material is MATERIALS[m])

    def _sides(self, nation: str, seller, m: int, tonnes_per_year: float, price: float, asks: np.ndarray):
        """Both parties to a player's offtake and the menu of terms they bargain over."""
        world = self.world
        spare = max(1.0, self.spare_tpy(seller, m))
        seller_side = seller_party(world, seller, m, spare, asks)
        buyer_side = buyer_party(world, world.nation(nation), seller, m, tonnes_per_year)
        ceiling = max(buyer_side.reservation, price, seller_side.reservation * 1.01)
        return seller_side, buyer_side, offtake_menu(world, seller_side.reservation, ceiling,
                                                     min(spare, tonnes_per_year))


def negotiate_offtakes(world: mesa.Model) -> None:
    """Phase 3: every nation short of secure supply bargains for one contract per material.

    Sellers deal first with the nations that financed them (they sign with buyers who bring
    money), then the rest bargain, the most frightened first.
    """
    buyers = sorted((n for n in world.nation_list if world.buyers_in[n.code] and n.security_premium > 0.01),
                    key=lambda n: -n.security_premium)
    if not buyers:
        return
    book = world.offtakes.order_book()
    assumptions = world.assumptions
    codes = [nation.code for nation in buyers]
    investments = _investments_by(world, codes)
    # What each buyer needs, and the share of it it seeks, stand all quarter: nothing the
    # bargaining does changes them. Plain floats, the same figures, for the scalar loop below.
    needs = dict(zip(codes, _yearly_needs(world, codes).tolist()))
    shares = {nation.code: min(assumptions.max_secure_share,
                               assumptions.secure_share_per_premium * nation.security_premium) for nation in buyers}
    # The sellers making anything, with what they can make a year and their mix of oxides, once
    # one is wanted: nothing the bargaining does changes what a seller can make.
    producing: dict[SeparatorFirm, tuple[float, np.ndarray]] | None = None
    making: dict[int, list[SeparatorFirm]] = {}  # the producing sellers of each material
    for financiers_only in (True, False):
        for nation in buyers:
            invested = investments[nation.code]
            if financiers_only and not invested:
                continue
            hostile = world.policy.embargoers_of(nation.code)
            need, share = needs[nation.code], shares[nation.code]
            for m in range(N_MATERIALS):
                # A share of its yearly need, per unit of security premium, up to a ceiling.
                wanted = share * need[m]
                gap = wanted - book.secured(nation.code, m, hostile)
                if gap < max(50.0, 0.02 * need[m]):
                    continue
                if producing is None:
                    producing = _producing(world)
                for seller in _candidate_sellers(producing, m, hostile, invested, making):
                    if financiers_only and invested.get(seller.firm_id, 0.0) <= 0.0:
                        break  # candidates come financed first: none left to favour
                    output_tpy, mix = producing[seller]
                    spare = output_tpy * float(mix[m]) - book.committed(seller, m)
                    if spare < 25.0:
                        continue
                    contract = _bargain(world, nation, seller, m, min(spare, gap))
                    if contract is not None:
                        book.add(contract)
                        break


class _OrderBook:
    """Open contracts, tallied once: tonnes a year by seller and by buyer."""

    def __init__(self, world: mesa.Model, open_contracts: list[Contract]):
        self._world = world
        self._tallied: list[Contract] = []  # in the order added
        self._by_seller: dict[tuple[str, int], float] = {}
        # Tonnes a year by (buyer, material), then by seller nation, in the order first signed:
        # a buyer's tally is read without walking everyone else's.
        self._by_buyer: dict[tuple[str, int], dict[str, float]] = {}
        for contract in open_contracts:
            self.add(contract)

    def tallies(self, contracts: list[Contract]) -> bool:
        """Whether this book tallied these very contracts, in this order."""
        return len(contracts) == len(self._tallied) and all(
            mine is theirs for mine, theirs in zip(self._tallied, contracts))

    def add(self, contract: Contract) -> None:
        self._tallied.append(contract)
        m = MATERIAL_INDEX[contract.material]
        seller_nation = self._world.firm(contract.seller).nation
        self._by_seller[(contract.seller, m)] = self._by_seller.get((contract.seller, m), 0.0) + contract.tonnes_per_year
        by_origin = self._by_buyer.setdefault((contract.buyer, m), {})
        by_origin[seller_nation] = by_origin.get(seller_nation, 0.0) + contract.tonnes_per_year

    def committed(self, seller: SeparatorFirm, m: int) -> float:
        """Tonnes a year of material m the seller has already sold forward."""
        return self._by_seller.get((seller.firm_id, m), 0.0)

    def secured(self, buyer: str, m: int, hostile: set[str]) -> float:
        """Tonnes a year of material m the buyer has under contract from safe nations."""
        by_origin = self._by_buyer.get((buyer, m))
        if by_origin is None:
            return 0.0
        return added_up(t for origin, t in by_origin.items() if origin not in hostile)


def buyer_party(world: mesa.Model, nation, seller: SeparatorFirm, m: int, volume: float) -> Party:
    """A nation's side: its ceiling is its trading-price index plus its security premium,
    discounted by the seller's published reputation; a frightened buyer concedes early."""
    j = world.nation_index(nation.code)
    assumptions = world.assumptions
    index = price_index([p[j, m] for p, _ in world.price_history], [q[j, m] for _, q in world.price_history],
                        assumptions.price_index_discount, fallback=float(world.prices[j, m]))
    ceiling = buyer_reservation_price(index, nation.security_premium) * world.ledger.reputation(seller.firm_id)
    return Party(nation.code, "buyer", ceiling, volume, beta=1.0 + 2.0 * nation.security_premium, prefers_years=10,
                 duration_sensitivity=assumptions.contract_duration_sensitivity)


def seller_party(world: mesa.Model, seller: SeparatorFirm, m: int, volume: float,
                 asks: np.ndarray | None = None) -> Party:
    """A seller's side: its floor is the higher of its ask (or ``asks``) and what it
    expects on the spot market, less a little for a sure sale; a plant running near capacity
    is patient."""
    netback = seller.expected_netback[m] if seller.expected_netback is not None else world.prices[
        world.nation_index(seller.nation), m]
    ask = seller.ask if asks is None else asks
    assumptions = world.assumptions
    floor = max(float(ask[m]), (1.0 - assumptions.contract_discount) * float(netback))
    used = seller.output_t / seller.capacity_per_turn if seller.capacity_per_turn > 0 else 0.0
    return Party(seller.firm_id, "seller", floor, volume, beta=0.5 if used > 0.8 else 2.0, prefers_years=5,
                 duration_sensitivity=assumptions.contract_duration_sensitivity)


def offtake_menu(world: mesa.Model, floor: float, ceiling: float, volume: float) -> Menu:
    """The contracts on the table: the world's volume tiers (shares of ``volume``) and
    durations, and a ladder of prices from ``floor`` to ``ceiling``."""
    assumptions = world.assumptions
    return Menu.ladder(floor, ceiling, tuple(volume * t for t in assumptions.offtake_volume_tiers),
                       assumptions.offtake_years, steps=assumptions.offtake_price_steps)


def _bargain(world: mesa.Model, nation, seller: SeparatorFirm, m: int, volume: float) -> Contract | None:
    """One negotiation; signs the contract if they agree and returns it."""
    buyer = buyer_party(world, nation, seller, m, volume)
    seller_side = seller_party(world, seller, m, volume)
    ceiling, floor = buyer.reservation, seller_side.reservation
    if not np.isfinite(ceiling) or ceiling <= floor or floor <= 0:
        return None
    menu = offtake_menu(world, floor, ceiling, volume)
    outcome = negotiate(seller_side, buyer, menu, rounds=world.assumptions.negotiation_rounds)
    world.offtakes.negotiations.append(Negotiation(world.quarter, nation.code, seller.firm_id, MATERIALS[m].value,
                                          floor, float(seller.ask[m]), ceiling, outcome))
    if outcome.deal is None:
        return None
    deal = outcome.deal
    # A nation may sign twice with one seller in a quarter (as its financier, then with the rest).
    contract = Contract(
        id=world.ledger.unused_id(f"{seller.firm_id}>{nation.code}:{MATERIALS[m].value}:{world.quarter}"),
        seller=seller.firm_id,
        buyer=nation.code, material=MATERIALS[m], tonnes_per_year=deal.volume_tpy, price=deal.price,
        start=world.quarter, end=world.quarter + deal.years * 4 - 1, index_share=world.assumptions.contract_index_share,
    )
    world.ledger.sign(contract)
    world.report("deal", "{seller} signs {tpy:,.0f} t/yr of {material} for {nation} for {years} years at a base of "
                 "US${price:,.1f}/kg, {indexed:.0%} indexed to the market",
                 seller=seller.name, tpy=deal.volume_tpy, material=MATERIALS[m].label, nation=nation.name,
                 price=deal.price, years=deal.years, indexed=contract.index_share, seller_id=seller.firm_id,
                 nation_code=nation.code)
    return contract


def _yearly_needs(world: mesa.Model, codes: list[str]) -> np.ndarray:
    """Tonnes of each oxide each nation of ``codes`` needs in a year at this quarter's rate (a
    row each): its buyers' added from zero one by one in order (a running sum down each
    nation's rows, padded after its last buyer with zeros, which add nothing)."""
    buyers_of = [world.buyers_in[code] for code in codes]
    rows = np.zeros((len(codes), max(map(len, buyers_of)) + 1, N_MATERIALS))
    requirements = [buyer.requirement for buyers in buyers_of for buyer in buyers]
    if requirements:
        nation_row = [k for k, buyers in enumerate(buyers_of) for _ in buyers]
        place = [j for buyers in buyers_of for j in range(1, len(buyers) + 1)]
        rows[nation_row, place] = np.multiply(requirements, 4.0)
    return np.add.accumulate(rows, axis=1)[:, -1]


def _producing(world: mesa.Model) -> dict[SeparatorFirm, tuple[float, np.ndarray]]:
    """The sellers that can make anything, the most reliable first (ties by id), with the tonnes
    a year they can make and their mix of oxides. Reputations are published between rounds, so
    this order holds for a whole round."""
    sellers = world.sellers
    made = zip(sellers, promisable_outputs(world, sellers).tolist(), output_mixes_of(sellers))
    producing = [(seller, (output_tpy, mix)) for seller, output_tpy, mix in made if output_tpy > 0]
    reputation = world.ledger.reputation
    producing.sort(key=lambda entry: (-reputation(entry[0].firm_id), entry[0].firm_id))
    return dict(producing)


def promisable_outputs(world: mesa.Model, sellers: list[SeparatorFirm]) -> np.ndarray:
    """Tonnes a year each seller can promise for the years a contract runs: what it can make at
    a pace it can keep (``sustainable_outputs_of``), but a recycler's scaled down by the
    recycling capacity still to come on the scrap it shares. Scrap is shared by capacity, so
    capacity being built or brought up will take part of what this plant recovers now (the
    sandbox's Showa Denko signed ten years on all of Japan's scrap while Chuo Denki's
    2,000 t/yr were being built beside it, and fell short every quarter once they ran)."""
    outputs = sustainable_outputs_of(sellers)
    recyclers = [k for k, (seller, made) in enumerate(zip(sellers, outputs.tolist()))
                 if made > 0.0 and isinstance(seller, RecyclerFirm)]
    if not recyclers:
        return outputs
    working = [r for r in world.firms_of(RecyclerFirm) if r.alive and not r.mothballed]
    coming = world.investment.capacity_coming_by_firm({r.firm_id for r in working})
    if not coming:
        return outputs
    # Per set of scrap sources (most recyclers take one nation's), the capacity of the working
    # recyclers taking any of it: those that took it this quarter, and all of them with what
    # they will add. Worked out once per set: hundreds of recyclers at 10,000 firms.
    sharing: dict[frozenset, tuple[float, float, set]] = {}
    for k in recyclers:
        seller = sellers[k]
        sources = frozenset(seller.scrap_sources)
        if sources not in sharing:
            takers = {r for source in sources for r in source.scrap_takers}
            now = later = 0.0
            for r in working:
                if not sources.isdisjoint(r.scrap_sources):
                    later += r.capacity_tpy + coming.get(r.firm_id, 0.0)
                    if r in takers:
                        now += r.capacity_tpy
            sharing[sources] = (now, later, takers)
        now, later, takers = sharing[sources]
        # It works (it makes something), so it is among them: its own growth dilutes nothing.
        now += 0.0 if seller in takers else seller.capacity_tpy
        later -= coming.get(seller.firm_id, 0.0)
        if later > now > 0.0:
            outputs[k] *= now / later
    return outputs


def _candidate_sellers(producing: dict[SeparatorFirm, tuple[float, np.ndarray]], m: int, hostile: set[str],
                       invested: dict[str, float], making: dict[int, list[SeparatorFirm]]) -> list[SeparatorFirm]:
    """Safe sellers making material m, of those ``producing`` anything: those this nation
    financed first, then the most reliable (``producing``'s own order, which a stable sort keeps).
    ``making``: the sellers of each material found so far, kept for the next nation."""
    makers = making.get(m)
    if makers is None:
        makers = making[m] = [s for s, (_, mix) in producing.items() if mix[m] > 0]
    sellers = [s for s in makers if s.nation not in hostile]
    return sorted(sellers, key=lambda s: -invested.get(s.firm_id, 0.0)) if invested else sellers


def _investments_by(world: mesa.Model, codes: list[str]) -> dict[str, dict[str, float]]:
    """For each nation of ``codes``, US$ million it has put into each firm's projects or lent
    it; plants in partner nations count as a small stake, ``partnership_stake_musd`` (a
    partnership makes it a preferred buyer there). One walk of the projects serves every
    nation, each adding in the projects' order."""
    invested: dict[str, dict[str, float]] = {code: {} for code in codes}
    for project in world.projects.values():
        for code, musd in project.funders.items():
            own = invested.get(code)
            if own is not None:
                own[project.firm] = own.get(project.firm, 0.0) + musd
    for (lender, firm_id), musd in world.investment.stakes.items():
        own = invested.get(lender)
        if own is not None:
            own[firm_id] = own.get(firm_id, 0.0) + musd
    stake = world.assumptions.partnership_stake_musd
    for code, own in invested.items():
        partners = world.nation(code).partners
        if not partners:
            continue
        for seller in world.sellers:
            if seller.nation in partners:
                own[seller.firm_id] = own.get(seller.firm_id, 0.0) + stake
    return invested
