"""Frozen data describing a level: its world, events, history, objectives and campaign.

The level reader (``game.scenario``) turns TOML into these; the world, the objectives and
the window read them. They hold only checked values and import only the vocabulary, so
every floor above can share them without an import circle.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Union

from game.vocab.materials import Material, Role
from game.vocab.quarters import Quarter

# --------------------------------------------------------------------------- the world at the start


@dataclass(frozen=True)
class NationSpec:
    code: str
    name: str
    name_ja: str
    lonlat: tuple[float, float]
    budget_musd_per_quarter: float
    stockpile: tuple[float, ...]
    tension: tuple[tuple[str, float], ...]
    urban_mine_in_use: tuple[float, ...]
    product_lifetime_years: float
    collection_rate: float
    doctrine: str = "partner"


#: How a nation's AI sets its trade policy: "leverage" weighs pressure on partners against
#: revenue and WTO exposure (China); "partner" trades and signs with reliable buyers.
DOCTRINES = ("leverage", "partner")


@dataclass(frozen=True)
class FirmName:
    """A name a firm bears from a quarter on, when it changes hands: Mountain Pass, Molycorp's until
    its 2015 bankruptcy, restarted in 2018 under MP Materials. ``source``: the fact that dates it."""

    since: Quarter | None  # None: from the start
    name: str
    name_ja: str = ""  # "" shows ``name``
    source: str = ""
    #: The new owner bought its assets, not its debts (out of the old owner's bankruptcy, as MP
    #: Materials bought Mountain Pass from Molycorp's Chapter 11): from ``since`` it owes nothing.
    bought_free_of_debts: bool = False


@dataclass(frozen=True)
class FirmSpec:
    id: str
    name: str
    role: Role
    nation: str
    capacity_tpy: float
    unit_cost: float
    cash_musd: float
    inventory: tuple[float, ...]
    composition: tuple[float, ...]
    feed: tuple[str, ...]
    dy_share: float
    needs_tpy: tuple[float, float]
    output_weight: float
    buffer_quarters: float
    backer: str | None = None  # a nation whose state lenders refinance it when it runs short
    backer_credit_musd: float = 0.0
    group: str | None = None  # a company whose firms (a mine and its plant) share their cash
    name_ja: str = ""  # the name shown in Japanese; "" shows ``name``
    #: The names it takes later (a new owner), in the order of their quarters.
    renamed: tuple[FirmName, ...] = ()

    def name_in(self, quarter: Quarter) -> FirmName:
        """The name it bears in ``quarter``: its own, or the last it took by then."""
        bearing = self.names()[0]
        for later in self.renamed:
            if later.since <= quarter:
                bearing = later
        return bearing

    def names(self) -> tuple[FirmName, ...]:
        """Every name it bears in any quarter, the first first."""
        return (FirmName(None, self.name, self.name_ja), *self.renamed)


@dataclass(frozen=True)
class ProjectSpec:
    id: str
    firm: str
    adds_tpy: float
    lead_quarters: int
    cost_musd: float
    delay_chance: float
    fail_chance: float
    host: str


@dataclass(frozen=True)
class ContractSpec:
    id: str
    seller: str
    buyer: str
    material: Material
    tonnes_per_year: float
    price: float
    start: Quarter
    end: Quarter


@dataclass(frozen=True)
class PolicySpec:
    exporter: str
    quota_tpy: float
    quota_split: tuple[float, ...]
    tariff: tuple[float, ...]


@dataclass(frozen=True)
class Assumptions:
    """The behavioural constants of the simulation: how firms, buyers, nations and the
    world's phases decide, as opposed to the facts of a level (who exists, with what).

    There are no defaults here: the world file's required ``[assumptions]`` table
    (``levels/world-2010.toml``) holds every value, each with the fact id it rests on
    (``levels/reference/facts.toml``) or the reason it is an assumption. A level file may
    override any of them in its own ``[assumptions]`` table, and a run from the command line
    (``--set assumptions.NAME=VALUE``) or the Python API (``assumptions={...}``); see
    ``game.scenario.assumptions``. Each field says where in the code the constant was,
    ``module: CONSTANT`` (keyed constants by role are split into one field per role).
    """

    # -- a firm's books and plant decisions (agents/firm.py)
    stock_credit_share: float  # firm: STOCK_CREDIT_SHARE
    credit_line_quarters: float  # firm: CREDIT_LINE_QUARTERS
    plant_stock_target_quarters: float  # firm: STOCK_QUARTERS
    concentrate_value_share: float  # firm: CONCENTRATE_VALUE_SHARE
    run_rate_cost_band: float  # firm: RUN_RATE_BAND
    planned_run_rate_cost_band: float  # firm: the same for plants whose mines dig to a state's quota
    min_run_rate: float  # firm: MIN_RUN_RATE
    restart_cost_quarters: float  # firm: RESTART_COST_QUARTERS
    holding_interest_per_quarter: float  # firm: HOLDING_INTEREST_PER_QUARTER
    storage_usd_per_kg_quarter: float  # firm: STORAGE_USD_PER_KG_QUARTER
    working_stock_quarters: float  # firm: WORKING_STOCK_QUARTERS
    glut_price_cut: float  # firm: expectation cut per quarter of a glut
    sold_out_price_rise: float  # firm: expectation rise per quarter of stock short of working stock
    held_back_price_rise: float  # firm: expectation rise when it holds back output yet draws its stock
    max_ask_cut_per_quarter: float  # firm: most a seller asks below the price it expects
    switching_cost_share: float  # exchange: cost of turning to a new supplier, share of the price
    switching_cost_usd_per_kg: float  # exchange: ...and per kg, whatever the price
    selling_cost_usd_per_kg: float  # firm: SELLING_COST_USD_PER_KG
    idle_below_utilisation: float  # firm: IDLE_BELOW
    fixed_cost_share: float  # firm: FIXED_COST_SHARE
    mothballed_fixed_cost_share: float  # firm: MOTHBALLED_FIXED_SHARE
    interest_rate_per_year: float  # firm: INTEREST_RATE
    price_expectation_weight: float  # firm: EXPECTATION_WEIGHT (also read by game/world/exchange.py)
    loss_quarters_to_mothball: int  # firm: LOSS_QUARTERS_TO_MOTHBALL
    reopen_margin: float  # firm: REOPEN_MARGIN
    quarters_before_restart: int  # firm: QUARTERS_BEFORE_RESTART
    restart_margin: float  # firm: RESTART_MARGIN

    # -- a plant's own expansion test (agents/producers.py)
    payback_capex_separator_usd_per_tpy: float  # producers: EXPANSION_CAPEX[Role.SEPARATOR]
    payback_capex_recycler_usd_per_tpy: float  # producers: EXPANSION_CAPEX[Role.RECYCLER]
    payback_horizon_separator_years: float  # producers: PAYBACK_HORIZON_YEARS[Role.SEPARATOR]
    payback_horizon_recycler_years: float  # producers: PAYBACK_HORIZON_YEARS[Role.RECYCLER]

    # -- buyers: thrift, fright, relocation, bids (agents/buyers.py)
    thrift_above_price_ratio: float  # buyers: THRIFT_ABOVE
    demand_returns_below_price_ratio: float  # buyers: RETURN_BELOW
    max_thrift_per_quarter: float  # buyers: MAX_THRIFT_PER_QUARTER
    min_use_intensity: float  # buyers: MIN_INTENSITY
    fear_buffer_multiple: float  # buyers: FEAR_BUFFER_MULTIPLE
    fear_value_multiple: float  # buyers: FEAR_VALUE_MULTIPLE
    relocate_above_price_ratio: float  # buyers: RELOCATE_ABOVE
    max_relocation_per_quarter: float  # buyers: MAX_RELOCATION_PER_QUARTER
    max_relocated_share: float  # buyers: MAX_RELOCATED
    need_bid_steps: tuple[tuple[float, float], ...]  # buyers: NEED_STEPS, (share of need, multiple of reference)
    dytb_stock_cap_scale: float  # buyers: the cap on Dy/Tb stock bids, relative to other oxides'
    buffer_bid_steps: tuple[tuple[float, float], ...]  # buyers: BUFFER_STEPS, (share of gap, multiple)

    # -- nations (agents/nation.py)
    political_capital_start: float  # nation: POLITICAL_CAPITAL_START
    political_capital_per_quarter: float  # nation: POLITICAL_CAPITAL_PER_QUARTER
    political_capital_max: float  # nation: POLITICAL_CAPITAL_MAX
    tension_easing_per_quarter: float  # nation: TENSION_EASING_PER_QUARTER
    embargo_fright: float  # nation: EMBARGO_FRIGHT
    bystander_fright: float  # nation: BYSTANDER_FRIGHT
    security_premium_fading_per_quarter: float  # nation: PREMIUM_FADING_PER_QUARTER

    # -- an exporter's doctrine (agents/doctrine.py)
    doctrine_revenue_weight: float  # doctrine: REVENUE_WEIGHT
    doctrine_wto_weight: float  # doctrine: WTO_WEIGHT
    doctrine_friction_from_score: float  # doctrine: FRICTION_FROM
    doctrine_halt_from_score: float  # doctrine: HALT_FROM
    doctrine_halt_min_tension: float  # doctrine: HALT_TENSION
    doctrine_max_friction_share: float  # doctrine: MAX_FRICTION_SHARE

    # -- bargaining over offtakes (agents/contract_terms.py, game/world/offtakes.py)
    negotiation_rounds: int  # offtakes: ROUNDS and contract_terms: DEFAULT_ROUNDS (a player's proposal)
    contract_duration_sensitivity: float  # contract_terms: Party.duration_sensitivity's default
    secure_share_per_premium: float  # offtakes: SECURE_SHARE_PER_PREMIUM
    max_secure_share: float  # offtakes: MAX_SECURE_SHARE
    contract_discount: float  # offtakes: CONTRACT_DISCOUNT
    price_index_quarters: int  # offtakes: INDEX_QUARTERS (also game/world/model.py's price history)
    price_index_discount: float  # offtakes: INDEX_DISCOUNT
    contract_index_share: float  # offtakes: share of a contract's price that follows the buyer's market
    partnership_stake_musd: float  # offtakes: PARTNERSHIP_STAKE_MUSD
    offtake_volume_tiers: tuple[float, ...]  # offtakes: VOLUME_TIERS
    offtake_years: tuple[int, ...]  # offtakes: YEARS
    offtake_price_steps: int  # offtakes: PRICE_STEPS

    # -- projects and investment (game/world/investment.py)
    capex_miner_usd_per_tpy: float  # investment: CAPEX_USD_PER_TPY[Role.MINER]
    capex_separator_usd_per_tpy: float  # investment: CAPEX_USD_PER_TPY[Role.SEPARATOR]
    capex_recycler_usd_per_tpy: float  # investment: CAPEX_USD_PER_TPY[Role.RECYCLER]
    capex_magnet_maker_usd_per_tpy: float  # investment: CAPEX_USD_PER_TPY[Role.MAGNET_MAKER]
    build_quarters_miner: int  # investment: EXPANSION_LEAD[Role.MINER]
    build_quarters_separator: int  # investment: EXPANSION_LEAD[Role.SEPARATOR]
    build_quarters_recycler: int  # investment: EXPANSION_LEAD[Role.RECYCLER]
    build_quarters_magnet_maker: int  # investment: EXPANSION_LEAD[Role.MAGNET_MAKER]
    expansion_delay_chance: float  # investment: EXPANSION_DELAY_CHANCE
    expansion_equity_share: float  # investment: share of a firm's own expansion paid from its cash
    quota_capacity_headroom: float  # investment: capacity mining groups keep beyond their quota, as a share of it
    approval_chance_per_quarter: float  # investment: APPROVAL_CHANCE
    approval_foreign_money_bonus: float  # investment: FOREIGN_MONEY_BONUS
    approval_tension_penalty: float  # investment: TENSION_PENALTY
    approval_partner_bonus: float  # investment: PARTNER_BONUS
    commissioning_first_share: float  # investment: COMMISSIONING_SHARE
    commissioning_ramp_quarters: int  # investment: COMMISSIONING_QUARTERS
    offtake_per_cost_share: float  # investment: OFFTAKE_PER_COST_SHARE

    # -- industry's levers (game/world/industry.py)
    max_support_boost: float  # industry: MAX_SUPPORT_BOOST
    max_research_dytb_cut: float  # industry: MAX_RESEARCH_CUT
    research_scale_musd: float  # industry: RESEARCH_SCALE_MUSD
    research_quarters: int  # industry: RESEARCH_QUARTERS

    # -- diplomacy, reputations, licences, WTO cases (game/world/*.py)
    talks_ease_share: float  # diplomacy: TALKS_EASE
    partnership_tension_ease: float  # diplomacy: PARTNERSHIP_EASE
    reputation_period_quarters: int  # contracts: REPUTATION_PERIOD
    licence_base_quarters: int  # export_controls: LICENCE_BASE_QUARTERS
    wto_respondent_wins_chance: float  # wto: RESPONDENT_WINS


@dataclass(frozen=True)
class WorldSpec:
    id: str
    freight_usd_per_kg: float
    freight_usd_per_kg_per_1000km: float
    reference_price: tuple[float, ...]
    nations: tuple[NationSpec, ...]
    firms: tuple[FirmSpec, ...]
    projects: tuple[ProjectSpec, ...]
    policies: tuple[PolicySpec, ...]
    #: The world file's ``[assumptions]`` (a level's own overrides are in ``Scenario.assumptions``).
    assumptions: Assumptions
    contracts: tuple[ContractSpec, ...] = ()
    sources: tuple[str, ...] = ()

    def nation_codes(self) -> tuple[str, ...]:
        return tuple(n.code for n in self.nations)

    def names_ja(self) -> dict[str, str]:
        """Each English name of its firms and nations that has a Japanese one, with it: a firm's
        under each of its owners (the news of one game names it as it was then)."""
        names = {named.name: named.name_ja for firm in self.firms for named in firm.names() if named.name_ja}
        names.update({nation.name: nation.name_ja for nation in self.nations if nation.name_ja})
        return names


# --------------------------------------------------------------------------- scheduled events
# One dataclass per kind of event, holding what that kind changes under an honest name. The
# reader builds them (game/scenario/events.py) and the world carries them out
# (game/world/events.py); each keeps one table keyed by these classes.


@dataclass(frozen=True)
class Embargo:
    """``exporter`` stops shipping ``materials`` to ``partner`` from the event's date (to ``until``).

    ``leakage`` is the share of what would have moved that still arrives through third
    countries, at ``leakage_cost_usd_per_kg`` more per kilogram (0: the embargo stops all).
    """

    exporter: str
    partner: str
    materials: tuple[Material, ...]
    until: dt.date | None = None
    leakage: float = 0.0
    leakage_cost_usd_per_kg: float = 0.0


@dataclass(frozen=True)
class EmbargoLift:
    exporter: str
    partner: str
    materials: tuple[Material, ...]


@dataclass(frozen=True)
class ExportQuota:
    """A cap on the exporter's yearly exports, shared among materials by ``split``."""

    exporter: str
    tonnes_per_year: float
    split: tuple[float, ...]


