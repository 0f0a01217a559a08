"""Level files (TOML) -> validated, typed, frozen scenario objects.

This is the only module that reads level files. A level names a baseline world file
(``world = "world-2010"``) and adds its dates, events, contracts and history; both file
kinds are checked here. Every problem is reported as ``PATH: key.path: what is wrong``,
all of them at once, and never as a traceback.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli

from game.actions import ACTION_TYPES, action_from_dict
from game.objectives import DATED_RULES, RULES, Objective
from game.world.materials import MATERIALS, Material, Role
from game.world.quarters import Quarter, parse_date

#: Largest magnitude accepted for any number in a level (t, US$ million, US$/kg...).
MAX_NUMBER = 1e9
#: Largest level file read (bytes); a real level is a few tens of kilobytes.
MAX_FILE_BYTES = 2_000_000

EVENT_KINDS = (
    "news",
    "tension",
    "embargo",
    "embargo_lift",
    "export_quota",
    "export_tariff",
    "licence",
    "project_start",
    "budget",
    "wto_case",
    "mining_quota",
    "demand_trend",
    "plant_rules",
)


#: How a nation's AI sets its trade policy: "leverage" weighs pressure on partners against
#: revenue and WTO exposure (China); "partner" trades and signs with reliable buyers.
DOCTRINES = ("leverage", "partner")

# --------------------------------------------------------------------------- errors


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


# --------------------------------------------------------------------------- the scenario


@dataclass(frozen=True)
class NationSpec:
    code: str
    name: str
    name_ja: str
    lonlat: tuple[float, float]
    budget_musd_per_quarter: float
    stockpile: tuple[float, ...]
    tension: tuple[tuple[str, float], ...]
    urban_mine_in_use: tuple[float, ...]
    product_lifetime_years: float
    collection_rate: float
    doctrine: str = "partner"


@dataclass(frozen=True)
class FirmSpec:
    id: str
    name: str
    role: Role
    nation: str
    capacity_tpy: float
    unit_cost: float
    cash_musd: float
    inventory: tuple[float, ...]
    composition: tuple[float, ...]
    feed: tuple[str, ...]
    dy_share: float
    needs_tpy: tuple[float, float]
    output_weight: float
    buffer_quarters: float


@dataclass(frozen=True)
class ProjectSpec:
    id: str
    firm: str
    adds_tpy: float
    lead_quarters: int
    cost_musd: float
    delay_chance: float
    fail_chance: float
    host: str


@dataclass(frozen=True)
class ContractSpec:
    id: str
    seller: str
    buyer: str
    material: Material
    tonnes_per_year: float
    price: float
    start: Quarter
    end: Quarter


@dataclass(frozen=True)
class PolicySpec:
    exporter: str
    quota_tpy: float
    quota_split: tuple[float, ...]
    tariff: tuple[float, ...]


@dataclass(frozen=True)
class EventSpec:
    """A scheduled event. ``params`` holds the kind-specific fields, already checked."""

    date: dt.date
    kind: str
    headline: str
    source: str
    params: tuple[tuple[str, Any], ...] = ()
    headline_ja: str = ""

    @property
    def quarter(self) -> Quarter:
        return Quarter.of_date(self.date)

    def get(self, name: str, default: Any = None) -> Any:
        return dict(self.params).get(name, default)


@dataclass(frozen=True)
class ActionSpec:
    """One action of a scripted strategy, as data; ``game.actions`` builds the Action."""

    kind: str
    params: tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class StrategyTurn:
    quarter: Quarter
    actions: tuple[ActionSpec, ...]
    note: str = ""


@dataclass(frozen=True)
class WorldSpec:
    id: str
    freight_usd_per_kg: float
    freight_usd_per_kg_per_1000km: float
    reference_price: tuple[float, ...]
    nations: tuple[NationSpec, ...]
    firms: tuple[FirmSpec, ...]
    projects: tuple[ProjectSpec, ...]
    policies: tuple[PolicySpec, ...]
    contracts: tuple[ContractSpec, ...] = ()
    sources: tuple[str, ...] = ()

    def nation_codes(self) -> tuple[str, ...]:
        return tuple(n.code for n in self.nations)


@dataclass(frozen=True)
class Scenario:
    id: str
    title: Mapping[str, str]
    briefing: Mapping[str, str]
    start: Quarter
    end: Quarter
    world: WorldSpec
    events: tuple[EventSpec, ...]
    history: tuple[StrategyTurn, ...]
    sources: tuple[str, ...]
    path: str = ""
    notes: Mapping[str, str] = field(default_factory=dict)
    objectives: tuple[Objective, ...] = ()
    #: Action kinds the player may use in this level (all of them when the level says nothing).
    unlocked_actions: tuple[str, ...] = ()

    @property
    def n_turns(self) -> int:
        return self.end - self.start + 1


# --------------------------------------------------------------------------- reading


class _Reader:
    """Walks parsed TOML, recording a Problem (with its key path) for anything wrong."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []

    def problem(self, key: str, message: str) -> None:
        self.problems.append(Problem(self.path, _one_line(key), _one_line(message)))

    def table(self, data: Any, key: str, name: str, required: bool = True) -> dict:
        where = f"{key}.{name}" if key else name
        if name not in data:
            if required:
                self.problem(where, "missing (expected a table)")
            return {}
        value = data[name]
        if not isinstance(value, dict):
            self.problem(where, f"expected a table, got {_type_name(value)}")
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
            self.problem(where, f"expected an array of tables, got {_type_name(value)}")
            return []
        items = []
        for i, item in enumerate(value):
            if isinstance(item, dict):
                items.append((f"{where}[{i}]", item))
            else:
                self.problem(f"{where}[{i}]", f"expected a table, got {_type_name(item)}")
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
            self.problem(where, f"expected a string, got {_type_name(value)}")
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
            self.problem(where, f"expected a number, got {_type_name(value)}")
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
            self.problem(where, f"expected a whole number, got {_type_name(value)}")
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
            self.problem(where, f"expected a table of materials (ndpr, dytb, cela), got {_type_name(table)}")
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
            self.problem(where, f"expected a date in quotes like \"2010-09-21\", got an unquoted TOML {_type_name(data[name])[2:]}")
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


