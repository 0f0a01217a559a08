"""Charts of a sweep's results, the engine of ``rare-earths plot FILE``.

A sweep results file (``rare-earths sweep``, Parquet or CSV) holds one row per run per quarter:
``run``, ``level``, ``strategy``, ``seed``, the swept settings as ``assumptions.NAME``, ``quarter``,
``turn``, the indicators, and the level's running ``score`` and ``stars``. ``plot_file`` draws two
charts of it, each in a file of its own so each stays readable at 100%:

* ``STEM-fan.EXT``: one panel per indicator over the quarters; for each group of runs the median
  line and two shaded bands holding the middle 50% (25-75%) and 90% (5-95%) of runs;
* ``STEM-scores.EXT``: each group's final scores (the last quarter of each run) as a box over the
  runs' jittered points with the mean marked, beside the share of runs that earned 0, 1, 2 or 3 stars.

Runs are grouped by ``strategy`` unless ``by`` names another column: a setting (``assumptions.NAME``
or just ``NAME``; one whose value is a list by its TOML text, ``[3, 5]``), ``level``, ``seed``, or
several joined with ``+`` (``"strategy+NAME"``). Groups
differ in colour, line style and marker, so a chart printed in grey still tells them apart.

Every problem with the input or the output name raises ``PlotError`` (a ValueError) whose one-line
message names the file and what is wrong, for the command line to print as it is. matplotlib (the
``research`` extra) is imported only when a chart is drawn, and through ``Figure`` alone: no
pyplot, no window, no global state.
"""

from __future__ import annotations

import csv
import errno
import itertools
import math
import os
import re
import stat
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import tomli

from game.research.runner import level_digest
from game.scenario import ScenarioError, find_level, load_level
from game.scenario.assumptions import NAMES as ASSUMPTION_NAMES
from game.scenario.assumptions import LIST_NAMES, AssumptionError, check_value, parse_setting, value_text
from game.whole_files import file_meant, write_whole_together
from game.vocab.indicators import COLUMNS as INDICATOR_COLUMNS
from game.vocab.quarters import FIRST_YEAR, LAST_YEAR, Quarter

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


class PlotError(ValueError):
    """A results file or an output name the charts cannot use; the message is one line naming both."""


#: Indicators charted when none are named (those the file holds).
DEFAULT_INDICATORS = ("japan_output_index", "japan_china_share", "japan_stockpile_days", "price_ndpr_japan")
#: Columns without which there is nothing to chart.
REQUIRED_COLUMNS = ("run", "level", "strategy", "quarter", "turn", "score", "stars")
#: Columns that describe a run rather than measure it: never offered as indicators.
RUN_COLUMNS = ("run", "level", "strategy", "seed", "model_version", "level_sha256", "quarter", "turn")
SETTING_PREFIX = "assumptions."
#: The most quarters a run lasts (every quarter of the game's calendar) and runs a sweep plays.
MOST_TURNS = (LAST_YEAR - FIRST_YEAR + 1) * 4
MOST_RUNS = 10_000_000
#: Longest level, strategy or quarter name a chart shows (a legend of longer ones is unreadable).
MOST_LABEL_CHARACTERS = 200
#: Characters a chart's labels never hold (the fonts have no glyphs; a terminal would obey them).
_CONTROL_CHARACTERS = r"[\x00-\x1f\x7f-\x9f]"
#: Columns a chart may group by besides the settings.
GROUPABLE_COLUMNS = ("strategy", "level", "seed")
DEFAULT_GROUP = "strategy"
#: The most groups the charts draw: a row of the score chart and a line of each panel's legend
#: each (4,800 seeds grouped by seed took minutes and gigabytes, and made an image of 312
#: million pixels that viewers refuse to open).
MOST_GROUPS = 100
READABLE_SUFFIXES = {".parquet": "Parquet", ".pq": "Parquet", ".csv": "CSV"}
CHART_FORMATS = ("png", "svg")
PNG_DPI = 150

#: The fan's bands: the quantile columns of ``fan_table`` and the shares of runs they hold.
QUANTILES = {"p5": 0.05, "p25": 0.25, "p50": 0.50, "p75": 0.75, "p95": 0.95}
#: Title and unit of the indicators whose meaning is known; others show their column name.
INDICATOR_LABELS = {
    "japan_output_index": ("Japan's industrial output", "index (1 = every order filled)"),
    "japan_china_share": ("Share of Japan's supply from China", "share of tonnes received"),
    "japan_stockpile_days": ("Japan's national stockpile", "days of use"),
    "japan_secured_share": ("Supply secured outside China", "share of a year's need"),
    "japan_recycling_tpy": ("Recycling capacity for Japan's scrap", "t of oxide a year"),
    "japan_recycled_tpy": ("Oxide recycled from Japan's scrap", "t a year"),
    "japan_budget_musd": ("Japan's budget", "US$ million"),
    "japan_political_capital": ("Japan's political capital", "points"),
    "japan_environmental_impact": ("Seabed harm", "0 to 1"),
    "japan_deep_sea_stages": ("Deep-sea programme", "stages of 5"),
    "japan_demand_t": ("Japan's demand", "t per quarter"),
    "japan_imports_t": ("Japan's imports", "t per quarter"),
    "china_exports_t": ("China's exports", "t per quarter"),
    "japan_received_outside_china_t": ("Japan's supply from outside China", "t per quarter"),
    "china_tension_japan": ("China-Japan tension", "0 (calm) to 1"),
    "price_ndpr_japan": ("NdPr oxide price in Japan", "US$/kg"),
    "price_ndpr_china": ("NdPr oxide price in China", "US$/kg"),
    "price_dytb_japan": ("Dy/Tb oxide price in Japan", "US$/kg"),
    "price_dytb_china": ("Dy/Tb oxide price in China", "US$/kg"),
    "price_cela_japan": ("Ce/La oxide price in Japan", "US$/kg"),
    "price_cela_china": ("Ce/La oxide price in China", "US$/kg"),
    "score": ("Level score so far", "0-100"),
    "stars": ("Stars so far", "0-3"),
}
#: Indicators that are shares of one: their axis reads in per cent.
SHARE_INDICATORS = ("japan_china_share", "japan_secured_share")

#: Okabe-Ito colours (safe for colour-blind readers), then line styles and markers for grey print.
GROUP_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
GROUP_LINE_STYLES = ("-", "--", ":", "-.")
GROUP_MARKERS = ("o", "s", "^", "D", "v", "P")
#: 0 to 3 stars, light to dark, so the bar reads in grey as well as in colour.
STAR_COLOURS = ("#E0E0E0", "#FDD49E", "#F08A4B", "#A4161A")
STAR_TEXT_COLOURS = ("black", "black", "black", "white")
BAND_ALPHAS = {"p5": 0.10, "p25": 0.24}
FIGURE_WIDTH_IN = 10.5
#: Quarters on a short axis each get a tick; a longer one is ticked by year.
MOST_QUARTER_TICKS = 8
MOST_YEAR_TICKS = 9