@dataclass(frozen=True)
class ExportTariff:
    """Export duty per material, as a share of the price."""

    exporter: str
    rate: tuple[float, ...]


@dataclass(frozen=True)
class Licence:
    """Export licences: a cost per kilogram on the exporter's shipments to ``partner`` and,
    with ``approval_rate``, a limit in tonnes: each quarter the exporter approves that share
    of the partner's usual imports of each material from it (its recent average), nothing
    in the first ``delay_quarters`` quarters. Without ``approval_rate`` a licence is the cost
    only, and ends any limit in tonnes on those materials."""

    exporter: str
    partner: str
    materials: tuple[Material, ...]
    friction_usd_per_kg: float
    approval_rate: float | None = None
    delay_quarters: int = 0


@dataclass(frozen=True)
class TensionChange:
    nation: str
    partner: str
    change: float


@dataclass(frozen=True)
class WtoCaseFiled:
    respondent: str
    complainants: tuple[str, ...]


@dataclass(frozen=True)
class MiningQuota:
    """A cap on the nation's mining (all its mines, or ``firms``), enforced at a share."""

    nation: str
    tonnes_per_year: float
    enforcement: float
    firms: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemandTrend:
    nations: tuple[str, ...]
    magnets_per_year: float
    cela_per_year: float


