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

from game.action_base import (
    ACTION_TYPES,
    MAX_MUSD,
    MAX_TONNES,
    MIN_QUANTITY,
    Action,
    Said,
    first_repeated,
    say,
)
from game.quoting import readable_number, refused_character, said_back, shows_nothing
from game.vocab.arithmetic import added_up
from game.vocab.materials import MATERIAL_INDEX, OXIDE_SELLER_ROLES, Material, Role
from game.vocab.refusals import Refusal

#: Longest name an action may give (a nation's code, a firm's or a project's id): a world's are
#: far shorter, and an action's names are said back in every window's view of the turn.
MAX_NAME_CHARS = 200
#: Largest whole number an action may give, either way.
MAX_WHOLE = 1_000_000

#: Firms a nation can refinance: the ones that mine, separate or recycle.
PRODUCER_ROLES = (Role.MINER, Role.DEEP_SEA, Role.SEPARATOR, Role.RECYCLER)

if TYPE_CHECKING:
    from game.world.model import RareEarthWorld


@dataclass(frozen=True)
class ReleaseStockpile(Action):
    """Offer tonnes from the national stockpile on the home market this quarter."""

    kind: ClassVar[str] = "release_stockpile"
    label: ClassVar[str] = "Release stockpile"
    material: Material
    tonnes: float

    def field_problem(self, nation):
        if self.tonnes <= 0:
            return say("the tonnes to release must be above zero")  # nothing to do, yet said to every window
        return None

    def check(self, world, nation):
        if problem := self.field_problem(nation):
            return problem
        held = world.nation(nation).stockpile[MATERIAL_INDEX[self.material]]
        ordered = world.nation(nation).release_orders[MATERIAL_INDEX[self.material]]
        if self.tonnes > held - ordered + 1e-9:
            return say("only {left:,.0f} t of {material} left in the stockpile to release", left=held - ordered,
                       material=self.material.label)
        return None

    def apply(self, world, nation):
        world.exchange.order_stockpile_release(nation, MATERIAL_INDEX[self.material], self.tonnes)
        return say("Release {tonnes:,.0f} t of {material} from the stockpile", tonnes=self.tonnes,
                   material=self.material.label)


