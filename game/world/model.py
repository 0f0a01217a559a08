"""RareEarthWorld: the Mesa model. One step is one quarter; ``step`` reads as its phases.

Each phase is a component in its own module, holding its own per-quarter state and the
lever entry points that act through its mechanism:

- events (``events.py``): firms that change hands take their new names (``firm_names.py``)
  and the level's scheduled events fire (``open_turn``; the session lets the players act after this);
- diplomacy (``diplomacy.py``): tension eases, exporters decide their pressure, embargoes
  frighten importers; talks, partnerships, WTO cases;
- offtakes (``offtakes.py``): nations short of secure supply bargain for contracts;
- production (``production.py``): mines dig, plants separate, recyclers recover scrap;
- exchange (``exchange.py``): contracts deliver, then each material clears on the spot market;
- industry (``industry.py``): magnets are made and manufacturers produce; buyers adapt;
- investment (``investment.py``): projects advance; firms mothball, expand, fail, restart;
- record (``indicators.py``): the DataCollector takes a row of indicators and one per agent.

The players act inside ``step``, after the events (``players``, set by the session), and the
world sets ``running = False`` when the level's last quarter is played, so Mesa's own loops
(``mesa.batch_run`` through ``game.research.level_world``) play a whole level with a strategy.
"""

from __future__ import annotations

import math
from collections import defaultdict, deque

import mesa
import numpy as np

from agents.buyers import BuyerFirm
from agents.firm import FirmAgent
from agents.nation import NationAgent
from agents.producers import RecyclerFirm, SeparatorFirm
from agents.roles import ROLE_CLASSES
from game.spec import EventSpec, Scenario
from game.vocab.materials import N_MATERIALS
from game.vocab.quarters import Quarter
from game.world import indicators
from game.world.contracts import Contract, ContractLedger
from game.world.deepsea import DeepSea
from game.world.diplomacy import Diplomacy
from game.world.events import EventQueue, apply_event, team_deciding
from game.world.firm_names import NamesDue
from game.world.news import NewsItem
from game.world.exchange import Exchange, NetworkLayout
from game.world.export_controls import TradePolicy
from game.world.industry import Industry
from game.world.investment import Investment
from game.world.offtakes import Offtakes
from game.world.production import Production
from game.world.project_streams import Pcg64Stream
from game.world.projects import Project

FLOW_KINDS = ("mined", "recycled", "released", "consumed", "stockpiled")


