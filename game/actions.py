"""The player's levers as data: each Action validates itself, costs money, and acts
through the world's mechanisms (never a flat bonus).

Every change from outside the world is an Action applied by the session, so a human,
a script, a bot, a replay and the RL environment all go the same way. An action that
is refused says why and leaves the world untouched.
"""

from __future__ import annotations

import math
from dataclasses import MISSING, dataclass, fields
from typing import TYPE_CHECKING, Any, ClassVar

from game.vocab.materials import MATERIAL_INDEX, OXIDE_SELLER_ROLES, Material, Role

#: Firms a nation can refinance: the ones that mine, separate or recycle.
PRODUCER_ROLES = (Role.MINER, Role.DEEP_SEA, Role.SEPARATOR, Role.RECYCLER)

if TYPE_CHECKING:
    from game.world.model import RareEarthWorld

#: Largest tonnage one action may move: well above any nation's yearly use.
MAX_TONNES = 1_000_000.0
MAX_MUSD = 1_000_000.0


#: Every kind of action, by the name files and saves use, in the order they are defined here.
ACTION_TYPES: dict[str, type[Action]] = {}


@dataclass(frozen=True)
class Action:
    """Base of all actions: ``check`` returns a reason to refuse (or None); ``apply`` acts."""

    kind: ClassVar[str] = ""
    label: ClassVar[str] = ""
    #: Political capital it takes (talks, cases and rules spend it; money is checked per action).
    capital: ClassVar[float] = 0.0

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Each kind of action registers itself under its ``kind``."""
        super().__init_subclass__(**kwargs)
        if cls.kind:
            ACTION_TYPES[cls.kind] = cls

    def check(self, world: RareEarthWorld, nation: str) -> str | None:
        raise NotImplementedError

    def check_capital(self, world: RareEarthWorld, nation: str) -> str | None:
        held = world.nation(nation).political_capital
        if self.capital > held + 1e-9:
            return f"needs {self.capital:g} political capital, {held:g} left this quarter"
        return None

    def apply(self, world: RareEarthWorld, nation: str) -> str:
        raise NotImplementedError

    def to_dict(self) -> dict[str, Any]:
        data = {"kind": self.kind}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, tuple):
                value = [v.value if isinstance(v, Material) else v for v in value]
            data[f.name] = value.value if isinstance(value, Material) else value
        return data


@dataclass(frozen=True)
class ReleaseStockpile(Action):
    """Offer tonnes from the national stockpile on the home market this quarter."""

    kind: ClassVar[str] = "release_stockpile"
    label: ClassVar[str] = "Release stockpile"
    material: Material
    tonnes: float

    def check(self, world, nation):
        held = world.nation(nation).stockpile[MATERIAL_INDEX[self.material]]
        ordered = world.nation(nation).release_orders[MATERIAL_INDEX[self.material]]
        if self.tonnes > held - ordered + 1e-9:
            return f"only {held - ordered:,.0f} t of {self.material.label} left in the stockpile to release"
        return None

    def apply(self, world, nation):
        world.exchange.order_stockpile_release(nation, MATERIAL_INDEX[self.material], self.tonnes)
        return f"Release {self.tonnes:,.0f} t of {self.material.label} from the stockpile"


@dataclass(frozen=True)
class BuyStockpile(Action):
    """Bid for tonnes to add to the national stockpile, paying at most a price."""

    kind: ClassVar[str] = "buy_stockpile"
    label: ClassVar[str] = "Buy for the stockpile"
    material: Material
    tonnes: float
    max_price_usd_per_kg: float

    def check(self, world, nation):
        if self.max_price_usd_per_kg <= 0:
            return "the highest price must be above zero"
        most = self.tonnes * self.max_price_usd_per_kg / 1000.0
        budget = world.nation(nation).budget_musd - _committed(world, nation)
        if most > budget + 1e-9:
            return f"could cost up to US${most:,.0f}M, more than the US${budget:,.0f}M budget left"
        return None

    def apply(self, world, nation):
        world.exchange.order_stockpile_purchase(nation, MATERIAL_INDEX[self.material], self.tonnes, self.max_price_usd_per_kg)
        return (f"Bid for {self.tonnes:,.0f} t of {self.material.label} for the stockpile, "
                f"up to US${self.max_price_usd_per_kg:,.2f}/kg")


@dataclass(frozen=True)
class InvestInProject(Action):
    """Fund a project abroad for offtake rights: it starts building if it was waiting for money,
    and once it produces, its owner owes the investor ``offtake_tpy`` for ``years`` years."""

    kind: ClassVar[str] = "invest_in_project"
    label: ClassVar[str] = "Invest in a project"
    project: str
    amount_musd: float
    offtake_tpy: float = 0.0
    years: int = 10
    price_usd_per_kg: float = 0.0  # 0: paid at the buyer's market price (indexed)
    materials: tuple[Material, ...] = ()  # the oxides the offtake covers; () for all it makes

    def check(self, world, nation):
        project = world.projects.get(self.project)
        if project is None:
            return f"no project {self.project!r} in this world"
        if project.done or project.failed:
            return f"project {self.project!r} has already {'finished' if project.done else 'failed'}"
        over = _over_budget(world, nation, self.amount_musd)
        if over:
            return over
        if not 1 <= self.years <= 30:
            return "offtake years must be from 1 to 30"
        if self.offtake_tpy > project.adds_tpy + 1e-9:
            return f"offtake of {self.offtake_tpy:,.0f} t/yr is more than the {project.adds_tpy:,.0f} t/yr the project adds"
        return None

    def apply(self, world, nation):
        granted = world.investment.invest_in_project(nation, self.project, self.amount_musd, self.offtake_tpy,
                                                     self.years, self.price_usd_per_kg, self.materials)
        capped = "" if granted >= self.offtake_tpy - 1e-9 else \
            f" (offtake capped at {granted:,.0f} t/yr: the share of the project your money pays for)"
        return f"Invest US${self.amount_musd:,.0f}M in {self.project} for {granted:,.0f} t/yr over {self.years} years" \
            + capped


@dataclass(frozen=True)
class ProposeOfftake(Action):
    """Offer a seller a long-term contract; it answers through the bargaining protocol:
    it accepts (the contract is signed), counters, or refuses and says why."""

    kind: ClassVar[str] = "propose_offtake"
    label: ClassVar[str] = "Propose an offtake contract"
    capital: ClassVar[float] = 1.0
    seller: str
    material: Material
    tonnes_per_year: float
    years: int
    price_usd_per_kg: float
    round: int = 0  # which round of the bargaining this proposal is (0: the opening offer)

    def check(self, world, nation):
        if not world.has_firm(self.seller) or world.firm(self.seller).role not in OXIDE_SELLER_ROLES:
            return f"no plant {self.seller!r} that sells oxides"
        firm = world.firm(self.seller)
        if not firm.alive:
            return f"{firm.name} is bankrupt"
        if firm.output_mix()[MATERIAL_INDEX[self.material]] <= 0:
            return f"{firm.name} makes no {self.material.label}"
        if self.tonnes_per_year <= 0 or self.price_usd_per_kg <= 0:
            return "tonnes and price must be above zero"
        if not 1 <= self.years <= 20:
            return "years must be from 1 to 20"
        rounds = world.assumptions.negotiation_rounds
        if not 0 <= self.round < rounds:
            return f"round must be from 0 to {rounds - 1}"
        return None

    def apply(self, world, nation):
        response = world.offtakes.propose(nation, self.seller, MATERIAL_INDEX[self.material], self.tonnes_per_year,
                                         self.years, self.price_usd_per_kg, self.round)
        name = world.firm(self.seller).name
        if response.action == "accept":
            return f"{name} accepts: {self.tonnes_per_year:,.0f} t/yr for {self.years} years at US${self.price_usd_per_kg:,.2f}/kg"
        if response.action == "counter":
            return f"{name} counters: {response.reason}"
        return f"{name} refuses: {response.reason}"


@dataclass(frozen=True)
class HoldTalks(Action):
    """Talks with a partner: tension falls by a share of how far it stands above its baseline."""

    kind: ClassVar[str] = "hold_talks"
    label: ClassVar[str] = "Hold talks"
    capital: ClassVar[float] = 3.0
    partner: str = "CHN"

    def check(self, world, nation):
        if not world.has_nation(self.partner) or self.partner == nation:
            return f"no partner {self.partner!r} to talk to"
        return None

    def apply(self, world, nation):
        eased = world.diplomacy.hold_talks(nation, self.partner)
        return f"Talks with {world.nation(self.partner).name}: tension eases by {eased:.2f}"


@dataclass(frozen=True)
class SignPartnership(Action):
    """A supply partnership with a supplier nation (as Japan signed with Vietnam, India and
    Kazakhstan): its plants treat Japan as a preferred buyer, it approves Japanese-financed
    projects sooner, and tension eases a little."""

    kind: ClassVar[str] = "sign_partnership"
    label: ClassVar[str] = "Sign a supply partnership"
    capital: ClassVar[float] = 3.0
    partner: str

    def check(self, world, nation):
        if not world.has_nation(self.partner) or self.partner == nation:
            return f"no partner {self.partner!r}"
        if world.nation(self.partner).doctrine != "partner":
            return f"{world.nation(self.partner).name} does not sign supply partnerships"
        if self.partner in world.nation(nation).partners:
            return f"already partners with {world.nation(self.partner).name}"
        return None

    def apply(self, world, nation):
        world.diplomacy.sign_partnership(nation, self.partner)
        return f"Supply partnership with {world.nation(self.partner).name}"


@dataclass(frozen=True)
class FileWtoCase(Action):
    """Take a partner's export restrictions to the WTO, alone or with other complainants."""

    kind: ClassVar[str] = "file_wto_case"
    label: ClassVar[str] = "File a WTO case"
    capital: ClassVar[float] = 4.0
    respondent: str = "CHN"
    partners: tuple[str, ...] = ()

    def check(self, world, nation):
        if not world.has_nation(self.respondent) or self.respondent == nation:
            return f"no respondent {self.respondent!r}"
        unknown = [p for p in self.partners if not world.has_nation(p)]
        if unknown:
            return f"unknown partner {unknown[0]!r}"
        if not world.policy.has_controls(self.respondent):
            return f"{world.nation(self.respondent).name} has no export restrictions to challenge"
        return None

    def apply(self, world, nation):
        case = world.diplomacy.open_wto_case(self.respondent, [nation, *self.partners])
        world.nation(self.respondent).change_tension(nation, WTO_TENSION)
        return f"WTO case against {world.nation(self.respondent).name}: {', '.join(case.complainants)}"


