"""One game: a scenario, its world, the controllers, and the record of what was done.

The session is the only writer of world state from outside the world: every change a
player (or a script, a bot, the RL env) makes is an Action submitted here. Play, replay
and headless runs all go through ``submit`` and ``end_turn``.
"""

from __future__ import annotations

import copy
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from game.action_base import first_repeated
from game.actions import Action, Said, say, unusable_amount
from game.controllers import Controller, PassiveController, ScriptedController
from game.facilitation import FACILITATOR, FACILITATOR_ACTIONS
from game.objectives import LevelResult, score
from game.quoting import short_repr
from game.scenario import load_level
from game.scenario.assumptions import with_assumptions
from game.spec import Scenario
from game.vocab.materials import N_MATERIALS
from game.vocab.nations import JAPAN
from game.vocab.quarters import Quarter
from game.vocab.refusals import Refusal
from game.vocab.seeds import checked_seed
from game.world.model import RareEarthWorld

#: The nation a person plays.
PLAYER_NATION = JAPAN


@dataclass(frozen=True)
class ActionRecord:
    """What happened to one submitted action: taken (with what it did) or refused (with why).

    ``message`` is the English text (the command line, saves' errors and logs use it);
    ``said`` is the same message as a template and its fields, so a reader can word it in
    another language (``game.ui.play.Game.action_text``).
    """

    quarter: Quarter
    action: Action
    accepted: bool
    message: str
    said: Said | None = None
    #: The nation that acted (Japan, unless a team or a script plays another).
    nation: str = JAPAN

    @classmethod
    def of(cls, quarter: Quarter, action: Action, accepted: bool, said: Said | str,
           nation: str = JAPAN) -> ActionRecord:
        """The record of ``said`` (a plain text is kept as a template with no fields)."""
        said = said if isinstance(said, Said) else Said(str(said))
        return cls(quarter, action, accepted, str(said), said, nation)


