"""The indicators recorded every turn: one reporter per column of a run's CSV.

Each reporter reads the world after a turn's phases; none changes it. Reporters are functions
of this module, or partials of them: the world holds its collector, so a world (and a session)
pickles only if they do.
"""

from __future__ import annotations

from copy import deepcopy
from functools import cached_property, partial
import mesa
import numpy as np

from agents.buyers import ManufacturerFirm
from agents.firm import FirmAgent, stocks_of, sums_in_order
from agents.nation import NationAgent
from agents.producers import MinerFirm, RecyclerFirm, SeparatorFirm, output_mixes_of
from game.vocab.arithmetic import added_up
from game.vocab.materials import MATERIAL_INDEX, N_MATERIALS, Material, Role
from game.vocab.nations import AUSTRALIA, CHINA, JAPAN, MYANMAR, UNITED_STATES
from game.world.agent_records import AgentRecords, QuarterRows

#: Lynas's plants are the firms named so in the world files (lynas-lamp; a level may add more).
LYNAS_ID_PREFIX = "lynas"


def price(material: Material, nation: str):
    """A reporter of the price of ``material`` in ``nation``'s market."""
    return partial(_price, MATERIAL_INDEX[material], nation)


def _price(m: int, nation: str, world: mesa.Model) -> float:
    return float(world.prices[world.nation_index(nation), m])


def output_index(world: mesa.Model, nation: str = JAPAN) -> float:
    """Weighted fill rate of the nation's manufacturers: 1.0 = industry fully supplied."""
    makers = [b for b in world.buyers_in[nation] if isinstance(b, ManufacturerFirm)]
    weight = added_up(m.output_weight for m in makers)
    return float(added_up(m.output_weight * m.fill for m in makers) / weight) if weight > 0 else 1.0


def china_share(world: mesa.Model, nation: str = JAPAN) -> float:
    """Share of the tonnes the nation's buyers received this quarter that came from China."""
    j = world.nation_index(nation)
    received = float(world.receipts[:, :, j].sum())
    if received <= 0.0:
        return 0.0
    return float(world.receipts[:, world.nation_index(CHINA), j].sum()) / received


def demand_t(world: mesa.Model, nation: str = JAPAN) -> float:
    """Tonnes of rare-earth oxide the nation's industry needed this quarter."""
    return _readings_of(world).demand_t(nation)


def stockpile_days(world: mesa.Model, nation: str = JAPAN) -> float:
    """Days of the nation's use of rare earths its stockpile holds (``days_of_use_held``)."""
    return days_of_use_held(world.nation(nation).stockpile, need_by_material(world, nation),
                            world.reference_price, world.quarter.days)


def days_of_use_held(stock: np.ndarray, need: np.ndarray, worth: np.ndarray, days: int) -> float:
    """Days of the industry's use of rare earths a stockpile holds: the per-material days of
    use, averaged by what the industry's need of each is worth at the world's reference prices
    (``stock`` and ``need``, a quarter's, in tonnes per material; ``days`` in the quarter).

    Counted over every material the industry needs, so that buying any of them adds days and
    releasing any takes them away. Counted over the materials held only (as it was), 250 t of
    cheap Ce/La bought cut the figure from 80 days to 30, since it brought Ce/La's large need
    into the count, and releasing all the NdPr raised it from 17 to 106, leaving Dy/Tb's small
    need alone: the objectives judged on it rewarded the opposite of stockpiling. Weighed by
    value rather than tonnes, a tonne of Dy/Tb is not outweighed by a tonne of Ce/La, and a
    dollar spent at reference prices buys about as many days whatever it buys."""
    daily = float(np.add.reduce(need * worth)) / days
    return float(np.add.reduce(stock * worth)) / daily if daily > 0 else 0.0


def need_by_material(world: mesa.Model, nation: str = JAPAN) -> np.ndarray:
    """Oxide the nation's industry needs this quarter, per material (magnets by their recipe)."""
    need = added_up((b.requirement for b in world.buyers_in[nation] if not isinstance(b, ManufacturerFirm)),
               start=np.zeros(N_MATERIALS))
    for buyer in world.buyers_in[nation]:
        if isinstance(buyer, ManufacturerFirm):
            need[MATERIAL_INDEX[Material.CELA]] += buyer.cela_need
    return need