@dataclass(frozen=True)
class RefinanceSupplier(Action):
    """Lend a producer money (as JOGMEC did for Lynas): it pays off what it owes and carries
    on, a bankrupt one is rescued, and the nation becomes the lender it turns to and a
    preferred buyer of its oxide."""

    kind: ClassVar[str] = "refinance_supplier"
    label: ClassVar[str] = "Refinance a supplier"
    firm: str
    amount_musd: float

    def check(self, world, nation):
        if not world.has_firm(self.firm):
            return f"no firm {self.firm!r} in this world"
        if world.firm(self.firm).role not in PRODUCER_ROLES:
            return f"{self.firm} is not a mine or a plant"
        return _over_budget(world, nation, self.amount_musd)

    def apply(self, world, nation):
        rescued = world.investment.refinance_supplier(nation, self.firm, self.amount_musd)
        name = world.firm(self.firm).name
        return (f"Lend US${self.amount_musd:,.0f}M to {name}" + (": it restarts" if rescued else ""))


@dataclass(frozen=True)
class FundRecycling(Action):
    """Pay for recycling capacity at a plant that takes this nation's scrap."""

    kind: ClassVar[str] = "fund_recycling"
    label: ClassVar[str] = "Fund recycling"
    recycler: str
    amount_musd: float

    def check(self, world, nation):
        if not world.has_firm(self.recycler) or world.firm(self.recycler).role is not Role.RECYCLER:
            return f"no recycling plant {self.recycler!r}"
        if nation not in [n.code for n in world.firm(self.recycler).scrap_sources]:
            return f"{self.recycler} does not take {nation}'s scrap"
        return _over_budget(world, nation, self.amount_musd)

    def apply(self, world, nation):
        adds = world.investment.fund_recycling(nation, self.recycler, self.amount_musd)
        return f"Fund {adds:,.0f} t/yr of recycling at {self.recycler}"


