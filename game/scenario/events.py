"""A level's ``[[events]]``: each kind read into the typed effect ``game.spec`` names for it.

``READERS`` pairs each kind's effect class with the function that reads it; the world's
``game.world.events.HANDLERS`` pairs the same classes with what carries them out.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, NamedTuple

from game.scenario.toml_reader import MAX_NUMBER, TomlReader
from game.scenario.world_file import ROLE_WORDS
from game.spec import (
    EVENT_KINDS,
    BudgetGrant,
    DemandTrend,
    Embargo,
    EmbargoLift,
    EventSpec,
    ExportQuota,
    ExportTariff,
    Licence,
    MiningQuota,
    News,
    PlantRules,
    ProjectStart,
    TensionChange,
    WorldSpec,
    WtoCaseFiled,
)
from game.vocab.materials import MATERIALS, Material, Role
from game.vocab.quarters import Quarter

#: ``decided_by`` for an event no nation decided: the world carries it out whoever plays.
WORLD_DECIDES = "world"

#: Keys every event may have, whatever its kind.
COMMON_KEYS = ("date", "kind", "headline", "headline_ja", "source", "note", "decided_by")

#: How far a level's demand trends may take a nation's demand from where it stood, either way.
#: The shipped trends compound to about six-fold at most (the sandbox's, 2013 to its end);
#: past a hundred-fold a nation's demand all but vanishes (its stockpile lasts for ever, its
#: objectives are met at nothing) or swamps every supply the world has.
MAX_DEMAND_CHANGE = 100.0


class _EventReader:
    """Reads one event table; ``reader``'s problems name ``key`` (``events[3]``) and the field."""

    def __init__(self, reader: TomlReader, item: dict, key: str, world: WorldSpec, day):
        self.reader, self.item, self.key, self.world, self.day = reader, item, key, world, day
        self.nations = set(world.nation_codes())

    def keys(self, *names: str) -> None:
        self.reader.unknown_keys(self.item, self.key, COMMON_KEYS + names)

    def nation(self, name: str) -> str:
        code = self.reader.string(self.item, self.key, name)
        if code and code not in self.nations:
            self.reader.problem(f"{self.key}.{name}", "unknown nation {nation!r}", nation=code)
        return code

    def nation_list(self, name: str) -> tuple[str, ...]:
        codes = self.reader.string_list(self.item, self.key, name)
        for i, code in enumerate(codes):
            if code not in self.nations:
                self.reader.problem(f"{self.key}.{name}[{i}]", "unknown nation {nation!r}", nation=code)
        self.reader.check_distinct(codes, f"{self.key}.{name}")
        return codes

    def pair(self, first: str, second: str) -> tuple[str, str]:
        """Two nations that must differ: an exporter and its partner, a nation and the one it is tense with."""
        one, other = self.nation(first), self.nation(second)
        if one and one == other:
            self.reader.problem(f"{self.key}.{second}", "{nation!r} is also the {role}: name another nation", nation=other,
                                role=first)
        return one, other

    def number(self, name: str, **limits: Any) -> float:
        return self.reader.number(self.item, self.key, name, **limits)

    def materials(self) -> tuple[Material, ...]:
        names = self.item.get("materials", [m.value for m in MATERIALS])
        if not isinstance(names, list) or not names:
            self.reader.problem(f"{self.key}.materials", "expected a non-empty list of materials")
            return ()
        found = []
        for i, name in enumerate(names):
            try:
                found.append(Material(name))
            except ValueError:
                self.reader.problem(f"{self.key}.materials[{i}]",
                                    "unknown material {material!r} (expected one of ndpr, dytb, cela)", material=name)
        self.reader.check_distinct([m.value for m in found], f"{self.key}.materials")
        return tuple(found)

    def split(self, name: str, required: bool = True, high: float = 1.0) -> tuple[float, ...]:
        return self.reader.per_material(self.item, self.key, name, high=high, required=required)


