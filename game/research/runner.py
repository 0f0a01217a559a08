"""``run(level, strategy, seed) -> RunResult``: one headless run, the unit every sweep,
calibration, Gymnasium environment and EMA Workbench experiment shares. ``assumptions={"NAME":
value}`` overrides the world file's and the level's ``[assumptions]`` for the run
(``game.scenario.with_assumptions``).

A result carries what was recorded (a row of indicators per quarter, a row per agent per
quarter, the news) and where it came from (``meta``: the model's version, the level and a digest
of its files, the strategy, the seed and the assumptions set), so a table of results can be
traced back and repeated.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import tomli

from game.package_version import model_version
from game.players import controller_for, strategy_file
from game.quoting import short_repr
from game.scenario import find_level, levels_dir, load_level, with_assumptions
from game.scenario.assumptions import LIST_NAMES, check_value, value_text
from game.session import Session
from game.spec import Scenario
from game.world.model import RareEarthWorld


class Row(dict):
    """A row of a RunResult: a dict that refuses to change, so the result's frames, columns,
    score and stars stay what was run (a row changed in place changed them all). A dict still,
    for pandas, JSON and ``{**row}``; ``dict(row)`` is a copy to change."""

    __slots__ = ()

    def _refused(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("a run's rows are read-only: change a copy of the row (dict(row))")

    __setitem__ = __delitem__ = __ior__ = clear = pop = popitem = setdefault = update = _refused

    def __reduce__(self):  # pickled as a dict's items: unpickling would set them one by one
        return type(self), (dict(self),)

    @classmethod
    def fromkeys(cls, keys: Any, value: Any = None) -> Row:  # (dict's would set them one by one)
        return cls(dict.fromkeys(keys, value))


@dataclass(frozen=True)
class RunResult:
    """One level played headless.

    ``rows``: one read-only dict (``Row``) per quarter played, the indicator columns of
    ``game.world.indicators.REPORTERS`` with the level's running ``score`` and ``stars`` (the last
    row holds the level's result). ``agent_rows``: one per agent per quarter (``quarter``, then
    ``game.world.indicators.AGENT_REPORTERS``). Both are tuples, made so from whatever rows the
    result is given. ``news``: (quarter, kind, headline).
    """

    level: str
    strategy: str
    seed: int
    rows: tuple[dict[str, Any], ...]
    news: tuple[tuple[str, str, str], ...] = field(default=())
    #: What happened to firms: (quarter, firm id, firm name, "bankrupt" or "restarted").
    firm_fates: tuple[tuple[str, str, str, str], ...] = field(default=())
    #: Where the result came from: model_version, level, level_sha256, strategy, strategy_sha256
    #: (of its file; "" for passive, history and bot), seed, assumptions.
    meta: Mapping[str, Any] = field(default_factory=dict)
    agent_rows: tuple[dict[str, Any], ...] = field(default=())
    #: Actions the strategy tried that the level refused: (quarter, action kind, why).
    refused: tuple[tuple[str, str, str], ...] = field(default=())
    #: Why each objective was met or not, one line each (none in a level without objectives).
    reasons: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        for name in ("rows", "agent_rows"):
            rows = getattr(self, name)
            if not (isinstance(rows, tuple) and all(type(row) is Row for row in rows)):
                object.__setattr__(self, name, tuple(row if type(row) is Row else Row(row) for row in rows))

    def column(self, name: str) -> list[Any]:
        return [row[name] for row in self.rows]

    @property
    def score(self) -> float:
        """The level's score, 0-100, over the quarters played."""
        return float(self.rows[-1]["score"]) if self.rows else 0.0

    @property
    def stars(self) -> int:
        return int(self.rows[-1]["stars"]) if self.rows else 0

    def frame(self):
        """The indicators as a pandas DataFrame, a row per quarter (``.attrs["meta"]`` holds ``meta``)."""
        pandas = _pandas()
        table = pandas.DataFrame(list(self.rows))
        table.attrs["meta"] = dict(self.meta)
        return table

    def agents_frame(self):
        """The agents' figures as a pandas DataFrame, a row per agent per quarter."""
        pandas = _pandas()
        table = pandas.DataFrame(list(self.agent_rows))
        table.attrs["meta"] = dict(self.meta)
        return table


def _pandas():
    try:
        import pandas
    except ImportError as error:  # pandas comes with the research extra
        raise ImportError("RunResult.frame() needs pandas: pip install 'rare-earths[research]'") from error
    return pandas


def scenario_for(level: str | Scenario, assumptions: Mapping[str, Any] | None = None) -> Scenario:
    """The level (an id, a level file, or a Scenario) with ``assumptions`` set.

    Raises:
        ScenarioError: no such level, or the file is invalid.
        AssumptionError: an unknown assumption, or a value of the wrong type or range (naming it).
        TypeError: ``level`` is none of those.
    """
    if not isinstance(level, Scenario | str | os.PathLike):
        raise TypeError(f"level: expected a level's id, a level file or a Scenario, got {short_repr(level, 60)}")
    scenario = level if isinstance(level, Scenario) else _load(str(find_level(level)))
    return with_assumptions(scenario, assumptions or {})


