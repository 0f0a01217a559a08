"""The campaign levels after the trawler incident: each validates (its events inside its dates),
names a fact id for every figure of its English briefing, cites real facts, plays its history
without a refused action, and scores history at least one star and never below doing nothing."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
import tomli

from game.players import controller_for
from game.scenario import levels_dir, load_level
from game.session import Session

LEVELS = ("2011-spike", "2012-wto", "2013-mud", "2014-urban-mining", "2019-trade-war", "2023-tech-ban",
          "2025-licensing", "2026-deep-sea")
REFERENCE = Path(__file__).resolve().parent.parent / "levels" / "reference"
SEEDS = (0, 1)
#: A figure: a number of two or more digits (30,184, 2011, 77.5) or a percentage (7%), not part of
#: a word or an id (quota_export_2011, Q4).
FIGURE = re.compile(r"(?<![\w.,])\d[\d,.]*\d%?|(?<![\w.,])\d%")
TIMELINE_CITATION = re.compile(r"^timeline (\d{4}-\d{2}(?:-\d{2})?)$")


@pytest.fixture(scope="module")
def fact_ids() -> set[str]:
    facts = tomli.loads((REFERENCE / "facts.toml").read_text(encoding="utf-8"))
    return {fact["id"] for fact in facts["fact"]}


@pytest.fixture(scope="module")
def timeline_dates() -> set[str]:
    with (REFERENCE / "timeline.csv").open(encoding="utf-8", newline="") as file:
        return {row["date"] for row in csv.DictReader(file)}


@pytest.fixture(scope="module")
def levels() -> dict:
    return {name: load_level(levels_dir() / f"{name}.toml") for name in LEVELS}


@pytest.fixture(scope="module")
def results(levels) -> dict:
    """Stars and refused actions of passive and history, per level and seed (played once)."""
    out = {}
    for name, level in levels.items():
        for strategy in ("passive", "history"):
            for seed in SEEDS:
                session = Session(level, controller_for(strategy, level), seed=seed)
                try:
                    session.run()
                    refused = [(str(r.quarter), r.action.kind, r.message) for r in session.actions if not r.accepted]
                    out[name, strategy, seed] = (session.result().stars, refused, len(session.actions))
                finally:
                    session.close()
    return out


def _figures_without_ids(text: str, fact_ids: set[str]) -> list[tuple[str, str]]:
    """Figures not followed, within their sentence, by a parenthesised fact id."""
    missing = []
    for sentence in re.split(r"(?<=[.!?])\s+", " ".join(text.split())):
        for match in FIGURE.finditer(sentence):
            figure = match.group(0)
            if len(re.sub(r"\D", "", figure)) < 2 and not figure.endswith("%"):
                continue
            after = sentence[match.end():]
            cited = {word for group in re.findall(r"\(([^)]*)\)", after) for word in re.split(r"[\s,;]+", group)}
            if not cited & fact_ids:
                missing.append((figure, sentence))
    return missing


def _cited(source: str) -> list[str]:
    """The parts of a source: parenthesised remarks dropped, split at commas and semicolons."""
    bare = re.sub(r"\([^)]*\)", "", source)
    return [part.strip() for part in re.split(r"[,;]", bare) if part.strip()]


@pytest.mark.parametrize("name", LEVELS)
def test_the_level_validates_inside_its_dates(levels, name):
    level = levels[name]
    assert level.id == name
    assert level.world.id == "world-2010"
    assert 6 <= level.n_turns <= 12
    assert level.title.get("en") and level.title.get("ja")
    assert level.briefing.get("en") and level.briefing.get("ja")
    assert level.notes.get("what_happened")
    assert all(level.start <= event.quarter <= level.end for event in level.events)
    assert all(level.start <= turn.quarter <= level.end for turn in level.history)
    assert sorted(o.star for o in level.objectives) == [1, 2, 3]
    assert level.unlocked_actions and level.history


@pytest.mark.parametrize("name", LEVELS)
def test_every_briefing_figure_names_a_fact(levels, fact_ids, name):
    assert not _figures_without_ids(levels[name].briefing["en"], fact_ids)


#: How a citation marks a figure the reference holds at low confidence, per language.
LOW_CONFIDENCE_MARKS = {"en": ("low confidence", "unverified"), "ja": ("確度は低い", "未検証")}


def test_a_briefing_marks_a_low_confidence_figure_as_such():
    """2026-deep-sea's briefing said "experts put its cost at 20 times the market", an expert's
    remark in an interview (mud_cost_multiple: low confidence, not a published study), and
    2019-trade-war's gave 58% of Japan's imports from China, a blog's reading of METI's figures,
    as plainly as a customs count."""
    from game.scenario.catalogue import shipped_level_paths
    from game.scenario.reference import facts

    low = {fact.id for fact in facts().values() if fact.confidence == "low"}
    unmarked = []
    for path in shipped_level_paths():
        briefing = load_level(path).briefing
        for language, marks in LOW_CONFIDENCE_MARKS.items():
            for citation in re.findall(r"[(（]([^()（）]*)[)）]", briefing.get(language, "")):
                if set(re.split(r"[\s,、]+", citation)) & low and not any(mark in citation for mark in marks):
                    unmarked.append((path.stem, language, citation))
    assert not unmarked


def test_the_figure_check_catches_a_bare_figure(fact_ids):
    assert _figures_without_ids("Quotas fell 40% in 2010.", fact_ids)
    assert _figures_without_ids("China cut its quota to 30,258 t.", fact_ids)
    assert not _figures_without_ids("China cut its quota to 30,258 t (quota_export_2010).", fact_ids)
    assert not _figures_without_ids("Relations are cool (ep2010_resume).", fact_ids)


@pytest.mark.parametrize("name", LEVELS)
def test_sources_are_facts_or_timeline_rows(name, fact_ids, timeline_dates):
    raw = tomli.loads((levels_dir() / f"{name}.toml").read_text(encoding="utf-8"))
    assert set(raw["sources"]) <= fact_ids
    items = raw["events"] + raw["history"] + raw.get("projects", []) + raw.get("contracts", [])
    bad = []
    for item in items:
        parts = _cited(item.get("source", ""))
        if not parts:
            bad.append((item.get("date") or item.get("quarter") or item.get("id"), "no source"))
        for part in parts:
            row = TIMELINE_CITATION.match(part)
            if part not in fact_ids and not (row and row.group(1) in timeline_dates):
                bad.append((item.get("date") or item.get("quarter") or item.get("id"), part))
    assert not bad, f"sources that are neither a fact id nor a timeline row: {bad}"


@pytest.mark.parametrize("name", LEVELS)
def test_history_plays_without_a_refused_action(results, name):
    for seed in SEEDS:
        _, refused, taken = results[name, "history", seed]
        assert taken > 0
        assert not refused, f"refused history actions on seed {seed}: {refused}"


@pytest.mark.parametrize("name", LEVELS)
def test_history_earns_a_star_and_passive_no_more(results, name):
    for seed in SEEDS:
        passive, history = results[name, "passive", seed][0], results[name, "history", seed][0]
        assert history >= 1, f"history earns no star on seed {seed}"
        assert passive <= history, f"passive earns {passive} stars, history {history}, on seed {seed}"


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


@pytest.mark.parametrize("name", ("2010-trawler",) + LEVELS)
def test_a_briefing_opens_in_its_level_s_first_quarter_in_both_languages(name):
    """2019-trade-war's briefing opened "May 2019" (and "Xi Jinping has just visited", an event
    of its second quarter) in a level that starts in 2019Q1."""
    level = load_level(levels_dir() / f"{name}.toml")
    english = re.match(rf"({'|'.join(MONTHS)}) (\d{{4}})", level.briefing["en"])
    japanese = re.match(r"(\d{4})年(\d{1,2})月", level.briefing["ja"])
    assert english and japanese, (level.briefing["en"][:40], level.briefing["ja"][:20])
    start = str(level.start)
    assert f"{english.group(2)}Q{MONTHS.index(english.group(1)) // 3 + 1}" == start, english.group(0)
    assert f"{japanese.group(1)}Q{(int(japanese.group(2)) - 1) // 3 + 1}" == start, japanese.group(0)


def test_the_trade_war_s_briefing_says_how_the_game_counts_a_stockpile_s_days():
    """Its news and notes quote Japan's real targets (60 days a mineral, up to about 180 for the
    riskiest) beside an objective of 40 days, which the game counts over every material at once,
    weighted by value: the briefing says so, in both languages, beside the real targets' source."""
    level = load_level(levels_dir() / "2019-trade-war.toml")
    assert any(o.indicator == "japan_stockpile_days" and o.threshold == 40 for o in level.objectives)
    english, japanese = level.briefing["en"], level.briefing["ja"]
    assert "every material" in english and "worth" in english and "60 days" in english, english
    assert "すべての鉱種" in japanese and "価値" in japanese and "60日分" in japanese, japanese
    for text in (english, japanese):
        assert "jp_stockpile_2020_reform" in text.split("60")[1][:120], text


def test_a_shown_source_names_the_publication_not_the_copy_the_project_read():
    """"出典: USGS, Mineral Commodity Summaries 2026: Rare Earths (Feb 2026, v1.3; frozen copy in
    GitHub repo ...)" on an event page: where the project read a source is its provenance, kept
    in the reference file but never shown to a player or a class."""
    from game.scenario.reference import facts, timeline

    copy = re.compile(r"GitHub|\brepo\b|\bcopy\b|mirror|docslib|fdocuments|issuu|MarketScreener|reproduced on", re.I)
    shown = [fact.id for fact in facts().values() if copy.search(fact.source)]
    shown += [row.date for row in timeline().values() if copy.search(row.source)]
    assert shown == []
    world_2024 = facts()["prod_world_2024"]
    assert world_2024.source.startswith("USGS, Mineral Commodity Summaries 2026: Rare Earths (Feb 2026)")
    assert "GitHub repo" in world_2024.provenance