def _embargo(e: _EventReader) -> Embargo:
    exporter, partner = e.pair("exporter", "partner")
    e.keys("exporter", "partner", "materials", "until", "leakage", "leakage_cost_usd_per_kg")
    materials = e.materials()
    until = e.reader.date(e.item, e.key, "until", required=False)
    if until and e.day and until <= e.day:
        e.reader.problem(f"{e.key}.until", "must come after date")
    leakage = e.number("leakage", default=0.0, high=1.0)
    leakage_cost = e.number("leakage_cost_usd_per_kg", default=0.0, high=1e4)
    if "leakage_cost_usd_per_kg" in e.item and "leakage" not in e.item:
        e.reader.problem(f"{e.key}.leakage_cost_usd_per_kg", "needs leakage (the share that gets through)")
    return Embargo(exporter, partner, materials, until, leakage, leakage_cost)


def _embargo_lift(e: _EventReader) -> EmbargoLift:
    exporter, partner = e.pair("exporter", "partner")
    e.keys("exporter", "partner", "materials")
    return EmbargoLift(exporter, partner, e.materials())


def _licence(e: _EventReader) -> Licence:
    exporter, partner = e.pair("exporter", "partner")
    e.keys("exporter", "partner", "materials", "friction_usd_per_kg", "approval_rate", "delay_quarters")
    materials = e.materials()
    friction = e.number("friction_usd_per_kg", high=1e4)
    if "approval_rate" not in e.item:
        if "delay_quarters" in e.item:
            e.reader.problem(f"{e.key}.delay_quarters", "needs approval_rate (the share of applications approved)")
        return Licence(exporter, partner, materials, friction)
    approval_rate = e.number("approval_rate", high=1.0)
    delay = e.reader.integer(e.item, e.key, "delay_quarters", default=0, high=40)
    return Licence(exporter, partner, materials, friction, approval_rate, delay)


def _export_quota(e: _EventReader) -> ExportQuota:
    exporter = e.nation("exporter")
    e.keys("exporter", "tonnes_per_year", "split")
    tonnes = e.number("tonnes_per_year")
    split = e.split("split")
    if "split" in e.item and abs(sum(split) - 1.0) > 1e-6:
        e.reader.problem(f"{e.key}.split", "shares must add up to 1, got {total:g}", total=sum(split))
    return ExportQuota(exporter, tonnes, split)


def _export_tariff(e: _EventReader) -> ExportTariff:
    exporter = e.nation("exporter")
    e.keys("exporter", "rate")
    return ExportTariff(exporter, e.split("rate", high=5.0))


def _tension(e: _EventReader) -> TensionChange:
    nation, partner = e.pair("nation", "partner")
    e.keys("nation", "partner", "change")
    return TensionChange(nation, partner, e.number("change", low=-1.0, high=1.0))


def _wto_case(e: _EventReader) -> WtoCaseFiled:
    e.keys("respondent", "complainants")
    respondent = e.nation("respondent")
    complainants = e.nation_list("complainants")
    if not complainants:
        e.reader.problem(f"{e.key}.complainants", "expected at least one complainant")
    for i, code in enumerate(complainants):
        if code and code == respondent:
            e.reader.problem(f"{e.key}.complainants[{i}]", "{nation!r} is also the respondent: a nation cannot file a "
                                                           "case against itself", nation=code)
    return WtoCaseFiled(respondent, complainants)


def _mining_quota(e: _EventReader) -> MiningQuota:
    nation = e.nation("nation")
    e.keys("nation", "tonnes_per_year", "enforcement", "firms")
    tonnes = e.number("tonnes_per_year")
    enforcement = e.number("enforcement", default=1.0, high=1.0)
    firms = e.reader.string_list(e.item, e.key, "firms")
    known_firms = {f.id: f for f in e.world.firms}
    e.reader.check_distinct(firms, f"{e.key}.firms")
    for i, firm in enumerate(firms):
        if firm not in known_firms:
            e.reader.problem(f"{e.key}.firms[{i}]", "unknown firm {firm!r}", firm=firm)
        elif known_firms[firm].nation != nation:
            e.reader.problem(f"{e.key}.firms[{i}]", "{firm!r} is not in {nation}", firm=firm, nation=nation)
        elif known_firms[firm].role not in (Role.MINER, Role.DEEP_SEA):  # a quota on it held back nothing
            e.reader.problem(f"{e.key}.firms[{i}]", "{firm!r} is a {role}: a mining quota limits mines", firm=firm,
                             role=ROLE_WORDS[known_firms[firm].role])
    if nation in e.nations and not firms and not any(f.nation == nation and f.role in (Role.MINER, Role.DEEP_SEA)
                                                     for f in e.world.firms):
        e.reader.problem(f"{e.key}.nation", "{nation} has no mines: a mining quota there holds nothing back", nation=nation)
    return MiningQuota(nation, tonnes, enforcement, firms)