@dataclass(frozen=True)
class BuyStockpile(Action):
    """Bid for tonnes to add to the national stockpile, paying at most a price."""

    kind: ClassVar[str] = "buy_stockpile"
    label: ClassVar[str] = "Buy for the stockpile"
    material: Material
    tonnes: float
    max_price_usd_per_kg: float

    def field_problem(self, nation):
        if self.tonnes <= 0:
            return say("the tonnes to buy must be above zero")
        if self.max_price_usd_per_kg <= 0:
            return say("the highest price must be above zero")
        return None

    def check(self, world, nation):
        if problem := self.field_problem(nation):
            return problem
        most = self.most_cost_musd
        budget = budget_left_musd(world, nation)
        if most > budget + 1e-9:
            return say("could cost up to US${most:,.0f}M, more than the US${budget:,.0f}M budget left",
                       most=most, budget=budget)
        return None

    @property
    def most_cost_musd(self) -> float:
        """What the bid may cost, in US$M: every tonne bought at the highest price (the forms' cost)."""
        return self.tonnes * self.max_price_usd_per_kg / 1000.0

    def apply(self, world, nation):
        world.exchange.order_stockpile_purchase(nation, MATERIAL_INDEX[self.material], self.tonnes, self.max_price_usd_per_kg)
        return say("Bid for {tonnes:,.0f} t of {material} for the stockpile, up to US${price:,.2f}/kg",
                   tonnes=self.tonnes, material=self.material.label, price=self.max_price_usd_per_kg)


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
            return say("no project {project!r} in this world", project=self.project)
        if project.done or project.failed:
            return say("the {project} project has already finished" if project.done
                       else "the {project} project has already failed",
                       project=world.firm(project.firm).name, project_id=self.project)
        over = self.field_problem(nation) or _over_budget(world, nation, self.amount_musd)
        if over:
            return over
        repeated = first_repeated(self.materials)
        if repeated is not None:
            return say("{material} is listed twice", material=repeated.label)
        if self.offtake_tpy > project.adds_tpy + 1e-9:
            return say("offtake of {offtake:,.0f} t/yr is more than the {adds:,.0f} t/yr the project adds",
                       offtake=self.offtake_tpy, adds=project.adds_tpy)
        return None

    def field_problem(self, nation):
        if problem := _no_amount(self.amount_musd):
            return problem
        if not 1 <= self.years <= 30:
            return say("offtake years must be from 1 to 30")
        return None

    def apply(self, world, nation):
        granted = world.investment.invest_in_project(nation, self.project, self.amount_musd, self.offtake_tpy,
                                                     self.years, self.price_usd_per_kg, self.materials)
        capped = granted < self.offtake_tpy - 1e-9
        return say("Invest US${amount:,.0f}M in {project} for {granted:,.0f} t/yr over {years} years"
                   " (offtake capped at {granted:,.0f} t/yr: the share of the project your money pays for)" if capped
                   else "Invest US${amount:,.0f}M in {project} for {granted:,.0f} t/yr over {years} years",
                   amount=self.amount_musd, project=world.firm(world.projects[self.project].firm).name,
                   granted=granted, years=self.years, project_id=self.project)


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
        if not world.has_firm(self.seller):
            return say("no plant {seller!r} that sells oxides", seller=self.seller)
        firm = world.firm(self.seller)
        if firm.role not in OXIDE_SELLER_ROLES:
            return say("{seller} does not sell oxides", seller=firm.name, seller_id=self.seller)
        if not firm.alive:
            return say("{seller} is bankrupt", seller=firm.name, seller_id=self.seller)
        if firm.output_mix()[MATERIAL_INDEX[self.material]] <= 0:
            return say("{seller} makes no {material}", seller=firm.name, material=self.material.label,
                       seller_id=self.seller)
        if problem := self.field_problem(nation):
            return problem
        if world.offtakes.spare_tpy(firm, MATERIAL_INDEX[self.material]) < NOTHING_LEFT_TPY:
            # Talks cost political capital, and a seller with all it makes under contract could
            # only counter with nothing (it signed "0 t/yr for 3 years").
            return say("{seller} has no {material} left to sell forward, as all it makes is under contract",
                       seller=firm.name, material=self.material.label, seller_id=self.seller)
        rounds = world.assumptions.negotiation_rounds
        if not 0 <= self.round < rounds:
            return say("round must be from 0 to {last}", last=rounds - 1)
        return None

    def field_problem(self, nation):
        if self.tonnes_per_year < MIN_QUANTITY or self.price_usd_per_kg < MIN_QUANTITY:
            return say("tonnes and price must be above zero")
        if not 1 <= self.years <= MAX_PROPOSED_YEARS:
            return say("years must be from 1 to 20")
        return None

    def apply(self, world, nation):
        response = world.offtakes.propose(nation, self.seller, MATERIAL_INDEX[self.material], self.tonnes_per_year,
                                         self.years, self.price_usd_per_kg, self.round)
        name = world.firm(self.seller).name
        if response.action == "accept":
            return say("{seller} accepts: {tonnes:,.0f} t/yr for one year at US${price:,.2f}/kg" if self.years == 1
                       else "{seller} accepts: {tonnes:,.0f} t/yr for {years} years at US${price:,.2f}/kg", seller=name,
                       tonnes=self.tonnes_per_year, years=self.years, price=self.price_usd_per_kg,
                       seller_id=self.seller)
        reason = Said(response.template or response.reason, response.fields)
        return say("{seller} counters: {reason}" if response.action == "counter" else "{seller} refuses: {reason}",
                   seller=name, reason=reason, seller_id=self.seller)


#: The longest offtake a proposal may run, in years: also the most the menu of terms a seller
#: counters with may hold (assumption ``offtake_years``), so a counter can be accepted.
MAX_PROPOSED_YEARS = 20