class Session:
    """A level being played, turn by turn.

    Args:
        scenario: the level.
        controller: who decides for Japan (default: nobody, i.e. passive).
        seed: seeds the world's generator; same level, seed and actions give the same history.
    """

    def __init__(self, scenario: Scenario, controller: Controller | None = None, seed: int = 0,
                 agent_data: bool = True, others: Mapping[str, Controller] | None = None,
                 budgets: Mapping[str, float] | None = None, companies: Mapping[str, tuple[str, ...]] | None = None,
                 history: tuple[str, Scenario] | None = None, approvers: Collection[str] | None = None,
                 teams: Collection[str] = ()):
        self.scenario = scenario
        self.controller = controller or PassiveController()
        #: Other nations played from outside the world, each by its controller (a team at the
        #: keyboard is a PassiveController: its actions come through ``submit(nation=...)``).
        #: Their doctrine no longer sets their export pressure; they act after Japan each turn.
        self.others = dict(others or {})
        #: The least some nations get each quarter (a workshop's roles: game.workshop.roles), where
        #: their world gives them less.
        self.budgets = dict(budgets or {})
        #: Companies played from outside (a workshop's company roles): code -> its firms' ids.
        #: Their firms stop deciding for themselves; their team acts under the company's code.
        self.companies = {code: tuple(firms) for code, firms in (companies or {}).items()}
        #: Those of ``others`` whose players approve or refuse the projects on their soil by hand
        #: (a workshop's roles with approve_project; by default every one). The rest have their
        #: projects decided as if nobody played them.
        self.approvers = frozenset(self.others if approvers is None else approvers)
        #: The nations a workshop's teams play, Japan's among them. Those not among ``approvers``
        #: have the projects on their soil decided as if nobody played them, and their news says
        #: their regulators decide, not the team (Japan's team read that Hitachi awaited its approval).
        self.teams = frozenset(teams)
        self.seed = checked_seed(seed)
        self.agent_data = agent_data  # record a row per agent each quarter (RareEarthWorld)
        self.actions: list[ActionRecord] = []
        #: Where each quarter's own news begins in the world's news, once its scheduled events
        #: (and what they set off) are in, for the quarters this session opened: what a player
        #: reads as the news of a quarter played, after the events shown as it opened.
        self.news_after_opening: dict[Quarter, int] = {}
        self._replaying = False
        self._ending_turn = False
        #: An error stopped a turn's end, a replay or an action partway: the world no longer
        #: matches the records, so a save written now would not replay to it (and must not
        #: replace one that does).
        self.cut_short = False
        #: The level whose history this one continues, as read when the session began (its file's
        #: digest and the level; ``history``: as the caller read it before): an undo rebuilds from
        #: it, not from the file as it is later (edited since, or a pickled session's path in
        #: another copy of the game).
        self._history = history if history is not None or not scenario.starts_from \
            else HISTORY_STARTS.level(scenario.starts_from_path)
        self.world = self._attach(world_at_start(scenario, self.seed, agent_data, self._history))

    def _attach(self, world: RareEarthWorld) -> RareEarthWorld:
        """Let the controllers act inside the world's step, after the quarter's events; the
        nations played from outside stop deciding their pressure by doctrine."""
        unknown = sorted(code for code in {*self.others, *self.budgets, *self.teams} if not world.has_nation(code))
        if unknown:
            raise Refusal("no nation {nations} in {level}", nations=", ".join(unknown), level=self.scenario.id)
        if PLAYER_NATION in self.others:  # its controller plays it: listed here too, it would act twice
            raise Refusal("{nation} is the player's nation, not one played from outside", nation=PLAYER_NATION)
        missing = sorted(f for firms in self.companies.values() for f in firms if not world.has_firm(f))
        if missing:
            raise Refusal("no firm {firms} in {level}", firms=", ".join(missing), level=self.scenario.id)
        nations = sorted(code for code in self.companies if world.has_nation(code))
        if nations:  # whose actions would its be?
            raise Refusal("company {company} is named like a nation of {level}", company=nations[0],
                          level=self.scenario.id)
        twice = first_repeated(tuple(f for firms in self.companies.values() for f in firms))
        if twice is not None:
            raise Refusal("firm {firm} is listed twice among the companies", firm=twice)
        world.companies = dict(self.companies)
        for firms in self.companies.values():
            for firm_id in firms:
                world.firm(firm_id).played = True
        for code, musd in self.budgets.items():
            nation = world.nation(code)
            nation.budget_per_quarter_musd = max(nation.budget_per_quarter_musd, musd)
        if not self.approvers <= set(self.others):
            raise Refusal("approver {nation} is not a nation played from outside",
                          nation=sorted(self.approvers - set(self.others))[0])
        for code in self.others:
            world.nation(code).played = True
            world.nation(code).approves_projects = code in self.approvers
            for partner in world.nation_codes:  # pressure the doctrine had set stops with it
                if partner != code:
                    world.policy.set_pressure(code, partner, np.zeros(N_MATERIALS))
        for code in self.teams - self.approvers:
            world.nation(code).regulators_approve = True
        world.players = self._controller_acts
        return world

    def _controller_acts(self, world: RareEarthWorld) -> None:
        # Not in a replay (it submits the recorded actions, the controllers' among them), nor at
        # an End turn (whoever submitted this turn's actions has done so).
        if self._replaying or self._ending_turn:
            return
        for action in self.controller.decide(world, self.scenario):
            self.submit(action)
        for code in world.nation_codes:  # the world's order: the same every run
            if code in self.others:
                for action in self.others[code].decide(world, self.scenario):
                    self.submit(action, nation=code)

    @property
    def is_over(self) -> bool:
        return self.world.is_over

    def open_turn(self) -> None:
        """Let this quarter's scheduled events fire (once), before anyone acts on them."""
        with self._whole_or_cut_short():
            self.world.open_turn()
        self.news_after_opening.setdefault(self.world.quarter, len(self.world.news))

    def submit(self, action: Action, nation: str = PLAYER_NATION) -> ActionRecord:
        """Check and apply an action this turn; a refused one changes nothing."""
        if not isinstance(action, Action):  # a controller's decide() returning strategy-file dicts failed deep inside
            raise TypeError(f"action: expected an Action, got {short_repr(action, 60)} (game.actions.action_from_dict "
                            "makes one of a strategy file's {'kind': ..., ...})")
        if self.is_over:  # as End turn is refused then; nothing is recorded, so no save holds it
            return ActionRecord.of(self.world.quarter, action, False,
                                   say("the level is over; no more actions can be taken"), nation)
        if nation not in (PLAYER_NATION, FACILITATOR) and nation not in self.companies \
                and nation not in self.world.nation_codes:  # (it failed deep inside as a KeyError)
            raise ValueError(f"nation: no nation or company {short_repr(nation, 40)} in this level's world")
        self.open_turn()
        if (nation == FACILITATOR) != (action.kind in FACILITATOR_ACTIONS):
            reason = say("only the facilitator may use “{action}”" if nation != FACILITATOR
                         else "the facilitator has no lever “{action}”", action=action.label, action_id=action.kind)
            record = ActionRecord.of(self.world.quarter, action, False, reason, nation)
            self.actions.append(record)
            return record
        unusable = unusable_amount(action)
        if unusable is not None:
            reason = say("{field} is not an amount “{action}” can take", action=action.label, field=unusable,
                         action_id=action.kind)
            record = ActionRecord.of(self.world.quarter, action, False, reason, nation)
            self.actions.append(record)
            return record
        # A level unlocks Japan's levers; a nation played from outside has all of its own.
        locked = (nation == PLAYER_NATION and self.scenario.unlocked_actions
                  and action.kind not in self.scenario.unlocked_actions)
        # A nation spends political capital; the facilitator and a company have none to spend.
        spends_capital = nation != FACILITATOR and nation not in self.companies
        reason = (say("“{action}” is not unlocked in this level", action=action.label, action_id=action.kind)
                  if locked
                  else action.check_before_capital(self.world, nation) or action.check_capital(self.world, nation)
                  or action.check(self.world, nation) if spends_capital
                  else action.check(self.world, nation))
        if reason is None:
            with self._whole_or_cut_short():
                if spends_capital:
                    self.world.nation(nation).political_capital -= action.capital
                record = ActionRecord.of(self.world.quarter, action, True, action.apply(self.world, nation), nation)
        else:
            record = ActionRecord.of(self.world.quarter, action, False, reason, nation)
        self.actions.append(record)
        return record

    def end_turn(self) -> None:
        """Run the quarter with the actions submitted this turn (the controller does not act:
        ``play_turn`` is the turn it plays)."""
        self._ending_turn = True
        try:
            self._step()
        finally:
            self._ending_turn = False

    def _step(self) -> None:
        if self.is_over:
            raise RuntimeError("the level is over; no more turns to play")
        with self._whole_or_cut_short():
            self.world.step()

    def this_turns_actions(self) -> list[ActionRecord]:
        """The actions taken (not refused) in the turn being played, oldest first."""
        return [r for r in self.actions if r.accepted and r.quarter == self.world.quarter]

    def undo(self) -> ActionRecord | None:
        """Take back the last action taken this turn; None when there is none.

        The world is rebuilt by replaying the level from its start with every other action,
        which gives exactly the history in which the undone action was never submitted.
        """
        taken = self.this_turns_actions()
        if not taken:
            return None
        undone = taken[-1]
        kept = [r for r in self.actions if r is not undone]
        self.replay(kept)
        return undone

    def replay(self, records: list[ActionRecord]) -> None:
        """Rebuild the world from the level's start, submitting ``records`` in their quarters
        and ending every turn before the last record's (or the current) quarter."""
        with self._whole_or_cut_short():
            target = self.world.quarter
            self.world.close()
            self.world = self._attach(world_at_start(self.scenario, self.seed, self.agent_data, self._history))
            self.actions = []
            self.news_after_opening = {}
            by_quarter: dict[Quarter, list[tuple[Action, str]]] = {}
            for record in records:
                if record.accepted:
                    by_quarter.setdefault(record.quarter, []).append((record.action, record.nation))
            self._replaying = True
            try:
                while True:
                    self.open_turn()
                    for action, nation in by_quarter.get(self.world.quarter, []):
                        self.submit(action, nation=nation)
                    if self.world.quarter >= target or self.is_over:
                        break
                    self.end_turn()
            finally:
                self._replaying = False

    @contextmanager
    def _whole_or_cut_short(self) -> Iterator[None]:
        """Marks the session ``cut_short`` if an error stops what runs inside partway."""
        try:
            yield
        except BaseException:
            self.cut_short = True
            raise

    def play_turn(self) -> list[ActionRecord]:
        """Play one quarter (events fire, the controller acts, the phases run); the records of
        what the controller submitted."""
        before = len(self.actions)
        self._step()  # the controller acts inside the world's step, after the events
        return self.actions[before:]

    def run(self, max_turns: int | None = None) -> None:
        """Play to the end of the level, or for ``max_turns`` turns."""
        played = 0
        while not self.is_over and (max_turns is None or played < max_turns):
            self.play_turn()
            played += 1

    def rows(self) -> list[dict[str, Any]]:
        """One dict per quarter played, in column order, with the level's running ``score`` and
        ``stars`` (so the final row holds the level's result)."""
        table = self.world.datacollector.model_vars
        columns = list(table)
        rows = [{c: table[c][i] for c in columns} for i in range(len(table[columns[0]]) if columns else 0)]
        for i, row in enumerate(rows):
            result = score(self.scenario.objectives, rows[: i + 1])
            row["score"], row["stars"] = result.score, result.stars
        return rows

    def result(self) -> LevelResult:
        """Stars, score and each objective's verdict for the quarters played so far."""
        return score(self.scenario.objectives, self.rows())

    def close(self) -> None:
        self.world.close()


