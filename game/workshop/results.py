"""A class's game as a results file: what the report reads, one file per game (a class on the
network writes one; teams each playing alone with a scenario code write one each).

The file is JSON (UTF-8): the level, its digest, the seed and the code; who played what (a
team, a bot, China's doctrine); every quarter's figures of every role's nation and Japan's
whole indicator table; each role's stars and verdicts; every action with who made it; the
news. ``read_results`` checks a file at the door and names what is wrong in one line; it
never runs code and reads nothing else.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from game.actions import action_from_dict
from game.json_depth import too_deep
from game.research.runner import level_bytes_digest, level_digest, model_version, scenario_for
from game.scenario import AssumptionError, ScenarioError
from game.vocab.quarters import FIRST_YEAR, LAST_YEAR, Quarter
from game.vocab.seeds import MAX_SEED
from game.workshop.classroom import (BY_BOT, BY_FACILITATOR, BY_TEAM, MAX_ACTIONS_PER_QUARTER, Workshop,
                                     WorkshopError, replayed)
from game.workshop.codes import ROLES, CodeError, decode
from game.quoting import names_nothing
from game.workshop.protocol import MAX_TEAM_NAME, MAX_TITLE
from game.whole_files import numbered_names, write_whole, write_whole_as_new
from game.workshop.quoting import MOST_FIGURE, first_line, is_figure, key_of, refuse_constant, shown

FORMAT = "rare-earths-workshop-results"
#: 2: a checksum of the contents. 3: ``level_sha256`` is the digest of the level's content
#: (``level_digest``: a comment edited in the level file changes nothing), not its files' bytes.
VERSION = 3
#: The first version whose files keep a checksum of their contents (version 1's kept none).
CHECKSUMMED_VERSION = 2
#: The first version whose ``level_sha256`` is of the level's content.
CONTENT_DIGEST_VERSION = 3
NOT_RESULTS = "not a workshop results file (a saved game or another file?)"
#: Largest results file read: a three-hour class writes well under a megabyte.
MAX_BYTES = 20_000_000
#: How a role was played.
PLAYED_BY = ("team", "bot", "doctrine", "itself")
#: Seeds are the world generator's: from 0 to 2^63-1.
#: Quarters a game can last: every quarter of the game's calendar.
MOST_TURNS = (LAST_YEAR - FIRST_YEAR + 1) * 4
#: Longest text a results file holds (a headline, a reason, a team's name); the game writes far less.
MAX_TEXT = 10_000
#: Longest list a setting may be.
MAX_LIST = 1_000
#: What a figure that is not one is told.
NOT_A_FIGURE = f"not a number (of at most {MOST_FIGURE:.0e} either way)"


#: The key of the check of a results file's contents (``contents_checksum``), and how it begins.
CHECKSUM_KEY = "checksum"
CHECKSUM_PREFIX = "sha256:"
EDITED = ("edited since the game wrote it (its contents do not match the checksum it keeps), so its figures "
          "may not be the game's")


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
                            "met": v.met, "reason": v.reason, "indicator": v.objective.indicator,
                            "threshold": v.objective.threshold, "value": v.value} for v in result.verdicts],
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
    """Write the results whole or not at all (``game.whole_files``); readable by this account
    only while they hold a class's join codes (a running server's, see ``server.ClassServer``)."""
    path = Path(path)
    write_whole(path, results_text(data), private="server" in data)
    return path


def write_results_as_new(path: Path | Iterable[Path], data: Mapping[str, Any]) -> Path:
    """Write the results whole to ``path``, which must not exist yet (or to the first of several
    names that does not): FileExistsError if a file is there (even one made a moment before),
    another OSError if it cannot be written. Returns where they went."""
    names = [Path(path)] if isinstance(path, (str, os.PathLike)) else path
    return write_whole_as_new(names, results_text(data), private="server" in data)


def write_new_results(folder: Path, name: str, data: Mapping[str, Any]) -> Path:
    """Write the results whole to a new file in ``folder``, never over another: ``name``
    (``class.json``), else ``class-2.json``, ``class-3.json``... Returns where they went.
    FileExistsError if every name is taken, another OSError if the folder cannot take them."""
    return write_whole_as_new(numbered_names(Path(folder), name), results_text(data), private="server" in data)


def results_text(data: Mapping[str, Any]) -> str:
    """Results as a results file holds them: JSON, ending with the checksum of the rest."""
    sealed = {key: value for key, value in data.items() if key != CHECKSUM_KEY}
    sealed[CHECKSUM_KEY] = contents_checksum(sealed)
    return json.dumps(sealed, ensure_ascii=False, indent=1, allow_nan=False)


def contents_checksum(data: Mapping[str, Any]) -> str:
    """A check of everything a results file holds but the check itself, as its JSON in one
    fixed form (keys sorted, no spaces): a figure edited by hand was charted as the game's. It
    guards against an edit by hand, not a forger, as the join codes' check does."""
    text = json.dumps({key: value for key, value in data.items() if key != CHECKSUM_KEY}, ensure_ascii=False,
                      sort_keys=True, separators=(",", ":"), allow_nan=False)
    return CHECKSUM_PREFIX + hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_results(path: Path) -> dict[str, Any]:
    """A results file, checked; ResultsError (``PATH: what is wrong``) for anything else."""
    path = Path(path)

    def fail(message: str) -> ResultsError:
        return ResultsError(f"{path}: {message}")

    try:
        mode = os.stat(path).st_mode
        # Only a regular file: a pipe would wait for a writer forever, a device never end.
        if stat.S_ISREG(mode):
            with path.open("rb") as file:
                raw = file.read(MAX_BYTES + 1)
    except FileNotFoundError:  # as every other command says it
        raise fail("no such file") from None
    except OSError as error:
        raise fail(f"cannot read it ({error.strerror or error})") from None
    except ValueError:  # a NUL in the name (only from the API: no command line holds one)
        raise fail("not a usable file name") from None
    if stat.S_ISDIR(mode):
        raise fail("a folder, not a results file")
    if not stat.S_ISREG(mode):
        raise fail("not a regular file (a device, a pipe or a socket), not a results file")
    if len(raw) > MAX_BYTES:
        raise fail(f"larger than the {MAX_BYTES:,} bytes a results file may be")
    try:
        text = raw.decode("utf-8-sig")  # a byte-order mark, as Windows' Notepad saved UTF-8, is no content
    except UnicodeDecodeError:
        raise fail("not a UTF-8 text file") from None
    if too_deep(text):
        raise fail("not JSON (nested too deeply)")
    try:
        data = json.loads(text, parse_constant=refuse_constant)
    except RecursionError:
        raise fail("not JSON (nested too deeply)") from None
    except (json.JSONDecodeError, ValueError) as error:
        raise fail(f"not JSON ({first_line(error)})") from None
    if not isinstance(data, dict):
        raise fail(NOT_RESULTS)
    problem = results_problem(data)
    if problem:
        raise fail(problem)
    # Files of version 1 kept no checksum, and are read as before; a later one without its
    # checksum had it taken out by hand (else deleting the key would pass any edit).
    checksum = data.pop(CHECKSUM_KEY, None)
    if checksum is None and data["version"] >= CHECKSUMMED_VERSION:
        raise fail(f"it keeps no checksum of its contents, which every results file of version "
                   f"{CHECKSUMMED_VERSION} or later keeps: edited since the game wrote it?")
    if checksum is not None and checksum != contents_checksum(data):
        raise fail(EDITED)
    return data  # as it was written, without its check (written again, it gets one of its own)


