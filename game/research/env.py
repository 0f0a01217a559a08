"""``JapanPolicyEnv``: a Gymnasium environment in which an agent plays Japan's levers in one level.

One step is one turn (one quarter): the agent picks one of ``ACTIONS`` (Japan's levers at fixed
sizes, each built from the live world when it is taken), the session checks and applies it as it
would a player's click, and the quarter runs. The reward is the change in the level's score, so
an episode's rewards add up to the level's final score (0-100).

Everything goes through ``game.session.Session``: the env never writes to the world. The mask in
``info["action_mask"]`` asks the actions' own checks, read-only, so computing it never changes
the history (a level played through the env with "end the quarter" every turn is the passive run,
row for row).

``evaluate(policy, level, seeds)`` compares policies by their final scores.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import gymnasium as gym
import numpy as np
from gymnasium import spaces
from gymnasium.error import ResetNeeded

from game.actions import (
    MAX_COLLECTION_RATE,
    PRODUCER_ROLES,
    Action,
    BuyStockpile,
    FileWtoCase,
    FundDeepSea,
    FundMagnetResearch,
    FundRecycling,
    HoldTalks,
    InvestInProject,
    ProposeOfftake,
    RefinanceSupplier,
    ReleaseStockpile,
    SetCollectionRules,
    SignPartnership,
    SupportIndustry,
    budget_left_musd,
)
from game.players import controller_for
from game.research.runner import scenario_for
from game.session import HISTORY_STARTS, ActionRecord, Session
from game.spec import Scenario
from game.vocab.materials import (
    MAGNET_MATERIALS,
    MATERIAL_INDEX,
    MATERIALS,
    Material,
    Role,
)
from game.vocab.money import sign_before_money
from game.vocab.nations import CHINA, JAPAN, REST_OF_WORLD
from game.vocab.seeds import checked_seed
from game.world.deepsea import STAGES
from game.world.indicators import (
    china_share,
    deep_sea_stages,
    recycling_tpy,
    secured_share,
    tension,
)
from game.world.supply_report import supply_report
from game.world.views import (
    blocked_share_of_quarter,
    deep_sea_next_stage,
    fair_offtake_terms,
    last_output_index,
    oxide_plant_of,
    projects_seeking_money,
    seller_spare_tpy,
)

if TYPE_CHECKING:  # for the annotations only
    from game.world.model import RareEarthWorld

# --------------------------------------------------------------------------- the observation

#: The observation, in order: name -> (low, high). See ``JapanPolicyEnv`` for what each means.
_OBSERVATION_BOUNDS: dict[str, tuple[float, float]] = {
    "price_ndpr_japan": (0.0, 30.0),
    "price_ndpr_china": (0.0, 30.0),
    "price_dytb_japan": (0.0, 30.0),
    "price_dytb_china": (0.0, 30.0),
    "price_cela_japan": (0.0, 30.0),
    "price_cela_china": (0.0, 30.0),
    "output_index": (0.0, 1.5),
    "china_share": (0.0, 1.0),
    "stockpile_quarters": (0.0, 8.0),
    "ndpr_stockpile_quarters": (0.0, 8.0),
    "dytb_stockpile_quarters": (0.0, 8.0),
    "ndpr_cover": (0.0, 1.0),
    "dytb_cover": (0.0, 1.0),
    "embargo_share": (0.0, 1.0),
    "budget_busd": (-5.0, 20.0),
    "political_capital": (0.0, 1.0),
    "tension": (0.0, 1.0),
    "secured_share": (0.0, 5.0),
    "recycling_ktpy": (0.0, 50.0),
    "deep_sea_stages": (0.0, 1.0),
    "turn_fraction": (0.0, 1.0),
}
OBSERVATION_FIELDS: tuple[str, ...] = tuple(_OBSERVATION_BOUNDS)

#: A stockpile's days of use are shown in quarters of cover (about 90 days each).
DAYS_PER_QUARTER_OF_COVER = 90.0


def observe(world: RareEarthWorld, scenario: Scenario) -> np.ndarray:
    """The observation of ``world`` as Japan sees it with its turn open (``OBSERVATION_FIELDS``),
    clipped to their bounds. Reads the world; changes nothing."""
    j, c = world.nation_index(JAPAN), world.nation_index(CHINA)
    prices = world.prices / world.reference_price  # each price over the world's reference for that oxide
    supply = supply_report(world, JAPAN)
    ndpr, dytb = (supply.materials[MATERIAL_INDEX[m]] for m in MAGNET_MATERIALS)
    japan = world.nation(JAPAN)
    values = {}
    for m, material in enumerate(MATERIALS):
        values[f"price_{material.value}_japan"], values[f"price_{material.value}_china"] = prices[j, m], prices[c, m]
    values |= {
        "output_index": last_output_index(world, JAPAN),
        "china_share": china_share(world, JAPAN),
        "stockpile_quarters": supply.stockpile_days / DAYS_PER_QUARTER_OF_COVER,
        "ndpr_stockpile_quarters": ndpr.stockpile_days / DAYS_PER_QUARTER_OF_COVER,
        "dytb_stockpile_quarters": dytb.stockpile_days / DAYS_PER_QUARTER_OF_COVER,
        "ndpr_cover": ndpr.cover_next,
        "dytb_cover": dytb.cover_next,
        "embargo_share": blocked_share_of_quarter(world, JAPAN),
        "budget_busd": japan.budget_musd / 1000.0,
        "political_capital": japan.political_capital / world.assumptions.political_capital_max,
        "tension": tension(world, CHINA, JAPAN),
        "secured_share": secured_share(world, JAPAN),
        "recycling_ktpy": recycling_tpy(world, JAPAN) / 1000.0,
        "deep_sea_stages": deep_sea_stages(world, JAPAN) / len(STAGES),
        "turn_fraction": world.turns_done / scenario.n_turns,
    }
    low, high = _bounds()
    raw = np.array([values[name] for name in OBSERVATION_FIELDS], dtype=np.float64)
    return np.clip(np.nan_to_num(raw), low, high).astype(np.float32)


def _bounds() -> tuple[np.ndarray, np.ndarray]:
    low, high = zip(*_OBSERVATION_BOUNDS.values())
    return np.array(low, dtype=np.float32), np.array(high, dtype=np.float32)


# --------------------------------------------------------------------------- the actions


#: What a choice builds from the world with Japan's turn open: the Action, or why there is none.
Builder = Callable[["RareEarthWorld"], "Action | str"]


@dataclass(frozen=True)
class PolicyChoice:
    """One of the env's discrete actions: a lever of ``kind`` at a fixed size (``text`` says
    which), built from the live world when it is taken. ``kind`` is None for "end the quarter"."""

    name: str
    kind: str | None
    text: str
    build: Builder


#: Stockpile releases and purchases come in days of Japan's use of the oxide this quarter.
RELEASE_DAYS = 30.0
BUY_DAYS = (30.0, 90.0)
#: A stockpile bid's price cap over Japan's price now (the bot bids 1.1 times too); an offtake
#: proposal with no fair terms to go by offers the same.
BUY_PRICE_CAP = 1.1
#: Money for the levers that take an amount, US$M: a sizeable share of a year's budget in the 2010s.
INVEST_MUSD = 100.0
RECYCLING_MUSD = 50.0
MAGNET_RESEARCH_MUSD = 100.0
SUPPORT_MUSD = (100.0, 300.0)
REFINANCE_MUSD = 100.0
#: An offtake proposal asks for this share of a year of Japan's use, for this many years,
#: unless the seller's fair terms (the Nash point the window hints at) say otherwise.
OFFTAKE_SHARE_OF_YEAR = 0.25
OFFTAKE_YEARS = 5
#: A seller with less spare than this (t/yr) is not worth a proposal.
OFFTAKE_MIN_SPARE_TPY = 10.0
COLLECTION_STEP = 0.05
#: Partners in a WTO case, when the world has them: the US and the EU filed with Japan in 2012.
WTO_PARTNERS = ("USA", "EU")


def _need_per_day(world: RareEarthWorld, material: Material) -> float:
    """Tonnes a day of the oxide Japan's industry needs in the quarter now open."""
    return supply_report(world, JAPAN).materials[MATERIAL_INDEX[material]].need_next_t / world.quarter.days


