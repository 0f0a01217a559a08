"""The ``rare-earths`` command: list and check levels, run them headless, sweep and plot.

Bad input (a broken level file, a wrong value, a path that cannot be read or written) gets one
clear line on stderr and a non-zero exit, never a traceback. Every file and folder a command is
given is checked at the door, before anything runs: files to read must be regular files (a pipe
would wait forever, a device never end), files to write must be in a folder that exists (none is
made silently) and must not be folders themselves. Text from a file or an argument is printed
with its control characters escaped, so a level's title cannot move the cursor or recolour the
terminal.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import errno
import io
import math
import os
import re
import secrets
import shlex
import stat
import tempfile
import sys
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from game.action_base import first_repeated
from game.actions import JAPAN_LEVERS
from game.controllers import STRATEGY_NAMES
from game.interrupts import CTRL_C_STATUS, Stopped, how_stopped, stop_signals_deferred, stop_signals_raised
from game.line_breaks import terminal_lines
from game.quoting import composed, cut, names_nothing, printable, short_repr, utf8_text
from game.scenario import (
    AssumptionError,
    ScenarioError,
    find_level,
    load_level,
    load_world,
    parse_setting,
    shipped_level_paths,
    with_assumptions,
)
from game.scenario.assumptions import value_text
from game.scenario.level_file import WORLD_FILE_NOT_A_LEVEL
from game.vocab import quarters
from game.vocab.indicators import COLUMNS, columns_help
from game.vocab.seeds import MAX_SEED
from game.whole_files import through_link, write_whole
from game.workshop.team_names import MAX_TEAM_NAME, team_name_problem

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
#: What a command stopped by Ctrl+C exits with (128 + SIGINT, as shells report it).
EXIT_INTERRUPTED = CTRL_C_STATUS
#: Seeds are the world generator's (NumPy's and Python's take any from 0 to 2^63-1).
#: The most quarters a run can last: every quarter of the game's calendar.
MOST_TURNS = (quarters.LAST_YEAR - quarters.FIRST_YEAR + 1) * 4
#: The columns that say where a run's rows came from, before the indicators (``_where_from``;
#: a sweep's ``SweepPlan.columns`` has these, after its run number).
WHERE_FROM_COLUMNS = (
    ("level", "the level's id"),
    ("strategy", "who played Japan"),
    ("seed", "the run's random seed"),
    ("assumptions.NAME", "one column per --set: the value the assumption had"),
    ("model_version", "the version of the model that ran it"),
    ("level_sha256", "the SHA-256 of what the level's files say, to tell an edited level apart"),
)
RUN_COLUMNS_HELP = "columns of --out, a row per quarter:\n" + columns_help(WHERE_FROM_COLUMNS)
SWEEP_COLUMNS_HELP = ("columns of --out, a row per run per quarter:\n"
                      + columns_help((("run", "the run's number in the sweep, from 0"), *WHERE_FROM_COLUMNS)))


#: The most seeds calibrate averages over (each replays 2010 to --to: a thousand take hours).
MOST_CALIBRATION_SEEDS = 1000
#: The most worker processes a sweep starts (more than any one machine has cores for).
MOST_WORKERS = 256
#: The roles a team can take in a workshop (game.workshop.codes.ROLES, which loads the world:
#: repeated here so the parser needs none of it; tests/test_cli_inputs.py checks they agree).
TEAM_ROLES = ("JPN", "CHN", "USA", "AUS", "EU", "KOR", "LYN")
#: The chart formats calibrate writes (what its name ends in): as
#: game.research.calibration_chart.CHART_SUFFIXES, repeated so the parser imports no research
#: code (tests/test_cli_inputs.py checks they agree).
CHART_SUFFIXES = (".png", ".svg", ".pdf")
#: Longest text option (a class's title, a host name): anything longer is a mistake.
MOST_TEXT_CHARACTERS = 200
#: Most commas --strategies looks for in the name of a strategy file (each more multiplies the
#: files looked for: a list of thousands of names took minutes).
MOST_COMMAS_IN_A_STRATEGY_NAME = 7
#: Longest team name, as the server takes it.
MOST_TEAM_NAME_CHARACTERS = MAX_TEAM_NAME
#: The smallest window --window opens: the window's own least size (game.ui.app.MIN_SIZE, which
#: imports pygame: repeated here, and tests/test_cli_inputs.py checks they agree). A smaller one
#: was opened at this size without a word.
SMALLEST_WINDOW = (1024, 576)
#: The largest: an 8K screen's, either way round. Larger windows are nobody's screen, and cost memory by the
#: gigabyte (8000x8000 took 2.6 GB).
LARGEST_WINDOW = (7680, 4320)
WINDOW_HELP = (f"window size in pixels, from {SMALLEST_WINDOW[0]}x{SMALLEST_WINDOW[1]} to "
               f"{LARGEST_WINDOW[0]}x{LARGEST_WINDOW[1]} or {LARGEST_WINDOW[1]}x{LARGEST_WINDOW[0]} (default 1280x720)")
#: How much of a name from an argument a message quotes.
SHOWN_CHARACTERS = 120
#: The folder the window keeps settings, progress and saves in (game.ui.storage), if set.
DATA_FOLDER_VARIABLE = "RARE_EARTHS_DATA"
DATA_FOLDER_HELP = (f"{DATA_FOLDER_VARIABLE}: the folder for settings, progress and saves (default, and when it is "
                    "set but empty: the system's folder for the game's data; a relative path is taken from the "
                    "current folder, and ~ your home folder; it is made if missing; in one this account cannot write to, the "
                    "game plays and keeps nothing new)")

#: A sweep over this many combinations of settings says it checks them first (4 s or more here).
MANY_COMBINATIONS = 100_000
#: Problems `levels validate` prints of one file before it counts the rest.
MOST_PROBLEMS_SHOWN = 50

#: Columns shown in the terminal table: (column, header, format).
TABLE = (
    ("quarter", "quarter", "{}"),
    ("price_ndpr_japan", "NdPr JP", "{:.1f}"),
    ("price_ndpr_china", "NdPr CN", "{:.1f}"),
    ("price_dytb_japan", "DyTb JP", "{:.0f}"),
    ("price_dytb_china", "DyTb CN", "{:.0f}"),
    ("price_cela_japan", "CeLa JP", "{:.1f}"),
    ("price_cela_china", "CeLa CN", "{:.1f}"),
    ("japan_output_index", "output", "{:.3f}"),
    ("japan_china_share", "CN share", "{:.2f}"),
    ("japan_stockpile_days", "stock d", "{:.0f}"),
    ("japan_demand_t", "demand t", "{:,.0f}"),
    ("china_tension_japan", "tension", "{:.2f}"),
)


class _StoreOnce(argparse._StoreAction):
    """An option's value, given once: the last of two won without a word (``--level a --level
    b`` played b), and an empty one ('') passed for the option's default, or for this folder."""

    def __call__(self, parser, namespace, values, option_string=None):
        if option_string is not None:
            given = namespace.__dict__.setdefault("_options_given", set())
            if self.dest in given:
                parser.error(f"{option_string} is given twice")
            given.add(self.dest)
            if isinstance(values, str) and not values.strip():
                parser.error(f"{option_string}: empty")
        elif isinstance(values, str) and not values.strip():  # a positional: as an option's (levels show '' was 1)
            parser.error(f"{self.metavar or self.dest}: empty")
        super().__call__(parser, namespace, values, option_string)


#: A word that starts like a negative number: a value (a range of seeds mistyped, "-1-3"), since
#: no option of ours starts with a digit.
_NEGATIVE_LOOKING_VALUE = re.compile(r"-[0-9][0-9,.\-]*")


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line naming what was wrong, an option is given whole
    (an abbreviation, ``--lev``, would change meaning as options are added) and at most once."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)
        self.register("action", None, _StoreOnce)
        self.register("action", "store", _StoreOnce)

    def error(self, message: str) -> None:
        self.exit(EXIT_USAGE, printable(f"{self.prog}: error: {message} (see {self.prog} --help)") + "\n")

    def _parse_optional(self, arg_string):
        # argparse takes "-1" for a value but "-1-3" or "-1,5" for an option, and then said only
        # that the option before it "expected one argument": as a value, its option's own check
        # says what is wrong with it (seeds start at 0).
        if _NEGATIVE_LOOKING_VALUE.fullmatch(arg_string) and not self._has_negative_number_optionals:
            return None
        return super()._parse_optional(arg_string)


def _chosen_parser(parser: argparse.ArgumentParser, args: argparse.Namespace) -> argparse.ArgumentParser:
    """The innermost parser of the command given (``rare-earths workshop serve``'s, say)."""
    while True:
        commands = [action for action in parser._actions if isinstance(action, argparse._SubParsersAction)]
        chosen = getattr(args, commands[0].dest, None) if commands else None
        if chosen is None:
            return parser
        parser = commands[0].choices[chosen]


class _Refused(Exception):
    """A command that cannot go on; its one line is the message."""

    status = EXIT_INVALID  # what it names cannot be used


class _Malformed(_Refused):
    """A command line that options alone make wrong (a choice left out, or two that exclude
    each other), found after parsing: the status of any other malformed command line."""

    status = EXIT_USAGE


# --------------------------------------------------------------------------- text from outside

#: Characters never printed as they are: controls (escape sequences, carriage returns,
#: backspaces), format characters (right-to-left overrides that reorder what follows), line and
#: paragraph separators, surrogates (bytes of a name that are not UTF-8) and private use.
def _shown(text: object, most: int = SHOWN_CHARACTERS) -> str:
    """A name from an argument or a file as a message shows it: printable, and shortened; a
    file named on the command line as it was typed (``_TypedPath``)."""
    return cut(printable(str(getattr(text, "typed", "") or text)), most)


def _quoted(text: object) -> str:
    return f"'{_shown(text)}'"


def _error(line: object) -> None:
    """One line on stderr, printable whatever it quotes (and none where stderr is gone: a
    closed terminal)."""
    try:
        print(printable(str(line)), file=sys.stderr)
    except OSError:
        pass


# --------------------------------------------------------------------------- files and folders


def _read_problem(path: Path) -> str | None:
    """Why ``path`` cannot be read as a file, in a few words, or None. A pipe or a device is
    refused before anything opens it: a pipe waits for a writer forever, /dev/zero never ends."""
    try:
        mode = os.stat(path).st_mode
    except ValueError:  # a NUL in the name: only from the API, no command line holds one
        return "not a usable file name"
    except OSError as error:
        return _system_problem(error, "no such file")
    if stat.S_ISDIR(mode):
        return "a folder, not a file"
    if not stat.S_ISREG(mode):
        return "not a regular file (a device, a pipe or a socket)"
    if not os.access(path, os.R_OK):
        return "cannot be read (permission denied)"
    return None


