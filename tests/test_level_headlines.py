"""Every shipped level's events carry a Japanese headline (``headline_ja``).

The window shows ``headline_ja`` when the player chooses Japanese, so each event needs one that
really is a translation (it differs from the English unless the English is only digits and
Latin names, such as "WTO DS431"), fits on one line, and reads the same wherever the same
English headline appears: the sandbox repeats many of the scenario levels' events.

When a test here fails after a level gains an event, add ``headline_ja = "..."`` directly
after its ``headline`` line (reuse the translation of an identical English headline found in
another level), then rerun ``python assets/tools/subset_font.py`` if it brings new kanji.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
import tomli

from game.scenario import load_level, shipped_level_paths
from game.spec import Scenario

LEVELS = shipped_level_paths()
#: Hiragana, katakana and CJK ideographs: a translation holds at least one of them.
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
#: A word that may stay as it is: digits, or a Latin name or acronym (capital first).
NAME_OR_NUMBER = re.compile(r"[\d.,%/:()\-–]+|[A-Z][\w.&'/\-]*")


@cache
def level(path: Path) -> Scenario:
    return load_level(path)


def only_names_and_numbers(text: str) -> bool:
    """True for a headline with nothing to translate, such as "WTO DS431" or "2010"."""
    words = re.findall(r"\S+", text)
    return bool(words) and all(NAME_OR_NUMBER.fullmatch(word.strip(",;:()'\"")) for word in words if word.strip(",;:()'\""))


def test_there_are_shipped_levels_with_events():
    assert LEVELS, "no shipped levels found"
    assert sum(len(level(path).events) for path in LEVELS) > 0


def test_the_exemption_is_narrow():
    assert only_names_and_numbers("WTO DS431")
    assert only_names_and_numbers("2010")
    assert not only_names_and_numbers("Japan arrests the trawler captain")
    assert not only_names_and_numbers("China's mining quota: 105,000 t")


@pytest.mark.parametrize("path", LEVELS, ids=[p.stem for p in LEVELS])
def test_every_event_has_a_japanese_headline(path: Path):
    problems = []
    for event in level(path).events:
        where = f"{event.date.isoformat()} {event.headline!r}"
        ja = event.headline_ja
        if not ja or not ja.strip():
            problems.append(f"{where}: no headline_ja")
        elif "\n" in ja or "\r" in ja:
            problems.append(f"{where}: headline_ja spans several lines")
        elif ja.strip() == event.headline.strip() and not only_names_and_numbers(event.headline):
            problems.append(f"{where}: headline_ja is the English headline")
        elif not JAPANESE.search(ja) and not only_names_and_numbers(event.headline):
            problems.append(f"{where}: headline_ja {ja!r} has no Japanese in it")
    assert not problems, f"{path.name}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("path", LEVELS, ids=[p.stem for p in LEVELS])
def test_every_events_table_in_the_file_has_one(path: Path):
    """Read the file itself too, so no [[events]] table escapes the check by being dropped."""
    raw = tomli.loads(path.read_text(encoding="utf-8")).get("events", [])
    assert len(raw) == len(level(path).events)
    missing = [table.get("headline", f"events[{i}]") for i, table in enumerate(raw) if not table.get("headline_ja")]
    assert not missing, f"{path.name}: [[events]] without headline_ja: {missing}"


def test_the_same_english_headline_has_the_same_japanese_everywhere():
    seen: dict[str, tuple[str, str]] = {}
    problems = []
    for path in LEVELS:
        for event in level(path).events:
            if not event.headline_ja:
                continue  # reported by test_every_event_has_a_japanese_headline
            first = seen.setdefault(event.headline, (event.headline_ja, path.name))
            if first[0] != event.headline_ja:
                problems.append(f"{event.headline!r}: {first[0]!r} in {first[1]}, {event.headline_ja!r} in {path.name}")
    assert not problems, "\n  ".join(["the same headline is translated differently:", *problems])