def _type_name(value: Any) -> str:
    names = {str: "a string", int: "a whole number", float: "a number", bool: "true/false",
             list: "an array", dict: "a table", dt.date: "a date", dt.datetime: "a date-time", dt.time: "a time"}
    return names.get(type(value), type(value).__name__)


def _fmt(x: float) -> str:
    try:
        return f"{x:g}"
    except OverflowError:  # a TOML whole number too large for a float
        return f"a whole number of {len(str(abs(x)))} digits"


def _one_line(text: str) -> str:
    """Problems print one per line: show control characters (a newline in a quoted key) escaped."""
    return text if text.isprintable() else "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


# --------------------------------------------------------------------------- world files

_NATION_KEYS = ("code", "name", "name_ja", "lonlat", "budget_musd_per_quarter", "stockpile", "tension",
                "urban_mine_in_use", "product_lifetime_years", "collection_rate", "doctrine", "source")
_FIRM_KEYS = ("id", "name", "role", "nation", "capacity_tpy", "unit_cost", "cash_musd", "inventory",
              "composition", "feed", "dy_share", "needs_tpy", "output_weight", "buffer_quarters", "source")


def _read_world(reader: _Reader, data: dict) -> WorldSpec | None:
    reader.unknown_keys(data, "", ("id", "kind", "title", "sources", "freight_usd_per_kg",
                                   "freight_usd_per_kg_per_1000km", "reference_price",
                                   "nations", "firms", "projects", "policies", "contracts"))
    world_id = reader.string(data, "", "id")
    freight = reader.number(data, "", "freight_usd_per_kg", high=1000)
    freight_distance = reader.number(data, "", "freight_usd_per_kg_per_1000km", default=0.0, high=100)
    reference = reader.per_material(data, "", "reference_price", low=0.01, high=1e6, required=True)
    sources = reader.string_list(data, "", "sources")

    nations = []
    for key, item in reader.array_of_tables(data, "", "nations", required=True):
        reader.unknown_keys(item, key, _NATION_KEYS)
        tension_table = reader.table(item, key, "tension", required=False)
        tension = tuple(
            (str(code), reader.check_number(value, f"{key}.tension.{code}", 0.0, 1.0))
            for code, value in sorted(tension_table.items())
        )
        nations.append(NationSpec(
            code=reader.string(item, key, "code"),
            name=reader.string(item, key, "name"),
            name_ja=reader.string(item, key, "name_ja", default=""),
            lonlat=_lonlat(reader, item, key) or (0.0, 0.0),
            budget_musd_per_quarter=reader.number(item, key, "budget_musd_per_quarter", default=0.0),
            stockpile=reader.per_material(item, key, "stockpile"),
            tension=tension,
            urban_mine_in_use=reader.per_material(item, key, "urban_mine_in_use"),
            product_lifetime_years=reader.number(item, key, "product_lifetime_years", default=12.0, low=1.0, high=100.0),
            collection_rate=reader.number(item, key, "collection_rate", default=0.0, high=1.0),
            doctrine=reader.string(item, key, "doctrine", default="partner", choices=DOCTRINES),
        ))
    codes = [n.code for n in nations]
    _check_unique(reader, codes, "nations", "code")
    known_nations = set(codes)
    for i, nation in enumerate(nations):
        for partner, _ in nation.tension:
            if partner not in known_nations:
                reader.problem(f"nations[{i}].tension.{partner}", f"unknown nation {partner!r}")

    firms = []
    for key, item in reader.array_of_tables(data, "", "firms", required=True):
        reader.unknown_keys(item, key, _FIRM_KEYS)
        role_name = reader.string(item, key, "role", choices=[r.value for r in Role])
        role = Role(role_name) if role_name else Role.MINER
        nation = reader.string(item, key, "nation")
        if nation and nation not in known_nations:
            reader.problem(f"{key}.nation", f"unknown nation {nation!r} (expected one of {', '.join(codes)})")
        composition = reader.per_material(item, key, "composition", high=1.0,
                                          required=role in (Role.MINER, Role.DEEP_SEA))
        if sum(composition) > 1.0 + 1e-9:
            reader.problem(f"{key}.composition", f"shares add up to {sum(composition):g}, more than 1")
        needs = reader.table(item, key, "needs_tpy", required=role is Role.MANUFACTURER)
        reader.unknown_keys(needs, f"{key}.needs_tpy", ("magnets", "cela"))
        firms.append(FirmSpec(
            id=reader.string(item, key, "id"),
            name=reader.string(item, key, "name"),
            role=role,
            nation=nation,
            capacity_tpy=reader.number(item, key, "capacity_tpy", default=0.0),
            unit_cost=reader.number(item, key, "unit_cost", default=0.0, high=1e5),
            cash_musd=reader.number(item, key, "cash_musd", default=0.0),
            inventory=reader.per_material(item, key, "inventory"),
            composition=composition,
            feed=reader.string_list(item, key, "feed"),
            dy_share=reader.number(item, key, "dy_share", default=0.0, high=0.5),
            needs_tpy=(reader.number(needs, f"{key}.needs_tpy", "magnets", default=0.0),
                       reader.number(needs, f"{key}.needs_tpy", "cela", default=0.0)),
            output_weight=reader.number(item, key, "output_weight", default=1.0, high=1e6),
            buffer_quarters=reader.number(item, key, "buffer_quarters", default=0.5, high=20.0),
        ))
    firm_ids = [f.id for f in firms]
    _check_unique(reader, firm_ids, "firms", "id")
    firm_by_id = {f.id: f for f in firms}
    for i, firm in enumerate(firms):
        for j, source_id in enumerate(firm.feed):
            if firm.role is Role.RECYCLER:
                if source_id not in known_nations:
                    reader.problem(f"firms[{i}].feed[{j}]", f"unknown nation {source_id!r} (a recycler's feed names the urban mines it draws on)")
                continue
            source = firm_by_id.get(source_id)
            if source is None:
                reader.problem(f"firms[{i}].feed[{j}]", f"unknown firm {source_id!r}")
            elif source.role not in (Role.MINER, Role.DEEP_SEA):
                reader.problem(f"firms[{i}].feed[{j}]", f"{source_id!r} is a {source.role.value}, expected a miner or deep-sea venture")
        if firm.role is Role.MAGNET_MAKER and firm.dy_share <= 0:
            reader.problem(f"firms[{i}].dy_share", "a magnet maker needs a Dy/Tb share above 0")

    projects = _read_projects(reader, data, firm_by_id)
    _check_unique(reader, [p.id for p in projects], "projects", "id")

    policies = []
    for key, item in reader.array_of_tables(data, "", "policies"):
        reader.unknown_keys(item, key, ("exporter", "quota_tpy", "quota_split", "tariff", "source"))
        exporter = reader.string(item, key, "exporter")
        if exporter and exporter not in known_nations:
            reader.problem(f"{key}.exporter", f"unknown nation {exporter!r}")
        split = reader.per_material(item, key, "quota_split", high=1.0)
        if "quota_tpy" in item and abs(sum(split) - 1.0) > 1e-6:
            reader.problem(f"{key}.quota_split", f"shares must add up to 1, got {sum(split):g}")
        policies.append(PolicySpec(
            exporter=exporter,
            quota_tpy=reader.number(item, key, "quota_tpy", default=math.inf) if "quota_tpy" in item else math.inf,
            quota_split=split,
            tariff=reader.per_material(item, key, "tariff", high=5.0),
        ))

    contracts = _read_contracts(reader, data, "contracts", firm_by_id, known_nations)
    if reader.problems:
        return None
    return WorldSpec(
        id=world_id, freight_usd_per_kg=freight, freight_usd_per_kg_per_1000km=freight_distance,
        reference_price=reference,
        nations=tuple(nations), firms=tuple(firms), projects=tuple(projects),
        policies=tuple(policies), contracts=tuple(contracts), sources=sources,
    )


