"""Level files are checked, never trusted: every broken file gives a one-line problem naming
the file, the key path and what was expected, and nothing a file holds gives a traceback.

``tests/broken_levels/`` holds one broken level per problem; ``expected.toml`` there says which
key each must name and a fragment of its message. The fuzz tests mutate the shipped level, world,
roles and campaign files (and EVERY_KIND, a level holding every part a level can have), and play
a turn of every mutant the reader accepts: what passes validation never fails at run time.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import sys
import unicodedata
import warnings
from pathlib import Path

import mesa
import pytest
import tomli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agents.firm import FirmAgent
from game.players import controller_for
from game.scenario import (
    Problem,
    ScenarioError,
    find_level,
    levels_dir,
    load_campaign,
    load_level,
    load_world,
    reference,
    shipped_level_paths,
)
from game.scenario.level_file import EARLIEST_START, LATEST_END
from game.scenario.roles_file import load_roles
from game.session import Session
from game.spec import Scenario
from game.vocab.nations import JAPAN
from game.workshop.bots import bot_for
from game.workshop.roles import budget_of, levers_of, objectives_of
from game.world.supply_report import supply_report

REPO_ROOT = Path(__file__).resolve().parent.parent
BROKEN = Path(__file__).resolve().parent / "broken_levels"
EXPECTED: dict[str, dict[str, str]] = tomli.loads((BROKEN / "expected.toml").read_text(encoding="utf-8"))
SHIPPED_LEVEL = levels_dir() / "2010-trawler.toml"
SHIPPED_WORLD = levels_dir() / "world-2010.toml"


def rare_earths(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    return subprocess.run([sys.executable, "-m", "game", *args], check=False, cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def problems_of(path: Path) -> list[Problem]:
    with pytest.raises(ScenarioError) as caught:
        load_level(path)
    return caught.value.problems


# --------------------------------------------------------------------------- shipped levels


@pytest.mark.parametrize("path", shipped_level_paths(), ids=lambda p: p.stem)
def test_shipped_level_loads(path):
    level = load_level(path)
    assert isinstance(level, Scenario)
    assert level.id == path.stem
    assert level.title.get("en") and level.title.get("ja")
    assert level.start <= level.end


def test_shipped_world_loads():
    world = load_world(SHIPPED_WORLD)
    assert world.id == "world-2010"
    assert len(world.firms) == len({f.id for f in world.firms})


def test_levels_validate_accepts_the_shipped_levels():
    result = rare_earths("levels", "validate")
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == f"{len(shipped_level_paths())} level file(s) valid"


def test_levels_validate_accepts_a_shipped_level_given_by_path():
    result = rare_earths("levels", "validate", str(SHIPPED_LEVEL))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "1 level file(s) valid"


def test_an_unchanged_copy_of_a_shipped_level_plays_as_that_level_and_a_changed_one_is_refused(tmp_path):
    """The installed command read a clone's levels/2010-trawler.toml as a level of one's own
    taking a shipped id, and refused it, where ``python -m game`` in the clone took it."""
    shutil.copy(SHIPPED_LEVEL, tmp_path / SHIPPED_LEVEL.name)
    shutil.copy(SHIPPED_WORLD, tmp_path / SHIPPED_WORLD.name)
    copy = tmp_path / SHIPPED_LEVEL.name
    assert load_level(copy).id == "2010-trawler"
    # as a clone made on Windows has it: CRLF line ends (and an editor's byte-order mark)
    copy.write_bytes(b"\xef\xbb\xbf" + SHIPPED_LEVEL.read_bytes().replace(b"\n", b"\r\n"))
    assert load_level(copy).id == "2010-trawler"
    shutil.copy(SHIPPED_LEVEL, copy)
    text = copy.read_text(encoding="utf-8")
    copy.write_text(text.replace("The Trawler Incident", "The Trawler Incident, retold", 1), encoding="utf-8")
    assert any("the id of a shipped level (this copy differs from it)" in p.message for p in problems_of(copy))
    copy.write_text(text, encoding="utf-8")  # the level as shipped, beside a world that is not: named, as it
    world = tmp_path / SHIPPED_WORLD.name    # is what differs (the unchanged copy was blamed)
    world.write_text(world.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert any(f"the id of a shipped level, and this is its file, but {SHIPPED_WORLD.name} beside it is not the "
               "shipped one" in p.message for p in problems_of(copy))


@pytest.mark.parametrize(("read", "value", "says"), [
    ("number", "x", "expected a number, got 'x'"),
    ("number", True, "expected a number, got true"),
    ("number", {"a": 1, "b": 2}, "expected a number, got a table of 2 keys"),
    ("integer", 3.0, "expected a whole number, got 3.0"),
    ("integer", [1], "expected a whole number, got an array of 1 item"),
    ("string", 5, "expected a string, got 5"),
    ("string", False, "expected a string, got false"),
    ("table", "x" * 100, "expected a table, got '" + "x" * 56 + "..."),  # told, not dumped
    ("array_of_tables", 1.5, "expected an array of tables, got 1.5"),
    ("array_of_tables", [{}, 7], "expected a table, got 7"),
    ("per_material", 2, "expected a table of materials (ndpr, dytb, cela), got 2"),
])
def test_a_value_of_the_wrong_type_is_said_back_as_the_file_has_it(read, value, says):
    """Level, world, campaign and roles files named only the type of a value of the wrong type
    ("expected a number, got a string"; integer() said "got a number" of 3.0), where actions,
    assumptions and saves say the value back."""
    from game.scenario.toml_reader import TomlReader

    reader = TomlReader("level.toml")
    getattr(reader, read)({"key": value}, "", "key")
    [problem] = reader.problems
    assert problem.message == says


def test_levels_validate_checks_a_world_file_of_ones_own(tmp_path):
    """A world file given to levels validate was refused as "a world file, not a level", so an
    author could check one only through a level naming it."""
    result = rare_earths("levels", "validate", str(SHIPPED_WORLD))
    assert result.returncode == 0 and result.stdout.strip() == "1 world file(s) valid", result.stdout + result.stderr
    broken = tmp_path / "world-mine.toml"
    broken.write_text(SHIPPED_WORLD.read_text(encoding="utf-8").replace('id = "world-2010"', "id = 5", 1),
                      encoding="utf-8")
    result = rare_earths("levels", "validate", str(broken))
    assert result.returncode == 1 and result.stdout.strip() == f"{broken}: id: expected a string, got 5"


def test_levels_validate_names_each_unknown_fact_a_level_or_world_file_cites(tmp_path):
    """A briefing citing (no_such_fact_2011) and an event with source = "bogus_source" passed
    as "1 level file(s) valid", and the game showed both ids raw to the player."""
    level = tmp_path / "my-level.toml"
    level.write_text((BROKEN / "unknown-fact-in-event-source.toml").read_text(encoding="utf-8").replace(
        "One thing is wrong with this level.", "Two things are wrong (no_such_fact_2011)."), encoding="utf-8")
    result = rare_earths("levels", "validate", str(level))
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 1, result.stdout
    assert result.stdout.splitlines() == [
        f"{level}: briefing.en: unknown fact 'no_such_fact_2011' (expected the id of a fact in levels/reference/facts.toml)",
        f"{level}: events[0].source: unknown fact 'bogus_source' (expected the id of a fact in levels/reference/facts.toml)",
    ]
    world = tmp_path / "world-mine.toml"
    world.write_text(SHIPPED_WORLD.read_text(encoding="utf-8").replace(
        'sources = ["prod_china_2010"', 'sources = ["prod_china_2010x"', 1), encoding="utf-8")
    result = rare_earths("levels", "validate", str(world))
    assert result.returncode == 1 and result.stdout.strip() == (
        f"{world}: sources[0]: unknown fact 'prod_china_2010x' (expected the id of a fact in levels/reference/facts.toml)")


def test_levels_list_prints_id_tab_title():
    result = rare_earths("levels", "list")
    assert result.returncode == 0, result.stderr
    assert "2010-trawler\tThe Trawler Incident" in result.stdout.splitlines()
    assert "Traceback" not in result.stdout + result.stderr


# --------------------------------------------------------------------------- the broken corpus


def test_every_broken_file_has_an_expected_problem():
    levels = {p.name for p in BROKEN.glob("*.toml")} - {"expected.toml"}
    worlds = {name for name in levels if name.startswith("world-")}
    assert levels - worlds == set(EXPECTED), "every broken level needs an entry in expected.toml, and back"
    named = {entry["path"] for entry in EXPECTED.values() if "path" in entry}
    assert worlds == named, "every broken world file is the one some broken level names"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_level_reports_its_problem(name):
    entry = EXPECTED[name]
    problems = problems_of(BROKEN / name)
    where = str(BROKEN / entry.get("path", name))
    wanted = [p for p in problems if p.path == where and p.key == entry["key"]]
    listed = "\n".join(map(str, problems))
    assert wanted, f"no problem at {entry['key']!r} in {where}; got:\n{listed}"
    assert any(entry["contains"] in p.message for p in wanted), f"expected {entry['contains']!r}; got:\n{listed}"
    for problem in problems:
        assert problem.path and problem.message
        assert "\n" not in str(problem)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_level_reports_nothing_unrelated(name):
    """One thing broken gives one problem (or a few in the same table), not a cascade."""
    entry = EXPECTED[name]
    table = entry["key"].rpartition(".")[0]
    level = str(BROKEN / name)
    for problem in problems_of(BROKEN / name):
        related = (problem.key == entry["key"]
                   or (table and problem.key.startswith(table + "."))
                   or ("path" in entry and problem.path == level and problem.key == "world"))
        assert related, f"unrelated problem: {problem}"


@pytest.fixture(scope="module")
def validate_corpus() -> tuple[list[str], subprocess.CompletedProcess]:
    """`levels validate` run once over the whole corpus, plus a folder and a missing file."""
    paths = [str(BROKEN / name) for name in sorted(EXPECTED)]
    extra = [str(BROKEN), str(BROKEN / "no-such-level.toml")]
    return paths + extra, rare_earths("levels", "validate", *paths, *extra)


def test_validate_cli_exits_1_without_a_traceback(validate_corpus):
    _, result = validate_corpus
    assert result.returncode == 1
    assert "Traceback" not in result.stdout
    assert "Traceback" not in result.stderr
    assert result.stderr == ""


def test_validate_cli_prints_path_key_message_lines(validate_corpus):
    paths, result = validate_corpus
    known = sorted({*paths, *(str(BROKEN / n) for n in os.listdir(BROKEN))}, key=len, reverse=True)
    lines = result.stdout.splitlines()
    assert lines
    for line in lines:
        path = next((p for p in known if line.startswith(p + ": ")), None)
        assert path is not None, f"line does not start with a corpus path: {line!r}"
        rest = line[len(path) + 2:]
        # `key: message`, or just `message` for a problem with the whole file
        assert re.fullmatch(r"(\S+: )?\S.*", rest), line
    for path in paths:
        assert any(line.startswith(path + ": ") for line in lines), f"nothing printed for {path}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_validate_cli_names_the_key_of_each_broken_file(validate_corpus, name):
    _, result = validate_corpus
    entry = EXPECTED[name]
    where = str(BROKEN / entry.get("path", name))
    key, contains = entry.get("cli_key", entry["key"]), entry.get("cli_contains", entry["contains"])
    prefix = f"{where}: {key}: " if key else f"{where}: "
    assert any(line.startswith(prefix) and contains in line for line in result.stdout.splitlines()), \
        f"no line starting {prefix!r} containing {contains!r}"


def test_a_level_that_is_a_device_is_refused_quickly():
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    problems = problems_of(Path("/dev/zero"))
    assert problems[0].key == "" and "larger than" in problems[0].message


# --------------------------------------------------------------------------- firms' names in Japanese


def _width(text: str) -> int:
    """Columns on screen, a Japanese glyph counting two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def test_every_firm_of_every_shipped_level_has_a_japanese_name():
    worlds = sorted(levels_dir().glob("world-*.toml"))
    assert worlds
    firms = [(path.name, firm) for path in worlds for firm in load_world(path).firms]
    firms += [(path.name, firm) for path in shipped_level_paths() for firm in load_level(path).world.firms]
    for where, firm in firms:
        assert firm.name_ja.strip(), f"{where}: firm {firm.id!r} has no name_ja"
        assert firm.name_ja == firm.name_ja.strip() and "\n" not in firm.name_ja
        # Short enough for a button: about as wide as the English.
        assert _width(firm.name_ja) <= _width(firm.name) + 16, f"{where}: {firm.id!r}: {firm.name_ja!r} is long"


