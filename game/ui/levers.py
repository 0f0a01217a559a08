"""Japan's levers as the turn screen shows them: the choices each action takes, what it costs,
how long it takes, and the mechanism it works through.

A choice is either a list of options (a material, a partner, a project) or an amount (tonnes,
money, years, a price: game.ui.amounts), stepped with buttons that stop at the ends, typed, or
set to all or to what is needed, with its limits shown; so a lever can be set with the mouse
alone or the keyboard alone, and to any quantity a strategy file could give. Building the
Action is all a lever does; the session checks and applies it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import combinations
from typing import Any

from agents.buyers import ManufacturerFirm
from agents.producers import MinerFirm, RecyclerFirm, SeparatorFirm
from game.actions import (
    ACTION_TYPES,
    MAX_COLLECTION_RATE,
    NOTHING_LEFT_TPY,
    TALKS_EASE_AT_LEAST,
    Action,
    BuyStockpile,
    FileWtoCase,
    FundDeepSea,
    FundMagnetResearch,
    FundRecycling,
    HoldTalks,
    InvestInProject,
    RefinanceSupplier,
    ReleaseStockpile,
    SetCollectionRules,
    SignPartnership,
    SupportIndustry,
    budget_left_musd,
)
from game.ui.amounts import Amount, money_steps, round_prices, tonnage_steps, yearly_tonnage_steps
from game.vocab.materials import MATERIAL_INDEX, MATERIALS, Material
from game.vocab.nations import CHINA, JAPAN, REST_OF_WORLD
from game.world.deepsea import STAGES
from game.world.industry import quarterly_spend_musd
from game.world.supply_report import supply_report
from game.world.views import seller_spare_tpy

#: Days of use the national stockpile aims at (jp_stockpile_target: 60 days, national and private).
STOCKPILE_TARGET_DAYS = 60.0

SHORT = {Material.NDPR: "NdPr", Material.DYTB: "Dy/Tb", Material.CELA: "Ce/La"}

#: (value, what the player reads): the text is a template in English, filled with ``v`` (the
#: value) after translation, so "{v:,} t" reads as "250 t" in every language.
Option = tuple[Any, str]


@dataclass(frozen=True)
class Choice:
    name: str
    label: str
    options: Callable[[Any], list[Option]] = lambda world: []  # world -> options (a list choice)
    default: int = 0
    amount: Amount | None = None  # set for a quantity instead of a list
    #: How an option reads in the player's language, where it names firms or nations:
    #: (world, value, name, tr) -> text, with name(kind, id) a firm's or nation's name.
    label_of: Callable[[Any, Any, Callable[[str, str], str], Callable[..., str]], str] | None = None
    #: (value, tr) -> a shorter name where the whole one does not fit the form, or None: a WTO
    #: case's partners read "United States…Union" there, cut in the middle.
    short_of: Callable[[Any, Callable[..., str]], str | None] | None = None


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
    #: (world, values) -> why taking it now would do nothing (a template and its fields), which
    #: the session would refuse, or None: talks at tension's usual level ease nothing.
    idle: Callable[[Any, dict[str, Any]], tuple[str, dict] | None] | None = None

    @property
    def capital(self) -> float:
        return ACTION_TYPES[self.kind].capital


TABS = ("Stockpile", "Invest", "Trade", "Diplomacy", "Industry")


def _materials(world) -> list[Option]:
    return [(m, SHORT[m]) for m in MATERIALS]


def _japan_price(world, material: Material) -> float:
    return float(world.prices[world.nation_index(JAPAN), MATERIAL_INDEX[material]])


def _dearest_price(world) -> float:
    return float(world.prices[world.nation_index(JAPAN)].max())


def _listed_projects(world) -> list:
    """The projects the Invest lever lists: the level's, not finished or failed."""
    return [p for p in world.projects.values() if not p.done and not p.failed and p.origin == "level"]


def _projects(world) -> list[Option]:
    options = []
    for project in _listed_projects(world):
        firm = world.firm(project.firm)
        options.append((project.id, _aside_in_brackets(firm.name, f"{firm.name} (+{project.adds_tpy:,.0f} t/yr)")))
    return options or [(None, "no project open")]