# ---------------------------------------------------------------------------------------------
# Reading and checking the file
# ---------------------------------------------------------------------------------------------


def read_results(path: str | Path) -> pd.DataFrame:
    """Read a sweep results file and check it has what the charts need.

    Returns the rows with ``turn`` as whole numbers and ``score`` and ``stars`` as floats.

    Raises:
        PlotError: the file is missing, empty, not Parquet or CSV (by its suffix), unreadable,
            or lacks a required column; the message names the file.
    """
    path = Path(path)
    try:
        info = os.stat(path)
    except (OSError, ValueError) as error:  # ValueError: a NUL in the name
        missing = isinstance(error, OSError) and error.errno in (errno.ENOENT, errno.ENOTDIR)
        problem = "no such file" if missing else f"cannot read it ({_first_line(error)})"
        raise PlotError(f"{path}: {problem}") from None
    if stat.S_ISDIR(info.st_mode):
        raise PlotError(f"{path}: is a folder, not a sweep results file")
    if not stat.S_ISREG(info.st_mode):  # a pipe would wait for a writer forever, a device never end
        raise PlotError(f"{path}: not a regular file (a device, a pipe or a socket), not a sweep results file")
    kind = READABLE_SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise PlotError(f"{path}: not a sweep results file: expected a .parquet or .csv file, "
                        f"got {path.suffix or 'a name without a suffix'}")
    if info.st_size == 0:
        raise PlotError(f"{path}: the file is empty")
    if kind == "CSV" and _starts_with_a_utf16_or_utf32_mark(path):  # read as UTF-8, its NULs made rows too short
        raise PlotError(f"{path}: cannot read it as CSV: not UTF-8 text (it is UTF-16 or UTF-32; save it as UTF-8)")
    if kind == "CSV" and not _ends_a_line(path):  # one cut mid-line had its last row's missing cells read as empty
        raise PlotError(f"{path}: the file does not end with a line end, as a sweep's does: cut short? (a file of "
                        "your own: end it with one)")
    try:
        if kind == "Parquet":  # opened here: pyarrow opens a name as UTF-8 text, which a name may not be
            with open(path, "rb") as handle:
                frame = pd.read_parquet(handle, use_threads=False)  # see sweep.parquet_table
        else:
            frame = pd.read_csv(path)
    except ImportError as error:
        raise PlotError(f"{path}: reading {kind} needs pyarrow (pip install 'rare-earths[research]')") from error
    except (OSError, ValueError, TypeError) as error:  # pyarrow's and pandas' read errors derive from these
        # (a row longer than the header, as of a sweep with more settings joined to it, is one)
        joined = _joined_sweeps(path) if kind == "CSV" else None
        raise PlotError(f"{path}: {joined or _unreadable(kind, error)}") from error
    if kind == "CSV" and _rows_may_not_fit_the_header(frame):
        joined = _joined_sweeps(path)
        if joined:
            raise PlotError(f"{path}: {joined}")
    try:
        return _checked(frame)
    except PlotError as error:
        raise PlotError(f"{path}: {error}") from None


def _unreadable(kind: str, error: BaseException) -> str:
    """Why a results file could not be read, in the game's words: the system's reason, or what a
    file pyarrow or pandas cannot read is. Their own words named pyarrow's buffer, not the file
    ("Could not open Parquet input source '<Buffer>': Parquet magic bytes not found in footer...")
    or the codec ("'utf-8' codec can't decode byte 0xf6 in position 4")."""
    if isinstance(error, OSError) and error.errno is not None:
        return f"cannot read it ({error.strerror or _first_line(error)})"
    if kind == "Parquet":
        return "cannot read it as Parquet (cut short, damaged, or not a Parquet file)"
    if isinstance(error, UnicodeDecodeError):
        return "cannot read it as CSV: not UTF-8 text (save it as UTF-8)"
    if isinstance(error, pd.errors.EmptyDataError):
        return "cannot read it as CSV: it holds no header line of column names"
    return f"cannot read it as CSV: {_first_line(error)}"


def _checked(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with its required columns present, numbers where numbers belong, and some rows."""
    missing = [column for column in REQUIRED_COLUMNS if column not in frame.columns]
    if missing:
        raise PlotError(f"missing the column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                        f"(a sweep results file has {', '.join(REQUIRED_COLUMNS)} and the indicators)")
    if frame.empty:
        raise PlotError("the file holds no rows")
    odd_names = [str(c) for c in frame.columns if re.search(_CONTROL_CHARACTERS, str(c)) or len(str(c)) > 200]
    if odd_names:
        raise PlotError(f"a column's name holds control characters or is longer than 200 characters "
                        f"({odd_names[0][:40]!r}), not a sweep's")
    frame = frame.copy()
    for column in ("run", "turn"):
        values = _numbers(frame, column)
        if values.isna().any():
            raise PlotError(f"column {column} has empty cells")
        if not (values.between(0, MOST_TURNS if column == "turn" else MOST_RUNS) & (values % 1 == 0)).all():
            raise PlotError(f"column {column} holds numbers that are not a sweep's {column}s "
                            f"(whole numbers from 0 to {MOST_TURNS if column == 'turn' else MOST_RUNS:,})")
        frame[column] = values.astype("int64")
    # A sweep names the quarter of every row: an empty cell labelled its tick "nan" ("None" in a
    # Parquet file), and the chart was drawn as if nothing were wrong.
    if (frame["quarter"].isna() | (frame["quarter"].astype(str).str.strip() == "")).any():
        raise PlotError("column quarter has empty cells")
    # A setting whose value is a list is the list's text ([3, 5]), grouped as text.
    lists = {column: texts for column in setting_columns(frame)
             if (texts := _list_texts(frame, column)) is not None}
    for column, texts in lists.items():
        frame[column] = texts
    # Every indicator a sweep writes and every other swept setting is a number: a cell edited to
    # text turned its column into text, which the charts then left out without a word (checked
    # before the runs are, which would call a setting's edited cell two sweeps joined).
    for column in [c for c in INDICATOR_COLUMNS if c in frame.columns and c != "quarter"] + setting_columns(frame):
        if column not in lists and (not pd.api.types.is_numeric_dtype(frame[column])
                                    or pd.api.types.is_bool_dtype(frame[column])):
            frame[column] = _numbers(frame, column).astype("float64")
    for column in setting_columns(frame):  # a sweep sets each in every run: no gaps, nothing infinite
        if column not in lists and not np.isfinite(frame[column].to_numpy(dtype=float)).all():
            raise PlotError(f"column {column} has empty or infinite cells (a sweep's setting has a value in every row)")
    _check_runs(frame)
    _check_quarters(frame)
    for column in ("score", "stars"):
        frame[column] = _numbers(frame, column).astype("float64")
    stars = frame["stars"].dropna()
    if not (stars.between(0, 3) & (stars % 1 == 0)).all():
        raise PlotError("column stars holds numbers other than 0, 1, 2 and 3")
    scores = frame["score"].dropna()  # empty cells are drawn as gaps, as other figures' are
    scores = scores[np.isfinite(scores)]  # infinite ones are refused below, with all columns'
    if not scores.between(0, 100).all():
        raise PlotError("column score holds numbers outside 0-100 (a level's score)")
    # Text ends up in titles, legends and ticks (a group by seed or by a setting shows its values).
    for column in frame.columns:
        if pd.api.types.is_numeric_dtype(frame[column]):
            continue
        text = frame[column].dropna().astype(str)
        if text.str.contains(_CONTROL_CHARACTERS).any() or (text.str.len() > MOST_LABEL_CHARACTERS).any():
            raise PlotError(f"column {column} holds control characters or text longer than "
                            f"{MOST_LABEL_CHARACTERS} characters, not a sweep's {column} names")
    frame["quarter"] = frame["quarter"].astype(str)
    infinite = [str(column) for column in frame.columns
                if pd.api.types.is_float_dtype(frame[column]) and np.isinf(frame[column].to_numpy()).any()]
    if infinite:
        raise PlotError(f"column {infinite[0]} holds infinite values (a sweep records finite figures)")
    return frame


def _rows_may_not_fit_the_header(frame: pd.DataFrame) -> bool:
    """Whether a CSV's rows may have other columns than its header (``_joined_sweeps`` then says
    where): pandas pads a shorter row with empty cells, so its last cell is empty, and takes a
    header row inside the file for data, so its first column holds its own name."""
    if frame.empty:
        return False
    first = frame.iloc[:, 0]
    return bool(frame.iloc[:, -1].isna().any()
                or (not pd.api.types.is_numeric_dtype(first) and (first.astype(str) == str(frame.columns[0])).any()))


def _joined_sweeps(path: Path) -> str | None:
    """Where a CSV is two sweeps' files joined, or None: the first line that repeats a header (as
    ``cat`` of two files leaves one) or has another number of cells than the header names (as
    joining a sweep of other settings leaves, header or not). The columns were read as the
    first file's, and a shifted cell was then called text where numbers belong."""
    joined = "two sweeps' files joined? A results file holds one sweep (plot each file on its own)"
    try:
        with open(path, newline="", encoding="utf-8", errors="replace") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            for row in reader:
                if not header or not row:  # (pandas skips blank lines too)
                    continue
                if row[0] == header[0]:
                    other = "" if row == header else ", naming other columns"
                    return f"line {reader.line_num} is a second header row{other}: {joined}"
                if len(row) != len(header):
                    return (f"line {reader.line_num} has {len(row)} cells where the header names {len(header)} "
                            f"columns: {joined}")
    except (OSError, csv.Error):  # (a cell past the csv module's size limit: pandas' own message stands)
        return None
    return None


