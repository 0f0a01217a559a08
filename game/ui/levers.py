"""Japan's levers as the turn screen shows them: the choices each action takes, what it costs,
how long it takes, and the mechanism it works through.

Every choice is a list of options stepped with buttons, so a lever can be set with the mouse
alone or the keyboard alone; nothing needs typing. Building the Action is all a lever does;
the session checks and applies it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from agents.producers import MinerFirm, RecyclerFirm, SeparatorFirm
from game.actions import (
    ACTION_TYPES,
    Action,
    BuyStockpile,
    FileWtoCase,
    FundDeepSea,
    FundMagnetResearch,
    FundRecycling,
    RefinanceSupplier,
    HoldTalks,
    InvestInProject,
    ReleaseStockpile,
    SetCollectionRules,
    SignPartnership,
    SupportIndustry,
)
from game.vocab.materials import MATERIAL_INDEX, MATERIALS, Material
from game.vocab.nations import CHINA, JAPAN, REST_OF_WORLD
from game.world.deepsea import STAGES

SHORT = {Material.NDPR: "NdPr", Material.DYTB: "Dy/Tb", Material.CELA: "Ce/La"}

#: (value, what the player reads): the text is a template in English, filled with ``v`` (the
#: value) after translation, so "{v:,} t" reads as "250 t" in every language.
Option = tuple[Any, str]


@dataclass(frozen=True)
class Choice:
    name: str
    label: str
    options: Callable[[Any], list[Option]]  # world -> options
    default: int = 0


@dataclass(frozen=True)
class Lever:
    kind: str
    tab: str
    title: str
    mechanism: str
    choices: tuple[Choice, ...]
    build: Callable[[dict[str, Any]], Action]
    money: Callable[[Any, dict[str, Any]], float]  # (world, values) -> US$M this turn
    lead: Callable[[Any, dict[str, Any]], tuple[str, dict]]  # (world, values) -> (template, its fields)
    opens_dialog: bool = False
    #: The name on the lever's button in the list (the title heads its form).
    short: str = ""

    @property
    def capital(self) -> float:
        return ACTION_TYPES[self.kind].capital


TABS = ("Stockpile", "Invest", "Trade", "Diplomacy", "Industry")


def _materials(world) -> list[Option]:
    return [(m, SHORT[m]) for m in MATERIALS]


def _steps(values, fmt: str) -> Callable[[Any], list[Option]]:
    return lambda world: [(v, fmt) for v in values]


def _japan_price(world, material: Material) -> float:
    return float(world.prices[world.nation_index(JAPAN), MATERIAL_INDEX[material]])


def _max_prices(world) -> list[Option]:
    return [(factor, "{v:.0%} of today's price") for factor in (1.0, 1.1, 1.25, 1.5, 2.0)]


def _projects(world) -> list[Option]:
    options = []
    for project in world.projects.values():
        if project.done or project.failed or project.origin != "level":
            continue
        firm = world.firm(project.firm)
        options.append((project.id, f"{firm.name} (+{project.adds_tpy:,.0f} t/yr)"))
    return options or [(None, "no project open")]


def _recyclers(world) -> list[Option]:
    options = [(f.firm_id, f.name) for f in world.firms_of(RecyclerFirm)
               if f.alive and JAPAN in [n.code for n in f.scrap_sources]]
    return options or [(None, "no recycler takes Japan's scrap")]


def _partners(world, include_china: bool) -> list[Option]:
    codes = [c for c in world.nation_codes if c != JAPAN and c != REST_OF_WORLD and (include_china or c != CHINA)]
    if include_china:
        codes.sort(key=lambda c: c != CHINA)
    return [(c, world.nation(c).name) for c in codes]


def _wto_partners(world) -> list[Option]:
    options: list[Option] = [((), "alone")]
    if world.has_nation("USA"):
        options.append((("USA",), "with the United States"))
    if world.has_nation("USA") and world.has_nation("EU"):
        options.append((("USA", "EU"), "with the US and the EU"))
    return options


def _sellers(world) -> list[Option]:
    """Plants that sell oxide: those outside China first (diversifying is the usual reason to
    ask), each group biggest first. Names are data: they stay as they are."""
    plants = [f for f in world.firms_of(SeparatorFirm) if f.alive and not isinstance(f, RecyclerFirm)]
    plants.sort(key=lambda f: (f.nation == CHINA, -f.capacity_tpy, f.firm_id))
    return [(f.firm_id, f"{f.name} ({f.nation})".replace("{", "(").replace("}", ")")) for f in plants]


def _supplier_books(world, values) -> tuple[str, dict]:
    """What a lender looks at, where the whole line shows: the supplier's cash and debt."""
    if not world.has_firm(values.get("firm") or ""):
        return "this quarter", {}
    firm = world.firm(values["firm"])
    return "now; cash US${cash:,.0f}M, debt US${debt:,.0f}M", {"cash": firm.cash_musd,
                                                                              "debt": firm.debt_musd}