def _write_problem(path: Path, option: str) -> str | None:
    """Why a file cannot be written at ``path``, or None: its folder must exist (none is made
    silently, so a typo in a folder's name is not a new folder) and be writable, and the name
    must not be a folder, a device or a pipe. A link is followed to the file it names, which is
    what is written (``whole_files``): a link into a read-only folder passed, and the whole run
    was played before it failed."""
    try:
        named = path
        mode = os.stat(named).st_mode  # through its links, as the write goes
    except ValueError:
        return f"{_quoted(named)} is not a usable file name for {option}"
    except OSError as error:
        if error.errno not in (errno.ENOENT, errno.ENOTDIR):
            return f"{option} {_quoted(named)}: {_system_problem(error, 'cannot be written', 'written')}"
        mode = None
    # Said of the name given: /dev/stdout's link leads to "/proc/123/fd/pipe:[4567]".
    if mode is not None and stat.S_ISDIR(mode):
        return f"{option} {_quoted(named)} is a folder: name a file in it"
    if mode is not None and not stat.S_ISREG(mode):
        return f"{option} {_quoted(named)} is not a regular file (a device, a pipe or a socket)"
    try:
        path = through_link(named)
    except OSError as error:
        return f"{option} {_quoted(named)}: {_system_problem(error, 'cannot be written', 'written')}"
    folder = path.parent
    if not _is_folder(folder):
        return f"no folder {_quoted(folder)} for {option}"
    if not os.access(folder, os.W_OK | os.X_OK) or (mode is not None and not os.access(path, os.W_OK)):
        why = "read-only file system" if _read_only(folder) else "permission denied"
        return f"{option} {_quoted(path)} cannot be written ({why})"
    refused = _write_refused(path, folder, exists=mode is not None)
    if refused is not None:
        return f"{option} {_quoted(path)} cannot be written ({refused.strerror or refused})"
    return None


def _read_only(folder: Path) -> bool:
    """Whether ``folder`` is on a file system mounted read-only (which the access check calls
    'permission denied' too)."""
    try:
        return bool(os.statvfs(folder).f_flag & getattr(os, "ST_RDONLY", 0))
    except (OSError, AttributeError):
        return False


def _write_refused(path: Path, folder: Path, exists: bool) -> OSError | None:
    """Try what the permission bits cannot tell (a read-only or virtual file system, /sys or
    /proc, where root may write by the bits and yet cannot: 'run --out /sys/x.csv' ran the whole
    run and then failed): open the file for writing without changing it, or make and remove a
    file of our own in its folder. None if that worked."""
    try:
        if exists:
            os.close(os.open(path, os.O_WRONLY | getattr(os, "O_NONBLOCK", 0)))
        else:
            handle, probe = tempfile.mkstemp(prefix=".rare-earths-", suffix=".probe", dir=folder)
            os.close(handle)
            os.unlink(probe)
    except OSError as error:
        return error
    return None


def _system_problem(error: OSError, missing: str, done: str = "read") -> str:
    if error.errno in (errno.ENOENT, errno.ENOTDIR):
        return missing
    if error.errno == errno.ENAMETOOLONG:
        return "the name is longer than this system allows"
    if error.errno == errno.EACCES:
        return "cannot be reached (permission denied)"
    return f"cannot be {done} ({error.strerror or error})"