def _starts_with_a_utf16_or_utf32_mark(path: Path) -> bool:
    """Whether a file starts with UTF-16's or UTF-32's byte-order mark (a spreadsheet's "Unicode
    text" does), which UTF-8 text never does."""
    try:
        with open(path, "rb") as handle:
            start = handle.read(4)
    except OSError:
        return False  # (reading it says what is wrong)
    # UTF-32's little-endian mark starts as UTF-16's does.
    return start.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff"))


def _ends_a_line(path: Path) -> bool:
    """Whether a file ends with a line end, as a sweep's CSV does."""
    try:
        with open(path, "rb") as handle:
            handle.seek(-2, os.SEEK_END)
            end = handle.read(2)
    except OSError:
        return True  # (a file of one byte, or one that cannot be read: reading it says what is wrong)
    return end[-1:] in (b"\n", b"\r") or end in (b"\n\x00", b"\x00\n", b"\r\x00", b"\x00\r")  # UTF-16 too


def _check_runs(frame: pd.DataFrame) -> None:
    """Each run is one sweep's run, whole: one level, strategy, seed and settings (two sweeps'
    files joined share run numbers, and their runs were merged: 58 runs charted as 40), and every
    quarter from the first to as many as the level's other runs have (a file cut short had its
    last run's mid-game score charted as its result, or dropped as a gap)."""
    runs = frame.groupby("run", sort=True)
    same = [column for column in ("level", "strategy", "seed", "model_version", "level_sha256")
            if column in frame.columns] + setting_columns(frame)
    mixed = runs[same].nunique(dropna=False).gt(1)
    if mixed.to_numpy().any():
        run = mixed.index[mixed.any(axis=1)][0]
        column = same[int(np.flatnonzero(mixed.loc[run].to_numpy())[0])]
        raise PlotError(f"run {run} holds rows of more than one {column}: two sweeps' files joined? "
                        "A results file holds one sweep (plot each file on its own)")
    # One sweep plays each combination once: a file joined to a renumbered copy has each twice.
    runs_alike = runs[same].first().reset_index().groupby(same, dropna=False, sort=False, observed=True)["run"].agg(list)
    repeated = next((alike for alike in runs_alike if len(alike) > 1), None)
    if repeated is not None:
        first, second = repeated[:2]
        raise PlotError(f"runs {first} and {second} are the same run (the same {', '.join(same)}): two copies of "
                        "a sweep joined? A results file holds one sweep (plot each file on its own)")
    turns = runs["turn"].agg(["min", "max", "count", "nunique"])
    broken = turns[(turns["min"] != 1) | (turns["count"] != turns["max"]) | (turns["nunique"] != turns["count"])]
    if not broken.empty:
        raise PlotError(f"run {broken.index[0]} does not hold each of its quarters once, from the first: "
                        "the file is cut short or edited")
    levels = runs["level"].first()
    longest = turns["max"].groupby(levels).transform("max")
    digests = runs["level_sha256"].first() if "level_sha256" in frame.columns else None
    for level in levels.unique().tolist():  # a level as it is now, if the runs played it so: its length
        quarters = _quarters_of(str(level), None if digests is None else digests[levels == level].iloc[0])
        if quarters is not None:
            longest[levels == level] = quarters
    short = turns.index[turns["max"] < longest]
    if len(short):
        run = short[0]
        raise PlotError(f"run {run} has {turns.at[run, 'max']} of the {longest.at[run]} quarters a run of "
                        f"{levels.at[run]} plays: the file is cut short (a sweep writes whole runs)")
    _check_every_run_there(frame, runs)