#: Below this many tonnes a year not yet sold forward, a seller has nothing to offer in talks
#: (the talks' menu offers at least 1 t/yr).
NOTHING_LEFT_TPY = 1.0


#: Talks that would ease tension by less than this ease nothing a player sees (the news writes
#: "eases by 0.00"): they are refused rather than paid for in political capital.
TALKS_EASE_AT_LEAST = 0.005


@dataclass(frozen=True)
class HoldTalks(Action):
    """Talks with a partner: tension falls by a share of how far it stands above its baseline."""

    kind: ClassVar[str] = "hold_talks"
    label: ClassVar[str] = "Hold talks"
    capital: ClassVar[float] = 3.0
    partner: str = "CHN"

    def check(self, world, nation):
        if not world.has_nation(self.partner):
            return say("no partner {partner!r} to talk to", partner=self.partner)
        if problem := self.field_problem(nation):
            return problem
        if world.diplomacy.talks_would_ease(nation, self.partner) < TALKS_EASE_AT_LEAST:
            # At its baseline tension has nothing to ease: a player paid 3 political capital twice
            # for "tension eases by 0.00", the End turn warning urging capital be used.
            return say("talks with {partner} would ease nothing, as tension is at its usual level",
                       partner=world.nation(self.partner).name, partner_code=self.partner)
        return None

    def field_problem(self, nation):
        return say("no talks with your own nation") if self.partner == nation else None

    def apply(self, world, nation):
        eased = world.diplomacy.hold_talks(nation, self.partner)
        return say("Talks with {partner}: tension eases by {eased:.2f}", partner=world.nation(self.partner).name,
                   eased=eased, partner_code=self.partner)


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
        if not world.has_nation(self.partner):
            return say("no partner {partner!r}", partner=self.partner)
        if problem := self.field_problem(nation):
            return problem
        partner = world.nation(self.partner).name
        if world.nation(self.partner).doctrine != "partner":
            return say("{partner} does not sign supply partnerships", partner=partner, partner_code=self.partner)
        if self.partner in world.nation(nation).partners:
            return say("already partners with {partner}", partner=partner, partner_code=self.partner)
        return None

    def field_problem(self, nation):
        return say("no partnership with your own nation") if self.partner == nation else None

    def apply(self, world, nation):
        world.diplomacy.sign_partnership(nation, self.partner)
        return say("Supply partnership with {partner}", partner=world.nation(self.partner).name,
                   partner_code=self.partner)


