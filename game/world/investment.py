"""The investment phase: hosts approve projects, projects advance and finished ones add
capacity; then each firm reviews its margins and cash (mothball, reopen, expand, fail,
restart). Also the levers that put a nation's money into projects."""

from __future__ import annotations

import mesa
import numpy as np

from agents.buyers import MagnetMakerFirm
from agents.firm import FirmAgent, overheads_of, review_uses_of, rows_of
from agents.producers import (GROWS_FROM_UTILISATION, MinerFirm, RecyclerFirm, SellerReadings, SeparatorFirm,
                              expect_prices_of, full_costs_of, margins_from_running_values, review_operations_of,
                              running_values_of)
from game.spec import Assumptions
from game.vocab.arithmetic import added_up
from game.vocab.materials import MATERIALS, N_MATERIALS, Material, Role
from game.vocab.quarters import Quarter
from game.world.contracts import Contract
from game.world.project_streams import Pcg64Stream
from game.world.projects import Project

#: What a seller that sold nothing this quarter sold (read-only: never changed in place).
NOTHING_SOLD = np.zeros(N_MATERIALS)
NOTHING_SOLD.flags.writeable = False


def capex_usd_per_tpy(assumptions: Assumptions, role: Role) -> float:
    """Capital cost of new capacity, US$ per t/yr, by stage (the world's assumptions)."""
    # A firm's own role asked by identity first: a 10,000-firm world asks about 5,000 times in
    # its first quarter, and building the table and hashing its roles cost ten times the answer.
    if role is Role.MINER:
        return assumptions.capex_miner_usd_per_tpy
    if role is Role.SEPARATOR:
        return assumptions.capex_separator_usd_per_tpy
    if role is Role.MAGNET_MAKER:
        return assumptions.capex_magnet_maker_usd_per_tpy
    return {Role.MINER: assumptions.capex_miner_usd_per_tpy, Role.SEPARATOR: assumptions.capex_separator_usd_per_tpy,
            Role.RECYCLER: assumptions.capex_recycler_usd_per_tpy,
            Role.MAGNET_MAKER: assumptions.capex_magnet_maker_usd_per_tpy}[role]


