"""Sweeps: every combination of strategies, seeds and assumption settings of one level, played
through ``game.research.run`` on worker processes or a Dask cluster, streamed to disk as they
finish, and put together into one Parquet or CSV file in a fixed order.

- ``plan_sweep`` checks everything a sweep is given (the level, each strategy, the seeds, each
  setting and every combination of them, the output file) before any run starts, and says what
  is wrong in one line naming the key.
- ``execute`` plays the runs not done yet. Finished runs go to ``OUT.parts/`` (one file per batch,
  each written whole and then moved into place), so a sweep that is stopped keeps what it
  finished and ``resume=True`` skips it. At the end the parts become ``OUT``, ordered by run, so
  the file is the same whichever executor ran it, in whatever order, and whether or not it was
  stopped and resumed.

The file is long: a row per run per quarter. Columns: ``run`` (the run's place in the plan),
``level``, ``strategy``, ``seed``, ``assumptions.NAME`` for each swept setting (a list as its
TOML text, ``[3, 5]``), ``model_version``, ``level_sha256``, then the indicators of ``game.world.indicators.REPORTERS``
(``turn`` and ``quarter`` first) and the level's running ``score`` and ``stars``.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import ipaddress
import itertools
import json
import logging
import math
import multiprocessing
import numbers
import os
import re
import shutil
import signal
import socket
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from game.action_base import first_repeated
from game.json_depth import too_deep
from game.players import controller_for, strategy_file
from game.interrupts import (
    ctrl_c_handled_by,
    other_stop_signals,
    signals_held,
    stop_signals_handled_by,
    stop_signals_once,
)
from game.quoting import short_repr, utf8_text
from game.research.runner import (
    CODED_STRATEGIES,
    level_digest,
    model_version,
    run,
    scenario_for,
    setting_cell,
    strategy_digest,
)
from game.whole_files import write_whole, write_whole_with
from game.scenario import ScenarioError
from game.scenario.assumptions import NAMES as ASSUMPTION_NAMES
from game.scenario.assumptions import LIST_NAMES, AssumptionError, check_value, parse_setting, unknown_message
from game.vocab.seeds import MAX_SEED, checked_seed
from game.world.indicators import REPORTERS

#: The prefix of a swept assumption's column and of its ``--set`` key.
SETTING_PREFIX = "assumptions."
#: The most runs one sweep may plan (a typo like 0-99999999 is refused, not started). A plan of ten
#: million held 2 GB before its first run finished; a million, some 250 MB (weeks of runs here).
MAX_RUNS = 1_000_000
#: The longest strategy name a sweep's results hold (plot's MOST_LABEL_CHARACTERS: it labels charts).
MOST_STRATEGY_NAME = 200
#: Where a Dask scheduler listens when its address names no port.
DASK_SCHEDULER_PORT = 8786
#: Seconds to wait for a scheduler to connect and to greet. A Dask scheduler writes its
#: handshake as soon as it accepts a connection; Dask's client waits for it without a limit.
SCHEDULER_ANSWER_SECONDS = 10.0
FORMATS = (".parquet", ".csv")
#: Notices of a sweep that goes on (a cluster with no workers yet); the command line prints them.
log = logging.getLogger(__name__)
#: Indicators the summary gives for each group, from each run: (label, column, how).
SUMMARY_INDICATORS = (("min output", "japan_output_index", min),
                      ("mean output", "japan_output_index", lambda values: sum(values) / len(values)),
                      ("final China share", "japan_china_share", lambda values: values[-1]),
                      ("peak NdPr US$/kg", "price_ndpr_japan", max))


class SweepError(ValueError):
    """A sweep that cannot start or go on, with one line saying why."""


@dataclass(frozen=True)
class PlannedRun:
    index: int
    strategy: str
    seed: int
    settings: tuple[tuple[str, Any], ...]  # (assumption name, value), in the plan's order


@dataclass(frozen=True)
class SweepPlan:
    """What a sweep plays: ``level`` × ``settings`` × ``strategies`` × ``seeds``, in that order."""

    level: str
    strategies: tuple[str, ...]
    seeds: tuple[int, ...]
    settings: tuple[tuple[str, tuple[Any, ...]], ...] = ()
    level_sha256: str = ""
    model_version: str = field(default_factory=model_version)
    #: Each strategy's file's SHA-256 ("" for passive, history and bot), in ``strategies``' order:
    #: a strategy file edited between a stop and --resume mixed two strategies under one name.
    strategy_sha256: tuple[str, ...] = ()
    #: Whether the level has objectives: one without them scores every run 0 with no stars, and
    #: its summary leaves the two out rather than print "score mean 0 (0-0)".
    scored: bool = True

    @property
    def size(self) -> int:
        return math.prod(len(values) for _, values in self.settings) * len(self.strategies) * len(self.seeds)

    def runs(self) -> Iterator[PlannedRun]:
        names = [name for name, _ in self.settings]
        index = 0
        for values in itertools.product(*(values for _, values in self.settings)):
            for strategy in self.strategies:
                for seed in self.seeds:
                    yield PlannedRun(index, strategy, seed, tuple(zip(names, values, strict=True)))
                    index += 1

    def columns(self) -> list[str]:
        """The file's columns, in order."""
        return (["run", "level", "strategy", "seed"] + [SETTING_PREFIX + name for name, _ in self.settings]
                + ["model_version", "level_sha256"] + list(REPORTERS) + ["score", "stars"])

    def describe(self) -> dict:
        """The plan as JSON-safe data (kept beside the parts, to check a resumed sweep is the same)."""
        return {"level": self.level, "strategies": list(self.strategies), "seeds": _seed_ranges(self.seeds),
                "settings": [[name, list(values)] for name, values in self.settings],
                "level_sha256": self.level_sha256, "model_version": self.model_version,
                "strategy_sha256": list(self.strategy_sha256)}


# --------------------------------------------------------------------------- checking what is asked


def parse_seeds(text: str) -> tuple[int, ...]:
    """``0-999``, ``7`` or ``1,5,9`` (or a mix: ``0-9,20``) -> the seeds, in order, no repeats.
    Digits are 0-9 only (not another script's, nor ``1_000``)."""
    if not text.strip():
        raise SweepError("--seeds: no seeds given (expected FIRST-LAST, a seed or a list like 1,5,9)")
    seeds: list[int] = []
    for part in text.split(","):
        part = part.strip()
        if not part:  # ("got ''" said nothing of where)
            raise SweepError(f"--seeds: {short_repr(text, 60)} has an empty item (a comma at an end, or two together)")
        match = re.fullmatch(r"([0-9]+)\s*-\s*([0-9]+)", part) or re.fullmatch(r"([0-9]+)", part)
        if match is None and re.match(r"-\s*0*[1-9]", part):  # ("-0" is no seed below 0: a seed mistyped)
            raise SweepError(f"--seeds: {short_repr(part, 60)} starts below 0: a seed is a whole number from 0, in a "
                             "range like 0-999, a list like 1,5,9 or both")
        if match is None:
            raise SweepError(f"--seeds: expected FIRST-LAST, a seed or a list like 1,5,9 (seeds are >= 0), "
                             f"got {short_repr(part, 60)}")
        first, last = (_seed(group) for group in (match.group(1), match.group(match.lastindex)))
        if last < first:
            raise SweepError(f"--seeds: {part!r} runs backwards (write {last}-{first})")
        if last - first + 1 > MAX_RUNS:
            raise SweepError(f"--seeds: {part!r} is {last - first + 1:,} seeds, more than {MAX_RUNS:,}")
        seeds.extend(range(first, last + 1))
        if len(seeds) > MAX_RUNS:
            raise SweepError(f"--seeds: more than {MAX_RUNS:,} seeds")
    twice = first_repeated(seeds)
    if twice is not None:
        raise SweepError(f"--seeds: seed {twice} is given twice")
    return tuple(seeds)


