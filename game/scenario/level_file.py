"""Level files: a world file plus dates, events, contracts, history, objectives and overrides of
the world file's [assumptions]."""

from __future__ import annotations

import dataclasses
import functools
from pathlib import Path

from game.actions import ACTION_TYPES, JAPAN_LEVERS
from game.objectives import DATED_RULES, RULES, star_gap
from game.quoting import Worded, said_back
from game.scenario.assumptions import clash, read_assumptions
from game.scenario.catalogue import levels_dir, shipped_level_paths
from game.scenario.events import DatedTrend, read_events
from game.scenario.fact_citations import check_cited_facts
from game.scenario.file_kinds import KIND_WORDS, kind_of_file
from game.scenario.references import unknown_references
from game.scenario.strategies import read_strategy_turns
from game.scenario.toml_reader import (
    MAX_NUMBER,
    Problem,
    ScenarioError,
    TomlReader,
    is_file,
    is_identifier,
    parse_file,
    text_problem,
)
from game.scenario.world_file import load_world, read_contracts, read_projects
from game.spec import Objective, Scenario, WorldSpec
from game.vocab.indicators import COLUMNS, INDICATOR_RANGES
from game.vocab.quarters import FIRST_YEAR, LAST_YEAR, Quarter

#: The quarters a level may run in. The world looks back one quarter (last quarter's trade) and
#: ahead up to 400 (a research programme, a plant's build or a licence regime can take that long,
#: game.scenario.assumptions.BOUNDS), and the calendar (game.vocab.quarters) runs from 1900 to
#: 2200: a level must leave the world that room on either side.
EARLIEST_START = Quarter(FIRST_YEAR, 1) + 1
LATEST_END = Quarter(LAST_YEAR, 4) - 400


#: The most levels one ``starts_from`` chain may hold. Every level in it is played out to reach
#: the next one's start (the shipped levels continue the sandbox: chains of two); a chain of
#: two hundred ran out of Python's stack after a minute of playing.
MOST_LEVELS_IN_A_CHAIN = 32


class _Cycle(Exception):
    """Levels whose ``starts_from`` lead back to one another; the level being loaded reports it."""

    def __init__(self, names: str):
        super().__init__(names)
        self.names = names


class _ChainTooLong(Exception):
    """More than MOST_LEVELS_IN_A_CHAIN levels continue one another; the level being loaded reports it."""


#: What ``load_level`` says of a world file given as a level (``levels validate`` then checks it as one).
WORLD_FILE_NOT_A_LEVEL = Worded('this is a world file, not a level (levels name a world with world = "...")')

#: What ``_read_starts_from`` gives for a level that continues no history (or a broken ``starts_from``).
_CONTINUES_NOTHING: tuple[str, str, tuple, frozenset[str]] = ("", "", (), frozenset())


def load_level(path: str | Path) -> Scenario:
    """Read and check a level file (and the world file it names, and the level whose history it
    continues); raise ScenarioError listing every problem."""
    return _load_level(Path(path), ())[0]