def _read_projects(reader: _Reader, data: dict, firm_by_id: Mapping[str, FirmSpec]) -> list[ProjectSpec]:
    projects = []
    for key, item in reader.array_of_tables(data, "", "projects"):
        reader.unknown_keys(item, key, ("id", "firm", "adds_tpy", "lead_quarters", "cost_musd",
                                        "delay_chance", "fail_chance", "source"))
        firm_id = reader.string(item, key, "firm")
        if firm_id and firm_id not in firm_by_id:
            reader.problem(f"{key}.firm", f"unknown firm {firm_id!r}")
        projects.append(ProjectSpec(
            id=reader.string(item, key, "id"),
            firm=firm_id,
            adds_tpy=reader.number(item, key, "adds_tpy"),
            lead_quarters=reader.integer(item, key, "lead_quarters", low=1, high=200),
            cost_musd=reader.number(item, key, "cost_musd", default=0.0),
            delay_chance=reader.number(item, key, "delay_chance", default=0.0, high=0.95),
            fail_chance=reader.number(item, key, "fail_chance", default=0.0, high=1.0),
            host=firm_by_id[firm_id].nation if firm_id in firm_by_id else "",
        ))
    return projects


def _lonlat(reader: _Reader, item: dict, key: str, name: str = "lonlat") -> tuple[float, float] | None:
    """A place on the map: ``[longitude, latitude]`` in degrees (None, with a problem, if not)."""
    value = item.get(name)
    if not isinstance(value, list) or len(value) != 2:
        reader.problem(f"{key}.{name}", "expected [longitude, latitude] in degrees")
        return None
    lon = reader.check_number(value[0], f"{key}.{name}[0]", -180.0, 180.0)
    lat = reader.check_number(value[1], f"{key}.{name}[1]", -90.0, 90.0)
    return (lon, lat) if lon is not None and lat is not None else None