def _aside_in_brackets(name: str, line: str) -> str:
    """``line``, which is ``name`` and then an aside of its own, with the aside inside the name's
    brackets where the name ends in some: "Mt Weld (Lynas, +22,000 t/yr)", "Silmet (Estonia,
    European Union)", not "Mt Weld (Lynas) (+22,000 t/yr)". Japanese asides are joined so by ``tr``
    (game.vocab.asides)."""
    rest = line[len(name):]
    if line.startswith(name) and name.endswith(")") and rest.startswith(" (") and rest.endswith(")"):
        return f"{name[:-1]}, {rest[2:]}"
    return line


def _project_label(world, value, name, tr) -> str:
    project = world.projects[value]
    firm = name("firm", project.firm)
    twins = [other for other in _listed_projects(world) if project.reads_alike(other)]
    if twins:  # Lynas's two phases read alike in the list: what tells them apart is when they are built
        return _aside_in_brackets(firm, tr("{name} (+{tpy:,.0f} t/yr, {n} quarters to build)", name=firm,
                                           tpy=project.adds_tpy, n=project.quarters_to_build))
    return _aside_in_brackets(firm, tr("{name} (+{tpy:,.0f} t/yr)", name=firm, tpy=project.adds_tpy))


def _firm_label(world, value, name, tr) -> str:
    return name("firm", value)


def _nation_label(world, value, name, tr) -> str:
    return name("nation", value)


def _says_place(firm: str, nation: str) -> bool:
    """Whether a firm's name names its nation already ("Showa Denko Vietnam alloy recycling",
    "... (Vietnam)"): as a word of its own in Latin letters (the EU is not in "EURARE"), anywhere
    in Japanese, which runs words together."""
    return re.search(rf"(?<![A-Za-z]){re.escape(nation)}(?![A-Za-z])", firm) is not None


def _firm_and_nation(world, value, name, tr) -> str:
    """A firm's name with its nation said once. A name that names the nation stays as it is; a
    name with brackets of its own takes the nation inside them ("Silmet (Estonia, European
    Union)", "Lovozero loparite (Russia, Rest of the world)": where it is, then where the world
    counts it), not as a second aside ("Silmet (Estonia) (EU)")."""
    firm, nation = name("firm", value), name("nation", world.firm(value).nation)
    if _says_place(firm, nation):
        return firm
    return _aside_in_brackets(firm, tr("{name} ({nation})", name=firm, nation=nation))


def _seller_label(world, value, name, tr) -> str:
    return _firm_and_nation(world, value, name, tr)


def _supplier_label(world, value, name, tr) -> str:
    firm = world.firm(value)
    template = ("{name}: cash US${cash:,.0f}M, debt US${debt:,.0f}M" if firm.alive else
                "{name}: bankrupt; cash US${cash:,.0f}M, debt US${debt:,.0f}M")
    return tr(template, name=_firm_and_nation(world, value, name, tr), cash=firm.cash_musd, debt=firm.debt_musd)


def option_text(choice: Choice, world, value, text: str, name: Callable[[str, str], str], tr) -> str:
    """What an option reads as: names in the player's language where it names firms or
    nations, else its label translated."""
    if choice.label_of is not None and value is not None:
        return choice.label_of(world, value, name, tr)
    return tr(text, v=value)


def _covered(world) -> list[Option]:
    """Which of the project's oxides the offtake takes: all it makes, or the magnet oxides only
    (Japan's buyers then take Ce/La on the open market), or one of them."""
    return [((), "all it makes"), ((Material.NDPR, Material.DYTB), "NdPr and Dy/Tb"), ((Material.NDPR,), "NdPr"),
            ((Material.DYTB,), "Dy/Tb"), ((Material.CELA,), "Ce/La")]


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
    """Alone, or with any one, two or three of the other nations whose industry buys rare
    earths (the ones with a stake in a case against export restrictions), smallest first."""
    importers = [code for code in world.nation_codes if code not in (JAPAN, CHINA, REST_OF_WORLD)
                 and any(isinstance(b, ManufacturerFirm) for b in world.buyers_in[code])]
    groups = [group for size in (1, 2, 3) for group in combinations(importers, size)]
    # The US and the EU first after going alone: the three filed together in 2012 (DS431-433).
    groups.sort(key=lambda group: set(group) != {"USA", "EU"})
    return [((), "alone")] + [(group, "with {v}") for group in groups]