def _load(path: str) -> Scenario:
    # A sweep plays the same level thousands of times in one process: read and check it once,
    # and again whenever the level or its world file changes (a researcher editing it between
    # runs must not get the old level under the new file's digest). Scenarios are frozen, so
    # every run can share one.
    return _load_as_of(path, _stamps(_level_files(path)))


@lru_cache(maxsize=32)
def _load_as_of(path: str, stamps: tuple) -> Scenario:
    return load_level(path)


def level_digest(scenario: Scenario) -> str:
    """SHA-256 of what the files the level is made of say: the level, the level it continues (if
    any) and the world file each names, as they are now ("" for a level built in memory).

    Each file counts by its content (``canonical_toml``), not its bytes: a comment, a blank line
    or the order of keys in a table changes no digest, so a scenario code or a results file made
    before such an edit still opens; any change of a value changes it."""
    files = _files_of(scenario)
    return _digest_as_of(_stamps(files)) if files else ""


def level_bytes_digest(scenario: Scenario) -> str:
    """SHA-256 of the bytes of the files ``level_digest`` reads: what scenario codes of packing 1
    and results files of version 2 or earlier recorded, checked as they were made."""
    files = _files_of(scenario)
    return _bytes_digest_as_of(_stamps(files)) if files else ""


def _files_of(scenario: Scenario) -> list[Path]:
    return [f for p in (scenario.path, scenario.starts_from_path) if p and Path(p).is_file()
            for f in _level_files(p)]


def canonical_toml(data: bytes) -> bytes:
    """A TOML file's content in one fixed form: the parsed tables as JSON, keys sorted, ASCII
    only; a date or time as its ISO text (marked, so that it differs from a string saying the
    same). A file that does not parse is its bytes (the level reader says what is wrong with it)."""
    try:
        parsed = tomli.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomli.TOMLDecodeError, RecursionError):
        return data
    return json.dumps(parsed, sort_keys=True, ensure_ascii=True, separators=(",", ":"),
                      default=lambda value: {"toml-datetime": value.isoformat()}).encode("ascii")


@lru_cache(maxsize=64)
def _digest_as_of(stamps: tuple) -> str:
    # Read, parsed and hashed once per version of the files (run() asks for it on every run).
    digest = hashlib.sha256()
    for path, _ in stamps:
        digest.update(canonical_toml(Path(path).read_bytes()) + b"\0")
    return digest.hexdigest()


@lru_cache(maxsize=64)
def _bytes_digest_as_of(stamps: tuple) -> str:
    digest = hashlib.sha256()
    for path, _ in stamps:
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()


def _stamps(files: list[Path]) -> tuple:
    """Each file with what tells a new version of it: (path, (modified ns, size))."""
    stamped = []
    for path in files:
        try:
            stat = path.stat()
        except OSError:
            continue
        stamped.append((str(path), (stat.st_mtime_ns, stat.st_size)))
    return tuple(stamped)


#: The strategies written in the game's code rather than read from a file (history is the
#: level's own [[history]], in the level's digest).
CODED_STRATEGIES = ("passive", "history", "bot")


def strategy_digest(strategy: str) -> str:
    """SHA-256 of the file a strategy plays from, as it is now; "" for those written in code.

    Raises:
        ScenarioError: the strategy names no file that can be read (as ``controller_for``).
    """
    if strategy in CODED_STRATEGIES:
        return ""
    # Read whole every time, as the strategy itself is read for every run: a digest kept by the
    # file's time and size missed an edit that kept both (a level is read and digested by them
    # together, so both stay the level's as it was).
    return hashlib.sha256(strategy_file(strategy).read_bytes()).hexdigest()


def _level_files(level_path: str | Path) -> list[Path]:
    """The level file and the world file it names."""
    level_path = Path(level_path)
    world = _world_file(level_path, _stamps([level_path]))
    return [level_path] if world is None else [level_path, world]


@lru_cache(maxsize=64)
def _world_file(level_path: Path, stamps: tuple) -> Path | None:
    """The world file a level names (found as the level reader finds it), if it can be read;
    read once per version of the level file."""
    try:
        data = tomli.loads(level_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomli.TOMLDecodeError, RecursionError):
        return None  # the level reader says what is wrong (RecursionError: nested too deeply)
    name = data.get("world")
    if not isinstance(name, str) or not name:
        return None
    for folder in (level_path.parent, levels_dir()):
        candidate = folder / f"{name}.toml"
        if candidate.is_file():
            return candidate
    return None