def _suppliers(world) -> list[Option]:
    """Mines and plants outside China, in trouble first (bankrupt, then least cash)."""
    firms = [f for f in world.sellers + world.firms_of(MinerFirm) if f.nation != CHINA and f.capacity_tpy > 0]
    firms.sort(key=lambda f: (f.alive, f.cash_musd, f.firm_id))
    # The label carries the figures a lender looks at; names are data and stay as they are.
    options = [(f.firm_id, f"{f.name} ({f.nation}{'' if f.alive else ', bankrupt'}): cash US${f.cash_musd:,.0f}M, "
                           f"debt US${f.debt_musd:,.0f}M".replace("{", "(").replace("}", ")"))
               for f in firms]
    return options or [(None, "no supplier outside China")]


STAGE_TITLES = {"survey": "survey", "pilot": "pilot", "test_recovery": "test recovery",
                "demonstration": "demonstration", "commercial": "commercial"}


def _deep_sea_stage(world):
    programme = world.deep_sea.get(JAPAN)
    done = programme.done if programme is not None else 0
    building = programme is not None and programme.quarters_left > 0
    return (STAGES[done] if done < len(STAGES) else None), building


def _deep_sea_lead(world, values) -> tuple[str, dict]:
    stage, building = _deep_sea_stage(world)
    if stage is None:
        return "programme complete", {}
    if building:
        return "a stage is under way", {}
    return "{stage}: {n} quarters, {chance:.0%} chance of success", {
        "stage": STAGE_TITLES[stage.name], "n": stage.quarters, "chance": stage.success_chance}


def _deep_sea_money(world, values) -> float:
    stage, _ = _deep_sea_stage(world)
    return stage.cost_musd if stage is not None else 0.0


def _project_lead(world, values) -> tuple[str, dict]:
    project = world.projects.get(values.get("project"))
    if project is None:
        return "-", {}
    if project.is_building:
        return "building, {n} quarters left", {"n": project.quarters_left}
    return "{n} quarters once approved and funded", {"n": project.lead_quarters}


