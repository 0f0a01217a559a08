"""The investment phase: hosts approve projects, projects advance and finished ones add
capacity; then each firm reviews its margins and cash (mothball, reopen, expand, fail,
restart). Also the levers that put a nation's money into projects."""

from __future__ import annotations

import mesa

from agents.buyers import MagnetMakerFirm
from agents.firm import FirmAgent
from agents.producers import MinerFirm, SeparatorFirm
from game.vocab.materials import MATERIALS, N_MATERIALS, Role
from game.world.contracts import Contract
from game.world.projects import Project

#: Capital cost of new capacity (US$ per t/yr) and quarters to build it, by stage.
#: Assumption, in the range of the 2011 projects: LAMP US$500M for 11,000 t/yr
#: (lynas_lamp_capacity), Mountain Pass US$780M for 5,500 t/yr of first output.
CAPEX_USD_PER_TPY = {Role.MINER: 25_000.0, Role.SEPARATOR: 20_000.0, Role.RECYCLER: 8_000.0,
                     Role.MAGNET_MAKER: 10_000.0}
EXPANSION_LEAD = {Role.MINER: 8, Role.SEPARATOR: 6, Role.RECYCLER: 3, Role.MAGNET_MAKER: 6}
EXPANSION_DELAY_CHANCE = 0.1
#: A partner nation's chance each quarter of approving a project it hosts (assumption: about a
#: year on average; Lynas waited for its Malaysian licence, lynas_lamp_tol), better with foreign
#: money behind it, worse when the host is at odds with the investor.
APPROVAL_CHANCE = 0.3
FOREIGN_MONEY_BONUS = 0.3
TENSION_PENALTY = 0.5
PARTNER_BONUS = 0.2
#: Commissioning: a quarter of the new capacity works at once, the rest comes up over the
#: next three quarters (Lynas took years to reach nameplate).
COMMISSIONING_SHARE = 0.25
COMMISSIONING_QUARTERS = 3


