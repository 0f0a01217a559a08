"""A bot that plays Japan: a sensible heuristic player, through the same Actions as a person.

Its rules, checked in this order each quarter:
- shortage: while Japan is blocked or its prices spike, release the national stockpile and,
  if output is already slipping, pay emergency support;
- calm: when a magnet oxide's price is back near its reference, rebuild its stockpile;
- tension: hold talks when tension with China runs high;
- diversification: finance a project abroad (outside China) that is waiting for money, for an
  offtake of the magnet oxides, and sign a supply partnership with its host;
- thrift: fund magnet research once, when Dy/Tb stays dear.
It reads the world and the rows recorded so far; it changes nothing except by submitting.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from game.actions import (
    Action,
    BuyStockpile,
    FundMagnetResearch,
    HoldTalks,
    InvestInProject,
    ReleaseStockpile,
    SignPartnership,
    SupportIndustry,
)
from game.world.materials import MATERIALS, Material

if TYPE_CHECKING:
    from game.session import Session

PLAYER = "JPN"
RIVAL = "CHN"
SPIKE = 1.8  # price over reference that counts as a shortage
CALM = 1.3  # price over reference under which stock is rebuilt
STOCKPILE_TARGET_DAYS = 60.0  # cf. jp_stockpile_target
TALKS_ABOVE = 0.45


class BotController:
    """Decides Japan's actions each quarter from what it can see."""

    name = "bot"

    def __init__(self) -> None:
        self._researched = False

    def decide(self, session: Session) -> list[Action]:
        world = session.world
        japan = world.nation(PLAYER)
        j = world.nation_index(PLAYER)
        ratio = world.prices[j] / world.reference_price
        blocked = any(e.partner == PLAYER and e.open_share(world.quarter) < 1.0
                      for e in world.policy.embargoes_in(world.quarter))
        rows = session.rows() if world.turns_done else []
        output = rows[-1]["japan_output_index"] if rows else 1.0
        actions: list[Action] = []
        budget = japan.budget_musd
        capital = japan.political_capital

        if blocked or ratio.max() > SPIKE:
            for m, material in enumerate(MATERIALS):
                held = japan.stockpile[m]
                if held > 1.0 and (blocked or ratio[m] > SPIKE):
                    actions.append(ReleaseStockpile(material, round(held * 0.6, 1)))
            if output < 0.98 and budget > 50 and capital >= SupportIndustry.capital:
                amount = round(min(0.3 * budget, 400.0), 1)
                actions.append(SupportIndustry(amount))
                budget -= amount
                capital -= SupportIndustry.capital
        if not blocked:
            need = _daily_need(world)
            for m, material in enumerate(MATERIALS[:2]):  # the magnet oxides, each when it is calm
                if ratio[m] >= CALM:
                    continue
                gap = STOCKPILE_TARGET_DAYS * need[m] - japan.stockpile[m]
                price_cap = float(world.reference_price[m] * CALM)
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
        return actions


def _daily_need(world) -> list[float]:
    from game.world.indicators import need_by_material

    return list(need_by_material(world, PLAYER) / world.quarter.days)


def _project_to_finance(world, budget: float):
    """A project abroad, outside China, that makes magnet oxides and waits for money."""
    from agents.firm import SeparatorFirm

    for project in sorted(world.projects.values(), key=lambda p: p.id):
        if project.started is not None or project.done or project.failed or project.host in (PLAYER, RIVAL):
            continue
        if PLAYER in project.funders:  # already financed: it awaits its host's approval
            continue
        if project.cost_musd <= 0 or budget < 0.3 * project.cost_musd or "-expansion-" in project.id:
            continue
        firm = world.firm(project.firm)
        plant = firm if isinstance(firm, SeparatorFirm) else next(
            (s for s in world.sellers if firm in s.feeds), None)
        if plant is not None and plant.output_mix()[0] > 0:
            return project
    return None