def _seed(digits: str) -> int:
    # Checked by length first: int() refuses more than 4,300 digits, and the message quotes none.
    if len(digits) > len(str(MAX_SEED)) or int(digits) > MAX_SEED:
        raise SweepError(f"--seeds: {short_repr(digits, 60)} is too large (seeds go up to {MAX_SEED})")
    return int(digits)


def parse_setting_values(text: str) -> tuple[str, tuple[Any, ...]]:
    """``NAME=v1,v2`` or ``assumptions.NAME=v1,v2`` -> (NAME, (v1, v2)), each value checked
    against the assumption's type and range."""
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key or not raw.strip():
        raise SweepError(f"--set: expected NAME=VALUE[,VALUE...], got {text!r}")
    name = key.removeprefix(SETTING_PREFIX)
    if name not in ASSUMPTION_NAMES:
        raise SweepError(f"--set: {SETTING_PREFIX}{name}: {unknown_message(name)}")
    values = []
    # A list-valued assumption ([a, b]) holds commas of its own: split only outside brackets.
    for piece in _split_outside_brackets(raw):
        if not piece.strip():  # ("no value after '='" pointed at the '=', not between the commas)
            raise SweepError(f"--set: {SETTING_PREFIX}{name}: {short_repr(raw.strip(), 60)} has an empty value "
                             "(a comma at an end, or two together)")
        try:
            values.append(parse_setting(f"{SETTING_PREFIX}{name}={piece.strip()}")[1])
        except AssumptionError as error:
            raise SweepError(f"--set: {error}") from None
    if len(set(map(repr, values))) != len(values):
        raise SweepError(f"--set: {SETTING_PREFIX}{name}: a value is given twice")
    return name, tuple(values)


def _split_outside_brackets(text: str) -> list[str]:
    pieces, depth, current = [], 0, []
    for ch in text:
        if ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
        if ch == "," and depth == 0:
            pieces.append("".join(current))
            current = []
        else:
            current.append(ch)
    pieces.append("".join(current))
    return pieces


def plan_sweep(level: str, strategies: Sequence[str], seeds: Sequence[int],
               settings: Sequence[tuple[str, Sequence[Any]]] = ()) -> SweepPlan:
    """Check a sweep before it starts: the level loads, every strategy is one it can be played
    by, and every combination of settings is a world the level accepts."""
    if not isinstance(level, (str, os.PathLike)):
        raise SweepError(f"--level: {short_repr(level, 60)} is not a level's id or file")
    try:
        scenario = scenario_for(level)
    except ScenarioError as error:
        raise SweepError(f"--level: {error.problems[0]}") from None
    # Any iterables (a generator too), read once; each seed as a world takes it. A string is
    # one name, not a list of letters (a strategy "passive" was seven strategies).
    for option, given in (("--strategies", strategies), ("--seeds", seeds), ("--set", settings)):
        if isinstance(given, (str, bytes)) or not isinstance(given, Iterable):
            raise SweepError(f"{option}: expected a list, got {short_repr(given, 60)}")
    strategies, seeds = tuple(strategies), tuple(seeds)
    settings = tuple(_setting(entry) for entry in (settings.items() if isinstance(settings, Mapping) else settings))
    for seed in seeds:
        try:
            checked_seed(seed)
        except ValueError as error:
            raise SweepError(f"--seeds: {error}") from None
    twice = first_repeated(int(seed) for seed in seeds)  # (the command line's --seeds refuses it too)
    if twice is not None:
        raise SweepError(f"--seeds: seed {twice} is given twice")
    for name, values in settings:
        if not values:
            raise SweepError(f"--set: {name} is given no values (a sweep over it would have no runs)")
    # Each value as its field holds it, as --set reads it: an int given for a float was written
    # "0" where the command line's sweep wrote "0.0", and the two plans differed.
    try:
        settings = tuple((name, tuple(check_value(name, value) for value in values)) for name, values in settings)
    except AssumptionError as error:
        raise SweepError(f"--set: {error}") from None
    for name, values in settings:
        # Equal values (1 and 1.0 too) are one world run twice: its runs counted twice in the summary.
        if any(value in values[:k] for k, value in enumerate(values)):
            raise SweepError(f"--set: {SETTING_PREFIX}{name}: a value is given twice")
    if not strategies:
        raise SweepError("--strategies: give at least one (history, passive, bot, or a strategy's name or file)")
    if len(set(strategies)) != len(strategies):
        raise SweepError("--strategies: a strategy is given twice")
    digests: list[str] = []
    files: dict[str, str] = {}  # each strategy file's real path, and the name it was given by
    for strategy in strategies:
        if not isinstance(strategy, str):
            raise SweepError(f"--strategies: {short_repr(strategy, 60)} is not a strategy's name or file")
        if utf8_text(strategy) != strategy:  # a file name's bytes that are not UTF-8: the results name it
            raise SweepError(f"--strategies: {short_repr(strategy, 60)}: the name is not UTF-8 text, which the "
                             "results file cannot hold; rename the file")
        if re.search(r"[\x00-\x1f\x7f-\x9f]", strategy) or len(strategy) > MOST_STRATEGY_NAME:
            # (the results name it in every row, and plot labels its charts with it)
            raise SweepError(f"--strategies: {short_repr(strategy, 60)}: a name with control characters (a new line) "
                             f"or longer than {MOST_STRATEGY_NAME} characters cannot label the results; rename the file")
        try:
            controller_for(strategy, scenario)
            digests.append(strategy_digest(strategy))
        except ScenarioError as error:
            raise SweepError(f"--strategies: {strategy}: {error.problems[0].message}") from None
        if strategy not in CODED_STRATEGIES:  # one file by two names would be two strategies of one
            where = os.path.realpath(strategy_file(strategy))
            same = files.get(where)
            if same is not None:
                raise SweepError(f"--strategies: {same} and {strategy} are the same file; give it once")
            files[where] = strategy
    if not seeds:
        raise SweepError("--seeds: no seeds")
    names = [name for name, _ in settings]
    twice = next((name for k, name in enumerate(names) if name in names[:k]), None)
    if twice is not None:
        raise SweepError(f"--set: assumptions.{twice} is set twice")
    plan = SweepPlan(scenario.id, tuple(strategies), tuple(seeds),
                     tuple((name, tuple(values)) for name, values in settings), level_digest(scenario),
                     strategy_sha256=tuple(digests), scored=bool(scenario.objectives))
    if plan.size > MAX_RUNS:
        raise SweepError(f"the sweep is {plan.size:,} runs, more than {MAX_RUNS:,}")
    for values in itertools.product(*(values for _, values in settings)):
        try:
            scenario_for(scenario, dict(zip(names, values, strict=True)))
        except AssumptionError as error:
            raise SweepError(f"--set: {error}") from None
    return replace_level(plan, level)