def _is_folder(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def _exists(path: Path) -> bool:
    """``Path.exists``, but False (not OSError) for a name the system refuses or cannot reach."""
    try:
        os.stat(path)
    except (OSError, ValueError):
        return False
    return True


def _check_input(path: Path, command: str, what: str = "") -> None:
    """Refuse, in one line naming it, a file to read that cannot be."""
    problem = _read_problem(path)
    if problem:
        raise _Refused(f"{command}: {what + ' ' if what else ''}{_shown(path)}: {problem}")


def _check_output(path: Path, command: str, option: str, suffixes: tuple[str, ...] = (),
                  inputs: tuple[tuple[str, Path], ...] = (), new: str = "") -> None:
    """Refuse, in one line, a file to write that cannot be, or that would destroy something:
    a name without one of ``suffixes`` (a typo, or another kind of file), one of the command's
    ``inputs`` (what it names, and the file), or, with ``new`` (what such a file holds), any
    file already there."""
    problem = _write_problem(path, option)
    if problem:
        raise _Refused(f"{command}: {problem}")
    for what, source in inputs:
        if _same_file(path, source):
            raise _Refused(f"{command}: {option} {_quoted(path)} is {what}: writing would destroy it; "
                           "name another file")
    if suffixes and path.suffix.lower() not in suffixes:
        kinds = " or ".join(suffixes)
        raise _Refused(f"{command}: {option} {_quoted(path)}: name a {kinds} file")
    if new and _exists(path):
        raise _Refused(f"{command}: {option} {_quoted(path)} exists and may hold {new}: name another file, "
                       "or move that one")


def _same_file(first: Path, second: Path) -> bool:
    try:
        return os.path.samefile(first, second)
    except (OSError, ValueError):
        return False


def _looks_like_a_path(level: str) -> bool:
    """As game.scenario.find_level tells a level file from a level id."""
    return Path(level).suffix == ".toml" or "/" in level or "\\" in level


def _check_level(level: str, command: str, option: str = "--level") -> None:
    """A level named by a path is checked as a file to read; an id is looked up later."""
    if _looks_like_a_path(level):
        _check_input(Path(level), command, option)


def _check_data_folder(command: str) -> None:
    """RARE_EARTHS_DATA, where the window keeps settings, progress and saves, if set: a folder
    this account can open (one it cannot write to is said in a line, and played), or one that
    can be made. Unset or empty, the system's folder is used (game.ui.storage.data_dir)."""
    value = os.environ.get(DATA_FOLDER_VARIABLE, "")
    if not value:
        return
    where = f"{command}: {DATA_FOLDER_VARIABLE}={_quoted(value)}"
    if utf8_text(value) != value:  # bytes a file name may hold
        raise _Refused(f"{where}: the folder's name is not UTF-8 text, which the window can neither show nor "
                       "write into a save; use a folder whose name is")
    try:
        path = Path(value).expanduser()  # as game.ui.storage.data_dir takes it
    except RuntimeError:  # "~name/..." of a user this system has not (or "~" with no home): a traceback
        raise _Refused(f"{where}: {_quoted(value.split(os.sep)[0])} names no home folder this system knows (no "
                       "such user)") from None
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        if error.errno not in (errno.ENOENT, errno.ENOTDIR):
            raise _Refused(f"{where}: {_system_problem(error, 'no such folder')}") from None
        mode = None
    if mode is not None:
        if not stat.S_ISDIR(mode):
            raise _Refused(f"{where}: not a folder (the window keeps its settings and saves in a folder)")
        if not os.access(path, os.X_OK):
            raise _Refused(f"{where}: the folder cannot be opened (permission denied)")
        if not os.access(path, os.W_OK):
            # Played anyway, as a read-only folder met mid-game is (each save failing with a
            # notice): its saves still load, from a read-only medium or a locked-down account.
            _error(f"{where}: the folder cannot be written to: the game plays, but keeps no new settings, "
                   "progress or saves")
        return
    if path.is_symlink():  # a link to nothing: every save then failed with "File exists"
        raise _Refused(f"{where}: a link to {_quoted(os.readlink(path))}, which does not exist; make that folder "
                       "or name another")
    existing = path.absolute().parent
    while not _exists(existing) and existing != existing.parent:
        existing = existing.parent
    if not _is_folder(existing) or not os.access(existing, os.W_OK | os.X_OK):
        raise _Refused(f"{where}: no such folder, and it cannot be made in {_quoted(existing)}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="rare-earths", description="Rare Earths: a game and simulator of rare-earth geopolitics.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    levels = commands.add_parser("levels", help="list, show and check levels")
    level_commands = levels.add_subparsers(dest="levels_command", metavar="ACTION", parser_class=_Parser)
    level_commands.add_parser("list", help="the id and title of each shipped level")
    show = level_commands.add_parser("show", help="a level's briefing, objectives and unlocked actions")
    show.add_argument("level", metavar="ID|PATH", help="a shipped level's id (see 'levels list') or a level file")
    show.add_argument("--language", choices=("en", "ja"), default="en",
                      help="the language of the level's text (default: en)")
    validate = level_commands.add_parser("validate", help="check the shipped levels, or the files given")
    validate.add_argument("paths", nargs="*", type=_path, metavar="PATH",
                          help="a level or world file to check (any number; none: the shipped levels and "
                               "the world files they name); each problem is printed as PATH: key: what is wrong")

    play = commands.add_parser("play", help="open the game window and play Japan (the default of python -m game)",
                               epilog=DATA_FOLDER_HELP)
    play.add_argument("--level", default=None, help="open this level's briefing (an id or a level file)")
    play.add_argument("--window", type=_window_size, default=(1280, 720), metavar="WxH",
                      help=WINDOW_HELP)
    play.add_argument("--seed", type=_non_negative_int, default=None,
                      help="seed every new game with this (same seed and moves, same history; default: a fresh one)")
    play.add_argument("--code", default=None, metavar="CODE",
                      help="a workshop's scenario code: play one of its roles against bots (see 'workshop code')")
    play.add_argument("--role", default=None, choices=TEAM_ROLES,
                      help="with --code: the role your team plays (default: the code's first)")
    play.add_argument("--resume", type=_path, default=None, metavar="RESULTS.json",
                      help="a team alone with a code: go on with its game from the results file its window saved "
                           "when it closed part-way")

    run = commands.add_parser("run", help="run a level headless and write one row per quarter",
                              epilog=RUN_COLUMNS_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    run.add_argument("--level", required=True, help="a level id (see 'levels list') or a level file")
    run.add_argument("--strategy", default="passive",
                     help=f"who plays Japan: {', '.join(STRATEGY_NAMES)}, a shipped strategy's name (levels/strategies/, "
                          "e.g. 2010-trawler-rebuild) or a strategy .toml file (default: passive)")
    run.add_argument("--seed", type=_non_negative_int, default=0, help="random seed (default 0)")
    run.add_argument("--turns", type=_turns, default=None, help="stop after this many quarters")
    run.add_argument("--out", type=_path, default=None, metavar="FILE.csv",
                     help="write the rows to a CSV file (its folder must exist)")
    _add_set_option(run)

    calibrate = commands.add_parser("calibrate", help="compare a replay of history with the reference figures")
    calibrate.add_argument("--level", default="sandbox", help="level id or file (default: sandbox)")
    calibrate.add_argument("--strategy", default="history", help="who plays Japan (default: history)")
    calibrate.add_argument("--seeds", type=_calibration_seeds, default="0-4", metavar="0-LAST",
                           help=f"the seeds to average over, written as in sweep: a range from 0 (default 0-4, at "
                                f"most 0-{MOST_CALIBRATION_SEEDS - 1})")
    calibrate.add_argument("--chart", type=_path, default=Path("calibration.png"), metavar="FILE.png",
                           help="where to write the chart: a .png, .svg or .pdf file in a folder that exists "
                                "(default: calibration.png)")
    calibrate.add_argument("--from", dest="first_year", type=_year, default=2010, metavar="YEAR",
                           help="first year of reference figures to compare (default 2010)")
    calibrate.add_argument("--to", dest="last_year", type=_year, default=2025, metavar="YEAR",
                           help="last year of reference figures to compare (default 2025)")
    _add_set_option(calibrate)

    sweep = commands.add_parser(
        "sweep", help="run every combination of strategies, seeds and settings, to a Parquet or CSV file",
        description=textwrap.fill(
                    "Run a level for every combination of --strategies, --seeds and --set values, on worker "
                    "processes or a Dask cluster. Results stream to FILE.parts/ as they finish, so a stopped sweep "
                    "keeps them (--resume goes on); at the end they become FILE, a row per run per quarter, and "
                    "a summary per strategy and setting is printed: each figure's mean over the runs and, in "
                    "brackets, its 5th to 95th percentile (p5-p95).", width=79),
        epilog=SWEEP_COLUMNS_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    sweep.add_argument("--level", required=True, help="a level id (see 'levels list') or a level file")
    sweep.add_argument("--strategies", default="history", type=_strategy_list, metavar="A,B",
                       help=f"who plays Japan, comma-separated: {', '.join(STRATEGY_NAMES)}, shipped strategies or "
                            ".toml files, whose names hold no comma (default: history)")
    sweep.add_argument("--seeds", default="0-99", type=_sweep_seeds, metavar="FIRST-LAST",
                       help="seeds: a range 0-999, a seed 7, a list 1,5,9 or both (default 0-99); calibrate "
                            "takes them the same way")
    sweep.add_argument("--set", dest="sweep_settings", action="append", default=[], type=_sweep_setting,
                       metavar="NAME=V1,V2",
                       help="sweep an assumption over these values (repeatable; assumptions.NAME or NAME)")
    sweep.add_argument("--workers", type=_workers, default=None,
                       help=f"worker processes, at most {MOST_WORKERS} (default: one per CPU core); with local-dask, "
                            "the cluster's workers")
    sweep.add_argument("--scheduler", type=_scheduler, default=None, metavar="ADDRESS|local-dask",
                       help="run on a Dask cluster: its scheduler's address (tcp://host:8786), or local-dask for "
                            "a cluster of local processes")
    sweep.add_argument("--out", type=_path, required=True, metavar="FILE.parquet|FILE.csv",
                       help="the results file (its folder must exist)")
    sweep.add_argument("--resume", action="store_true", help="go on with a sweep that was stopped")
    sweep.add_argument("--quiet", action="store_true", help="no progress bar")

    workshop = commands.add_parser("workshop", help="a class plays as nations: codes, hot seat, server, report, handouts")
    workshop_commands = workshop.add_subparsers(dest="workshop_command", metavar="ACTION", parser_class=_Parser)
    make_code = workshop_commands.add_parser(
        "code", help="a short code naming a level, seed, roles and settings, to set up the same game elsewhere")
    make_code.add_argument("--level", required=True, help="a shipped level's id")
    make_code.add_argument("--seed", type=_non_negative_int, required=True, help="the world's seed")
    make_code.add_argument("--roles", type=_role_list, default=["JPN"], metavar="JPN,CHN",
                           help=f"the nations teams play ({', '.join(TEAM_ROLES)}; default JPN)")
    make_code.add_argument("--pause", action="store_true", help="pause after each turn (the facilitator goes on)")
    make_code.add_argument("--teams-see-each-other", action="store_true", help="teams see the others' indicators")
    make_code.add_argument("--reveal-events-by-hand", action="store_true", help="the facilitator reveals each event")
    _add_set_option(make_code)
    show_code = workshop_commands.add_parser("show", help="what a scenario code names")
    show_code.add_argument("code", metavar="CODE")
    hotseat = workshop_commands.add_parser(
        "hotseat", help="teams take turns on this machine, each seeing only its own nation", epilog=DATA_FOLDER_HELP)
    _add_workshop_game(hotseat)
    hotseat.add_argument("--resume", type=_path, default=None, metavar="RESULTS.json",
                         help="go on with a hot seat's game from the results file its window saved when it closed "
                              "part-way")
    hotseat.add_argument("--team", type=_role_and_team_name, action="append", default=[], metavar="ROLE=NAME",
                         help=f"a team's name, as the screens and the report show it (once per team, e.g. "
                              f"--team JPN=Sakura; at most {MOST_TEAM_NAME_CHARACTERS} characters)")
    hotseat.add_argument("--language", choices=("en", "ja"), default=None,
                       help="the window's language (default: the game's own setting, from 'rare-earths play')")
    hotseat.add_argument("--window", type=_window_size, default=(1280, 720), metavar="WxH",
                         help=WINDOW_HELP)
    serve = workshop_commands.add_parser(
        "serve", help="hold a class's world on this machine; teams join from their own windows",
        description="Hold one class's world; prints a join code for each team and one for the facilitator. "
                    "Teams run 'rare-earths workshop join ADDRESS CODE'. The facilitator's panel opens in a "
                    "window unless --no-window. The results file is made at the start and written after every "
                    "quarter, at the level's end and on the way out; --resume goes on from it if the server stops.",
        epilog=DATA_FOLDER_HELP)
    _add_workshop_game(serve)
    serve.add_argument("--resume", type=_path, default=None, metavar="RESULTS.json",
                       help="go on with a class whose server stopped (killed, the machine restarted), from the "
                            "results file it was writing: the same join codes, paused until the facilitator "
                            "resumes; the results go on in that file")
    serve.add_argument("--host", type=_host, default="0.0.0.0",
                       help="address to listen on (default: every network of this machine; 127.0.0.1 for this "
                            "machine only)")
    serve.add_argument("--port", type=_port, default=8765, help="port to listen on (default 8765; 0: any free one)")
    serve.add_argument("--out", type=_path, default=None, metavar="FILE.json",
                       help="the class's results file, in a folder that exists (default: "
                            "workshop-LEVEL-CLASSCODE.json here)")
    serve.add_argument("--title", type=_title, default="", help="the class's name, shown in the report")
    serve.add_argument("--no-window", action="store_true",
                       help="no facilitator window: a facilitator joins with its code from any window")
    serve.add_argument("--start", action="store_true", help="start at once (teams may act as soon as they join)")
    serve.add_argument("--language", choices=("en", "ja"), default=None,
                       help="the window's language (default: the game's own setting, from 'rare-earths play')")
    serve.add_argument("--window", type=_window_size, default=(1280, 720), metavar="WxH",
                       help="the facilitator " + WINDOW_HELP)
    join = workshop_commands.add_parser("join", help="join a class's server with a team's (or the facilitator's) code",
                                        epilog=DATA_FOLDER_HELP)
    join.add_argument("address", metavar="HOST:PORT", help="the server's address, as 'workshop serve' printed it")
    join.add_argument("code", metavar="CODE", help="the join code the facilitator gave your team")
    join.add_argument("--team", type=_team_name, default="",
                      help=f"your team's name (at most {MOST_TEAM_NAME_CHARACTERS} characters)")
    join.add_argument("--language", choices=("en", "ja"), default=None,
                       help="the window's language (default: the game's own setting, from 'rare-earths play')")
    join.add_argument("--window", type=_window_size, default=(1280, 720), metavar="WxH",
                      help=WINDOW_HELP)
    report = workshop_commands.add_parser(
        "report", help="one HTML page comparing the class's games with each other and with history")
    report.add_argument("results", nargs="+", type=_path, metavar="RESULTS.json")
    report.add_argument("--out", type=_path, default=Path("workshop-report.html"), metavar="FILE.html",
                        help="where to write the page (default: workshop-report.html; its folder must exist)")
    report.add_argument("--language", choices=("en", "ja"), default="en")
    handouts = workshop_commands.add_parser(
        "handouts", help="printable role cards and a facilitator's guide (A4 HTML, English and Japanese)")
    handouts.add_argument("--level", required=True, help="a level's id (see 'levels list') or a level file")
    handouts.add_argument("--out", type=_path, default=Path("."), metavar="FOLDER",
                          help="the folder to write them to (default: here; it must exist: none is made)")
    handouts.add_argument("--language", choices=("en", "ja", "both"), default="both")

    plot = commands.add_parser("plot", help="fan charts and score distributions of a sweep's results")
    plot.add_argument("file", type=_path, metavar="FILE", help="a results file written by 'sweep'")
    plot.add_argument("--out", type=_path, default=None, metavar="CHART.png|CHART.svg",
                      help="where to write the charts, in a folder that exists (default: FILE's name with .png); "
                           "CHART.png writes CHART-fan.png and CHART-scores.png")
    plot.add_argument("--by", default=None, metavar="COLUMN",
                      help="group runs by strategy (the default), a swept setting NAME, or strategy+NAME")
    plot.add_argument("--indicators", default=None, type=_name_list, metavar="A,B",
                      help="indicator columns to chart over time (default: output, China share, stockpile, NdPr)")
    return parser


def _add_workshop_game(command: argparse.ArgumentParser) -> None:
    """What sets up a class's game: a scenario code, or the level, seed, roles and settings."""
    command.add_argument("--code", default=None, metavar="CODE", help="a scenario code (see 'workshop code')")
    command.add_argument("--level", default=None,
                         help="a shipped level's id, or a level file of your own (no scenario code then); without --code")
    command.add_argument("--seed", type=_non_negative_int, default=None,
                         help="the world's seed (default: a fresh one, printed with the game's code)")
    command.add_argument("--roles", type=_role_list, default=None, metavar="JPN,CHN",
                         help=f"the nations teams play ({', '.join(TEAM_ROLES)}); bots play the others")
    command.add_argument("--pause", action="store_true", help="pause after each turn (the facilitator goes on)")
    command.add_argument("--teams-see-each-other", action="store_true", help="teams see the others' indicators")
    command.add_argument("--reveal-events-by-hand", action="store_true", help="the facilitator reveals each event")
    _add_set_option(command)


def _port(text: str) -> int:
    value = _non_negative_int(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 0 to 65535, got {value}")
    return value


def _name_list(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",")]
    if not text.strip() or any(not name for name in names):
        raise argparse.ArgumentTypeError(f"expected names separated by commas, got {_quoted(text)}")
    twice = first_repeated(tuple(names))
    if twice is not None:  # a mistake for another name, more likely than a wish for two of it
        raise argparse.ArgumentTypeError(f"{_quoted(twice)} is named twice in {_quoted(text)}")
    return names


def _strategy_list(text: str) -> list[str]:
    """``--strategies``: names separated by commas, none of them pieces of a strategy file whose
    own name holds a comma. Split, such a file was refused as its first piece ("a: unknown
    strategy"), a strategy nobody named; taken whole when it exists, ``a,b`` would name one
    strategy or two depending on the files of the day."""
    from game.players import strategy_file

    pieces = text.split(",")
    for first in range(len(pieces) - 1):
        found = None
        for last in range(first + 1, min(first + MOST_COMMAS_IN_A_STRATEGY_NAME + 1, len(pieces))):
            joined = ",".join(pieces[first:last + 1]).strip()
            with contextlib.suppress(ScenarioError):  # the longest named is said: x,y,z.toml, not x,y
                strategy_file(joined)
                found = joined
        if found is not None:
            raise argparse.ArgumentTypeError(f"{_quoted(found)} is a strategy file whose name holds a comma, which "
                                             "separates strategies here: copy or rename it to a name without one")
    return _name_list(text)


def _role_list(text: str) -> list[str]:
    roles = _name_list(text)
    for role in roles:
        if role not in TEAM_ROLES:
            raise argparse.ArgumentTypeError(f"{_quoted(role)} is not a role (the roles: {', '.join(TEAM_ROLES)})")
    return roles


def _title(text: str) -> str:
    if names_nothing(text):  # a resume refuses such a title in its file: the report would show no name
        raise argparse.ArgumentTypeError("expected a title that shows something, got only blanks")
    return _plain_text(text, MOST_TEXT_CHARACTERS)


def _team_name(text: str) -> str:
    # Composed as the server keeps it, "É", not "E" and a mark (40 letters typed decomposed were
    # 80 characters, refused), and checked as the server checks a join's name.
    text = composed(text)
    problem = team_name_problem(text)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return text


def _role_and_team_name(text: str) -> tuple[str, str]:
    role, equals, team = text.partition("=")
    if not equals or not role.strip():
        raise argparse.ArgumentTypeError(f"expected ROLE=NAME (e.g. JPN=Sakura), got {_quoted(text)}")
    return role.strip().upper(), _team_name(team)


def _plain_text(text: str, most: int) -> str:
    if len(text) > most:
        raise argparse.ArgumentTypeError(f"expected at most {most} characters, got {len(text):,}")
    if not text.isprintable():
        raise argparse.ArgumentTypeError(f"expected text without control or invisible characters, got {_quoted(text)}")
    return text


def _host(text: str) -> str:
    # A host name is at most 253 characters of letters, digits, dots, hyphens (and colons for IPv6).
    # An IPv6 address may come in the brackets the server prints it in; they are not the address's.
    bracketed = re.fullmatch(r"\[([0-9A-Fa-f:.]{2,45})\]", text)
    if bracketed:
        return bracketed.group(1)
    if not re.fullmatch(r"[A-Za-z0-9.:_-]{0,253}", text):
        raise argparse.ArgumentTypeError(f"expected a host name or an address like 127.0.0.1, got {_quoted(text)}")
    return text


def _add_set_option(command: argparse.ArgumentParser) -> None:
    """``--set assumptions.NAME=VALUE``, repeatable: overrides the world's and the level's
    [assumptions] for this run, checked before anything runs."""
    command.add_argument("--set", dest="settings", action="append", type=_assumption_setting, default=[],
                         metavar="assumptions.NAME=VALUE",
                         help="override a behavioural assumption of the world file's [assumptions] table "
                              "(repeatable), e.g. --set assumptions.max_thrift_per_quarter=0.05")


def _assumption_setting(text: str) -> tuple[str, object]:
    try:
        return parse_setting(text)
    except AssumptionError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _sweep_seeds(text: str) -> tuple[int, ...]:
    from game.research.sweep import SweepError, parse_seeds

    try:
        return parse_seeds(text)
    except SweepError as error:
        raise argparse.ArgumentTypeError(str(error).removeprefix("--seeds: ")) from None


def _scheduler(text: str) -> str:
    from game.research.sweep import is_scheduler_address

    if text != "local-dask" and not is_scheduler_address(text):
        raise argparse.ArgumentTypeError(f"expected tcp://HOST:PORT or local-dask, got {_quoted(text)}")
    return text


def _sweep_setting(text: str) -> tuple[str, tuple[object, ...]]:
    from game.research.sweep import SweepError, parse_setting_values

    try:
        return parse_setting_values(text)
    except SweepError as error:
        raise argparse.ArgumentTypeError(str(error).removeprefix("--set: ")) from None


class _TypedPath(type(Path())):  # the system's own Path class: Python 3.11 cannot subclass Path itself
    """A file or folder named on the command line, which keeps the name as it was typed for
    messages (``_shown``): a Path drops a trailing slash, "./" and doubled slashes, so a refusal
    named "charts" for "charts/". A path made from it (its folder, another suffix) is a name of
    its own, and shows as it is."""

    typed = ""


#: C0 and C1 control characters and DEL: no file the game reads or writes is named with one.
_CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _path(text: str) -> Path:
    """A file or folder named on the command line; an empty name is refused (Path('') is this
    folder, which a mistyped variable, --out "$OUT", then named without a word)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("empty: name a file")
    if _CONTROL_CHARACTER.search(text):  # a file named "out^Ax.csv" is a slip of the keyboard or a script, never meant
        raise argparse.ArgumentTypeError(f"expected a file name without control characters, got {_quoted(text)}")
    named = _TypedPath(text)
    named.typed = text
    return named


def _whole_number(text: str, least: int = 0) -> int:
    """Digits 0-9 and nothing else: int() would also take "1_000", "+5" and other scripts' digits.
    A negative whole number is named as such, against ``least``, rather than as not a number."""
    digits = text.strip()
    if digits.startswith("-") and re.fullmatch(r"[0-9]+", digits[1:]):
        raise argparse.ArgumentTypeError(
            f"expected {'0 or more' if least == 0 else f'at least {least}'}, got {digits}")
    if not re.fullmatch(r"[0-9]+", digits):
        raise argparse.ArgumentTypeError(f"expected a whole number, got {_quoted(text)}")
    if len(digits) > 30:  # far past every bound below, and int() refuses more than 4,300 digits
        raise argparse.ArgumentTypeError(f"expected a whole number up to 2^63-1, got one of {len(digits):,} digits")
    return int(digits)


def _non_negative_int(text: str) -> int:
    value = _whole_number(text)
    if value > MAX_SEED:
        raise argparse.ArgumentTypeError(f"expected a whole number from 0 to 2^63-1, got {value}")
    return value


def _bounded(text: str, least: int, most: int, what: str) -> int:
    value = _whole_number(text, least)
    if value < least:
        raise argparse.ArgumentTypeError(f"expected at least {least}, got {value:,}")
    if value > most:
        raise argparse.ArgumentTypeError(f"expected {what} from {least} to {most:,}, got {value:,}")
    return value


def _turns(text: str) -> int:
    return _bounded(text, 1, MOST_TURNS, "a number of quarters")


def _calibration_seeds(text: str) -> int:
    """calibrate's --seeds, written as sweep's (FIRST-LAST, a seed, a list): ``--seeds 5`` meant
    five seeds here and seed 5 in sweep. The replay averages seeds 0 to LAST, so they must run
    from 0 without a gap. Returns how many."""
    if re.fullmatch(r"\s*0*[1-9][0-9]*\s*", text):  # a count, as calibrate took them before
        count = int(text)
        hint = ("0 for seed 0 alone" if count == 1 else f"0-{count - 1} for {count:,} seeds"
                if count <= MOST_CALIBRATION_SEEDS else f"at most 0-{MOST_CALIBRATION_SEEDS - 1}")
        raise argparse.ArgumentTypeError(f"{count} is one seed, as in sweep; calibrate averages seeds 0 to LAST ({hint})")
    seeds = _sweep_seeds(text)
    if seeds != tuple(range(len(seeds))):
        raise argparse.ArgumentTypeError(f"calibrate averages seeds 0 to LAST: expected 0-LAST, such as 0-4, "
                                         f"got {short_repr(text, 60)}")
    if len(seeds) > MOST_CALIBRATION_SEEDS:
        raise argparse.ArgumentTypeError(f"expected at most {MOST_CALIBRATION_SEEDS} seeds "
                                         f"(0-{MOST_CALIBRATION_SEEDS - 1}), got {len(seeds):,}")
    return len(seeds)


def _workers(text: str) -> int:
    return _bounded(text, 1, MOST_WORKERS, "a number of workers")


def _year(text: str) -> int:
    if not re.fullmatch(r"[0-9]{1,6}", text.strip()):
        raise argparse.ArgumentTypeError(f"expected a year like 2010, got {_quoted(text)}")
    value = int(text)
    if not quarters.FIRST_YEAR <= value <= quarters.LAST_YEAR:  # the game's calendar
        raise argparse.ArgumentTypeError(
            f"expected a year from {quarters.FIRST_YEAR} to {quarters.LAST_YEAR}, got {value}")
    return value


def _window_size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"([0-9]{1,6})[xX]([0-9]{1,6})", text.strip())
    if match is None:
        raise argparse.ArgumentTypeError(f"expected a size like 1280x720, got {_quoted(text)}")
    width, height = int(match.group(1)), int(match.group(2))
    (least_w, least_h), (most_w, most_h) = SMALLEST_WINDOW, LARGEST_WINDOW
    # An 8K screen either way round (a portrait one is 4320x7680).
    if not (least_w <= width <= most_w and least_h <= height <= most_w and width * height <= most_w * most_h):
        raise argparse.ArgumentTypeError(f"expected a size from {least_w}x{least_h} to {most_w}x{most_h} (or "
                                         f"{most_h}x{most_w}), got {width}x{height}")
    return width, height


class StandardOutputError(OSError):
    """Standard output would not take what a command printed: closed, or on a full device."""


class _CheckedOutput:
    """Standard output while a command runs. Python prints into nothing when the command started
    with it closed (``>&-``), so a command's answer was lost with exit 0; and a write that fails
    (``>/dev/full``) named no file, as if the results file were at fault. Both now say it was
    standard output. Everything else is the stream's own."""

    def __init__(self, stream) -> None:
        self._stream = stream
        #: The first write that failed, if any: argparse's --help swallows the error it raises.
        self.lost: StandardOutputError | None = None

    def write(self, text: str) -> int:
        if self._stream is None:
            self.lost = self.lost or StandardOutputError(errno.EBADF, "it is closed")
            raise self.lost
        return self._named(self._stream.write, text)

    def flush(self) -> None:
        if self._stream is not None:
            self._named(self._stream.flush)

    def _named(self, call: Callable[..., Any], *args: Any) -> Any:
        try:
            return call(*args)
        except BrokenPipeError:  # the reader went away (``| head``): not a failure
            raise
        except OSError as error:
            failed = StandardOutputError(error.errno, error.strerror or str(error))
            self.lost = self.lost or failed
            raise failed from None

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        # A terminal or a pipe whose encoding lacks a character the game prints (the yen sign,
        # Japanese) gets an escape for it, not a UnicodeEncodeError.
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    stdout, sys.stdout = sys.stdout, _CheckedOutput(sys.stdout)
    try:
        return _main(argv)
    finally:
        sys.stdout = stdout


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    try:
        args, extra = parser.parse_known_args(argv)
    except SystemExit as done:
        if done.code == 0:  # --help: what it printed must reach standard output, or be said lost
            try:
                sys.stdout.flush()
            except BrokenPipeError:
                return EXIT_OK
            except StandardOutputError:
                pass
            lost = getattr(sys.stdout, "lost", None)
            if lost is not None:
                _error(f"{parser.prog}: cannot write to standard output: {lost.strerror}")
                return EXIT_INVALID
        raise
    chosen = _chosen_parser(parser, args)
    if extra:  # named by the command they were given to, not by rare-earths
        chosen.error(f"unrecognized arguments: {' '.join(extra)}")
    name = _command_name(args)
    try:
        with stop_signals_raised():  # a kill or a closed terminal stops a command as Ctrl+C does
            code = _dispatch(args, parser, name)
        sys.stdout.flush()  # a full device says so now, while a line can still name it
        return code
    except _Refused as refused:
        _error(refused)
        return refused.status
    except ScenarioError as error:  # a level or strategy named or read on the way: each problem, as the others' lines
        for problem in error.problems:
            _error(f"{name}: {problem}")
        return EXIT_INVALID
    except BrokenPipeError:  # e.g. piped into `head`
        return EXIT_OK
    except StandardOutputError as error:
        _error(f"{name}: cannot write to standard output: {error.strerror}")
        return EXIT_INVALID
    except KeyboardInterrupt as interrupt:
        # Ctrl+C: every file is written whole or not at all (game.whole_files), so nothing
        # is half-written; a window says what it saved as it closed.
        said, (how, status) = str(interrupt), how_stopped(interrupt)
        _error(f"{name}: stopped ({how}){'; ' + said if said else ''}")
        return status
    except OSError as error:  # what the door cannot foresee: a disk that fills, a file that vanishes
        where = f"{_shown(error.filename)}: " if error.filename else ""
        _error(f"{name}: {where}{error.strerror or error}")
        return EXIT_INVALID


def _overrides_shown(settings) -> str:
    """The assumptions a command was given with --set, as its heading or summary line names them
    (", assumptions.NAME=VALUE" each, VALUE as --set takes it; "" for none)."""
    return "".join(f", assumptions.{name}={value_text(value)}" for name, value in settings)


def _window_failed(name: str, error: Exception) -> str:
    """The line for a window that would not open, or failed in play (then its notes say what
    became of the level in play: see ``App.run``)."""
    notes = getattr(error, "__notes__", ())
    if notes:
        return f"{name}: the game window failed: {error}; {'; '.join(notes)}"
    return f"{name}: cannot open the game window: {error}"


def _command_name(args: argparse.Namespace) -> str:
    words = [args.command, getattr(args, "levels_command", None), getattr(args, "workshop_command", None)]
    return " ".join(["rare-earths", *(word for word in words if word)])


def _dispatch(args: argparse.Namespace, parser: argparse.ArgumentParser, name: str) -> int:
    settings = getattr(args, "settings", None) or getattr(args, "sweep_settings", None) or ()
    twice = first_repeated(tuple(setting for setting, _ in settings))
    if twice is not None:  # the last one won without a word (a code carried both): a malformed command line
        _chosen_parser(parser, args).error(f"--set: assumptions.{twice} is set twice")
    if args.command == "levels" and args.levels_command == "list":
        return _levels_list()
    if args.command == "levels" and args.levels_command == "validate":
        return _levels_validate(args.paths)
    if args.command == "levels" and args.levels_command == "show":
        return _levels_show(args.level, args.language, name)
    if args.command == "play":
        return _play(args, name)
    if args.command == "run":
        return _run(args, name)
    if args.command == "calibrate":
        return _calibrate(args, name)
    if args.command == "sweep":
        return _sweep(args, name)
    if args.command == "plot":
        return _plot(args, name)
    if args.command == "workshop" and args.workshop_command == "code":
        return _workshop_code(args)
    if args.command == "workshop" and args.workshop_command == "show":
        return _workshop_show(args.code)
    if args.command == "workshop" and args.workshop_command in ("hotseat", "serve", "join"):
        return _workshop_table(args)
    if args.command == "workshop" and args.workshop_command == "report":
        return _workshop_report(args, name)
    if args.command == "workshop" and args.workshop_command == "handouts":
        return _workshop_handouts(args, name)
    group = _chosen_parser(parser, args)
    actions = [action for action in group._actions if isinstance(action, argparse._SubParsersAction)]
    if group is not parser and actions:  # 'rare-earths workshop' alone: the group's actions, in one line
        group.error(f"choose an action: {', '.join(actions[0].choices)}")
    parser.print_help()
    return EXIT_USAGE


def _play(args: argparse.Namespace, name: str) -> int:
    if args.resume is not None:
        return _play_alone_again(args, name)
    if args.level is not None:
        _check_level(args.level, name)
        # A wrong level is a one-line error before any window opens: an unknown id, and a level
        # file that does not load (the window only said so on its briefing, after opening).
        load_level(find_level(args.level))
    level, seed, assumptions = args.level, args.seed, None
    if args.code is not None:
        from game.workshop.codes import CodeError, decode

        if args.level is not None or args.seed is not None:
            _error(f"{name}: --code names the level and the seed: leave out --level and --seed")
            return EXIT_USAGE
        try:
            code = decode(args.code)
        except CodeError as error:
            _error(f"{name}: --code: {error}")
            return EXIT_INVALID
        return _play_code(code, args, name)
    if args.role is not None:
        _error(f"{name}: --role goes with --code (the role a team plays in a workshop's game)")
        return EXIT_USAGE
    _check_data_folder(name)
    import pygame

    from game.ui.app import open_window

    try:
        open_window(args.window, level, seed, assumptions)
    except pygame.error as error:  # no display, no video driver: say so in one line
        _error(_window_failed(name, error))
        return EXIT_INVALID
    return EXIT_OK


def _play_code(code, args: argparse.Namespace, name: str) -> int:
    """A team alone with a scenario code: its role's seat, the other roles played by bots (the
    Fish Banks way: every team of a class plays the same game, then the report compares them)."""
    role = args.role or (code.roles[0] if code.roles else "JPN")
    if role not in code.roles:
        _error(f"{name}: --role {role}: this code's teams play {', '.join(code.roles) or 'no role'}")
        return EXIT_USAGE
    _check_data_folder(name)
    import pygame

    from game.ui.workshop_window import open_team
    from game.workshop.classroom import Workshop
    from game.workshop.table import LocalTable

    # No facilitator sits with a team alone: nothing waits for one to resume or reveal.
    flags = set(code.flags) - {"pause_after_each_turn", "reveal_events_by_hand"}
    workshop = Workshop(code.scenario(), code.seed, (role,), flags=flags, code=args.code)
    workshop.start()
    try:
        kept = open_team(LocalTable(workshop), role, args.window)
    except pygame.error as error:
        _error(_window_failed(name, error))
        return EXIT_INVALID
    if kept:  # where the team's results went (the data folder, or the temporary one), as a stop says
        print(f"{name}: {kept}")
    return EXIT_OK


def _play_alone_again(args: argparse.Namespace, name: str) -> int:
    """``play --resume RESULTS.json``: a team alone goes on with the game its window saved."""
    given = [option for option, value in (("--code", args.code), ("--level", args.level), ("--seed", args.seed),
                                          ("--role", args.role)) if value is not None]
    if given:
        raise _Refused(f"{name}: --resume goes on with the game its file records: leave out {', '.join(given)}")
    workshop = _table_game_again(args.resume, name, alone=True)
    _check_data_folder(name)
    import pygame

    from game.ui.workshop_window import open_team
    from game.workshop.table import LocalTable

    print(f"{name}: {_shown(args.resume)}: {workshop.roles[0]} goes on from {workshop.quarter}")
    try:
        kept = open_team(LocalTable(workshop), workshop.roles[0], args.window, resumed=args.resume)
    except pygame.error as error:
        raise _Refused(_window_failed(name, error)) from None
    if kept:
        print(f"{name}: {kept}")
    return EXIT_OK


def _table_game_again(path: Path, name: str, alone: bool):
    """The game a hot seat's (or, ``alone``, a team alone's) results file records, replayed to where
    it stood when its window closed, to go on with in a window on this machine. Everyone it waits
    for sits at that window, so it is not paused, unless its facilitator pauses it after each
    quarter. A class on a network goes on with its server."""
    from game.workshop.results import ResultsError, read_results, resumed

    _check_input(path, name, "--resume")
    try:
        data = read_results(path)
        if "server" in data:
            raise ResultsError("a class on a network's file: its server goes on with it ('rare-earths workshop "
                               "serve --resume FILE')")
        if not data["roles"]:
            raise ResultsError("roles: its game names no team's role")
        waits_on = sorted({"pause_after_each_turn", "reveal_events_by_hand"} & set(data["flags"]))
        if alone and (len(data["roles"]) != 1 or waits_on):
            why = (f"its game has {len(data['roles'])} teams ({', '.join(data['roles'])})" if len(data["roles"]) != 1
                   else f"its game waits on a facilitator ({', '.join(flag.replace('_', ' ') for flag in waits_on)})")
            raise ResultsError(f"{why}: go on with 'rare-earths workshop hotseat --resume FILE'")
        if alone and any(entry["by"] == "facilitator" for entry in data["actions"]):
            raise ResultsError("it records a facilitator's actions, and a team alone has no facilitator: go on with "
                               "'rare-earths workshop hotseat --resume FILE'")
        workshop = resumed(data)
    except ResultsError as error:
        message = str(error)
        raise _Refused(f"{name}: --resume {message if message.startswith(str(path)) else f'{_shown(path)}: {message}'}"
                       ) from None
    # A class whose facilitator pauses it after each quarter comes back paused, as a server's
    # does: it came back playing, the class's talk cut short (the file does not say whether it
    # was paused when it closed, and between quarters it was).
    workshop.set_paused(not alone and "pause_after_each_turn" in data["flags"])
    return workshop


def _levels_list() -> int:
    for path in shipped_level_paths():
        try:
            level = load_level(path)
        except ScenarioError:
            print(f"{printable(path.stem)}\t(invalid: run 'rare-earths levels validate')")
            continue
        print(f"{printable(level.id)}\t{printable(level.title.get('en', ''))}")
    return EXIT_OK


def _levels_validate(paths: Sequence[str]) -> int:
    targets = [Path(p) for p in paths] if paths else shipped_level_paths()
    problems = worlds = 0
    for path in targets:
        unreadable = _read_problem(path)  # a pipe or a device is never opened
        if unreadable:
            print(f"{_shown(path)}: cannot read the file ({unreadable})")
            problems += 1
            continue
        try:
            try:
                load_level(path)
            except ScenarioError as error:
                if not _is_a_world_file(error):
                    raise
                worlds += 1
                load_world(path)  # a world file of one's own, checked as a level naming it would check it
        except ScenarioError as error:
            # The first ones of a file and how many more: a file of 20,000 unknown keys printed
            # 20,000 lines, and the first are the ones to mend first.
            for problem in error.problems[:MOST_PROBLEMS_SHOWN]:
                print(printable(str(problem)))
            left = len(error.problems) - MOST_PROBLEMS_SHOWN
            if left > 0:
                print(f"{_shown(path)}: ... and {left:,} more problem{'s' if left > 1 else ''}")
            problems += len(error.problems)
    if problems == 0:
        levels = len(targets) - worlds
        said = [f"{levels} level file(s)"] * bool(levels or not worlds) + [f"{worlds} world file(s)"] * bool(worlds)
        print(" and ".join(said) + " valid")
        return EXIT_OK
    return EXIT_INVALID


def _is_a_world_file(error: ScenarioError) -> bool:
    """Whether ``load_level`` refused a file only for being a world file (``kind = "world"``)."""
    return [(p.key, p.message) for p in error.problems] == [("kind", WORLD_FILE_NOT_A_LEVEL)]


def _levels_show(level: str, language: str, name: str) -> int:
    _check_level(level, name, "")
    from game.ui.strings import Language  # the window's words for its headings: tomli only, no pygame

    tr = Language(language).tr
    colon = "：" if language == "ja" else ": "
    scenario = load_level(find_level(level))
    # Its line breaks become spaces, as a paragraph's; then broken to the terminal's columns by
    # the English and Japanese rules (Japanese has no spaces, and a fact id stays whole), and
    # escaped line by line.
    paragraph = " ".join(scenario.briefing.get(language, "").split())
    briefing = "\n".join(printable(line) for line in terminal_lines(paragraph, 96))
    lines = [f"{printable(scenario.id)}: {printable(scenario.title.get(language, ''))}",
             tr("{start} to {end}", start=scenario.start, end=scenario.end), "", briefing, "",
             tr("Objectives") + colon.rstrip()]
    if not scenario.objectives:
        lines.append("  " + tr("Free play: no objectives, no stars. Explore."))
    for objective in scenario.objectives:
        lines.append(f"  {'*' * objective.star:<3} {printable(objective.text.get(language, objective.id))}")
    lines += ["", tr("Levers open in this level") + colon
              + ", ".join(printable(a) for a in scenario.unlocked_actions or JAPAN_LEVERS)]
    print("\n".join(lines))
    return EXIT_OK


def _import_mesa_first() -> None:
    """Import Mesa before the simulation that uses it, from the command's own few frames. Mesa's
    model module names its logger by ``inspect.stack()`` and its method logger its class by
    ``inspect.getouterframes``: each walks every frame of the import under way, reading each
    file's source and searching ``sys.modules`` once for each of the import system's own frames.
    Imported at the end of the world's chain of imports (research, players, bot, world...),
    that was 55 frames, about a tenth of what ``rare-earths run --level`` cost; from here, 25."""
    import mesa  # noqa: F401


def _run(args: argparse.Namespace, name: str) -> int:
    _check_level(args.level, name)
    if args.out is not None:
        inputs = [("the --level file", Path(args.level))] if _looks_like_a_path(args.level) else []
        inputs += [("the --strategy file", Path(args.strategy))]
        # A file there already is refused, as sweep refuses it: it overwrote a finished sweep's results.
        _check_output(args.out, name, "--out", (".csv",), tuple(inputs), new="other results")
    # The simulation (Mesa, the world) loads only for the commands that run it.
    _import_mesa_first()
    from game.research import run
    from game.research.runner import scenario_for

    if args.turns is not None:
        scenario = scenario_for(args.level, dict(args.settings))
        if args.turns > scenario.n_turns:
            quarters = "1 quarter" if scenario.n_turns == 1 else f"{scenario.n_turns} quarters"
            raise _Refused(f"{name}: --turns {args.turns}: {scenario.id} has {quarters} "
                           f"({scenario.start} to {scenario.end})")
    result = run(args.level, args.strategy, args.seed, dict(args.settings), turns=args.turns)
    rows = list(result.rows)
    if args.out is not None:
        try:
            write_whole(args.out, rows_to_csv(rows, _where_from(result.meta, args.settings)))
        except OSError as error:
            _error(f"{name}: cannot write {_shown(args.out)}: {error.strerror or error}")
            return EXIT_INVALID
        overrides = _overrides_shown(args.settings)
        print(f"{len(rows)} quarters of {result.level} ({printable(result.strategy)}, seed {args.seed}{overrides}) "
              f"written to {printable(str(args.out))}")
    else:
        print(format_table(rows))
    for quarter, kind, message in result.refused:
        _error(f"{quarter}: refused {kind}: {message}")
    if result.reasons:
        # (A part of a level earns stars on what was played: 2 for its first quarter, where the whole earns none.)
        part = "" if args.turns is None or args.turns == scenario.n_turns else \
            f", judged on the {len(rows)} quarter{'' if len(rows) == 1 else 's'} played of {scenario.n_turns}"
        print(f"\n{'*' * result.stars or 'no stars'} ({result.stars} of 3), score {result.score:.0f}{part}")
        for reason in result.reasons:
            print(f"  {printable(reason)}")
    return EXIT_OK


def _calibrate(args: argparse.Namespace, name: str) -> int:
    _import_mesa_first()
    from game.players import controller_for
    from game.research.calibration import (
        compare,
        format_comparisons,
        load_targets,
        replay,
        replay_quiet,
        write_chart,
    )
    from game.research.firm_fates import format_firm_fates
    from game.research.history_checks import (
        format_checks,
        history_checks,
        quiet_world_check,
    )
    from game.research.world_balance import format_world_balance

    if args.first_year > args.last_year:
        _error(f"{name}: --from {args.first_year} is after --to {args.last_year}")
        return EXIT_USAGE
    _check_level(args.level, name)
    _check_output(args.chart, name, "--chart")  # first: a folder is "a folder", whatever its name ends in
    if args.chart.suffix.lower() not in CHART_SUFFIXES:
        raise _Refused(f"{name}: --chart {_quoted(args.chart)}: name a {', '.join(CHART_SUFFIXES[:-1])} or "
                       f"{CHART_SUFFIXES[-1]} file")
    scenario = with_assumptions(load_level(find_level(args.level)), dict(args.settings))
    controller_for(args.strategy, scenario)  # fail early, with one line, on a bad strategy
    if scenario.start.year > args.last_year:
        if "last_year" not in getattr(args, "_options_given", ()):  # the default, not a year the user gave
            raise _Refused(f"{name}: {scenario.id} starts in {scenario.start}, after the reference's figures "
                           f"(to {args.last_year}): nothing to compare")
        raise _Refused(f"{name}: --to {args.last_year}: {scenario.id} starts in {scenario.start}")
    # Years the level does not play, or that the reference has no figure for, compare nothing: the
    # replay ran, and the table said n/a for every figure ("0 of 0").
    if args.first_year > scenario.end.year:
        raise _Refused(f"{name}: --from {args.first_year}: {scenario.id} ends in {scenario.end}")
    targets = load_targets(args.first_year, args.last_year)
    if not targets:
        years = sorted({int(target.period[:4]) for target in load_targets()})
        raise _Refused(f"{name}: --from {args.first_year} --to {args.last_year}: the reference has no figure in "
                       f"those years (it has {years[0]}-{years[-1]})")
    results = replay(scenario, args.strategy, args.seeds, args.last_year)
    comparisons = compare(results, targets)
    overrides = _overrides_shown(args.settings)  # not the default's figures
    # What the runs play of the years asked: a level of one's own may end long before 2025.
    played_to = min(args.last_year, scenario.end.year)
    span = "" if scenario.end.year >= args.last_year else f" (the level plays {scenario.start} to {scenario.end})"
    print(f"{scenario.id}, strategy {printable(args.strategy)}, seeds 0-{args.seeds - 1}{overrides}, "
          f"{args.first_year}-{args.last_year}{span}: model against the reference\n")
    print(format_comparisons(comparisons))
    if args.first_year <= 2011 and args.last_year >= 2025:
        # The checks tell the story from the 2010 halt on: a level that starts later (its world
        # carried on from 2010-trawler's history) has none of it to check, and one that ends
        # before 2025 is judged on years it never played ("no 2025").
        if scenario.start <= quarters.Quarter(2010, 4) and scenario.end.year < 2025:
            print(f"\nHistory checks: none (they follow the story to 2025, and {scenario.id} ends in {scenario.end})")
        elif scenario.start <= quarters.Quarter(2010, 4):
            checks = history_checks(results, scenario.world.reference_price)
            checks.append(quiet_world_check(replay_quiet(scenario, args.seeds, args.last_year)))
            print("\n" + format_checks(checks))
        else:
            print(f"\nHistory checks: none (they follow the story from 2010, and {scenario.id} starts in "
                  f"{scenario.start})")
    print("\n" + format_firm_fates(results, played_to))
    print("\n" + format_world_balance(results, args.first_year, args.last_year))
    try:
        import matplotlib  # noqa: F401  (optional: the research extra)
    except ImportError:
        _error(f"{name}: chart skipped: it needs matplotlib (pip install 'rare-earths[research]')")
        return EXIT_OK
    try:
        write_chart(comparisons, args.chart, results, args.first_year, args.last_year, overrides)
    except OSError as error:
        _error(f"{name}: cannot write {_shown(args.chart)}: {error.strerror or error}")
        return EXIT_INVALID
    print(f"\nchart written to {printable(str(args.chart))}")
    return EXIT_OK


@contextlib.contextmanager
def _notices_said_as(name: str, log):
    """A module's warnings, while the command runs, as lines of the command's own."""
    import logging

    class SaidAsTheCommand(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            _error(f"{name}: {record.getMessage()}")

    said = SaidAsTheCommand(logging.WARNING)
    log.addHandler(said)
    try:
        yield
    finally:
        log.removeHandler(said)


def _sweep(args: argparse.Namespace, name: str) -> int:
    _check_level(args.level, name)
    _check_output(args.out, name, "--out")
    _import_mesa_first()
    from game.research.sweep import (
        MAX_RUNS,
        SweepError,
        check_output,
        execute,
        parts_dir,
        plan_sweep,
    )
    from game.research import sweep as sweep_module

    if args.scheduler is not None and args.scheduler != "local-dask" and args.workers is not None:
        # Options that exclude each other: a malformed command line (2), as the README says.
        _error(f"{name}: --workers: a Dask cluster at an address has the workers it has; leave --workers out")
        return EXIT_USAGE
    try:
        seeds, settings = args.seeds, args.sweep_settings  # (read as the command line was parsed)
        combinations = math.prod(len(values) for _, values in settings)
        runs = combinations * len(args.strategies) * len(seeds)
        if combinations >= MANY_COMBINATIONS and runs <= MAX_RUNS and not args.quiet:  # (more: refused at once)
            # Each is checked before any run starts: a million took 40 s with nothing said.
            _error(f"{name}: checking each of the {combinations:,} combinations of settings first")
        plan = plan_sweep(args.level, args.strategies, seeds, settings)
        out = check_output(args.out, args.resume)
        workers = args.workers or os.cpu_count() or 1
        with _notices_said_as(name, sweep_module.log):
            outcome = execute(plan, out, workers=workers, scheduler=args.scheduler, resume=args.resume,
                              progress=not args.quiet)
    except SweepError as error:
        _error(f"{name}: {error}")
        return EXIT_INVALID
    except KeyboardInterrupt as interrupt:
        _error("")  # below the progress bar
        how, status = how_stopped(interrupt)
        _error(f"{name}: stopped ({how}); what finished is kept in {_shown(args.out)}.parts "
               "(run the same command with --resume to go on)")
        return status
    except OSError as error:
        kept = parts_dir(Path(args.out))
        # A full disk, say, mid-sweep: the runs already written stay for --resume.
        after = (f" (what finished is kept in {_shown(str(kept))}: make room, then run the same command with "
                 "--resume)") if kept.is_dir() else ""
        # A part of the finished runs is named as such: "cannot write p.csv" sent the user to the
        # results file, which was not written yet.
        in_parts = error.filename is not None and Path(os.fsdecode(error.filename)).parent == kept
        what = f"the finished runs in {_shown(str(kept))}" if in_parts else _shown(args.out)
        _error(f"{name}: cannot write {what}: {error.strerror or error}{after}")
        return EXIT_INVALID
    rate = outcome.played / outcome.seconds if outcome.seconds > 0 else 0.0
    print(f"{outcome.runs} runs of {printable(plan.level)} in {printable(str(outcome.path))} "
          f"({outcome.played} played now, {rate:.1f} runs/s)\n")
    if not plan.scored:
        print(f"{printable(plan.level)} has no objectives: every run would score 0 with no stars, so the summary "
              "leaves score and stars out\n")
    print(format_summary(outcome.summary))
    return EXIT_OK


def format_summary(lines: list[dict]) -> str:
    """The sweep's summary as an aligned table: a line per strategy and setting, each figure as
    its mean over the runs and, in brackets, its 5th to 95th percentile, as its heading says."""
    if not lines:
        return "(no runs)"
    keys = [k for k in lines[0] if not k.endswith((" mean", " p5", " p95"))]
    figures = [k.removesuffix(" mean") for k in lines[0] if k.endswith(" mean")]
    # Labelled: a bare "(a-b)" read as the runs' lowest and highest.
    header = keys + [f"{figure} mean (p5-p95)" for figure in figures]
    cells = [[printable(str(line[k])) for k in keys]
             + [f"{_summary_cell(line[f + ' mean'])} ({_summary_cell(line[f + ' p5'])}-"
                f"{_summary_cell(line[f + ' p95'])})" for f in figures] for line in lines]
    widths = [max(len(h), *(len(row[i]) for row in cells)) for i, h in enumerate(header)]
    out = ["  ".join(h.rjust(w) for h, w in zip(header, widths, strict=True))]
    out += ["  ".join(v.rjust(w) for v, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(out)


def _summary_cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 10 else f"{value:,.1f}"
    return str(value)


def _workshop_code(args: argparse.Namespace) -> int:
    from game.workshop.codes import CodeError, ScenarioCode, encode

    flags = tuple(name for name, on in (("pause_after_each_turn", args.pause),
                                        ("teams_see_each_other", args.teams_see_each_other),
                                        ("reveal_events_by_hand", args.reveal_events_by_hand)) if on)
    _check_level(args.level, "rare-earths workshop code")
    if not _looks_like_a_path(args.level):
        find_level(args.level)  # an unknown id is said to be one, not to be "a level of your own"
    code = ScenarioCode(args.level, args.seed, tuple(args.roles), flags, tuple(args.settings))
    try:
        text = encode(code)
    except CodeError as error:
        _error(f"rare-earths workshop code: {error}")
        return EXIT_INVALID
    print(text)
    print(_describe_code(code))
    return EXIT_OK


def _workshop_show(text: str) -> int:
    from game.workshop.codes import CodeError, decode

    try:
        code = decode(text)
    except CodeError as error:
        _error(f"rare-earths workshop show: {error}")
        return EXIT_INVALID
    print(_describe_code(code))
    return EXIT_OK


def _describe_code(code) -> str:
    scenario = code.scenario()
    lines = [(f"{printable(scenario.id)}: {printable(scenario.title.get('en', ''))} "
              f"({scenario.start} to {scenario.end}), seed {code.seed}, game version {code.version}"),
             f"teams play: {', '.join(code.roles) or 'nobody'}"
             + ("; no role is left for a bot" if set(TEAM_ROLES) <= set(code.roles)
                else "; bots play the others" + ("" if "CHN" in code.roles else " (China: its doctrine)"))]
    if code.flags:
        lines.append("facilitator: " + ", ".join(flag.replace("_", " ") for flag in code.flags))
    for name, value in code.settings:
        # As the code carries it, every digit (":g" printed 0.123457 for 0.123456789, which the
        # code reproduces exactly): the shortest text that reads back as the same number.
        lines.append(f"assumptions.{name} = {value!r}" if isinstance(value, float) else f"assumptions.{name} = {value}")
    return "\n".join(lines)


def _workshop_game(args: argparse.Namespace, name: str):
    """The scenario code a hot seat or a server plays: given, or made from the options."""
    from game.workshop.codes import CodeError, ScenarioCode, decode, encode

    if args.code is not None:
        # Its facilitator's choices too: --pause beside a code was ignored without a word.
        chosen = args.pause or args.teams_see_each_other or args.reveal_events_by_hand
        if args.level is not None or args.seed is not None or args.roles is not None or args.settings or chosen:
            raise _Malformed(f"{name}: --code names the level, seed, roles, settings and the facilitator's choices "
                             "(--pause, --teams-see-each-other, --reveal-events-by-hand): leave out the others")
        try:
            return decode(args.code), args.code
        except CodeError as error:
            raise _Refused(f"{name}: --code: {error}") from None
    if args.level is None:
        raise _Malformed(f"{name}: give --level ID (see 'rare-earths levels list') or --code CODE")
    _check_level(args.level, name)
    flags = tuple(flag for flag, on in (("pause_after_each_turn", args.pause),
                                        ("teams_see_each_other", args.teams_see_each_other),
                                        ("reveal_events_by_hand", args.reveal_events_by_hand)) if on)
    seed = args.seed if args.seed is not None else secrets.randbelow(1_000_000)
    find_level(args.level)  # a wrong level is one line (ScenarioError) before anything else
    code = ScenarioCode(args.level, seed, tuple(args.roles or ("JPN",)), flags, tuple(args.settings))
    try:
        return code, encode(code)
    except CodeError as error:
        if args.level not in {path.stem for path in shipped_level_paths()}:
            return code, ""  # a level file of one's own plays, but has no code to share
        raise _Refused(f"{name}: {error}") from None


def _workshop_table(args: argparse.Namespace) -> int:
    name = f"rare-earths workshop {args.workshop_command}"
    try:
        if args.workshop_command == "join":
            return _workshop_join(args, name)
        if args.workshop_command == "serve" and args.resume is not None:
            return _workshop_serve_again(args, name)
        if args.workshop_command == "hotseat" and args.resume is not None:
            return _workshop_hotseat_again(args, name)
        code, text = _workshop_game(args, name)
        from game.workshop.classroom import Workshop, WorkshopError

        teams = _hotseat_team_names(args, code.roles, name) if args.workshop_command == "hotseat" else {}
        try:
            workshop = Workshop(code.scenario(), code.seed, code.roles, flags=set(code.flags), code=text, teams=teams)
        except WorkshopError as error:
            raise _Refused(f"{name}: {error}") from None
        if args.workshop_command == "hotseat":
            return _workshop_hotseat(workshop, args, name)
        return _workshop_serve(workshop, args, name)
    except _Refused as refused:
        _error(refused)
        return refused.status


def _hotseat_team_names(args: argparse.Namespace, roles, name: str) -> dict[str, str]:
    """The hot seat's ``--team ROLE=NAME``s, each for a role of the game, once, and no two names
    that read alike (the report told three nameless teams apart by their nations alone)."""
    from game.quoting import as_read

    teams: dict[str, str] = {}
    for role, team in args.team:
        if role not in roles:
            raise _Refused(f"{name}: --team {role}=…: {role} is no team's role in this game (roles: {', '.join(roles)})")
        if role in teams:
            raise _Refused(f"{name}: --team {role}=…: given twice")
        clash = next((other for other, named in teams.items() if as_read(named) == as_read(team)), None)
        if clash is not None:
            raise _Refused(f"{name}: --team {role}=…: the name reads as {clash}'s team's name; choose another")
        teams[role] = team
    return teams


def _refuse_a_new_game_with_resume(args: argparse.Namespace, name: str) -> None:
    """``--resume`` goes on with the game its file records, so nothing that makes a new game may come with it."""
    if args.code is not None or args.level is not None or args.seed is not None or args.roles is not None \
            or args.settings or args.pause or args.teams_see_each_other or args.reveal_events_by_hand \
            or getattr(args, "team", None):
        raise _Refused(f"{name}: --resume goes on with the game its file records: leave out --code, --level, "
                       "--seed, --roles, --set, --team and the facilitator's settings")


def _workshop_hotseat_again(args: argparse.Namespace, name: str) -> int:
    """``hotseat --resume RESULTS.json``: the class goes on with the game its window saved."""
    _refuse_a_new_game_with_resume(args, name)
    workshop = _table_game_again(args.resume, name, alone=False)
    print(f"{name}: {_shown(args.resume)}: {', '.join(workshop.roles)} go on from {workshop.quarter}")
    return _workshop_hotseat(workshop, args, name, resumed=args.resume)


def _workshop_hotseat(workshop, args: argparse.Namespace, name: str, resumed: Path | None = None) -> int:
    import pygame

    from game.ui.workshop_window import open_hotseat
    from game.workshop.table import LocalTable

    if not workshop.roles:  # a code made through the API may name none; nobody would sit at the hot seat
        raise _Refused(f"{name}: this game names no role for a team to play")
    _check_data_folder(name)
    if resumed is None:
        workshop.start()
        print(f"{printable(workshop.scenario.id)}, seed {workshop.seed}: "
              + (f"scenario code {workshop.code}" if workshop.code else "a level file of your own (no scenario code)"))
    try:
        # Where the class's results are kept, once a quarter or a lever makes the file (as a
        # server's Results line says at its start): the name --resume takes.
        kept = open_hotseat(LocalTable(workshop), workshop.roles, args.window, _window_settings(args), resumed=resumed,
                            tell=lambda line: print(printable(line), flush=True))
    except pygame.error as error:
        raise _Refused(_window_failed(name, error)) from None
    if kept:  # where the class's results went (the data folder, or the temporary one), as a stop says
        print(f"{name}: {kept}")
    return EXIT_OK


def _network_modules(name: str):
    try:
        from game.workshop import client, server
    except ImportError as error:
        raise _Refused(f"{name}: a class on a network needs websockets: pip install 'rare-earths[workshop]' "
                       f"({error})") from None
    return client, server


def _workshop_serve_again(args: argparse.Namespace, name: str) -> int:
    """``serve --resume RESULTS.json``: the class goes on from its results file, in that file."""
    _refuse_a_new_game_with_resume(args, name)
    if args.out is not None or args.start:
        raise _Refused(f"{name}: --resume writes on in the file it goes on from, paused: leave out "
                       f"{'--out' if args.out is not None else '--start'}")
    _, server_module = _network_modules(name)
    from game.workshop.results import ResultsError, read_results

    path = args.resume
    _check_input(path, name, "--resume")
    try:
        server = server_module.resumed_server(read_results(path))
    except ResultsError as error:
        message = str(error)
        raise _Refused(f"{name}: --resume {message if message.startswith(str(path)) else f'{_shown(path)}: {message}'}"
                       ) from None
    if args.title:
        server.title = args.title
    server.results_path = path
    problem = _write_problem(path, "--resume")
    if problem:
        raise _Refused(f"{name}: {problem}")
    return _workshop_serve(server.workshop, args, name, server)


def _workshop_serve(workshop, args: argparse.Namespace, name: str, resuming=None) -> int:
    """Serve a class's game: a new one, or (``resuming``: its server) one going on from its file.
    The results file is this server's alone while it runs (``ClassServer.hold_results_file``)."""
    client, server_module = _network_modules(name)
    results = "another class's results"
    if args.out is not None:
        _check_output(args.out, name, "--out", (".json",), new=results)
    if not args.no_window:
        _check_data_folder(name)
    if resuming is None:
        server = server_module.ClassServer(workshop, title=args.title)
        server.results_path = args.out or Path(f"workshop-{workshop.scenario.id}-{server.class_code}.json")
        _check_output(server.results_path, name, "--out", (".json",), new=results)
    else:
        server = resuming
    try:
        server.hold_results_file()
    except server_module.ResultsHeld as held:
        raise _Refused(f"{name}: {_shown(held, 400)}") from None
    except OSError as error:  # the lock's own file (a folder in its place, a folder that will not take it)
        raise _Refused(f"{name}: cannot lock the results file: {_shown(error.filename or server.results_path)}: "
                       f"{error.strerror or error}") from None
    claimed = False
    try:
        if resuming is None:
            try:  # made now, as a new file: a place that will not take it is said before anyone plays
                # A stop between making the file and noting it is ours left it behind, holding
                # the join codes, and the same command was then refused: the stop waits till both.
                with stop_signals_deferred():
                    server.claim_results_file()
                    claimed = True
            except FileExistsError:
                raise _Refused(f"{name}: --out {_quoted(server.results_path)} exists and may hold {results}: name "
                               "another file, or move that one") from None
            except OSError as error:
                raise _Refused(f"{name}: cannot write the results to {_shown(server.results_path)}: "
                               f"{error.strerror or error}") from None
        else:
            problem = server.write_results_now()
            if problem:
                raise _Refused(f"{name}: {problem}")
        if args.start:
            workshop.start()
        try:
            return _serve_class(server, workshop, args, name, resuming is not None, client, server_module)
        except _CouldNotListen as failure:
            if claimed:  # nobody played: the file made at the start goes, so the same command can be tried again
                server.results_path.unlink(missing_ok=True)
            raise _Refused(f"{name}: cannot listen on {_host_and_port(args.host, args.port)}: {failure}") from None
    except KeyboardInterrupt as interrupt:
        if not claimed or server.port is not None:
            raise
        # Stopped before it listened (Ctrl+C a moment after the command): nobody could have joined,
        # so the file made at the start goes, as when it cannot listen. Left behind, it held the
        # join codes and made the same command be refused as another class's results.
        server.results_path.unlink(missing_ok=True)
        note = f"nobody could join yet, so {_shown(server.results_path)} is removed"
        raise (Stopped(interrupt.signum, note) if isinstance(interrupt, Stopped) else KeyboardInterrupt(note)) from None
    finally:
        server.let_go_of_results_file()


class _CouldNotListen(Exception):
    """The server could not listen where it was asked to; the message says why."""


def _serve_class(server, workshop, args: argparse.Namespace, name: str, resuming: bool, client, server_module) -> int:
    """The server's own warnings (results it cannot write, connections it cannot take) are lines
    of the command's, named as its other lines are (they were printed bare)."""
    def presence(role: str, what: str) -> None:  # the facilitator's console follows the class
        team = workshop.teams.get(role)
        print(f"{role}{f' ({printable(team)})' if team else ''} {what}", flush=True)

    server.on_presence = presence
    with _notices_said_as(name, server_module.log):
        return _serve_class_said(server, workshop, args, name, resuming, client, server_module)


def _serve_class_said(server, workshop, args: argparse.Namespace, name: str, resuming: bool, client,
                      server_module) -> int:
    import asyncio
    import threading

    def announce(port: int) -> None:
        shown = _reachable_address(args.host)
        shown = f"[{shown}]" if ":" in shown and not shown.startswith("[") else shown  # IPv6, told from its port
        print(f"Class {server.class_code}: {printable(workshop.scenario.title.get('en', ''))}, seed {workshop.seed}, "
              + (f"scenario code {workshop.code}" if workshop.code else "a level file of your own (no scenario code)"))
        if resuming:
            played = workshop.world.turns_done
            print(f"Going on at {workshop.quarter} after {played} quarter{'' if played == 1 else 's'}, paused: the "
                  "teams' windows join again with their codes; the facilitator resumes the game")
        print(f"Teams join with: rare-earths workshop join {shown}:{port} CODE")
        for role, code in server.join_codes().items():
            print(f"  {'facilitator' if role == 'FAC' else role:<12}{code}")
        print(f"Results: {printable(str(server.results_path))}", flush=True)

    if args.no_window:
        try:
            server_module.run_server(server, args.host, args.port, announce)
        except server_module.ResultsNotWritten as problem:
            _error(f"{name}: {_shown(problem, 400)}")
            return EXIT_INVALID
        except OSError as error:
            raise _CouldNotListen(error.strerror or error) from None
        except KeyboardInterrupt as interrupt:
            if server.port is None:  # before it listened: the caller removes the file nobody could play into
                raise
            how, status = how_stopped(interrupt)
            _error(f"{name}: stopped ({how}); the results so far are in {_shown(server.results_path)}")
            return status
        return EXIT_OK
    import pygame

    from game.ui.workshop_window import open_facilitator
    from game.workshop.classroom import WorkshopError

    ready, stop, failed = threading.Event(), None, []
    loop = asyncio.new_event_loop()

    def serve() -> None:
        nonlocal stop
        asyncio.set_event_loop(loop)
        stop = asyncio.Event()
        try:
            loop.run_until_complete(server.serve(args.host, args.port, lambda port: (announce(port), ready.set()),
                                                 stop))
        except (OSError, server_module.ResultsNotWritten) as error:
            failed.append(error)
            ready.set()

    thread = threading.Thread(target=serve, name="workshop-server", daemon=True)
    thread.start()
    ready.wait()
    if failed:
        raise _CouldNotListen(failed[0].strerror or failed[0])
    stopped: KeyboardInterrupt | None = None
    try:
        # The panel joins where the server listens (on ::1 alone, 127.0.0.1 answers nothing).
        table = client.RemoteTable(f"{_local_address(args.host)}:{server.port}", server.join_codes()["FAC"])
        open_facilitator(table, args.window, _window_settings(args))
    except pygame.error as error:
        raise _Refused(_window_failed(name, error)) from None
    except WorkshopError as error:
        raise _Refused(f"{name}: the facilitator's panel cannot join the class: {error}") from None
    except KeyboardInterrupt as interrupt:  # Ctrl+C or another stop: said after where the results went
        stopped = interrupt
    finally:
        loop.call_soon_threadsafe(lambda: stop.set() if stop is not None else None)
        thread.join(timeout=10)
    if failed:  # on the way out: the results could not go where they were asked to
        _error(f"{name}: {_shown(failed[0], 400)}")
    if stopped is not None:  # said with where the results are, as without a window
        where = "" if failed else f"the results so far are in {_shown(server.results_path)}"
        raise Stopped(stopped.signum, where) if isinstance(stopped, Stopped) else KeyboardInterrupt(where)
    return EXIT_INVALID if failed else EXIT_OK


def _host_and_port(host: str, port: int) -> str:
    """``host:port``, an IPv6 address in brackets ("[::]:8765")."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _local_address(host: str) -> str:
    """Where a window on this machine reaches a server listening on ``host`` (as join takes it)."""
    if host in ("0.0.0.0", ""):
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def _reachable_address(host: str) -> str:
    """The address teams on the network can reach this machine at (what ``host`` listens on)."""
    import socket

    if host not in ("0.0.0.0", "", "::"):
        return host
    try:  # the address of the network a packet would leave by (nothing is sent)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))
            return probe.getsockname()[0]
    except OSError:
        return socket.gethostname()


def _window_settings(args: argparse.Namespace):
    """The settings a workshop's window opens with: the game's own, in ``--language`` where given
    (a team window had no way into Japanese but the one-player game's Settings)."""
    if args.language is None:
        return None
    from game.ui.storage import Settings

    return Settings.in_language(args.language)


def _workshop_join(args: argparse.Namespace, name: str) -> int:
    client, _ = _network_modules(name)
    from game.workshop.classroom import WorkshopError
    from game.workshop.protocol import MessageError, split_join_code

    try:  # the code and the address at the door, before any connection is tried
        split_join_code(args.code)
        client.server_uri(args.address)
    except (MessageError, WorkshopError) as error:
        raise _Refused(f"{name}: {error}") from None
    _check_data_folder(name)
    try:
        table = client.RemoteTable(args.address, args.code, args.team)
    except WorkshopError as error:
        raise _Refused(f"{name}: {error}") from None
    import pygame

    from game.ui.workshop_window import open_facilitator, open_team

    try:
        if table.role == "FAC":
            open_facilitator(table, args.window, _window_settings(args))
        else:
            open_team(table, table.role, args.window, _window_settings(args))
            # The team's bot plays until it is back: the way back is the last thing the pupil sees.
            if not table.team_view(table.role).get("over"):
                # (--team=NAME where the name starts with "-": "--team -Eagles" is refused as an option)
                again = ["rare-earths", "workshop", "join", args.address, args.code] + \
                    ([f"--team={args.team}"] if args.team.startswith("-") else ["--team", args.team] if args.team
                     else []) + (["--language", args.language] if args.language else [])
                print(f"{name}: your team's bot plays until you join again: {shlex.join(again)}")
    except pygame.error as error:
        raise _Refused(_window_failed(name, error)) from None
    finally:
        table.close()
    return EXIT_OK


def _workshop_report(args: argparse.Namespace, name: str) -> int:
    _check_output(args.out, name, "--out", (".html", ".htm"),
                  tuple(("one of the results files", Path(results)) for results in args.results))
    from game.workshop.report import ReportError, write_report

    try:
        path, skipped = write_report(list(args.results), args.out, args.language)
    except ReportError as error:
        _error(f"{name}: {error}")
        return EXIT_INVALID
    for file, reason in skipped:
        _error(f"{name}: skipped {_shown(file)}: {reason}")
    print(printable(str(path)))
    return EXIT_OK


def _workshop_handouts(args: argparse.Namespace, name: str) -> int:
    # --out is a folder here (a card per role and a guide, in each language): it must exist,
    # as every other command's folder must; none is made silently.
    if not _is_folder(args.out):
        problem = _read_problem(args.out)
        if problem is None or problem.startswith(("not a regular file", "cannot be read")):  # something else is there
            raise _Refused(f"{name}: --out {_quoted(args.out)} is not a folder: name the folder to write them to")
        why = "" if problem == "no such file" else f" ({problem})"
        raise _Refused(f"{name}: no folder {_quoted(args.out)} for --out{why}")
    if not os.access(args.out, os.W_OK | os.X_OK):
        raise _Refused(f"{name}: --out {_quoted(args.out)}: the folder cannot be written to (permission denied)")
    from game.workshop.handouts import HandoutError, write_handouts

    languages = ("en", "ja") if args.language == "both" else (args.language,)
    try:
        paths = write_handouts(args.level, args.out, languages)
    except HandoutError as error:
        _error(f"{name}: {error}")
        return EXIT_INVALID
    except OSError as error:  # a full disk: each page is written whole or not at all
        _error(f"{name}: cannot write the handouts in {_shown(args.out)}: {error.strerror or error}")
        return EXIT_INVALID
    for path in paths:
        print(printable(str(path)))
    return EXIT_OK


def _plot(args: argparse.Namespace, name: str) -> int:
    _check_input(args.file, name)
    out = args.out if args.out is not None else args.file.with_suffix(".png")
    _check_output(out, name, "--out")
    try:
        from game.research.plot import PlotError, plot_file
    except ImportError as error:
        _error(f"{name}: needs the research extra (pip install 'rare-earths[research]'): {error}")
        return EXIT_INVALID
    try:
        written = plot_file(args.file, out, by=args.by, indicators=args.indicators)
    except PlotError as error:
        message = str(error)
        if args.out is not None and message.startswith(f"{out}: "):  # named as the option it was given by
            message = f"--out {_quoted(out)}: {message[len(str(out)) + 2:]}"
        _error(f"{name}: {message}")
        return EXIT_INVALID
    except OSError as error:
        _error(f"{name}: cannot write {_shown(out)}: {error.strerror or error}")
        return EXIT_INVALID
    for path in written:
        print(f"written {printable(str(path))}")
    if len(written) == 1:
        print("no score chart: the sweep's level has no objectives, so every run scored 0 with no stars")
    return EXIT_OK


def rows_to_csv(rows: list[dict], where_from: Sequence[tuple[str, object]] = ()) -> str:
    """CSV with floats written in full (repr), so equal runs give byte-identical files;
    ``where_from``'s columns (name, value) lead every row.

    Every cell is a plain number or text: NumPy 2's ``repr`` of its scalars reads
    ``np.float64(...)``, so NumPy values are turned into Python ones first.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*(name for name, _ in where_from), *COLUMNS])
    lead = [_csv_cell(value) for _, value in where_from]
    for row in rows:
        writer.writerow([*lead, *(_csv_cell(row[c]) for c in COLUMNS)])
    return buffer.getvalue()


def _where_from(meta, settings) -> list[tuple[str, object]]:
    """What a run's file says of where its rows came from, in a sweep's columns and order
    (``game.research.sweep``, less its ``run``): files of several runs then stay told apart
    when put together, and a run compares with a sweep's rows column for column."""
    from game.research.runner import setting_cell  # (loaded by the run already)

    return [("level", meta["level"]), ("strategy", meta["strategy"]), ("seed", meta["seed"]),
            *((f"assumptions.{name}", setting_cell(name, value)) for name, value in settings),
            ("model_version", meta["model_version"]), ("level_sha256", meta["level_sha256"])]


def _csv_cell(value: object) -> object:
    if isinstance(value, float):  # np.float64 is a float too: repr the plain float it holds
        return repr(float(value))
    return value.item() if hasattr(value, "item") else value  # other NumPy scalars


def format_table(rows: list[dict]) -> str:
    cells = [[header for _, header, _ in TABLE]]
    for row in rows:
        cells.append([fmt.format(row[column]) for column, _, fmt in TABLE])
    widths = [max(len(r[i]) for r in cells) for i in range(len(TABLE))]
    lines = ["  ".join(c.rjust(w) for c, w in zip(r, widths)) for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    notes = "prices US$/kg in Japan (JP) and inside China (CN); output 1.0 = Japan's industry fully supplied;\n" \
            "CN share = China's share of Japan's supply; stock d = days of national stockpile; demand t per quarter"
    return "\n".join(lines) + "\n" + notes


if __name__ == "__main__":
    sys.exit(main())