@dataclass(frozen=True)
class PlantRules:
    """New rules for one plant: extra cost per kilogram and a cap on its capacity."""

    firm: str
    extra_cost_usd_per_kg: float
    capacity_cap_tpy: float


@dataclass(frozen=True)
class BudgetGrant:
    """Money added to (or taken from) a nation's budget."""

    nation: str
    musd: float


@dataclass(frozen=True)
class ProjectStart:
    project: str


@dataclass(frozen=True)
class News:
    """An event that only makes the news."""


EventEffect = Union[Embargo, EmbargoLift, ExportQuota, ExportTariff, Licence, TensionChange, WtoCaseFiled,
                    MiningQuota, DemandTrend, PlantRules, BudgetGrant, ProjectStart, News]

#: Each kind of event as level files name it, and the class of what it does.
EVENT_KINDS: dict[str, type] = {
    "news": News,
    "tension": TensionChange,
    "embargo": Embargo,
    "embargo_lift": EmbargoLift,
    "export_quota": ExportQuota,
    "export_tariff": ExportTariff,
    "licence": Licence,
    "project_start": ProjectStart,
    "budget": BudgetGrant,
    "wto_case": WtoCaseFiled,
    "mining_quota": MiningQuota,
    "demand_trend": DemandTrend,
    "plant_rules": PlantRules,
}


