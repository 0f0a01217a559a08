"""Level files are checked, never trusted: every broken file gives a one-line problem naming
the file, the key path and what was expected, and nothing a file holds gives a traceback.

``tests/broken_levels/`` holds one broken level per problem; ``expected.toml`` there says which
key each must name and a fragment of its message. The fuzz tests mutate the shipped files.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import mesa
import pytest
import tomli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agents.firm import FirmAgent
from game.scenario import Problem, ScenarioError, levels_dir, load_level, load_world, shipped_level_paths
from game.spec import Scenario

REPO_ROOT = Path(__file__).resolve().parent.parent
BROKEN = Path(__file__).resolve().parent / "broken_levels"
EXPECTED: dict[str, dict[str, str]] = tomli.loads((BROKEN / "expected.toml").read_text(encoding="utf-8"))
SHIPPED_LEVEL = levels_dir() / "2010-trawler.toml"
SHIPPED_WORLD = levels_dir() / "world-2010.toml"


def rare_earths(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
    return subprocess.run([sys.executable, "-m", "game", *args], cwd=REPO_ROOT, env=env,
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
    prefix = f"{where}: {entry['key']}: " if entry["key"] else f"{where}: "
    assert any(line.startswith(prefix) and entry["contains"] in line for line in result.stdout.splitlines()), \
        f"no line starting {prefix!r} containing {entry['contains']!r}"


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

#: TOML values of every type, for "replace a value with one of another type".
TOML_VALUES = ['"text"', '""', '"2010Q5"', '"2010-02-30"', '"../etc"', '"nope"', '"world-2010"', '"CHN"',
               "0", "-1", "-0.5", "1e300", "-1e300", "nan", "inf", "-inf", "1" + "0" * 400, "9" * 5000, "0x7fffffffffffffff",
               "true", "false", "2010-09-21", "2010-09-21T12:00:00Z", "12:00:00", "[]", "{}", '[1, "a"]',
               "[[1, 2], [3]]", '{ ndpr = "x" }', "{ ndpr = -1, gold = 2 }", '[{ kind = "x" }]']
#: A value after ``key =``: a short string, a number, a boolean, a one-line array or inline table.
_VALUE = re.compile(rb'([A-Za-z_][A-Za-z0-9_]* = )("[^"\n]*"|[-+0-9.eE_]+|true|false|\[[^\]\n]*\]|\{[^}\n]*\})')
#: Replacing a value is listed three times: it is the mutation that reaches the checks past the parser.
MUTATIONS = ("truncate", "flip_bit", "insert_bytes", "replace_value", "replace_value", "replace_value",
             "delete_line", "duplicate_line")


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
            spots = list(_VALUE.finditer(text))
            if spots:
                spot = choose.pick(spots)
                text = text[:spot.start(2)] + choose.pick(TOML_VALUES).encode() + text[spot.end(2):]
        elif kind in ("delete_line", "duplicate_line"):
            lines = text.splitlines(keepends=True)
            if lines:
                i = choose.integer(0, len(lines) - 1)
                lines[i:i + 1] = [] if kind == "delete_line" else [lines[i], lines[i]]
                text = b"".join(lines)
    return text


def check_load(level: Path, *files: Path) -> None:
    """``load_level`` must give a Scenario or a ScenarioError naming the files: nothing else."""
    try:
        result = load_level(level)
    except ScenarioError as error:
        assert error.problems, "a ScenarioError with no problems"
        for problem in error.problems:
            assert problem.path in {str(f) for f in (level, *files)}, problem
            assert problem.message, problem
            assert "\n" not in str(problem), problem
    else:
        assert isinstance(result, Scenario)


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("fuzz")
    shutil.copy(SHIPPED_WORLD, folder / "world-2010.toml")
    shutil.copy(SHIPPED_LEVEL, folder / "2010-trawler.toml")
    return folder


def fuzz_level(folder: Path, mutated: bytes) -> None:
    level = folder / "mutated-level.toml"
    level.write_bytes(mutated)
    check_load(level, folder / "world-2010.toml")


def fuzz_world(folder: Path, mutated: bytes) -> None:
    world = folder / "world-2010.toml"
    world.write_bytes(mutated)
    try:
        check_load(folder / "2010-trawler.toml", world)
        try:
            load_world(world)
        except ScenarioError as error:
            assert all(p.path == str(world) and p.message for p in error.problems)
    finally:
        shutil.copy(SHIPPED_WORLD, world)


FUZZ_SETTINGS = settings(max_examples=250, deadline=None, database=None,
                         suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                                HealthCheck.data_too_large])


@FUZZ_SETTINGS
@given(data=st.data())
def test_fuzzed_level_loads_or_raises_scenario_error(fuzz_dir, data):
    fuzz_level(fuzz_dir, mutate(SHIPPED_LEVEL.read_bytes(), Chooser(data=data)))


@FUZZ_SETTINGS
@given(data=st.data())
def test_fuzzed_world_loads_or_raises_scenario_error(fuzz_dir, data):
    fuzz_world(fuzz_dir, mutate(SHIPPED_WORLD.read_bytes(), Chooser(data=data)))


@pytest.mark.parametrize("seed", range(4))
def test_seeded_mutations_load_or_raise_scenario_error(fuzz_dir, seed):
    """The same mutations from a fixed seed, so a run is repeatable whatever hypothesis explores."""
    rng = random.Random(seed)
    level, world = SHIPPED_LEVEL.read_bytes(), SHIPPED_WORLD.read_bytes()
    for _ in range(150):
        fuzz_level(fuzz_dir, mutate(level, Chooser(rng=rng)))
        fuzz_world(fuzz_dir, mutate(world, Chooser(rng=rng)))


@pytest.mark.parametrize("value", TOML_VALUES)
def test_every_value_type_in_every_slot_of_the_level(fuzz_dir, value):
    """Each TOML value in place of each value of the level, one at a time (a systematic sweep)."""
    text = SHIPPED_LEVEL.read_bytes()
    for spot in _VALUE.finditer(text):
        fuzz_level(fuzz_dir, text[:spot.start(2)] + value.encode() + text[spot.end(2):])
