"""The quarter's events on one dated page: what happened, in date order, each with a short
historical note and its sources from the reference data.

One page a quarter, closed by one press of Enter (or Esc, or Continue), rather than a queue of
pop-ups. A note that mentions a year or a month after the quarter being played, or of a fact
dated after it, is kept for the debrief: it would tell the player how things turned out before
they have decided anything.
"""

from __future__ import annotations

import re

import pygame

from game.scenario.reference import facts_named_in, timeline_named_in
from game.ui.modal import ModalScene
from game.ui.registry import register_scene
from game.ui.text import escape, long_date

_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
#: A month with its year: "Oct 2025", "October 2025" and "2025年10月".
_MONTH_YEAR = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? (19[5-9]\d|20\d\d)(?!\d)")
_YEAR_MONTH_JA = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)年(1[0-2]|[1-9])月")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def tells_the_future(text: str, year: int, last_month: int = 12) -> bool:
    """Whether ``text`` mentions a year after ``year``, or a month of it after ``last_month`` (the
    quarter's last): an outcome the player has not reached. (The 2025Q2 page said that October
    2025 added five elements.)"""
    months = [(int(y), _MONTHS.index(m) + 1) for m, y in _MONTH_YEAR.findall(text)]
    months += [(int(y), int(m)) for y, m in _YEAR_MONTH_JA.findall(text)]
    return any(int(found) > year for found in _YEAR.findall(text)) or any(when > (year, last_month)
                                                                          for when in months)


@register_scene("event")
class EventScene(ModalScene):
    def __init__(self, app, events):
        super().__init__(app)
        self.events = list(events)
        self.body = ""
        self.notes: list[str] = []  # the facts' notes the page shows

    def build(self) -> None:
        app, tr = self.app, self.app.tr
        game = app.game
        language = app.settings.language
        rect = self.frame(760, 520)
        pad = self.u(16)
        quarter = self.events[0].quarter if self.events else game.world.quarter
        heading = tr("{quarter}: what happened this quarter", quarter=quarter)
        self.label(self.rect(pad, pad, rect.w - 2 * pad, self.u(30)), heading, "#heading", container=self.box)
        self.notes = []
        self._facts_shown: set = set()
        self._stories_shown: set[str] = set()  # the timeline's reports named, by address
        dated = sorted(((game.event_date(item), n, item) for n, item in enumerate(self.events)),
                       key=lambda entry: (entry[0] is None, entry[0] or 0, entry[1]))
        lines = []
        for date, _, item in dated:
            when = f"{escape(long_date(date, language))} · " if date is not None else ""
            lines.append(f"<font color='{app.colours.accent}'>{when}</font>"
                         f"<b>{escape(game.headline(item, language, tr))}</b>")
            lines.extend(self._notes(item, quarter))
            lines.append("")
        body_top = pad + self.u(40)
        self.body = "<br>".join(lines).removesuffix("<br>")  # the page's text, as the text box shows it
        self.reading.append(self.text_box(self.rect(pad, body_top, rect.w - 2 * pad, rect.h - body_top - pad - self.u(56)),
                                          self.body, container=self.box))
        bw = self.u(220)
        self.button(self.rect(rect.w - bw - pad, rect.h - self.u(48) - pad // 2, bw, self.u(44)), tr("Continue"),
                    self.back, tr("Back to the turn (Enter or Esc); these events stay in the news."),
                    object_id="#primary", container=self.box)
        self.focus = len(self.focusables) - 1

    def _notes(self, item, quarter) -> list[str]:
        """The event's facts as a reader sees them: the notes, then where they come from, each
        source once (two facts from one alert named it twice, one line under the other)."""
        app, tr = self.app, self.app.tr
        muted = app.colours.muted
        facts = facts_named_in(item.source)
        # A price an event cites is what a figure of the model rests on (a licence's cost on Dy's
        # price), not what happened: its note told how the price series was measured.
        told = [fact for fact in facts if fact.topic != "prices"][:2] or facts[:2]
        notes: dict[str, list[str]] = {}  # a source (its address) -> the notes of its facts shown
        source_lines: dict[str, str] = {}  # a source -> its line, in the order first cited
        for fact in told:
            source = fact.url or fact.source  # one alert cited for two of its facts is one source
            notes.setdefault(source, [])
            if fact.id in self._facts_shown:  # two events of one day from one source: its note once
                source_lines.setdefault(source, f"<font color='{muted}'>"
                                                f"{escape(tr('Source: {source} (as above)', source=fact.source))}</font>")
                continue
            self._facts_shown.add(fact.id)
            quantity, note = app.game.fact_text(fact, app.settings.language)
            shown = note or quantity
            # A fact dated after the quarter (an event of November citing what came of it in
            # January) keeps its source and not its note.
            last_month = 3 * quarter.q
            if shown and not tells_the_future(shown, quarter.year, last_month) \
                    and not fact.after(quarter.year, last_month):
                self.notes.append(shown)
                notes[source].append(escape(shown))
            source_lines.setdefault(source, f"<font color='{muted}'>" + escape(tr(
                "Source: {source} (confidence: {confidence})", source=fact.source,
                confidence=tr(fact.confidence))) + "</font>")
        lines = [text for source, line in source_lines.items() for text in (*notes[source], line)]
        # The report the event's story comes from, first: the facts it cites may be another
        # event's (9 January's WSJ report cited the CNA report of the 6 January ban, "as above",
        # and the WSJ was never named). A report a fact gives already is not named twice.
        stories = timeline_named_in(item.source)
        for story in reversed(stories):
            source = story.url or story.source
            if source in source_lines:
                continue
            # Whole templates, not "Source" + ": ": Japanese writes 「出典：」 and 「出典（同上）：」.
            named = "Source: {source} (as above)" if source in self._stories_shown else "Source: {source}"
            self._stories_shown.add(source)
            lines.insert(0, f"<font color='{muted}'>{escape(tr(named, source=story.source))}</font>")
        if not facts and not stories and item.source:
            lines.append(f"<font color='{muted}'>{escape(tr('Source: {source}', source=item.source))}</font>")
        return lines

    def handle(self, event) -> bool:
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.app.later(self.back)
            return True
        return False

    def back(self) -> None:
        self.app.pop(self)