def _check_quarters(frame: pd.DataFrame) -> None:
    """Each run's quarters, where written like 2010Q3, follow its turns one by one: the axis is
    ticked by them, and one edited to another quarter ran it backwards (2010Q3, 2010Q2) or, in a
    long level, moved every year's tick. (Quarters written otherwise are shown as they are.)"""
    names = frame["quarter"].astype(str)
    try:
        index = {name: (quarter := Quarter.parse(name)).year * 4 + quarter.q for name in names.unique()}
    except ValueError:
        return
    starts = names.map(index) - frame["turn"]  # the same in every row of a run whose quarters follow its turns
    first = starts.groupby(frame["run"]).transform("first")
    if (starts == first).all():
        return
    rows = frame.loc[starts != first, ["run", "turn"]].sort_values(["run", "turn"])
    run, turn = int(rows["run"].iloc[0]), int(rows["turn"].iloc[0])
    of_run = frame["run"] == run
    began = names[of_run & (frame["turn"] == 1)].iloc[0]
    went = names[of_run & (frame["turn"] == turn)].iloc[0]
    raise PlotError(f"run {run}'s quarters do not follow its turns ({began} at turn 1, {went} at turn {turn}): "
                    "the file is edited")


def _check_every_run_there(frame: pd.DataFrame, runs) -> None:
    """The runs are a whole sweep's: numbered from 0 without a gap, and every combination of the
    strategies, seeds and settings the file holds played (a sweep plays each). A file cut between
    two runs (``head -n 101``) passed every run's own check, and the runs after the cut were left
    out of the charts without a word. What no row can tell: a cut just where the runs of a whole
    strategy or setting value end leaves a smaller sweep, whole (docs/research.md says so)."""
    numbers = np.sort(frame["run"].unique())
    gap = np.flatnonzero(numbers != np.arange(len(numbers)))
    if gap.size:
        k = int(gap[0])
        raise PlotError(f"run {k} is missing, though run {numbers[k]} is there: a sweep numbers its runs from 0 "
                        "without a gap, so the file is cut short or runs were taken out")
    # In the plan's order (settings, then strategies, then seeds), so the combination named first
    # is the first run a cut left out.
    dimensions = ([c for c in ("level",) if c in frame.columns] + setting_columns(frame)
                  + [c for c in ("strategy", "seed") if c in frame.columns])
    firsts = runs[dimensions].first()  # in the order of the runs, so values come in the plan's order
    factors = [pd.factorize(firsts[column].astype(object), use_na_sentinel=False) for column in dimensions]
    if math.prod(len(values) for _, values in factors) == len(firsts):  # (no combination is there twice)
        return
    played = set(zip(*(codes.tolist() for codes, _ in factors), strict=True))
    lacking = next(combination for combination in itertools.product(*(range(len(values)) for _, values in factors))
                   if combination not in played)
    named = ", ".join(f"{column.removeprefix(SETTING_PREFIX)} {_plain_value(values[code])}"
                      for column, code, (_, values) in zip(dimensions, lacking, factors, strict=True)
                      if len(values) > 1)  # (one level, say, in every run: no part of what is missing)
    raise PlotError(f"no run has {named}, though the file has runs of each: a sweep plays every combination of "
                    "its strategies, seeds and settings, so the file is cut short or runs were taken out")


def _quarters_of(level: str, digest: object) -> int | None:
    """How many quarters a sweep of ``level`` plays in each run, if this game has the level as the
    runs played it (its digest, where the file records one); None if it cannot tell."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,63}", level):  # a level's id: a file's cell names no file to read
        return None
    try:
        scenario = load_level(find_level(level))
    except (ScenarioError, OSError, ValueError):
        return None
    if digest is not None and digest != level_digest(scenario):
        return None
    return scenario.n_turns


def _list_texts(frame: pd.DataFrame, column: str) -> pd.Series | None:
    """A swept setting whose values are lists, as the sweep writes each (its TOML text: ``[3, 5]``,
    ``[[0.5, 9.0], [0.5, 1.0]]``), or None for a setting that is not a list (its cells must be
    numbers). The name says which: an assumption this game knows, or else cells that all read as
    lists. Lists of an earlier sweep's Parquet (whole numbers read back as floats) become the same
    text; one value written two ways (``[3,5]``) is one group.

    Raises:
        PlotError: an empty cell, or one that is not a value of the assumption.
    """
    name = column.removeprefix(SETTING_PREFIX)
    cells = frame[column]
    if name in ASSUMPTION_NAMES and name not in LIST_NAMES or pd.api.types.is_numeric_dtype(cells):
        return None
    known = name in LIST_NAMES
    texts: dict[str, str] = {}

    def text_of(cell: object) -> str:
        if _is_missing(cell):
            raise PlotError(f"column {column} has empty cells (a sweep's setting has a value in every row)")
        if not isinstance(cell, str):  # a Parquet list, read as an array
            try:
                value = _whole_numbers_as_ints(cell.tolist() if hasattr(cell, "tolist") else cell)
                return value_text(check_value(name, value) if known else value)
            except (AssumptionError, TypeError) as error:
                raise PlotError(f"column {column} holds {str(cell)[:30]!r}, not a value of {name} "
                                f"({getattr(error, 'message', error)})") from None
        if cell not in texts:
            texts[cell] = _list_text(column, name, known, cell)
        return texts[cell]

    if not known and not all(cell.lstrip().startswith("[") if isinstance(cell, str) else hasattr(cell, "__len__")
                             for cell in cells.dropna()):
        return None  # text or numbers that are no list: said as text where numbers belong
    shown = cells.map(text_of)
    # Groups in the order of the values (as numbers are ordered), not of their text: [2] before [10];
    # as text where they cannot be ordered (lists of other shapes in a setting this version does not know).
    try:
        order = sorted(set(shown), key=lambda text: tomli.loads(f"value = {text}")["value"])
    except TypeError:
        order = sorted(set(shown))
    return pd.Series(pd.Categorical(shown, categories=order, ordered=True), index=frame.index, name=column)


def _list_text(column: str, name: str, known: bool, cell: str) -> str:
    """One cell of a list-valued setting as the sweep writes it, checked as --set checks it."""
    try:
        if known:
            return value_text(parse_setting(f"{name}={cell}")[1])
        value = tomli.loads(f"value = {cell}")["value"]
        if isinstance(value, list):
            return value_text(value)
    except (AssumptionError, TypeError, tomli.TOMLDecodeError) as error:
        raise PlotError(f"column {column} holds {cell[:30]!r}, not a value of {name} "
                        f"({getattr(error, 'message', error)})") from None
    except RecursionError:  # lists in lists deeper than TOML takes
        raise PlotError(f"column {column} holds {cell[:30]!r}, not a value of {name} (nested too deeply)") from None
    raise PlotError(f"column {column} holds {cell[:30]!r}, not a list")


def _whole_numbers_as_ints(value: object) -> object:
    """Whole floats of a list as ints: Parquet kept a list of whole numbers as floats."""
    if isinstance(value, list | tuple):
        return [_whole_numbers_as_ints(item) for item in value]
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _numbers(frame: pd.DataFrame, column: str) -> pd.Series:
    """The column as numbers; empty cells stay NaN, but text that is not a number is an error."""
    if pd.api.types.is_bool_dtype(frame[column]):  # (pandas counts True as 1: a score of True charted as 1)
        raise PlotError(f"column {column} holds true or false, not numbers")
    try:
        values = pd.to_numeric(frame[column], errors="coerce")
    except OverflowError:  # a whole number of hundreds of digits: no float holds it
        raise PlotError(f"column {column} holds a number too large for any figure") from None
    not_numbers = values.isna() & frame[column].notna()
    if not_numbers.any():
        example = frame.loc[not_numbers, column].iloc[0]
        raise PlotError(f"column {column} holds text, not numbers (e.g. {str(example)[:30]!r})")
    return values


def _first_line(error: BaseException) -> str:
    text = (str(error).strip().splitlines() or [type(error).__name__])[0]
    return text if len(text) <= 160 else text[:157] + "..."


def indicator_columns(frame: pd.DataFrame) -> list[str]:
    """The numeric columns that measure a run (the indicators, score and stars), in file order."""
    return [column for column in frame.columns
            if column not in RUN_COLUMNS and not str(column).startswith(SETTING_PREFIX)
            and pd.api.types.is_numeric_dtype(frame[column]) and not pd.api.types.is_bool_dtype(frame[column])]


def setting_columns(frame: pd.DataFrame) -> list[str]:
    """The swept settings' columns, ``assumptions.NAME``."""
    return [column for column in frame.columns if str(column).startswith(SETTING_PREFIX)]