def results_problem(data: dict[str, Any]) -> str | None:
    """What is wrong with results as data (from a file, or from a workshop server), or None."""
    if data.get("format") != FORMAT:
        return NOT_RESULTS
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= VERSION:
        return f"results of version {shown(version)}; this game reads versions 1 to {VERSION}"
    return _problem(data)


class _Wrong(Exception):
    """What is wrong with a results file's contents, as ``key.path: what``."""


def _problem(data: dict[str, Any]) -> str | None:
    """What is wrong with a results file's contents, or None. Everything the report and the
    replay read is checked here, so that neither meets a value of the wrong kind or size."""
    try:
        _check_contents(data)
    except _Wrong as wrong:
        return str(wrong)
    return None


def _check_contents(data: dict[str, Any]) -> None:
    for key in ("title", "code", "level"):
        _text(data, key, key)
    if not data["level"]:
        raise _Wrong("level: empty")
    for key in ("level_sha256", "model_version"):
        if key in data:
            _text(data, key, key)
    _text_table(data, "level_title", "level_title")
    settings = _expect(data, "settings", dict, "a table", "settings")
    for name, value in settings.items():
        if not (is_figure(value) or isinstance(value, bool)
                or (isinstance(value, list) and len(value) <= MAX_LIST and all(is_figure(v) for v in value))):
            raise _Wrong(f"settings.{key_of(name)}: not a number or a list of numbers (of at most "
                         f"{MOST_FIGURE:.0e} either way)")
    seed = _expect(data, "seed", int, "a whole number", "seed")
    if not 0 <= seed <= MAX_SEED:
        raise _Wrong(f"seed: {shown(seed)} is not a seed (0 to 2^63-1)")
    turns = _expect(data, "turns_played", int, "a whole number", "turns_played")
    if not 0 <= turns <= MOST_TURNS:
        raise _Wrong(f"turns_played: {shown(turns)} is not a number of quarters (0 to {MOST_TURNS})")
    if not isinstance(data.get("ended_early", False), bool):
        raise _Wrong("ended_early: not true or false")
    roles = _expect(data, "roles", list, "a list", "roles")
    for i, role in enumerate(roles):
        if role not in ROLES:
            raise _Wrong(f"roles[{i}]: {shown(role)} is not a role (the roles: {', '.join(ROLES)})")
    if len(set(roles)) != len(roles):
        raise _Wrong("roles: a role is named twice")
    flags = data.get("flags", [])
    if not isinstance(flags, list) or not all(isinstance(f, str) and len(f) <= MAX_TEXT for f in flags):
        raise _Wrong("flags: not a list of names")
    japan_rows = _expect(data, "japan_rows", list, "a list", "japan_rows")
    _rows(japan_rows, "japan_rows")
    if len(japan_rows) != turns:  # a row a quarter played: an edited count told the debrief another story
        raise _Wrong(f"turns_played: {turns}, but japan_rows holds {len(japan_rows)} "
                     f"row{'' if len(japan_rows) == 1 else 's'}, one a quarter played")
    nations = _expect(data, "nations", dict, "a table", "nations")
    for code, nation in nations.items():
        _nation(code, nation)
    for i, entry in enumerate(_expect(data, "actions", list, "a list", "actions")):
        _action(entry, f"actions[{i}]")
    for i, item in enumerate(_expect(data, "news", list, "a list", "news")):
        where = f"news[{i}]"
        if not isinstance(item, dict):
            raise _Wrong(f"{where}: not a table")
        for key in ("quarter", "kind", "headline", "nation"):
            _text(item, key, f"{where}.{key}", required=False)