def secured_share(world: mesa.Model, nation: str = JAPAN) -> float:
    """Tonnes a year the nation has secured outside China, over a year of its industry's needs:
    long-term contracts still to run, plus offtake rights in projects still being built (which
    become contracts once built, and vanish if the project fails). Counts commitments when
    they are made, so a level can reward diversification whose tonnes arrive after it ends."""
    need = 4.0 * demand_t(world, nation)
    if need <= 0.0:
        return 0.0
    secured = 0.0
    for contract in world.ledger.contracts:
        if (contract.buyer == nation and not contract.cancelled and contract.end >= world.quarter
                and world.firm(contract.seller).nation != CHINA):
            secured += contract.tonnes_per_year
    for project in world.projects.values():
        # Most projects are firms' own expansions, with no offtakes: passed over first.
        if project.offtakes and not project.done and not project.failed and project.host != CHINA:
            secured += added_up(tonnes for buyer, tonnes, *_ in project.offtakes if buyer == nation)
    return secured / need


def recyclers_of_scrap(world: mesa.Model, nation: str = JAPAN) -> list[RecyclerFirm]:
    """The recyclers in business (a mothballed one too) that take the nation's scrap, in the
    world's order."""
    return [f for f in world.firms_of(RecyclerFirm) if f.alive and nation in [n.code for n in f.scrap_sources]]


def recycling_tpy(world: mesa.Model, nation: str = JAPAN) -> float:
    """Recycling capacity (t/yr of oxide) at plants that take the nation's scrap and are still in
    business (a mothballed plant counts: it reopens when scrap and prices return)."""
    return float(added_up(f.capacity_tpy for f in recyclers_of_scrap(world, nation)))


def recycled_tpy(world: mesa.Model, nation: str = JAPAN) -> float:
    """Oxide recycled last quarter from the nation's scrap, at a yearly rate (t/yr): what its
    urban mine yields, which capacity alone does not (a recycler makes no more than the scrap
    collected for it; the collection rules decide that)."""
    return 4.0 * float(added_up(f.output_t for f in recyclers_of_scrap(world, nation)))


def deep_sea_stages(world: mesa.Model, nation: str = JAPAN) -> float:
    """Stages of the nation's deep-sea mud programme completed (0 to 5)."""
    programme = world.deep_sea.get(nation)
    return float(programme.done) if programme is not None else 0.0


def imports_t(world: mesa.Model, nation: str = JAPAN) -> float:
    j = world.nation_index(nation)
    received = world.receipts[:, :, j].sum(axis=0)
    return float(received.sum() - received[j])


def received_outside_china_t(world: mesa.Model, nation: str = JAPAN) -> float:
    """Tonnes of oxide that arrived this quarter from anywhere but China, its own plants
    included: what diversification has actually delivered, not what contracts promise."""
    j = world.nation_index(nation)
    received = float(world.receipts[:, :, j].sum())
    if world.has_nation(CHINA):
        received -= float(world.receipts[:, world.nation_index(CHINA), j].sum())
    return max(received, 0.0)  # a difference of two sums: all from China left -9e-13 t, not 0


def exports_t(world: mesa.Model, nation: str = CHINA) -> float:
    i = world.nation_index(nation)
    sent = world.receipts[:, i, :].sum(axis=0)
    return float(sent.sum() - sent[i])


def tension(world: mesa.Model, nation: str = CHINA, partner: str = JAPAN) -> float:
    return float(world.nation(nation).tension_with(partner))


def mined_t(nation: str | None = None):
    """Tonnes of rare-earth oxide in the ore the nation's mines and deep-sea ventures dug this
    quarter (every nation's, if None). All of the ore's REO, not only the share this world
    trades, because the production statistics it is compared with count all of it."""
    return partial(_mined_t, nation)


def _mined_t(nation: str | None, world: mesa.Model) -> float:
    everyone, by_nation = _readings_of(world).mined
    return float(everyone if nation is None else by_nation.get(nation, 0))