@dataclass(frozen=True)
class SetCollectionRules(Action):
    """Take-back rules for hybrid motors, hard disks and compressors: a higher share of
    end-of-life magnets reaches recyclers (each 5 points of collection costs US$50M a year)."""

    kind: ClassVar[str] = "set_collection_rules"
    label: ClassVar[str] = "Set collection rules"
    capital: ClassVar[float] = 2.0
    collection_rate: float

    def check(self, world, nation):
        if not 0.0 <= self.collection_rate <= MAX_COLLECTION_RATE:
            return f"collection rate must be from 0 to {MAX_COLLECTION_RATE:.0%}"
        cost = self.yearly_cost(world, nation) / 4.0
        return _over_budget(world, nation, cost) if cost > 0 else None

    def yearly_cost(self, world, nation) -> float:
        """What the rules cost a year to run, above the collection the nation started with."""
        base = next(n.collection_rate for n in world.scenario.world.nations if n.code == nation)
        return max(0.0, self.collection_rate - base) / 0.05 * 50.0

    def apply(self, world, nation):
        japan = world.nation(nation)
        japan.collection_cost_musd_per_quarter = self.yearly_cost(world, nation) / 4.0
        japan.budget_musd -= japan.collection_cost_musd_per_quarter  # this quarter's; later ones as they open
        japan.collection_rate = self.collection_rate
        return (f"Collection rules: {self.collection_rate:.0%} of end-of-life magnets collected, "
                f"US${japan.collection_cost_musd_per_quarter * 4:,.0f}M a year")