def _wto_label(world, value, name, tr) -> str:
    if not value:
        return tr("alone")
    # The choice is labelled "With" already: "With: with United States" said it twice.
    return tr(", ").join(name("nation", code) for code in value)


def _wto_short(value, tr) -> str | None:
    """The partners by the codes the map labels them with ("USA, EU")."""
    return tr(", ").join(value) if value else None


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
    firms = [f for f in [*world.sellers, *world.firms_of(MinerFirm)] if f.nation != CHINA and f.capacity_tpy > 0]
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


def _deep_sea_idle(world, values) -> tuple[str, dict] | None:
    """A stage under way, or none left: FundDeepSea is refused, and the form said only "Takes: a
    stage is under way" over a Take action that was."""
    stage, building = _deep_sea_stage(world)
    if stage is None:
        return "The programme is complete", {}
    return ("A stage is under way", {}) if building else None


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


def _budget_left(world) -> float:
    """Money Japan can still commit this quarter (what levers taken already will spend is out)."""
    return max(0.0, budget_left_musd(world, JAPAN))


def _money(default: float, need=None) -> Amount:
    return Amount("US${v}M", lambda w, v: (_budget_left(w), "the budget left this quarter"), least=1.0,
                  steps=money_steps, default=lambda w, v: default, need=need, budget_bound=True)


def _held(world, values) -> tuple[float, str]:
    m = MATERIAL_INDEX[values["material"]]
    japan = world.nation(JAPAN)
    return max(0.0, float(japan.stockpile[m] - japan.release_orders[m])), "left in the stockpile"


def _supply_of(world, values):
    return supply_report(world, JAPAN).materials[MATERIAL_INDEX[values["material"]]]


def _release_need(world, values) -> tuple[float, str] | None:
    """What the market must still supply this quarter, as far as the stockpile can give it."""
    return _supply_of(world, values).to_buy_next_t, "still to buy on the market this quarter"


def _buy_need(world, values) -> tuple[float, str] | None:
    material = _supply_of(world, values)
    daily = material.need_next_t / world.quarter.days
    short = STOCKPILE_TARGET_DAYS * daily - material.stockpile_t - material.purchase_ordered_t
    return max(0.0, short), "to hold 60 days of use"


def _buy_most(world, values) -> tuple[float, str]:
    cap = values.get("cap") or _japan_price(world, values["material"])
    return _budget_left(world) * 1000.0 / cap if cap > 0 else 0.0, "what the budget left pays at the price cap"


def _cap_steps(world, values) -> tuple[float, ...]:
    """Round prices from a little under today's to five times it (Nd at US$55/kg: 45, 50, 60,
    70 ... 250; the steps were today's price times 0.8 ... 5, US$60.96, 83.12, 110.83)."""
    price = _japan_price(world, values["material"])
    return round_prices(0.8 * price, 5.0 * price)


def _cap_default(world, values) -> float:
    """The first round price at least 5% over today's, so a bid made at once is likely to buy."""
    price = _japan_price(world, values["material"])
    return next(iter(round_prices(1.05 * price, 2.0 * price)), round(1.1 * price, 2))


def _project_of(world, values):
    return world.projects.get(values.get("project"))


def _offtake_most(world, values) -> tuple[float, str]:
    """What the money chosen (with what Japan put in before) buys of what the project adds, less
    the offtakes Japan holds there already."""
    project = _project_of(world, values)
    if project is None:
        return 0.0, "no project"
    amount = float(values.get("amount") or 0.0)
    return world.investment.offtake_open_tpy(project, JAPAN, amount), "what this money buys of the project's output"