def _setting(entry: object) -> tuple[str, tuple]:
    """One ``(assumption, values)`` pair of a sweep's settings, checked."""
    if not (isinstance(entry, tuple | list) and len(entry) == 2 and isinstance(entry[0], str)
            and isinstance(entry[1], Iterable) and not isinstance(entry[1], (str, bytes))):
        raise SweepError(f"--set: each setting is an assumption's name and a list of its values, "
                         f"got {short_repr(entry, 60)}")
    return entry[0], tuple(entry[1])


def replace_level(plan: SweepPlan, level: str) -> SweepPlan:
    """The plan with the level as the user named it (an id or a file), which workers load."""
    return replace(plan, level=level)


def check_output(path: Path | str, resume: bool) -> Path:
    """The output file: a .parquet or .csv in a folder that exists, not there already unless
    resuming, and writable."""
    if not isinstance(path, (str, os.PathLike)):
        raise SweepError(f"--out: {short_repr(path, 60)} is not a file name")
    # The file as it was named (the command line keeps what was typed: "s3.csv/", "./l1.csv"),
    # for the messages about the file itself.
    named = repr(str(getattr(path, "typed", "") or path))
    path = Path(path)
    if path.suffix.lower() not in FORMATS:
        raise SweepError(f"--out: {named}: expected a .parquet or .csv file")
    if not path.parent.is_dir():
        raise SweepError(f"--out: {path.parent}: no such folder")
    if not os.access(path.parent, os.W_OK):
        raise SweepError(f"--out: {path.parent}: the folder is not writable")
    parts = parts_dir(path)
    if parts.exists() and not parts.is_dir():
        raise SweepError(f"--out: {parts} is in the way: a file where the sweep keeps its finished runs in a "
                         "folder; move it or choose another --out")
    if parts.is_dir() and _being_written(parts):  # --resume is no answer then either
        raise SweepError(f"--out: another sweep is writing to {parts}; wait for it or stop it")
    if not resume and parts.exists():
        raise SweepError(f"--out: {parts} exists, a stopped sweep's finished runs: add --resume to go on with it, "
                         "or remove it")
    if path.exists() and not parts.exists():
        # Said the same with --resume or without: "add --resume" led only to this.
        raise SweepError(f"--out: {named} is a finished sweep already, or another file (nothing to resume: no "
                         f"{parts.name} beside it); choose another --out, or remove it")
    if path.suffix.lower() == ".parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise SweepError("--out: writing Parquet needs pyarrow: pip install 'rare-earths[research]' "
                             "(or write a .csv)") from None
    return path


def _being_written(folder: Path) -> bool:
    """Whether a sweep holds the lock of the finished runs' folder now (``PartStore._lock``)."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks
        return False
    try:
        handle = open(folder / "lock", "rb")  # noqa: SIM115 - closed below; never made here
    except OSError:
        return False
    with handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        return False


def parts_dir(path: Path) -> Path:
    return path.with_name(path.name + ".parts")


#: A sweep's plan.json is a few hundred bytes (seeds are kept as ranges); a larger one is not ours.
MAX_PLAN_BYTES = 1_000_000
#: What each key of a plan (``SweepPlan.describe``) holds, as JSON reads it: text or a list.
#: strategy_sha256 may be missing (a plan from before strategy files were digested).
_PLAN_KEYS = {"level": str, "strategies": list, "seeds": list, "settings": list, "level_sha256": str,
              "model_version": str, "strategy_sha256": list}
_PLAN_OPTIONAL_KEYS = {"strategy_sha256"}


def _read_plan(plan_file: Path) -> dict[str, Any]:
    """The plan kept beside the parts of a stopped sweep, checked: a regular file of JSON holding
    a table, else SweepError saying the runs there cannot be trusted."""
    problem = None
    try:
        if not plan_file.is_file():  # a pipe would wait for a writer forever
            problem = "missing or not a regular file"
        else:
            with open(plan_file, "rb") as handle:
                raw = handle.read(MAX_PLAN_BYTES + 1)
            text = raw.decode("utf-8") if len(raw) <= MAX_PLAN_BYTES else None
            kept = json.loads(text) if text is not None and not too_deep(text) else None
            if not isinstance(kept, dict):
                problem = "not a sweep's plan"
            else:
                problem = _plan_damage(kept)
    except (OSError, ValueError, RecursionError) as error:  # UnicodeDecodeError and JSON's are ValueErrors
        problem = f"unreadable ({_read_problem(error)})"
    if problem:
        raise SweepError(f"--resume: {plan_file} is {problem}, so the runs there cannot be trusted; remove the "
                         "folder to start again")
    return kept


#: What a plan holds that the researcher asked for (the rest are digests and the version).
_ASKED = ("level", "strategies", "seeds", "settings")


def _plan_value(value: Any) -> str:
    """A plan's value as the command line gives it: "history, passive", "0-5", "max_thrift_per_quarter=0.02,0.05"."""
    if isinstance(value, list) and all(isinstance(item, list) and len(item) == 2 for item in value):
        shown = "; ".join(f"{name}={','.join(map(str, values)) if isinstance(values, list) else values}"
                          for name, values in value)
    elif isinstance(value, list):
        shown = ", ".join(map(str, value))
    else:
        shown = str(value)
    return short_repr(shown or "none", 60).strip("'\"")


def _plan_damage(kept: dict) -> str | None:
    """What makes a table read from plan.json other than a plan as a sweep writes it: a key
    missing or unknown, or a value of another kind (said as such, not as another sweep's)."""
    missing = sorted(set(_PLAN_KEYS) - _PLAN_OPTIONAL_KEYS - set(kept))
    if missing:
        return f"damaged (it has no {missing[0]})"
    unknown = sorted(set(kept) - set(_PLAN_KEYS))
    if unknown:
        return f"damaged (it has an unknown key {short_repr(unknown[0], 40)})"
    for key, kind in _PLAN_KEYS.items():
        if key in kept and not isinstance(kept[key], kind):
            return f"damaged (its {key} is not {'text' if kind is str else 'a list'})"
    return None


# --------------------------------------------------------------------------- executors