@dataclass(frozen=True)
class EventSpec:
    """A scheduled event: when, what the news says, and what it does (``effect``)."""

    date: dt.date
    kind: str
    headline: str
    source: str
    effect: EventEffect = News()
    headline_ja: str = ""
    #: The nation whose own decision this was in history, where the kind does not say so (the
    #: news of China approving cargoes is a tension change): a team playing it decides instead.
    decided_by: str = ""

    @property
    def quarter(self) -> Quarter:
        return Quarter.of_date(self.date)


# --------------------------------------------------------------------------- strategies


@dataclass(frozen=True)
class ActionSpec:
    """One action of a scripted strategy, as data; ``game.actions`` builds the Action."""

    kind: str
    params: tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class StrategyTurn:
    quarter: Quarter
    actions: tuple[ActionSpec, ...]
    note: str = ""
    #: Its place among its file's tables (turns are kept in quarter order), for messages; no part
    #: of what the turn is.
    table: int = field(default=-1, compare=False)


# --------------------------------------------------------------------------- objectives


@dataclass(frozen=True)
class Objective:
    """One goal of a level, as written in its file (already validated)."""

    id: str
    text: Mapping[str, str]
    indicator: str
    rule: str
    threshold: float
    star: int
    by: Quarter | None = None
    start: Quarter | None = None
    end: Quarter | None = None


