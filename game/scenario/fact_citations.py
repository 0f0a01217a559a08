"""The reference facts and timeline rows a level or world file names, checked against those the
game ships (``levels/reference``): an id cited that is not there passed validation and was then
shown raw to the player, in a briefing, a debrief or an event's sources.

A file names facts in its ``sources`` list, in the ``source`` of any table (events, objectives,
projects, contracts, history turns, a world's nations, firms and policies), and in the texts the
window shows with citations (the briefing, the ``what_happened`` notes). A ``source`` may be free
text ("assumption: a second pit") with ids in it; every id-shaped word it holds must be a fact.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from game.scenario.reference import facts, timeline
from game.scenario.toml_reader import TomlReader
from game.vocab.fact_ids import FACT_ID

#: A word shaped as a fact's id, as the window's citations find them (game.ui.citations).
_FACT_ID = re.compile(rf"\b{FACT_ID}\b")
#: A timeline row cited in a source: "timeline 2011-03-30 (AFR)" (game.scenario.reference).
_TIMELINE_DATE = re.compile(r"\btimeline (\d{4}(?:-\d{2}){0,2})\b")
#: The notes the window shows, with citations, as what really happened (the others are for
#: whoever reads the file, and may name a key such as starts_from).
SHOWN_NOTES = ("what_happened", "what_happened_en", "what_happened_ja")

_WHERE_FACTS_ARE = "levels/reference/facts.toml"
_WHERE_TIMELINE_IS = "levels/reference/timeline.csv"


def check_cited_facts(reader: TomlReader, data: dict) -> None:
    """Record a problem for each fact id or timeline date ``data`` (a parsed level or world
    file) names that the reference data lacks, at the key that names it."""
    known, rows = facts(), timeline()
    for key, text in _cited_texts(data):
        for fact_id in dict.fromkeys(_FACT_ID.findall(text)):
            if fact_id not in known:
                reader.problem(key, "unknown fact {fact!r} (expected the id of a fact in {where})", fact=fact_id,
                               where=_WHERE_FACTS_ARE)
        for date in dict.fromkeys(_TIMELINE_DATE.findall(text)):
            if date not in rows:
                reader.problem(key, "no timeline row dated {date} in {where}", date=date, where=_WHERE_TIMELINE_IS)


def _cited_texts(data: dict) -> Iterator[tuple[str, str]]:
    """(key path, text) of each text of the file that may cite facts."""
    sources = data.get("sources")
    for i, item in enumerate(sources if isinstance(sources, list) else ()):
        if isinstance(item, str):
            yield f"sources[{i}]", item
    briefing = data.get("briefing")
    if isinstance(briefing, dict):
        for language, text in briefing.items():
            if isinstance(text, str):
                yield f"briefing.{language}", text
    notes = data.get("notes")
    if isinstance(notes, dict):
        for name in SHOWN_NOTES:
            if isinstance(notes.get(name), str):
                yield f"notes.{name}", notes[name]
    yield from _sources_in(data, "")


def _sources_in(value: object, key: str) -> Iterator[tuple[str, str]]:
    """The ``source`` text of every table in ``value``, wherever it sits."""
    if isinstance(value, dict):
        for name, item in value.items():
            where = f"{key}.{name}" if key else str(name)
            if name == "source" and isinstance(item, str):
                yield where, item
            elif isinstance(item, (dict, list)):
                yield from _sources_in(item, where)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _sources_in(item, f"{key}[{i}]")
