"""The industry phase: magnets are made and reach manufacturers, who produce; later in the
quarter buyers adapt (thrift, substitution, moving production into China) and demand grows.
Also the levers that act on industry: emergency support and magnet research."""

from __future__ import annotations

import math

import mesa
import numpy as np

from agents.buyers import (MagnetMakerFirm, ManufacturerFirm, adapt_demand_of, adapt_recipes_of,
                           input_price_ratios_of, magnets_of, make_magnets_of, manufacture_from, needs_of,
                           relocation_shares_of)
from agents.firm import DYTB, NDPR, sums_in_order
from agents.nation import age_products_of
from game.vocab.arithmetic import added_up
from game.vocab.materials import N_MATERIALS
from game.vocab.nations import CHINA
from game.vocab.portable_math import dot
from game.vocab.quarters import Quarter


class Industry:
    """Magnet makers and manufacturers, and what they need.

    Args:
        world: the RareEarthWorld it belongs to.
    """

    def __init__(self, world: mesa.Model):
        self.world = world
        self.demand_trends: dict[str, tuple[float, float]] = {}  # nation -> growth/yr (magnets, Ce/La)
        self._research: list[tuple[Quarter, str, float]] = []  # (ready, nation, Dy/Tb cut)
        # The manufacturers outside China, nation by nation, and their nations' places (see
        # _relocate_production); found when first needed.
        self._abroad: list[ManufacturerFirm] | None = None
        self._abroad_homes = np.zeros(0, dtype=np.int64)
        # Each nation's magnet maker, whose recipe is the nation's (None where it has none), in
        # the world's order; found when first needed (see _recipe_makers_of_nations).
        self._recipe_makers: list[MagnetMakerFirm | None] | None = None
        self._maker_homes: list[tuple[int, np.ndarray]] | None = None  # see _homes_of_makers

    def make_and_consume(self) -> None:
        """Phase 6: magnets are made and shipped to manufacturers at home, who produce;
        products enter use and old ones become scrap."""
        world = self.world
        # Every maker makes, then every manufacturer produces, all at once: nothing one country's
        # firms do here changes another's.
        makers, manufacturers = world.firms_of(MagnetMakerFirm), world.firms_of(ManufacturerFirm)
        made_in = self._totals_by_nation(MagnetMakerFirm, make_magnets_of(makers))
        # Their needs, which nothing here changes, and their magnets, as each receives its share
        # (``receive_magnets``): each row a manufacturer's, read once for the whole phase.
        needs, magnets = needs_of(manufacturers), magnets_of(manufacturers)
        # What each wants to hold in magnets beyond what it has (receiving changes only its own).
        wants = _magnets_wanted(manufacturers, needs[0], magnets)
        # Each nation's makers ship what they made to its manufacturers, in shares of what they
        # want (the sum of what its manufacturers want, where it has any and made some).
        wanted_in = np.zeros(len(world.nation_codes))
        for i, home_places in self._homes_of_makers():
            made = made_in[i]
            if made.sum() > 0:
                wanted = wants[home_places].sum()
                if wanted > 0:
                    wanted_in[i] = wanted
                else:  # nobody at home wants them: they stay with the makers as oxide
                    code = world.nation_codes[i]
                    next(m for m in makers if m.nation == code).inventory += made
        homes = world.homes_of(ManufacturerFirm)
        receiving = np.flatnonzero(wanted_in[homes] > 0)
        if receiving.size:
            # All shares worked out at once; each keeps its row of the new stocks (a view, as
            # manufacture_of leaves it).
            senders = homes[receiving]
            shares = wants[receiving] / wanted_in[senders]
            magnets[receiving] = magnets[receiving] + made_in[senders] * shares[:, None]
            for k in receiving.tolist():
                manufacturers[k].magnets = magnets[k]
        consumed_in = self._totals_by_nation(ManufacturerFirm, manufacture_from(manufacturers, needs, magnets))
        # Added nation after nation, in the world's order, as a loop adds them.
        world.flows["consumed"][:] = np.add.accumulate(np.vstack((world.flows["consumed"], consumed_in)))[-1]
        age_products_of(world.nation_list, consumed_in)

    def _homes_of_makers(self) -> list[tuple[int, np.ndarray]]:
        """Each nation with magnet makers, by its place in the world's order, and the places of
        its manufacturers among ``firms_of(ManufacturerFirm)``, in their order: the only nations
        that make magnets to ship. A world's firms never change, so they are found once."""
        if self._maker_homes is None:
            world = self.world
            manufacturers_home = world.homes_of(ManufacturerFirm)
            with_makers = set(world.homes_of(MagnetMakerFirm).tolist())
            self._maker_homes = [(i, np.flatnonzero(manufacturers_home == i))
                                 for i in range(len(world.nation_codes)) if i in with_makers]
        return self._maker_homes

    def _totals_by_nation(self, role: type, rows: np.ndarray) -> np.ndarray:
        """Each nation's sum of the rows of a role's firms (a row per firm in ``firms_of``'s
        order; a row per nation back), added one firm after another from zero, as a loop over
        each nation's firms adds them."""
        world = self.world
        totals = np.zeros((len(world.nation_codes), N_MATERIALS))
        homes = world.homes_of(role)
        if homes.size:
            np.add.at(totals, homes, rows)
        return totals

    def adapt(self) -> None:
        """End of the quarter: manufacturers facing far dearer inputs than China's move
        production there, demand grows along its trends, buyers thrift or come back."""
        world = self.world
        # Moving production and growing demand leave the recipes as they are: read once for both
        # decisions (the makers' own adapting, last, changes them).
        recipes = self.recipe_rows()
        self._relocate_production(recipes)
        self._grow_demand()
        ref = world.reference_price
        manufacturers = world.firms_of(ManufacturerFirm)
        home = world.homes_of(ManufacturerFirm)
        ratios = input_price_ratios_of(manufacturers, world.expected_prices[home], ref[None, :], recipes[home])
        adapt_demand_of(manufacturers, ratios)
        makers = world.firms_of(MagnetMakerFirm)
        adapt_recipes_of(makers, world.expected_prices[world.homes_of(MagnetMakerFirm), 1] / ref[1])

    def recipe_rows(self) -> np.ndarray:
        """Each nation's ``magnet_recipe`` this quarter, a row per nation in the world's order,
        worked out for all nations at once (the same subtraction as each maker's ``recipe``)."""
        makers = self._recipe_makers_of_nations()
        rows = np.zeros((len(makers), N_MATERIALS))
        rows[:, NDPR] = 1.0  # a nation without makers: magnets of NdPr alone
        found = [k for k, maker in enumerate(makers) if maker is not None]
        if found:
            dy_share = np.array([makers[k].dy_share for k in found], dtype=float)
            rows[found, NDPR], rows[found, DYTB] = 1.0 - dy_share, dy_share
        return rows

    def magnet_recipe(self, nation: str) -> np.ndarray:
        """Oxide per tonne of magnet made in the nation (NdPr, Dy/Tb, Ce/La)."""
        maker = self._recipe_makers_of_nations()[self.world.nation_index(nation)]
        return maker.recipe if maker is not None else np.array([1.0, 0.0, 0.0])

    def _recipe_makers_of_nations(self) -> list[MagnetMakerFirm | None]:
        """Each nation's first magnet maker, whose recipe is the nation's, or None; a world's
        firms never change, so they are found once (four readings a quarter asked each nation)."""
        if self._recipe_makers is None:
            world = self.world
            self._recipe_makers = [next((b for b in world.buyers_in[code] if isinstance(b, MagnetMakerFirm)), None)
                                   for code in world.nation_codes]
        return self._recipe_makers

    def set_demand_trend(self, nations: tuple[str, ...], magnets_per_year: float, cela_per_year: float) -> None:
        for code in nations:
            self.demand_trends[code] = (magnets_per_year, cela_per_year)

    def _grow_demand(self) -> None:
        for code, (magnets, cela) in self.demand_trends.items():
            for buyer in self.world.buyers_in[code]:
                if isinstance(buyer, ManufacturerFirm):
                    buyer.magnet_need_tpy *= (1.0 + magnets) ** 0.25
                    buyer.cela_need_tpy *= (1.0 + cela) ** 0.25

    def _relocate_production(self, recipes: np.ndarray) -> None:
        """Each manufacturer decides how much to move into China (see its relocation_share);
        ``recipes``: each nation's ``magnet_recipe``, a row per nation."""
        world = self.world
        if not world.has_nation(CHINA):
            return
        china = world.nation_index(CHINA)
        hosts = {role: next((b for b in world.buyers_in[CHINA] if isinstance(b, ManufacturerFirm)
                              and (b.magnet_need_tpy > 0) == role), None) for role in (True, False)}
        # Abroad, nation by nation as the world lists them; each one's ratio is its own (moving
        # changes only its needs and its host's, in China).
        if self._abroad is None:  # a world's firms never change: found once
            self._abroad = [b for code in world.nation_codes if code != CHINA
                            for b in world.buyers_in[code] if isinstance(b, ManufacturerFirm)]
            self._abroad_homes = np.array([world.nation_index(m.nation) for m in self._abroad], dtype=np.int64)
        makers, homes = self._abroad, self._abroad_homes
        if not makers:
            return
        ratios = input_price_ratios_of(makers, world.expected_prices[homes], world.expected_prices[china][None, :],
                                       recipes[homes])
        # Those with a host of their kind in China decide together; then each moves its share,
        # in order, its host's needs growing by each move in turn.
        host_of = [hosts[maker.magnet_need_tpy > 0] for maker in makers]
        deciding = [k for k, host in enumerate(host_of) if host is not None]
        shares = relocation_shares_of([makers[k] for k in deciding], ratios[deciding]).tolist()
        for k, share in zip(deciding, shares):  # in the makers' order, as deciding is
            if share > 0:
                magnets, cela = makers[k].move_production(share)
                host = host_of[k]
                host.magnet_need_tpy += magnets
                host.cela_need_tpy += cela

    # ------------------------------------------------------------------ levers

    def support_industry(self, nation: str, amount_musd: float) -> float:
        """Emergency support: the nation's buyers can pay more this quarter, in proportion to
        the money against a quarter of their purchases, up to the world's ``max_support_boost``
        (1: double); the market decides what it buys."""
        world = self.world
        spend = quarterly_spend_musd(world, nation)
        boost = min(world.assumptions.max_support_boost, amount_musd / spend) if spend > 0 else 0.0
        for buyer in world.buyers_in[nation]:
            buyer.support = boost
        world.nation(nation).budget_musd -= amount_musd
        return boost

    def fund_magnet_research(self, nation: str, amount_musd: float) -> tuple[Quarter, float]:
        """Research that, when done, cuts the Dy/Tb in the nation's magnets: up to a most, with
        diminishing returns on money, after the world's ``research_quarters``."""
        assumptions = self.world.assumptions
        cut = assumptions.max_research_dytb_cut * (1.0 - math.exp(-amount_musd / assumptions.research_scale_musd))
        ready = self.world.quarter + assumptions.research_quarters
        self.world.nation(nation).budget_musd -= amount_musd
        self._research.append((ready, nation, cut))
        return ready, cut

    def finish_research(self) -> None:
        world = self.world
        done = [r for r in self._research if r[0] <= world.quarter]
        self._research = [r for r in self._research if r[0] > world.quarter]
        for _, nation, cut in done:
            for maker in (b for b in world.buyers_in[nation] if isinstance(b, MagnetMakerFirm)):
                maker.dy_share *= 1.0 - cut
                maker.min_dy_share *= 1.0 - cut
            world.report("research", "{nation}'s magnets need {cut:.0%} less Dy/Tb", nation=world.nation(nation).name,
                         cut=cut, nation_code=nation)


def _magnets_wanted(manufacturers, magnet_need: np.ndarray, magnets: np.ndarray) -> np.ndarray:
    """Magnets each manufacturer wants delivered: this quarter's need and its usual buffer,
    less its stock (never below zero); ``magnet_need`` and ``magnets`` are each one's."""
    if not manufacturers:
        return np.zeros(0)
    buffer = np.array([m.buffer_quarters for m in manufacturers])
    return np.maximum(0.0, magnet_need * (1 + buffer) - sums_in_order(magnets))


def quarterly_spend_musd(world: mesa.Model, nation: str) -> float:
    """US$ million the nation's buyers spend on a quarter's needs at the prices they expect:
    what emergency support is measured against."""
    expected = world.expected_prices[world.nation_index(nation)]
    return added_up(dot(b.requirement, expected) for b in world.buyers_in[nation]) / 1000.0
