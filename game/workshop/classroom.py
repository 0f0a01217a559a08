"""A class's game: one world, a team for each role taken, bots for the roles nobody takes, and
the facilitator's controls. The hot seat (one machine), the network server (one world, teams
on their own machines) and a team alone with a scenario code all play through this.

Who acts, and how it is recorded:
- a team submits its actions one by one, as it decides them; each is checked and applied at
  once (as in the one-player game) and recorded with its nation;
- when the turn ends, the bots act for the roles nobody took and for teams that are away
  (dropped out of the network), in the world's order of nations, then the quarter runs;
- the facilitator may bring one of the level's events forward, through the same door.
Every record carries who made it (a team, a bot or the facilitator), so a class's game
replays exactly from its records (``replayed``) and a report can tell the bots' moves apart.

What a team sees (``view``): its own nation's figures, levers and options, the public news,
what history did at this point where it plays the nation that did it, and, if the facilitator
allows it, the other teams' figures and stars. With ``reveal_events_by_hand`` the quarter's
scheduled events reach the teams only as the facilitator reveals them, one by one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from game.action_base import Action
from game.actions import action_from_dict
from game.controllers import Controller, PassiveController
from game.facilitation import FACILITATOR, InjectEvent
from game.objectives import LevelResult, score
from game.scenario.roles_file import load_roles
from game.session import ActionRecord, Session
from game.spec import RolesSpec, Scenario
from game.vocab.nations import CHINA, JAPAN
from game.vocab.refusals import Refusal
from game.workshop.bots import bot_for
from game.workshop.codes import FLAGS, ROLES
from game.workshop.roles import levers_of, objectives_of
from game.world.indicators import company_row, nation_row

#: Who made a record: the team playing the nation, a bot standing in for it, or the facilitator.
BY_TEAM, BY_BOT, BY_FACILITATOR = "team", "bot", "facilitator"
#: Actions a team may send in one quarter, taken or refused: several times what a team does
#: in a quarter of play. Each is kept for the results and shown in every view, so without a
#: bound one team's window sending thousands made every view of the class grow with each.
MAX_ACTIONS_PER_QUARTER = 40
#: News that only the nation it names should see (what history did, where a team decides now;
#: what its stockpile bids bought).
PRIVATE_NEWS = ("history", "stockpile")


class WorkshopError(Refusal):
    """Something a team or the facilitator asked that cannot be done; one line saying why. Made
    from a ``template`` and the names and figures that fill it (``Refusal``), so a window words
    it in its own language, and a server sends both."""


@dataclass
class Entry:
    """One record of the class's game and who made it."""

    record: ActionRecord
    by: str