LEVERS: tuple[Lever, ...] = (
    Lever("release_stockpile", "Stockpile", "Release stockpile",
          "Sells oxide from the national stockpile into Japan's market this quarter. More supply at home "
          "lowers Japan's price while it lasts; what is sold is gone until it is bought back.",
          (Choice("material", "Material", _materials), Choice("tonnes", "Tonnes", _steps((50, 100, 250, 500, 1000, 2000), "{v:,} t"), 2)),
          lambda v: ReleaseStockpile(v["material"], float(v["tonnes"])),
          lambda w, v: 0.0, lambda w, v: ("this quarter", {})),
    Lever("buy_stockpile", "Stockpile", "Buy for the stockpile",
          "Bids for oxide on the market this quarter, up to a price cap. The stock guards against the next "
          "halt, but buying competes with Japan's own factories and pushes the price up.",
          (Choice("material", "Material", _materials), Choice("tonnes", "Tonnes", _steps((50, 100, 250, 500, 1000), "{v:,} t"), 2),
           Choice("cap", "Price cap", _max_prices, 1)),
          lambda v: BuyStockpile(v["material"], float(v["tonnes"]), round(v["cap"] * v["_price"], 2)),
          lambda w, v: v["tonnes"] * v["cap"] * _japan_price(w, v["material"]) / 1000.0,
          lambda w, v: ("this quarter, if sellers meet the cap", {})),
    Lever("invest_in_project", "Invest", "Invest in a project",
          "Lends to or buys into a mine or plant abroad for offtake rights. The host must approve it; it "
          "is built over its lead time, can be delayed or fail, and then owes Japan tonnes every year.",
          (Choice("project", "Project", _projects), Choice("amount", "Money", _steps((25, 50, 100, 250, 500), "US${v:,}M"), 2),
           Choice("offtake", "Offtake", _steps((0, 1000, 2500, 5000, 8500), "{v:,} t/yr"), 2),
           Choice("years", "Years", _steps((5, 10, 15), "{v} years"), 1)),
          lambda v: InvestInProject(v["project"], float(v["amount"]), float(v["offtake"]), int(v["years"])),
          lambda w, v: float(v["amount"]), _project_lead),
    Lever("refinance_supplier", "Invest", "Refinance a supplier",
          "Lends a mine or plant money, as JOGMEC did for Lynas: it pays what it owes and keeps going, a "
          "bankrupt one restarts, and it sells to Japan first. The loan is owed back only in its books.",
          (Choice("firm", "Supplier", _suppliers), Choice("amount", "Money", _steps((25, 50, 100, 250), "US${v:,}M"), 1)),
          lambda v: RefinanceSupplier(v["firm"], float(v["amount"])),
          lambda w, v: float(v["amount"]), _supplier_books),
    Lever("propose_offtake", "Trade", "Propose an offtake contract",
          "Offers a plant a long-term contract. It bargains: it may accept, counter with other terms, or "
          "refuse and say why. A signed contract delivers before the spot market clears.",
          (), lambda v: None, lambda w, v: 0.0, lambda w, v: ("deliveries start next quarter", {}), opens_dialog=True),
    Lever("hold_talks", "Diplomacy", "Hold talks",
          "Talks ease tension with the other nation; less tension means less pressure on trade with it.",
          (Choice("partner", "With", lambda w: _partners(w, True)),),
          lambda v: HoldTalks(v["partner"]), lambda w, v: 0.0, lambda w, v: ("this quarter", {})),
    Lever("sign_partnership", "Diplomacy", "Sign a supply partnership",
          "The partner approves projects Japan helps finance sooner and its plants treat Japan as a "
          "preferred buyer; tension between the two eases.",
          (Choice("partner", "Partner", lambda w: _partners(w, False)),),
          lambda v: SignPartnership(v["partner"]), lambda w, v: 0.0, lambda w, v: ("this quarter", {})),
    Lever("file_wto_case", "Diplomacy", "File a WTO case",
          "Challenges export restrictions at the WTO. The case runs through consultations, a panel and "
          "appeal over about three years; if it is won, the respondent must lift its duties and quotas.",
          (Choice("respondent", "Against", lambda w: [(CHINA, w.nation(CHINA).name)] if w.has_nation(CHINA) else []),
           Choice("partners", "With", _wto_partners, 2)),
          lambda v: FileWtoCase(v["respondent"], tuple(v["partners"])),
          lambda w, v: 0.0, lambda w, v: ("about 12 quarters to a ruling", {})),
    Lever("fund_recycling", "Industry", "Fund recycling",
          "Pays for recycling capacity. Once built it is fed from the urban mine: magnets in products that "
          "reach the end of their life and are collected. No scrap collected, nothing recycled.",
          (Choice("recycler", "Plant", _recyclers), Choice("amount", "Money", _steps((10, 25, 50, 100), "US${v:,}M"), 1)),
          lambda v: FundRecycling(v["recycler"], float(v["amount"])),
          lambda w, v: float(v["amount"]),
          lambda w, v: ("{n} quarters once approved", {"n": w.assumptions.build_quarters_recycler})),
    Lever("set_collection_rules", "Industry", "Set collection rules",
          "Take-back rules for hybrid motors, hard disks and compressors: more end-of-life magnets reach "
          "the recyclers. Each 5 points of collection costs US$50M a year.",
          (Choice("rate", "Collected", _steps((0.1, 0.2, 0.3, 0.4, 0.5), "{v:.0%}"), 1),),
          lambda v: SetCollectionRules(float(v["rate"])),
          lambda w, v: SetCollectionRules(float(v["rate"])).yearly_cost(w, JAPAN) / 4.0,
          lambda w, v: ("from this quarter, every quarter", {})),
    Lever("fund_magnet_research", "Industry", "Fund magnet R&D",
          "Research into magnets that need less dysprosium and terbium. When it is done, Japan's magnet "
          "makers use less Dy/Tb for the same magnets; more money, smaller further gains.",
          (Choice("amount", "Money", _steps((10, 25, 50, 100), "US${v:,}M"), 1),),
          lambda v: FundMagnetResearch(float(v["amount"])),
          lambda w, v: float(v["amount"]), lambda w, v: ("{n} quarters", {"n": w.assumptions.research_quarters})),
    Lever("support_industry", "Industry", "Emergency support to industry",
          "Money to Japan's buyers for this quarter: they can outbid others on the spot market. It buys "
          "time, not supply: the tonnes still have to be for sale.",
          (Choice("amount", "Money", _steps((50, 100, 250, 500), "US${v:,}M"), 1),),
          lambda v: SupportIndustry(float(v["amount"])),
          lambda w, v: float(v["amount"]), lambda w, v: ("this quarter", {})),
    Lever("fund_deep_sea", "Industry", "Fund the deep-sea programme",
          "Funds the next stage of the Minamitorishima mud programme: survey, pilot, test recovery, "
          "demonstration, commercial. Each stage takes time, can fail, and harms the seabed more.",
          (), lambda v: FundDeepSea(), _deep_sea_money, _deep_sea_lead),
)

