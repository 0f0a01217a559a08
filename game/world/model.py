"""RareEarthWorld: the Mesa model. One step is one quarter, in the phases of the design.

1. events fire (``open_turn``; the session lets a controller act after this)
2. decide: nations' standing policies move (tension eases)
3. produce: mines, separators and recyclers work within capacity and feed
4. trade: contracts deliver, then each material clears on the spot market
5. make and consume: magnet makers turn this quarter's oxide into magnets, manufacturers
   turn magnets and Ce/La into output; products enter use and old ones become scrap
6. build: projects advance and add capacity when finished
7. record: the DataCollector takes a row of indicators
"""

from __future__ import annotations

from collections import defaultdict, deque
from typing import TYPE_CHECKING

import mesa
import numpy as np

from agents.firm import (
    EXPECTATION_WEIGHT,
    ROLE_CLASSES,
    BuyerFirm,
    FirmAgent,
    MagnetMakerFirm,
    ManufacturerFirm,
    MinerFirm,
    RecyclerFirm,
    SeparatorFirm,
)
from agents.nation import BYSTANDER_FRIGHT, EMBARGO_FRIGHT, NationAgent
from game.world import indicators
from game.world.contracts import REPUTATION_PERIOD, Contract, ContractLedger
from game.world.deepsea import DeepSeaProgramme
from game.world.events import EventQueue, NewsItem, apply_event
from game.world.exchange import NetworkLayout, clear_spot_markets, deliver_contracts
from game.vocab.materials import MATERIAL_INDEX, MATERIALS, N_MATERIALS, Role
from game.world.projects import Project
from game.vocab.quarters import Quarter
from agents.negotiation import Terms, nash_point, respond
from game.world.offtakes import INDEX_QUARTERS, Negotiation, buyer_party, negotiate_offtakes, offtake_menu, seller_party
from game.world.trade import TradePolicy
from game.world.wto import WtoCase
from agents.doctrine import decide_pressure

if TYPE_CHECKING:
    from game.spec import Scenario

FLOW_KINDS = ("mined", "recycled", "released", "consumed", "stockpiled")