class Investment:
    """Projects from approval to capacity, and the firms' own decisions on their plants.

    Args:
        world: the RareEarthWorld it belongs to.
    """

    def __init__(self, world: mesa.Model, projects: dict[str, Project]):
        self.world = world
        self.projects = projects
        self._building: set[str] = set()  # firms with a project under way
        self._awaiting_approval: list[Project] = []
        self._awaiting_ids: set[str] = set()
        self._commissioning: list[tuple[FirmAgent, float, int]] = []  # capacity still coming up

    def build(self) -> None:
        """Phase 7: hosts decide on projects awaiting approval; research and the deep-sea
        programme advance; projects advance and a finished one adds capacity to its firm."""
        world = self.world
        self._decide_approvals()
        world.industry.finish_research()
        world.deep_sea.advance()
        ramping = []
        for firm, remaining, quarters in self._commissioning:
            step = remaining / quarters
            firm.capacity_tpy += step
            if quarters > 1:
                ramping.append((firm, remaining - step, quarters - 1))
        self._commissioning = ramping
        for project in self.projects.values():
            outcome = project.advance()
            if outcome == "done":
                firm = world.firm(project.firm)
                fixed_before = firm.fixed_cost_musd
                firm.capacity_tpy += project.adds_tpy * COMMISSIONING_SHARE
                self._commissioning.append((firm, project.adds_tpy * (1 - COMMISSIONING_SHARE), COMMISSIONING_QUARTERS))
                # Projects are financed with working capital: a year of the new fixed costs.
                working_capital = 4.0 * max(0.0, firm.fixed_cost_musd - fixed_before)
                firm.cash_musd += working_capital
                firm.finance(working_capital)
                world.report("project", "{firm}: {tpy:,.0f} t/yr of new capacity comes on line", firm=firm.name,
                             tpy=project.adds_tpy, firm_id=firm.firm_id, project_id=project.id)
                self._start_offtakes(project, firm)
            elif outcome == "failed":
                world.report("project", "{firm}'s project fails at commissioning", firm=world.firm(project.firm).name,
                             firm_id=project.firm, project_id=project.id)

    def review_firms(self) -> None:
        """Firms look at their margins and cash: plants mothball or reopen and decide to
        expand, mines stand idle, the insolvent fail and the failed may be bought back."""
        world = self.world
        committed = {c.seller for c in world.ledger.active(world.quarter + 1)}
        self._building = {p.firm for p in self.projects.values() if p.is_building}
        self._building.update(p.firm for p in self._awaiting_approval)
        for seller in world.sellers:
            seller.expect_prices(world.prices[world.nation_index(seller.nation)])
            outcome = seller.review_operations(seller.firm_id in committed)
            if outcome:
                world.report("firm", "{firm} is mothballed" if outcome == "mothballed" else "{firm} reopens",
                             firm=seller.name, firm_id=seller.firm_id)
            if seller.alive and not seller.mothballed:
                self._consider_expansion(seller)
        for maker in world.firms_of(MagnetMakerFirm):
            self._consider_magnet_capacity(maker)
        for miner in world.firms_of(MinerFirm):
            if miner.review_use():
                world.report("firm", "{firm} is mothballed", firm=miner.name, firm_id=miner.firm_id)
        for firm in world.firm_list:
            firm.pay_overheads()
            if firm.is_insolvent(world.prices[world.nation_index(firm.nation)]):
                firm.go_bankrupt(world.quarter)
                cancelled = world.ledger.cancel_contracts_of(firm.firm_id)
                if cancelled:
                    world.report("firm", "{firm} goes bankrupt; {n} contracts cancelled", firm=firm.name, n=cancelled,
                                 firm_id=firm.firm_id)
                else:
                    world.report("firm", "{firm} goes bankrupt", firm=firm.name, firm_id=firm.firm_id)
            elif not firm.alive and firm.can_restart(world.quarter, self._restart_margin(firm)):
                firm.restart()
                world.report("firm", "{firm} is bought and restarted", firm=firm.name, firm_id=firm.firm_id)

    def _restart_margin(self, firm: FirmAgent) -> float:
        """A plant restarts on its own margin; a mine when a plant it feeds makes money."""
        if isinstance(firm, SeparatorFirm):
            return firm.margin_share()
        return max((p.margin_share() for p in self.world.plants_fed_by(firm) if p.alive), default=0.0)

    def _consider_expansion(self, plant: SeparatorFirm) -> None:
        """A plant decides how much to grow (``expansion_wanted``); its mines grow with it."""
        if plant.capacity_tpy <= 0 or plant.firm_id in self._building:
            return
        adds = plant.expansion_wanted(self._share_of_capacity_sold(plant))
        if adds <= 0:
            return
        self._start_expansion(plant, adds)
        feed_capacity = sum(f.capacity_tpy for f in plant.feeds)
        for mine in plant.feeds:
            if mine.capacity_tpy > 0:
                self._start_expansion(mine, adds * mine.capacity_tpy / feed_capacity)

    def _consider_magnet_capacity(self, maker: MagnetMakerFirm) -> None:
        """Magnet makers build more lines when their orders fill what they have."""
        if maker.capacity_tpy <= 0 or maker.orders_t < 0.95 * maker.capacity_per_turn:
            return
        if maker.firm_id not in self._building:
            self._start_expansion(maker, 0.25 * maker.capacity_tpy)

    def _share_of_capacity_sold(self, plant: SeparatorFirm) -> float:
        """Share of its capacity the plant sold this quarter (a plant that cannot sell does not grow)."""
        sold = self.world.sales_this_turn.get(plant)
        return float(sold.sum()) / plant.capacity_per_turn if sold is not None and plant.capacity_per_turn > 0 else 0.0

    def _start_expansion(self, firm: FirmAgent, adds_tpy: float) -> None:
        """A firm's own project: capital by stage, financed with debt, its own risk draws."""
        world = self.world
        project = Project(f"{firm.firm_id}-expansion-{world.quarter}", firm.firm_id, firm.nation, adds_tpy,
                          EXPANSION_LEAD[firm.role], adds_tpy * CAPEX_USD_PER_TPY[firm.role] / 1e6,
                          EXPANSION_DELAY_CHANCE, 0.0, world.rng.spawn(1)[0], origin="expansion")
        self.projects[project.id] = project
        self.propose_project(project)
        self._building.add(firm.firm_id)

    def propose_project(self, project: Project) -> None:
        """A new project (a firm's expansion, an investor's money) needs its host's approval."""
        world = self.world
        host = world.nation(project.host)
        if host.doctrine != "partner" or project.started is not None or project.id in self._awaiting_ids:
            self.start_project(project)
            return
        self._awaiting_approval.append(project)
        self._awaiting_ids.add(project.id)
        world.report("project", "{firm}: {tpy:,.0f} t/yr awaits {host}'s approval", firm=world.firm(project.firm).name,
                     tpy=project.adds_tpy, host=host.name, firm_id=project.firm, project_id=project.id)

    def _decide_approvals(self) -> None:
        """Hosts approve projects, sooner when they bring foreign money, later amid tension."""
        world = self.world
        waiting = []
        for project in self._awaiting_approval:
            host = world.nation(project.host)
            foreign = [code for code in project.funders if code != host.code]
            chance = APPROVAL_CHANCE + (FOREIGN_MONEY_BONUS if foreign else 0.0) \
                + (PARTNER_BONUS if any(code in host.partners for code in foreign) else 0.0) \
                - TENSION_PENALTY * max((host.tension_with(code) for code in foreign), default=0.0)
            if project.rng.random() < chance:
                world.report("project", "{host} approves {firm}'s project", host=host.name,
                             firm=world.firm(project.firm).name, firm_id=project.firm, project_id=project.id)
                self._awaiting_ids.discard(project.id)
                self.start_project(project)
            else:
                waiting.append(project)
        self._awaiting_approval = waiting

    def start_project(self, project: Project) -> bool:
        """Start building; what investors have not paid, the owner borrows."""
        world = self.world
        if not project.start(world.quarter):
            return False
        funded = sum(project.funders.values())
        world.firm(project.firm).finance(max(0.0, project.cost_musd - funded))
        world.report("project", "{firm}: building {tpy:,.0f} t/yr ({n} quarters planned)",
                     firm=world.firm(project.firm).name, tpy=project.adds_tpy, n=project.lead_quarters,
                     firm_id=project.firm, project_id=project.id)
        return True

    def _start_offtakes(self, project: Project, firm: FirmAgent) -> None:
        """Investors' offtake rights become contracts, split by the plant's mix of oxides.

        A mine sells no oxide itself, so its offtake is delivered by the plant it feeds.
        """
        world = self.world
        if not isinstance(firm, SeparatorFirm):
            firm = next((s for s in world.sellers if firm in s.feeds), firm)
        mix = firm.output_mix()
        start = world.quarter + 1
        # An offtake is the investor's share of what the plant makes of the oxides it covers,
        # up to the tonnes agreed.
        for k, (buyer, tonnes, years, price, covered) in enumerate(project.offtakes):
            covered_mix = float(sum(mix[m] for m in covered))
            if covered_mix <= 0:
                continue
            share = min(1.0, tonnes / (firm.capacity_tpy * covered_mix)) if firm.capacity_tpy > 0 else 0.0
            for m in covered:
                if mix[m] <= 0:
                    continue
                material = MATERIALS[m]
                world.ledger.sign(Contract(
                    id=f"{project.id}-offtake-{k + 1}-{material.value}", seller=firm.firm_id, buyer=buyer,
                    material=material, tonnes_per_year=tonnes * mix[m] / covered_mix,
                    price=price if price > 0 else float(world.reference_price[m]),
                    start=start, end=start + years * 4 - 1, share_of_output=share,
                ))

    # ------------------------------------------------------------------ levers

    def invest_in_project(self, nation_code: str, project_id: str, amount_musd: float, offtake_tpy: float,
                          years: int, price: float, materials: tuple = ()) -> None:
        """Money from a nation goes to the project's owner; a project waiting for money starts."""
        world = self.world
        project = self.projects[project_id]
        world.nation(nation_code).budget_musd -= amount_musd
        world.firm(project.firm).cash_musd += amount_musd
        project.fund(nation_code, amount_musd)
        if offtake_tpy > 0:
            covered = tuple(MATERIALS.index(m) for m in materials) or tuple(range(N_MATERIALS))
            project.offtakes.append((nation_code, offtake_tpy, years, price, covered))
        if project.started is not None:
            world.firm(project.firm).debt_musd = max(0.0, world.firm(project.firm).debt_musd - amount_musd)
        self.propose_project(project)

    def fund_recycling(self, nation: str, recycler: str, amount_musd: float) -> float:
        """A nation pays for new recycling capacity; the host approves it, then it is built."""
        world = self.world
        firm = world.firm(recycler)
        adds = amount_musd * 1e6 / CAPEX_USD_PER_TPY[Role.RECYCLER]
        project = Project(f"{recycler}-funded-{world.quarter}-{len(self.projects)}", recycler, firm.nation, adds,
                          EXPANSION_LEAD[Role.RECYCLER], amount_musd, EXPANSION_DELAY_CHANCE, 0.0,
                          world.rng.spawn(1)[0], origin="funded")
        project.fund(nation, amount_musd)
        world.nation(nation).budget_musd -= amount_musd
        self.projects[project.id] = project
        self.propose_project(project)
        return adds
