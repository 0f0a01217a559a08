"""Saved games: a versioned, human-readable record of a session that rebuilds it by replay.

A save holds the level, the seed and every action taken, quarter by quarter; loading plays
them again, which gives the same world bit for bit. It also keeps a fingerprint of the last
recorded quarter so that a save edited by hand, or made by a game whose rules have since
changed, is refused rather than silently becoming a different game. A session whose assumptions
were set from outside the level files (``--set``, the API: ``Scenario.assumption_overrides``)
saves them under ``"assumptions"``, and loading applies them again before the replay.
"""

from __future__ import annotations

import json
import math
from typing import Any

from game.actions import action_from_dict
from game.controllers import PassiveController
from game.scenario import (
    AssumptionError,
    ScenarioError,
    find_level,
    load_level,
    with_assumptions,
)
from game.session import PLAYER_NATION, Session
from game.vocab.quarters import Quarter

FORMAT = "rare-earths-save"
#: 2: levels that continue another's history (``starts_from``) start from that history's world.
#: 3: actions may be another nation's (``"nation"``), and ``"played"`` names the nations
#: played from outside the world (hot seat, a workshop).
VERSION = 3
#: Saves this game reads. A version-1 save of a level that now continues another's history was
#: played from the level's old start, which no longer exists: its actions are replayed from the
#: new start (each must still be accepted) and its fingerprint, of the old history, is not checked.
READABLE_VERSIONS = (1, 2, 3)
#: Indicators whose values at the last quarter played fingerprint a save.
FINGERPRINT = ("japan_budget_musd", "japan_output_index", "price_ndpr_japan", "japan_stockpile_days")


class SaveError(ValueError):
    """A save that cannot be loaded; the message is one line saying what is wrong."""


def save_text(session: Session, level_ref: str, *, label: str = "") -> str:
    """The session as a save file's text. ``level_ref`` is the level's id (or its path)."""
    turns: dict[str, list[dict[str, Any]]] = {}
    for record in session.actions:
        if record.accepted:
            entry = record.action.to_dict()
            if record.nation != PLAYER_NATION:
                entry["nation"] = record.nation
            turns.setdefault(str(record.quarter), []).append(entry)
    data = {
        "format": FORMAT,
        "version": VERSION,
        "label": label,
        "level": level_ref,
        "seed": session.seed,
        "quarter": str(session.world.quarter),
        "turns_played": session.world.turns_done,
        "actions": [{"quarter": q, "actions": a} for q, a in turns.items()],
        "fingerprint": _fingerprint(session),
    }
    if session.others:
        data["played"] = sorted(session.others)
    if session.scenario.assumption_overrides:  # the same game needs the same assumptions
        data["assumptions"] = dict(session.scenario.assumption_overrides)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def load_text(text: str) -> tuple[Session, str]:
    """Rebuild the session a save describes; returns it with the level reference.

    Raises:
        SaveError: the text is not a save, is truncated or corrupt, names an unknown level, or
            does not replay to what was saved.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise SaveError(f"not a readable save (corrupt or truncated at line {error.lineno})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SaveError("not a Rare Earths save file")
    version = data.get("version")
    if isinstance(version, bool) or version not in READABLE_VERSIONS:
        raise SaveError(f"save version {version!r} is not supported (this game reads versions "
                        f"{', '.join(map(str, READABLE_VERSIONS))})")
    level_ref, seed, played = data.get("level"), data.get("seed"), data.get("turns_played")
    if not isinstance(level_ref, str) or not level_ref:
        raise SaveError("save has no level")
    if not isinstance(seed, int) or isinstance(seed, bool) or not isinstance(played, int) or played < 0:
        raise SaveError("save has no valid seed or turn count")
    try:
        scenario = load_level(find_level(level_ref))
    except ScenarioError as error:
        raise SaveError(f"save's level {level_ref!r} cannot be loaded: {error.problems[0]}") from None
    overrides = data.get("assumptions", {})
    if not isinstance(overrides, dict):
        raise SaveError("save's assumptions are not a table of names and values")
    try:
        scenario = with_assumptions(scenario, overrides)
    except AssumptionError as error:
        raise SaveError(f"save's {error}") from None
    by_quarter = _actions_by_quarter(data.get("actions"))
    others = data.get("played", [])
    if not isinstance(others, list) or not all(isinstance(code, str) and code for code in others):
        raise SaveError("save's played is not a list of nation codes")
    try:
        session = Session(scenario, seed=seed, others={code: PassiveController() for code in others})
    except ValueError as error:  # a nation the level does not have
        raise SaveError(f"save's played: {error}") from None
    try:
        for turn in range(played + 1):
            session.open_turn()
            for action, nation in by_quarter.pop(session.world.quarter, []):
                if nation != PLAYER_NATION and nation not in session.others:
                    raise SaveError(f"save has an action of {nation}, which nobody plays in it")
                record = session.submit(action, nation=nation)
                if not record.accepted:
                    raise SaveError(f"save does not replay: {record.action.label} in {record.quarter} was refused "
                                    f"({record.message})")
            if turn == played or session.is_over:
                break
            session.end_turn()
    except SaveError:
        session.close()
        raise
    if by_quarter or session.world.turns_done != played or str(session.world.quarter) != data.get("quarter"):
        session.close()
        raise SaveError("save does not replay to the quarter it records")
    replayed_from_a_new_start = version == 1 and bool(scenario.starts_from)
    if not replayed_from_a_new_start and data.get("fingerprint") != _fingerprint(session):
        session.close()
        raise SaveError("save does not match this version of the game (its history replays differently)")
    return session, level_ref


def _actions_by_quarter(turns: Any) -> dict[Quarter, list[tuple[Any, str]]]:
    """(action, nation) by quarter; an action without ``"nation"`` is Japan's (every save before
    version 3)."""
    if not isinstance(turns, list):
        raise SaveError("save has no list of actions")
    by_quarter: dict[Quarter, list[tuple[Any, str]]] = {}
    for i, turn in enumerate(turns):
        if not isinstance(turn, dict) or not isinstance(turn.get("actions"), list):
            raise SaveError(f"save's actions[{i}] is not a quarter with a list of actions")
        try:
            quarter = Quarter.parse(str(turn.get("quarter")))
            actions = []
            for entry in turn["actions"]:
                entry = dict(entry) if isinstance(entry, dict) else {}
                nation = entry.pop("nation", PLAYER_NATION)
                if not isinstance(nation, str) or not nation:
                    raise ValueError(f"an action's nation must be a nation code, got {nation!r}")
                actions.append((action_from_dict(entry), nation))
        except ValueError as error:
            raise SaveError(f"save's actions[{i}]: {error}") from None
        by_quarter.setdefault(quarter, []).extend(actions)
    return by_quarter


def _fingerprint(session: Session) -> list[float]:
    table = session.world.datacollector.model_vars
    if not table or not table.get(FINGERPRINT[0]):
        return []
    return [_rounded(table[column][-1]) for column in FINGERPRINT]


def _rounded(value: float) -> float:
    """Twelve significant figures: exact enough to catch a different history, and stable
    through JSON's text form."""
    if value == 0 or not math.isfinite(value):
        return float(value)
    return float(f"{value:.12g}")