class RareEarthWorld(mesa.Model):
    """Nations and firms trading rare earths, quarter by quarter.

    Args:
        scenario: a validated level (see ``game.scenario.load_level``).
        rng: seed or generator; every random draw in the world comes from it.
    """

    def __init__(self, scenario: Scenario, rng=None):
        super().__init__(rng=rng)
        spec = scenario.world
        self.scenario = scenario
        self.start_quarter = scenario.start
        self.end_quarter = scenario.end
        self.turns_done = 0
        self._quarter = scenario.start
        self._turn_open = False
        self.freight = _freight_matrix(spec)
        self.reference_price = np.array(spec.reference_price, dtype=float)

        self.nation_list = [NationAgent(self, n) for n in spec.nations]
        self.nation_codes = [n.code for n in self.nation_list]
        self._nation_index = {code: i for i, code in enumerate(self.nation_codes)}
        # Buyers value rare earths a little differently from one another: drawn once, here.
        valuations = self.rng.uniform(0.85, 1.15, size=len(spec.firms))
        self.firm_list: list[FirmAgent] = [
            ROLE_CLASSES[f.role](self, f, float(v)) for f, v in zip(spec.firms, valuations)
        ]
        self._firms = {f.firm_id: f for f in self.firm_list}
        self._plants_fed_by: dict[FirmAgent, list[SeparatorFirm]] = {}
        self._building: set[str] = set()  # firms with a project under way
        self._awaiting_approval: list[Project] = []
        self._research: list[tuple[Quarter, str, float]] = []  # (ready, nation, Dy/Tb cut)
        self.deep_sea: dict[str, DeepSeaProgramme] = {}
        self._awaiting_ids: set[str] = set()
        self._link_feeds(spec)
        self.sellers = [f for f in self.firm_list if isinstance(f, SeparatorFirm)]
        self.buyers = [f for f in self.firm_list if isinstance(f, BuyerFirm)]
        self.buyers_in: dict[str, list[BuyerFirm]] = defaultdict(list)
        for buyer in self.buyers:
            self.buyers_in[buyer.nation].append(buyer)

        self.policy = TradePolicy()
        for policy in spec.policies:
            self.policy.set_quota(policy.exporter, policy.quota_tpy, np.array(policy.quota_split))
            self.policy.set_tariff(policy.exporter, np.array(policy.tariff))
        self.ledger = ContractLedger()
        for c in spec.contracts:
            self.ledger.sign(Contract(c.id, c.seller, c.buyer, c.material, c.tonnes_per_year, c.price, c.start, c.end))
        project_rngs = self.rng.spawn(len(spec.projects))
        self.projects = {
            p.id: Project(p.id, p.firm, p.host, p.adds_tpy, p.lead_quarters, p.cost_musd,
                          p.delay_chance, p.fail_chance, rng)
            for p, rng in zip(spec.projects, project_rngs)
        }
        self.events = EventQueue(scenario.events)
        self.wto_cases: list[WtoCase] = []
        self._commissioning: list[tuple[FirmAgent, float, int]] = []  # capacity still coming up
        # (nation, mines or () for all) -> (t/yr, enforcement share of the excess removed)
        self.mining_quotas: dict[tuple[str, tuple[str, ...]], tuple[float, float]] = {}
        self.demand_trends: dict[str, tuple[float, float]] = {}  # nation -> growth/yr (magnets, Ce/La)
        self.layout = NetworkLayout(len(self.nation_list))

        n = len(self.nation_list)
        # What one more tonne is worth in each country (to use or to sell on), US$/kg.
        self.prices = np.tile(self.reference_price, (n, 1))
        self.expected_prices = self.prices.copy()  # smoothed, what buyers plan on
        self.receipts = np.zeros((N_MATERIALS, n, n))  # tonnes this quarter, [material, from, to]
        self.last_receipts = self.receipts.copy()
        self.flows = {kind: np.zeros(N_MATERIALS) for kind in FLOW_KINDS}
        self.sales_this_turn: dict[SeparatorFirm, np.ndarray] = {}  # spot and contracts, t
        self.spot_sales_this_turn: dict[SeparatorFirm, np.ndarray] = {}
        self.news: list[NewsItem] = []
        self.negotiations: list[Negotiation] = []
        self.proposals: list[tuple] = []  # (quarter, nation, seller, material, Response) from players
        # Recent (prices, tonnes received) per nation and material, for trading-price indices.
        self.price_history: deque[tuple[np.ndarray, np.ndarray]] = deque(maxlen=INDEX_QUARTERS)
        self.datacollector = mesa.DataCollector(model_reporters=indicators.REPORTERS)

    def _link_feeds(self, spec) -> None:
        for firm in self.firm_list:
            if isinstance(firm, RecyclerFirm):
                firm.feeds = []
                firm.scrap_sources = [self.nation(code) for code in (firm.feed_ids or (firm.nation,))]
            elif isinstance(firm, SeparatorFirm):
                firm.feeds = [self._firms[i] for i in firm.feed_ids]
                for mine in firm.feeds:
                    self._plants_fed_by.setdefault(mine, []).append(firm)

    # ------------------------------------------------------------------ lookups

    @property
    def quarter(self) -> Quarter:
        """The quarter being played; once a step is over, the next one."""
        return self._quarter

    @property
    def turn(self) -> int:
        """1 for the level's first quarter."""
        return self.turns_done + 1

    @property
    def is_over(self) -> bool:
        return self.quarter > self.end_quarter

    def nation(self, code: str) -> NationAgent:
        return self.nation_list[self._nation_index[code]]

    def nation_index(self, code: str) -> int:
        return self._nation_index[code]

    def firm(self, firm_id: str) -> FirmAgent:
        return self._firms[firm_id]

    def has_firm(self, firm_id: str) -> bool:
        return firm_id in self._firms

    def firms_of(self, cls: type[FirmAgent]) -> list[FirmAgent]:
        return [f for f in self.firm_list if isinstance(f, cls)]

    def report(self, kind: str, template: str, source: str = "", **fields: object) -> None:
        """Add a line to the news: ``template`` in English, filled from ``fields`` (names of
        nations and firms, figures), which are kept so the line can be worded in any language."""
        headline = template.format(**fields) if fields else template
        self.news.append(NewsItem(self.quarter, kind, headline, source, template, tuple(fields.items())))

    # ------------------------------------------------------------------ the turn

    def open_turn(self) -> None:
        """Phase 1: fire this quarter's events. Idempotent; the session calls it before actions."""
        if self._turn_open:
            return
        self._turn_open = True
        self.agents_by_type[NationAgent].do("start_quarter")
        for event in self.events.pop_due(self.quarter):
            apply_event(self, event)

    def step(self) -> None:
        self.open_turn()
        self.last_receipts, self.receipts = self.receipts, np.zeros_like(self.receipts)
        for kind in FLOW_KINDS:
            self.flows[kind][:] = 0.0
        self.sales_this_turn = {}
        self.spot_sales_this_turn = {}
        self.decide()
        negotiate_offtakes(self)
        self.produce()
        self.trade()
        self.make_and_consume()
        self.build()
        self.review()
        self.datacollector.collect(self)
        self.turns_done += 1
        self._quarter = self.start_quarter + self.turns_done
        self._turn_open = False

    def decide(self) -> None:
        """Phase 2: standing national policies; AI doctrine hooks in here."""
        nations = self.agents_by_type[NationAgent]
        nations.do("ease_tension")
        nations.do("calm_down")
        for nation in self.nation_list:
            if nation.doctrine == "leverage":
                self._apply_doctrine(nation)
        for embargo in self.policy.embargoes_in(self.quarter):  # fright grows with the days blocked
            self.take_fright(embargo.exporter, embargo.partner, 1.0 - embargo.open_share(self.quarter))
        for buyer in self.buyers:
            buyer.fear = self.nation(buyer.nation).security_premium

    def produce(self) -> None:
        """Phase 3: plants plan and ask their mines for feed, mines dig, plants separate;
        recyclers work through collected scrap."""
        plants = [s for s in self.sellers if not isinstance(s, RecyclerFirm)]
        owed = self._owed_this_quarter()
        plans = {plant: plant.planned_throughput(owed.get(plant.firm_id)) for plant in plants}
        requested: dict[MinerFirm, float] = defaultdict(float)
        for plant, throughput in plans.items():
            capacity = sum(f.capacity_per_turn + f.concentrate.sum() for f in plant.feeds)
            for feed in plant.feeds:
                if capacity > 0:
                    requested[feed] += throughput * (feed.capacity_per_turn + feed.concentrate.sum()) / capacity
        limits = self._mining_limits()
        for miner in self.firms_of(MinerFirm):
            self.flows["mined"] += miner.mine(requested.get(miner, 0.0), limits.get(miner))
        for plant, throughput in plans.items():
            plant.separate(throughput)
        self._recycle_scrap()

    def _owed_this_quarter(self) -> dict[str, np.ndarray]:
        """Tonnes each seller owes under fixed-tonnage contracts this quarter, per material."""
        owed: dict[str, np.ndarray] = {}
        for contract in self.ledger.active(self.quarter):
            if contract.share_of_output > 0:
                continue  # a share of what it makes: nothing is owed if it makes nothing
            due = owed.setdefault(contract.seller, np.zeros(N_MATERIALS))
            due[MATERIAL_INDEX[contract.material]] += contract.due_per_turn
        return owed

    def _recycle_scrap(self) -> None:
        """Each nation's collected scrap is shared among the plants that take it, by capacity."""
        recyclers = [r for r in self.firms_of(RecyclerFirm) if r.alive and not r.mothballed]
        for nation in self.nation_list:
            plants = [r for r in recyclers if nation in r.scrap_sources and r.capacity_tpy > 0]
            capacity = sum(r.capacity_tpy for r in plants)
            pool = nation.scrap_pool.copy()
            for plant in plants:
                recovered = plant.recycle(pool * (plant.capacity_tpy / capacity))
                nation.scrap_pool = np.maximum(nation.scrap_pool - recovered, 0.0)
                self.flows["recycled"] += recovered
        for recycler in self.firms_of(RecyclerFirm):  # idle plants report no output this quarter
            if recycler not in recyclers or recycler.capacity_tpy <= 0:
                recycler.output_t = 0.0

    def trade(self) -> None:
        """Phase 4: manufacturers order, contracts deliver, the spot market clears."""
        self._take_orders()
        remaining_quota = np.array([self.policy.quota_per_turn(code) for code in self.nation_codes])
        deliver_contracts(self, remaining_quota)
        clear_spot_markets(self, remaining_quota)
        self.price_history.append((self.prices.copy(), self.receipts.sum(axis=1).T.copy()))
        for nation in self.nation_list:
            nation.release_orders[:] = 0.0
            nation.purchase_orders.clear()
        for buyer in self.buyers:
            buyer.support = 0.0  # support is for the quarter it was given

    def _take_orders(self) -> None:
        """Manufacturers order magnets from makers at home, shared by the makers' capacity."""
        for code in self.nation_codes:
            makers = [b for b in self.buyers_in[code] if isinstance(b, MagnetMakerFirm) and b.alive]
            manufacturers = [b for b in self.buyers_in[code] if isinstance(b, ManufacturerFirm)]
            orders = sum(m.plan() for m in manufacturers)
            capacity = sum(m.capacity_per_turn for m in makers)
            for maker in makers:
                maker.take_orders(orders * maker.capacity_per_turn / capacity if capacity > 0 else 0.0)

    def make_and_consume(self) -> None:
        """Phase 5: magnets are made and shipped to manufacturers at home, who produce."""
        for code in self.nation_codes:
            buyers = self.buyers_in[code]
            makers = [b for b in buyers if isinstance(b, MagnetMakerFirm)]
            manufacturers = [b for b in buyers if isinstance(b, ManufacturerFirm)]
            made = sum((maker.make_magnets() for maker in makers), np.zeros(N_MATERIALS))
            wants = np.array([max(0.0, m.magnet_need * (1 + m.buffer_quarters) - m.magnets.sum()) for m in manufacturers])
            if made.sum() > 0 and wants.sum() > 0:
                for manufacturer, want in zip(manufacturers, wants):
                    manufacturer.receive_magnets(made * (want / wants.sum()))
            elif made.sum() > 0:  # nobody at home wants them: they stay with the makers as oxide
                makers[0].inventory += made
            consumed = sum((m.manufacture() for m in manufacturers), np.zeros(N_MATERIALS))
            self.flows["consumed"] += consumed
            self.nation(code).age_products(consumed)

    def build(self) -> None:
        """Phase 6: hosts decide on projects awaiting approval; projects advance; a finished
        one adds capacity to its firm."""
        self._decide_approvals()
        self._finish_research()
        self._advance_deep_sea()
        ramping = []
        for firm, remaining, quarters in self._commissioning:
            step = remaining / quarters
            firm.capacity_tpy += step
            if quarters > 1:
                ramping.append((firm, remaining - step, quarters - 1))
        self._commissioning = ramping
        for project in self.projects.values():
            outcome = project.advance()
            if outcome == "done":
                firm = self.firm(project.firm)
                fixed_before = firm.fixed_cost_musd
                # Commissioning: a quarter of the new capacity works at once, the rest comes up
                # over the next three quarters (Lynas took years to reach nameplate).
                firm.capacity_tpy += project.adds_tpy * COMMISSIONING_SHARE
                self._commissioning.append((firm, project.adds_tpy * (1 - COMMISSIONING_SHARE), COMMISSIONING_QUARTERS))
                # Projects are financed with working capital: a year of the new fixed costs.
                working_capital = 4.0 * max(0.0, firm.fixed_cost_musd - fixed_before)
                firm.cash_musd += working_capital
                firm.finance(working_capital)
                self.report("project", "{firm}: {tpy:,.0f} t/yr of new capacity comes on line", firm=firm.name,
                            tpy=project.adds_tpy)
                self._start_offtakes(project, firm)
            elif outcome == "failed":
                self.report("project", "{firm}'s project fails at commissioning", firm=self.firm(project.firm).name)

    def _apply_doctrine(self, exporter: NationAgent) -> None:
        """An exporter weighs pressure on each importing partner (see agents.doctrine)."""
        i = self.nation_index(exporter.code)
        sent = self.last_receipts[:, i, :]
        revenue = (sent * self.prices.T).sum(axis=0)
        revenue[i] = 0.0
        total_revenue = float(revenue.sum())
        exposure = max((c.exposure() for c in self.wto_cases if c.respondent == exporter.code), default=0.0)
        for j, partner in enumerate(self.nation_list):
            if j == i or not self.buyers_in[partner.code]:
                continue
            received = float(self.last_receipts[:, :, j].sum())
            leverage = float(sent[:, j].sum()) / received if received > 0 else 0.0
            pressure = decide_pressure(exporter.tension_with(partner.code), leverage,
                                       float(revenue[j]) / total_revenue if total_revenue > 0 else 0.0,
                                       exposure, tuple(self.prices[i]))
            self.policy.set_pressure(exporter.code, partner.code, np.array(pressure.friction_usd_per_kg))
            if pressure.halt:
                q = self.quarter
                self.policy.impose_embargo(exporter.code, partner.code, MATERIALS, q.first_day, q.end_day)
                self.report("doctrine", "{exporter} halts rare-earth shipments to {partner}: tension {tension:.2f} and "
                                        "{leverage:.0%} of its supply outweigh {revenue:.0%} of export revenue",
                            exporter=exporter.name, partner=partner.name, tension=exporter.tension_with(partner.code),
                            leverage=leverage, revenue=float(revenue[j]) / total_revenue if total_revenue > 0 else 0.0)

    def open_wto_case(self, respondent: str, complainants: list[str]) -> WtoCase:
        """A dispute against a respondent's export restrictions (or more complainants join one)."""
        for case in self.wto_cases:
            if case.respondent == respondent and not case.closed:
                for code in complainants:
                    case.join(code)
                return case
        case = WtoCase(respondent, list(complainants), self.quarter, self.rng.spawn(1)[0])
        self.wto_cases.append(case)
        return case

    def _advance_wto_cases(self) -> None:
        for case in self.wto_cases:
            outcome = case.advance(self.quarter)
            if outcome is None:
                continue
            respondent = self.nation(case.respondent)
            if outcome == "complied":
                self.policy.set_quota(case.respondent, np.inf, np.zeros(N_MATERIALS))
                self.policy.set_tariff(case.respondent, np.zeros(N_MATERIALS))
                self.report("wto", "{respondent} complies with the WTO ruling: export quotas and duties end",
                            respondent=respondent.name)
            elif outcome == "panel_for_respondent":
                self.report("wto", "WTO panel finds for {respondent}; its export restrictions stand", respondent=respondent.name)
            else:
                self.report("wto", "WTO case against {respondent}: {stage}", respondent=respondent.name,
                            stage=outcome.replace("_", " "))

    def set_mining_quota(self, nation: str, tonnes_per_year: float, enforcement: float,
                         firms: tuple[str, ...] = ()) -> None:
        """Cap a nation's mining (or that of the named mines, e.g. its heavy rare-earth clays)."""
        self.mining_quotas[(nation, firms)] = (tonnes_per_year, enforcement)

    def _mining_limits(self) -> dict[MinerFirm, float]:
        """Each quota's mines share it (as enforced) by capacity, per quarter; where quotas
        overlap (national and heavy rare earths), the tighter one holds."""
        limits: dict[MinerFirm, float] = {}
        for (code, firms), (quota, enforcement) in self.mining_quotas.items():
            mines = [m for m in self.firms_of(MinerFirm) if m.nation == code and m.capacity_tpy > 0
                     and (not firms or m.firm_id in firms)]
            capacity = sum(m.capacity_tpy for m in mines)
            allowed = capacity - enforcement * max(0.0, capacity - quota)
            for mine in mines:
                limit = allowed / 4.0 * mine.capacity_tpy / capacity
                limits[mine] = min(limits.get(mine, limit), limit)
        return limits

    def set_demand_trend(self, nations: tuple[str, ...], magnets_per_year: float, cela_per_year: float) -> None:
        for code in nations:
            self.demand_trends[code] = (magnets_per_year, cela_per_year)

    def _grow_demand(self) -> None:
        for code, (magnets, cela) in self.demand_trends.items():
            for buyer in self.buyers_in[code]:
                if isinstance(buyer, ManufacturerFirm):
                    buyer.magnet_need_tpy *= (1.0 + magnets) ** 0.25
                    buyer.cela_need_tpy *= (1.0 + cela) ** 0.25

    def _relocate_production(self) -> None:
        """Manufacturers facing far dearer inputs than China's move production into China."""
        if "CHN" not in self._nation_index:
            return
        china = self.nation_index("CHN")
        hosts = {role: next((b for b in self.buyers_in["CHN"] if isinstance(b, ManufacturerFirm)
                              and (b.magnet_need_tpy > 0) == role), None) for role in (True, False)}
        for code in self.nation_codes:
            if code == "CHN":
                continue
            recipe = self._magnet_recipe(code)
            for maker in (b for b in self.buyers_in[code] if isinstance(b, ManufacturerFirm)):
                ratio = _input_price_ratio(maker, self.expected_prices[self.nation_index(code)],
                                           self.expected_prices[china], recipe)
                host = hosts[maker.magnet_need_tpy > 0]
                share = maker.relocation_share(ratio) if host is not None else 0.0
                if share > 0:
                    magnets, cela = maker.move_production(share)
                    host.magnet_need_tpy += magnets
                    host.cela_need_tpy += cela

    def review(self) -> None:
        """Phase 7: firms look at their margins and cash: mothball, reopen, expand, fail, restart;
        buyers thrift or come back as prices stay high or fall."""
        self.expected_prices = (1 - EXPECTATION_WEIGHT) * self.expected_prices + EXPECTATION_WEIGHT * self.prices
        committed = {c.seller for c in self.ledger.active(self.quarter + 1)}
        self._building = {p.firm for p in self.projects.values() if p.is_building}
        self._building.update(p.firm for p in self._awaiting_approval)
        for seller in self.sellers:
            seller.expect_prices(self.prices[self.nation_index(seller.nation)])
            outcome = seller.review_operations(seller.firm_id in committed)
            if outcome:
                self.report("firm", "{firm} is mothballed" if outcome == "mothballed" else "{firm} reopens", firm=seller.name)
            if seller.alive and not seller.mothballed:
                self._consider_expansion(seller)
        for maker in self.firms_of(MagnetMakerFirm):
            self._consider_magnet_capacity(maker)
        for miner in self.firms_of(MinerFirm):
            if miner.review_use():
                self.report("firm", "{firm} is mothballed", firm=miner.name)
        for firm in self.firm_list:
            firm.pay_overheads()
            if firm.is_insolvent(self.prices[self.nation_index(firm.nation)]):
                firm.go_bankrupt(self.quarter)
                cancelled = self.ledger.cancel_contracts_of(firm.firm_id)
                if cancelled:
                    self.report("firm", "{firm} goes bankrupt; {n} contracts cancelled", firm=firm.name, n=cancelled)
                else:
                    self.report("firm", "{firm} goes bankrupt", firm=firm.name)
            elif not firm.alive and firm.can_restart(self.quarter, self._restart_margin(firm)):
                firm.restart()
                self.report("firm", "{firm} is bought and restarted", firm=firm.name)
        self._relocate_production()
        self._advance_wto_cases()
        if self.turns_done % REPUTATION_PERIOD == REPUTATION_PERIOD - 1:
            self.ledger.publish_reputations(self.quarter)
        self._grow_demand()
        ref = self.reference_price
        recipes = {code: self._magnet_recipe(code) for code in self.nation_codes}
        for buyer in self.buyers:
            expected = self.expected_prices[self.nation_index(buyer.nation)]
            if isinstance(buyer, MagnetMakerFirm):
                buyer.adapt_to_prices(expected[1] / ref[1])
            elif isinstance(buyer, ManufacturerFirm):
                buyer.adapt_to_prices(_input_price_ratio(buyer, expected, ref, recipes[buyer.nation]))

    def _magnet_recipe(self, nation: str) -> np.ndarray:
        maker = next((b for b in self.buyers_in[nation] if isinstance(b, MagnetMakerFirm)), None)
        return maker.recipe if maker is not None else np.array([1.0, 0.0, 0.0])

    def _restart_margin(self, firm: FirmAgent) -> float:
        """A plant restarts on its own margin; a mine when a plant it feeds makes money."""
        if isinstance(firm, SeparatorFirm):
            return firm.margin_share()
        return max((p.margin_share() for p in self._plants_fed_by.get(firm, ()) if p.alive), default=0.0)

    def _consider_expansion(self, plant: SeparatorFirm) -> None:
        """Build more capacity when the expected margin pays the investment back in time."""
        if plant.capacity_tpy <= 0 or plant.firm_id in self._building:
            return
        adds = plant.expansion_wanted(self.sellers_share_of_sales(plant))
        if adds <= 0:
            return
        self._start_expansion(plant, adds)
        feed_capacity = sum(f.capacity_tpy for f in plant.feeds)
        for mine in plant.feeds:  # the mines must grow with the plant
            if mine.capacity_tpy > 0:
                self._start_expansion(mine, adds * mine.capacity_tpy / feed_capacity)

    def _consider_magnet_capacity(self, maker: MagnetMakerFirm) -> None:
        """Magnet makers build more lines when their orders fill what they have."""
        if maker.capacity_tpy <= 0 or maker.orders_t < 0.95 * maker.capacity_per_turn:
            return
        if maker.firm_id not in self._building:
            self._start_expansion(maker, 0.25 * maker.capacity_tpy)

    def _start_expansion(self, firm: FirmAgent, adds_tpy: float) -> None:
        """A firm's own project: capital by stage, financed with debt, its own risk draws."""
        project = Project(f"{firm.firm_id}-expansion-{self.quarter}", firm.firm_id, firm.nation, adds_tpy,
                          EXPANSION_LEAD[firm.role], adds_tpy * CAPEX_USD_PER_TPY[firm.role] / 1e6,
                          EXPANSION_DELAY_CHANCE, 0.0, self.rng.spawn(1)[0])
        self.projects[project.id] = project
        self.propose_project(project)
        self._building.add(firm.firm_id)

    def sellers_share_of_sales(self, plant: SeparatorFirm) -> float:
        """Share of its capacity the plant sold this quarter (a plant that cannot sell does not grow)."""
        sold = self.sales_this_turn.get(plant)
        return float(sold.sum()) / plant.capacity_per_turn if sold is not None and plant.capacity_per_turn > 0 else 0.0

    def propose_offtake(self, nation: str, seller_id: str, m: int, tonnes_per_year: float, years: int,
                        price: float, round_index: int = 0):
        """A player's proposal to a seller, answered through the bargaining protocol: accepted
        (the contract is signed), a counter-offer, or a refusal with its reason."""
        seller = self.firm(seller_id)
        seller.set_asks(self.reference_price)
        seller_side, buyer_side, menu = self._offtake_sides(nation, seller, m, tonnes_per_year, price)
        response = respond(Terms(tonnes_per_year, years, price), seller_side, buyer_side, menu, round_index)
        self.proposals.append((self.quarter, nation, seller_id, MATERIALS[m].value, response))
        if response.action == "accept":
            self.ledger.sign(Contract(
                id=f"{seller_id}>{nation}:{MATERIALS[m].value}:{self.quarter}:proposal{len(self.proposals)}",
                seller=seller_id, buyer=nation, material=MATERIALS[m], tonnes_per_year=tonnes_per_year,
                price=price, start=self.quarter, end=self.quarter + years * 4 - 1))
        return response

    def _offtake_sides(self, nation: str, seller, m: int, tonnes_per_year: float, price: float):
        """Both parties to a player's offtake and the menu of terms they bargain over."""
        spare = max(1.0, seller.sustainable_output_tpy() * float(seller.output_mix()[m]) - sum(
            c.tonnes_per_year for c in self.ledger.active(self.quarter) if c.seller == seller.firm_id and c.material is MATERIALS[m]))
        seller_side = seller_party(self, seller, m, spare)
        buyer_side = buyer_party(self, self.nation(nation), seller, m, tonnes_per_year)
        ceiling = max(buyer_side.reservation, price, seller_side.reservation * 1.01)
        return seller_side, buyer_side, offtake_menu(seller_side.reservation, ceiling, min(spare, tonnes_per_year))

    def fair_offtake_terms(self, nation: str, seller_id: str, m: int, tonnes_per_year: float):
        """The Nash bargaining point of a player's offtake (the "fair price" hint), or None if no
        terms suit both sides. Reads the world and changes nothing."""
        seller = self.firm(seller_id)
        saved = (seller.ask, seller.long_run_price)
        try:
            seller.set_asks(self.reference_price)
            seller_side, buyer_side, menu = self._offtake_sides(nation, seller, m, tonnes_per_year, 0.0)
            return nash_point(seller_side, buyer_side, menu)
        finally:
            seller.ask, seller.long_run_price = saved

    def propose_project(self, project: Project) -> None:
        """A new project (a firm's expansion, an investor's money) needs its host's approval."""
        host = self.nation(project.host)
        if host.doctrine != "partner" or project.started is not None or project.id in self._awaiting_ids:
            self.start_project(project)
            return
        self._awaiting_approval.append(project)
        self._awaiting_ids.add(project.id)
        self.report("project", "{firm}: {tpy:,.0f} t/yr awaits {host}'s approval", firm=self.firm(project.firm).name,
                    tpy=project.adds_tpy, host=host.name)

    def _decide_approvals(self) -> None:
        """Hosts approve projects, sooner when they bring foreign money, later amid tension."""
        waiting = []
        for project in self._awaiting_approval:
            host = self.nation(project.host)
            foreign = [code for code in project.funders if code != host.code]
            chance = APPROVAL_CHANCE + (FOREIGN_MONEY_BONUS if foreign else 0.0) \
                + (PARTNER_BONUS if any(code in host.partners for code in foreign) else 0.0) \
                - TENSION_PENALTY * max((host.tension_with(code) for code in foreign), default=0.0)
            if project.rng.random() < chance:
                self.report("project", "{host} approves {firm}'s project", host=host.name, firm=self.firm(project.firm).name)
                self._awaiting_ids.discard(project.id)
                self.start_project(project)
            else:
                waiting.append(project)
        self._awaiting_approval = waiting

    def start_project(self, project: Project) -> bool:
        """Start building; what investors have not paid, the owner borrows."""
        if not project.start(self.quarter):
            return False
        funded = sum(project.funders.values())
        self.firm(project.firm).finance(max(0.0, project.cost_musd - funded))
        self.report("project", "{firm}: building {tpy:,.0f} t/yr ({n} quarters planned)",
                    firm=self.firm(project.firm).name, tpy=project.adds_tpy, n=project.lead_quarters)
        return True

    # ------------------------------------------------------------------ orders from controllers

    def order_stockpile_release(self, nation_code: str, material_index: int, tonnes: float) -> None:
        self.nation(nation_code).release_orders[material_index] += tonnes

    def order_stockpile_purchase(self, nation_code: str, material_index: int, tonnes: float, max_price: float) -> None:
        self.nation(nation_code).purchase_orders.append((material_index, tonnes, max_price))

    def invest_in_project(self, nation_code: str, project_id: str, amount_musd: float, offtake_tpy: float,
                          years: int, price: float, materials: tuple = ()) -> None:
        """Money from a nation goes to the project's owner; a project waiting for money starts."""
        project = self.projects[project_id]
        self.nation(nation_code).budget_musd -= amount_musd
        self.firm(project.firm).cash_musd += amount_musd
        project.fund(nation_code, amount_musd)
        if offtake_tpy > 0:
            covered = tuple(MATERIALS.index(m) for m in materials) or tuple(range(N_MATERIALS))
            project.offtakes.append((nation_code, offtake_tpy, years, price, covered))
        if project.started is not None:
            self.firm(project.firm).debt_musd = max(0.0, self.firm(project.firm).debt_musd - amount_musd)
        self.propose_project(project)

    def _start_offtakes(self, project: Project, firm: FirmAgent) -> None:
        """Investors' offtake rights become contracts, split by the plant's mix of oxides.

        A mine sells no oxide itself, so its offtake is delivered by the plant it feeds.
        """
        if not isinstance(firm, SeparatorFirm):
            firm = next((s for s in self.sellers if firm in s.feeds), firm)
        mix = firm.output_mix()
        start = self.quarter + 1
        # An offtake is the investor's share of what the plant makes of the oxides it covers,
        # up to the tonnes agreed.
        for k, (buyer, tonnes, years, price, covered) in enumerate(project.offtakes):
            covered_mix = float(sum(mix[m] for m in covered))
            if covered_mix <= 0:
                continue
            share = min(1.0, tonnes / (firm.capacity_tpy * covered_mix)) if firm.capacity_tpy > 0 else 0.0
            for m in covered:
                if mix[m] <= 0:
                    continue
                material = MATERIALS[m]
                self.ledger.sign(Contract(
                    id=f"{project.id}-offtake-{k + 1}-{material.value}", seller=firm.firm_id, buyer=buyer,
                    material=material, tonnes_per_year=tonnes * mix[m] / covered_mix,
                    price=price if price > 0 else float(self.reference_price[m]),
                    start=start, end=start + years * 4 - 1, share_of_output=share,
                ))

    def scenario_collection_rate(self, code: str) -> float:
        """The share of end-of-life magnets the nation collected when the level began."""
        return next(n.collection_rate for n in self.scenario.world.nations if n.code == code)

    def has_nation(self, code: str) -> bool:
        return code in self._nation_index

    def hold_talks(self, nation: str, partner: str) -> float:
        """Talks close a share of the gap between tension and its baseline, both ways."""
        eased = 0.0
        for a, b in ((partner, nation), (nation, partner)):
            side = self.nation(a)
            gap = side.tension_with(b) - side.baseline_tension.get(b, 0.0)
            if gap > 0:
                side.change_tension(b, -TALKS_EASE * gap)
                eased = max(eased, TALKS_EASE * gap)
        self.report("diplomacy", "{nation} and {partner} hold talks", nation=self.nation(nation).name,
                    partner=self.nation(partner).name)
        return eased

    def fund_recycling(self, nation: str, recycler: str, amount_musd: float) -> float:
        """A nation pays for new recycling capacity; the host approves it, then it is built."""
        firm = self.firm(recycler)
        adds = amount_musd * 1e6 / CAPEX_USD_PER_TPY[Role.RECYCLER]
        project = Project(f"{recycler}-funded-{self.quarter}-{len(self.projects)}", recycler, firm.nation, adds,
                          EXPANSION_LEAD[Role.RECYCLER], amount_musd, EXPANSION_DELAY_CHANCE, 0.0,
                          self.rng.spawn(1)[0])
        project.fund(nation, amount_musd)
        self.nation(nation).budget_musd -= amount_musd
        self.projects[project.id] = project
        self.propose_project(project)
        return adds

    def fund_magnet_research(self, nation: str, amount_musd: float) -> tuple[Quarter, float]:
        """Research that, when done, cuts the Dy/Tb in the nation's magnets (diminishing returns)."""
        cut = MAX_RESEARCH_CUT * (1.0 - np.exp(-amount_musd / RESEARCH_SCALE_MUSD))
        ready = self.quarter + RESEARCH_QUARTERS
        self.nation(nation).budget_musd -= amount_musd
        self._research.append((ready, nation, cut))
        return ready, cut

    def _finish_research(self) -> None:
        done = [r for r in self._research if r[0] <= self.quarter]
        self._research = [r for r in self._research if r[0] > self.quarter]
        for _, nation, cut in done:
            for maker in (b for b in self.buyers_in[nation] if isinstance(b, MagnetMakerFirm)):
                maker.dy_share *= 1.0 - cut
                maker.min_dy_share *= 1.0 - cut
            self.report("research", "{nation}'s magnets need {cut:.0%} less Dy/Tb", nation=self.nation(nation).name, cut=cut)

    def sign_partnership(self, nation: str, partner: str) -> None:
        """A supply partnership: the partner approves projects this nation helps finance sooner,
        its plants treat this nation as a preferred buyer, and tension between them eases."""
        self.nation(nation).partners.add(partner)
        self.nation(partner).partners.add(nation)
        for a, b in ((nation, partner), (partner, nation)):
            self.nation(a).change_tension(b, -PARTNERSHIP_EASE)
        self.report("diplomacy", "{nation} and {partner} sign a supply partnership", nation=self.nation(nation).name,
                    partner=self.nation(partner).name)

    def support_industry(self, nation: str, amount_musd: float) -> float:
        """Emergency support: the nation's buyers can pay more this quarter, in proportion to
        the money against a quarter of their purchases; the market decides what it buys."""
        buyers = self.buyers_in[nation]
        spend = sum(float(b.requirement @ self.expected_prices[self.nation_index(nation)]) for b in buyers) / 1000.0
        boost = min(MAX_SUPPORT_BOOST, amount_musd / spend) if spend > 0 else 0.0
        for buyer in buyers:
            buyer.support = boost
        self.nation(nation).budget_musd -= amount_musd
        return boost

    def deep_sea_programme(self, nation: str) -> DeepSeaProgramme:
        if nation not in self.deep_sea:
            self.deep_sea[nation] = DeepSeaProgramme(nation, self.rng.spawn(1)[0])
        return self.deep_sea[nation]

    def fund_deep_sea(self, nation: str) -> str:
        programme = self.deep_sea_programme(nation)
        stage = programme.fund(self.quarter)
        self.nation(nation).budget_musd -= stage.cost_musd
        self.report("deep_sea", "Minamitorishima programme: {stage} begins ({n} quarters, {chance:.0%} chance of success)",
                    stage=stage.name.replace("_", " "), n=stage.quarters, chance=stage.success_chance)
        return stage.name

    def _advance_deep_sea(self) -> None:
        for code, programme in self.deep_sea.items():
            ended = programme.advance(self.quarter)
            if ended is None:
                continue
            stage, succeeded = ended
            self.nation(code).environmental_impact = min(
                1.0, self.nation(code).environmental_impact + stage.environmental_impact)
            if succeeded and stage.adds_tpy > 0:
                for firm_id in DEEP_SEA_FIRMS:
                    if self.has_firm(firm_id):
                        self.firm(firm_id).capacity_tpy += stage.adds_tpy
            self.report("deep_sea", "Minamitorishima programme: {stage} succeeds" if succeeded
                        else "Minamitorishima programme: {stage} fails", stage=stage.name.replace("_", " "))

    def take_fright(self, exporter: str, target: str, blocked_share: float) -> None:
        """An embargo frightens its target most, and every other importer somewhat."""
        for nation in self.nation_list:
            if nation.code == target:
                nation.take_fright(EMBARGO_FRIGHT * blocked_share)
            elif nation.code != exporter and self.buyers_in[nation.code]:
                nation.take_fright(BYSTANDER_FRIGHT * blocked_share)

    def close(self) -> None:
        """Free what Mesa 3.3 keeps per model (``Agent._ids`` holds every model alive)."""
        ids = getattr(mesa.Agent, "_ids", None)
        if ids is not None:
            ids.pop(self, None)


