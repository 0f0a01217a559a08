"""The sandbox level: free play from 2010Q3 to 2035Q4 on world-2010, with every dated row of the
reference timeline either an event or a note saying why not, every source a real fact id or
timeline row, and Japan's history played without a refused action."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pytest
import tomli

from game.players import controller_for
from game.scenario import levels_dir, load_level
from game.session import Session
from game.vocab.quarters import Quarter

LEVEL = levels_dir() / "sandbox.toml"
REFERENCE = Path(__file__).resolve().parent.parent / "levels" / "reference"
FIRST_DAY = dt.date(2010, 7, 1)
#: A cited timeline row: "timeline 2010-09-29 (AP via Washington Times)" or "timeline 2010-12 (...)".
TIMELINE_CITATION = re.compile(r"^timeline (\d{4}-\d{2}(?:-\d{2})?)$")
#: A date as written in the notes: 2009, 2010-05 or 2010-09-29, never part of 2010Q3 or 50,145.
NOTE_DATE = re.compile(r"(?<![\w,.])\d{4}(?:-\d{2}(?:-\d{2})?)?(?![\w])")


@pytest.fixture(scope="module")
def level():
    return load_level(LEVEL)


@pytest.fixture(scope="module")
def raw():
    return tomli.loads(LEVEL.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def fact_ids() -> set[str]:
    facts = tomli.loads((REFERENCE / "facts.toml").read_text(encoding="utf-8"))
    return {fact["id"] for fact in facts["fact"]}


@pytest.fixture(scope="module")
def timeline() -> list[str]:
    with (REFERENCE / "timeline.csv").open(encoding="utf-8", newline="") as file:
        return [row["date"] for row in csv.DictReader(file)]


def _day(text: str) -> dt.date:
    """A timeline date (2009, 2010-12 or 2010-12-06) as its first day."""
    parts = [int(p) for p in text.split("-")] + [1, 1]
    return dt.date(*parts[:3])


def _cited(source: str) -> list[str]:
    """The parts of a source: parenthesised remarks dropped, split at commas and semicolons."""
    bare = re.sub(r"\([^)]*\)", "", source)
    return [part.strip() for part in re.split(r"[,;]", bare) if part.strip()]


def test_the_level_validates_and_spans_2010q3_to_2035q4(level):
    assert level.id == "sandbox"
    assert level.world.id == "world-2010"
    assert level.start == Quarter(2010, 3)
    assert level.end == Quarter(2035, 4)
    assert level.title.get("en") and level.title.get("ja")
    assert level.briefing.get("en") and level.briefing.get("ja")
    assert level.notes.get("what_happened") and level.notes.get("not_represented")


def test_every_timeline_row_from_2010_07_is_an_event_or_explained(level, timeline):
    event_days = {event.date for event in level.events}
    explained = set(NOTE_DATE.findall(level.notes["not_represented"]))
    missing = []
    for date in timeline:
        if _day(date) < FIRST_DAY:
            continue
        if len(date) == 10:
            covered = _day(date) in event_days
        else:  # a month-only row: any event that month
            covered = any((d.year, d.month) == (_day(date).year, _day(date).month) for d in event_days)
        if not covered and date not in explained:
            missing.append(date)
    assert not missing, f"timeline rows neither events nor in notes.not_represented: {missing}"


def test_rows_before_the_level_are_listed_as_outside_it(level, timeline):
    explained = set(NOTE_DATE.findall(level.notes["not_represented"]))
    early = [d for d in timeline if _day(d) < FIRST_DAY]
    assert early and set(early) <= explained


def test_every_source_names_a_fact_or_a_timeline_row(raw, fact_ids, timeline):
    rows = set(timeline)
    tables = [("events", e) for e in raw["events"]] + [("history", h) for h in raw.get("history", [])] \
        + [("projects", p) for p in raw.get("projects", []) if "source" in p]
    bad = []
    for table, item in tables:
        parts = _cited(item.get("source", ""))
        if not parts:
            bad.append((table, item.get("date") or item.get("quarter") or item.get("id"), "no source"))
        for part in parts:
            citation = TIMELINE_CITATION.match(part)
            if citation and citation.group(1) in rows:
                continue
            if part in fact_ids:
                continue
            bad.append((table, item.get("date") or item.get("quarter") or item.get("id"), part))
    assert not bad, f"sources that are neither a fact id nor a timeline row: {bad}"


def test_the_level_sources_are_fact_ids(raw, fact_ids):
    assert set(raw["sources"]) <= fact_ids


def test_events_are_written_in_date_order(raw):
    dates = [_day(event["date"]) for event in raw["events"]]
    out_of_order = [(a, b) for a, b in zip(dates, dates[1:]) if b < a]
    assert not out_of_order, f"events out of date order: {out_of_order}"


def test_events_fall_inside_the_level(level):
    assert all(level.start <= event.quarter <= level.end for event in level.events)


def test_history_plays_to_the_end_without_a_refused_action(level):
    session = Session(level, controller_for("history", level), seed=0)
    try:
        session.run()
        assert session.is_over
        assert len(session.rows()) == level.n_turns
        refused = [(str(r.quarter), r.action.kind, r.message) for r in session.actions if not r.accepted]
        assert not refused, f"refused history actions: {refused}"
        turns_with_actions = {t.quarter for t in level.history if t.actions}
        assert {r.quarter for r in session.actions} == turns_with_actions
    finally:
        session.close()
