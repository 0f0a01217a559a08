"""Money on Japanese screens is written one way, the way the Japanese string table writes it
("US$60M", "費用：US$25M"): a level's or the roles file's Japanese text that wrote its own
figures ("700百万ドル", "7億ドル") read beside a budget in the other form, and a class compared
"US$213M" on the projector with "700百万ドル" in China's objective."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from game.ui.strings import table

LEVELS = Path(__file__).resolve().parent.parent / "levels"

#: Money a game figure fills written in Japanese words rather than as the string table does
#: ("US${v}M", "US${v}/kg"): millions as 百万ドル, or a template's field followed by ドル. A
#: briefing's history in prose ("2億5000万ドルを求め", "1kgあたり81ドル") is a quotation of
#: the record, not a figure the game compares with its own, and stays as written.
_OTHER_MONEY = re.compile(r"百万\s*(?:米)?ドル|千万\s*(?:米)?ドル|\}\s*(?:万|億)?\s*(?:米)?ドル")


def _japanese_texts(node, path=""):
    """Every Japanese text of a parsed TOML file with its key path: the ``ja`` of a
    ``{ en = ..., ja = ... }`` table."""
    if isinstance(node, dict):
        for key, value in node.items():
            where = f"{path}.{key}" if path else key
            if key == "ja" and isinstance(value, str):
                yield where, value
            else:
                yield from _japanese_texts(value, where)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _japanese_texts(value, f"{path}[{index}]")


def test_the_pattern_finds_money_in_the_other_form():
    for text in ("平均{threshold:,.0f}百万ドル以上", "10百万ドル", "1kgあたり{royalty:,.2f}ドル", "{v}億ドル"):
        assert _OTHER_MONEY.search(text), text
    for text in ("平均US${threshold:,.0f}M以上", "US$60M", "US${royalty:,.2f}/kg", "1kgあたり81ドル"):
        assert not _OTHER_MONEY.search(text), text


@pytest.mark.parametrize("level_file", sorted(LEVELS.rglob("*.toml")), ids=lambda path: path.name)
def test_no_shipped_levels_japanese_writes_money_in_another_form(level_file):
    parsed = tomllib.loads(level_file.read_text(encoding="utf-8"))
    wrong = [f"{where}: {text}" for where, text in _japanese_texts(parsed) if _OTHER_MONEY.search(text)]
    assert not wrong, f"{level_file.name}: write money as US$…M, as the Japanese screens do:\n" + "\n".join(wrong)


def test_the_japanese_table_writes_money_one_way():
    wrong = [text for text in table("ja").values() if _OTHER_MONEY.search(text)]
    assert not wrong, wrong