def _read_contracts(reader: _Reader, data: dict, name: str, firm_by_id: Mapping[str, FirmSpec],
                    known_nations: set[str]) -> list[ContractSpec]:
    contracts = []
    for key, item in reader.array_of_tables(data, "", name):
        reader.unknown_keys(item, key, ("id", "seller", "buyer", "material", "tonnes_per_year",
                                        "price_usd_per_kg", "start", "end", "source"))
        seller = reader.string(item, key, "seller")
        if seller and seller not in firm_by_id:
            reader.problem(f"{key}.seller", f"unknown firm {seller!r}")
        buyer = reader.string(item, key, "buyer")
        if buyer and buyer not in known_nations:
            reader.problem(f"{key}.buyer", f"unknown nation {buyer!r}")
        material = reader.string(item, key, "material", choices=[m.value for m in MATERIALS])
        start = reader.quarter(item, key, "start")
        end = reader.quarter(item, key, "end")
        if start and end and end < start:
            reader.problem(f"{key}.end", f"ends ({end}) before it starts ({start})")
        contracts.append(ContractSpec(
            id=reader.string(item, key, "id"), seller=seller, buyer=buyer,
            material=Material(material) if material else Material.NDPR,
            tonnes_per_year=reader.number(item, key, "tonnes_per_year"),
            price=reader.number(item, key, "price_usd_per_kg", high=1e5),
            start=start or Quarter(2000, 1), end=end or Quarter(2000, 1),
        ))
    return contracts