@dataclass(frozen=True)
class RoleSpec:
    """A nation a workshop team can play (``levels/roles.toml``): what its card says, the
    levers it may pull (action kinds; none listed: the level's own, for Japan) and what earns
    it stars (judged on its own rows: game.world.indicators.NATION_REPORTERS)."""

    code: str
    name: Mapping[str, str]
    situation: Mapping[str, str]
    watch: Mapping[str, str]
    bot: Mapping[str, str]
    levers: tuple[str, ...]
    objectives: tuple[Objective, ...]
    budget_musd_per_quarter: float = 0.0
    #: Objective id -> level id -> the threshold in that level (its texts show it as {threshold}).
    thresholds: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    #: A company role's firms (ids in the world file); empty for a nation's role.
    firms: tuple[str, ...] = ()

    @property
    def is_company(self) -> bool:
        return bool(self.firms)


@dataclass(frozen=True)
class RolesSpec:
    """Every role, in the file's order, and the debrief's questions (language -> text)."""

    roles: tuple[RoleSpec, ...]
    questions: tuple[Mapping[str, str], ...]

    def role(self, code: str) -> RoleSpec:
        return next(r for r in self.roles if r.code == code)


# --------------------------------------------------------------------------- levels and the campaign


@dataclass(frozen=True)
class Scenario:
    id: str
    title: Mapping[str, str]
    briefing: Mapping[str, str]
    start: Quarter
    end: Quarter
    world: WorldSpec
    events: tuple[EventSpec, ...]
    history: tuple[StrategyTurn, ...]
    sources: tuple[str, ...]
    #: The assumptions the world runs on: the world file's, with the level's ``[assumptions]``
    #: and then ``assumption_overrides`` applied.
    assumptions: Assumptions
    path: str = ""
    notes: Mapping[str, str] = field(default_factory=dict)
    objectives: tuple[Objective, ...] = ()
    #: Action kinds the player may use in this level (all of them when the level says nothing).
    unlocked_actions: tuple[str, ...] = ()
    #: The id of the level whose history this one continues ("" for none): the level's world at
    #: its start is the one that level reaches by then, played by its ``history`` strategy.
    starts_from: str = ""
    #: Where that level's file is (found by the reader next to this level or among the shipped ones).
    starts_from_path: str = ""
    #: Assumptions set from outside the level files, by ``--set`` or the API (see
    #: ``game.scenario.assumptions.with_assumptions``), as sorted (name, value) pairs: saves
    #: carry them, and a history this level continues is run with them too.
    assumption_overrides: tuple[tuple[str, Any], ...] = ()
    #: The ids of the projects its world may hold: its own, and those of each level its history
    #: goes on from (a project still building then is there to invest in). The level reader
    #: works them out as it reads the chain; empty for a scenario built in code.
    project_ids: frozenset[str] = frozenset()

    @property
    def n_turns(self) -> int:
        return self.end - self.start + 1


@dataclass(frozen=True)
class CampaignEntry:
    level: str
    #: Stars needed on the previous level to open this one.
    unlock_stars: int = 1
    #: Where the level's story happens, [longitude, latitude], for the campaign map (None: nowhere).
    at: tuple[float, float] | None = None


@dataclass(frozen=True)
class Campaign:
    title: Mapping[str, str]
    entries: tuple[CampaignEntry, ...]

    def unlocked(self, stars: Mapping[str, int]) -> list[str]:
        """Levels open to a player with these stars, in the campaign's order: the first, each
        whose predecessor earned at least its ``unlock_stars``, and each with stars of its own
        (won in free play or from the command line: the campaign showed such a level locked,
        without its stars)."""
        return [entry.level for i, entry in enumerate(self.entries)
                if i == 0 or stars.get(entry.level, 0) > 0
                or stars.get(self.entries[i - 1].level, 0) >= entry.unlock_stars]