@dataclass(frozen=True)
class FileWtoCase(Action):
    """Take a partner's export restrictions to the WTO, alone or with other complainants."""

    kind: ClassVar[str] = "file_wto_case"
    label: ClassVar[str] = "File a WTO case"
    capital: ClassVar[float] = 4.0
    respondent: str = "CHN"
    partners: tuple[str, ...] = ()

    def check(self, world, nation):
        if not world.has_nation(self.respondent):
            return say("no respondent {respondent!r}", respondent=self.respondent)
        if self.respondent == nation:
            return self.field_problem(nation)
        unknown = [p for p in self.partners if not world.has_nation(p)]
        if unknown:
            return say("unknown partner {partner!r}", partner=unknown[0])
        if self.respondent in self.partners:
            return say("{respondent} cannot join a case against itself", respondent=world.nation(self.respondent).name,
                       respondent_code=self.respondent)
        if nation in self.partners:
            return self.field_problem(nation)
        repeated = first_repeated(self.partners)
        if repeated is not None:
            return say("{partner} is listed twice", partner=world.nation(repeated).name, partner_code=repeated)
        if not world.policy.has_controls(self.respondent):
            return say("{respondent} has no export restrictions to challenge",
                       respondent=world.nation(self.respondent).name, respondent_code=self.respondent)
        return self.check_before_capital(world, nation)

    def field_problem(self, nation):
        if self.respondent == nation:
            return say("no case against your own nation")
        if nation in self.partners:
            return say("you file the case, so your own nation is not one of your partners")
        return None

    def check_before_capital(self, world, nation):
        # A second filing joined the open case and changed nothing in it, for the capital and
        # tension of a new one (a double click filed Japan's case twice).
        case = world.diplomacy.case_against(self.respondent) if world.has_nation(self.respondent) else None
        if case is not None:
            joining = [code for code in (nation, *self.partners) if code not in case.complainants]
            if not joining:
                return say("the case against {respondent} is before the WTO already, with every complainant named "
                           "({stage} stage)", respondent=world.nation(self.respondent).name, stage=case.stage_name,
                           respondent_code=self.respondent)
            if not case.join_possible():
                return say("the case against {respondent} is at its {stage} stage, too late for anyone to join",
                           respondent=world.nation(self.respondent).name, stage=case.stage_name,
                           respondent_code=self.respondent)
        return None

    def apply(self, world, nation):
        case = world.diplomacy.open_wto_case(self.respondent, [nation, *self.partners])
        world.nation(self.respondent).change_tension(nation, WTO_TENSION)
        # (It read "WTO case against China: Japan", as if Japan were the case's stage or outcome.)
        return say("WTO case against {respondent}, brought by {complainants}",
                   respondent=world.nation(self.respondent).name,
                   complainants=tuple(world.nation(code).name for code in case.complainants),
                   respondent_code=self.respondent, complainants_code=tuple(case.complainants))


@dataclass(frozen=True)
class RefinanceSupplier(Action):
    """Lend a producer money (as JOGMEC did for Lynas): it pays off what it owes and carries
    on, a bankrupt one is rescued, and the nation becomes the lender it turns to and a
    preferred buyer of its oxide."""

    kind: ClassVar[str] = "refinance_supplier"
    label: ClassVar[str] = "Refinance a supplier"
    firm: str
    amount_musd: float

    def field_problem(self, nation):
        return _no_amount(self.amount_musd)

    def check(self, world, nation):
        if not world.has_firm(self.firm):
            return say("no firm {firm!r} in this world", firm=self.firm)
        if world.firm(self.firm).role not in PRODUCER_ROLES:
            return say("{firm} is not a mine or a plant", firm=world.firm(self.firm).name, firm_id=self.firm)
        return _over_budget(world, nation, self.amount_musd)

    def apply(self, world, nation):
        rescued = world.investment.refinance_supplier(nation, self.firm, self.amount_musd)
        return say("Lend US${amount:,.0f}M to {firm}: it restarts" if rescued else "Lend US${amount:,.0f}M to {firm}",
                   amount=self.amount_musd, firm=world.firm(self.firm).name, firm_id=self.firm)


@dataclass(frozen=True)
class FundRecycling(Action):
    """Pay for recycling capacity at a plant that takes this nation's scrap."""

    kind: ClassVar[str] = "fund_recycling"
    label: ClassVar[str] = "Fund recycling"
    recycler: str
    amount_musd: float

    def field_problem(self, nation):
        return _no_amount(self.amount_musd)

    def check(self, world, nation):
        if not world.has_firm(self.recycler):
            return say("no recycling plant {recycler!r}", recycler=self.recycler)
        recycler = world.firm(self.recycler)
        if recycler.role is not Role.RECYCLER:
            return say("{recycler} is not a recycling plant", recycler=recycler.name, recycler_id=self.recycler)
        if nation not in [n.code for n in recycler.scrap_sources]:
            return say("{recycler} does not take {nation}'s scrap", recycler=recycler.name,
                       nation=world.nation(nation).name, recycler_id=self.recycler, nation_code=nation)
        return _over_budget(world, nation, self.amount_musd)

    def apply(self, world, nation):
        adds = world.investment.fund_recycling(nation, self.recycler, self.amount_musd)
        return say("Fund {adds:,.0f} t/yr of recycling at {recycler}", adds=adds,
                   recycler=world.firm(self.recycler).name, recycler_id=self.recycler)