SHORT_NAMES = {"release_stockpile": "Release stock", "buy_stockpile": "Buy stock",
               "invest_in_project": "Invest in a project", "propose_offtake": "Offtake contract",
               "refinance_supplier": "Refinance",
               "hold_talks": "Hold talks", "sign_partnership": "Partnership", "file_wto_case": "WTO case",
               "fund_recycling": "Fund recycling", "set_collection_rules": "Collection rules",
               "fund_magnet_research": "Magnet R&D", "support_industry": "Support industry",
               "fund_deep_sea": "Deep-sea programme"}
LEVERS = tuple(replace(lever, short=SHORT_NAMES[lever.kind]) for lever in LEVERS)
LEVER_BY_KIND = {lever.kind: lever for lever in LEVERS}


def offtake_choices() -> tuple[Choice, ...]:
    """The terms a player sets in the negotiation dialog."""
    return (Choice("seller", "Seller", _sellers), Choice("material", "Material", _materials),
            Choice("tonnes", "Tonnes a year", _steps((250, 500, 1000, 2000, 4000, 8000), "{v:,} t/yr"), 2),
            Choice("years", "Years", _steps((1, 3, 5, 10), "{v} years"), 2))


def build_action(lever: Lever, world, values: dict[str, Any]) -> Action | None:
    """The action the lever's current values describe (None if a choice has no option)."""
    if any(v is None for v in values.values()):
        return None
    extra = dict(values)
    if "material" in values:
        extra["_price"] = _japan_price(world, values["material"])
    return lever.build(extra)