def run(level: str | Scenario, strategy: str = "history", seed: int = 0, assumptions: Mapping[str, Any] | None = None,
        turns: int | None = None, agents: bool = True) -> RunResult:
    """Play a level headless, Japan played by ``strategy``, and return what was recorded.

    Args:
        level: a shipped level's id (``rare-earths levels list``), a level file, or a Scenario.
        strategy: ``history`` (what Japan really did), ``passive``, ``bot``, a shipped
            strategy's name or a strategy file.
        seed: seeds the world's generator: the same level, strategy, seed and assumptions give
            the same result, bit for bit, in any process.
        assumptions: overrides of the ``[assumptions]`` table, e.g. ``{"max_thrift_per_quarter":
            0.05}``; an unknown name or a value of the wrong type or range raises
            ``AssumptionError`` (a ValueError naming the key) before anything runs.
        turns: play only this many quarters (default: the whole level).
        agents: keep a row per agent per quarter (``agent_rows``); without them a run costs
            about 5-9% less (a sweep keeps only the indicators).
    """
    scenario = scenario_for(level, assumptions)
    if isinstance(strategy, Path):
        strategy = str(strategy)
    if not isinstance(strategy, str):
        raise TypeError(f"strategy: expected a strategy's name or file, got {short_repr(strategy, 60)}")
    if turns is not None:
        # A whole number of any kind (NumPy's too), not a bool, a fraction or NaN.
        if isinstance(turns, bool) or not hasattr(turns, "__index__") or not 1 <= turns.__index__() <= scenario.n_turns:
            raise ValueError(f"turns: expected a whole number from 1 to the level's {scenario.n_turns} quarters "
                             f"(or None for all), got {short_repr(turns, 40)}")
        turns = turns.__index__()
    session = Session(scenario, controller_for(strategy, scenario), seed=seed, agent_data=agents)
    try:
        session.run(max_turns=turns)
        news = tuple((str(n.quarter), n.kind, n.headline) for n in session.world.news)
        meta = {"model_version": model_version(), "level": scenario.id, "level_sha256": level_digest(scenario),
                "strategy": strategy, "strategy_sha256": strategy_digest(strategy), "seed": session.seed,
                "assumptions": dict(scenario.assumption_overrides),
                # Quarters played: a run of a level's first quarters has its rows and its stars
                # (judged on what was played), not the whole level's.
                "turns": session.world.turns_done}
        refused = tuple((str(r.quarter), r.action.kind, r.message) for r in session.actions if not r.accepted)
        reasons = tuple(session.result().reasons()) if scenario.objectives else ()
        # The seed as the world took it (a plain int, JSON's), not the object given (a NumPy integer).
        return RunResult(scenario.id, strategy, session.seed, tuple(session.rows()), news, _firm_fates(session.world.news),
                         meta, agent_rows(session.world), refused, reasons)
    finally:
        session.close()


def agent_rows(world: RareEarthWorld) -> tuple[Row, ...]:
    """The agent reporters' rows, quarter by quarter (the quarter named, not Mesa's step)."""
    collector = world.datacollector
    names = list(collector.agent_reporters)
    quarters = collector.model_vars.get("quarter", [])
    rows = []
    # Kept under the row index of the model's reporters (game.world.indicators.QuarterCollector).
    for index, records in sorted(collector._agent_records.items()):
        quarter = quarters[index] if 0 <= index < len(quarters) else str(index)
        rows.extend(Row({"quarter": quarter, **dict(zip(names, record[2:], strict=True))}) for record in records)
    return tuple(rows)


def level_world(level: str = "2010-trawler", strategy: str = "history", seed: int = 0,
                assumptions: Mapping[str, Any] | None = None) -> RareEarthWorld:
    """The level's world at its first turn, with ``strategy`` playing Japan inside its ``step``:
    the model Mesa's own loops expect. ``mesa.batch_run(level_world, {"level": "2010-trawler",
    "strategy": ["history", "bot"], "seed": range(20)}, max_steps=200)`` plays each level to
    its end (``running`` turns False there) and returns the model and agent reporters.

    A factory rather than a subclass because a level may start from the world another level's
    history reaches, which is a copy of that world, not a new one; and because the world itself
    reads no files and knows no strategies.
    """
    if not isinstance(strategy, (str, Path)):  # (None was "object of type 'NoneType' has no len()")
        raise TypeError(f"strategy: expected a strategy's name or file, got {short_repr(strategy, 60)}")
    scenario = scenario_for(level, assumptions)
    session = Session(scenario, controller_for(str(strategy), scenario), seed=seed)
    return session.world  # the world's players hold the session, and the session the world


def setting_cell(name: str, value: Any) -> Any:
    """An assumption set for a run as a results file holds it (a sweep's rows and ``run --out``'s
    alike): a number as it is, a list as its TOML text (``[3, 5]``, what ``--set`` takes back). A
    Parquet column of lists read whole numbers back as floats and could not hold a list of pairs at
    all, and Python's ``(3, 5)`` is no value ``--set`` reads."""
    return value_text(check_value(name, value)) if name in LIST_NAMES else value


def _firm_fates(news) -> tuple[tuple[str, str, str, str], ...]:
    """The firms' failures and rescues among the news (those reported with a ``fate_id``)."""
    fates = []
    for item in news:
        fields = dict(item.fields)
        if "fate_id" in fields:
            fates.append((str(item.quarter), str(fields["firm_id"]), str(fields["firm"]), str(fields["fate_id"])))
    return tuple(fates)