@dataclass(frozen=True)
class SetCollectionRules(Action):
    """Take-back rules for hybrid motors, hard disks and compressors: a higher share of
    end-of-life magnets reaches recyclers (each 5 points of collection costs US$50M a year)."""

    kind: ClassVar[str] = "set_collection_rules"
    label: ClassVar[str] = "Set collection rules"
    capital: ClassVar[float] = 2.0
    collection_rate: float

    def field_problem(self, nation):
        if not 0.0 <= self.collection_rate <= MAX_COLLECTION_RATE:
            return say("collection rate must be from 0 to {most:.0%}", most=MAX_COLLECTION_RATE)
        return None

    def check(self, world, nation):
        if problem := self.field_problem(nation):
            return problem
        if self.collection_rate == world.nation(nation).collection_rate:
            # Rules already in force, set again, cost this quarter's running and the capital
            # a second time for nothing (a player pressed Take action twice).
            return say("the collection rules already collect {rate:.0%} of end-of-life magnets",
                       rate=self.collection_rate)
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
        return say("Collection rules: {rate:.0%} of end-of-life magnets collected, US${cost:,.0f}M a year",
                   rate=self.collection_rate, cost=japan.collection_cost_musd_per_quarter * 4)


@dataclass(frozen=True)
class FundMagnetResearch(Action):
    """Magnet R&D that lowers the Dy/Tb home magnet makers need, once the research is done
    (about two years: cf. grain-boundary diffusion, subst_gbd; heavy-RE-free designs, subst_honda_daido_2016)."""

    kind: ClassVar[str] = "fund_magnet_research"
    label: ClassVar[str] = "Fund magnet R&D"
    amount_musd: float

    def field_problem(self, nation):
        return _no_amount(self.amount_musd)

    def check(self, world, nation):
        return _over_budget(world, nation, self.amount_musd)

    def apply(self, world, nation):
        ready, cut = world.industry.fund_magnet_research(nation, self.amount_musd)
        return say("Magnet R&D: {cut:.0%} less Dy/Tb per magnet expected from {ready}", cut=cut, ready=str(ready))


@dataclass(frozen=True)
class SupportIndustry(Action):
    """Emergency support: Japan's buyers can pay more this quarter for scarce supply
    (at most double), in proportion to the money against a quarter of their purchases."""

    kind: ClassVar[str] = "support_industry"
    label: ClassVar[str] = "Emergency support to industry"
    capital: ClassVar[float] = 2.0
    amount_musd: float

    def field_problem(self, nation):
        return _no_amount(self.amount_musd)

    def check(self, world, nation):
        return _over_budget(world, nation, self.amount_musd)

    def apply(self, world, nation):
        boost = world.industry.support_industry(nation, self.amount_musd)
        return say("Emergency support: buyers can pay {boost:.0%} more this quarter", boost=boost)


@dataclass(frozen=True)
class FundDeepSea(Action):
    """Fund the next stage of the Minamitorishima programme: survey, pilot, test recovery,
    demonstration, commercial. Each takes its time, can fail and marks the sea floor."""

    kind: ClassVar[str] = "fund_deep_sea"
    label: ClassVar[str] = "Fund the deep-sea programme"
    capital: ClassVar[float] = 1.0

    def check(self, world, nation):
        # Read only: ``deep_sea.programme`` would begin the programme (and draw its generator
        # from the world's), so even a refused action would change the history.
        programme = world.deep_sea.get(nation)
        if programme is not None and programme.current is not None:
            return say("the {stage} stage is still under way", stage=programme.current.name.replace("_", " "),
                       stage_id=programme.current.name)
        stage = world.deep_sea.next_stage_for(nation)
        if stage is None:
            return say("the programme is complete")
        return _over_budget(world, nation, stage.cost_musd)

    def apply(self, world, nation):
        stage = world.deep_sea.fund(nation)
        return say("Deep-sea programme: {stage} funded", stage=stage.replace("_", " "), stage_id=stage)