def _talks_lead(world, values) -> tuple[str, dict]:
    """When talks work and what they would ease: at their baseline they ease nothing, and a
    player paid 3 political capital twice for "tension eases by 0.00"."""
    partner = values.get("partner")
    if not partner or not world.has_nation(partner):
        return "this quarter", {}
    eased = world.diplomacy.talks_would_ease(JAPAN, partner)
    if eased < TALKS_EASE_AT_LEAST:
        return "this quarter, easing nothing: tension is at its usual level", {}
    return "this quarter, easing tension by about {eased:.2f}", {"eased": eased}


def _talks_idle(world, values) -> tuple[str, dict] | None:
    """Talks at tension's usual level: they would ease nothing, and HoldTalks refuses them."""
    partner = values.get("partner")
    if partner and world.has_nation(partner) and world.diplomacy.talks_would_ease(JAPAN, partner) < TALKS_EASE_AT_LEAST:
        return "No tension to ease now", {}
    return None


def _invest_need(world, values) -> tuple[float, str] | None:
    """The money that buys the project's whole output for Japan."""
    project = _project_of(world, values)
    if project is None or project.cost_musd <= 0:
        return None
    per_share = world.assumptions.offtake_per_cost_share
    whole = project.cost_musd / per_share if per_share > 0 else project.cost_musd
    return max(0.0, whole - project.funders.get(JAPAN, 0.0)), "buys all the output the project adds"


def _yearly_gap(world, values) -> tuple[float, str] | None:
    """Japan's yearly use of the material not covered by contracts due."""
    material = _supply_of(world, values)
    return max(0.0, 4.0 * (material.need_next_t - material.contracts_due_t)), "Japan's yearly use not under contract"


def _support_need(world, values) -> tuple[float, str] | None:
    return quarterly_spend_musd(world, JAPAN) * world.assumptions.max_support_boost, "the most support can add this quarter"


def _refinance_need(world, values) -> tuple[float, str] | None:
    if not world.has_firm(values.get("firm") or ""):
        return None
    firm = world.firm(values["firm"])
    return max(0.0, firm.debt_musd - max(0.0, firm.cash_musd)), "its debt beyond its cash"


TONNES = "{v} t"
YEARLY = "{v} t/yr"
YEARS = "{v} years"