@dataclass(frozen=True)
class FundMagnetResearch(Action):
    """Magnet R&D that lowers the Dy/Tb home magnet makers need, once the research is done
    (about two years: cf. grain-boundary diffusion, subst_gbd; heavy-RE-free designs, subst_honda_daido_2016)."""

    kind: ClassVar[str] = "fund_magnet_research"
    label: ClassVar[str] = "Fund magnet R&D"
    amount_musd: float

    def check(self, world, nation):
        return _over_budget(world, nation, self.amount_musd)

    def apply(self, world, nation):
        ready, cut = world.industry.fund_magnet_research(nation, self.amount_musd)
        return f"Magnet R&D: {cut:.0%} less Dy/Tb per magnet expected from {ready}"


@dataclass(frozen=True)
class SupportIndustry(Action):
    """Emergency support: Japan's buyers can pay more this quarter for scarce supply
    (at most double), in proportion to the money against a quarter of their purchases."""

    kind: ClassVar[str] = "support_industry"
    label: ClassVar[str] = "Emergency support to industry"
    capital: ClassVar[float] = 2.0
    amount_musd: float

    def check(self, world, nation):
        return _over_budget(world, nation, self.amount_musd)

    def apply(self, world, nation):
        boost = world.industry.support_industry(nation, self.amount_musd)
        return f"Emergency support: buyers can pay {boost:.0%} more this quarter"