def _releasable_t(world: RareEarthWorld, material: Material) -> float:
    japan, m = world.nation(JAPAN), MATERIAL_INDEX[material]
    return float(japan.stockpile[m] - japan.release_orders[m])


def _release_days(material: Material, days: float) -> Builder:
    def build(world):
        tonnes = round(days * _need_per_day(world, material), 1)
        return ReleaseStockpile(material, tonnes) if tonnes > 0 else f"Japan uses no {material.label} now"
    return build


def _release_all(material: Material) -> Builder:
    def build(world):
        tonnes = np.floor(_releasable_t(world, material) * 10.0) / 10.0  # never a hair more than is held
        return ReleaseStockpile(material, float(tonnes)) if tonnes >= 1.0 else f"no {material.label} in the stockpile"
    return build


def _buy_days(material: Material, days: float) -> Builder:
    def build(world):
        tonnes = round(days * _need_per_day(world, material), 1)
        cap = round(BUY_PRICE_CAP * float(world.prices[world.nation_index(JAPAN), MATERIAL_INDEX[material]]), 2)
        return BuyStockpile(material, tonnes, cap) if tonnes > 0 else f"Japan uses no {material.label} now"
    return build


def _best_project(world: RareEarthWorld):
    """The project abroad (outside China) waiting for Japan's money that adds the most magnet
    oxide per US$ (ties: by id), or None."""
    best, best_yield = None, 0.0
    for project in projects_seeking_money(world, JAPAN, excluded_hosts=(JAPAN, CHINA)):
        plant = oxide_plant_of(world, project.firm)
        if project.cost_musd <= 0 or plant is None:
            continue
        mix = plant.output_mix()
        magnet_tpy = project.adds_tpy * float(sum(mix[MATERIAL_INDEX[m]] for m in MAGNET_MATERIALS))
        if magnet_tpy / project.cost_musd > best_yield:
            best, best_yield = project, magnet_tpy / project.cost_musd
    return best


