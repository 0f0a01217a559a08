"""Reading TOML level files: each problem found is kept with its key path, and all of them
are reported at once as ``PATH: key.path: what is wrong``, never as a traceback."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli

from game.font_coverage import game_font_cannot_draw
from game.quoting import Worded, composed, readable_number, refused_character, said_back, shows_nothing
from game.scenario.toml_errors import decode_error_words, value_error_words
from game.vocab.materials import MATERIALS
from game.vocab.quarters import Quarter, parse_date
from game.vocab.refusals import said_in

#: Largest magnitude accepted for any number in a level (t, US$ million, US$/kg...).
MAX_NUMBER = 1e9
#: Smallest size of a number other than 0: a smaller one (5e-324) vanishes when the world divides
#: it up (a capacity into quarters becomes 0, then a divisor) or overflows when divided by. The
#: smallest shipped number is 0.001 (a mine's share of Dy/Tb).
MIN_MAGNITUDE = 1e-6
#: Largest level file read (bytes); a real level is a few tens of kilobytes.
MAX_FILE_BYTES = 2_000_000
#: Longest text (characters); the longest shipped text, a level's notes, is about 1,500.
MAX_TEXT_CHARS = 10_000
#: Longest key; the format's keys are a few words.
MAX_KEY_CHARS = 100
#: Most items in one array; the sandbox, the largest level, has about 120 events.
MAX_ITEMS = 1_000
#: Deepest nesting of tables and arrays; the formats go five deep (a history turn's action's materials).
MAX_DEPTH = 10
#: Longest problem line shown (a pasted novel in a key or value stays readable in one line).
MAX_PROBLEM_CHARS = 1_000
#: Ids of levels, worlds, firms, projects, contracts and objectives: they become file names and
#: keys of saves and records, so they are plain lowercase words.
MAX_ID_CHARS = 64
_ID = re.compile(r"[a-z0-9][a-z0-9_-]*")
#: A nation's (or a workshop role's) code: JPN, CHN, EU.
_CODE = re.compile(r"[A-Z][A-Z0-9]{1,7}")
#: The byte-order mark some editors put at the start of a UTF-8 file.
_BOM = "\ufeff"
#: What a problem calls an id by default ("expected an id (lowercase letters, ...)").
AN_ID = Worded("an id")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a level file. ``message`` is the English line; ``template`` and
    ``values`` are what it was made from, so that a window says it in its own language
    (``said``), as it does a save's refusal: ``template`` the English with ``{name}`` fields
    (the message itself where it has none) and ``values`` what fills them (names, codes and
    figures, which stay as they are, or words of their own that keep their template). ``path``
    is a file's path, or words naming what was looked for (``level {name}``)."""

    path: str
    key: str
    message: str
    template: str = field(default="", compare=False, repr=False)
    values: Mapping[str, object] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.template:  # the words a message keeps (a Worded, a Refusal), else the message itself
            template, values = getattr(self.message, "template", None), getattr(self.message, "values", None)
            object.__setattr__(self, "template", template if isinstance(template, str) else str(self.message))
            object.__setattr__(self, "values", dict(values) if isinstance(values, dict) else {})
        object.__setattr__(self, "message", str(self.message))

    def __str__(self) -> str:
        path = one_line(self.path)  # a name given on the command line may hold anything
        return f"{path}: {self.key}: {self.message}" if self.key else f"{path}: {self.message}"

    def message_in(self, tr: Callable[..., str]) -> str:
        """What is wrong (the message alone, without its file and key) through ``tr``, on one line."""
        return one_line(str(said_in(tr, self.worded_message())))

    def said(self, tr: Callable[..., str]) -> str:
        """The problem through ``tr`` (a window's ``tr(text, **values)``), on one line: the file,
        the key and what is wrong each worded apart, so a language puts them in its own order."""
        return one_line(str(said_in(tr, self.worded())))

    def worded_message(self) -> Worded:
        """The message: its English, keeping its template and values."""
        return _worded(self.message, self.template, self.values)

    def worded(self) -> Worded:
        """The whole line (``str(self)``), keeping the template of each of its parts: for a
        message that holds a level's problem (a save's refusal) to say it in a window's language."""
        path = self.path if isinstance(self.path, Worded) else one_line(self.path)
        if self.key:
            return _worded(str(self), "{path}: {key}: {problem}",
                           {"path": path, "key": self.key, "problem": self.worded_message()})
        return _worded(str(self), "{path}: {problem}", {"path": path, "problem": self.worded_message()})