def _no_amount(musd: float) -> Said | None:
    return say("the amount must be above zero") if musd <= 0 else None


def _over_budget(world: RareEarthWorld, nation: str, musd: float) -> Said | None:
    if problem := _no_amount(musd):
        return problem
    budget = budget_left_musd(world, nation)
    if musd > budget + 1e-9:
        return say("costs US${cost:,.0f}M, more than the US${budget:,.0f}M budget left", cost=musd, budget=budget)
    return None


#: A WTO filing is itself an incident: tension with the respondent rises by this much.
WTO_TENSION = 0.05
MAX_COLLECTION_RATE = 0.5


def committed_musd(world: RareEarthWorld, nation: str) -> float:
    """Budget already promised this turn to stockpile bids (at their highest price): spent only
    as the market fills them, so the budget itself still holds it until the turn ends."""
    return added_up(t * p / 1000.0 for _, t, p in world.nation(nation).purchase_orders)


def budget_left_musd(world: RareEarthWorld, nation: str) -> float:
    """What the nation can still commit this turn: its budget less its stockpile bids."""
    return world.nation(nation).budget_musd - committed_musd(world, nation)




def action_from_dict(data: dict[str, Any], amounts_checked: bool = True) -> Action:
    """Build an Action from plain data (a strategy file, a save, the RL env).

    ``amounts_checked=False`` takes any number for an amount: for actions whose files were
    checked when they were read and whose amounts were then changed in code (a history scaled
    by ``game.research.ema.scale_actions``), which ``Session.submit`` refuses in play, whole,
    if the game cannot take them (``unusable_amount``).

    Raises:
        ValueError: naming the field that is missing, unknown or of the wrong type.
    """
    kind = data.get("kind")
    cls = ACTION_TYPES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise Refusal("unknown action kind {kind} (expected one of {kinds})", kind=said_back(kind),
                      kinds=", ".join(ACTION_TYPES))
    values: dict[str, Any] = {}
    known = {f.name: f for f in fields(cls)}
    for name in data:
        if name != "kind" and name not in known:
            if not known:  # ("expected " and nothing after it, for fund_deep_sea)
                raise Refusal("{kind}: unknown field {field} (it takes no fields)", kind=kind, field=said_back(name))
            raise Refusal("{kind}: unknown field {field} (expected {fields})", kind=kind, field=said_back(name),
                          fields=", ".join(known))
    for name, f in known.items():
        if name not in data:
            if f.default is MISSING and f.default_factory is MISSING:
                raise Refusal("{kind}: missing field {field}", kind=kind, field=said_back(name))
            continue
        value = data[name]
        if f.type == "float" and not amounts_checked and isinstance(value, float):
            values[name] = value
            continue
        values[name] = _coerce(kind, name, value, f.type)
    return cls(**values)


def unusable_amount(action: Action) -> str | None:
    """The first number field of ``action`` that ``action_from_dict`` would refuse (NaN, an
    infinity, below 0, beyond the game's bounds, between 0 and ``MIN_QUANTITY``), or None. An
    action built in code (the API, a bot, a workshop lever) is held to what a file or a save is:
    NaN tonnes made a budget NaN, and a NaN bid stopped the market."""
    for f in fields(action):
        if f.type == "float":
            try:
                _coerce(action.kind, f.name, getattr(action, f.name), "float")
            except ValueError:
                return f.name
    return None