@dataclass(frozen=True)
class FundDeepSea(Action):
    """Fund the next stage of the Minamitorishima programme: survey, pilot, test recovery,
    demonstration, commercial. Each takes its time, can fail and marks the sea floor."""

    kind: ClassVar[str] = "fund_deep_sea"
    label: ClassVar[str] = "Fund the deep-sea programme"
    capital: ClassVar[float] = 1.0

    def check(self, world, nation):
        programme = world.deep_sea.programme(nation)
        if programme.current is not None:
            return f"the {programme.current.name.replace('_', ' ')} stage is still under way"
        stage = programme.next_stage
        if stage is None:
            return "the programme is complete"
        return _over_budget(world, nation, stage.cost_musd)

    def apply(self, world, nation):
        return f"Deep-sea programme: {world.deep_sea.fund(nation).replace('_', ' ')} funded"


def _over_budget(world: RareEarthWorld, nation: str, musd: float) -> str | None:
    if musd <= 0:
        return "the amount must be above zero"
    budget = world.nation(nation).budget_musd - _committed(world, nation)
    if musd > budget + 1e-9:
        return f"costs US${musd:,.0f}M, more than the US${budget:,.0f}M budget left"
    return None


#: A WTO filing is itself an incident: tension with the respondent rises by this much.
WTO_TENSION = 0.05
MAX_COLLECTION_RATE = 0.5


def _committed(world: RareEarthWorld, nation: str) -> float:
    """Budget already promised this turn to stockpile bids (at their highest price)."""
    return sum(t * p / 1000.0 for _, t, p in world.nation(nation).purchase_orders)




def action_from_dict(data: dict[str, Any]) -> Action:
    """Build an Action from plain data (a strategy file, a save, the RL env).

    Raises:
        ValueError: naming the field that is missing, unknown or of the wrong type.
    """
    kind = data.get("kind")
    cls = ACTION_TYPES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise ValueError(f"unknown action kind {kind!r} (expected one of {', '.join(ACTION_TYPES)})")
    values: dict[str, Any] = {}
    known = {f.name: f for f in fields(cls)}
    for name in data:
        if name != "kind" and name not in known:
            raise ValueError(f"{kind}: unknown field {name!r} (expected {', '.join(known)})")
    for name, f in known.items():
        if name not in data:
            if f.default is MISSING and f.default_factory is MISSING:
                raise ValueError(f"{kind}: missing field {name!r}")
            continue
        values[name] = _coerce(kind, name, data[name], f.type)
    return cls(**values)


def _coerce(kind: str, name: str, value: Any, annotation: str) -> Any:
    if annotation == "tuple[str, ...]":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError(f"{kind}.{name}: expected a list of names")
        return tuple(value)
    if annotation == "tuple[Material, ...]":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError(f"{kind}.{name}: expected a list of materials (ndpr, dytb, cela)")
        return tuple(_coerce(kind, name, v, "Material") for v in value)
    if annotation == "Material":
        try:
            return Material(value)
        except ValueError:
            raise ValueError(f"{kind}.{name}: unknown material {value!r} (expected ndpr, dytb or cela)") from None
    if annotation == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"{kind}.{name}: expected a number, got {_describe(value)}")
        try:
            value = float(value)
        except OverflowError:
            raise ValueError(f"{kind}.{name}: expected a number, got {_describe(value)}") from None
        if not math.isfinite(value):
            raise ValueError(f"{kind}.{name}: expected a number, got {value!r}")
        limit = MAX_MUSD if "musd" in name else (1e5 if "price" in name else MAX_TONNES)
        if not 0 <= value <= limit:
            raise ValueError(f"{kind}.{name}: expected a number from 0 to {limit:g}, got {value:g}")
        return float(value)
    if annotation == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{kind}.{name}: expected a whole number, got {_describe(value)}")
        return value
    if annotation == "str":
        if not isinstance(value, str):
            raise ValueError(f"{kind}.{name}: expected a string, got {_describe(value)}")
        return value
    return value


def _describe(value: Any) -> str:
    """A short description of a bad value: never a megabyte of digits or text."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**15:
        return f"a whole number of {len(str(abs(value)))} digits"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