def _nation(code: str, nation: Any) -> None:
    where = f"nations.{key_of(code)}"
    if code not in ROLES:
        raise _Wrong(f"{where}: not a role (the roles: {', '.join(ROLES)})")
    if not isinstance(nation, dict):
        raise _Wrong(f"{where}: not a table")
    if nation.get("played_by") not in PLAYED_BY:
        raise _Wrong(f"{where}.played_by: one of {', '.join(PLAYED_BY)}")
    _text(nation, "team", f"{where}.team", required=False)
    stars = nation.get("stars")
    if not isinstance(stars, int) or isinstance(stars, bool) or not 0 <= stars <= 3:
        raise _Wrong(f"{where}.stars: a whole number from 0 to 3")
    if "score" in nation and not is_figure(nation["score"]):
        raise _Wrong(f"{where}.score: {NOT_A_FIGURE}")
    rows = nation.get("rows")
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise _Wrong(f"{where}.rows: a list of tables")
    _rows(rows, f"{where}.rows")
    objectives = nation.get("objectives", [])
    if not isinstance(objectives, list):
        raise _Wrong(f"{where}.objectives: a list")
    for i, objective in enumerate(objectives):
        at = f"{where}.objectives[{i}]"
        if not isinstance(objective, dict):
            raise _Wrong(f"{at}: not a table")
        _text(objective, "id", f"{at}.id")
        _text(objective, "reason", f"{at}.reason", required=False)
        if "text" in objective:
            _text_table(objective, "text", f"{at}.text")
        star = objective.get("star", 1)
        if not isinstance(star, int) or isinstance(star, bool) or not 1 <= star <= 3:
            raise _Wrong(f"{at}.star: a whole number from 1 to 3")
        if not isinstance(objective.get("met", False), bool):
            raise _Wrong(f"{at}.met: not true or false")
        _text(objective, "indicator", f"{at}.indicator", required=False)
        for key in ("threshold", "value"):  # the figures the reason rounds (a report words them in their unit)
            if objective.get(key) is not None and not is_figure(objective[key]):
                raise _Wrong(f"{at}.{key}: {NOT_A_FIGURE}")


