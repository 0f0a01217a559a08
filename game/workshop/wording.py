"""The English lines of a workshop's results files (action messages, headlines, objectives'
reasons) in another language, for the debrief page: each line is matched against the string
table's templates (``"{firm} is mothballed"``) and the language's template filled with the
matched names in that language. A line no template words as a whole stays as it is. Every line,
English too, then writes money below zero as the window does (``sign_before_money``): results
files written before the game's own English did so hold "US$-22M"."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from game.actions import ACTION_TYPES
from game.spec import RolesSpec, Scenario
from game.ui.strings import nation_said_once, table
from game.vocab.english import english_forms
from game.vocab.money import sign_before_money

#: A template's field, with its format, which may hold a field of its own ("{bought:,.{decimals}f}":
#: read as "{bought:,.{decimals}" and "f}", it left every stockpile bid in English on the page).
FIELD = re.compile(r"\{(\w+)(?:[^{}]|\{\w+\})*\}")
#: What stays as it is in any language: a figure, a quarter or a span of quarters.
FIGURE = re.compile(r"[-+−]?[\d.,]+%?|\d{4}Q[1-4](?:-\d{4}Q[1-4])?")


class Wording:
    """The English lines of a results file (action messages, headlines, reasons) in the page's
    language: the string table's template that matches a line, filled with its names in that
    language; a nation's name from the roles file or the world file."""

    def __init__(self, language: str, scenario: Scenario | None, roles: RolesSpec | None):
        self.language = language
        self.table = table(language) if language != "en" else {}
        self.names: dict[str, str] = {}  # English name -> the language's
        self.codes: dict[str, dict[str, str]] = {}  # nation code -> {language: name}
        if scenario:
            for nation in scenario.world.nations:
                self.codes[nation.code] = {"en": nation.name, "ja": nation.name_ja or nation.name}
            self.names.update(scenario.world.names_ja())  # a firm's under each of its owners
            self.names.update({e.headline: e.headline_ja for e in scenario.events if e.headline_ja})
        for role in roles.roles if roles else ():
            self.codes[role.code] = dict(role.name)
            if role.name.get("ja"):
                self.names[role.name.get("en", role.code)] = role.name["ja"]
        self.templates: list[tuple[re.Pattern, str]] = []
        for key, value in sorted(self.table.items(), key=lambda kv: (-len(FIELD.sub("", kv[0])), kv[0])):
            if "{" in key and FIELD.sub("", key).strip():
                # as English wrote the line for its names: "Baotou separation plants sign", "Lynas' project"
                self.templates += [(template_pattern(form), value) for form in english_forms(key)]
        self.cache: dict[str, str] = {}

    def nation(self, code: str) -> str:
        names = self.codes.get(code, {})
        return names.get(self.language) or names.get("en") or code

    def action(self, entry: Mapping[str, Any]) -> str:
        """What an action did, in the page's language."""
        message = str(entry.get("message", ""))
        if self.language == "en":
            return sign_before_money(message) or str(entry["action"].get("kind", ""))
        worded = self.text(message) if message else message
        if worded != sign_before_money(message):
            return worded
        action = entry["action"]
        cls = ACTION_TYPES.get(str(action.get("kind")))
        label = self.text(cls.label) if cls and cls.label else str(action.get("kind", ""))
        figures = [f"{v:,.4g}" if isinstance(v, (int, float)) else self.text(v) for k, v in action.items()
                   if k != "kind" and not isinstance(v, bool) and (isinstance(v, (int, float)) or
                                                                  (isinstance(v, str) and self._word(v, 0)))]
        return f"{label}（{'、'.join(figures)}）" if figures else label

    def text(self, english: str) -> str:
        """An English line in the page's language; as it is where the table cannot word it."""
        if self.language == "en" or not english:
            return sign_before_money(english)
        if english not in self.cache:
            self.cache[english] = sign_before_money(self._word(english, 0) or english)
        return self.cache[english]

    def _word(self, english: str, depth: int) -> str | None:
        """A name, a figure, a list of them, or a line a template of the table matches with every
        field worded in turn; None for anything else (a template matching "China cuts exports
        to Japan" as "{start} to {end}" would word nonsense)."""
        known = self.table.get(english) or self.names.get(english) or self.codes.get(english, {}).get(self.language)
        if known or FIGURE.fullmatch(english):
            return known or english
        if depth >= 3:
            return None
        for pattern, value in self.templates:
            match = pattern.fullmatch(english)
            if match is None:
                continue
            filled = {name: self._word(v, depth + 1) for name, v in match.groupdict().items()}
            if all(v is not None for v in filled.values()):
                said = nation_said_once(value, filled)
                return FIELD.sub(lambda m, f=said: f.get(m.group(1)) or m.group(0), value)
        items = english.split(", ")
        worded = [self._word(item, depth + 1) for item in items] if len(items) > 1 else [None]
        return "、".join(w for w in worded if w) if all(worded) else None


def template_pattern(template: str) -> re.Pattern:
    """A template as a regular expression whose groups are its fields."""
    parts = FIELD.split(template)
    expression, seen = "", set()
    for i, part in enumerate(parts):
        if i % 2 == 0:
            expression += re.escape(part)
        elif part in seen:
            expression += f"(?P={part})"
        else:
            seen.add(part)
            expression += f"(?P<{part}>.+?)"
    return re.compile(expression, re.DOTALL)