def build_quarters(assumptions: Assumptions, role: Role) -> int:
    """Quarters to build new capacity, by stage (the world's assumptions)."""
    if role is Role.MINER:  # (the commonest first, by identity, as in ``capex_usd_per_tpy``)
        return assumptions.build_quarters_miner
    if role is Role.SEPARATOR:
        return assumptions.build_quarters_separator
    if role is Role.MAGNET_MAKER:
        return assumptions.build_quarters_magnet_maker
    return {Role.MINER: assumptions.build_quarters_miner, Role.SEPARATOR: assumptions.build_quarters_separator,
            Role.RECYCLER: assumptions.build_quarters_recycler,
            Role.MAGNET_MAKER: assumptions.build_quarters_magnet_maker}[role]


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
        #: The level's news of a project waiting for its host's team, told when the team approves
        #: it: project id -> (kind, headline, source).
        self._headlines_on_approval: dict[str, tuple[str, str, str]] = {}
        self._commissioning: list[tuple[FirmAgent, float, int]] = []  # capacity still coming up
        # While firms review: the projects not finished or failed, in ``projects``' order (sums
        # over them go in that order, as a walk of every project would), each firm's chained
        # from its last (``_last_unfinished``) through each one's ``_earlier_unfinished``.
        self._unfinished: list[Project] | None = None
        self._earlier_unfinished: list[int] = []
        self._last_unfinished: dict[str, int] = {}
        # While firms review: each seller's operating margin, worked out for all at once, and
        # their figures read for it, from which their full costs are worked out (for all at once
        # too) when a plant first weighs growing: in most quarters none does.
        self._margins: dict[SeparatorFirm, float] = {}
        self._seller_readings: SellerReadings | None = None
        self._full_costs: dict[SeparatorFirm, float] | None = None
        self.stakes: dict[tuple[str, str], float] = {}  # (nation, firm) -> US$ million lent to it
        self._companies: dict[str, list[int]] | None = None  # each company's firms' places in the world's

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
                # Commissioning: a share of the new capacity works at once, the rest comes up
                # over the next quarters (Lynas took years to reach nameplate).
                first_share = world.assumptions.commissioning_first_share
                firm.capacity_tpy += project.adds_tpy * first_share
                self._commissioning.append((firm, project.adds_tpy * (1 - first_share),
                                            world.assumptions.commissioning_ramp_quarters))
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
        # One walk finds the firms building and indexes the unfinished projects. The index
        # holds no object per project or firm: at 10,000 firms a list and a tuple for each
        # outlived a quarter's young collections and brought the next full one forward.
        building = self._building = set()
        unfinished, earlier, last = self._unfinished, self._earlier_unfinished, self._last_unfinished = [], [], {}
        for project in self.projects.values():
            if not (project.done or project.failed):
                firm = project.firm
                if project.started is not None:  # what Project.is_building asks
                    building.add(firm)
                earlier.append(last.get(firm, -1))
                last[firm] = len(unfinished)
                unfinished.append(project)
        building.update(p.firm for p in self._awaiting_approval)
        try:
            self._review_each_firm(committed)
        finally:
            self._unfinished, self._earlier_unfinished, self._last_unfinished = None, [], {}
            self._margins, self._seller_readings, self._full_costs = {}, None, None

    def _review_each_firm(self, committed: set[str]) -> None:
        world = self.world
        sellers = world.sellers
        # Every seller's expectations first, all together (none of what follows changes what
        # another seller expects). Their output mixes and stock are read once for this and the
        # margins (neither changes them); their feed mines' figures once for both costs, after
        # the new expectations. (The world's sellers are its SeparatorFirms, in its order.)
        readings = SellerReadings(sellers)
        expect_prices_of(sellers, world.prices[world.homes_of(SeparatorFirm)],
                         rows_of([world.sales_this_turn.get(seller, NOTHING_SOLD) for seller in sellers]), readings)
        # What running each earns, all together too: nothing a review changes moves it (stock,
        # expectations and capacity stay put until the next phase that uses them), nor their
        # full costs (unit costs, and their feed mines' figures read with the margins).
        values, variables, expects = running_values_of(sellers, readings)
        self._margins = dict(zip(sellers, margins_from_running_values(values, variables, expects).tolist()))
        variable_costs = dict(zip(sellers, variables.tolist()))
        self._seller_readings = readings
        # Each seller a team does not play reviews its operations (all together: a review changes
        # only the seller's own figures, and growing reads none that a review changes), then in
        # order reports the outcome and, working, decides whether to grow. Growing asks first
        # whether the plant is building and whether it ran enough of its capacity
        # (``_capacity_used``, which nothing here changes): most plants fail one or the other.
        # These questions, and the makers' below, are asked one firm at a time: arrays of the
        # firms' figures cost more to read than the questions (a fifth as much at 13 sellers,
        # half at 325).
        reviewed = [seller for seller in sellers if not seller.played]
        outcomes = review_operations_of(reviewed, [seller.firm_id in committed for seller in reviewed],
                                        [self._margins[seller] for seller in reviewed],
                                        [variable_costs[seller] for seller in reviewed])
        building = self._building
        for seller, outcome in zip(reviewed, outcomes):
            if outcome:
                world.report("firm", "{firm} is mothballed" if outcome == "mothballed" else "{firm} reopens",
                             firm=seller.name, firm_id=seller.firm_id)
            per_turn = seller.capacity_tpy / 4.0  # its ``_capacity_used``, without two calls a seller
            if per_turn > 0 and seller.output_t / per_turn >= GROWS_FROM_UTILISATION \
                    and seller.firm_id not in building and seller.alive and not seller.mothballed:
                self._consider_expansion(seller)
                self._separate_what_is_mined(seller)
        # Magnet makers whose orders filled their lines and that are not building already (as
        # ``_consider_magnet_capacity`` asks, of thousands at 10,000 firms; a maker's growing
        # changes no other's orders, and adds only itself to those building).
        for maker in world.firms_of(MagnetMakerFirm):
            capacity = maker.capacity_tpy
            if capacity > 0 and not maker.orders_t < 0.95 * (capacity / 4.0) and maker.firm_id not in building:
                self._consider_magnet_capacity(maker)
        self._build_to_quotas()
        miners = [miner for miner in world.firms_of(MinerFirm) if not miner.played]
        for k in review_uses_of(miners):
            world.report("firm", "{firm} is mothballed", firm=miners[k].name, firm_id=miners[k].firm_id)
        # What each firm owes this quarter, whatever it does: pooling a company's cash moves only cash.
        firms = world.firm_list
        overheads = overheads_of(firms)
        self._pool_group_cash(overheads)
        # Every working firm pays its overheads (in one pass: as with the overheads, arrays of
        # the firms' cash cost more than the subtraction); then, in order, those short of cash may
        # be refinanced or fail, and failed ones may be bought back (each changes only its own).
        short_or_failed = []
        for firm, owed in zip(firms, overheads):
            if not firm.alive:
                short_or_failed.append(firm)
                continue
            if owed != 0.0:  # paying nothing leaves cash as it was
                firm.cash_musd -= owed
            if firm.cash_musd < 0.0:
                short_or_failed.append(firm)
        home_prices = {code: world.prices[i] for i, code in enumerate(world.nation_codes)}
        for firm in short_or_failed:
            if not firm.can_fail and not firm.backer and firm.alive:
                continue  # nobody lends to it and it cannot fail (thousands of magnet makers at 10,000 firms)
            lent = firm.refinance()
            if lent > 0.0:
                world.report("finance", "{backer}'s state lenders refinance {firm}: US${musd:,.0f}M",
                             backer=world.nation(firm.backer).name, firm=firm.name, musd=lent, firm_id=firm.firm_id,
                             backer_code=firm.backer)
            if firm.is_insolvent(home_prices[firm.nation]):
                firm.go_bankrupt(world.quarter)
                cancelled = world.ledger.cancel_contracts_of(firm.firm_id)
                if cancelled:
                    world.report("firm", "{firm} goes bankrupt; one contract cancelled" if cancelled == 1
                                 else "{firm} goes bankrupt; {n} contracts cancelled", firm=firm.name, n=cancelled,
                                 firm_id=firm.firm_id, fate_id="bankrupt")
                else:
                    world.report("firm", "{firm} goes bankrupt", firm=firm.name, firm_id=firm.firm_id, fate_id="bankrupt")
            elif not firm.alive and firm.is_for_sale(world.quarter) \
                    and firm.can_restart(world.quarter, self._restart_margin(firm)):
                firm.restart()
                world.report("firm", "{firm} is bought and restarted", firm=firm.name, firm_id=firm.firm_id,
                             fate_id="restarted")

    def _pool_group_cash(self, overheads: list[float] | None = None) -> None:
        """A company's mine and plant share one purse (Lynas owns Mt Weld and LAMP): each first
        gets what it owes this quarter (fixed costs and interest: ``overheads``, each firm's
        ``overheads_musd`` in the world's order, if already worked out), then the rest of the
        company's cash goes where its running costs are, in proportion to what running each at
        capacity costs. Without it a plant starves for cash while its own mine piles it up on
        the concentrate the plant buys from it."""
        firms = self.world.firm_list
        overheads = overheads_of(firms) if overheads is None else overheads
        if self._companies is None:  # who belongs to which company never changes
            self._companies = {}
            for k, firm in enumerate(firms):
                if firm.group:
                    self._companies.setdefault(firm.group, []).append(k)
        for places in self._companies.values():
            places = [k for k in places if firms[k].alive]
            if len(places) < 2:
                continue
            members = [firms[k] for k in places]
            total = added_up(f.cash_musd for f in members)
            owed = [overheads[k] for k in places]
            running = [f.capacity_tpy * f.unit_cost for f in members]
            if total > added_up(owed) and added_up(running) > 0.0:  # each pays its dues, the rest runs lines
                first, weights, spare = owed, running, total - added_up(owed)
            else:  # short (or nothing runs): the purse is shared as the dues are
                first, weights, spare = [0.0] * len(members), owed if added_up(owed) > 0.0 else [1.0] * len(members), total
            shares_of = added_up(weights)  # once, not once a member: 454 members a company at 10,000 firms
            for firm, own, weight in zip(members, first, weights):
                firm.cash_musd = own + spare * weight / shares_of

    def _restart_margin(self, firm: FirmAgent) -> float:
        """A plant restarts on its own margin; a mine when a plant it feeds makes money. (Worked
        out one firm at a time, so asked only of a firm for sale, ``is_for_sale``: a failed firm
        waits quarters before a buyer looks at it.)"""
        if isinstance(firm, SeparatorFirm):
            return firm.margin_share()
        return max((p.margin_share() for p in self.world.plants_fed_by(firm) if p.alive), default=0.0)

    def _consider_expansion(self, plant: SeparatorFirm) -> None:
        """A plant decides how much to grow (``expansion_wanted``); its mines grow with it."""
        if plant.capacity_tpy <= 0 or plant.firm_id in self._building:
            return
        adds = plant.expansion_wanted(self._capacity_used(plant), self._full_cost(plant))
        if adds <= 0 or not self._can_pay_its_share(plant, adds):
            return
        self._start_expansion(plant, adds)
        feed_capacity = added_up(f.capacity_tpy for f in plant.feeds)
        for mine in plant.feeds:
            mine_adds = adds * mine.capacity_tpy / feed_capacity if feed_capacity > 0 else 0.0
            if mine.capacity_tpy > 0 and mine.firm_id not in self._building and self._can_pay_its_share(mine, mine_adds):
                self._start_expansion(mine, mine_adds)

    def _full_cost(self, plant: SeparatorFirm) -> float | None:
        """The plant's ``full_cost`` as worked out for this review (None outside one: it works
        it out itself)."""
        readings = self._seller_readings
        if readings is None:
            return None
        if self._full_costs is None:
            self._full_costs = dict(zip(readings.sellers, full_costs_of(readings.sellers, readings).tolist()))
        return self._full_costs.get(plant)

    def _build_to_quotas(self) -> None:
        """Where a state raises a mining quota above what its mines can dig, and digging pays,
        its mining groups build toward the quota (China's quotas rose from 105,000 t in 2015
        to 270,000 t in 2024, prod_china_2015, prod_china_2024, and output followed)."""
        world = self.world
        for (code, firm_ids), (quota, _) in world.production.mining_quotas.items():
            mines = [m for m in world.firms_of(MinerFirm) if m.nation == code and m.alive and m.capacity_tpy > 0
                     and (not firm_ids or m.firm_id in firm_ids)]
            capacity = added_up(m.capacity_tpy for m in mines)
            building = self._adds_under_way({m.firm_id for m in mines})
            # Mining groups keep room beyond the quota (idle or illegal capacity, which prices
            # draw out and the quota's enforcement holds back), as China's did in 2010.
            gap = quota * (1.0 + world.assumptions.quota_capacity_headroom) - capacity - building
            if capacity <= 0 or gap < 0.05 * capacity:
                continue
            for mine in mines:
                plants = [p for p in world.plants_fed_by(mine) if p.alive and not p.mothballed]
                # A mine already building may start another: the gap counts what is under way.
                if not plants or max(self._operating_margin(p) for p in plants) <= 0:
                    continue
                adds = gap * mine.capacity_tpy / capacity
                if self._can_pay_its_share(mine, adds):
                    self._start_expansion(mine, adds)

    def _operating_margin(self, plant: SeparatorFirm) -> float:
        """The plant's ``operating_margin``, as worked out for this review (worked out now when
        asked outside one)."""
        margin = self._margins.get(plant)
        return plant.operating_margin() if margin is None else margin

    def _separate_what_is_mined(self, plant: SeparatorFirm) -> None:
        """A plant that runs full while its mines can dig more (with what they are building)
        grows to take their feed, when running pays: as a quota rises, separation must grow with
        mining (China's separation capacity stayed above its quota as the quota rose)."""
        if plant.firm_id in self._building or self._capacity_used(plant) < GROWS_FROM_UTILISATION \
                or self._operating_margin(plant) <= 0:
            return
        feed = added_up(f.capacity_tpy * f.tracked_share for f in plant.feeds if f.alive)
        feed += self._adds_under_way({f.firm_id for f in plant.feeds if f.alive})
        adds = feed - plant.capacity_tpy
        if adds > 0.05 * plant.capacity_tpy and self._can_pay_its_share(plant, adds):
            self._start_expansion(plant, adds)

    def capacity_coming_by_firm(self, firm_ids: set[str]) -> dict[str, float]:
        """Capacity (t/yr) each of ``firm_ids`` will add: projects being built and what
        commissioning has still to bring up (firms adding none are left out)."""
        coming: dict[str, float] = {}
        for project in self.projects.values():
            if project.firm in firm_ids and project.is_building:  # thousands of projects at 10,000 firms
                coming[project.firm] = coming.get(project.firm, 0.0) + project.adds_tpy
        for firm, remaining, _ in self._commissioning:
            if firm.firm_id in firm_ids:
                coming[firm.firm_id] = coming.get(firm.firm_id, 0.0) + remaining
        return coming

    def _adds_under_way(self, firm_ids: set[str]) -> float:
        """Capacity (t/yr) these firms are building or waiting to have approved.

        Looked up by firm: a walk of every project ever started, once per plant, grew with
        every project (a fifth of a review at 10,000 firms after three quarters)."""
        unfinished = self._unfinished
        if unfinished is None:  # outside a review
            return added_up(p.adds_tpy for p in self.projects.values()
                       if p.firm in firm_ids and (p.is_building or p.id in self._awaiting_ids))
        earlier, places = self._earlier_unfinished, []
        for firm_id in firm_ids:
            place = self._last_unfinished.get(firm_id, -1)
            while place >= 0:
                places.append(place)
                place = earlier[place]
        places.sort()
        return added_up(project.adds_tpy for project in map(unfinished.__getitem__, places)
                        if project.is_building or project.id in self._awaiting_ids)

    def _can_pay_its_share(self, firm: FirmAgent, adds_tpy: float) -> bool:
        """Whether the firm has the cash for its own share of an expansion, beyond a year of
        fixed costs (lenders will not finance all of it); what its backer would still lend
        it counts (state banks fund state groups' growth)."""
        cost = adds_tpy * capex_usd_per_tpy(self.world.assumptions, firm.role) / 1e6
        means = firm.cash_musd + firm.backer_credit_musd - 4.0 * firm.fixed_cost_musd
        return means >= self.world.assumptions.expansion_equity_share * cost

    def _consider_magnet_capacity(self, maker: MagnetMakerFirm) -> None:
        """Magnet makers build more lines when their orders fill what they have."""
        if maker.capacity_tpy <= 0 or maker.orders_t < 0.95 * maker.capacity_per_turn:
            return
        if maker.firm_id not in self._building:
            self._start_expansion(maker, 0.25 * maker.capacity_tpy)

    @staticmethod
    def _capacity_used(plant: SeparatorFirm) -> float:
        """Share of its capacity the plant ran this quarter. It runs only as far as what it can
        sell pays (``run_rate``), so a plant that cannot sell its main products does not grow,
        while one that sells its NdPr grows however much cerium it cannot sell."""
        return plant.output_t / plant.capacity_per_turn if plant.capacity_per_turn > 0 else 0.0

    def is_building(self, firm_id: str) -> bool:
        """Whether the firm has a project under way or waiting for approval."""
        return firm_id in self._building

    def can_pay_its_share(self, firm: FirmAgent, adds_tpy: float) -> bool:
        return self._can_pay_its_share(firm, adds_tpy)

    def capital_cost_musd(self, firm: FirmAgent, tonnes_per_year: float) -> float:
        """What building this much of the firm's kind of capacity costs, US$ million."""
        return tonnes_per_year * capex_usd_per_tpy(self.world.assumptions, firm.role) / 1e6

    def start_expansion(self, firm: FirmAgent, adds_tpy: float) -> None:
        """A firm's own project, decided by its team (game.company_levers)."""
        self._start_expansion(firm, adds_tpy)

    def _start_expansion(self, firm: FirmAgent, adds_tpy: float) -> None:
        """A firm's own project: capital by stage, financed with debt, its own risk draws."""
        world = self.world
        # A mine may start a second expansion in a quarter (toward a raised quota, after growing
        # with its plant): it needs an id of its own, or it would replace the first, paid for.
        project_id = base_id = f"{firm.firm_id}-expansion-{world.quarter}"
        copies = 1
        while project_id in self.projects:
            copies += 1
            project_id = f"{base_id}-{copies}"
        project = Project(project_id, firm.firm_id, firm.nation, adds_tpy,
                          build_quarters(world.assumptions, firm.role),
                          adds_tpy * capex_usd_per_tpy(world.assumptions, firm.role) / 1e6,
                          world.assumptions.expansion_delay_chance, 0.0, Pcg64Stream.spawned_from(world.rng), origin="expansion")
        project.own_funds_musd = world.assumptions.expansion_equity_share * project.cost_musd
        self.projects[project.id] = project
        if self._unfinished is not None:  # placed after every project there was
            self._earlier_unfinished.append(self._last_unfinished.get(firm.firm_id, -1))
            self._last_unfinished[firm.firm_id] = len(self._unfinished)
            self._unfinished.append(project)
        self.propose_project(project)
        self._building.add(firm.firm_id)

    def waits_for_its_team(self, project: Project) -> bool:
        """Whether proposing ``project`` leaves it waiting for its host's team (a host that approves
        projects by hand, ``propose_project``), rather than starting it."""
        return self.world.nation(project.host).approves_projects and project.started is None

    def propose_project(self, project: Project) -> None:
        """A new project (a firm's expansion, an investor's money) needs its host's approval."""
        world = self.world
        host = world.nation(project.host)
        # A "partner" host weighs each project; a host whose team approves by hand decides itself.
        decides = host.doctrine == "partner" or host.approves_projects
        if host.approves_projects and project.id in self._awaiting_ids:
            return  # more money does not decide for the team
        if not decides or project.started is not None or project.id in self._awaiting_ids:
            self.start_project(project)
            return
        self._awaiting_approval.append(project)
        self._awaiting_ids.add(project.id)
        world.report("project", "{firm}: {tpy:,.0f} t/yr awaits its permits from {host}'s regulators"
                     if host.regulators_approve else "{firm}: {tpy:,.0f} t/yr awaits {host}'s approval",
                     firm=world.firm(project.firm).name, tpy=project.adds_tpy, host=host.name, firm_id=project.firm,
                     project_id=project.id)

    def _decide_approvals(self) -> None:
        """Hosts approve projects, sooner when they bring foreign money (more from a partner),
        later amid tension with the investors."""
        world = self.world
        assumptions = world.assumptions
        # Starting a project others pay for withdraws its firm's own expansion from the queue
        # (_withdraw_own_expansions), so the queue is walked as a copy. Projects approved leave
        # ``_awaiting_ids`` at once and the queue in one pass at the end: removed one by one, a
        # queue of about 1,000 (a 10,000-firm world's first quarters) cost a scan each.
        # A project only its host's money builds (most, at 10,000 firms) has the same chance each
        # time, worked out once with the same arithmetic.
        home_money = assumptions.approval_chance_per_quarter + 0.0 + 0.0 - assumptions.approval_tension_penalty * 0.0
        approved = False
        for project in list(self._awaiting_approval):
            if project.id not in self._awaiting_ids:
                continue  # withdrawn while this quarter's approvals were being decided
            host = world.nation(project.host)
            if host.approves_projects:  # its team approves or refuses (approve_project, refuse_project)
                continue
            foreign = [code for code in project.funders if code != host.code]
            chance = home_money if not foreign else assumptions.approval_chance_per_quarter \
                + assumptions.approval_foreign_money_bonus \
                + (assumptions.approval_partner_bonus if any(code in host.partners for code in foreign) else 0.0) \
                - assumptions.approval_tension_penalty * max(host.tension_with(code) for code in foreign)
            if project.rng.random() < chance:
                world.report("project", "{host}'s regulators approve {firm}'s project" if host.regulators_approve
                             else "{host} approves {firm}'s project", host=host.name,
                             firm=world.firm(project.firm).name, firm_id=project.firm, project_id=project.id)
                self._awaiting_ids.discard(project.id)
                approved = True
                self.start_project(project)
        if approved:
            awaiting = self._awaiting_ids
            self._awaiting_approval = [p for p in self._awaiting_approval if p.id in awaiting]

    def awaiting_approval(self, host: str) -> list[Project]:
        """The projects waiting for this host's approval, in the order they were proposed."""
        return [p for p in self._awaiting_approval if p.host == host]

    def tell_on_approval(self, project: Project, kind: str, headline: str, source: str) -> None:
        """Report the level's news of a project waiting for its host's team (history's "Lynas
        builds the Mt Weld concentration plant") when the team approves it, not while it waits:
        the team may refuse it."""
        self._headlines_on_approval[project.id] = (kind, headline, source)

    def decide_approval(self, project_id: str, approve: bool) -> None:
        """A host's own decision on a waiting project: approved, it starts building; refused,
        it is dropped and its investors' money returns to them."""
        world = self.world
        project = world.projects[project_id]
        self._awaiting_approval = [p for p in self._awaiting_approval if p.id != project_id]
        self._awaiting_ids.discard(project_id)
        headline = self._headlines_on_approval.pop(project_id, None)
        host, firm = world.nation(project.host).name, world.firm(project.firm).name
        if approve:
            world.report("project", "{host} approves {firm}'s project", host=host, firm=firm,
                         firm_id=project.firm, project_id=project.id)
            if self.start_project(project) and headline is not None:
                kind, text, source = headline
                world.report(kind, text, source)
            return
        for code, musd in project.funders.items():
            if world.has_nation(code):
                world.nation(code).budget_musd += musd
        project.funders.clear()
        project.offtakes = ()
        project.failed = True  # refused for good: no one can fund it again
        self._building.discard(project.firm)
        world.report("project", "{host} refuses {firm}'s project", host=host, firm=firm,
                     firm_id=project.firm, project_id=project.id)

    def start_project(self, project: Project) -> bool:
        """Start building; what investors have not paid, the owner borrows."""
        world = self.world
        if not project.start(world.quarter):
            return False
        if project.origin != "expansion":
            self._withdraw_own_expansions(project.firm)
        funded = added_up(project.funders.values())
        owner = world.firm(project.firm)
        owner.cash_musd -= project.own_funds_musd
        owner.finance(max(0.0, project.cost_musd - funded - project.own_funds_musd))
        world.report("project", "{firm}: building {tpy:,.0f} t/yr ({n} quarters planned)",
                     firm=world.firm(project.firm).name, tpy=project.adds_tpy, n=project.lead_quarters,
                     firm_id=project.firm, project_id=project.id)
        return True

    def _withdraw_own_expansions(self, firm_id: str) -> None:
        """A project others pay for replaces the firm's own expansion still awaiting approval:
        it is the same plan (Lynas grew with JARE's money in 2023, lynas_jare_2023), not a
        second one."""
        # (Only those still awaiting: one approved earlier in ``_decide_approvals``'s pass is
        # still in the queue until the pass ends, and it is building.)
        withdrawn = [p for p in self._awaiting_approval
                     if p.firm == firm_id and p.origin == "expansion" and p.id in self._awaiting_ids]
        for project in withdrawn:
            self._awaiting_approval.remove(project)
            self._awaiting_ids.discard(project.id)
            del self.projects[project.id]

    def _start_offtakes(self, project: Project, firm: FirmAgent) -> None:
        """Investors' offtake rights become contracts, split by the plant's mix of oxides.

        A mine sells no oxide itself, so its offtake is delivered by the plant it feeds.
        """
        world = self.world
        if not isinstance(firm, SeparatorFirm):
            firm = next(iter(world.plants_fed_by(firm)), firm)
        mix = firm.output_mix()
        start = world.quarter + 1
        # An offtake is the investor's share of what the plant makes of the oxides it covers,
        # up to the tonnes agreed. Without a price agreed it is paid at the buyer's market price:
        # it secures tonnes, not a price (the JARE deals gave Japan priority supply from Lynas,
        # lynas_offtake_2011, lynas_jare_2023_ndpr; no fixed price is on record).
        # A seller never contracts more than it can make: each oxide's tonnes are capped at what
        # the plant makes of it at full capacity, once the capacity coming up and being built is
        # up, less what its contracts still to run already owe (the bot's offtakes in three Lynas
        # projects owed Japan twice Lynas's NdPr, and the breaches' damages sank it in 2015-16).
        nameplate = self._makeable_tpy(firm)
        for k, (buyer, tonnes, years, price, covered) in enumerate(project.offtakes):
            covered_mix = float(added_up(mix[m] for m in covered))
            if covered_mix <= 0:
                continue
            share = min(1.0, tonnes / (firm.capacity_tpy * covered_mix)) if firm.capacity_tpy > 0 else 0.0
            for m in covered:
                if mix[m] <= 0:
                    continue
                material = MATERIALS[m]
                wanted, of_output = tonnes * mix[m] / covered_mix, share
                free = nameplate * mix[m] - self._owed_tpy(firm.firm_id, material, start)
                if free < wanted:  # what is left, as that share of what the plant makes of this oxide
                    if free <= 0.0:
                        continue
                    wanted = free
                    of_output = min(1.0, free / (firm.capacity_tpy * mix[m])) if firm.capacity_tpy > 0 else 0.0
                world.ledger.sign(Contract(
                    id=world.ledger.unused_id(f"{project.id}-offtake-{k + 1}-{material.value}"),
                    seller=firm.firm_id, buyer=buyer,
                    material=material, tonnes_per_year=wanted,
                    price=price if price > 0 else float(world.reference_price[m]),
                    start=start, end=start + years * 4 - 1, share_of_output=of_output,
                    index_share=0.0 if price > 0 else 1.0,
                ))

    def _nameplate_tpy(self, firm: FirmAgent) -> float:
        """A firm's capacity once what is coming up and being built is up (t/yr)."""
        return firm.capacity_tpy + added_up(left for f, left, _ in self._commissioning if f is firm) \
            + added_up(p.adds_tpy for p in self.projects.values() if p.firm == firm.firm_id and p.is_building)

    def _makeable_tpy(self, plant: FirmAgent) -> float:
        """Oxide a plant can make a year once what is coming up and being built is up: its own
        nameplate, or what its mines' nameplate feeds it, if less. Room in a plant beyond its
        ore is no output: IREL's plant had room for 6,200 t/yr and its mines fed 5,735, and the
        offtake the bot's money bought in Toyotsu's mine, capped at the plant's room, owed Japan
        more NdPr than IREL made, in a breach every quarter from 2015."""
        nameplate = self._nameplate_tpy(plant)
        if not isinstance(plant, SeparatorFirm) or isinstance(plant, RecyclerFirm) or not plant.feeds:
            return nameplate  # a recycler's scrap, or a plant without mines of its own
        fed = added_up(self._nameplate_tpy(mine) * mine.tracked_share for mine in plant.feeds if mine.alive)
        return min(nameplate, fed)

    def _owed_tpy(self, seller: str, material: Material, since: Quarter) -> float:
        """Tonnes a year of ``material`` that ``seller``'s contracts still open in or after
        ``since`` owe (the most they may owe together)."""
        return float(added_up(c.tonnes_per_year for c in self.world.ledger.contracts
                              if c.seller == seller and c.material is material and not c.cancelled
                              and c.end >= since))

    # ------------------------------------------------------------------ levers

    def invest_in_project(self, nation_code: str, project_id: str, amount_musd: float, offtake_tpy: float,
                          years: int, price: float, materials: tuple = ()) -> float:
        """Money from a nation goes to the project's owner; a project waiting for money starts.
        Returns the offtake granted: in proportion to the money put in (``offtake_right_tpy``)."""
        world = self.world
        project = self.projects[project_id]
        world.nation(nation_code).budget_musd -= amount_musd
        world.firm(project.firm).cash_musd += amount_musd
        offtake_tpy = min(offtake_tpy, self.offtake_open_tpy(project, nation_code, amount_musd))
        project.fund(nation_code, amount_musd)
        if offtake_tpy > 0:
            covered = tuple(MATERIALS.index(m) for m in materials) or tuple(range(N_MATERIALS))
            project.offtakes += ((nation_code, offtake_tpy, years, price, covered),)
        if project.started is not None:
            world.firm(project.firm).debt_musd = max(0.0, world.firm(project.firm).debt_musd - amount_musd)
        self.propose_project(project)
        return offtake_tpy

    def offtake_open_tpy(self, project: Project, nation_code: str, amount_musd: float) -> float:
        """Tonnes a year more that ``amount_musd`` more from ``nation_code`` gets of a project's
        output: what all its money in the project buys (``offtake_right_tpy``) less the offtakes
        it holds there already, and never more than the output no investor holds. (Each grant
        was worked out from all the money put in: a second US$100M in a 26,000 t/yr mine gave
        24,700 t/yr on top of the first's 12,882.)"""
        right = self.offtake_right_tpy(project, project.funders.get(nation_code, 0.0) + amount_musd)
        unheld = project.adds_tpy - project.offtake_held_tpy()
        return max(0.0, min(right - project.offtake_held_tpy(nation_code), unheld))

    def offtake_right_tpy(self, project: Project, invested_musd: float) -> float:
        """Tonnes a year of a project's output that money buys: its share of the cost, times
        the world's ``offtake_per_cost_share``, of what the project adds (never more than all of it)."""
        if project.cost_musd <= 0:
            return project.adds_tpy
        per_cost_share = self.world.assumptions.offtake_per_cost_share
        return project.adds_tpy * min(1.0, per_cost_share * invested_musd / project.cost_musd)

    def refinance_supplier(self, nation: str, firm_id: str, amount_musd: float) -> bool:
        """A nation lends a producer money: cash now, owed as debt; the nation becomes its
        backer and, for offtakes, a stakeholder. A bankrupt firm is rescued. Returns whether
        it was restarted."""
        world = self.world
        firm = world.firm(firm_id)
        world.nation(nation).budget_musd -= amount_musd
        rescued = not firm.alive
        if rescued:
            firm.restart()
        firm.cash_musd += amount_musd
        firm.debt_musd += amount_musd
        firm.add_backing(nation, 0.0)
        self.stakes[(nation, firm_id)] = self.stakes.get((nation, firm_id), 0.0) + amount_musd
        world.report("finance", "{nation} lends {firm} US${musd:,.0f}M", nation=world.nation(nation).name,
                     firm=firm.name, musd=amount_musd, nation_code=nation, firm_id=firm_id)
        return rescued

    def fund_recycling(self, nation: str, recycler: str, amount_musd: float) -> float:
        """A nation pays for new recycling capacity; the host approves it, then it is built."""
        world = self.world
        firm = world.firm(recycler)
        adds = amount_musd * 1e6 / capex_usd_per_tpy(world.assumptions, Role.RECYCLER)
        project = Project(f"{recycler}-funded-{world.quarter}-{len(self.projects)}", recycler, firm.nation, adds,
                          build_quarters(world.assumptions, Role.RECYCLER), amount_musd,
                          world.assumptions.expansion_delay_chance, 0.0,
                          Pcg64Stream.spawned_from(world.rng), origin="funded")
        project.fund(nation, amount_musd)
        world.nation(nation).budget_musd -= amount_musd
        self.projects[project.id] = project
        self.propose_project(project)
        return adds