def _demand_trend(e: _EventReader) -> DemandTrend:
    e.keys("nations", "magnets_per_year", "cela_per_year")
    nations = e.nation_list("nations")
    if not e.item.get("nations") and isinstance(e.item.get("nations", []), list):  # it changed nobody's demand
        e.reader.problem(f"{e.key}.nations", "expected a list of at least one nation")
    return DemandTrend(nations,
                       e.number("magnets_per_year", default=0.0, low=-0.5, high=1.0),
                       e.number("cela_per_year", default=0.0, low=-0.5, high=1.0))


def _plant_rules(e: _EventReader) -> PlantRules:
    e.keys("firm", "extra_cost_usd_per_kg", "capacity_cap_tpy")
    firm = e.reader.string(e.item, e.key, "firm")
    known_firms = {f.id: f for f in e.world.firms}
    if firm and firm not in known_firms:
        e.reader.problem(f"{e.key}.firm", "unknown firm {firm!r}", firm=firm)
    elif firm and known_firms[firm].role is Role.MANUFACTURER:  # it has no capacity or cost per kg to change
        e.reader.problem(f"{e.key}.firm", "{firm!r} is a manufacturer: plant rules change a mine's, a plant's or a "
                                          "magnet maker's cost and capacity", firm=firm)
    return PlantRules(firm, e.number("extra_cost_usd_per_kg", default=0.0, high=1e4),
                      e.number("capacity_cap_tpy", default=MAX_NUMBER))


def _budget(e: _EventReader) -> BudgetGrant:
    nation = e.nation("nation")
    e.keys("nation", "musd")
    return BudgetGrant(nation, e.number("musd", low=-MAX_NUMBER))


def _project_start(e: _EventReader) -> ProjectStart:
    e.keys("project")
    project = e.reader.string(e.item, e.key, "project")
    if project and project not in {p.id for p in e.world.projects}:
        e.reader.problem(f"{e.key}.project", "unknown project {project!r}", project=project)
    return ProjectStart(project)


def _news(e: _EventReader) -> News:
    e.keys()
    return News()


#: Each effect class and the function that reads it from an event table.
READERS: dict[type, Callable[[_EventReader], Any]] = {
    News: _news,
    TensionChange: _tension,
    Embargo: _embargo,
    EmbargoLift: _embargo_lift,
    ExportQuota: _export_quota,
    ExportTariff: _export_tariff,
    Licence: _licence,
    ProjectStart: _project_start,
    BudgetGrant: _budget,
    WtoCaseFiled: _wto_case,
    MiningQuota: _mining_quota,
    DemandTrend: _demand_trend,
    PlantRules: _plant_rules,
}


class DatedTrend(NamedTuple):
    """A demand trend and where it comes from: in force for its nations from ``since``."""

    since: Quarter
    trend: DemandTrend
    #: Where the trend was set, for a problem: ``events[3]`` of this level, or ``starts_from``.
    where: str
    #: For a trend of the history a level continues: which level's event set it (words that keep
    #: their template, ``events[3] of level 'x'``).
    via: str = ""