def _invest(musd: float | None) -> Builder:
    """Fund the best open project with ``musd`` (its whole cost if None, or if it costs less),
    for the offtake of the magnet oxides that money buys, over ten years."""
    def build(world):
        project = _best_project(world)
        if project is None:
            return "no project outside China waits for Japan's money"
        amount = round(project.cost_musd if musd is None else min(musd, project.cost_musd), 1)
        offtake = world.investment.offtake_open_tpy(project, JAPAN, amount)
        return InvestInProject(project.id, amount, float(np.floor(offtake)), 10, materials=MAGNET_MATERIALS)
    return build


def _propose_offtake(material: Material) -> Builder:
    """Offer the plant outside China with the most of the oxide to spare a contract at its fair
    terms (the Nash point), or, when no terms suit both sides, at a tenth over Japan's price."""
    def build(world):
        m = MATERIAL_INDEX[material]
        sellers = [(seller_spare_tpy(world, f.firm_id, m), f.firm_id) for f in world.sellers
                   if f.nation != CHINA and f.alive and f.role is Role.SEPARATOR]
        spare, seller = max(sellers, key=lambda s: (s[0], s[1]), default=(0.0, None))
        if seller is None or spare < OFFTAKE_MIN_SPARE_TPY:
            return f"no plant outside China has {material.label} to spare"
        yearly_use = 4.0 * _need_per_day(world, material) * world.quarter.days
        tonnes = round(min(spare, OFFTAKE_SHARE_OF_YEAR * yearly_use), 1)
        if tonnes <= 0:
            return f"Japan uses no {material.label} now"
        terms = fair_offtake_terms(world, JAPAN, seller, m, tonnes)
        if terms is not None:
            return ProposeOfftake(seller, material, round(float(terms.volume_tpy), 1), int(terms.years),
                                  round(float(terms.price), 2))
        price = round(BUY_PRICE_CAP * float(world.prices[world.nation_index(JAPAN), m]), 2)
        return ProposeOfftake(seller, material, tonnes, OFFTAKE_YEARS, price)
    return build