def chosen_indicators(frame: pd.DataFrame, indicators: str | Sequence[str] | None) -> list[str]:
    """The indicators to chart: those named (a list, or one string with commas), else the default
    ones the file holds, else its first four.

    Raises:
        PlotError: a name that is not an indicator of the file (the message lists those it has).
    """
    available = indicator_columns(frame)
    if isinstance(indicators, str):
        indicators = indicators.split(",")
    names = list(dict.fromkeys(name.strip() for name in indicators or () if name.strip()))
    if not names:
        names = [name for name in DEFAULT_INDICATORS if name in available] or available[:4]
    for name in names:
        if name in available:
            continue
        if name in frame.columns:
            raise PlotError(f"column {name} is not an indicator (it describes the run, or holds text): "
                            f"the indicators are {', '.join(available)}")
        raise PlotError(f"no indicator named {name!r}: the file has {', '.join(available) or 'none'}")
    if not names:
        raise PlotError("the file has no indicator columns to chart")
    for name in names:  # a gap here and there is drawn as one; a panel of nothing was drawn empty
        if not frame[name].notna().any():
            raise PlotError(f"column {name} has no figures (every cell is empty), so there is nothing to chart")
    return names


# ---------------------------------------------------------------------------------------------
# Groups of runs and the tables the charts draw
# ---------------------------------------------------------------------------------------------


def group_columns(frame: pd.DataFrame, by: str | None = None) -> list[str]:
    """The columns ``by`` names: ``"strategy"`` (the default), ``"level"``, ``"seed"``, a setting as
    ``"assumptions.NAME"`` or ``"NAME"``, or several joined by ``+`` (``"strategy+NAME"``).

    Raises:
        PlotError: a part that names no such column (the message lists those there are).
    """
    columns: list[str] = []
    for part in (by or DEFAULT_GROUP).split("+"):
        name = part.strip()
        if name in frame.columns and (name in GROUPABLE_COLUMNS or name.startswith(SETTING_PREFIX)):
            column = name
        elif name and SETTING_PREFIX + name in frame.columns:
            column = SETTING_PREFIX + name
        else:
            settings = [column.removeprefix(SETTING_PREFIX) for column in setting_columns(frame)]
            choices = [column for column in GROUPABLE_COLUMNS if column in frame.columns]
            raise PlotError(f"cannot group by {name!r}: the file has {', '.join(choices)} and "
                            + (f"the settings {', '.join(settings)}" if settings else "no swept settings")
                            + " (join two with +, e.g. strategy+NAME)")
        if column in columns:  # (taken once before, without a word: a typo for another column, likely)
            raise PlotError(f"cannot group by {name!r} twice")
        columns.append(column)
    return columns


def group_labels(frame: pd.DataFrame, columns: Sequence[str]) -> pd.Series:
    """Each row's group as an ordered categorical (``"cautious, max_thrift=0.05"``), its
    categories in the sorted order of the columns' values."""
    grouped = frame.groupby(list(columns), sort=True, dropna=False, observed=True)
    keys = grouped.size().index
    names = [_group_name(columns, key if isinstance(key, tuple) else (key,)) for key in keys]
    codes = grouped.ngroup().to_numpy()
    return pd.Series(pd.Categorical.from_codes(codes, categories=names, ordered=True), index=frame.index, name="group")


def _group_name(columns: Sequence[str], values: tuple) -> str:
    parts = []
    for column, value in zip(columns, values, strict=True):
        shown = "unset" if _is_missing(value) else _plain_value(value)
        parts.append(shown if column in ("strategy", "level") else f"{column.removeprefix(SETTING_PREFIX)}={shown}")
    return ", ".join(parts)


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def _plain_value(value: object) -> str:
    """A setting as a person writes it: ``2`` not ``2.0``, ``0.05`` not ``0.05000000000000000277``."""
    if isinstance(value, (float, np.floating)):
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    if isinstance(value, np.integer):
        return str(int(value))
    return str(value)


def _group_title(columns: Sequence[str]) -> str:
    return " and ".join(column.removeprefix(SETTING_PREFIX) for column in columns)


def fan_table(frame: pd.DataFrame, by: str | None, indicator: str) -> pd.DataFrame:
    """Per group and turn, the indicator's 5, 25, 50, 75 and 95th percentiles across runs.

    Empty cells (NaN) are skipped; a group with a single run has all five equal to its value.

    Returns:
        A frame with the columns group, turn, quarter (None where runs of different levels differ),
        runs (how many values went in), p5, p25, p50, p75 and p95; rows in group order, then turn.

    Raises:
        PlotError: an unknown group column, or an indicator the frame does not have as numbers.
    """
    for column in ("turn", indicator):
        if column not in frame.columns:
            raise PlotError(f"no column {column!r}: the frame has {', '.join(map(str, frame.columns))}")
    return _fan_table(frame, group_labels(frame, group_columns(frame, by)), indicator)


def _fan_table(frame: pd.DataFrame, groups: pd.Series, indicator: str) -> pd.DataFrame:
    values = pd.DataFrame({"group": groups, "turn": frame["turn"].to_numpy(),
                           "value": _numbers(frame, indicator).to_numpy(dtype="float64")}, index=frame.index)
    by_turn = values.groupby(["group", "turn"], observed=True, sort=True)["value"]
    table = by_turn.quantile(list(QUANTILES.values())).unstack()
    table.columns = list(QUANTILES)
    table.insert(0, "runs", by_turn.count())
    table = table.reset_index()
    table["group"] = table["group"].astype(str)
    table.insert(2, "quarter", table["turn"].map(_quarter_of_turn(frame)))
    return table