def read_events(reader: TomlReader, data: dict, world: WorldSpec, start: Quarter | None, end: Quarter | None,
                inherited_trends: tuple[DatedTrend, ...] = ()) -> tuple[list[EventSpec], tuple[DatedTrend, ...]]:
    """The level's events in date order, and the demand trends in force over it: those
    ``inherited_trends`` (of the history it continues) and then its own."""
    events = []
    trends: list[DatedTrend] = []
    for key, item in reader.array_of_tables(data, "", "events"):
        kind = reader.string(item, key, "kind", choices=EVENT_KINDS)
        day = reader.date(item, key, "date")
        headline = reader.string(item, key, "headline")
        source = reader.string(item, key, "source")
        reader.string(item, key, "note", default="", prose=True)
        event_reader = _EventReader(reader, item, key, world, day)
        # A nation's code, or "world": a firm's own decision of a kind that names a nation (Molycorp
        # idling Mountain Pass is the USA's mining quota of nothing), which no team makes instead.
        decided_by = "" if "decided_by" not in item else "world" if item["decided_by"] == WORLD_DECIDES \
            else event_reader.nation("decided_by")
        effect = READERS[EVENT_KINDS[kind]](event_reader) if kind else None
        if day and start and end and not (start <= Quarter.of_date(day) <= end):
            reader.problem(f"{key}.date", "{quarter} falls outside the level ({start} to {end})", quarter=day.isoformat(),
                           start=start, end=end)
        if day and kind:
            events.append(EventSpec(date=day, kind=kind, headline=headline, source=source, effect=effect,
                                    headline_ja=reader.string(item, key, "headline_ja", default=""),
                                    decided_by=decided_by))
            if isinstance(effect, DemandTrend):
                trends.append(DatedTrend(Quarter.of_date(day), effect, key))
    events.sort(key=lambda e: e.date)
    trends = [*inherited_trends, *sorted(trends, key=lambda t: t.since)]  # stable: one day's keep the file's order
    if end is not None:
        _check_demand_trends(reader, trends, end)
    return events, tuple(trends)


def _check_demand_trends(reader: TomlReader, trends: list[DatedTrend], end: Quarter) -> None:
    """Refuse trends that compound, by the level's end, to more than ``MAX_DEMAND_CHANGE``-fold.

    A nation's trend holds, quarter by quarter, from its event to the nation's next trend or
    the level's end; its demand changes by every quarter's growth in turn, as the world applies
    it (``(1 + per_year) ** 0.25`` a quarter). Each event is reported once, at the first quarter
    a nation's demand passes the bound."""
    held: dict[str, DatedTrend] = {}
    log_change: dict[tuple[str, str], float] = {}
    crossed: dict[tuple[str, str, str], tuple[Quarter, float, list[str]]] = {}  # (where, via, field) -> first crossing
    bound = math.log(MAX_DEMAND_CHANGE) * (1 + 1e-9)  # a trend of exactly the bound, rounded, passes

    def run_until(code: str, until: Quarter) -> None:
        if code not in held:
            return
        since, trend, where, via = held[code]
        for field in ("magnets_per_year", "cela_per_year"):
            per_quarter = 0.25 * math.log1p(getattr(trend, field))
            before = log_change.get((code, field), 0.0)
            log_change[code, field] = before + max(0, until - since) * per_quarter
            if abs(log_change[code, field]) > bound and abs(before) <= bound:
                # the growth of quarters since, since + 1, ...: the bound is passed in the last
                quarters = math.floor((math.copysign(bound, per_quarter) - before) / per_quarter) + 1
                when = min(since + quarters - 1, until - 1)
                first = crossed.setdefault((where, via, field), (when, per_quarter, []))
                first[2].append(code)
                if when < first[0]:  # the trend's first crossing, whichever nation it is (it named a later one)
                    crossed[where, via, field] = (when, per_quarter, first[2])

    for dated in trends:
        for code in dated.trend.nations:
            run_until(code, dated.since)
            held[code] = dated
    for code in list(held):
        run_until(code, end + 1)
    for (where, via, field), (quarter, per_quarter, codes) in crossed.items():
        change = MAX_DEMAND_CHANGE if per_quarter > 0 else 1 / MAX_DEMAND_CHANGE
        said = dict(nations=", ".join(codes), change=change, quarter=quarter, end=end, last=quarter - 1,
                    most=MAX_DEMAND_CHANGE)
        if via:
            reader.problem(where, "the {field} of {via}, in force at this level's start, takes the demand of {nations} "
                                  "past {change:g} times what it was at the world's start by {quarter} (the level ends "
                                  "{end}; it may end by {last} at the latest); a level's demand trends may change a "
                                  "nation's demand at most {most:g}-fold either way", field=field, via=via, **said)
        else:
            reader.problem(f"{where}.{field}", "takes the demand of {nations} past {change:g} times what it was at the "
                                               "world's start by {quarter} (the level ends {end}; it may end by {last} "
                                               "at the latest); a level's demand trends may change a nation's demand "
                                               "at most {most:g}-fold either way", **said)