def _sign_partnership(world):
    """The supplier nation not yet a partner that hosts the most oxide capacity outside China,
    counting the projects waiting for money (ties: by code)."""
    japan = world.nation(JAPAN)
    hosted: dict[str, float] = {}
    for plant in world.sellers:
        if plant.alive:
            hosted[plant.nation] = hosted.get(plant.nation, 0.0) + plant.capacity_tpy
    for project in projects_seeking_money(world, JAPAN):
        hosted[project.host] = hosted.get(project.host, 0.0) + project.adds_tpy
    candidates = [code for code in world.nation_codes if code not in (JAPAN, CHINA, REST_OF_WORLD)
                  and code not in japan.partners and world.nation(code).doctrine == "partner"]
    if not candidates:
        return "no supplier nation left to partner with"
    return SignPartnership(max(candidates, key=lambda code: (hosted.get(code, 0.0), code)))


def _file_wto_case(world):
    if not world.has_nation(CHINA):
        return "no China in this world"
    return FileWtoCase(CHINA, tuple(code for code in WTO_PARTNERS if world.has_nation(code)))


def _fund_recycling(world):
    """The biggest recycler still in business that takes Japan's scrap (ties: by id)."""
    plants = [f for f in world.sellers if f.role is Role.RECYCLER and f.alive
              and JAPAN in [n.code for n in f.scrap_sources]]
    if not plants:
        return "no recycler takes Japan's scrap"
    plant = max(plants, key=lambda f: (f.capacity_tpy, f.firm_id))
    return FundRecycling(plant.firm_id, RECYCLING_MUSD)


def _raise_collection(world):
    rate = world.nation(JAPAN).collection_rate
    if rate >= MAX_COLLECTION_RATE - 1e-9:
        return "collection is at the most take-back rules reach"
    return SetCollectionRules(round(min(MAX_COLLECTION_RATE, rate + COLLECTION_STEP), 3))


def _refinance_supplier(world):
    """A mine or plant outside China in trouble (bankrupt, or owing more than its cash), the
    worst first: bankrupt before alive, then the least cash (ties: by id)."""
    troubled = [f for f in world.firm_list if f.nation != CHINA and f.capacity_tpy > 0
                and f.role in PRODUCER_ROLES
                and (not f.alive or f.debt_musd > f.cash_musd)]
    if not troubled:
        return "no supplier outside China is in trouble"
    firm = min(troubled, key=lambda f: (f.alive, f.cash_musd, f.firm_id))
    return RefinanceSupplier(firm.firm_id, REFINANCE_MUSD)


def _end_quarter(world):
    return "nothing to do: the quarter runs"


NDPR, DYTB = MAGNET_MATERIALS

#: The env's actions, by index: index 0 ends the quarter without acting.
ACTIONS: tuple[PolicyChoice, ...] = (
    PolicyChoice("end_quarter", None, "do nothing and end the quarter", _end_quarter),
    PolicyChoice("release_ndpr_30_days", "release_stockpile", "release 30 days of NdPr use from the stockpile",
                 _release_days(NDPR, RELEASE_DAYS)),
    PolicyChoice("release_ndpr_all", "release_stockpile", "release all the NdPr in the stockpile",
                 _release_all(NDPR)),
    PolicyChoice("release_dytb_30_days", "release_stockpile", "release 30 days of Dy/Tb use from the stockpile",
                 _release_days(DYTB, RELEASE_DAYS)),
    PolicyChoice("release_dytb_all", "release_stockpile", "release all the Dy/Tb in the stockpile",
                 _release_all(DYTB)),
    *(PolicyChoice(f"buy_{material.value}_{days:.0f}_days", "buy_stockpile",
                   f"bid for {days:.0f} days of {material.label} use, at most 1.1 times Japan's price",
                   _buy_days(material, days))
      for material in MAGNET_MATERIALS for days in BUY_DAYS),
    PolicyChoice("invest_in_project_100m", "invest_in_project",
                 "US$100M (or its cost, if less) into the best open project abroad, for magnet-oxide offtake",
                 _invest(INVEST_MUSD)),
    PolicyChoice("invest_in_project_full", "invest_in_project",
                 "the whole cost of the best open project abroad, for magnet-oxide offtake", _invest(None)),
    PolicyChoice("propose_offtake_ndpr", "propose_offtake", "offer the plant outside China with most NdPr to spare a "
                 "contract at its fair terms", _propose_offtake(NDPR)),
    PolicyChoice("propose_offtake_dytb", "propose_offtake", "offer the plant outside China with most Dy/Tb to spare a "
                 "contract at its fair terms", _propose_offtake(DYTB)),
    PolicyChoice("hold_talks_china", "hold_talks", "hold talks with China", lambda world: HoldTalks(CHINA)),
    PolicyChoice("sign_partnership", "sign_partnership", "sign a supply partnership with the biggest supplier nation "
                 "not yet a partner", _sign_partnership),
    PolicyChoice("file_wto_case", "file_wto_case", "file a WTO case against China, with the US and the EU",
                 _file_wto_case),
    PolicyChoice("refinance_supplier_100m", "refinance_supplier", "lend US$100M to the supplier outside China in "
                 "the worst trouble", _refinance_supplier),
    PolicyChoice("fund_recycling_50m", "fund_recycling", "US$50M of recycling capacity at the biggest recycler of "
                 "Japan's scrap", _fund_recycling),
    PolicyChoice("raise_collection_rules", "set_collection_rules", "collect 5 points more of end-of-life magnets",
                 _raise_collection),
    PolicyChoice("fund_magnet_research_100m", "fund_magnet_research", "US$100M of magnet R&D",
                 lambda world: FundMagnetResearch(MAGNET_RESEARCH_MUSD)),
    *(PolicyChoice(f"support_industry_{musd:.0f}m", "support_industry", f"US${musd:.0f}M of emergency support to "
                   "industry", lambda world, musd=musd: SupportIndustry(musd)) for musd in SUPPORT_MUSD),
    PolicyChoice("fund_deep_sea", "fund_deep_sea", "fund the deep-sea programme's next stage",
                 lambda world: FundDeepSea()),
)
ACTION_NAMES: tuple[str, ...] = tuple(choice.name for choice in ACTIONS)