# --------------------------------------------------------------------------- where a level starts


def world_at_start(scenario: Scenario, seed: int, agent_data: bool = True,
                   history: tuple[str, Scenario] | None = None) -> RareEarthWorld:
    """The level's world at its first turn, from the level's seed.

    A level that continues another's history (``starts_from``) begins with the world that level
    reaches by this level's start, played by its ``history`` strategy with the same seed, then
    carrying on as this level (``RareEarthWorld.continue_as``). That world is computed once per
    process and kept (see ``HistoryStarts``); each call gets its own copy. Assumptions set from
    outside the level files (``scenario.assumption_overrides``: ``--set``, the API) hold for that
    history too; each level's own ``[assumptions]`` hold while it is the level being run.
    ``history``: that level as read before (``HistoryStarts.level``), else it is read now.
    """
    if not scenario.starts_from:
        return RareEarthWorld(scenario, rng=seed, agent_data=agent_data)
    world = HISTORY_STARTS.world_at(scenario.starts_from_path, seed, scenario.start,
                                    scenario.assumption_overrides, history)
    world.agent_data = agent_data
    world.continue_as(scenario)
    return world


class HistoryStarts:
    """Worlds that a history level reaches, played by its history strategy: computed once per
    (level file and its content, seed, quarter, assumption overrides), handed out as independent
    copies.

    For each (level, seed) one session plays the history on from the latest quarter asked for,
    so levels opened in order of their start share one run; a quarter before it starts a new
    run. The newest ``max_worlds`` worlds and ``max_runs`` runs are kept (a sweep over many seeds
    does not fill the memory).
    """

    def __init__(self, max_worlds: int = 24, max_runs: int = 2):
        self.max_worlds, self.max_runs = max_worlds, max_runs
        self._levels: dict[str, tuple[str, Scenario]] = {}  # path -> (content digest, level)
        self._worlds: OrderedDict[tuple, RareEarthWorld] = OrderedDict()
        self._runs: OrderedDict[tuple, Session] = OrderedDict()
        self._lock = threading.RLock()  # a history level may itself continue another: re-entered
        #: History quarters played so far (for tests and benchmarks: a warm start plays none).
        self.quarters_played = 0

    def world_at(self, path: str, seed: int, quarter: Quarter, overrides: tuple[tuple[str, Any], ...] = (),
                 level: tuple[str, Scenario] | None = None) -> RareEarthWorld:
        """A copy of the world the level at ``path`` reaches by ``quarter`` under its history,
        with ``overrides`` (sorted (name, value) pairs) over its assumptions; ``level``: that
        level as ``level(path)`` read it before, else it is read now."""
        with self._lock:
            digest, history = self.level(path) if level is None else level
            overrides = tuple(overrides)
            if overrides:
                history = with_assumptions(history, dict(overrides))
            key = (path, digest, seed, quarter, overrides)
            world = self._worlds.get(key)
            if world is None:
                world = self._worlds[key] = _copy_world(self._run_to(path, digest, history, seed, quarter, overrides))
                while len(self._worlds) > self.max_worlds:
                    self._worlds.popitem(last=False)
            self._worlds.move_to_end(key)
            return _copy_world(world)

    def clear(self) -> None:
        with self._lock:
            for run in self._runs.values():
                run.close()
            self._runs.clear()
            self._worlds.clear()
            self._levels.clear()

    def level(self, path: str) -> tuple[str, Scenario]:
        """The level at ``path`` as its file reads now, with the file's digest (kept while the
        file does not change)."""
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        known = self._levels.get(path)
        if known is None or known[0] != digest:
            known = self._levels[path] = (digest, load_level(path))
        return known

    def _run_to(self, path: str, digest: str, history: Scenario, seed: int, quarter: Quarter,
                overrides: tuple[tuple[str, Any], ...] = ()) -> RareEarthWorld:
        key = (path, digest, seed, overrides)
        run = self._runs.pop(key, None)
        if run is not None and run.world.quarter > quarter:
            run.close()
            run = None
        if run is None:
            run = Session(history, ScriptedController("history", history.history), seed=seed)
        self._runs[key] = run
        while len(self._runs) > self.max_runs:
            self._runs.popitem(last=False)[1].close()
        while run.world.quarter < quarter and not run.is_over:
            run.play_turn()
            self.quarters_played += 1
        if run.world.quarter != quarter:
            raise ValueError(f"{history.id} does not reach {quarter}")
        return run.world


def _copy_world(world: RareEarthWorld) -> RareEarthWorld:
    """An independent copy of a world between two turns, sharing only the frozen level.

    (Mesa 3.3 keeps ``Agent._ids`` per model for numbering new agents; the world makes none
    after it is built, and a copy is never registered there, so closing it frees nothing.)
    """
    # The copy has no players: whoever plays it sets their own (the history run's session stays out).
    return copy.deepcopy(world, {id(world.scenario): world.scenario, id(world.players): None})


#: The one cache of history starts in this process.
HISTORY_STARTS = HistoryStarts()