def _world_with_first_firm_line(tmp_path: Path, line: str) -> Path:
    text = SHIPPED_WORLD.read_text(encoding="utf-8")
    firm = text.index("[[firms]]")
    name = text.index("\nname_ja = ", firm)
    path = tmp_path / "world-2010.toml"
    path.write_text(text[:name] + "\n" + line + text[name:], encoding="utf-8")
    return path


def test_a_firm_with_an_unknown_key_is_refused_but_name_ja_is_read(tmp_path):
    world = load_world(SHIPPED_WORLD)
    assert world.firms[0].name_ja == "包鋼稀土（バヤンオボ）"
    with pytest.raises(ScenarioError) as caught:
        load_world(_world_with_first_firm_line(tmp_path, 'nickname_ja = "包鋼"'))
    problems = caught.value.problems
    assert [p.key for p in problems] == ["firms[0].nickname_ja"]
    assert "unknown key" in problems[0].message and "name_ja" in problems[0].message


def test_a_firm_name_ja_must_be_text(tmp_path):
    path = tmp_path / "world-2010.toml"
    path.write_text(SHIPPED_WORLD.read_text(encoding="utf-8").replace('name_ja = "包鋼稀土（バヤンオボ）"', "name_ja = 3", 1),
                    encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_world(path)
    assert [p.key for p in caught.value.problems] == ["firms[0].name_ja"]


def test_a_firm_without_name_ja_shows_its_english_name(tmp_path):
    text = SHIPPED_WORLD.read_text(encoding="utf-8")
    path = tmp_path / "world-2010.toml"
    path.write_text(re.sub(r'(?m)^(\[\[firms\]\]\nid = "bayan-obo"\nname = .*\n)name_ja = .*\n', r"\1", text),
                    encoding="utf-8")
    world = load_world(path)
    firm = next(f for f in world.firms if f.id == "bayan-obo")
    assert firm.name_ja == ""
    model = mesa.Model()
    assert FirmAgent(model, firm).name_ja == "Baotou Steel Rare Earth (Bayan Obo)"
    shipped = next(f for f in load_world(SHIPPED_WORLD).firms if f.id == "bayan-obo")
    agent = FirmAgent(model, shipped)
    assert (agent.name, agent.name_ja) == ("Baotou Steel Rare Earth (Bayan Obo)", "包鋼稀土（バヤンオボ）")


# --------------------------------------------------------------------------- fuzzing

#: A level with every kind of event, contracts, a project, objectives and each of Japan's levers,
#: nearly all within its first quarter: one turn of a mutant plays what the reader accepted.
EVERY_KIND = """\
# Every kind of event, contracts, a project, objectives and every lever of Japan's, nearly all in
# the level's first quarter, so that one turn of a mutant plays what the reader accepted.
id = "every-kind"
world = "world-2010"
start = "2010Q3"
end = "2011Q2"
sources = ["ep2010_collision"]
unlocked_actions = ["release_stockpile", "buy_stockpile", "invest_in_project", "propose_offtake", "hold_talks",
                    "sign_partnership", "file_wto_case", "fund_recycling", "set_collection_rules",
                    "fund_magnet_research", "support_industry", "refinance_supplier", "fund_deep_sea"]
title = { en = "Every kind", ja = "すべての種類" }
briefing = { en = \"\"\"Everything a level can hold,
in two quarters.\"\"\", ja = "レベルが持てるものすべてを二四半期で。" }

[notes]
what_happened = "Nothing: a test."

[assumptions]
max_thrift_per_quarter = 0.05

[[objectives]]
id = "output"
text = { en = "Output", ja = "生産" }
indicator = "japan_output_index"
rule = "average_at_least"
threshold = 0.9
start = "2010Q3"
end = "2010Q4"
star = 1

[[objectives]]
id = "stock"
text = { en = "Stock", ja = "備蓄" }
indicator = "japan_stockpile_days"
rule = "at_least_by"
threshold = 10
by = "2010Q4"
star = 2

[[projects]]
id = "extra-lamp"
firm = "lynas-lamp"
adds_tpy = 2000
lead_quarters = 1
cost_musd = 50
delay_chance = 0.1
fail_chance = 0.1

[[contracts]]
id = "lamp-to-japan"
seller = "lynas-lamp"
buyer = "JPN"
material = "ndpr"
tonnes_per_year = 1200
price_usd_per_kg = 40
start = "2010Q3"
end = "2011Q2"

[[contracts]]
id = "hitachi-to-japan"
seller = "hitachi-recycling"
buyer = "JPN"
material = "dytb"
tonnes_per_year = 10
price_usd_per_kg = 300
start = "2010Q4"
end = "2011Q1"

[[events]]
date = "2010-07-01"
kind = "export_quota"
exporter = "CHN"
tonnes_per_year = 30258
split = { ndpr = 0.22, dytb = 0.03, cela = 0.75 }
headline = "Quota"
source = "quota_export_2010"

[[events]]
date = "2010-07-02"
kind = "news"
headline = "News"
headline_ja = "ニュース"
source = "ep2010_collision"
note = \"\"\"A note
of two lines.\"\"\"

[[events]]
date = "2010-07-03"
kind = "tension"
nation = "CHN"
partner = "JPN"
change = 0.3
headline = "Tension"
source = "ep2010_collision"

[[events]]
date = "2010-07-04"
kind = "embargo"
exporter = "CHN"
partner = "JPN"
materials = ["ndpr", "dytb"]
until = "2010-11-19"
leakage = 0.3
leakage_cost_usd_per_kg = 5.0
headline = "Embargo"
source = "ep2010_halt_start"

[[events]]
date = "2010-07-05"
kind = "licence"
exporter = "CHN"
partner = "USA"
materials = ["dytb"]
friction_usd_per_kg = 10
approval_rate = 0.25
delay_quarters = 1
headline = "Licences"
source = "cn_2025_apr"

[[events]]
date = "2010-07-06"
kind = "export_tariff"
exporter = "CHN"
rate = { ndpr = 0.1, dytb = 0.2, cela = 0.1 }
headline = "Duties"
source = "export_tax_rate"

[[events]]
date = "2010-07-07"
kind = "project_start"
project = "extra-lamp"
headline = "Project"
source = "lynas_lamp_capacity"

[[events]]
date = "2010-07-08"
kind = "budget"
nation = "JPN"
musd = 1170
headline = "Budget"
source = "jp_budget_fy2010_re"

[[events]]
date = "2010-07-09"
kind = "wto_case"
respondent = "CHN"
complainants = ["USA", "EU", "JPN"]
headline = "WTO"
source = "wto_consultations"

[[events]]
date = "2010-07-10"
kind = "mining_quota"
nation = "CHN"
firms = ["bayan-obo", "sichuan-mianning"]
tonnes_per_year = 80400
enforcement = 0.4
headline = "Mining quota"
source = "prod_china_2011"

[[events]]
date = "2010-07-11"
kind = "demand_trend"
nations = ["JPN", "KOR"]
magnets_per_year = -0.1
cela_per_year = -0.35
headline = "Demand"
source = "jp_demand_2012"

[[events]]
date = "2010-07-12"
kind = "plant_rules"
firm = "lynas-lamp"
extra_cost_usd_per_kg = 1.5
capacity_cap_tpy = 20000
headline = "Plant rules"
source = "lynas_target_ndpr"

[[events]]
date = "2010-10-01"
kind = "embargo_lift"
exporter = "CHN"
partner = "JPN"
materials = ["ndpr"]
headline = "Lift"
source = "ep2010_resume"

[[events]]
date = "2010-10-02"
kind = "licence"
exporter = "CHN"
partner = "JPN"
friction_usd_per_kg = 3.0
headline = "Inspections"
source = "ep2010_normal"

[[history]]
quarter = "2010Q3"
note = "Every lever of Japan's"
actions = [
  { kind = "release_stockpile", material = "ndpr", tonnes = 600 },
  { kind = "buy_stockpile", material = "dytb", tonnes = 50, max_price_usd_per_kg = 1500 },
  { kind = "invest_in_project", project = "dong-pao-mine", amount_musd = 30, offtake_tpy = 3000, years = 10 },
  { kind = "invest_in_project", project = "lamp-phase2", amount_musd = 250, offtake_tpy = 2170, years = 10,
    materials = ["ndpr", "dytb"], price_usd_per_kg = 40 },
  { kind = "propose_offtake", seller = "lynas-lamp", material = "ndpr", tonnes_per_year = 1000, years = 5,
    price_usd_per_kg = 45 },
  { kind = "hold_talks", partner = "CHN" },
  { kind = "sign_partnership", partner = "VNM" },
  { kind = "file_wto_case", respondent = "CHN", partners = ["USA", "EU"] },
  { kind = "refinance_supplier", firm = "lynas-lamp", amount_musd = 100 },
  { kind = "fund_recycling", recycler = "hitachi-recycling", amount_musd = 20 },
  { kind = "set_collection_rules", collection_rate = 0.3 },
  { kind = "fund_magnet_research", amount_musd = 30 },
  { kind = "support_industry", amount_musd = 40 },
  { kind = "fund_deep_sea" },
]

[[history]]
quarter = "2010Q4"
actions = [
  { kind = "release_stockpile", material = "dytb", tonnes = 60 },
  { kind = "propose_offtake", seller = "irel-separation", material = "cela", tonnes_per_year = 500, years = 2,
    price_usd_per_kg = 5, round = 1 },
]
"""

#: TOML values of every type, for "replace a value with one of another type": wrong types, empty
#: and blank strings, names nothing has (or something else has: a self-reference), dates off the
#: calendar, texts holding control characters (TOML escapes) or longer than any text may be.
TOML_VALUES = ['"text"', '""', '" "', '"2010Q5"', '"2010-02-30"', '"../etc"', '"nope"', '"world-2010"', '"CHN"',
               '"JPN"', '"ATLANTIS"', '"atlantis-mine"', '"bayan-obo"', '"hitachi-recycling"', '"unobtainium"',
               '"2200Q4"', '"1900Q1"', '"a\\u0000b"', '"\\u001b[31mred"', '"two\\nlines"', '"\\u202eabc"',
               '"' + "x" * 10_001 + '"',
               "0", "-1", "-0.5", "1e300", "-1e300", "nan", "inf", "-inf", "1" + "0" * 400, "9" * 5000, "0x7fffffffffffffff",
               "true", "false", "2010-09-21", "2010-09-21T12:00:00Z", "12:00:00", "[]", "{}", '[1, "a"]',
               "[[1, 2], [3]]", '{ ndpr = "x" }', "{ ndpr = -1, gold = 2 }", '[{ kind = "x" }]', '["CHN", "CHN"]',
               "[" * 12 + "]" * 12]
#: A value after ``key =``: a short string, a number, a boolean, a one-line array or inline table.
_VALUE = re.compile(rb'([A-Za-z_][A-Za-z0-9_]* = )("[^"\n]*"|[-+0-9.eE_]+|true|false|\[[^\]\n]*\]|\{[^}\n]*\})')
#: A whole ``key = value`` line.
_KEY_LINE = re.compile(rb"(?m)^[ \t]*[A-Za-z_][A-Za-z0-9_]* = [^\n]*\n")
#: The inside of a short string without escapes.
_STRING = re.compile(rb'"([^"\\\n]*)"')
#: A number after ``=``, ``[``, ``,`` or ``{``.
_NUMBER = re.compile(rb"(?<=[=\[,{] )-?[0-9][0-9_.eE+-]*")
#: Names nothing has, and names something else has (a firm where a nation goes, a self-reference).
NAMES = [b"ATLANTIS", b"atlantis-mine", b"unobtainium", b"lamp-phase9", b"JPN", b"CHN", b"USA", b"bayan-obo",
         b"lynas-lamp", b"hitachi-recycling", b"2010-trawler", b"world-2010", b"ndpr", b"cela"]
NUMBERS = [b"-1", b"0", b"-0.0", b"1e9", b"1000000001", b"1e308", b"-1e308", b"nan", b"inf", b"-inf", b"5e-324",
           b"1" + b"0" * 30, b"0.5", b"400", b"401"]
#: Control and invisible characters, as TOML escapes (they reach the value) and raw (TOML refuses most).
CONTROLS = [b"\\u0000", b"\\u001b[2J", b"\\u202e", b"\\n", b"\\t", b"\\r", b"\\u0085", b"\\u2028",
            b"\\ufeff", b"\\u0007", b"\x00", b"\x1b", b"\x7f", b"\t", b"\r", b"\xc2\x85"]
ENCODINGS = ["utf-16", "utf-16-le", "utf-32", "latin-1", "cp932", "utf-8-sig"]
#: Replacing a value is listed three times: it is the mutation that reaches the checks past the parser.
MUTATIONS = ("truncate", "flip_bit", "insert_bytes", "replace_value", "replace_value", "replace_value",
             "delete_line", "duplicate_line", "drop_key", "blank_string", "rename", "extreme_number",
             "control_character", "reencode")


class Chooser:
    """The random choices a mutation makes, from ``random.Random`` or from hypothesis."""

    def __init__(self, rng: random.Random | None = None, data=None):
        self.rng, self.data = rng, data

    def integer(self, low: int, high: int) -> int:
        return self.rng.randint(low, high) if self.rng else self.data.draw(st.integers(low, high))

    def pick(self, items):
        return items[self.integer(0, len(items) - 1)]

    def some_bytes(self) -> bytes:
        if self.rng:
            return bytes(self.rng.randrange(256) for _ in range(self.rng.randint(1, 8)))
        return self.data.draw(st.binary(min_size=1, max_size=8))


def _replace(text: bytes, spots: list, choose: Chooser, new: bytes, group: int = 0) -> bytes:
    if not spots:
        return text
    spot = choose.pick(spots)
    return text[:spot.start(group)] + new + text[spot.end(group):]


def mutate(text: bytes, choose: Chooser) -> bytes:
    for _ in range(choose.integer(1, 2)):
        kind = choose.pick(MUTATIONS)
        if kind == "truncate":
            text = text[:choose.integer(0, len(text))]
        elif kind == "flip_bit" and text:
            i = choose.integer(0, len(text) - 1)
            text = text[:i] + bytes([text[i] ^ (1 << choose.integer(0, 7))]) + text[i + 1:]
        elif kind == "insert_bytes":
            i = choose.integer(0, len(text))
            text = text[:i] + choose.some_bytes() + text[i:]
        elif kind == "replace_value":
            text = _replace(text, list(_VALUE.finditer(text)), choose, choose.pick(TOML_VALUES).encode(), group=2)
        elif kind in ("delete_line", "duplicate_line"):
            lines = text.splitlines(keepends=True)
            if lines:
                i = choose.integer(0, len(lines) - 1)
                lines[i:i + 1] = [] if kind == "delete_line" else [lines[i], lines[i]]
                text = b"".join(lines)
        elif kind == "drop_key":
            text = _replace(text, list(_KEY_LINE.finditer(text)), choose, b"")
        elif kind == "blank_string":
            text = _replace(text, list(_STRING.finditer(text)), choose, choose.pick([b"", b" ", b"\\t"]), group=1)
        elif kind == "rename":
            text = _replace(text, list(_STRING.finditer(text)), choose, choose.pick(NAMES), group=1)
        elif kind == "extreme_number":
            text = _replace(text, list(_NUMBER.finditer(text)), choose, choose.pick(NUMBERS))
        elif kind == "control_character":
            spots = list(_STRING.finditer(text))
            if spots:
                spot = choose.pick(spots)
                i = choose.integer(spot.start(1), spot.end(1))
                text = text[:i] + choose.pick(CONTROLS) + text[i:]
        elif kind == "reencode":
            text = text.decode("utf-8", errors="replace").encode(choose.pick(ENCODINGS), errors="replace")
    return text


def check_load(level: Path, *files: Path) -> Scenario | None:
    """``load_level`` must give a Scenario or a ScenarioError naming the files (``files``, or a
    file beside the level that a mutant names: its world, the level it continues): nothing else."""
    try:
        result = load_level(level)
    except ScenarioError as error:
        assert error.problems, "a ScenarioError with no problems"
        named = {str(f) for f in (level, *files, *level.parent.glob("*.toml"))}
        for problem in error.problems:
            assert problem.path in named, problem
            assert problem.message, problem
            assert "\n" not in str(problem), problem
        return None
    assert isinstance(result, Scenario)
    return result


def play(scenario: Scenario, turns: int = 1, strategy: str = "history") -> None:
    """What the reader accepted plays: a world is built, turns run, the turn screen's supply report
    is drawn up. Any exception fails the test, and so does NumPy's warning of a 0/0 or an
    overflow (a NaN or an infinity loose in the world fails nowhere, only misleads)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        if strategy == "history" and not scenario.history:
            strategy = "passive"  # a mutant without a history (asked for by name, refused)
        session = Session(scenario, controller_for(strategy, scenario), seed=0)
        try:
            for _ in range(turns):
                session.play_turn()
                supply_report(session.world, JAPAN)
        finally:
            session.close()


def test_a_mine_that_costs_nothing_to_run_and_has_no_cash_plays(tmp_path):
    """Found by the world fuzz: a mine with a unit cost of 0 and no cash made what it can pay
    for 0/0 (NumPy's invalid-value warning, a NaN masked only afterwards). What it can pay for
    at no cost is unlimited, as ``affordable_t`` says for one firm."""
    text = SHIPPED_WORLD.read_text(encoding="utf-8")
    block = text.index('id = "irel-mines"')
    head, tail = text[:block], text[block:]
    tail = tail.replace("unit_cost = 12.0", "unit_cost = 0.0", 1).replace("cash_musd = 50", "cash_musd = 0", 1)
    (tmp_path / "world-2010.toml").write_text(head + tail, encoding="utf-8")
    (tmp_path / "2010-trawler.toml").write_bytes(TRAWLER_COPY)
    scenario = check_load(tmp_path / "2010-trawler.toml", tmp_path / "world-2010.toml")
    assert scenario is not None
    play(scenario, turns=2, strategy="bot")


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory) -> Path:
    """The shipped world, a copy of the first level under an id of its own, and EVERY_KIND."""
    folder = tmp_path_factory.mktemp("fuzz")
    shutil.copy(SHIPPED_WORLD, folder / "world-2010.toml")
    (folder / "2010-trawler.toml").write_bytes(TRAWLER_COPY)
    (folder / "every-kind.toml").write_text(EVERY_KIND, encoding="utf-8")
    return folder


#: The first shipped level under an id of its own (a copy may not take a shipped level's id).
TRAWLER_COPY = SHIPPED_LEVEL.read_bytes().replace(b'id = "2010-trawler"', b'id = "fuzzed-trawler"', 1)
#: What the fuzz tests start from: a shipped level (real data) and EVERY_KIND (every part).
LEVEL_SEEDS = (TRAWLER_COPY, EVERY_KIND.encode("utf-8"))


def fuzz_level(folder: Path, mutated: bytes, run: bool = True) -> bool:
    """Load a mutated level; play a turn of it if it is accepted. True if it was."""
    level = folder / "mutated-level.toml"
    level.write_bytes(mutated)
    scenario = check_load(level, folder / "world-2010.toml")
    if scenario is not None and run:
        play(scenario)
    return scenario is not None


def fuzz_world(folder: Path, mutated: bytes) -> bool:
    """Load EVERY_KIND on a mutated world; play a turn of it if both are accepted, with the bot
    (which reads the world's prices and stocks the history does not)."""
    world = folder / "world-2010.toml"
    world.write_bytes(mutated)
    try:
        scenario = check_load(folder / "every-kind.toml", world)
        try:
            load_world(world)
        except ScenarioError as error:
            assert all(p.path == str(world) and p.message for p in error.problems)
        if scenario is not None:
            play(scenario, strategy="bot")
        return scenario is not None
    finally:
        shutil.copy(SHIPPED_WORLD, world)


FUZZ_SETTINGS = settings(max_examples=250, deadline=None, database=None,
                         suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                                HealthCheck.data_too_large])


@FUZZ_SETTINGS
@given(data=st.data())
def test_fuzzed_level_loads_or_raises_scenario_error_and_what_loads_plays(fuzz_dir, data):
    choose = Chooser(data=data)
    fuzz_level(fuzz_dir, mutate(choose.pick(LEVEL_SEEDS), choose))


@FUZZ_SETTINGS
@given(data=st.data())
def test_fuzzed_world_loads_or_raises_scenario_error_and_what_loads_plays(fuzz_dir, data):
    fuzz_world(fuzz_dir, mutate(SHIPPED_WORLD.read_bytes(), Chooser(data=data)))


@pytest.mark.parametrize("seed", range(4))
def test_seeded_mutations_load_or_raise_scenario_error_and_what_loads_plays(fuzz_dir, seed):
    """The same mutations from a fixed seed, so a run is repeatable whatever hypothesis explores;
    and enough of them are accepted to mean something."""
    rng = random.Random(seed)
    world = SHIPPED_WORLD.read_bytes()
    accepted = 0
    for _ in range(150):
        choose = Chooser(rng=rng)
        accepted += fuzz_level(fuzz_dir, mutate(choose.pick(LEVEL_SEEDS), choose))
        accepted += fuzz_world(fuzz_dir, mutate(world, Chooser(rng=rng)))
    print("ACCEPTED", seed, accepted)
    # 28-40 of 300 are accepted on seeds 0-3 (32-42 before firms' later names and cited facts were
    # checked at the door: mutants that broke a quarter, a name or a fact id passed then).
    assert accepted >= 25, f"only {accepted} of 300 mutants accepted: the mutations no longer reach the world"


#: Keys whose values are only shown (a headline, a note): a mutant that changes only one of them
#: plays as the level does, so the sweep loads it but does not play it.
SHOWN_ONLY = {b"headline", b"headline_ja", b"source", b"note", b"en", b"ja", b"what_happened", b"sources"}


#: One value of each kind, for the sweep (each costs a load of every slot): a string, empty,
#: blank, a quarter that is not one, a path, a self-reference, a name nothing has, a firm where a
#: nation goes and one that sells no such oxide, off the calendar, a control character, a line
#: break, too long; zero, negative, huge, NaN, infinite, too many digits; the other TOML types;
#: a repeated name.
SWEEP_VALUES = ['"text"', '""', '" "', '"2010Q5"', '"../etc"', '"JPN"', '"ATLANTIS"', '"bayan-obo"',
                '"hitachi-recycling"', '"2200Q4"', '"a\\u0000b"', '"two\\nlines"', '"' + "x" * 10_001 + '"',
                "0", "-1", "1e300", "nan", "-inf", "1" + "0" * 400, "true", "2010-09-21", "[]",
                "{ ndpr = -1, gold = 2 }", '["CHN", "CHN"]']
assert set(SWEEP_VALUES) <= set(TOML_VALUES)


@pytest.mark.parametrize("value", SWEEP_VALUES, ids=lambda v: v if len(v) <= 30 else v[:27] + "...")
@pytest.mark.parametrize("seed", ["every-kind", "shipped"])
def test_every_value_type_in_every_slot(fuzz_dir, seed, value):
    """Each TOML value in place of each value of EVERY_KIND and of the first shipped level, one at
    a time (a systematic sweep); what EVERY_KIND accepts plays a turn (the shipped level's events
    and history come after its first turn: a turn of it would play little of what changed)."""
    text = EVERY_KIND.encode("utf-8") if seed == "every-kind" else TRAWLER_COPY
    for spot in _VALUE.finditer(text):
        played = seed == "every-kind" and spot.group(1)[:-3] not in SHOWN_ONLY
        fuzz_level(fuzz_dir, text[:spot.start(2)] + value.encode() + text[spot.end(2):], run=played)


# --------------------------------------------------------------------------- roles and the campaign, fuzzed

SHIPPED_ROLES = levels_dir() / "roles.toml"
SHIPPED_CAMPAIGN = levels_dir() / "campaign.toml"
SMALL_FUZZ = settings(FUZZ_SETTINGS, max_examples=120)


def _refused_naming(error: ScenarioError, path: Path) -> None:
    assert error.problems, "a ScenarioError with no problems"
    for problem in error.problems:
        assert problem.path == str(path) and problem.message and "\n" not in str(problem), problem


@SMALL_FUZZ
@given(data=st.data())
def test_a_fuzzed_roles_file_loads_or_raises_scenario_error_and_what_loads_serves_a_level(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("roles") / "roles.toml"
    path.write_bytes(mutate(SHIPPED_ROLES.read_bytes(), Chooser(data=data)))
    try:
        roles = load_roles(path)
    except ScenarioError as error:
        _refused_naming(error, path)
        return
    level = load_level(SHIPPED_LEVEL)
    for role in roles.roles:  # what a workshop asks of each role
        levers_of(role, level)
        objectives_of(role, level)
        budget_of(role, level)
        bot_for(role)


@SMALL_FUZZ
@given(data=st.data())
def test_a_fuzzed_campaign_loads_or_raises_scenario_error_and_what_loads_opens_levels(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("campaign") / "campaign.toml"
    path.write_bytes(mutate(SHIPPED_CAMPAIGN.read_bytes(), Chooser(data=data)))
    try:
        campaign = load_campaign(path)
    except ScenarioError as error:
        _refused_naming(error, path)
        return
    assert campaign.entries
    assert campaign.unlocked({}) == [campaign.entries[0].level]
    for entry in campaign.entries:
        find_level(entry.level)


def test_the_roles_and_campaign_mutants_reach_past_the_parser(tmp_path):
    """Most mutants of each file get past the parser (they load, or a check names a key), so the
    fuzz tests above test the checks, not only the parser; and some load."""
    rng = random.Random(7)
    past_parser = {"roles": 0, "campaign": 0}
    loaded = dict(past_parser)
    for _ in range(60):
        for name, loader, shipped in (("roles", load_roles, SHIPPED_ROLES), ("campaign", load_campaign, SHIPPED_CAMPAIGN)):
            path = tmp_path / shipped.name
            path.write_bytes(mutate(shipped.read_bytes(), Chooser(rng=rng)))
            try:
                loader(path)
                loaded[name] += 1
                past_parser[name] += 1
            except ScenarioError as error:
                past_parser[name] += any(p.key for p in error.problems)
    assert min(past_parser.values()) >= 30 and min(loaded.values()) >= 3, (past_parser, loaded)


# --------------------------------------------------------------------------- texts, encodings, sizes


def _loads_the_same_with_a_bom(path: Path, loader, tmp_path: Path):
    copy = tmp_path / path.name
    copy.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    return loader(copy)


def test_a_byte_order_mark_is_accepted_in_every_kind_of_file(tmp_path):
    """Editors on Windows save UTF-8 with a byte-order mark: it is dropped, not an "Invalid statement"."""
    shutil.copy(SHIPPED_WORLD, tmp_path / SHIPPED_WORLD.name)
    level = tmp_path / "my-trawler.toml"
    level.write_bytes(b"\xef\xbb\xbf" + TRAWLER_COPY)
    assert load_level(level).events == load_level(SHIPPED_LEVEL).events
    assert _loads_the_same_with_a_bom(SHIPPED_WORLD, load_world, tmp_path) == load_world(SHIPPED_WORLD)
    assert _loads_the_same_with_a_bom(SHIPPED_ROLES, load_roles, tmp_path) == load_roles()
    assert _loads_the_same_with_a_bom(SHIPPED_CAMPAIGN, load_campaign, tmp_path) == load_campaign()


def test_a_level_of_ones_own_may_not_take_a_shipped_levels_id_but_the_shipped_file_may(tmp_path):
    shutil.copy(SHIPPED_WORLD, tmp_path / SHIPPED_WORLD.name)
    copy = tmp_path / "2010-trawler.toml"
    # a copy changed in the least (an unchanged copy is the shipped level itself: see above)
    copy.write_bytes(SHIPPED_LEVEL.read_bytes() + b"\n")
    assert [(p.key, "shipped level" in p.message) for p in problems_of(copy)] == [("id", True)]
    copy.write_bytes(TRAWLER_COPY)
    assert load_level(copy).id == "fuzzed-trawler"
    assert load_level(SHIPPED_LEVEL).id == "2010-trawler"


def test_a_file_name_with_control_characters_is_shown_escaped_in_one_line(tmp_path):
    path = tmp_path / "evil\x1b[2J\nname.toml"
    path.write_text("not toml", encoding="utf-8")
    (problem,) = problems_of(path)
    shown = str(problem)
    assert "\x1b" not in shown and "\n" not in shown and "\\x1b[2J\\nname.toml" in shown


def test_a_level_name_longer_than_a_file_name_may_be_is_one_line_not_a_traceback():
    name = "a" * 300 + ".toml"
    with pytest.raises(ScenarioError) as caught:
        find_level(name)
    assert "no such level file" in caught.value.problems[0].message


def test_a_world_file_rewritten_in_the_same_clock_tick_is_read_again(tmp_path):
    """A world file is read once per content, not per size and time: an edit of the same size
    within the file system's clock tick is not missed."""
    world = tmp_path / "world-2010.toml"
    text = SHIPPED_WORLD.read_bytes()
    world.write_bytes(text)
    stat = world.stat()
    assert load_world(world).freight_usd_per_kg == load_world(SHIPPED_WORLD).freight_usd_per_kg
    changed = re.sub(rb"(?m)^freight_usd_per_kg = [0-9.]+", lambda m: m.group(0)[:-1] + b"7", text, count=1)
    assert len(changed) == len(text) and changed != text
    world.write_bytes(changed)
    os.utime(world, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert load_world(world).freight_usd_per_kg != load_world(SHIPPED_WORLD).freight_usd_per_kg


@pytest.mark.parametrize("start, end", [(str(EARLIEST_START), str(EARLIEST_START + 1)),
                                        (str(LATEST_END - 1), str(LATEST_END))])
def test_a_level_at_either_end_of_the_calendar_it_may_use_plays(tmp_path, start, end):
    """The first and last quarters the reader allows are ones the world can play (the quarter
    before, the century after)."""
    shutil.copy(SHIPPED_WORLD, tmp_path / SHIPPED_WORLD.name)
    level = tmp_path / "edge.toml"
    level.write_text(f'id = "edge"\nworld = "world-2010"\nstart = "{start}"\nend = "{end}"\n'
                     'title = { en = "Edge", ja = "端" }\nbriefing = { en = "Edge", ja = "端" }\n', encoding="utf-8")
    play(load_level(level), turns=2, strategy="bot")
    beyond = level.read_text(encoding="utf-8").replace(start, str(EARLIEST_START - 1)).replace(end, str(LATEST_END + 1))
    level.write_text(beyond, encoding="utf-8")
    assert {p.key for p in problems_of(level)} == {"start", "end"}


def test_a_level_written_decomposed_reads_as_one_written_composed(tmp_path):
    """A title typed as "e" and a combining acute (as some systems write text) is read as "é",
    which the game's font draws; the combining mark alone it draws as a box."""
    shutil.copy(SHIPPED_WORLD, tmp_path / SHIPPED_WORLD.name)
    level = tmp_path / "decomposed.toml"
    level.write_text('id = "decomposed"\nworld = "world-2010"\nstart = "2010Q3"\nend = "2011Q2"\n'
                     'title = { en = "Cafe\u0301", ja = "か\u3099" }\nbriefing = { en = "Pin\u0303a", ja = "端" }\n',
                     encoding="utf-8")
    read = load_level(level)
    assert read.title == {"en": "Caf\u00e9", "ja": "\u304c"} and read.briefing["en"] == "Pi\u00f1a"


def test_a_roles_text_naming_more_than_the_threshold_is_refused_not_a_traceback(tmp_path):
    text = SHIPPED_ROLES.read_text(encoding="utf-8")
    for field in ("{threshold[0]}", "{threshold:>999999999}", "{threshold.real}", "{other}"):
        path = tmp_path / "roles.toml"
        path.write_text(text.replace("{threshold:.2f}", field, 1), encoding="utf-8")
        with pytest.raises(ScenarioError) as caught:
            load_roles(path)
        assert [p.key for p in caught.value.problems] == ["roles[1].objectives[0].text.en"], field


def test_a_campaign_beside_its_levels_names_them_and_no_others(tmp_path):
    (tmp_path / "my-level.toml").write_text("", encoding="utf-8")
    path = tmp_path / "campaign.toml"
    path.write_text('title = { en = "x", ja = "x" }\n[[level]]\nid = "my-level"\n[[level]]\nid = "2010-trawler"\n'
                    '[[level]]\nid = "nowhere"\n', encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_campaign(path)
    assert [(p.key, "no level 'nowhere'" in p.message) for p in caught.value.problems] == [("level[2].id", True)]


def test_a_japanese_fact_holding_a_control_character_is_left_in_english(tmp_path, monkeypatch):
    path = tmp_path / "facts_ja.toml"
    path.write_text('[jp_imports_2010]\nquantity = "数量"\nnote = "注\\u001b[2J"\n\n'
                    '[jp_imports_2014]\nquantity = "数量"\nnote = "注"\n', encoding="utf-8")
    monkeypatch.setattr(reference, "facts_ja_path", lambda: path)
    reference.japanese_facts.cache_clear()
    try:
        assert reference.fact_note_ja("jp_imports_2010") is None
        assert reference.fact_note_ja("jp_imports_2014") == ("数量", "注")
    finally:
        reference.japanese_facts.cache_clear()


def test_validate_prints_a_files_first_problems_and_counts_the_rest(tmp_path):
    """A level of 20,000 unknown keys printed 20,000 lines."""
    from game.cli import MOST_PROBLEMS_SHOWN

    level = tmp_path / "many.toml"
    level.write_text('id = "many"\n' + "".join(f"k{i} = 1\n" for i in range(2000)), encoding="utf-8")
    result = rare_earths("levels", "validate", str(level))
    lines = result.stdout.splitlines()
    assert result.returncode == 1 and len(lines) == MOST_PROBLEMS_SHOWN + 1
    assert all(line.startswith(f"{level}: ") for line in lines)
    problems = len(problems_of(level))
    assert lines[-1] == f"{level}: ... and {problems - MOST_PROBLEMS_SHOWN:,} more problems"


def test_validate_names_a_historys_unknown_project_with_the_levels_other_problems(tmp_path):
    """A level's reference problems were said only once its other problems were mended: an
    author ran `levels validate` twice to see them all."""
    text = (BROKEN / "history-names-no-such-project.toml").read_text(encoding="utf-8")
    path = tmp_path / "two-problems.toml"
    path.write_text(text.replace('id = "history-names-no-such-project"', 'id = "two-problems"\ncolour = "red"'),
                    encoding="utf-8")
    assert {p.key for p in problems_of(path)} == {"colour", "history[0].actions[1].project"}
    result = rare_earths("levels", "validate", str(path))
    assert result.returncode == 1 and "colour" in result.stderr + result.stdout
    assert "no project 'no-such-project'" in result.stderr + result.stdout