def refusal(action: Action, world: RareEarthWorld, scenario: Scenario) -> str | None:
    """Why the session would refuse ``action`` now (locked in the level, too little political
    capital or money, or its own check), or None if it would take it. Reads the world only.

    ``FundDeepSea.check`` begins Japan's programme (drawing a generator from the world's) when
    it has none, so a mask that called it would change the history; before the first stage its
    check is asked here instead, read-only: the survey's cost against the budget.
    """
    if scenario.unlocked_actions and action.kind not in scenario.unlocked_actions:
        return f"“{action.label}” is not unlocked in this level"
    reason = action.check_before_capital(world, JAPAN) or action.check_capital(world, JAPAN)
    if reason is not None:
        return str(reason)
    if isinstance(action, FundDeepSea) and world.deep_sea.get(JAPAN) is None:
        stage = deep_sea_next_stage(world, JAPAN)
        left = budget_left_musd(world, JAPAN)
        return None if stage.cost_musd <= left + 1e-9 else "the survey costs more than the budget left"
    reason = action.check(world, JAPAN)
    return None if reason is None else str(reason)


# --------------------------------------------------------------------------- the environment


class JapanPolicyEnv(gym.Env):
    """Play Japan in one level of the game: one step is one quarter.

    Args:
        level: a shipped level's id (``levels/*.toml``) or a loaded ``Scenario``.
        seed: the world's seed for the first ``reset()`` called without one (later resets
            without a seed draw one from the env's ``np_random``).
        assumptions: overrides of the level's assumptions, e.g. ``{"max_thrift_per_quarter": 0.05}``
            (checked when the env is made: an unknown name raises ``AssumptionError``).
        render_mode: None, ``"ansi"`` (a few lines of text) or ``"rgb_array"`` (a small picture).

    Observation: a float32 ``Box`` of ``OBSERVATION_FIELDS`` in this order, read from the world
    with Japan's turn open (after the quarter's events and budget, before it acts), each clipped
    to its bounds:

    ==========================  ===========  ==================================================
    field                       range        meaning
    ==========================  ===========  ==================================================
    price_{ndpr,dytb,cela}_...  0-30         last quarter's price of the oxide in Japan and in
    (``_japan``, ``_china``)                 China, over the world's reference price of it
    output_index                0-1.5        Japan's industrial output index last quarter
                                             (1.0 before a fresh level's first quarter)
    china_share                 0-1          China's share of the tonnes Japan received last
                                             quarter (0 before any quarter has run)
    stockpile_quarters          0-8          the stockpile in quarters (90 days) of use, as the
                                             ``japan_stockpile_days`` indicator counts it
    {ndpr,dytb}_stockpile_...   0-8          the same, per magnet oxide
    {ndpr,dytb}_cover           0-1          share of this quarter's use of the oxide that
                                             contracts, stocks and the market can still cover
    embargo_share               0-1          share of this quarter an embargo on Japan blocks
    budget_busd                 -5-20        Japan's budget, US$ billion
    political_capital           0-1          over the most that can be held
    tension                     0-1          China's tension with Japan
    secured_share               0-5          tonnes a year secured outside China over a year of
                                             Japan's needs
    recycling_ktpy              0-50         recycling capacity for Japan's scrap, kt a year
    deep_sea_stages             0-1          deep-sea stages done, over the five
    turn_fraction               0-1          turns played over the level's turns
    ==========================  ===========  ==================================================

    Action: ``Discrete(len(ACTIONS))``; ``ACTIONS[i].name`` says what index ``i`` does (0: end
    the quarter without acting). Each step builds the chosen lever from the world as it is (which
    project, which seller, how many tonnes), submits it to the session, then ends the quarter.
    ``info["action_mask"]`` (int8) is 1 where the session would take the action now and 0 where it
    would refuse it (locked in the level, too little money or political capital, its own check)
    or where there is nothing to build it on (no project open, an empty stockpile); index 0 is
    always 1. A refused action is no error: the quarter is played all the same, and ``info``
    says so (``accepted`` False, ``message`` why). A proposal the session takes can still be
    refused by the seller: it is "accepted" (the game took it), and ``message`` gives the answer.

    Reward: the change in the level's score (0-100, ``game.objectives.score``, the ``score`` in
    the last of ``Session.rows()``) over the step; the rewards of an episode add up to the
    level's final score. The running score judges the quarters played so far, so a reward can be
    negative: an objective met so far ("output never below 0.75") counts until it is broken.
    ``terminated`` when the level is over, after ``scenario.n_turns`` steps; ``truncated`` never.

    Info: ``action_mask``, ``quarter`` (the quarter now open), ``score`` and ``stars`` so far;
    after a step also ``action`` (its name), ``accepted`` and ``message`` (the ActionRecord's,
    or why nothing could be built).

    Same level, seed and actions give the same observations and rewards: the world draws only
    from its seeded generator, and the mask reads without writing.
    """

    metadata: ClassVar[dict[str, Any]] = {"render_modes": ["ansi", "rgb_array"], "render_fps": 4}

    def __init__(self, level: str | Scenario = "2010-trawler", seed: int | None = None,
                 assumptions: Mapping[str, Any] | None = None, render_mode: str | None = None):
        if render_mode is not None and render_mode not in self.metadata["render_modes"]:
            raise ValueError(f"render_mode must be None or one of {self.metadata['render_modes']}, got {render_mode!r}")
        self.scenario = scenario_for(level, assumptions)
        # The level whose history this one continues, read once: every episode starts from it,
        # a pickled environment in another copy of the game too.
        self._history = HISTORY_STARTS.level(self.scenario.starts_from_path) if self.scenario.starts_from else None
        self.render_mode = render_mode
        self.observation_space = spaces.Box(*_bounds(), dtype=np.float32)
        self.action_space = spaces.Discrete(len(ACTIONS))
        self._first_seed = None if seed is None else checked_seed(seed)  # refused here, not at reset
        self.session: Session | None = None
        self._built: list[Action | str] = []
        self._score, self._stars = 0.0, 0
        self._last: tuple[str, bool, str] | None = None  # (action name, accepted, message)

    # ------------------------------------------------------------------ the Gymnasium API

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None):
        """A new session of the level with the world seeded by ``seed`` (without one: the
        constructor's seed the first time, else a seed drawn from ``np_random``); the first
        quarter is open. Returns (observation, info). ``options`` are not used."""
        if seed is not None:  # refused before anything changes (the session stays as it was), and a
            seed = checked_seed(seed)  # NumPy integer taken as the constructor takes it
        elif self._first_seed is not None:
            seed, self._first_seed = self._first_seed, None
        super().reset(seed=seed)
        world_seed = seed if seed is not None else int(self.np_random.integers(2**31 - 1))
        if self.session is not None:
            self.session.close()
        self.session = Session(self.scenario, seed=world_seed, history=self._history)
        self._last = None
        self._open_turn()
        return self._observation(), self._info()

    def step(self, action):
        """Take ``ACTIONS[action]`` (if it can be built and the session takes it) and play the
        quarter. Returns (observation, reward, terminated, truncated, info)."""
        if self.session is None or self.session.is_over:
            raise RuntimeError("the level is over (or not begun): call reset()")
        if isinstance(action, bool | np.bool_) or not self.action_space.contains(action):  # True is no index
            raise ValueError(f"action must be an index from 0 to {len(ACTIONS) - 1}, got {action!r}")
        choice, built = ACTIONS[int(action)], self._built[int(action)]
        if choice.kind is None:
            accepted, message = True, str(built)
        elif isinstance(built, str):
            accepted, message = False, built  # nothing to build it on; the quarter runs all the same
        else:
            record: ActionRecord = self.session.submit(built)
            accepted, message = record.accepted, record.message
        self._last = (choice.name, accepted, message)
        self.session.end_turn()
        before = self._score
        self._open_turn()
        info = self._info()
        info.update(action=choice.name, accepted=accepted, message=message)
        return self._observation(), self._score - before, bool(self.session.is_over), False, info

    def action_masks(self) -> np.ndarray:
        """The mask of the actions the session would take now (as ``info["action_mask"]``)."""
        mask = np.zeros(len(ACTIONS), dtype=np.int8)
        mask[0] = 1
        if self.session is None or self.session.is_over:
            return mask
        world = self.session.world
        for i, built in enumerate(self._built[1:], start=1):
            if not isinstance(built, str) and refusal(built, world, self.scenario) is None:
                mask[i] = 1
        return mask

    def render(self):
        """The quarter now open, as ``render_mode`` asks (None without one).

        Raises:
            gymnasium.error.ResetNeeded: before ``reset()`` or after ``close()``, as Gymnasium's
                order enforcing (which ``gymnasium.make`` wraps an environment in) says it: there
                is no world to draw, and None without a word read as a blank frame.
        """
        if self.render_mode is None:
            return None
        if self.session is None:
            raise ResetNeeded("Cannot call render() before reset() (or after close()): call reset() first")
        if self.render_mode == "ansi":
            return self._text()
        return self._picture()

    def close(self) -> None:
        if self.session is not None:
            self.session.close()
            self.session = None

    # ------------------------------------------------------------------ inside a step

    def _open_turn(self) -> None:
        """Take the level's score so far, open the next quarter (its events fire, its budget
        arrives) so that what the agent sees and the mask are what a player would see, and build
        each lever from it."""
        rows = self.session.rows()
        self._score = float(rows[-1]["score"]) if rows else 0.0
        self._stars = int(rows[-1]["stars"]) if rows else 0
        if self.session.is_over:
            self._built = []
            return
        self.session.open_turn()
        world = self.session.world
        self._built = [choice.build(world) for choice in ACTIONS]

    def _observation(self) -> np.ndarray:
        return observe(self.session.world, self.scenario)

    def _info(self) -> dict[str, Any]:
        return {"action_mask": self.action_masks(), "quarter": str(self.session.world.quarter),
                "score": self._score, "stars": self._stars}

    # ------------------------------------------------------------------ drawing

    def _text(self) -> str:
        world = self.session.world
        shown = dict(zip(OBSERVATION_FIELDS, self._observation()))
        j, c = world.nation_index(JAPAN), world.nation_index(CHINA)
        turn = min(world.turns_done + 1, self.scenario.n_turns)
        over = ", level over" if world.is_over else ""
        lines = [
            f"{world.quarter} (turn {turn} of {self.scenario.n_turns}{over}) score {self._score:.1f}",
            "prices US$/kg, Japan (China): " + ", ".join(
                f"{label} {world.prices[j, m]:,.0f} ({world.prices[c, m]:,.0f})"
                for m, label in enumerate(("NdPr", "Dy/Tb", "Ce/La"))),
            sign_before_money(f"output {shown['output_index']:.2f}, China share {shown['china_share']:.0%}, stockpile "
                              f"{shown['stockpile_quarters'] * DAYS_PER_QUARTER_OF_COVER:.0f} days, budget "
                              f"US${world.nation(JAPAN).budget_musd:,.0f}M, capital "
                              f"{world.nation(JAPAN).political_capital:g}, tension {shown['tension']:.2f}, "
                              f"secured {shown['secured_share']:.0%}"),
        ]
        if self._last is not None:
            name, accepted, message = self._last
            lines.append(f"last: {name} ({'taken' if accepted else 'refused'}): {message}")
        return "\n".join(lines) + "\n"

    def _picture(self) -> np.ndarray:
        """Bars of the main indicators on a white ground, each on a 0-1 scale: output index,
        China share, NdPr and Dy/Tb stock (a full bar is two quarters), budget (a full bar is
        US$2bn), political capital, tension, secured share and the turn."""
        shown = dict(zip(OBSERVATION_FIELDS, self._observation()))
        heights = [shown["output_index"], shown["china_share"], shown["ndpr_stockpile_quarters"] / 2.0,
                   shown["dytb_stockpile_quarters"] / 2.0, shown["budget_busd"] / 2.0, shown["political_capital"],
                   shown["tension"], shown["secured_share"], shown["turn_fraction"]]
        image = np.full((PICTURE_HEIGHT, PICTURE_WIDTH, 3), 255, dtype=np.uint8)
        top, bottom = 4, PICTURE_HEIGHT - 4
        for i, height in enumerate(heights):
            left = BAR_GAP + i * (BAR_WIDTH + BAR_GAP)
            filled = round(float(np.clip(height, 0.0, 1.0)) * (bottom - top))
            image[top:bottom, left:left + BAR_WIDTH] = 230  # the bar's frame: how far it could go
            image[bottom - filled:bottom, left:left + BAR_WIDTH] = PALETTE[i % len(PALETTE)]
        image[bottom, :] = 0
        return image