def _load_level(path: Path, continued_by: tuple[Path, ...]) -> tuple[Scenario, tuple[DatedTrend, ...], frozenset[str]]:
    """``continued_by``: the levels (resolved paths) whose ``starts_from`` led here, to catch a cycle.
    Returns the level, the demand trends that set its world's growth, in date order (those of
    the levels it continues, up to its start, and then its own), and the ids of the projects its
    world may hold: its own and those of the levels it continues (one may still be building)."""
    reader = TomlReader(str(path))
    data = parse_file(path, reader)
    if data is None:
        raise ScenarioError(reader.problems)
    if data.get("kind") == "world":
        reader.problem("kind", WORLD_FILE_NOT_A_LEVEL)
        raise ScenarioError(reader.problems)
    other_kind = kind_of_file(data)
    if other_kind not in ("", "level"):
        words = Worded('a world file (it lacks kind = "world" at its top)') if other_kind == "world" \
            else KIND_WORDS[other_kind]
        reader.problem("", "this is {kind}, not a level (a level has an id, a start, an end and a world)", kind=words)
        raise ScenarioError(reader.problems)
    reader.unknown_keys(data, "", ("id", "kind", "title", "briefing", "start", "end", "world", "sources",
                                   "events", "history", "contracts", "projects", "notes", "objectives",
                                   "unlocked_actions", "starts_from", "assumptions"))
    level_id = reader.identifier(data, "", "id", what=Worded("the level's id"))
    _check_not_a_shipped_id(reader, level_id, path)
    title = reader.localized(data, "", "title")
    briefing = reader.localized(data, "", "briefing", prose=True)
    start = reader.quarter(data, "", "start")
    if start and start < EARLIEST_START:
        reader.problem("start", "{start} is before {earliest}, the earliest a level may start", start=start,
                       earliest=EARLIEST_START)
        start = None
    end = reader.quarter(data, "", "end")
    if end and end > LATEST_END:
        reader.problem("end", "{end} is after {latest}, the latest a level may end (the world looks up to a century "
                              "ahead, and its calendar ends in {last_year})", end=end, latest=LATEST_END, last_year=LAST_YEAR)
        end = None
    if start and end and end < start:
        reader.problem("end", "{end} comes before start {start}", end=end, start=start)
        end = None  # else every event and history turn is also reported as outside the level
    world_name = reader.string(data, "", "world")
    world = None
    if world_name:
        if not is_identifier(world_name):
            reader.problem("world", "expected the id of a world file in the levels folder (lowercase letters, digits, "
                                    "'-' and '_'), got {value}", value=said_back(world_name))
        else:
            world_path = path.parent / f"{world_name}.toml"
            if not is_file(world_path):
                world_path = levels_dir() / f"{world_name}.toml"
            if not is_file(world_path):
                reader.problem("world", "no world file {world!r} next to the level or among the shipped levels",
                               world=world_name)
            else:
                try:
                    world = load_world(world_path)
                except ScenarioError as error:
                    reader.problem("world", "the world file {world!r} is invalid:", world=world_name)
                    reader.problems.extend(error.problems)
    notes_table = reader.table(data, "", "notes", required=False)
    for k, v in notes_table.items():
        if not isinstance(v, str):
            # A key written after [notes] lands inside it (TOML); say so rather than drop it.
            reader.problem(f"notes.{k}", "expected text, got {value} (a key placed after [notes] belongs to it)",
                           value=said_back(v))
        elif not is_identifier(k):
            reader.problem(f"notes.{k}", "a note's name is lowercase letters, digits, '-' and '_'")
        elif trouble := text_problem(v, prose=True):
            reader.problem(f"notes.{k}", trouble)
    notes = {k: v for k, v in notes_table.items() if isinstance(v, str)}
    check_cited_facts(reader, data)
    if world is None:
        raise ScenarioError(reader.problems or [Problem(str(path), "world", "missing")])
    file_world = world  # as its file has it, before the level's own projects and contracts
    firm_by_id = {f.id: f for f in world.firms}
    extra_projects = read_projects(reader, data, firm_by_id)
    reader.check_unique([p.id for p in world.projects] + [p.id for p in extra_projects], "projects", "id")
    if extra_projects:
        world = WorldSpec(**{**world.__dict__, "projects": world.projects + tuple(extra_projects)})
    extra_contracts = read_contracts(reader, data, "contracts", firm_by_id, set(world.nation_codes()))
    # The world's ledger signs each contract by its id, and refuses a second with the same one.
    reader.check_unique([c.id for c in world.contracts] + [c.id for c in extra_contracts], "contracts", "id")
    starts_from, starts_from_path, inherited_trends, inherited_projects = _read_starts_from(
        reader, data, path, start, file_world, continued_by)
    events, trends = read_events(reader, data, world, start, end, inherited_trends)
    history = read_strategy_turns(reader, data, "history", start, end)
    sources = reader.string_list(data, "", "sources")
    objectives = _read_objectives(reader, data, start, end)
    # The level's own [assumptions] override the world file's (any of them; none is required).
    overrides = read_assumptions(reader, data, required=False)
    clashing = None if world is None else clash({**dataclasses.asdict(world.assumptions), **overrides}, set(overrides))
    if clashing is not None:
        reader.problem(clashing.key, clashing.message)
    unlocked = reader.string_list(data, "", "unlocked_actions")
    for i, kind in enumerate(unlocked):
        if kind not in ACTION_TYPES:  # Japan's are the levers a level unlocks (the others are refused below)
            reader.problem(f"unlocked_actions[{i}]", "unknown action {kind!r} (expected one of {kinds})", kind=kind,
                           kinds=", ".join(JAPAN_LEVERS))
        elif kind not in JAPAN_LEVERS:  # an exporter's, a state's, a company's or the facilitator's
            reader.problem(f"unlocked_actions[{i}]", "{kind!r} is not one of Japan's levers, which a level unlocks "
                                                     "(expected one of {kinds})", kind=kind, kinds=", ".join(JAPAN_LEVERS))
    reader.check_distinct(unlocked, "unlocked_actions")
    _check_history_unlocked(reader, data, unlocked)
    gap = star_gap(objectives)
    if gap:
        reader.problem("objectives", gap)
    # The level's own history names what its world has, as a strategy file must; said with the
    # level's other problems, so that `levels validate` lists them all at once.
    projects = inherited_projects | {project.id for project in world.projects}  # what its world may hold
    reader.problems.extend(unknown_references(str(path), history, world, projects, "history"))
    if reader.problems:
        raise ScenarioError(reader.problems)
    world = WorldSpec(**{**world.__dict__, "contracts": world.contracts + tuple(extra_contracts)})
    scenario = Scenario(id=level_id, title=title, briefing=briefing, start=start, end=end, world=world,
                        events=tuple(events), history=history, sources=sources,
                        assumptions=dataclasses.replace(world.assumptions, **overrides), path=str(path), notes=notes,
                        objectives=tuple(objectives), unlocked_actions=unlocked, starts_from=starts_from,
                        starts_from_path=starts_from_path, project_ids=projects)
    return scenario, trends, projects


