"""One game: a scenario, its world, the controllers, and the record of what was done.

The session is the only writer of world state from outside the world: every change a
player (or a script, a bot, the RL env) makes is an Action submitted here. Play, replay
and headless runs all go through ``submit`` and ``end_turn``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from game.actions import Action
from game.controllers import Controller, PassiveController
from game.objectives import LevelResult, score
from game.spec import Scenario
from game.vocab.nations import JAPAN
from game.vocab.quarters import Quarter
from game.world.model import RareEarthWorld

#: The nation a person plays.
PLAYER_NATION = JAPAN


@dataclass(frozen=True)
class ActionRecord:
    """What happened to one submitted action: taken (with what it did) or refused (with why)."""

    quarter: Quarter
    action: Action
    accepted: bool
    message: str


class Session:
    """A level being played, turn by turn.

    Args:
        scenario: the level.
        controller: who decides for Japan (default: nobody, i.e. passive).
        seed: seeds the world's generator; same level, seed and actions give the same history.
    """

    def __init__(self, scenario: Scenario, controller: Controller | None = None, seed: int = 0):
        self.scenario = scenario
        self.controller = controller or PassiveController()
        self.seed = seed
        self.world = RareEarthWorld(scenario, rng=seed)
        self.actions: list[ActionRecord] = []

    @property
    def is_over(self) -> bool:
        return self.world.is_over

    def open_turn(self) -> None:
        """Let this quarter's scheduled events fire (once), before anyone acts on them."""
        self.world.open_turn()

    def submit(self, action: Action, nation: str = PLAYER_NATION) -> ActionRecord:
        """Check and apply an action this turn; a refused one changes nothing."""
        self.open_turn()
        locked = self.scenario.unlocked_actions and action.kind not in self.scenario.unlocked_actions
        reason = (f"{action.label} is not unlocked in this level" if locked
                  else action.check_capital(self.world, nation) or action.check(self.world, nation))
        if reason is None:
            self.world.nation(nation).political_capital -= action.capital
            record = ActionRecord(self.world.quarter, action, True, action.apply(self.world, nation))
        else:
            record = ActionRecord(self.world.quarter, action, False, reason)
        self.actions.append(record)
        return record

    def end_turn(self) -> None:
        if self.is_over:
            raise RuntimeError("the level is over; no more turns to play")
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
        target = self.world.quarter
        self.world.close()
        self.world = RareEarthWorld(self.scenario, rng=self.seed)
        self.actions = []
        by_quarter: dict[Quarter, list[Action]] = {}
        for record in records:
            if record.accepted:
                by_quarter.setdefault(record.quarter, []).append(record.action)
        while True:
            self.open_turn()
            for action in by_quarter.get(self.world.quarter, []):
                self.submit(action)
            if self.world.quarter >= target or self.is_over:
                break
            self.end_turn()

    def play_turn(self) -> list[ActionRecord]:
        """Open the turn (events fire), let the controller act, then run the quarter."""
        self.open_turn()
        records = [self.submit(action) for action in self.controller.decide(self.world, self.scenario)]
        self.end_turn()
        return records

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