#: Capital cost of new capacity (US$ per t/yr) and quarters to build it, by stage.
#: Assumption, in the range of the 2011 projects: LAMP US$500M for 11,000 t/yr
#: (lynas_lamp_capacity), Mountain Pass US$780M for 5,500 t/yr of first output.
CAPEX_USD_PER_TPY = {Role.MINER: 25_000.0, Role.SEPARATOR: 20_000.0, Role.RECYCLER: 8_000.0,
                     Role.MAGNET_MAKER: 10_000.0}
EXPANSION_DELAY_CHANCE = 0.1
#: Emergency support can at most double what buyers will pay, for one quarter.
MAX_SUPPORT_BOOST = 1.0
#: The deep-sea venture and its processing plant, which the programme's stages build.
DEEP_SEA_FIRMS = ("minamitorishima-mud", "minamitorishima-processing")
#: Talks close this share of the gap between tension and its baseline (assumption).
TALKS_EASE = 0.3
#: Magnet R&D: at most this cut in Dy/Tb per magnet, reached with diminishing returns on
#: money (assumption: about half of it for US$200M), after about two years.
MAX_RESEARCH_CUT = 0.5
RESEARCH_SCALE_MUSD = 300.0
RESEARCH_QUARTERS = 8
#: A partner nation's chance each quarter of approving a project it hosts (assumption: about a
#: year on average; Lynas waited for its Malaysian licence, lynas_lamp_tol), better with foreign
#: money behind it, worse when the host is at odds with the investor.
APPROVAL_CHANCE = 0.3
FOREIGN_MONEY_BONUS = 0.3
TENSION_PENALTY = 0.5
PARTNER_BONUS = 0.2
PARTNERSHIP_EASE = 0.05
COMMISSIONING_SHARE = 0.25
COMMISSIONING_QUARTERS = 3
EXPANSION_LEAD = {Role.MINER: 8, Role.SEPARATOR: 6, Role.RECYCLER: 3, Role.MAGNET_MAKER: 6}