def _check_not_a_shipped_id(reader: TomlReader, level_id: str, path: Path) -> None:
    """A level outside the shipped folder may not take a shipped level's id: stars, saves and the
    campaign know a level by its id, so a copy would score for the level it is named after."""
    if not level_id or level_id not in _shipped_level_ids():
        return
    try:
        shipped = path.resolve().parent == levels_dir().resolve()
    except (OSError, RuntimeError):
        shipped = False
    if shipped:
        return
    differs = _how_a_copy_differs(path, level_id)
    if differs:
        reader.problem("id", "{level!r} is the id of a shipped level{differs}: a level of your own needs an id of its "
                             "own (stars and saves know a level by its id)", level=level_id, differs=differs)


def _how_a_copy_differs(path: Path, level_id: str) -> str | Worded:
    """"" where ``path`` is the shipped level ``level_id`` byte for byte, beside world files that
    are the shipped ones too (where it has them): a clone's ``levels/`` read by the installed
    command, which plays the shipped level exactly and so scores as that level. Else what
    differs, where it is only a world file beside it (", and this is its file, but world-2010.toml
    beside it is not the shipped one"): the copy itself was blamed, though it was unchanged."""
    shipped = levels_dir()
    try:
        if _as_text(path) != _as_text(shipped / f"{level_id}.toml"):
            return Worded(" (this copy differs from it)")
        for world in sorted(shipped.glob("world-*.toml")):
            beside = path.parent / world.name
            if beside.exists() and _as_text(beside) != _as_text(world):
                return Worded(", and this is its file, but {world} beside it is not the shipped one", world=world.name)
    except (OSError, RuntimeError):
        return Worded(" (its file cannot be compared with this one)")
    return ""


def _as_text(path: Path) -> bytes:
    """A file's bytes as a TOML reader reads them: a clone made on Windows has CRLF line ends
    (and an editor may add a byte-order mark), which change no value."""
    return path.read_bytes().removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n")