def _worded(english: str, template: str, values: Mapping[str, object]) -> Worded:
    """Words whose English is ``english`` as it was written (clipped, control characters
    escaped), keeping the ``template`` and ``values`` it was made from."""
    words = str.__new__(Worded, english)
    words.template, words.values = template, dict(values)
    return words


class ScenarioError(ValueError):
    """Raised when a level file is invalid; holds every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    @classmethod
    def single(cls, path: str, message: str, key: str = "") -> ScenarioError:
        return cls([Problem(path, key, message)])

    def said(self, tr: Callable[..., str]) -> str:
        """Every problem through ``tr`` (``Problem.said``), one a line."""
        return "\n".join(problem.said(tr) for problem in self.problems)


class TomlReader:
    """Walks parsed TOML, recording a Problem (with its key path) for anything wrong."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []

    def problem(self, key: str, message: str, **values: object) -> None:
        """Record what is wrong at ``key``: ``message`` is English with ``{name}`` fields that
        ``values`` fill (a window words it in its own language), or words that keep their own
        template and values (a ``Worded``, a ``Refusal``); without either, the English as it is."""
        words = Worded(message, **values) if values else message
        template, kept = getattr(words, "template", None), getattr(words, "values", None)
        if not isinstance(template, str) or not isinstance(kept, dict):
            template, kept = str(message), {}
        kept = {name: clipped(value) if type(value) is str else value for name, value in kept.items()}
        self.problems.append(Problem(self.path, clipped(one_line(key)), clipped(one_line(str(words))),
                                     template, kept))

    def table(self, data: Any, key: str, name: str, required: bool = True) -> dict:
        where = f"{key}.{name}" if key else name
        if name not in data:
            if required:
                self.problem(where, "missing (expected a table)")
            return {}
        value = data[name]
        if not isinstance(value, dict):
            self.problem(where, "expected a table, got {value}", value=said_back(value))
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
            self.problem(where, "expected an array of tables, got {value}", value=said_back(value))
            return []
        items = []
        for i, item in enumerate(value):
            if isinstance(item, dict):
                items.append((f"{where}[{i}]", item))
            else:
                self.problem(f"{where}[{i}]", "expected a table, got {value}", value=said_back(item))
        return items

    def string(self, data: dict, key: str, name: str, default: str | None = None, choices: Iterable[str] | None = None,
               prose: bool = False) -> str:
        """Text, not empty; one line unless ``prose`` (a briefing, a note), where line breaks and
        tabs may stand. (Control characters are refused in every text of a file: ``check_document``.)"""
        where = f"{key}.{name}" if key else name
        if name not in data:
            if default is None:
                self.problem(where, "missing (expected a string)")
                return ""
            return default
        value = data[name]
        if not isinstance(value, str):
            self.problem(where, "expected a string, got {value}", value=said_back(value))
            return default or ""
        if choices is not None:
            choices = tuple(choices)
            if value not in choices:
                self.problem(where, "expected one of {choices}, got {value}", choices=", ".join(choices), value=said_back(value))
                return default or ""
        trouble = text_problem(value, prose)
        if trouble:
            self.problem(where, trouble)
            return default or ""
        return composed(value)

    def identifier(self, data: dict, key: str, name: str, default: str | None = None, what: str = AN_ID) -> str:
        """An id (``bayan-obo``, ``2010-trawler``): lowercase letters, digits, '-' and '_'.
        ``what``: the id's name in a problem, as ``Worded`` words a window can translate."""
        value = self.string(data, key, name, default=default)
        if name in data and value and not is_identifier(value):
            self.problem(f"{key}.{name}" if key else name,
                         "expected {what} (lowercase letters, digits, '-' and '_', at most {most}), got {value}",
                         what=what, most=MAX_ID_CHARS, value=said_back(value))
            return default or ""
        return value

    def code(self, data: dict, key: str, name: str) -> str:
        """A nation's code (``JPN``): two to eight capital letters or digits, a letter first."""
        value = self.string(data, key, name)
        if value and not _CODE.fullmatch(value):
            self.problem(f"{key}.{name}" if key else name,
                         "expected a code of 2 to 8 capital letters or digits like JPN, got {value}", value=said_back(value))
            return ""
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
            self.problem(where, "expected a number, got {value}", value=said_back(value))
            return fallback
        if isinstance(value, float) and math.isnan(value):
            self.problem(where, "expected a number, got NaN")
            return fallback
        if not low <= value <= high:
            self.problem(where, "expected a number from {low} to {high}, got {value}", low=readable_number(low),
                         high=readable_number(high), value=said_back(value))
            return fallback
        if 0 < abs(value) < MIN_MAGNITUDE:
            self.problem(where, "expected 0 or a number of at least {least} in size, got {value}",
                         least=readable_number(MIN_MAGNITUDE), value=said_back(value))
            return fallback
        return float(value)

    def flag(self, data: dict, key: str, name: str, default: bool = False) -> bool:
        """true or false (``default`` when left out)."""
        if name not in data:
            return default
        value = data[name]
        if not isinstance(value, bool):
            self.problem(f"{key}.{name}" if key else name, "expected true or false, got {value}", value=said_back(value))
            return default
        return value

    def integer(self, data: dict, key: str, name: str, default: int | None = None, low: int = 0, high: int = 10_000) -> int:
        where = f"{key}.{name}" if key else name
        if name not in data:
            if default is None:
                self.problem(where, "missing (expected a whole number)")
                return 0
            return default
        value = data[name]
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(where, "expected a whole number, got {value}", value=said_back(value))
            return default or 0
        if not low <= value <= high:
            self.problem(where, "expected a whole number from {low} to {high}, got {value}", low=readable_number(low),
                         high=readable_number(high), value=said_back(value))
            return default or 0
        return value

    def per_material(self, data: dict, key: str, name: str, default: float = 0.0,
                     low: float = 0.0, high: float = MAX_NUMBER, required: bool = False) -> tuple[float, ...]:
        """A table ``{ndpr = .., dytb = .., cela = ..}``; missing materials take ``default``, unless
        it is outside ``low`` to ``high`` (a reference price of 0 would be divided by)."""
        where = f"{key}.{name}" if key else name
        if name not in data:
            if required:
                self.problem(where, "missing (expected a table of materials: ndpr, dytb, cela)")
            return tuple(default for _ in MATERIALS)
        table = data[name]
        if not isinstance(table, dict):
            self.problem(where, "expected a table of materials (ndpr, dytb, cela), got {value}", value=said_back(table))
            return tuple(default for _ in MATERIALS)
        known = {m.value for m in MATERIALS}
        for k in table:
            if k not in known:
                self.problem(f"{where}.{k}", "unknown material {material!r} (expected one of ndpr, dytb, cela)", material=k)
        if not low <= default <= high:  # no default stands in: each material needs its own
            for m in MATERIALS:
                if m.value not in table:
                    self.problem(f"{where}.{m.value}", "missing (expected a number from {low} to {high})",
                                 low=readable_number(low), high=readable_number(high))
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
        except ValueError as error:  # a Refusal: its words keep their template
            self.problem(where, error)
            return default

    def date(self, data: dict, key: str, name: str, required: bool = True) -> dt.date | None:
        where = f"{key}.{name}" if key else name
        if name not in data:
            if required:
                self.problem(where, "missing (expected a date like 2010-09-21)")
            return None
        if isinstance(data[name], (dt.date, dt.time)):  # TOML's bare 2010-09-21 (a datetime is a date too)
            template = ('expected a date in quotes like "2010-09-21", got the time {value} without quotes'
                        if isinstance(data[name], dt.time)
                        else 'expected a date in quotes like "2010-09-21", got the date and time {value} without quotes'
                        if isinstance(data[name], dt.datetime)
                        else 'expected a date in quotes like "2010-09-21", got the date {value} without quotes')
            self.problem(where, template, value=said_back(data[name]))
            return None
        try:
            return parse_date(data[name])
        except ValueError as error:  # a Refusal: its words keep their template
            self.problem(where, error)
            return None

    def string_list(self, data: dict, key: str, name: str) -> tuple[str, ...]:
        """A list of one-line texts, none of them empty (an empty one would match no name)."""
        where = f"{key}.{name}" if key else name
        value = data.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(where, "expected a list of strings")
            return ()
        good = True
        for i, text in enumerate(value):
            trouble = text_problem(text, prose=False)
            if trouble:
                self.problem(f"{where}[{i}]", trouble)
                good = False
        return tuple(composed(text) for text in value) if good else ()

    def localized(self, data: dict, key: str, name: str, prose: bool = False) -> dict[str, str]:
        """A text in English and Japanese: ``{en = "...", ja = "..."}``; ``prose`` as for ``string``."""
        where = f"{key}.{name}" if key else name
        table = self.table(data, key, name)
        self.unknown_keys(table, where, ("en", "ja"))  # a key placed after [title] lands in it
        texts = {}
        for lang in ("en", "ja"):
            if lang not in table:
                if isinstance(data.get(name), dict):
                    self.problem(f"{where}.{lang}", "missing (expected a string)")
                continue
            texts[lang] = self.string(table, where, lang, prose=prose)
        return texts

    def unknown_keys(self, data: dict, key: str, allowed: Iterable[str]) -> None:
        allowed = set(allowed)
        for k in data:
            if k not in allowed:
                where = f"{key}.{k}" if key else k
                self.problem(where, "unknown key (expected one of {keys})", keys=", ".join(sorted(allowed)))

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
            if value in seen and value:  # (an empty one is already reported)
                self.problem(f"{table}[{i}].{name}", "duplicate {name} {value!r}", name=name, value=value)
            seen.add(value)

    def check_distinct(self, values: Iterable[str], where: str) -> None:
        """Each value of a list once: a nation twice among complainants, a mine twice in a feed."""
        seen = set()
        for i, value in enumerate(values):
            if value in seen:
                self.problem(f"{where}[{i}]", "{value!r} is listed twice", value=value)
            seen.add(value)