def _input_price_ratio(maker: ManufacturerFirm, expected: np.ndarray, reference: np.ndarray,
                       magnet_recipe: np.ndarray) -> float:
    """Expected cost of a manufacturer's rare-earth inputs over their cost at reference prices."""
    weights = maker.magnet_need_tpy * magnet_recipe
    weights[2] += maker.cela_need_tpy
    base = float(weights @ reference)
    return float(weights @ expected) / base if base > 0 else 1.0


def _freight_matrix(spec) -> np.ndarray:
    """US$/kg to ship between each pair of nations: a base cost plus a little per distance."""
    lon, lat = (np.radians(np.array([n.lonlat[k] for n in spec.nations])) for k in (0, 1))
    # Great-circle distance (haversine), in thousands of km.
    dlat = lat[:, None] - lat[None, :]
    dlon = lon[:, None] - lon[None, :]
    a = np.sin(dlat / 2) ** 2 + np.cos(lat[:, None]) * np.cos(lat[None, :]) * np.sin(dlon / 2) ** 2
    distance = 2 * 6.371 * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    freight = spec.freight_usd_per_kg + spec.freight_usd_per_kg_per_1000km * distance
    np.fill_diagonal(freight, 0.0)
    return freight


__all__ = ["RareEarthWorld", "FLOW_KINDS", "MATERIALS", "Role"]
