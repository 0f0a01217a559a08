"""Saved games: a versioned, human-readable record of a session that rebuilds it by replay.

A save holds the level, the seed and every action taken, quarter by quarter; loading plays
them again, which gives the same world bit for bit. It also keeps a fingerprint of the last
recorded quarter so that a save made by a game whose rules have since changed is refused rather
than silently becoming a different game, and (from version 4) a checksum of its own content so
that a save damaged on the disk or edited by hand is refused before anything is replayed. A
session whose assumptions were set from outside the level files (``--set``, the API:
``Scenario.assumption_overrides``) saves them under ``"assumptions"``, and loading applies them
again before the replay.

A save is read as data and nothing else: JSON only (never pickle or eval), bounded in size,
depth, number length and list lengths before anything is built from it, and every field is
checked. The level it names is a shipped level's id, or a level file inside the shipped levels
folder or a folder the caller trusts (``level_folders``): a save never makes the game open a file
elsewhere on the disk.

Earlier versions are read by migrating the parsed save one version at a time (``MIGRATIONS``) to
the current form, then loading that.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from game import kept_levels
from game.actions import Said, action_from_dict
from game.quoting import Worded, readable_number, refused_character, said_back, short_repr
from game.controllers import PassiveController
from game.json_depth import MAX_JSON_DEPTH, json_depth
from game.package_version import model_version
from game.scenario import (
    AssumptionError,
    ScenarioError,
    find_level,
    levels_dir,
    load_level,
    with_assumptions,
)
from game.scenario.toml_reader import MAX_FILE_BYTES
from game.session import PLAYER_NATION, Session
from game.vocab.quarters import Quarter
from game.vocab.refusals import Refusal
from game.vocab.seeds import MAX_SEED

FORMAT = "rare-earths-save"
#: 2: levels that continue another's history (``starts_from``) start from that history's world.
#: 3: actions may be another nation's (``"nation"``), and ``"played"`` names the nations
#: played from outside the world (hot seat, a workshop).
#: 4: a ``"checksum"`` of the rest of the save, checked before anything else is read.
#: 5: ``"companies"`` played from outside (code -> their firms' ids), ``"budgets"`` (the least
#: some nations get each quarter) and ``"acting"`` (who else acted: a workshop's bots for the
#: roles nobody took, its facilitator), as a workshop sets them: a save of such a game named
#: none of them, and did not replay. Actions after the level's end are refused from version 5.
#: 6: the fingerprint's stockpile days count every material the industry needs, by value
#: (``game.world.indicators.days_of_use_held``); an earlier save's counted the materials held.
#: 7: ``"model_version"``, the game's version that wrote it, so that a save which no longer
#: replays names the version it needs (every earlier save was written by 0.1.0: the version was
#: not raised before saves named it).
VERSION = 7
#: Saves this game reads. A version-1 save of a level that now continues another's history was
#: played from the level's old start, which no longer exists: its actions are replayed from the
#: new start (each must still be accepted) and its fingerprint, of the old history, is not checked.
READABLE_VERSIONS = (1, 2, 3, 4, 5, 6, 7)
#: Indicators whose values at the last quarter played fingerprint a save.
FINGERPRINT = ("japan_budget_musd", "japan_output_index", "price_ndpr_japan", "japan_stockpile_days")
#: Those a save before version 6 fingerprinted as they are counted now (its stockpile days were
#: counted otherwise, over the same history).
FINGERPRINT_BEFORE_6 = FINGERPRINT[:3]

#: The largest save the game writes is tens of kilobytes (the bot over the 25-year sandbox: 18 KB);
#: anything over this is not one of ours, and is refused before it is parsed, which keeps a
#: hostile file from holding a reader (the Load screen lists every save) for long.
MAX_SAVE_BYTES = 4 * 1024 * 1024
#: A save nests six levels deep (the save, its actions, a quarter, its actions, an action, a
#: list in it); assumption tables add two. Deeper is not a save, and is refused before parsing
#: so that no reader recurses on it.
MAX_DEPTH = MAX_JSON_DEPTH
#: Digits of the longest whole number a save may hold (a seed below 2**63 has 19).
MAX_DIGITS = 24
#: Actions of one quarter (every nation's): far beyond what a turn's budget and political capital
#: allow, and small enough that a save cannot make a replay run for long.
MAX_ACTIONS_PER_QUARTER = 500
#: Nations (or companies) a save may name as played from outside, and characters of its label
#: and level.
MAX_PLAYED, MAX_LABEL, MAX_LEVEL_REF = 16, 200, 255
#: Firms a company played from outside may have (a company of a world split for research has
#: hundreds), and the largest least budget a quarter, US$ million.
MAX_COMPANY_FIRMS, MAX_BUDGET_MUSD = 10_000, 1e9
#: Characters a name shown on screen or used as a path must not hold: C0 and C1 controls (NUL
#: among them), line and paragraph separators, and lone surrogates (no UTF-8 text holds one).
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
#: The keys each version's saves have (``"label"``, ``"assumptions"`` and ``"played"`` may be
#: absent); any other key is refused.
KEYS = {
    1: {"format", "version", "label", "level", "seed", "quarter", "turns_played", "actions", "fingerprint"},
}
KEYS[2] = KEYS[1] | {"assumptions"}
KEYS[3] = KEYS[2] | {"played"}
KEYS[4] = KEYS[3] | {"checksum"}
KEYS[5] = KEYS[4] | {"companies", "budgets", "acting"}
KEYS[6] = KEYS[5]
KEYS[7] = KEYS[6] | {"model_version"}
OPTIONAL_KEYS = {"label", "assumptions", "played", "companies", "budgets", "acting"}
CHECKSUM_PREFIX = "sha256:"

#: The game's version that wrote every save before version 7, which named none.
VERSION_BEFORE_7 = "0.1.0"
#: The most characters of a game version a save may hold.
MAX_MODEL_VERSION = 40

#: The most characters a refusal quotes of a value from a save.
MOST_SHOWN = 60


class SaveError(ValueError):
    """A save that cannot be loaded; the message is one line saying what is wrong (at most a few
    hundred characters, whatever the save holds).

    Args:
        template: What is wrong, in English, with ``{name}`` fields: a window shows it in the
            player's language (``said``), as it does the game's other texts.
        values: The fields' values: what the save holds, or a problem found further down
            (a level's, a replay's), which stays in English.
    """

    def __init__(self, template: str, **values: object):
        self.template, self.values = template, values
        super().__init__(_one_line(template.format(**values) if values else template))

    def said(self, tr: Callable[..., str]) -> str:
        """The message through ``tr`` (a window's ``tr(text, **values)``), on one line; a value
        that is a refusal of the same kind (a ``template`` and its ``values``: a level's
        ``Refusal``, a file's) or what an action said (``Said``) is translated too."""
        return _one_line(tr(self.template, **{name: _said(value, tr) for name, value in self.values.items()}))


def _said(value: object, tr: Callable[..., str]) -> object:
    """A SaveError's value as a window shows it: words of the game's own through ``tr``; names,
    codes and figures as they are."""
    if isinstance(value, Said):
        return value.worded(tr)
    if hasattr(value, "template") and hasattr(value, "values"):
        return tr(value.template, **{name: _said(inner, tr) for name, inner in value.values.items()})
    return value


def _one_line(text: str) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= 300 else line[:297] + "..."


@dataclass(frozen=True)
class SaveHead:
    """What a save says about itself, read and checked without opening its level: enough to
    list it (the Load screen)."""

    label: str
    level: str
    quarter: str
    version: int
    #: The level file a save of a level of the player's own plays (its kept copy); None for a
    #: shipped level, named by its id.
    level_file: Path | None = None
    #: Quarters played (a finished game's ``quarter`` is the one after its level's last).
    turns_played: int = 0


# --------------------------------------------------------------------------- writing


def save_text(session: Session, level_ref: str, *, label: str = "") -> str:
    """The session as a save file's text. ``level_ref`` is the level's id (or its path)."""
    turns: dict[str, list[dict[str, Any]]] = {}
    for record in session.actions:
        if record.accepted:
            entry = record.action.to_dict()
            if record.nation != PLAYER_NATION:
                entry["nation"] = record.nation
            turns.setdefault(str(record.quarter), []).append(entry)
    data: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "label": label,
        "level": level_ref,
        "seed": session.seed,
        "quarter": str(session.world.quarter),
        "turns_played": session.world.turns_done,
        "actions": [{"quarter": q, "actions": a} for q, a in turns.items()],
        "fingerprint": _fingerprint(session),
        "model_version": model_version(),
    }
    if session.others:
        data["played"] = sorted(session.others)
    if session.companies:  # a workshop's company roles: their firms stop deciding for themselves
        data["companies"] = {code: list(firms) for code, firms in sorted(session.companies.items())}
    if session.budgets:
        data["budgets"] = dict(sorted(session.budgets.items()))
    # Nations that acted without being played from outside (a workshop's bots act for the roles
    # nobody took, their doctrine still deciding the rest), and a facilitator.
    acting = {r.nation for r in session.actions if r.accepted} - {PLAYER_NATION, *session.others, *session.companies}
    if acting:
        data["acting"] = sorted(acting)
    if session.scenario.assumption_overrides:  # the same game needs the same assumptions
        data["assumptions"] = dict(session.scenario.assumption_overrides)
    return sealed(data)


def sealed(data: dict[str, Any]) -> str:
    """A save's content as its text, with the checksum of that content (``data`` without any
    ``"checksum"`` it has). Also how a tool or a test writes a save it made by hand."""
    content = {key: value for key, value in data.items() if key != "checksum"}
    content["checksum"] = checksum_of(content)
    return json.dumps(content, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def checksum_of(data: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of ``data`` without its ``"checksum"``: keys sorted, no
    spaces, ASCII only (so indentation, key order and how non-ASCII text is written do not
    matter, and every number reads back to the same text)."""
    content = {key: value for key, value in data.items() if key != "checksum"}
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False)
    return CHECKSUM_PREFIX + hashlib.sha256(canonical.encode("ascii")).hexdigest()


# --------------------------------------------------------------------------- reading


def load_text(text: str, *, level_folders: Sequence[Path] = ()) -> tuple[Session, str]:
    """Rebuild the session a save describes; returns it with the level: a shipped level's id as
    the save names it, or the level file the save's name was found as.

    ``level_folders``: folders besides the shipped levels' whose level files a save may name
    (the window's saves folder); a save naming a file anywhere else is refused unopened.

    Raises:
        SaveError: the text is not a save, is truncated, damaged or out of bounds, names an
            unknown level or a file outside those folders, or does not replay to what was saved.
    """
    data, written = _checked(text, level_folders)
    level_ref, played = data["level"], data["turns_played"]
    inside = _level_file(level_ref, level_folders)
    if inside is not None:
        _check_kept_copy(level_ref, inside, level_folders)
    try:
        scenario = load_level(find_level(level_ref if inside is None else str(inside)))
    except ScenarioError as error:
        raise SaveError("save's level {level} cannot be loaded: {problem}", level=short_repr(level_ref, MOST_SHOWN),
                        problem=_what_is_wrong(error)) from None
    if played > scenario.n_turns:
        raise SaveError("save's turns_played {played} is more than its level's {quarters} quarters", played=played,
                        quarters=scenario.n_turns)
    try:
        scenario = with_assumptions(scenario, data["assumptions"])
    except AssumptionError as error:
        raise SaveError("save's {problem}", problem=error) from None
    by_quarter = _actions_by_quarter(data["actions"])
    others = data["played"]
    try:
        session = Session(scenario, seed=data["seed"], others={code: PassiveController() for code in others},
                          budgets=data["budgets"], companies=data["companies"])
    except ValueError as error:  # a nation or a firm the level does not have
        raise SaveError("save's played, companies or budgets: {problem}", problem=error) from None
    try:
        try:
            _replay(session, by_quarter, played, set(data["acting"]), written)
        except (SaveError, KeyboardInterrupt):
            raise
        except Exception as error:  # noqa: BLE001 - whatever stops a replay, the save cannot be opened
            # (a level changed since, or a fault of the game's): listed as unreadable, never a crash
            raise _by_another_version(data) or SaveError("save does not replay: {problem}",
                                                         problem=f"{type(error).__name__}: {error}") from None
        if by_quarter or session.world.turns_done != played or str(session.world.quarter) != data["quarter"]:
            raise _by_another_version(data) or SaveError("save does not replay to the quarter it records")
        replayed_from_a_new_start = written == 1 and bool(scenario.starts_from)
        expected = _fingerprint(session)
        if written < 6:  # its stockpile days were counted otherwise (see _from_version_5)
            expected = expected[:len(FINGERPRINT_BEFORE_6)]
        if not replayed_from_a_new_start and data["fingerprint"] != expected:
            raise _by_another_version(data) or SaveError(
                "save does not match this version of the game (its history replays differently)")
    except BaseException:
        session.close()
        raise
    return session, level_ref if inside is None else str(inside)


def _by_another_version(data: dict[str, Any]) -> SaveError | None:
    """Why a save that does not replay as it records cannot be opened, where another version of
    the game wrote it: that version, and this one (a player can install the other); None where
    this version wrote it (the save, or its level, was changed since)."""
    if data["model_version"] == model_version():
        return None
    return SaveError("save was written by version {written} of the game, and this version ({running}) replays "
                     "it differently: open it with version {written}", written=data["model_version"],
                     running=model_version())


def read_head(text: str, *, level_folders: Sequence[Path] = ()) -> SaveHead:
    """What a save says it is (label, level, quarter), after every check that needs neither its
    level nor a replay: format, version, checksum, the bounds and the type of every field.

    Raises:
        SaveError: as ``load_text`` does for those checks.
    """
    data, written = _checked(text, level_folders)
    return SaveHead(data["label"], data["level"], data["quarter"], written, _level_file(data["level"], level_folders),
                    data["turns_played"])


def level_change(head: SaveHead, level_folders: Sequence[Path]) -> SaveError | None:
    """Why the level a save names is no longer the one it was played on, where that shows
    without a replay (a kept copy of a level of the player's own edited since: what loading it
    refuses first); None if nothing shows it."""
    if head.level_file is None:
        return None
    try:
        _check_kept_copy(head.level, head.level_file, level_folders)
    except SaveError as error:
        return error
    return None


def _level_file(level_ref: str, level_folders: Sequence[Path]) -> Path | None:
    """None for a level id; for a path, the file it points to (links followed, so that a link
    inside the folders to a file outside is outside), once it is known to lie in the shipped
    levels folder or one of ``level_folders``. Reads no file.

    Raises:
        SaveError: control characters or too long, or a path outside those folders.
    """
    if len(level_ref) > MAX_LEVEL_REF or _UNPRINTABLE.search(level_ref):
        raise SaveError("save's level is not a level id or file name (control characters, or over {most} "
                        "characters): {level}", most=MAX_LEVEL_REF, level=short_repr(level_ref, MOST_SHOWN))
    # Every name find_level takes as a path is one here (and ".toml" alone, which it takes as an id
    # and finds no level of): nothing reaches it as an id that it would open as a file.
    if not (level_ref.endswith(".toml") or "/" in level_ref or "\\" in level_ref):
        return None
    resolved = Path(os.path.realpath(level_ref))
    if any(resolved.is_relative_to(os.path.realpath(folder)) for folder in (levels_dir(), *level_folders)):
        return resolved
    # A kept copy is named by its folder in one of ``level_folders`` and its own name: the game
    # writes that much ("lev-629c4533aff9/lev.toml"), and an older save's whole path (or one
    # relative to where the game was started) still finds the copy after the data folder moves.
    named = Path(level_ref.replace("\\", "/"))
    gone = None
    if len(named.parts) >= 2:
        for folder in level_folders:
            candidate = Path(os.path.realpath(Path(folder) / named.parent.name / named.name))
            if candidate.is_relative_to(os.path.realpath(folder)):
                if candidate.is_file():
                    return candidate
                gone = gone or candidate
    if gone is not None and not named.is_absolute():  # what the game writes: the copy's folder and name
        # (It was said to be "a file outside the game's levels folder", which sent a player
        # looking for a fault in the save.)
        raise SaveError("save's level {level} is the copy the game kept of a level of your own, and it is gone from "
                        "{folder} (deleted or moved): the save cannot be played without it",
                        level=short_repr(level_ref, MOST_SHOWN), folder=str(gone.parent.parent))
    if level_folders:
        raise SaveError("save's level {level} is a file outside the game's levels folder or {folders}: a save may "
                        "name a shipped level, or a level file in those folders", level=short_repr(level_ref, MOST_SHOWN),
                        folders=" or ".join(str(folder) for folder in level_folders))
    raise SaveError("save's level {level} is a file outside the game's levels folder: a save may name a shipped "
                    "level, or a level file in that folder", level=short_repr(level_ref, MOST_SHOWN))


def _check_kept_copy(level_ref: str, level_file: Path, level_folders: Sequence[Path]) -> None:
    """Refuse a save whose level is a copy the game kept (game.kept_levels) that was edited
    since: played, it would be another level than the one saved (a world edited failed the
    fingerprint, objectives edited changed the stars in silence).

    Raises:
        SaveError: naming the file of the copy that changed, or that cannot be read.
    """
    copy = level_file.parent
    if not any(copy.parent == Path(os.path.realpath(folder)) for folder in level_folders):
        return  # a level file in a folder the caller trusts, not a copy the game kept
    change = kept_levels.change_since_kept(copy, MAX_FILE_BYTES)
    if change is None:
        return
    level = short_repr(level_ref, MOST_SHOWN)
    if not change.file:
        raise SaveError("save's level {level}: the level's files changed since the save (a file in {folder} was "
                        "edited after the game kept it with the save)", level=level, folder=short_repr(copy.name, MOST_SHOWN))
    file = short_repr(f"{copy.name}/{change.file}", MOST_SHOWN)
    if change.unreadable:
        raise SaveError("save's level {level}: {file} in the copy the game kept with the save cannot be read",
                        level=level, file=file)
    if change.removed:
        raise SaveError("save's level {level}: the level's files changed since the save ({file} was removed from "
                        "the copy the game kept with the save)", level=level, file=file)
    raise SaveError("save's level {level}: the level's files changed since the save ({file} was edited after the "
                    "game kept it with the save)", level=level, file=file)


def _checked(text: str, level_folders: Sequence[Path]) -> tuple[dict[str, Any], int]:
    """The save's content migrated to the current version, every field checked; and the version
    it was written in."""
    data = _parsed(text)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SaveError("not a Rare Earths save file")
    version = data.get("version")
    if type(version) is not int or version not in READABLE_VERSIONS:  # not True, not 1.0: both equal 1
        raise SaveError("save version {version} is not supported (this game reads versions {versions})",
                        version=json.dumps(version) if version is None or isinstance(version, bool)  # as JSON says it
                        else short_repr(version, MOST_SHOWN), versions=", ".join(map(str, READABLE_VERSIONS)))
    unknown = sorted(set(data) - KEYS[version])
    if unknown:
        raise SaveError("save has an unknown key {key} (not in a version-{version} save)",
                        key=short_repr(unknown[0], MOST_SHOWN), version=version)
    missing = sorted(KEYS[version] - OPTIONAL_KEYS - set(data))
    if missing:
        raise SaveError("save has no {key}", key=missing[0])
    if version >= 4 and data["checksum"] != checksum_of(data):
        raise SaveError("save is damaged (checksum does not match)")
    for step in range(version, VERSION):
        data = MIGRATIONS[step](data)
    data = {"label": "", "assumptions": {}, "played": [], "companies": {}, "budgets": {}, "acting": [],
            **data}  # what a save leaves out
    _check_fields(data, level_folders)
    return data, version


def _parsed(text: str) -> Any:
    """The JSON of a save, bounded: size, nesting, the length of numbers; NaN and infinities
    (which JSON does not have) refused."""
    if not isinstance(text, str):
        raise SaveError("not a Rare Earths save file (not text)")
    if len(text) > MAX_SAVE_BYTES:  # a character is at least a byte
        raise SaveError("save is too large (over {mib} MiB)", mib=MAX_SAVE_BYTES // (1024 * 1024))
    if not text.strip():
        raise SaveError("save is empty")
    if json_depth(text) > MAX_DEPTH:
        raise SaveError("save is nested too deeply (more than {most} levels)", most=MAX_DEPTH)
    try:
        return json.loads(text, parse_int=_whole_number, parse_float=_finite_number, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise SaveError("not a readable save (corrupt or truncated at line {line})", line=error.lineno) from None
    except RecursionError:  # within MAX_DEPTH, but called with little of the stack left
        raise SaveError("save is nested too deeply (more than {most} levels)", most=MAX_DEPTH) from None


def _whole_number(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_DIGITS:
        raise SaveError("save holds a whole number of {digits} digits (at most {most})", digits=len(digits.lstrip("-")),
                        most=MAX_DIGITS)
    return int(digits)


def _finite_number(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise SaveError("save holds a number too large to be one: {number}", number=short_repr(text, MOST_SHOWN))
    return value


def _no_constant(name: str) -> float:
    raise SaveError("save holds {name}, which is not a number a save can hold", name=name)


def _check_fields(data: dict[str, Any], level_folders: Sequence[Path]) -> None:
    """Every field of a (migrated) save: its type and its bounds. The level is checked by name
    only; whether it exists, and the turns it has, wait for ``load_text``."""
    label = data["label"]
    # Nor a character no text of the game's may hold (a right-to-left override, a private-use
    # one): the game writes a level's id here, and the Load screen shows it.
    if not isinstance(label, str) or len(label) > MAX_LABEL or _UNPRINTABLE.search(label) \
            or refused_character(label) is not None:
        raise SaveError("save's label is not a line of text of at most {most} characters", most=MAX_LABEL)
    level_ref = data["level"]
    if not isinstance(level_ref, str) or not level_ref:
        raise SaveError("save has no level")
    _level_file(level_ref, level_folders)  # a missing level is reported by load_text, which opens it
    seed = data["seed"]
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise SaveError("save's seed must be a whole number from 0 to 2^63-1, got {seed}", seed=said_back(seed, MOST_SHOWN))
    played = data["turns_played"]
    if isinstance(played, bool) or not isinstance(played, int) or played < 0:
        raise SaveError("save's turns_played must be a whole number from 0, got {played}",
                        played=said_back(played, MOST_SHOWN))
    quarter = data["quarter"]
    try:
        Quarter.parse(quarter)
    except ValueError as error:
        raise SaveError("save's quarter: {problem}", problem=error) from None
    if not isinstance(data["actions"], list) or len(data["actions"]) > played + 1:
        raise SaveError("save's actions must be a list of at most one entry per quarter played ({most})", most=played + 1)
    for i, turn in enumerate(data["actions"]):
        if isinstance(turn, dict) and isinstance(turn.get("actions"), list) and len(turn["actions"]) > MAX_ACTIONS_PER_QUARTER:
            raise SaveError("save's actions[{i}] has more than {most} actions", i=i, most=MAX_ACTIONS_PER_QUARTER)
    version = data["model_version"]
    if not isinstance(version, str) or not version or len(version) > MAX_MODEL_VERSION or _UNPRINTABLE.search(version):
        raise SaveError("save's model_version is not a game version (a line of at most {most} characters)",
                        most=MAX_MODEL_VERSION)
    fingerprint = data["fingerprint"]
    if not isinstance(fingerprint, list) or len(fingerprint) > len(FINGERPRINT) or not all(
            value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)) for value in fingerprint):
        raise SaveError("save's fingerprint must be a list of at most {most} numbers", most=len(FINGERPRINT))
    if not isinstance(data["assumptions"], dict):
        raise SaveError("save's assumptions are not a table of names and values, got {value}",
                        value=said_back(data["assumptions"], MOST_SHOWN))
    others = data["played"]
    if not isinstance(others, list) or len(others) > MAX_PLAYED or not all(_is_code(code) for code in others):
        raise SaveError("save's played is not a list of nation codes")
    acting = data["acting"]
    if not isinstance(acting, list) or len(acting) > MAX_PLAYED or not all(_is_code(code) for code in acting):
        raise SaveError("save's acting is not a list of nation codes")
    companies = data["companies"]
    if not isinstance(companies, dict) or len(companies) > MAX_PLAYED or not all(
            _is_code(code) and isinstance(firms, list) and 0 < len(firms) <= MAX_COMPANY_FIRMS
            and all(_is_firm_id(firm) for firm in firms) for code, firms in companies.items()):
        raise SaveError("save's companies is not a table of company codes and lists of firm ids")
    budgets = data["budgets"]
    if not isinstance(budgets, dict) or len(budgets) > MAX_PLAYED or not all(
            _is_code(code) and isinstance(musd, (int, float)) and not isinstance(musd, bool)
            and 0 <= musd <= MAX_BUDGET_MUSD for code, musd in budgets.items()):
        raise SaveError("save's budgets is not a table of nation codes and sums from 0 to {most}",
                        most=readable_number(MAX_BUDGET_MUSD))


def _what_is_wrong(error: ScenarioError) -> Worded:
    """A level's first problem, in a line, its file by name (the save names the level already);
    with the one it leads to where it is a heading (a level it continues "is invalid:", the
    reason next). The words keep their templates, for a window to say them in its language."""
    said = [_problem_in_file(problem) for problem in error.problems[:2]]
    if said[0].endswith(":") and len(said) > 1:
        return Worded("{heading} {problem}", heading=said[0], problem=said[1])
    return said[0]


def _problem_in_file(problem: Any) -> Worded:
    named = problem.path if isinstance(problem.path, Worded) else Path(problem.path).name if problem.path else ""
    return dataclasses.replace(problem, path=named).worded()


def _is_code(code: Any) -> bool:
    return isinstance(code, str) and 0 < len(code) <= 16 and not _UNPRINTABLE.search(code)


def _is_firm_id(firm: Any) -> bool:
    return isinstance(firm, str) and 0 < len(firm) <= MAX_LEVEL_REF and not _UNPRINTABLE.search(firm)


# --------------------------------------------------------------------------- migrations


def _from_version_1(data: dict[str, Any]) -> dict[str, Any]:
    """Version 2 added ``"assumptions"`` (overrides from ``--set`` or the API): a version-1 save
    was played with none."""
    return {**data, "version": 2, "assumptions": {}}


def _from_version_2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 3 added nations played from outside (``"played"``) and each action's
    ``"nation"``: every action of a version-2 save was Japan's, and nobody else played."""
    actions = data.get("actions")
    if isinstance(actions, list):
        actions = [_with_nations(turn) for turn in actions]
    return {**data, "version": 3, "played": [], "actions": actions}


def _with_nations(turn: Any) -> Any:
    if not isinstance(turn, dict) or not isinstance(turn.get("actions"), list):
        return turn  # refused, with its place, by _actions_by_quarter
    return {**turn, "actions": [{**entry, "nation": entry.get("nation", PLAYER_NATION)} if isinstance(entry, dict)
                                else entry for entry in turn["actions"]]}


def _from_version_3(data: dict[str, Any]) -> dict[str, Any]:
    """Version 4 added the checksum, checked on the text as written (a save from before it has
    none to check); the content is the same."""
    return {**data, "version": 4}


def _from_version_4(data: dict[str, Any]) -> dict[str, Any]:
    """Version 5 added companies played from outside, nations' least budgets and who else acted:
    a version-4 save that needed them did not replay, so one that loads had none."""
    return {**data, "version": 5}


def _from_version_5(data: dict[str, Any]) -> dict[str, Any]:
    """Version 6 counts stockpile days otherwise (over every material the industry needs, by
    value): the same history gives another last figure, so a save's fingerprint keeps the
    figures counted as they were (a save played on must still match them: the history is the
    same)."""
    fingerprint = data["fingerprint"]
    if isinstance(fingerprint, list) and len(fingerprint) == len(FINGERPRINT):
        fingerprint = fingerprint[:len(FINGERPRINT_BEFORE_6)]
    return {**data, "version": 6, "fingerprint": fingerprint}


def _from_version_6(data: dict[str, Any]) -> dict[str, Any]:
    """Version 7 names the game's version that wrote the save: every earlier save was written
    by 0.1.0, the only version there was until saves named it."""
    return {**data, "version": 7, "model_version": VERSION_BEFORE_7}


#: Version n -> version n + 1, each applied in turn to a parsed save older than VERSION.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    1: _from_version_1,
    2: _from_version_2,
    3: _from_version_3,
    4: _from_version_4,
    5: _from_version_5,
    6: _from_version_6,
}


# --------------------------------------------------------------------------- replay


def _replay(session: Session, by_quarter: dict[Quarter, list[tuple[Any, str]]], played: int, acting: set[str],
            written: int) -> None:
    """Submit each quarter's actions and end the turns between; ``acting``: who else may act (see
    VERSION 5), ``written``: the version the save was written in."""
    for turn in range(played + 1):
        session.open_turn()
        taken = by_quarter.pop(session.world.quarter, [])
        if session.is_over and written < 5:
            # Taken after the level's end, which the game allowed before version 5: they changed
            # nothing any save records (the fingerprint is of the last quarter played).
            taken = []
        for action, nation in taken:
            if nation != PLAYER_NATION and nation not in session.others and nation not in session.companies \
                    and nation not in acting:
                raise SaveError("save has an action of {nation}, which nobody plays in it", nation=short_repr(nation, MOST_SHOWN))
            record = session.submit(action, nation=nation)
            if not record.accepted:
                raise SaveError("save does not replay: {action} in {quarter} was refused ({problem})",
                                action=Said(record.action.label), quarter=record.quarter,
                                problem=record.said or record.message)
        if turn == played or session.is_over:
            break
        session.end_turn()


def _actions_by_quarter(turns: list[Any]) -> dict[Quarter, list[tuple[Any, str]]]:
    """(action, nation) by quarter; an action without ``"nation"`` is Japan's."""
    by_quarter: dict[Quarter, list[tuple[Any, str]]] = {}
    for i, turn in enumerate(turns):
        if not isinstance(turn, dict) or not isinstance(turn.get("actions"), list):
            raise SaveError("save's actions[{i}] is not a quarter with a list of actions", i=i)
        try:
            quarter = Quarter.parse(turn.get("quarter"))
            actions = []
            for entry in turn["actions"]:
                entry = dict(entry) if isinstance(entry, dict) else {}
                nation = entry.pop("nation", PLAYER_NATION)
                if not _is_code(nation):
                    raise Refusal("an action's nation must be a nation code, got {nation}",
                                  nation=said_back(nation, MOST_SHOWN))
                actions.append((action_from_dict(entry), nation))
        except ValueError as error:
            raise SaveError("save's actions[{i}]: {problem}", i=i, problem=error) from None
        by_quarter.setdefault(quarter, []).extend(actions)
    return by_quarter


def _fingerprint(session: Session) -> list[float | None]:
    table = session.world.datacollector.model_vars
    if not table or not table.get(FINGERPRINT[0]):
        return []
    return [_rounded(table[column][-1]) for column in FINGERPRINT]


def _rounded(value: float) -> float | None:
    """Twelve significant figures: exact enough to catch a different history, and stable
    through JSON's text form. A value that is not finite is written as null (JSON has no NaN)."""
    if not math.isfinite(value):
        return None
    if value == 0:
        return float(value)
    return float(f"{value:.12g}")