def type_name(value: Any) -> str:
    names = {str: "a string", int: "a whole number", float: "a number", bool: "true/false",
             list: "an array", dict: "a table", dt.date: "a date", dt.datetime: "a date-time", dt.time: "a time"}
    return names.get(type(value), type(value).__name__)


def one_line(text: str) -> str:
    """Problems print one per line: show control characters (a newline in a quoted key) escaped."""
    return text if text.isprintable() else "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def clipped(text: str, limit: int = MAX_PROBLEM_CHARS) -> str:
    return text if len(text) <= limit else text[:limit - 3] + "..."


def is_identifier(text: str) -> bool:
    """``text`` is an id: lowercase letters, digits, '-' and '_', a letter or digit first, at most 64."""
    return len(text) <= MAX_ID_CHARS and _ID.fullmatch(text) is not None


def text_problem(text: str, prose: bool) -> str:
    """What is wrong with a text read from a file ("" if nothing): empty, or a line break or tab
    outside prose. (Control characters and length are checked for every text in ``check_document``.)
    The words keep their template (``Worded``), for a window to say them in its own language."""
    if not text or text.isspace():
        return Worded("expected text, got an empty string" if not text else "expected text, got only spaces")
    if shows_nothing(text):
        return Worded("expected text, got only characters that show nothing (combining marks, zero-width ones)")
    if not prose and ("\n" in text or "\t" in text):
        at = min(i for i in (text.find("\n"), text.find("\t")) if i >= 0)
        return Worded("holds {character} at character {at} (this text is one line)", character=_describe(text[at]),
                      at=at + 1)
    return ""


