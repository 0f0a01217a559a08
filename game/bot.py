"""A bot that plays Japan: a sensible heuristic player, through the same Actions as a person.

Its rules, checked in this order each quarter:
- shortage: while Japan is blocked, squeezed by export licences or its output slips, release
  the national stockpile of what is dear or licensed, and pay emergency support if output is
  already slipping;
- calm: when a magnet oxide's price is back near its reference (or its stock is below the
  reserve), rebuild its stockpile, except of what licences hold back;
- tension: hold talks when tension with China runs high;
- diversification: finance a project abroad (outside China) that is waiting for money, for an
  offtake of the magnet oxides, and sign a supply partnership with its host;
- thrift: fund magnet research once, when Dy/Tb stays dear;
- the seabed: fund the deep-sea programme's first stages (survey, pilot, test recovery) one
  after another while each costs under a third of the budget; the big bets after them it
  leaves to people.
It reads the world and the rows recorded so far; it changes nothing except by submitting.
"""

from __future__ import annotations

from game.actions import (
    Action,
    BuyStockpile,
    FundDeepSea,
    FundMagnetResearch,
    HoldTalks,
    InvestInProject,
    ReleaseStockpile,
    SignPartnership,
    SupportIndustry,
)
from game.spec import Scenario
from game.vocab.materials import MATERIALS, Material
from game.vocab.nations import CHINA as RIVAL
from game.vocab.nations import JAPAN as PLAYER
from game.world.deepsea import STAGES
from game.world.model import RareEarthWorld
from game.world.views import (
    blocked_by_embargo,
    blocked_share_of_quarter,
    daily_need,
    deep_sea_next_stage,
    last_output_index,
    oxide_plant_of,
    projects_seeking_money,
    squeezed_by_licences,
)

SPIKE = 1.8  # price over reference that counts as a shortage
CALM = 1.3  # price over reference under which stock is rebuilt
STOCKPILE_TARGET_DAYS = 90.0  # within the 60-180 days of jp_stockpile_2020_reform
RESERVE_DAYS = 20.0  # never released; rebuilt even at today's prices
TALKS_ABOVE = 0.45


class BotController:
    """Decides Japan's actions each quarter from what it can see."""

    name = "bot"

    def __init__(self) -> None:
        self._researched = False

    def decide(self, world: RareEarthWorld, scenario: Scenario) -> list[Action]:
        japan = world.nation(PLAYER)
        j = world.nation_index(PLAYER)
        ratio = world.prices[j] / world.reference_price
        blocked = blocked_by_embargo(world, PLAYER)
        output = last_output_index(world, PLAYER)
        actions: list[Action] = []
        budget = japan.budget_musd
        capital = japan.political_capital

        need = list(daily_need(world, PLAYER))
        squeezed = squeezed_by_licences(world, PLAYER)
        short = blocked or bool(squeezed) or output < 0.99
        if short:  # the stockpile is for shortages, not for high prices
            for m, material in enumerate(MATERIALS):
                # A blockade or a licence squeeze is what the stockpile is for; in other
                # shortages keep a reserve.
                cut_off = blocked or m in squeezed
                spare = japan.stockpile[m] - (0.0 if cut_off else RESERVE_DAYS * need[m])
                # Under a halt, release in step with how much of the quarter it blocks: stock
                # sold before the halt bites is stock missing when it does.
                share = min(1.0, 0.3 + blocked_share_of_quarter(world, PLAYER)) if blocked else 0.6
                if spare > 1.0 and (cut_off or ratio[m] > SPIKE):
                    actions.append(ReleaseStockpile(material, round(spare * share, 1)))
            if output < 0.98 and budget > 50 and capital >= SupportIndustry.capital:
                amount = round(min(0.3 * budget, 400.0), 1)
                actions.append(SupportIndustry(amount))
                budget -= amount
                capital -= SupportIndustry.capital
        if not (blocked or output < 0.99):
            for m, material in enumerate(MATERIALS[:2]):  # the magnet oxides
                if m in squeezed:
                    continue  # stock it cannot get in: buy what still comes freely
                low = japan.stockpile[m] < RESERVE_DAYS * need[m]
                if ratio[m] >= CALM and not low:
                    continue  # dear and not urgent: wait for calm
                gap = STOCKPILE_TARGET_DAYS * need[m] - japan.stockpile[m]
                price_cap = float(max(world.reference_price[m] * CALM, world.prices[j, m] * 1.1))
                tonnes = min(gap, 0.15 * budget * 1000.0 / price_cap)
                if tonnes > 1.0:
                    actions.append(BuyStockpile(material, round(tonnes, 1), round(price_cap, 2)))
                    budget -= tonnes * price_cap / 1000.0

        if world.nation(RIVAL).tension_with(PLAYER) > TALKS_ABOVE and capital >= HoldTalks.capital:
            actions.append(HoldTalks(RIVAL))
            capital -= HoldTalks.capital

        project = _project_to_finance(world, budget)
        if project is not None:
            amount = round(min(project.cost_musd, 0.5 * budget), 1)
            host = world.nation(project.host)
            if PLAYER not in host.partners and host.doctrine == "partner" and capital >= SignPartnership.capital:
                actions.append(SignPartnership(host.code))
                capital -= SignPartnership.capital
            actions.append(InvestInProject(project.id, amount, round(0.5 * project.adds_tpy, 1), 10,
                                           materials=(Material.NDPR, Material.DYTB)))
            budget -= amount

        if not self._researched and ratio[1] > 2.0 and budget > 150:
            actions.append(FundMagnetResearch(round(min(200.0, 0.5 * budget), 1)))
            self._researched = True
        stage = deep_sea_next_stage(world, PLAYER)
        if (stage is not None and STAGES.index(stage) < DEEP_SEA_STAGES and stage.cost_musd < budget / 3
                and capital >= FundDeepSea.capital):
            actions.append(FundDeepSea())
            budget -= stage.cost_musd
        unlocked = scenario.unlocked_actions
        return [a for a in actions if not unlocked or a.kind in unlocked]


#: The deep-sea stages the bot funds: those that learn, not those that bet the budget.
DEEP_SEA_STAGES = 3


def _project_to_finance(world: RareEarthWorld, budget: float):
    """A project abroad, outside China, that makes magnet oxides and waits for money."""
    for project in projects_seeking_money(world, PLAYER, excluded_hosts=(PLAYER, RIVAL)):
        if project.cost_musd <= 0 or budget < 0.3 * project.cost_musd:
            continue
        plant = oxide_plant_of(world, project.firm)
        if plant is not None and plant.output_mix()[0] > 0:
            return project
    return None