@functools.cache
def _shipped_level_ids() -> frozenset[str]:
    """The shipped levels' ids (their files' names), looked up once: they do not change while the game runs."""
    return frozenset(p.stem for p in shipped_level_paths())


def _read_starts_from(reader: TomlReader, data: dict, path: Path, start: Quarter | None, world: WorldSpec,
                      continued_by: tuple[Path, ...]) -> tuple[str, str, tuple[DatedTrend, ...], frozenset[str]]:
    """``starts_from``: the id of the level whose history this one continues, found next to the
    level or among the shipped ones; it must be a valid level in the same world, running through
    this level's start, and not lead back here. Returns (id, path, the demand trends of its
    history before this level's start, the ids of the projects its history's worlds hold) or
    ("", "", (), frozenset())."""
    if "starts_from" not in data:
        return _CONTINUES_NOTHING
    name = reader.string(data, "", "starts_from")
    if not name:
        return _CONTINUES_NOTHING
    if not is_identifier(name) or name.startswith("world-") or name == "campaign":
        reader.problem("starts_from", "expected the id of a level in the levels folder, got {value}", value=said_back(name))
        return _CONTINUES_NOTHING
    found = path.parent / f"{name}.toml"
    if not is_file(found):
        found = levels_dir() / f"{name}.toml"
    if not is_file(found):
        reader.problem("starts_from", "no level {level!r} next to the level or among the shipped levels", level=name)
        return _CONTINUES_NOTHING
    chain = (*continued_by, path.resolve())
    if found.resolve() in chain:
        names = " -> ".join(p.stem for p in chain[chain.index(found.resolve()):]) + f" -> {name}"
        if continued_by:
            raise _Cycle(names)
        reader.problem("starts_from", "level {level!r} is this level: a cycle ({levels})", level=name, levels=names)
        return _CONTINUES_NOTHING
    if continued_by and len(chain) >= MOST_LEVELS_IN_A_CHAIN:
        raise _ChainTooLong()  # the level at the chain's top reports it
    try:
        history, history_trends, history_projects = _load_level(found, chain)
    except _Cycle as cycle:
        if continued_by:
            raise
        reader.problem("starts_from", "level {level!r} leads into a cycle of levels continuing one another's history "
                                      "({levels})", level=name, levels=cycle.names)
        return _CONTINUES_NOTHING
    except _ChainTooLong:
        if continued_by:
            raise
        reader.problem("starts_from", "level {level!r} leads into a chain of more than {most} levels continuing one "
                                      "another's history", level=name, most=MOST_LEVELS_IN_A_CHAIN)
        return _CONTINUES_NOTHING
    except ScenarioError as error:
        reader.problem("starts_from", "the level {level!r} whose history this level continues is invalid:", level=name)
        reader.problems.extend(error.problems)
        return _CONTINUES_NOTHING
    if start is not None and not history.start <= start <= history.end:
        reader.problem("starts_from", "level {level!r} runs from {first} to {last}, which does not cover this level's "
                                      "start {start}", level=name, first=history.start, last=history.end, start=start)
        return _CONTINUES_NOTHING
    if history.world.id != world.id:
        reader.problem("starts_from", "level {level!r} is played in world {its_world!r}, this level in {world!r}: a "
                                      "level continues a history in the same world", level=name,
                       its_world=history.world.id, world=world.id)
        return _CONTINUES_NOTHING
    if not _same_world(world, history.world):
        # The level plays on in the world the history built, so its events and projects must name
        # what is there: a world file of its own under the same id (a nation or firm more) passed
        # every check against that file and then failed mid-game, and its other changes did nothing.
        reader.problem("starts_from", "level {level!r} is played in a world file {world!r} that differs from this "
                                      "level's: a level continues a history in the same world file", level=name,
                       world=world.id)
        return _CONTINUES_NOTHING
    return name, str(found), tuple(t._replace(where="starts_from", via=t.via or Worded("{where} of level {level!r}", where=t.where, level=name))
                                      for t in history_trends if start is None or t.since < start), history_projects