def worker_start_method() -> str:
    """How local worker processes start: forked from this one where the platform can and this
    process runs no other Python thread (the cheapest: spawning would start each worker by
    importing everything again). A process with other threads (a notebook's kernel, a Dask
    client) is not forked: a child forked while another thread holds a lock can hang, which is
    why Python 3.12 warns of it (counting threads as ``threading.active_count`` does) and 3.14
    stopped forking by default. Its workers come from a fork server instead, or are spawned
    where there is none; a script that starts them then needs the usual
    ``if __name__ == "__main__":`` guard."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


#: How often a local worker looks whether the sweep that started it is still there.
PARENT_CHECK_SECONDS = 1.0


#: Set in a local worker (``_start_worker``): the sweep's sign that it is stopping.
_stopping = None


class SweepStopped(Exception):
    """A worker's batch left off between runs because the sweep is stopping (its rows are
    dropped, as a batch under way always was)."""


def _start_worker(stopping=None) -> None:
    """A local worker leaves Ctrl+C to the sweep (``_ignore_interrupts``), ends when the sweep
    is gone (``_end_with_the_sweep``), and leaves off its batch at the next run once the sweep
    is stopping (``stopping``, an event it sets)."""
    global _stopping
    _stopping = stopping
    _ignore_interrupts()
    threading.Thread(target=_end_with_the_sweep, args=(os.getppid(),), name="sweep-watch", daemon=True).start()


def _end_with_the_sweep(parent: int) -> None:
    """End this worker once its parent is gone (the sweep killed outright, SIGKILL or the out-of-
    memory killer): workers then waited for ever on their pool's pipes, which they hold open
    themselves, and each kill left its workers behind. (A fork server's workers have it as their
    parent, and it ends with the sweep.)"""
    while True:
        time.sleep(PARENT_CHECK_SECONDS)
        if os.getppid() != parent:
            os._exit(1)


def _terminal_signals_held(with_ctrl_c: bool = False):
    """While inside, a hang-up (SIGHUP) and, ``with_ctrl_c``, Ctrl+C (SIGINT) wait; a process
    started meanwhile keeps them waiting for good (the mask is inherited across fork and exec),
    as the helpers a sweep starts should. A terminal sends both to the sweep's whole group, and
    helpers that died of them before the sweep could stop them in order printed tracebacks over
    the stop's one line. Here they are delivered as the block ends. (SIGTERM, sent to a process
    by name, still ends a helper.)"""
    names = ("SIGHUP", "SIGINT") if with_ctrl_c else ("SIGHUP",)
    return signals_held(tuple(getattr(signal, name) for name in names if hasattr(signal, name)))


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker (the process that cleans up the pool's
    semaphores) with hang-ups held back, as it holds back Ctrl+C and SIGTERM itself: it died of
    a closed terminal's SIGHUP, and the sweep, stopping in order, started another that printed
    a KeyError's traceback."""
    from multiprocessing import resource_tracker

    with _terminal_signals_held():
        resource_tracker.ensure_running()