def _describe(c: str) -> Worded:
    names = {"\n": Worded("a line break"), "\t": Worded("a tab"), "\r": Worded("a carriage return"),
             "\x00": Worded("a NUL character"), "\x1b": Worded("an escape character (ESC)"),
             _BOM: Worded("a byte-order mark")}
    if c not in names and unicodedata.category(c) in ("Co", "Cn"):
        return Worded("U+{code}, which is not a character any font draws (private use, or kept out of text)",
                      code=f"{ord(c):04X}")
    if c in names:
        return names[c]
    return Worded("the control or invisible character U+{code}", code=f"{ord(c):04X}")


def _system_reason(error: OSError | ValueError) -> str:
    """Why a file could not be read: the system's words ("Permission denied"), as words a window
    translates where its table has them, else the error's own text."""
    reason = getattr(error, "strerror", None)
    return Worded(reason) if reason else str(error)


def read_text(path: Path, reader: TomlReader) -> str | None:
    """The file's text: at most MAX_FILE_BYTES, UTF-8, a leading byte-order mark dropped (some
    editors write one). None, with the problem recorded, if it cannot be read as such."""
    try:
        size = path.stat().st_size
    except (OSError, ValueError) as error:
        reader.problem("", "cannot read the file ({reason})", reason=_system_reason(error))
        return None
    if size > MAX_FILE_BYTES:
        reader.problem("", "file is {size} bytes, larger than the {most} a game file (a level, a world, a strategy) "
                           "may be", size=size, most=MAX_FILE_BYTES)
        return None
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_FILE_BYTES + 1)  # bounded: st_size is 0 for /dev/zero and pipes
    except OSError as error:
        reader.problem("", "cannot read the file ({reason})", reason=_system_reason(error))
        return None
    if len(raw) > MAX_FILE_BYTES:
        reader.problem("", "file is larger than the {most} bytes a game file (a level, a world, a strategy) may be",
                       most=MAX_FILE_BYTES)
        return None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        reader.problem("", "the file is UTF-16 or UTF-32 (it starts with their byte-order mark); save it as UTF-8")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[:error.start].count(b"\n") + 1
        reader.problem("", "not a UTF-8 text file (line {line}: bytes that are not UTF-8; save it as UTF-8)", line=line)
        return None
    return text.removeprefix(_BOM)


