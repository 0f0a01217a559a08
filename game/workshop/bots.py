"""Bots for the workshop's roles: each plays a nation nobody takes, or a team that dropped out
until it is back, through the same Actions a team submits, and only with its role's levers.

- Japan: the game's own bot (game.bot).
- China: when no team takes it, its doctrine plays it, as in the one-player game. A team's
  China that drops out is held where the team left it: its quotas, duties, licences and
  embargoes stay, and nothing new is decided for it (a bot inventing Chinese policy in the
  middle of a class would be noise the debrief cannot explain).
- The United States, the EU and Korea, importers: rebuild a stockpile while prices are calm,
  release it when their industry runs short, and (the US and the EU) put money into a project
  outside China that is waiting for it.
- Australia, a host: approves every project on its soil and changes no royalty.
"""

from __future__ import annotations

from game.actions import Action, BuyStockpile, InvestInProject, ReleaseStockpile
from game.bot import BotController
from game.controllers import Controller, PassiveController
from game.spec import RoleSpec, Scenario
from game.state_levers import ApproveProject
from game.vocab.materials import MATERIALS, Material
from game.vocab.nations import CHINA, JAPAN
from game.world.model import RareEarthWorld
from game.world.views import (
    daily_need,
    last_output_index,
    oxide_plant_of,
    projects_seeking_money,
)

CALM = 1.3  # price over reference under which stock is rebuilt
SHORT = 0.97  # output index under which the stockpile is released
TARGET_DAYS = 45.0  # the stockpile an importer's bot builds towards


class ImporterBot:
    """A nation that buys its rare earths: stockpile in calm, release in shortage, invest."""

    def __init__(self, role: RoleSpec, invests: bool):
        self.nation = role.code
        self.levers = set(role.levers)
        self.invests = invests
        self.name = f"bot-{role.code.lower()}"

    def decide(self, world: RareEarthWorld, scenario: Scenario) -> list[Action]:
        nation = world.nation(self.nation)
        i = world.nation_index(self.nation)
        need = daily_need(world, self.nation)
        budget = nation.budget_musd
        actions: list[Action] = []
        if last_output_index(world, self.nation) < SHORT:
            for m, material in enumerate(MATERIALS):
                if nation.stockpile[m] > 1.0:
                    actions.append(ReleaseStockpile(material, round(0.5 * nation.stockpile[m], 1)))
        else:
            for m, material in enumerate(MATERIALS[:2]):  # the magnet oxides
                if world.prices[i, m] > CALM * world.reference_price[m]:
                    continue
                price_cap = round(float(world.prices[i, m]) * 1.1, 2)
                tonnes = min(TARGET_DAYS * need[m] - nation.stockpile[m], 0.2 * budget * 1000.0 / price_cap)
                if tonnes > 1.0 and price_cap > 0:
                    actions.append(BuyStockpile(material, round(tonnes, 1), price_cap))
                    budget -= tonnes * price_cap / 1000.0
        if self.invests:
            for project in projects_seeking_money(world, self.nation, excluded_hosts=(self.nation, CHINA)):
                plant = oxide_plant_of(world, project.firm)
                if project.cost_musd > 0 and budget >= 0.3 * project.cost_musd and plant is not None \
                        and plant.output_mix()[0] > 0:
                    amount = round(min(project.cost_musd, 0.5 * budget), 1)
                    actions.append(InvestInProject(project.id, amount, round(0.25 * project.adds_tpy, 1), 10,
                                                   materials=(Material.NDPR, Material.DYTB)))
                    break
        return [a for a in actions if a.kind in self.levers]


class HostBot:
    """A host of mines: approves every project waiting on its soil."""

    def __init__(self, role: RoleSpec):
        self.nation = role.code
        self.name = f"bot-{role.code.lower()}"

    def decide(self, world: RareEarthWorld, scenario: Scenario) -> list[Action]:
        return [ApproveProject(p.id) for p in world.investment.awaiting_approval(self.nation)]


def bot_for(role: RoleSpec) -> Controller:
    """The bot that stands in for a role (see the module's docstring)."""
    if role.code == JAPAN:
        return BotController()
    if role.code == CHINA:
        held = PassiveController()
        held.name = "held"
        return held
    if "approve_project" in role.levers:
        return HostBot(role)
    return ImporterBot(role, invests="invest_in_project" in role.levers)
