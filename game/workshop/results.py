"""A class's game as a results file: what the report reads, one file per game (a class on the
network writes one; teams each playing alone with a scenario code write one each).

The file is JSON (UTF-8): the level, its digest, the seed and the code; who played what (a
team, a bot, China's doctrine); every quarter's figures of every role's nation and Japan's
whole indicator table; each role's stars and verdicts; every action with who made it; the
news. ``read_results`` checks a file at the door and names what is wrong in one line; it
never runs code and reads nothing else.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from game.actions import action_from_dict
from game.research.runner import level_digest, model_version, scenario_for
from game.scenario import AssumptionError, ScenarioError
from game.vocab.quarters import Quarter
from game.workshop.classroom import BY_BOT, BY_FACILITATOR, BY_TEAM, Workshop, replayed

FORMAT = "rare-earths-workshop-results"
VERSION = 1
#: Largest results file read: a three-hour class writes well under a megabyte.
MAX_BYTES = 20_000_000
#: How a role was played.
PLAYED_BY = ("team", "bot", "doctrine", "itself")


class ResultsError(ValueError):
    """A file that is not a readable results file; the message names it and says why."""


def results_of(workshop: Workshop, title: str = "") -> dict[str, Any]:
    """The game so far, as a results file holds it."""
    scenario = workshop.scenario
    nations = {}
    for code, rows in workshop.rows.items():
        result = workshop.result(code)
        nations[code] = {
            "played_by": workshop.played_by(code),
            "team": workshop.teams.get(code, ""),
            "stars": result.stars,
            "score": result.score,
            "objectives": [{"id": v.objective.id, "text": dict(v.objective.text), "star": v.objective.star,
                            "met": v.met, "reason": v.reason} for v in result.verdicts],
            "rows": [dict(row) for row in rows],
        }
    return {
        "format": FORMAT,
        "version": VERSION,
        "title": title,
        "code": workshop.code,
        "level": scenario.id,
        "level_title": dict(scenario.title),
        "level_sha256": level_digest(scenario),
        "settings": {name: value for name, value in scenario.assumption_overrides},
        "model_version": model_version(),
        "seed": workshop.seed,
        "roles": list(workshop.roles),
        "flags": sorted(workshop.flags),
        "turns_played": workshop.world.turns_done,
        "ended_early": workshop.ended and not workshop.session.is_over,
        "japan_rows": [{k: v for k, v in row.items()} for row in workshop.session.rows()],
        "nations": nations,
        "actions": [{"quarter": str(e.record.quarter), "nation": e.record.nation, "by": e.by,
                     "action": e.record.action.to_dict(), "accepted": e.record.accepted,
                     "message": e.record.message} for e in workshop.entries],
        "news": [{"quarter": str(item.quarter), "kind": item.kind, "headline": item.headline,
                  "nation": str(dict(item.fields).get("nation_code", ""))}
                 for item in workshop.world.news],
    }


def write_results(path: Path, data: Mapping[str, Any]) -> Path:
    """Write the results whole or not at all (``write_whole``)."""
    return write_whole(Path(path), json.dumps(data, ensure_ascii=False, indent=1, allow_nan=False))


def write_whole(path: Path, text: str) -> Path:
    """Write a workshop's file whole or not at all: a temporary file beside it, flushed to disk,
    then renamed over the name (a results file, the report's page)."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)  # mkstemp's 0600 would keep it from the class's other accounts
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def read_results(path: Path) -> dict[str, Any]:
    """A results file, checked; ResultsError (``PATH: what is wrong``) for anything else."""
    path = Path(path)

    def fail(message: str) -> ResultsError:
        return ResultsError(f"{path}: {message}")

    try:
        with path.open("rb") as file:
            raw = file.read(MAX_BYTES + 1)
    except OSError as error:
        raise fail(f"cannot read it ({error.strerror or error})") from None
    if len(raw) > MAX_BYTES:
        raise fail(f"larger than the {MAX_BYTES:,} bytes a results file may be")
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except UnicodeDecodeError:
        raise fail("not a UTF-8 text file") from None
    except (json.JSONDecodeError, ValueError) as error:
        raise fail(f"not JSON ({str(error).splitlines()[0]})") from None
    except RecursionError:
        raise fail("not JSON (nested too deeply)") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise fail("not a workshop results file (a saved game or another file?)")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= VERSION:
        raise fail(f"results of version {version!r}; this game reads versions 1 to {VERSION}")
    problem = _problem(data)
    if problem:
        raise fail(problem)
    return data


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number")


def _problem(data: dict[str, Any]) -> str | None:
    """What is wrong with a results file's contents, or None."""
    expected = {"title": str, "code": str, "level": str, "level_title": dict, "seed": int, "roles": list,
                "settings": dict,
                "turns_played": int, "japan_rows": list, "nations": dict, "actions": list, "news": list}
    for key, kind in expected.items():
        if not isinstance(data.get(key), kind) or isinstance(data.get(key), bool):
            return f"{key}: missing or not a {kind.__name__}"
    for code, nation in data["nations"].items():
        if not isinstance(nation, dict):
            return f"nations.{code}: not a table"
        if nation.get("played_by") not in PLAYED_BY:
            return f"nations.{code}.played_by: one of {', '.join(PLAYED_BY)}"
        stars = nation.get("stars")
        if not isinstance(stars, int) or isinstance(stars, bool) or not 0 <= stars <= 3:
            return f"nations.{code}.stars: a whole number from 0 to 3"
        rows = nation.get("rows")
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            return f"nations.{code}.rows: a list of tables"
        for i, row in enumerate(rows):
            if not isinstance(row.get("quarter"), str):
                return f"nations.{code}.rows[{i}].quarter: missing"
            for key, value in row.items():
                if key != "quarter" and not _finite(value):
                    return f"nations.{code}.rows[{i}].{key}: not a number"
        if not isinstance(nation.get("objectives", []), list):
            return f"nations.{code}.objectives: a list"
    for i, row in enumerate(data["japan_rows"]):
        if not isinstance(row, dict):
            return f"japan_rows[{i}]: not a table"
    for i, entry in enumerate(data["actions"]):
        if not isinstance(entry, dict) or not isinstance(entry.get("action"), dict):
            return f"actions[{i}]: not an action"
        if entry.get("by") not in (BY_TEAM, BY_BOT, BY_FACILITATOR):
            return f"actions[{i}].by: one of {BY_TEAM}, {BY_BOT}, {BY_FACILITATOR}"
        if not isinstance(entry.get("nation"), str) or not isinstance(entry.get("quarter"), str):
            return f"actions[{i}]: needs its nation and quarter"
    return None


def _finite(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def replay(data: Mapping[str, Any]) -> Workshop:
    """The game a results file records, played again from its actions (the shipped level it
    names, its seed and roles). Raises ResultsError where the file names what this game
    cannot play."""
    try:
        scenario = scenario_for(data["level"], data.get("settings") or {})
    except (ScenarioError, AssumptionError) as error:
        raise ResultsError(f"cannot replay level {data.get('level')!r}: {error}") from None
    entries = []
    for entry in data["actions"]:
        if not entry.get("accepted", True):
            continue
        try:
            action = action_from_dict(entry["action"])
        except (ValueError, TypeError, KeyError) as error:
            raise ResultsError(f"actions: {error}") from None
        try:
            quarter = Quarter.parse(entry["quarter"])
        except ValueError as error:
            raise ResultsError(f"actions: {error}") from None
        entries.append((quarter, entry["nation"], entry["by"], action))
    teams = {code: str(nation.get("team", "")) for code, nation in data["nations"].items() if nation.get("team")}
    return replayed(scenario, data["seed"], data["roles"], entries, data["turns_played"], teams=teams)