#: The picture: bars BAR_WIDTH wide, BAR_GAP apart, in the Okabe-Ito colour-blind-safe palette.
BAR_WIDTH, BAR_GAP = 14, 4
PICTURE_HEIGHT, PICTURE_WIDTH = 64, BAR_GAP + 9 * (BAR_WIDTH + BAR_GAP)
PALETTE = np.array([(0, 114, 178), (230, 159, 0), (0, 158, 115), (86, 180, 233), (213, 94, 0), (204, 121, 167),
                    (240, 228, 66), (0, 0, 0), (120, 120, 120)], dtype=np.uint8)


# --------------------------------------------------------------------------- comparing policies


POLICIES = ("random", "bot", "history", "passive")


def evaluate(policy: str, level: str | Scenario = "2010-trawler", seeds: Iterable[int] = range(10),
             assumptions: Mapping[str, Any] | None = None) -> list[float]:
    """The level's final score (0-100) for each seed, played by ``policy``.

    ``"random"`` plays the env, each quarter an action drawn uniformly from those the mask
    allows, from a generator seeded with the run's seed. ``"bot"``, ``"history"`` and
    ``"passive"`` (or any other strategy ``game.players.controller_for`` knows) do not go
    through the env: they play a ``Session`` with their controller, which may take several
    actions a quarter, where the env takes one.
    """
    if not isinstance(policy, str):
        raise TypeError(f"policy: expected a strategy's name (or \"random\"), got {policy!r:.60}")
    if isinstance(seeds, (str, bytes)) or not isinstance(seeds, Iterable):
        raise TypeError(f"seeds: expected whole numbers (a list, a range), got {seeds!r:.60}")
    seeds = [checked_seed(seed) for seed in seeds]  # all refused before any run, naming the one
    scenario = scenario_for(level, assumptions)
    if policy == "random":
        return [_random_score(scenario, seed) for seed in seeds]
    scores = []
    for seed in seeds:
        session = Session(scenario, controller_for(policy, scenario), seed=seed)
        try:
            session.run()
            scores.append(session.result().score)
        finally:
            session.close()
    return scores


def _random_score(scenario: Scenario, seed: int) -> float:
    env = JapanPolicyEnv(scenario)
    try:
        chooser = np.random.default_rng(seed)
        _, info = env.reset(seed=seed)
        over = False
        while not over:
            action = int(chooser.choice(np.flatnonzero(info["action_mask"])))
            _, _, over, _, info = env.step(action)
        return info["score"]
    finally:
        env.close()