def _same_world(world: WorldSpec, history_world: WorldSpec) -> bool:
    """Whether ``world`` (a level's world file) is the world ``history_world`` was built from: the
    same in all but the projects and contracts the history's level added of its own."""
    projects, contracts = set(history_world.projects), set(history_world.contracts)
    return (dataclasses.replace(world, projects=(), contracts=())
            == dataclasses.replace(history_world, projects=(), contracts=())
            and set(world.projects) <= projects and set(world.contracts) <= contracts)


def _check_history_unlocked(reader: TomlReader, data: dict, unlocked: list[str]) -> None:
    """The level's own history may take only levers the level unlocks: it passed validation and
    then every run of it refused the lever ("is not unlocked in this level")."""
    if not unlocked or not isinstance(data.get("history"), list):
        return
    for t, turn in enumerate(data["history"]):
        actions = turn.get("actions") if isinstance(turn, dict) else None
        for a, action in enumerate(actions if isinstance(actions, list) else ()):
            kind = action.get("kind") if isinstance(action, dict) else None
            # (a lever that is not Japan's is said as such by the strategy reader, once)
            if isinstance(kind, str) and kind in JAPAN_LEVERS and kind not in unlocked:
                reader.problem(f"history[{t}].actions[{a}].kind", "{kind!r} is not among the level's unlocked_actions: "
                                                                  "the level would refuse its own history", kind=kind)


def _read_objectives(reader: TomlReader, data: dict, start: Quarter | None, end: Quarter | None) -> list[Objective]:
    # the recorded indicators an objective can judge
    numeric = [c for c in COLUMNS if c not in ("turn", "quarter", "score", "stars")]
    objectives = []
    for key, item in reader.array_of_tables(data, "", "objectives"):
        reader.unknown_keys(item, key, ("id", "text", "indicator", "rule", "threshold", "star", "by", "start",
                                        "end", "source"))
        rule = reader.string(item, key, "rule", choices=RULES)
        by = reader.quarter(item, key, "by", default=Quarter(2000, 1) if rule not in DATED_RULES else None)
        span_start = reader.quarter(item, key, "start", default=start or Quarter(2000, 1))
        span_end = reader.quarter(item, key, "end", default=end or Quarter(2000, 1))
        for name, quarter in (("by", by if rule in DATED_RULES else None), ("start", span_start if "start" in item else None),
                              ("end", span_end if "end" in item else None)):
            if quarter and start and end and not start <= quarter <= end:
                reader.problem(f"{key}.{name}", "{quarter} falls outside the level ({start} to {end})", quarter=quarter,
                               start=start, end=end)
        if "start" in item and "end" in item and span_start and span_end and span_end < span_start:
            reader.problem(f"{key}.end", "{end} comes before the objective's start {start}", end=span_end,
                           start=span_start)
        # What the rule does not read was accepted and left unused: an average judged over the
        # whole level with a 'by' its author thought limited it.
        if rule in DATED_RULES:
            for name in ("start", "end"):
                if name in item:
                    reader.problem(f"{key}.{name}", "{rule} is judged at its quarter 'by' alone: leave {name} out",
                                   rule=rule, name=name)
        elif rule and "by" in item:
            reader.problem(f"{key}.by", "{rule} is judged over a span (start to end, the whole level if not given): "
                                        "leave by out", rule=rule)
        objective_id, text = reader.identifier(item, key, "id"), reader.localized(item, key, "text")
        indicator = reader.string(item, key, "indicator", choices=numeric)
        low, high = INDICATOR_RANGES.get(indicator, (None, None))
        objectives.append(Objective(
            id=objective_id,
            text=text,
            indicator=indicator,
            rule=rule,
            threshold=reader.number(item, key, "threshold", low=-MAX_NUMBER if low is None else low,
                                    high=MAX_NUMBER if high is None else high),
            star=reader.integer(item, key, "star", low=1, high=3),
            by=by if rule in DATED_RULES else None,
            start=span_start if "start" in item else None,
            end=span_end if "end" in item else None,
        ))
    reader.check_unique([o.id for o in objectives], "objectives", "id")
    return objectives