def _rows(rows: list, where: str) -> None:
    """A table of quarterly figures: each row a quarter and numbers."""
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            raise _Wrong(f"{where}[{i}]: not a table")
        if not isinstance(row.get("quarter"), str) or len(row["quarter"]) > MAX_TEXT:
            raise _Wrong(f"{where}[{i}].quarter: missing")
        for key, value in row.items():
            if key != "quarter" and not is_figure(value):
                raise _Wrong(f"{where}[{i}].{key_of(key)}: {NOT_A_FIGURE}")


def _action(entry: Any, where: str) -> None:
    if not isinstance(entry, dict) or not isinstance(entry.get("action"), dict):
        raise _Wrong(f"{where}: not an action")
    if not isinstance(entry["action"].get("kind"), str):
        raise _Wrong(f"{where}.action.kind: missing")
    if entry.get("by") not in (BY_TEAM, BY_BOT, BY_FACILITATOR):
        raise _Wrong(f"{where}.by: one of {BY_TEAM}, {BY_BOT}, {BY_FACILITATOR}")
    if not isinstance(entry.get("nation"), str) or not isinstance(entry.get("quarter"), str):
        raise _Wrong(f"{where}: needs its nation and quarter")
    try:
        Quarter.parse(entry["quarter"])
    except ValueError as error:
        raise _Wrong(f"{where}.quarter: {error}") from None
    if not isinstance(entry.get("accepted", True), bool):
        raise _Wrong(f"{where}.accepted: not true or false")
    _text(entry, "message", f"{where}.message", required=False)


def _expect(data: dict[str, Any], key: str, kind: type, what: str, where: str) -> Any:
    value = data.get(key)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise _Wrong(f"{where}: missing or not {what}")
    return value


def _text(data: dict[str, Any], key: str, where: str, required: bool = True) -> None:
    if key not in data and not required:
        return
    value = data.get(key)
    if not isinstance(value, str):
        raise _Wrong(f"{where}: missing or not text")
    if len(value) > MAX_TEXT:
        raise _Wrong(f"{where}: text longer than {MAX_TEXT:,} characters")


def _text_table(data: dict[str, Any], key: str, where: str) -> None:
    """A text in several languages: {"en": "...", "ja": "..."}."""
    table = data.get(key)
    if not isinstance(table, dict):
        raise _Wrong(f"{where}: missing or not a table of texts by language")
    for language in table:
        _text(table, language, f"{where}.{key_of(language)}")