class RareEarthWorld(mesa.Model):
    """Nations and firms trading rare earths, quarter by quarter.

    Args:
        scenario: a validated level (see ``game.scenario.load_level``).
        rng: seed or generator; every random draw in the world comes from it.
        agent_data: record a row per agent each quarter (Mesa's agent reporters) besides the
            indicators; off, a turn costs about 5-9% less and the history is the same.
    """

    def __init__(self, scenario: Scenario, rng=None, agent_data: bool = True):
        super().__init__(rng=rng)
        self.agent_data = agent_data
        spec = scenario.world
        self.scenario = scenario
        self.assumptions = scenario.assumptions  # the behavioural constants (game.spec.Assumptions)
        self.start_quarter = scenario.start
        self.end_quarter = scenario.end
        self.turns_done = 0  # the level's turns: a world that continues another level's history restarts it
        self.quarters_simulated = 0  # every quarter this world has run, whichever level it was
        #: The rows recorded in the history this world was run through before its level's start
        #: (a level that continues another's), oldest first: the level's own rows start afresh.
        self.rows_before_start: tuple[dict, ...] = ()
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
        # Every agent is made by now: Mesa's numbering of this world's agents is no longer needed,
        # and it would keep the world alive after its session is dropped without close().
        self._release_agent_numbering()
        self._firms = {f.firm_id: f for f in self.firm_list}
        #: Names the firms take later, as they change hands; those due by the level's start already hold.
        self.names_due = NamesDue(spec.firms)
        self.names_due.give(self, self._quarter)
        self._firms_of: dict[type, tuple[FirmAgent, ...]] = {}
        self._homes_of: dict[type, np.ndarray] = {}
        self._plants_fed_by: dict[FirmAgent, list[SeparatorFirm]] = {}
        self._link_feeds()
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
        self.projects: dict[str, Project] = {}
        self._add_projects(spec.projects)
        self.events = EventQueue(scenario.events)
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
        # Recent (prices, tonnes received) per nation and material, for trading-price indices:
        # the exchange keeps the last ``assumptions.price_index_quarters``.
        self.price_history: deque[tuple[np.ndarray, np.ndarray]] = deque()

        # The phases, each with its own state and levers.
        self.diplomacy = Diplomacy(self)
        self.offtakes = Offtakes(self)
        self.production = Production(self)
        self.exchange = Exchange(self)
        self.industry = Industry(self)
        self.investment = Investment(self, self.projects)
        self.deep_sea = DeepSea(self)
        self.datacollector = indicators.new_datacollector(agent_data)
        #: Who acts for the nations each quarter, after its events and before its phases: a
        #: callable given the world (the session sets one that lets its controller submit
        #: actions), or None. So ``step()`` is a whole turn, as Mesa's batch runs expect.
        self.players = None
        #: Company roles a workshop's teams play: role code -> the ids of its firms (their
        #: ``played`` flag is set; game.company_levers acts for them).
        self.companies: dict[str, tuple[str, ...]] = {}

    def _add_projects(self, specs) -> None:
        """Each project gets its own generator, spawned from the world's in the order given."""
        for p in specs:  # one spawn each, as spawn(len(specs)) would: the same children in order
            self.projects[p.id] = Project(p.id, p.firm, p.host, p.adds_tpy, p.lead_quarters, p.cost_musd,
                                          p.delay_chance, p.fail_chance, Pcg64Stream.spawned_from(self.rng))

    def continue_as(self, scenario: Scenario) -> None:
        """Carry on as another level: this world, run to ``scenario.start`` (by the level whose
        history that one continues), becomes the level's world at its first turn.

        Kept: nations, firms and their books, stocks, prices and expectations, contracts and
        their record, projects under way, trade policy, tension and fright, WTO cases, the
        generator. Replaced: the level, its assumptions (``self.assumptions``: the level's own from
        its start on), its last quarter and the events waiting (the level's own, all dated from
        its start on). Added: the level's projects and contracts the world
        does not have yet (projects draw their generators from the world's, in the level's
        order). Dropped: projects of the history level that never started, nobody funded and
        the new level does not name (that level's future, which the new one does not offer).
        Restarted: the turn count (the level's turn 1 is its start), the news and the recorded
        rows, so the level's news and rows are its own; the rows recorded so far are kept apart
        (``rows_before_start``), for the charts of what led up to the level.
        """
        if self._turn_open or self.quarter != scenario.start:
            raise ValueError(f"a world at {self.quarter} cannot continue as a level that starts in {scenario.start}")
        spec = scenario.world
        named = {p.id for p in spec.projects}
        for project_id, project in list(self.projects.items()):
            if (project_id not in named and project.origin == "level" and project.started is None
                    and not project.funders and not project.offtakes):
                del self.projects[project_id]
        self._add_projects([p for p in spec.projects if p.id not in self.projects])
        signed = {c.id for c in self.ledger.contracts}
        for c in spec.contracts:
            if c.id not in signed:
                self.ledger.sign(Contract(c.id, c.seller, c.buyer, c.material, c.tonnes_per_year, c.price,
                                          c.start, c.end))
        self.scenario = scenario
        self.assumptions = scenario.assumptions  # the level's own, from its start on
        self.start_quarter = scenario.start
        self.end_quarter = scenario.end
        self.turns_done = 0
        self.events = EventQueue(scenario.events)
        self.news = []
        recorded = self.datacollector.model_vars
        quarters = len(next(iter(recorded.values()), []))
        self.rows_before_start += tuple({column: recorded[column][i] for column in recorded} for i in range(quarters))
        self.datacollector = indicators.new_datacollector(self.agent_data)
        self.running = True

    def _link_feeds(self) -> None:
        for firm in self.firm_list:
            if isinstance(firm, RecyclerFirm):
                firm.link_feeds([])
                firm.scrap_sources = [self.nation(code) for code in (firm.feed_ids or (firm.nation,))]
            elif isinstance(firm, SeparatorFirm):
                firm.link_feeds([self._firms[i] for i in firm.feed_ids])
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

    def has_nation(self, code: str) -> bool:
        return code in self._nation_index

    def firm(self, firm_id: str) -> FirmAgent:
        return self._firms[firm_id]

    def has_firm(self, firm_id: str) -> bool:
        return firm_id in self._firms

    def firms_of(self, cls: type[FirmAgent]) -> tuple[FirmAgent, ...]:
        """The firms of a role, in the world's order. The world's firms are fixed when it is
        built (a firm that fails stays, not alive), so each role's are looked up once: a turn
        asks a dozen times, which at 10,000 firms was a scan of every firm each time."""
        found = self._firms_of.get(cls)
        if found is None:
            found = self._firms_of[cls] = tuple(f for f in self.firm_list if isinstance(f, cls))
        return found

    def homes_of(self, cls: type[FirmAgent]) -> np.ndarray:
        """The index of each ``firms_of(cls)``'s nation, in the same order (read-only). A firm
        never moves, so each role's are looked up once."""
        found = self._homes_of.get(cls)
        if found is None:
            found = np.array([self._nation_index[f.nation] for f in self.firms_of(cls)], dtype=np.int64)
            found.flags.writeable = False
            self._homes_of[cls] = found
        return found

    def plants_fed_by(self, mine: FirmAgent) -> list[SeparatorFirm]:
        """The plants a mine feeds, in the world's order (a scan of every seller at 10,000 firms)."""
        return self._plants_fed_by.get(mine, [])

    def report(self, kind: str, template: str, source: str = "", **fields: object) -> None:
        """Add a line to the news: ``template`` in English, filled from ``fields`` (names of
        nations and firms, figures; codes and ids in fields ending ``_code`` and ``_id``),
        which are kept so the line can be worded in any language."""
        self.news.append(NewsItem(self.quarter, kind, None, source, template, tuple(fields.items())))

    # ------------------------------------------------------------------ the turn

    def company_of(self, firm_id: str) -> str:
        """The company role a team plays this firm as ("" if none)."""
        return next((code for code, firms in self.companies.items() if firm_id in firms), "")

    def team_deciding(self, event: EventSpec) -> str:
        """The role whose team now makes what was, in history, this event's own decision, or ""
        (game.world.events.team_deciding; asked of the world, the facilitator's lever, which the
        command line loads, imports no Mesa)."""
        return team_deciding(self, event)

    def bring_forward(self, event: EventSpec, fired_as: EventSpec) -> bool:
        """Fire a waiting event now, as ``fired_as`` (the same event dated today: a facilitator
        brought it forward), and take it out of the queue; False if it was not waiting."""
        if not self.events.remove(event):
            return False
        apply_event(self, fired_as)
        return True

    def open_turn(self) -> None:
        """Phase 1, events: budgets arrive, firms that changed hands take their new names and this
        quarter's events fire. Idempotent; the session calls it before the players act."""
        if self._turn_open:
            return
        self._turn_open = True
        # The nations in the order they were made, as their AgentSet would call them (a plain
        # loop costs less than its ``do``).
        for nation in self.nation_list:
            nation.start_quarter()
        self.names_due.give(self, self.quarter)  # a firm that changed hands is named so in this quarter's news
        for event in self.events.pop_due(self.quarter):
            apply_event(self, event)

    def step(self) -> None:
        self.open_turn()
        if self.players is not None:
            self.players(self)
        self._clear_quarter_books()
        self.diplomacy.decide()
        self.offtakes.negotiate()
        self.production.run()
        self.exchange.run()
        self.industry.make_and_consume()
        self.investment.build()
        self.exchange.update_expectations()
        self.investment.review_firms()
        self.diplomacy.advance_wto_cases()
        period = self.assumptions.reputation_period_quarters
        if self.quarters_simulated % period == period - 1:
            self.ledger.publish_reputations(self.quarter, period)
        self.industry.adapt()
        self.datacollector.collect(self)
        self.turns_done += 1
        self.quarters_simulated += 1
        self._quarter = self.start_quarter + self.turns_done
        self._turn_open = False
        if self.is_over:
            # The level is over: Mesa's loops (``batch_run``, ``run_model``) stop here, and the
            # world lets go of what Mesa keeps per model, so a batch of runs does not pile up.
            self.running = False
            self.close()

    def _clear_quarter_books(self) -> None:
        """This quarter's receipts, flows and sales start from nothing; last quarter's are kept."""
        self.last_receipts, self.receipts = self.receipts, np.zeros_like(self.receipts)
        for kind in FLOW_KINDS:
            self.flows[kind][:] = 0.0
        for nation in self.nation_list:
            nation.released_t[:] = 0.0
            nation.stock_bought_musd = 0.0
        self.sales_this_turn = {}
        self.spot_sales_this_turn = {}

    def close(self) -> None:
        """Free what Mesa 3.3 keeps per model (``Agent._ids`` holds every model alive). The world
        lets it go as soon as its agents are made, so a session dropped without closing is freed
        too; closing stays the way to say a world is done with, should it ever hold more."""
        self._release_agent_numbering()

    def _release_agent_numbering(self) -> None:
        """Drop this world from Mesa 3.3's class-level ``Agent._ids`` (a strong reference per
        model, used only to number new agents; the world makes none after it is built)."""
        ids = getattr(mesa.Agent, "_ids", None)
        if ids is not None:
            ids.pop(self, None)


def _freight_matrix(spec) -> np.ndarray:
    """US$/kg to ship between each pair of nations: a base cost plus a little per distance.

    Worked out with ``math`` (the C library's sine and arcsine), not NumPy's, whose vector code
    on a processor with AVX-512 differs in the last bit (see ``game.vocab.portable_math``)."""
    lon = [math.radians(n.lonlat[0]) for n in spec.nations]
    lat = [math.radians(n.lonlat[1]) for n in spec.nations]
    n_nations = len(lat)
    freight = np.zeros((n_nations, n_nations))
    for i in range(n_nations):
        for j in range(n_nations):
            if i == j:
                continue
            # Great-circle distance (haversine), in thousands of km.
            half_dlat, half_dlon = math.sin((lat[i] - lat[j]) / 2), math.sin((lon[i] - lon[j]) / 2)
            a = half_dlat * half_dlat + math.cos(lat[i]) * math.cos(lat[j]) * (half_dlon * half_dlon)
            distance = 2 * 6.371 * math.asin(math.sqrt(min(max(a, 0.0), 1.0)))
            freight[i, j] = spec.freight_usd_per_kg + spec.freight_usd_per_kg_per_1000km * distance
    return freight
