"""What a workshop's views say, in the player's language.

The views (game.workshop.views) are plain data in English, as the engine words them: nation and
firm names, news headlines and templates, what an action did (a ``said`` template and its
fields), objectives' reasons. The level they come from gives the Japanese names and headlines
(read here from the shipped level by its id, so a team's machine on the network words them the
same); templates and other words go through the string table. A text this cannot word shows in
English, never as an error.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from game.objectives import NOT_MEASURED, NOT_MEASURED_AT_ALL, RULES
from game.scenario import ScenarioError
from game.scenario.roles_file import load_roles
from game.ui import levels
from game.ui.strings import nation_said_once
from game.ui.text import long_date
from game.vocab.nations import CHINA
from game.workshop.figures import FIGURES, in_unit
from game.workshop.roles import objectives_of
from game.workshop.views import said_from_data

#: The figures every team's screen charts, before those its objectives judge.
KEY_FIGURES = ("output_index", "china_share", "stockpile_days")
#: The same for a team playing a company.
COMPANY_KEY_FIGURES = ("cash_musd", "debt_musd", "oxide_t")
#: What the projector's card of a role shows, by what it plays (a company's card read "-" for
#: a nation's output, China share and budget, which its rows do not hold).
CARD_FIGURES = {"nation": ("output_index", "china_share", "budget_musd"), "company": COMPANY_KEY_FIGURES}
#: What a team's line about another role shows, by what it plays.
LINE_FIGURES = {"nation": ("output_index", "china_share"), "company": ("cash_musd", "oxide_t")}

#: A nation's figures about its dealings with China, which say nothing of China itself (its
#: team's chart and its card read "China share 100%"), and what China's show in their place
#: (None: nothing): its export earnings, what pressing its buyers costs it (its share of the
#: world's mining, the other side of its leverage, is one of its objectives: its team charts it).
ABOUT_CHINA = {"china_share": "export_value_musd", "tension_with_china": "highest_tension",
               "received_outside_china_t": None}


def figures_for(code: str, columns: Iterable[str]) -> tuple[str, ...]:
    """``columns`` as the role ``code`` shows them: each once, and for China, its own figures in
    place of those about China (``ABOUT_CHINA``)."""
    shown: list[str] = []
    for column in columns:
        if code == CHINA and column in ABOUT_CHINA:
            column = ABOUT_CHINA[column]
        if column is not None and column not in shown:
            shown.append(column)
    return tuple(shown)


#: A lever's fields as its form names them, by the field's name in the action.
FIELD_LABELS = {
    "material": "Material", "materials": "Materials", "partner": "Partner", "partners": "With",
    "respondent": "Against", "project": "Project", "seller": "Seller", "firm": "Supplier", "recycler": "Plant",
    "tonnes": "Tonnes", "tonnes_per_year": "Tonnes a year", "max_price_usd_per_kg": "Price cap",
    "amount_musd": "Money", "offtake_tpy": "Offtake", "years": "Years", "price_usd_per_kg": "Price",
    "rate": "Rate", "approval_rate": "Approved", "collection_rate": "Collected", "usd_per_kg": "Royalty",
    "enforcement": "Enforced",
}

#: The English reasons game.objectives gives, and how each is worded again.
_NOT_REACHED = re.compile(r"^(\S+) not reached yet$")
_NO_SPAN = "no quarter of its span played yet"
_NOT_MEASURED = re.compile("^" + re.escape(NOT_MEASURED).replace(re.escape("{quarter}"), r"(\S+)") + "$")
_DECIDED = re.compile(r"^(lowest|highest|value) (\S+) in (\S+), threshold (.+) (\S+)$")
_SHOWN = {"lowest": "lowest {value}", "highest": "highest {value}", "average": "average {value}"}


class WorkshopWords:
    """The words of one level's workshop: its nations' and firms' names and its events'
    headlines in Japanese, and each role's objectives (what indicator each judges)."""

    def __init__(self, level: str):
        self.level = level
        self.names_ja: dict[str, str] = {}
        self.headlines_ja: dict[str, str] = {}
        self._indicators: dict[str, str] = {}  # objective id -> the column it judges
        self.role_names: dict[str, dict[str, str]] = {}  # role code -> its name, {en, ja}
        self.situations: dict[str, dict[str, str]] = {}  # role code -> its position, {en, ja} (its role card's)
        try:
            roles = load_roles()
        except (ScenarioError, OSError):
            return
        self.role_names = {role.code: dict(role.name) for role in roles.roles}
        self.situations = {role.code: dict(role.situation) for role in roles.roles}
        try:
            scenario = levels.scenario(level)
        except (ScenarioError, OSError, LookupError):  # a level this machine does not have: English names
            return
        self.names_ja = scenario.world.names_ja()
        self.headlines_ja = {e.headline: e.headline_ja for e in scenario.events if e.headline_ja}
        for role in roles.roles:
            for objective in objectives_of(role, scenario):
                self._indicators[objective.id] = objective.indicator

    # --- names and news -----------------------------------------------------------------
    def nation(self, code: str, language: str) -> str:
        """A role's nation by its code, in ``language`` (the code itself if no role has it)."""
        names = self.role_names.get(code)
        if not names:
            return code
        return names.get(language) or names.get("en") or code

    def situation(self, code: str, language: str) -> str:
        """A role's position as its role card gives it ("" for a role without one)."""
        texts = self.situations.get(code, {})
        return texts.get(language) or texts.get("en", "")

    def name(self, text: str, language: str) -> str:
        """A nation's or firm's name (or a label that starts with one) in ``language``."""
        if language != "ja" or not text:
            return text
        if text in self.names_ja:
            return self.names_ja[text]
        head = max((n for n in self.names_ja if text.startswith(n + " ")), key=len, default=None)
        return self.names_ja[head] + text[len(head):] if head else text

    def headline(self, item: dict[str, Any], language: str, tr: Callable[..., str]) -> str:
        """A news item's headline in ``language``: a scheduled event's own Japanese headline,
        or the world's template translated and filled with names in that language."""
        headline = str(item.get("headline", ""))
        if language == "en":
            return headline
        if headline in self.headlines_ja:
            return self.headlines_ja[headline]
        template, fields = item.get("template") or "", item.get("fields") or {}
        if not template or not fields:
            return headline
        worded = {k: self._word(v, tr) if isinstance(v, str) else v for k, v in fields.items()}
        return tr(template, **nation_said_once(tr(template), worded))

    def _word(self, text: str, tr: Callable[..., str]) -> str:
        return self.names_ja.get(text) or self.headlines_ja.get(text) or tr(text)

    def action_text(self, record: dict[str, Any], language: str, tr: Callable[..., str]) -> str:
        """What an action did, or why it was refused, in ``language`` (as Game.action_text)."""
        said = record.get("said")
        if language == "en" or not said:
            return str(record.get("message", ""))
        return self.said(said, language, tr)

    def said(self, said: dict[str, Any], language: str, tr: Callable[..., str]) -> str:
        """A view's Said (``views.said_data``: a template and its fields) in ``language``, the
        names in it in that language."""
        made = said_from_data(said)
        if language == "en":
            return str(made)
        return made.worded(tr, lambda text: self._word(text, tr), separator="、")

    @staticmethod
    def event_date(event: dict[str, Any], language: str) -> str:
        """A waiting event's date in Japanese as the news writes it ("2011年1月1日", not
        "2011-01-01"); in English, and where it is not an ISO date, as it came."""
        text = str(event.get("date") or "")
        if language != "ja":
            return text
        try:
            return long_date(date.fromisoformat(text), language)
        except ValueError:
            return text

    def event_headline(self, event: dict[str, Any], language: str) -> str:
        """A waiting event of the facilitator's view in ``language``."""
        if language == "ja":
            return str(event.get("headline_ja") or event.get("headline", ""))
        return str(event.get("headline", ""))

    # --- objectives -----------------------------------------------------------------------
    def indicator(self, objective: dict[str, Any]) -> str | None:
        """The column of a nation's figures an objective judges (Japan's level objectives judge
        ``japan_...`` columns: the nation's own ``...``), or None if it is none of them."""
        column = objective.get("indicator") or self._indicators.get(str(objective.get("id", "")), "")
        if column not in FIGURES and column.startswith("japan_"):
            column = column[len("japan_"):]
        return column if column in FIGURES else None

    @staticmethod
    def decided(reason: str) -> bool:
        """Whether a verdict's reason says something decided it yet (a quarter played in its span,
        or its date reached)."""
        return reason != _NO_SPAN and _NOT_REACHED.match(reason) is None and WorkshopWords.measured(reason)

    @staticmethod
    def measured(reason: str) -> bool:
        """False for an objective the game was ended before (its date or span never reached)."""
        return reason != NOT_MEASURED_AT_ALL and _NOT_MEASURED.match(reason) is None

    @staticmethod
    def reason(text: str, tr: Callable[..., str], unit: str = "") -> str:
        """An objective's reason (game.objectives' English) in the player's language; ``unit``:
        the format of its indicator's figures (``FIGURES``), which its value and threshold take
        ("US$700M", "90 days"), or "" for figures as they are."""
        if text == _NO_SPAN:
            return tr("no quarter of its span played yet")
        match = _NOT_REACHED.match(text)
        if match:
            return tr("{quarter} not reached yet", quarter=match.group(1))
        match = _NOT_MEASURED.match(text)
        if match:
            return tr(NOT_MEASURED, quarter=match.group(1))
        if text == NOT_MEASURED_AT_ALL:
            return tr(NOT_MEASURED_AT_ALL)
        match = _DECIDED.match(text)
        if match and match.group(4) in {words for words, _ in RULES.values()}:
            shown, value, where, words, threshold = match.groups()
            if shown == "value" and words.startswith("on average"):  # an average over the span so far
                shown = "average"
            if unit:  # the reason's figures as they are, rounded as it rounds them, in the unit
                value, threshold = (in_unit(figure, tr(unit)) for figure in (value, threshold))
            value = tr(_SHOWN[shown], value=value) if shown in _SHOWN else value
            needs = tr("needs {rule} {threshold}", rule=tr(words), threshold=threshold)
            return tr("{value} ({where}); {needs}", value=value, where=where, needs=needs)
        return text


def figure_text(tr: Callable[..., str], column: str, value: Any) -> str:
    """A figure's value as it reads (``-`` when there is none yet)."""
    if not isinstance(value, (int, float)):
        return "-"
    return tr(FIGURES[column].shown, v=float(value))