def parse_text(text: str, reader: TomlReader) -> dict | None:
    """Parse TOML and check what every format shares (``check_document``)."""
    if not text.strip():
        reader.problem("", "the file is empty (expected TOML)")
        return None
    try:
        data = tomli.loads(text)
    except tomli.TOMLDecodeError as error:
        reader.problem("", "not valid TOML: {reason}", reason=decode_error_words(error))
        return None
    except RecursionError:
        reader.problem("", "not valid TOML: nested too deeply")
        return None
    except ValueError as error:  # e.g. a whole number of more than 4300 digits
        reader.problem("", "not valid TOML: {reason}", reason=value_error_words(str(error).split(";")[0]))
        return None
    check_document(data, reader)
    return data


def parse_file(path: Path, reader: TomlReader) -> dict | None:
    """Read and parse a file; None if it is not TOML at all. Problems found past the parser
    (``check_document``) are recorded and the data returned, so that all are reported at once."""
    text = read_text(path, reader)
    return parse_text(text, reader) if text is not None else None


def check_document(data: dict, reader: TomlReader) -> None:
    """What holds for every file, whatever its format: nesting at most MAX_DEPTH deep, arrays of
    at most MAX_ITEMS, keys of at most MAX_KEY_CHARS, texts of at most MAX_TEXT_CHARS and without
    control characters (line breaks and tabs aside: a prose text may hold them; the reader of
    each one-line text refuses them there)."""
    if not _is_sound(data, 0):  # the quick look finds nothing in nearly every file
        _check_value(data, "", 0, reader)


def _undrawable(text: str) -> str:
    """The characters of ``text`` the game's font has no glyph for; none where the font files
    cannot be read (an installation's fault, not the file's: the window says so itself)."""
    try:
        return game_font_cannot_draw(composed(text))  # as the reader keeps it: "é", not "e" and a mark
    except (OSError, ValueError):
        return ""


def _is_sound(value, depth: int) -> bool:
    """``_check_value`` would find nothing (without building a key path for every value)."""
    if isinstance(value, str):
        return len(value) <= MAX_TEXT_CHARS and (value.isprintable() or refused_character(value, "\n\t") is None) \
            and (value.isascii() or not _undrawable(value))
    if isinstance(value, dict):
        return depth < MAX_DEPTH and all(len(k) <= MAX_KEY_CHARS and _is_sound(v, depth + 1) for k, v in value.items())
    if isinstance(value, list):
        return depth < MAX_DEPTH and len(value) <= MAX_ITEMS and all(_is_sound(v, depth + 1) for v in value)
    return True


def _check_value(value, where: str, depth: int, reader: TomlReader) -> None:
    if isinstance(value, str):
        if len(value) > MAX_TEXT_CHARS:
            reader.problem(where, "a text of {length} characters, longer than the {most} allowed", length=len(value),
                           most=MAX_TEXT_CHARS)
        found = refused_character(value, allowed="\n\t")
        if found is not None:
            reader.problem(where, "holds {character} at character {at}", character=_describe(found[1]), at=found[0] + 1)
        elif not value.isascii():
            boxes = _undrawable(value)
            if boxes:  # the window would show boxes; a Japanese author met them with everyday kanji
                shown = ", ".join(f"{char!r} (U+{ord(char):04X})" for char in boxes[:5])
                if len(boxes) > 5:
                    reader.problem(where, "the game's font cannot draw {characters} and {more} more: the window would "
                                          "show boxes; use other characters", characters=shown, more=len(boxes) - 5)
                else:
                    reader.problem(where, "the game's font cannot draw {characters}: the window would show boxes; use "
                                          "other characters", characters=shown)
        return
    if not isinstance(value, (dict, list)):
        return
    if depth >= MAX_DEPTH:
        reader.problem(where, "nested more than {most} deep", most=MAX_DEPTH)
        return
    if isinstance(value, dict):
        for name, item in value.items():
            if len(name) > MAX_KEY_CHARS:
                reader.problem(f"{where}.{name}" if where else name,
                               "a key of {length} characters, longer than the {most} allowed", length=len(name),
                               most=MAX_KEY_CHARS)
                continue
            _check_value(item, f"{where}.{name}" if where else name, depth + 1, reader)
        return
    if len(value) > MAX_ITEMS:
        reader.problem(where, "an array of {count} items, more than the {most} allowed", count=len(value), most=MAX_ITEMS)
        return
    for i, item in enumerate(value):
        _check_value(item, f"{where}[{i}]", depth + 1, reader)


def is_file(path: Path) -> bool:
    """``Path.is_file``, but False (not OSError) for a name the OS refuses, e.g. one too long."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False