def lynas_ndpr_t(world: mesa.Model) -> float:
    """NdPr oxide Lynas's separation plants made this quarter (Lynas reports it by fiscal year)."""
    ndpr = MATERIAL_INDEX[Material.NDPR]
    return float(added_up(p.output_t * p.output_mix()[ndpr] for p in _readings_of(world).lynas_plants))


def oxide_need_t(material: Material):
    """Tonnes of the oxide the world's manufacturers would use this quarter at full output, in
    the magnets their home makers make (each nation's recipe, thrift included)."""
    return partial(_oxide_need_t, MATERIAL_INDEX[material])


def _oxide_need_t(m: int, world: mesa.Model) -> float:
    readings = _readings_of(world)
    share = readings.magnet_recipes[:, m]
    return _sum_in_order(readings.magnet_need * share[world.homes_of(ManufacturerFirm)])


def oxide_made_t(material: Material):
    """Tonnes of the oxide the world's separation plants and recyclers made this quarter."""
    return partial(_oxide_made_t, MATERIAL_INDEX[material])


def _oxide_made_t(m: int, world: mesa.Model) -> float:
    return _sum_in_order(_readings_of(world).made_by_working_sellers[:, m])


def oxide_stock_t(material: Material):
    """Tonnes of the oxide the world's sellers hold at the end of the quarter, unsold."""
    return partial(_oxide_stock_t, MATERIAL_INDEX[material])


def _oxide_stock_t(m: int, world: mesa.Model) -> float:
    return _sum_in_order(_readings_of(world).stock_of_working_sellers[:, m])


#: Where a collection keeps its readings on the world while it runs.
_READINGS = "_indicator_readings"
#: Where a world keeps its Lynas plants, found once (``_Readings.lynas_plants``).
_LYNAS_PLANTS = "_lynas_plants"


class _Readings:
    """Figures of the world's firms that several indicators read, each read when first asked
    for. A collection reads them once for all its indicators (``QuarterCollector.collect``):
    at 10,000 firms each is a walk of thousands of firms, which the NdPr and the Dy/Tb columns
    each made. Outside a collection an indicator reads them afresh (``_readings_of``)."""

    def __init__(self, world: mesa.Model):
        self.world = world
        self._demand_t: dict[str, float] = {}

    def demand_t(self, nation: str) -> float:
        """``demand_t`` of the nation, added up when first asked for (its own column and the
        secured share both read it, each a walk of all the nation's buyers)."""
        total = self._demand_t.get(nation)
        if total is None:
            total = 0.0
            for buyer in self.world.buyers_in[nation]:
                if isinstance(buyer, ManufacturerFirm):
                    total += buyer.magnet_need + buyer.cela_need
            self._demand_t[nation] = total
        return total

    @cached_property
    def lynas_plants(self) -> tuple[SeparatorFirm, ...]:
        # A world's firms, their ids and roles never change: found once, kept on the world
        # (a copy of the world has its own).
        world = vars(self.world)
        found = world.get(_LYNAS_PLANTS)
        if found is None:
            found = world[_LYNAS_PLANTS] = tuple(p for p in self.world.firms_of(SeparatorFirm)
                                                 if p.role == Role.SEPARATOR and p.firm_id.startswith(LYNAS_ID_PREFIX))
        return found

    @cached_property
    def _seller_alive(self) -> np.ndarray:
        return np.array([s.alive for s in self.world.sellers], dtype=bool)

    @cached_property
    def made_by_working_sellers(self) -> np.ndarray:
        """Each seller still in business's output of each oxide this quarter, a row each in the
        world's order (the made columns read them)."""
        sellers, alive = self.world.sellers, self._seller_alive
        output = np.array([s.output_t for s in sellers], dtype=float)
        return output[alive][:, None] * output_mixes_of(sellers)[alive]  # the world's list, whose layout is kept

    @cached_property
    def stock_of_working_sellers(self) -> np.ndarray:
        """Each seller still in business's stock of each oxide, a row each in the world's order."""
        return stocks_of(self.world.sellers)[self._seller_alive]

    @cached_property
    def mined(self) -> tuple[float, dict[str, float]]:
        """Tonnes the world's mines dug this quarter, and each nation's that has mines: each
        added up mine after mine in the world's order, in one pass for the five columns."""
        dug = [(m.output_t, m.nation) for m in self.world.firms_of(MinerFirm)]
        by_nation: dict[str, float] = {}
        for tonnes, nation in dug:
            by_nation[nation] = by_nation.get(nation, 0) + tonnes
        return added_up(tonnes for tonnes, _ in dug), by_nation

    @cached_property
    def magnet_recipes(self) -> np.ndarray:
        """Each nation's ``magnet_recipe``, a row per nation (the NdPr and Dy/Tb columns read them)."""
        return self.world.industry.recipe_rows()

    @cached_property
    def magnet_need(self) -> np.ndarray:
        return np.array([b.magnet_need for b in self.world.firms_of(ManufacturerFirm)], dtype=float)