def _check_unique(reader: _Reader, values: list[str], table: str, name: str) -> None:
    seen = set()
    for i, value in enumerate(values):
        if value in seen:
            reader.problem(f"{table}[{i}].{name}", f"duplicate {name} {value!r}")
        seen.add(value)


# --------------------------------------------------------------------------- events and strategies


def _read_events(reader: _Reader, data: dict, world: WorldSpec, start: Quarter | None, end: Quarter | None) -> list[EventSpec]:
    nations = set(world.nation_codes())
    projects = {p.id for p in world.projects}
    events = []
    for key, item in reader.array_of_tables(data, "", "events"):
        kind = reader.string(item, key, "kind", choices=EVENT_KINDS)
        day = reader.date(item, key, "date")
        headline = reader.string(item, key, "headline")
        source = reader.string(item, key, "source")
        params: dict[str, Any] = {}
        common = ("date", "kind", "headline", "headline_ja", "source", "note")
        if kind in ("embargo", "embargo_lift", "licence", "export_quota", "export_tariff", "tension", "budget",
                    "mining_quota"):
            params["exporter"] = _nation(reader, item, key, "exporter" if kind not in ("tension", "budget", "mining_quota")
                                         else "nation", nations)
        if kind in ("embargo", "embargo_lift", "licence", "tension"):
            params["partner"] = _nation(reader, item, key, "partner", nations)
        if kind == "embargo":
            reader.unknown_keys(item, key, common + ("exporter", "partner", "materials", "until"))
            params["materials"] = _materials(reader, item, key)
            until = reader.date(item, key, "until", required=False)
            if until and day and until <= day:
                reader.problem(f"{key}.until", "must come after date")
            params["until"] = until
        elif kind == "embargo_lift":
            reader.unknown_keys(item, key, common + ("exporter", "partner", "materials"))
            params["materials"] = _materials(reader, item, key)
        elif kind == "licence":
            reader.unknown_keys(item, key, common + ("exporter", "partner", "materials", "friction_usd_per_kg"))
            params["materials"] = _materials(reader, item, key)
            params["friction_usd_per_kg"] = reader.number(item, key, "friction_usd_per_kg", high=1e4)
        elif kind == "export_quota":
            reader.unknown_keys(item, key, common + ("exporter", "tonnes_per_year", "split"))
            params["tonnes_per_year"] = reader.number(item, key, "tonnes_per_year")
            split = reader.per_material(item, key, "split", high=1.0, required=True)
            if "split" in item and abs(sum(split) - 1.0) > 1e-6:
                reader.problem(f"{key}.split", f"shares must add up to 1, got {sum(split):g}")
            params["split"] = split
        elif kind == "export_tariff":
            reader.unknown_keys(item, key, common + ("exporter", "rate"))
            params["rate"] = reader.per_material(item, key, "rate", high=5.0, required=True)
        elif kind == "tension":
            reader.unknown_keys(item, key, common + ("nation", "partner", "change"))
            params["change"] = reader.number(item, key, "change", low=-1.0, high=1.0)
        elif kind == "wto_case":
            reader.unknown_keys(item, key, common + ("respondent", "complainants"))
            params["respondent"] = _nation(reader, item, key, "respondent", nations)
            complainants = reader.string_list(item, key, "complainants")
            for i, code in enumerate(complainants):
                if code not in nations:
                    reader.problem(f"{key}.complainants[{i}]", f"unknown nation {code!r}")
            if not complainants:
                reader.problem(f"{key}.complainants", "expected at least one complainant")
            params["complainants"] = complainants
        elif kind == "mining_quota":
            reader.unknown_keys(item, key, common + ("nation", "tonnes_per_year", "enforcement", "firms"))
            params["tonnes_per_year"] = reader.number(item, key, "tonnes_per_year")
            params["enforcement"] = reader.number(item, key, "enforcement", default=1.0, high=1.0)
            firms = reader.string_list(item, key, "firms")
            known_firms = {f.id: f for f in world.firms}
            for i, firm in enumerate(firms):
                if firm not in known_firms:
                    reader.problem(f"{key}.firms[{i}]", f"unknown firm {firm!r}")
                elif known_firms[firm].nation != params.get("exporter"):
                    reader.problem(f"{key}.firms[{i}]", f"{firm!r} is not in {params.get('exporter')}")
            params["firms"] = firms
        elif kind == "demand_trend":
            reader.unknown_keys(item, key, common + ("nations", "magnets_per_year", "cela_per_year"))
            codes = reader.string_list(item, key, "nations")
            for i, code in enumerate(codes):
                if code not in nations:
                    reader.problem(f"{key}.nations[{i}]", f"unknown nation {code!r}")
            params["nations"] = codes
            params["magnets_per_year"] = reader.number(item, key, "magnets_per_year", default=0.0, low=-0.5, high=1.0)
            params["cela_per_year"] = reader.number(item, key, "cela_per_year", default=0.0, low=-0.5, high=1.0)
        elif kind == "plant_rules":
            reader.unknown_keys(item, key, common + ("firm", "extra_cost_usd_per_kg", "capacity_cap_tpy"))
            firm = reader.string(item, key, "firm")
            if firm and firm not in {f.id for f in world.firms}:
                reader.problem(f"{key}.firm", f"unknown firm {firm!r}")
            params["firm"] = firm
            params["extra_cost_usd_per_kg"] = reader.number(item, key, "extra_cost_usd_per_kg", default=0.0, high=1e4)
            params["capacity_cap_tpy"] = reader.number(item, key, "capacity_cap_tpy", default=MAX_NUMBER)
        elif kind == "budget":
            reader.unknown_keys(item, key, common + ("nation", "musd"))
            params["musd"] = reader.number(item, key, "musd", low=-MAX_NUMBER)
        elif kind == "project_start":
            reader.unknown_keys(item, key, common + ("project",))
            project = reader.string(item, key, "project")
            if project and project not in projects:
                reader.problem(f"{key}.project", f"unknown project {project!r}")
            params["project"] = project
        elif kind == "news":
            reader.unknown_keys(item, key, common)
        if day and start and end and not (start <= Quarter.of_date(day) <= end):
            reader.problem(f"{key}.date", f"{day.isoformat()} falls outside the level ({start} to {end})")
        if day and kind:
            events.append(EventSpec(date=day, kind=kind, headline=headline, source=source,
                                    params=tuple(sorted(params.items())),
                                    headline_ja=reader.string(item, key, "headline_ja", default="")))
    events.sort(key=lambda e: e.date)
    return events


