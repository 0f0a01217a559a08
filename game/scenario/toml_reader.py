"""Reading TOML level files: each problem found is kept with its key path, and all of them
are reported at once as ``PATH: key.path: what is wrong``, never as a traceback."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli

from game.vocab.materials import MATERIALS
from game.vocab.quarters import Quarter, parse_date

#: Largest magnitude accepted for any number in a level (t, US$ million, US$/kg...).
MAX_NUMBER = 1e9
#: Largest level file read (bytes); a real level is a few tens of kilobytes.
MAX_FILE_BYTES = 2_000_000


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a level file."""

    path: str
    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.key}: {self.message}" if self.key else f"{self.path}: {self.message}"


class ScenarioError(ValueError):
    """Raised when a level file is invalid; holds every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    @classmethod
    def single(cls, path: str, message: str, key: str = "") -> ScenarioError:
        return cls([Problem(path, key, message)])




class TomlReader:
    """Walks parsed TOML, recording a Problem (with its key path) for anything wrong."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []

    def problem(self, key: str, message: str) -> None:
        self.problems.append(Problem(self.path, one_line(key), one_line(message)))

    def table(self, data: Any, key: str, name: str, required: bool = True) -> dict:
        where = f"{key}.{name}" if key else name
        if name not in data:
            if required:
                self.problem(where, "missing (expected a table)")
            return {}
        value = data[name]
        if not isinstance(value, dict):
            self.problem(where, f"expected a table, got {type_name(value)}")
            return {}
        return value

    def array_of_tables(self, data: Any, key: str, name: str, required: bool = False) -> list[tuple[str, dict]]:
        where = f"{key}.{name}" if key else name
        if name not in data:
            if required:
                self.problem(where, "missing (expected an array of tables)")
            return []
        value = data[name]
        if not isinstance(value, list):
            self.problem(where, f"expected an array of tables, got {type_name(value)}")
            return []
        items = []
        for i, item in enumerate(value):
            if isinstance(item, dict):
                items.append((f"{where}[{i}]", item))
            else:
                self.problem(f"{where}[{i}]", f"expected a table, got {type_name(item)}")
        return items

    def string(self, data: dict, key: str, name: str, default: str | None = None, choices: Iterable[str] | None = None) -> str:
        where = f"{key}.{name}" if key else name
        if name not in data:
            if default is None:
                self.problem(where, "missing (expected a string)")
                return ""
            return default
        value = data[name]
        if not isinstance(value, str):
            self.problem(where, f"expected a string, got {type_name(value)}")
            return default or ""
        if choices is not None:
            choices = tuple(choices)
            if value not in choices:
                self.problem(where, f"expected one of {', '.join(choices)}, got {value!r}")
                return default or ""
        return value

    def number(self, data: dict, key: str, name: str, default: float | None = None,
               low: float = 0.0, high: float = MAX_NUMBER) -> float:
        where = f"{key}.{name}" if key else name
        if name not in data:
            if default is None:
                self.problem(where, "missing (expected a number)")
                return 0.0
            return default
        return self.check_number(data[name], where, low, high, fallback=0.0 if default is None else default)

    def check_number(self, value: Any, where: str, low: float, high: float, fallback: float = 0.0) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.problem(where, f"expected a number, got {type_name(value)}")
            return fallback
        if isinstance(value, float) and math.isnan(value):
            self.problem(where, "expected a number, got NaN")
            return fallback
        if not low <= value <= high:
            self.problem(where, f"expected a number from {_fmt(low)} to {_fmt(high)}, got {_fmt(value)}")
            return fallback
        return float(value)

    def integer(self, data: dict, key: str, name: str, default: int | None = None, low: int = 0, high: int = 10_000) -> int:
        where = f"{key}.{name}" if key else name
        if name not in data:
            if default is None:
                self.problem(where, "missing (expected a whole number)")
                return 0
            return default
        value = data[name]
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(where, f"expected a whole number, got {type_name(value)}")
            return default or 0
        if not low <= value <= high:
            self.problem(where, f"expected a whole number from {low} to {high}, got {value}")
            return default or 0
        return value

    def per_material(self, data: dict, key: str, name: str, default: float = 0.0,
                     low: float = 0.0, high: float = MAX_NUMBER, required: bool = False) -> tuple[float, ...]:
        """A table ``{ndpr = .., dytb = .., cela = ..}``; missing materials take ``default``."""
        where = f"{key}.{name}" if key else name
        if name not in data:
            if required:
                self.problem(where, "missing (expected a table of materials: ndpr, dytb, cela)")
            return tuple(default for _ in MATERIALS)
        table = data[name]
        if not isinstance(table, dict):
            self.problem(where, f"expected a table of materials (ndpr, dytb, cela), got {type_name(table)}")
            return tuple(default for _ in MATERIALS)
        known = {m.value for m in MATERIALS}
        for k in table:
            if k not in known:
                self.problem(f"{where}.{k}", f"unknown material {k!r} (expected one of ndpr, dytb, cela)")
        return tuple(
            self.check_number(table[m.value], f"{where}.{m.value}", low, high, default) if m.value in table else default
            for m in MATERIALS
        )

    def quarter(self, data: dict, key: str, name: str, default: Quarter | None = None) -> Quarter | None:
        where = f"{key}.{name}" if key else name
        if name not in data:
            if default is None:
                self.problem(where, "missing (expected a quarter like 2010Q3)")
            return default
        try:
            return Quarter.parse(data[name])
        except ValueError as error:
            self.problem(where, str(error))
            return default

    def date(self, data: dict, key: str, name: str, required: bool = True) -> dt.date | None:
        where = f"{key}.{name}" if key else name
        if name not in data:
            if required:
                self.problem(where, "missing (expected a date like 2010-09-21)")
            return None
        if isinstance(data[name], (dt.date, dt.time)):
            self.problem(where, f"expected a date in quotes like \"2010-09-21\", got an unquoted TOML {type_name(data[name])[2:]}")
            return None
        try:
            return parse_date(data[name])
        except ValueError as error:
            self.problem(where, str(error))
            return None

    def string_list(self, data: dict, key: str, name: str) -> tuple[str, ...]:
        where = f"{key}.{name}" if key else name
        value = data.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(where, "expected a list of strings")
            return ()
        return tuple(value)

    def localized(self, data: dict, key: str, name: str) -> dict[str, str]:
        """A text in English and Japanese: ``{en = "...", ja = "..."}``."""
        where = f"{key}.{name}" if key else name
        table = self.table(data, key, name)
        self.unknown_keys(table, where, ("en", "ja"))  # a key placed after [title] lands in it
        texts = {}
        for lang in ("en", "ja"):
            if lang not in table:
                if isinstance(data.get(name), dict):
                    self.problem(f"{where}.{lang}", "missing (expected a string)")
                continue
            texts[lang] = self.string(table, where, lang)
        return texts

    def unknown_keys(self, data: dict, key: str, allowed: Iterable[str]) -> None:
        allowed = set(allowed)
        for k in data:
            if k not in allowed:
                where = f"{key}.{k}" if key else k
                self.problem(where, f"unknown key (expected one of {', '.join(sorted(allowed))})")

    def lonlat(self, item: dict, key: str, name: str = "lonlat") -> tuple[float, float] | None:
        """A place on the map: ``[longitude, latitude]`` in degrees (None, with a problem, if not)."""
        value = item.get(name)
        if not isinstance(value, list) or len(value) != 2:
            self.problem(f"{key}.{name}", "expected [longitude, latitude] in degrees")
            return None
        lon = self.check_number(value[0], f"{key}.{name}[0]", -180.0, 180.0)
        lat = self.check_number(value[1], f"{key}.{name}[1]", -90.0, 90.0)
        return (lon, lat) if lon is not None and lat is not None else None

    def check_unique(self, values: list[str], table: str, name: str) -> None:
        seen = set()
        for i, value in enumerate(values):
            if value in seen:
                self.problem(f"{table}[{i}].{name}", f"duplicate {name} {value!r}")
            seen.add(value)