def _readings_of(world: mesa.Model) -> _Readings:
    """The readings of the collection under way, or fresh ones outside a collection."""
    readings = vars(world).get(_READINGS)
    return _Readings(world) if readings is None else readings


def _sum_in_order(values: np.ndarray) -> float:
    """``float(added_up(values))``: left to right from 0, as a loop adds them (NumPy's own sum adds
    pairwise, which can differ in the last bit)."""
    return float(added_up(values.tolist()))


def turn_of(world: mesa.Model) -> int:
    return world.turn


def quarter_of(world: mesa.Model) -> str:
    return str(world.quarter)


def japan_budget_musd(world: mesa.Model) -> float:
    return float(world.nation(JAPAN).budget_musd)


def japan_political_capital(world: mesa.Model) -> float:
    return float(world.nation(JAPAN).political_capital)


def japan_environmental_impact(world: mesa.Model) -> float:
    return float(world.nation(JAPAN).environmental_impact)


REPORTERS = {
    "turn": turn_of,
    "quarter": quarter_of,
    "price_ndpr_japan": price(Material.NDPR, JAPAN),
    "price_ndpr_china": price(Material.NDPR, CHINA),
    "price_dytb_japan": price(Material.DYTB, JAPAN),
    "price_dytb_china": price(Material.DYTB, CHINA),
    "price_cela_japan": price(Material.CELA, JAPAN),
    "price_cela_china": price(Material.CELA, CHINA),
    "japan_output_index": output_index,
    "japan_china_share": china_share,
    "japan_stockpile_days": stockpile_days,
    "japan_demand_t": demand_t,
    "japan_imports_t": imports_t,
    "china_exports_t": exports_t,
    "china_tension_japan": tension,
    "japan_budget_musd": japan_budget_musd,
    "japan_political_capital": japan_political_capital,
    "japan_environmental_impact": japan_environmental_impact,
    "japan_secured_share": secured_share,
    "japan_recycling_tpy": recycling_tpy,
    "japan_recycled_tpy": recycled_tpy,
    "japan_deep_sea_stages": deep_sea_stages,
    "world_mined_t": mined_t(),
    "china_mined_t": mined_t(CHINA),
    "usa_mined_t": mined_t(UNITED_STATES),
    "australia_mined_t": mined_t(AUSTRALIA),
    "myanmar_mined_t": mined_t(MYANMAR),
    "lynas_ndpr_t": lynas_ndpr_t,
    "japan_received_outside_china_t": received_outside_china_t,
    "world_ndpr_need_t": oxide_need_t(Material.NDPR),
    "world_ndpr_made_t": oxide_made_t(Material.NDPR),
    "world_ndpr_stock_t": oxide_stock_t(Material.NDPR),
    "world_dytb_need_t": oxide_need_t(Material.DYTB),
    "world_dytb_made_t": oxide_made_t(Material.DYTB),
    "world_dytb_stock_t": oxide_stock_t(Material.DYTB),
}


# --------------------------------------------------------------------------- agent reporters
# Mesa's agent reporters: one row per agent per quarter (``batch_run`` returns them beside the
# model's; ``game.research.RunResult.agents_frame`` reads them). Nations and firms share one
# table, so each reporter answers for both kinds (None where a figure does not apply).