def _check_the_class(data: Mapping[str, Any]) -> None:
    """What a game going on takes from its file besides its replay, as the class itself would
    have it: the teams the file's nations say played (an edited role list made a Japan team the
    United States'), each team's actions its own and at most as many a quarter as a team may
    send, team names only for teams and as long as a window may give, each flag once, and its
    scenario code (if any) one that names its level and seed. ResultsError names what is not."""
    roles, nations = data["roles"], data["nations"]
    if not roles:
        raise ResultsError("roles: its game names no team's role")
    title = data["title"]
    if not title.isprintable():  # as --title takes it: no escape sequence, no right-to-left override
        raise ResultsError(f"title: {shown(title)} holds a control or format character")
    if len(title) > MAX_TITLE or (title and names_nothing(title)):  # as --title takes it too
        raise ResultsError(f"title: longer than {MAX_TITLE} characters, or only blanks")
    for code, nation in nations.items():
        if (nation["played_by"] == "team") != (code in roles):
            raise ResultsError(f"nations.{key_of(code)}.played_by: {shown(nation['played_by'])}, but roles "
                               f"({', '.join(roles)}) say otherwise")
        team = nation.get("team", "")
        if team and (code not in roles or len(team) > MAX_TEAM_NAME):
            raise ResultsError(f"nations.{key_of(code)}.team: a name for a nation no team plays, or longer than "
                               f"{MAX_TEAM_NAME} characters")
        if not team.isprintable():  # a window's name never holds one: an escape sequence reached the terminal raw
            raise ResultsError(f"nations.{key_of(code)}.team: {shown(team)} holds a control or format character")
    missing = [role for role in roles if role not in nations]
    if missing:
        raise ResultsError(f"nations: no record of {missing[0]}, a role")
    sent: Counter[tuple[str, str]] = Counter()
    for i, entry in enumerate(data["actions"]):
        if entry["by"] == BY_TEAM:
            if entry["nation"] not in roles:
                raise ResultsError(f"actions[{i}].nation: {shown(entry['nation'])}, a team's action for a nation "
                                   f"no team plays ({', '.join(roles)})")
            sent[entry["quarter"], entry["nation"]] += 1
            if sent[entry["quarter"], entry["nation"]] > MAX_ACTIONS_PER_QUARTER:
                raise ResultsError(f"actions[{i}]: more than the {MAX_ACTIONS_PER_QUARTER} actions a team may send "
                                   "in a quarter")
    flags = data.get("flags", [])
    if len(set(flags)) != len(flags):
        raise ResultsError("flags: a flag is named twice")
    if data["code"]:
        try:
            code = decode(data["code"])
        except CodeError as error:
            raise ResultsError(f"code: {error}") from None
        if (code.level, code.seed) != (data["level"], data["seed"]):
            raise ResultsError(f"code: it names {code.level}, seed {code.seed}, not this game's level and seed")


def level_digest_as_recorded(data: Mapping[str, Any], scenario) -> str:
    """The level's digest now, as a results file of ``data``'s version recorded it."""
    old = data.get("version", 1) < CONTENT_DIGEST_VERSION
    return level_bytes_digest(scenario) if old else level_digest(scenario)