@dataclass
class Workshop:
    """A class's game. ``roles``: the roles teams take (the others are played by bots; China's
    by its doctrine); ``flags``: the facilitator's settings (game.workshop.codes.FLAGS)."""

    scenario: Scenario
    seed: int
    roles: tuple[str, ...]
    flags: set[str] = field(default_factory=set)
    code: str = ""
    teams: dict[str, str] = field(default_factory=dict)  # role -> the team's name
    roles_spec: RolesSpec = field(default_factory=load_roles)

    def __post_init__(self) -> None:
        unknown = [code for code in self.roles if code not in ROLES]
        if unknown:
            raise WorkshopError(f"no role {unknown[0]!r} (roles: {', '.join(ROLES)})")
        if len(set(self.roles)) != len(self.roles):
            raise WorkshopError("a role is named twice")
        bad_flags = sorted(set(self.flags) - set(FLAGS))
        if bad_flags:
            raise WorkshopError(f"no setting {bad_flags[0]!r} (settings: {', '.join(FLAGS)})")
        self.roles = tuple(code for code in ROLES if code in self.roles)  # one order everywhere
        self.flags = set(self.flags)
        present = {nation.code for nation in self.scenario.world.nations}
        firms = {firm.id for firm in self.scenario.world.firms}
        #: The roles this level's world has: nations in it, companies whose firms are all in it.
        self.in_world = {r.code: r for r in self.roles_spec.roles
                         if (set(r.firms) <= firms if r.is_company else r.code in present)}
        missing = [code for code in self.roles if code not in self.in_world]
        if missing:
            raise WorkshopError(f"{self.scenario.id} has no {missing[0]} for a team to play")
        taken = [self.in_world[code] for code in self.roles]
        others: dict[str, Controller] = {r.code: PassiveController() for r in taken
                                         if r.code != JAPAN and not r.is_company}
        budgets = {r.code: r.budget_musd_per_quarter for r in self.in_world.values() if r.budget_musd_per_quarter > 0}
        # A team approves the projects on its soil only if its role can (Australia's): the United
        # States' team could not, and Mountain Pass waited for it for ever.
        approvers = {r.code for r in taken if r.code in others and "approve_project" in r.levers}
        self.session = Session(self.scenario, PassiveController(), self.seed, agent_data=False, others=others,
                               budgets=budgets, companies={r.code: r.firms for r in taken if r.is_company},
                               approvers=approvers, teams={r.code for r in taken if not r.is_company})
        #: The bots of the roles nobody took (China's is its doctrine, inside the world; an
        #: untaken company's firms decide for themselves, as in the one-player game).
        self.bots = {r.code: bot_for(r) for r in self.in_world.values()
                     if r.code not in self.roles and r.code != CHINA and not r.is_company}
        #: The bots that stand in for teams while they are away.
        self.stand_ins = {code: bot_for(self.roles_spec.role(code)) for code in self.roles}
        self.away: set[str] = set()
        self.done: set[str] = set()
        self.entries: list[Entry] = []
        self.rows: dict[str, list[dict[str, Any]]] = {code: [] for code in self.in_world}
        self.started = False
        self.paused = False
        self.ended = False
        self.revealed: set[int] = set()  # news items (by index in the world's news) revealed
        #: Each nation's last quarter of the history a level continues (shown, never judged).
        self.before: dict[str, dict[str, Any]] = {}
        if self.scenario.starts_from:
            last = str(self.scenario.start - 1)
            self.before = {code: {**self._row(code), "turn": 0, "quarter": last} for code in self.rows}
        self.session.open_turn()

    # ------------------------------------------------------------------ what the world is doing

    @property
    def world(self):
        return self.session.world

    @property
    def quarter(self):
        return self.world.quarter

    @property
    def is_over(self) -> bool:
        return self.ended or self.session.is_over

    def levers(self, role: str) -> tuple[str, ...]:
        return levers_of(self.roles_spec.role(role), self.scenario)

    # ------------------------------------------------------------------ the teams

    def submit(self, role: str, action: Action | Mapping[str, Any]) -> ActionRecord:
        """A team's action, checked and applied now (or refused, saying why, changing nothing)."""
        if role not in self.roles:
            raise WorkshopError("no team plays {role}", role=repr(role))
        self._check_open()
        if role in self.done:
            raise WorkshopError("your turn is submitted; wait for the next quarter")
        if not isinstance(action, Action):
            action = _action(action)
        if action.kind not in self.levers(role):
            raise WorkshopError("{kind} is not one of your levers", kind=repr(action.kind))
        if self._sent_this_quarter(role) >= MAX_ACTIONS_PER_QUARTER:
            raise WorkshopError("a team may send at most {most} actions a quarter; say you are done for this one",
                                most=MAX_ACTIONS_PER_QUARTER)
        return self._record(self.session.submit(action, nation=role), BY_TEAM)

    def _sent_this_quarter(self, role: str) -> int:
        """The team's actions in the quarter now open, taken or refused (the newest entries)."""
        count = 0
        for entry in reversed(self.entries):
            if entry.record.quarter != self.quarter:
                break
            count += entry.by == BY_TEAM and entry.record.nation == role
        return count

    def finish(self, role: str) -> bool:
        """The team is done for this quarter; True when every team present is, and the turn ends."""
        if role not in self.roles:
            raise WorkshopError("no team plays {role}", role=repr(role))
        self._check_open()
        self.done.add(role)
        if self.everyone_done:
            self.end_turn()
            return True
        return False

    @property
    def everyone_done(self) -> bool:
        return all(code in self.done or code in self.away for code in self.roles)

    def leave(self, role: str) -> None:
        """A team dropped out: its bot plays for it until it is back."""
        self.away.add(role)

    def rejoin(self, role: str) -> None:
        self.away.discard(role)

    # ------------------------------------------------------------------ the facilitator

    def start(self) -> None:
        self.started = True

    def set_paused(self, paused: bool) -> None:
        self.paused = paused

    def set_flag(self, flag: str, on: bool) -> None:
        if flag not in FLAGS:
            raise WorkshopError(f"no setting {flag[:40]!r} (settings: {', '.join(FLAGS)})")
        (self.flags.add if on else self.flags.discard)(flag)

    def inject(self, event: int) -> ActionRecord:
        """Bring the level's event number ``event`` forward to now."""
        self._check_open(facilitator=True)
        return self._record(self.session.submit(InjectEvent(event), nation=FACILITATOR), BY_FACILITATOR)

    def reveal_next(self) -> int | None:
        """Show the teams the next scheduled event of this quarter they have not seen; its index
        in the news, or None when there is none left."""
        for index in self._scheduled_news():
            if index not in self.revealed:
                self.revealed.add(index)
                return index
        return None

    def waiting_events(self) -> list[tuple[int, Any]]:
        """The level's events still to come that the facilitator may bring forward, as (number in
        the level's list, event): not a team's own decision (China's quota while China is a team),
        which brought forward would happen nowhere but in the news."""
        waiting = {id(e) for e in self.world.events.waiting()}
        return [(i, e) for i, e in enumerate(self.scenario.events)
                if id(e) in waiting and not self.world.team_deciding(e)]

    def end_turn(self) -> None:
        """End the quarter now (every team done, or the facilitator says so): the bots act for
        the roles nobody took and the teams that are away, then the quarter runs. A team that
        said it was done and then dropped out has decided its quarter: no bot adds to it."""
        self._check_open(facilitator=True)
        for code in self.world.nation_codes:  # the world's order: the same every run
            standing_in = code in self.away and code not in self.done
            bot = self.bots.get(code) or (self.stand_ins.get(code) if standing_in else None)
            if bot is None:
                continue
            for action in bot.decide(self.world, self.scenario):
                self._record(self.session.submit(action, nation=code), BY_BOT)
        self._run_quarter()

    def _run_quarter(self) -> None:
        played, turn = self.quarter, self.world.turn
        self.session.end_turn()
        for code, rows in self.rows.items():
            rows.append({**self._row(code), "turn": turn, "quarter": str(played)})
        self.done.clear()
        self.revealed.clear()
        if "pause_after_each_turn" in self.flags and not self.session.is_over:
            self.paused = True
        if not self.session.is_over:
            self.session.open_turn()

    def end(self) -> None:
        """The facilitator ends the game here."""
        self.ended = True

    # ------------------------------------------------------------------ results

    def result(self, role: str) -> LevelResult:
        """Stars, score and verdicts of the role so far."""
        objectives = objectives_of(self.roles_spec.role(role), self.scenario)
        rows = self.session.rows() if role == JAPAN else self.rows[role]
        return score(objectives, rows, ended=self.is_over)  # ended early: what it never reached, never measured

    # ------------------------------------------------------------------ inside

    def _row(self, code: str) -> dict[str, Any]:
        """The role's figures now: its nation's, or its company's."""
        role = self.in_world[code]
        return company_row(self.world, role.firms) if role.is_company else nation_row(self.world, code)

    def is_company(self, role: str) -> bool:
        return self.in_world[role].is_company

    def played_by(self, code: str) -> str:
        """Who plays a role: a team, a bot, China's doctrine, or (a company no team took) its
        firms themselves."""
        if code in self.roles:
            return "team"
        if code == CHINA:
            return "doctrine"
        return "itself" if self.is_company(code) else "bot"

    def _record(self, record: ActionRecord, by: str) -> ActionRecord:
        self.entries.append(Entry(record, by))
        return record

    def _check_open(self, facilitator: bool = False) -> None:
        if self.is_over:
            raise WorkshopError("the game is over")
        if not facilitator and not self.started:
            raise WorkshopError("the facilitator has not started the game yet")
        if not facilitator and self.paused:
            raise WorkshopError("the facilitator has paused the game")

    def _scheduled_news(self) -> list[int]:
        """Indexes in the world's news of this quarter's scheduled events (not the news the
        world's own workings make)."""
        headlines = {e.headline for e in self.scenario.events}
        # A line of an event worded by the world, not the level (the WTO case that complainants
        # no team plays file alone), carries the event's kind and sources.
        sourced = {(e.kind, e.source) for e in self.scenario.events if e.source}
        return [i for i, item in enumerate(self.world.news)
                if item.quarter == self.quarter
                and ((item.source and (item.kind, item.source) in sourced) or item.headline in headlines)]

    def visible_news(self, role: str | None) -> list[Any]:
        """The news a team (or, for None, the projector) may see this game so far."""
        hidden = set()
        if "reveal_events_by_hand" in self.flags:
            hidden = set(self._scheduled_news()) - self.revealed
        shown = []
        for i, item in enumerate(self.world.news):
            if i in hidden:
                continue
            codes = dict(item.fields)
            if item.kind in PRIVATE_NEWS and role is not None and codes.get("nation_code") != role:
                continue  # the facilitator (role None) sees every team's
            shown.append(item)
        return shown