def _nation(reader: _Reader, item: dict, key: str, name: str, nations: set[str]) -> str:
    code = reader.string(item, key, name)
    if code and code not in nations:
        reader.problem(f"{key}.{name}", f"unknown nation {code!r}")
    return code


def _materials(reader: _Reader, item: dict, key: str) -> tuple[Material, ...]:
    names = item.get("materials", [m.value for m in MATERIALS])
    if not isinstance(names, list) or not names:
        reader.problem(f"{key}.materials", "expected a non-empty list of materials")
        return ()
    found = []
    for i, name in enumerate(names):
        try:
            found.append(Material(name))
        except ValueError:
            reader.problem(f"{key}.materials[{i}]", f"unknown material {name!r} (expected one of ndpr, dytb, cela)")
    return tuple(found)


def read_strategy_turns(reader: _Reader, data: dict, name: str,
                        start: Quarter | None = None, end: Quarter | None = None) -> tuple[StrategyTurn, ...]:
    """Read ``[[NAME]]`` tables of ``quarter`` + ``actions``; shared by levels and strategy files."""
    turns = []
    for key, item in reader.array_of_tables(data, "", name):
        reader.unknown_keys(item, key, ("quarter", "actions", "note", "source"))
        quarter = reader.quarter(item, key, "quarter")
        if quarter and start and end and not start <= quarter <= end:
            reader.problem(f"{key}.quarter", f"{quarter} falls outside the level ({start} to {end})")
        actions = []
        for akey, action in reader.array_of_tables(item, key, "actions", required=True):
            kind = reader.string(action, akey, "kind")
            try:
                action_from_dict(action)
            except ValueError as error:
                reader.problem(akey, str(error))
                continue
            params = tuple(sorted((k, v) for k, v in action.items() if k != "kind"))
            actions.append(ActionSpec(kind=kind, params=params))
        if quarter:
            turns.append(StrategyTurn(quarter=quarter, actions=tuple(actions), note=str(item.get("note", ""))))
    turns.sort(key=lambda t: t.quarter)
    return tuple(turns)


# --------------------------------------------------------------------------- files