def other_level_content(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Whether two results files' games were played on levels whose content differed. A file
    from before CONTENT_DIGEST_VERSION kept a digest of the files' bytes, which says nothing
    beside a later file's: they are not said to differ."""
    if (a.get("version", 1) >= CONTENT_DIGEST_VERSION) != (b.get("version", 1) >= CONTENT_DIGEST_VERSION):
        return False
    return a.get("level_sha256") != b.get("level_sha256")


def replay(data: Mapping[str, Any]) -> Workshop:
    """The game a results file records, played again from its actions (the shipped level it
    names, its seed and roles). Raises ResultsError where the file names what this game
    cannot play."""
    try:
        scenario = scenario_for(data["level"], data.get("settings") or {})
    except (ScenarioError, AssumptionError) as error:
        raise ResultsError(f"cannot replay level {data.get('level')!r}: {error}") from None
    entries = []
    for entry in data["actions"]:  # refused ones too: refused again, they change nothing and stay on record
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
    try:
        workshop = replayed(scenario, data["seed"], data["roles"], entries, data["turns_played"], teams=teams)
        workshop.ended = bool(data.get("ended_early"))  # what it never reached stays never measured
        return workshop
    except (ResultsError, KeyboardInterrupt):
        raise
    except Exception as error:  # noqa: BLE001 - whatever stops a replay (an action for a nation the world
        # lacks, a level changed since), the file cannot go on: one line, never a traceback
        raise ResultsError(f"its actions do not replay: {type(error).__name__}: {error}") from None


def _by_another_version(data: Mapping[str, Any], problem: str) -> ResultsError:
    """A file that does not replay as it records: ``problem``, or, where another version of the
    game played it, that version and this one (the class can go on with the version it began on)."""
    played_on = data.get("model_version")
    if played_on == model_version():
        return ResultsError(problem)
    if played_on is None:
        return ResultsError(f"it names no game version, and this version ({model_version()}) replays it otherwise: "
                            "it cannot go on")
    return ResultsError(f"it was played on game version {shown(played_on)}, and this version ({model_version()}) "
                        f"replays it otherwise: go on with version {shown(played_on)}")


def resumed(data: Mapping[str, Any]) -> Workshop:
    """A class's game stopped part-way (its server killed or stopped), as its results file left
    it: the quarters played replayed, then the actions already taken in the quarter that was open
    (``replay``), with the facilitator's settings; started and paused (the facilitator goes on once the teams are
    back). ResultsError says, in one line, why a file cannot go on: its game is over, its level has
    changed since, or its replay does not give what it records (naming the version that played it
    and this one, where they differ: a file of another version that replays alike goes on)."""
    if data.get("ended_early"):
        raise ResultsError("its game was ended by the facilitator: there is nothing to go on with")
    _check_the_class(data)
    try:
        workshop = replay(data)
    except ResultsError as error:
        raise _by_another_version(data, str(error)) from None
    if workshop.is_over:
        raise ResultsError("its game is over: there is nothing to go on with")
    if data.get("level_sha256") != level_digest_as_recorded(data, workshop.scenario):
        raise ResultsError(f"level {data['level']!r} is not as this class played it (changed since, or the file "
                           "edited): it cannot go on")
    # Played on another version, a class goes on if its replay gives what the file records (the
    # same game); where it does not, the refusal names both versions.
    if workshop.session.rows() != data["japan_rows"]:
        raise _by_another_version(data, "replaying its actions does not give the quarters it records: it cannot go on")
    # Every nation's quarters too: an action deleted from the file (a bot's investment) left
    # Japan's as they were and rewrote another nation's history (Korea's budget) without a word.
    for code, nation in data["nations"].items():
        if workshop.rows.get(code) != nation["rows"]:
            raise _by_another_version(data, f"replaying its actions does not give the quarters it records for "
                                            f"{key_of(code)}: it cannot go on")
    if [(e.record.accepted, e.record.message) for e in workshop.entries] != \
            [(e.get("accepted", True), e.get("message", "")) for e in data["actions"]]:
        raise _by_another_version(data, "replaying its actions does not give the answers it records: it cannot go on")
    workshop.code = data["code"]
    codes = data.get("server")
    done = codes.get("done", []) if isinstance(codes, dict) else []
    # The teams that had said they were done with the open quarter stay done: no bot acts for them.
    if not isinstance(done, list) or len(done) > len(workshop.roles) or len(set(map(str, done))) != len(done) \
            or not all(role in workshop.roles for role in done):
        raise ResultsError(f"server.done: not a list of this class's teams, each once (teams: "
                           f"{', '.join(workshop.roles)})")
    workshop.done = set(done)
    try:
        for flag in data.get("flags", []):
            workshop.set_flag(flag, True)
    except WorkshopError as error:
        raise ResultsError(f"flags: {error}") from None
    workshop.start()
    workshop.set_paused(True)
    return workshop