def _action(data: Mapping[str, Any]) -> Action:
    try:
        return action_from_dict(dict(data))
    except (ValueError, TypeError, KeyError) as error:
        raise WorkshopError(f"not an action: {error}") from None


def replayed(scenario: Scenario, seed: int, roles: Iterable[str], entries: Iterable[tuple[Any, str, str, Action]],
             turns: int, roles_spec: RolesSpec | None = None, teams: Mapping[str, str] | None = None) -> Workshop:
    """The class's game played again from its records, (quarter, nation, by, action) in the order
    they were made, for ``turns`` quarters, then those already made in the quarter then open (a
    class stopped part-way: see ``results.resumed``). Bots do not decide here: their recorded
    moves are replayed as they were made, as are the facilitator's."""
    workshop = Workshop(scenario, seed, tuple(roles), teams=dict(teams or {}), roles_spec=roles_spec or load_roles())
    workshop.started = True
    by_quarter: dict[Any, list[tuple[str, str, Action]]] = {}
    for quarter, nation, by, action in entries:
        by_quarter.setdefault(quarter, []).append((nation, by, action))
    for played in range(turns + 1):
        if workshop.session.is_over:
            break
        for nation, by, action in by_quarter.get(workshop.quarter, []):
            workshop._record(workshop.session.submit(action, nation=nation), by)
        if played < turns:
            workshop._run_quarter()
    return workshop