def _quarter_of_turn(frame: pd.DataFrame) -> dict[int, str | None]:
    """Each turn's quarter, or None for a turn that is a different quarter in different runs."""
    if "quarter" not in frame.columns:
        return {}
    pairs = frame[["turn", "quarter"]].drop_duplicates()
    counts = pairs["turn"].value_counts()
    return {int(turn): (str(quarter) if counts[turn] == 1 else None)
            for turn, quarter in zip(pairs["turn"], pairs["quarter"], strict=True)}


def final_scores(frame: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """One row per run from its last quarter, which holds the level's result: group, run, score, stars."""
    groups = group_labels(frame, group_columns(frame, by))
    return _final_scores(frame, groups)


def _final_scores(frame: pd.DataFrame, groups: pd.Series) -> pd.DataFrame:
    rows = frame.assign(group=groups).sort_values(["run", "turn"], kind="stable")
    return rows.groupby("run", sort=True).tail(1)[["group", "run", "score", "stars"]].reset_index(drop=True)


def _check_final_scores(frame: pd.DataFrame) -> None:
    """Every run's last quarter holds its score: the score chart is drawn from them, and left out a
    run without one while its group still counted it. (A score missing in an earlier quarter is a
    gap in its fan, as other figures' are.)

    Raises:
        PlotError: naming the first run without one.
    """
    finals = frame.sort_values(["run", "turn"], kind="stable").groupby("run", sort=True).tail(1)
    missing = finals.loc[finals["score"].isna(), "run"]
    if not missing.empty:
        raise PlotError(f"column score has no figure in the last quarter of run {int(missing.iloc[0])} (empty or "
                        "nan): a sweep records each run's final score")


def star_shares(finals: pd.DataFrame) -> pd.DataFrame:
    """Share of each group's runs that earned 0, 1, 2 and 3 stars (columns 0-3, rows the groups);
    runs without stars recorded are left out."""
    stars = finals["stars"].round().astype("Int64")
    groups = finals["group"]
    names = list(groups.cat.categories) if isinstance(groups.dtype, pd.CategoricalDtype) else sorted(groups.unique())
    counts = pd.crosstab(groups.astype(str), stars).reindex(index=names, columns=range(4), fill_value=0)
    totals = counts.sum(axis=1).replace(0, np.nan)
    return counts.div(totals, axis=0).fillna(0.0)


# ---------------------------------------------------------------------------------------------
# The charts
# ---------------------------------------------------------------------------------------------


def plot_file(path: str | Path, out: str | Path, by: str | None = None,
              indicators: str | Sequence[str] | None = None, fmt: str | None = None) -> list[Path]:
    """Draw a sweep results file's fan chart and score chart; return the paths written (the fan
    chart's alone where the level has no objectives: ``has_objectives``).

    Args:
        path: the results file, ``.parquet`` or ``.csv``.
        out: where the charts go. ``charts/sweep.png`` writes ``charts/sweep-fan.png`` and
            ``charts/sweep-scores.png``; a name without a suffix takes ``fmt`` (PNG if None);
            an existing folder takes the results file's name (``FOLDER/results-fan.png``).
        by: how runs are grouped (see ``group_columns``); ``strategy`` if None.
        indicators: the fan chart's panels (a list, or names joined by commas); if None, those of
            ``DEFAULT_INDICATORS`` the file holds.
        fmt: ``"png"`` or ``"svg"``, for an ``out`` without a suffix.

    Raises:
        PlotError: bad input or output name; the one-line message names the file and the problem.
    """
    if not isinstance(out, str | os.PathLike) or not os.fspath(out).strip():  # "" drew into the current folder
        raise PlotError(f"out: expected a file or folder name for the charts, got {out!r:.60}")
    if by is not None and not isinstance(by, str):
        raise PlotError(f"by: expected column names joined by '+', got {by!r:.60}")
    if not (indicators is None or isinstance(indicators, str) or (
            isinstance(indicators, Sequence) and all(isinstance(name, str) for name in indicators))):
        raise PlotError(f"indicators: expected names (a list, or joined by commas), got {indicators!r:.60}")
    path = Path(path)
    fan_path, scores_path = output_paths(out, fmt, source=path)
    if not _is_folder(fan_path.parent):
        # As every command's --out: the folder must be there; a typo makes no folders.
        raise PlotError(f"{out}: no folder {fan_path.parent} for the charts")
    for target in (fan_path, scores_path):  # both, before either is drawn: none or both are written
        if _is_folder(target):
            raise PlotError(f"{target}: a folder is in the way of this chart; move it or name another --out")
    try:
        import matplotlib  # noqa: F401  (the research extra: say so before reading a large file)
    except ImportError as error:
        raise PlotError(f"{path}: drawing charts needs matplotlib (pip install 'rare-earths[research]')") from error
    frame = read_results(path)
    try:
        columns = group_columns(frame, by)
        names = chosen_indicators(frame, indicators)
        groups = group_labels(frame, columns)
        if len(groups.cat.categories) > MOST_GROUPS:
            raise PlotError(f"grouping by {'+'.join(c.removeprefix(SETTING_PREFIX) for c in columns)} makes "
                            f"{len(groups.cat.categories):,} groups, more than the charts can draw (at most "
                            f"{MOST_GROUPS}): group by fewer or other columns (--by)")
        _check_final_scores(frame)
    except PlotError as error:
        raise PlotError(f"{path}: {error}") from None
    title = _sweep_title(frame, groups, columns)
    # Figures near the float's limit (finite, so allowed) overflow in sums and axis limits, and very
    # long labels leave the layout no room: NumPy and matplotlib warn on stderr but draw all the
    # same. The charts are what the user asked for; the warnings would read as errors.
    with warnings.catch_warnings(), np.errstate(over="ignore", invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        warnings.filterwarnings("ignore", message="constrained_layout not applied")
        figures = ((fan_figure(frame, groups, columns, names, title), fan_path),)
        if has_objectives(frame):
            figures += ((scores_figure(frame, groups, columns, title), scores_path),)
        written = _save(figures)
    return written


def has_objectives(frame: pd.DataFrame) -> bool:
    """Whether any level of the file has objectives to score. One without them (the sandbox)
    scores every run 0 with no stars: a chart of those says nothing, and the score chart is left
    out. A level that cannot be found by its name (a file moved since) counts as scored."""
    from game.scenario import ScenarioError, find_level, load_level

    for level in frame["level"].dropna().astype(str).unique():
        try:
            if load_level(find_level(level)).objectives:
                return True
        except (ScenarioError, OSError):
            return True
    return False


def output_paths(out: str | Path, fmt: str | None = None, source: Path | None = None) -> tuple[Path, Path]:
    """The fan chart's and the score chart's paths for ``out`` (see ``plot_file``).

    Raises:
        PlotError: an output suffix or ``fmt`` other than png or svg, or the two disagreeing.
    """
    out = Path(out)
    asked = None
    if fmt is not None:
        asked = fmt.lower().lstrip(".")
        if asked not in CHART_FORMATS:
            raise PlotError(f"{out}: cannot draw charts as {fmt!r}: the formats are {', '.join(CHART_FORMATS)}")
    if _is_folder(out):
        folder, stem, extension = out, (source.stem if source else "sweep"), asked or CHART_FORMATS[0]
    elif out.name.lower().lstrip(".") in CHART_FORMATS and out.name.startswith("."):
        # ".png" is a name without a suffix to Python: it drew ".png-fan.png"
        raise PlotError(f"{out}: a suffix alone names no chart: name a file such as sweep{out.name}")
    elif out.suffix:
        extension = out.suffix.lower().lstrip(".")
        if extension not in CHART_FORMATS:
            raise PlotError(f"{out}: cannot write charts as {out.suffix}: name a .png or .svg file")
        if asked is not None and asked != extension:
            raise PlotError(f"{out}: the name says {extension} but the format asked is {asked}")
        folder, stem = out.parent, out.stem
    else:
        folder, stem, extension = out.parent, out.name, asked or CHART_FORMATS[0]
    return folder / f"{stem}-fan.{extension}", folder / f"{stem}-scores.{extension}"


def _is_folder(path: Path) -> bool:
    """``Path.is_dir``, but False (not OSError) for a name the system refuses, too long say."""
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def _save(figures: Sequence[tuple[Figure, Path]]) -> list[Path]:
    """The charts, each to its file, all whole or none: a full disk after the first left a new
    fan chart beside the score chart of other results."""
    import matplotlib

    def drawn(figure: Figure, target: Path):
        extension = target.suffix.lstrip(".").lower()
        # No date and fixed element ids in an SVG, so the same results draw the same file.
        metadata = {"Date": None} if extension == "svg" else None
        return lambda out: figure.savefig(out, format=extension, dpi=PNG_DPI, metadata=metadata)

    try:
        with matplotlib.rc_context({"svg.hashsalt": "rare-earths plot"}):
            return write_whole_together([(target, drawn(figure, target)) for figure, target in figures])
    except OSError as error:
        # The file written first has a name of its own beside the target: not worth showing.
        failed = file_meant(Path(error.filename)) if error.filename else figures[0][1]
        target = next((t for _, t in figures if t == failed or t.name == failed.name), failed)
        where = f" ({error.filename})" if error.filename and Path(error.filename).parent != target.parent else ""
        raise PlotError(f"{target}: cannot write it: {error.strerror or _first_line(error)}; "
                        f"no chart was written{where}") from error


def _sweep_title(frame: pd.DataFrame, groups: pd.Series, columns: Sequence[str]) -> str:
    levels = list(dict.fromkeys(str(level) for level in frame["level"]))  # an empty cell is NaN, not text
    shown = ", ".join(levels) if len(levels) <= 3 else f"{len(levels)} levels"
    runs, group_count = frame["run"].nunique(), len(groups.cat.categories)
    return f"{shown}: {_count(runs, 'run')} in {_count(group_count, 'group')} by {_group_title(columns)}"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def group_style(index: int) -> dict[str, object]:
    """Colour, line style and marker of the index-th group: the three cycle at different lengths,
    so neighbours differ in all three and the first 24 groups in at least one."""
    return {"color": GROUP_COLOURS[index % len(GROUP_COLOURS)],
            "linestyle": GROUP_LINE_STYLES[index % len(GROUP_LINE_STYLES)],
            "marker": GROUP_MARKERS[index % len(GROUP_MARKERS)]}


def fan_figure(frame: pd.DataFrame, groups: pd.Series, columns: Sequence[str], indicators: Sequence[str],
               title: str) -> Figure:
    """One panel per indicator: per group, the median across runs by quarter and its two bands."""
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    panel_columns = 1 if len(indicators) == 1 else 2
    panel_rows = -(-len(indicators) // panel_columns)
    width = FIGURE_WIDTH_IN if panel_columns == 2 else FIGURE_WIDTH_IN * 0.8
    figure = Figure(figsize=(width, 1.5 + 3.0 * panel_rows), layout="constrained")
    axes = list(figure.subplots(panel_rows, panel_columns, squeeze=False).flat)
    names = list(groups.cat.categories)
    quarters = _quarter_of_turn(frame)
    runs_in = frame.assign(group=groups).groupby("group", observed=False)["run"].nunique()
    for ax, indicator in zip(axes, indicators, strict=False):
        table = _fan_table(frame, groups, indicator)
        for index, name in enumerate(names):
            _draw_fan(ax, table[table["group"] == name], group_style(index))
        _label_indicator(ax, indicator)
        _tick_quarters(ax, quarters)
    for ax in axes[len(indicators):]:
        figure.delaxes(ax)
    handles = [Line2D([], [], linewidth=1.8, markersize=5, label=f"{name} ({_count(runs_in[name], 'run')})",
                      **group_style(index)) for index, name in enumerate(names)]
    handles += [Patch(color="0.45", alpha=BAND_ALPHAS["p25"] + BAND_ALPHAS["p5"], label="middle 50% of runs"),
                Patch(color="0.45", alpha=BAND_ALPHAS["p5"], label="middle 90% of runs")]
    figure.legend(handles=handles, loc="outside lower center", ncols=_legend_columns(handles, width), fontsize=9,
                  title=f"Median by {_group_title(columns)}", title_fontsize=9, frameon=False)
    figure.suptitle(f"{title}\nBy quarter: the median of the runs (line), the middle 50% and 90% of them (bands)",
                    fontsize=11)
    return figure


def _legend_columns(handles: list, width_in: float) -> int:
    """As many columns as the longest entry lets fit across the figure (a 9-point character is
    about 0.07 in, the handle and gaps about 0.8 in), so a long group name never runs off it."""
    longest = max(len(handle.get_label()) for handle in handles)
    return max(1, min(len(handles), 4, int((width_in - 0.3) // (0.07 * longest + 0.8))))


def _draw_fan(ax: Axes, table: pd.DataFrame, style: dict[str, object]) -> None:
    x = table["turn"].to_numpy()
    colour = style["color"]
    ax.fill_between(x, table["p5"], table["p95"], color=colour, alpha=BAND_ALPHAS["p5"], linewidth=0)
    ax.fill_between(x, table["p25"], table["p75"], color=colour, alpha=BAND_ALPHAS["p25"], linewidth=0)
    # A marker every few quarters, not on each: enough to tell lines apart without clutter.
    ax.plot(x, table["p50"], linewidth=1.8, markersize=4, markevery=max(1, len(x) // 8), **style)


def _label_indicator(ax: Axes, indicator: str) -> None:
    from matplotlib.ticker import PercentFormatter

    title, unit = INDICATOR_LABELS.get(indicator, (indicator, ""))
    if not unit and indicator.startswith("price_"):
        unit = "US$/kg"
    elif not unit and indicator.endswith("_t"):
        unit = "t per quarter"
    ax.set_title(title, fontsize=10)
    ax.set_ylabel(unit, fontsize=9)
    if indicator in SHARE_INDICATORS:
        ax.yaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
        ax.set_ylabel(unit.replace("share", "per cent"), fontsize=9)
        low, high = ax.get_ylim()
        if low < 0:  # a share is never below nothing: do not show room for one
            ax.set_ylim(0, max(high, 0.05))
    ax.tick_params(labelsize=8)
    ax.grid(alpha=0.3)


def _tick_quarters(ax: Axes, quarters: dict[int, str | None]) -> None:
    """Quarters on the x axis: each one on a short axis, the first of each year on a long one;
    turn numbers where runs of different levels start in different quarters."""
    from matplotlib.ticker import FixedLocator

    turns = sorted(quarters)
    if not turns or any(quarters[turn] is None for turn in turns):
        ax.set_xlabel("turn", fontsize=9)
        return
    ax.set_xlabel("quarter", fontsize=9)
    if len(turns) <= MOST_QUARTER_TICKS:
        ax.set_xticks(turns, [quarters[turn] for turn in turns])
        return
    try:
        calendar = {turn: Quarter.parse(quarters[turn]) for turn in turns}
    except ValueError:  # quarters not written like 2010Q3: tick evenly and show them as they are
        every = -(-len(turns) // MOST_QUARTER_TICKS)
        ax.set_xticks(turns[::every], [quarters[turn] for turn in turns[::every]])
        return
    firsts = [turn for turn in turns if calendar[turn].q == 1]
    every = -(-len(firsts) // MOST_YEAR_TICKS)
    shown = firsts[::every]
    ax.set_xticks(shown, [str(calendar[turn].year) for turn in shown])
    ax.xaxis.set_minor_locator(FixedLocator(turns))


def scores_figure(frame: pd.DataFrame, groups: pd.Series, columns: Sequence[str], title: str) -> Figure:
    """Per group (one row each): the final scores as a box over the runs, and the stars earned."""
    from matplotlib.figure import Figure

    finals = _final_scores(frame, groups)
    names = list(groups.cat.categories)
    figure = Figure(figsize=(FIGURE_WIDTH_IN, 2.0 + 0.55 * len(names)), layout="constrained")
    score_ax, stars_ax = figure.subplots(1, 2, sharey=True, width_ratios=(2.6, 1.0))
    # The first group on top, as a reader reads a list.
    rows = {name: len(names) - 1 - index for index, name in enumerate(names)}
    rng = np.random.default_rng(0)  # the same jitter every time, so equal files draw equal charts
    for index, name in enumerate(names):
        scores = finals.loc[finals["group"] == name, "score"].dropna().to_numpy()
        _draw_scores(score_ax, scores, rows[name], group_style(index), rng)
    score_ax.set_yticks(list(rows.values()),
                        [f"{name}\n({_count((finals['group'] == name).sum(), 'run')})" for name in names], fontsize=9)
    score_ax.set_ylim(-0.6, len(names) - 0.4)
    score_ax.set_xlim(-2, 102)
    score_ax.set_xlabel("final score (0-100)", fontsize=9)
    score_ax.set_ylabel(_group_title(columns), fontsize=9)
    score_ax.set_title("Final score of each run", fontsize=10)
    score_ax.grid(axis="x", alpha=0.3)
    score_ax.tick_params(axis="x", labelsize=8)
    score_ax.legend(handles=_score_key(), ncols=2, fontsize=8, frameon=False, **_below(score_ax))
    _draw_stars(stars_ax, star_shares(finals), rows)
    figure.suptitle(f"{title}\nFinal scores and stars (the last quarter of each run)", fontsize=11)
    return figure


def _draw_scores(ax: Axes, scores: np.ndarray, row: int, style: dict[str, object], rng: np.random.Generator) -> None:
    """A box from the 25th to the 75th percentile with the median across it, a line over the
    full range, the runs as jittered points and the mean as a diamond."""
    from matplotlib.patches import Rectangle

    colour = style["color"]
    if scores.size == 0:
        ax.text(50, row, "no final scores", ha="center", va="center", fontsize=8, color="0.3")
        return
    low, q25, median, q75, high = np.percentile(scores, [0, 25, 50, 75, 100])
    ax.plot([low, high], [row, row], color=colour, linewidth=1.0, linestyle=style["linestyle"], zorder=1)
    ax.add_patch(Rectangle((q25, row - 0.28), q75 - q25, 0.56, facecolor=colour, alpha=0.22,
                           edgecolor=colour, linewidth=1.2, zorder=2))
    ax.plot([median, median], [row - 0.28, row + 0.28], color=colour, linewidth=2.4, zorder=3)
    ax.scatter(scores, row + rng.uniform(-0.2, 0.2, scores.size), s=14, color=colour, alpha=0.55,
               marker=style["marker"], linewidths=0, zorder=4)
    ax.scatter([scores.mean()], [row], s=42, marker="D", facecolor="white", edgecolor="black", linewidths=1.2, zorder=5)


def _score_key() -> list:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    return [Patch(facecolor="0.8", edgecolor="0.3", label="middle 50% of runs"),
            Line2D([], [], color="0.3", linewidth=2.4, label="median"),
            Line2D([], [], marker="D", linestyle="", markerfacecolor="white", markeredgecolor="black", label="mean"),
            Line2D([], [], marker="o", linestyle="", color="0.3", alpha=0.55, markersize=4,
                   label="a run (line: lowest to highest)")]


def _draw_stars(ax: Axes, shares: pd.DataFrame, rows: dict[str, int]) -> None:
    """Each group's runs as one bar split by the stars they earned."""
    from matplotlib.ticker import PercentFormatter

    ys = [rows[name] for name in shares.index]
    left = np.zeros(len(shares))
    for stars in range(4):
        widths = shares[stars].to_numpy()
        ax.barh(ys, widths, left=left, height=0.56, color=STAR_COLOURS[stars], edgecolor="white", linewidth=0.8,
                label=_count(stars, "star"))
        for y, start, width in zip(ys, left, widths, strict=True):
            if width >= 0.12:  # a narrower segment has no room for its figure
                ax.text(start + width / 2, y, f"{width:.0%}", ha="center", va="center", fontsize=8,
                        color=STAR_TEXT_COLOURS[stars])
        left = left + widths
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
    ax.set_xlabel("share of runs", fontsize=9)
    ax.set_title("Stars earned", fontsize=10)
    ax.tick_params(axis="x", labelsize=8)
    ax.tick_params(axis="y", left=False)
    ax.legend(ncols=2, fontsize=8, frameon=False, handlelength=1.0, columnspacing=0.8, **_below(ax))


def _below(ax: Axes) -> dict[str, object]:
    """Legend placement under an axis's x label, a fixed distance down whatever the axis's height."""
    from matplotlib.transforms import ScaledTranslation

    down = ScaledTranslation(0, -0.42, ax.figure.dpi_scale_trans)
    return {"loc": "upper center", "bbox_to_anchor": (0.5, 0.0), "bbox_transform": ax.transAxes + down}