LEVERS: tuple[Lever, ...] = (
    Lever("release_stockpile", "Stockpile", "Release stockpile",
          "Sells oxide from the national stockpile into Japan's market this quarter. More supply at home "
          "lowers Japan's price while it lasts; what is sold is gone until it is bought back.",
          (Choice("material", "Material", _materials),
           Choice("tonnes", "Tonnes", amount=Amount(TONNES, _held, least=0.1, steps=tonnage_steps,
                                                    default=lambda w, v: 250.0 if v["material"] != Material.DYTB else 10.0,
                                                    need=_release_need))),
          lambda v: ReleaseStockpile(v["material"], float(v["tonnes"])),
          lambda w, v: 0.0, lambda w, v: ("this quarter", {})),
    Lever("buy_stockpile", "Stockpile", "Buy for the stockpile",
          "Bids for oxide on the market this quarter, up to a price cap. The stock guards against the next "
          "halt, but buying competes with Japan's own factories and pushes the price up.",
          (Choice("material", "Material", _materials),
           Choice("cap", "Price cap", amount=Amount("US${v}/kg", lambda w, v: (10.0 * _japan_price(w, v["material"]),
                                                                              "ten times today's price"),
                                                   least=0.01, steps=_cap_steps, shown_limit=False, decimals=2,
                                                   default=_cap_default,
                                                   about="The most Japan pays, in US$ a kg: what sells dearer is not "
                                                         "bought.")),
           Choice("tonnes", "Tonnes", amount=Amount(TONNES, _buy_most, least=0.1, steps=tonnage_steps,
                                                    default=lambda w, v: 250.0 if v["material"] != Material.DYTB else 10.0,
                                                    need=_buy_need, budget_bound=True))),
          lambda v: BuyStockpile(v["material"], float(v["tonnes"]), round(float(v["cap"]), 2)),
          lambda w, v: BuyStockpile(v["material"], float(v["tonnes"]), round(float(v["cap"]), 2)).most_cost_musd,
          lambda w, v: ("this quarter, if sellers meet the cap", {})),
    Lever("invest_in_project", "Invest", "Invest in a project",
          "Lends to or buys into a mine or plant abroad for offtake rights. The host must approve it; it "
          "is built over its lead time, can be delayed or fail, and then owes Japan tonnes every year.",
          (Choice("project", "Project", _projects, label_of=_project_label),
           Choice("amount", "Money", amount=_money(100.0, _invest_need)),
           Choice("offtake", "Offtake", amount=Amount(YEARLY, _offtake_most, steps=yearly_tonnage_steps,
                                                      default=lambda w, v: _offtake_most(w, v)[0])),
           Choice("years", "Years", amount=Amount(YEARS, lambda w, v: (30.0, "the longest an offtake runs"),
                                                  least=1.0, steps=lambda w, v: (1, 3, 5, 10, 15, 20, 25, 30),
                                                  default=lambda w, v: 10.0, integer=True, shown_limit=False,
                                                  about="How many years Japan's offtake rights run.")),
           Choice("materials", "Covers", _covered),
           Choice("price", "Paid at", amount=Amount(
               "US${v}/kg", lambda w, v: (10.0 * _dearest_price(w), "ten times Japan's dearest oxide now"),
               steps=lambda w, v: (0, 5, 10, 25, 50, 75, 100, 150, 200, 300, 500, 1000, 2000),
               default=lambda w, v: 0.0, shown_limit=False, decimals=2, zero_text="market price",
               about="What Japan pays for its offtake, in US$ a kg; 0: the market price."))),
          lambda v: InvestInProject(v["project"], float(v["amount"]), float(v["offtake"]), int(v["years"]),
                                    price_usd_per_kg=round(float(v["price"]), 2), materials=tuple(v["materials"])),
          lambda w, v: float(v["amount"]), _project_lead),
    Lever("refinance_supplier", "Invest", "Refinance a supplier",
          "Lends a mine or plant money, as JOGMEC did for Lynas: it pays what it owes and keeps going, a "
          "bankrupt one restarts, and it sells to Japan first. The loan is owed back only in its books.",
          (Choice("firm", "Supplier", _suppliers, label_of=_supplier_label),
           Choice("amount", "Money", amount=_money(50.0, _refinance_need))),
          lambda v: RefinanceSupplier(v["firm"], float(v["amount"])),
          lambda w, v: float(v["amount"]), _supplier_books),
    Lever("propose_offtake", "Trade", "Propose an offtake contract",
          "Offers a plant a long-term contract. It bargains: it may accept, counter with other terms, or "
          "refuse and say why. A signed contract delivers before the spot market clears.",
          (), lambda v: None, lambda w, v: 0.0, lambda w, v: ("deliveries start next quarter", {}), opens_dialog=True),
    Lever("hold_talks", "Diplomacy", "Hold talks",
          "Talks ease tension with the other nation; less tension means less pressure on trade with it.",
          (Choice("partner", "With", lambda w: _partners(w, True), label_of=_nation_label),),
          lambda v: HoldTalks(v["partner"]), lambda w, v: 0.0, _talks_lead, idle=_talks_idle),
    Lever("sign_partnership", "Diplomacy", "Sign a supply partnership",
          "The partner approves projects Japan helps finance sooner and its plants treat Japan as a "
          "preferred buyer; tension between the two eases.",
          (Choice("partner", "Partner", lambda w: _partners(w, False), label_of=_nation_label),),
          lambda v: SignPartnership(v["partner"]), lambda w, v: 0.0, lambda w, v: ("this quarter", {})),
    Lever("file_wto_case", "Diplomacy", "File a WTO case",
          "Challenges export restrictions at the WTO. The case runs through consultations, a panel and "
          "appeal over about three years; if it is won, the respondent must lift its duties and quotas. Filing "
          "raises its tension with Japan by 0.05.",
          (Choice("respondent", "Against", lambda w: [(CHINA, w.nation(CHINA).name)] if w.has_nation(CHINA) else [],
                  label_of=_nation_label),
           Choice("partners", "With", _wto_partners, 1, label_of=_wto_label, short_of=_wto_short)),
          lambda v: FileWtoCase(v["respondent"], tuple(v["partners"])),
          lambda w, v: 0.0, lambda w, v: ("about 12 quarters to a ruling", {})),
    Lever("fund_recycling", "Industry", "Fund recycling",
          "Pays for recycling capacity. Once built it is fed from the urban mine: magnets in products that "
          "reach the end of their life and are collected. No scrap collected, nothing recycled.",
          (Choice("recycler", "Plant", _recyclers, label_of=_firm_label), Choice("amount", "Money", amount=_money(25.0))),
          lambda v: FundRecycling(v["recycler"], float(v["amount"])),
          lambda w, v: float(v["amount"]),
          lambda w, v: ("{n} quarters once approved", {"n": w.assumptions.build_quarters_recycler})),
    Lever("set_collection_rules", "Industry", "Set collection rules",
          "Take-back rules for hybrid motors, hard disks and compressors: more end-of-life magnets reach "
          "the recyclers. Each 5 points of collection costs US$50M a year.",
          (Choice("rate", "Collected", amount=Amount("{v}%", lambda w, v: (MAX_COLLECTION_RATE,
                                                                                "the most take-back rules reach"),
                                                       steps=lambda w, v: tuple(k / 20 for k in range(11)),
                                                       default=lambda w, v: 0.2, percent=True, shown_limit=False,
                                                       about="The share of end-of-life magnets the rules collect.")),),
          lambda v: SetCollectionRules(float(v["rate"])),
          lambda w, v: SetCollectionRules(float(v["rate"])).yearly_cost(w, JAPAN) / 4.0,
          lambda w, v: ("from this quarter, every quarter", {})),
    Lever("fund_magnet_research", "Industry", "Fund magnet R&D",
          "Research into magnets that need less dysprosium and terbium. When it is done, Japan's magnet "
          "makers use less Dy/Tb for the same magnets; more money, smaller further gains.",
          (Choice("amount", "Money", amount=_money(25.0)),),
          lambda v: FundMagnetResearch(float(v["amount"])),
          lambda w, v: float(v["amount"]), lambda w, v: ("{n} quarters", {"n": w.assumptions.research_quarters})),
    Lever("support_industry", "Industry", "Emergency support to industry",
          "Money to Japan's buyers for this quarter: they can outbid others on the spot market. It buys "
          "time, not supply: the tonnes still have to be for sale.",
          (Choice("amount", "Money", amount=_money(100.0, _support_need)),),
          lambda v: SupportIndustry(float(v["amount"])),
          lambda w, v: float(v["amount"]), lambda w, v: ("this quarter", {})),
    Lever("fund_deep_sea", "Industry", "Fund the deep-sea programme",
          "Funds the next stage of the Minamitorishima mud programme: survey, pilot, test recovery, "
          "demonstration, commercial. Each stage takes time, can fail, and harms the seabed more.",
          (), lambda v: FundDeepSea(), _deep_sea_money, _deep_sea_lead, idle=_deep_sea_idle),
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
    """The terms a player sets in the negotiation dialog (the price is set there, by Japan's)."""
    return (Choice("seller", "Seller", _sellers, label_of=_seller_label), Choice("material", "Material", _materials),
            Choice("tonnes", "Tonnes a year", amount=Amount(YEARLY, _seller_most, least=1.0, steps=yearly_tonnage_steps,
                                                            default=_seller_default, need=_yearly_gap)),
            Choice("years", "Years", amount=Amount(YEARS, lambda w, v: (20.0, "the longest a contract runs"),
                                                   least=1.0, steps=lambda w, v: (1, 2, 3, 5, 7, 10, 15, 20),
                                                   default=lambda w, v: 5.0, integer=True, shown_limit=False,
                                                   about="How many years the contract runs: the tonnes come each "
                                                         "year.")))


#: Why a seller may be asked for nothing though it makes the material.
SOLD_OUT = "it has sold all it makes forward"


def _seller_most(world, values) -> tuple[float, str]:
    """A seller may be asked for what it makes of the material and has not yet sold forward: it
    bargains over no more ("up to 594 t/yr (all it makes a year)" stood beside "It has 0 t/yr not
    yet sold forward" after a deal for all of it)."""
    if not world.has_firm(values.get("seller") or ""):
        return 0.0, "no seller"
    firm = world.firm(values["seller"])
    m = MATERIAL_INDEX[values["material"]]
    made = firm.sustainable_output_tpy() * float(firm.output_mix()[m])
    # Under a tonne is none (the form says so, and Propose waits): it read "up to 1 t/yr (all it
    # makes a year)" of a plant making none of the material.
    if made < 1.0:
        return 0.0, "it makes none of it now"
    spare = seller_spare_tpy(world, values["seller"], m)
    return (spare, "what it has not yet sold forward") if spare >= NOTHING_LEFT_TPY else (0.0, SOLD_OUT)


def _seller_default(world, values) -> float:
    if not world.has_firm(values.get("seller") or ""):
        return 1.0
    spare = seller_spare_tpy(world, values["seller"], MATERIAL_INDEX[values["material"]])
    return max(1.0, min(spare, 1000.0))


def build_action(lever: Lever, world, values: dict[str, Any]) -> Action | None:
    """The action the lever's current values describe (None if a choice has no option)."""
    if any(v is None for v in values.values()):
        return None
    extra = dict(values)
    if "material" in values:
        extra["_price"] = _japan_price(world, values["material"])
    return lever.build(extra)


class ChoiceValues:
    """What the player has chosen for one lever's choices: an option's index for a list, a
    value for an amount. Values are worked out in the choices' order, because an amount's
    limits depend on the choices before it (the tonnes left depend on the material)."""

    def __init__(self):
        self.indices: dict[str, int] = {}
        #: The option chosen in each list, by what it names: a list can reorder between two
        #: looks (the suppliers, least cash first, after a loan), and the choice goes with it.
        self.picked: dict[str, Any] = {}
        self.amounts: dict[str, float] = {}

    def values(self, choices: tuple[Choice, ...], world) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for choice in choices:
            if choice.amount is not None:
                amount = choice.amount
                raw = self.amounts.get(choice.name)
                # Nothing to set (no budget left, a stockpile released whole) is none, not the
                # least the amount takes: US$1M of a budget at zero bought the Invest form 220 t/yr.
                values[choice.name] = 0.0 if not amount.is_settable(world, values) else \
                    amount.clamp(amount.default(world, values) if raw is None else raw, world, values)
            else:
                options = choice.options(world)
                values[choice.name] = options[self.index(choice, options)][0] if options else None
        return values

    def index(self, choice: Choice, options: list) -> int:
        """Where the option chosen stands in ``options`` now; the row it stood at if it has gone."""
        if choice.name in self.picked:
            for i, (value, _) in enumerate(options):
                if value == self.picked[choice.name]:
                    return i
        return min(self.indices.get(choice.name, choice.default), max(0, len(options) - 1))

    def choose(self, choice: Choice, options: list, index: int) -> None:
        """The option at ``index`` of ``options`` is the one chosen, wherever the list puts it next."""
        self.indices[choice.name] = index
        self.picked[choice.name] = options[index][0]

    def step(self, choices: tuple[Choice, ...], choice: Choice, direction: int, world) -> None:
        """One step along a list or an amount; the ends stop it (nothing wraps)."""
        if choice.amount is not None:
            values = self.values(choices, world)
            context = {k: v for k, v in values.items() if k != choice.name}
            self.amounts[choice.name] = choice.amount.step_from(values[choice.name], direction, world, context)
            return
        options = choice.options(world)
        if not options:
            return
        self.choose(choice, options, min(max(self.index(choice, options) + direction, 0), len(options) - 1))
        self._forget_after(choices, choice)

    def set_amount(self, choice: Choice, value: float) -> None:
        self.amounts[choice.name] = value

    def pick(self, choices: tuple[Choice, ...], choice: Choice, index: int, world) -> None:
        """The option at ``index`` of a list, chosen from the whole list at once."""
        self.choose(choice, choice.options(world), index)
        self._forget_after(choices, choice)

    def _forget_after(self, choices: tuple[Choice, ...], changed: Choice) -> None:
        """A new material or seller changes what the amounts after it mean: they start afresh."""
        after = False
        for choice in choices:
            if choice is changed:
                after = True
            elif after and choice.amount is not None:
                self.amounts.pop(choice.name, None)

    def at_end(self, choices: tuple[Choice, ...], choice: Choice, world, values: dict) -> tuple[bool, bool]:
        """Whether the choice stands at its first and at its last value (its ◀ and ▶ do nothing)."""
        if choice.amount is not None:
            context = {k: v for k, v in values.items() if k != choice.name}
            if not choice.amount.is_settable(world, context):
                return True, True
            most, _ = choice.amount.most(world, context)
            value = values[choice.name]
            return value <= choice.amount.least + 1e-9, value >= max(most, choice.amount.least) - 1e-9
        options = choice.options(world)
        index = self.index(choice, options)
        return index <= 0, index >= len(options) - 1


def cannot_take(lever: Lever, world, values: dict) -> tuple[str, dict] | None:
    """Why the lever cannot be taken now for want of what it spends or of anything to do, as the
    session would refuse it (an English template and its fields), or None: an amount with nothing
    to set, nothing it would do (``Lever.idle``: talks that ease nothing), more money than the
    budget left, more political capital than is left. The form said "Cost: US$1M" and offered
    Take action with no budget left, to be refused."""
    for choice in lever.choices:
        if choice.amount is not None and not choice.amount.is_settable(
                world, {k: v for k, v in values.items() if k != choice.name}):
            if choice.amount.budget_bound:
                return "No budget left this quarter", {}
            return "Nothing to set now: {what}", {"what": choice.label}
    if None in values.values():
        return None  # a choice with no option: the form says so on its line, and taking it says why
    idle = lever.idle(world, values) if lever.idle is not None else None
    if idle is not None:  # what it would do is nothing: say so before what it would spend
        return idle
    return cannot_afford(lever.money(world, values), lever.capital, budget_left_musd(world, JAPAN),
                         world.nation(JAPAN).political_capital)


def cannot_afford(money: float, capital: float, budget_left: float, held: float | None) -> tuple[str, dict] | None:
    """Why a lever spending ``money`` (US$M) and ``capital`` cannot be taken with ``budget_left``
    and ``held`` political capital (None: the player spends none, a company), as the session
    would refuse it (an English template and its fields), or None. The one-player form's check
    and a workshop team's, so both grey their button for the same reasons."""
    if money > budget_left + 1e-9:
        return "Not enough budget left this quarter", {}
    if held is not None and capital > held + 1e-9:
        return "Needs {capital:g} political capital, {held:g} left", {"capital": capital, "held": held}
    return None


def cost_line(tr, money: float, capital: float) -> str:
    """What a lever costs as its form says it (the one-player form's and a workshop team's)."""
    return tr("Cost: US${money:,.0f}M, {capital:.0f} political capital", money=money, capital=capital)


def limit_line(tr, choice: Choice, world, values: dict) -> str | None:
    """What bounds an amount now, as the form shows it: "Tonnes: up to 190 t (left in the stockpile)"."""
    amount = choice.amount
    if amount is None or not amount.shown_limit:
        return None
    context = {k: v for k, v in values.items() if k != choice.name}
    most, why = amount.most(world, context)
    if not amount.offers_any(world, context):
        return tr("{what}: none now ({why})", what=tr(choice.label), why=tr(why))
    return tr("{what}: up to {most} ({why})", what=tr(choice.label), most=amount.shown(tr, most),
              why=tr(why))