def type_name(value: Any) -> str:
    names = {str: "a string", int: "a whole number", float: "a number", bool: "true/false",
             list: "an array", dict: "a table", dt.date: "a date", dt.datetime: "a date-time", dt.time: "a time"}
    return names.get(type(value), type(value).__name__)


def _fmt(x: float) -> str:
    try:
        return f"{x:g}"
    except OverflowError:  # a TOML whole number too large for a float
        return f"a whole number of {len(str(abs(x)))} digits"


def one_line(text: str) -> str:
    """Problems print one per line: show control characters (a newline in a quoted key) escaped."""
    return text if text.isprintable() else "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def parse_file(path: Path, reader: TomlReader) -> dict | None:
    try:
        size = path.stat().st_size
    except OSError as error:
        reader.problem("", f"cannot read the file ({error.strerror or error})")
        return None
    if size > MAX_FILE_BYTES:
        reader.problem("", f"file is {size} bytes, larger than the {MAX_FILE_BYTES} a level may be")
        return None
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_FILE_BYTES + 1)  # bounded: st_size is 0 for /dev/zero and pipes
    except OSError as error:
        reader.problem("", f"cannot read the file ({error.strerror or error})")
        return None
    if len(raw) > MAX_FILE_BYTES:
        reader.problem("", f"file is larger than the {MAX_FILE_BYTES} bytes a level may be")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        reader.problem("", "not a UTF-8 text file")
        return None
    if not text.strip():
        reader.problem("", "the file is empty (expected TOML)")
        return None
    try:
        return tomli.loads(text)
    except tomli.TOMLDecodeError as error:
        reader.problem("", f"not valid TOML: {error}")
        return None
    except RecursionError:
        reader.problem("", "not valid TOML: nested too deeply")
        return None
    except ValueError as error:  # e.g. a whole number of more than 4300 digits
        reader.problem("", f"not valid TOML: {str(error).split(';')[0]}")
        return None


def is_file(path: Path) -> bool:
    """``Path.is_file``, but False (not OSError) for a name the OS refuses, e.g. one too long."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False

