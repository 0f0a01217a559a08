"""The reference data the game shows as history: dated facts with their sources, and the
series the charts overlay. Read from ``levels/reference`` (a copy of the project's shared
reference), never computed. The Japanese of the cited facts' quantities and notes is read from
``assets/strings/facts_ja.toml`` (``fact_note_ja``, ``fact_wording``)."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import tomli

from game.asset_paths import assets_dir
from game.scenario.catalogue import levels_dir
from game.scenario.toml_reader import TomlReader, parse_file

#: Chart column -> (reference series, factor from the series' unit to the column's).
SERIES_FOR_COLUMN = {
    "price_ndpr_japan": ("nd_oxide_price_usd_kg", 1.0),
    "price_dytb_japan": ("dy_oxide_price_usd_kg", 1.0),
    "japan_china_share": ("japan_china_share_pct", 0.01),
    "japan_demand_t": ("japan_demand_t", 0.25),  # a year's tonnes shown per quarter
}
#: The legend of a chart's history points where they measure something else than the chart's
#: line: the NdPr and Dy/Tb prices are held to neodymium and dysprosium oxide's, which the
#: sources give (a player read the Nd oxide points as NdPr's).
HISTORY_LEGEND_FOR_COLUMN = {
    "price_ndpr_japan": "History: Nd oxide",
    "price_dytb_japan": "History: Dy oxide",
}


def history_legend(column: str) -> str:
    """The legend, in English, of ``reference_points(column)`` on a chart."""
    return HISTORY_LEGEND_FOR_COLUMN.get(column, "History")


@dataclass(frozen=True)
class Fact:
    id: str
    quantity: str
    value: str
    source: str
    confidence: str
    note: str
    dated: str = ""  # when it happened or was found: its date ("2026-01-06"), else its year ("2025")
    topic: str = ""  # what it is about: "prices", "china_controls_2019_2026"...
    url: str = ""  # where its source is read
    #: where the project read its source (a copy in a repository, a mirror): kept for the
    #: project, never shown, for a player and a class cite the publication itself
    provenance: str = ""
    #: The value's number and its unit, apart (``value`` is both, as the English writes them).
    number: float | None = None
    unit: str = ""

    def after(self, year: int, last_month: int) -> bool:
        """Whether it is dated after the month ``last_month`` of ``year`` (a quarter's last): a
        note of it then tells a player what has not happened yet in the game."""
        if len(self.dated) >= 7 and self.dated[4] == "-" and self.dated[:4].isdigit() and self.dated[5:7].isdigit():
            return (int(self.dated[:4]), int(self.dated[5:7])) > (year, last_month)
        return self.dated[:4].isdigit() and int(self.dated[:4]) > year


@dataclass(frozen=True)
class TimelineEntry:
    """A dated row of the reference timeline: what happened and who reported it."""

    date: str  # "2026-01-09", or "2012-06" where the month is all that is known
    event: str
    source: str  # the report's name ("allthe.news summary of WSJ"), without its address
    url: str  # where the report is read


@dataclass(frozen=True)
class ReferencePoint:
    year: float  # decimal year of the point's middle: 2011.5 for an annual figure of 2011
    value: float
    fact_id: str
    kind: str


@lru_cache(maxsize=1)
def facts() -> dict[str, Fact]:
    table = {}
    for item in _fact_records().values():
        value = item.get("value", "")
        unit = item.get("unit", "")
        shown = f"{value:,}" if isinstance(value, (int, float)) and not isinstance(value, bool) else str(value)
        table[item["id"]] = Fact(item["id"], str(item.get("quantity", "")), f"{shown} {unit}".strip(),
                                 str(item.get("source", "")), str(item.get("confidence", "")),
                                 str(item.get("note", "")), str(item.get("date") or item.get("year") or ""),
                                 str(item.get("topic", "")), str(item.get("url", "")),
                                 str(item.get("provenance", "")),
                                 float(value) if isinstance(value, (int, float)) and not isinstance(value, bool)
                                 else None, str(unit))
    return table


def facts_named_in(text: str) -> list[Fact]:
    """The facts whose ids appear in ``text`` (an event's source list, a briefing), in order."""
    table = facts()
    found, seen = [], set()
    for word in text.replace(",", " ").replace("(", " ").replace(")", " ").split():
        if word in table and word not in seen:
            seen.add(word)
            found.append(table[word])
    return found


#: A level's citation of a timeline row in a source list: "timeline 2026-01-09 (allthe.news summary of WSJ)".
_TIMELINE_CITATION = re.compile(r"\btimeline (\d{4}(?:-\d{2}){0,2})\b")
_ADDRESS = re.compile(r"\s*<([^>]*)>\s*$")


@lru_cache(maxsize=1)
def timeline() -> dict[str, TimelineEntry]:
    """The reference timeline's rows by date, read once from ``timeline.csv``."""
    rows = {}
    with (levels_dir() / "reference" / "timeline.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            address = _ADDRESS.search(row["source"])
            source = row["source"][:address.start()] if address else row["source"]
            rows[row["date"]] = TimelineEntry(row["date"], row["event"], source.strip(),
                                              address.group(1) if address else "")
    return rows


def timeline_named_in(text: str) -> list[TimelineEntry]:
    """The timeline rows ``text`` (an event's source list) cites, in order."""
    rows = timeline()
    return [rows[date] for date in dict.fromkeys(_TIMELINE_CITATION.findall(text)) if date in rows]


def fact_note_ja(fact_id: str) -> tuple[str, str] | None:
    """A fact's quantity and note in Japanese, ``(quantity_ja, note_ja)``, from
    ``assets/strings/facts_ja.toml``; None when the table lacks the fact (show the English).

    The note is never empty: for a fact without an English note it repeats the quantity."""
    return japanese_facts().get(fact_id)


def fact_wording(fact: Fact, language: str) -> tuple[str, str]:
    """``(quantity, note)`` of a fact as the window shows it in ``language`` ("en" or "ja"):
    the Japanese where the table has it, else the English (whose note may be ""); the note
    without what it tells researchers of the search for the figure (``for_players``)."""
    if language == "ja" and (japanese := fact_note_ja(fact.id)) is not None:
        return japanese[0], for_players(japanese[1])
    return fact.quantity, for_players(fact.note)


def fact_value_wording(fact: Fact, language: str) -> str:
    """A fact's value as the window and the report show it in ``language``: in Japanese, its unit
    as Japanese writes it ("t/年 REO", not "t/yr REO") and money in 万, 億 and 兆 ("1,000億円", not
    "100 billion JPY"), the number kept; as the fact gives it otherwise."""
    if language != "ja" or fact.number is None:
        return fact.value
    scale, _, currency = fact.unit.partition(" ")
    if scale in _SCALES and currency in _CURRENCIES_JA:
        before, after = _CURRENCIES_JA[currency]
        return f"{before}{_in_man_oku_cho(fact.number * _SCALES[scale])}{after}"
    unit = _UNITS_JA.get(fact.unit)
    if unit is None:
        return fact.value
    if fact.unit == "year":  # a year, not a count ("1983年", not "1,983年")
        return f"{fact.number:.0f}{unit}"
    shown = fact.value.removesuffix(fact.unit).strip()  # the number as the English writes it
    return f"{shown}{unit}" if unit[0] > "\u3000" else f"{shown} {unit}"  # a Japanese word follows the figure


#: English money scales and currencies, as Japanese writes money ("US$2億5,000万", "1,000億円").
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_CURRENCIES_JA = {"JPY": ("", "円"), "USD": ("US$", ""), "AUD": ("A$", ""), "CNY": ("", "元")}
#: Units facts.toml writes in English, as Japanese writes them (ja.toml's "t/年"); the rest
#: (t, t REO, US$/kg, %, ppm...) are the same in both.
_UNITS_JA = {"t/yr REO": "t/年 REO", "t/yr": "t/年", "t/month": "t/月", "t REO-equivalent": "t（REO換算）",
             "%/yr": "%/年", "years": "年", "year": "年", "months": "か月", "days": "日", "x": "倍",
             "elements": "元素", "units/hour": "台/時", "days of consumption": "日分の消費",
             "days (approx.)": "日（概数）", "% (approx.)": "%（概数）", "% (up to)": "%（最大）",
             "% (less than)": "%未満", "% of value": "%（金額ベース）", "t mud/day": "t（泥）/日"}


def _in_man_oku_cho(amount: float) -> str:
    """A whole sum in 兆, 億 and 万 as Japanese writes it: 1e11 is "1,000億", 2.5e8 "2億5,000万"."""
    left, parts = round(amount), []
    for size, word in ((10**12, "兆"), (10**8, "億"), (10**4, "万")):
        if left >= size:
            parts.append(f"{left // size:,}{word}")
            left %= size
    return "".join(parts) + (f"{left:,}" if left or not parts else "")


#: How a note of facts.toml speaks to the project's researchers rather than to a player: what
#: the compilers found or did not find, how sure they are, which other facts of the data to
#: read, which table a figure was taken from and how to use it ("Actual output incl. illegal
#: mining not found.", "Compiler's arithmetic", "USGS yearbook table", "treat as 50-350"). A 2011
#: news pop-up showed that as history. English, then the Japanese of facts_ja.toml.
_FOR_RESEARCHERS = re.compile(r"not found|not retrieved|\bcompiler|\bstored\b|\bunverified\b|\blabelled\b|"
                              r"\bunclear\b|which conflicts|\bfacts\b|\byearbook table\b|\btreat as\b|"
                              r"見つから|未確認|不明|信頼度「|記憶に基づく|ファクト|年鑑の表|とみなす", re.IGNORECASE)
#: Where a note's sentences and clauses part: after "." and a space before a capital or a
#: figure (not inside "incl. illegal"), after ";" and a space, and after "。" or "；".
_PARTS = re.compile(r"(?<=\.)\s+(?=[A-Z0-9~¥$])|(?<=;)\s+|(?<=[。；])")
_ASIDE = re.compile(r"\s*[(（][^()（）]*[)）]")


def for_players(note: str) -> str:
    """``note`` without its sentences, clauses and bracketed asides addressed to researchers
    (``_FOR_RESEARCHERS``); "" when nothing is left (the window then shows the quantity)."""
    if not _FOR_RESEARCHERS.search(note):
        return note
    note = _ASIDE.sub(lambda m: "" if _FOR_RESEARCHERS.search(m.group(0)) else m.group(0), note)
    kept = [part.strip() for part in _PARTS.split(note) if part.strip() and not _FOR_RESEARCHERS.search(part)]
    text = ""
    for part in kept:
        text += part if not text or text.endswith(("。", "；")) else " " + part
    if text.endswith((";", "；")):  # the clause that ended the note was dropped
        text = text[:-1] + ("。" if text.endswith("；") else ".")
    return text[:1].upper() + text[1:]


def facts_ja_path() -> Path:
    """Where the Japanese of the facts is: ``assets/strings/facts_ja.toml``."""
    return assets_dir() / "strings" / "facts_ja.toml"


@lru_cache(maxsize=1)
def japanese_facts() -> dict[str, tuple[str, str]]:
    """Every fact of ``facts_ja.toml`` with a non-empty quantity and note, read once; a missing
    or broken file, or a broken entry, leaves facts out (they show in English), never raises."""
    reader = TomlReader("facts_ja.toml")
    data = parse_file(facts_ja_path(), reader)
    flagged = {p.key.split(".")[0] for p in reader.problems}  # a control character, a text too long
    table = {}
    for fact_id, item in (data or {}).items():
        if not isinstance(item, dict) or fact_id in flagged:
            continue
        quantity, note = item.get("quantity"), item.get("note")
        if isinstance(quantity, str) and isinstance(note, str) and quantity.strip() and note.strip():
            table[str(fact_id)] = (quantity.strip(), note.strip())
    return table


@lru_cache(maxsize=8)
def reference_points(column: str) -> tuple[ReferencePoint, ...]:
    """The reference figures for a chart column, oldest first; () when the reference has none."""
    if column not in SERIES_FOR_COLUMN:
        return ()
    series, factor = SERIES_FOR_COLUMN[column]
    # Dated as precisely as each fact states it (``series_figures``): "~Oct 2011", given the year
    # 2011 alone in the series, stood at mid-2011 on the chart, one above the other with the peak.
    points = [ReferencePoint(_year_of(figure.period, figure.kind), figure.value * factor, figure.fact_id, figure.kind)
              for figure in series_figures()
              if figure.series == series and (series != "japan_china_share_pct" or figure.unit == "%")]
    return tuple(sorted(points, key=lambda p: p.year))


def _year_of(period: str, kind: str) -> float:
    year = int(period[:4])
    if len(period) == 6 and period[4] == "Q":  # a quarter's average, at the quarter's middle
        return year + (int(period[5]) - 1) / 4 + 0.125
    if len(period) >= 7 and period[4] == "-":
        month = int(period[5:7])
        day = int(period[8:10]) if len(period) >= 10 else 15
        return year + (month - 1) / 12 + day / 365
    if kind in ("year-end",):
        return year + 0.95
    if kind == "quarter":
        return year + 0.875
    return year + 0.5


@dataclass(frozen=True)
class SeriesFigure:
    """One figure of a calibration series: a row of ``series.csv``, or a fact it lacks.

    ``period`` is the row's, made as precise as its fact states where the row gives only a
    year: ``2011Q2`` for a quarter's average, ``2011-10`` for a dated point ("~Oct 2011").
    """

    series: str
    period: str
    kind: str  # annual, quarter, peak, year-end or point
    value: float
    low: float | None
    high: float | None
    unit: str
    confidence: str
    fact_id: str


#: Prices inside China, which ``series.csv`` does not carry: every fact of ``facts.toml``
#: giving a China domestic oxide price, as (series, period, kind, CNY per US$ or None when
#: the fact is in US$). Terbium (price_tb_china_2011sep) is left out, as from the Dy/Tb
#: comparison: the world's Dy/Tb group is priced as dysprosium. The 2011 rate is the one the
#: compiler used for the US$ range in price_nd_china_2011sep's note.
DOMESTIC_CHINA_PRICE_FACTS = {
    "price_nd_china_2011sep": ("nd_oxide_china_price_usd_kg", "2011-09-16", "point", 6.38),
    "price_dy_china_2011sep": ("dy_oxide_china_price_usd_kg", "2011-09-16", "point", 6.38),
    "price_ndpr_china_2022q2": ("ndpr_oxide_china_price_usd_kg", "2022Q2", "quarter", None),
    "price_ndpr_china_2023dec": ("ndpr_oxide_china_price_usd_kg", "2023-12", "point", None),
    "price_ndpr_china_2024dec": ("ndpr_oxide_china_price_usd_kg", "2024-12", "point", None),
}
#: What a CNY figure's unit is worth in CNY per kg.
_CNY_PER_KG = {"CNY/kg": 1.0, "CNY/t": 0.001}

_QUARTER_IN_TEXT = re.compile(r"\bQ([1-4])-(\d{4})\b")
_MONTH_IN_TEXT = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? (\d{4})\b")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@lru_cache(maxsize=1)
def series_figures() -> tuple[SeriesFigure, ...]:
    """Every row of ``series.csv`` with a numeric value, in file order."""
    quantities = _fact_records()
    figures = []
    with (levels_dir() / "reference" / "series.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            value = _number(row["value"])
            if value is None:
                continue
            quantity = str(quantities.get(row["fact_id"], {}).get("quantity", ""))
            figures.append(SeriesFigure(row["series"], _precise_period(row["period"], row["kind"], quantity),
                                        row["kind"], value, _number(row["low"]), _number(row["high"]), row["unit"],
                                        row["confidence"], row["fact_id"]))
    return tuple(figures)


@lru_cache(maxsize=1)
def domestic_china_price_figures() -> tuple[SeriesFigure, ...]:
    """The China domestic prices of ``DOMESTIC_CHINA_PRICE_FACTS``, in US$/kg."""
    records = _fact_records()
    figures = []
    for fact_id, (series, period, kind, cny_per_usd) in DOMESTIC_CHINA_PRICE_FACTS.items():
        record = records[fact_id]
        factor = 1.0 if cny_per_usd is None else _CNY_PER_KG[record["unit"]] / cny_per_usd
        low, high = record.get("value_low"), record.get("value_high")
        figures.append(SeriesFigure(series, period, kind, float(record["value"]) * factor,
                                    None if low is None else float(low) * factor,
                                    None if high is None else float(high) * factor,
                                    "US$/kg", str(record.get("confidence", "")), fact_id))
    return tuple(figures)


@lru_cache(maxsize=1)
def _fact_records() -> dict[str, dict]:
    with (levels_dir() / "reference" / "facts.toml").open("rb") as f:
        return {item["id"]: item for item in tomli.load(f).get("fact", [])}


def _precise_period(period: str, kind: str, quantity: str) -> str:
    if len(period) != 4:
        return period  # already dated
    if kind == "quarter" and (match := _QUARTER_IN_TEXT.search(quantity)) and match.group(2) == period:
        return f"{period}Q{match.group(1)}"
    if kind == "point" and (match := _MONTH_IN_TEXT.search(quantity)) and match.group(2) == period:
        return f"{period}-{_MONTHS.index(match.group(1)) + 1:02d}"
    return period


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None
