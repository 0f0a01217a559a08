"""World files: the nations, firms, projects, policies and contracts at a level's start, and the
[assumptions] every level's world runs on (``game.scenario.assumptions``)."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping
from pathlib import Path

from game.quoting import said_back
from game.scenario.assumptions import clash, read_assumptions
from game.quoting import Worded
from game.scenario.fact_citations import check_cited_facts
from game.scenario.toml_reader import ScenarioError, TomlReader, parse_text, read_text
from game.spec import (
    DOCTRINES,
    Assumptions,
    ContractSpec,
    FirmName,
    FirmSpec,
    NationSpec,
    PolicySpec,
    ProjectSpec,
    WorldSpec,
)
from game.vocab.materials import (
    MAGNET_MATERIALS,
    MATERIALS,
    OXIDE_SELLER_ROLES,
    Material,
    Role,
)
from game.vocab.nations import CHINA, JAPAN
from game.vocab.quarters import Quarter

_NATION_KEYS = ("code", "name", "name_ja", "lonlat", "budget_musd_per_quarter", "stockpile", "tension",
                "urban_mine_in_use", "product_lifetime_years", "collection_rate", "doctrine", "source")
_FIRM_KEYS = ("id", "name", "name_ja", "role", "nation", "capacity_tpy", "unit_cost", "cash_musd",
              "inventory", "composition", "feed", "dy_share", "needs_tpy", "output_weight", "buffer_quarters",
              "backer", "backer_credit_musd", "group", "renamed", "source")
_FIRM_NAME_KEYS = ("since", "name", "name_ja", "source", "bought_free_of_debts")
#: Most nations in a world: each quarter the market weighs a route from every nation to every other.
MAX_NATIONS = 100
#: Each role as a problem names a firm by it ("'mt-weld' is a separator").
ROLE_WORDS = {Role.MINER: Worded("miner"), Role.SEPARATOR: Worded("separator"), Role.MAGNET_MAKER: Worded("magnet maker"),
              Role.MANUFACTURER: Worded("manufacturer"), Role.RECYCLER: Worded("recycler"),
              Role.DEEP_SEA: Worded("deep sea")}
#: The nations every world must have: the one a person plays, and the exporter the levels are about.
REQUIRED_NATIONS = (JAPAN, CHINA)


def _read_renamed(reader: TomlReader, item: dict, key: str, first_name: str) -> tuple[FirmName, ...]:
    """A firm's ``renamed``: the names it takes later (a new owner), each from a quarter, in order,
    with the fact that dates it."""
    names: list[FirmName] = []
    for where, table in reader.array_of_tables(item, key, "renamed"):
        reader.unknown_keys(table, where, _FIRM_NAME_KEYS)
        named = FirmName(since=reader.quarter(table, where, "since"), name=reader.string(table, where, "name"),
                         name_ja=reader.string(table, where, "name_ja", default=""),
                         source=reader.string(table, where, "source"),
                         bought_free_of_debts=reader.flag(table, where, "bought_free_of_debts"))
        before = names[-1] if names else None
        if before and before.since and named.since and named.since <= before.since:
            reader.problem(f"{where}.since", "{since} is not after {before}, when it took the name before: list "
                                             "a firm's names in the order it took them",
                           since=str(named.since), before=str(before.since))
        if named.name and named.name == (before.name if before else first_name):
            reader.problem(f"{where}.name", "{name} is the name it bears before: a new name differs from the last",
                           name=said_back(named.name))
        if named.since:  # a broken one is reported; the others are still checked against it
            names.append(named)
    return tuple(names)


def read_world(reader: TomlReader, data: dict) -> WorldSpec | None:
    if isinstance(data.get("world"), str) and "nations" not in data:
        reader.problem("world", 'this is a level file, not a world file (a level names its world with world = "...")')
        return None
    reader.unknown_keys(data, "", ("id", "kind", "title", "sources", "freight_usd_per_kg",
                                   "freight_usd_per_kg_per_1000km", "reference_price",
                                   "nations", "firms", "projects", "policies", "contracts", "assumptions"))
    world_id = reader.identifier(data, "", "id")
    freight = reader.number(data, "", "freight_usd_per_kg", high=1000)
    freight_distance = reader.number(data, "", "freight_usd_per_kg_per_1000km", default=0.0, high=100)
    reference = reader.per_material(data, "", "reference_price", low=0.01, high=1e6, required=True)
    sources = reader.string_list(data, "", "sources")
    check_cited_facts(reader, data)

    nations = []
    nation_tables = reader.array_of_tables(data, "", "nations", required=True)
    if len(nation_tables) > MAX_NATIONS:
        reader.problem("nations", "{count} nations, more than the {most} a world may have", count=len(nation_tables),
                       most=MAX_NATIONS)
    for key, item in nation_tables:
        reader.unknown_keys(item, key, _NATION_KEYS)
        tension_table = reader.table(item, key, "tension", required=False)
        tension = tuple(
            (str(code), reader.check_number(value, f"{key}.tension.{code}", 0.0, 1.0))
            for code, value in sorted(tension_table.items())
        )
        nations.append(NationSpec(
            code=reader.code(item, key, "code"),
            name=reader.string(item, key, "name"),
            name_ja=reader.string(item, key, "name_ja", default=""),
            lonlat=reader.lonlat(item, key) or (0.0, 0.0),
            budget_musd_per_quarter=reader.number(item, key, "budget_musd_per_quarter", default=0.0),
            stockpile=reader.per_material(item, key, "stockpile"),
            tension=tension,
            urban_mine_in_use=reader.per_material(item, key, "urban_mine_in_use"),
            product_lifetime_years=reader.number(item, key, "product_lifetime_years", default=12.0, low=1.0, high=100.0),
            collection_rate=reader.number(item, key, "collection_rate", default=0.0, high=1.0),
            doctrine=reader.string(item, key, "doctrine", default="partner", choices=DOCTRINES),
        ))
    codes = [n.code for n in nations]
    reader.check_unique(codes, "nations", "code")
    known_nations = set(codes)
    if nation_tables:  # (a missing [[nations]] is already reported)
        for code in REQUIRED_NATIONS:
            if code not in known_nations:
                reader.problem("nations", "no nation {code!r}: every world has {player} and {exporter} (the nation a "
                                          "person plays, the exporter the levels are about)", code=code,
                               player=REQUIRED_NATIONS[0], exporter=REQUIRED_NATIONS[1])
    for i, nation in enumerate(nations):
        for partner, _ in nation.tension:
            if partner not in known_nations:
                reader.problem(f"nations[{i}].tension.{partner}", "unknown nation {nation!r}", nation=partner)
            elif partner == nation.code:
                reader.problem(f"nations[{i}].tension.{partner}", "a nation's tension with itself (name another nation)")

    firms = []
    for key, item in reader.array_of_tables(data, "", "firms", required=True):
        reader.unknown_keys(item, key, _FIRM_KEYS)
        role_name = reader.string(item, key, "role", choices=[r.value for r in Role])
        role = Role(role_name) if role_name else Role.MINER
        nation = reader.string(item, key, "nation")
        if nation and nation not in known_nations:
            reader.problem(f"{key}.nation", "unknown nation {nation!r} (expected one of {codes})", nation=nation,
                           codes=", ".join(codes))
        composition = reader.per_material(item, key, "composition", high=1.0,
                                          required=role in (Role.MINER, Role.DEEP_SEA))
        if sum(composition) > 1.0 + 1e-9:
            reader.problem(f"{key}.composition", "shares add up to {total:g}, more than 1", total=sum(composition))
        needs = reader.table(item, key, "needs_tpy", required=role is Role.MANUFACTURER)
        reader.unknown_keys(needs, f"{key}.needs_tpy", ("magnets", "cela"))
        name = reader.string(item, key, "name")
        firms.append(FirmSpec(
            id=reader.identifier(item, key, "id"),
            name=name,
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
            backer=reader.string(item, key, "backer", default="") or None,
            backer_credit_musd=reader.number(item, key, "backer_credit_musd", default=0.0, high=1e6),
            group=reader.identifier(item, key, "group", default="") or None,
            name_ja=reader.string(item, key, "name_ja", default=""),
            renamed=_read_renamed(reader, item, key, name),
        ))
        backer = firms[-1].backer
        if backer and backer not in known_nations:
            reader.problem(f"{key}.backer", "unknown nation {nation!r} (expected one of {codes})", nation=backer,
                           codes=", ".join(codes))
    firm_ids = [f.id for f in firms]
    reader.check_unique(firm_ids, "firms", "id")
    firm_by_id = {f.id: f for f in firms}
    for i, firm in enumerate(firms):
        reader.check_distinct(firm.feed, f"firms[{i}].feed")
        for j, source_id in enumerate(firm.feed):
            if firm.role is Role.RECYCLER:
                if source_id not in known_nations:
                    reader.problem(f"firms[{i}].feed[{j}]", "unknown nation {nation!r} (a recycler's feed names the urban "
                                                            "mines it draws on)", nation=source_id)
                continue
            source = firm_by_id.get(source_id)
            if source is None:
                reader.problem(f"firms[{i}].feed[{j}]", "unknown firm {firm!r}", firm=source_id)
            elif source.role not in (Role.MINER, Role.DEEP_SEA):
                reader.problem(f"firms[{i}].feed[{j}]", "{firm!r} is a {role}, expected a miner or deep-sea venture",
                               firm=source_id, role=source.role.value)  # as the file writes it
        if firm.role is Role.MAGNET_MAKER and firm.dy_share <= 0:
            reader.problem(f"firms[{i}].dy_share", "a magnet maker needs a Dy/Tb share above 0")

    projects = read_projects(reader, data, firm_by_id)
    reader.check_unique([p.id for p in projects], "projects", "id")

    policies = []
    for key, item in reader.array_of_tables(data, "", "policies"):
        reader.unknown_keys(item, key, ("exporter", "quota_tpy", "quota_split", "tariff", "source"))
        exporter = reader.string(item, key, "exporter")
        if exporter and exporter not in known_nations:
            reader.problem(f"{key}.exporter", "unknown nation {nation!r}", nation=exporter)
        split = reader.per_material(item, key, "quota_split", high=1.0)
        if "quota_tpy" in item and abs(sum(split) - 1.0) > 1e-6:
            reader.problem(f"{key}.quota_split", "shares must add up to 1, got {total:g}", total=sum(split))
        policies.append(PolicySpec(
            exporter=exporter,
            quota_tpy=reader.number(item, key, "quota_tpy", default=math.inf) if "quota_tpy" in item else math.inf,
            quota_split=split,
            tariff=reader.per_material(item, key, "tariff", high=5.0),
        ))
    # An exporter has one policy: a second would silently replace the first.
    reader.check_unique([p.exporter for p in policies], "policies", "exporter")

    contracts = read_contracts(reader, data, "contracts", firm_by_id, known_nations)
    # The behavioural constants, every one (game.scenario.assumptions).
    assumptions = read_assumptions(reader, data, required=True)
    clashing = clash(assumptions)
    if clashing is not None:
        reader.problem(clashing.key, clashing.message)
    if reader.problems:
        return None
    return WorldSpec(
        id=world_id, freight_usd_per_kg=freight, freight_usd_per_kg_per_1000km=freight_distance,
        reference_price=reference,
        nations=tuple(nations), firms=tuple(firms), projects=tuple(projects),
        policies=tuple(policies), assumptions=Assumptions(**assumptions), contracts=tuple(contracts),
        sources=sources,
    )


def read_projects(reader: TomlReader, data: dict, firm_by_id: Mapping[str, FirmSpec]) -> list[ProjectSpec]:
    projects = []
    for key, item in reader.array_of_tables(data, "", "projects"):
        reader.unknown_keys(item, key, ("id", "firm", "adds_tpy", "lead_quarters", "cost_musd",
                                        "delay_chance", "fail_chance", "source"))
        firm_id = reader.string(item, key, "firm")
        if firm_id and firm_id not in firm_by_id:
            reader.problem(f"{key}.firm", "unknown firm {firm!r}", firm=firm_id)
        elif firm_id and firm_by_id[firm_id].role is Role.MANUFACTURER:
            # It added nothing anyone makes, and Japan's money in it counted as supply secured.
            reader.problem(f"{key}.firm", "{firm!r} is a manufacturer, which makes no oxide or magnets: a project builds "
                                          "a mine, a plant, a recycler, a magnet maker or a deep-sea venture", firm=firm_id)
        projects.append(ProjectSpec(
            id=reader.identifier(item, key, "id"),
            firm=firm_id,
            adds_tpy=reader.number(item, key, "adds_tpy"),
            lead_quarters=reader.integer(item, key, "lead_quarters", low=1, high=200),
            cost_musd=reader.number(item, key, "cost_musd", default=0.0),
            delay_chance=reader.number(item, key, "delay_chance", default=0.0, high=0.95),
            fail_chance=reader.number(item, key, "fail_chance", default=0.0, high=1.0),
            host=firm_by_id[firm_id].nation if firm_id in firm_by_id else "",
        ))
    return projects


def read_contracts(reader: TomlReader, data: dict, name: str, firm_by_id: Mapping[str, FirmSpec],
                    known_nations: set[str]) -> list[ContractSpec]:
    contracts = []
    for key, item in reader.array_of_tables(data, "", name):
        reader.unknown_keys(item, key, ("id", "seller", "buyer", "material", "tonnes_per_year",
                                        "price_usd_per_kg", "start", "end", "source"))
        seller = reader.string(item, key, "seller")
        if seller and seller not in firm_by_id:
            reader.problem(f"{key}.seller", "unknown firm {firm!r}", firm=seller)
        buyer = reader.string(item, key, "buyer")
        if buyer and buyer not in known_nations:
            reader.problem(f"{key}.buyer", "unknown nation {nation!r}", nation=buyer)
        material = reader.string(item, key, "material", choices=[m.value for m in MATERIALS])
        if seller in firm_by_id and material:
            cannot = _cannot_sell(firm_by_id[seller], Material(material), firm_by_id)
            if cannot:
                reader.problem(f"{key}.seller", cannot)
        start = reader.quarter(item, key, "start")
        end = reader.quarter(item, key, "end")
        if start and end and end < start:
            reader.problem(f"{key}.end", "ends ({end}) before it starts ({start})", end=end, start=start)
        contracts.append(ContractSpec(
            id=reader.identifier(item, key, "id"), seller=seller, buyer=buyer,
            material=Material(material) if material else Material.NDPR,
            tonnes_per_year=reader.number(item, key, "tonnes_per_year"),
            price=reader.number(item, key, "price_usd_per_kg", high=1e5),
            start=start or Quarter(2000, 1), end=end or Quarter(2000, 1),
        ))
    return contracts


def _cannot_sell(seller: FirmSpec, material: Material, firm_by_id: Mapping[str, FirmSpec]) -> str | Worded:
    """Why ``seller`` cannot deliver ``material`` under a contract ("" if it can). A contract
    delivers from the seller's stock of separated oxide (``game.world.exchange``): only plants
    that separate or recycle oxide hold any, and only of the oxides their ore or scrap holds."""
    if seller.role not in OXIDE_SELLER_ROLES:
        return Worded("{firm!r} is a {role}, which sells no separated oxide (a contract's seller is a separator or a "
                      "recycler)", firm=seller.id, role=ROLE_WORDS[seller.role])
    if seller.role is Role.RECYCLER:
        makes = material in MAGNET_MATERIALS
    else:
        index = MATERIALS.index(material)
        makes = any(firm_by_id[mine].composition[index] > 0 for mine in seller.feed if mine in firm_by_id)
    if not makes:
        if seller.role is Role.RECYCLER:
            return Worded("{firm!r} makes no {material}: magnet scrap holds none", firm=seller.id,
                          material=Worded(material.label))
        return Worded("{firm!r} makes no {material}: the ore of its feed mines holds none", firm=seller.id,
                      material=Worded(material.label))
    return ""


#: World files read so far, by path and a digest of their text: every level of the campaign names
#: the same world file, and a WorldSpec is frozen, so one reading serves them all. (The text, not
#: the size and modification time: a file rewritten within the same clock tick keeps those.)
_read_worlds: dict[tuple[str, bytes], WorldSpec] = {}
_WORLDS_KEPT = 8


def load_world(path: Path) -> WorldSpec:
    """Read and check a world file; raise ScenarioError listing every problem."""
    reader = TomlReader(str(path))
    text = read_text(path, reader)
    if text is None:
        raise ScenarioError(reader.problems)
    key = (str(path), hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest())
    if key in _read_worlds:
        return _read_worlds[key]
    data = parse_text(text, reader)
    world = read_world(reader, data) if data is not None else None
    if reader.problems or world is None:
        raise ScenarioError(reader.problems)
    if len(_read_worlds) >= _WORLDS_KEPT:
        del _read_worlds[next(iter(_read_worlds))]  # the oldest: a long session edits one file many times
    _read_worlds[key] = world
    return world
