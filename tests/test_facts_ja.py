"""The Japanese of the reference facts the levels cite (assets/strings/facts_ja.toml).

Every fact a shipped level names must have a Japanese quantity and note, every entry must be
a real fact, and the Japanese must keep the English's numbers. If a test here fails after a
level gained a citation, add the fact to assets/strings/facts_ja.toml (its header says how).
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from game.scenario import reference
from game.scenario.catalogue import levels_dir
from game.scenario.reference import (
    fact_note_ja,
    fact_wording,
    facts,
    facts_ja_path,
    japanese_facts,
)
from game.scenario.toml_reader import TomlReader, parse_file

ROOT = Path(__file__).resolve().parent.parent
FACTS_JA = ROOT / "assets" / "strings" / "facts_ja.toml"

#: (fact id, "quantity" or "note", number) that the Japanese may lack, with the reason. Empty:
#: every conversion so far is one the check understands (25M = 2,500万, 20bn = 200億).
ALLOWED_MISSING: dict[tuple[str, str, str], str] = {}


def level_texts() -> dict[Path, str]:
    """Every TOML file under levels/ (strategies included), but not the reference data itself."""
    root = ROOT / "levels"
    return {path: path.read_text(encoding="utf-8") for path in sorted(root.rglob("*.toml"))
            if "reference" not in path.relative_to(root).parts}


def cited_fact_ids() -> set[str]:
    """Every fact id any level file names, wherever: sources, briefings, notes, comments."""
    known = facts()
    return {word for text in level_texts().values() for word in re.findall(r"[A-Za-z0-9_]+", text) if word in known}


@pytest.fixture(scope="module")
def raw_table() -> dict:
    reader = TomlReader(str(FACTS_JA))
    data = parse_file(FACTS_JA, reader)
    assert data is not None and not reader.problems, "\n".join(map(str, reader.problems))
    return data


def test_the_game_reads_the_shipped_file():
    assert facts_ja_path().resolve() == FACTS_JA.resolve()
    assert levels_dir().resolve() == (ROOT / "levels").resolve()


def test_levels_cite_facts():
    assert len(cited_fact_ids()) >= 100


def test_every_cited_fact_has_japanese():
    table = japanese_facts()
    missing = sorted(cited_fact_ids() - set(table))
    assert not missing, f"{len(missing)} cited fact(s) lack a Japanese quantity and note in {FACTS_JA.name}: {missing}"
    for fact_id in cited_fact_ids():
        quantity, note = fact_note_ja(fact_id)
        assert quantity and note


def test_every_entry_is_a_real_fact_with_a_quantity_and_a_note(raw_table):
    known = facts()
    unknown = sorted(set(raw_table) - set(known))
    assert not unknown, f"not fact ids of facts.toml: {unknown}"
    for fact_id, item in raw_table.items():
        assert isinstance(item, dict), f"[{fact_id}] must be a table"
        assert set(item) == {"quantity", "note"}, f"[{fact_id}]: keys {sorted(item)}, expected quantity and note"
        for key, value in item.items():
            assert isinstance(value, str) and value.strip(), f"[{fact_id}].{key} is empty"
            assert value == value.strip() and "\n" not in value, f"[{fact_id}].{key}: stray spaces or a newline"
    assert len(japanese_facts()) == len(raw_table)  # no entry the reader drops


def test_the_japanese_is_japanese(raw_table):
    kana_or_kanji = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
    for fact_id, item in raw_table.items():
        for key, value in item.items():
            assert kana_or_kanji.search(value), f"[{fact_id}].{key} has no Japanese: {value!r}"


# --- the numbers ----------------------------------------------------------------------------

#: A number in the English, not glued to a letter before it (H1, Q4, FY2019 and DS431 are
#: names, not figures), with the magnitude written after it: 25M, 20bn, 88 Mt, 19.7k.
_EN_NUMBER = re.compile(r"(?<![A-Za-z0-9])(\d[\d,]*(?:\.\d+)?)(?:\s*(kt|k|Mt|M|bn)\b)?")
_EN_SCALE = {"k": 1e3, "kt": 1e3, "M": 1e6, "Mt": 1e6, "bn": 1e9}
_NUMBER = r"\d[\d,]*(?:\.\d+)?"
#: A Japanese amount written with 万 and 億: 2億2,500万, 10万5,000, 6千.
_JA_AMOUNT = re.compile(rf"((?:{_NUMBER}[兆億万千])+)({_NUMBER})?")
_JA_SCALE = {"兆": 1e12, "億": 1e8, "万": 1e4, "千": 1e3}


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def english_numbers(text: str) -> list[tuple[str, float | None]]:
    """Each number of the English as written (thousands separators dropped) and, when a
    magnitude follows it, its value: "US$132-134M" gives ("132", 132e6) and ("134", 134e6)."""
    matches = list(_EN_NUMBER.finditer(text))
    found = []
    for i, match in enumerate(matches):
        scale = match.group(2)
        if scale is None and i + 1 < len(matches) and matches[i + 1].group(2):
            between = text[match.end():matches[i + 1].start()]
            if between.strip() in ("-", "–"):  # a range takes the magnitude of its end: 5-6 kt
                scale = matches[i + 1].group(2)
        written = match.group(1).rstrip(",").replace(",", "")
        found.append((written, _number(written) * _EN_SCALE[scale] if scale else None))
    return found


def japanese_numbers(text: str) -> tuple[set[str], list[float]]:
    """The numbers of the Japanese as written, and every value it states, 万 and 億 counted."""
    written = {m.rstrip(",").replace(",", "") for m in re.findall(_NUMBER, text)}
    values = [_number(w) for w in written]
    for match in _JA_AMOUNT.finditer(text):
        total = 0.0
        for number, unit in re.findall(rf"({_NUMBER})([兆億万千])", match.group(1)):
            part = _number(number) * _JA_SCALE[unit]
            values.append(part)
            total += part
        if match.group(2):
            total += _number(match.group(2))
        values.append(total)
    return written, values


def missing_numbers(english: str, japanese: str) -> list[str]:
    written, values = japanese_numbers(japanese)
    missing = []
    for number, value in english_numbers(english):
        if number in written or (value is not None and any(math.isclose(value, v, rel_tol=1e-9) for v in values)):
            continue
        missing.append(number)
    return missing


def test_the_number_check_reads_both_ways_of_writing():
    assert missing_numbers("US$25M Sojitz + US$225M loan; ~¥20bn", "US$2,500万＋US$2億2,500万。約200億円") == []
    assert missing_numbers("~US$132-134M; 5-6 kt by 2017; 88 Mt", "約US$1億3,200万〜1億3,400万。2017年までに5〜6千t。8,800万t") == []
    assert missing_numbers("Malaysia 1,218 t vs 9 t in 2013; H1-2012 was 49.3%", "1,218t（2013年は9t）。2012年上半期は49.3%") == []
    assert missing_numbers("Down 34% in 2011", "2011年は減少") == ["34"]
    assert missing_numbers("US$250M", "2億ドル") == ["250"]


def test_the_japanese_keeps_the_numbers_of_the_english(raw_table):
    known = facts()
    wrong = []
    for fact_id, item in raw_table.items():
        fact = known[fact_id]
        pairs = (("quantity", fact.quantity, item["quantity"]), ("note", fact.note or fact.quantity, item["note"]))
        for key, english, japanese in pairs:
            for number in missing_numbers(english, japanese):
                if (fact_id, key, number) not in ALLOWED_MISSING:
                    wrong.append(f"[{fact_id}].{key} lacks {number}: {english!r} -> {japanese!r}")
    assert not wrong, "\n".join(wrong)


# --- reading --------------------------------------------------------------------------------


def test_an_unknown_fact_has_no_japanese():
    assert fact_note_ja("no_such_fact") is None
    assert fact_note_ja("") is None


def test_wording_is_japanese_in_japanese_and_english_otherwise():
    fact = facts()["jp_imports_2010"]
    quantity, note = fact_wording(fact, "ja")
    assert (quantity, note) == fact_note_ja("jp_imports_2010")
    assert "23,310" in note and "中国" in note
    assert fact_wording(fact, "en") == (fact.quantity, fact.note)


def test_a_fact_without_an_english_note_has_a_japanese_one():
    fact = facts()["ep2010_arrest"]
    assert fact.note == ""
    assert fact_note_ja("ep2010_arrest")[1]


@pytest.fixture
def facts_ja_at(monkeypatch):
    """Point the reader at another file (its cache cleared before and after)."""
    def use(path: Path) -> None:
        monkeypatch.setattr(reference, "facts_ja_path", lambda: path)
        reference.japanese_facts.cache_clear()
    yield use
    reference.japanese_facts.cache_clear()


@pytest.mark.parametrize("content", [None, "", "not [ toml", "jp_imports_2010 = 3", b"\xff\xfe\x00",
                                     '[jp_imports_2010]\nquantity = ""\nnote = ""',
                                     '[jp_imports_2010]\nquantity = 1\nnote = ["x"]'])
def test_a_missing_or_broken_file_falls_back_to_english(tmp_path, facts_ja_at, content):
    path = tmp_path / "facts_ja.toml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    facts_ja_at(path)
    assert fact_note_ja("jp_imports_2010") is None
    fact = facts()["jp_imports_2010"]
    assert fact_wording(fact, "ja") == (fact.quantity, fact.note)


def test_a_good_entry_beside_a_broken_one_is_still_read(tmp_path, facts_ja_at):
    path = tmp_path / "facts_ja.toml"
    path.write_text('[jp_imports_2010]\nquantity = "数量"\nnote = "注"\n\n[jp_imports_2014]\nquantity = 3\n',
                    encoding="utf-8")
    facts_ja_at(path)
    assert fact_note_ja("jp_imports_2010") == ("数量", "注")
    assert fact_note_ja("jp_imports_2014") is None
