"""Nations: stockpile, budget, tension with other nations, and the urban mine at home.

Export policy (quotas, licences, embargoes, tariffs) is held by the world's trade
module, keyed by exporter; a nation changes it through ``TradePolicy``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import mesa
import numpy as np

from agents.doctrine import decide_pressure
from agents.firm import rows_of
from game.vocab.materials import (
    MAGNET_MATERIALS,
    MATERIAL_INDEX,
    MATERIALS,
    N_MATERIALS,
)

if TYPE_CHECKING:
    from game.spec import NationSpec

_MAGNET_MASK = np.zeros(N_MATERIALS)
for _m in MAGNET_MATERIALS:
    _MAGNET_MASK[MATERIAL_INDEX[_m]] = 1.0


class NationAgent(mesa.Agent):
    """A country or bloc: strategic stockpile, budget, tension, urban mine."""

    def __init__(self, model: mesa.Model, spec: NationSpec):
        super().__init__(model)
        self.code = spec.code
        self.doctrine = spec.doctrine
        #: Played from outside the world (a team, a script, a role's bot): its export pressure
        #: is what its players decide through actions, not what its doctrine would.
        self.played = False
        #: Played, and its players approve or refuse the projects on its soil by hand (a team
        #: whose role has approve_project). A played nation without that lever has them decided
        #: as if nobody played it: Mountain Pass waited for a United States team that could not
        #: approve it, for ever.
        self.approves_projects = False
        #: Played by a team with no say on the projects on its soil (Japan's, the United States'
        #: in a workshop): they are decided as if nobody played it, and the news says its
        #: regulators decide, so the team does not wait to approve them.
        self.regulators_approve = False
        self.name = spec.name
        self.name_ja = spec.name_ja
        self.stockpile = np.array(spec.stockpile, dtype=float)
        self.budget_per_quarter_musd = spec.budget_musd_per_quarter
        self.budget_musd = 0.0  # each quarter's allowance arrives as the quarter opens
        self.baseline_tension = dict(spec.tension)
        self.tension = dict(spec.tension)
        # How much the nation's buyers fear for supply (0..1), after embargoes on it or others.
        self.security_premium = 0.0
        # The urban mine: rare earths in products in use, and scrap collected for recycling.
        self.in_use = np.array(spec.urban_mine_in_use, dtype=float)
        self.product_lifetime_years = spec.product_lifetime_years
        self.collection_rate = spec.collection_rate
        self.scrap_pool = np.zeros(N_MATERIALS)
        self.scrap_takers: tuple = ()  # the recyclers that shared its scrap this quarter...
        self.scrap_takers_tpy = 0.0  # ...and their capacity
        # Political capital: what a government can spend on talks, cases and rules in a
        # quarter (assumption: it builds up slowly and cannot be hoarded without limit).
        self.political_capital = model.assumptions.political_capital_start
        self.environmental_impact = 0.0  # 0..1: damage done by the nation's own programmes
        self.partners: set[str] = set()  # nations it has a supply partnership with
        self.collection_cost_musd_per_quarter = 0.0  # what its take-back rules cost to run
        self.royalties_musd = 0.0  # what its mines have paid it in royalties, in all
        # Orders for this turn from the nation's controller (the player, a bot or a script).
        self.release_orders = np.zeros(N_MATERIALS)
        #: Stockpile tonnes sold on the market in the quarter last run (for the supply panel).
        self.released_t = np.zeros(N_MATERIALS)
        #: What its stockpile cost it in the quarter last run, US$ million: spot purchases at the
        #: price paid, and contract deliveries it took in for want of an industry to use them.
        self.stock_bought_musd = 0.0
        self.purchase_orders: list[tuple[int, float, float]] = []
        self.alive = True

    def tension_with(self, partner: str) -> float:
        return self.tension.get(partner, 0.0)

    def change_tension(self, partner: str, change: float) -> None:
        self.tension[partner] = float(np.clip(self.tension_with(partner) + change, 0.0, 1.0))

    def ease_tension(self) -> None:
        """Without new incidents, tension drifts back toward its baseline: it closes a share of
        the gap each quarter."""
        for partner in self.tension:
            self.tension[partner] = self.eased_tension(partner)

    def eased_tension(self, partner: str) -> float:
        """Tension with ``partner`` once this quarter's easing has closed its share of the gap to
        the baseline: what the quarter records if nothing else moves it first."""
        level = self.tension_with(partner)
        baseline = self.baseline_tension.get(partner, 0.0)
        return level + self.model.assumptions.tension_easing_per_quarter * (baseline - level)

    def take_fright(self, amount: float) -> None:
        self.security_premium = min(1.0, self.security_premium + amount)

    def calm_down(self) -> None:
        """Fright fades by a share each quarter."""
        self.security_premium *= 1.0 - self.model.assumptions.security_premium_fading_per_quarter

    def start_quarter(self) -> None:
        self.budget_musd += self.budget_per_quarter_musd - self.collection_cost_musd_per_quarter
        assumptions = self.model.assumptions
        self.political_capital = min(assumptions.political_capital_max,
                                     self.political_capital + assumptions.political_capital_per_quarter)

    def decide_export_pressure(self) -> None:
        """A "leverage" exporter weighs pressure on each importing partner (agents.doctrine):
        licence friction always, and a halt when tension and the partner's dependence outweigh
        the export revenue at stake and the exposure to WTO cases against it."""
        world = self.model
        i = world.nation_index(self.code)
        sent = world.last_receipts[:, i, :]
        revenue = (sent * world.prices.T).sum(axis=0)
        revenue[i] = 0.0
        total_revenue = float(revenue.sum())
        exposure = max((c.exposure() for c in world.diplomacy.wto_cases if c.respondent == self.code), default=0.0)
        domestic_prices = tuple(world.prices[i])
        for j, partner in enumerate(world.nation_list):
            if j == i or not world.buyers_in[partner.code]:
                continue
            # np.add.reduce is ndarray.sum's arithmetic without its Python wrapper.
            received = float(np.add.reduce(world.last_receipts[:, :, j], axis=None))
            leverage = float(np.add.reduce(sent[:, j], axis=None)) / received if received > 0 else 0.0
            pressure = decide_pressure(self.tension_with(partner.code), leverage,
                                       float(revenue[j]) / total_revenue if total_revenue > 0 else 0.0,
                                       exposure, domestic_prices, world.assumptions)
            world.policy.set_pressure(self.code, partner.code, pressure.friction_usd_per_kg)
            if pressure.halt:
                q = world.quarter
                world.policy.impose_embargo(self.code, partner.code, MATERIALS, q.first_day, q.end_day)
                world.report("doctrine", "{exporter} halts rare-earth shipments to {partner}: tension {tension:.2f} and "
                                         "{leverage:.0%} of its supply outweigh {revenue:.0%} of export revenue",
                             exporter=self.name, partner=partner.name, tension=self.tension_with(partner.code),
                             leverage=leverage, revenue=float(revenue[j]) / total_revenue if total_revenue > 0 else 0.0,
                             exporter_code=self.code, partner_code=partner.code)

    def __repr__(self) -> str:
        return f"NationAgent({self.code!r})"


def age_products_of(nations: Sequence[NationAgent], consumed: np.ndarray) -> None:
    """Products each nation made this quarter enter use (``consumed``: a row each); old ones reach
    end of life and some are collected. Worked out for all nations at once, each one's arithmetic
    as for one. Each takes its rows of the new figures (views of two arrays) in place of its old
    ones, which nothing else holds."""
    if not nations:
        return
    in_use = rows_of([nation.in_use for nation in nations]) + consumed
    quarters_of_life = np.array([nation.product_lifetime_years for nation in nations], dtype=float) * 4.0
    end_of_life = in_use / quarters_of_life[:, None]
    in_use -= end_of_life
    collection = np.array([nation.collection_rate for nation in nations], dtype=float)
    # Only magnet materials are worth collecting; Ce/La in catalysts and glass is dissipated.
    scrap_pool = rows_of([nation.scrap_pool for nation in nations]) \
        + end_of_life * collection[:, None] * _MAGNET_MASK
    for nation, own_in_use, own_scrap in zip(nations, in_use, scrap_pool):
        nation.in_use, nation.scrap_pool = own_in_use, own_scrap