def levels_dir() -> Path:
    """The folder of shipped levels: ``levels/`` in a source tree, else the installed ``game.levels``."""
    here = Path(__file__).resolve().parent
    source = here.parent / "levels"
    if (source / "world-2010.toml").is_file():
        return source
    return here / "levels"


def _parse_file(path: Path, reader: _Reader) -> dict | None:
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


def _is_file(path: Path) -> bool:
    """``Path.is_file``, but False (not OSError) for a name the OS refuses, e.g. one too long."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def load_world(path: Path) -> WorldSpec:
    reader = _Reader(str(path))
    data = _parse_file(path, reader)
    world = _read_world(reader, data) if data is not None else None
    if reader.problems or world is None:
        raise ScenarioError(reader.problems)
    return world


def load_level(path: str | Path) -> Scenario:
    """Read and check a level file (and the world file it names); raise ScenarioError listing every problem."""
    path = Path(path)
    reader = _Reader(str(path))
    data = _parse_file(path, reader)
    if data is None:
        raise ScenarioError(reader.problems)
    if data.get("kind") == "world":
        reader.problem("kind", "this is a world file, not a level (levels name a world with world = \"...\")")
        raise ScenarioError(reader.problems)
    reader.unknown_keys(data, "", ("id", "kind", "title", "briefing", "start", "end", "world", "sources",
                                   "events", "history", "contracts", "projects", "notes", "objectives",
                                   "unlocked_actions"))
    level_id = reader.string(data, "", "id")
    title = reader.localized(data, "", "title")
    briefing = reader.localized(data, "", "briefing")
    start = reader.quarter(data, "", "start")
    end = reader.quarter(data, "", "end")
    if start and end and end < start:
        reader.problem("end", f"{end} comes before start {start}")
        end = None  # else every event and history turn is also reported as outside the level
    world_name = reader.string(data, "", "world")
    world = None
    if world_name:
        if "/" in world_name or "\\" in world_name or world_name.startswith("."):
            reader.problem("world", f"expected the id of a world file in the levels folder, got {world_name!r}")
        else:
            world_path = path.parent / f"{world_name}.toml"
            if not _is_file(world_path):
                world_path = levels_dir() / f"{world_name}.toml"
            if not _is_file(world_path):
                reader.problem("world", f"no world file {world_name!r} next to the level or among the shipped levels")
            else:
                try:
                    world = load_world(world_path)
                except ScenarioError as error:
                    reader.problem("world", f"the world file {world_name!r} is invalid:")
                    reader.problems.extend(error.problems)
    notes_table = reader.table(data, "", "notes", required=False)
    for k, v in notes_table.items():
        if not isinstance(v, str):
            # A key written after [notes] lands inside it (TOML); say so rather than drop it.
            reader.problem(f"notes.{k}", f"expected text, got {_type_name(v)} (a key placed after [notes] belongs to it)")
    notes = {k: v for k, v in notes_table.items() if isinstance(v, str)}
    if world is None:
        raise ScenarioError(reader.problems or [Problem(str(path), "world", "missing")])
    firm_by_id = {f.id: f for f in world.firms}
    extra_projects = _read_projects(reader, data, firm_by_id)
    _check_unique(reader, [p.id for p in world.projects] + [p.id for p in extra_projects], "projects", "id")
    if extra_projects:
        world = WorldSpec(**{**world.__dict__, "projects": world.projects + tuple(extra_projects)})
    extra_contracts = _read_contracts(reader, data, "contracts", firm_by_id, set(world.nation_codes()))
    events = _read_events(reader, data, world, start, end)
    history = read_strategy_turns(reader, data, "history", start, end)
    sources = reader.string_list(data, "", "sources")
    objectives = _read_objectives(reader, data, start, end)
    unlocked = reader.string_list(data, "", "unlocked_actions")
    for i, kind in enumerate(unlocked):
        if kind not in ACTION_TYPES:
            reader.problem(f"unlocked_actions[{i}]", f"unknown action {kind!r} (expected one of {', '.join(ACTION_TYPES)})")
    if reader.problems:
        raise ScenarioError(reader.problems)
    world = WorldSpec(**{**world.__dict__, "contracts": world.contracts + tuple(extra_contracts)})
    return Scenario(id=level_id, title=title, briefing=briefing, start=start, end=end, world=world,
                    events=tuple(events), history=history, sources=sources, path=str(path), notes=notes,
                    objectives=tuple(objectives), unlocked_actions=unlocked)


def _read_objectives(reader: _Reader, data: dict, start: Quarter | None, end: Quarter | None) -> list[Objective]:
    from game.world.indicators import COLUMNS  # the recorded indicators an objective can judge

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
                reader.problem(f"{key}.{name}", f"{quarter} falls outside the level ({start} to {end})")
        objectives.append(Objective(
            id=reader.string(item, key, "id"),
            text=reader.localized(item, key, "text"),
            indicator=reader.string(item, key, "indicator", choices=numeric),
            rule=rule,
            threshold=reader.number(item, key, "threshold", low=-MAX_NUMBER),
            star=reader.integer(item, key, "star", low=1, high=3),
            by=by if rule in DATED_RULES else None,
            start=span_start if "start" in item else None,
            end=span_end if "end" in item else None,
        ))
    _check_unique(reader, [o.id for o in objectives], "objectives", "id")
    return objectives


@dataclass(frozen=True)
class CampaignEntry:
    level: str
    #: Stars needed on the previous level to open this one.
    unlock_stars: int = 1
    #: Where the level's story happens, [longitude, latitude], for the campaign map (None: nowhere).
    at: tuple[float, float] | None = None


@dataclass(frozen=True)
class Campaign:
    title: Mapping[str, str]
    entries: tuple[CampaignEntry, ...]

    def unlocked(self, stars: Mapping[str, int]) -> list[str]:
        """Levels open to a player with these stars: the first, then each whose predecessor
        earned at least its ``unlock_stars``."""
        opened = []
        for i, entry in enumerate(self.entries):
            if i == 0 or stars.get(self.entries[i - 1].level, 0) >= entry.unlock_stars:
                opened.append(entry.level)
            else:
                break
        return opened


def load_campaign(path: str | Path | None = None) -> Campaign:
    """The campaign: levels in order, each opened by stars on the one before."""
    path = Path(path) if path is not None else levels_dir() / "campaign.toml"
    reader = _Reader(str(path))
    data = _parse_file(path, reader)
    entries = []
    if data is not None:
        reader.unknown_keys(data, "", ("title", "level"))
        title = reader.localized(data, "", "title")
        shipped = {p.stem for p in shipped_level_paths()} if path.parent == levels_dir() else None
        for key, item in reader.array_of_tables(data, "", "level", required=True):
            reader.unknown_keys(item, key, ("id", "unlock_stars", "at"))
            level = reader.string(item, key, "id")
            if shipped is not None and level and level not in shipped:
                reader.problem(f"{key}.id", f"no shipped level {level!r}")
            at = _lonlat(reader, item, key, "at") if "at" in item else None
            entries.append(CampaignEntry(level, reader.integer(item, key, "unlock_stars", default=1, low=0, high=3),
                                         at))
        _check_unique(reader, [e.level for e in entries], "level", "id")
    if reader.problems:
        raise ScenarioError(reader.problems)
    return Campaign(title, tuple(entries))


def load_strategy_file(path: str | Path) -> tuple[StrategyTurn, ...]:
    """Read a scripted strategy: ``[[turn]]`` tables with ``quarter`` and ``actions``."""
    path = Path(path)
    reader = _Reader(str(path))
    data = _parse_file(path, reader)
    if data is not None:
        reader.unknown_keys(data, "", ("name", "description", "turn"))
        turns = read_strategy_turns(reader, data, "turn")
    if reader.problems:
        raise ScenarioError(reader.problems)
    return turns


def shipped_level_paths() -> list[Path]:
    """Every shipped level file (world files excluded), sorted by file name."""
    paths = []
    for path in sorted(levels_dir().glob("*.toml")):
        if path.name.startswith("world-") or path.name == "campaign.toml":
            continue
        paths.append(path)
    return paths


def find_level(level: str) -> Path:
    """A level id among the shipped levels, or a path to a level file."""
    candidate = Path(level)
    if candidate.suffix == ".toml" or "/" in level or "\\" in level:
        if not candidate.is_file():
            raise ScenarioError([Problem(level, "", "no such level file")])
        return candidate
    for path in shipped_level_paths():
        if path.stem == level:
            return path
    known = ", ".join(p.stem for p in shipped_level_paths())
    raise ScenarioError([Problem(level, "", f"no level with this id (shipped levels: {known})")])