def _ignore_interrupts() -> None:
    """A local worker leaves Ctrl+C to the sweep. The terminal sends it to every process of the
    sweep: a worker interrupted while it held its pool's queue left the other waiting on that
    lock forever, and the sweep waiting for both (1 stop in 3 hung). A kill or a closed terminal
    ends a worker as it would any process (a forked worker would otherwise keep the sweep's
    handler, which stops the sweep in an orderly way: see ``game.interrupts``)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for signum in other_stop_signals():  # (one the sweep ignores, as under nohup, stays ignored)
        signal.signal(signum, signal.SIG_DFL)


@contextmanager
def open_executor(workers: int, scheduler: str | None) -> Iterator[Executor | None]:
    """Where the runs go: None (this process) for one local worker; local processes (see
    ``worker_start_method``); a Dask cluster at ``scheduler`` (``tcp://host:8786``); or a
    Dask cluster of ``workers`` local processes (``local-dask``). An address that does not
    answer is refused here, before any run starts."""
    if scheduler is None:
        if workers == 1:
            yield None
            return
        context = multiprocessing.get_context(worker_start_method())
        _start_resource_tracker()
        if context.get_start_method() == "forkserver":
            # Workers are forked from a server that has imported the game once, not each
            # importing it again.
            context.set_forkserver_preload(["game.research.sweep"])
        stopping = context.Event()
        with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_start_worker,
                                 initargs=(stopping,)) as pool:
            try:
                # The workers start now, with Ctrl+C ignored from their first instruction (forked
                # children keep it; the initializer covers a fork server's): one interrupted while
                # it starts would break the pool the same way.
                with ctrl_c_handled_by(signal.SIG_IGN):
                    pool.submit(int).result()
                yield pool
            except BaseException:
                # Stopped (Ctrl+C, a kill) or failed: the batches not started are dropped, and those
                # under way leave off at their next run, their rows dropped (--resume plays them
                # again): waiting for whole batches held a stop of a long level's sweep for over a
                # minute on a busy machine. The workers are not killed: one killed while it sent
                # its rows left the pool's thread waiting for the rest of them for ever. A second
                # Ctrl+C (a terminal's, or `timeout`, which signals the process and then its group)
                # must not cut the shutdown short: the pool's thread then found its pipe closed,
                # and the workers, never told to stop, kept the process from ending.
                with ctrl_c_handled_by(signal.SIG_IGN):
                    stopping.set()
                    pool.shutdown(wait=True, cancel_futures=True)
                raise
        return
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise SweepError("--scheduler: Dask needs the research extra: pip install 'rare-earths[research]'") from None
    if scheduler == "local-dask":
        # Workers log nothing short of a crash: a stopped sweep cancels the runs under way and cuts
        # their connections, and every worker then logged its cancelled task and cut connection,
        # tracebacks and all, under the stop's one line (which says what happened; a run that
        # fails is said by the sweep). The cluster's processes hold a terminal's Ctrl+C and
        # hang-up back: the sweep stops them in order (the signal to the group reached them
        # first, and Dask printed 5-14 tracebacks, 75-190 lines, for it).
        _start_resource_tracker()
        with _terminal_signals_held(with_ctrl_c=True):
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                                   silence_logs=logging.CRITICAL)
        client = Client(cluster)
    else:
        # (inproc:// is a scheduler inside this process, and ucx:// needs UCX-Py: neither is one
        # a sweep can reach; Dask failed on them with its own internals.)
        if not is_scheduler_address(scheduler):
            raise SweepError(f"--scheduler: {scheduler}: expected tcp://HOST:PORT or local-dask")
        cluster = None
        refused = _refused_connection(scheduler)
        if refused:
            raise SweepError(f"--scheduler: {scheduler} does not answer as a Dask scheduler ({refused})")
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as error:
            raise SweepError(f"--scheduler: {scheduler} does not answer as a Dask scheduler "
                             f"({type(error).__name__}: {_first_line(error)[:120]})") from None
        except Exception:  # noqa: BLE001 - a program that is no Dask scheduler fails Dask in its own way
            # (an HTTP server's reply read as a message length asked for exbibytes of memory)
            raise SweepError(f"--scheduler: {scheduler}: something answers there, but not as a Dask "
                             "scheduler does") from None
        if not client.scheduler_info().get("workers"):
            # Dask waits for workers without a word: a sweep sent to a scheduler that none had
            # joined sat at 0% for as long as it was left, as if it hung. Workers may well join
            # later (a job script starts them after the scheduler), so it waits, saying why.
            log.warning("--scheduler: %s has no workers yet: the runs wait for some to join it (dask worker %s); "
                        "Ctrl+C stops the sweep", scheduler, scheduler)
    try:
        yield client.get_executor(pure=False)
    finally:
        # A second stop while the cluster closes cut the close short, and Dask's own clean-up at
        # exit then waited out its 10 s timeout: the close goes on to its end.
        with stop_signals_handled_by(signal.SIG_IGN):
            client.close()
            if cluster is not None:
                cluster.close()


#: A host of a scheduler's address: a name of letters, digits and hyphens between dots, or an
#: IPv6 address in brackets (an IPv4 address is checked as one after this).
_HOST = re.compile(r"\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}"
                   r"[A-Za-z0-9])?)*")


def is_scheduler_address(text: str) -> bool:
    """Whether ``text`` is tcp://HOST or tcp://HOST:PORT (1-65535), HOST a name or an address.
    (An IPv6 address left unclosed, "tcp://[::1", failed inside urlsplit with a traceback; no
    host, "tcp://:8786", a user, a query, "999.1.1.1" or "-h" was tried for 10 s and said "does
    not answer". tls:// needs certificates the sweep cannot be given: Dask failed on it.)"""
    found = re.fullmatch(r"tcp://(?P<host>[^\s/?#@]+?)(?::(?P<port>\d{1,5}))?/?", text)
    if not found or not _HOST.fullmatch(found["host"]):
        return False
    host = found["host"]
    if re.fullmatch(r"[0-9.]+", host):  # all digits and dots: an IPv4 address, or nothing
        try:
            ipaddress.IPv4Address(host)
        except ValueError:
            return False
    if host.startswith("["):
        try:
            ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            return False
    return found["port"] is None or 0 < int(found["port"]) <= 65535


def _refused_connection(scheduler: str) -> str:
    """Why a tcp:// scheduler's address cannot be a Dask scheduler, or "" if it may be (or the
    address is not tcp). A closed port or an unknown host is said at once: Dask's client would
    retry for its whole timeout before saying the same. A server that accepts the connection
    and then says nothing is said after ``SCHEDULER_ANSWER_SECONDS``: Dask's client would wait
    for its handshake for ever."""
    address = urlsplit(scheduler)
    if address.scheme != "tcp" or not address.hostname:
        return ""
    try:
        port = address.port or DASK_SCHEDULER_PORT
    except ValueError:
        return "no such port"
    try:
        probe = socket.create_connection((address.hostname, port), timeout=SCHEDULER_ANSWER_SECONDS)
    except OSError as error:
        return f"{type(error).__name__}: {error.strerror or error}"
    with probe:
        try:
            greeting = probe.recv(1)
        except TimeoutError:
            return f"it accepts connections but sent nothing in {SCHEDULER_ANSWER_SECONDS:g} s"
        except OSError as error:
            return f"{type(error).__name__}: {error.strerror or error}"
    return "" if greeting else "it closed the connection without a word"


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


def _parquet_read_problem(error: BaseException) -> str:
    """Why a Parquet file could not be read, after "cannot be read": the system's reason (a file
    the sweep may not read), or what a file pyarrow cannot open is. pyarrow's own words ("Could not
    open Parquet input source '<Buffer>': Parquet magic bytes not found in footer...") name its
    buffer, not the file, and were cut off mid-sentence to fit a line."""
    if isinstance(error, OSError) and error.errno is not None:
        return f" ({error.strerror or _first_line(error)})"
    return " as Parquet (cut short, damaged, or not a Parquet file)"


def _csv_read_problem(error: BaseException) -> str:
    """Why a CSV part could not be read, after "cannot be read", as ``_parquet_read_problem``
    says a Parquet part's: the system's reason, or what the file is. Python's csv module's own
    words ("field larger than field limit (131072)") were cut at 80 characters to fit a line."""
    if isinstance(error, OSError):
        return f" ({error.strerror or _first_line(error)})"
    if isinstance(error, UnicodeDecodeError):
        return " as CSV (not UTF-8 text)"
    if "field limit" in str(error):
        return f" as CSV (a cell of more than {csv.field_size_limit():,} characters: damaged, or not a CSV file)"
    return " as CSV (damaged, or not a CSV file)"


def _read_problem(error: BaseException) -> str:
    """Why a file of the sweep's could not be read, in words (not "JSONDecodeError", nor the
    codec's "'utf-8' codec can't decode byte 0xdf in position 2")."""
    if isinstance(error, UnicodeDecodeError):
        return "not UTF-8 text"
    if isinstance(error, json.JSONDecodeError):
        return f"not JSON (line {error.lineno}: {error.msg.lower()})"
    if isinstance(error, RecursionError):
        return "nested too deep"
    if isinstance(error, OSError):
        return error.strerror or _first_line(error)
    return _first_line(error)


# --------------------------------------------------------------------------- running


def play_batch(level: str, runs: Sequence[PlannedRun], meta: tuple) -> list[dict[str, Any]]:
    """The file's rows for ``runs`` (in a worker): each run through ``game.research.run``.
    ``meta``: the model's version and the level's SHA-256 the plan began with, and optionally
    each strategy's file's (by name): a run that read other files is refused, as its rows would
    pass for the plan's."""
    version, digest, *more = meta
    strategy_digests: Mapping[str, str] = more[0] if more else {}
    rows: list[dict[str, Any]] = []
    for planned in runs:
        if _stopping is not None and _stopping.is_set():
            raise SweepStopped(f"the sweep stopped before run {planned.index}")
        result = run(level, planned.strategy, planned.seed, dict(planned.settings), agents=False)
        if digest and result.meta["level_sha256"] != digest:
            raise SweepError(f"the level's files changed after the sweep began (run {planned.index} read other "
                             "ones); put them back to go on, or start the sweep again")
        expected = strategy_digests.get(planned.strategy)
        if expected is not None and result.meta["strategy_sha256"] != expected:
            raise SweepError(f"the strategy file {planned.strategy} changed after the sweep began (run "
                             f"{planned.index} read another one); put it back to go on, or start the sweep again")
        head = {"run": planned.index, "level": result.level, "strategy": planned.strategy, "seed": planned.seed}
        head.update({SETTING_PREFIX + name: setting_cell(name, value) for name, value in planned.settings})
        head.update({"model_version": version, "level_sha256": digest})
        rows.extend({**head, **row} for row in result.rows)
    return rows


def batches(runs: Sequence[PlannedRun], size: int) -> list[list[PlannedRun]]:
    """Consecutive runs in batches of at most ``size``; a batch never spans a run already done,
    so every part file holds one unbroken range of runs."""
    out: list[list[PlannedRun]] = []
    for planned in runs:
        if out and len(out[-1]) < size and out[-1][-1].index == planned.index - 1:
            out[-1].append(planned)
        else:
            out.append([planned])
    return out


@dataclass
class SweepOutcome:
    path: Path
    runs: int
    played: int  # by this call (the rest were done before a resume)
    seconds: float
    summary: list[dict[str, Any]]


def execute(plan: SweepPlan, out: Path, workers: int = 1, scheduler: str | None = None, resume: bool = False,
            progress: bool = True, batch_size: int | None = None,
            on_batch: Callable[[int], None] | None = None) -> SweepOutcome:
    """Play the plan's runs not done yet and write ``out``.

    ``on_batch(runs_done)`` is called after each batch is on disk (tests stop a sweep there).

    Raises:
        SweepError: ``workers`` or ``batch_size`` is not a whole number from 1, before anything is
            written (``workers=None`` left a parts folder behind that refused the next sweep).
    """
    for option, value, may_be_none in (("--workers", workers, False), ("batch_size", batch_size, True)):
        if not (value is None and may_be_none) and (isinstance(value, bool) or not isinstance(value, numbers.Integral)
                                                    or value < 1):
            raise SweepError(f"{option}: expected a whole number from 1, got {short_repr(value, 60)}")
    store = PartStore(parts_dir(out), out.suffix.lower(), plan)
    try:
        return _execute(plan, out, store, workers, scheduler, resume, progress, batch_size, on_batch)
    finally:
        store.close()


def _execute(plan: SweepPlan, out: Path, store: PartStore, workers: int, scheduler: str | None, resume: bool,
             progress: bool, batch_size: int | None, on_batch: Callable[[int], None] | None) -> SweepOutcome:
    started = time.perf_counter()
    played = 0
    # The executor first: an address that does not answer is refused before anything is written.
    # A stop's way out runs whole: a second stop signal is ignored from the first's moment on.
    with stop_signals_once(), open_executor(workers, scheduler) as executor:
        done = store.open(resume)
        todo = [planned for planned in plan.runs() if planned.index not in done]
        if batch_size is None:
            # Batches long enough that handing them out costs little, short enough that every
            # worker stays busy to the end and a stop loses little.
            batch_size = max(1, min(16, len(todo) // max(1, workers * 8)))
        meta = (plan.model_version, plan.level_sha256, dict(zip(plan.strategies, plan.strategy_sha256)))
        bar = _progress(plan.size, len(done), progress)

        def finished(batch: list[PlannedRun], rows: list[dict[str, Any]]) -> None:
            nonlocal played
            store.write(batch, rows)
            played += len(batch)
            bar.update(len(batch))
            if on_batch is not None:
                on_batch(len(done) + played)

        try:
            if executor is None:
                for batch in batches(todo, batch_size):
                    finished(batch, play_batch(plan.level, batch, meta))
            else:
                queue = iter(batches(todo, batch_size))
                pending = {executor.submit(play_batch, plan.level, batch, meta): batch
                           for batch in itertools.islice(queue, workers * 2)}
                failure: tuple[list[PlannedRun], BaseException] | None = None
                while pending:
                    ready, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for future in ready:
                        batch = pending.pop(future)
                        try:
                            rows = future.result()
                        except Exception as error:  # noqa: BLE001 - a worker lost, a cluster gone: said below
                            failure = failure or (batch, error)
                            continue
                        finished(batch, rows)  # kept even after a failure: --resume skips it
                        following = next(queue, None) if failure is None else None
                        if following is not None:
                            pending[executor.submit(play_batch, plan.level, following, meta)] = following
                if failure is not None:
                    batch, error = failure
                    if isinstance(error, SweepError):  # a file changed: --resume would be refused until it is put back
                        raise SweepError(f"runs {batch[0].index}-{batch[-1].index}: {_first_line(error)[:300]}; "
                                         "the runs finished before are kept")
                    raise SweepError(f"runs {batch[0].index}-{batch[-1].index} failed on a worker "
                                     f"({type(error).__name__}: {_first_line(error)[:120]}); the runs finished "
                                     "are kept, and --resume goes on")
        finally:
            bar.close()
    store.assemble(out)
    return SweepOutcome(out, plan.size, played, time.perf_counter() - started, summarise(out, plan))


def _progress(total: int, done: int, shown: bool):
    from tqdm import tqdm  # Mesa's own dependency: no new one for a progress bar

    class Bar(tqdm):
        # tqdm's monitor thread, which only tunes how often a bar redraws, would outlive the
        # sweep and keep the process's next sweep from forking its workers (worker_start_method).
        monitor_interval = 0

    # No bar where standard error is closed (2>&-: Python makes it None, and tqdm wrote to None).
    return Bar(total=total, initial=done, unit="run", disable=not shown or sys.stderr is None, file=sys.stderr,
               dynamic_ncols=True, smoothing=0.1)


# --------------------------------------------------------------------------- the parts on disk


class PartStore:
    """Finished batches under ``OUT.parts/``: ``plan.json`` (the sweep they belong to) and one
    ``runs-FIRST-LAST.EXT`` per batch, each written to a temporary name and then renamed."""

    def __init__(self, folder: Path, suffix: str, plan: SweepPlan):
        self.folder, self.suffix, self.plan = folder, suffix, plan
        self.columns = plan.columns()
        self._quarters: int | None = None

    @property
    def quarters(self) -> int:
        """Rows a finished run has: one per quarter of the level."""
        if self._quarters is None:
            self._quarters = scenario_for(self.plan.level).n_turns
        return self._quarters

    def _missing_rows(self, runs: Iterable[int], first: int, last: int) -> str | None:
        """Why a part's rows are not every quarter of each of its runs, or None: a part cut at
        a line's end, or emptied, reads as well-formed rows and would pass its runs off as done."""
        counts = Counter(runs)
        short = [n for n in range(first, last + 1) if counts[n] != self.quarters]
        if not short:
            return None
        n = short[0]
        return (f"run {n} has {counts[n]} of its {self.quarters} quarters"
                + (f" (and {len(short) - 1} more runs are short)" if len(short) > 1 else ""))

    def open(self, resume: bool) -> set[int]:
        """The runs already done (none for a new sweep). Holds the folder's lock until the
        process ends or ``close``: two sweeps writing one folder would each put runs the other
        also plays into it."""
        described = json.dumps(self.plan.describe(), sort_keys=True)
        plan_file = self.folder / "plan.json"
        if not self.folder.exists():
            self.folder.mkdir()
            self._lock()
            try:
                write_whole(plan_file, described.encode("utf-8"))
            except OSError:
                # A folder without its plan cannot be resumed, and a new sweep would refuse it:
                # a disk full from the start led to a dead end. Nothing is in it yet: it goes.
                self.close()
                with contextlib.suppress(OSError):
                    (self.folder / "lock").unlink()
                    self.folder.rmdir()
                raise
            return set()
        self._lock()  # first: while another sweep writes there, --resume is no answer either
        if not resume:
            self.close()
            raise SweepError(f"--out: {self.folder} exists: add --resume to go on with it, or remove it")
        kept = _read_plan(plan_file)
        if "strategy_sha256" not in kept:
            # A plan from before strategy files were digested: its runs are kept (refusing them
            # would lose them), and the digests it lacks are recorded from here on.
            kept["strategy_sha256"] = list(self.plan.strategy_sha256)
            if json.dumps(kept, sort_keys=True) == described:
                write_whole(plan_file, described.encode("utf-8"))
        if json.dumps(kept, sort_keys=True) != described:
            differing = sorted(k for k in set(kept) | set(self.plan.describe())
                               if kept.get(k) != self.plan.describe().get(k))
            # A file's digest differs by itself only if the file was edited; with other levels or
            # strategies named it differs because of them, which is what to say.
            named_by = {"level_sha256": "level", "strategy_sha256": "strategies"}
            differing = [k for k in differing if named_by.get(k) not in differing]
            changed = {"level_sha256": "a level file was edited", "strategy_sha256": "a strategy file was edited"}
            why = "; ".join(changed[k] for k in differing if k in changed)
            # What was asked, both ways ("strategies" alone left the researcher to find the plan):
            # the folder's plan.json, then this command's.
            asked = self.plan.describe()
            both = "; ".join(f"{k}: {_plan_value(kept.get(k))} there, {_plan_value(asked.get(k))} here"
                             for k in differing if k in _ASKED)
            raise SweepError(f"--resume: the sweep in {self.folder} differs from this one in "
                             f"{', '.join(differing)}{f' ({why} since it began)' if why else ''}"
                             f"{f' ({both})' if both else ''}; resume it with the same settings and files, or "
                             "remove it")
        done: set[int] = set()
        held: list[tuple[int, int, Path]] = []  # each part's runs, to find two holding the same run
        for part in sorted(self.folder.glob(f"runs-*{self.suffix}")):
            # Every runs-* file is joined into the results at the end: each must be one this sweep wrote.
            match = re.fullmatch(r"runs-([0-9]{9})-([0-9]{9})" + re.escape(self.suffix), part.name)
            first, last = (int(match.group(1)), int(match.group(2))) if match else (0, -1)
            problem = self._part_problem(part, first, last) if match else "not a name this sweep gives its parts"
            problem = problem or self._digest_problem(part)
            if problem:
                raise SweepError(f"--resume: {part}: {problem}, so the runs there cannot be trusted; remove it "
                                 "(its runs are played again) or the folder")
            done.update(range(first, last + 1))
            held.append((first, last, part))
        # Parts from two stopped attempts put together (batched differently) passed one by one,
        # and the results then held their common runs twice.
        held.sort()
        for (_, last, one), (first, _, other) in zip(held, held[1:]):
            if first <= last:
                raise SweepError(f"--resume: {one.name} and {other.name} in {self.folder} both hold run {first}, "
                                 "so the results would hold it twice; remove one of them (those of its runs the "
                                 "other lacks are played again)")
        return done

    def _part_problem(self, part: Path, first: int, last: int) -> str | None:
        """What makes a part file other than one this sweep wrote, or None: a part holds rows of
        the runs its name says, in the plan's columns (a foreign or damaged file put there would
        otherwise end up in the results)."""
        if not first <= last < self.plan.size:
            return f"it names runs {first}-{last}, but the sweep has runs 0-{self.plan.size - 1}"
        if not part.is_file():
            return "not a regular file"
        if self.suffix == ".csv":
            runs: list[int] = []
            try:
                with open(part, newline="", encoding="utf-8") as handle:
                    for number, row in enumerate(csv.reader(handle), start=1):
                        if (len(row) != len(self.columns) or not re.fullmatch(r"[0-9]{1,9}", row[0])
                                or not first <= int(row[0]) <= last):
                            return f"line {number} is not a row of runs {first}-{last} in this sweep's columns"
                        runs.append(int(row[0]))
            except (OSError, UnicodeDecodeError, csv.Error) as error:
                return f"cannot be read{_csv_read_problem(error)}"
            return self._missing_rows(runs, first, last)
        try:
            table = parquet_table(part, columns=["run"])
            schema = parquet_schema(part)
        except Exception as error:  # noqa: BLE001 - pyarrow's read errors have no common base but Exception
            return f"cannot be read{_parquet_read_problem(error)}"
        runs = table.column("run").to_pylist()
        if schema.names != self.columns or not all(isinstance(r, int) and first <= r <= last for r in runs):
            return f"not the rows of runs {first}-{last} in this sweep's columns"
        # A part of an earlier version of the game (a list setting as a list of floats, not its
        # text) cannot be joined to the parts written now: pyarrow refused the whole results.
        wanted = _schema(self.columns, self.plan)
        other = next((f for f in wanted if schema.field(f.name).type != f.type), None)
        if other is not None:
            return (f"its column {other.name} holds {schema.field(other.name).type} where this sweep writes "
                    f"{other.type}")
        return self._missing_rows(runs, first, last)

    @staticmethod
    def _digest_problem(part: Path) -> str | None:
        """Whether ``part`` is still the file the sweep wrote: its SHA-256 is kept beside it
        (``NAME.sha256``). A part whose figures were edited passed every other check, and its runs
        went into the results as they were, not as the sweep had played them."""
        kept = part.with_name(part.name + DIGEST_SUFFIX)
        if not os.path.lexists(kept):
            return f"it has no {kept.name} beside it, the digest the sweep keeps of each part it writes"
        if not kept.is_file():  # a pipe would wait for a writer forever
            return f"its digest {kept.name} is not a regular file"
        try:
            with open(kept, "rb") as handle:
                recorded = handle.read(200).decode("ascii").strip()
        except (OSError, ValueError) as error:
            return f"its digest {kept.name} cannot be read ({_read_problem(error)})"
        if recorded.lower() != _sha256_of(part):  # (a digest copied from a tool that writes capitals is the same)
            return "it is not the file the sweep wrote (its SHA-256 differs from the one kept beside it)"
        return None

    def _lock(self) -> None:
        try:
            import fcntl
        except ImportError:  # Windows: no advisory locks; one sweep per folder is on the user
            return
        lock = self.folder / "lock"
        try:
            self._lock_file = open(lock, "a+b")  # noqa: SIM115 - held while the sweep runs
        except OSError as error:  # a folder or a file it may not open in its place: not "cannot write OUT"
            raise SweepError(f"--out: cannot open {lock}, the lock of the sweep's finished runs: "
                             f"{_read_problem(error)}; remove it to go on") from None
        try:
            # Released by the system when the process ends, however it ends (kill -9 included).
            fcntl.flock(self._lock_file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self._lock_file.close()
            raise SweepError(f"--out: another sweep is writing to {self.folder}; wait for it or stop it") from None

    def close(self) -> None:
        lock = getattr(self, "_lock_file", None)
        if lock is not None:
            lock.close()
            self._lock_file = None

    def write(self, batch: Sequence[PlannedRun], rows: list[dict[str, Any]]) -> None:
        name = f"runs-{batch[0].index:09d}-{batch[-1].index:09d}{self.suffix}"
        if self.suffix == ".csv":
            data = _csv_bytes(self.columns, rows, header=False)
        else:
            data = _parquet_bytes(self.columns, rows, self.plan)
        # The digest first: a stop or a full disk between the two leaves a digest without its
        # part (its runs are played again, and the digest written again), never a part without.
        write_whole(self.folder / (name + DIGEST_SUFFIX), hashlib.sha256(data).hexdigest() + "\n")
        write_whole(self.folder / name, data)

    def _parts(self) -> list[Path]:
        return sorted(self.folder.glob(f"runs-*{self.suffix}"))

    def assemble(self, out: Path) -> None:
        """Join the parts, in the order of their runs, into ``out`` (written whole, then moved
        into place), and remove the parts."""
        parts = self._parts()
        if self.suffix == ".csv":
            def write_csv(handle) -> None:
                handle.write(_csv_bytes(self.columns, [], header=True))
                handle.writelines(part.read_bytes() for part in parts)
            write_whole_with(out, write_csv)
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq

            schema = _schema(self.columns, self.plan)
            tables = [parquet_table(part) for part in parts]
            table = pa.concat_tables(tables).combine_chunks() if tables else schema.empty_table()
            write_whole_with(out, lambda handle: pq.write_table(table, handle, compression="zstd",
                                                                row_group_size=1 << 20))
        self.close()
        shutil.rmtree(self.folder)


#: Beside each part, the SHA-256 of what the sweep wrote (``PartStore._digest_problem``).
DIGEST_SUFFIX = ".sha256"


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _csv_bytes(columns: list[str], rows: Iterable[dict[str, Any]], header: bool) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if header:
        writer.writerow(columns)
    for row in rows:
        # repr of a float reads back to the same float: the file holds the run exactly.
        writer.writerow([_csv_cell(row.get(column)) for column in columns])
    return buffer.getvalue().encode("utf-8")


def _csv_cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):  # np.float64 too: NumPy 2's own repr reads "np.float64(...)"
        return repr(float(value))
    return value.item() if hasattr(value, "item") else value


def _schema(columns: list[str], plan: SweepPlan):
    import pyarrow as pa

    text = {"level", "strategy", "model_version", "level_sha256", "quarter"}
    whole = {"run", "seed", "turn", "stars"}
    setting_types = {SETTING_PREFIX + name: _arrow_type(name, values) for name, values in plan.settings}
    fields = []
    for column in columns:
        if column in text:
            kind = pa.string()
        elif column in whole:
            kind = pa.int64()
        elif column in setting_types:
            kind = setting_types[column]
        else:
            kind = pa.float64()
        fields.append(pa.field(column, kind))
    return pa.schema(fields)


def _arrow_type(name: str, values: Sequence[Any]):
    import pyarrow as pa

    if name in LIST_NAMES:  # held as its TOML text (setting_cell)
        return pa.string()
    if all(isinstance(v, bool) for v in values):
        return pa.bool_()
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return pa.int64()
    return pa.float64()


def parquet_table(path: Path, columns: list[str] | None = None):
    """A Parquet file's table (``columns`` of it, if given), read through a file Python opened:
    pyarrow opens a name itself as UTF-8 text, which a name holding other bytes is not. Read in
    this thread: pyarrow's reader threads on a Python file (25.x and 26.x) aborted the process as
    it exited, after a whole sweep, in about one run in four ("terminate called without an
    active exception", status 134); a part is small, so little is lost."""
    import pyarrow.parquet as pq

    with open(path, "rb") as handle:
        return pq.read_table(handle, columns=columns, use_threads=False)


def parquet_schema(path: Path):
    """A Parquet file's columns and their types (a ``pyarrow.Schema``), read as ``parquet_table``
    reads it."""
    import pyarrow.parquet as pq

    with open(path, "rb") as handle:
        return pq.ParquetFile(handle).schema_arrow


def _parquet_bytes(columns: list[str], rows: list[dict[str, Any]], plan: SweepPlan) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _schema(columns, plan)
    table = pa.Table.from_pylist(
        [{c: (float(row[c]) if schema.field(c).type == pa.float64() and row.get(c) is not None else row.get(c))
          for c in columns} for row in rows], schema=schema)
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue().to_pybytes()


# --------------------------------------------------------------------------- reading and summing up


def read_final_rows(path: Path, columns: Sequence[str]) -> Iterator[dict[str, Any]]:
    """``columns`` of a sweep file, a run at a time: yields lists of row dicts, one list per run."""
    if path.suffix.lower() == ".csv":
        with open(path, newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            for _, group in itertools.groupby(reader, key=lambda row: row["run"]):
                yield [{c: _from_csv(c, row[c]) for c in columns} for row in group]
    else:
        table = parquet_table(path, columns=list(dict.fromkeys(["run", *columns])))
        data = table.to_pydict()
        runs = data["run"]
        start = 0
        for end in range(1, len(runs) + 1):
            if end == len(runs) or runs[end] != runs[start]:
                yield [{c: data[c][i] for c in columns} for i in range(start, end)]
                start = end


def _from_csv(column: str, text: str) -> Any:
    if column in ("level", "strategy", "model_version", "level_sha256", "quarter"):
        return text
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text


def summarise(path: Path, plan: SweepPlan) -> list[dict[str, Any]]:
    """Per strategy and setting: runs, then the mean, 5th and 95th percentile of the score, the
    stars (where the level has objectives: ``plan.scored``) and each of SUMMARY_INDICATORS over the runs."""
    settings = [SETTING_PREFIX + name for name, _ in plan.settings]
    judged = ["score", "stars"] if plan.scored else []
    wanted = ["strategy", *settings, *judged, *{c for _, c, _ in SUMMARY_INDICATORS}]
    groups: dict[tuple, dict[str, list[float]]] = {}
    runs: dict[tuple, int] = {}
    for rows in read_final_rows(path, wanted):
        key = (rows[0]["strategy"], *(rows[0][s] for s in settings))
        figures = groups.setdefault(key, {})
        runs[key] = runs.get(key, 0) + 1
        for column in judged:
            figures.setdefault(column, []).append(float(rows[-1][column]))
        for label, column, how in SUMMARY_INDICATORS:
            figures.setdefault(label, []).append(float(how([float(r[column]) for r in rows])))
    table = []
    for key, figures in groups.items():
        line: dict[str, Any] = {"strategy": key[0]}
        line.update({s.removeprefix(SETTING_PREFIX): v for s, v in zip(settings, key[1:], strict=True)})
        line["runs"] = runs[key]
        for label, values in figures.items():
            ordered = sorted(values)
            line[f"{label} mean"] = sum(values) / len(values)
            line[f"{label} p5"] = _percentile(ordered, 5)
            line[f"{label} p95"] = _percentile(ordered, 95)
        table.append(line)
    return table


def _percentile(ordered: list[float], q: float) -> float:
    """The q-th percentile, interpolated between the nearest ranks (numpy's default)."""
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * q / 100
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _seed_ranges(seeds: Sequence[int]) -> list[str]:
    """Seeds as compact ranges, for the plan file (0-999 rather than a thousand numbers)."""
    out: list[str] = []
    for _, group in itertools.groupby(enumerate(seeds), key=lambda pair: pair[1] - pair[0]):
        values = [seed for _, seed in group]
        out.append(str(values[0]) if len(values) == 1 else f"{values[0]}-{values[-1]}")
    return out