def _coerce(kind: str, name: str, value: Any, annotation: str) -> Any:
    if annotation == "tuple[str, ...]":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise Refusal("{field}: expected a list of names", field=f"{kind}.{name}")
        return _once_each(kind, name, tuple(_name(kind, name, v) for v in value))
    if annotation == "tuple[Material, ...]":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise Refusal("{field}: expected a list of materials (ndpr, dytb, cela)", field=f"{kind}.{name}")
        return _once_each(kind, name, tuple(_coerce(kind, name, v, "Material") for v in value))
    if annotation == "Material":
        try:
            return Material(value)
        except ValueError:
            raise Refusal("{field}: unknown material {value} (expected ndpr, dytb or cela)", field=f"{kind}.{name}",
                          value=said_back(value)) from None
    if annotation == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise Refusal("{field}: expected a number, got {value}", field=f"{kind}.{name}", value=said_back(value))
        given = value  # said back as the file wrote it: a whole number as one
        if isinstance(value, float) and not math.isfinite(value):
            raise Refusal("{field}: expected a number, got {value}", field=f"{kind}.{name}", value=said_back(value))
        limit = MAX_MUSD if "musd" in name else (1e5 if "price" in name else MAX_TONNES)
        try:
            value = float(value)
        except OverflowError:  # a whole number too large for a float: beyond every limit
            value = math.inf
        if not 0 <= value <= limit:
            # The bound written as people read it: "from 0 to 1e+06" read as code.
            raise Refusal("{field}: expected a number from 0 to {limit}, got {value}", field=f"{kind}.{name}",
                          limit=readable_number(limit), value=said_back(given))
        if 0 < value < MIN_QUANTITY:
            raise Refusal("{field}: expected 0 or a number of at least {least}, got {value}",
                          field=f"{kind}.{name}", least=readable_number(MIN_QUANTITY), value=said_back(given))
        return value + 0.0  # -0.0 is 0 ("a quota of -0 t" was said back)
    if annotation == "int":
        # Years, a bargaining round, an event's number: small. A number of thousands of digits
        # was said back whole ("the level has no event 1000...").
        if isinstance(value, bool) or not isinstance(value, int) or not -MAX_WHOLE <= value <= MAX_WHOLE:
            raise Refusal("{field}: expected a whole number (at most {most:,} either way), got {value}",
                          field=f"{kind}.{name}", most=MAX_WHOLE, value=said_back(value))
        return value
    if annotation == "str":
        if not isinstance(value, str):
            raise Refusal("{field}: expected a string, got {value}", field=f"{kind}.{name}", value=said_back(value))
        return _name(kind, name, value)
    return value


def _name(kind: str, name: str, value: str) -> str:
    """A name an action gives (a nation, a firm, a project), refused if no world could hold it
    and a window could not draw it: one that holds a control or format character (a NUL stops the
    font renderer; a bidi override reorders what follows), one of only marks that show nothing,
    or one far longer than any. A workshop team's refused action is said back in every window's
    view, which the windows refuse whole for such a text: one team's odd partner broke the class."""
    if len(value) > MAX_NAME_CHARS:
        raise Refusal("{field}: a name of {length:,} characters (at most {most})", field=f"{kind}.{name}",
                      length=len(value), most=MAX_NAME_CHARS)
    refused = refused_character(value)
    if refused is not None:
        raise Refusal("{field}: {value} holds a control or format character (U+{code})", field=f"{kind}.{name}",
                      value=said_back(value), code=f"{ord(refused[1]):04X}")
    if shows_nothing(value):
        raise Refusal("{field}: a name that shows nothing (only spaces or marks)", field=f"{kind}.{name}")
    return value


def _once_each(kind: str, name: str, items: tuple) -> tuple:
    """``items``, refused if one is listed twice."""
    repeated = first_repeated(items)
    if repeated is not None:
        raise Refusal("{field}: {value} is listed twice", field=f"{kind}.{name}",
                      value=said_back(getattr(repeated, "value", repeated)))
    return items


# An exporter's and a state's levers, and the facilitator's, register after the importers' (files,
# saves and lists name Japan's first).
from game import company_levers, facilitation, state_levers, trade_controls

#: Japan's levers: every kind that is not an exporter's, a state's, a company's or the facilitator's.
JAPAN_LEVERS = tuple(kind for kind in ACTION_TYPES if kind not in (
    *trade_controls.EXPORTER_LEVERS, *state_levers.STATE_LEVERS, *company_levers.COMPANY_LEVERS,
    *facilitation.FACILITATOR_ACTIONS))