def agent_name(agent) -> str:
    """The firm's id or the nation's code: what levels, saves and news call it."""
    return getattr(agent, "firm_id", None) or agent.code


def agent_kind(agent) -> str:
    """``nation``, or the firm's role (miner, separator, recycler, magnet_maker, manufacturer...)."""
    role = getattr(agent, "role", None)
    if role is None:
        return "nation" if hasattr(agent, "code") else type(agent).__name__
    return role.value if hasattr(role, "value") else str(role)


def agent_nation(agent) -> str:
    return getattr(agent, "nation", None) or agent.code


def agent_output_t(agent) -> float | None:
    """Tonnes the firm produced (dug, separated, recovered, made) this quarter."""
    output = getattr(agent, "output_t", None)
    return None if output is None else float(output)


def agent_cash_musd(agent) -> float | None:
    """The firm's cash, or the nation's budget left this quarter, US$ million."""
    cash = getattr(agent, "cash_musd", None)
    if cash is None:
        cash = getattr(agent, "budget_musd", None)
    return None if cash is None else float(cash)


def agent_stock_t(agent) -> float:
    """Tonnes held: the firm's inventory, or the nation's stockpile, all materials."""
    held = getattr(agent, "inventory", None)
    if held is None:
        held = getattr(agent, "stockpile", None)
    return 0.0 if held is None else float(np.add.reduce(held))  # np.sum's arithmetic, without its wrapper


def agent_tension(agent) -> float | None:
    """A nation's highest tension with any other nation, 0 to 1 (None for a firm)."""
    tension = getattr(agent, "tension", None)
    if not isinstance(tension, dict):
        return None
    return float(max(tension.values(), default=0.0))


def agent_operating(agent) -> bool | None:
    """Whether the firm is working (not bankrupt, not mothballed); None for a nation."""
    if not hasattr(agent, "firm_id"):
        return None
    return bool(agent.alive and not agent.mothballed)


def firm_identity(firm: FirmAgent) -> tuple:
    """The first values of a firm's row, which never change: its id, its role, its nation."""
    role = firm.role
    return firm.firm_id or firm.code, role.value if hasattr(role, "value") else str(role), firm.nation or firm.code


def nation_agent_row(nation: NationAgent) -> tuple:
    """A nation's values of ``AGENT_REPORTERS``, in their order (what each reporter answers for
    a nation, without asking eight times which kind of agent it has)."""
    code = nation.code
    return (code, "nation", code, None, float(nation.budget_musd), float(np.add.reduce(nation.stockpile)),
            float(max(nation.tension.values(), default=0.0)), None)


AGENT_REPORTERS = {
    "agent": agent_name,
    "kind": agent_kind,
    "nation": agent_nation,
    "output_t": agent_output_t,
    "cash_musd": agent_cash_musd,
    "stock_t": agent_stock_t,
    "tension": agent_tension,
    "operating": agent_operating,
}


