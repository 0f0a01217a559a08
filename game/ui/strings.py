"""The words on screen in English or Japanese.

The English text is the key (as in gettext): code says ``tr("End turn")`` and the Japanese
table in ``assets/strings/ja.toml`` maps it. A text missing from the table shows in English,
and a test lists every text the UI uses that the table lacks.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import ClassVar

import tomli

from game.asset_paths import assets_dir
from game.vocab.asides import asides_joined
from game.vocab.english import worded_for
from game.vocab.money import sign_before_money

LANGUAGES = ("en", "ja")
ASSETS = assets_dir()


class Language:
    """The current language; scenes ask it for every text they draw."""

    #: Every text asked for since start-up, so a test can check the table covers what was shown.
    asked: ClassVar[set[str]] = set()

    def __init__(self, code: str = "en"):
        self.code = code if code in LANGUAGES else "en"

    def tr(self, text: str, **values: object) -> str:
        """``text`` in the current language, with ``{name}`` fields filled from ``values``."""
        Language.asked.add(text)
        shown = text if self.code == "en" else table(self.code).get(text, text)
        if not values:
            return shown
        english = worded_for(text, values)  # "Team United States' turn", not "States's"
        try:
            filled = english.format(**values) if self.code == "en" else shown.format(**values)
        except (KeyError, IndexError, ValueError):  # a translation with a broken field: show the English
            filled = english.format(**values)
        # A name's own aside and the template's, back to back in Japanese, made one.
        return sign_before_money(filled if self.code == "en" else asides_joined(filled))

    def pick(self, localized: dict | None, fallback: str = "") -> str:
        """A level's own text (``{"en": ..., "ja": ...}``) in the current language."""
        if not localized:
            return fallback
        return localized.get(self.code) or localized.get("en") or fallback


#: How Japanese names the nation just named again, before a name of its own: 自国の ("its own").
OWN_NATION_JA = "自国の"


def nation_said_once(template: str, fields: dict[str, object]) -> dict[str, object]:
    """``fields`` for a Japanese ``template`` with a name that begins with a nation named before
    it in the line and の ("アメリカの磁石メーカー" after "アメリカが") saying that nation as 自国の:
    "アメリカがアメリカの磁石メーカーのプロジェクトを承認" read as a slip; "アメリカが自国の磁石メーカー
    のプロジェクトを承認" as a reporter writes it. A name before the nation keeps it whole."""
    def place(name: str) -> int:
        found = re.search(r"\{" + re.escape(name) + r"[:!}]", template)
        return found.start() if found else -1

    said = dict(fields)
    for name, value in fields.items():
        if not isinstance(value, str):
            continue
        for other, nation in fields.items():
            if other != name and isinstance(nation, str) and nation and value.startswith(nation + "の") \
                    and 0 <= place(other) < place(name):
                said[name] = OWN_NATION_JA + value[len(nation) + 1:]
                break
    return said


@lru_cache(maxsize=4)
def table(code: str) -> dict[str, str]:
    path = ASSETS / "strings" / f"{code}.toml"
    if not path.is_file():
        return {}
    with path.open("rb") as f:
        data = tomli.load(f)
    return {str(k): str(v) for k, v in data.get("text", {}).items()}