class QuarterCollector(mesa.DataCollector):
    """Mesa's DataCollector, with the agents' rows kept under the same index as the model's: row
    ``k`` of both is the level's quarter ``k + 1``. (Mesa keys agent rows by ``model.steps``,
    which counts from 1 in a step and goes on counting in a world that continues a history; so
    ``batch_run`` would pair a quarter's indicators with the agents of the quarter before.)"""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._agent_records = AgentRecords()  # a quarter's rows built when read
        #: The world's agents in Mesa's order, the places of the firms among them and each
        #: firm's unique id, id, role and nation: read once, as a world's agents never change
        #: once it is built (a failed firm stays, not alive).
        self._agents: list | None = None
        self._firms: list[FirmAgent] = []
        self._firm_places: list[int] = []
        self._other_places: list[int] = []
        self._firm_identities: tuple[tuple, ...] = ((),) * 4  # four columns

    def _record_agents(self, model):
        """Mesa's agent rows, with the firms' rows built column by column and a nation's in one
        step: the same values the reporters give (a test checks it), at a fraction of the cost
        of eight reporter calls per agent that each probe which kind of agent they have."""
        if self.agent_reporters != AGENT_REPORTERS:
            return super()._record_agents(model)
        return self._quarter_rows(model).rows()

    def _quarter_rows(self, model) -> QuarterRows:
        """This quarter's agent rows, read now and kept as columns (``QuarterRows``)."""
        agents = self._agents
        if agents is None or len(agents) != len(model.agents):
            agents = self._agents = list(model.agents)
            self._firm_places = [k for k, agent in enumerate(agents) if isinstance(agent, FirmAgent)]
            self._other_places = [k for k, agent in enumerate(agents) if not isinstance(agent, FirmAgent)]
            identities = [(agents[k].unique_id, *firm_identity(agents[k])) for k in self._firm_places]
            self._firm_identities = tuple(zip(*identities)) if identities else ((),) * 4
            self._firms = [agents[k] for k in self._firm_places]
        firms = self._firms
        steps = model.steps
        # A firm's output, cash, stock and whether it works, a column at a time (its stock a sum of
        # three in order, as ``added_up`` adds).
        output = np.array([firm.output_t for firm in firms], dtype=float)
        cash = np.array([firm.cash_musd for firm in firms], dtype=float)
        stock = sums_in_order(stocks_of(firms))
        working = np.array([firm.alive and not firm.mothballed for firm in firms], dtype=bool)
        reporters = tuple(AGENT_REPORTERS.values())
        others = [(steps, agent.unique_id, *nation_agent_row(agent)) if type(agent) is NationAgent
                  else (steps, agent.unique_id, *(report(agent) for report in reporters))
                  for agent in (agents[k] for k in self._other_places)]
        first = self._other_places == list(range(len(others)))  # the nations first, as a world adds them
        return QuarterRows(steps, others, (*self._firm_identities, output, cash, stock, working),
                           None if first else (self._firm_places, self._other_places))

    def collect(self, model) -> None:
        # The agents' rows are kept as columns until read (AgentRecords): Mesa's collector
        # would build every row's tuple each quarter, which the game never reads. The game's
        # own indicators, once Mesa has validated them (its first collection), are recorded
        # here too (``_collect_indicators``); Mesa's collector records the rest.
        own_rows = self.agent_reporters == AGENT_REPORTERS
        own_indicators = self._validated and self.model_reporters == REPORTERS
        vars(model)[_READINGS] = _Readings(model)  # read once for every indicator
        try:
            if own_indicators:
                self._collect_indicators(model)
            model_reporters, agent_reporters = self.model_reporters, self.agent_reporters
            if own_indicators:
                self.model_reporters = {}
            if own_rows:
                self.agent_reporters = {}
            try:
                super().collect(model)
            finally:
                self.model_reporters, self.agent_reporters = model_reporters, agent_reporters
        finally:
            del vars(model)[_READINGS]
        index = len(self.model_vars["turn"]) - 1
        if own_rows:
            self._agent_records[index] = self._quarter_rows(model)
            return
        records = self._agent_records.pop(model.steps, None)
        if records is not None:
            self._agent_records[index] = records

    def _collect_indicators(self, model) -> None:
        """The game's own indicators (``REPORTERS``), as Mesa's ``collect`` records them once it
        has validated them: each a function or partial of the world, its value kept as a deep
        copy. Their values are numbers and strings, which a deep copy returns as they are, so
        only another kind of value is copied; and the reporters' kinds are known, so none is
        asked which it is (Mesa asks, and copies, each of the 34 every quarter)."""
        model_vars = self.model_vars
        for var, reporter in self.model_reporters.items():
            value = reporter(model)
            model_vars[var].append(value if type(value) in _ATOMIC else deepcopy(value))


#: The kinds of value a deep copy returns as they are (``copy``'s atomic types that reporters give).
_ATOMIC = frozenset((float, int, str, bool, type(None)))


def new_datacollector(agents: bool = True) -> QuarterCollector:
    """The world's DataCollector: a row of indicators each quarter and, with ``agents``, a row
    per agent (about 5-9% of a turn's cost; a sweep that keeps only the indicators goes without)."""
    return QuarterCollector(model_reporters=REPORTERS, agent_reporters=AGENT_REPORTERS if agents else None)


# --------------------------------------------------------------------------- one nation's indicators
# What a workshop team reads for the nation it plays (Japan's columns above are the game's own).


def world_mining_share(world: mesa.Model, nation: str) -> float:
    """The nation's share of the ore the world's mines dug this quarter."""
    everyone = mined_t()(world)
    return mined_t(nation)(world) / everyone if everyone > 0 else 0.0


def highest_tension(world: mesa.Model, nation: str) -> float:
    """The worst of the nation's relations: its highest tension with any other nation, either way."""
    others = [code for code in world.nation_codes if code != nation]
    return float(max((max(world.nation(nation).tension_with(code), world.nation(code).tension_with(nation))
                      for code in others), default=0.0))


def export_value_musd(world: mesa.Model, nation: str) -> float:
    """What the nation's exports of oxide earned this quarter, US$ million: the tonnes each
    partner received from it at the price in the partner's market."""
    i = world.nation_index(nation)
    sent = world.receipts[:, i, :].copy()  # [material, to]
    sent[:, i] = 0.0
    return float((sent * world.prices.T).sum() / 1000.0)


#: Each column of a nation's rows and what reports it.
NATION_REPORTERS = {
    "output_index": output_index,
    "china_share": china_share,
    "stockpile_days": stockpile_days,
    "secured_share": secured_share,
    "budget_musd": lambda w, code: float(w.nation(code).budget_musd),
    "political_capital": lambda w, code: float(w.nation(code).political_capital),
    "mined_t": lambda w, code: mined_t(code)(w),
    "world_mining_share": world_mining_share,
    "exports_t": exports_t,
    "export_value_musd": export_value_musd,
    "imports_t": imports_t,
    "received_outside_china_t": received_outside_china_t,
    "royalties_musd": lambda w, code: float(w.nation(code).royalties_musd),
    "highest_tension": highest_tension,
    "tension_with_china": lambda w, code: tension(w, code, CHINA) if code != CHINA else 0.0,
    "price_ndpr": lambda w, code: float(w.prices[w.nation_index(code), MATERIAL_INDEX[Material.NDPR]]),
}


def nation_row(world: mesa.Model, nation: str) -> dict[str, float | int | str]:
    """The quarter just played, as the nation's team reads it."""
    row: dict[str, float | int | str] = {"turn": world.turn, "quarter": str(world.quarter)}
    for column, reporter in NATION_REPORTERS.items():
        row[column] = float(reporter(world, nation))
    return row


# --------------------------------------------------------------------------- one company's indicators
# What a workshop team playing a company (its firms: game.company_levers) reads each quarter.


def company_row(world: mesa.Model, firm_ids: tuple[str, ...]) -> dict[str, float]:
    """The quarter just played, as the company's team reads it: its books, its plants' output
    and its place among the producers outside China."""
    firms = [world.firm(firm_id) for firm_id in firm_ids]
    plants = [f for f in firms if isinstance(f, SeparatorFirm)]
    ndpr = MATERIAL_INDEX[Material.NDPR]
    made = added_up(p.output_t * p.output_mix()[ndpr] for p in plants if p.alive)
    outside = added_up(s.output_t * s.output_mix()[ndpr] for s in world.sellers if s.alive and s.nation != CHINA)
    alive = [f for f in firms if f.alive]
    return {
        "in_business": 1.0 if firms and len(alive) == len(firms) else 0.0,
        "cash_musd": float(added_up(f.cash_musd for f in firms)),
        "debt_musd": float(added_up(f.debt_musd for f in firms)),
        "capacity_tpy": float(added_up(p.capacity_tpy for p in plants)),
        "oxide_t": float(added_up(p.output_t for p in plants if p.alive)),
        "ndpr_t": float(made),
        "ndpr_share_outside_china": float(made / outside) if outside > 0 else 0.0,
        "running_share": float(added_up(1 for f in alive if not f.mothballed) / len(firms)) if firms else 0.0,
    }
